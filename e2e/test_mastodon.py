"""Mastodon apps and libraries drive Chorus unmodified: Mastodon.py (the Python library) and toot (the CLI)."""
import json
import os
import subprocess
import sys
import threading
import time
import uuid

import pytest
import requests
from mastodon import Mastodon, StreamListener

from conftest import WebPerson
from mastodon.errors import MastodonAPIError, MastodonNotFoundError

PASSWORD = "correct horse battery"


def signed_up(person):
    """A person who joined on the web pages (Chorus accounts are made there, or with `chorus account create`)."""
    someone = person()
    return someone.handle


def logged_in(base_url, handle):
    """Mastodon.py: register an app, then log in with the password grant."""
    client_id, client_secret = Mastodon.create_app("chorus-e2e", api_base_url=base_url, scopes=["read", "write", "follow", "push"])
    api = Mastodon(client_id=client_id, client_secret=client_secret, api_base_url=base_url)
    api.log_in(username=handle, password=PASSWORD, scopes=["read", "write", "follow", "push"])
    return api


def test_mastodon_py_drives_chorus(base_url, person):
    # setup: two people who joined on the web, each with Mastodon.py logged in
    survivor_handle = signed_up(person)
    survivor = logged_in(base_url, survivor_handle)
    supporter = logged_in(base_url, signed_up(person))
    me = survivor.account_verify_credentials()
    assert me["username"]
    instance = survivor.instance()
    assert instance["version"].startswith("4.")

    # act: a me too with a content warning, a reply from the supporter, and a favourite (I believe you)
    voice = survivor.status_post("#MeToo It took me years to say it.", spoiler_text="sexual assault")
    reply = supporter.status_post("I believe you. Thank you for telling us.", in_reply_to_id=voice["id"])
    supporter.status_favourite(voice["id"])

    # check: the voice, the reply and the belief
    assert voice["spoiler_text"] == "sexual assault"
    assert voice["sensitive"] is True
    assert voice["tags"][0]["name"] == "metoo"
    assert reply["in_reply_to_id"] == voice["id"]
    assert reply["in_reply_to_account_id"] == me["id"]
    seen = survivor.status(voice["id"])
    assert seen["favourites_count"] == 1
    assert seen["replies_count"] == 1
    context = survivor.status_context(voice["id"])
    assert [status["id"] for status in context["descendants"]] == [reply["id"]]
    assert [account["id"] for account in survivor.status_favourited_by(voice["id"])] == [supporter.me()["id"]]

    # the three timelines
    supporter.account_follow(me["id"])
    home = supporter.timeline_home()
    assert voice["id"] in [status["id"] for status in home]
    public = supporter.timeline_public()
    assert voice["id"] in [status["id"] for status in public]
    tagged = supporter.timeline_hashtag("metoo")
    assert voice["id"] in [status["id"] for status in tagged]
    assert voice["id"] in [status["id"] for status in supporter.favourites()]

    # notifications: a favourite, a mention (the reply) and a follow
    notifications = survivor.notifications()
    types = sorted(notification["type"] for notification in notifications)
    assert types == ["favourite", "follow", "mention"]
    survivor.notifications_dismiss(notifications[0]["id"])
    assert len(survivor.notifications()) == 2

    # read positions: where the survivor stopped reading in one app is where another app of theirs opens
    newest = survivor.notifications()[0]["id"]
    survivor.markers_set(["notifications"], [newest])
    other_app = logged_in(base_url, survivor_handle)
    saved = other_app.markers_get(["notifications", "home"])
    assert str(saved["notifications"]["last_read_id"]) == str(newest)
    assert "home" not in saved

    # trending tags and search: a tag trends once 10 people use it in a day (smaller groups are never published)
    for _ in range(10):
        WebPerson(base_url).sign_up_and_say("#MeToo")
    assert "metoo" in [tag["name"] for tag in survivor.trending_tags()]
    found = survivor.search_v2(me["username"], result_type="accounts")
    assert me["id"] in [account["id"] for account in found["accounts"]]
    found = survivor.search_v2("years to say", result_type="statuses")
    assert voice["id"] in [status["id"] for status in found["statuses"]]

    # delete: the reply's author deletes it and gets its text back
    deleted = supporter.status_delete(reply["id"])
    assert deleted["text"] == "I believe you. Thank you for telling us."
    with pytest.raises(MastodonNotFoundError):
        supporter.status(reply["id"])


