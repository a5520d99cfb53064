#!/usr/bin/env bash
# One command for the whole replay bench (issue 9): builds Release, generates seeded trails, and runs on the SAME
# files, side by side: zcat to /dev/null (the floor), jq filtering the KMS events, DuckDB (DuckDB.NET) doing the
# same filter, and `auditor replay`. Wall time, records/s, MB/s (uncompressed), peak RSS and every ratio to zcat
# go to bench/results/<date>.md (and stdout).
#
#   bench/run.sh                    # 100 MB and 1 GB trails (uncompressed)
#   bench/run.sh --big              # ... and 5 GB (generation takes a few minutes the first time; cached)
#   bench/run.sh --sizes "100M 1G 3G" --runs 3 --skip jq,duckdb --micro
#
# Options: --sizes LIST   trail sizes (uncompressed; K/M/G suffixes)     --runs N  best of N per tool (default 1)
#          --big          add 5G to the sizes                             --skip LIST  tools to leave out
#          --micro        also run the BenchmarkDotNet micro-benchmarks   --profile    also run the replay stage profile
#          AUDITOR_BASELINE=path/to/auditor.dll adds a row for an earlier build (before/after in one run)
#          --out DIR      where trails and scratch go (default bench/out; trails are reused when their options match)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
INVOCATION="$*"   # the options as given (the loop below shifts them away), for the results file
SIZES="100M 1G"; RUNS=1; SKIP=""; MICRO=0; PROFILE=0; OUT="$ROOT/bench/out"; SEED=42
while [ $# -gt 0 ]; do
  case "$1" in
    --sizes) SIZES="$2"; shift 2;;
    --big) SIZES="$SIZES 5G"; shift;;
    --runs) RUNS="$2"; shift 2;;
    --skip) SKIP="$2"; shift 2;;
    --micro) MICRO=1; shift;;
    --profile) PROFILE=1; shift;;
    --out) OUT="$2"; shift 2;;
    --seed) SEED="$2"; shift 2;;
    -h|--help) sed -n '2,16p' "$0"; exit 0;;
    *) echo "unknown option $1" >&2; exit 2;;
  esac
done
skipped() { [[ ",$SKIP," == *",$1,"* ]]; }
for tool in zcat jq python3 /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "bench needs $tool (apt-get install -y jq time python3)" >&2; exit 2; }
done

echo "== build (Release)"
for p in functions/Auditor.Cli bench/Auditor.TrailGen bench/Auditor.Bench.DuckDb; do
  dotnet build "$p" -c Release -nologo -v q 2>&1 | grep -E "error|Warn|warn" || true
done
AUDITOR="$ROOT/functions/Auditor.Cli/bin/Release/net10.0/auditor.dll"
TRAILGEN="$ROOT/bench/Auditor.TrailGen/bin/Release/net10.0/Auditor.TrailGen.dll"
DUCK="$ROOT/bench/Auditor.Bench.DuckDb/bin/Release/net10.0/Auditor.Bench.DuckDb.dll"
mkdir -p "$OUT" "$ROOT/bench/results"
DATE=$(date -u +%Y-%m-%d)
RAW="$OUT/raw-$DATE.tsv"; : > "$RAW"

# measure NAME SIZE CMD...: best wall time of $RUNS runs, with that run's CPU seconds (user+sys), peak RSS (KB) and exit
# status. CPU time is reported because the machine may be shared: wall time then depends on the neighbours' load.
measure() {
  local name="$1" size="$2"; shift 2
  local best="" rss="" cpu="" rc=0
  for _ in $(seq "$RUNS"); do
    local t="$OUT/time.txt"
    set +e
    /usr/bin/time -f "%e %M %U %S" -o "$t" "$@" >"$OUT/$name.stdout" 2>"$OUT/$name.stderr"; rc=$?
    set -e
    read -r wall kb user sys < <(tail -1 "$t")
    if [ -z "$best" ] || python3 -c "import sys; sys.exit(0 if $wall < $best else 1)"; then
      best=$wall; rss=$kb; cpu=$(python3 -c "print(f'{$user + $sys:.2f}')")
    fi
  done
  [ $rc -eq 0 ] || [ $rc -eq 3 ] || { echo "   $name failed (exit $rc): $(tail -3 "$OUT/$name.stderr")" >&2; }
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$size" "$name" "$best" "$rss" "$rc" "$cpu" >> "$RAW"
  printf '   %-22s %8.2f s  %8.2f s CPU  %8d KB peak RSS\n' "$name" "$best" "$cpu" "$rss"
}

