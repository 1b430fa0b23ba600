"""MULTI EXEC DISCARD WATCH UNWATCH with real clients.

Tests taking `target` run against ringdb and against Debian's redis-server 7.0 (the oracle),
so the replies written here are also real Redis's. Tests taking `server` need DEBUG, which
the oracle is started without.
"""
import threading
import time

import pytest
import redis

from conftest import REDIS_SERVER


def is_oracle(target):
    return target.binary == REDIS_SERVER


def wait_until(predicate, what, timeout=20.0):
    deadline = time.time() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.time() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.01)


def exchange(conn, *commands):
    """Sends each command and returns the raw replies, in order."""
    out = []
    for command in commands:
        conn.command(*command)
        out.append(conn.read_reply())
    return out


@pytest.fixture
def admin(target):
    client = target.client(decode_responses=True)
    client.flushall()
    client.config_resetstat()
    yield client
    client.close()


def client_fields(admin, client_id):
    line = admin.execute_command("CLIENT", "LIST", "ID", client_id)
    return dict(item.split("=", 1) for item in line.split())


# ---- MULTI / EXEC / DISCARD ----

def test_exec_runs_the_queue_with_per_command_errors(target, admin):
    c = target.raw()
    assert exchange(c, ("MULTI",), ("SET", "a", "x"), ("INCR", "a"), ("APPEND", "a", "y"),
                    ("GET", "a"), ("EXEC",)) == [
        b"+OK\r\n", b"+QUEUED\r\n", b"+QUEUED\r\n", b"+QUEUED\r\n", b"+QUEUED\r\n",
        b"*4\r\n+OK\r\n-ERR value is not an integer or out of range\r\n:2\r\n$2\r\nxy\r\n"]
    # An empty transaction is an empty array.
    assert exchange(c, ("MULTI",), ("EXEC",)) == [b"+OK\r\n", b"*0\r\n"]
    c.close()


def test_transaction_errors_have_redis_words(target, admin):
    c = target.raw()
    assert exchange(c, ("EXEC",), ("DISCARD",)) == [
        b"-ERR EXEC without MULTI\r\n", b"-ERR DISCARD without MULTI\r\n"]
    # Nested MULTI and WATCH inside MULTI are refused but do not doom the transaction.
    assert exchange(c, ("MULTI",), ("MULTI",), ("WATCH", "k"), ("SET", "k", "1"), ("EXEC",)) == [
        b"+OK\r\n", b"-ERR MULTI calls can not be nested\r\n",
        b"-ERR WATCH inside MULTI is not allowed\r\n", b"+QUEUED\r\n", b"*1\r\n+OK\r\n"]
    # Unknown commands, wrong arity and no-multi commands doom it.
    abort = b"-EXECABORT Transaction discarded because of previous errors.\r\n"
    replies = exchange(c, ("MULTI",), ("NOSUCH", "x"), ("SET", "k", "2"), ("EXEC",))
    assert replies[1].startswith(b"-ERR unknown command 'NOSUCH'")
    assert replies[2:] == [b"+QUEUED\r\n", abort]
    assert exchange(c, ("MULTI",), ("GET",), ("EXEC",)) == [
        b"+OK\r\n", b"-ERR wrong number of arguments for 'get' command\r\n", abort]
    assert exchange(c, ("MULTI",), ("SHUTDOWN",), ("EXEC",)) == [
        b"+OK\r\n", b"-ERR Command not allowed inside a transaction\r\n", abort]
    # Nothing of the doomed transactions ran.
    assert admin.get("k") == "1"
    # EXEC's own arity error aborts at once.
    assert exchange(c, ("MULTI",), ("SET", "k", "3"), ("EXEC", "now"), ("EXEC",)) == [
        b"+OK\r\n", b"+QUEUED\r\n",
        b"-EXECABORT Transaction discarded because of: wrong number of arguments for 'exec' "
        b"command\r\n",
        b"-ERR EXEC without MULTI\r\n"]
    assert admin.get("k") == "1"
    errors = admin.info("errorstats")
    assert errors["errorstat_EXECABORT"] == "count=4"
    c.close()


