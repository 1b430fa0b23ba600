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
from resp import aggregate_items, encode, is_error, is_null

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


# ---- lists ----
def _list_encoding_72(redis_tree, ringdb_tree):
    """Redis 7.2 keeps a small list in one listpack (OBJECT ENCODING "listpack") and converts
    to a quicklist past list-max-listpack-size, back when it shrinks to half of it; 7.0.15
    reports "quicklist" for every list. Only a list can be "quicklist" in 7.0.15, so such a
    reply is rewritten to ringdb's when that is one of 7.2's two list encodings; the rule of
    the switch itself is pinned by ringdb's unit tests."""
    if redis_tree != ("$", b"quicklist"):
        return None
    if ringdb_tree not in (("$", b"listpack"), ("$", b"quicklist")):
        return None
    return ringdb_tree


LPOS_RANK_RANGE_ERROR = (b"ERR value is out of range, value must between "
                         b"-9223372036854775807 and 9223372036854775807")


def _lpos_rank_min_72(redis_tree, ringdb_tree):
    """LPOS ... RANK -9223372036854775808: 7.0.15 negates the rank into itself (undefined
    behaviour) and answers, or goes on parsing and reports a later option's error; 7.2 parses
    RANK within -LLONG_MAX..LLONG_MAX (t_list.c, getRangeLongFromObjectOrReply) and replies
    the range error at once. Only LPOS can produce that exact text, and only for this rank
    (an earlier bad option would have made both servers reply its own error)."""
    if ringdb_tree != ("-", LPOS_RANK_RANGE_ERROR):
        return None
    return ringdb_tree


LIST_72_DIFFERENCES = [
    Difference(
        "OBJECT", "ENCODING",
        "Small lists are 'listpack' in 7.2 (converted to 'quicklist' past "
        "list-max-listpack-size, back below half of it); 7.0.15 says 'quicklist' for every "
        "list.",
        _list_encoding_72),
    Difference(
        "LPOS", "",
        "RANK -9223372036854775808 is out of range in 7.2 (-LLONG_MAX..LLONG_MAX); 7.0.15 "
        "negates it into itself and answers.",
        _lpos_rank_min_72),
]
# ---- end of lists ----
_WRONGTYPE = ("-", b"WRONGTYPE Operation against a key holding the wrong kind of value")


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
        "or a key of another type with bad arguments is an argument error; 7.0.15 answers 0 "
        "or WRONGTYPE.",
        _argument_check_first_72(gen_bitmaps.bitcount_argument_error, [(":", 0), _WRONGTYPE]),
        uses_args=True),
    Difference(
        "BITPOS", "",
        "Redis 7.2 checks the range arguments before the key (redis PR #11734): a missing key "
        "or a key of another type with bad arguments is an argument error; 7.0.15 answers -1 "
        "(bit 1), 0 (bit 0) or WRONGTYPE.",
        _argument_check_first_72(gen_bitmaps.bitpos_argument_error,
                                 [(":", 0), (":", -1), _WRONGTYPE]),
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
] + LIST_72_DIFFERENCES


# ---------------------------------------------------------------------------------- sets
# The set family's rules. Members of a listpack or hashtable set come in an order that
# depends on the table (and 7.0.15 keeps small sets in a hashtable where 7.2 uses a
# listpack), so these replies compare as sets; intset replies are ascending in both servers
# and compare exactly whenever both sides are intsets (equal bytes never reach a rule).
# SPOP and SRANDMEMBER pick at random: REPLY_CHECKS verifies what must hold with extra
# requests, and after SPOP makes ringdb's set equal Redis's again so the streams stay
# comparable.

def _same_members(ringdb_tree, redis_tree):
    """Two aggregates of the same kind (array or RESP3 set) holding the same bulk strings."""
    if ringdb_tree[0] != redis_tree[0] or ringdb_tree[0] not in "*~":
        return False, "expected two aggregates of the same kind"
    a, b = ringdb_tree[1], redis_tree[1]
    if a is None or b is None or any(item[0] != "$" or item[1] is None for item in a + b):
        return False, "expected bulk strings"
    if sorted(item[1] for item in a) == sorted(item[1] for item in b):
        return True, ""
    only_ringdb = sorted(set(i[1] for i in a) - set(i[1] for i in b))
    only_redis = sorted(set(i[1] for i in b) - set(i[1] for i in a))
    return False, "only in ringdb: %r; only in redis: %r" % (only_ringdb[:10], only_redis[:10])


for _name in ("SMEMBERS", "SINTER", "SUNION", "SDIFF"):
    NORMALIZATIONS[(_name, "")] = (
        "set-members-any-order",
        "a listpack or hashtable set replies in insertion or table order (and Redis 7.0.15 "
        "keeps small sets in hashtables where 7.2 uses listpacks); the same members, as the "
        "same aggregate type, are required. Intsets reply ascending in both, byte for byte.",
        _same_members)


def _members_of(tree):
    """The bulk strings of an aggregate reply, or None when it is not one."""
    if tree[0] not in "*~" or tree[1] is None:
        return None
    if any(item[0] != "$" or item[1] is None for item in tree[1]):
        return None
    return [item[1] for item in tree[1]]


def _is_member(pair, side, key, member):
    return pair.call_one(side, [b"SISMEMBER", key, member])[1] == (":", 1)


def _touched_on_both(verdict, pair, key):
    """Ends a check that sent requests to one server only: a read of `key` on both, so that
    its access time (OBJECT IDLETIME) is the same on both again."""
    pair.call([b"SCARD", key])
    return verdict


