"""Lists through python3-redis: the client's list helpers, a big list crossing node and
encoding limits, binary elements, keyspace notifications and DEBUG DIGEST.

Every test runs twice: against ringdb-server and against Debian's redis-server (the oracle),
so each expectation is what real Redis does (encodings excepted: 7.0.15 calls every list
"quicklist", 7.2 and ringdb call small ones "listpack").
"""
import time

import pytest
import redis


def test_client_list_helpers_round_trip(client):
    assert client.rpush("l", "a", "b", "c") == 3
    assert client.lpush("l", "z") == 4
    assert client.lrange("l", 0, -1) == [b"z", b"a", b"b", b"c"]
    assert client.lpop("l") == b"z"
    assert client.rpop("l", 2) == [b"c", b"b"]
    assert client.lpop("missing", 2) is None
    assert client.lmove("l", "m", "LEFT", "RIGHT") == b"a"
    assert client.exists("l") == 0
    assert client.rpoplpush("m", "m") == b"a"
    assert client.lmpop(2, "nothing", "m", direction="LEFT", count=3) == [b"m", [b"a"]]
    assert client.lmpop(1, "nothing", direction="RIGHT") is None


def test_binary_elements_round_trip(client):
    elements = [b"\x00", b"\r\n", b"\xff\xfe", b"-0", b"007", b"12", b"", b"x" * 9000]
    assert client.rpush("b", *elements) == len(elements)
    assert client.lrange("b", 0, -1) == elements
    assert client.lpos("b", b"\r\n") == 1
    assert client.lpos("b", b"12") == 5
    assert client.lindex("b", -1) == b"x" * 9000
    assert client.lrem("b", 0, b"\x00") == 1
    assert client.linsert("b", "AFTER", b"007", b"\x00\x01") == len(elements)
    assert client.lrange("b", 2, 4) == [b"-0", b"007", b"\x00\x01"]


def test_a_big_list_keeps_order_across_nodes_and_trims(client):
    with client.pipeline(transaction=False) as pipe:
        for start in range(0, 20000, 1000):
            pipe.rpush("big", *[str(i) for i in range(start, start + 1000)])
        pipe.execute()
    assert client.llen("big") == 20000
    assert client.lindex("big", 12345) == b"12345"
    assert client.lindex("big", -2) == b"19998"
    assert client.lrange("big", 9998, 10001) == [b"9998", b"9999", b"10000", b"10001"]
    assert client.lset("big", 15000, "changed") is True
    assert client.lpos("big", "changed") == 15000
    assert client.linsert("big", "BEFORE", "100", "new") == 20001
    assert client.lindex("big", 100) == b"new"
    assert client.ltrim("big", 100, 199) is True
    assert client.llen("big") == 100
    assert client.object("encoding", "big") in (b"listpack", b"quicklist")
    assert client.lrem("big", 0, "150") == 1
    assert client.lrange("big", 50, 51) == [b"149", b"151"]


def test_small_lists_follow_the_configured_node_size(target, client):
    client.config_set("list-max-listpack-size", 4)
    try:
        client.rpush("s", 1, 2, 3, 4, 5)
        assert client.object("encoding", "s") == b"quicklist"
        assert client.rpop("s", 3) == [b"5", b"4", b"3"]
        assert client.lrange("s", 0, -1) == [b"1", b"2"]
    finally:
        client.config_set("list-max-listpack-size", -2)


def test_keyspace_events_of_list_commands(target, client):
    client.config_set("notify-keyspace-events", "KEA")
    try:
        client.execute_command("PUBSUB", "NUMPAT")
    except redis.exceptions.ResponseError:
        client.config_set("notify-keyspace-events", "")
        pytest.skip("no pub/sub in this server yet (unit tests pin the events)")
    pubsub = target.client().pubsub()
    pubsub.psubscribe("__keyevent@0__:*")
    try:
        pubsub.get_message(timeout=1.0)
        client.rpush("e", "a", "b")
        client.lmove("e", "f", "LEFT", "LEFT")
        client.lrem("e", 0, "b")
        events = []
        deadline = time.time() + 5
        while len(events) < 5 and time.time() < deadline:
            message = pubsub.get_message(timeout=1.0)
            if message and message["type"] == "pmessage":
                events.append((message["channel"].split(b":", 1)[1], message["data"]))
        assert events == [(b"rpush", b"e"), (b"lpush", b"f"), (b"lpop", b"e"),
                          (b"lrem", b"e"), (b"del", b"e")]
    finally:
        pubsub.close()
        client.config_set("notify-keyspace-events", "")


# Digests taken from redis-server 7.0.15 (DEBUG needs enable-debug-command, which the oracle
# fixture does not set): DEBUG DIGEST-VALUE after RPUSH d <elements>, and DEBUG DIGEST of the
# second list with a TTL.
DIGESTS = [
    ([b"a", b"b"], b"62f55a532623cf6c3d81081db480b6fd8461eb3f"),
    ([b"1", b"x" * 9000, b"-5"], b"67377880dbcc05ffb353a5dbdfe0ab2468b3689b"),
]


@pytest.mark.parametrize("elements,digest", DIGESTS)
def test_debug_digest_value_of_a_list_is_redis_digest(server, elements, digest):
    connection = server.client()
    connection.flushall()
    connection.rpush("d", *elements)
    assert connection.execute_command("DEBUG", "DIGEST-VALUE", "d") == [digest]
    connection.close()


def test_debug_digest_of_a_dataset_with_a_list_is_redis_digest(server):
    connection = server.client()
    connection.flushall()
    connection.rpush("d", "1", "x" * 9000, "-5")
    connection.pexpire("d", 10**12)
    assert connection.execute_command("DEBUG", "DIGEST") == (
        b"0b4bf98b922a78efe115fb9c3d37f9d9f153f3b2")
    connection.close()
