"""Sorted-set command generators (mixed into generator.Generator).

Keys come from the shared KEY_POOL, so zsets collide with strings (WRONGTYPE) and with each
other (ZUNIONSTORE into a key another command reads). Lex ranges are only asked of LEX_KEYS,
which only ever receive score-0 members: Redis leaves lex ranges over mixed scores undefined,
and over a skiplist their answer then depends on the random node levels.

Members cross Redis's encoding limits both ways: 64/65-byte members (zset-max-listpack-value)
and bulk ZADDs of up to 150 members (zset-max-listpack-entries 128). Scores include the
integers, fractions, infinities, hexadecimal and exponent forms strtod accepts, NaN and the
texts Redis refuses.
"""

LLONG_MAX = (1 << 63) - 1
LLONG_MIN = -(1 << 63)

LEX_KEYS = [b"zlex1", b"zlex2"]

ZSET_COMMANDS = ["ZADD", "ZINCRBY", "ZREM", "ZCARD", "ZSCORE", "ZMSCORE", "ZRANK", "ZREVRANK",
                 "ZCOUNT", "ZLEXCOUNT", "ZRANGE", "ZRANGESTORE", "ZRANGEBYSCORE",
                 "ZREVRANGEBYSCORE", "ZRANGEBYLEX", "ZREVRANGEBYLEX", "ZREVRANGE",
                 "ZREMRANGEBYRANK", "ZREMRANGEBYSCORE", "ZREMRANGEBYLEX", "ZPOPMIN", "ZPOPMAX",
                 "ZMPOP", "ZRANDMEMBER", "ZUNION", "ZINTER", "ZDIFF", "ZUNIONSTORE",
                 "ZINTERSTORE", "ZDIFFSTORE", "ZINTERCARD", "ZSCAN"]

ZSET_ARITY = {
    "ZADD": -4, "ZINCRBY": 4, "ZREM": -3, "ZCARD": 2, "ZSCORE": 3, "ZMSCORE": -3, "ZRANK": -3,
    "ZREVRANK": -3, "ZCOUNT": 4, "ZLEXCOUNT": 4, "ZRANGE": -4, "ZRANGESTORE": -5,
    "ZRANGEBYSCORE": -4, "ZREVRANGEBYSCORE": -4, "ZRANGEBYLEX": -4, "ZREVRANGEBYLEX": -4,
    "ZREVRANGE": -4, "ZREMRANGEBYRANK": 4, "ZREMRANGEBYSCORE": 4, "ZREMRANGEBYLEX": 4,
    "ZPOPMIN": -2, "ZPOPMAX": -2, "ZMPOP": -4, "ZRANDMEMBER": -2, "ZUNION": -3, "ZINTER": -3,
    "ZDIFF": -3, "ZUNIONSTORE": -4, "ZINTERSTORE": -4, "ZDIFFSTORE": -4, "ZINTERCARD": -3,
    "ZSCAN": -3,
}

# Weights inside the zsets family: writes often enough that reads find data.
ZSET_WEIGHTS = {**{c: 1.0 for c in ZSET_COMMANDS}, "ZADD": 4.0, "ZINCRBY": 1.5,
                **{c: 0.3 for c in ["SET", "DEL", "EXISTS", "TYPE", "OBJECT", "SELECT"]}}