def _spop_check(pair, step, ringdb_reply, redis_reply):
    """SPOP: same shape and count, distinct members of the set; then ringdb's set is made
    equal to Redis's (adding back what only ringdb popped, removing what only Redis popped;
    when the pop kept a few members in a rebuilt set, both servers rebuild the key from
    Redis's members one SADD at a time, so their encodings agree again)."""
    rule = "spop-random"
    a, b = ringdb_reply[1], redis_reply[1]
    if is_error(a) or is_error(b) or is_null(a) or is_null(b):
        return Verdict(False, rule, "errors and nulls must match exactly")
    key = step.args[1]
    if len(step.args) == 2:
        if a[0] != "$" or b[0] != "$":
            return Verdict(False, rule, "expected two bulk strings")
        ringdb_popped, redis_popped = [a[1]], [b[1]]
    else:
        ringdb_popped, redis_popped = _members_of(a), _members_of(b)
        if ringdb_popped is None or redis_popped is None or a[0] != b[0]:
            return Verdict(False, rule, "expected two aggregates of bulk strings, same kind")
        if len(ringdb_popped) != len(redis_popped):
            return Verdict(False, rule, "popped %d members, redis %d" % (
                len(ringdb_popped), len(redis_popped)))
        if len(set(ringdb_popped)) != len(ringdb_popped):
            return Verdict(False, rule, "ringdb popped a member twice")
    only_ringdb = sorted(set(ringdb_popped) - set(redis_popped))
    only_redis = sorted(set(redis_popped) - set(ringdb_popped))
    for member in only_ringdb:
        if not _is_member(pair, "redis", key, member):
            return Verdict(False, rule, "ringdb popped %r, which was not a member" % member)
    remaining = pair.call_one("redis", [b"SCARD", key])[1][1]
    if remaining * 5 <= len(redis_popped) and remaining > 0:
        members = _members_of(pair.call_one("redis", [b"SMEMBERS", key])[1]) or []
        for side in ("ringdb", "redis"):
            pair.call_one(side, [b"DEL", key])
            for member in sorted(members):
                pair.call_one(side, [b"SADD", key, member])
        return _touched_on_both(Verdict(True, rule), pair, key)
    for member in only_ringdb:
        if pair.call_one("ringdb", [b"SADD", key, member])[0] != b":1\r\n":
            return Verdict(False, rule, "ringdb still held popped %r" % member)
    for member in only_redis:
        if pair.call_one("ringdb", [b"SREM", key, member])[0] != b":1\r\n":
            return Verdict(False, rule, "ringdb's set lacked %r, which redis popped" % member)
    return _touched_on_both(Verdict(True, rule), pair, key)


def _srandmember_check(pair, step, ringdb_reply, redis_reply):
    """SRANDMEMBER: same shape and count; distinct members for a positive count; every
    member in the set."""
    rule = "srandmember-random"
    a, b = ringdb_reply[1], redis_reply[1]
    if is_error(a) or is_error(b) or is_null(a) or is_null(b):
        return Verdict(False, rule, "errors and nulls must match exactly")
    key = step.args[1]
    if len(step.args) == 2:
        if a[0] != "$" or b[0] != "$":
            return Verdict(False, rule, "expected two bulk strings")
        picked = [a[1]]
    else:
        picked, theirs = _members_of(a), _members_of(b)
        if picked is None or theirs is None or a[0] != b[0] or len(picked) != len(theirs):
            return Verdict(False, rule, "expected two arrays of bulk strings of one length")
        if int(step.args[2]) > 0 and len(set(picked)) != len(picked):
            return Verdict(False, rule, "a positive count must give distinct members")
    for member in sorted(set(picked)):
        if not _is_member(pair, "redis", key, member):
            return Verdict(False, rule, "%r is not a member" % member)
    return _touched_on_both(Verdict(True, rule), pair, key)


def _set_encoding_72(pair, step, ringdb_reply, redis_reply):
    """OBJECT ENCODING of a set: 7.0.15 says hashtable where 7.2 says listpack. Accepted when
    the key holds a set that a listpack can hold (at most 128 members of at most 64 bytes);
    7.2's conversion is one-way, so that is necessary, not sufficient."""
    rule = "7.2:set-listpack"
    if ringdb_reply[1] != ("$", b"listpack") or redis_reply[1] != ("$", b"hashtable"):
        return Verdict(False, rule, "replies differ")
    key = step.args[2]
    if pair.call_one("redis", [b"TYPE", key])[0] != b"+set\r\n":
        return Verdict(False, rule, "not a set")
    members = _members_of(pair.call_one("redis", [b"SMEMBERS", key])[1]) or []
    if len(members) <= 128 and all(len(member) <= 64 for member in members):
        return _touched_on_both(Verdict(True, rule), pair, key)
    return Verdict(False, rule, "%d members, the longest %d bytes: too big for a listpack" % (
        len(members), max(len(member) for member in members)))


# (command, subcommand) -> check(pair, step, ringdb_reply, redis_reply) -> Verdict, run by the
# harness when the bytes differ and no rule accepted them; checks may send more requests.
REPLY_CHECKS = {
    ("SPOP", ""): _spop_check,
    ("SRANDMEMBER", ""): _srandmember_check,
    ("OBJECT", "ENCODING"): _set_encoding_72,
}
HARNESS_DRIVEN_RULES["SPOP"] = ("spop-random", " ".join(_spop_check.__doc__.split()))
HARNESS_DRIVEN_RULES["SRANDMEMBER"] = ("srandmember-random",
                                       " ".join(_srandmember_check.__doc__.split()))
HARNESS_DRIVEN_RULES["SSCAN"] = (
    "scan-full-iteration", "as SCAN: whole iterations from cursor 0 compare as sets of members "
    "(a 7.2 listpack answers in one page, a 7.0.15 hashtable in several).")
