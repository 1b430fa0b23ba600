#!/usr/bin/python3
"""Differential test: ringdb-server against Debian's redis-server, reply for reply.

Starts both servers on free loopback ports (each in its own temporary directory), then for
each seed and protocol: flushes both, opens one connection to each (after HELLO 3 for RESP3),
sends the same generated command stream to both and compares every reply byte for byte
(rules.py lists the few documented exceptions). After each stream it compares the whole
dataset: for every database, the keys (KEYS *), and for every key its TYPE, value and whether
it has a TTL.

Exit status: 0 when everything matched, 1 on any mismatch, 2 when the harness itself could
not run (a server did not start, the oracle misbehaved).

    harness.py --seed 7 --count 3000 --protocol both            # one seed, both protocols
    harness.py --seeds 1,2,3 --count 3000 --family strings      # the CI shape
    harness.py --random-seeds 20 --count 100000                 # long, on demand
See README.md for the options and the comparison rules.
"""
import argparse
import collections
import os
import random
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import rules  # noqa: E402
from generator import DATABASE_COUNT, FAMILIES, Command, Generator, ScanIteration, describe  # noqa: E402
from resp import (Connection, ConnectionClosed, ProtocolViolation, aggregate_items,  # noqa: E402
                  is_error, is_null)
from servers import start_redis, start_ringdb  # noqa: E402

SCAN_CALLS_MAX = 100_000
CONTEXT_STEPS = 8


class RingdbFailure(Exception):
    """ringdb stopped answering (crash, hang, closed connection, malformed reply)."""


class OracleFailure(Exception):
    """redis-server misbehaved: a harness or environment problem, not a ringdb bug."""


def show(raw, limit=300):
    text = repr(raw)
    return text if len(text) <= limit else text[:limit] + "...(%d bytes)" % len(raw)


class Mismatch:
    """One refused reply pair (or dataset difference), as the report shows it."""

    def __init__(self, label, stream, step_index, db, what, ringdb, redis, rule="", detail=""):
        self.label = label  # the command (and subcommand) it is counted under
        self.stream = stream
        self.step_index = step_index
        self.db = db
        self.what = what
        self.ringdb = ringdb
        self.redis = redis
        self.rule = rule
        self.detail = detail
        self.context = []

    def render(self, with_context=False):
        lines = ["  [%s] step %d (db %s): %s" % (self.stream, self.step_index, self.db, self.what)]
        lines.append("      ringdb: %s" % self.ringdb)
        lines.append("      redis:  %s" % self.redis)
        if self.rule or self.detail:
            lines.append("      rule: %s %s" % (self.rule or "exact bytes", self.detail))
        if with_context and self.context:
            lines.append("      preceding steps:")
            lines += ["        #%d %s" % item for item in self.context]
        return "\n".join(lines)


class Pair:
    """One connection to each server; calls go to both and come back as reply pairs."""

    def __init__(self, ringdb, redis):
        self.redis = Connection(redis.port)
        try:
            self.ringdb = Connection(ringdb.port)
        except OSError as error:
            self.redis.close()
            raise RingdbFailure("cannot connect: %s" % error) from error

    def call(self, args):
        self.redis.send(args)
        try:
            self.ringdb.send(args)
            ringdb_reply = self.ringdb.read()
        except (ConnectionClosed, ProtocolViolation, OSError) as error:
            raise RingdbFailure("%s: %s" % (type(error).__name__, error)) from error
        try:
            redis_reply = self.redis.read()
        except (ConnectionClosed, ProtocolViolation, OSError) as error:
            raise OracleFailure("redis-server: %s: %s" % (type(error).__name__, error)) from error
        return ringdb_reply, redis_reply

    def call_one(self, side, args):
        connection = self.ringdb if side == "ringdb" else self.redis
        try:
            connection.send(args)
            return connection.read()
        except (ConnectionClosed, ProtocolViolation, OSError) as error:
            if side == "ringdb":
                raise RingdbFailure("%s: %s" % (type(error).__name__, error)) from error
            raise OracleFailure("redis-server: %s" % error) from error

    def close(self):
        self.ringdb.close()
        self.redis.close()


