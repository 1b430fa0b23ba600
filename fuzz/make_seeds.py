#!/usr/bin/python3
"""Writes the seed corpora of the value-decoder fuzz targets from a real redis-server.

    /usr/bin/python3 fuzz/make_seeds.py [redis-server]

Starts redis-server on a free loopback port with no persistence, builds small values of every
kind, and saves the bytes Redis itself produced:

  hyperloglog/   GET of PFADDed keys (sparse, dense, with and without a cached cardinality),
                 after the target's two control bytes
  listpack/      the listpacks inside DUMP payloads of hashes, sorted sets, lists and streams
  intset/        the intsets inside DUMP payloads of integer sets
  stream_node/   each stream node as RDB carries it: the 16-byte master ID, then the listpack
  restore/       whole DUMP payloads of every key (and LZF-compressed ones)
  rdb/           dump.rdb files SAVEd with every key, compressed and not
  (and, crafted by tests/integration/rdb_format.py, the encodings Redis no longer writes:
  restore/crafted_* payloads and rdb/crafted_v9, which redis-server loads as well)

DUMP runs with rdbcompression off, so every blob is stored as it is. Existing files of the same
names are overwritten; other files (crash regressions) are left alone.
"""
import os
import socket
import subprocess
import sys
import tempfile
import time

import redis

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus")

RDB_TYPE_SET_INTSET = 11
RDB_TYPE_HASH_LISTPACK = 16
RDB_TYPE_ZSET_LISTPACK = 17
RDB_TYPE_LIST_QUICKLIST_2 = 18
RDB_TYPE_STREAM_LISTPACKS_2 = 19
RDB_TYPE_SET_LISTPACK = 20
RDB_TYPE_STREAM_LISTPACKS_3 = 21


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Reader:
    """RDB length and string decoding, enough for uncompressed DUMP payloads."""

    def __init__(self, data):
        self.data = data
        self.offset = 0

    def byte(self):
        value = self.data[self.offset]
        self.offset += 1
        return value

    def take(self, count):
        value = self.data[self.offset:self.offset + count]
        assert len(value) == count, "truncated payload"
        self.offset += count
        return value

    def length(self):
        first = self.byte()
        kind = first >> 6
        if kind == 0:
            return first & 0x3F
        if kind == 1:
            return ((first & 0x3F) << 8) | self.byte()
        if first == 0x80:
            return int.from_bytes(self.take(4), "big")
        if first == 0x81:
            return int.from_bytes(self.take(8), "big")
        raise ValueError("encoded string where a length was expected: %#x" % first)

    def string(self):
        first = self.data[self.offset]
        if first >> 6 == 3:
            raise ValueError("compressed or integer-encoded string (rdbcompression must be off)")
        return self.take(self.length())


def blobs_of(payload):
    """The (kind, bytes) blobs of one DUMP payload."""
    reader = Reader(payload)
    rdb_type = reader.byte()
    if rdb_type == RDB_TYPE_SET_INTSET:
        return [("intset", reader.string())]
    if rdb_type in (RDB_TYPE_HASH_LISTPACK, RDB_TYPE_ZSET_LISTPACK, RDB_TYPE_SET_LISTPACK):
        return [("listpack", reader.string())]
    if rdb_type == RDB_TYPE_LIST_QUICKLIST_2:
        blobs = []
        for _ in range(reader.length()):
            container = reader.length()
            blob = reader.string()
            if container == 2:  # Packed: a listpack. Plain nodes hold one raw element.
                blobs.append(("listpack", blob))
        return blobs
    if rdb_type in (RDB_TYPE_STREAM_LISTPACKS_2, RDB_TYPE_STREAM_LISTPACKS_3):
        blobs = []
        for _ in range(reader.length()):
            key = reader.string()
            assert len(key) == 16, "stream node key of %d bytes" % len(key)
            blob = reader.string()
            blobs.append(("listpack", blob))
            blobs.append(("stream_node", key + blob))
        return blobs
    raise ValueError("unexpected RDB type %d" % rdb_type)


def build_values(r):
    """Creates the keys; returns the names of keys whose DUMP is used."""
    r.hset("hash:small", mapping={"field": "value", "n": "12", "neg": "-5000"})
    r.hset("hash:ints", mapping={str(i): str(i * 1000003 - 70000) for i in range(40)})
    # Long strings (12- and 32-bit length encodings) in a listpack-encoded hash.
    r.config_set("hash-max-listpack-value", 10000)
    r.hset("hash:long", mapping={"a" * 70: "b" * 300, "c": "x" * 5000})
    r.zadd("zset:small", {"alpha": 1.5, "beta": -2, "gamma": 1e10})
    r.zadd("zset:ints", {str(i): i * 7 for i in range(30)})
    r.rpush("list:small", "a", "1", "-1", "4095", "-4096", "32767", "8388607", "2147483647",
            "9223372036854775807", "-9223372036854775808", "x" * 64, "y" * 4096)
    r.rpush("list:many", *["element:%d" % i for i in range(300)])
    r.sadd("set:int16", 1, 2, 3, -7, 32767)
    r.sadd("set:int32", 5, 70000, -2147483648)
    r.sadd("set:int64", 1, 1 << 40, -(1 << 62))
    r.sadd("set:one", 42)
    for i in range(5):
        r.xadd("stream:same", {"temperature": str(20 + i), "unit": "C"}, id="1700000000000-%d" % i)
    r.xadd("stream:mixed", {"a": "1"}, id="5-1")
    r.xadd("stream:mixed", {"a": "2", "b": "3"}, id="5-2")
    r.xadd("stream:mixed", {"other": "x" * 100}, id="9-0")
    r.xadd("stream:mixed", {"a": "4"}, id="18446744073709551615-3")
    r.xdel("stream:mixed", "5-2")
    for i in range(250):
        r.xadd("stream:nodes", {"i": str(i)}, id="100-%d" % (i + 1))
    r.xtrim("stream:nodes", minid="100-150", approximate=False)
    r.xadd("stream:deleted", {"f": "v"}, id="1-1")
    r.xadd("stream:deleted", {"f": "w"}, id="1-2")
    r.xtrim("stream:deleted", minid="1-2", approximate=False)
    return sorted(k.decode() for k in r.keys("*") if not k.startswith(b"hll"))


