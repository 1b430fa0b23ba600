"""Blocking commands with real concurrent clients: BLPOP BRPOP BLMPOP BLMOVE BRPOPLPUSH,
BZPOPMIN BZPOPMAX BZMPOP, XREAD BLOCK and XREADGROUP BLOCK.

Tests taking `target` run against ringdb-server and Debian's redis-server (the oracle); the
ones taking `server` check Redis 7.2 behaviour that 7.0.15 does not have (XREADGROUP woken
with an error when its stream or group goes). No test measures speed: waits are for a state
(blocked_clients, a reply) with generous deadlines, and timeouts are checked from below.
"""
import socket
import subprocess
import threading
import time

import pytest
import redis

DEADLINE = 10.0


def plain(reply):
    """redis-py turns some replies into tuples or floats: compare them as RESP sent them."""
    if isinstance(reply, (list, tuple)):
        return [plain(item) for item in reply]
    return reply


def raw_client(target, db=0):
    """A client whose replies are not reshaped by redis-py's callbacks (XREAD into dicts,
    scores into floats): what RESP2 sent, as lists, bytes, ints and None."""
    connection = target.client(db=db)
    connection.response_callbacks.clear()
    return connection


class Blocker:
    """Runs one command on its own connection in a thread; keeps its reply or error."""

    def __init__(self, target, *command, db=0):
        self.connection = raw_client(target, db=db)
        self.command = command
        self.result = None
        self.error = None
        self.elapsed = None
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self):
        start = time.monotonic()
        try:
            self.result = plain(self.connection.execute_command(*self.command))
        except redis.ResponseError as error:
            self.error = str(error)
        self.elapsed = time.monotonic() - start

    def done(self):
        return not self.thread.is_alive()

    def wait(self, timeout=DEADLINE):
        self.thread.join(timeout)
        assert not self.thread.is_alive(), f"{self.command} still blocked"
        self.connection.close()
        return self.result


def blocked_clients(client):
    return client.info("clients")["blocked_clients"]


def wait_blocked(client, count):
    deadline = time.monotonic() + DEADLINE
    while blocked_clients(client) != count:
        assert time.monotonic() < deadline, f"blocked_clients never reached {count}"
        time.sleep(0.01)


def block(target, client, *command, db=0):
    """Starts `command` on a new connection and waits until the server has parked it."""
    expected = blocked_clients(client) + 1
    blocker = Blocker(target, *command, db=db)
    wait_blocked(client, expected)
    return blocker


# ---- lists ----


def test_clients_are_served_in_the_order_they_blocked(target, client):
    blockers = [block(target, client, "BLPOP", "k", "0") for _ in range(3)]
    assert client.rpush("k", "a", "b", "c") == 3
    assert [b.wait() for b in blockers] == [[b"k", b"a"], [b"k", b"b"], [b"k", b"c"]]
    assert client.exists("k") == 0
    assert blocked_clients(client) == 0


def test_one_push_of_n_elements_wakes_n_clients_and_no_more(target, client):
    blockers = [block(target, client, "BRPOP", "k", "other", "0") for _ in range(5)]
    assert client.lpush("k", "1", "2", "3") == 3
    served = [b.wait() for b in blockers[:3]]
    assert served == [[b"k", b"1"], [b"k", b"2"], [b"k", b"3"]]
    assert blocked_clients(client) == 2
    assert not blockers[3].done() and not blockers[4].done()
    assert client.rpush("other", "x") == 1
    assert blockers[3].wait() == [b"other", b"x"]
    assert blocked_clients(client) == 1
    assert client.rpush("k", "y") == 1
    assert blockers[4].wait() == [b"k", b"y"]
    assert blocked_clients(client) == 0


def test_a_string_under_the_key_does_not_wake_a_list_waiter(target, client):
    blocker = block(target, client, "BLPOP", "k", "0")
    client.set("k", "v")
    client.delete("k")
    assert blocked_clients(client) == 1
    client.rpush("k", "e")
    assert blocker.wait() == [b"k", b"e"]


def test_blmpop_wakes_with_count(target, client):
    blocker = block(target, client, "BLMPOP", "0", "2", "a", "b", "RIGHT", "COUNT", "2")
    client.rpush("b", "1", "2", "3")
    assert blocker.wait() == [b"b", [b"3", b"2"]]
    assert client.lrange("b", 0, -1) == [b"1"]


