#!/usr/bin/env bash
# CPU-time comparison of replay builds on one trail, interleaved, for a shared (noisy) machine: wall time swings
# with the neighbours' load, user+sys CPU seconds much less. Usage:
#   bench/cpu.sh TRAIL_DIR RUNS NAME=path/to/auditor.dll [NAME=path/to/auditor.dll ...]
# Prints per run: name, wall s, user s, sys s, user+sys s, peak RSS MB; then the median of each.
set -euo pipefail
trail="$1"; runs="$2"; shift 2
out=$(mktemp -d); trap 'rm -rf "$out"' EXIT
for i in $(seq "$runs"); do
  for spec in "$@"; do
    name="${spec%%=*}"; dll="${spec#*=}"
    rm -rf "$out/r"
    /usr/bin/time -f "%e %U %S %M" -o "$out/t" dotnet "$dll" replay "$trail" --out "$out/r" --quiet >/dev/null 2>"$out/err" || true
    read -r wall user sys kb < <(tail -1 "$out/t")
    printf '%s\t%s\t%s\t%s\t%.2f\t%d\n' "$name" "$wall" "$user" "$sys" "$(echo "$user + $sys" | bc)" "$((kb / 1024))" | tee -a "$out/all"
    cp "$out/r/findings.jsonl" "$out/findings-$name.jsonl" 2>/dev/null || true
  done
done
python3 - "$out/all" <<'PY'
import sys, statistics
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1])]
for name in dict.fromkeys(r[0] for r in rows):
    rs = [r for r in rows if r[0] == name]
    med = lambda i: statistics.median(float(r[i]) for r in rs)
    print(f"median {name}: {med(1):.2f} s wall, {med(4):.2f} s cpu (user+sys), {med(5):.0f} MB peak RSS, {len(rs)} runs")
PY
first="${1%%=*}"
for spec in "$@"; do name="${spec%%=*}"; cmp -s "$out/findings-$first.jsonl" "$out/findings-$name.jsonl" && echo "findings $name == $first" || echo "FINDINGS DIFFER: $name vs $first"; done
