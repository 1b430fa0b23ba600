"""SHUTDOWN and DEBUG, checked against Redis's replies byte for byte.

The digests below come from Debian's redis-server 7.0 loaded with the same data: DEBUG DIGEST
is Redis's exact algorithm.
"""
import os
import re
import time

import pytest

from conftest import ServerProcess


def call(conn, *args):
    conn.command(*args)
    return conn.read_reply()


def wait_for_log(process, text, timeout=5.0):
    deadline = time.monotonic() + timeout
    while text not in process.read_log():
        assert time.monotonic() < deadline, f"{text!r} not in log:\n{process.read_log()}"
        time.sleep(0.02)


# ---- SHUTDOWN ----


def block_snapshot(process):
    """Makes the next save fail: a non-empty directory holds the snapshot's name, so the
    rename that would put the new file in place fails."""
    path = os.path.join(process.dir, "dump.rdb")
    os.mkdir(path)
    open(os.path.join(path, "keep"), "w").close()

@pytest.mark.parametrize("args", [[], ["NOSAVE"], ["now", "force"], ["NOSAVE", "NOW"],
                                  ["SAVE", "FORCE"]])
def test_shutdown_exits_without_replying(args):
    process = ServerProcess()
    try:
        conn = process.raw()
        conn.command("SHUTDOWN", *args)
        assert conn.closed_by_peer(timeout=10)
        assert conn.buffer == b""
        assert process.process.wait(timeout=10) == 0
        wait_for_log(process, "bye bye")
    finally:
        process.stop()


def test_a_failed_final_save_keeps_the_server_running():
    process = ServerProcess()
    try:
        conn = process.raw()
        block_snapshot(process)
        assert call(conn, "SHUTDOWN", "SAVE") == b"-ERR Errors trying to SHUTDOWN. Check logs.\r\n"
        # As Redis's failed rdbSave, it is not a failed background save: PING still works.
        assert call(conn, "PING") == b"+PONG\r\n"
        wait_for_log(process, "Error trying to save the DB, can't exit.")
        assert process.process.poll() is None
    finally:
        process.stop()


def test_shutdown_save_force_logs_the_failed_save_and_exits():
    process = ServerProcess()
    try:
        conn = process.raw()
        block_snapshot(process)
        conn.command("SHUTDOWN", "SAVE", "FORCE")
        assert conn.closed_by_peer(timeout=10)
        assert process.process.wait(timeout=10) == 0
        wait_for_log(process, "Error trying to save the DB. Exit anyway.")
    finally:
        process.stop()


@pytest.mark.parametrize("args,error", [
    (["foo"], b"-ERR syntax error\r\n"),
    (["SAVE", "NOSAVE"], b"-ERR syntax error\r\n"),
    (["ABORT", "NOW"], b"-ERR syntax error\r\n"),
    (["NOSAVE", "ABORT"], b"-ERR syntax error\r\n"),
    (["ABORT"], b"-ERR No shutdown in progress.\r\n"),
])
def test_shutdown_rejects_bad_options_and_keeps_running(server, args, error):
    conn = server.raw()
    assert call(conn, "SHUTDOWN", *args) == error
    assert call(conn, "PING") == b"+PONG\r\n"


# ---- DEBUG: dispatch, HELP ----

