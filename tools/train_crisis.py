#!/usr/bin/env python3
"""Trains the linear n-gram half of Chorus's crisis detector and writes it as a small JSON resource.

Reproducible: fixed seed, deterministic folds and a deterministic solver (lbfgs).

Inputs
  data/dev/crisis-dev.jsonl      the cue lists' development set (hand-written, five languages)
  data/train/crisis-train.jsonl  more hand-written texts in several writing voices (plain, teen, formal, indirect,
                                 emoji, typo, long, short), built from data/train/authoring by tools/build_train.py

Output
  Sources/ChorusCore/Resources/crisis-model.json  (hashed-feature weights, bias, threshold)

Usage
  python3 tools/train_crisis.py                                  # train on everything, write the resource
  python3 tools/train_crisis.py --holdout-voice indirect --out OUT.json
                                                                 # leave one writing voice out (honest estimate)

The shipped threshold (0.35) was chosen with tools/holdout_crisis.py, which measures the whole detector (cue lists +
model) on each writing voice with a model trained without that voice: after the "everyday" negatives were added it is
the highest of 0.25/0.30/0.35/0.40/0.45 whose held-out recall (0.922) is not below what 0.45 gave before them (0.909). --rule-floor F makes a cue hit also need
probability F (the model then overrules cues on idioms and advice to others: 0.25 removed about one false alarm in
eight at no recall cost), but it runs the model on every text, too slow for the debug-build timing test; off (0) by
default. --choose instead picks the
threshold on out-of-fold probabilities of the model alone (folds grouped by writing voice, dev split in four), as the
lowest whose crisis precision stays at --min-precision.

The feature extraction below is mirrored exactly by CrisisModel.swift (CrisisFeatures); change both together.
"""
import argparse
import json
import os
import random
import sys
import zlib

import numpy as np
from sklearn.linear_model import LogisticRegression

from ngram_features import features, fnv1a, matrix, tokens, typo

SEED = 20171015
REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


# ---- features (tokens and n-grams in ngram_features.py, mirrored by ReplyText and NGramFeatures in Swift) ----
def hashed(text):
    return {fnv1a(f) for f in features(tokens(text))}


# ---- data -------------------------------------------------------------------------------------
def load(path, group_of):
    full = os.path.join(REPO, path)
    if not os.path.exists(full):
        return []
    rows = [json.loads(line) for line in open(full, encoding="utf-8") if line.strip()]
    for r in rows:
        r["group"] = group_of(r)
    return rows


def load_all():
    dev = load("data/dev/crisis-dev.jsonl", lambda r: "dev%d" % (zlib.crc32(r["text"].encode("utf-8")) % 4))
    train = load("data/train/crisis-train.jsonl", lambda r: r["voice"])
    return dev, train


