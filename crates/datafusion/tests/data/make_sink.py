#!/usr/bin/env python3
"""Lays out the test export `sink/` as a Cloud Storage sink writes it.

Input: log-gardener's synthetic sample export (examples/data/sample-export.json,
service netra-backend-staging, a gcloud JSON array, newest first) and a small
corpus of a second service made by
`cargo run --example gen_corpus -- --bytes 120000 --seed 3` (orders-api).

Output: one NDJSON file per log and hour, oldest entry first, at
`sink/<log-id>/YYYY/MM/DD/HH:00:00_HH:59:59_S0.json`. To cover what the
readers must handle, the files of the stdout log are gzip-compressed
(`.json.gz`) and one line of the requests log of 23:00 is cut short.

Run from this directory: python3 make_sink.py ../../../../examples/data/sample-export.json corpus.ndjson
"""
import collections
import gzip
import json
import os
import shutil
import sys
import urllib.parse

sample_path, corpus_path = sys.argv[1], sys.argv[2]
entries = list(reversed(json.load(open(sample_path))))  # oldest first
entries += [json.loads(line) for line in open(corpus_path) if line.strip()]

files = collections.defaultdict(list)
for entry in entries:
    log_id = urllib.parse.unquote(entry["logName"].split("/logs/", 1)[1])
    day, hour = entry["timestamp"][:10], entry["timestamp"][11:13]
    files[(log_id, day, hour)].append(entry)

shutil.rmtree("sink", ignore_errors=True)
for (log_id, day, hour), items in sorted(files.items()):
    items.sort(key=lambda e: e["timestamp"])  # stable: a trace's lines keep their order
    folder = os.path.join("sink", log_id, *day.split("-"))
    os.makedirs(folder, exist_ok=True)
    name = os.path.join(folder, f"{hour}:00:00_{hour}:59:59_S0.json")
    lines = [json.dumps(e, separators=(",", ":"), ensure_ascii=False) for e in items]
    if log_id == "run.googleapis.com/requests" and hour == "23":
        lines[len(lines) // 2] = lines[len(lines) // 2][:80]  # a line cut short
    data = ("\n".join(lines) + "\n").encode()
    if log_id == "run.googleapis.com/stdout":
        with gzip.GzipFile(name + ".gz", "wb", mtime=0) as out:
            out.write(data)
    else:
        with open(name, "wb") as out:
            out.write(data)