DEBUG_HELP = [
    "DEBUG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
    "CHANGE-REPL-ID",
    "    Change the replication IDs of the instance.",
    "    Dangerous: should be used only for testing the replication subsystem.",
    "DIGEST",
    "    Output a hex signature representing the current DB content.",
    "DIGEST-VALUE <key> [<key> ...]",
    "    Output a hex signature of the values of all the specified keys.",
    "LOG <message>",
    "    Write <message> to the server log.",
    "OBJECT <key>",
    "    Show low level info about `key` and associated value.",
    "POPULATE <count> [<prefix>] [<size>]",
    "    Create <count> string keys named key:<num>. If <prefix> is specified then",
    "    it is used instead of the 'key' prefix. These are not propagated to",
    "    replicas. Cluster slots are not respected so keys not belonging to the",
    "    current node can be created in cluster mode.",
    "PROTOCOL <type>",
    "    Reply with a test value of the specified type. <type> can be: string,",
    "    integer, double, bignum, null, array, set, map, attrib, push, verbatim,",
    "    true, false.",
    "SET-ACTIVE-EXPIRE <0|1>",
    "    Setting it to 0 disables expiring keys in background when they are not",
    "    accessed (otherwise the Redis behavior). Setting it to 1 reenables back the",
    "    default.",
    "QUICKLIST-PACKED-THRESHOLD <size>",
    "    Sets the threshold for elements to be inserted as plain vs packed nodes",
    "    Default value is 1GB, allows values up to 4GB. Setting to 0 restores to default.",
    "SLEEP <seconds>",
    "    Stop the server for <seconds>. Decimals allowed.",
    "STRINGMATCH-TEST",
    "    Run a fuzz tester against the stringmatchlen() function.",
    "HELP",
    "    Print this help.",
]


def test_debug_help_lists_the_implemented_subcommands_in_redis_words(server):
    expected = b"*%d\r\n" % len(DEBUG_HELP) + b"".join(
        b"+" + line.encode() + b"\r\n" for line in DEBUG_HELP)
    assert call(server.raw(), "debug", "help") == expected


@pytest.mark.parametrize("args,name", [
    (["foo"], b"foo"),
    (["Object"], b"Object"),
    (["object", "a", "b"], b"object"),
    (["sleep"], b"sleep"),
    (["populate"], b"populate"),
    (["populate", "1", "p", "1", "x"], b"populate"),
    (["protocol"], b"protocol"),
    (["digest", "x"], b"digest"),
    (["help", "x"], b"help"),
    (["stringmatch-test", "x"], b"stringmatch-test"),
])
def test_debug_unknown_subcommand_or_wrong_count(server, args, name):
    assert call(server.raw(), "DEBUG", *args) == (
        b"-ERR unknown subcommand or wrong number of arguments for '" + name +
        b"'. Try DEBUG HELP.\r\n")


def test_debug_arity(server):
    assert call(server.raw(), "DEBUG") == b"-ERR wrong number of arguments for 'debug' command\r\n"


# ---- DEBUG SLEEP ----

def test_debug_sleep_stalls_the_whole_server(server):
    sleeper, other = server.raw(), server.raw()
    start = time.monotonic()
    sleeper.command("DEBUG", "SLEEP", "0.3")
    time.sleep(0.05)
    assert call(other, "PING") == b"+PONG\r\n"
    assert time.monotonic() - start >= 0.3
    assert sleeper.read_reply() == b"+OK\r\n"


@pytest.mark.parametrize("seconds", ["0", "abc", "-1"])
def test_debug_sleep_treats_non_positive_or_non_numbers_as_zero(server, seconds):
    assert call(server.raw(), "DEBUG", "SLEEP", seconds) == b"+OK\r\n"


# ---- DEBUG OBJECT ----

OBJECT_LINE = re.compile(
    r"^\+Value at:0x[0-9a-f]+ refcount:(\d+) encoding:(\w+) serializedlength:(\d+) "
    r"lru:(\d+) lru_seconds_idle:(\d+)\r\n$")


def debug_object(conn, key):
    reply = call(conn, "DEBUG", "OBJECT", key).decode()
    match = OBJECT_LINE.match(reply)
    assert match, reply
    return int(match.group(1)), match.group(2), int(match.group(3))


def test_debug_object_reports_encoding_refcount_and_rdb_length(server):
    conn = server.raw()
    call(conn, "FLUSHALL")
    call(conn, "SET", "small-int", "1")
    call(conn, "SET", "int", "12345")
    call(conn, "SET", "big-int", "12345678901")
    call(conn, "SET", "word", "hello")
    # 50 distinct bytes: nothing for Redis's LZF to compress, so it stores them as they are.
    call(conn, "SET", "long", bytes(range(33, 83)))
    # 0..9999 are Redis's shared integers; the RDB length is type-free (length + bytes, or
    # the int8/16/32 encodings).
    assert debug_object(conn, "small-int") == (2147483647, "int", 2)
    assert debug_object(conn, "int") == (1, "int", 3)
    assert debug_object(conn, "big-int") == (1, "int", 12)
    assert debug_object(conn, "word") == (1, "embstr", 6)
    assert debug_object(conn, "long") == (1, "raw", 51)


