"""Hostile text in a real browser (Debian's Chromium, headless): every payload of Tests/Fixtures/hostile-text.txt is
posted as a story, a content warning, a reply, a pledge, a display name, a hashtag and through the Mastodon API, then
every page that shows it is opened. No script may run: `window.__pwned` stays undefined, the title is never PWNED, no
alert opens, and no Content-Security-Policy violation is reported (one would mean the payload reached the markup as
live code and only the CSP stopped it). Markup-like payloads must be visible as the text that was typed."""
import json
import os
import re
import unicodedata
from pathlib import Path
from urllib.parse import quote

import pytest
import requests
from selenium import webdriver
from selenium.common.exceptions import NoAlertPresentException, UnexpectedAlertPresentException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

CORPUS = Path(__file__).resolve().parent.parent / "Tests" / "Fixtures" / "hostile-text.txt"
MARKER = "(window.__pwned=1,document.title='PWNED')"

# Records every Content-Security-Policy violation before any of the page's own code runs (added through DevTools, which
# the page's CSP does not govern).
LISTENER = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', function (e) {
  window.__csp.push(e.violatedDirective + ' blocked ' + (e.blockedURI || 'inline') + ' ' + (e.sample || ''));
});
"""


def corpus():
    """The fixture's payloads, and each script-running one again with `alert(…)` turned into the marker."""
    lines = [line for line in CORPUS.read_text(encoding="utf-8").split("\n") if line and not line.startswith("# ")]
    marked = [re.sub(r"alert\([^)]*\)", MARKER, line) for line in lines if "alert(" in line]
    return lines + marked + [f"<img src=x onerror=\"{MARKER}\">", f"<svg/onload={MARKER}>", f"\"><script>{MARKER}</script>"]


PAYLOADS = corpus()


class Api:
    """A Mastodon app with a token from the password grant."""

    def __init__(self, base_url, person):
        self.base_url = base_url
        app = requests.post(base_url + "/api/v1/apps", data={"client_name": "hostile", "redirect_uris": "urn:ietf:wg:oauth:2.0:oob",
                                                             "scopes": "read write"}).json()
        token = requests.post(base_url + "/oauth/token", data={
            "grant_type": "password", "username": person.handle, "password": person.password, "client_id": app["client_id"],
            "client_secret": app["client_secret"], "scope": "read write"}).json()
        self.headers = {"Authorization": f"Bearer {token['access_token']}"}

    def post(self, path, data):
        return requests.post(self.base_url + path, data=data, headers=self.headers)


@pytest.fixture(scope="module")
def driver():
    options = webdriver.ChromeOptions()
    for argument in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,900"]:
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    options.set_capability("unhandledPromptBehavior", "ignore")
    if os.path.exists("/usr/bin/chromium"):
        options.binary_location = "/usr/bin/chromium"
    browser = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    browser.set_page_load_timeout(30)
    browser.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": LISTENER})
    yield browser
    browser.quit()


def sign_in(driver, base_url, person):
    driver.delete_all_cookies()
    driver.get(base_url + "/signin")
    driver.find_element(By.ID, "handle").send_keys(person.handle)
    driver.find_element(By.ID, "password").send_keys(person.password)
    driver.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
    WebDriverWait(driver, 10).until(lambda d: "/signin" not in d.current_url)


class Visits:
    """Opens pages and keeps what ran, what CSP stopped, and what was not shown as typed."""

    def __init__(self, driver, base_url):
        self.driver = driver
        self.base_url = base_url
        self.opened = 0
        self.tried = 0
        self.ran = []
        self.blocked = []
        self.console = []
        self.unseen = []

    def open(self, path, payloads=(), expect_visible=(), listing=False):
        """Opens a page that shows `payloads` (for a `listing`, those whose `hxN` marker is on it); each of
        `expect_visible` must be in the page's visible text."""
        driver = self.driver
        try:
            driver.get(self.base_url + path)
        except UnexpectedAlertPresentException as alert:
            self.ran.append(f"{path}: an alert opened ({alert.alert_text})")
        self.opened += 1
        if listing:
            self.tried += len(set(re.findall(r"hx(\d+)(?!\d)", driver.page_source)))
        else:
            self.tried += len(payloads)
        try:
            alert = driver.switch_to.alert
            self.ran.append(f"{path}: an alert opened ({alert.text})")
            alert.dismiss()
        except NoAlertPresentException:
            pass
        state = driver.execute_script("return {pwned: typeof window.__pwned, title: document.title, csp: window.__csp || [],"
                                      " text: document.body ? document.body.innerText : ''}")
        if state["pwned"] != "undefined" or state["title"] == "PWNED":
            self.ran.append(f"{path}: a payload ran (window.__pwned is {state['pwned']}, title {state['title']!r})")
        for violation in state["csp"]:
            self.blocked.append(f"{path}: {violation}")
        for entry in driver.get_log("browser"):
            if "Content Security Policy" in entry.get("message", "") or "Content-Security-Policy" in entry.get("message", ""):
                self.console.append(f"{path}: {entry['message'][:300]}")
        shown = flat(state["text"])
        for payload in expect_visible:
            if flat(payload) not in shown:
                self.unseen.append(f"{path}: {payload[:60]!r}")
        return state


