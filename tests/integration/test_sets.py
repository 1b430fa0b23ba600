"""Sets through python3-redis, where a real client matters: its reply parsing (Python sets
for SMEMBERS/SINTER/SUNION/SDIFF, lists for SRANDMEMBER and SSCAN pages), sscan_iter over a
hashtable that changes between pages, pipelines of set writes, binary members. (Keyspace
events are pinned by the unit tests: PSUBSCRIBE is not there yet to watch them from outside.)

Every test runs against ringdb-server and against Debian's redis-server (the oracle).
"""


def test_set_commands_round_trip_through_redis_py(client):
    assert client.sadd("s", "a", "b", b"\x00\xff", "") == 4
    assert client.smembers("s") == {b"a", b"b", b"\x00\xff", b""}
    assert client.sismember("s", b"\x00\xff") is True
    assert client.smismember("s", ["a", "z"]) == [1, 0]
    assert client.scard("s") == 4
    assert client.sadd("t", "b", "c") == 2
    assert client.sinter("s", "t") == {b"b"}
    assert client.sunion("s", "t") == {b"a", b"b", b"c", b"\x00\xff", b""}
    assert client.sdiff("s", "t") == {b"a", b"\x00\xff", b""}
    assert client.sintercard(2, ["s", "t"]) == 1
    assert client.smove("s", "t", "a") is True
    assert client.sinterstore("d", ["s", "t"]) == 1
    assert client.srem("s", "a", "b") == 1
    popped = client.spop("s", 10)
    assert sorted(popped) == [b"", b"\x00\xff"]
    assert client.exists("s") == 0
    assert client.spop("s") is None
    assert client.srandmember("t") in {b"a", b"b", b"c"}
    assert len(client.srandmember("t", -5)) == 5


def test_intset_members_come_back_ascending(client):
    client.sadd("i", 5, -3, 12, 2**63 - 1)
    raw = client.execute_command("SMEMBERS", "i")
    # redis-py turns SMEMBERS into a set; the raw order is the intset's, ascending.
    assert client.object("encoding", "i") == b"intset"
    assert sorted(int(x) for x in raw) == [-3, 5, 12, 2**63 - 1]
    assert client.sscan("i", 0) == (0, [b"-3", b"5", b"12", b"9223372036854775807"])


def test_sscan_iter_returns_every_member_while_the_set_grows(client):
    members = {b"member:%d" % i for i in range(3000)}
    client.sadd("big", *members)
    assert client.object("encoding", "big") == b"hashtable"
    seen = set()
    for i, member in enumerate(client.sscan_iter("big", count=50)):
        seen.add(member)
        if i % 100 == 0:
            client.sadd("big", b"late:%d" % i)
    assert members <= seen
    matched = set(client.sscan_iter("big", match="member:29*", count=1000))
    assert matched == {m for m in members if m.startswith(b"member:29")}


def test_pipelined_set_writes_reply_in_order(client):
    with client.pipeline(transaction=False) as pipe:
        for i in range(300):
            pipe.sadd("p", i)
        pipe.scard("p")
        pipe.object("encoding", "p")
        pipe.sadd("p", "x")
        pipe.object("encoding", "p")
        replies = pipe.execute()
    assert replies[:300] == [1] * 300
    assert replies[300:] == [300, b"intset", 1, b"hashtable"]


def test_debug_digest_of_sets_equals_redis_whatever_the_encoding():
    """DEBUG DIGEST mixes set members as Redis's xorObjectDigest (order-independent), so
    ringdb's digest of the same data equals redis-server's, for every set encoding."""
    from conftest import REDIS_SERVER, ServerProcess

    servers = [ServerProcess("--enable-debug-command", "yes"),
               ServerProcess("--save", "", "--appendonly", "no", "--enable-debug-command", "yes",
                             binary=REDIS_SERVER)]
    try:
        digests = []
        for server in servers:
            client = server.client()
            client.sadd("ints", 1, 2, 3, -7)
            client.sadd("strings", "x", "", b"\x00\xff")
            client.sadd("big", *[b"m%d" % i for i in range(300)])
            client.sadd("reversed", *[b"m%d" % i for i in reversed(range(300))])
            client.set("plain", "v")
            digests.append((client.execute_command("DEBUG", "DIGEST"),
                            client.execute_command("DEBUG", "DIGEST-VALUE", "ints", "strings",
                                                   "big", "reversed")))
            client.close()
        assert digests[0] == digests[1]
        assert digests[0][1][2] == digests[0][1][3]
    finally:
        for server in servers:
            server.stop()
