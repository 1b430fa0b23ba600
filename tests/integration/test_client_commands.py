"""CLIENT, RESET and MONITOR: replies and errors byte for byte as Redis 7.2 sends them.

Expected texts were checked by hand against Debian's redis-server 7.0 (and Redis 7.2's source
where the two differ: CLIENT LIST/INFO gained lib-name and lib-ver, CLIENT SETINFO is new, and
RESET also clears NO-EVICT).
"""
import os
import re
import subprocess
import tempfile
import time

import pytest

from conftest import ServerProcess

INFO_FIELDS = [
    "id", "addr", "laddr", "fd", "name", "age", "idle", "flags", "db", "sub", "psub", "ssub",
    "multi", "qbuf", "qbuf-free", "argv-mem", "multi-mem", "rbs", "rbp", "obl", "oll", "omem",
    "tot-mem", "events", "cmd", "user", "redir", "resp", "lib-name", "lib-ver",
]


def call(conn, *args):
    conn.command(*args)
    return conn.read_reply()


def bulk_text(reply):
    """The text of a RESP2 bulk reply."""
    header, _, rest = reply.partition(b"\r\n")
    assert header.startswith(b"$"), reply
    body = rest[:-2]
    assert len(body) == int(header[1:])
    return body.decode()


def parse_line(line):
    """One CLIENT LIST line as (field names in order, dict)."""
    pairs = [item.split("=", 1) for item in line.split(" ")]
    return [name for name, _ in pairs], dict(pairs)


def info_of(conn):
    text = bulk_text(call(conn, "CLIENT", "INFO"))
    assert text.endswith("\n") and text.count("\n") == 1
    return parse_line(text[:-1])[1]


def list_lines(conn, *filters):
    text = bulk_text(call(conn, "CLIENT", "LIST", *filters))
    assert text == "" or text.endswith("\n")
    return [parse_line(line)[1] for line in text.splitlines()]


def wait_closed(conn):
    assert conn.closed_by_peer(timeout=3)


# ---- CLIENT ID / SETNAME / GETNAME ----

def test_client_id_is_the_connection_id_and_grows_with_each_connection(server):
    first, second = server.raw(), server.raw()
    first_id = int(call(first, "CLIENT", "ID")[1:-2])
    second_id = int(call(second, "CLIENT", "ID")[1:-2])
    assert second_id > first_id > 0
    assert info_of(first)["id"] == str(first_id)
    assert call(first, "CLIENT", "ID", "x") == \
        b"-ERR wrong number of arguments for 'client|id' command\r\n"


def test_client_setname_and_getname_round_trip_and_empty_name_clears(server):
    conn = server.raw()
    assert call(conn, "CLIENT", "GETNAME") == b"$-1\r\n"
    assert call(conn, "CLIENT", "SETNAME", "worker-1") == b"+OK\r\n"
    assert call(conn, "CLIENT", "GETNAME") == b"$8\r\nworker-1\r\n"
    assert info_of(conn)["name"] == "worker-1"
    assert call(conn, "CLIENT", "SETNAME", "") == b"+OK\r\n"
    assert call(conn, "CLIENT", "GETNAME") == b"$-1\r\n"


@pytest.mark.parametrize("name", ["a b", "line\nbreak", "tab\t", "caf\xe9"])
def test_client_setname_rejects_spaces_and_special_characters(server, name):
    conn = server.raw()
    assert call(conn, "CLIENT", "SETNAME", name) == \
        b"-ERR Client names cannot contain spaces, newlines or special characters.\r\n"


def test_client_setname_and_getname_check_their_arity(server):
    conn = server.raw()
    assert call(conn, "CLIENT", "SETNAME") == \
        b"-ERR wrong number of arguments for 'client|setname' command\r\n"
    assert call(conn, "CLIENT", "SETNAME", "a", "b") == \
        b"-ERR wrong number of arguments for 'client|setname' command\r\n"
    assert call(conn, "CLIENT", "GETNAME", "x") == \
        b"-ERR wrong number of arguments for 'client|getname' command\r\n"


# ---- CLIENT INFO / LIST ----