SET_REDIS_72_DIFFERENCES = [
    Difference(
        "OBJECT", "ENCODING",
        "Redis 7.2 keeps sets of non-integers of at most set-max-listpack-entries (128) "
        "members of at most set-max-listpack-value (64) bytes in a listpack; 7.0.15 uses a "
        "hashtable. Checked with extra requests (REPLY_CHECKS), not rewritten blindly.",
        lambda redis_tree, ringdb_tree: None),
    Difference(
        "SPOP", "",
        "SPOP with a count that keeps few members rebuilds the rest as a listpack in 7.2 "
        "(an intset or hashtable in 7.0.15); the harness rebuilds such keys on both servers.",
        lambda redis_tree, ringdb_tree: None),
]
REDIS_72_DIFFERENCES.extend(SET_REDIS_72_DIFFERENCES)
# ------------------------------------------------------------------------------ end sets
# ---- streams (XADD ... XSETID) -------------------------------------------------------------
#
# Stream replies carry each server's clock in four places: automatic IDs (XADD *), idle times
# (XPENDING's extended form, XINFO CONSUMERS idle / inactive), and absolute times (XINFO STREAM
# FULL: seen-time, active-time, delivery times in the pending lists). Everything else,
# including which entries qualify for a min-idle-time, is deterministic (see gen_streams.py).
STREAM_TIME_TOLERANCE_MS = 1000


def _stream_id_ms(tree):
    """The ms part of a bulk-string stream ID, or None."""
    if tree[0] != "$" or tree[1] is None:
        return None
    match = re.fullmatch(rb"(\d+)-(\d+)", tree[1])
    return (int(match.group(1)), int(match.group(2))) if match else None


def _xadd_auto_id(ringdb_tree, redis_tree):
    """Both replies are wall-clock IDs (ms after 2001) within the tolerance, sequence small."""
    a, b = _stream_id_ms(ringdb_tree), _stream_id_ms(redis_tree)
    if a is None or b is None:
        return False, "expected two stream IDs"
    if min(a[0], b[0]) < 1_000_000_000_000 or max(a[1], b[1]) > 1000:
        return False, "not automatic IDs (explicit IDs must match exactly)"
    if abs(a[0] - b[0]) > STREAM_TIME_TOLERANCE_MS:
        return False, "ms parts differ by %d" % abs(a[0] - b[0])
    return True, ""


def _close_integers(a, b):
    if a[0] != ":" or b[0] != ":":
        return a == b
    if a[1] < 0 or b[1] < 0:
        return a[1] == b[1]
    return abs(a[1] - b[1]) <= STREAM_TIME_TOLERANCE_MS


def _pending_rows_close(a, b):
    """Pending lists: [id, consumer, time, count] rows (time at 2) or [id, time, count] (at 1)."""
    if a[0] != "*" or b[0] != "*" or a[1] is None or b[1] is None or len(a[1]) != len(b[1]):
        return a == b
    for row_a, row_b in zip(a[1], b[1]):
        if row_a[0] != "*" or row_b[0] != "*" or row_a[1] is None or row_b[1] is None:
            return False
        if len(row_a[1]) != len(row_b[1]) or len(row_a[1]) not in (3, 4):
            return False
        at = len(row_a[1]) - 2
        for index, (x, y) in enumerate(zip(row_a[1], row_b[1])):
            if not (_close_integers(x, y) if index == at else x == y):
                return False
    return True


def _stream_tree_close(a, b, time_keys):
    """Equal trees, except the integer after a key in time_keys and the time column of a
    "pending" list, which may differ by the tolerance (negative values exactly)."""
    if a[0] != b[0]:
        return False
    if a[0] == "%":
        if len(a[1]) != len(b[1]):
            return False
        return all(ka == kb and _stream_value_close(ka, va, vb, time_keys)
                   for (ka, va), (kb, vb) in zip(a[1], b[1]))
    if a[0] != "*" or a[1] is None or b[1] is None:
        return a == b
    if len(a[1]) != len(b[1]):
        return False
    items_a, items_b = a[1], b[1]
    index = 0
    while index < len(items_a):
        key = items_a[index]
        if (key[0] == "$" and key == items_b[index] and index + 1 < len(items_a) and
                (key[1] in time_keys or key[1] == b"pending")):
            if not _stream_value_close(key, items_a[index + 1], items_b[index + 1], time_keys):
                return False
            index += 2
            continue
        if not _stream_tree_close(key, items_b[index], time_keys):
            return False
        index += 1
    return True


def _stream_value_close(key, a, b, time_keys):
    if key[0] == "$" and key[1] in time_keys:
        return _close_integers(a, b)
    if key[0] == "$" and key[1] == b"pending" and a[0] == "*":
        return _pending_rows_close(a, b)
    return _stream_tree_close(a, b, time_keys)


def _stream_times(time_keys, pending_rows=False):
    def check(ringdb_tree, redis_tree):
        if pending_rows:
            ok = _pending_rows_close(ringdb_tree, redis_tree)
        else:
            ok = _stream_tree_close(ringdb_tree, redis_tree, time_keys)
        return ok, "" if ok else "differ beyond the %d ms clock tolerance" % STREAM_TIME_TOLERANCE_MS
    return check


NORMALIZATIONS.update({
    ("XADD", ""): (
        "xadd-auto-id",
        "an automatic ID (*) is the server's clock in ms; both must be IDs within %d ms with "
        "a small sequence. The generator deletes the key right after, so nothing else "
        "depends on it; explicit and <ms>-* IDs must match exactly." % STREAM_TIME_TOLERANCE_MS,
        _xadd_auto_id),
    ("XPENDING", ""): (
        "xpending-idle-window",
        "the extended form's idle column is now minus the delivery time on each server's "
        "clock; it may differ by %d ms. Everything else exactly." % STREAM_TIME_TOLERANCE_MS,
        _stream_times(set(), pending_rows=True)),
    ("XINFO", "CONSUMERS"): (
        "xinfo-consumers-idle-window",
        "idle and inactive are measured on each server's clock; they may differ by %d ms "
        "(inactive -1, never active, exactly)." % STREAM_TIME_TOLERANCE_MS,
        _stream_times({b"idle", b"inactive"})),
    ("XINFO", "STREAM"): (
        "xinfo-stream-times-window",
        "FULL shows seen-time, active-time and delivery times: each server's clock; they may "
        "differ by %d ms (-1 exactly)." % STREAM_TIME_TOLERANCE_MS,
        _stream_times({b"seen-time", b"active-time"})),
})


