"""Tests of the bitmap / HyperLogLog generators and their 7.2 rules (no server needed)."""
import rules
from gen_bitmaps import (BIG_KEY, BITMAP_COMMANDS, HLL_COMMANDS, HLL_REGISTERS,
                         bitcount_argument_error, bitpos_argument_error)
from generator import Generator


def reply(tree):
    return (rules.encode(tree), tree)


def test_bitcount_argument_errors_follow_redis_72():
    assert bitcount_argument_error([b"BITCOUNT", b"k"]) is None
    assert bitcount_argument_error([b"BITCOUNT", b"k", b"0", b"-1"]) is None
    assert bitcount_argument_error([b"BITCOUNT", b"k", b"0", b"-1", b"bIt"]) is None
    assert bitcount_argument_error([b"BITCOUNT", b"k", b"0", b"-1", b"BIT\x00x"]) is None
    assert bitcount_argument_error([b"BITCOUNT", b"k", b"0"]) == b"ERR syntax error"
    assert bitcount_argument_error([b"BITCOUNT", b"k", b"0", b"1", b"bits"]) == b"ERR syntax error"
    assert (bitcount_argument_error([b"BITCOUNT", b"k", b"01", b"1"])
            == b"ERR value is not an integer or out of range")
    assert (bitcount_argument_error([b"BITCOUNT", b"k", b"-0", b"1", b"x"])
            == b"ERR value is not an integer or out of range")
    assert (bitcount_argument_error([b"BITCOUNT", b"k", b"0", b"9223372036854775808"])
            == b"ERR value is not an integer or out of range")


def test_bitpos_checks_start_then_unit_then_end():
    assert bitpos_argument_error([b"BITPOS", b"k", b"1"]) is None
    assert bitpos_argument_error([b"BITPOS", b"k", b"1", b"x", b"y", b"z"]) == (
        b"ERR value is not an integer or out of range")
    assert bitpos_argument_error([b"BITPOS", b"k", b"1", b"0", b"y", b"z"]) == b"ERR syntax error"
    assert bitpos_argument_error([b"BITPOS", b"k", b"1", b"0", b"y", b"BYTE"]) == (
        b"ERR value is not an integer or out of range")
    assert bitpos_argument_error([b"BITPOS", b"k", b"1", b"0", b"1", b"BIT", b"x"]) == (
        b"ERR syntax error")


def test_the_72_rule_accepts_an_error_for_a_missing_key_only_with_bad_arguments():
    error = reply(("-", b"ERR syntax error"))
    zero = reply((":", 0))
    bad = [b"BITCOUNT", b"nokey", b"0"]
    good = [b"BITCOUNT", b"nokey", b"0", b"1"]
    assert rules.compare("BITCOUNT", "", error, zero, bad).ok
    assert rules.compare("BITCOUNT", "", error, zero, bad).rule == "7.2:bitcount"
    assert not rules.compare("BITCOUNT", "", error, zero, good).ok
    assert not rules.compare("BITCOUNT", "", error, zero).ok  # no request, no rule
    other_error = reply(("-", b"ERR value is not an integer or out of range"))
    assert not rules.compare("BITCOUNT", "", other_error, zero, bad).ok
    assert not rules.compare("BITCOUNT", "", error, reply((":", 3)), bad).ok
    minus_one = reply((":", -1))
    assert rules.compare("BITPOS", "", error, minus_one, [b"BITPOS", b"k", b"1", b"0", b"1", b"x"]).ok


def _sparse_registers(body):
    """Registers covered by a sparse body, or -1 where a run passes the last register."""
    index, offset = 0, 0
    while offset < len(body):
        op = body[offset]
        if op & 0x80:
            index += (op & 3) + 1
            offset += 1
        elif op & 0x40:
            index += (((op & 0x3f) << 8) | (body[offset + 1] if offset + 1 < len(body) else 0)) + 1
            offset += 2
        else:
            index += (op & 0x3f) + 1
            offset += 1
    return index


def test_valid_crafted_sparse_bodies_cover_every_register_and_damaged_ones_do_not_always():
    generator = Generator(3, "hll")
    for _ in range(200):
        assert _sparse_registers(generator._sparse_body(valid=True)) == HLL_REGISTERS
    damaged = [_sparse_registers(generator._sparse_body(valid=False)) for _ in range(200)]
    assert any(count != HLL_REGISTERS for count in damaged)


def test_the_families_reach_their_commands():
    names = {step.name for step in Generator(1, "bitmaps").steps(3000)}
    assert set(BITMAP_COMMANDS) <= names
    steps = list(Generator(1, "hll").steps(3000))
    assert set(HLL_COMMANDS) <= {step.name for step in steps}
    assert steps[0].args[1:] == [b"SET", b"hll-sparse-max-bytes", b"3000"]
    crafted = [s for s in steps if s.name == "SET" and len(s.args) == 3
               and s.args[2].startswith(b"HYLL")]
    assert len(crafted) > 50
    assert any(len(s.args) > 300 for s in steps if s.name == "PFADD")


def test_the_long_key_only_spreads_to_itself():
    for step in Generator(5, "all").steps(20000):
        if step.name == "BITOP" and len(step.args) > 3 and BIG_KEY in step.args[3:]:
            assert step.args[2] == BIG_KEY
        if step.name in ("PFADD", "PFMERGE", "BITFIELD"):
            assert BIG_KEY not in step.args[1:2]