def test_client_info_prints_redis_7_2_fields_in_order(server):
    conn = server.raw()
    call(conn, "SELECT", "4")
    text = bulk_text(call(conn, "CLIENT", "INFO"))
    names, fields = parse_line(text.rstrip("\n"))
    assert names == INFO_FIELDS
    local_host, local_port = conn.sock.getsockname()
    assert fields["addr"] == f"{local_host}:{local_port}"
    assert fields["laddr"] == f"127.0.0.1:{server.port}"
    assert int(fields["fd"]) > 0
    assert fields["flags"] == "N"
    assert fields["db"] == "4"
    assert fields["cmd"] == "client|info"
    assert fields["argv-mem"] == "10"
    assert fields["multi"] == "-1"
    assert fields["user"] == "default"
    assert fields["redir"] == "-1"
    assert fields["resp"] == "2"
    assert fields["lib-name"] == "" and fields["lib-ver"] == ""
    assert fields["events"] == "r"
    assert int(fields["age"]) >= 0 and int(fields["idle"]) >= 0


def test_client_info_and_list_are_verbatim_strings_in_resp3(server):
    conn = server.raw()
    call(conn, "HELLO", "3")
    reply = call(conn, "CLIENT", "INFO")
    header, _, body = reply.partition(b"\r\n")
    assert header.startswith(b"=")
    assert body.startswith(b"txt:id=")
    assert len(body) - 2 == int(header[1:])
    assert b" resp=3 " in body
    reply = call(conn, "CLIENT", "LIST", "ID", "999999")
    assert reply == b"=4\r\ntxt:\r\n"


def test_client_list_shows_every_connection_with_its_own_command(server):
    first, second = server.raw(), server.raw()
    call(second, "CLIENT", "SETNAME", "second")
    lines = list_lines(first)
    by_name = {line["name"]: line for line in lines}
    assert "second" in by_name
    assert by_name["second"]["cmd"] == "client|setname"
    own_id = info_of(first)["id"]
    own = [line for line in list_lines(first) if line["id"] == own_id]
    assert own[0]["cmd"] == "client|list"
    ids = [int(line["id"]) for line in lines]
    assert ids == sorted(ids)


def test_client_list_filters_by_type_and_by_ids(server):
    conn, other = server.raw(), server.raw()
    own_id, other_id = info_of(conn)["id"], info_of(other)["id"]
    normal = [line["id"] for line in list_lines(conn, "TYPE", "normal")]
    assert own_id in normal and other_id in normal
    for kind in ["master", "replica", "slave", "pubsub", "PUBSUB"]:
        assert list_lines(conn, "TYPE", kind) == []
    picked = [line["id"] for line in list_lines(conn, "ID", other_id, "999999", own_id)]
    assert picked == [other_id, own_id]
    assert list_lines(conn, "ID", "0") == []
    assert list_lines(conn, "ID", "-5") == []


@pytest.mark.parametrize("args,error", [
    (["x"], b"-ERR syntax error\r\n"),
    (["TYPE"], b"-ERR syntax error\r\n"),
    (["ID"], b"-ERR syntax error\r\n"),
    (["TYPE", "normal", "ID", "1"], b"-ERR syntax error\r\n"),
    (["TYPE", "foo"], b"-ERR Unknown client type 'foo'\r\n"),
    (["ID", "x"], b"-ERR Invalid client ID\r\n"),
    (["ID", "1", "x"], b"-ERR Invalid client ID\r\n"),
])
def test_client_list_rejects_bad_filters(server, args, error):
    assert call(server.raw(), "CLIENT", "LIST", *args) == error


def test_client_list_works_from_redis_cli(server):
    output = subprocess.run(["redis-cli", "-p", str(server.port), "--no-raw", "client", "list"],
                            capture_output=True, text=True, timeout=10, check=True).stdout
    # redis-cli prints CLIENT LIST's lines as they are, as it does for Redis.
    assert output.startswith("id=")
    assert "cmd=client|list user=default redir=-1 resp=2 lib-name= lib-ver=" in output


def test_redis_py_parses_client_list_and_info(r):
    info = r.client_info()
    assert info["cmd"] == "client|info"
    assert info["db"] == 0
    assert any(client["id"] == str(info["id"]) for client in r.client_list())
    assert r.client_id() == info["id"]


# ---- CLIENT KILL ----