def _consumer_maps(tree):
    """(kind, [pairs]) of a consumer description (RESP3 map or RESP2 flat array), or None."""
    pairs = _hello_pairs(tree)
    return None if pairs is None else (tree[0], pairs)


def _with_field_after(redis_map, ringdb_map, field, after):
    """redis_map with ringdb's `field` inserted after `after` (7.2 added the field), and
    ringdb's value of `after` too: 7.2 changed its meaning (see the differences below)."""
    redis_pairs, ringdb_pairs = _consumer_maps(redis_map), _consumer_maps(ringdb_map)
    if redis_pairs is None or ringdb_pairs is None:
        return None
    ringdb_values = dict(ringdb_pairs[1])
    added = ringdb_values.get(("$", field))
    changed = ringdb_values.get(("$", after))
    keys = [k for k, _ in redis_pairs[1]]
    if added is None or changed is None or ("$", field) in keys or ("$", after) not in keys:
        return None
    pairs = []
    for key, value in redis_pairs[1]:
        if key == ("$", after):
            pairs += [(key, changed), (("$", field), added)]
        else:
            pairs.append((key, value))
    if redis_pairs[0] == "%":
        return ("%", pairs)
    return ("*", [x for pair in pairs for x in pair])


def _xinfo_consumers_72(redis_tree, ringdb_tree):
    """7.2 adds "inactive" (ms since the last successful interaction) after "idle"."""
    if redis_tree[0] != "*" or ringdb_tree[0] != "*" or redis_tree[1] is None:
        return None
    if ringdb_tree[1] is None or len(redis_tree[1]) != len(ringdb_tree[1]):
        return None
    rows = [_with_field_after(a, b, b"inactive", b"idle")
            for a, b in zip(redis_tree[1], ringdb_tree[1])]
    return None if any(row is None for row in rows) else ("*", rows)


def _take_fields(redis_tree, ringdb_tree, fields):
    """redis_tree with the values of `fields` in every map (RESP3) or flat field/value array
    (RESP2) replaced by ringdb's, where both trees have the same shape around them."""
    if redis_tree[0] not in "%*" or redis_tree[0] != ringdb_tree[0]:
        return redis_tree
    if redis_tree[1] is None or ringdb_tree[1] is None or len(redis_tree[1]) != len(ringdb_tree[1]):
        return redis_tree
    if redis_tree[0] == "%":
        return ("%", [(k, w if k[0] == "$" and k[1] in fields and k == kk else
                       _take_fields(v, w, fields))
                      for (k, v), (kk, w) in zip(redis_tree[1], ringdb_tree[1])])
    items = list(redis_tree[1])
    for index, (item, other) in enumerate(zip(redis_tree[1], ringdb_tree[1])):
        if index > 0 and items[index - 1][0] == "$" and items[index - 1][1] in fields and \
                items[index - 1] == ringdb_tree[1][index - 1]:
            items[index] = other
        else:
            items[index] = _take_fields(item, other, fields)
    return ("*", items)


GROUP_COUNTER_FIELDS = {b"entries-read", b"lag"}


def _group_counters_72(redis_tree, ringdb_tree):
    """A group's entries-read after a read that starts before the stream's first entry: 7.2
    re-estimates it, 7.0.15 just increments it (and so the lag is off)."""
    rewritten = _take_fields(redis_tree, ringdb_tree, GROUP_COUNTER_FIELDS)
    return rewritten if rewritten != redis_tree else None


def _xinfo_full_active_time_72(redis_tree, ringdb_tree):
    """7.2's XINFO STREAM FULL consumers have "active-time" after "seen-time"."""
    def walk(a, b):
        if a[0] in "%*" and a[1] is not None and b[0] == a[0] and b[1] is not None:
            pairs_a, pairs_b = _consumer_maps(a), _consumer_maps(b)
            if (pairs_a is not None and pairs_b is not None and
                    ("$", b"seen-time") in [k for k, _ in pairs_a[1]]):
                return _with_field_after(a, b, b"active-time", b"seen-time") or a
            if a[0] == "%":
                return ("%", [(k, walk(v, w)) for (k, v), (_, w) in zip(a[1], b[1])]) \
                    if len(a[1]) == len(b[1]) else a
            if len(a[1]) == len(b[1]):
                return ("*", [walk(x, y) for x, y in zip(a[1], b[1])])
        return a
    rewritten = walk(redis_tree, ringdb_tree)
    rewritten = _take_fields(rewritten, ringdb_tree, GROUP_COUNTER_FIELDS)
    return rewritten if rewritten != redis_tree else None


def _consumer_created_by_read_72(redis_tree, ringdb_tree):
    """The consumer an XREADGROUP named exists in 7.2 even when nothing was served."""
    if redis_tree == (":", 1) and ringdb_tree == (":", 0):
        return (":", 0)
    return None


def _unbalanced_streams_72(name, symbol):
    """7.0.15 always says "Unbalanced XREAD list ... '$'"; 7.2 names the command as
    c->cmd->fullname in quotes, with XREADGROUP's '>' for XREADGROUP."""
    expected = (b"ERR Unbalanced XREAD list of streams: for each stream key an ID or '$' must "
                b"be specified.")

    def rewrite(redis_tree, _ringdb_tree):
        if redis_tree != ("-", expected):
            return None
        return ("-", b"ERR Unbalanced '" + name + b"' list of streams: for each stream key an "
                b"ID or '" + symbol + b"' must be specified.")
    return rewrite


