"""Huge replies are bounded by client-output-buffer-limit, never by the server's memory: with a
small normal-class hard limit, a command asking for a hundred million random members (or a
range over a big value) gets its client closed, the reply stops growing at the limit while it
is produced, the server's peak RSS stays small, and other clients are served throughout. With
the default limits (none for normal clients) the whole reply is produced, as in Redis.

The tests run against ringdb and against Debian's redis-server, so each expectation is also
Redis's behaviour."""
import time

import pytest

from conftest import REDIS_SERVER, ServerProcess

LIMIT_BYTES = 1 << 20
# A hundred million picks: at 7+ bytes each, a reply of over 700 MB if nothing stopped it.
HUGE = -100000000
# Sizes of the values the range commands read (each reply is several times LIMIT_BYTES).
LIST_LENGTH = 60000
ELEMENT = b"e" * 40
KEY_COUNT = 40000


def start(kind, *args):
    if kind == "ringdb":
        return ServerProcess(*args)
    return ServerProcess("--save", "", "--appendonly", "no", *args, binary=REDIS_SERVER)


def peak_rss_bytes(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    raise RuntimeError("no VmHWM")


def info_field(conn, section, field):
    """An integer INFO field; None when the server does not report it (redis-server 7.0.15
    lacks client_output_buffer_limit_disconnections, which 7.2 and ringdb have)."""
    conn.command("INFO", section)
    body = conn.read_reply().split(b"\r\n", 1)[1]
    for line in body.split(b"\r\n"):
        if line.startswith(field.encode() + b":"):
            return int(line.split(b":", 1)[1])
    return None


def call(conn, *args):
    conn.command(*args)
    return conn.read_reply()


def fill(conn):
    """A small set, hash and sorted set (the random-count commands repeat their members) and
    big list, sorted set, hash, set and stream for the range commands."""
    assert call(conn, "SADD", "s", "a", "b", "c") == b":3\r\n"
    assert call(conn, "HSET", "h", "f1", "v1", "f2", "v2") == b":2\r\n"
    assert call(conn, "ZADD", "z", "1", "a", "2", "b") == b":2\r\n"
    batch = 1000
    for start in range(0, LIST_LENGTH, batch):
        members = [b"%s%d" % (ELEMENT, i) for i in range(start, start + batch)]
        conn.command("RPUSH", "biglist", *members)
        conn.command("SADD", "bigset", *members)
        conn.command("HSET", "bighash", *[item for m in members for item in (m, m)])
        conn.command("ZADD", "bigzset", *[item for i, m in enumerate(members, start)
                                          for item in (str(i), m)])
        for reply in range(4):
            assert not conn.read_reply().startswith(b"-")
    for i in range(0, 20000):
        conn.command("XADD", "bigstream", "*", "field", ELEMENT)
    for i in range(0, 20000):
        assert not conn.read_reply().startswith(b"-")
    for start in range(0, KEY_COUNT, batch):
        conn.command("MSET", *[item for i in range(start, start + batch)
                               for item in (b"key:%d:%s" % (i, ELEMENT), b"v")])
        assert conn.read_reply() == b"+OK\r\n"


@pytest.fixture(scope="module", params=["ringdb", "redis-oracle"])
def limited(request):
    server = start(request.param, "--client-output-buffer-limit", "normal 1mb 1mb 0")
    fill(server.raw())
    yield server
    server.stop()


OVERSIZED = [
    ["SRANDMEMBER", "s", str(HUGE)],
    ["HRANDFIELD", "h", str(HUGE)],
    ["HRANDFIELD", "h", str(HUGE), "WITHVALUES"],
    ["ZRANDMEMBER", "z", str(HUGE)],
    ["ZRANDMEMBER", "z", str(HUGE), "WITHSCORES"],
    # The largest count WITHVALUES/WITHSCORES accept: a reply of 2^63 elements.
    ["HRANDFIELD", "h", "-4611686018427387903", "WITHVALUES"],
    ["ZRANDMEMBER", "z", "-4611686018427387903", "WITHSCORES"],
    ["SRANDMEMBER", "s", "-9223372036854775807"],
    ["LRANGE", "biglist", "0", "-1"],
    ["ZRANGE", "bigzset", "0", "-1", "WITHSCORES"],
    ["HGETALL", "bighash"],
    ["SMEMBERS", "bigset"],
    ["XRANGE", "bigstream", "-", "+"],
    ["KEYS", "*"],
    ["SORT", "biglist", "ALPHA"],
]


@pytest.mark.parametrize("argv", OVERSIZED, ids=" ".join)
def test_a_reply_over_the_hard_limit_closes_the_client_without_growing_the_server(limited, argv):
    observer = limited.raw()
    baseline_memory = info_field(observer, "memory", "used_memory")
    disconnections = info_field(observer, "stats", "client_output_buffer_limit_disconnections")
    peak_before = peak_rss_bytes(limited.process.pid)

    greedy = limited.raw()
    greedy.command(*argv)
    assert greedy.closed_by_peer(timeout=30)
    greedy.close()

    # Another client is served at once, and the server let go of the reply.
    assert call(observer, "PING") == b"+PONG\r\n"
    assert call(observer, "SCARD", "s") == b":3\r\n"
    if limited.binary != REDIS_SERVER:
        assert info_field(observer, "stats", "client_output_buffer_limit_disconnections") == \
            disconnections + 1
    limited.wait_for_log("scheduled to be closed ASAP for overcoming of output buffer limits")
    # The closed client's buffers go once its socket is closed, which may take a loop turn.
    deadline = time.monotonic() + 5
    while info_field(observer, "memory", "used_memory") >= baseline_memory + 4 * LIMIT_BYTES:
        assert time.monotonic() < deadline, "the closed client's memory was not released"
        time.sleep(0.05)
    # The reply was never built past the limit: the peak grew by far less than the reply
    # (hundreds of megabytes to exabytes) would take.
    grown = peak_rss_bytes(limited.process.pid) - peak_before
    assert grown < 64 << 20, f"peak RSS grew by {grown} bytes"


def test_a_client_waiting_on_another_is_served_while_one_goes_over_its_limit(limited):
    """Commands pipelined behind an oversized one on another connection all get answered."""
    observer = limited.raw()
    greedy = limited.raw()
    observer.send(b"*1\r\n$4\r\nPING\r\n" * 100)
    greedy.command("SRANDMEMBER", "s", str(HUGE))
    for _ in range(100):
        assert observer.read_reply() == b"+PONG\r\n"
    assert greedy.closed_by_peer(timeout=30)
    assert call(observer, "DBSIZE") == b":%d\r\n" % (8 + KEY_COUNT)


def test_replies_below_the_limit_are_whole(limited):
    conn = limited.raw()
    reply = call(conn, "SRANDMEMBER", "s", "-1000")
    assert reply.startswith(b"*1000\r\n")
    assert reply.count(b"$1\r\n") == 1000
    assert call(conn, "LRANGE", "biglist", "0", "9").startswith(b"*10\r\n")
    assert call(conn, "PING") == b"+PONG\r\n"


@pytest.mark.parametrize("argv,error", [
    (["HRANDFIELD", "h", "-4611686018427387904", "WITHVALUES"], b"-ERR value is out of range\r\n"),
    (["HRANDFIELD", "h", "4611686018427387904", "WITHVALUES"], b"-ERR value is out of range\r\n"),
    (["ZRANDMEMBER", "z", "-4611686018427387904", "WITHSCORES"], b"-ERR value is out of range\r\n"),
    (["ZRANDMEMBER", "z", "4611686018427387904", "WITHSCORES"], b"-ERR value is out of range\r\n"),
    (["ZRANDMEMBER", "nosuch", "-9223372036854775807", "WITHSCORES"],
     b"-ERR value is out of range\r\n"),
    (["HRANDFIELD", "h", "-9223372036854775808"],
     b"-ERR value is out of range, value must between -9223372036854775807 and "
     b"9223372036854775807\r\n"),
    (["ZRANDMEMBER", "z", "-9223372036854775808"],
     b"-ERR value is out of range, value must between -9223372036854775807 and "
     b"9223372036854775807\r\n"),
    (["SRANDMEMBER", "s", "-9223372036854775808"],
     b"-ERR value is out of range, value must between -9223372036854775807 and "
     b"9223372036854775807\r\n"),
    (["SRANDMEMBER", "s", "-1e9"], b"-ERR value is not an integer or out of range\r\n"),
    (["HRANDFIELD", "h", "-100", "WITHSCORES"], b"-ERR syntax error\r\n"),
])
def test_counts_redis_refuses_are_refused_with_its_errors(limited, argv, error):
    conn = limited.raw()
    assert call(conn, *argv) == error
    assert call(conn, "PING") == b"+PONG\r\n"


@pytest.fixture(scope="module", params=["ringdb", "redis-oracle"])
def unlimited(request):
    server = start(request.param)
    conn = server.raw()
    assert call(conn, "SADD", "s", "a", "b", "c") == b":3\r\n"
    assert call(conn, "HSET", "h", "f1", "v1", "f2", "v2") == b":2\r\n"
    assert call(conn, "ZADD", "z", "1", "a", "2", "b") == b":2\r\n"
    yield server
    server.stop()


def read_bulks(conn, count):
    """Reads a flat RESP2 array of `count` bulk strings, item by item (RawConnection's
    read_reply would concatenate a long reply quadratically)."""
    assert conn.read_line() == b"*%d" % count
    items = []
    for _ in range(count):
        length = conn.read_line()
        assert length.startswith(b"$")
        items.append(conn.read_exact(int(length[1:]) + 2)[:-2])
    return items


def bulks(conn, count, *args):
    conn.command(*args)
    return read_bulks(conn, count)


COUNT = 300000


def test_the_default_limits_produce_the_whole_reply_with_repeats(unlimited):
    conn = unlimited.raw()
    members = bulks(conn, COUNT, "SRANDMEMBER", "s", str(-COUNT))
    assert set(members) == {b"a", b"b", b"c"}
    pairs = bulks(conn, 2 * COUNT, "HRANDFIELD", "h", str(-COUNT), "WITHVALUES")
    assert set(zip(pairs[0::2], pairs[1::2])) == {(b"f1", b"v1"), (b"f2", b"v2")}
    scored = bulks(conn, 2 * COUNT, "ZRANDMEMBER", "z", str(-COUNT), "WITHSCORES")
    assert set(zip(scored[0::2], scored[1::2])) == {(b"a", b"1"), (b"b", b"2")}
    # Positive counts are distinct members, at most all of them.
    assert sorted(bulks(conn, 3, "SRANDMEMBER", "s", str(COUNT))) == [b"a", b"b", b"c"]
    assert sorted(bulks(conn, 2, "HRANDFIELD", "h", str(COUNT))) == [b"f1", b"f2"]
    assert call(conn, "PING") == b"+PONG\r\n"


def test_the_default_limits_cost_no_copy_proportional_to_the_count(unlimited):
    """Sampling with repeats streams the picks into the reply: the peak RSS grows by about
    the reply (a few MB), not by a per-pick table of the count."""
    conn = unlimited.raw()
    count = 2000000
    peak_before = peak_rss_bytes(unlimited.process.pid)
    conn.command("SRANDMEMBER", "s", str(-count))
    header = conn.read_line()
    assert header == b"*%d" % count
    reply_bytes = count * 7  # "$1\r\na\r\n"
    conn.read_exact(reply_bytes)
    grown = peak_rss_bytes(unlimited.process.pid) - peak_before
    assert grown < 3 * reply_bytes + (16 << 20), f"peak RSS grew by {grown} bytes"