def flat(text):
    """Text as a browser shows it: whitespace runs as one space, no byte-order mark, composed."""
    return " ".join(unicodedata.normalize("NFC", text.replace("\ufeff", "")).split())


def markup_like(payload):
    return "<" in payload or "&" in payload


@pytest.fixture(scope="module")
def posted(base_url):
    """Every payload as each kind of text, by writers on the web, a supporter replying, and an app. Each writer shares
    at most 15 payloads, under the posting limit of 60 in 10 minutes."""
    from conftest import WebPerson

    people = {}

    def someone(role, index):
        key = (role, index // 15)
        if key not in people:
            people[key] = WebPerson(base_url)
            people[key].sign_up()
            if role == "app":
                people[key].api = Api(base_url, people[key])
        return people[key]

    made = {"items": [], "refused": [], "held": 0}
    for index, payload in enumerate(PAYLOADS):
        item = {"payload": payload, "index": index}
        writer, api = someone("writer", index), someone("app", index).api
        said = writer.post("/say", {"text": f"{payload} hx{index}story", "content_warning": "", "visibility": "public",
                                    "reply_policy": "everyone"})
        if said.status_code == 201:
            item["story"] = re.search(r'id="v(\d+)"', said.text).group(1)
        else:
            made["refused"].append(("story", index, said.status_code))
        warned = someone("warner", index).post("/say", {"text": f"hx{index}warned", "content_warning": payload, "visibility": "public",
                                                       "reply_policy": "everyone"})
        if warned.status_code == 201:
            item["warned"] = re.search(r'id="v(\d+)"', warned.text).group(1)
        else:
            made["refused"].append(("content warning", index, warned.status_code))
        if "story" in item:
            replied = someone("supporter", index).post(f"/voices/{item['story']}/reply", {"text": payload})
            if replied.status_code == 202:
                made["held"] += 1  # held for a moderator by the reply guard: shown in the moderation queue
            elif replied.status_code not in (302, 303):
                made["refused"].append(("reply", index, replied.status_code))
            someone("reporter", index).post("/report", {"voice": item["story"], "category": "other", "note": payload[:500]})
        pledged = someone("pledger", index).post("/pledges", {"text": f"#IWill {payload}", "visibility": "public"})
        if pledged.status_code not in (201, 302, 303):
            made["refused"].append(("pledge", index, pledged.status_code))
        status = api.post("/api/v1/statuses", {"status": f"#MeToo {payload} hx{index}api", "spoiler_text": payload})
        if status.status_code == 200:
            item["api"] = status.json()["id"]
        else:
            made["refused"].append(("api status", index, status.status_code))
        tagged = api.post("/api/v1/statuses", {"status": f"#MeToo #hx{index}{payload}"})
        if tagged.status_code == 200:
            item["tags"] = [tag["name"] for tag in tagged.json()["tags"]]
        made["items"].append(item)
    made["people"] = people
    return made


def set_name(person, payload):
    return person.post("/account/settings", {"display_name": payload, "language": "", "country": "", "default_reply_policy": "everyone"})


def test_no_hostile_payload_runs_on_any_page_in_chromium(driver, base_url, posted):
    from test_moderation import make_moderator

    visits = Visits(driver, base_url)
    people = posted["people"]
    writer = people[("writer", 0)]
    names_refused = []
    # Signed out: every voice page (story, reply and writer's name; warning; app status), the payload as a tag and as a
    # place to return to after signing in.
    for item in posted["items"]:
        payload = item["payload"]
        visible = [payload] if markup_like(payload) else []
        if "story" in item:
            visits.open(f"/voices/{item['story']}", [payload], expect_visible=visible)
        if "warned" in item:
            visits.open(f"/voices/{item['warned']}", [payload], expect_visible=visible)
        if "api" in item:
            visits.open(f"/voices/{item['api']}", [payload, payload], expect_visible=visible)
        visits.open("/tags/" + quote(payload, safe=""), [payload])
        visits.open("/signin?next=" + quote(payload, safe=""), [payload])
        visits.open("/@" + quote(payload, safe=""), [payload])
        for tag in item.get("tags", []):
            visits.open("/tags/" + quote(tag, safe=""), [payload])
    # Lists that show many at once, every page of them.
    profiles = [f"/@{person.handle}" for (role, _), person in people.items() if role in ("writer", "app", "supporter")]
    for start in ["/", "/voices", "/pledges", "/tags/metoo", "/tags/iwill", "/magnitude", "/transparency"] + profiles:
        path, seen = start, 0
        while path and seen < 40:
            visits.open(path, listing=True)
            seen += 1
            older = driver.find_elements(By.CSS_SELECTOR, "a[rel=next]")
            path = older[0].get_attribute("href").replace(base_url, "") if older else None
    # Each payload as the writer's display name, on their profile and their voice.
    sample = next(item for item in posted["items"] if "story" in item)
    for item in posted["items"]:
        payload = item["payload"]
        if set_name(writer, payload).status_code not in (302, 303):
            names_refused.append(item["index"])
            continue
        visits.open(f"/@{writer.handle}", [payload], expect_visible=[payload] if markup_like(payload) else [])
        visits.open(f"/voices/{sample['story']}", [payload])
    set_name(writer, "")
    # Signed in: the writer's own pages, the supporter's reports, and the moderation queue.
    sign_in(driver, base_url, writer)
    for path in ["/journal", "/account", "/account/moderation", "/say"]:
        visits.open(path, listing=True)
    for role in ("supporter", "reporter"):
        for (kind, _), person in people.items():
            if kind == role:
                sign_in(driver, base_url, person)
                for path in ["/account/reports", "/account/blocks", "/journal"]:
                    visits.open(path, listing=True)
    moderator = make_moderator(base_url)
    sign_in(driver, base_url, moderator)
    visits.open("/moderation", listing=True)
    driver.delete_all_cookies()
    leave_the_queue_as_it_was(moderator)

    report = {
        "payloads": len(PAYLOADS), "pages opened": visits.opened, "payloads shown x pages": visits.tried,
        "refused by limits": len(posted["refused"]), "replies held for moderators": posted["held"], "display names refused": len(names_refused),
        "csp violations": len(visits.blocked), "unseen": len(visits.unseen),
    }
    print("hostile pages:", json.dumps(report))
    kinds = {}
    for kind, index, status in posted["refused"]:
        kinds.setdefault(f"{kind} {status}", []).append(index)
    print("refused:", json.dumps(kinds))
    assert not visits.ran, "\n".join(visits.ran[:30])
    assert not visits.blocked, "injected markup reached the page; only the CSP stopped it:\n" + "\n".join(visits.blocked[:30])
    assert not visits.console, "\n".join(visits.console[:30])
    assert not visits.unseen, "not shown as the text that was typed:\n" + "\n".join(visits.unseen[:30])
    assert visits.opened > 5 * len(PAYLOADS) and visits.tried > 10 * len(PAYLOADS)


def leave_the_queue_as_it_was(moderator):
    """Dismisses the reports and rejects the held replies this test made, so that later checks find their own first."""
    for _ in range(5):
        queue = moderator.get("/moderation").text
        reports = re.findall(r"/moderation/reports/(\d+)", queue)
        held = re.findall(r"/moderation/voices/(\d+)", queue)
        if not reports and not held:
            return
        for report in dict.fromkeys(reports):
            moderator.post(f"/moderation/reports/{report}", {"action": "dismiss", "rule": "1", "reason": "Hostile-text check."})
        for voice in dict.fromkeys(held):
            moderator.post(f"/moderation/voices/{voice}", {"action": "reject", "rule": "1", "reason": "Hostile-text check."})


def test_the_checks_see_a_script_that_runs_and_one_the_csp_stops(driver):
    """The detectors work: a page that runs the marker is caught, and so is one whose CSP stopped it."""
    ran = Visits(driver, "")
    ran.open("data:text/html," + quote(f'<p>x</p><img src=x onerror="{MARKER}">'))
    stopped = Visits(driver, "")
    stopped.open("data:text/html," + quote(
        f"<meta http-equiv=\"Content-Security-Policy\" content=\"script-src 'none'\"><p>x</p><img src=x onerror=\"{MARKER}\">"))
    assert ran.ran and not ran.blocked
    assert stopped.blocked and not stopped.ran
