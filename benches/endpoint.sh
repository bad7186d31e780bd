#!/usr/bin/env bash
# The local endpoint against its floor, in one run: `DescribeOrganization` of one organization
# on the in-memory store, and a bare hyper server (emulator/examples/floor.rs) answering a
# fixed body of the same size, each loaded by wrk over keep-alive connections, at 1 and at 16
# connections.
#
#   benches/endpoint.sh [SECONDS]          # default 10 s a run; not run by CI
#
# Needs wrk (Debian: apt-get install wrk) and curl. Both servers and wrk share this machine's
# cores: compare the two columns of one run, not runs of different days.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-10}"

cargo build --quiet --release -p workmail-org-emulator --bin workmail-org-emulator --example floor
target=target/release
dir="$(mktemp -d)"
pids=()
cleanup() { kill "${pids[@]}" 2>/dev/null || true; rm -rf "$dir"; }
trap cleanup EXIT

# Starts CMD... in the background as NAME, keeps its pid for the clean-up, and sets `addr` to
# the address of its `listening on` line. Not in a subshell, so the pid is kept.
start() {
    local name="$1"
    shift
    "$@" >"$dir/$name.out" 2>&1 &
    pids+=("$!")
    addr=""
    for _ in $(seq 200); do
        addr="$(sed -n 's/^listening on http:\/\///p' "$dir/$name.out" | head -1)"
        if [ -n "$addr" ]; then
            return
        fi
        sleep 0.05
    done
    echo "endpoint.sh: $name did not start: $(cat "$dir/$name.out")" >&2
    exit 1
}

auth='AWS4-HMAC-SHA256 Credential=AKIDBENCH/20260101/us-east-1/workmail/aws4_request, SignedHeaders=host, Signature=0'
start emulator "$target/workmail-org-emulator" --listen 127.0.0.1:0 --create-after-polls 1
emulator="$addr"
created="$(curl -s -X POST "http://$emulator/" -H "X-Amz-Target: WorkMailService.CreateOrganization" \
    -H "Content-Type: application/x-amz-json-1.1" -H "Authorization: $auth" -d '{"Alias":"bench-endpoint"}')"
organization="$(sed -n 's/.*"OrganizationId":"\([^"]*\)".*/\1/p' <<<"$created")"
request="{\"OrganizationId\":\"$organization\"}"
describe() {
    curl -s -X POST "http://$1/" -H "X-Amz-Target: WorkMailService.DescribeOrganization" \
        -H "Content-Type: application/x-amz-json-1.1" -H "Authorization: $auth" -d "$request"
}
describe "$emulator" >/dev/null # Active from here on
bytes="$(describe "$emulator" | wc -c)"
start floor "$target/examples/floor" --listen 127.0.0.1:0 --body-bytes "$bytes"
floor="$addr"

cat >"$dir/describe.lua" <<LUA
wrk.method = "POST"
wrk.body = '$request'
wrk.headers["Content-Type"] = "application/x-amz-json-1.1"
wrk.headers["X-Amz-Target"] = "WorkMailService.DescribeOrganization"
wrk.headers["Authorization"] = "$auth"
LUA

echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); body $bytes bytes; $seconds s a run" >&2
printf '%-12s %12s %14s %14s %8s\n' connections threads emulator_rps floor_rps ratio
for connections in 1 16; do
    threads=$((connections < 2 ? 1 : 2))
    rate() {
        wrk -t"$threads" -c"$connections" -d"${seconds}s" -s "$dir/describe.lua" "http://$1/" |
            sed -n 's/^Requests\/sec: *//p'
    }
    ours="$(rate "$emulator")"
    bare="$(rate "$floor")"
    printf '%-12s %12s %14s %14s %8s\n' "$connections" "$threads" "$ours" "$bare" \
        "$(awk -v a="$ours" -v b="$bare" 'BEGIN { printf "%.2f", a / b }')"
done
