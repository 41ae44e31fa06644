"""Scale-out: two Chorus instances on one PostgreSQL behind nginx. A voice posted on A is streamed by B within a
second; a session made on A works on B; jobs are done once with both workers running; a PostgreSQL restart
mid-test is survived with nothing lost, and live updates resume."""
import json
import os
import shutil
import subprocess
import tempfile
import threading
import time

import pytest
import requests

from conftest import WebPerson

ENGINE = os.environ.get("CHORUS_E2E_ENGINE", "sqlite")
pytestmark = pytest.mark.skipif(ENGINE != "postgres", reason="scale-out runs on PostgreSQL")
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PORT_A, PORT_B, PORT_NGINX = 18111, 18112, 18110


def wait_until(condition, seconds=15.0, step=0.05):
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            if condition():
                return True
        except requests.RequestException:
            pass
        time.sleep(step)
    return False


def postgres(command):
    subprocess.run(["bash", "-c", f"source scripts/postgres.sh && {command}"], cwd=ROOT, check=True)


@pytest.fixture(scope="module")
def cluster():
    binary = os.environ["CHORUS_E2E_BIN"]
    admin = os.environ["CHORUS_PG_URL"]
    subprocess.run(["psql", admin + "/postgres", "-qc", "DROP DATABASE IF EXISTS chorus_scale", "-qc", "CREATE DATABASE chorus_scale"], check=True)
    url = admin + "/chorus_scale"
    work = tempfile.mkdtemp(prefix="chorus-scale-")
    processes = []
    for port in (PORT_A, PORT_B):  # started together: migrations must be safe when instances race
        log = open(os.path.join(work, f"chorus-{port}.log"), "w")
        processes.append(subprocess.Popen([binary, "serve", "--port", str(port), "--database-url", url, "--bcrypt-cost", "4"],
                                          stdout=log, stderr=subprocess.STDOUT))
    for port in (PORT_A, PORT_B):
        assert wait_until(lambda: requests.get(f"http://127.0.0.1:{port}/health", timeout=1).ok), f"instance on {port} did not start"
    config = open(os.path.join(ROOT, "docs/nginx-chorus.conf")).read()
    for key, value in {"__RUN__": work, "__PORT_A__": str(PORT_A), "__PORT_B__": str(PORT_B), "__PORT__": str(PORT_NGINX)}.items():
        config = config.replace(key, value)
    with open(os.path.join(work, "nginx.conf"), "w") as handle:
        handle.write(config)
    nginx = subprocess.Popen(["nginx", "-c", os.path.join(work, "nginx.conf"), "-g", "daemon off;"])
    assert wait_until(lambda: requests.get(f"http://127.0.0.1:{PORT_NGINX}/health", timeout=1).ok), "nginx did not start"
    yield {"a": f"http://127.0.0.1:{PORT_A}", "b": f"http://127.0.0.1:{PORT_B}", "nginx": f"http://127.0.0.1:{PORT_NGINX}", "url": url, "work": work}
    nginx.terminate()
    for process in processes:
        process.terminate()
        process.wait(timeout=20)
    shutil.rmtree(work, ignore_errors=True)


def api_token(base, person):
    app = requests.post(base + "/api/v1/apps", data={"client_name": "scale", "redirect_uris": "urn:ietf:wg:oauth:2.0:oob", "scopes": "read write"}).json()
    token = requests.post(base + "/oauth/token", data={"grant_type": "password", "client_id": app["client_id"], "client_secret": app["client_secret"],
                                                       "username": person.handle, "password": person.password, "scope": "read write"}).json()
    return token["access_token"]


class Stream(threading.Thread):
    """Reads server-sent events from one instance, noting when each `update` arrived."""

    def __init__(self, url, token):
        super().__init__(daemon=True)
        self.url, self.token, self.updates = url, token, []

    def run(self):
        with requests.get(self.url, headers={"Authorization": "Bearer " + self.token}, stream=True, timeout=60) as response:
            event = None
            for line in response.iter_lines(decode_unicode=True):
                if line.startswith("event:"):
                    event = line.split(":", 1)[1].strip()
                elif line.startswith("data:") and event == "update":
                    self.updates.append((time.time(), json.loads(line[5:])))


