"""SORT / SORT_RO generators (mixed into generator.Generator).

The family keeps its own keys so that SORT finds data: lists SORT_LISTS, an integer-only set
SORT_INTSET (an intset in 7.0 and 7.2, so its native order is ascending in both), a mixed set
SORT_SET, sorted sets SORT_ZSETS, weights "w_<element>" (strings) and hashes "h_<element>"
(fields f and g) for BY and GET patterns, and a string and a hash for WRONGTYPE.

Only deterministic requests are sent (see sort.c):
- BY nosort without STORE on a set lists it in table order: only asked of SORT_INTSET.
- ALPHA with BY ties on equal or missing texts, which keep the loading order (glibc's qsort
  is a merge sort) or not (pqsort under LIMIT); a set or sorted set loads in table order. So
  ALPHA BY is only asked of lists, without LIMIT.
- ALPHA without STORE compares with strcoll, which stops at a NUL: sets and sorted sets get no
  members with a NUL byte.
- No text that overflows or underflows a double ("1e400", "1e-400") is ever scored: sort.c
  checks errno == ERANGE after strtod without clearing errno first, so after one such text
  Redis refuses every later numeric SORT of string-encoded values until some unrelated call
  changes errno (state of the process, not of the data). ringdb clears errno per element (the
  intended rule, pinned by its unit tests).
"""

SORT_LISTS = [b"sl1", b"sl2"]
SORT_INTSET = b"si1"
SORT_SET = b"ss1"
SORT_ZSETS = [b"sz1", b"sz2"]
SORT_DESTINATIONS = [b"sd1", b"sd2", b"sl2"]
SORT_WRONG_TYPE = [b"swt", b"h_a"]

SORT_ELEMENTS = [b"1", b"2", b"3", b"10", b"-5", b"1.5", b"007", b"0", b"-0", b"1e3", b"a",
                 b"b", b"c", b"abc", b"", b"inf", b"-inf", b"x y", b"0x10", b" 4"]
SORT_ODD_ELEMENTS = [b"nan", b"1e308", b"9" * 70, b"m" * 70, b"\xff\xfe", b"\r\n"]
SORT_NUL_ELEMENTS = [b"a\x00b", b"a\x00c", b"1\x00x"]
SORT_INTEGERS = [b"1", b"2", b"3", b"10", b"-5", b"0", b"100", b"-100", b"42", b"7"]

SORT_COMMANDS = ["SORT", "SORT_RO"]
SORT_ARITY = {"SORT": -2, "SORT_RO": -2}

# SORT_DATA is this family's writer (RPUSH, SADD, ZADD, SET, HSET, DEL on its keys).
# The commands SORT_DATA sends are listed with no weight of their own, so that the family's
# command set names them.
SORT_WEIGHTS = {"SORT": 2.0, "SORT_RO": 1.0, "SORT_DATA": 3.0, "OBJECT": 0.1, "SELECT": 0.1,
                **{c: 0.0 for c in ["RPUSH", "LPUSH", "SADD", "ZADD", "SET", "HSET", "DEL"]}}


