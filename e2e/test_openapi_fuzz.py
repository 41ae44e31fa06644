"""The API against its OpenAPI document (docs/openapi.yaml, served at /api/openapi.yaml): schemathesis generates
requests for every operation (valid and invalid ones) with a real bearer token, and checks that nothing answers with
a 5xx and that every status code, content type and JSON body is one the document describes.

Bounded to a few minutes per engine: CHORUS_FUZZ_MAX_EXAMPLES (25) and CHORUS_FUZZ_SIGNED_OUT_MAX_EXAMPLES (10) cases per
operation, plus schemathesis's coverage phase (boundary values: int64 extremes, null characters, wrong types). Each
run prints how many cases it ran; CHORUS_FUZZ_ARGS adds schemathesis options (e.g. --seed, --report har)."""
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import requests
import yaml

from conftest import WebPerson

E2E = Path(__file__).resolve().parent
SCHEMATHESIS = Path(sys.executable).parent / "schemathesis"
CHECKS = "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance"
# The Server-Sent Events streams never end (a heartbeat every 15 s), so a generated request to them would only time
# out; they are checked by the streaming tests (Swift MastodonStreamingTests, and Mastodon.py here) instead.
STREAMS = r"^/api/v1/streaming/(public|hashtag|user)"
MAX_EXAMPLES = os.environ.get("CHORUS_FUZZ_MAX_EXAMPLES", "25")
SIGNED_OUT_MAX_EXAMPLES = os.environ.get("CHORUS_FUZZ_SIGNED_OUT_MAX_EXAMPLES", "10")
EXTRA = os.environ.get("CHORUS_FUZZ_ARGS", "").split()


def api_person(base_url, app):
    """Someone who joined on the web, with a token for every scope (the password grant)."""
    person = WebPerson(base_url)
    person.sign_up()
    token = requests.post(
        base_url + "/oauth/token",
        data={
            "grant_type": "password", "username": person.handle, "password": person.password, "client_id": app["client_id"],
            "client_secret": app["client_secret"], "scope": "read write follow push",
        },
    ).json()["access_token"]
    http = requests.Session()
    http.headers["Authorization"] = f"Bearer {token}"
    return person, token, http


def seeded(base_url):
    """A fuzzer and a friend with voices, a reply, a belief and a follow between them, so generated requests can name
    statuses, accounts and notifications that exist (see openapi_fuzz_hooks.py)."""
    app = requests.post(
        base_url + "/api/v1/apps", data={"client_name": "fuzz", "scopes": "read write follow push", "redirect_uris": "urn:ietf:wg:oauth:2.0:oob"}
    ).json()
    fuzzer, token, api = api_person(base_url, app)
    _, _, friend = api_person(base_url, app)

    def post(http, path, **data):
        response = http.post(base_url + path, data=data)
        assert response.status_code == 200, response.text
        return response.json()

    mine = post(api, "/api/v1/statuses", status="#MeToo It took me years to say it.", spoiler_text="sexual assault")
    anonymous = post(api, "/api/v1/statuses", status="#MeToo anonymously", chorus_anonymous="true")
    theirs = post(friend, "/api/v1/statuses", status="#IWill believe survivors")
    only_them = post(friend, "/api/v1/statuses", status="only for me", visibility="direct")
    reply = post(friend, "/api/v1/statuses", status="I believe you.", in_reply_to_id=mine["id"])
    post(friend, f"/api/v1/statuses/{mine['id']}/favourite")
    me = api.get(base_url + "/api/v1/accounts/verify_credentials").json()
    post(friend, f"/api/v1/accounts/{me['id']}/follow")
    notifications = api.get(base_url + "/api/v1/notifications").json()
    assert len(notifications) == 3
    ids = {
        "statuses": [mine["id"], anonymous["id"], theirs["id"], only_them["id"], reply["id"]],
        "accounts": [me["id"], theirs["account"]["id"], "0"],
        "notifications": [notification["id"] for notification in notifications],
        "tags": ["metoo", "iwill", "%23metoo"],
    }
    return fuzzer, token, ids


def public_operations():
    """The operationIds of the document's operations that may be called without a token (their security allows {})."""
    document = yaml.safe_load((E2E.parent / "docs" / "openapi.yaml").read_text())
    return [
        operation["operationId"] for item in document["paths"].values() for operation in item.values()
        if {} in operation.get("security", document["security"])
    ]


def fuzz(base_url, ids, token=None, max_examples=MAX_EXAMPLES, only=None):
    """Runs schemathesis against the live server; returns its exit code, its output and the number of cases it ran."""
    env = dict(os.environ, SCHEMATHESIS_HOOKS="openapi_fuzz_hooks", CHORUS_FUZZ_IDS=json.dumps(ids), NO_COLOR="1", COLUMNS="120")
    env["PYTHONPATH"] = str(E2E) + os.pathsep + env.get("PYTHONPATH", "")
    command = [
        str(SCHEMATHESIS), "run", base_url + "/api/openapi.yaml", "--url", base_url, "--checks", CHECKS,
        "--max-examples", str(max_examples), "--exclude-path-regex", STREAMS, "--phases", "examples,coverage,fuzzing",
        "--request-timeout", "20", "--workers", "1", "--no-color", *EXTRA,
    ]
    if token:
        command += ["--header", f"Authorization: Bearer {token}"]
    if only:
        command += ["--include-operation-id-regex", "^(" + "|".join(only) + ")$"]
    run = subprocess.run(command, env=env, cwd=os.environ.get("CHORUS_E2E_LOGS", "/tmp"), capture_output=True, text=True, timeout=900)
    output = run.stdout + run.stderr
    cases = re.search(r"(\d+) generated", output)
    engine = os.environ.get("CHORUS_E2E_ENGINE", "?")
    who = "with a token" if token else "signed out"
    print(f"\nschemathesis ({engine}, {who}): {cases.group(1) if cases else '?'} fuzz cases run\n")
    return run.returncode, output, int(cases.group(1)) if cases else 0


def test_the_api_answers_as_its_openapi_document_says(base_url):
    # setup
    _, token, ids = seeded(base_url)
    served = requests.get(base_url + "/api/openapi.yaml")
    assert served.status_code == 200
    assert served.headers["Content-Type"].startswith("application/yaml")
    assert served.text == (E2E.parent / "docs" / "openapi.yaml").read_text()

    # act
    status, output, cases = fuzz(base_url, ids, token=token)

    # check
    assert status == 0, output[-20000:]
    assert cases >= 1000, output[-5000:]
    # the fuzzer's token still works: nothing in the run signed it out
    assert requests.get(base_url + "/api/v1/accounts/verify_credentials", headers={"Authorization": f"Bearer {token}"}).status_code == 200


def test_the_api_answers_as_its_openapi_document_says_to_someone_signed_out(base_url):
    # setup: the public endpoints take another path without a token (no viewer); the others only answer 401 (the
    # Swift OpenAPIDocumentTests and the run above cover them)
    _, _, ids = seeded(base_url)
    public = public_operations()
    assert "publicTimeline" in public and "homeTimeline" not in public

    # act
    status, output, cases = fuzz(base_url, ids, max_examples=SIGNED_OUT_MAX_EXAMPLES, only=public)

    # check
    assert status == 0, output[-20000:]
    assert cases >= 300, output[-5000:]