def test_debug_object_of_a_missing_key(server):
    assert call(server.raw(), "DEBUG", "OBJECT", "missing") == b"-ERR no such key\r\n"


# ---- DEBUG DIGEST / DIGEST-VALUE ----

ZERO_DIGEST = b"0" * 40


def load_reference_dataset(conn):
    call(conn, "FLUSHALL")
    call(conn, "SET", "a", "1")
    call(conn, "SET", "b", "hello")
    call(conn, "SET", "c", "12345678901")
    call(conn, "SET", "e", "xyz", "PX", "100000")
    call(conn, "SELECT", "3")
    call(conn, "SET", "a", "1")
    call(conn, "SELECT", "0")


def test_debug_digest_of_an_empty_dataset_is_zero(server):
    conn = server.raw()
    call(conn, "FLUSHALL")
    assert call(conn, "DEBUG", "DIGEST") == b"+" + ZERO_DIGEST + b"\r\n"


def test_debug_digest_equals_redis_for_the_same_dataset(server):
    conn = server.raw()
    load_reference_dataset(conn)
    assert call(conn, "DEBUG", "DIGEST") == b"+2c70039832994c04dc7c515d6444e0f9fb75f5e7\r\n"


def test_debug_digest_value_equals_redis_per_key(server):
    conn = server.raw()
    load_reference_dataset(conn)
    assert call(conn, "DEBUG", "DIGEST-VALUE", "a", "b", "c", "e", "missing") == (
        b"*5\r\n+b4fc66738120fba0b5aa500ab5c2bf89cea1c5da\r\n"
        b"+36b23a1456b2dce2c3ed252c456761301dba8060\r\n"
        b"+01da988100ae51f642f9236f868f2091d2c38123\r\n"
        b"+56c84b94eec67961205b4c8ad864248193bb824c\r\n"
        b"+" + ZERO_DIGEST + b"\r\n")
    assert call(conn, "DEBUG", "DIGEST-VALUE") == b"*0\r\n"


def test_debug_digest_ignores_insertion_order_but_sees_every_difference(server):
    conn = server.raw()
    call(conn, "FLUSHALL")
    for key in ["k1", "k2", "k3"]:
        call(conn, "SET", key, "v-" + key)
    forward = call(conn, "DEBUG", "DIGEST")
    call(conn, "FLUSHALL")
    for key in ["k3", "k1", "k2"]:
        call(conn, "SET", key, "v-" + key)
    assert call(conn, "DEBUG", "DIGEST") == forward
    call(conn, "SET", "k2", "changed")
    changed = call(conn, "DEBUG", "DIGEST")
    assert changed != forward
    call(conn, "SET", "k2", "v-k2")
    assert call(conn, "DEBUG", "DIGEST") == forward
    call(conn, "SWAPDB", "0", "1")
    assert call(conn, "DEBUG", "DIGEST") != forward


# ---- DEBUG POPULATE ----

def test_debug_populate_creates_numbered_keys_and_skips_existing_ones(server):
    conn = server.raw()
    call(conn, "FLUSHALL")
    call(conn, "SET", "key:1", "mine")
    assert call(conn, "DEBUG", "POPULATE", "3") == b"+OK\r\n"
    assert call(conn, "DBSIZE") == b":3\r\n"
    assert call(conn, "GET", "key:0") == b"$7\r\nvalue:0\r\n"
    assert call(conn, "GET", "key:1") == b"$4\r\nmine\r\n"
    assert call(conn, "GET", "key:2") == b"$7\r\nvalue:2\r\n"
    assert call(conn, "DEBUG", "POPULATE", "0") == b"+OK\r\n"
    assert call(conn, "DBSIZE") == b":3\r\n"


