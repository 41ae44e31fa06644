"""/metrics as an operator's Prometheus reads it, after every other check has used this server: run near the end."""
import os

import requests
from prometheus_client.parser import text_string_to_metric_families


def scrape(base_url, token=None):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return requests.get(base_url + "/metrics", headers=headers, timeout=10)


def samples(text, name):
    """Every sample called `name`, as Prometheus's own parser reads the page."""
    return [sample for family in text_string_to_metric_families(text) for sample in family.samples if sample.name == name]


def test_metrics_are_only_for_a_scraper_with_the_token(base_url):
    refused = scrape(base_url)
    assert refused.status_code == 401, refused.status_code
    assert "metrics token" in refused.text
    assert "chorus_" not in refused.text


def test_prometheus_reads_the_metrics_and_no_request_to_this_server_failed(base_url):
    page = scrape(base_url, os.environ["CHORUS_E2E_METRICS_TOKEN"])
    assert page.status_code == 200, page.status_code
    assert page.headers["content-type"].startswith("text/plain; version=0.0.4")
    answered = samples(page.text, "chorus_http_requests_total")
    by_route = {}
    for sample in answered:
        by_route[sample.labels["route"]] = by_route.get(sample.labels["route"], 0) + sample.value
    # The web pages, the Mastodon API and its streams were all used by the checks before this one.
    for route in ["/say", "/api/v1/statuses", "/api/v1/timelines/tag/{hashtag}", "/oauth/token"]:
        assert by_route.get(route, 0) > 0, (route, sorted(by_route))
    # A 5xx is a bug: no request this server answered (every check above, with their hostile input) ended in one.
    failed = {(s.labels["method"], s.labels["route"], s.labels["status"]): s.value for s in answered if s.labels["status"].startswith("5")}
    assert not failed, failed
    writes = samples(page.text, "chorus_write_duration_seconds_count")
    assert sum(sample.value for sample in writes) > 0
    assert samples(page.text, "process_resident_memory_bytes")[0].value > 1_000_000
    print(f"\nmetrics: {int(sum(by_route.values()))} requests over {len(by_route)} routes, "
          f"{int(sum(sample.value for sample in writes))} writes, none answered 5xx")
