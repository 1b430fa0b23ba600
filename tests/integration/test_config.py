"""CONFIG GET/SET/RESETSTAT/REWRITE/HELP: Redis's replies and errors, values that take effect at
once, config files at start-up and their rewrite."""
import os
import socket
import stat
import subprocess
import tempfile
import time

import pytest
import redis

from conftest import ROOT, ServerProcess, free_port, server_binary


class ConfigFileServer(ServerProcess):
    """A server started from a config file, which must come first on the command line."""

    def __init__(self, config_path, *args, port=None, directory=None):
        self.port = port or free_port()
        self.dir = directory or tempfile.mkdtemp(prefix="ringdb-test-")
        self.log_path = os.path.join(self.dir, "server.log")
        command = [server_binary(), config_path, "--port", str(self.port), "--dir", self.dir, *args]
        self.log = open(self.log_path, "a")
        self.process = subprocess.Popen(command, stdout=self.log, stderr=subprocess.STDOUT)
        self.wait_ready()


@pytest.fixture
def fresh_server():
    """A server of the test's own, for settings that would disturb other tests."""
    process = ServerProcess()
    yield process
    process.stop()


def raw_reply(server, *command):
    conn = server.raw()
    conn.command(*command)
    reply = conn.read_reply()
    conn.close()
    return reply


def error_of(server, *command):
    reply = raw_reply(server, *command)
    assert reply.startswith(b"-"), reply
    return reply[1:-2].decode()


def run_server_expecting_failure(*args):
    result = subprocess.run([server_binary(), *args], capture_output=True, text=True, timeout=20)
    assert result.returncode == 1
    return result.stderr


# ---- CONFIG GET ----

def test_config_get_takes_several_patterns_globs_and_aliases(server, r):
    assert r.execute_command("CONFIG", "GET", "maxclients", "port") == [
        "maxclients", "10000", "port", str(server.port)]
    assert r.execute_command("CONFIG", "GET", "MAXCLIENTS") == ["MAXCLIENTS", "10000"]
    assert r.execute_command("CONFIG", "GET", "maxclients", "MaxClients") == ["maxclients", "10000"]
    assert r.config_get("slowlog-*") == {"slowlog-log-slower-than": "10000",
                                         "slowlog-max-len": "128"}
    assert r.config_get("hash-max-*-entries") == {"hash-max-listpack-entries": "512",
                                                  "hash-max-ziplist-entries": "512"}
    assert r.config_get("no-such-thing") == {}
    everything = r.config_get("*")
    assert everything["databases"] == "16"
    assert everything["bind"] == "127.0.0.1"
    assert everything["client-output-buffer-limit"] == (
        "normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60")
    assert everything["dir"] == os.path.realpath(server.dir)
    assert len(everything) > 50


def test_config_get_replies_a_map_in_resp3(server):
    conn = server.raw()
    conn.command("HELLO", "3")
    conn.read_reply()
    conn.command("CONFIG", "GET", "maxclients")
    assert conn.read_reply() == b"%1\r\n$10\r\nmaxclients\r\n$5\r\n10000\r\n"


def test_config_get_needs_a_pattern(server):
    assert error_of(server, "CONFIG", "GET") == (
        "ERR wrong number of arguments for 'config|get' command")


# ---- CONFIG SET ----

def test_config_set_errors_are_redis_texts(server):
    assert error_of(server, "CONFIG", "SET", "port", "1") == (
        "ERR CONFIG SET failed (possibly related to argument 'port') - can't set immutable config")
    assert error_of(server, "CONFIG", "SET", "foo", "1") == (
        "ERR Unknown option or number of arguments for CONFIG SET - 'foo'")
    assert error_of(server, "CONFIG", "SET", "maxclients", "10", "maxclients", "20") == (
        "ERR CONFIG SET failed (possibly related to argument 'maxclients') - duplicate parameter")
    assert error_of(server, "CONFIG", "SET", "maxclients", "abc") == (
        "ERR CONFIG SET failed (possibly related to argument 'maxclients') - argument couldn't "
        "be parsed into an integer")
    assert error_of(server, "CONFIG", "SET", "timeout", "1", "timeout") == "ERR syntax error"
    assert error_of(server, "CONFIG", "SET", "timeout") == (
        "ERR wrong number of arguments for 'config|set' command")
    assert error_of(server, "CONFIG", "SET", "maxmemory", "1xb") == (
        "ERR CONFIG SET failed (possibly related to argument 'maxmemory') - argument must be a "
        "memory value")
    assert error_of(server, "CONFIG", "SET", "loglevel", "loud") == (
        "ERR CONFIG SET failed (possibly related to argument 'loglevel') - argument(s) must be "
        "one of the following: debug, verbose, notice, warning, nothing")
    assert error_of(server, "CONFIG", "SET", "dir", "/tmp") == (
        "ERR CONFIG SET failed (possibly related to argument 'dir') - can't set protected config")


