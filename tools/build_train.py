#!/usr/bin/env python3
"""Turns the hand-written data/train/authoring/*.txt lists into data/train/*.jsonl.

replies-LANG.txt: "@voice" lines start a writing voice; other lines are "CODE|reply" with CODE one of
S (supportive), B (blaming), D (disbelief), W (why_question), M (minimizing), H (hostile).
crisis-LANG.txt: "@voice" lines, then "C|text" (crisis) or "N|text" (not_crisis).
data/heldout/authoring/replies-LANG.txt (same format) becomes data/heldout/replies-heldout.jsonl, which no trainer reads.
Deterministic: files are read in a fixed order and written as they are.
"""
import json
import os

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
AUTHORING = os.path.join(REPO, "data/train/authoring")
HELDOUT_AUTHORING = os.path.join(REPO, "data/heldout/authoring")
LANGS = ["en", "es", "fr", "de", "pt"]
REPLY_CODES = {"S": "supportive", "B": "blaming", "D": "disbelief", "W": "why_question", "M": "minimizing", "H": "hostile"}
CRISIS_CODES = {"C": "crisis", "N": "not_crisis"}


def read(kind, lang, codes, field, authoring=AUTHORING):
    path = os.path.join(authoring, f"{kind}-{lang}.txt")
    if not os.path.exists(path):
        return []
    rows, voice, seen = [], None, set()
    for number, line in enumerate(open(path, encoding="utf-8"), 1):
        line = line.rstrip("\n")
        if not line.strip() or line.startswith("#"):
            continue
        if line.startswith("@"):
            voice = line[1:].strip()
            continue
        code, text = line.split("|", 1)
        text = text.strip()
        if code not in codes or not text or voice is None:
            raise SystemExit(f"{path}:{number}: bad line")
        if text in seen:
            continue
        seen.add(text)
        rows.append({field: text, "label": codes[code], "lang": lang, "voice": voice})
    return rows


def main():
    for kind, codes, field, out in [("replies", REPLY_CODES, "reply", "replies-train.jsonl"),
                                    ("crisis", CRISIS_CODES, "text", "crisis-train.jsonl")]:
        rows = [r for lang in LANGS for r in read(kind, lang, codes, field)]
        with open(os.path.join(REPO, "data/train", out), "w", encoding="utf-8") as f:
            for r in rows:
                f.write(json.dumps(r, ensure_ascii=False) + "\n")
        print(out, len(rows))
    # The held-out replies (data/heldout) are built the same way but never read by any trainer.
    rows = [r for lang in LANGS for r in read("replies", lang, REPLY_CODES, "reply", HELDOUT_AUTHORING)]
    with open(os.path.join(REPO, "data/heldout/replies-heldout.jsonl"), "w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    print("heldout/replies-heldout.jsonl", len(rows))


if __name__ == "__main__":
    main()