for size in $SIZES; do
  TRAIL="$OUT/trail-$size-seed$SEED"
  ARGS="--size $size --seed $SEED"
  if [ ! -f "$TRAIL/manifest.json" ] || ! grep -q "\"arguments\": \"$ARGS --out $TRAIL\"" "$TRAIL/manifest.json"; then
    echo "== generate $size trail"
    rm -rf "$TRAIL"
    dotnet "$TRAILGEN" $ARGS --out "$TRAIL"
  fi
  LOGS="$TRAIL/AWSLogs"
  echo "== $size: $(python3 -c "import json;m=json.load(open('$TRAIL/manifest.json'));print(f\"{m['files']} files, {m['records']:,} records, {m['kmsRecords']:,} KMS, {m['uncompressedBytes']/1e6:,.0f} MB uncompressed, {m['compressedBytes']/1e6:,.0f} MB gzip\")")"
  find "$LOGS" -name '*.json.gz' -print0 | sort -z > "$OUT/files.lst"
  xargs -0 cat < "$OUT/files.lst" > /dev/null   # warm the page cache: every tool reads from memory, none from disk
  cp "$TRAIL/manifest.json" "$OUT/manifest-$size.json"

  skipped zcat || measure "zcat" "$size" bash -c "xargs -0 zcat < '$OUT/files.lst' > /dev/null"
  skipped zcat2 || measure "zcat-2-processes" "$size" bash -c "xargs -0 -n 4 -P $(nproc) zcat < '$OUT/files.lst' > /dev/null"
  skipped jq || measure "jq" "$size" bash -c "xargs -0 zcat < '$OUT/files.lst' | jq -c '.Records[] | select(.eventSource==\"kms.amazonaws.com\")' | wc -l"
  skipped duckdb || measure "duckdb" "$size" dotnet "$DUCK" "$LOGS"
  if [ -n "${AUDITOR_BASELINE:-}" ]; then   # an earlier build of auditor.dll, for before/after under the same load
    rm -rf "$OUT/replay-out"; measure "auditor-replay-baseline" "$size" dotnet "$AUDITOR_BASELINE" replay "$LOGS" --out "$OUT/replay-out" --quiet
  fi
  skipped replay || { rm -rf "$OUT/replay-out"; measure "auditor-replay" "$size" dotnet "$AUDITOR" replay "$LOGS" --out "$OUT/replay-out" --quiet; }
  # Every tool must have seen the same KMS events, or the comparison means nothing.
  python3 - "$OUT" "$size" <<'PY'
import json, sys, re, os
out, size = sys.argv[1], sys.argv[2]
m = json.load(open(f"{out}/manifest-{size}.json"))
def check(name, got):
    if got is not None and got != m["kmsRecords"]:
        print(f"   WARNING: {name} saw {got} KMS records, the generator wrote {m['kmsRecords']}")
if os.path.exists(f"{out}/jq.stdout"): check("jq", int(open(f"{out}/jq.stdout").read().strip() or -1))
if os.path.exists(f"{out}/duckdb.stdout"):
    d = re.search(r"kms=(\d+)", open(f"{out}/duckdb.stdout").read()); check("duckdb", int(d.group(1)) if d else -1)
if os.path.exists(f"{out}/replay-out/summary.json"): check("auditor replay", json.load(open(f"{out}/replay-out/summary.json"))["kmsRecordsRead"])
PY
  rm -f "$OUT"/jq.stdout "$OUT"/duckdb.stdout
done

echo "== report"
python3 "$ROOT/bench/report.py" "$RAW" "$OUT" "$ROOT/bench/results/$DATE.md" "${AUDITOR_BASELINE:+AUDITOR_BASELINE=$AUDITOR_BASELINE }bench/run.sh $INVOCATION"

if [ $PROFILE -eq 1 ]; then
  echo "== replay stage profile (largest trail)"
  dotnet build bench/Auditor.Bench.Micro -c Release -nologo -v q 2>&1 | grep -E "error|warn" || true
  dotnet bench/Auditor.Bench.Micro/bin/Release/net10.0/Auditor.Bench.Micro.dll profile "$LOGS" | tee -a "$ROOT/bench/results/$DATE.md"
fi
if [ $MICRO -eq 1 ]; then
  echo "== BenchmarkDotNet micro-benchmarks"
  dotnet run --project bench/Auditor.Bench.Micro -c Release -- bench --filter '*' --artifacts "$OUT/BenchmarkDotNet.Artifacts"
  cat "$OUT"/BenchmarkDotNet.Artifacts/results/*-report-github.md >> "$ROOT/bench/results/$DATE.md"
fi
echo "results: bench/results/$DATE.md"
