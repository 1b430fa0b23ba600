"""Bad input: malformed or oversized requests, connection floods and clients that never read.

Each case must be limited and answered as configured, must not disturb other clients, and
must give its memory back.
"""
import os
import resource
import socket
import time

import pytest

from conftest import RawConnection, ServerProcess


def rss_bytes(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    raise RuntimeError("no VmRSS")


def assert_healthy(server):
    check = server.raw()
    check.command("PING")
    assert check.read_reply() == b"+PONG\r\n"
    check.close()


def send_until_closed(connection, chunk, limit_bytes):
    """Sends `chunk` repeatedly; returns the bytes sent before the server closed the socket."""
    sent = 0
    connection.sock.settimeout(10)
    try:
        while sent < limit_bytes:
            connection.sock.sendall(chunk)
            sent += len(chunk)
    except (BrokenPipeError, ConnectionResetError):
        return sent
    return sent


@pytest.fixture(scope="module")
def server():
    process = ServerProcess()
    yield process
    process.stop()


def test_a_gigabyte_without_newline_is_cut_off_early(server):
    flood = server.raw()
    sent = send_until_closed(flood, b"x" * 65536, 1 << 30)
    assert sent < 16 << 20, "the server kept reading a line with no end"
    reply = flood.buffer + flood.sock.recv(4096) if flood.buffer == b"" else flood.buffer
    assert reply.startswith(b"-ERR Protocol error: too big inline request\r\n")
    assert_healthy(server)


def test_an_endless_bulk_count_is_a_protocol_error(server):
    connection = server.raw()
    connection.send(b"*1\r\n$" + b"9" * 70000)
    assert connection.read_reply() == b"-ERR Protocol error: too big bulk count string\r\n"
    assert connection.closed_by_peer()
    assert_healthy(server)


@pytest.mark.parametrize("request_bytes,error", [
    (b"*1\r\n$-2\r\n", b"-ERR Protocol error: invalid bulk length\r\n"),
    (b"*1\r\n$536870913\r\n", b"-ERR Protocol error: invalid bulk length\r\n"),
    (b"*2147483648\r\n", b"-ERR Protocol error: invalid multibulk length\r\n"),
    (b"*1\r\n:1\r\n", b"-ERR Protocol error: expected '$', got ':'\r\n"),
    (b"SET k \"unterminated\r\n", b"-ERR Protocol error: unbalanced quotes in request\r\n"),
])
def test_malformed_protocol_gets_redis_error_and_close(server, request_bytes, error):
    connection = server.raw()
    connection.send(request_bytes)
    assert connection.read_reply() == error
    assert connection.closed_by_peer()
    assert_healthy(server)


def test_query_buffer_limit_disconnects_and_returns_memory():
    server = ServerProcess("--client-query-buffer-limit", "1mb", "--proto-max-bulk-len", "64mb")
    try:
        before = rss_bytes(server.process.pid)
        connection = server.raw()
        # A 32 MB bulk announced up front: the buffer passes the 1 MB limit long before the end.
        connection.send(b"*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$33554432\r\n")
        sent = send_until_closed(connection, b"v" * 65536, 64 << 20)
        assert sent < 32 << 20
        server.wait_for_log("max query buffer length")
        assert_healthy(server)
        time.sleep(0.2)
        assert rss_bytes(server.process.pid) < before + (48 << 20)
    finally:
        server.stop()


def test_connections_past_maxclients_get_redis_error():
    server = ServerProcess("--maxclients", "50")
    try:
        time.sleep(0.2)  # Let the server see the start-up probe's connection close.
        held = [server.raw() for _ in range(50)]
        for connection in held[:3]:
            connection.command("PING")
            assert connection.read_reply() == b"+PONG\r\n"
        refused = server.raw()
        assert refused.read_line() == b"-ERR max number of clients reached"
        assert refused.closed_by_peer()
        for connection in held:
            connection.close()
        deadline = time.time() + 5
        while True:  # Closed slots come back.
            try:
                assert_healthy(server)
                break
            except (ConnectionError, AssertionError):
                if time.time() > deadline:
                    raise
                time.sleep(0.05)
    finally:
        server.stop()


def test_twenty_thousand_connection_attempts():
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = 21000
    if soft < wanted:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(wanted, hard), hard))
    soft = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
    server = ServerProcess()
    try:
        admin = server.raw()
        admin.command("CONFIG", "GET", "maxclients")
        reply = admin.read_reply().split(b"\r\n")
        maxclients = int(reply[4]) if len(reply) > 4 else 10000
        attempts = min(20000, soft - 100)
        sockets, accepted, refused = [], 0, 0
        for _ in range(attempts):
            s = socket.create_connection(("127.0.0.1", server.port), timeout=10)
            sockets.append(s)
        # Every connection is either served or refused with Redis's error, never left hanging.
        for s in sockets:
            s.setblocking(True)
            s.settimeout(10)
        probe_every = max(1, attempts // 200)
        for index, s in enumerate(sockets):
            if index % probe_every:
                continue
            s.sendall(b"PING\r\n")
            data = s.recv(100)
            if data == b"+PONG\r\n":
                accepted += 1
            else:
                assert data.startswith(b"-ERR max number of clients reached") or data == b""
                refused += 1
        assert accepted > 0
        if attempts > maxclients:
            assert refused > 0
        for s in sockets:
            s.close()
        assert server.process.poll() is None
        time.sleep(0.5)
        assert_healthy(server)
    finally:
        server.stop()


def test_a_client_that_never_reads_is_held_back_not_buffered():
    server = ServerProcess()
    try:
        setup = server.raw()
        big = b"x" * (1 << 20)
        setup.command("SET", "big", big)
        assert setup.read_reply() == b"+OK\r\n"
        before = rss_bytes(server.process.pid)
        greedy = server.raw()
        greedy.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 65536)
        request = b"*2\r\n$3\r\nGET\r\n$3\r\nbig\r\n"
        # Ask for 4 GB of replies without reading any of them: the server must stop reading
        # from this client once its replies pile up, so our sends stall instead.
        greedy.sock.settimeout(3)
        sent = 0
        try:
            while sent < (4096 * len(request)):
                greedy.sock.sendall(request * 64)
                sent += 64 * len(request)
        except socket.timeout:
            pass
        time.sleep(0.5)
        grown = rss_bytes(server.process.pid) - before
        assert grown < 64 << 20, f"server buffered {grown} bytes for a client that does not read"
        assert_healthy(server)
        greedy.close()
    finally:
        server.stop()


