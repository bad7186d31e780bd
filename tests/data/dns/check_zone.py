#!/usr/bin/env python3
"""Read BIND zone-file text with dnspython and print every record as one JSON line.

Usage: check_zone.py ORIGIN FILE    (FILE may be "-" for standard input)

The text is read twice with dnspython:
1. on its own, with the master-file reader (dns.zonefile.read_rrsets, origin the root);
2. appended to a minimal zone for ORIGIN (SOA and NS only), loaded as a whole zone
   (dns.zone.from_text).
Both must hold the same records: the text must append to any zone unchanged. A relative
name (a missing trailing dot) is completed with the root in the first reading and with
ORIGIN in the second, so it makes the two differ and is reported.

Output, one JSON object per record:
  {"name": "example.com.", "ttl": 3600, "class": "IN", "type": "MX", ...}
with, by type: TXT "strings" (each character-string as a list of byte values), MX
"preference" and "exchange", CNAME "target", any other type "rdata" (its text form).

Exit status: 0 parsed, 1 the text does not parse (message on standard error), 2 dnspython is
not installed.
"""

import json
import sys

try:
    import dns.name
    import dns.rdataclass
    import dns.rdatatype
    import dns.zone
    import dns.zonefile
except ImportError:
    sys.stderr.write(
        "dnspython is not installed for %s; install it with: %s -m pip install dnspython\n"
        % (sys.executable, sys.executable)
    )
    sys.exit(2)


def describe(name, ttl, rdata):
    out = {
        "name": name.to_text(),
        "ttl": ttl,
        "class": dns.rdataclass.to_text(rdata.rdclass),
        "type": dns.rdatatype.to_text(rdata.rdtype),
    }
    if rdata.rdtype == dns.rdatatype.TXT:
        out["strings"] = [list(s) for s in rdata.strings]
    elif rdata.rdtype == dns.rdatatype.MX:
        out["preference"] = rdata.preference
        out["exchange"] = rdata.exchange.to_text()
    elif rdata.rdtype == dns.rdatatype.CNAME:
        out["target"] = rdata.target.to_text()
    else:
        out["rdata"] = rdata.to_text()
    return out


def records_of_rrsets(rrsets):
    return [describe(rrset.name, rrset.ttl, rdata) for rrset in rrsets for rdata in rrset]


def records_of_zone(zone, skip):
    out = []
    for name, ttl, rdata in zone.iterate_rdatas():
        if rdata.rdtype not in skip:
            out.append(describe(name, ttl, rdata))
    return out


def key(record):
    return json.dumps(record, sort_keys=True)


def main(argv):
    if len(argv) != 2:
        sys.stderr.write(__doc__)
        return 1
    origin, path = argv
    text = sys.stdin.read() if path == "-" else open(path, encoding="utf-8").read()
    try:
        records = records_of_rrsets(dns.zonefile.read_rrsets(text, rdclass=None))
        apex = dns.name.from_text(origin).to_text()
        zone_text = (
            "$ORIGIN %s\n$TTL 3600\n"
            "@ IN SOA ns1.%s hostmaster.%s 1 7200 3600 1209600 3600\n"
            "@ IN NS ns1.%s\n" % (apex, apex, apex, apex)
        ) + text
        zone = dns.zone.from_text(zone_text, origin=apex, relativize=False)
        in_zone = records_of_zone(zone, {dns.rdatatype.SOA, dns.rdatatype.NS})
    except Exception as err:  # every parser error is a failure, with its message
        sys.stderr.write("%s: %s\n" % (type(err).__name__, err))
        return 1
    if sorted(map(key, in_zone)) != sorted(map(key, records)):
        sys.stderr.write(
            "the records differ once appended to a zone for %s (a relative name?):\n"
            "  alone:   %s\n  in zone: %s\n" % (apex, sorted(map(key, records)), sorted(map(key, in_zone)))
        )
        return 1
    for record in records:
        print(json.dumps(record, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
