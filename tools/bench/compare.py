#!/usr/bin/env python3
"""Benchmarks ringdb against Debian's redis-server in the same run.

Both servers run without persistence on free loopback ports. For each round and each
configuration the two servers are measured one after the other (alternating which goes
first), and the report gives medians over rounds and the ratios ringdb / redis:

  * throughput and latency percentiles from redis-benchmark (SET GET INCR MSET with 10 keys,
    50 clients, 64-byte values, 1M-key space, pipeline 1 and 16);
  * server CPU time per operation, from the kernel's per-thread run time
    (/proc/<pid>/task/*/schedstat, nanoseconds) over the timed run: at pipeline 1 the
    single-threaded redis-benchmark is as busy as the server on a 2-core machine, so this is
    the fair figure there;
  * memory per key after loading N keys of 16-byte keys and 32-byte values
    (used_memory from INFO, and RSS from /proc).

  tools/bench/compare.py                 full run (about 15 minutes)
  tools/bench/compare.py --quick         a short run that only checks the harness works
  tools/bench/compare.py --floor         adds the bare io_uring loop (the network floor)
"""
import argparse
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    # free_port() cannot reserve the port: something started beside us may take it first, and
    # then we must not measure someone else's server. Each attempt checks INFO's process_id.
    START_ATTEMPTS = 5

    def __init__(self, name, command_for_port):
        self.name = name
        self.dir = tempfile.mkdtemp(prefix=f"bench-{name}-")
        self.log = open(os.path.join(self.dir, "log"), "w")
        for _ in range(self.START_ATTEMPTS):
            self.port = free_port()
            self.process = subprocess.Popen(command_for_port(self.port, self.dir), stdout=self.log,
                                            stderr=subprocess.STDOUT, cwd=self.dir)
            if self._ready():
                return
            self.process.kill()
            self.process.wait()
        raise RuntimeError(f"{name} did not start")

    def _ready(self):
        deadline = time.time() + 10
        while time.time() < deadline and self.process.poll() is None:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as s:
                    s.sendall(b"*2\r\n$4\r\nINFO\r\n$6\r\nserver\r\n")
                    data = s.recv(65536)
                match = re.search(rb"process_id:(\d+)", data)
                # The bare loop answers +OK to anything: its own port is all it can prove.
                return match is None and data.startswith(b"+OK") or (
                    match is not None and int(match.group(1)) == self.process.pid)
            except OSError:
                time.sleep(0.05)
        return False

    def cpu_ns(self):
        total = 0
        task_dir = f"/proc/{self.process.pid}/task"
        for task in os.listdir(task_dir):
            try:
                with open(f"{task_dir}/{task}/schedstat") as f:
                    total += int(f.read().split()[0])
            except (FileNotFoundError, ProcessLookupError):
                pass
        return total

    def rss_bytes(self):
        with open(f"/proc/{self.process.pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
        return 0

    def cli(self, *args, stdin=None):
        return subprocess.run(["redis-cli", "-p", str(self.port), *args], input=stdin,
                              capture_output=True, check=True).stdout

    def used_memory(self):
        info = self.cli("info", "memory").decode()
        return int(re.search(r"^used_memory:(\d+)", info, re.M).group(1))

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()
        shutil.rmtree(self.dir, ignore_errors=True)


def percentile_from_output(text, wanted):
    """redis-benchmark prints 'P% <= X milliseconds' lines; the first at or above `wanted`."""
    best = None
    for match in re.finditer(r"^\s*([\d.]+)% <= ([\d.]+) milliseconds", text, re.M):
        pct, ms = float(match.group(1)), float(match.group(2))
        if pct >= wanted:
            return ms
        best = ms
    return best


# What redis-benchmark runs for each row: one of its own tests (-t), or a command line of ours
# (the __rand_int__ in it is replaced by a random number in the -r range). Rows run in this
# order, so LPOP and SPOP find what LPUSH and SADD left, LRANGE_100 the list LPUSH filled
# (redis-benchmark fills it again itself), and ZRANGE_100 the sorted set ZADD filled.
BENCHMARK_ROWS = {
    "set": ["-t", "set"],
    "get": ["-t", "get"],
    "incr": ["-t", "incr"],
    "mset": ["-t", "mset"],
    "lpush": ["-t", "lpush"],
    "lpop": ["-t", "lpop"],
    "lrange_100": ["-t", "lrange_100"],
    "sadd": ["-t", "sadd"],
    "spop": ["-t", "spop"],
    "hset": ["-t", "hset"],
    "zadd": ["-t", "zadd"],
    "zrange_100": ["ZRANGE", "myzset", "0", "99"],
    "xadd": ["XADD", "mystream", "MAXLEN", "~", "1000000", "*", "field", "__rand_int__"],
    "publish": ["PUBLISH", "channel", "__rand_int__"],
}
STRING_ROWS = "set,get,incr,mset"
COLLECTION_ROWS = "lpush,lpop,lrange_100,sadd,spop,hset,zadd,zrange_100,xadd,publish"


def run_benchmark(server, test, pipeline, requests, clients):
    before = server.cpu_ns()
    start = time.time()
    out = subprocess.run(
        ["redis-benchmark", "-p", str(server.port), "-n", str(requests), "-c", str(clients), "-P",
         str(pipeline), "-d", "64", "-r", "1000000", "--precision", "3"] + BENCHMARK_ROWS[test],
        capture_output=True, text=True, check=True).stdout
    elapsed = time.time() - start
    cpu = server.cpu_ns() - before
    rps = float(re.search(r"throughput summary: ([\d.]+) requests per second", out).group(1))
    return {
        "rps": rps,
        "p50": percentile_from_output(out, 50.0),
        "p99": percentile_from_output(out, 99.0),
        "p999": percentile_from_output(out, 99.9),
        "cpu_us_per_op": cpu / 1000.0 / requests,
        "seconds": elapsed,
    }


def load_keys(server, count):
    """count keys of 16 bytes with 32-byte values, through redis-cli --pipe."""
    chunk = 100000
    for start in range(0, count, chunk):
        lines = []
        for i in range(start, min(count, start + chunk)):
            key = b"k%015d" % i
            value = b"v%031d" % i
            lines.append(b"*3\r\n$3\r\nSET\r\n$16\r\n%s\r\n$32\r\n%s\r\n" % (key, value))
        server.cli("--pipe", stdin=b"".join(lines))


# Collections for the memory comparison: (name, count, RESP of item i). Members and values are
# short text, so small collections take the compact encodings on both servers (except sets in
# Redis 7.0, which has no listpack sets: there 7.2 would take less than the 7.0 oracle does).
def _resp(*words):
    return b"*%d\r\n" % len(words) + b"".join(b"$%d\r\n%s\r\n" % (len(w), w) for w in words)


def _hash_item(i):
    words = [b"HSET", b"hash:%d" % i]
    for f in range(10):
        words += [b"field%d" % f, b"value-%d-%d" % (i, f)]
    return _resp(*words)


def _set_item(i):
    return _resp(b"SADD", b"set:%d" % i, *[b"member-%d-%d" % (i, m) for m in range(10)])


def _zset_item(i):
    words = [b"ZADD", b"zset:%d" % i]
    for m in range(10):
        words += [b"%d" % (i + m), b"member-%d" % m]
    return _resp(*words)


def _list_item(i):
    # 1000 elements per RPUSH.
    return _resp(b"RPUSH", b"biglist", *[b"element-%09d" % (i * 1000 + e) for e in range(1000)])


COLLECTION_MEMORY = [
    ("hashes (10 fields)", _hash_item),
    ("sets (10 members)", _set_item),
    ("zsets (10 members)", _zset_item),
    ("one list (elements)", _list_item),
]


def load_items(server, item, count):
    chunk = 20000
    for start in range(0, count, chunk):
        server.cli("--pipe", stdin=b"".join(item(i) for i in range(start, min(count, start + chunk))))


def collection_memory(make_server, collections, list_elements):
    """Bytes per collection (per element for the list) of used_memory, on a fresh server."""
    server = make_server()
    result = {}
    try:
        time.sleep(0.3)
        for name, item in COLLECTION_MEMORY:
            is_list = name.startswith("one list")
            count = list_elements // 1000 if is_list else collections
            before = server.used_memory()
            load_items(server, item, count)
            time.sleep(0.3)
            per = list_elements if is_list else collections
            result[name] = (server.used_memory() - before) / per
    finally:
        server.stop()
    return result


def ringdb_command(binary):
    return lambda port, d: [binary, "--port", str(port), "--bind", "127.0.0.1", "--dir", d, "--save", ""]


def redis_command(port, d):
    return ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--dir", d, "--save", "",
            "--appendonly", "no"]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--ringdb", default=os.path.join(ROOT, "build", "ringdb-server"))
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--requests", type=int, default=1000000, help="per run at pipeline 16")
    parser.add_argument("--requests-p1", type=int, default=300000, help="per run at pipeline 1")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--memory-keys", type=int, default=5000000)
    parser.add_argument("--tests", default=STRING_ROWS,
                        help="rows to run, comma-separated, from: " + ",".join(BENCHMARK_ROWS) +
                        " (--tests all: every row)")
    parser.add_argument("--collections", type=int, default=0,
                        help="also compare memory for this many small hashes, sets and sorted "
                             "sets (10 elements each) and one list of 10x as many elements "
                             "(the issue's figure: 1000000)")
    parser.add_argument("--quick", action="store_true", help="tiny run: checks the harness only")
    parser.add_argument("--floor", action="store_true",
                        help="also measure tools/bench/bare_loop (io_uring answering +OK, no "
                             "parsing or storage) at pipeline 1: the network path's floor")
    parser.add_argument("--bare-loop", default=os.path.join(ROOT, "build", "bare_loop"))
    args = parser.parse_args()
    if args.tests == "all":
        args.tests = STRING_ROWS + "," + COLLECTION_ROWS
    unknown = set(args.tests.split(",")) - set(BENCHMARK_ROWS)
    if unknown:
        parser.error("unknown rows: " + ",".join(sorted(unknown)))
    if args.quick:
        args.rounds, args.requests, args.requests_p1, args.memory_keys = 1, 20000, 5000, 20000
        args.collections = min(args.collections, 2000)

    servers = [Server("ringdb", ringdb_command(args.ringdb)), Server("redis", redis_command)]
    if args.floor:
        servers.append(Server("floor", lambda port, d: [args.bare_loop, str(port)]))
    results = {}  # (test, pipeline, server) -> list of runs
    try:
        for round_index in range(args.rounds):
            order = servers if round_index % 2 == 0 else list(reversed(servers))
            for pipeline in (1, 16):
                requests = args.requests_p1 if pipeline == 1 else args.requests
                for test in args.tests.split(","):
                    for server in order:
                        if server.name == "floor" and (pipeline != 1 or test not in ("get", "set")):
                            continue  # The floor answers one reply per receive: pipeline 1 only.
                        run = run_benchmark(server, test, pipeline, requests, args.clients)
                        results.setdefault((test, pipeline, server.name), []).append(run)
            print(f"round {round_index + 1}/{args.rounds} done", file=sys.stderr)
    finally:
        for server in servers:
            server.stop()
    # Memory is measured on fresh servers, so nothing the throughput runs allocated and freed
    # (and the allocator kept) blurs the per-key figure.
    memory = {}
    makers = (lambda: Server("ringdb", ringdb_command(args.ringdb)), lambda: Server("redis", redis_command))
    # --memory-keys 0 skips the memory measurement.
    for make in makers if args.memory_keys > 0 else ():
        server = make()
        try:
            time.sleep(0.3)
            base_used, base_rss = server.used_memory(), server.rss_bytes()
            load_keys(server, args.memory_keys)
            keys = int(server.cli("dbsize").strip())
            if keys != args.memory_keys:
                raise RuntimeError(f"{server.name} holds {keys} keys after loading {args.memory_keys}")
            time.sleep(0.5)
            memory[server.name] = ((server.used_memory() - base_used) / args.memory_keys,
                                   (server.rss_bytes() - base_rss) / args.memory_keys)
        finally:
            server.stop()

    def median(test, pipeline, name, field):
        return statistics.median(run[field] for run in results[(test, pipeline, name)])

    print(f"\nringdb vs redis-server {redis_version()}: medians of {args.rounds} rounds, "
          f"{args.clients} clients, 64-byte values, 1M-key space")
    print("| test | pipeline | ops/s ringdb | ops/s redis | ratio | p50 ms (r/R) | p99 ms (r/R) | p99.9 ms (r/R) | CPU µs/op ringdb | CPU µs/op redis | CPU ratio |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for pipeline in (1, 16):
        for test in args.tests.split(","):
            ours = {f: median(test, pipeline, "ringdb", f) for f in ("rps", "p50", "p99", "p999", "cpu_us_per_op")}
            theirs = {f: median(test, pipeline, "redis", f) for f in ("rps", "p50", "p99", "p999", "cpu_us_per_op")}
            print(f"| {test.upper()} | {pipeline} | {ours['rps']:.0f} | {theirs['rps']:.0f} | "
                  f"{ours['rps'] / theirs['rps']:.2f} | {ours['p50']:.3f}/{theirs['p50']:.3f} | "
                  f"{ours['p99']:.3f}/{theirs['p99']:.3f} | {ours['p999']:.3f}/{theirs['p999']:.3f} | "
                  f"{ours['cpu_us_per_op']:.2f} | {theirs['cpu_us_per_op']:.2f} | "
                  f"{ours['cpu_us_per_op'] / theirs['cpu_us_per_op']:.2f} |")
    if args.floor:
        print("\nnetwork floor at pipeline 1 (bare io_uring loop answering +OK to each receive):")
        print("| test | CPU µs/op floor | ringdb | redis | floor / redis | ringdb / floor |")
        print("|---|---|---|---|---|---|")
        for test in ("get", "set"):
            if (test, 1, "floor") not in results:
                continue
            floor = median(test, 1, "floor", "cpu_us_per_op")
            ours = median(test, 1, "ringdb", "cpu_us_per_op")
            theirs = median(test, 1, "redis", "cpu_us_per_op")
            print(f"| {test.upper()} | {floor:.2f} | {ours:.2f} | {theirs:.2f} | "
                  f"{floor / theirs:.2f} | {ours / floor:.2f} |")
    if args.collections:
        list_elements = args.collections * 10
        ours = collection_memory(lambda: Server("ringdb", ringdb_command(args.ringdb)),
                                 args.collections, list_elements)
        theirs = collection_memory(lambda: Server("redis", redis_command), args.collections,
                                   list_elements)
        print(f"\nmemory of collections ({args.collections} of each; the list holds "
              f"{list_elements} elements): used_memory bytes per collection (per element "
              "for the list)")
        print("| | ringdb | redis | ratio |")
        print("|---|---|---|---|")
        for name, _ in COLLECTION_MEMORY:
            print(f"| {name} | {ours[name]:.1f} | {theirs[name]:.1f} | "
                  f"{ours[name] / theirs[name]:.2f} |")
    if not memory:
        return 0
    ours_used, ours_rss = memory["ringdb"]
    theirs_used, theirs_rss = memory["redis"]
    print(f"\nmemory, {args.memory_keys} keys (16-byte keys, 32-byte values):")
    print("| | used_memory B/key | RSS B/key |")
    print("|---|---|---|")
    print(f"| ringdb | {ours_used:.1f} | {ours_rss:.1f} |")
    print(f"| redis | {theirs_used:.1f} | {theirs_rss:.1f} |")
    print(f"| ratio | {ours_used / theirs_used:.2f} | {ours_rss / theirs_rss:.2f} |")
    return 0


def redis_version():
    out = subprocess.run(["redis-server", "--version"], capture_output=True, text=True).stdout
    match = re.search(r"v=([\d.]+)", out)
    return match.group(1) if match else "?"


if __name__ == "__main__":
    sys.exit(main())
