"""The foundation, through a real socket with a plain HTTP client: a survivor, a supporter and an ally."""


def test_home_shows_three_counts_and_actions(base_url, person):
    ana = person()
    ana.say_me_too()
    home = ana.get("/")
    assert home.status_code == 200
    assert "people said me too" in home.text
    assert 'href="/say"' in home.text and 'href="/pledges"' in home.text


def test_anonymous_voice_never_shows_its_author(base_url, person):
    ana = person()
    voice = ana.say_me_too("It was a teacher. #MeToo", visibility="anonymous")
    bea = person()
    page = bea.get(f"/voices/{voice}")
    assert page.status_code == 200
    assert "It was a teacher." in page.text
    assert ana.handle not in page.text


def test_security_headers_on_every_page(base_url, person):
    ana = person()
    for path in ["/", "/signin", "/pledges", "/voices", "/say", "/no-such-page"]:
        response = ana.get(path)
        policy = response.headers.get("Content-Security-Policy", "")
        assert "frame-ancestors 'none'" in policy and "unsafe-inline" not in policy, path
        assert response.headers.get("Referrer-Policy") == "no-referrer", path
        assert response.headers.get("X-Content-Type-Options") == "nosniff", path
