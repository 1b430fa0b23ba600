"""The hash family's command generators (a mixin of generator.Generator).

Hashes are kept small on purpose: most stay listpack-encoded, whose replies (HGETALL, HKEYS,
HVALS, HSCAN, HRANDFIELD with a count at least the size) come back in insertion order and are
compared byte for byte. The first hash command of every stream is replaced by a CONFIG SET of
small, seed-chosen hash-max-listpack-entries / hash-max-listpack-value limits, so hashes
cross both conversion thresholds (by count and by length) often, and every stream is
self-contained whatever a previous stream configured. Later CONFIG SETs change the limits
mid-stream (conversion is one-way: lowering them converts nothing already stored).

Fields and values include the empty string, NUL, CR LF, high bytes, canonical and
non-canonical integers (a listpack stores canonical ones as integers), integers at the int64
limits for HINCRBY, and floats for HINCRBYFLOAT.
"""

LLONG_MAX = (1 << 63) - 1
LLONG_MIN = -(1 << 63)

HASH_ARITY = {
    "HSET": -4, "HSETNX": 4, "HGET": 3, "HMGET": -3, "HMSET": -4, "HDEL": -3, "HEXISTS": 3,
    "HLEN": 2, "HSTRLEN": 3, "HKEYS": 2, "HVALS": 2, "HGETALL": 2, "HINCRBY": 4,
    "HINCRBYFLOAT": 4, "HRANDFIELD": -2, "HSCAN": -3,
}
HASH_COMMANDS = ["HSET", "HSETNX", "HGET", "HMGET", "HMSET", "HDEL", "HEXISTS", "HLEN", "HSTRLEN",
                 "HKEYS", "HVALS", "HGETALL", "HINCRBY", "HINCRBYFLOAT", "HRANDFIELD", "HSCAN",
                 "CONFIG"]
# The hashes family: its commands, plus generic and string commands that meet hashes (type
# errors, COPY/RENAME of a hash and writes after them, expiry, OBJECT ENCODING).
HASH_FAMILY_WEIGHTS = {
    **{c: 1.0 for c in HASH_COMMANDS},
    "HSET": 2.5, "HDEL": 1.5, "HGETALL": 1.5, "HINCRBY": 1.2, "CONFIG": 0.5,
    **{c: 0.3 for c in ["SET", "GET", "DEL", "EXISTS", "TYPE", "COPY", "RENAME", "EXPIRE",
                        "PERSIST", "TTL", "SELECT", "INCR", "APPEND", "SCAN", "KEYS"]},
    "OBJECT": 0.8, "FLUSHDB": 0.02, "SWAPDB": 0.05, "MOVE": 0.2,
}

FIELD_POOL = [b"f1", b"f2", b"f3", b"f4", b"f5", b"name", b"", b"0", b"1", b"-1", b"007",
              b"123", b"9223372036854775807", b"-9223372036854775808", b"9223372036854775808",
              b"12345678901234567890123", b"bin\x00f", b"crlf\r\nf", b"\xff\xfe", b"f*", b"f?",
              b"[f]", b"F1", b"1.5", b" 1"]


