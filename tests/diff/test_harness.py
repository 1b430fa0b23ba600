"""Tests of the differential harness's own parts: RESP reader, comparison rules, generator.

A harness that parses loosely, normalizes too much or generates a different stream for the
same seed would hide ringdb's bugs; these tests pin each of those down without any server.
"""
import os
import socket
import sys
import threading

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import rules  # noqa: E402
from generator import (ALL_COMMANDS, ARITY, BIG_KEY, FAMILIES, Command, Generator,  # noqa: E402
                       ScanIteration)
from resp import ProtocolViolation, Reader, encode, encode_command  # noqa: E402

WELL_FORMED_REPLIES = [
    b"+OK\r\n",
    b"-ERR unknown command 'x', with args beginning with: \r\n",
    b":0\r\n", b":-9223372036854775808\r\n", b":9223372036854775807\r\n",
    b"$-1\r\n", b"$0\r\n\r\n", b"$5\r\na\r\nb\x00\r\n",
    b"*-1\r\n", b"*0\r\n", b"*2\r\n$1\r\na\r\n*1\r\n:1\r\n",
    b"_\r\n", b"#t\r\n", b"#f\r\n", b",1.5\r\n", b",inf\r\n", b",-nan\r\n",
    b"(12345678901234567890123\r\n", b"!21\r\nSYNTAX invalid syntax\r\n",
    b"=15\r\ntxt:Some string\r\n",
    b"%2\r\n$6\r\nserver\r\n$5\r\nredis\r\n$5\r\nproto\r\n:3\r\n",
    b"~2\r\n$1\r\na\r\n$1\r\nb\r\n", b">2\r\n$7\r\nmessage\r\n$1\r\nx\r\n",
    b"|1\r\n+key-popularity\r\n%1\r\n$1\r\na\r\n,0.1923\r\n*1\r\n$1\r\na\r\n",
]

MALFORMED_REPLIES = [
    b"?\r\n",                # unknown type byte
    b"$3\r\nabcd\r\n",       # payload longer than its length
    b"$03\r\nabc\r\n",       # length with a leading zero
    b"$-2\r\n",              # negative length other than -1
    b":1.5\r\n",             # not an integer
    b":-0\r\n",              # not canonical
    b":\r\n",                # empty integer
    b"%-1\r\n",              # null map
    b"#x\r\n",               # boolean other than t/f
    b"_x\r\n",               # null with a payload
    b"=3\r\ntxt\r\n",        # verbatim without the 'xxx:' format
    b"\r\n",                 # empty line
    b"+a\rb\r\n",            # bare CR inside a line
]


class FakeSocket:
    """Hands out `data` in chunks of `chunk` bytes, then reports a closed connection."""

    def __init__(self, data, chunk):
        self.data = data
        self.chunk = chunk

    def recv(self, _size):
        piece, self.data = self.data[: self.chunk], self.data[self.chunk :]
        return piece


class PiecesSocket:
    """Hands out the given pieces, one per recv."""

    def __init__(self, pieces):
        self.pieces = list(pieces)

    def recv(self, _size):
        return self.pieces.pop(0) if self.pieces else b""


def read_all(data, chunk=1 << 20):
    reader = Reader(FakeSocket(data, chunk))
    return reader.read()


@pytest.mark.parametrize("raw", WELL_FORMED_REPLIES)
def test_reader_returns_the_exact_bytes_and_a_tree_that_encodes_back_to_them(raw):
    got_raw, tree = read_all(raw)
    assert got_raw == raw
    assert encode(tree) == raw


@pytest.mark.parametrize("raw", WELL_FORMED_REPLIES)
def test_reader_reassembles_a_reply_delivered_one_byte_at_a_time(raw):
    assert read_all(raw, chunk=1)[0] == raw


@pytest.mark.parametrize("raw", MALFORMED_REPLIES)
def test_reader_refuses_malformed_replies(raw):
    with pytest.raises(ProtocolViolation):
        read_all(raw + b"+padding\r\n")


def test_reader_keeps_consecutive_replies_apart():
    reader = Reader(FakeSocket(b"+OK\r\n:1\r\n$2\r\nab\r\n", 3))
    assert [reader.read()[0] for _ in range(3)] == [b"+OK\r\n", b":1\r\n", b"$2\r\nab\r\n"]


def test_reader_parses_nested_aggregates_into_typed_nodes():
    _, tree = read_all(b"*3\r\n:1\r\n$-1\r\n%1\r\n+k\r\n~1\r\n#t\r\n")
    assert tree == ("*", [(":", 1), ("$", None), ("%", [(("+", b"k"), ("~", [("#", True)]))])])


