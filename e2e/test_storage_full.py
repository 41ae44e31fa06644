"""Full storage: the server answers 503 with a clear message, keeps serving reads, and recovers when space
returns. SQLite on a small tmpfs (needs root to mount; skipped otherwise). (A read-only remount can't be made
while the database files are open, so read-only storage is covered by the same 503 mapping, not by this test.)"""
import os
import shutil
import subprocess
import tempfile
import time

import pytest
import requests

from conftest import WebPerson

PORT = 18095
BASE = f"http://127.0.0.1:{PORT}"
pytestmark = pytest.mark.skipif(os.environ.get("CHORUS_E2E_ENGINE") != "sqlite", reason="runs once, with SQLite on a small disk")


@pytest.fixture
def small_disk():
    mount = tempfile.mkdtemp(prefix="chorus-disk-")
    if os.geteuid() != 0 or subprocess.run(["mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", mount]).returncode != 0:
        pytest.skip("mounting a small disk needs root")
    yield mount
    subprocess.run(["umount", "-l", mount])
    shutil.rmtree(mount, ignore_errors=True)


def fill(path):
    """Fills the disk to the last byte; returns the filler file to remove."""
    filler = os.path.join(path, "filler")
    subprocess.run(["dd", "if=/dev/zero", f"of={filler}", "bs=64k"], stderr=subprocess.DEVNULL)
    try:
        with open(os.path.join(path, "filler2"), "wb", buffering=0) as handle:
            while True:
                handle.write(b"\0" * 512)
    except OSError:
        pass  # the disk is full: that is the point
    return [filler, os.path.join(path, "filler2")]


def test_full_disk_answers_503_keeps_reads_and_recovers(small_disk):
    binary = os.environ["CHORUS_E2E_BIN"]
    server = subprocess.Popen([binary, "serve", "--port", str(PORT), "--data-dir", os.path.join(small_disk, "data"), "--bcrypt-cost", "4"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(200):
            try:
                if requests.get(BASE + "/health", timeout=0.5).ok:
                    break
            except requests.RequestException:
                time.sleep(0.05)
        ana = WebPerson(BASE)
        ana.sign_up()
        kept = ana.say_me_too("before the disk filled up #MeToo")

        fillers = fill(small_disk)
        refused = [ana.post("/say", {"text": f"while full {n} " + "x" * 3000, "visibility": "public"}) for n in range(5)]
        statuses = {response.status_code for response in refused}
        assert statuses <= {201, 503} and 503 in statuses, statuses
        full = next(response for response in refused if response.status_code == 503)
        assert "try again" in full.text and full.headers.get("Retry-After")
        assert ana.get("/voices").status_code == 200
        assert ana.get(f"/voices/{kept}").status_code == 200

        for filler in fillers:
            os.remove(filler)
        recovered = ana.post("/say", {"text": "after space returned #MeToo", "visibility": "public"})
        assert recovered.status_code == 201, recovered.text[:300]

        again = ana.post("/say", {"text": "writable again #MeToo", "visibility": "public"})
        assert again.status_code == 201, again.text[:300]
        journal = ana.get("/journal").text
        assert f'id="v{kept}"' in journal and "after space returned" in journal and "writable again" in journal
    finally:
        server.terminate()
        server.wait(timeout=20)
