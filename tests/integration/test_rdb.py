"""The RDB codec against Debian's redis-server 7.0.15, both ways:

- files redis-server SAVEs (every type and encoding) read by ringdb's reader (tools/rdb,
  ringdb-rdb dump), value by value and encoding by encoding;
- files ringdb's writer produces (ringdb-rdb rewrite) loaded by redis-server;
- DUMP payloads from redis-server RESTOREd into ringdb and back, key by key, value by value,
  TTL by TTL, and the error replies of bad payloads compared with redis-server's;
- old encodings Redis no longer writes, crafted by an independent Python writer
  (rdb_format.py), RESTOREd into both servers and read from a crafted file.
"""
import json
import os
import shutil
import subprocess
import tempfile

import pytest
import redis

import rdb_format as rf
from conftest import REDIS_SERVER, ServerProcess, ROOT

RDB_TOOL = os.environ.get("RINGDB_RDB_TOOL") or os.path.join(ROOT, "build", "ringdb-rdb")


def start_redis(*args, directory=None):
    process = ServerProcess("--save", "", "--appendonly", "no", "--sanitize-dump-payload", "yes",
                            *args, binary=REDIS_SERVER)
    return process


@pytest.fixture(scope="module")
def oracle():
    process = start_redis()
    yield process
    process.stop()


@pytest.fixture(scope="module")
def ringdb():
    process = ServerProcess()
    yield process
    process.stop()


def populate(c):
    """Every type in every encoding redis-server 7.0 has, with binary bytes and TTLs."""
    c.set("s:int", 12345)
    c.set("s:neg", -70000)
    c.set("s:big-int", 2**62)
    c.set("s:embstr", "hello")
    c.set("s:raw", "x" * 3000 + "end")
    c.set("s:bin", bytes(range(256)) * 3)
    c.set("s:empty", "")
    c.set("s:ttl", "v", px=500000)
    c.set(b"k\x00\xffbin", b"\x00\r\n")
    c.rpush("l:listpack", "a", 1, -2, 2**40, "b" * 30)
    c.rpush("l:quicklist", *["element-%d" % i for i in range(2000)])
    c.rpush("l:big", "p" * 20000, "small", "q" * 10000)
    c.expire("l:listpack", 1000)
    c.sadd("set:intset", 1, -5, 100000, 7 * 10**10)
    c.sadd("set:listpack", "a", "b", 12)
    c.sadd("set:hashtable", *["m%d" % i for i in range(300)])
    c.sadd("set:big-intset", *range(0, 1800, 3))
    c.zadd("z:listpack", {"a": 1, "b": 2.5, "c": float("-inf"), "d": float("inf"), "e": 0})
    c.zadd("z:skiplist", {"m%d" % i: i * 0.25 - 10 for i in range(200)})
    c.zadd("z:long", {"z" * 100: 1, "short": 2})
    c.hset("h:listpack", mapping={"f1": "v1", "f2": 22, "33": "v3", b"\x00": b"\xff"})
    c.hset("h:hashtable", mapping={"field%d" % i: "value%d" % i for i in range(600)})
    c.hset("h:long", "f", "v" * 100)
    for i in range(1, 251):
        c.xadd("x:stream", {"field": "value%d" % i, "n": i}, id="%d-1" % i)
    c.xadd("x:stream", {"other": "shape"}, id="300-0")
    c.xdel("x:stream", "5-1", "120-1")
    c.xgroup_create("x:stream", "g1", id="0")
    c.xgroup_create("x:stream", "g2", id="$")
    c.xreadgroup("g1", "alice", {"x:stream": ">"}, count=3)
    c.xreadgroup("g1", "bob", {"x:stream": ">"}, count=2)
    c.xgroup_createconsumer("x:stream", "g1", "carol")
    c.xadd("x:empty", {"a": "b"}, id="1-1")
    c.xdel("x:empty", "1-1")
    c.execute_command("SELECT", 5)
    c.set("db5:key", "value")
    c.execute_command("SELECT", 0)


def stream_view(c, key):
    """What a stream holds, in fields both Redis 7.0 and 7.2 report."""
    info = c.execute_command("XINFO", "STREAM", key, "FULL")
    info = dict(zip(info[::2], info[1::2]))
    groups = []
    for group in info[b"groups"]:
        group = dict(zip(group[::2], group[1::2]))
        consumers = []
        for consumer in group[b"consumers"]:
            consumer = dict(zip(consumer[::2], consumer[1::2]))
            consumers.append((consumer[b"name"], consumer[b"seen-time"],
                              [p[0] for p in consumer[b"pending"]]))
        groups.append((group[b"name"], group[b"last-delivered-id"], group[b"entries-read"],
                       [tuple(p) for p in group[b"pending"]], consumers))
    return (info[b"length"], info[b"last-generated-id"], info[b"entries-added"],
            info[b"max-deleted-entry-id"], info[b"recorded-first-entry-id"],
            c.xrange(key, "-", "+"), groups)