def test_blmove_chain_delivers_through_every_list(target, client):
    first = block(target, client, "BLMOVE", "a", "b", "LEFT", "RIGHT", "0")
    second = block(target, client, "BRPOPLPUSH", "b", "c", "0")
    last = block(target, client, "BLPOP", "c", "0")
    client.rpush("a", "x")
    assert first.wait() == b"x"
    assert second.wait() == b"x"
    assert last.wait() == [b"c", b"x"]
    assert client.exists("a", "b", "c") == 0
    assert blocked_clients(client) == 0


def test_lmove_into_a_new_destination_wakes_its_waiter(target, client):
    blocker = block(target, client, "BLPOP", "dst", "0")
    client.rpush("src", "v")
    assert client.lmove("src", "dst", "LEFT", "LEFT") == b"v"
    assert blocker.wait() == [b"dst", b"v"]


def test_timeouts_reply_null_after_the_timeout(target, client):
    pop = Blocker(target, "BLPOP", "k", "0.2")
    move = Blocker(target, "BLMOVE", "k", "d", "LEFT", "LEFT", "0.3")
    zpop = Blocker(target, "BZPOPMIN", "z", "0.25")
    xread = Blocker(target, "XREAD", "BLOCK", "150", "STREAMS", "s", "$")
    assert pop.wait() is None and pop.elapsed >= 0.2 and pop.elapsed < DEADLINE
    assert move.wait() is None and move.elapsed >= 0.3
    assert zpop.wait() is None and zpop.elapsed >= 0.25
    assert xread.wait() is None and xread.elapsed >= 0.15
    wait_blocked(client, 0)


def test_blmove_times_out_with_a_null_array_but_replies_a_null_bulk_in_multi(target, client):
    sock = socket.create_connection(("127.0.0.1", target.port))
    sock.settimeout(DEADLINE)
    sock.sendall(b"*6\r\n$6\r\nBLMOVE\r\n$1\r\nk\r\n$1\r\nd\r\n$4\r\nLEFT\r\n"
                 b"$4\r\nLEFT\r\n$4\r\n0.05\r\n")
    assert sock.recv(100) == b"*-1\r\n"
    sock.sendall(b"MULTI\r\nBRPOPLPUSH k d 0\r\nEXEC\r\n")
    expected = b"+OK\r\n+QUEUED\r\n*1\r\n$-1\r\n"
    data = b""
    while len(data) < len(expected):
        data += sock.recv(100)
    assert data == expected
    sock.close()


def test_timeout_zero_waits_until_data(target, client):
    blocker = block(target, client, "BLPOP", "k", "0")
    time.sleep(0.3)
    assert not blocker.done()
    assert blocked_clients(client) == 1
    client.rpush("k", "late")
    assert blocker.wait() == [b"k", b"late"]


def test_client_unblock_replies_timeout_null_or_error(target, client):
    connection = target.client()
    blocked_id = connection.client_id()
    result = {}

    def run():
        try:
            result["reply"] = connection.blpop(["k"], 0)
        except redis.ResponseError as error:
            result["error"] = str(error)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    wait_blocked(client, 1)
    listing = [c for c in client.client_list() if int(c["id"]) == blocked_id]
    assert "b" in listing[0]["flags"]
    assert client.client_unblock(blocked_id) is True  # TIMEOUT by default.
    thread.join(DEADLINE)
    assert result == {"reply": None}
    assert client.client_unblock(blocked_id) is False

    thread = threading.Thread(target=run, daemon=True)
    result.clear()
    thread.start()
    wait_blocked(client, 1)
    assert client.client_unblock(blocked_id, error=True) is True
    thread.join(DEADLINE)
    assert result == {"error": "UNBLOCKED client unblocked via CLIENT UNBLOCK"}
    assert blocked_clients(client) == 0
    connection.close()


def test_info_counts_blocked_clients_and_keys(target, client):
    first = block(target, client, "BLPOP", "a", "b", "0")
    second = block(target, client, "BZPOPMAX", "b", "c", "0")
    info = client.info("clients")
    assert info["blocked_clients"] == 2
    assert info.get("total_blocking_keys", 3) == 3  # Not in 7.0's INFO.
    client.rpush("a", "1")
    client.zadd("c", {"m": 1})
    assert first.wait() == [b"a", b"1"]
    assert second.wait() == [b"c", b"m", b"1"]
    info = client.info("clients")
    assert info["blocked_clients"] == 0
    assert info.get("total_blocking_keys", 0) == 0


