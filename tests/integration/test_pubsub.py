"""Pub/sub: SUBSCRIBE and friends, PUBLISH, PUBSUB, RESP3 pushes, keyspace notifications and
the output limit that disconnects slow subscribers.

Tests taking `target` run twice, against ringdb and against Debian's redis-server 7.0 (the
oracle), so every expectation written here is also what real Redis does. Where 7.0 and 7.2
differ, ringdb follows 7.2 and the test says so by name.
"""
import os
import shutil
import socket
import subprocess
import threading
import time

import pytest

from conftest import REDIS_SERVER, ServerProcess

REDIS_CLI = shutil.which("redis-cli") or "/usr/bin/redis-cli"
ONLY_IN_CONTEXT = ("only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in "
                   "this context")


# ---- Helpers ----

def is_oracle(target):
    return target.binary == REDIS_SERVER


def wait_until(predicate, what, timeout=20.0):
    """Polls `predicate` until it returns something true; generous deadline, no threshold."""
    deadline = time.time() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.time() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.01)


class Decoder:
    """RESP2/RESP3 bytes to Python: bulk and simple strings as str, errors as ("-", text),
    pushes as (">", [items]), nulls as None."""

    def __init__(self, data):
        self.data = data
        self.pos = 0

    def line(self):
        end = self.data.index(b"\r\n", self.pos)
        text = self.data[self.pos:end]
        self.pos = end + 2
        return text

    def value(self):
        line = self.line()
        kind, rest = line[:1], line[1:]
        if kind == b"+":
            return rest.decode()
        if kind == b"-":
            return ("-", rest.decode())
        if kind == b":":
            return int(rest)
        if kind == b"_":
            return None
        if kind == b"$":
            n = int(rest)
            if n < 0:
                return None
            body = self.data[self.pos:self.pos + n]
            self.pos += n + 2
            return body.decode()
        if kind in (b"*", b">"):
            n = int(rest)
            if n < 0:
                return None
            items = [self.value() for _ in range(n)]
            return items if kind == b"*" else (">", items)
        if kind == b"%":
            return {self.value(): self.value() for _ in range(int(rest))}
        raise AssertionError(f"unexpected reply line {line!r}")


def read(conn):
    data = conn.read_reply()
    decoder = Decoder(data)
    value = decoder.value()
    assert decoder.pos == len(data)
    return value


def call(conn, *args):
    conn.command(*args)
    return read(conn)


def replies(conn, *args, count):
    conn.command(*args)
    return [read(conn) for _ in range(count)]


def numsub(target, channel):
    client = target.client(decode_responses=True)
    try:
        return dict(client.pubsub_numsub(channel))[channel]
    finally:
        client.close()


