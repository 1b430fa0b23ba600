#!/usr/bin/env python3
"""Snapshot benchmark: ringdb against Debian's redis-server in the same run (issue 4).

For each server and round: DEBUG POPULATE a dataset (KEYS keys of VALUE bytes), start a steady
load (tools/bench/snapshot_load: 25 SET + 25 GET clients, pipeline 1), BGSAVE in the middle,
and measure, before the snapshot vs during it:
  - throughput (ops/s) and p99.9 / max latency of the requests completing in each window;
  - peak memory during the snapshot vs before, as PSS (smaps_rollup) of the server plus, for
    Redis, its fork child, so pages the two share are not counted twice;
  - the snapshot's duration and file size;
  - the time to load the file at start-up (the servers' own "DB loaded from disk" log line).
Prints medians over rounds and the ratios ringdb/redis.

  tools/bench/snapshot.py                     # the issue's 2 GB run: 2.1M keys x 1000 B
  tools/bench/snapshot.py --keys 200000 --rounds 1 --seconds 12     # a quick look
"""
import argparse
import os
import re
import shutil
import socket
import statistics
import struct
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Client:
    def __init__(self, port):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=600)
        self.buffer = b""

    def call(self, *args):
        out = b"*%d\r\n" % len(args)
        for arg in args:
            arg = arg if isinstance(arg, bytes) else str(arg).encode()
            out += b"$%d\r\n%s\r\n" % (len(arg), arg)
        self.sock.sendall(out)
        return self.reply()

    def line(self):
        while b"\r\n" not in self.buffer:
            chunk = self.sock.recv(1 << 20)
            if not chunk:
                raise ConnectionError("connection closed")
            self.buffer += chunk
        line, self.buffer = self.buffer.split(b"\r\n", 1)
        return line

    def reply(self):
        line = self.line()
        if line[:1] == b"$":
            n = int(line[1:])
            if n < 0:
                return None
            while len(self.buffer) < n + 2:
                self.buffer += self.sock.recv(1 << 20)
            data, self.buffer = self.buffer[:n], self.buffer[n + 2:]
            return data
        if line[:1] == b"-":
            raise RuntimeError(line.decode())
        return line[1:]

    def info(self, section):
        text = self.call("INFO", section).decode()
        return dict(l.split(":", 1) for l in text.split("\r\n") if ":" in l)


def pss_kb(pid):
    """PSS of `pid` plus its children (Redis's fork child), in kB."""
    total = 0
    pids = [pid]
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as f:
                pids += [int(p) for p in f.read().split()]
    except OSError:
        pass
    for p in pids:
        try:
            with open(f"/proc/{p}/smaps_rollup") as f:
                for line in f:
                    if line.startswith("Pss:"):
                        total += int(line.split()[1])
        except OSError:
            pass
    return total


def start(name, binary, directory, port):
    args = [binary, "--port", str(port), "--bind", "127.0.0.1", "--dir", directory,
            "--save", "", "--enable-debug-command", "yes"]
    if name == "redis":
        args += ["--appendonly", "no"]
    log = open(os.path.join(directory, "server.log"), "a")
    process = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.time() + 600
    while True:
        try:
            c = Client(port)
            if c.call("PING") == b"PONG":
                return process, c
        except (OSError, RuntimeError):
            pass
        if time.time() > deadline or process.poll() is not None:
            raise RuntimeError(f"{name} did not start")
        time.sleep(0.05)


def window_stats(records, start_us, end_us):
    latencies = sorted(lat for t, lat in records if start_us <= t < end_us)
    seconds = (end_us - start_us) / 1e6
    if not latencies or seconds <= 0:
        return {"ops": 0.0, "p999_ms": 0.0, "max_ms": 0.0}
    return {"ops": len(latencies) / seconds,
            "p999_ms": latencies[min(len(latencies) - 1, int(len(latencies) * 0.999))] / 1000,
            "max_ms": latencies[-1] / 1000}