class StreamRun:
    """One seeded stream in one protocol against both servers."""

    def __init__(self, servers, seed, count, protocol, family, options):
        self.ringdb_server, self.redis_server = servers
        self.seed = seed
        self.count = count
        self.protocol = protocol
        self.family = family
        self.options = options
        self.label = "seed=%d resp%d %s" % (seed, protocol, family)
        self.mismatches = []
        self.sent = collections.Counter()
        self.failed = collections.Counter()
        self.history = collections.deque(maxlen=CONTEXT_STEPS)
        self.db = 0
        self.fatal = None
        # Per command, how the oracle answered: shows whether streams reach the interesting
        # paths (--coverage).
        self.outcomes = collections.defaultdict(collections.Counter)
        # How often each rule accepted replies whose bytes differed.
        self.rule_uses = collections.Counter()
        # Mismatches where ringdb answered "unknown command" and Redis did not.
        self.unknown_in_ringdb = collections.Counter()

    # ---------------------------------------------------------------- driver
    def run(self):
        try:
            self._run_stream()
            if not (self.options.stop_at_first and self.mismatches):
                self._compare_datasets()
        except RingdbFailure as failure:
            self.fatal = self._describe_failure(failure)
        return self

    def _run_stream(self):
        pair = Pair(self.ringdb_server, self.redis_server)
        try:
            self._reset(pair)
            if self.protocol == 3 and not self._hello(pair):
                raise RingdbFailure("ringdb refused HELLO 3, so the RESP3 stream cannot run")
            generator = Generator(self.seed, self.family, self.options.proto_max_bulk_len,
                                  self.options.only)
            for index in range(1, self.count + 1):
                step = generator.next()
                self.history.append((index, describe(step.args, 60)))
                self.sent[_label(step)] += 1
                if isinstance(step, ScanIteration):
                    self._scan(pair, index, step)
                else:
                    self._command(pair, index, step, generator)
                if self.options.stop_at_first and self.mismatches:
                    break
        finally:
            pair.close()

    def _describe_failure(self, failure):
        text = "ringdb stopped answering: %s" % failure
        if not self.ringdb_server.alive():
            text += "\nringdb-server exited with status %s; log tail:\n%s" % (
                self.ringdb_server.process.returncode, self.ringdb_server.read_log())
        if self.history:
            text += "\nlast steps:\n" + "\n".join("  #%d %s" % item for item in self.history)
        return text

    def _reset(self, pair):
        for args in ([b"FLUSHALL"], [b"SELECT", b"0"]):
            ringdb_reply, redis_reply = pair.call(args)
            if redis_reply[0] != b"+OK\r\n":
                raise OracleFailure("redis-server refused %r: %r" % (args, redis_reply[0]))
            if ringdb_reply[0] != b"+OK\r\n":
                self._record(0, describe(args), ringdb_reply[0], redis_reply[0], "",
                             "setup command failed; results below are unreliable")

    def _hello(self, pair):
        args = [b"HELLO", b"3"]
        ringdb_reply, redis_reply = pair.call(args)
        self.sent["HELLO"] += 1
        verdict = rules.compare("HELLO", "", ringdb_reply, redis_reply)
        if verdict.ok and verdict.rule:
            self.rule_uses[verdict.rule] += 1
        if not verdict.ok:
            self._record(0, "HELLO 3", ringdb_reply[0], redis_reply[0], verdict.rule,
                         verdict.detail, label="HELLO")
        return not is_error(ringdb_reply[1])

    # ---------------------------------------------------------------- steps
    def _command(self, pair, index, step, generator):
        if step.name == "DBSIZE" and generator.state.past_expiry_keys:
            self._reclaiming_sweep(pair, generator.state.past_expiry_keys)
        ringdb_reply, redis_reply = pair.call(step.args)
        self.outcomes[_label(step)][_outcome(redis_reply)] += 1
        if step.name == "RANDOMKEY":
            self._check_randomkey(pair, index, step, ringdb_reply, redis_reply)
        else:
            verdict = rules.compare(step.name, step.subcommand, ringdb_reply, redis_reply,
                                    step.args)
            if not verdict.ok and rules.shared_integer_idletime(step, verdict):
                verdict = self._check_shared_integer_idletime(pair, step, verdict)
            reply_check = rules.REPLY_CHECKS.get((step.name, step.subcommand))
            if not verdict.ok and reply_check is not None:
                verdict = reply_check(pair, step, ringdb_reply, redis_reply)
            if verdict.ok and verdict.rule:
                self.rule_uses[verdict.rule] += 1
            if not verdict.ok:
                self._record(index, describe(step.args), ringdb_reply[0], redis_reply[0],
                             verdict.rule, verdict.detail, label=_label(step))
        if step.name == "SELECT" and redis_reply[0] == b"+OK\r\n":
            self.db = int(step.args[1])

    def _check_shared_integer_idletime(self, pair, step, verdict):
        """rules.SHARED_INTEGER_IDLETIME: the mismatch is accepted when the key holds one of
        Redis's shared integers (GET, sent to both, must agree on it)."""
        key = step.args[2]
        ringdb_value, redis_value = pair.call([b"GET", key])
        if ringdb_value[0] != redis_value[0] or not rules.is_shared_integer_reply(redis_value[1]):
            return verdict
        return rules.Verdict(True, "shared-integer-idletime")

    def _check_randomkey(self, pair, index, step, ringdb_reply, redis_reply):
        rule = "randomkey-membership"
        if ringdb_reply[0] == redis_reply[0] and (is_null(redis_reply[1]) or is_error(redis_reply[1])):
            return
        both_bulk = ringdb_reply[1][0] == "$" and redis_reply[1][0] == "$"
        if not both_bulk or ringdb_reply[1][1] is None or redis_reply[1][1] is None:
            self._record(index, describe(step.args), ringdb_reply[0], redis_reply[0], rule,
                         "both null, or both bulk strings", label="RANDOMKEY")
            return
        self.rule_uses["randomkey-membership"] += 1
        for key in {ringdb_reply[1][1], redis_reply[1][1]}:
            check_ringdb, check_redis = pair.call([b"EXISTS", key])
            if check_ringdb[0] != b":1\r\n" or check_redis[0] != b":1\r\n":
                self._record(index, describe(step.args), ringdb_reply[0], redis_reply[0], rule,
                             "EXISTS %r: ringdb %s, redis %s" % (key, show(check_ringdb[0]),
                                                                 show(check_redis[0])),
                             label="RANDOMKEY")
                return

    def _reclaiming_sweep(self, pair, keys):
        """Looks up every name a SET with a past EXAT/PXAT was sent for, on both servers, so
        each reclaims such keys (lazy expiry) before DBSIZE counts. The replies are not
        compared: where they differ, the DBSIZE that follows does too."""
        for key in sorted(keys):
            pair.call([b"EXISTS", key])

    def _scan(self, pair, index, step):
        ringdb = self._full_scan(pair, "ringdb", step.args, step.cursor_index)
        redis = self._full_scan(pair, "redis", step.args, step.cursor_index)
        self.outcomes[step.name][redis[0] if redis[0] != "keys" else
                             ("keys" if redis[1] else "no keys")] += 1
        what = describe(step.args) + " (full iteration)"
        if redis[0] == "bad":
            raise OracleFailure("redis SCAN misbehaved: %s" % redis[1])
        if redis[0] == "keys" and rules.scan_type_is_none(step.args) and redis[1]:
            # See rules.REDIS_72_DIFFERENCES: 7.2 returns no key for TYPE none.
            self.rule_uses["7.2:scan-type-none"] += 1
            redis = ("keys", set())
        if ringdb == redis and ringdb[0] == "keys":
            self.rule_uses["scan-full-iteration"] += 1
        if ringdb[0] != redis[0]:
            self._record(index, what, _scan_summary(ringdb), _scan_summary(redis),
                         "scan-full-iteration", "", label=step.name)
        elif ringdb[0] == "error" and ringdb[1] != redis[1]:
            self._record(index, what, show(ringdb[1]), show(redis[1]), "scan-full-iteration",
                         "first-call errors must match", label=step.name)
        elif ringdb[0] == "keys" and ringdb[1] != redis[1]:
            only_ringdb = sorted(ringdb[1] - redis[1])
            only_redis = sorted(redis[1] - ringdb[1])
            self._record(index, what, _scan_summary(ringdb), _scan_summary(redis),
                         "scan-full-iteration",
                         "only in ringdb: %r; only in redis: %r" % (only_ringdb[:10], only_redis[:10]),
                         label=step.name)

    def _full_scan(self, pair, side, first_args, cursor_index=1):
        """("keys", set) for a whole iteration, ("error", raw) when the first call fails, or
        ("bad", description) for a reply that is not a well-formed SCAN page."""
        args = list(first_args)
        keys = set()
        for calls in range(SCAN_CALLS_MAX):
            raw, tree = pair.call_one(side, args)
            if is_error(tree):
                return ("error", raw) if calls == 0 else ("bad", "error mid-iteration: %s" % show(raw))
            page = _scan_page(tree)
            if page is None:
                return ("bad", "not a [cursor, [keys]] reply: %s" % show(raw))
            cursor, page_keys = page
            keys.update(page_keys)
            if cursor == b"0":
                return ("keys", keys)
            args[cursor_index] = cursor
        return ("bad", "iteration did not end within %d calls" % SCAN_CALLS_MAX)

    # ---------------------------------------------------------------- datasets
    def _compare_datasets(self):
        """Every database: same keys; per key same TYPE, same value, TTL present or not."""
        pair = Pair(self.ringdb_server, self.redis_server)
        try:
            for db in range(DATABASE_COUNT):
                if not self._compare_database(pair, db):
                    break
        finally:
            pair.close()

    def _compare_database(self, pair, db):
        select = [b"SELECT", str(db).encode()]
        ringdb_reply, redis_reply = pair.call(select)
        if ringdb_reply[0] != redis_reply[0]:
            self._dataset_issue(db, "SELECT %d" % db, ringdb_reply[0], redis_reply[0])
            return False
        ringdb_reply, redis_reply = pair.call([b"KEYS", b"*"])
        ringdb_keys = _bulk_set(ringdb_reply[1])
        redis_keys = _bulk_set(redis_reply[1])
        if redis_keys is None:
            raise OracleFailure("redis KEYS * returned %s" % show(redis_reply[0]))
        if ringdb_keys is None:
            self._dataset_issue(db, "KEYS *", ringdb_reply[0], redis_reply[0])
            return False
        for key in sorted(ringdb_keys ^ redis_keys):
            where = "ringdb only" if key in ringdb_keys else "redis only"
            self._dataset_issue(db, "key %r" % key, where, "", "key present on one side")
        for key in sorted(ringdb_keys & redis_keys):
            self._compare_key(pair, db, key)
        return True

    def _compare_key(self, pair, db, key):
        ringdb_type, redis_type = pair.call([b"TYPE", key])
        if ringdb_type[0] != redis_type[0]:
            self._dataset_issue(db, "TYPE %r" % key, ringdb_type[0], redis_type[0])
            return
        reader = VALUE_READERS.get(redis_type[0])
        if reader is not None:
            command, canonical = reader
            ringdb_value, redis_value = pair.call(command + [key] + VALUE_READER_TAILS.get(
                command[0], []))
            if canonical(ringdb_value) != canonical(redis_value):
                self._dataset_issue(db, "%s %r" % (command[0].decode(), key), ringdb_value[0],
                                    redis_value[0])
        ringdb_ttl, redis_ttl = pair.call([b"PTTL", key])
        if _ttl_presence(ringdb_ttl[1]) != _ttl_presence(redis_ttl[1]):
            self._dataset_issue(db, "PTTL %r" % key, ringdb_ttl[0], redis_ttl[0],
                                "TTL present on one side only")

    def _dataset_issue(self, db, what, ringdb, redis, detail=""):
        self._record("end", what, ringdb, redis, "dataset", detail, label="<dataset>", db=db)

    # ---------------------------------------------------------------- bookkeeping
    def _record(self, index, what, ringdb, redis, rule="", detail="", label="<setup>", db=None):
        if (isinstance(ringdb, bytes) and ringdb.startswith(b"-ERR unknown command")
                and isinstance(redis, bytes) and not redis.startswith(b"-ERR unknown command")):
            self.unknown_in_ringdb[label] += 1
        mismatch = Mismatch(label, self.label, index if isinstance(index, int) else -1,
                            self.db if db is None else db, what,
                            ringdb if isinstance(ringdb, str) else show(ringdb),
                            redis if isinstance(redis, str) else show(redis), rule, detail)
        if not self.mismatches:
            mismatch.context = list(self.history)[:-1]
        self.mismatches.append(mismatch)
        self.failed[label] += 1