class SortGenerators:
    """gen_sort* methods; needs the Generator's rng, command and cased."""

    def sort_element(self, allow_nul):
        rng = self.rng
        roll = rng.random()
        if roll < 0.85:
            return rng.choice(SORT_ELEMENTS)
        if roll < 0.95 or not allow_nul:
            return rng.choice(SORT_ODD_ELEMENTS)
        return rng.choice(SORT_NUL_ELEMENTS)

    def sort_weight(self):
        rng = self.rng
        roll = rng.random()
        if roll < 0.6:
            return str(rng.randint(-50, 50)).encode()
        if roll < 0.8:
            return rng.choice([b"1.5", b"-0.25", b"1e2", b"inf", b"-inf", b"0x1f", b"3"])
        return rng.choice([b"text", b"abc", b"", b"nan", b"zz", b"a\x00b"])

    def gen_sort_data(self):
        rng = self.rng
        roll = rng.random()
        if roll < 0.25:
            elements = [self.sort_element(True) for _ in range(rng.choice([1, 1, 2, 5]))]
            if rng.random() < 0.03:
                elements = [b"%d" % i for i in range(rng.randint(100, 140))]  # past listpack
            return self.command(rng.choice(["RPUSH", "LPUSH"]), rng.choice(SORT_LISTS),
                                *elements)
        if roll < 0.35:
            return self.command("SADD", SORT_INTSET,
                                *[rng.choice(SORT_INTEGERS) for _ in range(rng.randint(1, 3))])
        if roll < 0.45:
            return self.command("SADD", SORT_SET,
                                *[self.sort_element(False) for _ in range(rng.randint(1, 3))])
        if roll < 0.55:
            pairs = []
            for _ in range(rng.randint(1, 3)):
                pairs += [str(rng.randint(-3, 3)).encode(), self.sort_element(False)]
            if rng.random() < 0.03:
                pairs = [x for i in range(140) for x in (b"%d" % (i % 9), b"e%d" % i)]
            return self.command("ZADD", rng.choice(SORT_ZSETS), *pairs)
        if roll < 0.75:
            return self.command("SET", b"w_" + self.sort_element(True), self.sort_weight())
        if roll < 0.9:
            return self.command("HSET", b"h_" + self.sort_element(True),
                                rng.choice([b"f", b"g"]), self.sort_weight())
        if roll < 0.93:
            return self.command("SET", SORT_WRONG_TYPE[0], b"v")
        keys = SORT_LISTS + [SORT_INTSET, SORT_SET] + SORT_ZSETS + SORT_DESTINATIONS
        return self.command("DEL", rng.choice(keys))

    def sort_pattern(self, for_get):
        rng = self.rng
        patterns = [b"w_*", b"h_*->f", b"h_*->g", b"nokey_*", b"h_*", b"w_*->f", b"h_*->",
                    b"*", b"w_*x"]
        if for_get:
            patterns += [b"#", b"#", b"fixed", b"#x"]
        else:
            patterns += [b"nosort", b"w_\x00*"]
        return rng.choice(patterns)

    def gen_sort_request(self, name):
        rng = self.rng
        roll = rng.random()
        if roll < 0.4:
            key, kind = rng.choice(SORT_LISTS), "list"
        elif roll < 0.55:
            key, kind = SORT_INTSET, "intset"
        elif roll < 0.7:
            key, kind = SORT_SET, "set"
        elif roll < 0.9:
            key, kind = rng.choice(SORT_ZSETS), "zset"
        elif roll < 0.95:
            key, kind = rng.choice(SORT_WRONG_TYPE), "other"
        else:
            key, kind = b"sort_missing", "list"
        store = name == "SORT" and rng.random() < 0.3
        alpha = rng.random() < 0.5
        by = None
        if rng.random() < 0.4:
            by = self.sort_pattern(False)
        limit = None
        if rng.random() < 0.4:
            limit = [str(rng.randint(-2, 12)).encode(), str(rng.randint(-2, 12)).encode()]
            if rng.random() < 0.05:
                limit = [rng.choice([b"9223372036854775807", b"-9223372036854775808", b"x",
                                     b"1.5"]), rng.choice([b"9223372036854775807", b"1", b""])]
        no_star = by is not None and b"*" not in by.split(b"\x00")[0]
        if no_star and kind == "set" and not store:
            by = b"w_*"
            no_star = False
        if alpha and by is not None and not no_star and (kind != "list" or limit is not None):
            by = None
        options = []
        if by is not None:
            options.append([self.cased("BY"), by])
        if limit is not None:
            options.append([self.cased("LIMIT")] + limit)
        for _ in range(rng.choice([0, 0, 1, 1, 2])):
            options.append([self.cased("GET"), self.sort_pattern(True)])
        if alpha:
            options.append([self.cased("ALPHA")])
        if rng.random() < 0.4:
            options.append([self.cased(rng.choice(["ASC", "DESC"]))])
        if store:
            options.append([self.cased("STORE"), rng.choice(SORT_DESTINATIONS)])
        rng.shuffle(options)
        if rng.random() < 0.03:
            # A dangling option last (a syntax error), where it cannot take another's word.
            options.append([rng.choice([b"STORE", b"LIMIT", b"BY", b"GET", b"foo"])])
        args = [x for option in options for x in option]
        return self.command(name, key, *args)

    def gen_sort(self):
        return self.gen_sort_request("SORT")

    def gen_sort_ro(self):
        return self.gen_sort_request("SORT_RO")
