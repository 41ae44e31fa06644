"""SSE fan-out: open N subscribers to /magnitude/live, make one change (a new person says me too), and count how many
subscribers receive the new total within 1 second. Prints one JSON line per round.

Usage: python3 sse_fanout.py --url http://127.0.0.1:18090 --subscribers 1000 --rounds 5
"""
import argparse
import asyncio
import json
import re
import statistics
import time
import uuid
from urllib.parse import urlparse

import requests


class Person:
    def __init__(self, base):
        self.base = base
        self.http = requests.Session()
        self.handle = "bench_" + uuid.uuid4().hex[:10]

    def post(self, path, data):
        if "chorus_csrf" not in self.http.cookies:
            self.http.get(self.base + "/")
        fields = dict(data, _csrf=self.http.cookies.get("chorus_csrf"))
        return self.http.post(self.base + path, data=fields, allow_redirects=False)

    def join_and_say_me_too(self):
        password = "correct horse battery"
        assert self.post("/signup", {"handle": self.handle, "password": password, "password_confirmation": password}).status_code == 201
        said = self.post("/say", {"text": "", "visibility": "anonymous", "reply_policy": "everyone", "country": ""})
        assert said.status_code == 201, said.status_code


async def subscriber(host, port, ready, wanted, results):
    reader, writer = await asyncio.open_connection(host, port)
    writer.write(b"GET /magnitude/live HTTP/1.1\r\nHost: bench\r\nAccept: text/event-stream\r\n\r\n")
    await writer.drain()
    buffer = ""
    announced = False
    try:
        while True:
            chunk = await reader.read(4096)
            if not chunk:
                return
            buffer += chunk.decode("utf-8", "replace")
            if not announced and "event: magnitude" in buffer:
                announced = True
                ready.release()
            if wanted["value"] is not None:
                for match in re.finditer(r'"me_too_people":(\d+)', buffer):
                    if int(match.group(1)) >= wanted["value"]:
                        results.append(time.monotonic())
                        return
                buffer = buffer[-200:]
    finally:
        writer.close()


async def round_(base, count):
    url = urlparse(base)
    before = requests.get(base + "/api/v1/chorus/magnitude", timeout=10).json()["me_too_people"]
    assert before is not None, "seed at least 10 people first"
    wanted = {"value": None}
    results = []
    ready = asyncio.Semaphore(0)
    tasks = [asyncio.create_task(subscriber(url.hostname, url.port, ready, wanted, results)) for _ in range(count)]
    opened = time.monotonic()
    for _ in range(count):
        await asyncio.wait_for(ready.acquire(), timeout=60)
    connect_seconds = time.monotonic() - opened
    wanted["value"] = before + 1
    person = Person(base)
    await asyncio.to_thread(person.join_and_say_me_too)
    changed = time.monotonic()
    await asyncio.wait(tasks, timeout=5)
    for task in tasks:
        task.cancel()
    latencies = sorted(moment - changed for moment in results)
    within = sum(1 for latency in latencies if latency <= 1.0)
    return {
        "subscribers": count,
        "received_within_1s": within,
        "received_within_5s": len(latencies),
        "p50_ms": round(statistics.median(latencies) * 1000, 1) if latencies else None,
        "max_ms": round(latencies[-1] * 1000, 1) if latencies else None,
        "connect_all_s": round(connect_seconds, 2),
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--subscribers", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=5)
    arguments = parser.parse_args()
    for _ in range(arguments.rounds):
        print(json.dumps(asyncio.run(round_(arguments.url, arguments.subscribers))), flush=True)
        time.sleep(1)


if __name__ == "__main__":
    main()
