"""Snapshots end to end: BGSAVE/SAVE write a dump.rdb that redis-server 7.0 loads key for key,
a restart loads it back, SHUTDOWN and SIGTERM save when save rules exist, a failed save refuses
writes as Redis does, and a snapshot taken while a client writes holds exactly a prefix of that
client's writes (a point in time)."""
import os
import random
import shutil
import signal
import subprocess
import threading
import time

import pytest
import redis

from conftest import REDIS_SERVER, ServerProcess
from test_rdb import populate, snapshot


def persistence_info(c):
    return c.info("persistence")


def wait_for_save(c, timeout=30.0):
    deadline = time.time() + timeout
    while time.time() < deadline:
        info = persistence_info(c)
        if info["rdb_bgsave_in_progress"] == 0:
            return info
        time.sleep(0.02)
    raise AssertionError("the background save did not end")


def start_in(directory, *args, binary=None):
    """A server whose --dir is `directory` (given after the fixture's own, so it wins)."""
    return ServerProcess(*args, "--dir", directory, binary=binary)


def test_bgsave_writes_a_file_redis_loads_key_for_key():
    server = ServerProcess("--save", "")
    try:
        c = server.client()
        populate(c)
        expected = snapshot(c)
        before = c.lastsave()
        time.sleep(1.1)  # LASTSAVE has a resolution of one second.
        assert c.bgsave() is True
        info = wait_for_save(c)
        assert info["rdb_last_bgsave_status"] == "ok"
        assert info["rdb_changes_since_last_save"] == 0
        assert c.lastsave() > before
        with pytest.raises(redis.ResponseError, match="wrong number|syntax"):
            c.execute_command("BGSAVE", "NOW")
        path = os.path.join(server.dir, "dump.rdb")
        assert os.path.getsize(path) > 0
        oracle = start_in(server.dir, "--save", "", "--appendonly", "no", binary=REDIS_SERVER)
        try:
            assert snapshot(oracle.client()) == expected
        finally:
            oracle.stop()
        # A restart of ringdb loads the same file.
        c.shutdown(nosave=True)
        server.stop()
        again = start_in(server.dir, "--save", "")
        try:
            assert snapshot(again.client()) == expected
            assert "Done loading RDB, keys loaded:" in again.read_log()
        finally:
            again.stop()
    finally:
        server.stop()


def test_save_answers_after_the_file_is_in_place_and_refuses_a_second_save():
    server = ServerProcess("--save", "")
    try:
        c = server.client()
        c.mset({"k%d" % i: "v%d" % i for i in range(20000)})
        assert c.save() is True
        assert os.path.exists(os.path.join(server.dir, "dump.rdb"))
        assert not [f for f in os.listdir(server.dir) if f.startswith("temp-")]
        assert persistence_info(c)["rdb_changes_since_last_save"] == 0
        c.set("after", "1")
        assert persistence_info(c)["rdb_changes_since_last_save"] == 1
    finally:
        server.stop()


def test_shutdown_saves_when_rules_exist_and_nosave_does_not():
    server = ServerProcess("--save", "3600 1")
    directory = server.dir
    try:
        c = server.client()
        c.set("kept", "yes")
        c.shutdown()  # redis-py returns once the connection closes without a reply.
        server.process.wait(timeout=10)
        assert "DB saved on disk" in server.read_log()
    finally:
        server.stop()
    second = start_in(directory, "--save", "3600 1")
    try:
        c = second.client()
        assert c.get("kept") == b"yes"
        c.set("lost", "yes")
        c.shutdown(nosave=True)
        second.process.wait(timeout=10)
    finally:
        second.stop()
    third = start_in(directory, "--save", "3600 1")
    try:
        c = third.client()
        assert c.get("kept") == b"yes"
        assert c.get("lost") is None
        c.set("by-signal", "yes")
        third.process.send_signal(signal.SIGTERM)
        third.process.wait(timeout=10)
        assert "DB saved on disk" in third.read_log()
    finally:
        third.stop()
    fourth = start_in(directory, "--save", "")
    try:
        assert fourth.client().get("by-signal") == b"yes"
    finally:
        fourth.stop()


