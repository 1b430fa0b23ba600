"""COMMAND and its subcommands: the shapes of Redis 7's COMMAND INFO and COMMAND DOCS, built
from ringdb's command table, and the tools that read them (redis-py, redis-cli)."""
import os
import pty
import re
import select
import subprocess
import time

import pytest


def call(conn, *args):
    conn.command(*args)
    return conn.read_reply()


class Reply:
    """A RESP reply decoded into Python values, remembering each aggregate's RESP type."""

    def __init__(self, data):
        self.data = data
        self.pos = 0

    def line(self):
        end = self.data.index(b"\r\n", self.pos)
        text = self.data[self.pos:end]
        self.pos = end + 2
        return text

    def value(self):
        line = self.line()
        kind, rest = line[:1], line[1:]
        if kind in (b"+", b"-"):
            return (kind.decode(), rest.decode())
        if kind == b":":
            return int(rest)
        if kind in (b"$", b"="):
            n = int(rest)
            if n < 0:
                return None
            body = self.data[self.pos:self.pos + n]
            self.pos += n + 2
            return body.decode()
        if kind == b"_":
            return None
        if kind in (b"*", b"~"):
            items = [self.value() for _ in range(int(rest))]
            return items if kind == b"*" else ("set", items)
        if kind == b"%":
            return ("map", [(self.value(), self.value()) for _ in range(int(rest))])
        raise AssertionError(f"unexpected reply line {line!r}")


def decode(data):
    reply = Reply(data)
    value = reply.value()
    assert reply.pos == len(data), "trailing bytes in reply"
    return value


def as_dict(pairs_or_map):
    """A RESP3 map or a RESP2 flat array of pairs as a dict."""
    if isinstance(pairs_or_map, tuple) and pairs_or_map[0] == "map":
        return dict(pairs_or_map[1])
    return dict(zip(pairs_or_map[0::2], pairs_or_map[1::2]))


def flat_set(value):
    if isinstance(value, tuple) and value[0] == "set":
        value = value[1]
    return [item[1] if isinstance(item, tuple) else item for item in value]


# ---- COMMAND COUNT / COMMAND / COMMAND INFO ----

def test_command_count_matches_the_bare_command_and_info_listings(server):
    conn = server.raw()
    count = int(call(conn, "COMMAND", "COUNT")[1:-2])
    assert count >= 15
    everything = decode(call(conn, "COMMAND"))
    assert len(everything) == count
    assert len(decode(call(conn, "COMMAND", "INFO"))) == count
    names = [entry[0] for entry in everything]
    assert "get" in names and "client" in names and "command" in names
    assert not any("|" in name for name in names)
    assert call(conn, "COMMAND", "COUNT", "x") == \
        b"-ERR wrong number of arguments for 'command|count' command\r\n"


# COMMAND INFO GET as Redis 7.0 and 7.2 send it, byte for byte.
GET_INFO_RESP2 = (
    b"*1\r\n*10\r\n$3\r\nget\r\n:2\r\n*2\r\n+readonly\r\n+fast\r\n:1\r\n:1\r\n:1\r\n"
    b"*3\r\n+@read\r\n+@string\r\n+@fast\r\n*0\r\n*1\r\n*6\r\n$5\r\nflags\r\n*2\r\n+RO\r\n"
    b"+access\r\n$12\r\nbegin_search\r\n*4\r\n$4\r\ntype\r\n$5\r\nindex\r\n$4\r\nspec\r\n"
    b"*2\r\n$5\r\nindex\r\n:1\r\n$9\r\nfind_keys\r\n*4\r\n$4\r\ntype\r\n$5\r\nrange\r\n"
    b"$4\r\nspec\r\n*6\r\n$7\r\nlastkey\r\n:0\r\n$7\r\nkeystep\r\n:1\r\n$5\r\nlimit\r\n:0\r\n"
    b"*0\r\n")
GET_INFO_RESP3 = (
    b"*1\r\n*10\r\n$3\r\nget\r\n:2\r\n~2\r\n+readonly\r\n+fast\r\n:1\r\n:1\r\n:1\r\n"
    b"~3\r\n+@read\r\n+@string\r\n+@fast\r\n~0\r\n~1\r\n%3\r\n$5\r\nflags\r\n~2\r\n+RO\r\n"
    b"+access\r\n$12\r\nbegin_search\r\n%2\r\n$4\r\ntype\r\n$5\r\nindex\r\n$4\r\nspec\r\n"
    b"%1\r\n$5\r\nindex\r\n:1\r\n$9\r\nfind_keys\r\n%2\r\n$4\r\ntype\r\n$5\r\nrange\r\n"
    b"$4\r\nspec\r\n%3\r\n$7\r\nlastkey\r\n:0\r\n$7\r\nkeystep\r\n:1\r\n$5\r\nlimit\r\n:0\r\n"
    b"~0\r\n")


