#!/usr/bin/env python3
"""Honest estimate for the crisis detector: for each writing voice of data/train/crisis-train.jsonl, trains the model
without that voice (tools/train_crisis.py --holdout-voice) and runs the whole detector (cue lists + that model) on the
voice's texts. Sums the confusion counts per language.

Usage: swift build --product chorus
       python3 tools/holdout_crisis.py --retrain [--threshold T] [--chorus .build/debug/chorus]

Each voice's texts are judged by `chorus classify crisis --model PATH --evaluate FILE`.
"""
import argparse, collections, json, os, re, subprocess, sys, tempfile

parser = argparse.ArgumentParser()
parser.add_argument("--threshold", default="0.35")
parser.add_argument("--rule-floor", default="0")
parser.add_argument("--c", default="8.0")
parser.add_argument("--retrain", action="store_true")
parser.add_argument("--chorus", default=".build/debug/chorus")
args = parser.parse_args()
# Each voice's lines, read once.
lines_by_voice = collections.defaultdict(list)
for line in open("data/train/crisis-train.jsonl", encoding="utf-8"):
    lines_by_voice[json.loads(line)["voice"]].append(line)
voices = sorted(lines_by_voice)
totals = collections.defaultdict(lambda: [0, 0, 0, 0])
for v in voices:
    path = f"/tmp/crisis-ho-{v}.json"
    if args.retrain:
        subprocess.run([sys.executable, "tools/train_crisis.py", "--holdout-voice", v, "--threshold", args.threshold,
                        "--c", args.c, "--out", path], check=True, stdout=subprocess.DEVNULL)
    # without --retrain, reuses the weights trained before and only changes the threshold and rule floor
    m = json.load(open(path)); m["threshold"] = float(args.threshold); m["rule_floor"] = float(args.rule_floor)
    json.dump(m, open(path, "w"))
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False, encoding="utf-8") as voice_file:
        voice_file.writelines(lines_by_voice[v])
    out = subprocess.run([args.chorus, "classify", "crisis", "--model", path, "--evaluate", voice_file.name],
                         capture_output=True, text=True, check=True).stdout
    os.unlink(voice_file.name)
    for line in out.splitlines():
        m = re.match(r"(\w+)\s+precision .* TP (\d+)\s+FP (\d+)\s+FN (\d+)\s+TN (\d+)", line)
        if m:
            key = m.group(1)
            for i in range(4):
                totals[key][i] += int(m.group(i + 2))
            if key == "all":
                totals["voice:" + v] = [int(m.group(i + 2)) for i in range(4)]
for key in sorted(totals, key=lambda k: (k.startswith("voice"), k)):
    tp, fp, fn, tn = totals[key]
    print(f"{key:16s} precision {tp / max(1, tp + fp):.3f} recall {tp / max(1, tp + fn):.3f}  TP {tp} FP {fp} FN {fn} TN {tn}")
