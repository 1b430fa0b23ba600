"""RESP on the wire: pipelines of any depth, inline commands, bulks of any size and split,
RESP3 through HELLO."""
import os
import socket
import stat

import pytest

from conftest import ServerProcess


@pytest.fixture(scope="module")
def server():
    process = ServerProcess()
    yield process
    process.stop()


def encode(*args):
    out = [b"*%d\r\n" % len(args)]
    for arg in args:
        arg = arg if isinstance(arg, bytes) else str(arg).encode()
        out.append(b"$%d\r\n%s\r\n" % (len(arg), arg))
    return b"".join(out)


def test_a_pipeline_of_two_hundred_thousand_commands(server):
    connection = server.raw()
    count = 200000
    payload = b"".join(encode("INCR", "counter") for _ in range(count))
    connection.sock.sendall(payload)
    replies = b""
    expected_last = b":%d\r\n" % count
    while not replies.endswith(expected_last):
        chunk = connection.sock.recv(1 << 20)
        assert chunk
        replies += chunk
    assert replies.count(b"\r\n") == count
    assert replies.startswith(b":1\r\n:2\r\n:3\r\n")


def test_inline_commands_as_typed_in_telnet(server):
    connection = server.raw()
    connection.send(b'SET greeting "hello world"\r\nGET greeting\nPING\r\n\r\n   \r\nECHO \'it\\\'s\'\r\n')
    assert connection.read_reply() == b"+OK\r\n"
    assert connection.read_reply() == b"$11\r\nhello world\r\n"
    assert connection.read_reply() == b"+PONG\r\n"
    assert connection.read_reply() == b"$4\r\nit's\r\n"


def test_a_command_delivered_one_byte_at_a_time(server):
    connection = server.raw()
    connection.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    request = encode("SET", "trickle", b"a\r\nb\x00c") + encode("GET", "trickle")
    for byte in request:
        connection.sock.send(bytes([byte]))
    assert connection.read_reply() == b"+OK\r\n"
    assert connection.read_reply() == b"$6\r\na\r\nb\x00c\r\n"


def test_a_hundred_megabyte_value_round_trips(server):
    connection = server.raw()
    value = bytes(range(256)) * (100 * 4096)  # 100 MiB
    connection.sock.sendall(encode("SET", "big", value))
    assert connection.read_reply() == b"+OK\r\n"
    connection.command("STRLEN", "big")
    assert connection.read_reply() == b":%d\r\n" % len(value)
    connection.command("GET", "big")
    reply = connection.read_reply()
    assert reply == b"$%d\r\n" % len(value) + value + b"\r\n"
    connection.command("DEL", "big")
    assert connection.read_reply() == b":1\r\n"


def test_empty_and_null_multibulks_are_skipped(server):
    connection = server.raw()
    connection.send(b"*0\r\n*-1\r\n*1\r\n$4\r\nPING\r\n")
    assert connection.read_reply() == b"+PONG\r\n"


def test_hello_switches_protocols(server):
    connection = server.raw()
    connection.command("HELLO", "3")
    hello = connection.read_reply()
    assert hello.startswith(b"%7\r\n$6\r\nserver\r\n$5\r\nredis\r\n$7\r\nversion\r\n")
    assert b"$5\r\nproto\r\n:3\r\n" in hello
    connection.command("GET", "missing")
    assert connection.read_reply() == b"_\r\n"
    connection.command("HELLO", "2")
    assert connection.read_reply().startswith(b"*14\r\n")
    connection.command("GET", "missing")
    assert connection.read_reply() == b"$-1\r\n"


@pytest.mark.parametrize("args,error", [
    (["HELLO", "4"], b"-NOPROTO unsupported protocol version\r\n"),
    (["HELLO", "1"], b"-NOPROTO unsupported protocol version\r\n"),
    (["HELLO", "x"], b"-ERR Protocol version is not an integer or out of range\r\n"),
    (["HELLO", "3", "FOO"], b"-ERR Syntax error in HELLO option 'FOO'\r\n"),
    (["HELLO", "3", "SETNAME", "a b"], b"-ERR Client names cannot contain spaces, newlines or special characters.\r\n"),
    (["HELLO", "3", "AUTH", "alice", "pw"], b"-WRONGPASS invalid username-password pair or user is disabled.\r\n"),
])
def test_hello_errors(server, args, error):
    connection = server.raw()
    connection.command(*args)
    assert connection.read_reply() == error
    # The connection stays usable and keeps RESP2.
    connection.command("GET", "missing")
    assert connection.read_reply() == b"$-1\r\n"


def test_unknown_commands_and_arity_errors_keep_the_connection(server):
    connection = server.raw()
    connection.command("NOSUCH", "a", "b")
    assert connection.read_reply() == b"-ERR unknown command 'NOSUCH', with args beginning with: 'a' 'b' \r\n"
    connection.command("GET")
    assert connection.read_reply() == b"-ERR wrong number of arguments for 'get' command\r\n"
    connection.command("PING")
    assert connection.read_reply() == b"+PONG\r\n"


def test_quit_replies_then_closes(server):
    connection = server.raw()
    connection.send(encode("QUIT") + encode("PING"))
    assert connection.read_reply() == b"+OK\r\n"
    assert connection.closed_by_peer()
    assert connection.buffer == b""  # Nothing after QUIT ran.


def test_unix_socket_serves_commands(tmp_path):
    path = str(tmp_path / "ringdb.sock")
    process = ServerProcess("--unixsocket", path, "--unixsocketperm", "700")
    try:
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o700
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.connect(path)
        s.sendall(encode("PING"))
        assert s.recv(100) == b"+PONG\r\n"
        s.close()
    finally:
        process.stop()
    assert not os.path.exists(path)


def test_ipv6_listener():
    process = ServerProcess("--bind", "127.0.0.1", "::1")
    try:
        s = socket.create_connection(("::1", process.port), timeout=5)
        s.sendall(encode("PING"))
        assert s.recv(100) == b"+PONG\r\n"
        s.close()
    finally:
        process.stop()


def server_side_timer(port, client_port):
    """The 'tr' (active timer) field of the server's end of a TCP connection in /proc/net/tcp:
    2 means the keepalive timer runs."""
    with open("/proc/net/tcp") as table:
        for line in table.readlines()[1:]:
            fields = line.split()
            local_port = int(fields[1].split(":")[1], 16)
            remote_port = int(fields[2].split(":")[1], 16)
            if local_port == port and remote_port == client_port:
                return int(fields[5].split(":")[0], 16)
    raise AssertionError("connection not found in /proc/net/tcp")


def test_tcp_keepalive_is_set_on_accepted_connections():
    with_keepalive = ServerProcess("--tcp-keepalive", "7")
    without = ServerProcess("--tcp-keepalive", "0")
    try:
        for server, expected in ((with_keepalive, 2), (without, 0)):
            connection = server.raw()
            connection.command("PING")
            assert connection.read_reply() == b"+PONG\r\n"
            client_port = connection.sock.getsockname()[1]
            assert server_side_timer(server.port, client_port) == expected
            connection.close()
    finally:
        with_keepalive.stop()
        without.stop()
