"""Safety in a real browser (Debian's Chromium, headless): the quick exit leaves no way Back, and every main page
passes axe with no serious or critical accessibility violation."""
import os

import pytest
from axe_selenium_python import Axe
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait


@pytest.fixture(scope="module")
def driver():
    options = webdriver.ChromeOptions()
    for argument in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,900"]:
        options.add_argument(argument)
    if os.path.exists("/usr/bin/chromium"):
        options.binary_location = "/usr/bin/chromium"
    browser = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    browser.set_page_load_timeout(30)
    yield browser
    browser.quit()


@pytest.fixture(scope="module")
def signed_in(driver, base_url):
    """A survivor's account, signed in through the sign-in form, with one voice and one reply to look at."""
    from conftest import WebPerson

    ana = WebPerson(base_url)
    ana.sign_up()
    voice = ana.say_me_too("It was a colleague, years ago. #MeToo", warning="workplace")
    bea = WebPerson(base_url)
    bea.sign_up()
    bea.post(f"/voices/{voice}/reply", {"text": "I believe you. It was not your fault."})
    driver.get(base_url + "/signin")
    driver.find_element(By.ID, "handle").send_keys(ana.handle)
    driver.find_element(By.ID, "password").send_keys(ana.password)
    driver.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
    WebDriverWait(driver, 10).until(lambda d: "/signin" not in d.current_url)
    return {"person": ana, "voice": voice}


def wait_for_exit(driver):
    WebDriverWait(driver, 10).until(lambda d: d.current_url.endswith("/static/neutral.html"))


def exit_pages(signed_in):
    return ["/", f"/voices/{signed_in['voice']}", "/help", "/help/safety", "/say"]


@pytest.mark.parametrize("how", ["escape", "button"])
def test_quick_exit_replaces_the_page_so_back_does_not_return(driver, base_url, signed_in, how):
    for path in exit_pages(signed_in):
        driver.get("about:blank")
        driver.get(base_url + path)
        assert driver.find_element(By.ID, "quick-exit").is_displayed(), path
        if how == "escape":
            ActionChains(driver).send_keys(Keys.ESCAPE).perform()
        else:
            driver.find_element(By.ID, "quick-exit").click()
        wait_for_exit(driver)
        assert "Weather" in driver.title
        driver.back()
        WebDriverWait(driver, 10).until(lambda d: not d.current_url.endswith("/static/neutral.html"))
        assert not driver.current_url.startswith(base_url), f"Back returned to {driver.current_url} after leaving {path}"


def test_quick_exit_works_while_typing_a_story(driver, base_url, signed_in):
    driver.get("about:blank")
    driver.get(base_url + "/say")
    story = driver.find_element(By.ID, "text")
    story.send_keys("Something I have never told anyone")
    story.send_keys(Keys.ESCAPE)
    wait_for_exit(driver)
    driver.back()
    WebDriverWait(driver, 10).until(lambda d: not d.current_url.endswith("/static/neutral.html"))
    assert not driver.current_url.startswith(base_url)


def test_every_page_tells_about_history_with_a_link(driver, base_url, signed_in):
    for path in exit_pages(signed_in) + ["/no-such-page"]:
        driver.get(base_url + path)
        link = driver.find_element(By.CSS_SELECTOR, ".exit-note a")
        assert link.get_attribute("href").endswith("/help/safety#history"), path


def main_pages(signed_in):
    handle = signed_in["person"].handle
    return [
        "/", "/voices", f"/voices/{signed_in['voice']}", "/say", "/pledges", "/help", "/help/safety", "/signin", "/signup",
        "/account", "/journal", "/tags/metoo", f"/@{handle}", "/no-such-page",
    ]


def test_main_pages_have_no_serious_or_critical_accessibility_violations(driver, base_url, signed_in):
    problems = []
    for path in main_pages(signed_in):
        driver.get(base_url + path)
        axe = Axe(driver)
        axe.inject()
        results = axe.run()
        for violation in results["violations"]:
            if violation.get("impact") in ("serious", "critical"):
                targets = [node["target"] for node in violation["nodes"]][:3]
                problems.append(f"{path}: {violation['id']} ({violation['impact']}) {violation['help']} at {targets}")
    assert not problems, "\n".join(problems)


def test_language_switcher_changes_the_interface_for_a_signed_out_reader(base_url):
    from conftest import WebPerson

    reader = WebPerson(base_url)
    switched = reader.post("/language", {"lang": "pt", "back": "/help"})
    assert switched.status_code == 303 and switched.headers["Location"] == "/help"
    page = reader.get("/help")
    assert 'lang="pt"' in page.text and "Buscar ajuda" in page.text
