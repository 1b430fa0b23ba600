"""python3-redis (redis-py 4.3) against the server: pipelines, large and binary values, many
connections, decode_responses on and off.

Every test runs twice: against ringdb-server (the test) and against Debian's redis-server
(the oracle), so each expectation below is proven to be what real Redis does.
"""
import socket
import threading

import pytest
import redis

from conftest import REDIS_SERVER, ServerProcess

TEN_MIB = 10 * 1024 * 1024




@pytest.fixture
def text_client(target):
    connection = target.client(decode_responses=True)
    connection.flushall()
    yield connection
    connection.close()


# ------------------------------------------------------------------------- pipelines
def test_a_non_transactional_pipeline_returns_every_reply_in_order(client):
    with client.pipeline(transaction=False) as pipe:
        for i in range(1000):
            pipe.set("p:%d" % i, "v%d" % i)
        for i in range(0, 1000, 100):
            pipe.get("p:%d" % i)
        pipe.get("missing")
        pipe.exists("p:1", "p:2", "missing")
        pipe.delete("p:0", "missing")
        replies = pipe.execute()
    assert replies[:1000] == [True] * 1000
    assert replies[1000:1010] == [b"v%d" % i for i in range(0, 1000, 100)]
    assert replies[1010:] == [None, 2, 1]
    assert client.dbsize() == 999


def test_a_non_transactional_pipeline_with_counters_and_ranges(client):
    with client.pipeline(transaction=False) as pipe:
        for _ in range(300):
            pipe.incr("counter")
        pipe.incrby("counter", -50)
        pipe.append("s", "hello")
        pipe.setrange("s", 6, "world")
        pipe.getrange("s", 0, -1)
        pipe.mget("counter", "s", "missing")
        replies = pipe.execute()
    assert replies[:300] == list(range(1, 301))
    assert replies[300:] == [250, 5, 11, b"hello\x00world", [b"250", b"hello\x00world", None]]


def test_errors_inside_a_pipeline_do_not_stop_the_rest(client):
    with client.pipeline(transaction=False) as pipe:
        pipe.set("k", "not a number")
        pipe.set("x", "1", ex=0)
        pipe.execute_command("GET")
        pipe.get("k")
        replies = pipe.execute(raise_on_error=False)
    assert replies[0] is True
    assert isinstance(replies[1], redis.ResponseError)
    assert str(replies[1]) == "invalid expire time in 'set' command"
    assert isinstance(replies[2], redis.ResponseError)
    assert str(replies[2]) == "wrong number of arguments for 'get' command"
    assert replies[3] == b"not a number"


def test_a_pipeline_of_ten_thousand_commands_in_one_write(client):
    with client.pipeline(transaction=False) as pipe:
        for i in range(10000):
            pipe.set("bulk:%d" % (i % 2500), i)
        replies = pipe.execute()
    assert replies == [True] * 10000
    assert client.get("bulk:0") == b"7500"
    assert client.dbsize() == 2500


