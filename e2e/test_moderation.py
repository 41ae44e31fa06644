"""Reply guard and moderation with a plain HTTP client against a running Chorus: held replies, blocks, reports, the
moderator queue with rules and reasons, appeals and the transparency page."""
import os
import re
import subprocess

import pytest

from conftest import WebPerson, unique_handle


def make_moderator(base_url):
    """A moderator made the way an operator makes one: `chorus account create --moderator`."""
    handle = unique_handle("mod")
    command = [os.path.join(".build", "debug", "chorus"), "account", "create", "--moderator", "--handle", handle]
    if os.environ.get("CHORUS_E2E_ENGINE") == "postgres":
        command += ["--database-url", os.environ["CHORUS_PG_URL"] + "/chorus_e2e"]
    else:
        command += ["--data-dir", os.environ["CHORUS_E2E_DATA"]]
    password = "correct horse battery"
    result = subprocess.run(command, input=password + "\n", capture_output=True, text=True, timeout=60)
    if result.returncode != 0:
        pytest.skip(f"could not create a moderator: {result.stderr[:300]}")
    moderator = WebPerson(base_url, handle, password)
    signed_in = moderator.post("/signin", {"handle": handle, "password": password})
    assert signed_in.status_code == 303
    return moderator


def test_held_reply_shows_guidance_and_a_rewrite_is_shown(base_url, person):
    ana, bea = person(), person()
    voice = ana.say_me_too("It happened at work. #MeToo")
    held = bea.post(f"/voices/{voice}/reply", {"text": "Why didn't you report it to the police?"})
    assert held.status_code == 202
    assert 'data-guard-label="why_question"' in held.text
    assert "Leave questions about what happened to the experts." in held.text
    reply = re.search(r"/voices/(\d+)/rewrite", held.text).group(1)
    assert "Why didn" not in person().get(f"/voices/{voice}").text
    assert "1 reply is waiting for review" in ana.get(f"/voices/{voice}").text
    rewritten = bea.post(f"/voices/{reply}/rewrite", {"text": "I believe you. It is not your fault."})
    assert rewritten.status_code == 303
    assert "It is not your fault." in person().get(f"/voices/{voice}").text


def test_block_keeps_a_blocked_person_away(base_url, person):
    ana, bob = person(), person()
    voice = ana.say_me_too("my story")
    assert ana.post(f"/@{bob.handle}/block", {}).status_code == 303
    assert bob.post(f"/voices/{voice}/reply", {"text": "I believe you"}).status_code == 404
    assert bob.handle in ana.get("/account/blocks").text


def test_report_hide_appeal_and_transparency(base_url, person):
    ana, bea = person(), person()
    voice = ana.say_me_too("a story someone reported", visibility="anonymous")
    assert bea.post("/report", {"voice": voice, "category": "spam", "note": ""}).status_code == 201
    moderator = make_moderator(base_url)
    queue = moderator.get("/moderation")
    assert queue.status_code == 200
    assert ana.handle not in queue.text
    report = re.search(r"/moderation/reports/(\d+)", queue.text).group(1)
    missing = moderator.post(f"/moderation/reports/{report}", {"action": "hide", "rule": "3", "reason": ""})
    assert missing.status_code == 422
    assert moderator.post(f"/moderation/reports/{report}", {"action": "hide", "rule": "3", "reason": "Spam."}).status_code == 303
    assert "A moderator has looked at something you reported." in bea.get("/").text
    assert "A moderator hid it." in bea.get("/account/reports").text
    decisions = ana.get("/account/moderation")
    action = re.search(r"/account/moderation/(\d+)/appeal", decisions.text).group(1)
    assert ana.post(f"/account/moderation/{action}/appeal", {"text": "It is my story."}).status_code == 303
    assert moderator.post(f"/moderation/appeals/{action}", {"decision": "grant", "reason": "Not spam."}).status_code == 303
    assert person().get(f"/voices/{voice}").status_code == 200
    transparency = person().get("/transparency")
    assert 'data-action="hide" data-rule="3"' in transparency.text
    assert 'data-action="appeal_granted" data-rule="3"' in transparency.text
    assert ana.handle not in transparency.text and "a story someone reported" not in transparency.text