def test_anonymous_voice_never_reveals_its_author(base_url, person):
    # setup
    survivor_handle = signed_up(person)
    survivor = logged_in(base_url, survivor_handle)
    supporter = logged_in(base_url, signed_up(person))
    me = survivor.account_verify_credentials()

    # act: an anonymous me too (a Chorus extension parameter), a reply and a favourite
    response = requests.post(
        base_url + "/api/v1/statuses",
        data={"status": "#MeToo I never told anyone.", "chorus_anonymous": "true"},
        headers={"Authorization": "Bearer " + survivor.access_token},
    )
    assert response.status_code == 200, response.text
    anonymous = response.json()
    reply = supporter.status_post("I believe you.", in_reply_to_id=anonymous["id"])
    supporter.status_favourite(anonymous["id"])

    # check: nothing a supporter reads names the author
    assert anonymous["account"]["username"] == "someone"
    for status in [supporter.status(anonymous["id"])] + supporter.timeline_public():
        if status["id"] == anonymous["id"]:
            assert status["account"]["id"] == "0"
            assert me["id"] not in json.dumps(status, default=str)
    assert reply["in_reply_to_account_id"] is None
    assert anonymous["id"] not in [status["id"] for status in supporter.account_statuses(me["id"])]
    # the survivor is told of the belief and the reply: they wrote it
    assert sorted(n["type"] for n in survivor.notifications()) == ["favourite", "mention"]


def test_streaming_a_hashtag_receives_an_update(base_url, person):
    # setup
    reader = logged_in(base_url, signed_up(person))
    writer = logged_in(base_url, signed_up(person))
    tag = "chorus" + uuid.uuid4().hex[:8]
    received = []
    arrived = threading.Event()

    class Listener(StreamListener):
        def on_update(self, status):
            received.append(status)
            arrived.set()

    handle = reader.stream_hashtag(tag, Listener(), run_async=True, reconnect_async=False)
    try:
        time.sleep(1.0)
        # act
        posted = writer.status_post(f"#MeToo #{tag} me too")
        # check
        assert arrived.wait(15), "no update arrived on the hashtag stream"
        assert received[0]["id"] == posted["id"]
    finally:
        handle.close()


def test_bad_requests_get_clear_errors(base_url, person):
    # setup
    api = logged_in(base_url, signed_up(person))
    headers = {"Authorization": "Bearer " + api.access_token}
    # act / check: unknown id, over-long text, malformed JSON, wrong type, no token, wrong scope
    with pytest.raises(MastodonNotFoundError):
        api.status("1")
    with pytest.raises(MastodonAPIError):
        api.status_post("#MeToo " + "a" * 5001)
    bad = requests.post(base_url + "/api/v1/statuses", data="{", headers={**headers, "Content-Type": "application/json"})
    assert bad.status_code == 422 and "error" in bad.json()
    wrong = requests.post(base_url + "/api/v1/statuses", json={"status": 5}, headers=headers)
    assert wrong.status_code == 422
    assert requests.get(base_url + "/api/v1/timelines/home").status_code == 401
    # the web session cookie never authenticates the API
    web = person()
    assert web.get("/api/v1/accounts/verify_credentials").status_code == 401
    # an idempotent replay returns the first status
    first = requests.post(base_url + "/api/v1/statuses", data={"status": "#MeToo once"}, headers={**headers, "Idempotency-Key": "k-1"})
    again = requests.post(base_url + "/api/v1/statuses", data={"status": "#MeToo once"}, headers={**headers, "Idempotency-Key": "k-1"})
    assert first.json()["id"] == again.json()["id"]


def toot(base_url, config_home, *args, input_text=None):
    env = dict(os.environ, XDG_CONFIG_HOME=str(config_home), HOME=str(config_home), NO_COLOR="1", TERM="dumb")
    command = [os.path.join(os.path.dirname(sys.executable), "toot"), *args]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=60, input=input_text)


def test_toot_cli_logs_in_posts_and_reads_the_timeline(base_url, person, tmp_path):
    # setup
    handle = signed_up(person)
    # act
    login = toot(base_url, tmp_path, "login_cli", "--instance", base_url, "--email", handle, "--password", PASSWORD)
    posted = toot(base_url, tmp_path, "post", "#MeToo posted with toot")
    timeline = toot(base_url, tmp_path, "timeline", "--once")
    whoami = toot(base_url, tmp_path, "whoami")
    # check
    assert login.returncode == 0, login.stdout + login.stderr
    assert posted.returncode == 0, posted.stdout + posted.stderr
    assert "Toot posted" in posted.stdout, posted.stdout
    assert timeline.returncode == 0, timeline.stdout + timeline.stderr
    assert "posted with toot" in timeline.stdout
    assert whoami.returncode == 0 and handle in whoami.stdout, whoami.stdout + whoami.stderr
