"""Debian's redis-cli against the server: output formats, --pipe, -3, --scan, -x.

Every test runs twice: against ringdb-server (the test) and against Debian's redis-server
(the oracle), so each expected output below is proven to be what real Redis produces.
"""
import os
import shutil
import subprocess

import pytest
import redis

from conftest import REDIS_SERVER, ServerProcess

REDIS_CLI = shutil.which("redis-cli") or "/usr/bin/redis-cli"




def cli(target, *args, stdin=b"", check_exit=True):
    """Runs redis-cli against `target`; returns (stdout, stderr) as bytes. stdout is a pipe,
    so redis-cli prints raw replies unless --no-raw is given."""
    command = [REDIS_CLI, "-h", "127.0.0.1", "-p", str(target.port), *args]
    result = subprocess.run(command, input=stdin, capture_output=True, timeout=120)
    if check_exit:
        assert result.returncode == 0, (command, result.stdout[-500:], result.stderr[-500:])
    return result.stdout, result.stderr


PIPE_BANNER = b"All data transferred. Waiting for the last reply...\nLast reply received from server.\n"


def resp_command(*args):
    parts = [b"*%d\r\n" % len(args)]
    for arg in args:
        arg = arg if isinstance(arg, bytes) else str(arg).encode()
        parts.append(b"$%d\r\n%s\r\n" % (len(arg), arg))
    return b"".join(parts)


def test_raw_output_of_status_bulk_nil_and_integer_replies(target, client):
    assert cli(target, "SET", "greeting", "hello world")[0] == b"OK\n"
    assert cli(target, "GET", "greeting")[0] == b"hello world\n"
    assert cli(target, "GET", "missing")[0] == b"\n"
    assert cli(target, "EXISTS", "greeting", "greeting", "missing")[0] == b"2\n"
    assert cli(target, "PING")[0] == b"PONG\n"
    assert cli(target, "DEL", "greeting")[0] == b"1\n"


def test_raw_output_of_array_replies(target, client):
    client.set("greeting", "hello world")
    client.set("counter", 7)
    assert cli(target, "MGET", "greeting", "missing", "counter")[0] == b"hello world\n\n7\n"


def test_no_raw_prints_redis_cli_type_annotations(target, client):
    client.set("k", "v")
    client.set("bin", b"a\x00b\r\n\xff")
    assert cli(target, "--no-raw", "GET", "k")[0] == b'"v"\n'
    assert cli(target, "--no-raw", "GET", "missing")[0] == b"(nil)\n"
    assert cli(target, "--no-raw", "EXISTS", "k", "bin")[0] == b"(integer) 2\n"
    assert cli(target, "--no-raw", "GET", "bin")[0] == b'"a\\x00b\\r\\n\\xff"\n'
    assert cli(target, "--no-raw", "SET", "k", "w")[0] == b"OK\n"
    assert cli(target, "--no-raw", "SET", "k", "w", "EX", "0")[0] == (
        b"(error) ERR invalid expire time in 'set' command\n")


def test_no_raw_annotations_of_arrays_and_type_errors(target, client):
    client.set("k", "v")
    assert cli(target, "--no-raw", "MGET", "k", "missing")[0] == b'1) "v"\n2) (nil)\n'
    assert cli(target, "--no-raw", "KEYS", "nothing*")[0] == b"(empty array)\n"
    assert cli(target, "--no-raw", "INCR", "n")[0] == b"(integer) 1\n"
    assert cli(target, "--no-raw", "INCR", "k")[0] == (
        b"(error) ERR value is not an integer or out of range\n")


def test_wrong_arity_and_unknown_commands_are_reported_as_errors(target, client):
    assert cli(target, "--no-raw", "GET")[0] == (
        b"(error) ERR wrong number of arguments for 'get' command\n")
    assert cli(target, "--no-raw", "NOSUCHCOMMAND", "a", "b")[0] == (
        b"(error) ERR unknown command 'NOSUCHCOMMAND', with args beginning with: 'a' 'b' \n")