def test_output_buffer_hard_limit_disconnects_the_client():
    # Backpressure holds a client's pending replies near 1 MB plus one reply, so for normal
    # clients the hard limit matters when a single reply is larger than it.
    server = ServerProcess("--client-output-buffer-limit", "normal 2mb 0 0")
    try:
        setup = server.raw()
        setup.command("SET", "big", b"y" * (3 << 20))
        assert setup.read_reply() == b"+OK\r\n"
        greedy = server.raw()
        greedy.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 65536)
        greedy.send(b"*2\r\n$3\r\nGET\r\n$3\r\nbig\r\n" * 8)
        time.sleep(1)
        assert greedy.closed_by_peer(timeout=5)
        server.wait_for_log("output buffer limits")
        assert_healthy(server)
    finally:
        server.stop()


def test_many_clients_announcing_huge_bulks_do_not_exhaust_the_server():
    # Each announces a 512 MB value and sends a little of it: the server reserves room for
    # the announced size (so the body is copied once) but never crashes for it.
    server = ServerProcess()
    try:
        clients = []
        for _ in range(64):
            connection = server.raw()
            connection.send(b"*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$536870912\r\n" + b"x" * 40000)
            clients.append(connection)
        time.sleep(0.5)
        assert server.process.poll() is None
        assert_healthy(server)
        for connection in clients:
            connection.close()
        time.sleep(0.5)
        assert_healthy(server)
    finally:
        server.stop()
