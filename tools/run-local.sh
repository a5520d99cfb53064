#!/usr/bin/env bash
# Runs the pipeline locally with one command, no AWS account, nothing beyond loopback:
#   s3rver (S3) and dynalite (DynamoDB) on 127.0.0.1 free ports → the native `ingest` bootstrap under a loopback
#   Lambda Runtime API (tools/LocalLambda) → every sample-events/**/*.json.gz uploaded to the trail bucket under its
#   AWSLogs/… key and delivered as SQS batches of S3 notifications → the findings objects that appear, summarised.
# Usage: tools/run-local.sh [--samples DIR] [--batch-size N] [--show N] [--compare-replay] [--keep]
#   AUDITOR_BOOTSTRAP_PATH=/path/to/bootstrap   use a published bootstrap instead of publishing one
#   AUDITOR_NODE_MODULES=/path/node_modules     where s3rver and dynalite are (default .ci/node_modules)
#   --compare-replay   also run `auditor replay` on the same trails and check the finding ids are the same
#   --keep   leave the servers' data and logs in the work directory (printed at the end)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"

SAMPLES="$ROOT/sample-events"; KEEP=0; COMPARE=0; PASS=()
while [ $# -gt 0 ]; do
  case "$1" in
    --samples) SAMPLES=$(cd "$2" && pwd); shift 2 ;;
    --batch-size|--show) PASS+=("$1" "$2"); shift 2 ;;
    --keep) KEEP=1; shift ;;
    --compare-replay) COMPARE=1; shift ;;
    -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
    *) echo "run-local: unknown argument '$1' (try --help)" >&2; exit 2 ;;
  esac
done

for tool in node npm dotnet; do
  command -v "$tool" >/dev/null || { echo "run-local: '$tool' is needed and not on PATH" >&2; exit 2; }
done

WORK=$(mktemp -d "${TMPDIR:-/tmp}/auditor-local-XXXXXX")
PIDS=()
cleanup() {
  local status=$?
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [ "$KEEP" = 1 ] || [ "$status" != 0 ]; then echo "run-local: logs and data kept in $WORK" >&2; else rm -rf "$WORK"; fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- the AWS stand-ins (npm) ----------------------------------------------------------------------
NM="${AUDITOR_NODE_MODULES:-$ROOT/.ci/node_modules}"
if [ ! -f "$NM/s3rver/bin/s3rver.js" ] || [ ! -f "$NM/dynalite/cli.js" ]; then
  if [ -n "${AUDITOR_NODE_MODULES:-}" ]; then
    echo "run-local: s3rver or dynalite missing under AUDITOR_NODE_MODULES=$NM" >&2; exit 2
  fi
  echo "== npm install --prefix .ci s3rver@3.7.1 dynalite@4.0.0"
  npm install --no-audit --no-fund --loglevel=error --prefix "$ROOT/.ci" s3rver@3.7.1 dynalite@4.0.0 >"$WORK/npm.log" 2>&1 \
    || { echo "run-local: npm install failed:" >&2; tail -20 "$WORK/npm.log" >&2; exit 2; }
fi

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
wait_port() { # name port pid
  for _ in $(seq 1 150); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$2") 2>/dev/null; then return 0; fi
    kill -0 "$3" 2>/dev/null || { echo "run-local: $1 exited at start:" >&2; cat "$WORK/$1.log" >&2; exit 2; }
    sleep 0.2
  done
  echo "run-local: $1 did not listen on 127.0.0.1:$2 within 30 s" >&2; exit 2
}

S3_PORT=$(free_port)
mkdir -p "$WORK/s3"
node "$NM/s3rver/bin/s3rver.js" -d "$WORK/s3" -a 127.0.0.1 -p "$S3_PORT" --silent --no-vhost-buckets >"$WORK/s3rver.log" 2>&1 &
PIDS+=($!); wait_port s3rver "$S3_PORT" "$!"
DDB_PORT=$(free_port)
node "$NM/dynalite/cli.js" --host 127.0.0.1 --port "$DDB_PORT" --createTableMs 50 >"$WORK/dynalite.log" 2>&1 &
PIDS+=($!); wait_port dynalite "$DDB_PORT" "$!"
echo "== s3rver on http://127.0.0.1:$S3_PORT, dynalite on http://127.0.0.1:$DDB_PORT"

# --- the function -----------------------------------------------------------------------------------
if [ -n "${AUDITOR_BOOTSTRAP_PATH:-}" ]; then
  BOOTSTRAP="$AUDITOR_BOOTSTRAP_PATH"
  [ -x "$BOOTSTRAP" ] || { echo "run-local: AUDITOR_BOOTSTRAP_PATH=$BOOTSTRAP is not an executable" >&2; exit 2; }
else
  echo "== dotnet publish functions/Auditor.Functions -c Release -r linux-x64 (native AOT; a few minutes the first time)"
  dotnet publish functions/Auditor.Functions -c Release -r linux-x64 -nologo -o "$WORK/bootstrap" >"$WORK/publish.log" 2>&1 \
    || { echo "run-local: publish failed (native AOT needs clang and zlib1g-dev):" >&2; tail -20 "$WORK/publish.log" >&2; exit 2; }
  BOOTSTRAP="$WORK/bootstrap/bootstrap"
fi
echo "== bootstrap: $BOOTSTRAP"

dotnet build tools/LocalLambda -c Release -nologo -v quiet >"$WORK/build.log" 2>&1 \
  || { echo "run-local: building tools/LocalLambda failed:" >&2; tail -20 "$WORK/build.log" >&2; exit 2; }

if [ "$COMPARE" = 1 ]; then
  echo "== auditor replay $SAMPLES (for --compare-replay)"
  dotnet run --project functions/Auditor.Cli -c Release -- replay "$SAMPLES" --out "$WORK/replay" --quiet >"$WORK/replay.log" 2>&1 \
    || { [ -s "$WORK/replay/findings.jsonl" ] || { echo "run-local: auditor replay failed:" >&2; tail -20 "$WORK/replay.log" >&2; exit 2; }; }
  PASS+=(--compare "$WORK/replay/findings.jsonl")
fi

# Fake credentials only: s3rver checks signatures against its built-in S3RVER key; dynalite accepts any.
env -u AWS_PROFILE AWS_ACCESS_KEY_ID=S3RVER AWS_SECRET_ACCESS_KEY=S3RVER AWS_REGION=us-east-1 AWS_EC2_METADATA_DISABLED=true \
  dotnet tools/LocalLambda/bin/Release/net10.0/local-lambda.dll \
    --bootstrap "$BOOTSTRAP" --s3 "http://127.0.0.1:$S3_PORT" --dynamodb "http://127.0.0.1:$DDB_PORT" \
    --samples "$SAMPLES" --log "$WORK/bootstrap.log" "${PASS[@]}" &
# In the background and waited for, so a TERM/INT reaches the traps at once (bash defers traps while a foreground
# child runs); the bootstrap ends by itself when local-lambda's Runtime API goes away.
LOCAL=$!
PIDS+=("$LOCAL")
wait "$LOCAL"
