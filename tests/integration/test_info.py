"""INFO: Redis 7.2's sections, field names and order, parsed by redis-py and read raw."""
import re
import time

import pytest

DEFAULT_SECTIONS = ["Server", "Clients", "Memory", "Persistence", "Stats", "Replication",
                    "CPU", "Modules", "Errorstats", "Cluster", "Keyspace"]
ALL_SECTIONS = ["Server", "Clients", "Memory", "Persistence", "Stats", "Replication", "CPU",
                "Modules", "Commandstats", "Errorstats", "Latencystats", "Cluster", "Keyspace"]


def info_text(server, *sections):
    """INFO's reply as text, read from a raw connection (RESP2 bulk string)."""
    conn = server.raw()
    conn.command("INFO", *sections)
    reply = conn.read_reply()
    conn.close()
    header, _, body = reply.partition(b"\r\n")
    assert header.startswith(b"$")
    assert len(body) == int(header[1:]) + 2
    return body[:-2].decode()


def section_names(text):
    return re.findall(r"^# (\w+)\r$", text, flags=re.M)


def fields(text):
    """The field names of an INFO text, in order."""
    return [line.split(":", 1)[0] for line in text.split("\r\n") if line and not line.startswith("#")]


def test_default_info_has_redis_default_sections_in_order(server):
    text = info_text(server)
    assert section_names(text) == DEFAULT_SECTIONS
    assert info_text(server, "default").count("# ") == text.count("# ")
    # Sections are separated by one empty line, lines end with CRLF.
    assert "\r\n\r\n# Clients\r\n" in text
    assert text.startswith("# Server\r\nredis_version:7.2.4\r\n")
    assert text.endswith("\r\n")


@pytest.mark.parametrize("argument", ["all", "everything", "ALL"])
def test_all_and_everything_add_commandstats_and_latencystats(server, argument):
    assert section_names(info_text(server, argument)) == ALL_SECTIONS


def test_several_sections_case_insensitive_in_redis_order(server):
    text = info_text(server, "KEYSPACE", "server", "Clients", "server")
    assert section_names(text) == ["Server", "Clients", "Keyspace"]
    assert section_names(info_text(server, "default", "commandstats")) == [
        "Server", "Clients", "Memory", "Persistence", "Stats", "Replication", "CPU", "Modules",
        "Commandstats", "Errorstats", "Cluster", "Keyspace"]


def test_unknown_section_is_an_empty_string(server):
    conn = server.raw()
    conn.command("INFO", "nosuchsection")
    assert conn.read_reply() == b"$0\r\n\r\n"


def test_resp3_info_is_a_verbatim_string(server):
    conn = server.raw()
    conn.command("HELLO", "3")
    conn.read_reply()
    conn.command("INFO", "cluster")
    text = b"txt:# Cluster\r\ncluster_enabled:0\r\n"
    assert conn.read_reply() == b"=%d\r\n%s\r\n" % (len(text), text)


def test_server_section_fields(server, r):
    text = info_text(server, "server")
    assert fields(text)[:23] == [
        "redis_version", "redis_git_sha1", "redis_git_dirty", "redis_build_id", "redis_mode",
        "os", "arch_bits", "monotonic_clock", "multiplexing_api", "atomicvar_api", "gcc_version",
        "process_id", "process_supervised", "run_id", "tcp_port", "server_time_usec",
        "uptime_in_seconds", "uptime_in_days", "hz", "configured_hz", "lru_clock",
        "executable", "config_file"]
    info = r.info("server")
    assert info["redis_version"] == "7.2.4"
    assert info["redis_mode"] == "standalone"
    assert info["arch_bits"] == 64
    assert info["process_id"] == server.process.pid
    assert info["tcp_port"] == server.port
    assert re.fullmatch(r"[0-9a-f]{40}", info["run_id"])
    assert abs(info["server_time_usec"] / 1e6 - time.time()) < 5
    assert info["hz"] == 10 and info["configured_hz"] == 10
    assert info["executable"].endswith("ringdb-server")
    assert info["config_file"] == ""
    assert info["process_supervised"] == "no"
    assert info["listener0"] == {"name": "tcp", "bind": "127.0.0.1", "port": server.port}
    assert re.fullmatch(r"\d+\.\d+\.\d+", info["ringdb_version"])
    assert "ringdb_io_uring_setup" in info


