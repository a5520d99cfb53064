#!/usr/bin/env bash
# bench/lambda: the native `bootstrap`'s cold start (process start → first invocation answered, median of N) and its
# per-object latency on a ~5 MB (uncompressed) CloudTrail log object, next to `auditor replay` and zcat of the same
# object, in one run. Loopback only: s3rver and dynalite on 127.0.0.1, the Runtime API of tools/LocalLambda.
# Usage: bench/lambda/run.sh [--cold-runs N] [--runs N] [--warm N] [--no-readme]
#   AUDITOR_BOOTSTRAP_PATH  a published bootstrap (else published here, linux-x64)
#   AUDITOR_NODE_MODULES    where s3rver and dynalite are (default .ci/node_modules; see tools/run-local.sh)
# Writes bench/lambda/results/<date>.md and the "Results" section of bench/lambda/README.md.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
PASS=(); README=1
while [ $# -gt 0 ]; do
  case "$1" in
    --cold-runs|--runs|--warm) PASS+=("$1" "$2"); shift 2 ;;
    --no-readme) README=0; shift ;;
    -h|--help) sed -n '2,8p' "$0"; exit 0 ;;
    *) echo "bench/lambda: unknown argument '$1'" >&2; exit 2 ;;
  esac
done
command -v /usr/bin/time >/dev/null || { echo "bench/lambda: GNU time is needed (apt-get install -y time)" >&2; exit 2; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/auditor-bench-lambda-XXXXXX")
PIDS=()
cleanup() { local s=$?; for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done; rm -rf "$WORK"; exit $s; }
trap cleanup EXIT
trap 'exit 130' INT TERM

NM="${AUDITOR_NODE_MODULES:-$ROOT/.ci/node_modules}"
[ -f "$NM/s3rver/bin/s3rver.js" ] && [ -f "$NM/dynalite/cli.js" ] \
  || npm install --no-audit --no-fund --loglevel=error --prefix "$ROOT/.ci" s3rver@3.7.1 dynalite@4.0.0 >"$WORK/npm.log" 2>&1
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
wait_port() { for _ in $(seq 1 150); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.2; done; echo "port $1 not listening" >&2; exit 2; }
S3_PORT=$(free_port); mkdir -p "$WORK/s3"
node "$NM/s3rver/bin/s3rver.js" -d "$WORK/s3" -a 127.0.0.1 -p "$S3_PORT" --silent --no-vhost-buckets >"$WORK/s3rver.log" 2>&1 & PIDS+=($!)
DDB_PORT=$(free_port)
node "$NM/dynalite/cli.js" --host 127.0.0.1 --port "$DDB_PORT" --createTableMs 50 >"$WORK/dynalite.log" 2>&1 & PIDS+=($!)
wait_port "$S3_PORT"; wait_port "$DDB_PORT"

if [ -n "${AUDITOR_BOOTSTRAP_PATH:-}" ]; then BOOTSTRAP="$AUDITOR_BOOTSTRAP_PATH"
else
  echo "== dotnet publish functions/Auditor.Functions -c Release -r linux-x64" >&2
  dotnet publish functions/Auditor.Functions -c Release -r linux-x64 -nologo -o "$WORK/bootstrap" >"$WORK/publish.log" 2>&1 || { tail -20 "$WORK/publish.log"; exit 2; }
  BOOTSTRAP="$WORK/bootstrap/bootstrap"
fi
echo "== build auditor, trailgen, the harness" >&2
for p in functions/Auditor.Cli bench/Auditor.TrailGen bench/lambda/Auditor.Bench.Lambda; do
  dotnet build "$p" -c Release -nologo -v quiet >"$WORK/build.log" 2>&1 || { tail -20 "$WORK/build.log"; exit 2; }
done

# A ~5 MB object: one account and region, ~3,400 records per file (1.56 KB each); the file nearest 5,000,000 bytes
# uncompressed is taken (deterministic: seeded generator).
dotnet bench/Auditor.TrailGen/bin/Release/net10.0/Auditor.TrailGen.dll --events 20000 --events-per-file 3300 --accounts 1 --regions 1 --seed 7 --out "$WORK/trail" >&2
OBJECT=$(python3 - "$WORK/trail" <<'PY'
import gzip, pathlib, sys
files = sorted(pathlib.Path(sys.argv[1]).rglob("*.json.gz"))
best = min(files, key=lambda f: abs(len(gzip.decompress(f.read_bytes())) - 5_000_000))
print(best)
PY
)
COLD=$(find sample-events/grants-lifecycle -name '*.json.gz' | sort | head -1)

RESULT="$WORK/result.md"
dotnet bench/lambda/Auditor.Bench.Lambda/bin/Release/net10.0/Auditor.Bench.Lambda.dll \
  --bootstrap "$BOOTSTRAP" --s3 "http://127.0.0.1:$S3_PORT" --dynamodb "http://127.0.0.1:$DDB_PORT" \
  --object "$OBJECT" --cold-object "$COLD" --auditor functions/Auditor.Cli/bin/Release/net10.0/auditor.dll \
  --out "$RESULT" "${PASS[@]}" >/dev/null

CPU=$(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -1)
MACHINE="Machine: $(nproc) cores (${CPU:-unknown CPU}), $(awk '/MemTotal/ {printf "%.0f GB", $2/1048576}' /proc/meminfo) RAM, Linux $(uname -r | cut -d- -f1), .NET SDK $(dotnet --version), load average at the end $(cut -d' ' -f1-3 /proc/loadavg). Date $(date -u +%Y-%m-%dT%H:%MZ). Command: \`bench/lambda/run.sh ${PASS[*]}\`."
mkdir -p bench/lambda/results
OUTFILE="bench/lambda/results/$(date -u +%Y-%m-%dT%H%MZ).md"
{ echo "$MACHINE"; echo; cat "$RESULT"; } | tee "$OUTFILE"
if [ "$README" = 1 ] && [ -f bench/lambda/README.md ]; then
  python3 - bench/lambda/README.md "$OUTFILE" <<'PY'
import sys, re
readme, result = sys.argv[1], open(sys.argv[2]).read()
text = open(readme).read()
new = re.sub(r"<!-- results -->.*<!-- /results -->", lambda m: "<!-- results -->\n" + result.strip() + "\n<!-- /results -->", text, flags=re.S)
open(readme, "w").write(new)
PY
fi
