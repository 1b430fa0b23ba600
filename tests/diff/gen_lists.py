"""The list family of the differential generator: LPUSH ... LMPOP with valid and invalid inputs.

Elements come mostly from a small pool (so LREM, LPOS and LINSERT find what they look for, and
integers, non-canonical integers and binary bytes mix in one list), sometimes from the shared
value generator, and rarely as 9000-byte strings that force the big encoding (and a node of
their own) under the default list-max-listpack-size. The lists family also changes
list-max-listpack-size now and then (CONFIG_LIST) so that node splits, merges and conversions
happen under small limits too; replies must not depend on the encoding.
"""

LLONG_MAX = (1 << 63) - 1
LLONG_MIN = -(1 << 63)

LIST_ARITY = {
    "LPUSH": -3, "RPUSH": -3, "LPUSHX": -3, "RPUSHX": -3, "LPOP": -2, "RPOP": -2, "LLEN": 2,
    "LRANGE": 4, "LINDEX": 3, "LSET": 4, "LINSERT": 5, "LREM": 4, "LTRIM": 4, "LPOS": -3,
    "LMOVE": 5, "RPOPLPUSH": 3, "LMPOP": -4,
}
LIST_COMMANDS = list(LIST_ARITY)

# The lists family: every list command, some generic commands on the same keys (WRONGTYPE,
# copies, renames, expiry), strings to collide with, and rare changes of the node limit.
LIST_FAMILY = {
    **{c: 1.0 for c in LIST_COMMANDS},
    **{c: 0.15 for c in ["SET", "GET", "DEL", "EXISTS", "TYPE", "COPY", "RENAME", "OBJECT",
                         "EXPIRE", "PERSIST", "SELECT", "DBSIZE"]},
    "FLUSHDB": 0.02,
    "CONFIG_LIST": 0.05,
}

ELEMENT_POOL = [b"a", b"b", b"c", b"1", b"2", b"-1", b"007", b"", b"a\x00b", b"\r\n", b"x" * 70,
                b"9223372036854775807", b"-9223372036854775808", b"12345678901234567890"]
# Keys that collect list elements (the rest of KEY_POOL still appears, for collisions).
LIST_KEYS = [b"k1", b"k2", b"k3", b"bin\x00key", b""]