def next_message(pubsub, timeout=20.0):
    """The next message of a redis-py PubSub (confirmations included), or fails."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        message = pubsub.get_message(timeout=0.5)
        if message is not None:
            return message
    raise AssertionError("no pub/sub message arrived")


def brief(message):
    return (message["type"], message["pattern"], message["channel"], message["data"])


@pytest.fixture
def fresh(target):
    """A clean server state for the test: no keys, no notifications, default limits."""
    client = target.client(decode_responses=True)
    # Connections of earlier tests may still be closing: start without any subscription.
    wait_until(lambda: (client.pubsub_numpat() == 0 and not client.pubsub_channels() and
                        not client.execute_command("PUBSUB", "SHARDCHANNELS")),
               "earlier tests' subscribers to be gone")
    client.flushall()
    client.config_set("notify-keyspace-events", "")
    client.config_resetstat()
    yield client
    client.config_set("notify-keyspace-events", "")
    client.config_set("client-output-buffer-limit", "pubsub 32mb 8mb 60")
    client.close()


# ---- Subscribing and unsubscribing ----

def test_confirmations_carry_the_subscription_counts(target, fresh):
    c = target.raw()
    assert replies(c, "SUBSCRIBE", "a", "b", "a", count=3) == [
        ["subscribe", "a", 1], ["subscribe", "b", 2], ["subscribe", "a", 2]]
    # Patterns share the count with channels.
    assert replies(c, "PSUBSCRIBE", "p*", "q?", count=2) == [
        ["psubscribe", "p*", 3], ["psubscribe", "q?", 4]]
    # Shard channels are counted on their own.
    assert replies(c, "SSUBSCRIBE", "s1", "s2", count=2) == [
        ["ssubscribe", "s1", 1], ["ssubscribe", "s2", 2]]
    # Unsubscribing from a channel one is not subscribed to still confirms.
    assert replies(c, "UNSUBSCRIBE", "a", "zz", count=2) == [
        ["unsubscribe", "a", 3], ["unsubscribe", "zz", 3]]
    assert replies(c, "UNSUBSCRIBE", count=1) == [["unsubscribe", "b", 2]]
    # With nothing left, one confirmation with a null name.
    assert replies(c, "UNSUBSCRIBE", count=1) == [["unsubscribe", None, 2]]
    both = replies(c, "PUNSUBSCRIBE", count=2)
    assert sorted(reply[1] for reply in both) == ["p*", "q?"]
    assert [reply[2] for reply in both] == [1, 0]
    assert replies(c, "PUNSUBSCRIBE", count=1) == [["punsubscribe", None, 0]]
    assert replies(c, "SUNSUBSCRIBE", "s1", count=1) == [["sunsubscribe", "s1", 1]]
    assert replies(c, "SUNSUBSCRIBE", count=1) == [["sunsubscribe", "s2", 0]]
    assert replies(c, "SUNSUBSCRIBE", count=1) == [["sunsubscribe", None, 0]]
    # Out of subscribed mode: any command runs again.
    assert call(c, "GET", "x") is None
    c.close()


def test_a_shard_subscription_alone_keeps_the_connection_subscribed(target, fresh):
    c = target.raw()
    assert replies(c, "SSUBSCRIBE", "s", count=1) == [["ssubscribe", "s", 1]]
    assert call(c, "GET", "x") == ("-", f"ERR Can't execute 'get': {ONLY_IN_CONTEXT}")
    assert replies(c, "SUNSUBSCRIBE", count=1) == [["sunsubscribe", "s", 0]]
    assert call(c, "GET", "x") is None
    c.close()


def test_subscribed_resp2_connection_runs_only_pubsub_commands_ping_quit_reset(target, fresh):
    c = target.raw()
    replies(c, "SUBSCRIBE", "ch", count=1)
    assert call(c, "GET", "k") == ("-", f"ERR Can't execute 'get': {ONLY_IN_CONTEXT}")
    assert call(c, "CLIENT", "ID") == ("-", f"ERR Can't execute 'client|id': {ONLY_IN_CONTEXT}")
    assert call(c, "PUBLISH", "ch", "x") == (
        "-", f"ERR Can't execute 'publish': {ONLY_IN_CONTEXT}")
    # Lookup and arity errors come first, as in Redis's processCommand.
    error = call(c, "NOSUCH", "a")
    assert error[1].startswith("ERR unknown command 'NOSUCH'")
    assert call(c, "GET") == ("-", "ERR wrong number of arguments for 'get' command")
    # PING answers in the message shape.
    assert call(c, "PING") == ["pong", ""]
    assert call(c, "PING", "hi") == ["pong", "hi"]
    assert replies(c, "PSUBSCRIBE", "x*", count=1) == [["psubscribe", "x*", 2]]
    stats = fresh.info("commandstats")
    assert stats["cmdstat_get"]["rejected_calls"] == 2  # GET k, and GET with no key
    assert stats["cmdstat_publish"]["rejected_calls"] == 1
    # Three refusals, the unknown command and the arity error.
    assert fresh.info("errorstats")["errorstat_ERR"] == "count=5"
    # RESET leaves subscribed mode and drops every subscription.
    assert call(c, "RESET") == "RESET"
    assert call(c, "PING") == "PONG"
    assert fresh.publish("ch", "x") == 0
    assert fresh.publish("xy", "x") == 0
    assert fresh.pubsub_numpat() == 0
    replies(c, "SUBSCRIBE", "ch", count=1)
    assert call(c, "QUIT") == "OK"
    assert c.closed_by_peer()
    wait_until(lambda: numsub(target, "ch") == 0, "the quitting subscriber to be gone")


def test_a_disconnected_subscriber_is_unsubscribed(target, fresh):
    c = target.raw()
    replies(c, "SUBSCRIBE", "gone", count=1)
    replies(c, "PSUBSCRIBE", "gone*", count=1)
    replies(c, "SSUBSCRIBE", "sgone", count=1)
    assert numsub(target, "gone") == 1
    c.close()
    wait_until(lambda: numsub(target, "gone") == 0, "the closed subscriber to be gone")
    wait_until(lambda: fresh.pubsub_numpat() == 0, "its pattern to be gone")
    assert fresh.execute_command("PUBSUB", "SHARDNUMSUB", "sgone") == ["sgone", 0]
    assert fresh.publish("gone", "x") == 0


# ---- Publishing ----

def test_publish_reaches_every_subscriber_and_counts_deliveries(target, fresh):
    clients = [target.client(decode_responses=True) for _ in range(3)]
    subs = [client.pubsub() for client in clients]
    subs[0].subscribe("news")
    subs[1].subscribe("news")
    subs[1].psubscribe("n*")
    subs[2].psubscribe("n*", "*ws")
    for sub, confirmations in zip(subs, [1, 2, 2]):
        for _ in range(confirmations):
            assert next_message(sub)["type"] in ("subscribe", "psubscribe")
    # Two channel subscribers, and three pattern subscriptions that match.
    assert fresh.publish("news", "hello") == 5
    assert brief(next_message(subs[0])) == ("message", None, "news", "hello")
    assert brief(next_message(subs[1])) == ("message", None, "news", "hello")
    assert brief(next_message(subs[1])) == ("pmessage", "n*", "news", "hello")
    got = {brief(next_message(subs[2])) for _ in range(2)}
    assert got == {("pmessage", "n*", "news", "hello"), ("pmessage", "*ws", "news", "hello")}
    assert fresh.publish("nothing", "x") == 2
    assert fresh.publish("other", "x") == 0
    assert fresh.publish("", "empty channel") == 0
    for sub, client in zip(subs, clients):
        sub.close()
        client.close()


def test_concurrent_publishers_keep_their_order_for_every_subscriber(target, fresh):
    subs = []
    for _ in range(3):
        sub = target.client(decode_responses=True).pubsub()
        sub.subscribe("flow")
        assert next_message(sub)["type"] == "subscribe"
        subs.append(sub)
    per_publisher = 200

    def publish(name):
        client = target.client(decode_responses=True)
        pipe = client.pipeline(transaction=False)
        for i in range(per_publisher):
            pipe.publish("flow", f"{name}:{i}")
        assert pipe.execute() == [3] * per_publisher
        client.close()

    threads = [threading.Thread(target=publish, args=(name,)) for name in ("a", "b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for sub in subs:
        got = [next_message(sub)["data"] for _ in range(2 * per_publisher)]
        for name in ("a", "b"):
            assert [m for m in got if m.startswith(name + ":")] == [
                f"{name}:{i}" for i in range(per_publisher)]
        sub.close()


def test_shard_channels_and_channels_are_separate_namespaces(target, fresh):
    c = target.raw()
    replies(c, "SSUBSCRIBE", "room", count=1)
    other = target.raw()
    replies(other, "SUBSCRIBE", "room", count=1)
    replies(other, "PSUBSCRIBE", "r*", count=1)
    # SPUBLISH reaches shard subscribers only; patterns never see shard channels.
    assert fresh.execute_command("SPUBLISH", "room", "s") == 1
    assert read(c) == ["smessage", "room", "s"]
    assert fresh.publish("room", "p") == 2
    assert read(other) == ["message", "room", "p"]
    assert read(other) == ["pmessage", "r*", "room", "p"]
    assert fresh.execute_command("PUBSUB", "SHARDCHANNELS") == ["room"]
    assert fresh.execute_command("PUBSUB", "SHARDNUMSUB", "room", "none") == [
        "room", 1, "none", 0]
    info = fresh.info("stats")
    assert (info["pubsub_channels"], info["pubsub_patterns"], info["pubsubshard_channels"]) == (
        1, 1, 1)
    c.close()
    other.close()


@pytest.mark.parametrize("pattern,matching,other", [
    ("h?llo", ["hello", "hallo", "hxllo"], ["hllo", "heello"]),
    ("h*llo", ["hllo", "heeeello"], ["hell", "xhllo"]),
    ("h[ae]llo", ["hello", "hallo"], ["hillo"]),
    ("h[^e]llo", ["hallo", "hbllo"], ["hello"]),
    ("h[a-b]llo", ["hallo", "hbllo"], ["hcllo"]),
    ("a\\*b", ["a*b"], ["axb"]),
    # stringmatchlen never matches an empty channel, not even with "*".
    ("*", ["anything"], [""]),
    ("News.*", ["News.x"], ["news.x"]),
])
def test_patterns_match_as_redis_globs(target, fresh, pattern, matching, other):
    c = target.raw()
    replies(c, "PSUBSCRIBE", pattern, count=1)
    for channel in matching:
        assert fresh.publish(channel, "m") == 1, channel
        assert read(c) == ["pmessage", pattern, channel, "m"]
    for channel in other:
        assert fresh.publish(channel, "m") == 0, channel
    c.close()


# ---- PUBSUB ----

def test_pubsub_introspection(target, fresh):
    a, b = target.raw(), target.raw()
    replies(a, "SUBSCRIBE", "news.tech", "news.art", "sport", count=3)
    replies(b, "SUBSCRIBE", "news.tech", count=1)
    replies(a, "PSUBSCRIBE", "news.*", "x?", count=2)
    replies(b, "PSUBSCRIBE", "news.*", count=1)
    channels = lambda *args: sorted(fresh.execute_command("PUBSUB", "CHANNELS", *args))
    assert channels() == ["news.art", "news.tech", "sport"]
    assert channels("news.*") == ["news.art", "news.tech"]
    assert channels("nothing*") == []
    assert fresh.execute_command("PUBSUB", "NUMSUB", "news.tech", "sport", "none") == [
        "news.tech", 2, "sport", 1, "none", 0]
    assert fresh.execute_command("PUBSUB", "NUMSUB") == []
    # Unique patterns, not subscriptions.
    assert fresh.execute_command("PUBSUB", "NUMPAT") == 2
    assert fresh.execute_command("PUBSUB", "SHARDCHANNELS") == []
    info = fresh.info("stats")
    assert (info["pubsub_channels"], info["pubsub_patterns"], info["pubsubshard_channels"]) == (
        3, 2, 0)
    with pytest.raises(Exception) as error:
        fresh.execute_command("PUBSUB", "CHANNELS", "a", "b")
    assert str(error.value) == (
        "unknown subcommand or wrong number of arguments for 'CHANNELS'. Try PUBSUB HELP.")
    with pytest.raises(Exception) as error:
        fresh.execute_command("PUBSUB", "NUMPAT", "x")
    assert str(error.value) == "wrong number of arguments for 'pubsub|numpat' command"
    with pytest.raises(Exception) as error:
        fresh.execute_command("PUBSUB", "NOPE")
    assert str(error.value) == "unknown subcommand 'NOPE'. Try PUBSUB HELP."
    help_lines = fresh.execute_command("PUBSUB", "HELP")
    assert help_lines[0] == "PUBSUB <subcommand> [<arg> [value] [opt] ...]. Subcommands are:"
    assert help_lines[1:3] == [
        "CHANNELS [<pattern>]",
        "    Return the currently active channels matching a <pattern> (default: '*').",
    ]
    assert len(help_lines) == 14
    # Redis 7.2 says "Print this help."; 7.0 (the oracle) "Prints".
    assert help_lines[-1] == ("    Prints this help." if is_oracle(target) else
                              "    Print this help.")
    a.close()
    b.close()


def test_client_list_shows_subscriptions_and_kill_type_pubsub(target, fresh):
    c = target.raw()
    client_id = call(c, "CLIENT", "ID")
    replies(c, "SUBSCRIBE", "a", "b", count=2)
    replies(c, "PSUBSCRIBE", "p*", count=1)
    replies(c, "SSUBSCRIBE", "s", count=1)
    line = fresh.execute_command("CLIENT", "LIST", "ID", client_id)
    fields = dict(item.split("=", 1) for item in line.split())
    assert (fields["sub"], fields["psub"], fields["ssub"]) == ("2", "1", "1")
    assert "P" in fields["flags"]
    listed = fresh.execute_command("CLIENT", "LIST", "TYPE", "pubsub")
    assert f"id={client_id} " in listed
    assert f"id={client_id} " not in fresh.execute_command("CLIENT", "LIST", "TYPE", "normal")
    mine = fresh.execute_command("CLIENT", "INFO")
    assert "sub=0 psub=0 ssub=0" in mine
    assert fresh.execute_command("CLIENT", "KILL", "TYPE", "pubsub") == 1
    assert c.closed_by_peer()
    wait_until(lambda: numsub(target, "a") == 0, "the killed subscriber to be gone")


def test_redis_cli_subscriber_receives_messages(target, fresh):
    process = subprocess.Popen(
        [REDIS_CLI, "-h", "127.0.0.1", "-p", str(target.port), "SUBSCRIBE", "cli"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        wait_until(lambda: numsub(target, "cli") == 1, "redis-cli to subscribe")
        assert fresh.publish("cli", "hello there") == 1
        lines = [process.stdout.readline() for _ in range(6)]
        assert lines == [b"subscribe\n", b"cli\n", b"1\n", b"message\n", b"cli\n",
                         b"hello there\n"]
    finally:
        process.kill()
        process.wait()
    wait_until(lambda: numsub(target, "cli") == 0, "redis-cli's connection to close")


# ---- RESP3 ----

def test_resp3_subscriber_gets_pushes_and_may_run_any_command(target, fresh):
    c = target.raw()
    assert call(c, "HELLO", "3")["proto"] == 3
    c.command("SUBSCRIBE", "ch")
    assert c.read_reply() == b">3\r\n$9\r\nsubscribe\r\n$2\r\nch\r\n:1\r\n"
    assert call(c, "SET", "k", "v") == "OK"
    assert call(c, "GET", "k") == "v"
    assert call(c, "PING") == "PONG"
    assert fresh.publish("ch", "hello") == 1
    assert c.read_reply() == b">3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$5\r\nhello\r\n"
    c.command("PSUBSCRIBE", "c*")
    assert c.read_reply() == b">3\r\n$10\r\npsubscribe\r\n$2\r\nc*\r\n:2\r\n"
    assert fresh.publish("ch", "x") == 2
    assert c.read_reply() == b">3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$1\r\nx\r\n"
    assert c.read_reply() == b">4\r\n$8\r\npmessage\r\n$2\r\nc*\r\n$2\r\nch\r\n$1\r\nx\r\n"
    c.command("UNSUBSCRIBE")
    assert c.read_reply() == b">3\r\n$11\r\nunsubscribe\r\n$2\r\nch\r\n:1\r\n"
    c.command("UNSUBSCRIBE")
    assert c.read_reply() == b">3\r\n$11\r\nunsubscribe\r\n_\r\n:1\r\n"
    c.command("PUNSUBSCRIBE")
    assert c.read_reply() == b">3\r\n$12\r\npunsubscribe\r\n$2\r\nc*\r\n:0\r\n"
    c.close()


def test_resp3_publish_to_own_channel_answers_before_the_message(target, fresh):
    c = target.raw()
    call(c, "HELLO", "3")
    c.command("SUBSCRIBE", "self")
    c.read_reply()
    c.command("PUBLISH", "self", "me")
    got = [c.read_reply(), c.read_reply()]
    message = b">3\r\n$7\r\nmessage\r\n$4\r\nself\r\n$2\r\nme\r\n"
    if is_oracle(target):
        # Redis 7.0 writes the message first; 7.2 defers pushes to the running client until
        # its command has replied (server.pending_push_messages).
        assert sorted(got) == sorted([b":1\r\n", message])
    else:
        assert got == [b":1\r\n", message]
    # Keyspace events for one's own write follow its reply too.
    fresh.config_set("notify-keyspace-events", "K$")
    c.command("PSUBSCRIBE", "__keyspace@0__:*")
    c.read_reply()
    c.command("SET", "mine", "1")
    got = [c.read_reply(), c.read_reply()]
    event = (b">4\r\n$8\r\npmessage\r\n$16\r\n__keyspace@0__:*\r\n$19\r\n__keyspace@0__:mine\r\n"
             b"$3\r\nset\r\n")
    if is_oracle(target):
        assert sorted(got) == sorted([b"+OK\r\n", event])
    else:
        assert got == [b"+OK\r\n", event]
    c.close()


# ---- Keyspace notifications ----

NOTIFICATION_SCRIPT = [
    ("SET", "k1", "v"),
    ("SET", "k1", "v2", "EX", "100"),
    ("APPEND", "k1", "x"),
    ("INCR", "n"),
    ("INCRBY", "n", "5"),
    ("DECR", "n"),
    ("INCRBYFLOAT", "n", "1.5"),
    ("SETRANGE", "k1", "0", "ab"),
    ("GETSET", "k1", "z"),
    ("EXPIRE", "k1", "100"),
    ("PEXPIRE", "k1", "200000"),
    ("PERSIST", "k1"),
    ("RENAME", "k1", "k2"),
    ("MSET", "a", "1", "b", "2"),
    ("DEL", "a", "b", "missing"),
    ("SETNX", "c", "1"),
    ("SETNX", "c", "2"),
    ("GETDEL", "c"),
    ("GETEX", "n", "PX", "100000"),
    ("GETEX", "n", "PERSIST"),
    ("COPY", "n", "n2"),
    ("MOVE", "n2", "1"),
    ("UNLINK", "n"),
    ("SET", "x", "1"),
    ("EXPIRE", "x", "0"),
    ("SETEX", "y", "100", "v"),
    ("PSETEX", "y", "100000", "w"),
    ("MSETNX", "m1", "1", "m2", "2"),
    ("RENAMENX", "m1", "m3"),
    ("SELECT", "2"),
    ("SET", "in2", "v"),
    ("SELECT", "0"),
]


def record_notifications(process, flags):
    """Runs NOTIFICATION_SCRIPT (then lets a short-lived key expire) with
    notify-keyspace-events `flags`, and returns every notification seen, in order."""
    admin = process.client(decode_responses=True)
    admin.flushall()
    admin.config_set("notify-keyspace-events", flags)
    listener = process.client(decode_responses=True).pubsub()
    listener.psubscribe("__key*__:*")
    listener.subscribe("end")
    assert next_message(listener)["type"] == "psubscribe"
    assert next_message(listener)["type"] == "subscribe"
    worker = process.client(decode_responses=True, single_connection_client=True)
    for command in NOTIFICATION_SCRIPT:
        worker.execute_command(*command)
    # A key with a 1 ms TTL is expired (by the active cycle or by the GET) before the GET
    # returns, whichever comes first: one "expired" either way.
    worker.execute_command("SET", "short", "v", "PX", "1")
    time.sleep(0.05)
    assert worker.get("short") is None
    admin.publish("end", "")
    events = []
    while True:
        message = next_message(listener)
        if message["channel"] == "end":
            break
        events.append(brief(message))
    admin.config_set("notify-keyspace-events", "")
    listener.close()
    worker.close()
    admin.close()
    return events


@pytest.fixture(scope="module")
def oracle():
    process = ServerProcess("--save", "", "--appendonly", "no", binary=REDIS_SERVER)
    yield process
    process.stop()


@pytest.mark.parametrize("flags", ["KEA", "Kg", "E$x", "KEA" + "n"])
def test_notifications_match_redis(server, oracle, flags):
    ours = record_notifications(server, flags)
    theirs = record_notifications(oracle, flags)
    assert ours == theirs
    assert ours, "the script must produce notifications"
    if flags.startswith("KEA"):
        assert ("pmessage", "__key*__:*", "__keyevent@0__:rename_from", "k1") in ours
        assert ("pmessage", "__key*__:*", "__keyevent@0__:rename_to", "k2") in ours
        assert ("pmessage", "__key*__:*", "__keyspace@2__:in2", "set") in ours
        assert ("pmessage", "__key*__:*", "__keyevent@0__:expired", "short") in ours


def test_notify_keyspace_events_text_is_canonical(target, fresh):
    fresh.config_set("notify-keyspace-events", "KEA")
    assert fresh.config_get("notify-keyspace-events") == {"notify-keyspace-events": "AKE"}
    fresh.config_set("notify-keyspace-events", "gE$")
    assert fresh.config_get("notify-keyspace-events") == {"notify-keyspace-events": "g$E"}


def test_classes_filter_notifications(target, fresh):
    c = target.raw()
    replies(c, "PSUBSCRIBE", "__key*", count=1)
    # Generic events only, keyevent channel only: SET says nothing, DEL speaks.
    fresh.config_set("notify-keyspace-events", "Eg")
    fresh.set("k", "v")
    fresh.delete("k")
    assert read(c) == ["pmessage", "__key*", "__keyevent@0__:del", "k"]
    # No K and no E: nothing is published, whatever the classes.
    fresh.config_set("notify-keyspace-events", "A")
    fresh.set("k", "v")
    fresh.config_set("notify-keyspace-events", "K$")
    fresh.set("k", "w")
    assert read(c) == ["pmessage", "__key*", "__keyspace@0__:k", "set"]
    c.close()


def test_active_expiry_publishes_expired(target, fresh):
    c = target.raw()
    replies(c, "SUBSCRIBE", "__keyevent@0__:expired", count=1)
    fresh.config_set("notify-keyspace-events", "Ex")
    fresh.set("doomed", "v", px=100)
    # Nobody touches the key: the active expiry cycle must find it.
    assert read(c) == ["message", "__keyevent@0__:expired", "doomed"]
    c.close()


# ---- Output limits ----

def rss_bytes(process):
    with open(f"/proc/{process.process.pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    raise AssertionError("no VmRSS")


def assert_limit_disconnection_counted(target, admin):
    # INFO's client_output_buffer_limit_disconnections is new in Redis 7.2; 7.0 (the oracle)
    # lacks it.
    if not is_oracle(target):
        assert admin.info("stats")["client_output_buffer_limit_disconnections"] >= 1


def idle_subscriber(target, channel):
    """A subscriber that never reads: a small receive buffer, so the server's output piles
    up quickly."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    sock.connect(("127.0.0.1", target.port))
    sock.sendall(b"*2\r\n$9\r\nSUBSCRIBE\r\n$%d\r\n%s\r\n" % (len(channel), channel.encode()))
    wait_until(lambda: numsub(target, channel) == 1, "the idle subscriber to subscribe")
    return sock