def failed_save_replies(binary):
    """BGSAVE into a directory that vanished, then what SET, PING and GET answer, then the
    same after the directory is back and a save succeeds."""
    args = ["--save", "3600 1"] + (["--appendonly", "no"] if binary else [])
    server = ServerProcess(*args, binary=binary)
    try:
        c = server.client()
        c.set("k", "v")
        shutil.rmtree(server.dir)
        c.bgsave()
        info = wait_for_save(c)
        replies = [info["rdb_last_bgsave_status"]]
        for command in (("SET", "k", "2"), ("PING",), ("GET", "k")):
            try:
                replies.append(c.execute_command(*command))
            except redis.ResponseError as error:
                replies.append("error: " + str(error))
        os.makedirs(server.dir)
        c.bgsave()
        info = wait_for_save(c)
        replies.append(info["rdb_last_bgsave_status"])
        try:
            replies.append(c.execute_command("SET", "k", "3"))
        except redis.ResponseError as error:
            replies.append("error: " + str(error))
        return replies
    finally:
        server.stop()


def test_a_failed_save_refuses_writes_like_redis():
    ours = failed_save_replies(None)
    theirs = failed_save_replies(REDIS_SERVER)
    assert ours[0] == "err"
    assert ours[1].startswith("error: MISCONF")
    assert ours[:4] == theirs[:4]
    # Redis chdir()s into its dir and saves relative to it, so a re-created directory is not
    # its directory any more; ringdb saves by path and recovers.
    assert ours[4:] == ["ok", True]


def bgsave_during_writes(server, c, writer, stop, applied, at_least):
    """Runs `writer` on a thread until `stop` is set; once it applied `at_least` operations
    (len(applied)), takes a BGSAVE, lets the writes go on a little, stops them and the server,
    and returns a fresh server loaded from the snapshot."""
    thread = threading.Thread(target=writer)
    thread.start()
    while len(applied) < at_least:
        time.sleep(0.01)
    c.bgsave()
    wait_for_save(c)
    time.sleep(0.05)
    stop.set()
    thread.join()
    c.shutdown(nosave=True)
    server.stop()
    return start_in(server.dir, "--save", "")


def test_a_snapshot_under_writes_is_a_prefix_of_the_writes():
    """One client writes (sets, deletes, new keys) in a known order while BGSAVE runs; the
    loaded file must equal the initial data plus exactly the first k writes, for some k."""
    server = ServerProcess("--save", "")
    try:
        c = server.client()
        initial = {b"key:%d" % i: b"initial" for i in range(100000)}
        pipe = c.pipeline(transaction=False)
        for i, key in enumerate(initial):
            pipe.set(key, b"initial")
            if i % 5000 == 4999:
                pipe.execute()
        pipe.execute()
        writes = []  # (key, value or None), in the order the server applied them
        stop = threading.Event()

        def writer():
            w = server.client()
            rng = random.Random(11)
            n = 0
            while not stop.is_set():
                batch = []
                p = w.pipeline(transaction=False)
                for _ in range(200):
                    n += 1
                    key = b"key:%d" % rng.randrange(130000)
                    if rng.random() < 0.2:
                        p.delete(key)
                        batch.append((key, None))
                    else:
                        value = b"w%d" % n
                        p.set(key, value)
                        batch.append((key, value))
                p.execute()
                writes.extend(batch)

        loaded_server = bgsave_during_writes(server, c, writer, stop, writes, 2000)
        try:
            lc = loaded_server.client()
            loaded = {}
            for key in lc.scan_iter(count=1000):
                loaded[key] = lc.get(key)
        finally:
            loaded_server.stop()
        # Replay writes until the state matches; count mismatching keys incrementally.
        state = dict(initial)
        def mismatch(key):
            return state.get(key) != loaded.get(key)
        bad = sum(1 for key in set(state) | set(loaded) if mismatch(key))
        matched_at = 0 if bad == 0 else None
        for k, (key, value) in enumerate(writes, start=1):
            before = mismatch(key)
            if value is None:
                state.pop(key, None)
            else:
                state[key] = value
            bad += int(mismatch(key)) - int(before)
            if bad == 0:
                matched_at = k
                break
        assert matched_at is not None, f"no prefix of {len(writes)} writes matches the file"
        assert 0 < matched_at < len(writes), "the snapshot should fall inside the writes"
    finally:
        server.stop()


