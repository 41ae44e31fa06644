"""How many of us, in a real browser: the totals on /magnitude change live, without a reload, when someone speaks."""
import os
import shutil

import pytest
import requests
from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from conftest import WebPerson

MINIMUM_CELL = 10


@pytest.fixture
def browser():
    driver_path = shutil.which("chromedriver") or "/usr/bin/chromedriver"
    if not os.path.exists(driver_path):
        pytest.fail("chromedriver is missing: apt-get install -y chromium chromium-driver")
    options = Options()
    options.add_argument("--headless=new")
    options.add_argument("--no-sandbox")
    options.add_argument("--disable-dev-shm-usage")
    driver = webdriver.Chrome(service=Service(driver_path), options=options)
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()


def me_too_people(base_url):
    return requests.get(base_url + "/api/v1/chorus/magnitude", timeout=10).json()["me_too_people"]


def test_totals_change_live_without_reload(base_url, person, browser):
    # setup: enough people that the total is published (below 10 it shows "fewer than 10")
    while (me_too_people(base_url) or 0) < MINIMUM_CELL:
        person().say_me_too(visibility="anonymous")
    before = me_too_people(base_url)
    browser.get(base_url + "/magnitude")
    count = browser.find_element(By.CSS_SELECTOR, "[data-count='metoo']")
    assert count.text.replace(",", "").replace("\u202f", "").replace("\xa0", "") == str(before)
    # the script has connected once the first event arrived
    WebDriverWait(browser, 10).until(lambda d: d.find_element(By.TAG_NAME, "html").get_attribute("data-magnitude-live") == "on")
    marker = browser.execute_script("window.__notReloaded = true; return window.__notReloaded;")
    assert marker is True
    # act: someone else, in another session, says me too
    someone = WebPerson(base_url)
    someone.sign_up()
    someone.say_me_too()
    # check: the count changes within a few seconds, and the page was not reloaded
    expected = str(before + 1)
    WebDriverWait(browser, 5).until(
        lambda d: d.find_element(By.CSS_SELECTOR, "[data-count='metoo']").text.replace(",", "").replace("\u202f", "").replace("\xa0", "")
        == expected
    )
    assert browser.execute_script("return window.__notReloaded === true;")

    # a tab out of sight lets its stream go (browsers keep six connections to a server), and catches up when shown
    set_hidden = (
        "Object.defineProperty(document, 'hidden', {value: arguments[0], configurable: true});"
        "document.dispatchEvent(new Event('visibilitychange'));"
    )
    browser.execute_script(set_hidden, True)
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("data-magnitude-live") == "paused"
    another = WebPerson(base_url)
    another.sign_up()
    another.say_me_too()
    browser.execute_script(set_hidden, False)
    expected = str(before + 2)
    WebDriverWait(browser, 5).until(
        lambda d: d.find_element(By.CSS_SELECTOR, "[data-count='metoo']").text.replace(",", "").replace("\u202f", "").replace("\xa0", "")
        == expected
    )
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("data-magnitude-live") == "on"


def test_page_works_without_script_and_charts_are_labelled(base_url, person, browser):
    person().say_me_too()
    page = requests.get(base_url + "/magnitude", timeout=10)
    assert page.status_code == 200
    assert "<table" in page.text and 'role="img"' in page.text
    browser.get(base_url + "/magnitude")
    charts = browser.find_elements(By.CSS_SELECTOR, "svg[role='img']")
    assert len(charts) == 2
    for chart in charts:
        labelled_by = chart.get_attribute("aria-labelledby").split()
        assert all(browser.find_element(By.ID, name).get_attribute("textContent").strip() for name in labelled_by)
    # no script errors from the live update (CSP forbids inline scripts: it must come from /static)
    logs = [entry for entry in browser.get_log("browser") if entry.get("level") == "SEVERE"] if hasattr(browser, "get_log") else []
    assert not [entry for entry in logs if "magnitude" in entry.get("message", "")], logs


def test_badge_and_open_data(base_url):
    badge = requests.get(base_url + "/magnitude/badge.svg", timeout=10)
    assert badge.status_code == 200
    assert badge.headers["Content-Type"].startswith("image/svg+xml")
    assert "people said me too" in badge.text
    csv = requests.get(base_url + "/magnitude.csv", timeout=10)
    assert csv.text.startswith("date,measure,country,value\n")
    series = requests.get(base_url + "/api/v1/chorus/magnitude/series?period=hour", timeout=10).json()
    assert series["period"] == "hour" and len(series["points"]) == 48
