"""The blocking family of the differential generator: BLPOP BRPOP BLMPOP BLMOVE BRPOPLPUSH
BZPOPMIN BZPOPMAX BZMPOP and XREAD BLOCK, only in forms whose outcome cannot be a wait (the
harness has one connection per server, and a wait would be a race against the timer):

  - a push (RPUSH / ZADD) to the first key just before, so the command finds data there, or
    WRONGTYPE when the key holds another type (which the blocking command then replies too);
  - inside MULTI ... EXEC, where nothing blocks and an empty result is the timeout's null
    (lists and streams only: EXEC's array is compared byte for byte, and 7.0.15 writes
    scores differently, which rules.py rewrites per command only);
  - with a bad timeout, rejected before any key is looked at.

Timeouts are a few milliseconds: should a step before fail (a mutated arity, a MULTI that
became an error), the command waits that long and both servers reply the null of a timeout.
"""

BLOCKING_ARITY = {
    "BLPOP": -3, "BRPOP": -3, "BLMPOP": -5, "BLMOVE": 6, "BRPOPLPUSH": 4, "BZPOPMIN": -3,
    "BZPOPMAX": -3, "BZMPOP": -5,
}
BLOCKING_COMMANDS = list(BLOCKING_ARITY)

BLOCKING_FAMILY = {
    **{c: 1.0 for c in BLOCKING_COMMANDS},
    "XREAD_BLOCK": 0.6,
    **{c: 0.5 for c in ["LPUSH", "RPUSH", "LRANGE", "LLEN", "ZADD", "ZRANGE", "ZCARD", "XADD",
                        "XLEN"]},
    **{c: 0.15 for c in ["SET", "DEL", "TYPE", "EXISTS"]},
    # Only ever sent around the blocking commands (never drawn on their own).
    **{c: 0.0 for c in ["MULTI", "EXEC", "XREAD"]},
}
# What the blocking commands add to a family that draws them (the "all" family).
BLOCKING_COMPANIONS = {"MULTI": 0.0, "EXEC": 0.0}

# Not "inf" nor "1e400": 7.0.15 calls them negative, 7.2 out of range (rules.py).
BAD_TIMEOUTS = [b"x", b"-1", b"-0.5", b"nan", b"-inf", b"", b"1e5000", b"1 "]


class BlockingMixin:
    """gen_* methods for the blocking commands; mixed into generator.Generator."""

    def _bqueue(self, *steps):
        self.__dict__.setdefault("queued_steps", []).extend(steps)

    def blocking_timeout(self):
        rng = self.rng
        if rng.random() < 0.05:
            return rng.choice(BAD_TIMEOUTS)
        # Short: a step whose push failed (a mutated arity) may wait, and must not for long.
        # At least 1 ms after 7.0's truncation too (7.2 rounds up): "0.001" may be 0.999...
        # there, which is 0, for ever.
        return rng.choice([b"0.0015", b"0.0105", b"0.0055", b"1.5e-3", b"0.0025"])

    def _non_blocking(self, prepare, step, in_multi=0.35):
        """`step` after `prepare` (a push to its first key), or inside MULTI ... EXEC."""
        if self.rng.random() < in_multi:
            self._bqueue(step, self.command("EXEC"))
            return self.command("MULTI")
        self._bqueue(step)
        return prepare

    def _bpush(self, key):
        elements = [self.list_element() for _ in range(self.rng.choice([1, 2, 3]))]
        return self.command("RPUSH", key, *elements)

    def _bzadd(self, key):
        pairs = []
        count = self.rng.choice([1, 2, 3])
        for _ in range(count):
            score = self.zscore(valid=1.0)
            # -0 only in single-pair ZADDs (rules.py ZSET_CREATE_72, as gen_zsets does).
            pairs += [b"-0.5" if score == b"-0" and count > 1 else score, self.zmember()]
        return self.command("ZADD", key, *pairs)

    def _bpop(self, name):
        keys = [self.list_key() for _ in range(self.rng.choice([1, 1, 2, 3]))]
        step = self.command(name, *keys, self.blocking_timeout())
        return self._non_blocking(self._bpush(keys[0]), step)

    def gen_blpop(self):
        return self._bpop("BLPOP")

    def gen_brpop(self):
        return self._bpop("BRPOP")

    def gen_blmpop(self):
        rng = self.rng
        keys = [self.list_key() for _ in range(rng.choice([1, 1, 2, 3]))]
        args = [self.blocking_timeout(), str(len(keys)).encode(), *keys, self.list_side()]
        if rng.random() < 0.5:
            args += [self.cased("COUNT"), self.list_count()]
        if rng.random() < 0.03:
            args[1] = rng.choice([b"0", b"-1", b"x", b"9"])
        return self._non_blocking(self._bpush(keys[0]), self.command("BLMPOP", *args))

    def gen_blmove(self):
        source, destination = self.list_key(), self.list_key()
        step = self.command("BLMOVE", source, destination, self.list_side(), self.list_side(),
                            self.blocking_timeout())
        return self._non_blocking(self._bpush(source), step)

    def gen_brpoplpush(self):
        source, destination = self.list_key(), self.list_key()
        step = self.command("BRPOPLPUSH", source, destination, self.blocking_timeout())
        return self._non_blocking(self._bpush(source), step)

    def _bzpop(self, name):
        keys = [self.zkey() for _ in range(self.rng.choice([1, 1, 2]))]
        step = self.command(name, *keys, self.blocking_timeout())
        return self._non_blocking(self._bzadd(keys[0]), step, in_multi=0)

    def gen_bzpopmin(self):
        return self._bzpop("BZPOPMIN")

    def gen_bzpopmax(self):
        return self._bzpop("BZPOPMAX")

    def gen_bzmpop(self):
        rng = self.rng
        keys = [self.zkey() for _ in range(rng.choice([1, 1, 2]))]
        where = self.cased(rng.choice(["MIN", "MAX"])) if rng.random() < 0.97 else b"LEFT"
        args = [self.blocking_timeout(), str(len(keys)).encode(), *keys, where]
        if rng.random() < 0.5:
            args += [self.cased("COUNT"), self.list_count()]
        return self._non_blocking(self._bzadd(keys[0]), self.command("BZMPOP", *args), in_multi=0)

    def gen_xread_block(self):
        """XREAD BLOCK inside MULTI only: outside, "$" always waits."""
        rng = self.rng
        keys = [self.stream_key() for _ in range(rng.choice([1, 1, 2]))]
        ids = [rng.choice([b"$", b"0", b"0-0"]) for _ in keys]
        timeout = rng.choice([b"1", b"10"]) if rng.random() < 0.95 else b"-1"
        args = [self.cased("BLOCK"), timeout]
        if rng.random() < 0.4:
            args = [self.cased("COUNT"), b"2"] + args
        step = self.command("XREAD", *args, self.cased("STREAMS"), *keys, *ids)
        self._bqueue(step, self.command("EXEC"))
        return self.command("MULTI")