def value_of(c, key):
    kind = c.type(key)
    if kind == b"string":
        value = c.get(key)
    elif kind == b"list":
        value = c.lrange(key, 0, -1)
    elif kind == b"set":
        value = sorted(c.smembers(key))
    elif kind == b"zset":
        value = c.zrange(key, 0, -1, withscores=True)
    elif kind == b"hash":
        value = sorted(c.hgetall(key).items())
    elif kind == b"stream":
        value = stream_view(c, key)
    else:
        raise AssertionError(kind)
    encoding = c.object("encoding", key)
    if kind == b"list":
        # Redis 7.0 reports every list as a quicklist; 7.2 (and ringdb) keeps small ones in
        # a listpack.
        encoding = None
    elif kind == b"set" and encoding == b"listpack":
        # Redis 7.0 has no listpack sets: what 7.2 keeps in one, 7.0 keeps in a hashtable.
        encoding = b"hashtable"
    return kind, encoding, c.pexpiretime(key), value


def snapshot(c, dbs=(0, 5)):
    out = {}
    for db in dbs:
        c.execute_command("SELECT", db)
        for key in c.keys("*"):
            out[(db, key)] = value_of(c, key)
    c.execute_command("SELECT", 0)
    return out


def tool(*args, check=True):
    result = subprocess.run([RDB_TOOL, *args], capture_output=True)
    if check:
        assert result.returncode == 0, result.stderr.decode()
    return result


def tool_dump(path):
    lines = tool("dump", path).stdout.decode().splitlines()
    keys = [json.loads(line) for line in lines[:-1]]
    return keys, json.loads(lines[-1])


def latin1(text):
    return text.encode("latin-1")


def json_value(record):
    """A tool record's value in value_of's shape (encoding and TTL aside)."""
    kind, value = record["type"].encode(), record["value"]
    if kind == b"string":
        return latin1(value)
    if kind == b"list":
        return [latin1(v) for v in value]
    if kind == b"set":
        return sorted(latin1(v) for v in value)
    if kind == b"zset":
        return [(latin1(m), float(s)) for m, s in value]
    if kind == b"hash":
        return sorted((latin1(f), latin1(v)) for f, v in value)
    return value


@pytest.fixture(scope="module")
def saved(oracle):
    """redis-server's dump.rdb with every type, and its snapshot."""
    c = oracle.client()
    c.flushall()
    populate(c)
    expected = snapshot(c)
    c.save()
    path = os.path.join(oracle.dir, "dump.rdb")
    copy = os.path.join(tempfile.mkdtemp(prefix="ringdb-rdb-"), "redis.rdb")
    shutil.copy(path, copy)
    yield copy, expected
    c.close()


def test_the_reader_loads_every_type_and_encoding_redis_saves(saved):
    path, expected = saved
    keys, end = tool_dump(path)
    assert end["version"] == 10
    assert end["aux"]["redis-ver"] == "7.0.15"
    got = {(k["db"], latin1(k["key"])): k for k in keys}
    assert set(got) == set(expected)
    for key, (kind, encoding, expire, value) in expected.items():
        record = got[key]
        assert record["type"].encode() == kind, key
        if encoding is not None:
            assert record["encoding"].replace("listpack", "hashtable" if kind == b"set"
                                              else "listpack").encode() == encoding, key
        assert record["expire_ms"] == expire, key
        if kind == b"stream":
            assert record["value"]["length"] == value[0]
            assert record["value"]["last_id"].encode() == value[1]
            assert [e[0].encode() for e in record["value"]["entries"]] == [e[0] for e in value[5]]
            assert [g["name"].encode() for g in record["value"]["groups"]] == [g[0] for g in value[6]]
            pending = [[p[0].encode(), p[3].encode(), p[1], p[2]]
                       for p in record["value"]["groups"][0]["pending"]] if value[6] else []
            if value[6]:
                assert pending == [[p[0], p[1], p[2], p[3]] for p in value[6][0][3]]
        else:
            assert json_value(record) == value, key