def _label(step):
    return (step.name + " " + step.subcommand).strip()


def _outcome(reply):
    raw, tree = reply
    if is_error(tree):
        return "error '%s'" % raw[1:-2][:48].decode("ascii", "replace")
    if is_null(tree):
        return "null"
    if tree[0] == ":":
        return "zero" if tree[1] == 0 else ("positive" if tree[1] > 0 else "negative")
    if tree[0] == "$":
        return "bulk" if tree[1] else "empty bulk"
    return {"+": "status", "*": "array", "%": "map", "~": "set"}.get(tree[0], tree[0])


def print_coverage(runs, out=sys.stdout):
    totals = collections.defaultdict(collections.Counter)
    for run in runs:
        for label, counter in run.outcomes.items():
            totals[label].update(counter)
    print("\nOracle outcomes per command:", file=out)
    for label in sorted(totals):
        parts = ", ".join("%s %d" % item for item in totals[label].most_common())
        print("  %-18s %s" % (label, parts), file=out)


def _scan_page(tree):
    items = aggregate_items(tree)
    if items is None or len(items) != 2 or items[0][0] != "$" or items[0][1] is None:
        return None
    cursor = items[0][1]
    if not cursor.isdigit():
        return None
    keys = aggregate_items(items[1])
    if keys is None or any(k[0] != "$" or k[1] is None for k in keys):
        return None
    return cursor, [k[1] for k in keys]


