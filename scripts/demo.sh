#!/usr/bin/env bash
# The main job, end to end on a local AWS: build fgl, install and start the emulator (moto,
# pinned, in .venv), create the hosted zone the example's domain lives in (on real AWS you
# already own it), set the example's secret, apply examples/webapp.fgl, then plan again to show
# that AWS now matches the file. The emulator is stopped on exit, whatever happens.
#
# Usage: scripts/demo.sh [FILE]     (default: examples/webapp.fgl; its zone must be example.com)
set -euo pipefail
cd "$(dirname "$0")/.."
file="${1:-examples/webapp.fgl}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/fgl-target}"

echo "== building fgl (the AWS SDK takes ~13 minutes the first time)"
cargo build --quiet -p fgl-cli
fgl="$CARGO_TARGET_DIR/debug/fgl"

echo "== the local AWS (moto)"
scripts/aws-emulator.sh setup
trap 'scripts/aws-emulator.sh stop >/dev/null' EXIT
endpoint=$(scripts/aws-emulator.sh start)
export "${endpoint?}"
# Dummy credentials and a region; no profile of this machine's user is read.
export AWS_REGION=us-east-1 AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing
export AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null AWS_EC2_METADATA_DISABLED=true
echo "$AWS_ENDPOINT_URL"
.venv/bin/python - <<'PY'
import os, boto3
r53 = boto3.client("route53", endpoint_url=os.environ["AWS_ENDPOINT_URL"], region_name="us-east-1")
r53.create_hosted_zone(Name="example.com", CallerReference="fgl-demo")
print("hosted zone example.com created")
PY

echo "== fgl secret set $file password"
printf %s 'demo-only-password' | "$fgl" secret set "$file" password

echo "== fgl apply $file --yes"
"$fgl" apply "$file" --yes

echo "== fgl plan $file (expect no changes)"
"$fgl" plan "$file" --detailed-exitcode
