"""The set family's part of the command-stream generator (a mixin of generator.Generator).

Members collide on purpose: small integers (intset), non-canonical integers ("007", "-0",
" 1", which are strings), short strings, members either side of set-max-listpack-value (64
bytes), binary members and the empty member. Now and then one SADD carries 130 strings or 520
integers, so sets cross set-max-listpack-entries (128) and set-max-intset-entries (512).

Random commands (SPOP, SRANDMEMBER) are compared by what must hold (rules.py, the set
family's block); counts stay small so no reply is huge (a negative SRANDMEMBER count asks
for that many members, so -(2^63 - 1) would make both servers work until memory runs out).
"""

LLONG_MAX = (1 << 63) - 1
LLONG_MIN = -(1 << 63)

SET_ARITY = {
    "SADD": -3, "SREM": -3, "SISMEMBER": 3, "SMISMEMBER": -3, "SCARD": 2, "SMEMBERS": 2,
    "SPOP": -2, "SRANDMEMBER": -2, "SMOVE": 4, "SINTER": -2, "SINTERCARD": -3, "SUNION": -2,
    "SDIFF": -2, "SINTERSTORE": -3, "SUNIONSTORE": -3, "SDIFFSTORE": -3, "SSCAN": -3,
}
SET_COMMANDS = sorted(SET_ARITY)

# The sets family: its commands, plus key commands that move, copy, expire and inspect sets
# and a few string writes so that WRONGTYPE paths are reached.
SET_FAMILY_WEIGHTS = {
    **{c: 1.0 for c in SET_COMMANDS},
    "SADD": 3.0, "SREM": 1.5,
    **{c: 0.2 for c in ["DEL", "EXISTS", "TYPE", "COPY", "RENAME", "EXPIRE", "TTL", "SET",
                        "GET", "SELECT", "FLUSHDB"]},
    "OBJECT": 0.6,
}

_NON_CANONICAL = [b"007", b"-0", b" 1", b"1 ", b"+1", b"0x10", b"1.0", b"1e3",
                  str(LLONG_MAX + 1).encode(), str(LLONG_MIN - 1).encode()]


