#!/usr/bin/env bash
# Pol against OpenFisca and the ZEN engine on the benchmark of benches/peers:
# 1,000,000 hires, the hiring subsidy and the 依次扣减 tax deduction, whole
# processes on the same machine, as ratios measured in one run.
#
# Usage: benches/run.sh [RUNS]     (needs python3 and cargo;
# the first run installs OpenFisca in /tmp/ofenv and builds the ZEN peer,
# which takes several minutes)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$here")
peers=$here/peers
runs=${1:-3}
work=${BENCH_DIR:-/tmp/bench}
mkdir -p "$work"
export BENCH_DIR=$work

cargo build --release --quiet --manifest-path "$top/Cargo.toml"
pol=$top/target/release/pol

echo "== the totals of the 1M rows (they must equal benches/peers/README.md)"
cases=$work/cases_1m.csv
[ -s "$cases" ] || python3 "$peers/gen_cases.py" 1000000 "$cases"
"$pol" eval "$here/hiring" --cases "$cases" --out "$work/pol_results.csv"
echo "   expected: hiring_subsidy 3484474032.00, tax_deduction 1339694886.00"

echo "== peak memory of the 1M-row run"
/usr/bin/time -f "   %M KiB, %e s" "$pol" eval "$here/hiring" --cases "$cases" --out "$work/pol_results.csv" 2>&1 | tail -1

echo "== one case from the command line (the whole Xuchang package, and one case), 30 runs"
python3 - "$pol" "$top" <<'PY'
import os, subprocess, sys, time
pol, top = sys.argv[1], sys.argv[2]
cmd = [pol, "eval", f"{top}/policies/xuchang-2021", "--case",
       f"{top}/policies/xuchang-2021/cases/graduate-at-small-firm.json"]
subprocess.run(cmd, stdout=subprocess.DEVNULL, check=True)
for what, env in [("with the kept check", dict(os.environ)),
                  ("checked anew", dict(os.environ, POL_NO_CACHE="1"))]:
    times = []
    for _ in range(30):
        start = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, check=True, env=env)
        times.append(time.perf_counter() - start)
    times.sort()
    print(f"   {what}: median {times[15] * 1000:.1f} ms, min {times[0] * 1000:.1f} ms")
PY

echo "== the whole Xuchang package over a population of 100,000 enterprises (1-6 hires each, JSONL)"
population=$work/population_100k.jsonl
[ -s "$population" ] || python3 "$here/population/gen.py" 100000 "$population"
for results in "" "--results hiring_subsidies,hire_tax_deduction"; do
  start=$(date +%s.%N)
  "$pol" eval "$top/policies/xuchang-2021" --cases "$population" $results --out "$work/population_out.jsonl" 2>/dev/null || true
  end=$(date +%s.%N)
  echo "   ${results:-every result}: $(echo "$end - $start" | bc) s, $(echo "100000 / ($end - $start)" | bc) cases/s"
done

echo "== pol diff: both versions in one pass, against a batch of one (the revision raises the subsidy by 500 yuan; for Xuchang, also narrows its SMEs)"
revised=$work/revised
rm -rf "$revised" && mkdir -p "$revised"
cp -r "$here/hiring" "$revised/hiring"
sed -i 's/  benefit amount = 1000 yuan + /  benefit amount = 1500 yuan + /' "$revised/hiring/hiring.pol"
cp -r "$top/policies/xuchang-2021" "$revised/xuchang-2021"
sed -i 's/  benefit amount = 1000 yuan$/  benefit amount = 1500 yuan/; s/let sme = employer.size in {micro, small, medium}/let sme = employer.size in {micro, small}/' \
  "$revised/xuchang-2021/01-support-enterprises.pol"
timed() {
  local start end
  start=$(date +%s.%N)
  "$@" >/dev/null 2>&1 || true
  end=$(date +%s.%N)
  echo "$end - $start" | bc
}
echo "   1M CSV rows: batch $(timed "$pol" eval "$here/hiring" --cases "$cases" --out "$work/pol_results.csv") s, diff $(timed "$pol" diff "$here/hiring" "$revised/hiring" --cases "$cases") s"
echo "   100,000 enterprises (--results hiring_subsidies,hire_tax_deduction): batch $(timed "$pol" eval "$top/policies/xuchang-2021" --cases "$population" --results hiring_subsidies,hire_tax_deduction --out "$work/population_out.jsonl") s, diff $(timed "$pol" diff "$top/policies/xuchang-2021" "$revised/xuchang-2021" --cases "$population" --results hiring_subsidies,hire_tax_deduction --by employer.size) s"

echo "== whole processes on the 1M rows as CSV (and as JSONL for Pol), $runs alternating runs (benches/peers/compare.sh)"
bash "$peers/compare.sh" "$pol eval $here/hiring --cases \$CASES --out $work/pol_results.csv" "$runs" \
  "$pol eval $here/hiring --cases \$JSONL --out $work/pol_results.jsonl"
