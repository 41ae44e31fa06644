"""The survivor is not flooded: a wave of "I believe you" reaches her as one group, in Mastodon.py's grouped
notifications and on the web notifications page, while the v1 list keeps every notification."""
from conftest import WebPerson
from test_mastodon import logged_in


def test_a_wave_of_beliefs_is_one_group(base_url, person):
    # setup: the survivor (Mastodon.py and her browser) and ten supporters on the web pages
    survivor_web = person()
    survivor = logged_in(base_url, survivor_web.handle)
    voice = survivor.status_post("me too #MeToo")["id"]
    for _ in range(10):
        supporter = WebPerson(base_url)
        supporter.sign_up()
        assert supporter.post(f"/voices/{voice}/believe", {}).status_code in (200, 303)
    # act
    grouped = survivor.grouped_notifications()
    individual = survivor.notifications(limit=40)
    page = survivor_web.get("/notifications")
    # check
    favourites = [group for group in grouped["notification_groups"] if group["type"] == "favourite"]
    assert len(favourites) == 1
    assert favourites[0]["notifications_count"] == 10
    assert len(favourites[0]["sample_account_ids"]) == 8
    assert str(favourites[0]["status_id"]) == str(voice)
    one = survivor.grouped_notification(favourites[0]["group_key"])
    assert one["notification_groups"][0]["notifications_count"] == 10
    assert len([n for n in individual if n["type"] == "favourite"]) == 10
    assert page.status_code == 200
    assert page.text.count("10 people believe you") == 1
