#!/usr/bin/env bash
# Replays the awkward-records corpus (make_corpus.py) with two builds of auditor.dll and checks that findings.jsonl,
# summary.json and the error lines on stderr are identical — the behaviour a performance change must not alter.
#   bench/equivalence/compare.sh OLD/auditor.dll NEW/auditor.dll
set -euo pipefail
old="$1"; new="$2"
dir=$(mktemp -d); trap 'rm -rf "$dir"' EXIT
python3 "$(dirname "$0")/make_corpus.py" "$dir/in"
for side in old new; do
  dll=$old; [ $side = new ] && dll=$new
  set +e; dotnet "$dll" replay "$dir/in" --out "$dir/out-$side" >/dev/null 2>"$dir/err-$side"; echo $? > "$dir/rc-$side"; set -e
  grep '^error' "$dir/err-$side" > "$dir/errors-$side" || true
done
ok=1
cmp -s "$dir/rc-old" "$dir/rc-new" || { echo "exit codes differ: $(cat "$dir/rc-old") vs $(cat "$dir/rc-new")"; ok=0; }
cmp -s "$dir/out-old/findings.jsonl" "$dir/out-new/findings.jsonl" || { echo "findings.jsonl differ"; ok=0; }
cmp -s "$dir/out-old/summary.json" "$dir/out-new/summary.json" || { echo "summary.json differ"; diff "$dir/out-old/summary.json" "$dir/out-new/summary.json" || true; ok=0; }
cmp -s "$dir/errors-old" "$dir/errors-new" || { echo "errors differ"; diff "$dir/errors-old" "$dir/errors-new" || true; ok=0; }
echo "$(wc -l < "$dir/errors-new") error lines, exit $(cat "$dir/rc-new")"
[ $ok = 1 ] && echo "identical" || exit 1