def test_loading_answers_loading_and_reports_progress_then_serves_the_data():
    server = ServerProcess("--save", "")
    try:
        # Saving and loading 600000 keys takes a while in the sanitizer build.
        c = server.client(socket_timeout=300)
        # Enough data that loading takes a noticeable moment.
        for start in range(0, 600000, 20000):
            c.mset({b"key:%d" % i: b"v" * 40 for i in range(start, start + 20000)})
        c.save()
        c.shutdown(nosave=True)
        server.stop()
        loading = ServerProcess("--save", "", "--dir", server.dir, wait_for_load=False)
        try:
            lc = loading.client(socket_timeout=300)
            saw_loading = False
            while True:
                info = lc.info("persistence")
                if info["loading"] == 0:
                    break
                saw_loading = True
                # The worker learns the size first thing: until then nothing is read either.
                size = os.path.getsize(os.path.join(server.dir, "dump.rdb"))
                if info["loading_total_bytes"] == 0:
                    assert info["loading_loaded_bytes"] == 0
                else:
                    assert info["loading_total_bytes"] == size
                    assert 0 <= info["loading_loaded_bytes"] <= size
                # The load may end between INFO and GET: then the value must be there.
                try:
                    value = lc.get("key:1")
                except redis.exceptions.BusyLoadingError as error:
                    assert str(error).startswith("Redis is loading the dataset in memory")
                else:
                    assert value == b"v" * 40
            assert lc.dbsize() == 600000
            assert lc.get("key:599999") == b"v" * 40
            assert lc.info("persistence")["rdb_last_load_keys_loaded"] == 600000
            log = loading.read_log()
            assert "Done loading RDB, keys loaded: 600000" in log
            # On a 2-core machine the load may finish before the first INFO; when it was seen,
            # the checks above ran.
            print("saw loading:", saw_loading)
        finally:
            loading.stop()
    finally:
        server.stop()