def test_x_reads_the_last_argument_from_stdin_byte_for_byte(target, client):
    payload = b"line one\r\nline two\x00\xff\xfe end\n"
    assert cli(target, "-x", "SET", "from-stdin", stdin=payload)[0] == b"OK\n"
    assert client.get("from-stdin") == payload


def test_x_with_a_large_stdin_value(target, client):
    payload = bytes(range(256)) * 4096  # 1 MiB, every byte value
    assert cli(target, "-x", "SET", "big", stdin=payload)[0] == b"OK\n"
    assert client.get("big") == payload


def test_x_appends_stdin_to_an_existing_value(target, client):
    client.set("log", b"start\n")
    assert cli(target, "-x", "APPEND", "log", stdin=b"more\x00\n")[0] == b"12\n"
    assert client.get("log") == b"start\nmore\x00\n"


def test_pipe_mass_insertion_of_five_thousand_commands(target, client):
    commands = [resp_command("SET", "key:%d" % i, "value:%d" % i) for i in range(4500)]
    commands += [resp_command("SET", b"bin:%d" % i, bytes([i % 256]) * (i % 50)) for i in range(500)]
    stdout, stderr = cli(target, "--pipe", stdin=b"".join(commands))
    assert stdout == PIPE_BANNER + b"errors: 0, replies: 5000\n"
    assert stderr == b""
    assert client.dbsize() == 5000
    assert client.get("key:0") == b"value:0"
    assert client.get("key:4499") == b"value:4499"
    assert client.get(b"bin:300") == bytes([300 % 256]) * (300 % 50)


def test_pipe_mass_insertion_with_read_modify_write_commands(target, client):
    commands = [resp_command("INCR", "counter") for _ in range(1500)]
    commands += [resp_command("APPEND", "log", "%d," % i) for i in range(1500)]
    commands += [resp_command("EXPIRE", "log", "1000")]
    stdout, _ = cli(target, "--pipe", stdin=b"".join(commands))
    assert stdout == PIPE_BANNER + b"errors: 0, replies: 3001\n"
    assert client.get("counter") == b"1500"
    assert client.get("log") == b"".join(b"%d," % i for i in range(1500))
    assert 990 <= client.ttl("log") <= 1000


def test_pipe_counts_error_replies_and_exits_non_zero(target, client):
    stream = b"".join([resp_command("SET", "text", "abc"), resp_command("SET", "x", "y", "EX", "0"),
                       resp_command("GET"), resp_command("SET", "after", "ok")])
    result = subprocess.run([REDIS_CLI, "-h", "127.0.0.1", "-p", str(target.port), "--pipe"],
                            input=stream, capture_output=True, timeout=60)
    assert result.returncode == 1
    assert result.stdout == PIPE_BANNER + b"errors: 2, replies: 4\n"
    assert result.stderr == (b"ERR invalid expire time in 'set' command\n"
                             b"ERR wrong number of arguments for 'get' command\n")
    assert client.get("after") == b"ok"


def test_pipe_accepts_inline_commands_with_quoting(target, client):
    stream = (b"SET inline:1 plain\r\n"
              b"SET inline:2 \"two words\"\r\n"
              b"SET inline:3 'single \\x41 quotes'\r\n"
              b"SET inline:4 \"esc\\x41\\n\"\r\n"
              b"GET inline:1\r\n")
    stdout, _ = cli(target, "--pipe", stdin=stream)
    assert stdout == PIPE_BANNER + b"errors: 0, replies: 5\n"
    assert [client.get("inline:%d" % i) for i in range(1, 5)] == [
        b"plain", b"two words", b"single \\x41 quotes", b"escA\n"]


def test_resp3_mode_connects_with_hello_and_prints_plain_replies(target, client):
    assert cli(target, "-3", "SET", "k", "v")[0] == b"OK\n"
    assert cli(target, "-3", "--no-raw", "GET", "k")[0] == b'"v"\n'
    assert cli(target, "-3", "--no-raw", "GET", "missing")[0] == b"(nil)\n"
    assert cli(target, "-3", "--no-raw", "EXISTS", "k", "missing")[0] == b"(integer) 1\n"
    assert cli(target, "-3", "--no-raw", "SET", "k", "v", "NX", "GET")[0] == b'"v"\n'
    assert cli(target, "-3", "--no-raw", "SET", "new", "v", "XX")[0] == b"(nil)\n"