def test_config_set_changes_all_pairs_or_none(r):
    with pytest.raises(redis.ResponseError):
        r.execute_command("CONFIG", "SET", "maxmemory", "10mb", "timeout", "x")
    with pytest.raises(redis.ResponseError):
        r.execute_command("CONFIG", "SET", "maxmemory", "10mb", "databases", "4")
    assert r.config_get("maxmemory") == {"maxmemory": "0"}
    try:
        assert r.execute_command("CONFIG", "SET", "maxmemory", "10mb", "maxmemory-policy",
                                 "ALLKEYS-LRU") == "OK"
        assert r.config_get("maxmemory*") == {"maxmemory": "10485760",
                                              "maxmemory-policy": "allkeys-lru",
                                              "maxmemory-samples": "5"}
        info = r.info("memory")
        assert info["maxmemory"] == 10485760
        assert info["maxmemory_human"] == "10.00M"
        assert info["maxmemory_policy"] == "allkeys-lru"
    finally:
        r.execute_command("CONFIG", "SET", "maxmemory", "0", "maxmemory-policy", "noeviction")


def test_config_set_hz_is_kept_within_1_to_500(r):
    try:
        assert r.config_set("hz", "1000")
        assert r.config_get("hz") == {"hz": "500"}
        assert r.info("server")["hz"] == 500
    finally:
        r.config_set("hz", "10")


def test_notify_keyspace_events_read_back_in_canonical_order(r):
    try:
        r.config_set("notify-keyspace-events", "KEA")
        assert r.config_get("notify-keyspace-events") == {"notify-keyspace-events": "AKE"}
        with pytest.raises(redis.ResponseError, match="Invalid event class character"):
            r.config_set("notify-keyspace-events", "q")
    finally:
        r.config_set("notify-keyspace-events", "")


def test_maxclients_refuses_the_next_connection_at_once(fresh_server):
    client = fresh_server.client(decode_responses=True)
    assert client.config_set("maxclients", "1")
    refused = fresh_server.raw()
    assert refused.read_line() == b"-ERR max number of clients reached"
    assert refused.closed_by_peer()
    assert client.info("stats")["rejected_connections"] == 1
    assert client.config_set("maxclients", "10000")
    accepted = fresh_server.raw()
    accepted.command("PING")
    assert accepted.read_reply() == b"+PONG\r\n"


def test_loglevel_takes_effect_at_once(fresh_server):
    client = fresh_server.client(decode_responses=True)
    client.ping()
    assert "Accepted" not in fresh_server.read_log()
    client.config_set("loglevel", "verbose")
    other = fresh_server.raw()
    other.command("PING")
    other.read_reply()
    deadline = time.time() + 5
    while "Accepted" not in fresh_server.read_log() and time.time() < deadline:
        time.sleep(0.05)
    assert "Accepted" in fresh_server.read_log()


def test_proto_max_bulk_len_applies_to_connected_clients(server, r):
    connected = server.raw()
    connected.command("PING")
    connected.read_reply()
    r.config_set("proto-max-bulk-len", "1mb")
    try:
        fits = server.raw()
        fits.command("SET", "k", b"x" * 1048576)
        assert fits.read_reply() == b"+OK\r\n"
        connected.send(b"*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1048577\r\n")
        assert connected.read_reply() == b"-ERR Protocol error: invalid bulk length\r\n"
        assert connected.closed_by_peer()
    finally:
        r.config_set("proto-max-bulk-len", "512mb")


def test_client_query_buffer_limit_disconnects_a_client_past_it(fresh_server):
    client = fresh_server.client(decode_responses=True)
    client.config_set("client-query-buffer-limit", "1mb")
    flooding = fresh_server.raw()
    flooding.send(b"*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$3000000\r\n")
    try:
        flooding.send(b"x" * 1_500_000)
    except (BrokenPipeError, ConnectionResetError):
        pass
    assert flooding.closed_by_peer(timeout=5)
    assert client.info("stats")["client_query_buffer_limit_disconnections"] == 1


def test_client_output_buffer_limit_disconnects_a_slow_reader(fresh_server):
    client = fresh_server.client(decode_responses=True)
    client.set("big", "x" * 4_000_000)
    client.config_set("client-output-buffer-limit", "normal 1mb 0 0")
    assert client.config_get("client-output-buffer-limit")["client-output-buffer-limit"].startswith(
        "normal 1048576 0 0 ")
    reader = fresh_server.raw()
    reader.command("GET", "big")
    assert reader.closed_by_peer(timeout=5)
    assert len(reader.buffer) < 4_000_000
    assert client.info("stats")["client_output_buffer_limit_disconnections"] == 1


def test_timeout_closes_idle_clients_once_set(fresh_server):
    idle = fresh_server.raw()
    idle.command("PING")
    idle.read_reply()
    setter = fresh_server.raw()
    setter.command("CONFIG", "SET", "timeout", "1")
    assert setter.read_reply() == b"+OK\r\n"
    assert idle.closed_by_peer(timeout=5)