def test_slow_subscriber_is_disconnected_at_the_hard_limit_and_memory_stays_bounded(
        target, fresh):
    fresh.config_set("client-output-buffer-limit", "pubsub 1mb 0 0")
    sock = idle_subscriber(target, "firehose")
    before = rss_bytes(target)
    publisher = target.client()
    message = b"x" * 65536
    published = 0
    # Far more than the limit plus every socket buffer: 256 MiB offered in total.
    for _ in range(64):
        pipe = publisher.pipeline(transaction=False)
        for _ in range(64):
            pipe.publish("firehose", message)
        published += sum(pipe.execute())
        if numsub(target, "firehose") == 0:
            break
    wait_until(lambda: numsub(target, "firehose") == 0, "the slow subscriber to be closed")
    assert_limit_disconnection_counted(target, fresh)
    # What the server holds is bounded by the limit, not by what was published.
    assert rss_bytes(target) - before < 64 * 1024 * 1024
    assert published < 64 * 64
    # The connection was closed by the server.
    sock.settimeout(20)
    received = 0
    while True:
        try:
            chunk = sock.recv(1 << 20)
        except ConnectionResetError:
            break
        if not chunk:
            break
        received += len(chunk)
    sock.close()
    publisher.close()


def test_slow_subscriber_over_the_soft_limit_for_too_long_is_disconnected(target, fresh):
    fresh.config_set("client-output-buffer-limit", "pubsub 0 256kb 1")
    sock = idle_subscriber(target, "trickle")
    publisher = target.client()
    message = b"y" * 16384
    # Keep the subscriber above the soft limit until the server gives up on it (the soft
    # limit only counts when output is added, as in Redis).
    def closed():
        publisher.publish("trickle", message)
        return numsub(target, "trickle") == 0
    wait_until(closed, "the subscriber over the soft limit to be closed", timeout=60)
    assert_limit_disconnection_counted(target, fresh)
    sock.close()
    publisher.close()