def test_clients_section_counts_connections(server, r):
    before = r.info("clients")["connected_clients"]
    other = server.raw()
    other.command("PING")
    other.read_reply()
    info = r.info("clients")
    assert info["connected_clients"] == before + 1
    assert info["maxclients"] == 10000
    assert info["blocked_clients"] == 0
    assert fields(info_text(server, "clients")) == [
        "connected_clients", "cluster_connections", "maxclients",
        "client_recent_max_input_buffer", "client_recent_max_output_buffer", "blocked_clients",
        "tracking_clients", "clients_in_timeout_table", "total_blocking_keys",
        "total_blocking_keys_on_nokey"]


def test_memory_section_reports_allocator_counts(server, r):
    info = r.info("memory")
    assert info["used_memory"] > 0
    assert info["used_memory_rss"] >= 1024 * 1024
    assert info["used_memory_peak"] >= info["used_memory"]
    assert info["used_memory_startup"] > 0
    assert info["mem_allocator"] == "libc" or info["mem_allocator"].startswith("mimalloc-")
    assert info["maxmemory"] == 0 and info["maxmemory_policy"] == "noeviction"
    assert info["total_system_memory"] > 0
    assert re.fullmatch(r"\d+B|\d+\.\d\d[KMGTP]", info["used_memory_human"])
    # A large value shows up in used_memory at once.
    r.set("big", "x" * 4_000_000)
    assert r.info("memory")["used_memory"] >= info["used_memory"] + 4_000_000
    text = info_text(server, "memory")
    assert fields(text)[:4] == ["used_memory", "used_memory_human", "used_memory_rss",
                                "used_memory_rss_human"]
    assert "\r\nmem_allocator:" in text and "\r\nlazyfreed_objects:0\r\n" in text


def test_persistence_and_replication_look_like_redis_without_them(server, r):
    persistence = r.info("persistence")
    assert persistence["rdb_bgsave_in_progress"] == 0
    assert persistence["rdb_last_bgsave_status"] == "ok"
    assert persistence["aof_enabled"] == 0
    assert persistence["loading"] == 0
    assert persistence["rdb_last_save_time"] == r.lastsave().timestamp()
    r.set("a", "1")
    r.set("b", "2")
    assert r.info("persistence")["rdb_changes_since_last_save"] >= 2
    replication = r.info("replication")
    assert replication["role"] == "master"
    assert replication["connected_slaves"] == 0
    assert re.fullmatch(r"[0-9a-f]{40}", replication["master_replid"])
    assert "\r\nmaster_replid2:" + "0" * 40 + "\r\n" in info_text(server, "replication")
    assert replication["master_repl_offset"] == 0
    assert replication["second_repl_offset"] == -1
    assert r.info("replication")["master_replid"] == replication["master_replid"]


def test_stats_count_commands_connections_and_keyspace_hits(server, r):
    r.config_resetstat()
    r.set("k", "v")
    r.get("k")
    r.get("missing")
    info = r.info("stats")
    assert info["total_commands_processed"] >= 4
    assert info["keyspace_hits"] == 1
    assert info["keyspace_misses"] == 1
    assert info["total_net_input_bytes"] > 0
    assert info["total_net_output_bytes"] > 0
    assert info["rejected_connections"] == 0
    assert info["expired_keys"] == 0
    assert "instantaneous_ops_per_sec" in info
    names = fields(info_text(server, "stats"))
    assert names[:5] == ["total_connections_received", "total_commands_processed",
                         "instantaneous_ops_per_sec", "total_net_input_bytes",
                         "total_net_output_bytes"]
    assert names.index("keyspace_hits") < names.index("total_error_replies") < names.index(
        "eventloop_cycles") < names.index("acl_access_denied_channel")


def test_cpu_section(r):
    info = r.info("cpu")
    assert set(info) == {"used_cpu_sys", "used_cpu_user", "used_cpu_sys_children",
                         "used_cpu_user_children", "used_cpu_sys_main_thread",
                         "used_cpu_user_main_thread"}
    assert info["used_cpu_user"] + info["used_cpu_sys"] > 0


