"""SORT and SORT_RO through python3-redis (redis-py 4.3), where a real client's argument
building matters: by/get/start+num/desc/alpha/store keyword arguments, binary elements, a
pipeline that stores and reads back, and keyspace events over pub/sub.

Every test runs against ringdb-server and against Debian's redis-server, so the expectations
are Redis's own.
"""
import time

import pytest
import redis


@pytest.fixture
def client(target):
    connection = target.client()
    connection.flushall()
    yield connection
    connection.close()


def test_sort_keyword_arguments_build_redis_requests(client):
    client.rpush("l", 3, 1, 2)
    client.mset({"w_1": 30, "w_2": 10, "w_3": 20, "o_1": "one", "o_3": "three"})
    client.hset("h_2", "f", "two")
    assert client.sort("l") == [b"1", b"2", b"3"]
    assert client.sort("l", desc=True) == [b"3", b"2", b"1"]
    assert client.sort("l", by="w_*") == [b"2", b"3", b"1"]
    assert client.sort("l", start=1, num=1) == [b"2"]
    assert client.sort("l", by="w_*", get=["#", "o_*", "h_*->f"]) == [
        b"2", None, b"two", b"3", b"three", None, b"1", b"one", None]
    assert client.sort("l", by="nosort") == [b"3", b"1", b"2"]
    assert client.sort_ro("l", alpha=True, desc=True) == [b"3", b"2", b"1"]
    client.sadd("s", "b", "a", "c")
    assert client.sort("s", alpha=True) == [b"a", b"b", b"c"]
    client.zadd("z", {"x": 2, "y": 1})
    assert client.sort("z", by="nosort") == [b"y", b"x"]


def test_sort_errors_reach_the_client(client):
    client.rpush("l", "a", "1")
    client.set("str", "v")
    with pytest.raises(redis.ResponseError, match="One or more scores can't be converted"):
        client.sort("l")
    with pytest.raises(redis.ResponseError, match="WRONGTYPE"):
        client.sort("str")
    with pytest.raises(redis.ResponseError, match="syntax error"):
        client.execute_command("SORT_RO", "l", "STORE", "d")


def test_sort_store_round_trips_binary_elements_in_a_pipeline(client):
    elements = [b"\x00a", b"b\r\n", b"\xff", b""]
    with client.pipeline(transaction=True) as pipe:
        pipe.rpush("src", *elements)
        pipe.sort("src", alpha=True, store="dst")
        pipe.lrange("dst", 0, -1)
        pipe.sort("missing", store="dst")
        pipe.exists("dst")
        replies = pipe.execute()
    assert replies[1] == 4
    assert replies[2] == [b"", b"\x00a", b"b\r\n", b"\xff"]
    assert replies[3:] == [0, 0]


def test_command_getkeys_finds_the_store_destination(client):
    # redis-py decodes COMMAND GETKEYS replies to str.
    assert client.execute_command("COMMAND GETKEYS", "SORT", "l", "LIMIT", "0", "1", "STORE",
                                  "d") == ["l", "d"]
    assert client.execute_command("COMMAND GETKEYS", "SORT", "l", "GET", "store") == ["l"]
    assert client.execute_command("COMMAND GETKEYS", "SORT_RO", "l", "BY", "w_*") == ["l"]


def next_message(pubsub, timeout=20.0):
    """The next message of a redis-py PubSub (confirmations included), or fails."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        message = pubsub.get_message(timeout=0.5)
        if message is not None:
            return message
    raise AssertionError("no pub/sub message arrived")


def test_sort_store_sends_sortstore(client, target):
    client.config_set("notify-keyspace-events", "KEA")
    subscriber = target.client().pubsub()
    subscriber.psubscribe("__keyspace@0__:dst")
    assert next_message(subscriber)["type"] == "psubscribe"
    client.rpush("src", 2, 1)
    client.sort("src", store="dst")
    # "new" is not part of "A".
    assert next_message(subscriber)["data"] == b"sortstore"
    client.sort("missing", store="dst")
    assert next_message(subscriber)["data"] == b"del"
    subscriber.close()
