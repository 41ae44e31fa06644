"""Tokens, hashed word and character n-gram features and the feature matrix, shared by both trainers and mirrored by
ReplyText.swift (tokens) and NGramFeatures.swift (Sources/ChorusCore): word unigrams ("w|"), word bigrams with a
start marker ("b|"), character 3- to 5-grams of each space-padded word ("c|"), hashed with 64-bit FNV-1a and cut to
52 bits so they survive JSON exactly."""
import json
import os
import re
import unicodedata

import numpy as np
from scipy.sparse import csr_matrix

HASH_MASK = (1 << 52) - 1


MASKED_INSULT = "insultmasked"
_MASKED_WORDS = json.load(open(os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                                     "Sources/ChorusCore/Resources/masked-words.json"), encoding="utf-8"))
PLACEHOLDERS = set(_MASKED_WORDS["placeholders"])
MASKABLE = _MASKED_WORDS["maskable"]


def _fits(pattern, word, loose):
    """Whether `word` fits the starred `pattern`: each star one letter, or (loose) each run of stars one or more."""
    if not loose:
        return len(pattern) == len(word) and all(p == "*" or p == w for p, w in zip(pattern, word))
    return re.fullmatch("".join(".+" if run.startswith("*") else re.escape(run)
                                for run in re.findall(r"\*+|[^*]+", pattern)), word, re.S) is not None


def unmasked(token, started_after_star):
    """A token with stars read as the word it masks (mirror of ReplyText.unmasked)."""
    if "*" not in token:
        return token
    stem = token.rstrip("*")
    if "*" not in stem and (started_after_star or len(token) - len(stem) == 1):
        return stem
    for loose in (False, True):
        for word in MASKABLE:
            if _fits(token, word, loose):
                return word
    return MASKED_INSULT


def tokens(text):
    """Lower case, accents and apostrophes dropped, "?" kept as a token, masked insults read (mirror of ReplyText.swift)."""
    s = unicodedata.normalize("NFD", text.lower().replace("ß", "ss"))
    out, current, started_after_star, previous, bracket_opened_at = [], "", False, " ", None

    def flush():
        nonlocal current
        if current:
            out.append(unmasked(current, started_after_star))
            current = ""

    for c in s:
        cat = unicodedata.category(c)
        if c in "'\u2019\u2018`\u00b4":
            pass
        elif c == "?":
            flush()
            out.append("?")
        elif c == "*" and current and current[-1] not in "0123456789":
            current += c
        elif c == "[":
            flush()
            bracket_opened_at = len(out)
        elif c == "]":
            flush()
            if bracket_opened_at == len(out) - 1 and out[-1] in PLACEHOLDERS:
                out[-1] = MASKED_INSULT
            bracket_opened_at = None
        elif cat == "Mn":
            pass
        elif cat.startswith("L") or c in "0123456789":
            if not current:
                started_after_star = previous == "*"
            current += c
        else:
            flush()
        previous = c
    flush()
    return out


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
