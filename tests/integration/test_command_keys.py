"""COMMAND INFO's key positions and key specs, and COMMAND GETKEYS / GETKEYSANDFLAGS, compared
with Debian's redis-server byte for byte: for every command both servers have, and for a table
of argument vectors (well-formed and malformed) of the commands whose keys follow a count, a
keyword or an option (LMPOP, ZUNIONSTORE, XREAD, GEORADIUS ... STORE, SORT, SET ... GET)."""
import pytest

from conftest import REDIS_SERVER, ServerProcess
from test_command_command import decode


@pytest.fixture(scope="module")
def servers():
    ringdb = ServerProcess()
    redis = ServerProcess("--save", "", "--appendonly", "no", binary=REDIS_SERVER)
    yield ringdb, redis
    ringdb.stop()
    redis.stop()


def ask(server, protocol, *args):
    conn = server.raw()
    try:
        if protocol == 3:
            conn.command("HELLO", "3")
            conn.read_reply()
        conn.command(*args)
        return conn.read_reply()
    finally:
        conn.close()


def command_entries(server, protocol):
    """Every command and subcommand's COMMAND INFO entry, by full name, as raw RESP bytes of
    its key fields (first key, last key, step, key specs) and its movablekeys flag."""
    conn = server.raw()
    if protocol == 3:
        conn.command("HELLO", "3")
        conn.read_reply()
    conn.command("COMMAND", "LIST")
    names = decode(conn.read_reply())
    entries = {}
    for name in names:
        conn.command("COMMAND", "INFO", name)
        raw = conn.read_reply()
        entry = decode(raw)[0]
        flags = [flag[1] for flag in (entry[2][1] if isinstance(entry[2], tuple) else entry[2])]
        entries[name] = {"range": entry[3:6], "movablekeys": "movablekeys" in flags,
                         "key_specs": entry[8], "raw": raw}
    conn.close()
    return entries


# Commands ringdb has that redis-server 7.0.15 lacks (7.2 additions); none of them takes keys.
RINGDB_ONLY = {"client|setinfo"}


@pytest.mark.parametrize("protocol", [2, 3])
def test_command_info_key_positions_and_specs_match_redis_for_every_command(servers, protocol):
    ringdb, redis = servers
    ours = command_entries(ringdb, protocol)
    theirs = command_entries(redis, protocol)
    assert set(ours) - set(theirs) == RINGDB_ONLY
    compared = 0
    for name, entry in ours.items():
        if name in RINGDB_ONLY:
            continue
        expected = theirs[name]
        assert entry["range"] == expected["range"], name
        assert entry["movablekeys"] == expected["movablekeys"], name
        assert entry["key_specs"] == expected["key_specs"], name
        compared += 1
    assert compared > 250


@pytest.mark.parametrize("name", ["lmpop", "blmpop", "zunionstore", "xread", "xreadgroup",
                                  "georadius", "sort", "set", "spublish"])
def test_command_info_of_movable_key_commands_is_redis_byte_for_byte(servers, name):
    ringdb, redis = servers
    for protocol in (2, 3):
        assert ask(ringdb, protocol, "COMMAND", "INFO", name) == \
            ask(redis, protocol, "COMMAND", "INFO", name)


# Argument vectors for COMMAND GETKEYS: the keys Redis finds, and its errors for malformed
# counts (atoi-style "2abc", signs, spaces, wrapping past 32 bits), missing keywords, odd
# stream/ID lists and arity.
COUNTS = ["2", "0", "-1", "3", "abc", "2abc", "+2", " 2", "2 ", "02", "-0", "4294967298",
          "99999999999", "-4294967294", "9223372036854775807", "-9223372036854775808", ""]

ARGVS = []
for count in COUNTS:
    ARGVS += [
        ["LMPOP", count, "a", "b", "LEFT"],
        ["BLMPOP", "0", count, "a", "b", "RIGHT", "COUNT", "2"],
        ["ZMPOP", count, "a", "b", "MIN"],
        ["BZMPOP", "1.5", count, "a", "b", "MAX"],
        ["SINTERCARD", count, "a", "b", "LIMIT", "1"],
        ["ZUNION", count, "a", "b", "WEIGHTS", "1", "2"],
        ["ZINTER", count, "a", "b", "WITHSCORES"],
        ["ZDIFF", count, "a", "b"],
        ["ZINTERCARD", count, "a", "b"],
        ["ZUNIONSTORE", "d", count, "a", "b", "AGGREGATE", "MAX"],
        ["ZINTERSTORE", "d", count, "a", "b"],
        ["ZDIFFSTORE", "d", count, "a", "b"],
    ]