def test_discard_drops_the_queue_and_client_list_shows_the_transaction(target, admin):
    c = target.raw()
    c.command("CLIENT", "ID")
    client_id = int(c.read_reply()[1:-2])
    assert client_fields(admin, client_id)["multi"] == "-1"
    exchange(c, ("MULTI",), ("SET", "d", "1"), ("INCR", "d"))
    fields = client_fields(admin, client_id)
    assert "x" in fields["flags"]
    assert fields["multi"] == "2"
    assert int(fields["multi-mem"]) > 0
    assert exchange(c, ("DISCARD",)) == [b"+OK\r\n"]
    fields = client_fields(admin, client_id)
    assert "x" not in fields["flags"]
    assert fields["multi"] == "-1"
    assert admin.get("d") is None
    c.close()


def test_commandstats_count_what_ran(target, admin):
    c = target.raw()
    exchange(c, ("MULTI",), ("SET", "s", "1"), ("SET", "s"), ("EXEC",))
    exchange(c, ("MULTI",), ("SET", "s", "1"), ("INCR", "s"), ("EXEC",))
    stats = admin.info("commandstats")
    assert stats["cmdstat_multi"]["calls"] == 2
    assert stats["cmdstat_exec"]["calls"] == 2
    # The aborted EXEC failed; the other did not, though a command inside it could have.
    assert stats["cmdstat_exec"]["failed_calls"] == 1
    # Queued commands count when EXEC runs them; the refused one counts as rejected.
    assert stats["cmdstat_set"]["calls"] == 1
    assert stats["cmdstat_set"]["rejected_calls"] == 1
    assert stats["cmdstat_incr"]["calls"] == 1
    c.close()


def test_resp3_exec_and_watch_failure(target, admin):
    c = target.raw()
    exchange(c, ("HELLO", "3"))
    assert exchange(c, ("WATCH", "w"), ("SET", "w", "1"), ("MULTI",), ("GET", "w"),
                    ("EXEC",)) == [b"+OK\r\n", b"+OK\r\n", b"+OK\r\n", b"+QUEUED\r\n", b"_\r\n"]
    c.close()


def test_reset_discards_the_transaction_and_unwatches(target, admin):
    c = target.raw()
    assert exchange(c, ("WATCH", "r"), ("MULTI",), ("SET", "r", "1"), ("RESET",)) == [
        b"+OK\r\n", b"+OK\r\n", b"+QUEUED\r\n", b"+RESET\r\n"]
    admin.set("r", "other")
    # Not in MULTI any more, and the WATCH is gone: a new transaction runs.
    assert exchange(c, ("EXEC",), ("MULTI",), ("GET", "r"), ("EXEC",)) == [
        b"-ERR EXEC without MULTI\r\n", b"+OK\r\n", b"+QUEUED\r\n", b"*1\r\n$5\r\nother\r\n"]
    c.close()


def test_pubsub_inside_exec(target, admin):
    c = target.raw()
    # SUBSCRIBE may run inside EXEC (for old clients); SSUBSCRIBE may not.
    assert exchange(c, ("MULTI",), ("SSUBSCRIBE", "s"), ("SUBSCRIBE", "a"), ("PING",),
                    ("EXEC",)) == [
        b"+OK\r\n", b"+QUEUED\r\n", b"+QUEUED\r\n", b"+QUEUED\r\n",
        b"*3\r\n-ERR SSUBSCRIBE isn't allowed for a DENY BLOCKING client\r\n"
        b"*3\r\n$9\r\nsubscribe\r\n$1\r\na\r\n:1\r\n*2\r\n$4\r\npong\r\n$0\r\n\r\n"]
    c.close()


def test_resp3_messages_to_oneself_inside_exec_follow_the_exec_reply(target, admin):
    c = target.raw()
    exchange(c, ("HELLO", "3"), ("SUBSCRIBE", "me"))
    exchange(c, ("MULTI",), ("PUBLISH", "me", "x"))
    c.command("EXEC")
    got = [c.read_reply(), c.read_reply()]
    message = b">3\r\n$7\r\nmessage\r\n$2\r\nme\r\n$1\r\nx\r\n"
    if is_oracle(target):
        # Redis 7.0 puts the push inside EXEC's array; 7.2 defers pushes to the running
        # client until the whole EXEC has replied.
        assert got == [b"*1\r\n" + message, b":1\r\n"]
    else:
        assert got == [b"*1\r\n:1\r\n", message]
    c.close()