def _scan_summary(result):
    if result[0] == "keys":
        return "%d keys: %r" % (len(result[1]), sorted(result[1])[:12])
    return "%s: %s" % (result[0], result[1] if isinstance(result[1], str) else show(result[1]))


def _bulk_set(tree):
    items = aggregate_items(tree)
    if items is None or any(item[0] != "$" or item[1] is None for item in items):
        return None
    return {item[1] for item in items}


def _exact(reply):
    return reply[0]


def _sorted_items(reply):
    """The bulk strings of an array reply, sorted (a set's members: Redis's order is its hash
    table's, which no two servers share)."""
    items = aggregate_items(reply[1])
    if items is None:
        return ("not an array", reply[0])
    return sorted(item[1] for item in items if item[0] == "$")


def _sorted_pairs(reply):
    """Field/value pairs of HGETALL (an array in RESP2, a map in RESP3), sorted by field."""
    kind, value = reply[1]
    if kind == "%":
        return sorted((field[1], item[1]) for field, item in value)
    items = aggregate_items(reply[1])
    if items is None:
        return ("not an aggregate", reply[0])
    flat = [item[1] for item in items]
    return sorted(zip(flat[0::2], flat[1::2]))


# How the end-of-stream comparison reads a value of each type: the command (the key and any
# tail from VALUE_READER_TAILS follow it) and what of its reply must agree.
VALUE_READERS = {
    b"+string\r\n": ([b"GET"], _exact),
    b"+list\r\n": ([b"LRANGE"], _exact),
    b"+hash\r\n": ([b"HGETALL"], _sorted_pairs),
    b"+set\r\n": ([b"SMEMBERS"], _sorted_items),
    b"+zset\r\n": ([b"ZRANGE"], rules.zset_canonical),
    b"+stream\r\n": ([b"XRANGE"], _exact),
}
VALUE_READER_TAILS = {
    b"LRANGE": [b"0", b"-1"],
    b"ZRANGE": [b"0", b"-1", b"WITHSCORES"],
    b"XRANGE": [b"-", b"+"],
}