ARGVS += [
    ["LMPOP", "1", "a"],
    ["LMPOP", "1", "LEFT", "a"],
    ["ZUNION", "1", "a"],
    ["ZUNIONSTORE", "d", "1"],
    ["SINTERCARD", "1", "a", "b", "c"],
    ["BLMPOP", "0", "1", "a"],
    # XREAD and XREADGROUP: the keys are the first half after STREAMS.
    ["XREAD", "STREAMS", "a", "0"],
    ["XREAD", "streams", "a", "b", "0", "0"],
    ["XREAD", "COUNT", "1", "BLOCK", "0", "STREAMS", "a", "b", "0", "$"],
    ["XREAD", "STREAMS", "a", "b", "0"],
    ["XREAD", "STREAMS", "a", "b", "c"],
    ["XREAD", "COUNT", "1", "STREAMS"],
    ["XREAD", "COUNT", "STREAMS", "a", "0"],
    ["XREAD", "FOO", "STREAMS", "a", "0"],
    ["XREAD", "STREAMS", "streams", "0"],
    ["XREAD", "COUNT", "1", "a", "0"],
    ["XREAD", "STREAMS\x00x", "a", "0"],
    ["XREADGROUP", "GROUP", "g", "c", "STREAMS", "a", "0"],
    ["XREADGROUP", "GROUP", "streams", "c", "STREAMS", "a", "b", ">", ">"],
    ["XREADGROUP", "GROUP", "g", "streams", "STREAMS", "a", ">"],
    ["XREADGROUP", "GROUP", "g", "c", "COUNT", "1", "NOACK", "STREAMS", "a", ">"],
    ["XREADGROUP", "GROUP", "g", "c", "STREAMS", "a", "b", ">"],
    ["XREADGROUP", "GROUP", "g", "c", "COUNT", "1", "a", ">"],
    # GEORADIUS and GEORADIUSBYMEMBER: STORE and STOREDIST destinations.
    ["GEORADIUS", "k", "0", "0", "1", "km"],
    ["GEORADIUS", "k", "0", "0", "1", "km", "STORE", "d"],
    ["GEORADIUS", "k", "0", "0", "1", "km", "storedist", "d"],
    ["GEORADIUS", "k", "0", "0", "1", "km", "STORE", "d", "STOREDIST", "e"],
    ["GEORADIUS", "k", "0", "0", "1", "km", "STOREDIST", "e", "STORE", "d"],
    ["GEORADIUS", "k", "0", "0", "1", "km", "WITHDIST", "COUNT", "3", "STORE", "d"],
    ["GEORADIUS", "k", "0", "0", "1", "km", "STORE"],
    ["GEORADIUS", "k", "0", "0", "1", "STORE", "d"],
    ["GEORADIUS", "k", "0", "0", "STORE", "km", "d"],
    ["GEORADIUSBYMEMBER", "k", "m", "1", "km", "STORE", "d"],
    ["GEORADIUSBYMEMBER", "k", "m", "1", "km", "STOREDIST", "d", "STORE", "e"],
    ["GEORADIUSBYMEMBER", "k", "m", "1", "STORE", "d"],
    ["GEORADIUS_RO", "k", "0", "0", "1", "km", "STORE", "d"],
    ["GEOSEARCHSTORE", "d", "s", "FROMMEMBER", "m", "BYRADIUS", "1", "km"],
    # SORT and SORT_RO.
    ["SORT", "l"],
    ["SORT", "l", "STORE", "d"],
    ["SORT", "l", "BY", "w_*", "GET", "#", "LIMIT", "0", "1", "store", "d", "STORE", "e"],
    ["SORT", "l", "GET", "store", "STORE"],
    ["SORT_RO", "l", "STORE", "d"],
    # SET and BITFIELD: the flags depend on the options.
    ["SET", "k", "v"],
    ["SET", "k", "v", "GET"],
    ["SET", "k", "v", "NX", "get"],
    ["SET", "k", "get"],
    ["SET", "k", "v", "EX", "10"],
    ["BITFIELD", "k"],
    ["BITFIELD", "k", "GET", "u8", "0"],
    ["BITFIELD", "k", "GET", "u8"],
    ["BITFIELD", "k", "OVERFLOW", "WRAP", "GET", "u8", "0"],
    ["BITFIELD", "k", "GET", "u8", "0", "SET", "u8", "0", "1"],
    ["BITFIELD", "k", "INCRBY", "u8", "0", "1"],
    ["BITFIELD_RO", "k", "GET", "u8", "0"],
    # Plain ranges, steps and several specs.
    ["GET", "k"],
    ["MSET", "a", "1", "b", "2"],
    ["MSET", "a", "1", "b"],
    ["MSETNX", "a", "1", "b", "2"],
    ["DEL", "a", "b", "c"],
    ["RENAME", "a", "b"],
    ["LMOVE", "a", "b", "LEFT", "RIGHT"],
    ["BLMOVE", "a", "b", "LEFT", "RIGHT", "0"],
    ["BITOP", "AND", "d", "a", "b"],
    ["PFMERGE", "d", "a", "b"],
    ["PFCOUNT", "a", "b"],
    ["COPY", "a", "b", "DB", "1"],
    ["SMOVE", "a", "b", "m"],
    ["ZRANGESTORE", "d", "s", "0", "-1"],
    ["BLPOP", "a", "b", "0"],
    ["BZPOPMIN", "a", "b", "0"],
    ["OBJECT", "ENCODING", "k"],
    ["MEMORY", "USAGE", "k", "SAMPLES", "5"],
    ["XGROUP", "CREATE", "s", "g", "$"],
    ["XINFO", "STREAM", "s", "FULL"],
    ["WATCH", "a", "b"],
    ["SPUBLISH", "ch", "m"],
    ["SSUBSCRIBE", "ch"],
    ["XADD", "s", "*", "f", "v"],
    # Errors: no keys, arity, unknown commands. (A lone command name, "COMMAND GETKEYS PING",
    # is an arity error of GETKEYS in 7.0 and allowed since 7.2: test_command_command.py.)
    ["PING", "x"],
    ["CLIENT", "LIST"],
    ["LMPOP", "1", "a"],
    ["GET", "a", "b"],
    ["ZUNIONSTORE", "d", "1"],
    ["NOSUCH", "a"],
    ["OBJECT", "NOSUCH", "k"],
]


