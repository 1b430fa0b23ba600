"""Fixtures for tests that talk to a real ringdb-server over TCP.

Each test module gets its own server on a free loopback port, started from the build tree
(RINGDB_SERVER, set by meson) and stopped at the end.
"""
import os
import socket
import subprocess
import tempfile
import time

import pytest
import redis

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


def server_binary():
    path = os.environ.get("RINGDB_SERVER") or os.path.join(ROOT, "build", "ringdb-server")
    if not os.path.exists(path):
        raise RuntimeError(f"ringdb-server not found at {path}; build first or set RINGDB_SERVER")
    return path


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ServerProcess:
    """A ringdb-server child process on a free port with its own data directory."""

    # free_port() cannot reserve the port: a test running beside this one may take it first.
    # Then our server fails to bind (or another server answers there); start again elsewhere.
    START_ATTEMPTS = 5

    def __init__(self, *args, binary=None, prefix_args=(), wait_for_load=True):
        self.dir = tempfile.mkdtemp(prefix="ringdb-test-")
        self.log_path = os.path.join(self.dir, "server.log")
        self.binary = binary or server_binary()
        # Tests drive DEBUG from loopback, as Redis's own test suite does; the refusal under
        # the default "no" is tested explicitly.
        debug = ["--enable-debug-command", "local"] if self.binary == server_binary() else []
        # No save rules unless a test asks (its later --save wins): stopping a server with
        # SIGTERM would otherwise write a snapshot, as it does for Redis.
        if self.binary == server_binary():
            debug += ["--save", ""]
        for attempt in range(self.START_ATTEMPTS):
            self.port = free_port()
            command = [self.binary, *prefix_args, "--port", str(self.port), "--bind",
                       "127.0.0.1", "--dir", self.dir, *debug, *args]
            self.log = open(self.log_path, "w")
            self.process = subprocess.Popen(command, stdout=self.log, stderr=subprocess.STDOUT)
            if self.wait_ready(last=attempt == self.START_ATTEMPTS - 1):
                if wait_for_load:
                    self.wait_loaded()
                return
            self.stop()

    def serves_our_pid(self):
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

    def wait_ready(self, timeout=10.0, last=True):
        """True once our own process answers; False (to try another port) when it exited or
        someone else's server holds the port, unless this is the last attempt."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.process.poll() is not None:
                if not last:
                    return False
                raise RuntimeError(f"server exited early:\n{self.read_log()}")
            try:
                if self.serves_our_pid():
                    return True
                if not last:
                    return False
            except OSError:
                time.sleep(0.02)
        raise RuntimeError(f"server did not start in {timeout}s:\n{self.read_log()}")

    def wait_loaded(self, timeout=60.0):
        """Waits until a snapshot loading at start-up is in place (INFO's loading:0)."""
        deadline = time.time() + timeout
        while True:
            with socket.create_connection(("127.0.0.1", self.port), timeout=2) as s:
                s.sendall(b"*2\r\n$4\r\nINFO\r\n$11\r\npersistence\r\n")
                data = b""
                while b"loading:" not in data or not data.endswith(b"\r\n"):
                    chunk = s.recv(65536)
                    if not chunk:
                        break
                    data += chunk
            if b"\r\nloading:0\r\n" in data:
                return
            if time.time() > deadline:
                raise RuntimeError(f"still loading after {timeout}s:\n{self.read_log()}")
            time.sleep(0.02)

    def read_log(self):
        self.log.flush()
        with open(self.log_path) as f:
            return f.read()

    def wait_for_log(self, text, timeout=5.0):
        """Waits until `text` appears in the log (lines are written by a background thread)."""
        deadline = time.time() + timeout
        while True:
            log = self.read_log()
            if text in log:
                return log
            if time.time() > deadline:
                raise AssertionError(f"{text!r} not in the server log:\n{log}")
            time.sleep(0.02)

    def client(self, **kwargs):
        kwargs.setdefault("socket_timeout", 10)
        return redis.Redis(host="127.0.0.1", port=self.port, **kwargs)

    def raw(self):
        return RawConnection(self.port)

    def stop(self, timeout=10.0):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()
        return self.process.returncode


class RawConnection:
    """A socket for sending exact bytes and reading exact replies."""

    def __init__(self, port, host="127.0.0.1"):
        self.sock = socket.create_connection((host, port), timeout=10)
        self.buffer = bytearray()  # Appends are amortized O(1), so large replies read in linear time.

    def send(self, data):
        if isinstance(data, str):
            data = data.encode()
        self.sock.sendall(data)

    def command(self, *args):
        parts = [b"*%d\r\n" % len(args)]
        for arg in args:
            if isinstance(arg, str):
                arg = arg.encode()
            elif isinstance(arg, int):
                arg = str(arg).encode()
            parts.append(b"$%d\r\n%s\r\n" % (len(arg), arg))
        self.send(b"".join(parts))

    def _fill(self):
        chunk = self.sock.recv(1 << 20)
        if not chunk:
            raise ConnectionError("connection closed")
        self.buffer += chunk

    def read_line(self):
        while True:
            end = self.buffer.find(b"\r\n")
            if end >= 0:
                break
            self._fill()
        line = bytes(self.buffer[:end])
        del self.buffer[:end + 2]
        return line

    def read_exact(self, n):
        while len(self.buffer) < n:
            self._fill()
        data = bytes(self.buffer[:n])
        del self.buffer[:n]
        return data

    def read_reply(self):
        """One reply as raw RESP bytes (nested aggregates included)."""
        line = self.read_line()
        kind = line[:1]
        out = line + b"\r\n"
        if kind in (b"$", b"="):
            n = int(line[1:])
            if n >= 0:
                out += self.read_exact(n + 2)
        elif kind in (b"*", b"~", b">", b"%", b"|"):
            n = int(line[1:])
            count = n * 2 if kind in (b"%", b"|") else n
            for _ in range(max(count, 0)):
                out += self.read_reply()
        return out

    def closed_by_peer(self, timeout=2.0):
        self.sock.settimeout(timeout)
        try:
            while True:
                chunk = self.sock.recv(65536)
                if not chunk:
                    return True
                self.buffer += chunk
        except (ConnectionResetError, BrokenPipeError):
            return True
        except socket.timeout:
            return False

    def close(self):
        self.sock.close()


REDIS_SERVER = "/usr/bin/redis-server"


@pytest.fixture(scope="module", params=["ringdb", "redis-oracle"])
def target(request):
    """Each test that uses it runs twice: against ringdb and against Debian's redis-server,
    so every expectation is also checked against real Redis."""
    if request.param == "ringdb":
        process = ServerProcess()
    else:
        process = ServerProcess("--save", "", "--appendonly", "no", binary=REDIS_SERVER)
    yield process
    process.stop()


@pytest.fixture
def client(target):
    connection = target.client()
    connection.flushall()
    yield connection
    connection.close()


@pytest.fixture(scope="module")
def server():
    process = ServerProcess()
    yield process
    process.stop()


@pytest.fixture
def r(server):
    client = server.client(decode_responses=True)
    client.flushall()
    yield client
    client.close()