def test_command_info_get_is_byte_for_byte_redis(server):
    conn = server.raw()
    assert call(conn, "COMMAND", "INFO", "get") == GET_INFO_RESP2
    call(conn, "HELLO", "3")
    assert call(conn, "COMMAND", "INFO", "GET") == GET_INFO_RESP3


def test_command_info_answers_null_for_unknown_commands(server):
    conn = server.raw()
    assert call(conn, "COMMAND", "INFO", "nosuch") == b"*1\r\n$-1\r\n"
    reply = decode(call(conn, "COMMAND", "INFO", "nosuch", "ping"))
    assert reply[0] is None and reply[1][0] == "ping"
    call(conn, "HELLO", "3")
    assert call(conn, "COMMAND", "INFO", "nosuch") == b"*1\r\n_\r\n"


def test_command_info_hides_sentinel_and_may_replicate_flags_and_lists_tips(server):
    conn = server.raw()
    ping, = decode(call(conn, "COMMAND", "INFO", "ping"))
    assert ping[:7] == ["ping", -1, [("+", "fast")], 0, 0, 0,
                        [("+", "@fast"), ("+", "@connection")]]
    assert ping[7] == ["request_policy:all_shards", "response_policy:all_succeeded"]
    hello, = decode(call(conn, "COMMAND", "INFO", "hello"))
    assert flat_set(hello[2]) == ["noscript", "loading", "stale", "fast", "no_auth", "allow_busy"]


def test_command_info_of_a_container_nests_its_subcommands(server):
    conn = server.raw()
    client, = decode(call(conn, "COMMAND", "INFO", "client"))
    assert client[:9] == ["client", -2, [], 0, 0, 0, [("+", "@slow")], [], []]
    subcommands = {entry[0]: entry for entry in client[9]}
    assert subcommands["client|list"][:8] == [
        "client|list", -2, [("+", "admin"), ("+", "noscript"), ("+", "loading"), ("+", "stale")],
        0, 0, 0, [("+", "@admin"), ("+", "@slow"), ("+", "@dangerous"), ("+", "@connection")],
        ["nondeterministic_output"]]
    assert {"client|id", "client|kill", "client|pause", "client|setinfo"} <= set(subcommands)
    # A subcommand can be asked for by its full name, in any case.
    entry, = decode(call(conn, "COMMAND", "INFO", "CLIENT|LIST"))
    assert entry == subcommands["client|list"]


def test_command_info_reports_the_getkeys_arity_of_redis_7_2(server):
    entry, = decode(call(server.raw(), "COMMAND", "INFO", "command|getkeys"))
    assert entry[:2] == ["command|getkeys", -3]


# ---- COMMAND DOCS ----

GET_DOCS_RESP2 = (
    b"*2\r\n$3\r\nget\r\n*10\r\n$7\r\nsummary\r\n$34\r\nReturns the string value of a key."
    b"\r\n$5\r\nsince\r\n$5\r\n1.0.0\r\n$5\r\ngroup\r\n$6\r\nstring\r\n$10\r\ncomplexity\r\n"
    b"$4\r\nO(1)\r\n$9\r\narguments\r\n*1\r\n*6\r\n$4\r\nname\r\n$3\r\nkey\r\n$4\r\ntype\r\n"
    b"$3\r\nkey\r\n$14\r\nkey_spec_index\r\n:0\r\n")


def test_command_docs_get_has_redis_shape(server):
    conn = server.raw()
    assert call(conn, "COMMAND", "DOCS", "get") == GET_DOCS_RESP2
    call(conn, "HELLO", "3")
    reply = call(conn, "COMMAND", "DOCS", "get")
    assert reply.startswith(b"%1\r\n$3\r\nget\r\n%5\r\n$7\r\nsummary\r\n")
    assert b"%3\r\n$4\r\nname\r\n$3\r\nkey\r\n" in reply


def test_command_docs_describes_set_arguments_from_its_syntax(server):
    conn = server.raw()
    call(conn, "HELLO", "3")
    docs = as_dict(decode(call(conn, "COMMAND", "DOCS", "set")))["set"]
    docs = as_dict(docs)
    assert docs["group"] == "string" and docs["since"] == "1.0.0"
    arguments = [as_dict(argument) for argument in docs["arguments"]]
    assert [argument["name"] for argument in arguments][:2] == ["key", "value"]
    assert arguments[0] == {"name": "key", "type": "key", "key_spec_index": 0}
    assert arguments[1] == {"name": "value", "type": "string"}
    condition = arguments[2]
    assert condition["type"] == "oneof"
    assert condition["flags"] == ("set", [("+", "optional")])
    assert [as_dict(choice) for choice in condition["arguments"]] == [
        {"name": "nx", "type": "pure-token", "token": "NX"},
        {"name": "xx", "type": "pure-token", "token": "XX"},
    ]
    assert arguments[3] == {"name": "get", "type": "pure-token", "token": "GET",
                            "flags": ("set", [("+", "optional")])}
    expiration = [as_dict(choice) for choice in arguments[4]["arguments"]]
    assert expiration[0] == {"name": "seconds", "type": "integer", "token": "EX"}
    assert expiration[2] == {"name": "unix-time-seconds", "type": "unix-time", "token": "EXAT"}
    assert expiration[4] == {"name": "keepttl", "type": "pure-token", "token": "KEEPTTL"}