def test_client_kill_by_address_closes_that_connection_only(server):
    killer, victim = server.raw(), server.raw()
    address = info_of(victim)["addr"]
    assert call(killer, "CLIENT", "KILL", address) == b"+OK\r\n"
    wait_closed(victim)
    assert call(killer, "PING") == b"+PONG\r\n"
    assert call(killer, "CLIENT", "KILL", address) == b"-ERR No such client\r\n"
    assert call(killer, "CLIENT", "KILL", "ADDR", address) == b":0\r\n"


def test_client_kill_old_form_may_kill_the_caller_after_replying(server):
    conn = server.raw()
    assert call(conn, "CLIENT", "KILL", info_of(conn)["addr"]) == b"+OK\r\n"
    wait_closed(conn)


def test_client_kill_by_id_counts_and_skips_the_caller_unless_told(server):
    conn, victim = server.raw(), server.raw()
    own_id, victim_id = info_of(conn)["id"], info_of(victim)["id"]
    assert call(conn, "CLIENT", "KILL", "ID", victim_id) == b":1\r\n"
    wait_closed(victim)
    assert call(conn, "CLIENT", "KILL", "ID", victim_id) == b":0\r\n"
    assert call(conn, "CLIENT", "KILL", "ID", own_id) == b":0\r\n"
    assert call(conn, "CLIENT", "KILL", "ID", own_id, "SKIPME", "no") == b":1\r\n"
    wait_closed(conn)


def test_client_kill_by_laddr_matches_the_local_address(server):
    conn, victim = server.raw(), server.raw()
    victim_id = info_of(victim)["id"]
    assert call(conn, "CLIENT", "KILL", "LADDR", "10.0.0.1:1", "ID", victim_id) == b":0\r\n"
    assert call(conn, "CLIENT", "KILL", "LADDR", f"127.0.0.1:{server.port}", "ID",
                victim_id) == b":1\r\n"
    wait_closed(victim)


@pytest.mark.parametrize("args,error", [
    (["ID", "x"], b"-ERR client-id should be greater than 0\r\n"),
    (["ID", "0"], b"-ERR client-id should be greater than 0\r\n"),
    (["TYPE", "foo"], b"-ERR Unknown client type 'foo'\r\n"),
    (["SKIPME", "maybe"], b"-ERR syntax error\r\n"),
    (["USER", "nobody"], b"-ERR No such user 'nobody'\r\n"),
    (["MAXAGE", "x"], b"-ERR maxage is not an integer or out of range\r\n"),
    (["MAXAGE", "0"], b"-ERR maxage should be greater than 0\r\n"),
    (["foo", "bar"], b"-ERR syntax error\r\n"),
    (["ID", "1", "SKIPME"], b"-ERR syntax error\r\n"),
    (["ID"], b"-ERR No such client\r\n"),
])
def test_client_kill_rejects_bad_filters(server, args, error):
    assert call(server.raw(), "CLIENT", "KILL", *args) == error


def test_client_kill_arity(server):
    assert call(server.raw(), "CLIENT", "KILL") == \
        b"-ERR wrong number of arguments for 'client|kill' command\r\n"


def test_client_kill_by_type_user_and_maxage_on_a_private_server():
    process = ServerProcess()
    try:
        # MAXAGE compares whole seconds of the clock, as Redis does: a client made just before
        # a second boundary is 1 s old just after it. So each connection is made early in a
        # second, and the KILL follows within that same second.
        def early_in_a_second():
            time.sleep(1.2 - (time.time() % 1.0))  # 0.2 s past a boundary.
        early_in_a_second()
        conn, old = process.raw(), process.raw()
        call(old, "PING")
        time.sleep(1.0)
        early_in_a_second()
        young = process.raw()
        call(young, "PING")
        assert call(conn, "CLIENT", "KILL", "MAXAGE", "1") == b":1\r\n"
        wait_closed(old)
        assert call(young, "PING") == b"+PONG\r\n"
        assert call(conn, "CLIENT", "KILL", "TYPE", "pubsub") == b":0\r\n"
        assert call(conn, "CLIENT", "KILL", "USER", "default") == b":1\r\n"
        wait_closed(young)
        other = process.raw()
        call(other, "PING")
        assert call(conn, "CLIENT", "KILL", "TYPE", "normal", "SKIPME", "yes") == b":1\r\n"
        wait_closed(other)
        assert call(conn, "PING") == b"+PONG\r\n"
    finally:
        process.stop()


