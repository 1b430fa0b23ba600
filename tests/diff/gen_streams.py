"""Stream commands for the differential generator (a mixin of generator.Generator).

IDs are mostly explicit and small (ms 0..~60, seq 0..3), so both servers assign the same IDs
and every reply compares byte for byte. Per key name the generator remembers a rough "top
millisecond" so that most XADDs succeed; the rest probe the "equal or smaller" errors.

Automatic IDs ("*") are wall-clock times that differ between the two servers, so an XADD with
"*" is always followed by a DEL of that key (a queued step, nothing in between): the reply is
checked by the xadd-auto-id rule and the key never diverges. "<ms>-*" is deterministic.

Times: consumer seen/active times and delivery times come from each server's clock. Idle
thresholds (XCLAIM / XAUTOCLAIM min-idle-time, XPENDING IDLE) are 0 or one hour, and the idle
times XCLAIM sets (IDLE, TIME) are either near zero or days, so whether an entry qualifies
never depends on how fast the servers run; the idle and time fields themselves are compared
with a tolerance (rules.py, streams block).

BLOCK is only sent with a timeout the parser refuses: the oracle would really block, and
ringdb does not block yet.
"""
STREAM_COMMANDS = ["XADD", "XRANGE", "XREVRANGE", "XLEN", "XDEL", "XTRIM", "XREAD", "XGROUP",
                   "XREADGROUP", "XACK", "XPENDING", "XCLAIM", "XAUTOCLAIM", "XINFO", "XSETID"]

STREAM_ARITY = {
    "XADD": -5, "XRANGE": -4, "XREVRANGE": -4, "XLEN": 2, "XDEL": -3, "XTRIM": -4,
    "XREAD": -4, "XGROUP": -2, "XREADGROUP": -7, "XACK": -4, "XPENDING": -3, "XCLAIM": -6,
    "XAUTOCLAIM": -6, "XINFO": -2, "XSETID": -3,
}

STREAM_WEIGHTS = {
    "XADD": 3.0, "XRANGE": 1.0, "XREVRANGE": 0.6, "XLEN": 0.5, "XDEL": 0.8, "XTRIM": 0.6,
    "XREAD": 1.0, "XGROUP": 1.2, "XREADGROUP": 1.5, "XACK": 0.8, "XPENDING": 1.0,
    "XCLAIM": 0.8, "XAUTOCLAIM": 0.8, "XINFO": 1.0, "XSETID": 0.4,
    # A few generic commands, so keys move, vanish and change type under the streams.
    "DEL": 0.2, "EXISTS": 0.1, "TYPE": 0.1, "SET": 0.1, "RENAME": 0.05, "COPY": 0.05,
    "SELECT": 0.1, "OBJECT": 0.05,
}

STREAM_KEYS = [b"k1", b"k2", b"bin\x00key"]
# The subcommand label of the XGROUP CREATECONSUMER that follows each XREADGROUP.
CREATECONSUMER_AFTER_READ = "CREATECONSUMER-AFTER-READ"
GROUPS = [b"g1", b"g2", b"g1", b"", b"grp\x00x"]
CONSUMERS = [b"alice", b"bob", b"alice", b"carol", b"", b"c\r\nd"]
FIELDS = [b"f", b"f", b"g", b"name", b"", b"a\x00b", b"12", b"-1"]

# Thresholds and idle times, far apart from the seconds a run takes (see module comment).
HOUR_MS = 3_600_000
MIN_IDLE = [b"0", b"0", str(HOUR_MS).encode(), b"-5"]
SET_IDLE = [b"0", b"10", str(2 * 24 * HOUR_MS).encode(), b"100000000000"]


