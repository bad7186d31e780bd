#!/usr/bin/env bash
# Side by side: the crate against the Python validators on the same 5-domain request.
#
#   benches/compare.sh              # about 3 minutes; not run by CI
#
# Makes its own Python venv (target/compare-venv) with aws-resource-validator-workmail
# (pydantic models) and botocore from PyPI, runs the crate's criterion benches for the same
# inputs, times the Python validators in the same run, and prints medians, spreads and
# ratios. Inputs, all in benches/data/:
#   five-domains.json          the crate's spec: 5 existing Route 53 domains, an existing
#                              AD Connector, a KMS key and a client token (about 1.1 KB)
#   five-domains-request.json  its CreateOrganization request body, as the crate writes it:
#                              what the Python validators read (they know no spec format)
set -euo pipefail
cd "$(dirname "$0")/.."

venv=target/compare-venv
if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet aws-resource-validator-workmail botocore
fi

echo "machine: $(nproc) cores, $(uname -m), load $(cut -d' ' -f1-3 /proc/loadavg)" >&2
cargo bench --bench spec -- --noplot \
    'spec/(floor_borrowed_unchecked_5_domains|json_to_spec_5_domains|json_to_violations_10|validate_5_domains|request_json_to_request_5_domains|spec_to_request_json_5_domains)$' \
    >&2
"$venv/bin/python" benches/compare.py