def test_redis_py_client_kill_filter(r, server):
    victim = server.raw()
    victim_id = int(info_of(victim)["id"])
    assert r.client_kill_filter(_id=victim_id) == 1
    wait_closed(victim)


# ---- CLIENT REPLY ----

def test_client_reply_off_silences_until_on(server):
    conn = server.raw()
    conn.command("CLIENT", "REPLY", "OFF")
    conn.command("PING")
    conn.command("CLIENT", "REPLY", "ON")
    conn.command("ECHO", "after")
    assert conn.read_reply() == b"+OK\r\n"
    assert conn.read_reply() == b"$5\r\nafter\r\n"


def test_client_reply_skip_silences_only_the_next_command(server):
    conn = server.raw()
    conn.command("CLIENT", "REPLY", "SKIP")
    conn.command("ECHO", "skipped")
    conn.command("ECHO", "seen")
    assert conn.read_reply() == b"$4\r\nseen\r\n"


def test_client_reply_skip_is_ignored_while_off(server):
    conn = server.raw()
    for args in [("CLIENT", "REPLY", "OFF"), ("CLIENT", "REPLY", "SKIP"), ("PING",),
                 ("CLIENT", "REPLY", "ON"), ("ECHO", "x")]:
        conn.command(*args)
    assert conn.read_reply() == b"+OK\r\n"
    assert conn.read_reply() == b"$1\r\nx\r\n"


def test_client_reply_on_from_a_skipped_command_is_answered(server):
    conn = server.raw()
    conn.command("CLIENT", "REPLY", "SKIP")
    conn.command("CLIENT", "REPLY", "ON")
    conn.command("PING")
    assert conn.read_reply() == b"+OK\r\n"
    assert conn.read_reply() == b"+PONG\r\n"


def test_client_reply_rejects_other_modes(server):
    conn = server.raw()
    assert call(conn, "CLIENT", "REPLY", "maybe") == b"-ERR syntax error\r\n"
    assert call(conn, "CLIENT", "REPLY") == \
        b"-ERR wrong number of arguments for 'client|reply' command\r\n"


# ---- CLIENT NO-EVICT ----

def test_client_no_evict_sets_the_e_flag(server):
    conn = server.raw()
    assert call(conn, "CLIENT", "NO-EVICT", "on") == b"+OK\r\n"
    assert info_of(conn)["flags"] == "e"
    assert call(conn, "CLIENT", "NO-EVICT", "OFF") == b"+OK\r\n"
    assert info_of(conn)["flags"] == "N"
    assert call(conn, "CLIENT", "NO-EVICT", "maybe") == b"-ERR syntax error\r\n"
    assert call(conn, "CLIENT", "NO-EVICT") == \
        b"-ERR wrong number of arguments for 'client|no-evict' command\r\n"


# ---- CLIENT PAUSE / UNPAUSE ----

def test_client_pause_write_defers_writes_in_order_and_lets_reads_through(server):
    admin, writer = server.raw(), server.raw()
    call(admin, "DEL", "paused-key")
    try:
        assert call(admin, "CLIENT", "PAUSE", "100000", "WRITE") == b"+OK\r\n"
        writer.command("GET", "paused-key")
        writer.command("SET", "paused-key", "1")
        writer.command("GET", "paused-key")
        assert writer.read_reply() == b"$-1\r\n"
        assert not writer.closed_by_peer(timeout=0.3)  # The SET waits; nothing else arrives.
        assert writer.buffer == b""
        lines = list_lines(admin)
        assert any(line["flags"] == "b" for line in lines)
        # Reads and failing writes from other clients are answered at once.
        assert call(admin, "GET", "paused-key") == b"$-1\r\n"
        assert call(admin, "SET", "x") == b"-ERR wrong number of arguments for 'set' command\r\n"
    finally:
        assert call(admin, "CLIENT", "UNPAUSE") == b"+OK\r\n"
    assert writer.read_reply() == b"+OK\r\n"
    assert writer.read_reply() == b"$1\r\n1\r\n"
    assert all(line["flags"] != "b" for line in list_lines(admin))


def test_client_pause_all_holds_every_command_until_the_timeout(server):
    admin, other = server.raw(), server.raw()
    assert call(admin, "CLIENT", "PAUSE", "300", "ALL") == b"+OK\r\n"
    start = time.monotonic()
    assert call(other, "PING") == b"+PONG\r\n"
    assert time.monotonic() - start >= 0.2