def test_redis_loads_what_the_writer_writes(saved):
    path, expected = saved
    for version in ("10",):
        directory = tempfile.mkdtemp(prefix="ringdb-rdb-")
        tool("rewrite", path, os.path.join(directory, "dump.rdb"), version)
        second = ServerProcess("--save", "", "--appendonly", "no", "--dir", directory,
                               binary=REDIS_SERVER)
        try:
            c = second.client()
            assert snapshot(c) == expected
        finally:
            second.stop()
        # The rewritten file reads back to the same records as the original.
        assert tool_dump(os.path.join(directory, "dump.rdb"))[0] == tool_dump(path)[0]


def test_version_11_files_read_back_identically(saved):
    path, _ = saved
    directory = tempfile.mkdtemp(prefix="ringdb-rdb-")
    out = os.path.join(directory, "v11.rdb")
    tool("rewrite", path, out, "11")
    with open(out, "rb") as f:
        assert f.read(9) == b"REDIS0011"
    assert tool_dump(out)[0] == tool_dump(path)[0]


def test_native_snapshots_of_redis_data_read_back_identically(saved):
    """redis-server's dataset through the native format (one block, and many small ones)."""
    path, _ = saved
    directory = tempfile.mkdtemp(prefix="ringdb-rdb-")
    original_keys, original_end = tool_dump(path)
    for form in ("native", "native:4096"):
        out = os.path.join(directory, form.replace(":", "-") + ".snap")
        tool("rewrite", path, out, form)
        with open(out, "rb") as f:
            assert f.read(8) == b"RINGSNAP"
        keys, end = tool_dump(out)
        assert end["format"] == "native"
        assert end["aux"] == original_end["aux"]
        assert keys == original_keys
        # And back to RDB, which redis-server's records equal again.
        back = os.path.join(directory, form.replace(":", "-") + ".rdb")
        tool("rewrite", out, back, "10")
        assert tool_dump(back)[0] == original_keys


