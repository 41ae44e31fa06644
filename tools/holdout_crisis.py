#!/usr/bin/env python3
"""Honest estimate for the crisis detector: for each writing voice of data/train/crisis-train.jsonl, trains the model
without that voice (tools/train_crisis.py --holdout-voice) and runs the whole detector (cue lists + that model) on the
voice's texts with the scratch package's crisis-eval. Sums the confusion counts per language.

Usage: python3 tools/holdout_crisis.py --retrain [--threshold T]

Runs inside a scratch package (e.g. /work/scratch-help) holding a copy of ChorusCore and its `crisis-eval` tool, built with
`swift build -c release`; the tool takes --model PATH and selects writing voices.
"""
import argparse, collections, json, re, subprocess, sys

parser = argparse.ArgumentParser()
parser.add_argument("--threshold", default="0.45")
parser.add_argument("--rule-floor", default="0")
parser.add_argument("--c", default="8.0")
parser.add_argument("--retrain", action="store_true")
args = parser.parse_args()
voices = sorted({json.loads(l)["voice"] for l in open("data/train/crisis-train.jsonl")})
totals = collections.defaultdict(lambda: [0, 0, 0, 0])
for v in voices:
    path = f"/tmp/crisis-ho-{v}.json"
    if args.retrain:
        subprocess.run([sys.executable, "tools/train_crisis.py", "--holdout-voice", v, "--threshold", args.threshold,
                        "--c", args.c, "--out", path], check=True, stdout=subprocess.DEVNULL)
    # without --retrain, reuses the weights trained before and only changes the threshold and rule floor
    m = json.load(open(path)); m["threshold"] = float(args.threshold); m["rule_floor"] = float(args.rule_floor)
    json.dump(m, open(path, "w"))
    out = subprocess.run([".build/release/crisis-eval", "data/train/crisis-train.jsonl", v, "--model", path, "--mistakes"],
                         capture_output=True, text=True, check=True).stdout
    for line in out.splitlines():
        m = re.match(r"(\w+)\s+precision .* TP (\d+)\s+FP (\d+)\s+FN (\d+)\s+TN (\d+)", line)
        if m:
            key = m.group(1)
            for i in range(4):
                totals[key][i] += int(m.group(i + 2))
            if key == "all":
                totals["voice:" + v] = [int(m.group(i + 2)) for i in range(4)]
        elif line.startswith("  expected"):
            print(f"[{v}] {line.strip()}", file=sys.stderr)
for key in sorted(totals, key=lambda k: (k.startswith("voice"), k)):
    tp, fp, fn, tn = totals[key]
    print(f"{key:16s} precision {tp / max(1, tp + fp):.3f} recall {tp / max(1, tp + fn):.3f}  TP {tp} FP {fp} FN {fn} TN {tn}")