@pytest.mark.parametrize("argv", ARGVS, ids=lambda argv: " ".join(argv).replace("\x00", "\\0"))
def test_command_getkeys_answers_as_redis(servers, argv):
    ringdb, redis = servers
    for subcommand in ("GETKEYS", "GETKEYSANDFLAGS"):
        for protocol in (2, 3):
            ours = ask(ringdb, protocol, "COMMAND", subcommand, *argv)
            theirs = ask(redis, protocol, "COMMAND", subcommand, *argv)
            assert ours == theirs, (subcommand, protocol)


@pytest.mark.parametrize("argv,keys", [
    (["LMPOP", "2", "a", "b", "LEFT"], [b"a", b"b"]),
    (["ZUNIONSTORE", "d", "2", "a", "b"], [b"d", b"a", b"b"]),
    # A count string2ll refuses falls back to atoi, which also puts the destination last.
    (["ZUNIONSTORE", "d", "2abc", "a", "b"], [b"a", b"b", b"d"]),
    (["XREADGROUP", "GROUP", "streams", "c", "STREAMS", "a", "b", ">", ">"], [b"a", b"b"]),
    (["GEORADIUS", "k", "0", "0", "1", "km", "STORE", "d", "STOREDIST", "e"],
     [b"k", b"d", b"e"]),
])
def test_command_getkeys_finds_keys_after_counts_and_keywords(servers, argv, keys):
    """The expectations the comparison above rests on, spelled out (and checked against both)."""
    for server in servers:
        reply = ask(server, 2, "COMMAND", "GETKEYS", *argv)
        assert reply == b"*%d\r\n" % len(keys) + b"".join(
            b"$%d\r\n%s\r\n" % (len(key), key) for key in keys)


@pytest.mark.parametrize("argv", [
    ["LMPOP", "0", "a", "LEFT"], ["LMPOP", "4", "a", "b", "LEFT"], ["ZUNION", "x", "a"],
    ["XREAD", "COUNT", "1", "STREAMS"], ["XREAD", "COUNT", "1", "a", "0"],
])
def test_command_getkeys_refuses_malformed_counts_and_keywords(servers, argv):
    for server in servers:
        assert ask(server, 2, "COMMAND", "GETKEYS", *argv) == \
            b"-ERR Invalid arguments specified for command\r\n"
