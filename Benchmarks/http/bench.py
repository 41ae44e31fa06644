#!/usr/bin/env python3
"""Chorus HTTP benchmarks, each figure a ratio of the ceiling (a plain Hummingbird "hello" in the same binary),
measured in the same run with the same load tool and connection count. Medians over rounds.

    python3 Benchmarks/http/bench.py [--engine sqlite|postgres] [--rounds 3] [--seconds 8] [--connections 64]

Needs wrk (apt-get install wrk) and, for PostgreSQL, CHORUS_PG_URL (source scripts/postgres.sh; start_postgres).
"""
import argparse
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
    return {"rate": rate, "p50": latency("50"), "p99": latency("99"), "errors": int(errors.group(1)) if errors else 0}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--engine", default="sqlite", choices=["sqlite", "postgres"])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=8)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--accounts", type=int, default=200)
    options = parser.parse_args()

    subprocess.run(["swift", "build", "-c", "release", "--product", "chorus", "--scratch-path", ".build-release"], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL)
    binary = os.path.join(ROOT, ".build-release/release/chorus")
    data = tempfile.mkdtemp(prefix="chorus-bench-")
    serve = [binary, "serve", "--port", "19080", "--data-dir", data, "--bcrypt-cost", "4", "--log-level", "warning"]
    if options.engine == "postgres":
        admin = os.environ["CHORUS_PG_URL"]
        subprocess.run(["psql", admin + "/postgres", "-qc", "DROP DATABASE IF EXISTS chorus_bench", "-qc", "CREATE DATABASE chorus_bench"], check=True)
        serve += ["--database-url", admin + "/chorus_bench"]
    ceiling = subprocess.Popen([binary, "ceiling", "--port", "19090"])
    chorus = subprocess.Popen(serve)
    try:
        wait_up("http://127.0.0.1:19090/hello")
        wait_up("http://127.0.0.1:19080/health")
        base = "http://127.0.0.1:19080"
        idle_rss = rss_mib(chorus.pid)

        # Seed: accounts with tokens through the real API, and some voices to read.
        app = http("POST", base + "/api/v1/apps", {"client_name": "bench", "redirect_uris": "urn:ietf:wg:oauth:2.0:oob", "scopes": "read write"})
        tokens = []
        for number in range(options.accounts):
            tokens.append(create_account_token(base, app, f"bench{number}"))
        tokens_file = os.path.join(data, "tokens.txt")
        with open(tokens_file, "w") as handle:
            handle.write("\n".join(tokens) + "\n")
        hot = [http("POST", base + "/api/v1/statuses", {"status": f"hot voice {n} #MeToo"}, tokens[n])["id"] for n in range(3)]
        for n in range(40):
            http("POST", base + "/api/v1/statuses", {"status": f"seed {n} #MeToo"}, tokens[n % len(tokens)])
        env = {"CHORUS_TOKENS": tokens_file, "CHORUS_HOT_VOICES": ",".join(hot)}

        scenarios = [
            ("ceiling: GET /hello", "http://127.0.0.1:19090/hello", None),
            ("me too via API (durable POST /api/v1/statuses)", base, "post_status.lua"),
            ("I believe you on 3 hot voices (favourite/unfavourite)", base, "favourite.lua"),
            ("hashtag timeline, 20 voices", base + "/api/v1/timelines/tag/metoo?limit=20", None),
            ("a voice's thread (context)", base + f"/api/v1/statuses/{hot[0]}/context", None),
            ("GET /api/v1/chorus/magnitude", base + "/api/v1/chorus/magnitude", None),
            ("home page (HTML)", base + "/", None),
        ]
        results = {name: [] for name, _, _ in scenarios}
        peak_rss = {}
        for _ in range(options.rounds):
            for name, url, script in scenarios:
                results[name].append(wrk(url, options.seconds, options.connections, script, env))
                if not name.startswith("ceiling"):
                    peak_rss[name] = max(peak_rss.get(name, 0), rss_mib(chorus.pid))
        report(options, results, idle_rss, peak_rss)
    finally:
        chorus.terminate()
        ceiling.terminate()


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


def report(options, results, idle_rss, peak_rss):
    ceiling = statistics.median(r["rate"] for r in results["ceiling: GET /hello"])
    print(f"\nEngine: {options.engine}; {options.connections} connections, wrk -t2, {options.seconds} s x {options.rounds} rounds (medians)\n")
    print("| scenario | req/s | ratio to ceiling | p50 ms | p99 ms | non-2xx/3xx | peak RSS MiB |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name, rounds in results.items():
        rate = statistics.median(r["rate"] for r in rounds)
        p50 = statistics.median(r["p50"] for r in rounds)
        p99 = statistics.median(r["p99"] for r in rounds)
        errors = sum(r["errors"] for r in rounds)
        rss = f"{peak_rss[name]:.0f}" if name in peak_rss else "–"
        print(f"| {name} | {rate:,.0f} | {rate / ceiling:.0%} | {p50:.2f} | {p99:.2f} | {errors} | {rss} |")
    print(f"\nIdle RSS after start: {idle_rss:.1f} MiB")


if __name__ == "__main__":
    sys.exit(main())
