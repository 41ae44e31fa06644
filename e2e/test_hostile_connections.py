"""Hostile connections: requests that can't be parsed get a 400 and a closed connection at once, and connections
that send nothing, trickle a head a byte at a time or sit idle between requests are closed, while live streams stay
open. A server of its own, with short limits (--first-request-timeout 2 --idle-timeout 3)."""
import os
import shutil
import socket
import tempfile
import time

import pytest
import requests

from conftest import ChorusServer

PORT = int(os.environ.get("CHORUS_E2E_PORT", "18080")) + 16
FIRST_REQUEST_TIMEOUT, IDLE_TIMEOUT = 2, 3

UNREADABLE = [
    b"GET / HTTP/1.1\r\nHost: x\r\nX-Note: a\x01b\r\n\r\n",  # a control character in a header value
    b"GET / HTTP/1.1\r\nHost: x\r\nX-Note: a\x00b\r\n\r\n",  # NUL in a header value
    b"GET / HTTP/1.1\r\nHo\x01st: x\r\n\r\n",  # a control character in a header name
    b"GET /\x01 HTTP/1.1\r\nHost: x\r\n\r\n",  # a control character in the path
    b"GET / HTTP/1.1\r\nHost: x\r\nX-Note: \xe2\x80\xae\x1b[31m\r\n\r\n",  # an escape sequence after a right-to-left override
    b"G\xc3\x89T / HTTP/1.1\r\nHost: x\r\n\r\n",  # not a method
    b"GET / HTTP/9.9.9\r\nHost: x\r\n\r\n",  # not a version
    b"POST /api/v1/statuses HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 7\r\n\r\nhello",  # two lengths
    b"POST /say HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n",  # a broken chunk (form)
    b"POST /api/v1/apps HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n",  # (API)
]


@pytest.fixture(scope="module")
def server():
    data_dir = tempfile.mkdtemp(prefix="chorus-connections-")
    chorus = ChorusServer(PORT, data_dir, f"connections-{os.environ.get('CHORUS_E2E_ENGINE')}",
                          flags=["--first-request-timeout", str(FIRST_REQUEST_TIMEOUT), "--idle-timeout", str(IDLE_TIMEOUT)])
    yield chorus.base_url
    chorus.stop()
    shutil.rmtree(data_dir, ignore_errors=True)


def connect():
    return socket.create_connection(("127.0.0.1", PORT), timeout=10)


def read_until_closed(connection, limit):
    """Everything the server sends until it closes the connection, and how long that took; None if still open."""
    started = time.monotonic()
    received = b""
    connection.settimeout(limit)
    try:
        while True:
            chunk = connection.recv(65536)
            if not chunk:
                return received, time.monotonic() - started
            received += chunk
    except socket.timeout:
        return received, None
    except ConnectionResetError:
        return received, time.monotonic() - started


@pytest.mark.parametrize("request_bytes", UNREADABLE, ids=range(len(UNREADABLE)))
def test_an_unreadable_request_gets_400_and_the_connection_closes(server, request_bytes):
    with connect() as connection:
        connection.sendall(request_bytes)
        received, closed_after = read_until_closed(connection, 5)
    assert received.startswith(b"HTTP/1.1 400"), received[:200]
    assert b"could not be read" in received or b"incomplete" in received or b"Content-Length: 0" in received, received[:400]
    assert closed_after is not None and closed_after < 2, closed_after
    assert requests.get(server + "/health", timeout=5).status_code == 200


def test_an_unreadable_request_after_a_good_one_is_answered_in_turn(server):
    with connect() as connection:
        connection.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n\r\nGET / HTTP/1.1\r\nX-Note: \x01\r\n\r\n")
        received, closed_after = read_until_closed(connection, 5)
    assert received.startswith(b"HTTP/1.1 200") and b"HTTP/1.1 400" in received, received[:400]
    assert closed_after is not None


def test_a_connection_that_sends_nothing_is_closed(server):
    with connect() as connection:
        received, closed_after = read_until_closed(connection, FIRST_REQUEST_TIMEOUT + 5)
    assert received == b"" and closed_after is not None and closed_after < FIRST_REQUEST_TIMEOUT + 3, closed_after


def trickle_until_closed(sent_at_once, trickled):
    """Sends `sent_at_once`, then `trickled` a byte every 50 ms; returns whether the server closed the connection, and
    how long after the start."""
    started = time.monotonic()
    closed = False
    with connect() as connection:
        if sent_at_once:
            connection.sendall(sent_at_once)
        for byte in trickled:
            try:
                connection.sendall(bytes([byte]))
            except (BrokenPipeError, ConnectionResetError):
                closed = True
                break
            time.sleep(0.05)
            if time.monotonic() - started > FIRST_REQUEST_TIMEOUT + 5:
                break
        if not closed:
            _, closed_after = read_until_closed(connection, 1)
            closed = closed_after is not None
    return closed, time.monotonic() - started


def test_a_head_trickled_a_byte_at_a_time_is_closed(server):
    closed, took = trickle_until_closed(b"", b"GET /voices HTTP/1.1\r\nHost: x\r\nX-Slow: " + b"a" * 200)
    assert closed and took < FIRST_REQUEST_TIMEOUT + 5


def test_a_body_trickled_a_byte_at_a_time_is_closed(server):
    head = b"POST /say HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 400\r\n\r\n"
    closed, took = trickle_until_closed(head, b"a" * 400)
    assert closed and took < FIRST_REQUEST_TIMEOUT + 5


def test_an_idle_connection_between_requests_is_closed(server):
    with connect() as connection:
        connection.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
        connection.settimeout(5)
        first = connection.recv(65536)
        received, closed_after = read_until_closed(connection, IDLE_TIMEOUT + 5)
    assert first.startswith(b"HTTP/1.1 200")
    assert received == b"" and closed_after is not None and closed_after < IDLE_TIMEOUT + 3, closed_after


def test_a_live_stream_outlasts_both_limits(server):
    with connect() as connection:
        connection.sendall(b"GET /magnitude/live HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n\r\n")
        connection.settimeout(5)
        first = connection.recv(65536)
        time.sleep(IDLE_TIMEOUT + FIRST_REQUEST_TIMEOUT)
        _, closed_after = read_until_closed(connection, 1)
    assert first.startswith(b"HTTP/1.1 200") and b"text/event-stream" in first, first[:300]
    assert closed_after is None, "the live stream was closed"