# ---- WATCH ----

def test_watch_is_broken_by_another_clients_write(target, admin):
    c = target.raw()
    admin.set("w", "1")
    assert exchange(c, ("WATCH", "w", "other"),) == [b"+OK\r\n"]
    admin.set("w", "2")
    assert exchange(c, ("MULTI",), ("SET", "w", "mine"), ("EXEC",)) == [
        b"+OK\r\n", b"+QUEUED\r\n", b"*-1\r\n"]
    assert admin.get("w") == "2"
    # EXEC unwatched everything: the next transaction runs.
    assert exchange(c, ("MULTI",), ("SET", "w", "mine"), ("EXEC",))[-1] == b"*1\r\n+OK\r\n"
    c.close()


def test_watch_sees_own_writes_deletes_and_unwatch_forgets(target, admin):
    c = target.raw()
    assert exchange(c, ("WATCH", "o"), ("SET", "o", "1"), ("MULTI",), ("EXEC",))[-1] == (
        b"*-1\r\n")
    assert exchange(c, ("WATCH", "o"), ("DEL", "o"), ("MULTI",), ("EXEC",))[-1] == b"*-1\r\n"
    # Deleting a key that does not exist changes nothing.
    assert exchange(c, ("WATCH", "o"), ("DEL", "o"), ("MULTI",), ("EXEC",))[-1] == b"*0\r\n"
    admin.set("o", "x")
    assert exchange(c, ("WATCH", "o"), ("UNWATCH",)) == [b"+OK\r\n", b"+OK\r\n"]
    admin.set("o", "y")
    assert exchange(c, ("MULTI",), ("EXEC",))[-1] == b"*0\r\n"
    # A key in another database is another key.
    exchange(c, ("WATCH", "o"))
    admin.execute_command("SELECT", "1")
    admin.set("o", "z")
    admin.execute_command("SELECT", "0")
    assert exchange(c, ("MULTI",), ("EXEC",))[-1] == b"*0\r\n"
    c.close()


def test_watch_and_flushes(target, admin):
    c = target.raw()
    # A flush breaks the WATCH of a key it removes...
    admin.set("f", "1")
    exchange(c, ("WATCH", "f"))
    admin.flushall()
    assert exchange(c, ("MULTI",), ("EXEC",))[-1] == b"*-1\r\n"
    # ...but not of a key that did not exist.
    exchange(c, ("WATCH", "f"))
    admin.flushall()
    assert exchange(c, ("MULTI",), ("EXEC",))[-1] == b"*0\r\n"
    admin.set("f", "1")
    exchange(c, ("WATCH", "f"))
    admin.execute_command("FLUSHDB")
    assert exchange(c, ("MULTI",), ("EXEC",))[-1] == b"*-1\r\n"
    # FLUSHDB of another database leaves it alone.
    admin.set("f", "1")
    exchange(c, ("WATCH", "f"))
    admin.execute_command("SELECT", "3")
    admin.execute_command("FLUSHDB")
    admin.execute_command("SELECT", "0")
    assert exchange(c, ("MULTI",), ("EXEC",))[-1] == b"*0\r\n"
    c.close()


def test_watch_and_swapdb(target, admin):
    c = target.raw()
    # The watched key exists only in the other database: swapping makes it appear.
    admin.execute_command("SELECT", "5")
    admin.set("s", "there")
    admin.execute_command("SELECT", "0")
    exchange(c, ("WATCH", "s"))
    admin.execute_command("SWAPDB", "0", "5")
    assert exchange(c, ("MULTI",), ("GET", "s"), ("EXEC",))[-1] == b"*-1\r\n"
    # Neither database holds it: nothing changes.
    admin.flushall()
    exchange(c, ("WATCH", "s"))
    admin.execute_command("SWAPDB", "0", "5")
    assert exchange(c, ("MULTI",), ("EXEC",))[-1] == b"*0\r\n"
    c.close()


def test_a_watched_key_that_expires_breaks_the_transaction(target, admin):
    c = target.raw()
    admin.set("e", "v", px=100)
    exchange(c, ("WATCH", "e"))
    # Whether the expiry cycle deleted it or it merely passed its deadline, it changed.
    wait_until(lambda: admin.execute_command("PTTL", "e") == -2, "the key to expire")
    assert exchange(c, ("MULTI",), ("EXEC",))[-1] == b"*-1\r\n"
    c.close()