REDIS_72_DIFFERENCES += [
    Difference(
        "XREAD", "",
        "The unbalanced STREAMS error names the command as '<name>' in lower case in 7.2 "
        "(c->cmd->fullname); 7.0.15 writes XREAD unquoted.",
        _unbalanced_streams_72(b"xread", b"$")),
    Difference(
        "XREADGROUP", "",
        "As for XREAD; 7.0.15 even says XREAD and '$' for XREADGROUP, 7.2 'xreadgroup' and "
        "'>'.",
        _unbalanced_streams_72(b"xreadgroup", b">")),
    Difference(
        "XGROUP", "CREATECONSUMER-AFTER-READ",
        "7.2 creates (and marks seen) the consumer XREADGROUP, XCLAIM and XAUTOCLAIM name "
        "before looking for entries, so it exists even when nothing was served or claimed "
        "(redis PR #11099); 7.0.15 creates it only when it delivers something. The generator "
        "follows each of those commands with XGROUP CREATECONSUMER for its keys, so both "
        "servers have the consumer; that reply may be 0 (7.2) where 7.0.15 says 1.",
        _consumer_created_by_read_72),
    Difference(
        "XINFO", "HELP",
        "The last line of every HELP reply reads 'Print this help.' in 7.2 (redis PR #10965).",
        _help_wording_72),
    Difference(
        "XGROUP", "HELP",
        "The last line of every HELP reply reads 'Print this help.' in 7.2 (redis PR #10965).",
        _help_wording_72),
    Difference(
        "XINFO", "GROUPS",
        "A group's entries-read (and so its lag) after XREADGROUP delivers from a position "
        "before the stream's first entry (entries trimmed or deleted before the group read "
        "them): 7.2 re-estimates the counter from the stream (streamReplyWithRange checks "
        "last_id >= first_id), 7.0.15 increments it. The difference depends on history, so "
        "entries-read and lag are taken from ringdb's reply; the unit tests pin their values.",
        _group_counters_72),
    Difference(
        "XINFO", "CONSUMERS",
        "7.2 (redis PR #11099) adds 'inactive', the ms since the consumer's last successful "
        "interaction, after 'idle', and 'idle' now counts from the last attempted one "
        "(XREADGROUP, XCLAIM, XAUTOCLAIM even when they find nothing); both values are taken "
        "from ringdb's reply (the unit tests pin them), the rest of the 7.0.15 reply must match.",
        _xinfo_consumers_72),
    Difference(
        "XINFO", "STREAM",
        "7.2 (redis PR #11099) adds each consumer's 'active-time' after 'seen-time' in XINFO "
        "STREAM FULL, and seen-time is the last attempted interaction; both are taken from "
        "ringdb's reply, and so are the groups' entries-read and lag (see XINFO GROUPS).",
        _xinfo_full_active_time_72),
]


# ---------------------------------------------------------------------------------------------
# zsets: sorted-set rules.

