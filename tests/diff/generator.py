"""Seeded random command streams over a small key space.

Every step is a Command (one request, one reply to compare) or a ScanIteration (a whole SCAN
loop the harness runs on each server separately, comparing the sets of keys). The same seed
always yields the same stream, whatever the servers answer, so any failure reproduces with
`harness.py --seed S --count N`.

The key space is deliberately small (a dozen names over four databases) so that commands
collide: a SETRANGE lands on the value an INCR just wrote, a RENAME on a key another command
just gave a TTL. Each command has generators for valid inputs and for the invalid ones Redis
rejects (wrong arity, bad integers and floats, overflow boundaries, conflicting options), and
names and options are randomly re-cased.

Timing: nothing here depends on how fast the servers run. Relative TTLs are always at least
about three years, so no key expires during a run; absolute times are either long past
(the key is deleted or never visible) or far in the future. Relative TTLs also grow with the
step index, 1000 s per step, so that two of them are never equal: GT and LT then compare
values at least 1000 s apart, and their answer cannot depend on whether the two servers
happened to see the same millisecond.
"""
import random
from dataclasses import dataclass, field

import gen_bitmaps
from gen_hashes import HASH_ARITY, HASH_COMMANDS, HASH_FAMILY_WEIGHTS, HashGeneratorMixin
from gen_sets import SET_ARITY, SET_COMMANDS, SET_FAMILY_WEIGHTS, SetGenerator
from gen_streams import STREAM_ARITY, STREAM_COMMANDS, STREAM_WEIGHTS, StreamGeneratorMixin
from gen_lists import LIST_ARITY, LIST_COMMANDS, LIST_FAMILY, ListsMixin
from gen_transactions import (TRANSACTION_ARITY, TRANSACTION_COMMANDS, TRANSACTION_FAMILY,
                              TransactionSteps)
from gen_zsets import ZSET_ARITY, ZSET_COMMANDS, ZSET_WEIGHTS, ZsetGenerators
from gen_geo import GEO_ARITY, GEO_COMMANDS, GEO_WEIGHTS, GeoGenerators
from gen_blocking import (BLOCKING_ARITY, BLOCKING_COMMANDS, BLOCKING_COMPANIONS, BLOCKING_FAMILY,
                          BlockingMixin)
from gen_sort import SORT_ARITY, SORT_COMMANDS, SORT_WEIGHTS, SortGenerators

LLONG_MAX = (1 << 63) - 1
LLONG_MIN = -(1 << 63)

# The key names commands pick from. Binary-unsafe names (NUL, CR LF, high bytes), glob
# metacharacters (so KEYS/SCAN patterns must escape them) and the empty name are included.
KEY_POOL = [b"k1", b"k2", b"k3", b"n1", b"n2", b"", b"bin\x00key", b"crlf\r\nkey",
            b"\xff\xfe\x80", b"k*", b"k?x", b"{tag}a"]
# Only SETRANGE/APPEND make this one long (up to proto-max-bulk-len); commands whose cost
# grows with value length (LCS) never see it.
BIG_KEY = b"big"
assert gen_bitmaps.BIG_KEY == BIG_KEY
# Databases the stream moves between; the others only appear as edge cases.
HOT_DATABASES = [0, 1, 2, 3]
DATABASE_COUNT = 16

# Redis's arity for each command: positive = exact argument count (name included),
# negative = at least that many.
ARITY = {
    "GET": 2, "SET": -3, "SETNX": 3, "SETEX": 4, "PSETEX": 4, "MGET": -2, "MSET": -3,
    "MSETNX": -3, "GETSET": 3, "GETDEL": 2, "GETEX": -2, "APPEND": 3, "STRLEN": 2,
    "INCR": 2, "DECR": 2, "INCRBY": 3, "DECRBY": 3, "INCRBYFLOAT": 3, "GETRANGE": 4,
    "SETRANGE": 4, "SUBSTR": 4, "LCS": -3,
    "DEL": -2, "UNLINK": -2, "EXISTS": -2, "TYPE": 2, "RENAME": 3, "RENAMENX": 3,
    "COPY": -3, "MOVE": 3, "KEYS": 2, "SCAN": -2, "RANDOMKEY": 1, "EXPIRE": -3,
    "PEXPIRE": -3, "EXPIREAT": -3, "PEXPIREAT": -3, "TTL": 2, "PTTL": 2, "EXPIRETIME": 2,
    "PEXPIRETIME": 2, "PERSIST": 2, "TOUCH": -2, "OBJECT": -2,
    "PING": -1, "ECHO": 2, "SELECT": 2, "SWAPDB": 3, "DBSIZE": 1, "FLUSHDB": -1,
    "FLUSHALL": -1,
    **TRANSACTION_ARITY,
}
ARITY.update(SET_ARITY)
ARITY.update(STREAM_ARITY)
ARITY.update(gen_bitmaps.ARITY)