class ZsetGenerators:
    """gen_z* methods; needs the Generator's rng, command, cased, key, keys, value."""

    # ------------------------------------------------------------------ building blocks
    def zkey(self):
        return self.key()

    def zmember(self):
        rng = self.rng
        roll = rng.random()
        if roll < 0.55:
            return rng.choice([b"a", b"b", b"c", b"d", b"e", b"f", b"g", b"h"])
        if roll < 0.7:
            return rng.choice([b"1", b"2", b"10", b"-5", b"007", b"1.5", b"0",
                               str(LLONG_MAX).encode(), str(LLONG_MIN).encode()])
        if roll < 0.8:
            return rng.choice([b"", b"\x00", b"a\x00b", b"a\r\nb", b"\xff\xfe", b"A", b"aa"])
        if roll < 0.9:
            # Either side of zset-max-listpack-value (64).
            return rng.choice([b"m" * 64, b"n" * 65, b"p" * 200])
        return b"m%d" % rng.randrange(200)

    def zscore(self, valid=0.93):
        rng = self.rng
        if rng.random() < valid:
            roll = rng.random()
            if roll < 0.5:
                return str(rng.randint(-10, 10)).encode()
            if roll < 0.7:
                return rng.choice([b"0.5", b"1.5", b"-2.25", b"0.1", b"3.14159", b"-0",
                                   b"1e17", b"123456.789", b"1e-7", b"2.5e-5"])
            if roll < 0.85:
                return rng.choice([b"inf", b"-inf", b"+inf", b"Infinity", b"-INF"])
            return rng.choice([b"0x10", b"1e308", b"-1e308", b"9007199254740993",
                               str(LLONG_MAX).encode(), b"4611686018427387904", b"1.0",
                               b"5e-324", b"+3"])
        return rng.choice([b"nan", b"NaN", b"abc", b"", b" 1", b"1 ", b"1e400", b"1,5",
                           b"1\x00"])

    def zrange_bound(self):
        rng = self.rng
        roll = rng.random()
        if roll < 0.6:
            value = str(rng.randint(-10, 10)).encode()
            return (b"(" + value) if rng.random() < 0.3 else value
        if roll < 0.8:
            return rng.choice([b"-inf", b"+inf", b"inf", b"(-inf", b"(+inf", b"(1.5", b"2.5"])
        return rng.choice([b"nan", b"(nan", b"x", b"", b"(", b" 1", b"1 ", b"0x10", b"(("])

    def zlex_bound(self):
        rng = self.rng
        if rng.random() < 0.85:
            return rng.choice([b"-", b"+", b"[a", b"(a", b"[c", b"(c", b"[e", b"(g", b"[",
                               b"(", b"[aa", b"[\xff", b"[m"])
        return rng.choice([b"a", b"", b"++", b"-a", b"{a", b"+\x00", b"[a\x00"])

    def zindex(self):
        rng = self.rng
        if rng.random() < 0.85:
            return str(rng.randint(-12, 12)).encode()
        return rng.choice([str(LLONG_MAX).encode(), str(LLONG_MIN).encode(), b"x", b"1.5",
                           b"", b"-0"])

    def zcount_arg(self):
        rng = self.rng
        if rng.random() < 0.85:
            return str(rng.randint(0, 12)).encode()
        return rng.choice([b"-1", b"x", str(LLONG_MAX).encode(), b"0", b"", b"1.0"])

    # ------------------------------------------------------------------ writes
    def gen_zadd(self):
        rng = self.rng
        if rng.random() < 0.15:
            key = rng.choice(LEX_KEYS)
            members = [self.zmember() for _ in range(rng.randint(1, 6))]
            args = [x for m in members for x in (b"0", m)]
            return self.command("ZADD", key, *args)
        options = []
        for _ in range(rng.choice([0, 0, 0, 1, 1, 2])):
            options.append(self.cased(rng.choice(["NX", "XX", "GT", "LT", "CH", "INCR", "CH"])))
        roll = rng.random()
        if roll < 0.06:
            # Past zset-max-listpack-entries in one call.
            count = rng.randint(100, 150)
            pairs = [x for i in range(count) for x in (str(i % 7).encode(), b"m%d" % i)]
        else:
            pairs = []
            for _ in range(rng.choice([1, 1, 1, 2, 3, 5])):
                pairs += [self.zscore(), self.zmember()]
            if len(pairs) > 2:
                # A -0 score in a multi-pair ZADD that creates its key shows 7.2's
                # zsetTypeCreate (rules.py, ZSET_CREATE_72): not sent.
                pairs = [b"-0.5" if p == b"-0" else p for p in pairs]
            if rng.random() < 0.03:
                pairs.append(self.zmember())  # odd count: syntax error
        return self.command("ZADD", self.zkey(), *options, *pairs)

    def gen_zincrby(self):
        return self.command("ZINCRBY", self.zkey(), self.zscore(), self.zmember())

    def gen_zrem(self):
        key = self.rng.choice(LEX_KEYS) if self.rng.random() < 0.1 else self.zkey()
        return self.command("ZREM", key, *[self.zmember() for _ in range(self.rng.randint(1, 4))])

    # ------------------------------------------------------------------ reads
    def gen_zcard(self):
        return self.command("ZCARD", self.zkey())

    def gen_zscore(self):
        return self.command("ZSCORE", self.zkey(), self.zmember())

    def gen_zmscore(self):
        return self.command("ZMSCORE", self.zkey(),
                            *[self.zmember() for _ in range(self.rng.randint(1, 4))])

    def gen_zrank(self):
        # WITHSCORE is 7.2-only (7.0.15 answers an arity error): unit and integration tests
        # cover it, the streams do not send it.
        return self.command("ZRANK", self.zkey(), self.zmember())

    def gen_zrevrank(self):
        return self.command("ZREVRANK", self.zkey(), self.zmember())

    def gen_zcount(self):
        return self.command("ZCOUNT", self.zkey(), self.zrange_bound(), self.zrange_bound())

    def gen_zlexcount(self):
        return self.command("ZLEXCOUNT", self.rng.choice(LEX_KEYS), self.zlex_bound(),
                            self.zlex_bound())

    def _limit(self):
        rng = self.rng
        return [self.cased("LIMIT"),
                rng.choice([b"0", b"1", b"2", b"-1", b"5", b"x", b"200"]),
                rng.choice([b"1", b"2", b"-1", b"0", b"10", b"x"])]

    def _zrange_options(self, lex, store):
        rng = self.rng
        options = []
        for _ in range(rng.choice([0, 1, 1, 2])):
            roll = rng.random()
            if roll < 0.3:
                options.append(self.cased("REV"))
            elif roll < 0.55 and not store:
                options.append(self.cased("WITHSCORES"))
            elif roll < 0.75:
                options += self._limit()
            elif roll < 0.9:
                options.append(self.cased(rng.choice(["BYSCORE", "BYLEX"])))
            else:
                options.append(self.cased(rng.choice(["FOO", "LIMIT", "WITHSCORE"])))
        if lex:
            options.append(self.cased("BYLEX"))
        return options

    def _zrange_args(self, store):
        rng = self.rng
        roll = rng.random()
        if roll < 0.4:
            return self.zkey(), [self.zindex(), self.zindex()] + self._zrange_options(False, store)
        if roll < 0.75:
            return self.zkey(), ([self.zrange_bound(), self.zrange_bound(), self.cased("BYSCORE")]
                                 + self._zrange_options(False, store))
        return rng.choice(LEX_KEYS), ([self.zlex_bound(), self.zlex_bound()]
                                      + self._zrange_options(True, store))

    def gen_zrange(self):
        key, args = self._zrange_args(False)
        return self.command("ZRANGE", key, *args)

    def gen_zrangestore(self):
        key, args = self._zrange_args(True)
        return self.command("ZRANGESTORE", self.zkey(), key, *args)

    def _withscores_limit(self, withscores=True):
        rng = self.rng
        options = []
        for _ in range(rng.choice([0, 1, 1, 2])):
            if withscores and rng.random() < 0.5:
                options.append(self.cased("WITHSCORES"))
            else:
                options += self._limit()
        return options

    def gen_zrangebyscore(self):
        return self.command("ZRANGEBYSCORE", self.zkey(), self.zrange_bound(), self.zrange_bound(),
                            *self._withscores_limit())

    def gen_zrevrangebyscore(self):
        return self.command("ZREVRANGEBYSCORE", self.zkey(), self.zrange_bound(),
                            self.zrange_bound(), *self._withscores_limit())

    def gen_zrangebylex(self):
        return self.command("ZRANGEBYLEX", self.rng.choice(LEX_KEYS), self.zlex_bound(),
                            self.zlex_bound(), *self._withscores_limit(self.rng.random() < 0.1))

    def gen_zrevrangebylex(self):
        return self.command("ZREVRANGEBYLEX", self.rng.choice(LEX_KEYS), self.zlex_bound(),
                            self.zlex_bound(), *self._withscores_limit(False))

    def gen_zrevrange(self):
        options = [self.cased("WITHSCORES")] if self.rng.random() < 0.5 else []
        if self.rng.random() < 0.05:
            options.append(self.cased(self.rng.choice(["REV", "BYSCORE", "LIMIT"])))
        return self.command("ZREVRANGE", self.zkey(), self.zindex(), self.zindex(), *options)

    def gen_zremrangebyrank(self):
        return self.command("ZREMRANGEBYRANK", self.zkey(), self.zindex(), self.zindex())

    def gen_zremrangebyscore(self):
        return self.command("ZREMRANGEBYSCORE", self.zkey(), self.zrange_bound(),
                            self.zrange_bound())

    def gen_zremrangebylex(self):
        return self.command("ZREMRANGEBYLEX", self.rng.choice(LEX_KEYS), self.zlex_bound(),
                            self.zlex_bound())

    def gen_zpopmin(self):
        return self.command("ZPOPMIN", self.zkey(), *self._pop_count())

    def gen_zpopmax(self):
        return self.command("ZPOPMAX", self.zkey(), *self._pop_count())

    def _pop_count(self):
        roll = self.rng.random()
        if roll < 0.4:
            return []
        return [self.zcount_arg()]

    def gen_zmpop(self):
        rng = self.rng
        keys = [self.zkey() for _ in range(rng.randint(1, 3))]
        numkeys = str(len(keys)).encode()
        if rng.random() < 0.08:
            numkeys = rng.choice([b"0", b"-1", b"x", b"5", str(LLONG_MAX).encode()])
        args = [numkeys] + keys + [self.cased(rng.choice(["MIN", "MAX", "MIN", "MAX", "FOO"]))]
        if rng.random() < 0.5:
            args += [self.cased("COUNT"), self.zcount_arg()]
        if rng.random() < 0.04:
            args += [self.cased("COUNT"), b"1"]
        return self.command("ZMPOP", *args)

    def gen_zrandmember(self):
        rng = self.rng
        roll = rng.random()
        if roll < 0.25:
            return self.command("ZRANDMEMBER", self.zkey())
        count = rng.choice([b"1", b"2", b"3", b"5", b"20", b"-1", b"-3", b"-10", b"0"])
        if rng.random() < 0.08:
            count = rng.choice([b"x", str(LLONG_MIN).encode(), str(LLONG_MAX).encode(), b""])
        args = [count]
        if rng.random() < 0.4:
            args.append(self.cased("WITHSCORES"))
            if rng.random() < 0.05:
                args[0] = rng.choice([str(LLONG_MAX).encode(), b"-4611686018427387904"])
        if rng.random() < 0.03:
            args.append(b"extra")
        return self.command("ZRANDMEMBER", self.zkey(), *args)

    def _algebra(self, name, store, op):
        rng = self.rng
        keys = [self.zkey() for _ in range(rng.randint(1, 3))]
        numkeys = str(len(keys)).encode()
        if rng.random() < 0.06:
            numkeys = rng.choice([b"0", b"-1", b"x", b"9", str(LLONG_MAX).encode()])
        args = ([self.zkey()] if store else []) + [numkeys] + keys
        for _ in range(rng.choice([0, 0, 1, 1, 2])):
            roll = rng.random()
            if roll < 0.35 and op != "diff":
                weights = [rng.choice([b"1", b"2", b"-1", b"0.5", b"0", b"inf", b"-inf"])
                           for _ in keys]
                if rng.random() < 0.1:
                    weights[-1] = rng.choice([b"nan", b"x", b""])
                args += [self.cased("WEIGHTS")] + weights
            elif roll < 0.65 and op != "diff":
                args += [self.cased("AGGREGATE"),
                         self.cased(rng.choice(["SUM", "MIN", "MAX", "SUM", "AVG"]))]
            elif roll < 0.85 and not store:
                args.append(self.cased("WITHSCORES"))
            else:
                args.append(self.cased(rng.choice(["WEIGHTS", "AGGREGATE", "FOO", "LIMIT"])))
        return self.command(name, *args)

    def gen_zunion(self):
        return self._algebra("ZUNION", False, "union")

    def gen_zinter(self):
        return self._algebra("ZINTER", False, "inter")

    def gen_zdiff(self):
        return self._algebra("ZDIFF", False, "diff")

    def gen_zunionstore(self):
        return self._algebra("ZUNIONSTORE", True, "union")

    def gen_zinterstore(self):
        return self._algebra("ZINTERSTORE", True, "inter")

    def gen_zdiffstore(self):
        return self._algebra("ZDIFFSTORE", True, "diff")

    def gen_zintercard(self):
        rng = self.rng
        keys = [self.zkey() for _ in range(rng.randint(1, 3))]
        numkeys = str(len(keys)).encode()
        if rng.random() < 0.06:
            numkeys = rng.choice([b"0", b"-1", b"x", b"9"])
        args = [numkeys] + keys
        if rng.random() < 0.4:
            args += [self.cased("LIMIT"), rng.choice([b"0", b"1", b"2", b"-1", b"x", b"100"])]
        if rng.random() < 0.05:
            args.append(self.cased(rng.choice(["WITHSCORES", "LIMIT", "WEIGHTS"])))
        return self.command("ZINTERCARD", *args)

    def gen_zscan(self):
        # Whole-collection pages only (COUNT well above any zset here), compared as sets of
        # member/score pairs (rules.py, zscan-as-set): cursors are positions in each server's
        # own table.
        rng = self.rng
        key = rng.choice(LEX_KEYS) if rng.random() < 0.15 else self.zkey()
        cursor = b"0"
        if rng.random() < 0.08:
            cursor = rng.choice([b"x", b"-", b" 0", b"18446744073709551616"])
        args = [key, cursor]
        if rng.random() < 0.3:
            args += [self.cased("MATCH"), rng.choice([b"*", b"a*", b"m*", b"[a-c]", b"*\x00*"])]
        roll = rng.random()
        if roll < 0.9:
            args += [self.cased("COUNT"), b"100000"]
        else:
            args += rng.choice([[self.cased("COUNT"), b"0"], [self.cased("TYPE"), b"zset"],
                                [self.cased("COUNT"), b"x"], [self.cased("FOO")]])
        return self.command("ZSCAN", *args)
