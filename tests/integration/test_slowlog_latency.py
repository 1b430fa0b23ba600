"""SLOWLOG, LATENCY, TIME and LASTSAVE."""
import re
import time

import pytest
import redis

from conftest import ServerProcess


@pytest.fixture
def slowlog_all(r):
    """Every command enters the slowlog, which starts empty."""
    r.config_set("slowlog-log-slower-than", "0")
    r.slowlog_reset()
    yield r
    r.config_set("slowlog-log-slower-than", "10000")
    r.config_set("slowlog-max-len", "128")


@pytest.fixture
def monitored():
    """A server of the test's own with latency monitoring at 20 ms: a loaded machine can take
    a millisecond or two over any command, never 20 ms over the plain ones these tests send."""
    process = ServerProcess("--latency-monitor-threshold", "20")
    yield process
    process.stop()


def command_of(entry):
    """An entry's arguments joined by spaces (redis-py leaves them as bytes)."""
    command = entry["command"]
    return command.decode() if isinstance(command, bytes) else command


def raw_reply(server, *command):
    conn = server.raw()
    conn.command(*command)
    reply = conn.read_reply()
    conn.close()
    return reply


# Big enough that copying it into the keyspace takes well over a millisecond.


def make_slow_command(server):
    """A command that takes at least 50 ms however fast the machine is."""
    conn = server.raw()
    conn.command("DEBUG", "SLEEP", "0.05")
    assert conn.read_reply() == b"+OK\r\n"
    conn.close()


# ---- SLOWLOG ----

def test_slowlog_get_returns_newest_entries_with_redis_fields(server, slowlog_all):
    r = slowlog_all
    r.execute_command("HELLO", "2", "SETNAME", "tester")
    r.set("k", "v")
    # Raw entries: id, timestamp, duration, arguments, client address, client name.
    newest, older = r.execute_command("SLOWLOG", "GET", "2")
    assert newest[3] == ["SET", "k", "v"]
    assert newest[5] == "tester"
    assert re.fullmatch(r"127\.0\.0\.1:\d+", newest[4])
    assert newest[4] == older[4]
    assert newest[0] == older[0] + 1
    assert abs(newest[1] - time.time()) < 5
    assert newest[2] >= 0
    # The name a command sets is already the client's name in its own entry, as in Redis.
    assert older[3] == ["HELLO", "2", "SETNAME", "tester"]
    assert older[5] == "tester"
    assert command_of(r.slowlog_get(1)[0]) == "SLOWLOG GET 2"


def test_slowlog_reset_entry_is_logged_after_it_ran(slowlog_all):
    r = slowlog_all
    assert r.slowlog_len() == 1  # SLOWLOG RESET itself, as in Redis.
    assert [command_of(entry) for entry in r.slowlog_get()] == ["SLOWLOG LEN", "SLOWLOG RESET"]


def test_slowlog_get_count_semantics(server, slowlog_all):
    r = slowlog_all
    for i in range(15):
        r.set(f"k{i}", "v")
    assert len(r.slowlog_get()) == 10
    assert len(r.execute_command("SLOWLOG", "GET", "3")) == 3
    assert r.execute_command("SLOWLOG", "GET", "0") == []
    assert len(r.execute_command("SLOWLOG", "GET", "-1")) == r.slowlog_len() - 1
    assert raw_reply(server, "SLOWLOG", "GET", "-2") == (
        b"-ERR count should be greater than or equal to -1\r\n")
    assert raw_reply(server, "SLOWLOG", "GET", "x") == (
        b"-ERR count should be greater than or equal to -1\r\n")
    assert raw_reply(server, "SLOWLOG", "GET", "1", "2") == (
        b"-ERR unknown subcommand or wrong number of arguments for 'GET'. Try SLOWLOG HELP.\r\n")
    assert raw_reply(server, "SLOWLOG", "LEN", "x") == (
        b"-ERR wrong number of arguments for 'slowlog|len' command\r\n")


def test_slowlog_max_len_bounds_the_log(slowlog_all):
    r = slowlog_all
    r.config_set("slowlog-max-len", "3")
    for i in range(10):
        r.set(f"k{i}", "v")
    assert r.slowlog_len() == 3


def test_slowlog_shortens_long_arguments_and_argument_lists(slowlog_all):
    r = slowlog_all
    r.set("long", "v" * 200)
    assert command_of(r.slowlog_get(1)[0]) == "SET long " + "v" * 128 + "... (72 more bytes)"
    r.delete(*[f"key{i}" for i in range(40)])
    words = command_of(r.slowlog_get(1)[0]).split(" ")
    assert len(words) == 32 + 3  # 31 arguments, then "... (10 more arguments)".
    assert words[:2] == ["DEL", "key0"]
    assert " ".join(words[-4:]) == "... (10 more arguments)"


def test_slowlog_off_logs_nothing(r):
    r.config_set("slowlog-log-slower-than", "-1")
    try:
        r.slowlog_reset()
        r.set("k", "v")
        assert r.slowlog_len() == 0
    finally:
        r.config_set("slowlog-log-slower-than", "10000")


def test_slowlog_help(server):
    reply = raw_reply(server, "SLOWLOG", "HELP")
    assert reply.startswith(b"*12\r\n+SLOWLOG <subcommand> [<arg> [value] [opt] ...]. "
                            b"Subcommands are:\r\n+GET [<count>]\r\n")
    assert reply.endswith(b"+HELP\r\n+    Print this help.\r\n")


# ---- LATENCY ----