def test_keyspace_section_lists_databases_with_keys(r):
    r.set("a", "1")
    r.set("b", "2", ex=1000)
    r.execute_command("SELECT", "3")
    r.set("c", "3")
    r.execute_command("SELECT", "0")
    info = r.info("keyspace")
    assert info["db0"]["keys"] == 2 and info["db0"]["expires"] == 1
    assert info["db3"] == {"keys": 1, "expires": 0, "avg_ttl": 0}
    assert "db1" not in info


def test_commandstats_count_calls_failures_and_rejections(server, r):
    r.config_resetstat()
    r.set("k", "v")
    r.set("k", "v")
    with pytest.raises(Exception):
        r.execute_command("SET", "k", "v", "NX", "XX")
    with pytest.raises(Exception):
        r.execute_command("GET")
    r.config_get("maxclients")
    info = r.info("commandstats")
    assert info["cmdstat_set"]["calls"] == 3
    assert info["cmdstat_set"]["failed_calls"] == 1
    assert info["cmdstat_set"]["rejected_calls"] == 0
    assert info["cmdstat_get"] == {"calls": 0, "usec": 0, "usec_per_call": 0.0,
                                   "rejected_calls": 1, "failed_calls": 0}
    assert info["cmdstat_config|get"]["calls"] == 1
    assert re.search(r"\r\ncmdstat_set:calls=3,usec=\d+,usec_per_call=\d+\.\d\d,"
                     r"rejected_calls=0,failed_calls=1\r\n", info_text(server, "commandstats"))


def test_errorstats_count_error_codes(server, r):
    r.config_resetstat()
    with pytest.raises(Exception):
        r.execute_command("NOSUCHCOMMAND")
    with pytest.raises(Exception):
        r.execute_command("SET", "k", "v", "EX", "0")
    assert info_text(server, "errorstats") == "# Errorstats\r\nerrorstat_ERR:count=2\r\n"
    assert r.info("stats")["total_error_replies"] == 2


def test_latencystats_report_configured_percentiles(server, r):
    r.config_resetstat()
    for _ in range(20):
        r.set("k", "v")
    info = r.info("latencystats")
    assert set(info["latency_percentiles_usec_set"]) == {"p50", "p99", "p99.9"}
    assert info["latency_percentiles_usec_set"]["p50"] <= info["latency_percentiles_usec_set"]["p99"]
    assert re.search(r"\r\nlatency_percentiles_usec_set:p50=\d+\.\d{3},p99=\d+\.\d{3},"
                     r"p99\.9=\d+\.\d{3}\r\n", info_text(server, "latencystats"))
    r.execute_command("CONFIG", "SET", "latency-tracking-info-percentiles", "25 90.5")
    try:
        assert set(r.info("latencystats")["latency_percentiles_usec_set"]) == {"p25", "p90.5"}
    finally:
        r.execute_command("CONFIG", "SET", "latency-tracking-info-percentiles", "50 99 99.9")
    r.config_set("latency-tracking", "no")
    try:
        assert info_text(server, "latencystats") == "# Latencystats\r\n"
    finally:
        r.config_set("latency-tracking", "yes")


def test_config_resetstat_clears_info_counters_but_not_the_slowlog(r):
    r.config_set("slowlog-log-slower-than", "0")
    try:
        r.get("missing")
        with pytest.raises(Exception):
            r.execute_command("NOSUCHCOMMAND")
        slowlog_before = r.slowlog_len()
        assert r.config_resetstat() is True
        stats = r.info("stats")
        assert stats["keyspace_misses"] == 0
        assert stats["total_error_replies"] == 0
        assert stats["total_connections_received"] == 0
        assert r.info("errorstats") == {}
        # As in Redis, RESETSTAT's own call is counted after it ran.
        commandstats = r.info("commandstats")
        assert set(commandstats) == {"cmdstat_config|resetstat", "cmdstat_info"}
        assert commandstats["cmdstat_config|resetstat"]["calls"] == 1
        assert set(r.info("latencystats")) == {"latency_percentiles_usec_config|resetstat",
                                               "latency_percentiles_usec_info"}
        assert r.slowlog_len() >= slowlog_before
    finally:
        r.config_set("slowlog-log-slower-than", "10000")
