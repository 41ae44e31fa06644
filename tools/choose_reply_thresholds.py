#!/usr/bin/env python3
"""Chooses the reply guard's two thresholds on out-of-fold data, for the whole guard (phrasebook + model).

1. Out-of-fold harm scores: every reply of data/train (grouped by writing voice) and data/dev (in quarters) is scored
   by a model trained without its whole group (5 folds, as tools/train_reply_guard.py --choose does).
2. Phrasebook hits: the Swift phrasebook does not depend on the model, so one run of `chorus classify replies` with
   a model whose threshold can never be reached and whose phrase threshold is 0 says which replies have a harmful
   phrase.
3. The guard holds a reply when harm >= T, or when it has a phrase hit and harm >= P. Prints, for a grid of (T, P),
   harmful recall and supportive FPR over all out-of-fold replies, and the pair with the highest recall whose FPR
   stays under --max-fpr (ties: the higher T).

data/heldout is never read. Usage:
  swift build --product chorus
  python3 tools/choose_reply_thresholds.py [--max-fpr 0.05] [--chorus .build/debug/chorus] [--scores CACHE.json]
"""
import argparse
import json
import os
import random
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import train_reply_guard as T  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--max-fpr", type=float, default=0.05)
    parser.add_argument("--chorus", default=os.path.join(T.REPO, ".build/debug/chorus"))
    parser.add_argument("--scores", help="cache of the out-of-fold scores (reused when it exists)")
    parser.add_argument("--c", type=float, default=8.0)
    parser.add_argument("--no-augment", action="store_true")
    args = parser.parse_args()
    T.AUGMENT = not args.no_augment
    rows = T.load_dev() + T.load_train()
    if args.scores and os.path.exists(args.scores):
        scores = json.load(open(args.scores))
    else:
        corpus = T.load_corpora(random.Random(T.SEED))
        scores = [s[0] for s in T.out_of_fold(lambda rs: T.fit(T.build_examples(rs, corpus), args.c), rows)]
        if args.scores:
            json.dump(scores, open(args.scores, "w"))
    # Phrase hits from the Swift phrasebook: any model will do, with thresholds set so only phrases can hold.
    probe = "/tmp/reply-guard-phrase-probe.json"
    model = json.load(open(os.path.join(T.REPO, "Sources/ChorusCore/Resources/reply-guard-model.json")))
    model["threshold"], model["phrase_threshold"] = 2.0, 0.0
    json.dump(model, open(probe, "w"))
    lines = "".join(json.dumps({"reply": r["reply"]}, ensure_ascii=False) + "\n" for r in rows)
    out = subprocess.run([args.chorus, "classify", "replies", "--model", probe], input=lines, capture_output=True,
                         text=True, check=True).stdout.splitlines()
    hits = [json.loads(line)["label"] != "supportive" for line in out]
    assert len(hits) == len(rows)
    harmful = [i for i, r in enumerate(rows) if r["label"] != "supportive"]
    supportive = [i for i, r in enumerate(rows) if r["label"] == "supportive"]

    def rates(t, p):
        held = [s >= t or (h and s >= p) for s, h in zip(scores, hits)]
        return sum(held[i] for i in harmful) / len(harmful), sum(held[i] for i in supportive) / len(supportive)

    print(f"{len(rows)} replies ({len(harmful)} harmful, {len(supportive)} supportive); phrase hits: "
          f"{sum(hits[i] for i in harmful)} harmful, {sum(hits[i] for i in supportive)} supportive")
    best = None
    for t in [x / 100 for x in range(40, 96, 2)]:
        for p in [x / 100 for x in range(0, 96, 5)] + [t]:
            if p > t:
                continue
            recall, fpr = rates(t, p)
            if fpr <= args.max_fpr and (best is None or (recall, t) > (best[2], best[0])):
                best = (t, p, recall, fpr)
    for t in [x / 100 for x in range(50, 96, 5)]:
        print(f"  T {t:.2f}: " + "  ".join(f"P {p:.2f} {rates(t, p)[0]:.3f}/{rates(t, p)[1]:.3f}" for p in (0.3, 0.5, 0.7, t)))
    print(f"best under FPR {args.max_fpr}: threshold {best[0]:.2f}, phrase threshold {best[1]:.2f}, "
          f"harmful recall {best[2]:.3f}, supportive FPR {best[3]:.3f}")
    for g in sorted({r["group"] for r in rows}):
        idx = [i for i, r in enumerate(rows) if r["group"] == g]
        held = {i: scores[i] >= best[0] or (hits[i] and scores[i] >= best[1]) for i in idx}
        h = [i for i in idx if rows[i]["label"] != "supportive"]
        s = [i for i in idx if rows[i]["label"] == "supportive"]
        print(f"  {g:12s} n={len(idx):4d} recall {sum(held[i] for i in h) / max(1, len(h)):.3f}"
              f" fpr {sum(held[i] for i in s) / max(1, len(s)):.3f}")


if __name__ == "__main__":
    main()