def test_client_pause_only_grows_later_and_stricter(server):
    admin, other, monitor = server.raw(), server.raw(), server.raw()
    # MONITOR clients are never paused (Redis treats them as replicas), so one can lift it.
    assert call(monitor, "MONITOR") == b"+OK\r\n"
    assert call(admin, "CLIENT", "PAUSE", "100000", "WRITE") == b"+OK\r\n"
    assert call(admin, "CLIENT", "PAUSE", "10", "ALL") == b"+OK\r\n"
    try:
        # Now ALL, until the first deadline: a read waits far longer than 10 ms.
        other.command("PING")
        assert not other.closed_by_peer(timeout=0.4)
        assert other.buffer == b""
    finally:
        assert call(monitor, "CLIENT", "UNPAUSE") == b"+OK\r\n"
    assert other.read_reply() == b"+PONG\r\n"


def test_client_pause_keeps_keys_from_expiring(server):
    conn = server.raw()
    call(conn, "FLUSHALL")
    call(conn, "SET", "short-lived", "v", "PX", "50")
    try:
        assert call(conn, "CLIENT", "PAUSE", "100000", "WRITE") == b"+OK\r\n"
        time.sleep(0.4)
        assert call(conn, "DBSIZE") == b":1\r\n"
    finally:
        call(conn, "CLIENT", "UNPAUSE")
    deadline = time.monotonic() + 3
    while call(conn, "DBSIZE") != b":0\r\n":
        assert time.monotonic() < deadline
        time.sleep(0.05)


@pytest.mark.parametrize("args,error", [
    (["x"], b"-ERR timeout is not an integer or out of range\r\n"),
    (["1.5"], b"-ERR timeout is not an integer or out of range\r\n"),
    (["-1"], b"-ERR timeout is negative\r\n"),
    (["9223372036854775807"], b"-ERR timeout is out of range\r\n"),
    (["10", "foo"], b"-ERR CLIENT PAUSE mode must be WRITE or ALL\r\n"),
    (["x", "foo"], b"-ERR CLIENT PAUSE mode must be WRITE or ALL\r\n"),
    (["10", "WRITE", "extra"],
     b"-ERR unknown subcommand or wrong number of arguments for 'PAUSE'. Try CLIENT HELP.\r\n"),
    ([], b"-ERR wrong number of arguments for 'client|pause' command\r\n"),
])
def test_client_pause_rejects_bad_arguments(server, args, error):
    assert call(server.raw(), "CLIENT", "PAUSE", *args) == error


def test_client_unpause_arity(server):
    assert call(server.raw(), "CLIENT", "UNPAUSE", "x") == \
        b"-ERR wrong number of arguments for 'client|unpause' command\r\n"


def test_redis_py_client_pause_and_unpause(r):
    assert r.client_pause(100000, all=False) is True
    assert r.get("anything") is None
    assert r.client_unpause() == "OK"


# ---- CLIENT SETINFO ----

def test_client_setinfo_sets_library_name_and_version(server):
    conn = server.raw()
    assert call(conn, "CLIENT", "SETINFO", "LIB-NAME", "redis-py") == b"+OK\r\n"
    assert call(conn, "CLIENT", "SETINFO", "lib-ver", "5.0.1") == b"+OK\r\n"
    info = info_of(conn)
    assert info["lib-name"] == "redis-py" and info["lib-ver"] == "5.0.1"
    assert call(conn, "CLIENT", "SETINFO", "lib-ver", "") == b"+OK\r\n"
    assert info_of(conn)["lib-ver"] == ""


def test_client_setinfo_rejects_unknown_options_and_bad_values(server):
    conn = server.raw()
    assert call(conn, "CLIENT", "SETINFO", "foo", "bar") == b"-ERR Unrecognized option 'foo'\r\n"
    assert call(conn, "CLIENT", "SETINFO", "Lib-Name", "a b") == \
        b"-ERR Lib-Name cannot contain spaces, newlines or special characters.\r\n"
    assert call(conn, "CLIENT", "SETINFO", "lib-name") == \
        b"-ERR wrong number of arguments for 'client|setinfo' command\r\n"