def _ttl_presence(tree):
    if tree[0] != ":":
        return ("not an integer", tree)
    return "ttl" if tree[1] >= 0 else tree[1]


# -------------------------------------------------------------------- report
def report(runs, options, out=sys.stdout):
    sent = collections.Counter()
    failed = collections.Counter()
    mismatches = []
    fatal = []
    for run in runs:
        sent.update(run.sent)
        failed.update(run.failed)
        mismatches += run.mismatches
        if run.fatal:
            fatal.append((run, run.fatal))
    rule_uses = collections.Counter()
    unknown = collections.Counter()
    for run in runs:
        rule_uses.update(run.rule_uses)
        unknown.update(run.unknown_in_ringdb)
    total_sent = sum(sent.values())
    print("\n=== differential test: %d streams, %d steps, %d mismatches, %d aborted streams ===" % (
        len(runs), total_sent, len(mismatches), len(fatal)), file=out)
    for run, text in fatal:
        print("\n[%s] ABORTED: %s" % (run.label, text), file=out)
        print("  reproduce: %s" % reproduce_line(run), file=out)
    if mismatches:
        first = mismatches[0]
        print("\nFirst mismatch (later ones may be its consequences):", file=out)
        print(first.render(with_context=True), file=out)
        print("\nMismatches by command (mismatched of sent), with up to %d examples each:" %
              options.examples, file=out)
        by_label = collections.defaultdict(list)
        for mismatch in mismatches:
            by_label[mismatch.label].append(mismatch)
        for label in sorted(by_label, key=lambda l: (-len(by_label[l]), l)):
            if label in sent:
                print("\n%s: %d of %d" % (label, len(by_label[label]), sent[label]), file=out)
            else:
                print("\n%s: %d" % (label, len(by_label[label])), file=out)
            for mismatch in by_label[label][: options.examples]:
                print(mismatch.render(), file=out)
        missing = sorted(label for label in unknown if unknown[label] == failed[label])
        if missing:
            print("\nEvery mismatch of these was ringdb answering \"unknown command\" (not "
                  "implemented yet?): %s" % ", ".join(missing), file=out)
        clean = sorted(label for label in sent if label not in by_label)
        if clean:
            print("\nCommands with no mismatch: %s" % ", ".join(clean), file=out)
    if rule_uses:
        print("\nReplies accepted by a rule rather than equal bytes: %s" % ", ".join(
            "%s %d" % item for item in sorted(rule_uses.items())), file=out)
    failing_runs = [run for run in runs if run.mismatches or run.fatal]
    if failing_runs:
        print("\nReproduce a failing stream:", file=out)
        for run in failing_runs[:10]:
            print("  %s" % reproduce_line(run), file=out)
        return 1
    print("All replies matched.", file=out)
    return 0


