"""SSE fan-out: open N subscribers to /magnitude/live (spread over several client processes, so the client is not the
bottleneck), make one change (a new person says me too), and time how long each subscriber takes to receive the new
total, from the moment the change was acknowledged. Prints one JSON line per round.

Usage: python3 sse_fanout.py --url http://127.0.0.1:18090 --subscribers 10000 --rounds 3 --processes 4 [--server-pid PID]
"""
import argparse
import asyncio
import json
import multiprocessing
import os
import re
import resource
import statistics
import time
import uuid
from urllib.parse import urlparse

import urllib.parse
import urllib.request
import http.cookiejar


def raise_file_limit():
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


def join_and_say_me_too(base):
    """A new person signs up on the web and says me too (anonymously, with no details)."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    opener.open(base + "/")
    csrf = next(cookie.value for cookie in jar if cookie.name == "chorus_csrf")
    handle, password = "fan" + uuid.uuid4().hex[:10], "correct horse battery"

    def post(path, fields):
        data = urllib.parse.urlencode(dict(fields, _csrf=csrf)).encode()
        return opener.open(urllib.request.Request(base + path, data=data, method="POST"))

    post("/signup", {"handle": handle, "password": password, "password_confirmation": password})
    post("/say", {"text": "", "visibility": "anonymous", "reply_policy": "everyone", "country": ""})


async def subscriber(host, port, ready, state, receipts, failures):
    try:
        reader, writer = await asyncio.open_connection(host, port)
    except OSError:
        failures.append(1)
        ready.release()
        return
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
            if state["wanted"] is not None:
                for match in re.finditer(r'"me_too_people":(\d+)', buffer):
                    if int(match.group(1)) >= state["wanted"]:
                        receipts.append(time.time())
                        return
            buffer = buffer[-200:]
    finally:
        writer.close()


def client_process(base, count, connection):
    """One client process: opens `count` subscribers, says when all are ready, learns the wanted total, reports receipts."""
    raise_file_limit()

    async def main():
        url = urlparse(base)
        ready = asyncio.Semaphore(0)
        state = {"wanted": None}
        receipts, failures = [], []
        tasks = [asyncio.create_task(subscriber(url.hostname, url.port, ready, state, receipts, failures)) for _ in range(count)]
        try:
            for _ in range(count):
                await asyncio.wait_for(ready.acquire(), timeout=120)
        except asyncio.TimeoutError:
            pass
        connection.send(("ready", len(failures)))
        state["wanted"] = await asyncio.to_thread(connection.recv)
        await asyncio.wait(tasks, timeout=6)
        for task in tasks:
            task.cancel()
        connection.send(receipts)

    asyncio.run(main())


def open_files(pid):
    """How many files the server has open (None without its pid)."""
    if not pid:
        return None
    try:
        return len(os.listdir(f"/proc/{pid}/fd"))
    except OSError:
        return None


def rss_mib(pid):
    if not pid:
        return None
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return round(int(line.split()[1]) / 1024, 1)
    return None


def one_round(base, subscribers, processes, server_pid):
    with urllib.request.urlopen(base + "/api/v1/chorus/magnitude", timeout=10) as response:
        before = json.loads(response.read())["me_too_people"]
    assert before is not None, "seed at least 10 people first"
    shares = [subscribers // processes + (1 if n < subscribers % processes else 0) for n in range(processes)]
    pipes, workers = [], []
    opened = time.time()
    for share in shares:
        parent, child = multiprocessing.Pipe()
        # Daemons: a round given up on must not keep the benchmark waiting for its clients.
        worker = multiprocessing.Process(target=client_process, args=(base, share, child), daemon=True)
        worker.start()
        child.close()  # so a client process that dies is seen as the end of its pipe
        pipes.append(parent)
        workers.append(worker)
    failed = 0
    for pipe in pipes:
        if not pipe.poll(180):
            for worker in workers:
                worker.terminate()
            return {"subscribers": subscribers, "error": "a client process did not get its subscribers ready within 3 minutes"}
        failed += pipe.recv()[1]
    connect_seconds = time.time() - opened
    server_rss = rss_mib(server_pid)
    for pipe in pipes:
        pipe.send(before + 1)
    join_and_say_me_too(base)
    changed = time.time()
    receipts = [moment for pipe in pipes if pipe.poll(30) for moment in pipe.recv()]
    for worker in workers:
        worker.join(timeout=30)
        if worker.is_alive():
            worker.terminate()
    latencies = sorted(max(0.0, moment - changed) for moment in receipts)
    return {
        "subscribers": subscribers,
        "received_within_1s": sum(1 for latency in latencies if latency <= 1.0),
        "received_within_6s": len(latencies),
        "p50_ms": round(statistics.median(latencies) * 1000, 1) if latencies else None,
        "max_ms": round(latencies[-1] * 1000, 1) if latencies else None,
        "connect_all_s": round(connect_seconds, 2),
        "failed_to_connect": failed,
        "server_rss_mib": server_rss,
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--subscribers", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--processes", type=int, default=4)
    parser.add_argument("--server-pid", type=int, default=0)
    arguments = parser.parse_args()
    baseline = open_files(arguments.server_pid)
    for _ in range(arguments.rounds):
        print(json.dumps(one_round(arguments.url, arguments.subscribers, arguments.processes, arguments.server_pid)), flush=True)
        # The next round starts once the server has let go of this round's connections, so rounds don't overlap (two
        # rounds of 10,000 would need more open files than this machine allows a process).
        deadline = time.time() + 60
        while baseline is not None and open_files(arguments.server_pid) > baseline + 100 and time.time() < deadline:
            time.sleep(0.5)
        time.sleep(1)


if __name__ == "__main__":
    main()
