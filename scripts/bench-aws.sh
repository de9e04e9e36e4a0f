#!/usr/bin/env bash
# What fgl costs in AWS calls and time, on the local AWS (moto): a cold apply of FILE (from
# nothing), a no-op plan and a no-op apply right after. Counts come from FGL_CALL_LOG (one line
# per SDK operation: milliseconds, service, operation). Also shows that independent branches
# run together: when the certificate was requested and issued vs when the load balancer was
# created. Numbers go to docs/benchmarks.md.
#
# Usage: scripts/bench-aws.sh [FILE]    (default examples/webapp.fgl, zone example.com)
set -euo pipefail
cd "$(dirname "$0")/.."
file="${1:-examples/webapp.fgl}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/fgl-target}"
cargo build --quiet -p fgl-cli
fgl="$CARGO_TARGET_DIR/debug/fgl"
scripts/aws-emulator.sh setup
out=$(mktemp -d)
trap 'scripts/aws-emulator.sh stop >/dev/null; rm -rf "$out"' EXIT
endpoint=$(scripts/aws-emulator.sh start)
export "${endpoint?}"
export AWS_REGION=us-east-1 AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing
export AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null AWS_EC2_METADATA_DISABLED=true
.venv/bin/python -c 'import os, boto3; boto3.client("route53", endpoint_url=os.environ["AWS_ENDPOINT_URL"], region_name="us-east-1").create_hosted_zone(Name="example.com", CallerReference="bench")' >/dev/null
printf %s 'bench-only' | "$fgl" secret set "$file" password >/dev/null
"$fgl" eval "$file" --lowered >"$out/graph.json"

run() {
    local name=$1
    shift
    local start end
    start=$(date +%s%N)
    FGL_CALL_LOG="$out/$name.log" "$fgl" "$@" >"$out/$name.out" 2>&1
    end=$(date +%s%N)
    echo $(((end - start) / 1000000)) >"$out/$name.ms"
}
run cold-apply apply "$file" --yes
run noop-plan plan "$file"
run noop-apply apply "$file" --yes

.venv/bin/python - "$out" <<'PY'
import json, sys, collections
out = sys.argv[1]
graph = json.load(open(f"{out}/graph.json"))
resources = [n for n in graph["nodes"] if not n["kind"].startswith("fgl::")]
READ = ("Describe", "List", "Get", "Head")
print(f"{len(resources)} AWS resources in the graph ({len(graph['nodes'])} nodes)")
print(f"{'run':<12} {'wall ms':>8} {'calls':>6} {'reads':>6} {'changes':>8} {'reads/resource':>15}")
logs = {}
for name in ["cold-apply", "noop-plan", "noop-apply"]:
    lines = [l.split() for l in open(f"{out}/{name}.log")]
    logs[name] = lines
    reads = sum(1 for l in lines if l[-1].startswith(READ))
    ms = open(f"{out}/{name}.ms").read().strip()
    print(f"{name:<12} {ms:>8} {len(lines):>6} {reads:>6} {len(lines) - reads:>8} {reads / len(resources):>15.2f}")
by = collections.Counter(" ".join(l[1:-1]) for l in logs["noop-plan"])
print("no-op plan reads by service:", ", ".join(f"{k} {v}" for k, v in sorted(by.items())))
cold = logs["cold-apply"]
def at(op):
    return [int(l[0]) for l in cold if l[-1] == op]
req, desc, lb = at("RequestCertificate"), at("DescribeCertificate"), at("CreateLoadBalancer")
if req and lb:
    print(f"cold apply: certificate requested at {req[0]} ms, polled until {desc[-1] if desc else '?'} ms; "
          f"load balancer created at {lb[0]} ms (in flight together: "
          f"{'yes' if req[0] <= lb[0] <= (desc[-1] if desc else req[0]) else 'no'})")
PY