def test_a_key_already_expired_when_watched_is_no_change_when_deleted(server):
    admin = server.client(decode_responses=True)
    admin.flushall()
    # Nothing may delete the key behind the test's back between the steps.
    admin.execute_command("DEBUG", "SET-ACTIVE-EXPIRE", "0")
    try:
        admin.set("dead", "v", px=1)
        time.sleep(0.05)
        c = server.raw()
        exchange(c, ("WATCH", "dead"))
        assert admin.get("dead") is None  # The lookup deletes it: no logical change.
        assert exchange(c, ("MULTI",), ("EXEC",))[-1] == b"*0\r\n"
        # Brought back to life, it is a change.
        admin.set("dead", "v", px=1)
        time.sleep(0.05)
        exchange(c, ("WATCH", "dead"))
        admin.set("dead", "alive")
        assert exchange(c, ("MULTI",), ("EXEC",))[-1] == b"*-1\r\n"
        c.close()
    finally:
        admin.execute_command("DEBUG", "SET-ACTIVE-EXPIRE", "1")
        admin.close()


def test_client_list_marks_a_dirty_watcher(target, admin):
    c = target.raw()
    c.command("CLIENT", "ID")
    client_id = int(c.read_reply()[1:-2])
    exchange(c, ("WATCH", "dirty"))
    assert "d" not in client_fields(admin, client_id)["flags"]
    admin.set("dirty", "1")
    assert "d" in client_fields(admin, client_id)["flags"]
    exchange(c, ("UNWATCH",))
    assert "d" not in client_fields(admin, client_id)["flags"]
    c.close()


# ---- Real clients ----

def test_redis_py_pipeline_transaction(target, admin):
    client = target.client(decode_responses=True)
    pipe = client.pipeline(transaction=True)
    pipe.set("p", "1").incr("p").incrby("p", 10).get("p")
    assert pipe.execute() == [True, 2, 12, "12"]
    pipe = client.pipeline(transaction=True)
    pipe.set("p", "x").incr("p").get("p")
    results = pipe.execute(raise_on_error=False)
    assert results[0] is True
    assert isinstance(results[1], redis.ResponseError)
    assert results[2] == "x"
    client.close()


def test_watch_retry_loops_of_concurrent_clients_lose_no_increment(target, admin):
    admin.set("counter", "0")
    rounds = 150
    retries = []

    def work():
        client = target.client(decode_responses=True)
        conflicts = 0
        for _ in range(rounds):
            with client.pipeline(transaction=True) as pipe:
                while True:
                    try:
                        pipe.watch("counter")
                        value = int(pipe.get("counter"))
                        pipe.multi()
                        pipe.set("counter", value + 1)
                        pipe.execute()
                        break
                    except redis.WatchError:
                        conflicts += 1
        retries.append(conflicts)
        client.close()

    threads = [threading.Thread(target=work) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # Read-modify-write without WATCH would lose updates; with it, none is lost.
    assert admin.get("counter") == str(2 * rounds)
    assert len(retries) == 2


def test_exec_with_writes_waits_for_client_pause_write(target, admin):
    c = target.raw()
    c.command("CLIENT", "ID")
    client_id = int(c.read_reply()[1:-2])
    exchange(c, ("MULTI",), ("SET", "pw", "1"))
    admin.execute_command("CLIENT", "PAUSE", "60000", "WRITE")
    try:
        # Reads still run inside MULTI; EXEC with a write waits for the pause to end.
        c.command("EXEC")
        wait_until(lambda: "b" in client_fields(admin, client_id)["flags"],
                   "EXEC to be held back")
        assert admin.get("pw") is None
    finally:
        admin.execute_command("CLIENT", "UNPAUSE")
    assert c.read_reply() == b"*1\r\n+OK\r\n"
    assert admin.get("pw") == "1"
    # A read-only transaction runs under the pause.
    admin.execute_command("CLIENT", "PAUSE", "60000", "WRITE")
    try:
        assert exchange(c, ("MULTI",), ("GET", "pw"), ("EXEC",))[-1] == b"*1\r\n$1\r\n1\r\n"
    finally:
        admin.execute_command("CLIENT", "UNPAUSE")
    c.close()
