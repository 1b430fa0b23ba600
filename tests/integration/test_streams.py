"""Streams through python3-redis, as applications use them: a producer with XADD and MAXLEN,
consumers in a group with XREADGROUP / XACK / XPENDING / XAUTOCLAIM, XINFO parsed by the
client, binary payloads, and a pipeline.

Every test runs against ringdb-server and against Debian's redis-server (the `target`
fixture), so each expectation is also what real Redis does. Times are compared loosely: the
two servers' clocks are their own.
"""
import pytest

from conftest import REDIS_SERVER, ServerProcess


@pytest.fixture
def text_client(target):
    connection = target.client(decode_responses=True)
    connection.flushall()
    yield connection
    connection.close()


def test_producer_and_consumer_group_round_trip(text_client):
    r = text_client
    ids = [r.xadd("orders", {"item": "book", "qty": i}, id="%d-1" % (i + 1)) for i in range(5)]
    assert ids == ["1-1", "2-1", "3-1", "4-1", "5-1"]
    assert r.xgroup_create("orders", "billing", id="0") is True
    with pytest.raises(Exception, match="BUSYGROUP"):
        r.xgroup_create("orders", "billing", id="0")
    batch = r.xreadgroup("billing", "worker-1", {"orders": ">"}, count=3)
    assert batch[0][0] == "orders"
    assert [entry_id for entry_id, _ in batch[0][1]] == ["1-1", "2-1", "3-1"]
    assert batch[0][1][0][1] == {"item": "book", "qty": "0"}
    rest = r.xreadgroup("billing", "worker-2", {"orders": ">"})
    assert [entry_id for entry_id, _ in rest[0][1]] == ["4-1", "5-1"]
    assert r.xreadgroup("billing", "worker-2", {"orders": ">"}) == []

    summary = r.xpending("orders", "billing")
    assert summary["pending"] == 5
    assert summary["min"] == "1-1"
    assert summary["max"] == "5-1"
    assert sorted((c["name"], c["pending"]) for c in summary["consumers"]) == [
        ("worker-1", 3), ("worker-2", 2)]
    assert r.xack("orders", "billing", "1-1", "2-1", "9-9") == 2
    detail = r.xpending_range("orders", "billing", min="-", max="+", count=10)
    assert [(p["message_id"], p["consumer"], p["times_delivered"]) for p in detail] == [
        ("3-1", "worker-1", 1), ("4-1", "worker-2", 1), ("5-1", "worker-2", 1)]
    assert all(0 <= p["time_since_delivered"] < 60_000 for p in detail)

    claimed = r.xautoclaim("orders", "billing", "worker-3", min_idle_time=0, start_id="0-0",
                           count=2, justid=True)
    assert claimed == ["3-1", "4-1"]  # redis-py keeps only the IDs with JUSTID.

    groups = r.xinfo_groups("orders")
    assert len(groups) == 1
    assert groups[0]["name"] == "billing"
    assert groups[0]["pending"] == 3
    assert groups[0]["last-delivered-id"] == "5-1"
    consumers = r.xinfo_consumers("orders", "billing")
    assert sorted(c["name"] for c in consumers) == ["worker-1", "worker-2", "worker-3"]


def test_maxlen_trimming_and_ranges(text_client):
    r = text_client
    for i in range(1, 21):
        r.xadd("log", {"n": i}, id="%d-0" % i, maxlen=10, approximate=False)
    assert r.xlen("log") == 10
    first = r.xrange("log", count=2)
    assert [entry_id for entry_id, _ in first] == ["11-0", "12-0"]
    last = r.xrevrange("log", count=1)
    assert last == [("20-0", {"n": "20"})]
    assert r.xtrim("log", minid="15", approximate=False) == 4
    info = r.xinfo_stream("log")
    assert info["length"] == 6
    assert info["first-entry"] == ("15-0", {"n": "15"})
    assert info["last-entry"] == ("20-0", {"n": "20"})
    assert info["last-generated-id"] == "20-0"
    assert info["entries-added"] == 20
    assert r.xdel("log", "15-0", "16-0", "99-0") == 2
    assert r.xlen("log") == 4


def test_binary_fields_and_values_round_trip(client):
    payload = {b"bin\x00field": b"\x00\xff\r\n$5\r\n", b"n": b"-9223372036854775808"}
    entry_id = client.xadd(b"bin\x00stream", payload, id=b"7-7")
    assert entry_id == b"7-7"
    assert client.xrange(b"bin\x00stream") == [(b"7-7", payload)]
    read = client.xread({b"bin\x00stream": b"0"})
    assert read == [[b"bin\x00stream", [(b"7-7", payload)]]]


def test_xread_with_dollar_and_a_pipeline(text_client):
    r = text_client
    r.xadd("a", {"f": "1"}, id="1-0")
    assert r.xread({"a": "$"}) == []
    with r.pipeline(transaction=False) as pipe:
        pipe.xadd("a", {"f": "2"}, id="2-0")
        pipe.xadd("b", {"g": "3"}, id="3-0")
        pipe.xread({"a": "1-0", "b": "0"}, count=5)
        pipe.xlen("a")
        replies = pipe.execute()
    assert replies[:2] == ["2-0", "3-0"]
    assert replies[2] == [["a", [("2-0", {"f": "2"})]], ["b", [("3-0", {"g": "3"})]]]
    assert replies[3] == 2


def test_errors_reach_the_client_as_redis_words(text_client):
    r = text_client
    r.xadd("s", {"f": "v"}, id="5-0")
    with pytest.raises(Exception, match="equal or smaller than the target stream top item"):
        r.xadd("s", {"f": "v"}, id="5-0")
    with pytest.raises(Exception, match="NOGROUP"):
        r.xreadgroup("missing", "c", {"s": ">"})
    r.set("str", "x")
    with pytest.raises(Exception, match="WRONGTYPE"):
        r.xadd("str", {"f": "v"})


@pytest.mark.parametrize("binary", [None, REDIS_SERVER], ids=["ringdb", "redis-oracle"])
def test_debug_digest_of_a_stream_is_redis_digest(binary):
    # Redis's xorObjectDigest mixes each live entry's "<ms>.<seq>", fields and values; the
    # groups do not count. The constants are redis-server 7.0.15's answers.
    args = ["--enable-debug-command", "yes"]
    process = ServerProcess(*args) if binary is None else ServerProcess(
        *args, "--save", "", "--appendonly", "no", binary=binary)
    try:
        r = process.client()
        r.xadd("d", {"a": "1", "b": "hello"}, id="1-1")
        r.xadd("d", {"c": "x y"}, id="2-0")
        r.xadd("d", {"a": "5", "b": ""}, id="3-0")
        r.xdel("d", "2-0")
        assert r.execute_command("DEBUG", "DIGEST-VALUE", "d") == [
            b"28528330afaa4f8bab1364140a9f509891da56d5"]
        r.xgroup_create("d", "g", id="0")
        assert r.execute_command("DEBUG", "DIGEST") == b"dca79b81794bdd15e0dec348b5fb01f1b598c357"
        r.close()
    finally:
        process.stop()