def reproduce_line(run):
    return "python3 tests/diff/harness.py --seed %d --count %d --protocol %d --family %s%s%s" % (
        run.seed, run.count, run.protocol, run.family,
        " --commands " + ",".join(run.options.only) if run.options.only else "",
        " --proto-max-bulk-len %d" % run.options.proto_max_bulk_len
        if run.options.proto_max_bulk_len != DEFAULT_PROTO_MAX_BULK_LEN else "")


# -------------------------------------------------------------------- main
DEFAULT_PROTO_MAX_BULK_LEN = 4 << 20


def parse_args(argv):
    parser = argparse.ArgumentParser(
        description="Compare ringdb-server with redis-server reply for reply.",
        formatter_class=argparse.RawDescriptionHelpFormatter, epilog=rules.describe_rules())
    # Precedence --seed, --random-seeds, --seeds, so options appended to a meson test's own
    # (meson test --test-args) override its CI seeds.
    parser.add_argument("--seed", type=int, help="run this one seed")
    parser.add_argument("--seeds", help="comma-separated seeds (default: 1,2,3)")
    parser.add_argument("--random-seeds", type=int, metavar="N",
                        help="run N seeds drawn from the clock (each is printed)")
    parser.add_argument("--count", type=int, default=3000, help="steps per stream (3000)")
    parser.add_argument("--protocol", choices=["2", "3", "both"], default="both")
    parser.add_argument("--family", choices=sorted(FAMILIES), default="all",
                        help="which commands the stream draws from (all)")
    parser.add_argument("--commands", dest="only", type=lambda text: text.upper().split(","),
                        help="restrict the stream to these comma-separated commands "
                             "(e.g. SET,GET,DEL), to narrow down a failure")
    parser.add_argument("--proto-max-bulk-len", type=int, default=DEFAULT_PROTO_MAX_BULK_LEN,
                        help="given to both servers; SETRANGE/APPEND probe its boundary "
                             "(default 4 MiB keeps boundary values cheap)")
    parser.add_argument("--examples", type=int, default=3, help="examples shown per command")
    parser.add_argument("--stop-at-first", action="store_true",
                        help="stop each stream at its first mismatch")
    parser.add_argument("--ringdb", help="ringdb-server binary (default: $RINGDB_SERVER, "
                                         "then build/ringdb-server)")
    parser.add_argument("--redis", default="/usr/bin/redis-server", help="redis-server binary")
    parser.add_argument("--self-check", action="store_true",
                        help="run a second redis-server in ringdb's place: checks that the "
                             "harness and generator are deterministic (everything must match)")
    parser.add_argument("--coverage", action="store_true",
                        help="print how the oracle answered each command (error, null, ...)")
    parser.add_argument("--list-rules", action="store_true", help="print the comparison rules")
    return parser.parse_args(argv)