def test_command_docs_of_a_container_maps_its_subcommands(server):
    conn = server.raw()
    docs = as_dict(as_dict(decode(call(conn, "COMMAND", "DOCS", "client")))["client"])
    assert docs["summary"] == "A container for client connection commands."
    assert docs["complexity"] == "Depends on subcommand."
    subcommands = as_dict(docs["subcommands"])
    list_docs = as_dict(subcommands["client|list"])
    arguments = [as_dict(argument) for argument in list_docs["arguments"]]
    assert arguments[0]["token"] == "TYPE" and arguments[0]["type"] == "oneof"
    assert arguments[1] == {"name": "client-id", "type": "integer", "token": "ID",
                            "flags": [("+", "optional"), ("+", "multiple")]}
    assert "arguments" not in as_dict(subcommands["client|id"])


def test_command_docs_skips_unknown_names_and_repeats_duplicates(server):
    conn = server.raw()
    assert call(conn, "COMMAND", "DOCS", "nosuch") == b"*0\r\n"
    reply = decode(call(conn, "COMMAND", "DOCS", "nosuch", "ping", "ping"))
    assert reply[0::2] == ["ping", "ping"]


def test_command_docs_covers_every_command_and_every_syntax_parses(server):
    conn = server.raw()
    call(conn, "HELLO", "3")
    docs = as_dict(decode(call(conn, "COMMAND", "DOCS")))
    count = int(call(conn, "COMMAND", "COUNT")[1:-2])
    assert len(docs) == count
    for name, entry in docs.items():
        entry = as_dict(entry)
        assert {"summary", "since", "group"} <= set(entry), name
    assert "does not parse" not in server.read_log()


# ---- COMMAND LIST ----

def test_command_list_names_commands_and_subcommands(server):
    conn = server.raw()
    names = decode(call(conn, "COMMAND", "LIST"))
    count = int(call(conn, "COMMAND", "COUNT")[1:-2])
    top = [name for name in names if "|" not in name]
    assert len(top) == count
    assert "client|list" in names and "command|docs" in names


def test_command_list_filters_by_pattern_acl_category_and_module(server):
    conn = server.raw()
    client_names = decode(call(conn, "COMMAND", "LIST", "FILTERBY", "PATTERN", "CL*"))
    assert "client" in client_names and "client|kill" in client_names
    assert all(name.lower().startswith("cl") for name in client_names)
    keyspace = decode(call(conn, "COMMAND", "LIST", "filterby", "aclcat", "KEYSPACE"))
    assert "dbsize" in keyspace and "get" not in keyspace
    assert decode(call(conn, "COMMAND", "LIST", "FILTERBY", "ACLCAT", "nosuch")) == []
    assert decode(call(conn, "COMMAND", "LIST", "FILTERBY", "MODULE", "foo")) == []


@pytest.mark.parametrize("args", [
    ["x"], ["FILTERBY"], ["FILTERBY", "foo", "bar"], ["FILTERBY", "PATTERN", "a", "b"],
    ["FILTERBY", "PATTERN"],
])
def test_command_list_rejects_bad_filters(server, args):
    assert call(server.raw(), "COMMAND", "LIST", *args) == b"-ERR syntax error\r\n"


# ---- COMMAND GETKEYS / GETKEYSANDFLAGS ----

def test_command_getkeys_finds_keys_from_key_positions(server):
    conn = server.raw()
    assert call(conn, "COMMAND", "GETKEYS", "SET", "a", "b") == b"*1\r\n$1\r\na\r\n"
    assert call(conn, "COMMAND", "GETKEYS", "get", "k") == b"*1\r\n$1\r\nk\r\n"


@pytest.mark.parametrize("args,error", [
    (["get"], b"-ERR Invalid number of arguments specified for command\r\n"),
    (["get", "a", "b"], b"-ERR Invalid number of arguments specified for command\r\n"),
    (["ping"], b"-ERR The command has no key arguments\r\n"),
    (["client", "list"], b"-ERR The command has no key arguments\r\n"),
    (["client"], b"-ERR The command has no key arguments\r\n"),
    (["nosuch"], b"-ERR Invalid command specified\r\n"),
    (["client", "nosuch"], b"-ERR Invalid command specified\r\n"),
    ([], b"-ERR wrong number of arguments for 'command|getkeys' command\r\n"),
])
def test_command_getkeys_errors(server, args, error):
    assert call(server.raw(), "COMMAND", "GETKEYS", *args) == error


