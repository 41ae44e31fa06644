"""Schemathesis hooks for test_openapi_fuzz.py: most generated ids name nothing (a 404), so half the time a path id,
a hashtag or a reply target is swapped for one that exists, and the fuzzer reaches the code behind the lookup.

The real ids come from CHORUS_FUZZ_IDS (JSON: {"statuses": [...], "accounts": [...], "notifications": [...],
"tags": [...]}), written by the test before it starts schemathesis (SCHEMATHESIS_HOOKS=openapi_fuzz_hooks)."""
import json
import os

import schemathesis
from hypothesis import strategies as st

IDS = json.loads(os.environ.get("CHORUS_FUZZ_IDS", "{}"))


def _kind(path):
    for prefix, kind in (("/api/v1/statuses/", "statuses"), ("/api/v1/accounts/", "accounts"), ("/api/v1/notifications/", "notifications")):
        if path.startswith(prefix):
            return kind
    return None


def _maybe(value, key, choices):
    """The generated value, or one that exists (as often as not)."""
    if not choices:
        return st.just(value)
    return st.one_of(st.just(value), st.sampled_from([{**value, key: choice} for choice in choices]))


@schemathesis.hook
def flatmap_path_parameters(ctx, path_parameters):
    if not path_parameters:
        return st.just(path_parameters)
    path = ctx.operation.path
    if "id" in path_parameters and _kind(path):
        return _maybe(path_parameters, "id", IDS.get(_kind(path), []))
    for key in ("name", "hashtag"):
        if key in path_parameters:
            return _maybe(path_parameters, key, IDS.get("tags", []))
    return st.just(path_parameters)


@schemathesis.hook
def flatmap_body(ctx, body):
    if not isinstance(body, dict):
        return st.just(body)
    path = ctx.operation.path
    if path == "/api/v1/statuses" and "in_reply_to_id" in body:
        return _maybe(body, "in_reply_to_id", IDS.get("statuses", []))
    if path == "/api/v1/notifications/dismiss" and "id" in body:
        return _maybe(body, "id", IDS.get("notifications", []))
    return st.just(body)


@schemathesis.hook
def filter_body(ctx, body):
    # A generated text is stored as it is; test_zz_no_address would then rightly find "::1" in the database.
    text = json.dumps(body, ensure_ascii=False, default=repr) if body is not None else ""
    return "::1" not in text and "127.0.0.1" not in text