def test_a_damaged_snapshot_stops_start_up_with_the_offset():
    server = ServerProcess("--save", "")
    try:
        c = server.client()
        c.mset({"k%d" % i: "value-%d" % i for i in range(2000)})
        c.save()
        c.shutdown(nosave=True)
        server.stop()
        path = os.path.join(server.dir, "dump.rdb")
        data = bytearray(open(path, "rb").read())
        data[len(data) // 2] ^= 0x55
        open(path, "wb").write(bytes(data))
        log_path = os.path.join(server.dir, "damaged.log")
        with open(log_path, "w") as log:
            process = subprocess.Popen([server.binary, "--port", "0", "--bind", "127.0.0.1",
                                        "--dir", server.dir, "--save", "3600 1"],
                                       stdout=log, stderr=subprocess.STDOUT)
            assert process.wait(timeout=30) == 1
        text = open(log_path).read()
        assert "Fatal error loading the DB" in text
        assert "offset" in text
        # The damaged file was not saved over.
        assert open(path, "rb").read() == bytes(data)
    finally:
        server.stop()


def test_debug_reload_saves_and_loads_back():
    server = ServerProcess("--save", "")
    try:
        c = server.client()
        populate(c)
        expected = snapshot(c)
        assert c.execute_command("DEBUG", "RELOAD") == b"OK"
        assert snapshot(c) == expected
        assert "DB reloaded by DEBUG RELOAD" in server.read_log()
        # NOSAVE loads the file as it is: later changes are gone.
        c.set("s:int", "changed")
        c.delete("h:listpack")
        assert c.execute_command("DEBUG", "RELOAD", "NOSAVE") == b"OK"
        assert snapshot(c) == expected
        with pytest.raises(redis.ResponseError, match="only supports the MERGE, NOFLUSH and NOSAVE"):
            c.execute_command("DEBUG", "RELOAD", "FAST")
    finally:
        server.stop()


def flushall_outcome(binary):
    """With save rules, FLUSHALL saves the empty dataset before replying (Redis's rdbSave in
    flushallCommand): the file on disk is empty at once, and no change is left counted (7.0
    and 7.2 propagate FLUSHALL without counting it, unlike 6.x)."""
    args = ["--save", "3600 1"] + (["--appendonly", "no"] if binary else [])
    server = ServerProcess(*args, binary=binary)
    try:
        c = server.client()
        c.mset({"a": 1, "b": 2})
        c.save()
        size_with_keys = os.path.getsize(os.path.join(server.dir, "dump.rdb"))
        assert c.flushall() is True
        size_after = os.path.getsize(os.path.join(server.dir, "dump.rdb"))
        return size_after < size_with_keys, persistence_info(c)["rdb_changes_since_last_save"]
    finally:
        server.stop()


def test_flushall_saves_the_empty_dataset_like_redis():
    assert flushall_outcome(None) == flushall_outcome(REDIS_SERVER) == (True, 0)


def test_a_full_disk_fails_the_save_refuses_writes_and_loses_nothing():
    """RLIMIT_FSIZE makes the snapshot's writes fail part way (EFBIG), as a full disk does
    (ENOSPC): the save reports err, writes get MISCONF, reads work, the last good file stays,
    and once the disk has room again a save succeeds and writes resume."""
    import resource

    def limit_file_size():
        resource.setrlimit(resource.RLIMIT_FSIZE, (256 * 1024, resource.RLIM_INFINITY))

    server = ServerProcess("--save", "3600 1", prefix_args=())
    server.stop()
    directory = server.dir
    log_path = os.path.join(directory, "limited.log")
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            [server.binary, "--port", str(server.port), "--bind", "127.0.0.1", "--dir", directory,
             "--save", "3600 1"], stdout=log, stderr=subprocess.STDOUT,
            preexec_fn=limit_file_size)
    try:
        c = redis.Redis(host="127.0.0.1", port=server.port, socket_timeout=10)
        deadline = time.time() + 10
        while True:
            try:
                c.ping()
                break
            except redis.ConnectionError:
                assert time.time() < deadline
                time.sleep(0.05)
        c.set("small", "1")
        assert c.save() is True  # A small file fits under the limit.
        good = open(os.path.join(directory, "dump.rdb"), "rb").read()
        for start in range(0, 20000, 5000):
            c.mset({b"big:%d" % i: os.urandom(100) for i in range(start, start + 5000)})
        c.bgsave()
        info = wait_for_save(c)
        assert info["rdb_last_bgsave_status"] == "err"
        with pytest.raises(redis.ResponseError, match="^MISCONF"):
            c.set("refused", "1")
        assert c.get("small") == b"1"
        assert c.dbsize() == 20001
        assert open(os.path.join(directory, "dump.rdb"), "rb").read() == good
        assert not [f for f in os.listdir(directory) if f.startswith("temp-")]
        assert "Write error saving DB on disk" in open(log_path).read()
        # Room again (the limit is lifted): the next save succeeds and writes are accepted.
        resource.prlimit(process.pid, resource.RLIMIT_FSIZE,
                         (resource.RLIM_INFINITY, resource.RLIM_INFINITY))
        c.bgsave()
        assert wait_for_save(c)["rdb_last_bgsave_status"] == "ok"
        assert c.set("accepted", "1") is True
        c.shutdown()  # Saves, with the limit gone.
        assert process.wait(timeout=30) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def test_a_snapshot_is_a_prefix_across_swapdb_flushdb_expire_append_and_a_big_list():
    """As above, with every kind of change the snapshot protocol must survive: in-place edits
    of shared strings (APPEND), expiry changes, a 20000-element list pushed and popped (a big
    value cloned while the snapshot holds it), SWAPDB and FLUSHDB, over two databases."""
    server = ServerProcess("--save", "")
    try:
        c = server.client()
        state = {}
        for db in (0, 1):
            c.execute_command("SELECT", db)
            c.mset({b"key:%d" % i: b"i%d" % db for i in range(30000)})
            for i in range(30000):
                state[(db, b"key:%d" % i)] = (b"i%d" % db, False)
        c.execute_command("SELECT", 0)
        items = [b"e%d" % i for i in range(20000)]
        c.rpush(b"biglist", *items)
        state[(0, b"biglist")] = (tuple(items), False)
        initial = dict(state)
        ops = []  # applied in this order by one connection
        stop = threading.Event()

        def writer():
            w = server.client()
            rng = random.Random(5)
            n = 0
            db = 0
            w.execute_command("SELECT", 0)
            while not stop.is_set():
                batch = []
                p = w.pipeline(transaction=False)
                for _ in range(100):
                    n += 1
                    roll = rng.random()
                    key = b"key:%d" % rng.randrange(36000)
                    if roll < 0.002:
                        p.execute_command("SWAPDB", 0, 1)
                        batch.append(("swapdb",))
                    elif roll < 0.0025:
                        p.execute_command("FLUSHDB")
                        batch.append(("flushdb", db))
                    elif roll < 0.01:
                        db = 1 - db
                        p.execute_command("SELECT", db)
                    elif roll < 0.1 and db == 0:
                        if rng.random() < 0.5:
                            p.rpush(b"biglist", b"w%d" % n)
                            batch.append(("rpush", 0, b"w%d" % n))
                        else:
                            p.lpop(b"biglist")
                            batch.append(("lpop", 0))
                    elif roll < 0.3:
                        p.append(key, b"+")
                        batch.append(("append", db, key))
                    elif roll < 0.4:
                        p.expire(key, 100000)
                        batch.append(("expire", db, key))
                    elif roll < 0.55:
                        p.delete(key)
                        batch.append(("del", db, key))
                    else:
                        p.set(key, b"w%d" % n)
                        batch.append(("set", db, key, b"w%d" % n))
                p.execute()
                ops.extend(batch)

        def apply(state, op):
            kind = op[0]
            if kind == "swapdb":
                return {(1 - d, k): v for (d, k), v in state.items()}
            if kind == "flushdb":
                return {(d, k): v for (d, k), v in state.items() if d != op[1]}
            slot = (op[1], op[2]) if kind not in ("rpush", "lpop") else (0, b"biglist")
            current = state.get(slot)
            if kind == "set":
                state[slot] = (op[3], False)
            elif kind == "del":
                state.pop(slot, None)
            elif kind == "expire":
                if current is not None:
                    state[slot] = (current[0], True)
            elif kind == "append":
                state[slot] = (current[0] + b"+", current[1]) if current else (b"+", False)
            elif kind == "rpush":
                state[slot] = ((current[0] if current else ()) + (op[2],),
                               current[1] if current else False)
            elif kind == "lpop" and current is not None:
                rest = current[0][1:]
                if rest:
                    state[slot] = (rest, current[1])
                else:
                    state.pop(slot)
            return state

        reloaded = bgsave_during_writes(server, c, writer, stop, ops, 3000)
        try:
            lc = reloaded.client()
            loaded = {}
            for db in (0, 1):
                lc.execute_command("SELECT", db)
                for key in lc.scan_iter(count=1000):
                    if lc.type(key) == b"list":
                        value = tuple(lc.lrange(key, 0, -1))
                    else:
                        value = lc.get(key)
                    loaded[(db, key)] = (value, lc.ttl(key) > 0)
        finally:
            reloaded.stop()
        state = dict(initial)
        matched_at = 0 if state == loaded else None
        if matched_at is None:
            for k, op in enumerate(ops, start=1):
                state = apply(state, op)
                # Compare only when the touched key (or, after SWAPDB/FLUSHDB, anything) may
                # now match; full comparisons are cheap enough at this size.
                if op[0] in ("swapdb", "flushdb") or state.get(op[1:3]) == loaded.get(op[1:3]) \
                        or op[0] in ("rpush", "lpop"):
                    if state == loaded:
                        matched_at = k
                        break
        assert matched_at is not None, f"no prefix of {len(ops)} operations matches the file"
        assert 0 < matched_at < len(ops), "the snapshot should fall inside the writes"
    finally:
        server.stop()