# ---- model ------------------------------------------------------------------------------------
def fit(rows, c_value):
    rng = random.Random(SEED)
    examples = []
    for r in rows:
        y = 1 if r["label"] == "crisis" else 0
        examples.append((hashed(r["text"]), y, 1.0))
        examples.append((hashed(typo(r["text"], rng, max(1, len(r["text"]) // 14))), y, 0.3))
    counts = {}
    for hs, _, _ in examples:
        for h in hs:
            counts[h] = counts.get(h, 0) + 1
    vocab = sorted(h for h, n in counts.items() if n >= 2)
    index = {h: i for i, h in enumerate(vocab)}
    x = matrix([e[0] for e in examples], index)
    y = np.array([e[1] for e in examples])
    w = np.array([e[2] for e in examples])
    for k in (0, 1):  # balance the two labels
        w[y == k] *= w.sum() / 2 / w[y == k].sum()
    model = LogisticRegression(C=c_value, max_iter=3000, solver="lbfgs", random_state=SEED)
    model.fit(x, y, sample_weight=w)
    return model, index


def probabilities(model, index, rows):
    return model.predict_proba(matrix([hashed(r["text"]) for r in rows], index))[:, 1]


def out_of_fold(rows, c_value):
    scores = np.zeros(len(rows))
    for g in sorted({r["group"] for r in rows}):
        test = [i for i, r in enumerate(rows) if r["group"] == g]
        train = [r for r in rows if r["group"] != g]
        model, index = fit(train, c_value)
        scores[test] = probabilities(model, index, [rows[i] for i in test])
    return scores


def precision_recall(scores, rows, threshold, keep=lambda r: True):
    tp = sum(1 for s, r in zip(scores, rows) if keep(r) and s >= threshold and r["label"] == "crisis")
    fp = sum(1 for s, r in zip(scores, rows) if keep(r) and s >= threshold and r["label"] != "crisis")
    fn = sum(1 for s, r in zip(scores, rows) if keep(r) and s < threshold and r["label"] == "crisis")
    return tp / max(1, tp + fp), tp / max(1, tp + fn)


def choose_threshold(scores, rows, min_precision):
    best = 0.9
    for t in np.arange(0.9, 0.2, -0.01):
        p, _ = precision_recall(scores, rows, t)
        if p >= min_precision:
            best = t
    return float(round(best, 2))


def export(model, index, threshold, rule_floor, path, sources):
    vocab = sorted(index, key=index.get)
    coef = model.coef_[0]
    keep = [i for i in range(len(vocab)) if abs(coef[i]) >= 0.02]
    payload = {
        "format": 1,
        "threshold": threshold,
        "rule_floor": rule_floor,
        "bias": round(float(model.intercept_[0]), 4),
        "hashes": [vocab[i] for i in keep],
        "weights": [round(float(coef[i]), 3) for i in keep],
        "sources": sources,
    }
    with open(path, "w", encoding="utf-8") as f:
        json.dump(payload, f, separators=(",", ":"))
    print(f"wrote {path}: {len(keep)} features, {os.path.getsize(path) / 1e6:.2f} MB, threshold {threshold:.2f}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--holdout-voice", help="comma-separated writing voices of data/train to leave out")
    parser.add_argument("--out", help="where to write the model (default: the bundled resource)")
    parser.add_argument("--min-precision", type=float, default=0.85)
    parser.add_argument("--threshold", type=float, default=0.35)
    parser.add_argument("--rule-floor", type=float, default=0.0)
    parser.add_argument("--choose", action="store_true", help="choose the threshold out of fold (model alone)")
    parser.add_argument("--c", type=float, default=8.0)
    args = parser.parse_args()
    random.seed(SEED)
    np.random.seed(SEED)
    dev, train = load_all()
    if args.holdout_voice:
        left_out = set(args.holdout_voice.split(","))
        train = [r for r in train if r["voice"] not in left_out]
    rows = dev + train
    print(f"rows {len(rows)} (dev {len(dev)}, train {len(train)})", file=sys.stderr)
    threshold = args.threshold
    if args.choose:
        scores = out_of_fold(rows, args.c)
        threshold = choose_threshold(scores, rows, args.min_precision)
        p, r = precision_recall(scores, rows, threshold)
        print(f"out-of-fold (model only): threshold {threshold:.2f}, precision {p:.3f}, recall {r:.3f}")
        for key, keep in [("lang", lambda row: row["lang"]), ("group", lambda row: row["group"])]:
            for value in sorted({keep(row) for row in rows}):
                p, r = precision_recall(scores, rows, threshold, lambda row: keep(row) == value)
                print(f"  {key} {value:9s} precision {p:.3f} recall {r:.3f}", file=sys.stderr)
    model, index = fit(rows, args.c)
    sources = ["data/dev/crisis-dev.jsonl (Chorus, hand-written)", "data/train/crisis-train.jsonl (Chorus, hand-written)"]
    path = args.out or os.path.join(REPO, "Sources/ChorusCore/Resources/crisis-model.json")
    export(model, index, threshold, args.rule_floor, path, sources)


if __name__ == "__main__":
    main()