STRING_COMMANDS = ["GET", "SET", "SETNX", "SETEX", "PSETEX", "MGET", "MSET", "MSETNX", "GETSET",
                   "GETDEL", "GETEX", "APPEND", "STRLEN", "INCR", "DECR", "INCRBY", "DECRBY",
                   "INCRBYFLOAT", "GETRANGE", "SETRANGE", "SUBSTR", "LCS"]
KEY_COMMANDS = ["DEL", "UNLINK", "EXISTS", "TYPE", "RENAME", "RENAMENX", "COPY", "MOVE", "KEYS",
                "SCAN", "RANDOMKEY", "EXPIRE", "PEXPIRE", "EXPIREAT", "PEXPIREAT", "TTL", "PTTL",
                "EXPIRETIME", "PEXPIRETIME", "PERSIST", "TOUCH", "OBJECT"]
DATABASE_COMMANDS = ["PING", "ECHO", "SELECT", "SWAPDB", "DBSIZE", "FLUSHDB", "FLUSHALL"]
ARITY.update(HASH_ARITY)
ARITY.update(LIST_ARITY)
ARITY.update(ZSET_ARITY)
ARITY.update(GEO_ARITY)
ARITY.update(BLOCKING_ARITY)
ARITY.update(SORT_ARITY)
ALL_COMMANDS = (STRING_COMMANDS + KEY_COMMANDS + DATABASE_COMMANDS + LIST_COMMANDS + SET_COMMANDS +
                HASH_COMMANDS + ZSET_COMMANDS + GEO_COMMANDS + STREAM_COMMANDS +
                gen_bitmaps.BITMAP_COMMANDS + gen_bitmaps.HLL_COMMANDS + BLOCKING_COMMANDS +
                SORT_COMMANDS)

# Commands that wipe data get a small weight everywhere, or the key space is mostly empty.
_RARE = {"FLUSHDB": 0.15, "FLUSHALL": 0.08, "SWAPDB": 0.4, "SELECT": 0.8, "RANDOMKEY": 0.5,
         "CONFIG": 0.1}

# Which commands a family's streams use, with weights. Each family also writes some strings
# so its own commands have data to act on.
FAMILIES = {
    "strings": {**{c: 1.0 for c in STRING_COMMANDS},
                **{c: 0.15 for c in ["DEL", "EXISTS", "TTL", "PEXPIRE", "OBJECT", "SELECT",
                                     "PERSIST"]}},
    "keys": {**{c: 1.0 for c in KEY_COMMANDS},
             **{c: 0.5 for c in ["SET", "MSET", "SETEX", "INCR", "APPEND", "GET"]},
             "SELECT": 0.5, "DBSIZE": 0.3, "SWAPDB": 0.2, "FLUSHDB": 0.05},
    "databases": {**{c: 1.0 for c in DATABASE_COMMANDS},
                  **{c: 0.6 for c in ["SET", "GET", "MSET", "DEL", "EXISTS", "MOVE", "COPY",
                                      "KEYS", "SCAN", "RANDOMKEY"]}},
    "hashes": dict(HASH_FAMILY_WEIGHTS),
    "zsets": dict(ZSET_WEIGHTS),
    "geo": dict(GEO_WEIGHTS),
    "all": {**{c: gen_bitmaps.WEIGHTS_IN_ALL.get(c, 1.0)
               for c in ALL_COMMANDS + gen_bitmaps.PSEUDO_COMMANDS},
            **BLOCKING_COMPANIONS},
    "sets": dict(SET_FAMILY_WEIGHTS),
    "streams": dict(STREAM_WEIGHTS),
    "lists": LIST_FAMILY,
    "transactions": dict(TRANSACTION_FAMILY),
    **gen_bitmaps.FAMILIES,
    "blocking": dict(BLOCKING_FAMILY),
    "sort": dict(SORT_WEIGHTS),
}
for _weights in FAMILIES.values():
    for _name, _factor in _RARE.items():
        if _name in _weights:
            _weights[_name] *= _factor