def test_a_transaction_that_pushes_serves_after_exec(target, client):
    blocker = block(target, client, "BLPOP", "k", "0")
    pipe = client.pipeline(transaction=True)
    pipe.rpush("k", "a")
    pipe.rpush("k", "b")
    pipe.lrange("k", 0, -1)
    # Inside the transaction the list is whole: the waiter is served after EXEC.
    assert pipe.execute() == [1, 2, [b"a", b"b"]]
    assert blocker.wait() == [b"k", b"a"]
    assert client.lrange("k", 0, -1) == [b"b"]


def test_blocking_commands_inside_multi_reply_null_at_once(target, client):
    raw = raw_client(target)
    pipe = raw.pipeline(transaction=True)
    pipe.execute_command("BLPOP", "k", "0")
    pipe.execute_command("BRPOPLPUSH", "k", "d", "0")
    pipe.execute_command("BZPOPMIN", "z", "0")
    pipe.execute_command("XREAD", "BLOCK", "0", "STREAMS", "s", "$")
    pipe.execute_command("BLMPOP", "0", "1", "k", "LEFT")
    assert pipe.execute() == [None, None, None, None, None]
    assert blocked_clients(client) == 0
    raw.close()


def test_a_client_that_disconnects_while_blocked_leaves_nothing_behind(target, client):
    sock = socket.create_connection(("127.0.0.1", target.port))
    sock.sendall(b"*3\r\n$5\r\nBLPOP\r\n$1\r\nk\r\n$1\r\n0\r\n")
    wait_blocked(client, 1)
    sock.close()
    wait_blocked(client, 0)
    assert client.info("clients").get("total_blocking_keys", 0) == 0
    client.rpush("k", "v")
    assert client.lrange("k", 0, -1) == [b"v"]


def test_swapdb_rename_and_move_deliver_lists(target, client):
    swap = block(target, client, "BLPOP", "k", "0")
    other = target.client(db=1)
    other.rpush("k", "from-db1")
    client.swapdb(0, 1)
    assert swap.wait() == [b"k", b"from-db1"]
    client.swapdb(0, 1)

    rename = block(target, client, "BLPOP", "renamed", "0")
    client.rpush("src", "r")
    client.rename("src", "renamed")
    assert rename.wait() == [b"renamed", b"r"]

    move = block(target, client, "BLPOP", "moved", "0")
    other.rpush("moved", "m")
    assert other.move("moved", 0) is True
    assert move.wait() == [b"moved", b"m"]
    other.flushdb()
    other.close()


def test_redis_cli_blpop_waits_for_a_push(target, client):
    process = subprocess.Popen(["redis-cli", "-p", str(target.port), "BLPOP", "cli", "0"],
                               stdout=subprocess.PIPE, text=True)
    wait_blocked(client, 1)
    client.rpush("cli", "hello")
    out, _ = process.communicate(timeout=DEADLINE)
    assert out.split() == ["cli", "hello"]


# ---- sorted sets ----


def test_bzpopmin_bzpopmax_and_bzmpop_wake_in_order(target, client):
    low = block(target, client, "BZPOPMIN", "z", "0")
    high = block(target, client, "BZPOPMAX", "z", "0")
    multi = block(target, client, "BZMPOP", "0", "1", "z", "MIN", "COUNT", "5")
    client.zadd("z", {"a": 1, "b": 2, "c": 3, "d": 4})
    assert low.wait() == [b"z", b"a", b"1"]
    assert high.wait() == [b"z", b"d", b"4"]
    assert multi.wait() == [b"z", [[b"b", b"2"], [b"c", b"3"]]]
    assert client.exists("z") == 0


# ---- streams ----


def test_xread_block_with_dollar_reads_only_new_entries(target, client):
    client.xadd("s", {"old": "1"}, id="1-1")
    blocker = block(target, client, "XREAD", "BLOCK", "0", "STREAMS", "s", "$")
    client.xadd("s", {"new": "2"}, id="2-1")
    assert blocker.wait() == [[b"s", [[b"2-1", [b"new", b"2"]]]]]


