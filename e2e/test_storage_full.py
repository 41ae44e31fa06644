"""Full or read-only storage: the server answers 503 with a clear message, keeps serving reads, and recovers when
space (or writing) returns.

- SQLite: the data folder on a small tmpfs that is filled to the last byte (needs root to mount; skipped otherwise).
- PostgreSQL: the database in a tablespace on a small tmpfs that is filled the same way (needs root), and the
  database switched to read-only (`default_transaction_read_only`, as on a standby after a failover) with its
  sessions ended, then switched back.

SQLite's read-only case has no test of its own: Linux refuses to remount a filesystem read-only while the database
files are open for writing, so it can't be made under a running server. It goes through the same 503 mapping
(`StorageUnavailable`: SQLITE_READONLY and its variants)."""
import os
import random
import shutil
import string
import subprocess
import tempfile
import time

import pytest

from conftest import ChorusServer, WebPerson

PORT = int(os.environ.get("CHORUS_E2E_PORT", "18080")) + 15
BASE = f"http://127.0.0.1:{PORT}"
ENGINE = os.environ.get("CHORUS_E2E_ENGINE")


def mount_small_disk(size):
    mount = tempfile.mkdtemp(prefix="chorus-disk-")
    if os.geteuid() != 0 or subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", mount]).returncode != 0:
        os.rmdir(mount)
        pytest.skip("mounting a small disk needs root")
    return mount


def unmount(mount):
    subprocess.run(["umount", "-l", mount])
    shutil.rmtree(mount, ignore_errors=True)


def fill(path):
    """Fills the disk to the last byte; returns the filler files to remove."""
    filler = os.path.join(path, "filler")
    subprocess.run(["dd", "if=/dev/zero", f"of={filler}", "bs=64k"], stderr=subprocess.DEVNULL)
    try:
        with open(os.path.join(path, "filler2"), "wb", buffering=0) as handle:
            while True:
                handle.write(b"\0" * 512)
    except OSError:
        pass  # the disk is full: that is the point
    return [filler, os.path.join(path, "filler2")]


def psql(url, *commands):
    args = ["psql", url, "-v", "ON_ERROR_STOP=1", "-q"]
    for command in commands:
        args += ["-c", command]
    subprocess.run(args, check=True, capture_output=True)


class Server(ChorusServer):
    def __init__(self, data_dir, database_url=None):
        super().__init__(PORT, data_dir, f"storage-{ENGINE}", database_url, flags=["--rate-limits", "off"])

    def stop(self):
        assert super().stop() == 0, "Chorus did not stop cleanly; see " + self.log


def say(person, text):
    return person.post("/say", {"text": text, "visibility": "public"})


def someone_with_a_voice(text):
    person = WebPerson(BASE)
    person.sign_up()
    return person, person.say_me_too(text)


def check_refused_then_recovered(person, kept, make_writable):
    """Writes are refused with a calm 503 while storage can't take them, reads go on, and writing comes back."""
    # random letters, so that neither engine can compress the text into space it still has
    refused = [say(person, f"while storage is unavailable {n} " + "".join(random.choices(string.ascii_letters, k=3000))) for n in range(20)]
    statuses = {response.status_code for response in refused}
    assert statuses <= {201, 503} and 503 in statuses, statuses
    unavailable = next(response for response in refused if response.status_code == 503)
    assert "try again" in unavailable.text and unavailable.headers.get("Retry-After")
    assert person.get("/voices").status_code == 200
    assert person.get(f"/voices/{kept}").status_code == 200
    assert person.get("/journal").status_code == 200

    make_writable()
    recovered = None
    for _ in range(50):  # the next write after storage returns, or after the pool reconnects, goes through
        recovered = say(person, "after storage returned #MeToo")
        if recovered.status_code == 201:
            break
        assert recovered.status_code == 503, recovered.text[:300]
        time.sleep(0.2)
    assert recovered.status_code == 201, recovered.text[:300]
    again = say(person, "writable again #MeToo")
    assert again.status_code == 201, again.text[:300]
    journal = person.get("/journal").text
    assert f'id="v{kept}"' in journal and "after storage returned" in journal and "writable again" in journal
    assert journal.count("after storage returned") == 1


@pytest.mark.skipif(ENGINE != "sqlite", reason="the SQLite data folder on a small disk")
def test_sqlite_full_disk_answers_503_keeps_reads_and_recovers():
    mount = mount_small_disk("8m")
    server = Server(os.path.join(mount, "data"))
    try:
        ana, kept = someone_with_a_voice("before the disk filled up #MeToo")
        fillers = fill(mount)
        check_refused_then_recovered(ana, kept, lambda: [os.remove(filler) for filler in fillers])
    finally:
        server.stop()
        unmount(mount)


@pytest.fixture
def postgres_database():
    admin = os.environ.get("CHORUS_PG_URL")
    if not admin:
        pytest.fail("CHORUS_PG_URL is not set: run these through scripts/e2e")
    created = []

    def make(name, tablespace=None):
        psql(admin + "/postgres", f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        psql(admin + "/postgres", f"CREATE DATABASE {name}" + (f" TABLESPACE {tablespace}" if tablespace else ""))
        created.append(name)
        return admin + "/" + name

    yield make
    for name in created:
        subprocess.run(["psql", admin + "/postgres", "-qc", f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"], capture_output=True)


@pytest.mark.skipif(ENGINE != "postgres", reason="a PostgreSQL tablespace on a small disk")
def test_postgres_full_tablespace_answers_503_keeps_reads_and_recovers(postgres_database):
    mount = mount_small_disk("48m")
    admin = os.environ["CHORUS_PG_URL"] + "/postgres"
    shutil.chown(mount, "postgres", "postgres")
    data_dir = tempfile.mkdtemp(prefix="chorus-full-")
    server = None
    try:
        psql(admin, "DROP TABLESPACE IF EXISTS chorus_small_disk")
        psql(admin, f"CREATE TABLESPACE chorus_small_disk LOCATION '{mount}'")
        server = Server(data_dir, postgres_database("chorus_full_disk", tablespace="chorus_small_disk"))
        ana, kept = someone_with_a_voice("before the disk filled up #MeToo")
        fillers = fill(mount)
        check_refused_then_recovered(ana, kept, lambda: [os.remove(filler) for filler in fillers])
    finally:
        if server:
            server.stop()
        subprocess.run(["psql", admin, "-qc", "DROP DATABASE IF EXISTS chorus_full_disk WITH (FORCE)", "-qc", "DROP TABLESPACE IF EXISTS chorus_small_disk"],
                       capture_output=True)
        unmount(mount)
        shutil.rmtree(data_dir, ignore_errors=True)


@pytest.mark.skipif(ENGINE != "postgres", reason="a PostgreSQL database switched to read-only")
def test_postgres_read_only_answers_503_keeps_reads_and_recovers(postgres_database):
    url = postgres_database("chorus_read_only")
    admin = os.environ["CHORUS_PG_URL"] + "/postgres"
    end_sessions = "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = 'chorus_read_only' AND pid <> pg_backend_pid()"
    data_dir = tempfile.mkdtemp(prefix="chorus-read-only-")
    server = Server(data_dir, url)
    try:
        ana, kept = someone_with_a_voice("before the database went read-only #MeToo")
        psql(admin, "ALTER DATABASE chorus_read_only SET default_transaction_read_only = on", end_sessions)

        def writable_again():
            psql(admin, "ALTER DATABASE chorus_read_only RESET default_transaction_read_only", end_sessions)

        check_refused_then_recovered(ana, kept, writable_again)
    finally:
        server.stop()
        shutil.rmtree(data_dir, ignore_errors=True)