class HashGeneratorMixin:
    """gen_<command> methods for the hash family; uses Generator's building blocks."""

    _hash_limits_sent = False
    # hash-max-listpack-entries as the last CONFIG SET left it. One HSET/HMSET never carries
    # more pairs than this: Redis 7.2 converts such a hash even when the pairs repeat a field
    # and 7.0.15 does not (rules.REDIS_72_DIFFERENCES). CONFIG has no ARITY entry, so it is
    # never mutated into a wrong-arity call and always takes effect.
    _hash_entries_limit = 512

    # ------------------------------------------------------------------ building blocks
    def hash_field(self):
        rng = self.rng
        roll = rng.random()
        if roll < 0.9:
            return rng.choice(FIELD_POOL)
        if roll < 0.95:
            return b"field-" + str(rng.randrange(40)).encode()
        # Around the length limits the stream configured (up to Redis's default 64).
        return rng.choice([b"L", b"\x00"]) * rng.choice([4, 8, 9, 16, 17, 64, 65, 100])

    def hash_value(self):
        rng = self.rng
        roll = rng.random()
        if roll < 0.35:
            return rng.choice([b"v", b"", b"hello", b"a b", b"\x00", b"\r\n", b"\xff\xfe\x80",
                               b"$-1\r\n", b"x" * 8, b"y" * 17])
        if roll < 0.65:
            return self.integer_text()
        if roll < 0.8:
            return self.float_text()
        if roll < 0.95:
            return bytes(rng.choice(b"abcdef\x00\r\n") for _ in range(rng.randrange(0, 24)))
        return rng.choice([b"z" * 64, b"z" * 65, b"w" * 200, b"9" * 21])

    def _hash_key(self):
        return self.key()

    def _first_hash_step(self):
        """The stream's first hash command becomes a CONFIG SET of small limits."""
        if self._hash_limits_sent:
            return None
        self._hash_limits_sent = True
        return self._config_limits()

    def _config_limits(self):
        rng = self.rng
        # Mostly limits a stream's hashes reach now and then, so most hashes stay listpacks
        # (compared byte for byte) and some convert; rarely the extremes.
        entries = rng.choice([2, 4, 6, 8, 8, 12, 12, 16, 16, 512, 1])
        value = rng.choice([8, 16, 16, 24, 64, 64, 64, 0])
        self._hash_entries_limit = entries
        return self.command("CONFIG", self.cased("SET"), b"hash-max-listpack-entries",
                            str(entries).encode(), b"hash-max-listpack-value",
                            str(value).encode(), subcommand="SET")

    def _pairs_args(self, low, high):
        args = []
        count = min(self.rng.randint(low, high), max(self._hash_entries_limit, 1))
        for _ in range(count):
            args += [self.hash_field(), self.hash_value()]
        return args

    # ------------------------------------------------------------------ commands
    def gen_config(self):
        self._hash_limits_sent = True
        return self._config_limits()

    def gen_hset(self):
        first = self._first_hash_step()
        if first:
            return first
        args = self._pairs_args(1, 4)
        if self.rng.random() < 0.04:
            args.append(self.hash_field())  # odd: "wrong number of arguments for 'hset'"
        return self.command("HSET", self._hash_key(), *args)

    def gen_hmset(self):
        first = self._first_hash_step()
        if first:
            return first
        args = self._pairs_args(1, 3)
        if self.rng.random() < 0.05:
            args.append(self.hash_field())
        return self.command("HMSET", self._hash_key(), *args)

    def gen_hsetnx(self):
        first = self._first_hash_step()
        if first:
            return first
        return self.command("HSETNX", self._hash_key(), self.hash_field(), self.hash_value())

    def gen_hget(self):
        return self.command("HGET", self._hash_key(), self.hash_field())

    def gen_hmget(self):
        fields = [self.hash_field() for _ in range(self.rng.randint(1, 5))]
        return self.command("HMGET", self._hash_key(), *fields)

    def gen_hdel(self):
        fields = [self.hash_field() for _ in range(self.rng.randint(1, 4))]
        return self.command("HDEL", self._hash_key(), *fields)

    def gen_hexists(self):
        return self.command("HEXISTS", self._hash_key(), self.hash_field())

    def gen_hlen(self):
        return self.command("HLEN", self._hash_key())

    def gen_hstrlen(self):
        return self.command("HSTRLEN", self._hash_key(), self.hash_field())

    def gen_hkeys(self):
        return self.command("HKEYS", self._hash_key())

    def gen_hvals(self):
        return self.command("HVALS", self._hash_key())

    def gen_hgetall(self):
        return self.command("HGETALL", self._hash_key())

    def gen_hincrby(self):
        first = self._first_hash_step()
        if first:
            return first
        rng = self.rng
        if rng.random() < 0.6:
            increment = str(rng.randint(-100, 100)).encode()
        else:
            increment = self.integer_text()
        return self.command("HINCRBY", self._hash_key(), self.hash_field(), increment)

    def gen_hincrbyfloat(self):
        first = self._first_hash_step()
        if first:
            return first
        increment = self.float_text() if self.rng.random() < 0.8 else self.integer_text()
        return self.command("HINCRBYFLOAT", self._hash_key(), self.hash_field(), increment)

    def gen_hrandfield(self):
        rng = self.rng
        key = self._hash_key()
        roll = rng.random()
        if roll < 0.2:
            return self.command("HRANDFIELD", key)
        if roll < 0.85:
            count = str(rng.choice([0, 1, 2, 3, 5, 8, 20, -1, -2, -5, -20])).encode()
        else:
            count = rng.choice([b"x", b"", b"1.5", str(LLONG_MAX).encode(),
                                str(LLONG_MIN).encode(), str(LLONG_MIN + 1).encode(),
                                str(LLONG_MAX // 2).encode(), str(LLONG_MAX // 2 + 1).encode(),
                                str(-(LLONG_MAX // 2) - 1).encode(), b"-0", b"+3"])
        args = [count]
        roll = rng.random()
        if count.startswith(b"-") and len(count) > 4:
            # A huge negative count must be refused (WITHVALUES past LLONG_MAX / 2, or
            # LLONG_MIN): accepted, it would make both servers write exabytes.
            args.append(self.cased("WITHVALUES"))
        elif roll < 0.5:
            args.append(self.cased("WITHVALUES"))
        elif roll < 0.55:
            args.append(self.cased(rng.choice(["WITHVALUE", "FOO"])))
        elif roll < 0.58:
            args += [self.cased("WITHVALUES"), b"extra"]
        return self.command("HRANDFIELD", key, *args)

    def gen_hscan(self):
        rng = self.rng
        if rng.random() < 0.1:
            cursor = rng.choice([b"x", b" 0", b"1.5", b"18446744073709551616", b"-"])
        else:
            # Other cursors are positions in each server's own table (see rules.py).
            cursor = rng.choice([b"0", b"0", b"", b"+0", b"00"])
        options = []
        for _ in range(rng.choice([0, 0, 1, 1, 2])):
            roll = rng.random()
            if roll < 0.45:
                options += [self.cased("MATCH"),
                            rng.choice([b"*", b"f*", b"f?", b"*1*", b"[a-f]*", b"", b"\\f*",
                                        b"*\x00*", b"bin*", b"[", b"*e"])]
            elif roll < 0.85:
                options += [self.cased("COUNT"),
                            rng.choice([b"1", b"2", b"10", b"1000", b"0", b"-1", b"x",
                                        str(LLONG_MAX).encode()])]
            else:
                options.append(self.cased(rng.choice(["MATCH", "COUNT", "TYPE", "NOVALUES"])))
                if rng.random() < 0.5:
                    options.append(b"hash")
        return self.command("HSCAN", self._hash_key(), cursor, *options)
