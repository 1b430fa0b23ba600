"""Hashes through python3-redis, against ringdb and against Debian's redis-server (the oracle):
the client's mappings and conversions, HSCAN iterations while the hash grows (the SCAN
promise across a resize), HRANDFIELD's shapes and errors. (Keyspace events are checked by the unit tests: the server
has no PSUBSCRIBE yet.)
"""
import pytest
import redis


def test_mappings_round_trip_and_conversions_match(client):
    data = {b"name": b"ringdb", b"": b"empty", b"bin\x00f": b"\r\n\xff", b"n": b"42"}
    assert client.hset("h", mapping=data) == 4
    assert client.hgetall("h") == data
    assert client.hget("h", "bin\x00f") == b"\r\n\xff"
    assert client.hmget("h", ["n", "missing", ""]) == [b"42", None, b"empty"]
    assert client.hincrby("h", "n", 8) == 50
    assert client.hincrbyfloat("h", "f", 1.5) == 1.5
    assert client.hincrbyfloat("h", "f", "2.25") == 3.75
    assert client.hstrlen("h", "name") == 6
    assert client.hsetnx("h", "name", "other") == 0
    assert client.hdel("h", "name", "missing") == 1
    assert client.hlen("h") == 4
    assert client.object("encoding", "h") == b"listpack"
    assert client.type("h") == b"hash"


def test_hscan_iter_returns_every_field_kept_while_the_hash_grows_and_converts(client):
    client.hset("h", mapping={"keep%d" % i: i for i in range(100)})
    assert client.object("encoding", "h") == b"listpack"
    client.hset("h", mapping={"more%d" % i: i for i in range(600)})
    assert client.object("encoding", "h") == b"hashtable"
    seen = {}
    cursor = 0
    added = 0
    while True:
        cursor, page = client.hscan("h", cursor, count=20)
        seen.update(page)
        # Growth between calls resizes the table under the cursor.
        for _ in range(50):
            client.hset("h", "grow%d" % added, added)
            added += 1
        if cursor == 0:
            break
    for i in range(100):
        assert seen[b"keep%d" % i] == str(i).encode()
    assert len(seen) >= 700


def test_hscan_match_filters_fields_and_keeps_pairs(client):
    client.hset("h", mapping={"user:%d" % i: "v%d" % i for i in range(20)})
    client.hset("h", mapping={"other:%d" % i: "o" for i in range(5)})
    found = dict(client.hscan_iter("h", match="user:1*"))
    assert found == {b"user:%d" % i: b"v%d" % i for i in [1] + list(range(10, 20))}


def test_hrandfield_shapes(client):
    client.hset("h", mapping={"a": "1", "b": "2", "c": "3"})
    assert client.hrandfield("h") in (b"a", b"b", b"c")
    assert sorted(client.hrandfield("h", 5)) == [b"a", b"b", b"c"]
    picks = client.hrandfield("h", -7, withvalues=True)
    assert len(picks) == 14
    pairs = {b"a": b"1", b"b": b"2", b"c": b"3"}
    for field, value in zip(picks[0::2], picks[1::2]):
        assert pairs[field] == value
    assert client.hrandfield("missing", 3) == []
    assert client.hrandfield("missing") is None


def test_wrong_type_and_errors_reach_the_client(client):
    client.set("s", "v")
    with pytest.raises(redis.ResponseError, match="WRONGTYPE"):
        client.hset("s", "f", "v")
    client.hset("h", "f", "abc")
    with pytest.raises(redis.ResponseError, match="hash value is not an integer"):
        client.hincrby("h", "f", 1)
    with pytest.raises(redis.ResponseError, match="hash value is not a float"):
        client.hincrbyfloat("h", "f", 1)
