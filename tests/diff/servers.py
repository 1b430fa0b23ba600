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

    # free_port() cannot reserve the port: a test running beside this one may take it first.
    # Then our server fails to bind (or another server answers there); start again elsewhere.
    START_ATTEMPTS = 5

    def __init__(self, name, command_for_port, ready_timeout_s=10.0):
        self.name = name
        self.dir = tempfile.mkdtemp(prefix="ringdb-diff-%s-" % name)
        self.log_path = os.path.join(self.dir, "server.log")
        for attempt in range(self.START_ATTEMPTS):
            self.port = free_port()
            self.command = command_for_port(self.port, self.dir)
            self._log = open(self.log_path, "w")
            self.process = subprocess.Popen(self.command, stdout=self._log,
                                            stderr=subprocess.STDOUT, cwd=self.dir)
            if self._wait_ready(ready_timeout_s, last=attempt == self.START_ATTEMPTS - 1):
                return
            self.stop(keep_dir=True)

    def _serves_our_pid(self):
        """True when the server on our port answers INFO with our child's pid."""
        with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as s:
            s.sendall(b"*2\r\n$4\r\nINFO\r\n$6\r\nserver\r\n")
            data = b""
            while b"process_id:" not in data or not data.endswith(b"\r\n"):
                chunk = s.recv(65536)
                if not chunk:
                    break
                data += chunk
        for line in data.split(b"\r\n"):
            if line.startswith(b"process_id:"):
                return int(line.split(b":")[1]) == self.process.pid
        return False

    def _wait_ready(self, timeout_s, last):
        """True once our own process answers; False (to try another port) when it exited or
        someone else's server holds the port, unless this is the last attempt."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                if not last:
                    return False
                raise RuntimeError("%s exited early (%s):\n%s" % (
                    self.name, " ".join(self.command), self.read_log()))
            try:
                if self._serves_our_pid():
                    return True
                if not last:
                    return False
            except OSError:
                pass
            time.sleep(0.02)
        raise RuntimeError("%s did not answer within %.0fs:\n%s" % (
            self.name, timeout_s, self.read_log()))

    def alive(self):
        return self.process.poll() is None

    def read_log(self, tail_bytes=4000):
        self._log.flush()
        with open(self.log_path, "rb") as f:
            data = f.read()
        return data[-tail_bytes:].decode("utf-8", "replace")

    def stop(self, timeout_s=10.0, keep_dir=False):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=timeout_s)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._log.close()
        if not keep_dir:
            shutil.rmtree(self.dir, ignore_errors=True)
        return self.process.returncode


def start_ringdb(binary=None, extra_args=()):
    binary = binary or ringdb_binary()
    if not os.path.exists(binary):
        raise RuntimeError("ringdb-server not found at %s; build it or set RINGDB_SERVER" % binary)

    def command(port, directory):
        return [binary, "--port", str(port), "--bind", "127.0.0.1", "--dir", directory,
                "--save", "", *extra_args]

    return ServerProcess("ringdb", command)


def start_redis(binary=REDIS_SERVER, extra_args=(), name="redis"):
    if not os.path.exists(binary):
        raise RuntimeError("redis-server not found at %s (apt-get install redis-server)" % binary)

    def command(port, directory):
        return [binary, "--port", str(port), "--bind", "127.0.0.1", "--dir", directory,
                "--save", "", "--appendonly", "no", "--daemonize", "no", *extra_args]

    return ServerProcess(name, command)