def hll_values(r):
    """(name, value) HyperLogLog strings as Redis builds them."""
    values = []
    r.pfadd("hll:empty")
    values.append(("empty", r.get("hll:empty")))
    r.pfadd("hll:small", "a", "b", "c")
    values.append(("sparse_small", r.get("hll:small")))
    r.pfcount("hll:small")
    values.append(("sparse_cached", r.get("hll:small")))
    r.pfadd("hll:medium", *["m%d" % i for i in range(200)])
    values.append(("sparse_medium", r.get("hll:medium")))
    r.pfadd("hll:big", *["b%d" % i for i in range(5000)])
    values.append(("dense", r.get("hll:big")))
    r.pfcount("hll:big")
    values.append(("dense_cached", r.get("hll:big")))
    r.pfadd("hll:high", "x")
    r.execute_command("PFDEBUG", "TODENSE", "hll:high")
    values.append(("dense_one", r.get("hll:high")))
    r.pfmerge("hll:merged", "hll:small", "hll:medium")
    values.append(("sparse_merged", r.get("hll:merged")))
    return values


def write(kind, name, data):
    directory = os.path.join(ROOT, kind)
    os.makedirs(directory, exist_ok=True)
    with open(os.path.join(directory, name), "wb") as out:
        out.write(data)


def write_payloads_and_files(r, data_dir):
    """restore/ and rdb/ seeds: every key's DUMP, and whole files, as Redis wrote them."""
    r.set("string:int", 12345)
    r.set("string:text", "hello")
    r.set("string:ttl", "v", px=100000000)
    r.config_set("rdbcompression", "yes")
    r.set("string:long", "abc" * 200)
    r.hset("hash:compressible", mapping={"f%d" % i: "value" * 10 for i in range(20)})
    for key in sorted(k.decode() for k in r.keys("*")):
        write("restore", "redis_%s" % key.replace(":", "_"), r.dump(key))
    r.xgroup_create("stream:mixed", "group", id="0")
    r.xreadgroup("group", "consumer", {"stream:mixed": ">"}, count=2)
    r.save()
    with open(os.path.join(data_dir, "dump.rdb"), "rb") as f:
        write("rdb", "redis_all_compressed", f.read())
    r.config_set("rdbcompression", "no")
    r.save()
    with open(os.path.join(data_dir, "dump.rdb"), "rb") as f:
        write("rdb", "redis_all", f.read())
    for key in list(r.keys("*"))[5:]:
        r.delete(key)
    r.save()
    with open(os.path.join(data_dir, "dump.rdb"), "rb") as f:
        write("rdb", "redis_small", f.read())


def write_crafted():
    sys.path.insert(0, os.path.join(os.path.dirname(ROOT), "..", "tests", "integration"))
    import rdb_format as rf
    samples = rf.old_encoding_samples()
    records = [rf.select_db(0)]
    for name, (type_byte, body) in sorted(samples.items()):
        write("restore", "crafted_" + name.replace("-", "_"), rf.payload(type_byte, body, 9))
        records.append(rf.key_record(type_byte, name, body))
    write("rdb", "crafted_v9", rf.rdb_file(records, version=9))


def main():
    server_binary = sys.argv[1] if len(sys.argv) > 1 else "redis-server"
    port = free_port()
    with tempfile.TemporaryDirectory() as data_dir:
        server = subprocess.Popen(
            [server_binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", data_dir, "--rdbcompression", "no"],
            stdout=subprocess.DEVNULL)
        try:
            r = redis.Redis(port=port)
            for _ in range(100):
                try:
                    r.ping()
                    break
                except redis.ConnectionError:
                    time.sleep(0.05)
            for key in build_values(r):
                for index, (kind, blob) in enumerate(blobs_of(r.dump(key))):
                    write(kind, "redis_%s_%d" % (key.replace(":", "_"), index), blob)
            # The HyperLogLog target reads two control bytes before the value: a
            # hll-sparse-max-bytes choice (0xbb: about Redis's default 3000) and a number of
            # elements to add.
            for name, value in hll_values(r):
                write("hyperloglog", "redis_" + name, bytes([0xBB, 8]) + value)
            write_payloads_and_files(r, data_dir)
            write_crafted()
        finally:
            server.terminate()
            server.wait()


if __name__ == "__main__":
    main()