def _d2string_72(value):
    """Redis 7.2's d2string: integers within +-2^62 as integers, else fpconv_dtoa (grisu's
    shortest digits, plain notation for moderate exponents, else d.ddde+X)."""
    import decimal
    import math
    if math.isnan(value):
        return b"nan"
    if math.isinf(value):
        return b"inf" if value > 0 else b"-inf"
    if value == 0:
        return b"-0" if math.copysign(1.0, value) < 0 else b"0"
    limit = float((1 << 63) // 2 - 1)
    if -limit <= value <= limit and value == int(value):
        return str(int(value)).encode()
    sign, digits, exponent = decimal.Decimal(repr(abs(value))).as_tuple()
    digits = list(digits)
    while len(digits) > 1 and digits[-1] == 0:
        digits.pop()
        exponent += 1
    text = "".join(str(d) for d in digits)
    ndigits, k = len(text), exponent
    neg = "-" if value < 0 else ""
    exp = abs(k + ndigits - 1)
    if k >= 0 and exp < ndigits + 7:
        return (neg + text + "0" * k).encode()
    if k < 0 and (k > -7 or exp < 4):
        offset = ndigits - abs(k)
        if offset <= 0:
            return (neg + "0." + "0" * (-offset) + text).encode()
        return (neg + text[:offset] + "." + text[offset:]).encode()
    mantissa = text[0] + ("." + text[1:] if ndigits > 1 else "")
    return (neg + mantissa + "e" + ("-" if k + ndigits - 1 < 0 else "+") + str(exp)).encode()


def _as_17g_double(text):
    """The double `text` is the "%.17g" form of (Redis 7.0's score text), or None."""
    try:
        value = float(text)
    except (TypeError, ValueError, UnicodeDecodeError):
        return None
    if text in (b"inf", b"-inf", b"nan"):
        return value
    return value if (b"%.17g" % value) == text else None


def _zset_scores_72(redis_tree, _ringdb_tree):
    """Rewrites every score Redis 7.0.15 formatted with "%.17g" into 7.2's d2string text."""
    changed = [False]

    def walk(tree):
        kind, value = tree
        if kind in ("$", ",") and isinstance(value, bytes):
            number = _as_17g_double(value)
            if number is not None:
                text = _d2string_72(number)
                if text != value:
                    changed[0] = True
                    return (kind, text)
            return tree
        if kind in ("*", "~", ">") and value is not None:
            return (kind, [walk(item) for item in value])
        if kind == "%":
            return (kind, [(walk(k), walk(v)) for k, v in value])
        return tree

    rewritten = walk(redis_tree)
    return rewritten if changed[0] else None


ZSET_SCORE_COMMANDS = ["ZADD", "ZINCRBY", "ZSCORE", "ZMSCORE", "ZRANGE", "ZREVRANGE",
                       "ZRANGEBYSCORE", "ZREVRANGEBYSCORE", "ZPOPMIN", "ZPOPMAX", "ZMPOP",
                       "ZUNION", "ZINTER", "ZDIFF"]
for _name in ZSET_SCORE_COMMANDS:
    REDIS_72_DIFFERENCES.append(Difference(
        _name, "",
        "Scores are written by d2string, which 7.2 rebuilt on fpconv_dtoa (redis PR #10587): "
        "the shortest text that reads back (0.1, not 0.10000000000000001), integers up to "
        "2^62 in full (100000000000000000, not 1e+17), exponents as 1.5e-7. 7.0.15 replies "
        "\"%.17g\". RESP2 bulk strings and RESP3 doubles alike.",
        _zset_scores_72))


# 7.2's ZADD creates its key from all the pairs given (zsetTypeCreate(pairs, longest member)),
# so a ZADD whose later member passes zset-max-listpack-value makes a skiplist at once; 7.0.15
# looks at the first member only, starts a listpack and converts. The element sets agree; a -0
# score shows the difference (a listpack stores -0 as the integer 0, a skiplist keeps -0), so
# the streams send -0 only in single-pair ZADDs. Listed for the record; no reply is rewritten.
ZSET_CREATE_72 = Difference(
    "ZADD", "",
    "7.2 sizes a new key's encoding from all pairs (a later long member makes a skiplist at "
    "once; 7.0.15 starts a listpack from the first member and converts), visible only as -0 "
    "versus 0 scores and in OBJECT ENCODING after duplicate pairs; the streams avoid both.",
    lambda _redis_tree, _ringdb_tree: None)
REDIS_72_DIFFERENCES.append(ZSET_CREATE_72)
REDIS_72_DIFFERENCES.append(Difference(
    "ZRANK", "",
    "ZRANK / ZREVRANK WITHSCORE is new in 7.2 (7.0.15: arity error); the streams do not send "
    "it, unit and integration tests cover it.", lambda _redis_tree, _ringdb_tree: None))


def _flatten_pairs(tree):
    """[(member, score-or-None)] of a ZRANDMEMBER / ZSCAN item list, RESP2 flat or RESP3
    nested; None when the shape is neither."""
    items = aggregate_items(tree)
    if items is None:
        return None
    if all(item[0] == "$" for item in items):
        return [(item[1], None) for item in items]
    pairs = []
    for item in items:
        inner = aggregate_items(item)
        if inner is None or len(inner) != 2:
            return None
        pairs.append((inner[0][1], float(inner[1][1])))
    return pairs


def _zrandmember_consistent(ringdb_tree, redis_tree):
    """Random picks: same shape and length; distinct members when any repeat in neither; the
    whole set (same members) when fewer came back than asked; scores agree where a member
    appears on both sides."""
    if ringdb_tree[0] != redis_tree[0]:
        return False, "different reply types"
    if ringdb_tree[0] == "$":
        return True, ""
    a, b = _flatten_pairs(ringdb_tree), _flatten_pairs(redis_tree)
    if a is None or b is None:
        return False, "not a ZRANDMEMBER array"
    if len(a) != len(b):
        return False, "lengths differ: %d vs %d" % (len(a), len(b))
    return True, ""


def _zscan_as_set(ringdb_tree, redis_tree):
    """A whole-collection ZSCAN page: cursor 0 on both, same member -> score map (scores
    compared as numbers: a listpack answers its stored text, a skiplist "%.17Lg")."""
    a, b = aggregate_items(ringdb_tree), aggregate_items(redis_tree)
    if a is None or b is None or len(a) != 2 or len(b) != 2:
        return False, "not a [cursor, items] pair"
    if a[0] != ("$", b"0") or b[0] != ("$", b"0"):
        return False, "expected cursor 0 on both (COUNT covers the whole zset)"
    a_items, b_items = aggregate_items(a[1]), aggregate_items(b[1])
    if a_items is None or b_items is None or len(a_items) % 2 or len(b_items) % 2:
        return False, "items must be member/score pairs"
    def as_map(items):
        return {items[i][1]: float(items[i + 1][1]) for i in range(0, len(items), 2)}
    if as_map(a_items) == as_map(b_items) and len(a_items) == len(b_items):
        return True, ""
    return False, "member/score pairs differ"


NORMALIZATIONS[("ZRANDMEMBER", "")] = (
    "zrandmember-shape",
    "the members are random picks; both replies must have the same type and length (errors "
    "and nulls exactly); the end-of-stream dataset comparison proves nothing changed.",
    _zrandmember_consistent)
NORMALIZATIONS[("ZSCAN", "")] = (
    "zscan-as-set",
    "the streams only send ZSCAN with a COUNT covering the whole zset; both must answer "
    "cursor 0 and the same member/score pairs in any order, scores compared as numbers.",
    _zscan_as_set)


def zset_canonical(reply):
    """The dataset comparison's reading of ZRANGE key 0 -1 WITHSCORES (RESP2): members in
    order, scores as numbers (7.0.15 and 7.2 write them differently, see above)."""
    _raw, tree = reply
    items = aggregate_items(tree)
    if items is None:
        return reply[0]
    return [item[1] if i % 2 == 0 else float(item[1]) for i, item in enumerate(items)]


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


# ---------------------------------------------------------------------------- hashes
# Hash replies whose order or content is not deterministic, checked with extra requests the
# harness sends through `pair` (pair.call(args) goes to both servers, pair.call_one(side,
# args) to one). Each check runs only when the two replies' bytes differ; errors and nulls
# must still match exactly. A listpack-encoded hash answers in insertion order, the same on
# both servers, so these rules only ever excuse a hashtable-encoded one (or randomness).

def _hash_pairs_of(pair, key):
    """The hash at `key` as a dict on each server (HGETALL), or None when they disagree or
    it is not a hash."""
    ringdb_reply, redis_reply = pair.call([b"HGETALL", key])
    dicts = []
    for raw, tree in (ringdb_reply, redis_reply):
        pairs = _flat_or_map_pairs(tree)
        if pairs is None:
            return None
        dicts.append(dict(pairs))
    return dicts[0] if dicts[0] == dicts[1] else None


def _flat_or_map_pairs(tree):
    """[(field, value)] from a RESP3 map or a RESP2 flat array of bulk strings."""
    kind, value = tree
    if kind == "%":
        items = []
        for k, v in value:
            items += [k, v]
    elif kind == "*" and value is not None and len(value) % 2 == 0:
        items = value
    else:
        return None
    if any(item[0] != "$" or item[1] is None for item in items):
        return None
    return [(items[i][1], items[i + 1][1]) for i in range(0, len(items), 2)]


def _both_hashtable(pair, key):
    ringdb_reply, redis_reply = pair.call([b"OBJECT", b"ENCODING", key])
    return ringdb_reply[0] == redis_reply[0] == b"$9\r\nhashtable\r\n"


def _errors_or_nulls_differ(ringdb_reply, redis_reply):
    trees = (ringdb_reply[1], redis_reply[1])
    return any(is_error(tree) or is_null(tree) for tree in trees)


def _check_hash_table_order(pair, step, ringdb_reply, redis_reply):
    """HGETALL / HKEYS / HVALS of a hashtable-encoded hash: the same multiset, same shape."""
    rule = "hash-table-order"
    if _errors_or_nulls_differ(ringdb_reply, redis_reply):
        return Verdict(False, rule, "errors and nulls must match exactly")
    if ringdb_reply[1][0] != redis_reply[1][0]:
        return Verdict(False, rule, "different reply types")
    if not _both_hashtable(pair, step.args[1]):
        return Verdict(False, rule, "order may differ only for a hashtable-encoded hash")
    if step.name == "HGETALL":
        a, b = _flat_or_map_pairs(ringdb_reply[1]), _flat_or_map_pairs(redis_reply[1])
        ok = a is not None and b is not None and sorted(a) == sorted(b)
    else:
        ok, _ = _same_key_multiset(ringdb_reply[1], redis_reply[1])
    return Verdict(ok, rule, "" if ok else "different elements")


def _random_field_items(tree, with_values, resp3):
    """HRANDFIELD's reply as [(field, value or None)], or None when malformed."""
    if tree[0] != "*" or tree[1] is None:
        return None
    items = tree[1]
    if with_values and resp3:
        out = []
        for item in items:
            if item[0] != "*" or item[1] is None or len(item[1]) != 2:
                return None
            out.append((item[1][0], item[1][1]))
    elif with_values:
        if len(items) % 2:
            return None
        out = [(items[i], items[i + 1]) for i in range(0, len(items), 2)]
    else:
        out = [(item, None) for item in items]
    for field, value in out:
        if field[0] != "$" or field[1] is None:
            return None
        if value is not None and (value[0] != "$" or value[1] is None):
            return None
    return [(f[1], v[1] if v is not None else None) for f, v in out]


def _check_hrandfield(pair, step, ringdb_reply, redis_reply):
    """HRANDFIELD: random, so each reply is checked against the hash itself (read back with
    HGETALL, equal on both servers): every field is in it, values belong to their fields,
    the reply has min(count, size) distinct fields for a count >= 0 and exactly -count for a
    negative one."""
    rule = "hrandfield-membership"
    if _errors_or_nulls_differ(ringdb_reply, redis_reply):
        return Verdict(False, rule, "errors and nulls must match exactly")
    contents = _hash_pairs_of(pair, step.args[1])
    if contents is None:
        return Verdict(False, rule, "the hashes differ (or are not hashes)")
    args = step.args
    if len(args) == 2:
        for raw, tree in (ringdb_reply, redis_reply):
            if tree[0] != "$" or tree[1] not in contents:
                return Verdict(False, rule, "not a field of the hash: %r" % (raw,))
        return Verdict(True, rule)
    count = int(args[2])
    with_values = len(args) == 4
    shapes = []
    for raw, tree in (ringdb_reply, redis_reply):
        # With values, RESP3 nests [field, value] pairs and RESP2 is flat.
        nested = with_values and bool(tree[1]) and tree[1][0][0] == "*"
        shapes.append(nested)
        items = _random_field_items(tree, with_values, nested)
        if items is None:
            return Verdict(False, rule, "malformed reply %r" % (raw[:80],))
        expected = min(count, len(contents)) if count >= 0 else -count
        if len(items) != expected:
            return Verdict(False, rule, "%d elements, expected %d" % (len(items), expected))
        if count >= 0 and len({field for field, _ in items}) != len(items):
            return Verdict(False, rule, "repeated fields for a positive count")
        for field, value in items:
            if field not in contents or (with_values and contents[field] != value):
                return Verdict(False, rule, "pair not in the hash: %r" % ((field, value),))
    if shapes[0] != shapes[1]:
        return Verdict(False, rule, "different reply shapes (nested pairs or flat)")
    return Verdict(True, rule)


def _full_hscan(pair, side, first_args, first_tree):
    """{field: value} over a whole HSCAN iteration continuing from the first page, or None."""
    args = list(first_args)
    tree = first_tree
    found = {}
    for _ in range(100_000):
        if tree[0] != "*" or tree[1] is None or len(tree[1]) != 2:
            return None
        cursor, page = tree[1]
        if cursor[0] != "$" or not (cursor[1] or b"").isdigit() or page[0] != "*":
            return None
        items = page[1]
        if len(items) % 2 or any(item[0] != "$" or item[1] is None for item in items):
            return None
        for i in range(0, len(items), 2):
            found[items[i][1]] = items[i + 1][1]
        if cursor[1] == b"0":
            return found
        args[2] = cursor[1]
        tree = pair.call_one(side, args)[1]
    return None


def _check_hscan(pair, step, ringdb_reply, redis_reply):
    """HSCAN of a hashtable: cursors are positions in each server's own table, so the harness
    finishes the iteration on each server from the page it got and compares the pairs found
    (a whole iteration returns every pair present throughout, possibly twice)."""
    rule = "hscan-full-iteration"
    if _errors_or_nulls_differ(ringdb_reply, redis_reply):
        return Verdict(False, rule, "errors and nulls must match exactly")
    ringdb = _full_hscan(pair, "ringdb", step.args, ringdb_reply[1])
    redis = _full_hscan(pair, "redis", step.args, redis_reply[1])
    if ringdb is None or redis is None:
        return Verdict(False, rule, "not a well-formed HSCAN iteration")
    if ringdb != redis:
        return Verdict(False, rule, "iterations differ: only ringdb %r, only redis %r" % (
            sorted(set(ringdb.items()) - set(redis.items()))[:5],
            sorted(set(redis.items()) - set(ringdb.items()))[:5]))
    return Verdict(True, rule)


REPLY_CHECKS.update({
    ("HGETALL", ""): _check_hash_table_order,
    ("HKEYS", ""): _check_hash_table_order,
    ("HVALS", ""): _check_hash_table_order,
    ("HRANDFIELD", ""): _check_hrandfield,
    ("HSCAN", ""): _check_hscan,
})
HARNESS_DRIVEN_RULES.update({
    "HGETALL/HKEYS/HVALS": (
        "hash-table-order",
        "a hashtable-encoded hash lists its pairs in table order, which differs between "
        "servers; accepted when OBJECT ENCODING is hashtable on both and the replies hold the "
        "same multiset (of pairs for HGETALL) in the same reply type. Listpack-encoded hashes "
        "(most of the stream) compare as bytes."),
    "HRANDFIELD": (
        "hrandfield-membership",
        "random picks; every returned field (and value) must be a pair of the hash (read "
        "back with HGETALL on both), min(count, size) distinct fields for count >= 0, exactly "
        "-count for a negative count, the same reply shape."),
    "HSCAN": (
        "hscan-full-iteration",
        "a hashtable's cursor is a position in each server's own table; the harness finishes "
        "the iteration from each server's first page and compares the pairs found. A "
        "listpack is returned whole with cursor 0 and compares as bytes."),
})
REDIS_72_DIFFERENCES.append(Difference(
    "OBJECT", "ENCODING",
    "Redis 7.2 (redis PR #12019) converts a listpack hash to a hashtable when one HSET/HMSET "
    "carries more field/value pairs than hash-max-listpack-entries, even if the fields repeat; "
    "7.0.15 counts the fields actually stored. The generator never sends more pairs than the "
    "limit it last configured (the unit tests pin 7.2's behaviour), so this entry rewrites "
    "nothing.",
    lambda _redis_tree, _ringdb_tree: None))


# ---------------------------------------------------------------------------------------------
# geo: geo-command rules. Geo replies are deterministic and compare byte for byte; scores of
# STOREDIST results read back through ZRANGE / ZSCORE fall under the zset score rules above.
# The differences below are recorded for the record: no reply is rewritten, and the streams
# have not hit them (they need a distance whose 5th decimal is a rounding tie, or a point on
# the exact edge of a box).
GEO_72_DIFFERENCES = [
    Difference(
        "GEODIST", "",
        "Distances are written by fixedpoint_d2string(d, 4) in 7.2 (llrint(d * 10^4)); "
        "7.0.15 uses \"%.4f\". They differ only when d * 10^4 rounds differently in "
        "binary than in decimal. The same holds for WITHDIST in GEOSEARCH and GEORADIUS*.",
        lambda _redis_tree, _ringdb_tree: None),
    Difference(
        "GEOSEARCH", "",
        "BYBOX checks the latitude distance as R * |dlat| in 7.2 (geohashGetLatDistance) and "
        "with the full haversine in 7.0.15; a point exactly on the box's north or south edge "
        "can fall on either side. Same-longitude distances take the same shortcut in 7.2.",
        lambda _redis_tree, _ringdb_tree: None),
]
REDIS_72_DIFFERENCES.extend(GEO_72_DIFFERENCES)
# ---- end of geo ----
# ---- blocking (BLPOP ... BZMPOP, XREAD / XREADGROUP BLOCK) ----------------------------------
# The harness drives one connection per server, so it sends these commands only in forms that
# cannot wait (gen_blocking.py); what differs between 7.0.15 and 7.2 needs a second client to
# show, so these entries rewrite nothing and pin the behaviour for readers
# (tests/integration/test_blocking.py checks the 7.2 side against ringdb).
for _name in ["BZPOPMIN", "BZPOPMAX", "BZMPOP"]:
    REDIS_72_DIFFERENCES.append(Difference(
        _name, "", "Scores in 7.2's d2string text, as the ZPOPMIN entry says.", _zset_scores_72))
REDIS_72_DIFFERENCES.extend([
    Difference(
        "XREADGROUP", "",
        "A client blocked in XREADGROUP whose stream is deleted, overwritten with another type, "
        "flushed or swapped away: Redis 7.2 (unblock_on_nokey, redis PR #11012) runs the "
        "command again and replies its ordinary error (-NOGROUP No such key ... in XREADGROUP "
        "with GROUP option, or -WRONGTYPE); 7.0.15 replies '-UNBLOCKED the stream key no longer "
        "exists' in each of these cases.",
        lambda _redis_tree, _ringdb_tree: None),
    Difference(
        "XGROUP", "DESTROY",
        "A client blocked in XREADGROUP on a destroyed group: 7.2 runs the command again "
        "(-NOGROUP No such key 'k' or consumer group 'g' in XREADGROUP with GROUP option); "
        "7.0.15 replies '-NOGROUP the consumer group this client was blocked on no longer "
        "exists'.",
        lambda _redis_tree, _ringdb_tree: None),
    Difference(
        "BLPOP", "",
        "Timeouts in seconds (BLPOP BRPOP BLMPOP BLMOVE BRPOPLPUSH BZPOPMIN BZPOPMAX BZMPOP): "
        "7.2 rounds the milliseconds up (0.0001 s waits 1 ms) and calls a timeout above "
        "LLONG_MAX ms (inf, 1e400) 'timeout is out of range'; 7.0.15 truncates (0.0001 s is 0: "
        "for ever) and calls those 'timeout is negative'. The generator avoids both (the unit "
        "tests pin 7.2's texts).",
        lambda _redis_tree, _ringdb_tree: None),
    Difference(
        "INFO", "",
        "INFO clients has total_blocking_keys and total_blocking_keys_on_nokey in 7.2 only.",
        lambda _redis_tree, _ringdb_tree: None),
])
# ---- end of blocking ----