def chosen_seeds(options):
    if options.seed is not None:
        return [options.seed]
    if options.random_seeds:
        source = random.Random(time.time_ns())
        return [source.randrange(1, 1 << 31) for _ in range(options.random_seeds)]
    return [int(s) for s in (options.seeds or "1,2,3").split(",")]


def check_oracle_version(binary):
    """The rules (REDIS_72_DIFFERENCES) are written against Redis 7.0; None when it is."""
    try:
        result = subprocess.run([binary, "--version"], capture_output=True, timeout=30)
    except OSError as error:
        return "cannot run %s: %s" % (binary, error)
    if b" v=7.0." not in result.stdout:
        return ("%s is not Redis 7.0 (%r): review rules.REDIS_72_DIFFERENCES before trusting "
                "the comparison" % (binary, result.stdout.strip()))
    return None


def start_subject(options, server_args):
    """The server under test: ringdb, or a second redis-server under --self-check."""
    if options.self_check:
        return start_redis(options.redis, server_args, name="redis-as-subject")
    return start_ringdb(options.ringdb, server_args)


def main(argv=None):
    options = parse_args(argv if argv is not None else sys.argv[1:])
    if options.list_rules:
        print(rules.describe_rules())
        return 0
    oracle_problem = check_oracle_version(options.redis)
    if oracle_problem:
        print(oracle_problem, file=sys.stderr)
        return 2
    protocols = [2, 3] if options.protocol == "both" else [int(options.protocol)]
    seeds = chosen_seeds(options)
    server_args = ["--proto-max-bulk-len", str(options.proto_max_bulk_len)]
    servers = []
    try:
        servers.append(start_subject(options, server_args))
        servers.append(start_redis(options.redis, server_args))
    except RuntimeError as error:
        print("cannot start servers: %s" % error, file=sys.stderr)
        for server in servers:
            server.stop()
        return 2
    runs = []
    try:
        for seed in seeds:
            for protocol in protocols:
                started = time.monotonic()
                print("stream seed=%d protocol=resp%d family=%s count=%d" % (
                    seed, protocol, options.family, options.count), flush=True)
                if not servers[0].alive():
                    print("ringdb-server is not running; restarting it", flush=True)
                    servers[0].stop()
                    servers[0] = start_subject(options, server_args)
                run = StreamRun(servers, seed, options.count, protocol, options.family,
                                options).run()
                runs.append(run)
                print("  %d mismatches%s in %.1fs" % (
                    len(run.mismatches), ", ABORTED" if run.fatal else "",
                    time.monotonic() - started), flush=True)
    except OracleFailure as error:
        print("harness error (not a ringdb bug): %s" % error, file=sys.stderr)
        return 2
    finally:
        for server in servers:
            server.stop()
    if options.coverage:
        print_coverage(runs)
    return report(runs, options)


if __name__ == "__main__":
    sys.exit(main())
