"""Sorted sets through python3-redis (redis-py 4.3), where a real client's parsing matters:
score conversion, WITHSCORES pairs, pipelines, binary members, a skiplist-sized set.

Every test runs against ringdb-server and against Debian's redis-server, so the expectations
are Redis's own (scores that 7.0.15 and 7.2 print differently are avoided: the client turns
them into floats either way).
"""
import pytest


@pytest.fixture
def client(target):
    connection = target.client()
    connection.flushall()
    yield connection
    connection.close()


def test_zadd_and_ranges_round_trip_through_the_client(client):
    assert client.zadd("z", {"a": 1, "b": 2.5, "c": -3}) == 3
    assert client.zrange("z", 0, -1, withscores=True) == [(b"c", -3.0), (b"a", 1.0),
                                                           (b"b", 2.5)]
    assert client.zrangebyscore("z", "(1", "+inf") == [b"b"]
    assert client.zrevrange("z", 0, 0, withscores=True) == [(b"b", 2.5)]
    assert client.zincrby("z", 0.5, "a") == 1.5
    assert client.zadd("z", {"a": 10}, xx=True, ch=True) == 1
    assert client.zscore("z", "a") == 10.0
    assert client.zmscore("z", ["a", "missing"]) == [10.0, None]
    assert client.zrank("z", "a") == 2
    assert client.zcount("z", "-inf", "+inf") == 3


def test_binary_members_and_a_skiplist_sized_set_survive_pipelines(client):
    members = {b"m\x00\r\n\xff%d" % i: i for i in range(500)}
    with client.pipeline(transaction=False) as pipe:
        for member, score in members.items():
            pipe.zadd("big", {member: score})
        pipe.object("encoding", "big")
        replies = pipe.execute()
    assert replies[:-1] == [1] * 500
    assert replies[-1] == b"skiplist"
    scanned = dict(client.zscan_iter("big", count=17))
    assert scanned == {member: float(score) for member, score in members.items()}
    assert client.zpopmin("big", 2) == [(b"m\x00\r\n\xff0", 0.0), (b"m\x00\r\n\xff1", 1.0)]
    assert client.zremrangebyrank("big", 0, 99) == 100
    assert client.zcard("big") == 398


def test_set_algebra_and_store_commands(client):
    client.zadd("a", {"x": 1, "y": 2})
    client.zadd("b", {"y": 3, "z": 4})
    assert client.zunionstore("u", ["a", "b"], aggregate="MAX") == 3
    assert client.zrange("u", 0, -1, withscores=True) == [(b"x", 1.0), (b"y", 3.0),
                                                           (b"z", 4.0)]
    assert client.zinter(["a", "b"], withscores=True) == [(b"y", 5.0)]
    assert client.zdiff(["a", "b"]) == [b"x"]
    assert client.zrangestore("r", "u", 1, 2) == 2
    assert client.zrange("r", 0, -1) == [b"y", b"z"]
    assert client.object("encoding", "r") == b"listpack"
