#!/usr/bin/env python3
"""Writes the held-out quarter of data/dev/replies-dev.jsonl (the replies `tools/train_reply_guard.py --holdout`
leaves out) to a file, so the whole guard can be measured on it:

  python3 tools/train_reply_guard.py --holdout /tmp/rg-holdout.json
  python3 tools/dev_holdout.py /tmp/dev-holdout.jsonl
  chorus classify replies --model /tmp/rg-holdout.json --evaluate /tmp/dev-holdout.jsonl
"""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from train_reply_guard import REPO, is_held_out  # noqa: E402

rows = [json.loads(line) for line in open(os.path.join(REPO, "data/dev/replies-dev.jsonl"), encoding="utf-8") if line.strip()]
held = [r for r in rows if r.get("reply") and is_held_out(r)]
with open(sys.argv[1], "w", encoding="utf-8") as f:
    for r in held:
        f.write(json.dumps(r, ensure_ascii=False) + "\n")
print(f"{len(held)} held-out dev replies -> {sys.argv[1]}")
