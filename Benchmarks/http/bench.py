#!/usr/bin/env python3
"""Chorus HTTP benchmarks, each figure a ratio of the ceiling (a plain Hummingbird "hello" in the same binary),
measured in the same run with the same load tool and connection count. Medians over rounds.

    python3 Benchmarks/http/bench.py [--engine sqlite|postgres] [--voices 10000] [--rounds 3] [--seconds 8] [--connections 64]
                                     [--sse 1000 10000]

Needs wrk (apt-get install wrk) and, for PostgreSQL, CHORUS_PG_URL (source scripts/postgres.sh; start_postgres).
"""
import argparse
import resource
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
HERE = os.path.dirname(os.path.abspath(__file__))


def http(method, url, data=None, token=None):
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    request = urllib.request.Request(url, data=body, method=method)
    if token:
        request.add_header("Authorization", "Bearer " + token)
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read() or b"null")


def wait_up(url):
    for _ in range(200):
        try:
            urllib.request.urlopen(url, timeout=1)
            return
        except Exception:
            time.sleep(0.1)
    raise SystemExit("server did not start: " + url)


def rss_mib(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def wrk(url, seconds, connections, script=None, env=None):
    args = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", url]
    if script:
        args[1:1] = ["-s", os.path.join(HERE, script)]
    out = subprocess.run(args, capture_output=True, text=True, env={**os.environ, **(env or {})}).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))

    def latency(label):
        match = re.search(rf"\s{label}%\s+([\d.]+)(us|ms|s)", out)
        value, unit = float(match.group(1)), match.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    return {"rate": rate, "p50": latency("50"), "p99": latency("99"), "errors": int(errors.group(1)) if errors else 0, "requests": requests}


def cpu_seconds(pids):
    """User + system CPU time of these processes, in seconds."""
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
        except (FileNotFoundError, ProcessLookupError):
            pass
    return total / os.sysconf("SC_CLK_TCK")


def postgres_pids():
    pids = []
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                with open(f"/proc/{name}/comm") as comm:
                    if comm.read().strip() == "postgres":
                        pids.append(int(name))
            except OSError:
                pass
    return pids


