#!/usr/bin/env python3
"""Turns the harness's raw timings into the markdown table of bench/results/<date>.md (ratios to zcat included)."""
import json, os, platform, subprocess, sys
from collections import OrderedDict

raw, out, dest, command = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]

def sh(cmd):
    try:
        return subprocess.run(cmd, shell=True, capture_output=True, text=True, timeout=60).stdout.strip()
    except Exception:
        return "?"

cpu = sh("lscpu | sed -n 's/^Model name:[ \\t]*//p' | head -1")
mem = sh("free -g | awk '/^Mem:/{print $2\" GB\"}'")
lines = [
    f"# Replay bench, {sh('date -u +%Y-%m-%dT%H:%MZ')}",
    "",
    f"Machine: {sh('nproc')} cores ({cpu}), {mem} RAM, {platform.system()} {platform.release()}; "
    f".NET SDK {sh('dotnet --version')}; {sh('zcat --version | head -1')}; {sh('jq --version')}; DuckDB.NET.Data.Full 1.5.6.1.",
    f"Command: `{command.strip() or 'bench/run.sh'}` (page cache warm; best of the runs; files from `Auditor.TrailGen`, seed in the trail name).",
    "",
]
rows = OrderedDict()
for line in open(raw):
    size, name, wall, rss, rc, *rest = line.rstrip("\n").split("\t")
    cpu = float(rest[0]) if rest and rest[0] else None  # older raw files have no CPU column
    rows.setdefault(size, []).append((name, float(wall), int(rss), rc, cpu))
for size, tools in rows.items():
    m = json.load(open(f"{out}/manifest-{size}.json"))
    mb = m["uncompressedBytes"] / 1e6
    lines += [f"## {size} trail: {m['files']:,} files, {m['records']:,} records ({m['kmsRecords']:,} KMS), {mb:,.0f} MB uncompressed, {m['compressedBytes']/1e6:,.0f} MB gzip", "",
              "| tool | wall s | CPU s (user+sys) | records/s | MB/s (uncompressed) | peak RSS MB | × zcat wall | exit |",
              "|---|---:|---:|---:|---:|---:|---:|---:|"]
    zcat = next((w for n, w, _, _, _ in tools if n == "zcat"), None)
    for name, wall, rss, rc, cpu in tools:
        ratio = f"{wall / zcat:.2f}" if zcat else "–"
        cpu_text = f"{cpu:.2f}" if cpu is not None else "–"
        lines.append(f"| {name} | {wall:.2f} | {cpu_text} | {m['records'] / wall:,.0f} | {mb / wall:,.0f} | {rss / 1024:,.0f} | {ratio} | {rc} |")
    lines.append("")
text = "\n".join(lines) + "\n"
with open(dest, "w") as f:
    f.write(text)
print(text)