def test_xread_block_with_explicit_ids_and_a_new_stream(target, client):
    blocker = block(target, client, "XREAD", "COUNT", "5", "BLOCK", "0", "STREAMS", "a", "b",
                    "0-0", "0-0")
    client.xadd("b", {"f": "v"}, id="7-1")
    assert blocker.wait() == [[b"b", [[b"7-1", [b"f", b"v"]]]]]
    # Several waiters on one stream are all served by one XADD.
    waiters = [block(target, client, "XREAD", "BLOCK", "0", "STREAMS", "b", "$")
               for _ in range(3)]
    client.xadd("b", {"g": "w"}, id="8-1")
    for waiter in waiters:
        assert waiter.wait() == [[b"b", [[b"8-1", [b"g", b"w"]]]]]


def test_xread_keeps_waiting_through_a_deletion_with_the_id_of_blocking_time(target, client):
    client.xadd("s", {"f": "old"}, id="666-0")
    blocker = block(target, client, "XREAD", "BLOCK", "0", "STREAMS", "s", "$")
    client.delete("s")
    client.set("s", "string")
    client.delete("s")
    assert blocked_clients(client) == 1
    client.xadd("s", {"f": "early"}, id="5-0")  # Not after 666-0: keeps waiting.
    assert blocked_clients(client) == 1
    client.xadd("s", {"f": "new"}, id="667-0")
    assert blocker.wait() == [[b"s", [[b"667-0", [b"f", b"new"]]]]]


def test_xreadgroup_block_delivers_new_entries_once(target, client):
    client.xgroup_create("s", "g", id="$", mkstream=True)
    first = block(target, client, "XREADGROUP", "GROUP", "g", "c1", "BLOCK", "0", "STREAMS",
                  "s", ">")
    second = block(target, client, "XREADGROUP", "GROUP", "g", "c2", "BLOCK", "0", "STREAMS",
                   "s", ">")
    client.xadd("s", {"f": "1"}, id="1-1")
    assert first.wait() == [[b"s", [[b"1-1", [b"f", b"1"]]]]]
    # The second reader finds nothing new and keeps waiting.
    assert blocked_clients(client) == 1
    client.xadd("s", {"f": "2"}, id="2-1")
    assert second.wait() == [[b"s", [[b"2-1", [b"f", b"2"]]]]]
    assert client.xpending("s", "g")["pending"] == 2


# ---- Redis 7.2 only: XREADGROUP woken when its stream or group goes ----


@pytest.mark.parametrize("action, error", [
    ("del", "NOGROUP No such key 's' or consumer group 'g' in XREADGROUP with GROUP option"),
    ("set", "WRONGTYPE Operation against a key holding the wrong kind of value"),
    ("destroy", "NOGROUP No such key 's' or consumer group 'g' in XREADGROUP with GROUP option"),
    ("flushall", "NOGROUP No such key 's' or consumer group 'g' in XREADGROUP with GROUP option"),
    ("swapdb", "NOGROUP No such key 's' or consumer group 'g' in XREADGROUP with GROUP option"),
])
def test_xreadgroup_wakes_with_an_error_when_its_stream_goes(server, action, error):
    client = server.client()
    client.flushall()
    client.xgroup_create("s", "g", id="$", mkstream=True)
    blocker = block(server, client, "XREADGROUP", "GROUP", "g", "c", "BLOCK", "0", "STREAMS",
                    "s", ">")
    assert client.info("clients")["total_blocking_keys_on_nokey"] == 1
    if action == "del":
        client.delete("s")
    elif action == "set":
        client.set("s", "v")
    elif action == "destroy":
        client.xgroup_destroy("s", "g")
    elif action == "flushall":
        client.flushall()
    else:
        client.swapdb(0, 5)
    blocker.wait()
    assert blocker.error == error
    assert blocked_clients(client) == 0
    assert client.info("clients")["total_blocking_keys_on_nokey"] == 0
    client.close()


def test_blmove_woken_with_a_wrong_typed_destination_gets_wrongtype(server):
    client = server.client()
    client.flushall()
    blocker = block(server, client, "BLMOVE", "src", "dst", "LEFT", "LEFT", "0")
    client.set("dst", "string")
    client.rpush("src", "x")
    blocker.wait()
    assert blocker.error == "WRONGTYPE Operation against a key holding the wrong kind of value"
    assert client.lrange("src", 0, -1) == [b"x"]
    client.close()
