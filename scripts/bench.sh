#!/usr/bin/env bash
# Parse benchmark and `fgl check` timing; results are recorded in docs/benchmarks.md.
#
#   scripts/bench.sh            # release builds; run on an otherwise idle machine
#   RUNS=200 scripts/bench.sh   # more runs of `fgl check`
#   SKIP_BENCH=1 NO_HYPERFINE=1 scripts/bench.sh   # only `fgl check`, timed by the shell loop
#
# 1. `cargo bench -p fgl-syntax --bench parse` (divan): lex and lex+parse of 1,000 and 10,000
#    generated services, in MB/s.
# 2. If the CLI builds, wall time of `fgl check examples/webapp.fgl`, process start included:
#    with hyperfine when installed, otherwise a loop timed with `date +%s%N`.
# 3. `fgl check` and `fgl eval` of N = 100, 1,000 and 10,000 generated services
#    (scripts/gen_services.py), with hyperfine, and the peak memory (max RSS) of each.
set -euo pipefail
cd "$(dirname "$0")/.."

example=${EXAMPLE:-examples/webapp.fgl}
runs=${RUNS:-100}

echo "== machine"
echo "date:  $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "cpus:  $(nproc)"
echo "cpu:   $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
echo "rustc: $(rustc --version)"
echo

if [ "${SKIP_BENCH:-}" != 1 ]; then
    echo "== cargo bench -p fgl-syntax --bench parse"
    cargo bench -p fgl-syntax --bench parse
    echo
fi

echo "== fgl check $example"
if ! cargo build --release -p fgl-cli; then
    echo "fgl-cli does not build: skipping the \`fgl check\` timing"
    exit 0
fi
fgl=target/release/fgl
if [ ! -f "$example" ]; then
    echo "$example not found: skipping the \`fgl check\` timing"
    exit 0
fi
# The timing is what matters here, not the verdict: show it once, then time it regardless.
set +e
"$fgl" check "$example"
status=$?
set -e
echo "(exit status $status)"

if [ "${NO_HYPERFINE:-}" != 1 ] && command -v hyperfine >/dev/null; then
    # -N: no intermediate shell, so the time is fgl's own process start and run.
    hyperfine -N --warmup 10 --runs "$runs" --ignore-failure "$fgl check $example"
else
    echo "timing $runs runs with date +%s%N (hyperfine not used)"
    for _ in 1 2 3 4 5; do "$fgl" check "$example" >/dev/null 2>&1 || true; done
    min=""
    total=0
    for _ in $(seq "$runs"); do
        start=$(date +%s%N)
        "$fgl" check "$example" >/dev/null 2>&1 || true
        end=$(date +%s%N)
        ns=$((end - start))
        total=$((total + ns))
        if [ -z "$min" ] || [ "$ns" -lt "$min" ]; then min=$ns; fi
    done
    awk -v t="$total" -v n="$runs" -v m="$min" \
        'BEGIN { printf "mean %.2f ms, min %.2f ms over %d runs (includes the loop fork/exec and date calls)\n", t / n / 1e6, m / 1e6, n }'
fi

echo
echo "== fgl check / fgl eval of N generated services"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for n in ${SERVICES:-100 1000 10000}; do
    file="$tmp/services-$n.fgl"
    python3 scripts/gen_services.py "$n" > "$file"
    echo "-- N = $n ($(wc -c < "$file") bytes)"
    "$fgl" check "$file"
    for cmd in check eval; do
        /usr/bin/time -f "$cmd: max RSS %M KiB, %e s" "$fgl" "$cmd" "$file" > /dev/null
    done
    if [ "${NO_HYPERFINE:-}" != 1 ] && command -v hyperfine >/dev/null; then
        hyperfine -N --warmup 3 --runs "${SERVICE_RUNS:-20}" \
            "$fgl check $file" "$fgl eval $file"
    fi
done