def run_round(name, binary, options, load_tool):
    directory = tempfile.mkdtemp(prefix=f"snapbench-{name}-")
    port = free_port()
    process, c = start(name, binary, directory, port)
    try:
        c.call("DEBUG", "POPULATE", options.keys, "key", options.value_bytes)
        time.sleep(1)
        pss_before = pss_kb(process.pid)
        records_path = os.path.join(directory, "records.bin")
        load = subprocess.Popen([load_tool, str(port), "50", "25", str(options.seconds),
                                 str(options.keys), str(options.value_bytes), records_path])
        time.sleep(options.seconds * 0.35)
        snapshot_start = time.time()
        c.call("BGSAVE")
        peak = pss_before
        while True:
            peak = max(peak, pss_kb(process.pid))
            if c.info("persistence")["rdb_bgsave_in_progress"] == "0":
                break
            time.sleep(0.05)
        snapshot_end = time.time()
        if load.wait() != 0:
            raise RuntimeError("the load generator failed")
        info = c.info("persistence")
        if info["rdb_last_bgsave_status"] != "ok":
            raise RuntimeError(f"{name}: the snapshot failed")
        raw = open(records_path, "rb").read()
        values = struct.unpack(f"<{len(raw) // 8}q", raw)
        records = list(zip(values[0::2], values[1::2]))
        first = records[0][0] + 1_000_000  # Skip the first second (connections warming up).
        before = window_stats(records, first, int(snapshot_start * 1e6))
        during = window_stats(records, int(snapshot_start * 1e6), int(snapshot_end * 1e6))
        file_bytes = os.path.getsize(os.path.join(directory, "dump.rdb"))
        try:
            c.call("SHUTDOWN", "NOSAVE")
        except ConnectionError:
            pass  # The server closes the connection as it exits.
        process.wait(timeout=120)
        # Load time: the server's own log line, on a fresh start over the file.
        process, c = start(name, binary, directory, free_port())
        if name != "redis":
            while c.info("persistence")["loading"] != "0":
                time.sleep(0.05)
        log = open(os.path.join(directory, "server.log")).read()
        load_s = float(re.findall(r"DB loaded from disk: ([0-9.]+) seconds", log)[-1])
        return {
            "ops_before": before["ops"], "ops_during": during["ops"],
            "p999_before_ms": before["p999_ms"], "p999_during_ms": during["p999_ms"],
            "max_before_ms": before["max_ms"], "max_during_ms": during["max_ms"],
            "pss_before_mb": pss_before / 1024, "pss_peak_mb": peak / 1024,
            "snapshot_s": snapshot_end - snapshot_start, "file_mb": file_bytes / 2**20,
            "load_s": load_s,
        }
    finally:
        try:
            c.call("SHUTDOWN", "NOSAVE")
        except Exception:
            pass
        if process.poll() is None:
            process.kill()
        process.wait()
        shutil.rmtree(directory, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--keys", type=int, default=2_100_000)
    parser.add_argument("--value-bytes", type=int, default=1000)
    parser.add_argument("--seconds", type=float, default=40)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--ringdb", default=os.path.join(ROOT, "build", "ringdb-server"))
    parser.add_argument("--redis", default=shutil.which("redis-server") or "redis-server")
    parser.add_argument("--load-tool", default=os.path.join(ROOT, "build", "snapshot_load"))
    options = parser.parse_args()

    results = {"ringdb": [], "redis": []}
    for round_index in range(options.rounds):
        for name, binary in (("ringdb", options.ringdb), ("redis", options.redis)):
            result = run_round(name, binary, options, options.load_tool)
            results[name].append(result)
            print(f"round {round_index + 1} {name}: " +
                  " ".join(f"{k}={v:.2f}" for k, v in result.items()), flush=True)

    def median(name, key):
        return statistics.median(r[key] for r in results[name])

    rows = [
        ("throughput during / before", lambda n: median(n, "ops_during") / median(n, "ops_before")),
        ("p99.9 during / before", lambda n: median(n, "p999_during_ms") / median(n, "p999_before_ms")),
        ("max latency during (ms)", lambda n: median(n, "max_during_ms")),
        ("max latency before (ms)", lambda n: median(n, "max_before_ms")),
        ("peak PSS during / before", lambda n: median(n, "pss_peak_mb") / median(n, "pss_before_mb")),
        ("PSS before (MB)", lambda n: median(n, "pss_before_mb")),
        ("snapshot duration (s)", lambda n: median(n, "snapshot_s")),
        ("file size (MB)", lambda n: median(n, "file_mb")),
        ("load time (s)", lambda n: median(n, "load_s")),
    ]
    print(f"\n{options.keys} keys x {options.value_bytes} B, {options.rounds} rounds, medians")
    print(f"{'':30} {'ringdb':>10} {'redis':>10} {'ringdb/redis':>13}")
    for label, value in rows:
        ours, theirs = value("ringdb"), value("redis")
        ratio = ours / theirs if theirs else float("nan")
        print(f"{label:30} {ours:10.3f} {theirs:10.3f} {ratio:13.2f}")


if __name__ == "__main__":
    sys.exit(main())
