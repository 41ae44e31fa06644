"""Fixtures for end-to-end checks against a running Chorus (started by scripts/e2e)."""
import os
import re
import subprocess
import tempfile
import time
import uuid

import pytest
import requests


@pytest.fixture(scope="session")
def base_url():
    url = os.environ.get("CHORUS_E2E_URL")
    if not url:
        pytest.fail("CHORUS_E2E_URL is not set: run these through scripts/e2e")
    return url


def unique_handle(prefix="p"):
    return f"{prefix}_{uuid.uuid4().hex[:10]}"


class WebPerson:
    """A person using the web pages with a requests session: signs up, posts forms with the CSRF token."""

    def __init__(self, base_url, handle=None, password="correct horse battery"):
        self.base_url = base_url
        self.http = requests.Session()
        self.handle = handle or unique_handle()
        self.password = password

    def csrf(self):
        if "chorus_csrf" not in self.http.cookies:
            self.http.get(self.base_url + "/")
        return self.http.cookies.get("chorus_csrf")

    def post(self, path, data, **kwargs):
        fields = dict(data)
        fields["_csrf"] = self.csrf()
        return self.http.post(self.base_url + path, data=fields, allow_redirects=False, **kwargs)

    def get(self, path, **kwargs):
        return self.http.get(self.base_url + path, allow_redirects=False, **kwargs)

    def sign_up(self):
        response = self.post("/signup", {"handle": self.handle, "password": self.password, "password_confirmation": self.password})
        assert response.status_code == 201, response.text[:500]
        return response

    def sign_up_and_say(self, text):
        self.sign_up()
        return self.say_me_too(text)

    def say_me_too(self, text="", warning="", visibility="public"):
        response = self.post("/say", {"text": text, "content_warning": warning, "visibility": visibility, "reply_policy": "everyone"})
        assert response.status_code == 201, response.text[:500]
        match = re.search(r'id="v(\d+)"', response.text)
        return match.group(1) if match else None


@pytest.fixture
def person(base_url):
    def make(handle=None):
        someone = WebPerson(base_url, handle)
        someone.sign_up()
        return someone

    return make


class ChorusServer:
    """A `chorus serve` of a test's own (its own port, data and flags), started and waited for; its log goes to
    CHORUS_E2E_LOGS/<log_name>.log."""

    def __init__(self, port, data_dir, log_name, database_url=None, flags=()):
        args = [os.environ["CHORUS_E2E_BIN"], "serve", "--port", str(port), "--data-dir", data_dir, "--bcrypt-cost", "4", *flags]
        if database_url:
            args += ["--database-url", database_url]
        self.base_url = f"http://127.0.0.1:{port}"
        self.log = os.path.join(os.environ.get("CHORUS_E2E_LOGS", tempfile.gettempdir()), f"{log_name}.log")
        with open(self.log, "a") as log:
            self.process = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT)
        for _ in range(300):
            try:
                if requests.get(self.base_url + "/health", timeout=0.5).ok:
                    return
            except requests.RequestException:
                time.sleep(0.05)
        raise AssertionError("Chorus did not start; see " + self.log)

    def stop(self):
        """Stops the server gracefully; returns its exit status."""
        self.process.terminate()
        self.process.wait(timeout=20)
        return self.process.returncode