class StreamGeneratorMixin:
    """gen_x* methods; uses Generator's rng, key(), value(), cased(), command()."""

    # ---------------------------------------------------------------- building blocks
    def _stream_top(self, key):
        tops = self.__dict__.setdefault("_stream_tops", {})
        return tops.get(key, 0)

    def _stream_raise(self, key, ms):
        tops = self.__dict__.setdefault("_stream_tops", {})
        tops[key] = max(tops.get(key, 0), ms)
        tops[None] = max(tops.get(None, 0), ms)  # Every key's, for XSETID.

    def _stream_raise_text(self, key, text):
        """Raises the key's top to the ms part of an ID argument, when it has one."""
        head = text.split(b"-", 1)[0].strip().lstrip(b"+")
        if head.isdigit():
            self._stream_raise(key, int(head))

    def _xqueue(self, step):
        self.__dict__.setdefault("queued_steps", []).append(step)

    def _xsync_consumer(self, key, group, consumer):
        """Redis 7.2 creates the consumer XREADGROUP, XCLAIM and XAUTOCLAIM name even when
        they deliver or claim nothing; 7.0 only when they do. A queued XGROUP CREATECONSUMER
        gives both servers the consumer (rules.py, streams block)."""
        self._xqueue(self.command("XGROUP", self.cased("CREATECONSUMER"), key, group, consumer,
                                  subcommand=CREATECONSUMER_AFTER_READ))

    def stream_id(self, key=None, strict=True):
        """An ID argument: mostly near the key's top, sometimes an edge or a bad spelling."""
        rng = self.rng
        roll = rng.random()
        top = self._stream_top(key) if key is not None else 5
        if roll < 0.75:
            ms = max(0, top + rng.randint(-3, 2))
            if rng.random() < 0.3:
                return str(ms).encode()
            return ("%d-%d" % (ms, rng.randint(0, 3))).encode()
        if roll < 0.85 and not strict:
            return rng.choice([b"-", b"+", b"(1-0", b"(5", b"(-", b"(+", b"(" + str(top).encode()])
        return rng.choice([
            b"0-0", b"0-1", b"0", b"18446744073709551615-18446744073709551615",
            b"18446744073709551615", b"18446744073709551616-0", b"1-18446744073709551616",
            b"abc", b"", b"1-", b"-1", b"1--1", b"+5-1", b" 3-1", b"007-2", b"1.5", b"1-x",
            b"3-1\x00junk", b"x" * 130, b"-", b"+"])

    def xcount_text(self):
        rng = self.rng
        if rng.random() < 0.8:
            return str(rng.randint(0, 5)).encode()
        return rng.choice([b"-1", b"x", b"", b"100", b"9223372036854775807",
                           b"9223372036854775808", b"+2", b"1.5"])

    def stream_key(self):
        """Mostly a few names, so groups, entries and deletions pile up on the same streams."""
        if self.rng.random() < 0.7:
            return self.rng.choice(STREAM_KEYS)
        return self.key()

    def _xfields(self):
        rng = self.rng
        pairs = []
        for _ in range(rng.choice([1, 1, 1, 2, 2, 3])):
            pairs += [rng.choice(FIELDS), self.value() if rng.random() < 0.3 else
                      rng.choice([b"v", b"1", b"hello", b"", b"-7", b"x" * 70])]
        if rng.random() < 0.03:
            pairs.append(b"odd")
        return pairs

    # ---------------------------------------------------------------- XADD / XTRIM
    def _xtrim_options(self, key, xtrim):
        rng = self.rng
        options = []
        if xtrim or rng.random() < 0.3:
            strategy = rng.choice(["MAXLEN", "MAXLEN", "MINID"])
            options.append(self.cased(strategy))
            modifier = rng.random()
            if modifier < 0.3:
                options.append(b"~")
            elif modifier < 0.45:
                options.append(b"=")
            if strategy == "MAXLEN":
                options.append(self.xcount_text() if rng.random() < 0.9 else b"-3")
            else:
                options.append(self.stream_id(key))
            if rng.random() < 0.2:
                options += [self.cased("LIMIT"), self.xcount_text()]
        if rng.random() < 0.03:
            options += [self.cased("LIMIT"), b"2"]
        if rng.random() < 0.03:
            options += [self.cased("MINID"), b"1"]
        return options

    def gen_xadd(self):
        rng = self.rng
        key = self.stream_key()
        args = [key]
        if rng.random() < 0.1:
            args.append(self.cased("NOMKSTREAM"))
        args += self._xtrim_options(key, False)
        roll = rng.random()
        if roll < 0.05:
            # An automatic ID: wall-clock time, checked by a rule; the key is deleted next.
            args += [b"*"] + self._xfields()
            self._xqueue(self.command("DEL", key))
            return self.command("XADD", *args)
        if roll < 0.15:
            ms = self._stream_top(key) + rng.randint(0, 1)
            args.append(("%d-*" % ms).encode())
            self._stream_raise(key, ms)
        elif roll < 0.9:
            ms = self._stream_top(key) + rng.choice([0, 1, 1, 2])
            args.append(("%d-%d" % (ms, rng.randint(0, 3))).encode())
            self._stream_raise(key, ms)
        else:
            args.append(self.stream_id(key))
            self._stream_raise_text(key, args[-1])
        args += self._xfields()
        return self.command("XADD", *args)

    def gen_xtrim(self):
        key = self.stream_key()
        options = self._xtrim_options(key, True)
        if self.rng.random() < 0.05:
            options = [self.cased("FOO"), b"1"]
        return self.command("XTRIM", key, *options)

    # ---------------------------------------------------------------- reading
    def _xrange_args(self, name):
        rng = self.rng
        key = self.stream_key()
        start = self.stream_id(key, strict=False) if rng.random() < 0.7 else b"-"
        end = self.stream_id(key, strict=False) if rng.random() < 0.7 else b"+"
        args = [key, start, end]
        if rng.random() < 0.4:
            args += [self.cased("COUNT"), self.xcount_text()]
        if rng.random() < 0.03:
            args.append(self.cased("COUNT"))
        return self.command(name, *args)

    def gen_xrange(self):
        return self._xrange_args("XRANGE")

    def gen_xrevrange(self):
        return self._xrange_args("XREVRANGE")

    def gen_xlen(self):
        return self.command("XLEN", self.stream_key())

    def gen_xdel(self):
        key = self.stream_key()
        ids = [self.stream_id(key) for _ in range(self.rng.randint(1, 3))]
        return self.command("XDEL", key, *ids)

    def _xread_options(self, group_form):
        rng = self.rng
        options = []
        if rng.random() < 0.5:
            options += [self.cased("COUNT"), self.xcount_text()]
        if rng.random() < 0.04:
            # Only refused timeouts: a valid BLOCK would make the oracle wait.
            options += [self.cased("BLOCK"), rng.choice([b"-1", b"x", b"1.5", b""])]
        if group_form and rng.random() < 0.2:
            options.append(self.cased("NOACK"))
        if not group_form and rng.random() < 0.02:
            options.append(self.cased(rng.choice(["NOACK", "GROUP"])))
        return options

    def gen_xread(self):
        rng = self.rng
        keys = [self.stream_key() for _ in range(rng.choice([1, 1, 2]))]
        ids = [rng.choice([b"$", b"0", b"0-0", self.stream_id(key)]) if rng.random() < 0.9
               else b">" for key in keys]
        args = self._xread_options(False) + [self.cased("STREAMS")] + keys + ids
        if rng.random() < 0.03:
            args.pop()
        return self.command("XREAD", *args)

    def gen_xreadgroup(self):
        rng = self.rng
        keys = [self.stream_key() for _ in range(rng.choice([1, 1, 1, 2]))]
        ids = [b">" if rng.random() < 0.75 else rng.choice([b"0", self.stream_id(key), b"$"])
               for key in keys]
        group = [self.cased("GROUP"), rng.choice(GROUPS), rng.choice(CONSUMERS)]
        options = self._xread_options(True)
        args = group + options if rng.random() < 0.8 else options + group
        if rng.random() < 0.02:
            args = options
        args += [self.cased("STREAMS")] + keys + ids
        if rng.random() < 0.03:
            args.pop()
        elif group[0] in args:
            # Redis 7.2 creates the consumer even when nothing is served, 7.0 only when
            # something is: make sure both servers have it (rules.py, streams block).
            for key in dict.fromkeys(keys):
                self._xsync_consumer(key, group[1], group[2])
        return self.command("XREADGROUP", *args)

    # ---------------------------------------------------------------- groups
    def gen_xgroup(self):
        rng = self.rng
        key = self.stream_key()
        sub = rng.choice(["CREATE", "CREATE", "SETID", "DESTROY", "CREATECONSUMER",
                          "DELCONSUMER", "HELP", "FOO"])
        group = rng.choice(GROUPS)
        if sub == "HELP":
            args = [self.cased(sub)] + ([b"extra"] if rng.random() < 0.1 else [])
        elif sub in ("CREATE", "SETID"):
            group_id = rng.choice([b"$", b"0", self.stream_id(key, strict=sub == "CREATE")])
            args = [self.cased(sub), key, group, group_id]
            if sub == "CREATE" and rng.random() < 0.5:
                args.append(self.cased("MKSTREAM"))
            if rng.random() < 0.2:
                args += [self.cased("ENTRIESREAD"),
                         rng.choice([b"0", b"2", b"-1", b"-2", b"x", b"100"])]
            if rng.random() < 0.03:
                args.append(self.cased(rng.choice(["MKSTREAM", "BOGUS"])))
        elif sub == "DESTROY":
            args = [self.cased(sub), key, group]
        else:
            args = [self.cased(sub), key, group, rng.choice(CONSUMERS)]
        return self.command("XGROUP", *args, subcommand=sub)

    def gen_xack(self):
        key = self.stream_key()
        ids = [self.stream_id(key) for _ in range(self.rng.randint(1, 3))]
        return self.command("XACK", key, self.rng.choice(GROUPS), *ids)

    def gen_xpending(self):
        rng = self.rng
        key = self.stream_key()
        args = [key, rng.choice(GROUPS)]
        if rng.random() < 0.6:
            if rng.random() < 0.3:
                args += [self.cased("IDLE"), rng.choice(MIN_IDLE + [b"x"])]
            args += [self.stream_id(key, strict=False) if rng.random() < 0.5 else b"-",
                     self.stream_id(key, strict=False) if rng.random() < 0.5 else b"+",
                     rng.choice([b"10", b"1", b"0", b"-1", b"x", b"1000"])]
            if rng.random() < 0.4:
                args.append(rng.choice(CONSUMERS))
        elif rng.random() < 0.1:
            args += [b"-", b"+"]
        return self.command("XPENDING", *args)

    def _xclaim_ids(self, key):
        return [self.stream_id(key) if self.rng.random() < 0.8 else b"0-1"
                for _ in range(self.rng.randint(1, 3))]

    def gen_xclaim(self):
        rng = self.rng
        key = self.stream_key()
        args = [key, rng.choice(GROUPS), rng.choice(CONSUMERS),
                rng.choice(MIN_IDLE + [b"x"]) if rng.random() < 0.97 else b"x"]
        args += self._xclaim_ids(key)
        options = []
        if rng.random() < 0.3:
            options += [self.cased("IDLE"), rng.choice(SET_IDLE + [b"-5", b"x"])]
        if rng.random() < 0.15:
            options += [self.cased("TIME"), rng.choice([b"1000", b"99999999999999", b"-1", b"x"])]
        if rng.random() < 0.2:
            options += [self.cased("RETRYCOUNT"), rng.choice([b"0", b"5", b"-1", b"x"])]
        if rng.random() < 0.2:
            options.append(self.cased("FORCE"))
        if rng.random() < 0.3:
            options.append(self.cased("JUSTID"))
        if rng.random() < 0.1:
            options += [self.cased("LASTID"), self.stream_id(key)]
        if rng.random() < 0.03:
            options.append(self.cased("BOGUS"))
        self._xsync_consumer(key, args[1], args[2])
        return self.command("XCLAIM", *(args + options))

    def gen_xautoclaim(self):
        rng = self.rng
        key = self.stream_key()
        args = [key, rng.choice(GROUPS), rng.choice(CONSUMERS), rng.choice(MIN_IDLE + [b"x"]),
                rng.choice([b"0", b"0-0", b"-", self.stream_id(key, strict=False)])]
        if rng.random() < 0.5:
            args += [self.cased("COUNT"),
                     rng.choice([b"1", b"2", b"10", b"0", b"-1", b"x",
                                 b"576460752303423487", b"576460752303423488",
                                 b"1152921504606846976"])]
        if rng.random() < 0.3:
            args.append(self.cased("JUSTID"))
        if rng.random() < 0.03:
            args.append(self.cased("BOGUS"))
        self._xsync_consumer(key, args[1], args[2])
        return self.command("XAUTOCLAIM", *args)

    def gen_xinfo(self):
        rng = self.rng
        key = self.stream_key()
        sub = rng.choice(["STREAM", "STREAM", "GROUPS", "CONSUMERS", "HELP", "FOO"])
        if sub == "STREAM":
            args = [self.cased(sub), key]
            if rng.random() < 0.4:
                args.append(self.cased("FULL"))
                if rng.random() < 0.4:
                    args += [self.cased("COUNT"), rng.choice([b"0", b"1", b"2", b"-1", b"x"])]
            if rng.random() < 0.03:
                args.append(b"BOGUS")
        elif sub == "GROUPS":
            args = [self.cased(sub), key]
        elif sub == "CONSUMERS":
            args = [self.cased(sub), key, rng.choice(GROUPS)]
        elif sub == "HELP":
            args = [self.cased(sub)]
        else:
            args = [self.cased(sub), key]
        return self.command("XINFO", *args, subcommand=sub)

    def gen_xsetid(self):
        # The new last ID is above every ID this stream ever used: Redis 7.0.15 lacks 7.2's
        # check against the stream's max_deleted_entry_id, so a lower one could be accepted
        # by the oracle alone (the unit tests cover the errors of lower IDs).
        rng = self.rng
        key = self.stream_key()
        top = self._stream_top(None) + rng.randint(1, 3)
        self._stream_raise(key, top)
        args = [key, ("%d-%d" % (top, rng.randint(0, 3))).encode()]
        if rng.random() < 0.3:
            args += [self.cased("ENTRIESADDED"), rng.choice([b"0", b"3", b"100", b"-1", b"x"])]
        if rng.random() < 0.3:
            args += [self.cased("MAXDELETEDID"), self.stream_id(key)]
        if rng.random() < 0.03:
            args.append(self.cased("BOGUS"))
        return self.command("XSETID", *args)
