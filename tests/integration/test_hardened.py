"""The server runs where a hardened service manager forbids resource-control system calls,
and explains itself where io_uring is unavailable."""
import os
import subprocess

from conftest import ServerProcess, free_port, server_binary

# A sanitizer build's runtime lowers RLIMIT_CORE at start-up unless told not to; the denied
# setrlimit would stop it before the server runs.
os.environ["ASAN_OPTIONS"] = ":".join(filter(None, [os.environ.get("ASAN_OPTIONS"), "disable_coredump=0"]))

DENY = os.environ.get("RINGDB_DENY_SYSCALLS", os.path.join(os.path.dirname(server_binary()), "tests", "deny_syscalls"))


def test_server_survives_denied_resource_syscalls():
    server = ServerProcess(binary=DENY, prefix_args=[server_binary()])
    try:
        connection = server.raw()
        connection.command("SET", "k", "v")
        assert connection.read_reply() == b"+OK\r\n"
        connection.command("GET", "k")
        assert connection.read_reply() == b"$1\r\nv\r\n"
        log = server.read_log()
        # setrlimit failed, so the server lowered maxclients to what the fd limit allows.
        if "maxclients has been reduced" not in log:
            assert "Ready to accept connections" in log
    finally:
        assert server.stop() == 0


def test_server_without_io_uring_says_why():
    port = free_port()
    result = subprocess.run([DENY, "--io-uring", server_binary(), "--port", str(port), "--bind", "127.0.0.1"],
                            capture_output=True, text=True, timeout=20)
    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert "io_uring setup failed" in output
    assert "io_uring_disabled" in output or "seccomp" in output