def test_protected_dir_can_change_when_protected_configs_are_enabled(tmp_path):
    process = ServerProcess("--enable-protected-configs", "local")
    try:
        client = process.client(decode_responses=True)
        target = tmp_path / "data"
        target.mkdir()
        assert client.config_set("dir", str(target))
        assert client.config_get("dir") == {"dir": os.path.realpath(str(target))}
        with pytest.raises(redis.ResponseError) as failure:
            client.config_set("dir", str(tmp_path / "missing"))
        assert str(failure.value) == (
            "CONFIG SET failed (possibly related to argument 'dir') - No such file or directory")
        assert client.config_get("dir") == {"dir": os.path.realpath(str(target))}
    finally:
        process.stop()


# ---- CONFIG RESETSTAT and HELP ----

def test_config_resetstat_replies_ok_and_zeroes_counters(r):
    r.get("missing")
    assert r.execute_command("CONFIG", "RESETSTAT") == "OK"
    assert r.info("stats")["keyspace_misses"] == 0


def test_config_help(server):
    assert raw_reply(server, "config", "help") == (
        b"*11\r\n"
        b"+CONFIG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n"
        b"+GET <pattern>\r\n"
        b"+    Return parameters matching the glob-like <pattern> and their values.\r\n"
        b"+SET <directive> <value>\r\n"
        b"+    Set the configuration <directive> to <value>.\r\n"
        b"+RESETSTAT\r\n"
        b"+    Reset statistics reported by the INFO command.\r\n"
        b"+REWRITE\r\n"
        b"+    Rewrite the configuration file.\r\n"
        b"+HELP\r\n"
        b"+    Print this help.\r\n")
    assert error_of(server, "CONFIG", "nosuch") == (
        "ERR unknown subcommand 'nosuch'. Try CONFIG HELP.")


# ---- Config files and CONFIG REWRITE ----

def test_config_rewrite_without_a_file_is_an_error(server):
    assert error_of(server, "CONFIG", "REWRITE") == "ERR The server is running without a config file"


def test_config_rewrite_round_trip(tmp_path):
    path = tmp_path / "ringdb.conf"
    path.write_text("# ringdb test config\nmaxmemory 1mb\n\n# timeouts\ntimeout 0\n")
    os.chmod(path, 0o600)
    process = ConfigFileServer(str(path))
    try:
        client = process.client(decode_responses=True)
        assert client.info("server")["config_file"] == os.path.realpath(str(path))
        assert client.config_get("maxmemory") == {"maxmemory": "1048576"}
        client.execute_command("CONFIG", "SET", "maxmemory", "2mb", "timeout", "10",
                               "loglevel", "warning")
        assert client.execute_command("CONFIG", "REWRITE") == "OK"
        directory = os.path.realpath(process.dir)
        assert path.read_text() == (
            "# ringdb test config\n"
            "maxmemory 2mb\n"
            "\n"
            "# timeouts\n"
            "timeout 10\n"
            "# Generated by CONFIG REWRITE\n"
            f"port {process.port}\n"
            f"dir \"{directory}\"\n"
            "loglevel warning\n"
            "save 3600 1\n"
            "save 300 100\n"
            "save 60 10000\n"
            "latency-tracking-info-percentiles 50 99 99.9\n")
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
        assert [name for name in os.listdir(tmp_path) if name != "ringdb.conf"] == []
    finally:
        process.stop()
    # The rewritten file starts a server with the values set at run time.
    again = ConfigFileServer(str(path), directory=process.dir)
    try:
        client = again.client(decode_responses=True)
        assert client.config_get("maxmemory") == {"maxmemory": "2097152"}
        assert client.config_get("timeout") == {"timeout": "10"}
        assert client.config_get("loglevel") == {"loglevel": "warning"}
    finally:
        again.stop()


def test_startup_errors_name_the_file_line_and_reason(tmp_path):
    path = tmp_path / "bad.conf"
    path.write_text("port 7000\nport 99999\n")
    stderr = run_server_expecting_failure(str(path))
    assert f"{path}:2: 'port 99999': argument must be between 0 and 65535 inclusive" in stderr
    path.write_text("# fine\n\nnot-a-directive yes\n")
    stderr = run_server_expecting_failure(str(path))
    assert f"{path}:3: 'not-a-directive yes': Bad directive or wrong number of arguments" in stderr
    stderr = run_server_expecting_failure("--maxclients", "0")
    assert ("command line:1: 'maxclients \"0\"': argument must be between 1 and 4294967295 "
            "inclusive") in stderr
    missing = tmp_path / "missing.conf"
    stderr = run_server_expecting_failure(str(missing))
    assert f"Fatal error, can't open config file '{missing}': No such file or directory" in stderr


def test_the_example_config_starts_a_server():
    example = os.path.join(ROOT, "ringdb.conf")
    process = ConfigFileServer(example)
    try:
        client = process.client(decode_responses=True)
        assert client.ping()
        assert client.info("server")["config_file"] == os.path.realpath(example)
        assert client.config_get("maxclients") == {"maxclients": "10000"}
    finally:
        process.stop()
