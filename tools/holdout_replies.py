#!/usr/bin/env python3
"""Honest estimate for the reply guard: the writing voices of data/train/replies-train.jsonl are dealt into folds
(as tools/train_reply_guard.py does); for each fold, trains the model without those voices
(--holdout-voice, the given --threshold) and runs the whole guard (phrasebook + that model) on the fold's replies
with the scratch package's guard-eval. Prints per-label precision/recall, harmful recall and supportive FPR.

Usage: python3 tools/holdout_replies.py --threshold T [--phrase-threshold P] [--retrain]

Runs inside a scratch package (e.g. /work/scratch-guard) holding a copy of ChorusCore and its `guard-eval` tool, built with
`swift build -c release`; the tool takes --model PATH and selects writing voices.
"""
import argparse, collections, json, subprocess, sys

LABELS = ["supportive", "blaming", "disbelief", "why_question", "minimizing", "hostile"]
parser = argparse.ArgumentParser()
parser.add_argument("--threshold", type=float, required=True)
parser.add_argument("--phrase-threshold", type=float, default=0.0)
parser.add_argument("--folds", type=int, default=5)
parser.add_argument("--retrain", action="store_true")
parser.add_argument("--errors", action="store_true")
args = parser.parse_args()
voices = sorted({json.loads(l)["voice"] for l in open("data/train/replies-train.jsonl")})
folds = [[v for k, v in enumerate(voices) if k % args.folds == f] for f in range(args.folds)]
pairs, by_voice = [], collections.defaultdict(list)
voice_of = {}
for l in open("data/train/replies-train.jsonl"):
    r = json.loads(l); voice_of[r["reply"]] = r["voice"]
for f, vs in enumerate(folds):
    path = f"/tmp/rg-ho-{f}.json"
    if args.retrain:
        subprocess.run([sys.executable, "tools/train_reply_guard.py", "--holdout-voice", ",".join(vs), "--threshold",
                        str(args.threshold), "--out", path], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    m = json.load(open(path)); m["threshold"] = args.threshold; m["phrase_threshold"] = args.phrase_threshold
    json.dump(m, open(path, "w"))
    out = subprocess.run([".build/release/guard-eval", "data/train/replies-train.jsonl", "--voices", ",".join(vs),
                          "--model", path, "--dump"], capture_output=True, text=True, check=True).stdout
    for line in out.splitlines():
        if line.startswith("DUMP\t"):
            _, e, p, text = line.split("\t", 3)
            pairs.append((e, p)); by_voice[voice_of.get(text, "?")].append((e, p))
            if args.errors and (e == "supportive") != (p == "supportive"):
                print(f"[{voice_of.get(text)}] {e} -> {p}: {text}", file=sys.stderr)
for lab in LABELS:
    tp = sum(1 for e, p in pairs if e == lab and p == lab)
    npred = sum(1 for e, p in pairs if p == lab); nexp = sum(1 for e, p in pairs if e == lab)
    print(f"{lab:13s} n={nexp:4d} precision {tp / max(1, npred):.3f} recall {tp / max(1, nexp):.3f}")
def headline(ps):
    harm = [p for e, p in ps if e != "supportive"]; sup = [p for e, p in ps if e == "supportive"]
    return (sum(p != "supportive" for p in harm) / max(1, len(harm)), sum(p != "supportive" for p in sup) / max(1, len(sup)))
r, f = headline(pairs)
print(f"harmful recall {r:.3f}  supportive FPR {f:.3f}  (n={len(pairs)})")
for v in sorted(by_voice):
    r, f = headline(by_voice[v]); print(f"  voice {v:10s} harmful recall {r:.3f}  supportive FPR {f:.3f}")
