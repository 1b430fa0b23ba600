"""How replies are compared: byte for byte, except for the few documented rules below.

Every reply pair is first compared as exact bytes. Only when the bytes differ does a rule get a
say, and each rule is keyed on one command (and subcommand) and is as narrow as we could make
it: it says why the bytes may legitimately differ and what must still hold. A reply no rule
accepts is a mismatch.

There are two tables:

NORMALIZATIONS: places where Redis itself is not deterministic, so no two servers (not even two
Redis processes) can be expected to agree byte for byte.

REDIS_72_DIFFERENCES: places where Redis 7.2 (which ringdb follows) knowingly answers
differently from the Debian redis-server 7.0.15 we run as the oracle. Each entry rewrites the
7.0.15 reply into the 7.2 one. The research behind the table: the 7.2 release notes and the
"Redis 7.2 breaking changes" list (redis/redis PRs #10300, #11012, #11160, #11568, #11597,
#11099) change nothing these command families reply except HELLO's version; the GETRANGE
change of #12272 was reverted before 7.2 shipped (commit 0aeb86d).

Commands that need more than one request to check (a SCAN iteration, RANDOMKEY's membership
check, DBSIZE's reclaiming sweep) are driven by harness.py; the decisions live here.
"""
import re
from dataclasses import dataclass

import gen_bitmaps
from resp import encode, is_error, is_null

# Tolerances for clock-derived integers. Both servers receive each command within a fraction
# of a millisecond of each other, so the deadlines they store for a relative TTL and the
# instants they read the clock differ by about that much; the margin covers scheduling
# hiccups on a busy machine. TTL and EXPIRETIME are in seconds and Redis rounds (TTL) or
# truncates (EXPIRETIME), so a deadline near a boundary may land one second apart.
PTTL_TOLERANCE_MS = 250
TTL_TOLERANCE_S = 1
IDLETIME_TOLERANCE_S = 2


@dataclass
class Verdict:
    ok: bool
    rule: str = ""      # the rule that accepted or judged the pair ("" for exact bytes)
    detail: str = ""    # why a pair was refused


EXACT = Verdict(True)


def _integer_within(tolerance, unit):
    """Both integers; equal when either is negative (-1 no TTL, -2 no key); else close."""

    def check(ringdb_tree, redis_tree):
        if ringdb_tree[0] != ":" or redis_tree[0] != ":":
            return False, "expected two integer replies"
        a, b = ringdb_tree[1], redis_tree[1]
        if a < 0 or b < 0:
            return a == b, "negative values (no TTL / no key) must be equal"
        if abs(a - b) <= tolerance:
            return True, ""
        return False, "differ by %d %s (tolerance %d)" % (abs(a - b), unit, tolerance)

    return check


def _same_key_multiset(ringdb_tree, redis_tree):
    """Two arrays (or RESP3 sets) of the same kind holding the same bulk strings."""
    if ringdb_tree[0] != redis_tree[0] or ringdb_tree[0] not in "*~":
        return False, "expected two arrays of the same kind"
    a, b = ringdb_tree[1], redis_tree[1]
    if a is None or b is None:
        return False, "null array"
    if any(item[0] != "$" or item[1] is None for item in a + b):
        return False, "array elements must be bulk strings"
    a_keys = sorted(item[1] for item in a)
    b_keys = sorted(item[1] for item in b)
    if a_keys == b_keys:
        return True, ""
    only_ringdb = sorted(set(a_keys) - set(b_keys))
    only_redis = sorted(set(b_keys) - set(a_keys))
    return False, "keys only in ringdb: %r; only in redis: %r" % (only_ringdb[:10], only_redis[:10])


def _hello_fields(ringdb_tree, redis_tree):
    """HELLO's map (RESP3) or flat array (RESP2) with the "id" values made equal."""
    a = _hello_pairs(ringdb_tree)
    b = _hello_pairs(redis_tree)
    if a is None or b is None:
        return False, "not a HELLO reply"
    a = [(k, _id_placeholder(k, v, "ringdb")) for k, v in a]
    b = [(k, _id_placeholder(k, v, "redis")) for k, v in b]
    if a == b:
        return True, ""
    return False, "fields differ: ringdb %r, redis %r" % (a, b)