def test_latency_events_record_slow_commands(monitored):
    client = monitored.client()
    assert client.execute_command("LATENCY", "LATEST") == []
    make_slow_command(monitored)
    latest = client.execute_command("LATENCY", "LATEST")
    assert len(latest) == 1
    event, when, latency, worst = latest[0]
    assert event == b"command"
    assert abs(when - time.time()) < 5
    assert latency >= 50 and worst >= latency
    history = client.execute_command("LATENCY", "HISTORY", "command")
    assert history == [[when, latency]]
    assert client.execute_command("LATENCY", "HISTORY", "nosuchevent") == []

    doctor = client.execute_command("LATENCY", "DOCTOR").decode()
    assert "1. command: 1 latency spikes" in doctor
    graph = client.execute_command("LATENCY", "GRAPH", "command").decode()
    lines = graph.split("\n")
    assert lines[0] == f"command - high {latency} ms, low {latency} ms (all time high {worst} ms)"
    assert lines[1] == "-" * 80
    assert lines[2:6] == ["#"] * 4

    assert client.execute_command("LATENCY", "RESET", "COMMAND", "other") == 1
    assert client.execute_command("LATENCY", "LATEST") == []
    with pytest.raises(redis.ResponseError, match="No samples available for event 'command'"):
        client.execute_command("LATENCY", "GRAPH", "command")
    make_slow_command(monitored)
    assert client.execute_command("LATENCY", "RESET") == 1


def test_latency_doctor_explains_how_to_enable_monitoring(server, r):
    assert "latency-monitor-threshold" in r.execute_command("LATENCY", "DOCTOR")
    r.config_set("latency-monitor-threshold", "100000")
    try:
        assert r.execute_command("LATENCY", "DOCTOR").startswith("No latency spike was observed")
    finally:
        r.config_set("latency-monitor-threshold", "0")


def test_latency_monitor_threshold_set_at_run_time_takes_effect(server, r):
    r.execute_command("LATENCY", "RESET")
    make_slow_command(server)
    assert r.execute_command("LATENCY", "LATEST") == []
    r.config_set("latency-monitor-threshold", "20")
    try:
        make_slow_command(server)
        assert [event[0] for event in r.execute_command("LATENCY", "LATEST")] == ["command"]
    finally:
        r.config_set("latency-monitor-threshold", "0")
        r.execute_command("LATENCY", "RESET")


def test_latency_histogram_counts_calls_per_command(server, r):
    r.config_resetstat()
    for _ in range(5):
        r.set("k", "v")
    r.config_get("maxclients")
    reply = r.execute_command("LATENCY", "HISTOGRAM", "set", "nosuchcommand")
    assert reply[0] == "set"
    details = reply[1]
    assert details[:3] == ["calls", 5, "histogram_usec"]
    points = details[3]
    bounds, counts = points[0::2], points[1::2]
    assert all(bound & (bound - 1) == 0 for bound in bounds)  # Powers of two.
    assert counts == sorted(counts) and counts[-1] == 5
    assert r.execute_command("LATENCY", "HISTOGRAM", "nosuchcommand") == []
    containers = r.execute_command("LATENCY", "HISTOGRAM", "config")
    assert "config|get" in containers[0::2]
    everything = r.execute_command("LATENCY", "HISTOGRAM")
    assert {"set", "config|get"} <= set(everything[0::2])


def test_latency_histogram_is_a_map_in_resp3(server, r):
    r.config_resetstat()
    r.set("k", "v")
    conn = server.raw()
    conn.command("HELLO", "3")
    conn.read_reply()
    conn.command("LATENCY", "HISTOGRAM", "SET")
    reply = conn.read_reply()
    assert reply.startswith(b"%1\r\n$3\r\nset\r\n%2\r\n$5\r\ncalls\r\n:1\r\n"
                            b"$14\r\nhistogram_usec\r\n%1\r\n:")


def test_latency_help_and_syntax_errors(server):
    reply = raw_reply(server, "LATENCY", "HELP")
    assert reply.startswith(b"*17\r\n+LATENCY <subcommand> [<arg> [value] [opt] ...]. "
                            b"Subcommands are:\r\n+DOCTOR\r\n")
    assert b"+HISTOGRAM [COMMAND ...]\r\n" in reply
    assert raw_reply(server, "LATENCY", "HISTORY") == (
        b"-ERR wrong number of arguments for 'latency|history' command\r\n")
    assert raw_reply(server, "LATENCY", "nosuch") == (
        b"-ERR unknown subcommand 'nosuch'. Try LATENCY HELP.\r\n")


# ---- TIME and LASTSAVE ----

def test_time_replies_seconds_and_microseconds(server):
    reply = raw_reply(server, "TIME")
    match = re.fullmatch(rb"\*2\r\n\$\d+\r\n(\d+)\r\n\$\d+\r\n(\d+)\r\n", reply)
    assert match
    seconds, micros = int(match.group(1)), int(match.group(2))
    assert abs(seconds + micros / 1e6 - time.time()) < 5
    assert 0 <= micros < 1_000_000


def test_lastsave_is_the_start_time_until_snapshots_exist(server, r):
    reply = raw_reply(server, "LASTSAVE")
    assert re.fullmatch(rb":\d+\r\n", reply)
    lastsave = int(reply[1:-2])
    assert r.lastsave().timestamp() == lastsave
    assert lastsave <= time.time()
    assert lastsave == r.info("persistence")["rdb_last_save_time"]
    assert lastsave >= time.time() - r.info("server")["uptime_in_seconds"] - 2
