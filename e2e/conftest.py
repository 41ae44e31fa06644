"""Fixtures for end-to-end checks against a running Chorus (started by scripts/e2e)."""
import os
import re
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