WRONG_ARITY_PROBABILITY = 0.03
UNKNOWN_COMMAND_PROBABILITY = 0.004


@dataclass
class Command:
    """One request; `name` is the canonical upper-case name the comparison rules key on."""
    name: str
    args: list
    subcommand: str = ""


@dataclass
class ScanIteration:
    """A full SCAN iteration: `args` is the first call (cursor included); the harness keeps
    calling with the returned cursor until it is 0."""
    args: list
    name: str = "SCAN"
    subcommand: str = ""
    cursor_index: int = 1  # where the cursor is in args (SSCAN: 2)


@dataclass
class StreamState:
    """What the generator remembers to keep the stream cheap and time-robust.

    length_bound: per key name, an upper bound on the length of any value stored under that
    name in any database (bounds only grow, except on FLUSHALL), so LCS is only asked of
    values whose dynamic-programming table stays small.
    past_expiry_keys: names that a SET with EXAT/PXAT in the past was sent for. Redis 7.0 and
    7.2 insert such a key and reclaim it lazily, so before DBSIZE the harness looks these
    names up (see rules.py, dbsize-after-sweep).
    """
    length_bound: dict = field(default_factory=dict)
    past_expiry_keys: set = field(default_factory=set)


class Generator(ListsMixin, SetGenerator, HashGeneratorMixin, ZsetGenerators, GeoGenerators,
                SortGenerators, StreamGeneratorMixin, TransactionSteps,
                gen_bitmaps.BitmapGenerators, BlockingMixin):
    def __init__(self, seed, family="all", proto_max_bulk_len=4 << 20, only=None):
        """`only`: restrict the family's commands to these names (for narrowing a failure)."""
        if family not in FAMILIES:
            raise ValueError("unknown family %r (choose from %s)" % (family, ", ".join(FAMILIES)))
        self.rng = random.Random(seed)
        self.family = family
        self.weights = dict(FAMILIES[family])
        if only:
            unknown = (set(only) - set(ALL_COMMANDS) - set(TRANSACTION_COMMANDS) -
                       set(gen_bitmaps.PSEUDO_COMMANDS))
            if unknown:
                raise ValueError("unknown commands: %s" % ", ".join(sorted(unknown)))
            self.weights = {name: self.weights.get(name, 1.0) for name in only}
        self.names = sorted(self.weights)
        self.cumulative = []
        total = 0.0
        for name in self.names:
            total += self.weights[name]
            self.cumulative.append(total)
        self.proto_max_bulk_len = proto_max_bulk_len
        self.step_index = 0
        self.state = StreamState()

    # ------------------------------------------------------------------ stream
    def steps(self, count):
        for _ in range(count):
            yield self.next()

    def next(self):
        self.step_index += 1
        if self.__dict__.get("queued_steps"):  # A follow-up a family asked for (gen_streams).
            return self.queued_steps.pop(0)
        rng = self.rng
        if self.step_index == 1:
            prelude = self.family_prelude()
            if prelude is not None:
                return prelude
        if rng.random() < UNKNOWN_COMMAND_PROBABILITY:
            return self._unknown_command()
        name = self.names[self._pick_index()]
        step = getattr(self, "gen_" + name.lower())()
        if isinstance(step, Command) and rng.random() < WRONG_ARITY_PROBABILITY:
            mutated = self._wrong_arity(step)
            if mutated is not None:
                return mutated
        return step

    def _pick_index(self):
        point = self.rng.random() * self.cumulative[-1]
        for index, bound in enumerate(self.cumulative):
            if point < bound:
                return index
        return len(self.cumulative) - 1

    # ------------------------------------------------------------------ building blocks
    def cased(self, word):
        """`word` in a random mix of cases, as clients may send it."""
        rng = self.rng
        roll = rng.random()
        if roll < 0.6:
            text = word.upper()
        elif roll < 0.8:
            text = word.lower()
        else:
            text = "".join(c.upper() if rng.random() < 0.5 else c.lower() for c in word)
        return text.encode()

    def command(self, name, *args, subcommand=""):
        return Command(name, [self.cased(name)] + [_as_bytes(a) for a in args], subcommand)

    def key(self, allow_big=False):
        rng = self.rng
        if allow_big and rng.random() < 0.08:
            return BIG_KEY
        if rng.random() < 0.01:
            return bytes(rng.randrange(256) for _ in range(rng.randrange(1, 6)))
        return rng.choice(KEY_POOL)

    def keys(self, low, high, allow_big=False):
        return [self.key(allow_big) for _ in range(self.rng.randint(low, high))]

    def value(self):
        rng = self.rng
        kind = rng.random()
        if kind < 0.25:
            return rng.choice([b"v", b"hello", b"", b"world", b"a b", b"Hello, World!"])
        if kind < 0.5:
            return self.integer_text()
        if kind < 0.6:
            return self.float_text()
        if kind < 0.75:
            return self.binary_value()
        if kind < 0.85:
            # Either side of Redis's 44-byte embstr limit and 20-digit integer limit.
            return rng.choice([b"x" * 44, b"y" * 45, b"1" * 20, b"1" * 21, b"9" * 19,
                               b"-" + b"9" * 19])
        return bytes(rng.choice(b"abcdefgh") for _ in range(rng.randrange(0, 200)))

    def binary_value(self):
        rng = self.rng
        return rng.choice([b"a\x00b", b"\r\n", b"\x00", b"\xff\xfe\xfd", b"\r\n\r\n$5\r\n",
                           b"-ERR not an error\r\n", b"\x00" * 10,
                           bytes(rng.randrange(256) for _ in range(rng.randrange(1, 64)))])

    def integer_text(self):
        rng = self.rng
        return rng.choice([
            b"0", b"1", b"-1", b"42", b"9999", b"10000", b"-10000", b"123456789",
            str(LLONG_MAX).encode(), str(LLONG_MIN).encode(), str(LLONG_MAX - 1).encode(),
            str(LLONG_MIN + 1).encode(), str(LLONG_MAX + 1).encode(), str(LLONG_MIN - 1).encode(),
            b"007", b"+1", b"-0", b" 1", b"1 ", b"1.0", b"1e3", b"0x10", b"", b"abc",
            b"99999999999999999999", b"12345678901234567890",
            str(rng.randrange(-1000, 1000)).encode(),
            str(rng.randrange(LLONG_MIN, LLONG_MAX)).encode(),
        ])

    def float_text(self):
        rng = self.rng
        return rng.choice([
            b"1.5", b"-0.0", b"0", b"3.14159", b"1e308", b"-1e308", b"1.7976931348623157e308",
            b"2e308", b"inf", b"-inf", b"+inf", b"nan", b"5.0e3", b"0.1", b".5", b"5.", b"1e-320",
            b"1.0000000000000001", b"10.50", b"0x1p3", b" 1.5", b"1.5 ", b"", b"abc", b"1,5",
            b"123456789012345678901234567890", b"-3",
            ("%.6f" % rng.uniform(-1e6, 1e6)).encode(),
            repr(rng.uniform(-10, 10)).encode(),
        ])

    def index_text(self):
        """An index or offset for GETRANGE-like commands."""
        rng = self.rng
        if rng.random() < 0.7:
            return str(rng.randint(-25, 25)).encode()
        return rng.choice([str(LLONG_MAX).encode(), str(LLONG_MIN).encode(), b"-0", b"x", b"",
                           b"1.5", str(LLONG_MAX + 1).encode(), b"2147483648", b"-2147483649",
                           b"4294967296", b"+3"])

    def database_text(self):
        rng = self.rng
        if rng.random() < 0.85:
            return str(rng.choice(HOT_DATABASES)).encode()
        return rng.choice([b"15", b"16", b"-1", b"x", b"", b"1.0", b"2147483648",
                           str(LLONG_MAX).encode(), b"+1", b"01"])

    def relative_seconds(self):
        """A future relative TTL in seconds, unique in this stream (see the module comment)."""
        base = self.rng.choice([100_000_000, 300_000_000, 600_000_000])
        return base + 1000 * self.step_index

    def expire_value(self, unit_ms, absolute):
        """An argument for EX/PX/EXAT/PXAT or EXPIRE and friends: valid or an edge case."""
        rng = self.rng
        roll = rng.random()
        scale = 1000 if unit_ms else 1
        if roll < 0.55:
            if absolute:
                seconds = rng.choice([4102444800, 9999999999, 32503680000])
                return str(seconds * scale + (rng.randrange(1000) if unit_ms else 0)).encode()
            return str(self.relative_seconds() * scale).encode()
        if roll < 0.7:
            if absolute:
                # Long past: the key is deleted (EXPIREAT, GETEX) or never visible (SET).
                return rng.choice([b"1", b"1000000000", str(1000000000 * scale).encode()])
            return rng.choice([b"0", b"-1", b"-100"])
        if roll < 0.85:
            return rng.choice(self._expire_overflow_values(unit_ms))
        return rng.choice([b"x", b"", b"1.5", b" 10", b"10 ", b"1e3", b"+10"])

    def _expire_overflow_values(self, unit_ms):
        # Around LLONG_MAX / 1000 (seconds to ms) and LLONG_MAX - now (adding the base time).
        # The margins (10^12 and 10^13 ms) keep the outcome independent of the clock: now is
        # about 1.7 * 10^12 ms and stays between them until the year 2286.
        values = [LLONG_MAX, LLONG_MIN, LLONG_MAX // 1000, LLONG_MAX // 1000 + 1,
                  LLONG_MIN // 1000, -(LLONG_MAX // 1000) - 1, -(LLONG_MAX // 1000) - 2]
        if unit_ms:
            values += [LLONG_MAX - 10**13, LLONG_MAX - 10**12]
        else:
            values += [(LLONG_MAX - 10**13) // 1000, (LLONG_MAX - 10**12) // 1000]
        return [str(v).encode() for v in values]

    # ------------------------------------------------------------------ length model
    def _bound(self, key):
        return self.state.length_bound.get(key, 0)

    def _grow(self, key, length):
        bound = self.state.length_bound
        bound[key] = max(bound.get(key, 0), length)

    def _small_keys_for_lcs(self):
        # (alen + 1) * (blen + 1) cells; keep them under a few million.
        for _ in range(8):
            a, b = self.key(), self.key()
            if (self._bound(a) + 1) * (self._bound(b) + 1) <= 4_000_000:
                return a, b
        return b"lcs:missing:a", b"lcs:missing:b"

    # ------------------------------------------------------------------ invalid shapes
    def _wrong_arity(self, command):
        arity = ARITY.get(command.name)
        if arity is None:
            return None
        args = command.args
        rng = self.rng
        if arity > 0:
            if rng.random() < 0.5 and arity > 1:
                new_args = args[: rng.randrange(1, arity)]
            else:
                new_args = args[:arity] + [self.value() for _ in range(rng.randint(1, 2))]
                while len(new_args) < arity + 1:
                    new_args.append(b"extra")
        else:
            minimum = -arity
            if minimum <= 1:
                return None
            new_args = args[: rng.randrange(1, minimum)]
        return Command(command.name, new_args, command.subcommand)

    def _unknown_command(self):
        rng = self.rng
        # A NUL inside the name, but not after a real command's name: Redis hashes the whole
        # name yet compares it with strcasecmp, so "get\x00" finds GET whenever its random
        # hash seed puts both in one bucket (about one server start in 256). ringdb always
        # answers "unknown command" for it.
        name = rng.choice([b"GETT", b"SETX", b"FOO", b"", b"gxt\x00", b"x" * 200, b"SET\r\n"])
        args = [self.value() for _ in range(rng.randint(0, 3))]
        return Command("<unknown>", [name] + args)

    # ------------------------------------------------------------------ strings
    def gen_get(self):
        return self.command("GET", self.key(allow_big=self.rng.random() < 0.1))

    def gen_set(self):
        key, value = self.key(), self.value()
        self._grow(key, len(value))
        return self.command("SET", key, value, *self._set_options(key))

    def _set_options(self, key):
        rng = self.rng
        options = []
        for _ in range(rng.choice([0, 0, 1, 1, 2, 3])):
            roll = rng.random()
            if roll < 0.15:
                options.append(self.cased(rng.choice(["NX", "XX"])))
            elif roll < 0.3:
                options.append(self.cased("GET"))
            elif roll < 0.4:
                options.append(self.cased("KEEPTTL"))
            elif roll < 0.93:
                options += self._expire_option(["EX", "PX", "EXAT", "PXAT"], key)
            elif roll < 0.97:
                options.append(self.cased(rng.choice(["PERSIST", "FOO", "EXX", "N"])))
            else:
                options.append(self.cased(rng.choice(["EX", "PX", "EXAT", "PXAT"])))
        return options

    def _expire_option(self, choices, set_key=None):
        """An EX/PX/EXAT/PXAT option; `set_key`: the key when the option is SET's."""
        option = self.rng.choice(choices)
        absolute = option.endswith("AT")
        value = self.expire_value(option.startswith("P"), absolute)
        if set_key is not None and absolute and _is_past_absolute(value, option == "PXAT"):
            self.state.past_expiry_keys.add(set_key)
        return [self.cased(option), value]

    def gen_setnx(self):
        key, value = self.key(), self.value()
        self._grow(key, len(value))
        return self.command("SETNX", key, value)

    def gen_setex(self):
        key, value = self.key(), self.value()
        self._grow(key, len(value))
        return self.command("SETEX", key, self.expire_value(False, False), value)

    def gen_psetex(self):
        key, value = self.key(), self.value()
        self._grow(key, len(value))
        return self.command("PSETEX", key, self.expire_value(True, False), value)

    def gen_mget(self):
        return self.command("MGET", *self.keys(1, 6))

    def _pairs(self):
        args = []
        for _ in range(self.rng.randint(1, 4)):
            key, value = self.key(), self.value()
            self._grow(key, len(value))
            args += [key, value]
        return args

    def gen_mset(self):
        args = self._pairs()
        if self.rng.random() < 0.05:
            args.append(self.key())  # odd argument count: an arity error
        return self.command("MSET", *args)

    def gen_msetnx(self):
        args = self._pairs()
        if self.rng.random() < 0.05:
            args.append(self.key())
        return self.command("MSETNX", *args)

    def gen_getset(self):
        key, value = self.key(), self.value()
        self._grow(key, len(value))
        return self.command("GETSET", key, value)

    def gen_getdel(self):
        return self.command("GETDEL", self.key())

    def gen_getex(self):
        rng = self.rng
        options = []
        for _ in range(rng.choice([0, 1, 1, 1, 2])):
            roll = rng.random()
            if roll < 0.75:
                options += self._expire_option(["EX", "PX", "EXAT", "PXAT"])
            elif roll < 0.9:
                options.append(self.cased("PERSIST"))
            else:
                options.append(self.cased(rng.choice(["KEEPTTL", "NX", "GET", "EX", "FOO"])))
        return self.command("GETEX", self.key(), *options)

    def gen_append(self):
        rng = self.rng
        if rng.random() < 0.1:
            return self._append_near_limit()
        key, value = self.key(), self.value()
        self._grow(key, self._bound(key) + len(value))
        return self.command("APPEND", key, value)

    def _append_near_limit(self):
        # On the long key: fits exactly, or overflows proto-max-bulk-len by one byte (the
        # reply depends on the current length, which both servers share).
        value = b"z" * self.rng.choice([1, 10, 1000])
        self._grow(BIG_KEY, self.proto_max_bulk_len)
        return self.command("APPEND", BIG_KEY, value)

    def gen_strlen(self):
        return self.command("STRLEN", self.key(allow_big=True))

    def gen_incr(self):
        key = self.key()
        self._grow(key, 20)
        return self.command("INCR", key)

    def gen_decr(self):
        key = self.key()
        self._grow(key, 20)
        return self.command("DECR", key)

    def gen_incrby(self):
        key = self.key()
        self._grow(key, 20)
        return self.command("INCRBY", key, self.integer_text())

    def gen_decrby(self):
        key = self.key()
        self._grow(key, 20)
        return self.command("DECRBY", key, self.integer_text())

    def gen_incrbyfloat(self):
        key = self.key()
        self._grow(key, 400)  # a long double can print with hundreds of digits
        increment = self.float_text() if self.rng.random() < 0.8 else self.integer_text()
        return self.command("INCRBYFLOAT", key, increment)

    def gen_getrange(self):
        return self.command("GETRANGE", self.key(allow_big=True), *self._range())

    def gen_substr(self):
        return self.command("SUBSTR", self.key(allow_big=True), *self._range())

    def _range(self):
        rng = self.rng
        start, end = self.index_text(), self.index_text()
        if rng.random() < 0.3:
            # Ranges that stay small on the long key too.
            base = rng.randint(0, 100)
            start, end = str(base).encode(), str(base + rng.randint(-5, 50)).encode()
        return start, end

    def gen_setrange(self):
        rng = self.rng
        limit = self.proto_max_bulk_len
        roll = rng.random()
        if roll < 0.12:
            value = rng.choice([b"x", b"end", b""])
            offset = limit - max(len(value), 1) + rng.choice([0, 1])
            self._grow(BIG_KEY, limit)
            return self.command("SETRANGE", BIG_KEY, str(offset).encode(), value)
        key, value = self.key(), self.value()
        if roll < 0.25:
            offset = rng.choice([limit, limit + 1, LLONG_MAX, 1 << 32, 1 << 31, 536870912,
                                 536870911, -1, LLONG_MIN])
            return self.command("SETRANGE", key, str(offset).encode(), value or b"x")
        if roll < 0.3:
            return self.command("SETRANGE", key, rng.choice([b"x", b"", b"1.5", b" 1"]), value)
        offset = rng.randint(0, 60) if rng.random() < 0.9 else rng.randint(0, 5000)
        self._grow(key, offset + len(value))
        return self.command("SETRANGE", key, str(offset).encode(), value)

    def gen_lcs(self):
        rng = self.rng
        a, b = self._small_keys_for_lcs()
        options = []
        for _ in range(rng.choice([0, 0, 1, 1, 2, 3])):
            roll = rng.random()
            if roll < 0.25:
                options.append(self.cased("LEN"))
            elif roll < 0.5:
                options.append(self.cased("IDX"))
            elif roll < 0.75:
                options.append(self.cased("WITHMATCHLEN"))
            elif roll < 0.95:
                options += [self.cased("MINMATCHLEN"),
                            rng.choice([b"0", b"1", b"2", b"3", b"5", b"-1", b"x",
                                        str(LLONG_MAX).encode(), b""])]
            else:
                options.append(self.cased(rng.choice(["MINMATCHLEN", "FOO", "IDXX"])))
        return self.command("LCS", a, b, *options)

    # ------------------------------------------------------------------ keys
    def gen_del(self):
        return self.command("DEL", *self.keys(1, 4, allow_big=True))

    def gen_unlink(self):
        return self.command("UNLINK", *self.keys(1, 4, allow_big=True))

    def gen_exists(self):
        return self.command("EXISTS", *self.keys(1, 5, allow_big=True))

    def gen_type(self):
        return self.command("TYPE", self.key(allow_big=True))

    def _rename_pair(self):
        source = self.key()
        target = source if self.rng.random() < 0.1 else self.key()
        self._grow(target, self._bound(source))
        return source, target

    def gen_rename(self):
        return self.command("RENAME", *self._rename_pair())

    def gen_renamenx(self):
        return self.command("RENAMENX", *self._rename_pair())

    def gen_copy(self):
        rng = self.rng
        source, target = self._rename_pair()
        options = []
        for _ in range(rng.choice([0, 1, 1, 2, 3])):
            roll = rng.random()
            if roll < 0.5:
                options += [self.cased("DB"), self.database_text()]
            elif roll < 0.9:
                options.append(self.cased("REPLACE"))
            else:
                options.append(self.cased(rng.choice(["DB", "FOO", "REPLACEX"])))
        return self.command("COPY", source, target, *options)

    def gen_move(self):
        return self.command("MOVE", self.key(allow_big=True), self.database_text())

    def gen_keys(self):
        return self.command("KEYS", self.pattern())

    def pattern(self):
        rng = self.rng
        return rng.choice([
            b"*", b"*", b"k*", b"k?", b"k[12]", b"k[^1]*", b"k[!1]*", b"[a-z]*", b"[n-k]*",
            b"\\k*", b"k\\*", b"*\x00*", b"[", b"[]", b"[\\]]*", b"*\r\n*", b"\xff*", b"",
            b"?", b"??", b"{tag}*", b"*key", b"n[0-9]", b"k[", b"k\\", b"*a*b*c*d*e*",
            b"*" * 40 + b"x", b"[^]*", b"big", b"K*",
        ])

    def gen_scan(self):
        rng = self.rng
        if rng.random() < 0.1:
            cursor = rng.choice([b"x", b" 0", b"0 ", b"1.5", b"18446744073709551616", b"-"])
        else:
            # Spellings of cursor 0 (strtoul accepts these); other cursors are positions in
            # each server's own table, so only complete iterations are comparable.
            cursor = rng.choice([b"0", b"0", b"0", b"", b"+0", b"00"])
        options = []
        for _ in range(rng.choice([0, 1, 1, 2, 3])):
            roll = rng.random()
            if roll < 0.4:
                options += [self.cased("MATCH"), self.pattern()]
            elif roll < 0.75:
                options += [self.cased("COUNT"),
                            rng.choice([b"1", b"2", b"10", b"1000", b"0", b"-1", b"x",
                                        str(LLONG_MAX).encode()])]
            elif roll < 0.95:
                options += [self.cased("TYPE"),
                            rng.choice([b"string", b"STRING", b"list", b"hash", b"zset",
                                        b"none", b"bogus"])]
            else:
                options.append(self.cased(rng.choice(["MATCH", "COUNT", "TYPE", "FOO"])))
        args = [self.cased("SCAN"), cursor] + options
        if cursor in (b"x", b" 0", b"0 ", b"1.5", b"18446744073709551616", b"-"):
            return Command("SCAN", args)
        return ScanIteration(args)

    def gen_randomkey(self):
        return self.command("RANDOMKEY")

    def _expire_command(self, name, unit_ms, absolute):
        rng = self.rng
        options = []
        for _ in range(rng.choice([0, 0, 1, 1, 2])):
            if rng.random() < 0.9:
                options.append(self.cased(rng.choice(["NX", "XX", "GT", "LT"])))
            else:
                options.append(self.cased(rng.choice(["FOO", "EX", "PERSIST"])))
        return self.command(name, self.key(allow_big=True),
                            self.expire_value(unit_ms, absolute), *options)

    def gen_expire(self):
        return self._expire_command("EXPIRE", False, False)

    def gen_pexpire(self):
        return self._expire_command("PEXPIRE", True, False)

    def gen_expireat(self):
        return self._expire_command("EXPIREAT", False, True)

    def gen_pexpireat(self):
        return self._expire_command("PEXPIREAT", True, True)

    def gen_ttl(self):
        return self.command("TTL", self.key(allow_big=True))

    def gen_pttl(self):
        return self.command("PTTL", self.key(allow_big=True))

    def gen_expiretime(self):
        return self.command("EXPIRETIME", self.key(allow_big=True))

    def gen_pexpiretime(self):
        return self.command("PEXPIRETIME", self.key(allow_big=True))

    def gen_persist(self):
        return self.command("PERSIST", self.key(allow_big=True))

    def gen_touch(self):
        return self.command("TOUCH", *self.keys(1, 4, allow_big=True))

    def gen_object(self):
        rng = self.rng
        sub = rng.choice(["ENCODING", "ENCODING", "REFCOUNT", "IDLETIME", "FREQ", "HELP",
                          "FOO"])
        if sub == "HELP":
            args = [self.cased(sub)] + ([b"extra"] if rng.random() < 0.2 else [])
        elif rng.random() < 0.05:
            args = [self.cased(sub)]  # missing key: a subcommand arity error (or unknown)
        else:
            args = [self.cased(sub), self.key(allow_big=True)]
            if rng.random() < 0.05:
                args.append(b"extra")
        return Command("OBJECT", [self.cased("OBJECT")] + args, subcommand=sub)

    # ------------------------------------------------------------------ databases
    def gen_ping(self):
        rng = self.rng
        args = [] if rng.random() < 0.5 else [self.value()]
        if rng.random() < 0.05:
            args = [b"a", b"b"]
        return self.command("PING", *args)

    def gen_echo(self):
        return self.command("ECHO", self.value())

    def gen_select(self):
        return self.command("SELECT", self.database_text())

    def gen_swapdb(self):
        return self.command("SWAPDB", self.database_text(), self.database_text())

    def gen_dbsize(self):
        return self.command("DBSIZE")

    def gen_flushdb(self):
        return self.command("FLUSHDB", *self._flush_mode())

    def gen_flushall(self):
        command = self.command("FLUSHALL", *self._flush_mode())
        if len(command.args) == 1 or command.args[1].upper() in (b"ASYNC", b"SYNC"):
            self.state.length_bound.clear()
        return command

    def _flush_mode(self):
        rng = self.rng
        roll = rng.random()
        if roll < 0.5:
            return []
        if roll < 0.9:
            return [self.cased(rng.choice(["ASYNC", "SYNC"]))]
        return rng.choice([[b"foo"], [b"async", b"sync"], [b""]])


def _as_bytes(value):
    if isinstance(value, bytes):
        return value
    if isinstance(value, int):
        return str(value).encode()
    return value.encode()


def _is_past_absolute(text, unit_ms):
    """Whether an EXAT/PXAT argument may be a time before now (erring on the side of yes)."""
    try:
        return int(text) < 4102444800 * (1000 if unit_ms else 1)
    except ValueError:
        return False


def describe(args, limit=200):
    """A readable, unambiguous rendering of a command for reports."""
    shown = []
    for arg in args:
        text = repr(arg)[1:] if len(arg) <= limit else repr(arg[:limit])[1:] + "...(%d bytes)" % len(arg)
        shown.append(text)
    return " ".join(shown)