class DatabaseMeter:
    """Statements, WAL bytes and CPU the database spends, read around one load run (PostgreSQL), so each request's
    cost can be divided out. On SQLite the database works inside the Chorus process; only bytes on disk are read."""

    def __init__(self, engine, data):
        self.engine, self.data = engine, data
        self.url = os.environ.get("CHORUS_PG_URL", "") + "/chorus_bench"
        if engine == "postgres":
            self.sql("CREATE EXTENSION IF NOT EXISTS pg_stat_statements", check=False)

    def sql(self, query, check=True):
        out = subprocess.run(["psql", self.url, "-Atc", query], capture_output=True, text=True)
        if check and out.returncode != 0:
            raise SystemExit(out.stderr)
        return out.stdout.strip()

    def reading(self):
        if self.engine != "postgres":
            return {"bytes": database_size("sqlite", self.data)}
        statements = self.sql("SELECT COALESCE(SUM(calls), 0) FROM pg_stat_statements WHERE query NOT ILIKE '%pg_stat%' "
                              "AND query NOT ILIKE '%pg_database_size%' AND query NOT ILIKE '%pg_current_wal%'", check=False)
        wal = self.sql("SELECT pg_current_wal_lsn() - '0/0'::pg_lsn")
        size = self.sql("SELECT pg_database_size('chorus_bench')")
        return {"statements": int(statements or 0) if (statements or "0").isdigit() else None, "wal": int(float(wal)), "bytes": int(size),
                "cpu": cpu_seconds(postgres_pids())}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--engine", default="sqlite", choices=["sqlite", "postgres"])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=8)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--accounts", type=int, default=200)
    parser.add_argument("--voices", type=int, default=10_000, help="voices seeded with `chorus seed` before the run")
    parser.add_argument("--sse", type=int, nargs="*", default=[1_000, 10_000], help="SSE subscriber counts for the fan-out test")
    parser.add_argument("--binary", default=None, help="a release `chorus` (default: build one in .build-release)")
    parser.add_argument("--json", default=None, help="also write the results here")
    parser.add_argument("--seeded", action="store_true",
                        help="PostgreSQL: chorus_bench already holds a fresh `chorus seed --voices N` (seeded apart, e.g. for 10M voices)")
    parser.add_argument("--only", default=None, help="only the scenarios whose name contains this text (and the ceiling)")
    parser.add_argument("--metrics", action="store_true",
                        help="serve with a metrics token and report, from /metrics, how the writes of each scenario went "
                             "(their time, and on SQLite how many shared a commit and each WAL sync's time)")
    options = parser.parse_args()
    # The server holds one file per SSE subscriber.
    resource.setrlimit(resource.RLIMIT_NOFILE, (resource.getrlimit(resource.RLIMIT_NOFILE)[1],) * 2)

    binary = options.binary or build_release()
    data = tempfile.mkdtemp(prefix="chorus-bench-")
    database = ["--data-dir", data]
    if options.engine == "postgres":
        admin = os.environ["CHORUS_PG_URL"]
        if not options.seeded:
            subprocess.run(["psql", admin + "/postgres", "-qc", "DROP DATABASE IF EXISTS chorus_bench", "-qc", "CREATE DATABASE chorus_bench"],
                           check=True)
        database = ["--database-url", admin + "/chorus_bench"]
    elif options.seeded:
        raise SystemExit("--seeded is for PostgreSQL")
    people = max(10, min(options.voices // 10, 100_000))
    seed_seconds = None
    if not options.seeded:
        started = time.time()
        subprocess.run([binary, "seed", "--voices", str(options.voices), "--people", str(people), "--days", "60", *database], check=True,
                       stdout=subprocess.DEVNULL)
        seed_seconds = time.time() - started
    size = database_size(options.engine, data)

    serve = [binary, "serve", "--port", "19080", *database, "--bcrypt-cost", "4", "--log-level", "warning",
             "--posting-limit", "1000000000", "--rate-limits", "off"]
    ceiling = subprocess.Popen([binary, "ceiling", "--port", "19090"])
    metrics_token = "bench-metrics-token-" + os.urandom(12).hex() if options.metrics else None
    chorus = subprocess.Popen(serve, env={**os.environ, "CHORUS_METRICS_TOKEN": metrics_token} if metrics_token else None)
    try:
        wait_up("http://127.0.0.1:19090/hello")
        wait_up("http://127.0.0.1:19080/health")
        base = "http://127.0.0.1:19080"
        time.sleep(2)
        idle_rss = rss_mib(chorus.pid)

        # Accounts with tokens through the real API, three hot voices with a thread of replies each.
        app = http("POST", base + "/api/v1/apps", {"client_name": "bench", "redirect_uris": "urn:ietf:wg:oauth:2.0:oob", "scopes": "read write"})
        tokens = [create_account_token(base, app, f"bench{number}") for number in range(options.accounts)]
        tokens_file = os.path.join(data, "tokens.txt")
        with open(tokens_file, "w") as handle:
            handle.write("\n".join(tokens) + "\n")
        hot = [http("POST", base + "/api/v1/statuses", {"status": f"hot voice {n} #MeToo"}, tokens[n])["id"] for n in range(3)]
        # Nine new accounts answer (more would meet the limit on replies from new accounts), and the survivor thanks them.
        for n in range(20):
            http("POST", base + "/api/v1/statuses", {"status": f"I believe you ({n}).", "in_reply_to_id": hot[0]}, tokens[10 + n if n < 9 else 0])
        env = {"CHORUS_TOKENS": tokens_file, "CHORUS_HOT_VOICES": ",".join(hot)}

        ceiling_run = ("ceiling: GET /hello", "http://127.0.0.1:19090/hello", None)
        reads = [
            ("hashtag timeline, 20 voices", base + "/api/v1/timelines/tag/metoo?limit=20", None),
            ("a voice's thread (context, 20 replies)", base + f"/api/v1/statuses/{hot[0]}/context", None),
            ("GET /api/v1/chorus/magnitude", base + "/api/v1/chorus/magnitude", None),
            ("home page (HTML)", base + "/", None),
        ]
        writes = [
            ("me too via API (durable POST /api/v1/statuses)", base, "post_status.lua"),
            ("I believe you on 3 hot voices (favourite/unfavourite)", base, "favourite.lua"),
        ]
        results, peak_rss = {}, {}
        # Reads first, so they see the seeded size, then writes; the ceiling is measured in every round of both.
        meter = DatabaseMeter(options.engine, data)
        if options.only:
            reads, writes = ([run for run in phase if options.only in run[0]] for phase in (reads, writes))
        for phase in (reads, writes):
            if not phase:
                continue
            for _ in range(options.rounds):
                for name, url, script in [ceiling_run] + phase:
                    pid = ceiling.pid if name.startswith("ceiling") else chorus.pid
                    cpu_before, db_before = cpu_seconds([pid]), meter.reading()
                    # The ceiling is another process: Chorus's metrics say nothing of it.
                    token = metrics_token if pid == chorus.pid else None
                    metrics_before = scrape(base, token)
                    run = wrk(url, options.seconds, options.connections, script, env)
                    cpu_after, db_after = cpu_seconds([pid]), meter.reading()
                    run.update(write_figures(metrics_before, scrape(base, token)))
                    done = max(run["requests"], 1)
                    if run.get("writes") is not None:
                        run["writes"] /= done
                    run["cpu_ms"] = (cpu_after - cpu_before) * 1000 / done
                    for key in ("statements", "wal", "bytes", "cpu"):
                        if db_before.get(key) is not None and db_after.get(key) is not None:
                            run["db_" + key] = (db_after[key] - db_before[key]) / done
                    results.setdefault(name, []).append(run)
                    if not name.startswith("ceiling"):
                        peak_rss[name] = max(peak_rss.get(name, 0), rss_mib(chorus.pid))
        report(options, results, idle_rss, peak_rss, seed_seconds, size)
        sys.stdout.flush()
        fanout = []
        for subscribers in options.sse:
            fanout.append(sse_fanout(base, subscribers, chorus.pid))
        report_fanout(fanout)
        if options.json:
            with open(options.json, "w") as handle:
                json.dump({"options": vars(options), "results": results, "idle_rss": idle_rss, "peak_rss": peak_rss, "fanout": fanout,
                           "seed_seconds": seed_seconds, "database_bytes": size}, handle, indent=1)
    finally:
        chorus.terminate()
        ceiling.terminate()
        chorus.wait(timeout=30)
        if options.engine == "sqlite":
            subprocess.run(["rm", "-rf", data])


def scrape(base, token):
    """/metrics summed over labels, {sample name: value} (empty without a token)."""
    if not token:
        return {}
    request = urllib.request.Request(base + "/metrics", headers={"Authorization": "Bearer " + token})
    with urllib.request.urlopen(request, timeout=30) as response:
        text = response.read().decode()
    values = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            name, value = line.split("{")[0].split(" ")[0], float(line.rsplit(" ", 1)[1])
            values[name] = values.get(name, 0) + value
    return values


def write_figures(before, after):
    """What the writes of one run did, from two scrapes: per request figures are filled in by the caller's count."""
    if not after:
        return {}

    def delta(name):
        return after.get(name, 0) - before.get(name, 0)

    writes, commits, syncs = delta("chorus_write_duration_seconds_count"), delta("chorus_sqlite_writes_per_commit_count"), \
        delta("chorus_sqlite_wal_sync_duration_seconds_count")
    figures = {"writes": writes, "write_ms": delta("chorus_write_duration_seconds_sum") * 1000 / writes if writes else None}
    if commits:
        figures.update(writes_per_commit=delta("chorus_sqlite_writes_per_commit_sum") / commits, syncs=syncs,
                       sync_ms=delta("chorus_sqlite_wal_sync_duration_seconds_sum") * 1000 / syncs if syncs else None)
    return figures


def build_release():
    subprocess.run(["swift", "build", "-c", "release", "--product", "chorus", "--scratch-path", ".build-release"], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL)
    return os.path.join(ROOT, ".build-release/release/chorus")


def database_size(engine, data):
    """Bytes on disk after seeding (SQLite: the file and its WAL; PostgreSQL: pg_database_size)."""
    if engine == "postgres":
        out = subprocess.run(["psql", os.environ["CHORUS_PG_URL"] + "/chorus_bench", "-Atc", "SELECT pg_database_size('chorus_bench')"],
                             capture_output=True, text=True, check=True).stdout
        return int(out.strip())
    return sum(os.path.getsize(os.path.join(data, name)) for name in os.listdir(data) if name.startswith("chorus.sqlite"))


def sse_fanout(base, subscribers, pid):
    """Opens `subscribers` SSE streams (several client processes), makes one change, and times each receipt."""
    script = os.path.join(ROOT, "Benchmarks/magnitude/sse_fanout.py")
    try:
        out = subprocess.run([sys.executable, script, "--url", base, "--subscribers", str(subscribers), "--rounds", "3", "--processes", "4",
                              "--server-pid", str(pid)], capture_output=True, text=True, timeout=900)
    except subprocess.TimeoutExpired as timeout:
        print(f"SSE fan-out with {subscribers} subscribers did not finish in 15 minutes", file=sys.stderr)
        return {"subscribers": subscribers, "rounds": [json.loads(line) for line in (timeout.stdout or b"").decode().splitlines() if line.startswith("{")]}
    rounds = [json.loads(line) for line in out.stdout.splitlines() if line.startswith("{")]
    if not rounds:
        print(out.stderr[-2000:], file=sys.stderr)
    return {"subscribers": subscribers, "rounds": rounds}


def create_account_token(base, app, handle):
    password = "benchmark password"
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor())
    page = opener.open(base + "/")
    jar = opener.handlers[[type(h).__name__ for h in opener.handlers].index("HTTPCookieProcessor")].cookiejar
    csrf = next(cookie.value for cookie in jar if cookie.name == "chorus_csrf")
    form = urllib.parse.urlencode({"handle": handle, "password": password, "password_confirmation": password, "_csrf": csrf}).encode()
    opener.open(urllib.request.Request(base + "/signup", data=form, method="POST"))
    token = http("POST", base + "/oauth/token", {
        "grant_type": "password", "client_id": app["client_id"], "client_secret": app["client_secret"],
        "username": handle, "password": password, "scope": "read write"})
    return token["access_token"]


def report(options, results, idle_rss, peak_rss, seed_seconds, size):
    ceiling = statistics.median(r["rate"] for r in results["ceiling: GET /hello"])
    print(f"\nEngine: {options.engine}; {options.voices:,} seeded voices; {options.connections} connections, wrk -t2, "
          f"{options.seconds} s x {options.rounds} rounds (medians)\n")
    print("| scenario | req/s | ratio to ceiling | p50 ms | p99 ms | non-2xx/3xx | peak RSS MiB |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name, rounds in results.items():
        rate = statistics.median(r["rate"] for r in rounds)
        p50 = statistics.median(r["p50"] for r in rounds)
        p99 = statistics.median(r["p99"] for r in rounds)
        errors = sum(r["errors"] for r in rounds)
        rss = f"{peak_rss[name]:.0f}" if name in peak_rss else "–"
        print(f"| {name} | {rate:,.0f} | {rate / ceiling:.0%} | {p50:.2f} | {p99:.2f} | {errors} | {rss} |")
    print("\nCost per request (medians over rounds): CPU of the Chorus process, and what the database did for it")
    print("\n| scenario | Chorus CPU ms/request | database CPU ms/request | statements/request | WAL bytes/request | database bytes/request |")
    print("|---|---:|---:|---:|---:|---:|")

    def cost(rounds, key, digits):
        values = [r[key] for r in rounds if r.get(key) is not None]
        return f"{statistics.median(values):,.{digits}f}" if values else "–"

    for name, rounds in results.items():
        print(f"| {name} | {cost(rounds, 'cpu_ms', 3)} | {cost([{'x': r['db_cpu'] * 1000} for r in rounds if 'db_cpu' in r], 'x', 3)} | "
              f"{cost(rounds, 'db_statements', 1)} | {cost(rounds, 'db_wal', 0)} | {cost(rounds, 'db_bytes', 0)} |")
    if any("writes" in r for rounds in results.values() for r in rounds):
        print("\nWrites, from /metrics (medians over rounds; means within a round)")
        print("\n| scenario | writes/request | write ms (submitted to answered) | writes per commit | WAL syncs/s | WAL sync ms |")
        print("|---|---:|---:|---:|---:|---:|")
        for name, rounds in results.items():
            if any(r.get("writes") for r in rounds):
                print(f"| {name} | {cost(rounds, 'writes', 2)} | {cost(rounds, 'write_ms', 2)} | {cost(rounds, 'writes_per_commit', 1)} | "
                      f"{cost([{'x': r['syncs'] / options.seconds} for r in rounds if r.get('syncs') is not None], 'x', 0)} | "
                      f"{cost(rounds, 'sync_ms', 2)} |")
    print(f"\nIdle RSS after start: {idle_rss:.1f} MiB")
    seeding = "seeded apart" if seed_seconds is None else f"{seed_seconds:.0f} s"
    print(f"Seeding {options.voices:,} voices: {seeding}; database on disk: {size / 2**20:,.0f} MiB "
          f"({size / 2**20 / max(options.voices, 1) * 1e6:,.0f} MiB per million voices)")


def report_fanout(fanout):
    if fanout:
        print("\n| SSE subscribers | received within 1 s (per round) | p50 ms | slowest ms | peak RSS MiB |")
        print("|---:|---|---:|---:|---:|")
        for entry in fanout:
            within = ", ".join(str(r.get("received_within_1s", "not ready")) for r in entry["rounds"])
            rounds = [r for r in entry["rounds"] if "received_within_1s" in r]
            p50 = statistics.median(r["p50_ms"] or 0 for r in rounds) if rounds else 0
            slowest = max((r["max_ms"] or 0) for r in rounds) if rounds else 0
            rss = max((r.get("server_rss_mib") or 0) for r in rounds) if rounds else 0
            print(f"| {entry['subscribers']:,} | {within} | {p50:.0f} | {slowest:.0f} | {rss:.0f} |")


if __name__ == "__main__":
    sys.exit(main())
