"""No IP address is written anywhere. Named to run after every other check, so it scans what all of them left behind:
the server's log, and the database (the SQLite file and its WAL, or a pg_dump of the PostgreSQL database)."""
import os
import re
import subprocess
from pathlib import Path
from urllib.parse import urlparse

import pytest

CLIENT_ADDRESSES = ["127.0.0.1", "::1"]


def database_port():
    url = os.environ.get("CHORUS_E2E_DATABASE_URL") or ""
    return str(urlparse(url).port) if url.startswith("postgres") and urlparse(url).port else None


def client_address_mentions(text, server_port):
    """Where a client's address appears. The server naming its own listening address (127.0.0.1:<its port>) is let through."""
    found = []
    for address in CLIENT_ADDRESSES:
        for match in re.finditer(re.escape(address) + r"(\]?:(\d+))?", text):
            # Chorus's own database server (named in connection errors) is not a visitor's address either.
            if match.group(2) in (str(server_port), database_port()):
                continue
            before = text[max(0, match.start() - 60) : match.start()]
            if "SingleConnectionFailure(target:" in before or "connectTCP(host:" in before:
                continue
            found.append(text[max(0, match.start() - 60) : match.end() + 20])
    return found


@pytest.fixture(scope="module")
def server_port(base_url):
    return urlparse(base_url).port


@pytest.fixture(scope="module")
def realistic_session(base_url):
    """A survivor, a supporter and a reader who tries a proxy header, on top of everything the other checks did."""
    from conftest import WebPerson

    ana = WebPerson(base_url)
    ana.sign_up()
    ana.get("/help", headers={"X-Forwarded-For": "127.0.0.1", "Forwarded": "for=\"[::1]\""})
    ana.post("/help/country", {"country": "GB"})
    ana.post("/language", {"lang": "fr", "back": "/"})
    voice = ana.say_me_too("he is outside my door right now", visibility="anonymous")
    bea = WebPerson(base_url)
    bea.sign_up()
    bea.post(f"/voices/{voice}/believe", {})
    bea.post(f"/voices/{voice}/reply", {"text": "I believe you."})
    bea.post("/signin", {"handle": bea.handle, "password": "not the password"})
    bea.get("/no-such-page")
    return voice


def test_server_log_holds_no_client_address(realistic_session, server_port):
    logs = os.environ.get("CHORUS_E2E_LOGS")
    engine = os.environ.get("CHORUS_E2E_ENGINE", "sqlite")
    if not logs:
        pytest.skip("CHORUS_E2E_LOGS is not set: run through scripts/e2e")
    log = Path(logs, f"server-{engine}.log").read_text(errors="replace")
    assert "Server started" in log
    assert client_address_mentions(log, server_port) == []


def test_database_holds_no_client_address(realistic_session, server_port):
    engine = os.environ.get("CHORUS_E2E_ENGINE", "sqlite")
    if engine == "postgres":
        url = os.environ.get("CHORUS_E2E_DATABASE_URL")
        if not url:
            pytest.skip("CHORUS_E2E_DATABASE_URL is not set: run through scripts/e2e")
        dump = subprocess.run(["pg_dump", "--no-owner", url], check=True, capture_output=True, text=True).stdout
        assert "outside my door" in dump
        assert client_address_mentions(dump, server_port) == []
        return
    data = os.environ.get("CHORUS_E2E_DATA")
    if not data:
        pytest.skip("CHORUS_E2E_DATA is not set: run through scripts/e2e")
    files = [p for p in Path(data).iterdir() if p.name.startswith("chorus.sqlite")]
    assert any(p.name == "chorus.sqlite" for p in files)
    stored = "\n".join(p.read_bytes().replace(b"\0", b" ").decode("utf-8", errors="replace") for p in files)
    assert "outside my door" in stored
    assert client_address_mentions(stored, server_port) == []