# ---- CLIENT HELP and errors ----

CLIENT_HELP = [
    "CLIENT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
    "CACHING (YES|NO)",
    "    Enable/disable tracking of the keys for next command in OPTIN/OPTOUT modes.",
    "GETREDIR",
    "    Return the client ID we are redirecting to when tracking is enabled.",
    "GETNAME",
    "    Return the name of the current connection.",
    "ID",
    "    Return the ID of the current connection.",
    "INFO",
    "    Return information about the current client connection.",
    "KILL <ip:port>",
    "    Kill connection made from <ip:port>.",
    "KILL <option> <value> [<option> <value> [...]]",
    "    Kill connections. Options are:",
    "    * ADDR (<ip:port>|<unixsocket>:0)",
    "      Kill connections made from the specified address",
    "    * LADDR (<ip:port>|<unixsocket>:0)",
    "      Kill connections made to specified local address",
    "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
    "      Kill connections by type.",
    "    * USER <username>",
    "      Kill connections authenticated by <username>.",
    "    * SKIPME (YES|NO)",
    "      Skip killing current connection (default: yes).",
    "    * ID <client-id>",
    "      Kill connections by client id.",
    "    * MAXAGE <maxage>",
    "      Kill connections older than the specified age.",
    "LIST [options ...]",
    "    Return information about client connections. Options:",
    "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
    "      Return clients of specified type.",
    "UNPAUSE",
    "    Stop the current client pause, resuming traffic.",
    "PAUSE <timeout> [WRITE|ALL]",
    "    Suspend all, or just write, clients for <timeout> milliseconds.",
    "REPLY (ON|OFF|SKIP)",
    "    Control the replies sent to the current connection.",
    "SETNAME <name>",
    "    Assign the name <name> to the current connection.",
    "SETINFO <option> <value>",
    "    Set client meta attr. Options are:",
    "    * LIB-NAME: the client lib name.",
    "    * LIB-VER: the client lib version.",
    "UNBLOCK <clientid> [TIMEOUT|ERROR]",
    "    Unblock the specified blocked client.",
    "TRACKING (ON|OFF) [REDIRECT <id>] [BCAST] [PREFIX <prefix> [...]]",
    "         [OPTIN] [OPTOUT] [NOLOOP]",
    "    Control server assisted client side caching.",
    "TRACKINGINFO",
    "    Report tracking status for the current connection.",
    "NO-EVICT (ON|OFF)",
    "    Protect current client connection from eviction.",
    "NO-TOUCH (ON|OFF)",
    "    Will not touch LRU/LFU stats when this mode is on.",
    "HELP",
    "    Print this help.",
]


def test_client_help_is_redis_text_as_simple_strings(server):
    expected = b"*%d\r\n" % len(CLIENT_HELP) + b"".join(
        b"+" + line.encode() + b"\r\n" for line in CLIENT_HELP)
    assert call(server.raw(), "client", "help") == expected


def test_client_without_subcommand_and_unknown_subcommands(server):
    conn = server.raw()
    assert call(conn, "CLIENT") == b"-ERR wrong number of arguments for 'client' command\r\n"
    assert call(conn, "CLIENT", "foo") == b"-ERR unknown subcommand 'foo'. Try CLIENT HELP.\r\n"
    assert call(conn, "CLIENT", "HELP", "x") == \
        b"-ERR wrong number of arguments for 'client|help' command\r\n"


# ---- RESET ----

def test_reset_restores_a_new_connection_state(server):
    conn = server.raw()
    call(conn, "CLIENT", "SETINFO", "LIB-NAME", "kept")
    call(conn, "SELECT", "5")
    call(conn, "CLIENT", "SETNAME", "dropped")
    call(conn, "CLIENT", "NO-EVICT", "on")
    call(conn, "HELLO", "3")
    assert call(conn, "RESET") == b"+RESET\r\n"
    info = info_of(conn)
    assert info["db"] == "0"
    assert info["name"] == ""
    assert info["flags"] == "N"
    assert info["resp"] == "2"
    assert info["lib-name"] == "kept"
    assert call(conn, "CLIENT", "GETNAME") == b"$-1\r\n"  # RESP2 null again.


