"""Starting and stopping the two servers under comparison.

Each server runs as a child process on a free loopback port with its own temporary directory
(data files and log), so runs never share state and leave nothing behind.
"""
import os
import shutil
import socket
import subprocess
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
REDIS_SERVER = "/usr/bin/redis-server"


def ringdb_binary():
    return os.environ.get("RINGDB_SERVER") or os.path.join(ROOT, "build", "ringdb-server")


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ServerProcess:
    """A server child process. `name` labels it in reports ("ringdb" or "redis")."""

    def __init__(self, name, command_for_port, ready_timeout_s=10.0):
        self.name = name
        self.dir = tempfile.mkdtemp(prefix="ringdb-diff-%s-" % name)
        self.port = free_port()
        self.log_path = os.path.join(self.dir, "server.log")
        self.command = command_for_port(self.port, self.dir)
        self._log = open(self.log_path, "w")
        self.process = subprocess.Popen(self.command, stdout=self._log, stderr=subprocess.STDOUT,
                                        cwd=self.dir)
        self._wait_ready(ready_timeout_s)

    def _wait_ready(self, timeout_s):
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("%s exited early (%s):\n%s" % (
                    self.name, " ".join(self.command), self.read_log()))
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2) as s:
                    s.sendall(b"*1\r\n$4\r\nPING\r\n")
                    if s.recv(64).startswith(b"+PONG"):
                        return
            except OSError:
                pass
            time.sleep(0.02)
        raise RuntimeError("%s did not answer PING within %.0fs:\n%s" % (
            self.name, timeout_s, self.read_log()))

    def alive(self):
        return self.process.poll() is None

    def read_log(self, tail_bytes=4000):
        self._log.flush()
        with open(self.log_path, "rb") as f:
            data = f.read()
        return data[-tail_bytes:].decode("utf-8", "replace")

    def stop(self, timeout_s=10.0):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=timeout_s)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._log.close()
        shutil.rmtree(self.dir, ignore_errors=True)
        return self.process.returncode


def start_ringdb(binary=None, extra_args=()):
    binary = binary or ringdb_binary()
    if not os.path.exists(binary):
        raise RuntimeError("ringdb-server not found at %s; build it or set RINGDB_SERVER" % binary)

    def command(port, directory):
        return [binary, "--port", str(port), "--bind", "127.0.0.1", "--dir", directory,
                *extra_args]

    return ServerProcess("ringdb", command)


def start_redis(binary=REDIS_SERVER, extra_args=(), name="redis"):
    if not os.path.exists(binary):
        raise RuntimeError("redis-server not found at %s (apt-get install redis-server)" % binary)

    def command(port, directory):
        return [binary, "--port", str(port), "--bind", "127.0.0.1", "--dir", directory,
                "--save", "", "--appendonly", "no", "--daemonize", "no", *extra_args]

    return ServerProcess(name, command)