def test_a_corrupted_file_is_refused_with_an_offset(saved):
    path, _ = saved
    with open(path, "rb") as f:
        data = bytearray(f.read())
    directory = tempfile.mkdtemp(prefix="ringdb-rdb-")
    truncated = os.path.join(directory, "truncated.rdb")
    with open(truncated, "wb") as f:
        f.write(data[: len(data) // 2])
    result = tool("dump", truncated, check=False)
    assert result.returncode == 1
    assert result.stderr.startswith(b"ringdb-rdb: offset ")
    data[-3] ^= 0x10
    flipped = os.path.join(directory, "flipped.rdb")
    with open(flipped, "wb") as f:
        f.write(data)
    result = tool("dump", flipped, check=False)
    assert result.returncode == 1
    assert b"wrong RDB checksum" in result.stderr


def test_dump_restore_interoperates_both_ways(oracle, ringdb):
    source = oracle.client()
    source.flushall()
    populate(source)
    expected = snapshot(source, dbs=(0,))
    target = ringdb.client()
    target.flushall()
    for (_, key) in expected:
        payload = source.dump(key)
        ttl = source.pttl(key)
        assert target.restore(key, max(ttl, 0), payload)
    got = snapshot(target, dbs=(0,))
    assert set(got) == set(expected)
    for key, (kind, encoding, expire, value) in expected.items():
        g_kind, g_encoding, g_expire, g_value = got[key]
        assert (g_kind, g_encoding, g_value) == (kind, encoding, value), key
        if expire > 0:
            assert abs(g_expire - expire) < 5000, key
        else:
            assert g_expire == expire, key
    # And back: ringdb's payloads restore into redis-server to the same values.
    source.flushall()
    for (_, key) in expected:
        assert source.restore(key, 0, target.dump(key))
    back = snapshot(source, dbs=(0,))
    for key, (kind, encoding, _, value) in expected.items():
        assert back[key][0] == kind and back[key][1] == encoding and back[key][3] == value, key


def restore_reply(c, *args):
    try:
        return c.execute_command("RESTORE", *args)
    except redis.ResponseError as error:
        return "ERR:" + str(error)


def test_restore_errors_and_options_match_redis(oracle, ringdb):
    for process in (oracle, ringdb):
        c = process.client()
        c.flushall()
        c.set("src", "value")
        c.sadd("set", "a", "b", "c")
    a, b = oracle.client(), ringdb.client()
    payload = a.dump("set")
    bad_version = bytearray(payload)
    bad_version[-10] = 12
    bad_version[-2] ^= 1  # The checksum no longer matters: the version is checked first.
    flipped = bytearray(payload)
    flipped[3] ^= 0x40
    cases = [
        ("k", 0, payload[:5]),
        ("k", 0, payload[:-1]),
        ("k", 0, bytes(flipped)),
        ("k", 0, bytes(bad_version)),
        ("k", 0, b""),
        ("k", -1, payload),
        ("k", "x", payload),
        ("src", 0, payload),
        ("src", 0, payload, "REPLACE", "IDLETIME", "-1"),
        ("src", 0, payload, "REPLACE", "FREQ", "256"),
        ("src", 0, payload, "REPLACE", "FREQ", "1", "IDLETIME", "1"),
        ("src", 0, payload, "REPLACE", "IDLETIME", "x"),
        ("src", 0, payload, "BOGUS"),
        ("k", 0, rf.payload(2, rf.length(2) + rf.string("a") + rf.string("a"), 9)),
        ("k", 0, rf.payload(2, rf.length(0), 9)),
        ("k", 0, rf.payload(13, rf.string(rf.ziplist(["f", "v", "f", "w"])), 9)),
        ("k", 0, rf.payload(8, b"\x00", 9)),
        ("k", 0, rf.payload(0, b"\x05ab", 9)),
        ("new", 0, payload, "IDLETIME", "10"),
        ("src", 0, payload, "REPLACE"),
        ("past", 1, payload, "ABSTTL"),
        ("future", 10**13 + 7, payload, "ABSTTL"),
    ]
    for case in cases:
        assert restore_reply(b, *case) == restore_reply(a, *case), case
    # Reading values touches the keys: look at the idle time first.
    assert a.object("idletime", "new") >= 10
    assert b.object("idletime", "new") >= 10
    assert snapshot(b, dbs=(0,)) == snapshot(a, dbs=(0,))


# ---- Old encodings, crafted by rdb_format.py.

OLD_ENCODINGS = rf.old_encoding_samples()


@pytest.mark.parametrize("name", sorted(OLD_ENCODINGS))
def test_old_encodings_restore_like_redis(oracle, ringdb, name):
    type_byte, body = OLD_ENCODINGS[name]
    payload = rf.payload(type_byte, body, version=9)
    a, b = oracle.client(), ringdb.client()
    for c in (a, b):
        c.delete(name)
        assert c.restore(name, 0, payload)
    assert value_of(b, name) == value_of(a, name)


def test_a_crafted_version_9_file_reads_like_redis_loads_it(ringdb):
    records = [rf.select_db(0)]
    for name, (type_byte, body) in sorted(OLD_ENCODINGS.items()):
        records.append(rf.key_record(type_byte, name, body))
    records.append(rf.key_record(0, "expiring", rf.string("v"), expire_ms=4102444800000))
    records.append(rf.key_record(0, "expired", rf.string("v"), expire_ms=1000))
    records.append(rf.key_record(2, "empty-set", rf.length(0)))
    data = rf.rdb_file(records, version=9)
    directory = tempfile.mkdtemp(prefix="ringdb-rdb-")
    path = os.path.join(directory, "dump.rdb")
    with open(path, "wb") as f:
        f.write(data)
    keys, end = tool_dump(path)
    assert end["version"] == 9
    assert end["empty_keys_skipped"] == 1
    got = {latin1(k["key"]): k for k in keys}
    assert got[b"expired"]["expire_ms"] == 1000  # The reader reports; the loader skips.
    oracle_process = ServerProcess("--save", "", "--appendonly", "no", "--dir", directory,
                                   binary=REDIS_SERVER)
    try:
        c = oracle_process.client()
        expected = snapshot(c, dbs=(0,))
    finally:
        oracle_process.stop()
    for (_, key), (kind, encoding, expire, value) in expected.items():
        record = got[key]
        assert record["type"].encode() == kind, key
        if encoding is not None:
            assert record["encoding"].replace("listpack", "hashtable" if kind == b"set"
                                              else "listpack").encode() == encoding, key
        assert record["expire_ms"] == expire, key
        if kind != b"stream":
            assert json_value(record) == value, key
    stream = got[b"stream-v1"]["value"]
    assert [e[0] for e in stream["entries"]] == ["1000-0", "1000-1", "1001-0", "1003-0"]
    assert stream["groups"][0]["pending"] == [["1000-0", 10000, 3, "consumer"],
                                              ["1000-1", 20000, 1, "consumer"]]
    assert stream["groups"][0]["consumers"][0]["active_time"] == 30000