def test_session_made_on_a_works_on_b_and_through_nginx(cluster):
    ana = WebPerson(cluster["a"])
    ana.sign_up()
    ana.base_url = cluster["b"]
    assert ana.get("/account").status_code == 200
    ana.base_url = cluster["nginx"]
    for _ in range(4):  # nginx alternates between the instances
        assert ana.get("/account").status_code == 200


def test_voice_posted_on_a_is_streamed_by_b_within_a_second(cluster):
    ana = WebPerson(cluster["a"])
    ana.sign_up()
    stream = Stream(cluster["b"] + "/api/v1/streaming/public", api_token(cluster["b"], ana))
    stream.start()
    time.sleep(0.5)
    posted = time.time()
    voice = ana.say_me_too("heard everywhere #MeToo")
    assert wait_until(lambda: any(status["id"] == voice for _, status in stream.updates), seconds=5)
    arrived = next(at for at, status in stream.updates if status["id"] == voice)
    print(f"\nvoice posted on A reached B's stream after {1000 * (arrived - posted):.0f} ms")
    assert arrived - posted < 1.0


def test_jobs_are_done_once_with_two_workers(cluster):
    values = ", ".join(f"({9_000_000 + n}, 'sessions.purge', '', 'queued', 0, 0, 5, 0)" for n in range(100))
    subprocess.run(["psql", cluster["url"], "-qc",
                    f"INSERT INTO jobs (id, kind, payload, state, run_at, attempts, max_attempts, created_at) VALUES {values}"], check=True)

    def done():
        out = subprocess.run(["psql", cluster["url"], "-Atc", "SELECT COUNT(*) FROM jobs WHERE id BETWEEN 9000000 AND 9000099 AND state = 'done'"],
                             capture_output=True, text=True).stdout.strip()
        return out == "100"

    assert wait_until(done, seconds=30)
    attempts = subprocess.run(["psql", cluster["url"], "-Atc", "SELECT MAX(attempts) FROM jobs WHERE id BETWEEN 9000000 AND 9000099"],
                              capture_output=True, text=True).stdout.strip()
    assert attempts == "1", "a job was taken more than once"


def test_postgres_restart_is_survived_with_nothing_lost(cluster):
    ana = WebPerson(cluster["a"])
    ana.sign_up()
    before = [ana.say_me_too(f"before restart {n}") for n in range(5)]
    stream = Stream(cluster["b"] + "/api/v1/streaming/public", api_token(cluster["b"], ana))
    stream.start()
    postgres("stop_postgres")
    started = time.time()
    down = ana.get("/voices")
    assert down.status_code == 503, down.status_code
    assert time.time() - started < 6, "a request should fail fast while the database is down"
    assert "try again" in down.text
    postgres("restart_postgres_after_stop")
    assert wait_until(lambda: ana.get("/voices").status_code == 200, seconds=30), "instance A did not recover"
    assert wait_until(lambda: requests.get(cluster["b"] + "/voices", timeout=2).status_code == 200, seconds=30), "instance B did not recover"
    after = ana.say_me_too("after restart #MeToo")
    journal = ana.get("/journal").text
    for voice in before + [after]:
        assert f'id="v{voice}"' in journal
    assert wait_until(lambda: any(status["id"] == after for _, status in stream.updates), seconds=10) or \
        stream_again_receives(cluster, ana), "live updates did not resume after the restart"


def stream_again_receives(cluster, ana):
    """A client whose stream broke during the outage reconnects, as Mastodon apps do, and receives new voices."""
    stream = Stream(cluster["b"] + "/api/v1/streaming/public", api_token(cluster["b"], ana))
    stream.start()
    time.sleep(0.5)
    voice = ana.say_me_too("after reconnecting #MeToo")
    return wait_until(lambda: any(status["id"] == voice for _, status in stream.updates), seconds=5)