def test_debug_populate_pads_or_cuts_values_to_the_size(server):
    conn = server.raw()
    call(conn, "FLUSHALL")
    assert call(conn, "DEBUG", "POPULATE", "2", "pad", "10") == b"+OK\r\n"
    assert call(conn, "GET", "pad:1") == b"$10\r\nvalue:1\x00\x00\x00\r\n"
    assert call(conn, "DEBUG", "POPULATE", "1", "cut", "3") == b"+OK\r\n"
    assert call(conn, "GET", "cut:0") == b"$3\r\nval\r\n"
    assert call(conn, "DEBUG", "POPULATE", "1", "zero", "0") == b"+OK\r\n"
    assert call(conn, "GET", "zero:0") == b"$7\r\nvalue:0\r\n"
    assert debug_object(conn, "pad:0")[1] == "embstr"


@pytest.mark.parametrize("args", [["-1"], ["abc"], ["2", "p", "abc"], ["2", "p", "-5"]])
def test_debug_populate_rejects_negative_or_non_numeric_counts(server, args):
    assert call(server.raw(), "DEBUG", "POPULATE", *args) == \
        b"-ERR value is out of range, must be positive\r\n"


# ---- DEBUG SET-ACTIVE-EXPIRE ----

def test_debug_set_active_expire_stops_and_restarts_background_expiry(server):
    conn = server.raw()
    call(conn, "FLUSHALL")
    try:
        assert call(conn, "DEBUG", "SET-ACTIVE-EXPIRE", "0") == b"+OK\r\n"
        call(conn, "SET", "short-lived", "v", "PX", "20")
        time.sleep(0.4)
        assert call(conn, "DBSIZE") == b":1\r\n"  # Still stored: nothing read it.
    finally:
        assert call(conn, "DEBUG", "SET-ACTIVE-EXPIRE", "1") == b"+OK\r\n"
    deadline = time.monotonic() + 3
    while call(conn, "DBSIZE") != b":0\r\n":
        assert time.monotonic() < deadline
        time.sleep(0.05)


def test_debug_set_active_expire_reads_its_argument_like_atoi(server):
    conn = server.raw()
    call(conn, "FLUSHALL")
    try:
        assert call(conn, "DEBUG", "SET-ACTIVE-EXPIRE", "x") == b"+OK\r\n"  # atoi("x") == 0
        call(conn, "SET", "short-lived", "v", "PX", "20")
        time.sleep(0.4)
        assert call(conn, "DBSIZE") == b":1\r\n"
        assert call(conn, "GET", "short-lived") == b"$-1\r\n"  # Lazy expiry still works.
    finally:
        assert call(conn, "DEBUG", "SET-ACTIVE-EXPIRE", "2") == b"+OK\r\n"


# ---- The small ones ----

@pytest.mark.parametrize("size,reply", [
    ("100", b"+OK\r\n"),
    ("0", b"+OK\r\n"),
    ("1mb", b"+OK\r\n"),
    ("5gb", b"-ERR argument must be a memory value bigger than 1 and smaller than 4gb\r\n"),
    ("abc", b"-ERR argument must be a memory value bigger than 1 and smaller than 4gb\r\n"),
])
def test_debug_quicklist_packed_threshold(server, size, reply):
    assert call(server.raw(), "DEBUG", "QUICKLIST-PACKED-THRESHOLD", size) == reply


def test_debug_log_and_change_repl_id_write_to_the_log(server):
    conn = server.raw()
    assert call(conn, "DEBUG", "LOG", "hello from the test") == b"+OK\r\n"
    wait_for_log(server, "DEBUG LOG: hello from the test")
    assert call(conn, "DEBUG", "CHANGE-REPL-ID") == b"+OK\r\n"
    wait_for_log(server, "Changing replication IDs after receiving DEBUG change-repl-id")