def test_resp3_mode_prints_maps_and_arrays(target, client):
    client.set("a", "hello world")
    client.set("b", "hello there world")
    assert cli(target, "-3", "--no-raw", "LCS", "a", "b", "IDX")[0] == (
        b'1# "matches" => \n'
        b"   1) 1) 1) (integer) 5\n"
        b"         2) (integer) 10\n"
        b"      2) 1) (integer) 11\n"
        b"         2) (integer) 16\n"
        b"   2) 1) 1) (integer) 0\n"
        b"         2) (integer) 4\n"
        b"      2) 1) (integer) 0\n"
        b"         2) (integer) 4\n"
        b'2# "len" => (integer) 11\n')
    assert cli(target, "-3", "LCS", "a", "b", "IDX")[0] == (
        b"matches 5\n10\n11\n16\n0\n4\n0\n4\nlen 11\n")
    assert cli(target, "-3", "--no-raw", "MGET", "a", "missing")[0] == (
        b'1) "hello world"\n2) (nil)\n')
    assert cli(target, "-3", "--no-raw", "INCRBYFLOAT", "f", "1.5")[0] == b'"1.5"\n'
    assert cli(target, "-3", "--no-raw", "TTL", "a")[0] == b"(integer) -1\n"


def test_scan_with_a_pattern_lists_each_matching_key(target, client):
    expected = set()
    with client.pipeline(transaction=False) as pipe:
        for i in range(700):
            pipe.set("user:%d" % i, i)
            expected.add(b"user:%d" % i)
            pipe.set("order:%d" % i, i)
        pipe.set("user:with space", 1)
        pipe.set("user", 1)
        pipe.execute()
    expected.add(b"user:with space")
    stdout, _ = cli(target, "--scan", "--pattern", "user:*")
    lines = stdout.split(b"\n")
    assert lines[-1] == b""
    assert set(lines[:-1]) == expected
    assert len(lines[:-1]) == len(expected)
    stdout, _ = cli(target, "--scan", "--pattern", "order:1?")
    assert set(stdout.split(b"\n")[:-1]) == {b"order:%d" % i for i in range(10, 20)}
    stdout, _ = cli(target, "--scan")
    assert len(set(stdout.split(b"\n")[:-1])) == 1402


def test_database_option_selects_the_database(target, client):
    assert cli(target, "-n", "3", "SET", "only-in-3", "x")[0] == b"OK\n"
    assert cli(target, "-n", "3", "--no-raw", "DBSIZE")[0] == b"(integer) 1\n"
    assert cli(target, "-n", "0", "--no-raw", "EXISTS", "only-in-3")[0] == b"(integer) 0\n"
    assert cli(target, "-n", "3", "GET", "only-in-3")[0] == b"x\n"


def test_repeat_option_runs_the_command_in_order(target, client):
    assert cli(target, "-r", "4", "INCR", "repeated")[0] == b"1\n2\n3\n4\n"


def test_commands_read_from_stdin_lines(target, client):
    script = b"SET a 1\nGET a\nECHO \"two words\"\nDEL a\nEXISTS a\n"
    assert cli(target, stdin=script)[0] == b"OK\n1\ntwo words\n1\n0\n"


def test_object_help_is_printed_line_by_line(target, client):
    stdout, _ = cli(target, "OBJECT", "HELP")
    lines = stdout.split(b"\n")
    assert lines[0] == b"OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:"
    assert b"ENCODING <key>" in lines
    # Redis 7.2 (followed by ringdb) says "Print this help."; the 7.0.15 oracle says "Prints".
    expected = b"    Prints this help." if target.binary == REDIS_SERVER else b"    Print this help."
    assert lines[-2] == expected


def test_the_oracle_is_the_expected_redis():
    version = subprocess.run([REDIS_SERVER, "--version"], capture_output=True, timeout=30)
    assert b" v=7.0." in version.stdout
    assert os.access(REDIS_CLI, os.X_OK)
    assert redis.__version__
