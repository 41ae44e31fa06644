"""Tokens, hashed word and character n-gram features and the feature matrix, shared by both trainers and mirrored by
ReplyText.swift (tokens) and NGramFeatures.swift (Sources/ChorusCore): word unigrams ("w|"), word bigrams with a
start marker ("b|"), character 3- to 5-grams of each space-padded word ("c|"), hashed with 64-bit FNV-1a and cut to
52 bits so they survive JSON exactly."""
import unicodedata

import numpy as np
from scipy.sparse import csr_matrix

HASH_MASK = (1 << 52) - 1


def tokens(text):
    """Lower case, accents and apostrophes dropped, "?" kept as a token (mirror of ReplyText.swift)."""
    s = unicodedata.normalize("NFD", text.lower().replace("ß", "ss"))
    out = []
    for c in s:
        cat = unicodedata.category(c)
        if cat == "Mn" or c in "'\u2019\u2018`\u00b4":
            continue
        if c == "?":
            out.append(" ? ")
        elif cat.startswith("L") or c in "0123456789":
            out.append(c)
        else:
            out.append(" ")
    return "".join(out).split()


def matrix(hash_sets, index):
    """One row per hash set, its known features weighted 1/sqrt(count), as the Swift models score."""
    indptr, indices, data = [0], [], []
    for hs in hash_sets:
        cols = sorted(index[h] for h in hs if h in index)
        value = 1.0 / np.sqrt(len(cols)) if cols else 0.0
        indices += cols
        data += [value] * len(cols)
        indptr.append(len(indices))
    return csr_matrix((np.array(data, dtype=np.float64), np.array(indices, dtype=np.int64), np.array(indptr)),
                      shape=(len(hash_sets), len(index)))


def typo(text, rng, slips):
    """A copy of `text` with `slips` tries at a keyboard slip (a dropped, doubled or swapped letter)."""
    chars = list(text)
    for _ in range(slips):
        if len(chars) < 4:
            break
        i = rng.randrange(1, len(chars) - 1)
        if not chars[i].isalpha():
            continue
        kind = rng.randrange(3)
        if kind == 0:
            del chars[i]
        elif kind == 1:
            chars.insert(i, chars[i])
        else:
            chars[i], chars[i + 1] = chars[i + 1], chars[i]
    return "".join(chars)


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