def _hello_pairs(tree):
    kind, value = tree
    if kind == "%":
        return list(value)
    if kind == "*" and value is not None and len(value) % 2 == 0:
        return [(value[i], value[i + 1]) for i in range(0, len(value), 2)]
    return None


def _id_placeholder(key, value, _server):
    if key == ("$", b"id") and value[0] == ":" and value[1] > 0:
        return (":", "<client id>")
    return value


# (command, subcommand) -> (rule name, reason, check(ringdb_tree, redis_tree) -> (ok, detail))
NORMALIZATIONS = {
    ("KEYS", ""): (
        "keys-any-order",
        "KEYS lists keys in hash-table order, which depends on each server's table layout "
        "and history; the same multiset of keys is required.",
        _same_key_multiset),
    ("TTL", ""): (
        "ttl-window",
        "a relative TTL's deadline includes each server's clock when it was set, and TTL reads "
        "the clock again; values >= 0 may differ by %d s, -1/-2 must match." % TTL_TOLERANCE_S,
        _integer_within(TTL_TOLERANCE_S, "s")),
    ("PTTL", ""): (
        "pttl-window",
        "as TTL, in milliseconds: values >= 0 may differ by %d ms." % PTTL_TOLERANCE_MS,
        _integer_within(PTTL_TOLERANCE_MS, "ms")),
    ("EXPIRETIME", ""): (
        "expiretime-window",
        "the absolute deadline of a relative TTL includes each server's clock when it was "
        "set; values >= 0 may differ by %d s." % TTL_TOLERANCE_S,
        _integer_within(TTL_TOLERANCE_S, "s")),
    ("PEXPIRETIME", ""): (
        "pexpiretime-window",
        "as EXPIRETIME, in milliseconds: values >= 0 may differ by %d ms." % PTTL_TOLERANCE_MS,
        _integer_within(PTTL_TOLERANCE_MS, "ms")),
    ("OBJECT", "IDLETIME"): (
        "idletime-window",
        "idle time is read from each server's LRU clock (1 s resolution, cached by a 100 ms "
        "timer), and a small integer value is a shared object in Redis whose clock starts "
        "with the server (the two start a fraction of a second apart); values may differ by "
        "%d s. Errors and nulls must match." % IDLETIME_TOLERANCE_S,
        _integer_within(IDLETIME_TOLERANCE_S, "s")),
    ("OBJECT", "FREQ"): (
        "freq-window",
        "under an LFU policy the counter is probabilistic and decays with time; two integers "
        "are accepted. With the default policy both servers must send the same error.",
        lambda a, b: (a[0] == ":" and b[0] == ":" and a[1] >= 0 and b[1] >= 0,
                      "expected two integers")),
    ("HELLO", ""): (
        "hello-client-id",
        "client ids number every connection a server has accepted, so they differ; any "
        "positive id is accepted. Every other field must match (see REDIS_72_DIFFERENCES for "
        "version).",
        _hello_fields),
}

# Replies that are checked by the harness with extra requests; listed here so the whole
# comparison policy reads in one place.
HARNESS_DRIVEN_RULES = {
    "SCAN": ("scan-full-iteration",
             "cursors are positions in each server's own table, so single SCAN calls are not "
             "comparable; the harness runs a whole iteration from cursor 0 on each server and "
             "compares the sets of keys returned. Errors on the first call are compared as "
             "bytes, and every reply must be a [cursor, [keys...]] pair."),
    "RANDOMKEY": ("randomkey-membership",
                  "the key is random; both replies must be null together, or both bulk "
                  "strings naming keys that EXISTS finds in both servers."),
    "DBSIZE": ("dbsize-after-sweep",
               "Redis 7.0 and 7.2 insert a key SET with EXAT/PXAT in the past and reclaim it "
               "lazily or by a timer, so DBSIZE counts it until then. Before DBSIZE the "
               "harness sends EXISTS for each name such a SET was sent for, to both servers "
               "(which reclaims them), then compares DBSIZE exactly."),
}