def test_reset_answers_even_when_replies_are_off(server):
    conn = server.raw()
    conn.command("CLIENT", "REPLY", "OFF")
    conn.command("PING")
    conn.command("RESET")
    conn.command("PING")
    assert conn.read_reply() == b"+RESET\r\n"
    assert conn.read_reply() == b"+PONG\r\n"


def test_reset_arity(server):
    assert call(server.raw(), "RESET", "x") == \
        b"-ERR wrong number of arguments for 'reset' command\r\n"


def test_redis_py_reset(r):
    assert r.reset() == "RESET"


# ---- MONITOR ----

MONITOR_LINE = re.compile(rb'^\+(\d+)\.(\d{6}) \[(\d+) ([^\]]+)\] (.*)\r\n$')


def read_monitor_line(conn):
    line = conn.read_line() + b"\r\n"
    match = MONITOR_LINE.match(line)
    assert match, line
    return int(match.group(3)), match.group(4).decode(), match.group(5)


def test_monitor_streams_commands_after_they_run_in_redis_format(server):
    monitor, conn = server.raw(), server.raw()
    address = info_of(conn)["addr"]
    assert call(monitor, "MONITOR") == b"+OK\r\n"
    call(conn, "SET", "k", 'a "quoted"\\ \n\x01 value')
    call(conn, "SELECT", "5")
    call(conn, "GET", "x")
    call(conn, "SELECT", "0")
    assert read_monitor_line(monitor) == (0, address, b'"SET" "k" "a \\"quoted\\"\\\\ \\n\\x01 value"')
    assert read_monitor_line(monitor) == (5, address, b'"SELECT" "5"')
    assert read_monitor_line(monitor) == (5, address, b'"GET" "x"')
    assert read_monitor_line(monitor) == (0, address, b'"SELECT" "0"')


def test_monitor_hides_admin_and_rejected_commands(server):
    monitor, conn = server.raw(), server.raw()
    address = info_of(conn)["addr"]
    call(monitor, "MONITOR")
    for args in [("CLIENT", "LIST"), ("DEBUG", "LOG", "x"), ("GET",), ("NOSUCH", "x"),
                 ("CLIENT", "SETNAME", "visible")]:
        call(conn, *args)
    assert read_monitor_line(monitor) == (0, address, b'"CLIENT" "SETNAME" "visible"')


def test_monitor_twice_replies_once_and_reset_ends_monitoring(server):
    monitor, conn = server.raw(), server.raw()
    monitor.command("MONITOR")
    monitor.command("MONITOR")
    monitor.command("PING")
    assert monitor.read_reply() == b"+OK\r\n"
    assert monitor.read_reply() == b"+PONG\r\n"
    assert read_monitor_line(monitor)[2] == b'"PING"'
    assert call(monitor, "RESET") == b"+RESET\r\n"
    call(conn, "PING")
    assert call(monitor, "ECHO", "still quiet") == b"$11\r\nstill quiet\r\n"


def test_monitor_names_unix_socket_clients_by_socket_path():
    path = os.path.join(tempfile.mkdtemp(prefix="ringdb-sock-"), "ringdb.sock")
    process = ServerProcess("--unixsocket", path)
    try:
        monitor = process.raw()
        call(monitor, "MONITOR")
        output = subprocess.run(["redis-cli", "-s", path, "client", "info"], capture_output=True,
                                text=True, timeout=10, check=True).stdout
        fields = parse_line(output.strip())[1]
        assert fields["addr"] == f"{path}:0"
        assert fields["laddr"] == f"{path}:0"
        assert fields["flags"] == "U"
        # redis-cli sends COMMAND DOCS first only in interactive mode; here just CLIENT INFO.
        db, who, command = read_monitor_line(monitor)
        assert (db, who, command) == (0, f"unix:{path}", b'"client" "info"')
    finally:
        process.stop()


def test_redis_py_monitor_parses_our_lines(server):
    client = server.client(decode_responses=True)
    other = server.client(decode_responses=True)
    with client.monitor() as monitor:
        other.set("monitored", "value")
        event = monitor.next_command()
    assert event["command"] == "SET monitored value"
    assert event["db"] == 0
    assert event["client_type"] == "tcp"
    assert event["client_address"] == "127.0.0.1"


def test_monitor_arity(server):
    assert call(server.raw(), "MONITOR", "x") == \
        b"-ERR wrong number of arguments for 'monitor' command\r\n"