def test_reader_reads_from_a_real_socket():
    left, right = socket.socketpair()
    sender = threading.Thread(target=lambda: right.sendall(b"$3\r\nabc\r\n"))
    sender.start()
    assert Reader(left).read() == (b"$3\r\nabc\r\n", ("$", b"abc"))
    sender.join()
    left.close()
    right.close()


def test_commands_are_encoded_as_multibulk_with_binary_arguments_intact():
    assert encode_command([b"SET", b"a\r\n", 5, "x"]) == (
        b"*4\r\n$3\r\nSET\r\n$3\r\na\r\n\r\n$1\r\n5\r\n$1\r\nx\r\n")


# ------------------------------------------------------------------------- rules
def reply(raw):
    return read_all(raw)


def verdict(name, ringdb, redis, sub=""):
    return rules.compare(name, sub, reply(ringdb), reply(redis))


def test_equal_bytes_always_match_and_different_bytes_never_do_without_a_rule():
    assert verdict("GET", b"$1\r\na\r\n", b"$1\r\na\r\n").ok
    assert not verdict("GET", b"$1\r\na\r\n", b"$1\r\nb\r\n").ok
    assert not verdict("SET", b"+OK\r\n", b"$-1\r\n").ok
    # An integer in a different RESP shape is a mismatch even where a rule exists.
    assert not verdict("TTL", b"$2\r\n10\r\n", b":10\r\n").ok


def test_keys_may_differ_in_order_but_not_in_content_or_shape():
    assert verdict("KEYS", b"*2\r\n$1\r\na\r\n$1\r\nb\r\n", b"*2\r\n$1\r\nb\r\n$1\r\na\r\n").ok
    assert not verdict("KEYS", b"*2\r\n$1\r\na\r\n$1\r\na\r\n", b"*2\r\n$1\r\na\r\n$1\r\nb\r\n").ok
    assert not verdict("KEYS", b"*1\r\n$1\r\na\r\n", b"*2\r\n$1\r\nb\r\n$1\r\na\r\n").ok
    assert not verdict("KEYS", b"~2\r\n$1\r\na\r\n$1\r\nb\r\n", b"*2\r\n$1\r\nb\r\n$1\r\na\r\n").ok


def test_ttl_values_may_differ_within_the_window_only():
    assert verdict("TTL", b":99\r\n", b":100\r\n").ok
    assert not verdict("TTL", b":98\r\n", b":100\r\n").ok
    assert verdict("PTTL", b":100000\r\n", b":100250\r\n").ok
    assert not verdict("PTTL", b":100000\r\n", b":100251\r\n").ok
    assert verdict("PEXPIRETIME", b":1700000000000\r\n", b":1700000000200\r\n").ok
    assert not verdict("EXPIRETIME", b":1700000000\r\n", b":1700000002\r\n").ok


def test_ttl_sentinels_and_errors_must_match_exactly():
    assert not verdict("TTL", b":-1\r\n", b":-2\r\n").ok
    assert not verdict("TTL", b":0\r\n", b":-1\r\n").ok
    assert not verdict("PTTL", b"-ERR x\r\n", b":5\r\n").ok
    assert not verdict("TTL", b"-ERR a\r\n", b"-ERR b\r\n").ok


def test_idletime_window_applies_only_to_object_idletime():
    assert verdict("OBJECT", b":1\r\n", b":0\r\n", sub="IDLETIME").ok
    assert verdict("OBJECT", b":2\r\n", b":0\r\n", sub="IDLETIME").ok
    assert not verdict("OBJECT", b":3\r\n", b":0\r\n", sub="IDLETIME").ok
    assert not verdict("OBJECT", b":2\r\n", b":1\r\n", sub="REFCOUNT").ok
    assert not verdict("OBJECT", b"$-1\r\n", b":0\r\n", sub="IDLETIME").ok


HELLO_70 = (b"%7\r\n$6\r\nserver\r\n$5\r\nredis\r\n$7\r\nversion\r\n$6\r\n7.0.15\r\n"
            b"$5\r\nproto\r\n:3\r\n$2\r\nid\r\n:13\r\n$4\r\nmode\r\n$10\r\nstandalone\r\n"
            b"$4\r\nrole\r\n$6\r\nmaster\r\n$7\r\nmodules\r\n*0\r\n")


def hello(version=b"7.2.4", client_id=b"5", proto=b"3", role=b"master"):
    return (HELLO_70.replace(b"$6\r\n7.0.15", b"$%d\r\n%s" % (len(version), version))
            .replace(b":13", b":" + client_id).replace(b":3\r\n", b":" + proto + b"\r\n")
            .replace(b"$6\r\nmaster", b"$%d\r\n%s" % (len(role), role)))