@dataclass
class Difference:
    """One known Redis 7.2 vs 7.0.15 difference: `rewrite` turns the 7.0.15 reply tree into
    the reply 7.2 sends (None when the entry does not apply to this reply)."""
    command: str
    subcommand: str
    reason: str
    rewrite: object
    # The rewrite also needs the request: rewrite(redis_tree, ringdb_tree, args).
    uses_args: bool = False


def _hello_version_72(redis_tree, ringdb_tree):
    """Redis 7.0.15 says version 7.0.15; ringdb follows 7.2 and says 7.2.x."""
    pairs = _hello_pairs(redis_tree)
    ringdb_pairs = _hello_pairs(ringdb_tree)
    if pairs is None or ringdb_pairs is None:
        return None
    ringdb_version = dict((k, v) for k, v in ringdb_pairs).get(("$", b"version"))
    if ringdb_version is None or ringdb_version[0] != "$":
        return None
    if not re.fullmatch(rb"7\.2\.\d+", ringdb_version[1] or b""):
        return None
    rewritten = [(k, ringdb_version if k == ("$", b"version") else v) for k, v in pairs]
    if redis_tree[0] == "%":
        return ("%", rewritten)
    return ("*", [x for pair in rewritten for x in pair])


def _help_wording_72(redis_tree, _ringdb_tree):
    """Redis 7.2's addReplyHelp ends with "    Print this help."; 7.0.15 says "Prints"."""
    if not redis_tree or redis_tree[0] != "*":
        return None
    items = list(redis_tree[1])
    if not items or items[-1] != ("+", b"    Prints this help."):
        return None
    items[-1] = ("+", b"    Print this help.")
    return ("*", items)


# A deliberate difference (not a 7.2 one): Redis stores one shared object for each integer
# 0..9999 under every key holding it, and a lookup refreshes that object's access time, so
# OBJECT IDLETIME of such a key is the time since ANY key holding that integer was touched.
# ringdb keeps access times per key; copying Redis would cost a value parse on every read.
SHARED_INTEGER_IDLETIME = (
    "shared-integer-idletime",
    "OBJECT IDLETIME of a key holding an integer 0..9999: Redis reports the shared object's "
    "idle time (any key with that value), ringdb the key's own. Accepted only when GET, sent "
    "to both, returns the same such integer.")


def shared_integer_idletime(step, verdict):
    """Whether a failed verdict is an OBJECT IDLETIME the shared-integer rule may accept."""
    return step.name == "OBJECT" and step.subcommand == "IDLETIME" and len(step.args) == 3


def is_shared_integer_reply(tree):
    """A bulk string holding one of Redis's shared integers (0..9999, canonical text)."""
    if not tree or tree[0] != "$" or tree[1] is None:
        return False
    text = tree[1]
    return text.isdigit() and (text == b"0" or not text.startswith(b"0")) and int(text) < 10000


def scan_type_is_none(args):
    """Whether a SCAN's last TYPE option is "none" (any case). Redis 7.0 checks TYPE with
    getObjectTypeName, which names a key that just expired "none", so TYPE none returns the
    keys that expired under the scan; 7.2 checks with objectTypeCompare and returns none of
    them (src/db.c, scanGenericCommand). The harness applies this to whole iterations."""
    value = None
    for i in range(2, len(args) - 1):
        if args[i].lower() == b"type":
            value = args[i + 1]
    return value is not None and value.lower() == b"none"


def _argument_check_first_72(argument_error, missing_key_replies):
    """Redis 7.2 (redis/redis #11734) checks BITCOUNT's and BITPOS's range arguments before
    looking up the key; 7.0 answered a missing key at once, so bad arguments got its
    `missing_key_replies` (0, or -1 for BITPOS 1) instead of 7.2's error. Applies only when
    the arguments are invalid by 7.2's rules (argument_error predicts the error)."""

    def rewrite(redis_tree, _ringdb_tree, args):
        error = argument_error(args)
        if error is None or redis_tree not in missing_key_replies:
            return None
        return ("-", error)

    return rewrite


