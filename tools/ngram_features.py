"""Hashed word and character n-gram features, shared by both trainers and mirrored by NGramFeatures.swift
(Sources/ChorusCore/Text): word unigrams ("w|"), word bigrams with a start marker ("b|"), character 3- to 5-grams of
each space-padded word ("c|"), hashed with 64-bit FNV-1a and cut to 52 bits so they survive JSON exactly."""

HASH_MASK = (1 << 52) - 1


def features(toks, scheme=1):
    """scheme 1: word uni/bigrams, character n-grams inside words. scheme 2 (the reply guard): word uni/bi/trigrams
    ("t|") and character 3- to 5-grams across word boundaries, over " " + " ".join(toks) + " "."""
    if scheme == 2:
        return phrase_features(toks)
    feats = set()
    for i, t in enumerate(toks):
        feats.add("w|" + t)
        feats.add("b|" + (toks[i - 1] if i > 0 else "^") + " " + t)
        if t == "?":
            continue
        padded = " " + t + " "
        for n in (3, 4, 5):
            for j in range(len(padded) - n + 1):
                feats.add("c|" + padded[j:j + n])
    return feats


def fnv1a(feature):
    h = 0xcbf29ce484222325
    for byte in feature.encode("utf-8"):
        h ^= byte
        h = (h * 0x100000001b3) & 0xFFFFFFFFFFFFFFFF
    return h & HASH_MASK


def phrase_features(toks):
    feats = set()
    for i, t in enumerate(toks):
        a = toks[i - 2] if i > 1 else "^"
        b = toks[i - 1] if i > 0 else "^"
        feats.add("w|" + t)
        feats.add("b|" + b + " " + t)
        feats.add("t|" + a + " " + b + " " + t)
    s = " " + " ".join(toks) + " "
    for n in (3, 4, 5):
        for j in range(len(s) - n + 1):
            feats.add("c|" + s[j:j + n])
    return feats