# ------------------------------------------------------------------------- large values
def test_ten_mebibyte_values_round_trip_exactly(client):
    value = bytes(range(256)) * (TEN_MIB // 256)
    assert client.set("large", value) is True
    assert client.get("large") == value
    other = b"\xff" * TEN_MIB + b"tail"
    assert client.set("large2", other) is True
    assert client.get("large2") == other
    assert client.get("large") == value


def test_ten_mebibyte_values_in_one_pipeline(client):
    value = b"x" * TEN_MIB
    with client.pipeline(transaction=False) as pipe:
        pipe.set("a", value)
        pipe.set("b", value + b"b")
        pipe.get("a")
        pipe.get("b")
        replies = pipe.execute()
    assert replies == [True, True, value, value + b"b"]


def test_string_commands_on_a_ten_mebibyte_value(client):
    value = bytes(range(256)) * (TEN_MIB // 256)
    client.set("large", value)
    assert client.strlen("large") == TEN_MIB
    assert client.getrange("large", 5_000_000, 5_000_009) == value[5_000_000:5_000_010]
    assert client.append("large", b"++") == TEN_MIB + 2
    assert client.setrange("large", TEN_MIB + 10, b"end") == TEN_MIB + 13
    assert client.get("large") == value + b"++" + b"\x00" * 8 + b"end"
    assert client.mget("large", "missing") == [value + b"++" + b"\x00" * 8 + b"end", None]


# ------------------------------------------------------------------------- binary
def test_binary_keys_and_values_with_every_byte(client):
    every_byte = bytes(range(256))
    keys = [b"", b"\x00", b"\r\n", b"*1\r\n$3\r\nGET", b"\xff\xfe", every_byte]
    for i, key in enumerate(keys):
        assert client.set(key, every_byte[i:] + b"\r\n" + every_byte[:i]) is True
    for i, key in enumerate(keys):
        assert client.get(key) == every_byte[i:] + b"\r\n" + every_byte[:i]
    assert client.exists(*keys) == len(keys)
    assert client.delete(b"\x00", b"\r\n") == 2
    assert client.get(b"\x00") is None


def test_values_that_look_like_protocol_are_stored_verbatim(client):
    tricky = [b"+OK\r\n", b"-ERR boom\r\n", b"$-1\r\n", b"*2\r\n$1\r\na\r\n", b":1\r\n",
              b"\r", b"\n", b"\x00\x00\x00"]
    for i, value in enumerate(tricky):
        client.set("t:%d" % i, value)
    assert [client.get("t:%d" % i) for i in range(len(tricky))] == tricky


def test_binary_values_through_multi_key_commands(client):
    pairs = {b"m\x00%d" % i: bytes([i]) * i for i in range(1, 40)}
    assert client.mset(pairs) is True
    assert client.mget(list(pairs)) == list(pairs.values())


# ------------------------------------------------------------------------- connections
def test_five_hundred_connections_open_at_once(target, client):
    connections = []
    try:
        for i in range(500):
            connection = redis.Redis(host="127.0.0.1", port=target.port, socket_timeout=30,
                                     single_connection_client=True)
            assert connection.set("conn:%d" % i, i) is True
            connections.append(connection)
        # Every connection is still open and usable after all have been established.
        for i, connection in enumerate(connections):
            assert connection.get("conn:%d" % i) == b"%d" % i
            assert connection.ping() is True
        assert client.dbsize() == 500
    finally:
        for connection in connections:
            connection.close()


def test_five_hundred_raw_sockets_pipelining_concurrently(target, client):
    sockets = [socket.create_connection(("127.0.0.1", target.port), timeout=30)
               for _ in range(500)]
    try:
        # Send on all sockets first, then read: the server holds 500 clients mid-request.
        for i, sock in enumerate(sockets):
            key = b"raw:%d" % i
            sock.sendall(b"*3\r\n$3\r\nSET\r\n$%d\r\n%s\r\n$1\r\nv\r\n" % (len(key), key)
                         + b"*1\r\n$4\r\nPING\r\n")
        for sock in sockets:
            received = b""
            while len(received) < 12:
                chunk = sock.recv(64)
                assert chunk, "connection closed"
                received += chunk
            assert received == b"+OK\r\n+PONG\r\n"
    finally:
        for sock in sockets:
            sock.close()
    assert client.dbsize() == 500


def test_threads_sharing_a_pool_of_many_connections(target, client):
    pool = redis.ConnectionPool(host="127.0.0.1", port=target.port, max_connections=100,
                                socket_timeout=30)
    errors = []

    def worker(index):
        try:
            connection = redis.Redis(connection_pool=pool)
            for j in range(50):
                connection.set("w:%d:%d" % (index, j), j)
            connection.incrby("total", 50)
        except Exception as error:  # reported below; a thread cannot fail the test itself
            errors.append(error)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(100)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    pool.disconnect()
    assert errors == []
    assert client.get("total") == b"5000"
    assert client.dbsize() == 5001


# ------------------------------------------------------------------------- decoding
def test_decode_responses_off_returns_bytes(client):
    client.set("k", "välue")
    assert client.get("k") == "välue".encode()
    assert client.get("missing") is None
    assert client.echo("x") == b"x"
    assert client.ping() is True


def test_decode_responses_on_returns_str(text_client):
    text_client.set("k", "välue")
    assert text_client.get("k") == "välue"
    assert text_client.echo("ü") == "ü"
    assert text_client.exists("k") == 1
    assert text_client.get("missing") is None


def test_decode_responses_on_for_arrays(text_client):
    text_client.mset({"a": "1", "ä": "2"})
    assert text_client.mget("a", "ä", "missing") == ["1", "2", None]
    assert sorted(text_client.keys("*")) == ["a", "ä"]
    assert text_client.type("a") == "string"


def test_non_utf8_bytes_reach_a_decoding_client_unchanged(target, client):
    client.set("raw", b"\xff\xfe")
    decoding = target.client(decode_responses=True)
    try:
        with pytest.raises(UnicodeDecodeError):
            decoding.get("raw")
    finally:
        decoding.close()


# ------------------------------------------------------------------------- options and scans
def test_set_options_through_the_client_api(client):
    assert client.set("k", "v", nx=True) is True
    assert client.set("k", "w", nx=True) is None
    assert client.set("k", "w", xx=True, get=True) == b"v"
    assert client.set("k", "x", ex=1000) is True
    assert 990 <= client.ttl("k") <= 1000
    assert client.set("k", "y", keepttl=True) is True
    assert 990 <= client.ttl("k") <= 1000
    assert client.set("k", "z", pxat=4102444800000) is True
    assert client.pexpiretime("k") == 4102444800000


def test_scan_iter_visits_every_key_once(client):
    with client.pipeline(transaction=False) as pipe:
        for i in range(1000):
            pipe.set("s:%d" % i, i)
        pipe.execute()
    seen = list(client.scan_iter(match="s:*", count=50))
    assert len(set(seen)) == 1000
    assert set(seen) == {b"s:%d" % i for i in range(1000)}