REDIS_72_DIFFERENCES = [
    Difference(
        "BITCOUNT", "",
        "Redis 7.2 checks the range arguments before the key (redis PR #11734): a missing key "
        "with bad arguments is an error; 7.0.15 answers 0.",
        _argument_check_first_72(gen_bitmaps.bitcount_argument_error, [(":", 0)]),
        uses_args=True),
    Difference(
        "BITPOS", "",
        "Redis 7.2 checks the range arguments before the key (redis PR #11734): a missing key "
        "with bad arguments is an error; 7.0.15 answers -1 (bit 1) or 0 (bit 0).",
        _argument_check_first_72(gen_bitmaps.bitpos_argument_error, [(":", 0), (":", -1)]),
        uses_args=True),
    Difference(
        "OBJECT", "HELP",
        "The last line of every HELP reply reads 'Print this help.' in 7.2 (redis PR #10965); "
        "7.0.15 says 'Prints this help.'.",
        _help_wording_72),
    Difference(
        "HELLO", "",
        "HELLO reports the server version: 7.0.15 from the oracle, a 7.2.x version from ringdb "
        "(clients gate features on it).",
        _hello_version_72),
]


def compare(name, subcommand, ringdb_reply, redis_reply, args=None):
    """The verdict on one reply pair; replies are (raw bytes, tree); `args` is the request
    (needed by the differences marked uses_args, which do not apply without it)."""
    ringdb_raw, ringdb_tree = ringdb_reply
    redis_raw, redis_tree = redis_reply
    if ringdb_raw == redis_raw:
        return EXACT
    for difference in REDIS_72_DIFFERENCES:
        if difference.command == name and difference.subcommand == subcommand:
            if difference.uses_args:
                if args is None:
                    continue
                rewritten = difference.rewrite(redis_tree, ringdb_tree, args)
            else:
                rewritten = difference.rewrite(redis_tree, ringdb_tree)
            if rewritten is not None:
                redis_tree = rewritten
                redis_raw = encode(rewritten)
                if ringdb_raw == redis_raw:
                    return Verdict(True, "7.2:" + name.lower())
    rule = NORMALIZATIONS.get((name, subcommand))
    if rule is None:
        return Verdict(False, "", "replies differ")
    rule_name, _reason, check = rule
    if is_error(ringdb_tree) or is_error(redis_tree) or is_null(ringdb_tree) or is_null(redis_tree):
        return Verdict(False, rule_name, "errors and nulls must match exactly")
    ok, detail = check(ringdb_tree, redis_tree)
    return Verdict(ok, rule_name, detail)


def describe_rules():
    """The comparison policy as text, for --list-rules and the README."""
    lines = ["Normalizations (Redis itself is not deterministic here):"]
    for (name, sub), (rule_name, reason, _check) in sorted(NORMALIZATIONS.items()):
        lines.append("  %-22s %-20s %s" % ((name + " " + sub).strip(), rule_name, reason))
    for name, (rule_name, reason) in sorted(HARNESS_DRIVEN_RULES.items()):
        lines.append("  %-22s %-20s %s" % (name, rule_name, reason))
    lines.append("Redis 7.2 vs 7.0.15 differences (ringdb follows 7.2):")
    for difference in REDIS_72_DIFFERENCES:
        lines.append("  %-22s %s" % ((difference.command + " " + difference.subcommand).strip(),
                                     difference.reason))
    lines.append("  %-22s %s" % ("SCAN TYPE none",
                                 " ".join(scan_type_is_none.__doc__.split(". ", 1)[1].split())))
    lines.append("Deliberate differences:")
    lines.append("  %-22s %-20s %s" % ("OBJECT IDLETIME", SHARED_INTEGER_IDLETIME[0],
                                       SHARED_INTEGER_IDLETIME[1]))
    return "\n".join(lines)