class SetGenerator:
    """Generator methods for the set family (gen_<command>), mixed into Generator."""

    def member(self):
        rng = self.rng
        roll = rng.random()
        if roll < 0.35:
            return str(rng.randint(-5, 20)).encode()
        if roll < 0.45:
            return rng.choice([str(LLONG_MAX).encode(), str(LLONG_MIN).encode(), b"32767",
                               b"32768", b"-32769", b"2147483648", b"-2147483649", b"0"])
        if roll < 0.55:
            return rng.choice(_NON_CANONICAL)
        if roll < 0.8:
            return rng.choice([b"a", b"b", b"c", b"d", b"hello", b"world", b"x y", b""])
        if roll < 0.9:
            return rng.choice([b"v" * 64, b"w" * 65, b"v" * 63 + b"!", b"z" * 200])
        return rng.choice([b"a\x00b", b"\r\n", b"\x00", b"\xff\xfe", b"-ERR x\r\n", b"*"])

    def members(self, low, high):
        return [self.member() for _ in range(self.rng.randint(low, high))]

    def gen_sadd(self):
        rng = self.rng
        roll = rng.random()
        if roll < 0.04:
            # Past set-max-listpack-entries in one go (or later, in several).
            base = rng.randint(0, 100)
            members = [b"m%d" % (base + i) for i in range(rng.choice([60, 130]))]
        elif roll < 0.07:
            members = [str(rng.randint(-300, 300) * 7).encode() for _ in range(rng.choice([100, 520]))]
        else:
            members = self.members(1, 5)
        return self.command("SADD", self.key(), *members)

    def gen_srem(self):
        rng = self.rng
        if rng.random() < 0.03:
            base = rng.randint(0, 100)
            return self.command("SREM", self.key(), *[b"m%d" % (base + i) for i in range(100)])
        return self.command("SREM", self.key(), *self.members(1, 4))

    def gen_sismember(self):
        return self.command("SISMEMBER", self.key(), self.member())

    def gen_smismember(self):
        return self.command("SMISMEMBER", self.key(), *self.members(1, 5))

    def gen_scard(self):
        return self.command("SCARD", self.key())

    def gen_smembers(self):
        return self.command("SMEMBERS", self.key())

    def _set_count(self):
        rng = self.rng
        if rng.random() < 0.85:
            return str(rng.randint(0, 12)).encode()
        return rng.choice([b"-1", b"x", b"", b"1.5", str(LLONG_MAX).encode(),
                           str(LLONG_MIN).encode(), b"200", b"600"])

    def gen_spop(self):
        rng = self.rng
        if rng.random() < 0.4:
            return self.command("SPOP", self.key())
        args = [self.key(), self._set_count()]
        if rng.random() < 0.03:
            args.append(b"1")  # a syntax error
        return self.command("SPOP", *args)

    def gen_srandmember(self):
        rng = self.rng
        if rng.random() < 0.3:
            return self.command("SRANDMEMBER", self.key())
        roll = rng.random()
        if roll < 0.8:
            count = str(rng.randint(-15, 15)).encode()
        else:
            count = rng.choice([b"x", b"", b"-0", str(LLONG_MAX).encode(),
                                str(LLONG_MIN).encode(), b"600", b"-600",
                                b"9223372036854775808"])
        args = [self.key(), count]
        if rng.random() < 0.03:
            args.append(b"1")
        return self.command("SRANDMEMBER", *args)

    def gen_smove(self):
        source = self.key()
        target = source if self.rng.random() < 0.1 else self.key()
        return self.command("SMOVE", source, target, self.member())

    def _set_keys(self, low, high):
        return [self.key() for _ in range(self.rng.randint(low, high))]

    def gen_sinter(self):
        return self.command("SINTER", *self._set_keys(1, 4))

    def gen_sunion(self):
        return self.command("SUNION", *self._set_keys(1, 4))

    def gen_sdiff(self):
        return self.command("SDIFF", *self._set_keys(1, 4))

    def gen_sinterstore(self):
        return self.command("SINTERSTORE", self.key(), *self._set_keys(1, 3))

    def gen_sunionstore(self):
        return self.command("SUNIONSTORE", self.key(), *self._set_keys(1, 3))

    def gen_sdiffstore(self):
        return self.command("SDIFFSTORE", self.key(), *self._set_keys(1, 3))

    def gen_sintercard(self):
        rng = self.rng
        keys = self._set_keys(1, 4)
        roll = rng.random()
        if roll < 0.8:
            numkeys = str(len(keys)).encode()
        else:
            numkeys = rng.choice([b"0", b"-1", b"x", str(len(keys) + 1).encode(), b"1",
                                  str(LLONG_MAX).encode(), b""])
        options = []
        if rng.random() < 0.4:
            options = [self.cased("LIMIT"),
                       rng.choice([b"0", b"1", b"2", b"5", b"-1", b"x", str(LLONG_MAX).encode()])]
        elif rng.random() < 0.05:
            options = [self.cased(rng.choice(["LIMIT", "FOO"]))]
        return self.command("SINTERCARD", numkeys, *keys, *options)

    def gen_sscan(self):
        from generator import Command, ScanIteration
        rng = self.rng
        key = self.key()
        if rng.random() < 0.08:
            cursor = rng.choice([b"x", b" 0", b"1.5", b"18446744073709551616", b"-"])
            return Command("SSCAN", [self.cased("SSCAN"), key, cursor])
        options = []
        for _ in range(rng.choice([0, 1, 1, 2])):
            roll = rng.random()
            if roll < 0.45:
                options += [self.cased("MATCH"),
                            rng.choice([b"*", b"m1*", b"?", b"[a-c]", b"*\x00*", b"-*", b"1*",
                                        b"", b"\\*"])]
            elif roll < 0.9:
                options += [self.cased("COUNT"),
                            rng.choice([b"1", b"3", b"10", b"1000", b"0", b"-1", b"x"])]
            else:
                options += [self.cased(rng.choice(["TYPE", "FOO"])), b"set"]
        cursor = rng.choice([b"0", b"0", b"", b"00"])
        return ScanIteration([self.cased("SSCAN"), key, cursor] + options, name="SSCAN",
                             cursor_index=2)
