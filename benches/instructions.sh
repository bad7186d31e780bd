#!/usr/bin/env bash
# Instructions per operation, counted by callgrind: stable where criterion's times drift.
#
#   benches/instructions.sh            # every operation below
#
# Each operation runs 1 and 1001 times in its bench binary (COUNT=NAME COUNT_ITERS=N, no
# criterion); the difference over 1000 is the cost of one operation, setup excluded.
set -euo pipefail
cd "$(dirname "$0")/.."

cargo bench --features proptest --no-run --bench parse --bench spec 2>/dev/null
binary() {
    cargo bench --features proptest --no-run --bench "$1" --message-format=json 2>/dev/null |
        python3 -c 'import json,sys
for line in sys.stdin:
    m = json.loads(line)
    if m.get("reason") == "compiler-artifact" and m["target"]["name"] == sys.argv[1] and m.get("executable"):
        print(m["executable"])' "$1"
}

instructions() { # BINARY NAME ITERS
    COUNT="$2" COUNT_ITERS="$3" valgrind --tool=callgrind --callgrind-out-file=/dev/null "$1" 2>&1 |
        sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
}

printf '%-36s %12s\n' operation instructions
for pair in parse:alias parse:domain_ascii parse:directory_id parse:kms_key_arn \
    spec:floor_borrowed_unchecked_5_domains spec:json_to_spec_5_domains \
    spec:json_to_violations_10 spec:validate_5_domains \
    spec:request_json_to_request_5_domains spec:spec_to_request_json_5_domains; do
    bench="${pair%%:*}" name="${pair#*:}"
    exe="$(binary "$bench")"
    one="$(instructions "$exe" "$name" 1)"
    many="$(instructions "$exe" "$name" 1001)"
    printf '%-36s %12d\n' "$name" $(((many - one) / 1000))
done
