"""Crash safety: voices are posted continuously from several clients while the server is killed with SIGKILL at
random moments and restarted. Every voice whose request was answered with success must be there afterwards, and
nothing may be half-written (tags, per-person counts and totals agree with the voices)."""
import os
import random
import re
import shutil
import signal
import sqlite3
import subprocess
import tempfile
import threading
import time
import uuid

import pytest
import requests

KILLS = int(os.environ.get("CHORUS_CRASH_KILLS", "20"))
CLIENTS = 4
PORT = int(os.environ.get("CHORUS_CRASH_PORT", "18090"))
BASE = f"http://127.0.0.1:{PORT}"


class Server:
    def __init__(self, binary, data_dir, database_url, log_path):
        self.binary, self.data_dir, self.database_url, self.log_path = binary, data_dir, database_url, log_path
        self.process = None

    def start(self):
        # The test posts far more than a person would: the posting limit is raised, as an operator may.
        args = [self.binary, "serve", "--port", str(PORT), "--data-dir", self.data_dir, "--bcrypt-cost", "4", "--posting-limit", "100000"]
        if self.database_url:
            args += ["--database-url", self.database_url]
        log = open(self.log_path, "a")
        self.process = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                if requests.get(BASE + "/health", timeout=0.5).status_code == 200:
                    return
            except requests.RequestException:
                time.sleep(0.05)
        raise AssertionError("Chorus did not come back after a restart; see " + self.log_path)

    def kill(self):
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=20)


class Client(threading.Thread):
    """Signs up a few people, then says me too as each of them in turn, remembering what the server acknowledged."""

    PEOPLE = 3

    def __init__(self, number, stop):
        super().__init__(daemon=True)
        self.number, self.stop = number, stop
        self.sessions = []
        self.acknowledged, self.unknown, self.sequence = [], [], 0

    def sign_up(self):
        for person in range(self.PEOPLE):
            http = requests.Session()
            handle = f"crash{self.number}_{person}_{uuid.uuid4().hex[:6]}"
            http.get(BASE + "/", timeout=5)
            fields = {"handle": handle, "password": "correct horse battery", "password_confirmation": "correct horse battery"}
            fields["_csrf"] = http.cookies.get("chorus_csrf")
            response = http.post(BASE + "/signup", data=fields, allow_redirects=False, timeout=10)
            assert response.status_code == 201, response.text[:300]
            self.sessions.append((handle, http))

    def run(self):
        while not self.stop.is_set():
            self.sequence += 1
            handle, http = self.sessions[self.sequence % len(self.sessions)]
            text = f"crash {handle} {self.sequence} #CrashTest"
            fields = {"text": text, "visibility": "only_me", "_csrf": http.cookies.get("chorus_csrf")}
            try:
                response = http.post(BASE + "/say", data=fields, allow_redirects=False, timeout=10)
                if response.status_code == 201:
                    self.acknowledged.append(text)
                elif response.status_code >= 500:
                    self.unknown.append(text)
            except requests.RequestException:
                self.unknown.append(text)
                time.sleep(0.05)


def query(engine, data_dir, database_url, sql):
    if engine == "postgres":
        out = subprocess.run(["psql", database_url, "-AtF", "\t", "-c", sql], check=True, capture_output=True, text=True).stdout
        return [tuple(line.split("\t")) for line in out.splitlines() if line]
    with sqlite3.connect(os.path.join(data_dir, "chorus.sqlite")) as db:
        return [tuple(str(value) for value in row) for row in db.execute(sql)]


def test_nothing_acknowledged_is_lost_across_sigkills():
    binary = os.environ.get("CHORUS_E2E_BIN")
    if not binary:
        pytest.fail("CHORUS_E2E_BIN is not set: run these through scripts/e2e")
    engine = os.environ.get("CHORUS_E2E_ENGINE", "sqlite")
    data_dir = tempfile.mkdtemp(prefix="chorus-crash-")
    database_url = None
    if engine == "postgres":
        admin = os.environ["CHORUS_PG_URL"]
        subprocess.run(["psql", admin + "/postgres", "-qc", "DROP DATABASE IF EXISTS chorus_crash", "-qc", "CREATE DATABASE chorus_crash"], check=True)
        database_url = admin + "/chorus_crash"
    server = Server(binary, data_dir, database_url, os.path.join(data_dir, "server.log"))
    server.start()
    try:
        run_kills_and_check(server, engine, data_dir, database_url)
    finally:
        if server.process.poll() is None:
            server.process.kill()
            server.process.wait()


def run_kills_and_check(server, engine, data_dir, database_url):
    stop = threading.Event()
    clients = [Client(number, stop) for number in range(CLIENTS)]
    for client in clients:
        client.sign_up()
        client.start()

    random.seed(2017)
    for _ in range(KILLS):
        time.sleep(random.uniform(0.15, 0.8))
        server.kill()
        server.start()
    time.sleep(0.5)
    stop.set()
    for client in clients:
        client.join(timeout=15)
    server.stop()

    stored = {row[0] for row in query(engine, data_dir, database_url, "SELECT text FROM voices")}
    acknowledged = [text for client in clients for text in client.acknowledged]
    missing = [text for text in acknowledged if text not in stored]
    print(f"\n{engine}: {KILLS} kills survived, {len(acknowledged)} voices acknowledged, "
          f"{sum(len(c.unknown) for c in clients)} requests refused or cut off while the server was down, {len(stored)} voices stored, {len(missing)} lost")
    assert len(acknowledged) > KILLS, "too few voices were posted for the test to mean anything"
    assert not missing, f"acknowledged voices lost: {missing[:5]}"

    # Nothing half-written: every voice has its hashtag row, per-person counts match the voices, and the total matches.
    untagged = query(engine, data_dir, database_url,
                     "SELECT v.id FROM voices v WHERE NOT EXISTS (SELECT 1 FROM voice_tags t WHERE t.voice_id = v.id AND t.tag = 'crashtest')")
    assert untagged == [], f"voices stored without their hashtag: {untagged[:5]}"
    mismatched = query(engine, data_dir, database_url,
                       "SELECT a.id FROM accounts a WHERE a.metoo_voices <> (SELECT COUNT(*) FROM voices v WHERE v.account_id = a.id AND v.kind = 'metoo')")
    assert mismatched == [], "an account's count of its voices disagrees with its voices"
    people = query(engine, data_dir, database_url, "SELECT value FROM counters WHERE name = 'metoo_people'")[0][0]
    with_voices = query(engine, data_dir, database_url, "SELECT COUNT(*) FROM accounts WHERE metoo_voices > 0")[0][0]
    assert people == with_voices == str(CLIENTS * Client.PEOPLE)
    shutil.rmtree(data_dir, ignore_errors=True)