def test_command_getkeysandflags_pairs_each_key_with_access_flags(server):
    conn = server.raw()
    assert call(conn, "COMMAND", "GETKEYSANDFLAGS", "get", "k") == \
        b"*1\r\n*2\r\n$1\r\nk\r\n*2\r\n+RO\r\n+access\r\n"
    call(conn, "HELLO", "3")
    assert call(conn, "COMMAND", "GETKEYSANDFLAGS", "get", "k") == \
        b"*1\r\n*2\r\n$1\r\nk\r\n~2\r\n+RO\r\n+access\r\n"
    assert call(conn, "COMMAND", "GETKEYSANDFLAGS", "ping") == \
        b"-ERR The command has no key arguments\r\n"


# ---- COMMAND HELP and errors ----

COMMAND_HELP = [
    "COMMAND <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
    "(no subcommand)",
    "    Return details about all Redis commands.",
    "COUNT",
    "    Return the total number of commands in this Redis server.",
    "LIST",
    "    Return a list of all commands in this Redis server.",
    "INFO [<command-name> ...]",
    "    Return details about multiple Redis commands.",
    "    If no command names are given, documentation details for all",
    "    commands are returned.",
    "DOCS [<command-name> ...]",
    "    Return documentation details about multiple Redis commands.",
    "    If no command names are given, documentation details for all",
    "    commands are returned.",
    "GETKEYS <full-command>",
    "    Return the keys from a full Redis command.",
    "GETKEYSANDFLAGS <full-command>",
    "    Return the keys and the access flags from a full Redis command.",
    "HELP",
    "    Print this help.",
]


def test_command_help_is_redis_text(server):
    expected = b"*%d\r\n" % len(COMMAND_HELP) + b"".join(
        b"+" + line.encode() + b"\r\n" for line in COMMAND_HELP)
    assert call(server.raw(), "command", "help") == expected


def test_command_unknown_subcommand(server):
    assert call(server.raw(), "COMMAND", "foo") == \
        b"-ERR unknown subcommand 'foo'. Try COMMAND HELP.\r\n"


# ---- Clients ----

def test_redis_py_reads_command_tables(r):
    table = r.command()
    assert table["get"]["arity"] == 2
    assert table["get"]["flags"] == ["readonly", "fast"]
    assert table["set"]["first_key_pos"] == 1
    assert r.command_count() == len(table)
    assert "client|kill" in r.command_list()
    assert r.command_getkeys("SET", "a", "b") == ["a"]


def test_redis_cli_command_count(server):
    output = subprocess.run(["redis-cli", "-p", str(server.port), "COMMAND", "COUNT"],
                            capture_output=True, text=True, timeout=10, check=True).stdout
    assert int(output) == int(call(server.raw(), "COMMAND", "COUNT")[1:-2])


def run_redis_cli_interactively(port, lines, expect, timeout=10.0):
    """Types `lines` into an interactive redis-cli (which loads COMMAND DOCS for its help) and
    returns everything it printed, once `expect` has appeared."""
    def clean(raw):
        return re.sub(r"\x1b\[[0-9;]*[A-Za-z]", "", raw.decode(errors="replace"))

    master, slave = pty.openpty()
    process = subprocess.Popen(["redis-cli", "-p", str(port)], stdin=slave, stdout=slave,
                               stderr=slave, env=dict(os.environ, TERM="xterm"),
                               start_new_session=True)
    os.close(slave)
    output = b""
    try:
        deadline = time.monotonic() + timeout
        pending = [line.encode() + b"\r" for line in lines]
        while time.monotonic() < deadline and expect not in clean(output):
            ready, _, _ = select.select([master], [], [], 0.1)
            if ready:
                chunk = os.read(master, 65536)
                output += chunk
                if b"\x1b[6n" in chunk:  # linenoise asks where the cursor is.
                    os.write(master, b"\x1b[1;20R")
                if pending and output.rstrip().endswith(b">"):
                    os.write(master, pending.pop(0))
    finally:
        process.kill()
        process.wait()
        os.close(master)
    return clean(output)


def test_interactive_redis_cli_renders_help_from_command_docs(server):
    expected = ("SET key value [NX|XX] [GET] [EX seconds|PX milliseconds|EXAT unix-time-seconds|"
                "PXAT unix-time-milliseconds|KEEPTTL]")
    output = run_redis_cli_interactively(server.port, ["help set"], "group: string")
    assert expected in output
    assert "summary: Sets the string value of a key" in output