def test_hello_accepts_another_client_id_and_a_72_version_only():
    assert verdict("HELLO", hello(), HELLO_70).ok
    assert verdict("HELLO", hello(version=b"7.2.11"), HELLO_70).ok
    assert not verdict("HELLO", hello(version=b"7.4.0"), HELLO_70).ok
    assert not verdict("HELLO", hello(version=b"7.0.15", client_id=b"0"), HELLO_70).ok
    assert not verdict("HELLO", hello(proto=b"2"), HELLO_70).ok
    assert not verdict("HELLO", hello(role=b"slave"), HELLO_70).ok


def test_hello_rules_also_read_the_resp2_flat_array():
    flat_70 = b"*14\r\n" + HELLO_70.split(b"\r\n", 1)[1]
    flat_72 = b"*14\r\n" + hello(client_id=b"99").split(b"\r\n", 1)[1]
    assert verdict("HELLO", flat_72, flat_70).ok


def test_every_rule_names_a_reason():
    for name, (rule_name, reason, _check) in rules.NORMALIZATIONS.items():
        assert rule_name and len(reason) > 40, name
    for difference in rules.REDIS_72_DIFFERENCES:
        assert len(difference.reason) > 40
    assert "scan-full-iteration" in rules.describe_rules()


# ------------------------------------------------------------------------- generator
def stream(seed, count=500, family="all"):
    return [(type(step).__name__, step.args) for step in Generator(seed, family).steps(count)]


def test_the_same_seed_gives_the_same_stream_and_another_seed_another():
    assert stream(7) == stream(7)
    assert stream(7) != stream(8)


def test_the_all_family_reaches_every_command_and_invalid_shapes():
    names = set()
    wrong_arity = 0
    unknown = 0
    for step in Generator(3, "all").steps(20000):
        names.add(step.name)
        arity = ARITY.get(step.name)
        if isinstance(step, Command) and arity is not None:
            argc = len(step.args)
            if (arity > 0 and argc != arity) or (arity < 0 and argc < -arity):
                wrong_arity += 1
        unknown += step.name == "<unknown>"
    assert set(ALL_COMMANDS) <= names
    assert wrong_arity > 100
    assert unknown > 20


@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_each_family_draws_only_from_its_commands(family):
    # Pseudo-commands (gen_bitmaps.PSEUDO_COMMANDS) name their steps after the real command.
    step_names = {"CONFIG_HLL": "CONFIG", "SET_HLL": "SET"}
    allowed = {step_names.get(name, name) for name in FAMILIES[family]} | {"<unknown>"}
    assert {step.name for step in Generator(5, family).steps(3000)} <= allowed


def test_relative_expiry_arguments_are_never_repeated_within_a_stream():
    generator = Generator(9, "all")
    seen = [generator.relative_seconds() for _ in range(1)]
    for _ in range(5000):
        generator.next()
        seen.append(generator.relative_seconds())
    assert len(seen) == len(set(seen))
    assert min(seen) > 3 * 365 * 86400


def test_the_long_key_never_reaches_lcs_or_renames():
    for step in Generator(4, "all").steps(20000):
        if step.name in ("LCS", "RENAME", "RENAMENX", "COPY"):
            assert BIG_KEY not in step.args[1:3]


def test_lcs_is_only_asked_of_small_values():
    generator = Generator(6, "strings")
    for step in generator.steps(20000):
        if step.name == "LCS" and len(step.args) >= 3:
            a, b = step.args[1], step.args[2]
            bound = generator.state.length_bound
            assert (bound.get(a, 0) + 1) * (bound.get(b, 0) + 1) <= 4_000_000


def test_scan_iterations_start_at_a_spelling_of_cursor_zero():
    for step in Generator(2, "keys").steps(5000):
        if isinstance(step, ScanIteration):
            assert step.args[1] in (b"0", b"", b"+0", b"00")


def test_commands_narrowed_with_only_are_the_only_ones_generated():
    names = {step.name for step in Generator(1, "all", only=["GET", "SET"]).steps(2000)}
    assert names <= {"GET", "SET", "<unknown>"}
    with pytest.raises(ValueError):
        Generator(1, "all", only=["NOPE"])


def test_reader_keeps_exact_bytes_across_a_multi_megabyte_reply():
    big = b"$%d\r\n%s\r\n" % (3 << 20, b"x" * (3 << 20))
    small = b"-ERR after the big one\r\n"
    # One recv per reply: the reader must refill while an earlier reply sits consumed in its
    # buffer, which is when it compacts.
    reader = Reader(PiecesSocket([big, small, small]))
    assert reader.read()[0] == big
    assert reader.read() == (small, ("-", b"ERR after the big one"))
    assert reader.read()[0] == small