class ListsMixin:
    """gen_* methods for the list commands; mixed into generator.Generator."""

    def list_key(self):
        rng = self.rng
        if rng.random() < 0.8:
            return rng.choice(LIST_KEYS)
        return self.key()

    def list_element(self):
        rng = self.rng
        roll = rng.random()
        if roll < 0.7:
            return rng.choice(ELEMENT_POOL)
        if roll < 0.97:
            return self.value()
        return bytes([rng.choice(b"LMN")]) * 9000

    def list_index(self):
        rng = self.rng
        if rng.random() < 0.8:
            return str(rng.randint(-12, 12)).encode()
        return self.index_text()

    def list_count(self):
        rng = self.rng
        if rng.random() < 0.8:
            return str(rng.choice([0, 1, 1, 2, 3, 5, 100])).encode()
        return rng.choice([b"-1", b"x", b"", b"1.5", str(LLONG_MAX).encode(),
                           str(LLONG_MIN).encode(), str(LLONG_MAX + 1).encode(), b"+1", b"01"])

    def list_side(self):
        rng = self.rng
        if rng.random() < 0.97:
            return self.cased(rng.choice(["LEFT", "RIGHT"]))
        return rng.choice([b"UP", b"", b"LEFTX"])

    def _push(self, name):
        elements = [self.list_element() for _ in range(self.rng.choice([1, 1, 2, 3, 6]))]
        return self.command(name, self.list_key(), *elements)

    def gen_lpush(self):
        return self._push("LPUSH")

    def gen_rpush(self):
        return self._push("RPUSH")

    def gen_lpushx(self):
        return self._push("LPUSHX")

    def gen_rpushx(self):
        return self._push("RPUSHX")

    def _pop(self, name):
        args = [self.list_key()]
        roll = self.rng.random()
        if roll < 0.5:
            args.append(self.list_count())
        elif roll < 0.53:
            args += [b"1", b"2"]
        return self.command(name, *args)

    def gen_lpop(self):
        return self._pop("LPOP")

    def gen_rpop(self):
        return self._pop("RPOP")

    def gen_llen(self):
        return self.command("LLEN", self.list_key())

    def gen_lrange(self):
        return self.command("LRANGE", self.list_key(), self.list_index(), self.list_index())

    def gen_lindex(self):
        return self.command("LINDEX", self.list_key(), self.list_index())

    def gen_lset(self):
        return self.command("LSET", self.list_key(), self.list_index(), self.list_element())

    def gen_linsert(self):
        rng = self.rng
        where = self.cased(rng.choice(["BEFORE", "AFTER"])) if rng.random() < 0.95 else b"AT"
        return self.command("LINSERT", self.list_key(), where, self.list_element(),
                            self.list_element())

    def gen_lrem(self):
        rng = self.rng
        count = str(rng.randint(-3, 3)).encode() if rng.random() < 0.85 else self.list_count()
        return self.command("LREM", self.list_key(), count, self.list_element())

    def gen_ltrim(self):
        rng = self.rng
        if rng.random() < 0.7:
            # Mostly keep a good part of the list, or lists would never grow.
            start, stop = rng.randint(-3, 2), rng.randint(-2, 20)
            return self.command("LTRIM", self.list_key(), str(start).encode(),
                                str(stop).encode())
        return self.command("LTRIM", self.list_key(), self.list_index(), self.list_index())

    def gen_lpos(self):
        rng = self.rng
        args = [self.list_key(), self.list_element()]
        for _ in range(rng.choice([0, 0, 1, 2, 3, 4])):
            option = rng.choice(["RANK", "COUNT", "MAXLEN", "FOO"])
            if option == "FOO":
                args.append(self.cased("FOO"))
                continue
            args.append(self.cased(option))
            if rng.random() < 0.04:
                continue  # A missing value: a syntax error.
            if option == "RANK":
                value = rng.choice([b"1", b"2", b"-1", b"-2", b"3", b"0", b"x",
                                    str(LLONG_MAX).encode(), str(LLONG_MIN).encode(),
                                    str(LLONG_MIN + 1).encode()])
            else:
                value = rng.choice([b"0", b"1", b"2", b"5", b"-1", b"x"])
            args.append(value)
        return self.command("LPOS", *args)

    def gen_lmove(self):
        return self.command("LMOVE", self.list_key(), self.list_key(), self.list_side(),
                            self.list_side())

    def gen_rpoplpush(self):
        return self.command("RPOPLPUSH", self.list_key(), self.list_key())

    def gen_lmpop(self):
        rng = self.rng
        keys = [self.list_key() for _ in range(rng.randint(1, 4))]
        roll = rng.random()
        if roll < 0.85:
            numkeys = str(len(keys)).encode()
        else:
            numkeys = rng.choice([b"0", b"-1", b"x", str(len(keys) + 1).encode(),
                                  str(LLONG_MAX).encode()])
        args = [numkeys] + keys + [self.list_side()]
        roll = rng.random()
        if roll < 0.5:
            args += [self.cased("COUNT"), self.list_count()]
        elif roll < 0.55:
            args += [self.cased("COUNT"), b"1", self.cased("COUNT"), b"2"]
        elif roll < 0.58:
            args.append(self.cased("COUNT"))
        return self.command("LMPOP", *args)

    def gen_config_list(self):
        """CONFIG SET list-max-listpack-size: small limits make conversions and node splits
        frequent; both servers get the same value."""
        from generator import Command  # generator imports this module: import at call time.
        value = self.rng.choice([b"-2", b"-1", b"1", b"2", b"4", b"-2"])
        args = [self.cased("CONFIG"), self.cased("SET"), b"list-max-listpack-size", value]
        return Command("CONFIG_LIST", args)