@pytest.mark.parametrize("name", ["STRINGMATCH-TEST", "stringmatch-len"])
def test_debug_stringmatch_fuzz_test(server, name):
    assert call(server.raw(), "DEBUG", name) == b"+Apparently Redis did not crash: test passed\r\n"


# DEBUG PROTOCOL replies as Redis sends them, in RESP2 and in RESP3.
PROTOCOL_REPLIES = {
    "string": (b"$11\r\nHello World\r\n", b"$11\r\nHello World\r\n"),
    "integer": (b":12345\r\n", b":12345\r\n"),
    "double": (b"$5\r\n3.141\r\n", b",3.141\r\n"),
    "bignum": (b"$37\r\n1234567999999999999999999999999999999\r\n",
               b"(1234567999999999999999999999999999999\r\n"),
    "null": (b"$-1\r\n", b"_\r\n"),
    "array": (b"*3\r\n:0\r\n:1\r\n:2\r\n", b"*3\r\n:0\r\n:1\r\n:2\r\n"),
    "set": (b"*3\r\n:0\r\n:1\r\n:2\r\n", b"~3\r\n:0\r\n:1\r\n:2\r\n"),
    "map": (b"*6\r\n:0\r\n:0\r\n:1\r\n:1\r\n:2\r\n:0\r\n",
            b"%3\r\n:0\r\n#f\r\n:1\r\n#t\r\n:2\r\n#f\r\n"),
    "attrib": (b"$39\r\nSome real reply following the attribute\r\n",
               b"|1\r\n$14\r\nkey-popularity\r\n*2\r\n$7\r\nkey:123\r\n:90\r\n"
               b"$39\r\nSome real reply following the attribute\r\n"),
    "push": (b"-ERR RESP2 is not supported by this command\r\n",
             b">2\r\n$16\r\nserver-cpu-usage\r\n:42\r\n"
             b"$40\r\nSome real reply following the push reply\r\n"),
    "verbatim": (b"$25\r\nThis is a verbatim\nstring\r\n",
                 b"=29\r\ntxt:This is a verbatim\nstring\r\n"),
    "true": (b":1\r\n", b"#t\r\n"),
    "false": (b":0\r\n", b"#f\r\n"),
}


@pytest.mark.parametrize("name", sorted(PROTOCOL_REPLIES))
def test_debug_protocol_sends_each_resp_type(server, name):
    resp2, resp3 = PROTOCOL_REPLIES[name]
    conn = server.raw()
    conn.command("DEBUG", "PROTOCOL", name)
    assert conn.read_exact(len(resp2)) == resp2
    call(conn, "HELLO", "3")
    conn.command("DEBUG", "PROTOCOL", name.upper())
    assert conn.read_exact(len(resp3)) == resp3
    assert call(conn, "PING") == b"+PONG\r\n"  # Nothing more was sent.


def test_debug_protocol_rejects_unknown_types(server):
    assert call(server.raw(), "DEBUG", "PROTOCOL", "foo") == (
        b"-ERR Wrong protocol type name. Please use one of the following: "
        b"string|integer|double|bignum|null|array|set|map|attrib|push|verbatim|true|false\r\n")


def test_debug_is_refused_unless_enabled():
    message = (b"-ERR DEBUG command not allowed. If the enable-debug-command option is set to "
               b"\"local\", you can run it from a local connection, otherwise you need to set "
               b"this option in the configuration file, and then restart the server.\r\n")
    refusing = ServerProcess("--enable-debug-command", "no")
    try:
        connection = refusing.raw()
        connection.command("DEBUG", "SLEEP", "0")
        assert connection.read_reply() == message
        connection.command("PING")  # The connection stays usable.
        assert connection.read_reply() == b"+PONG\r\n"
    finally:
        refusing.stop()
    allowing = ServerProcess("--enable-debug-command", "yes")
    try:
        connection = allowing.raw()
        connection.command("DEBUG", "SLEEP", "0")
        assert connection.read_reply() == b"+OK\r\n"
    finally:
        allowing.stop()
