"""The server runs where a hardened service manager forbids resource-control system calls,
and explains itself where io_uring is unavailable."""
import os
import resource
import subprocess

from conftest import ServerProcess, free_port, server_binary

# A sanitizer build's runtime lowers RLIMIT_CORE at start-up unless told not to; the denied
# setrlimit would stop it before the server runs.
os.environ["ASAN_OPTIONS"] = ":".join(filter(None, [os.environ.get("ASAN_OPTIONS"), "disable_coredump=0"]))

DENY = os.environ.get("RINGDB_DENY_SYSCALLS", os.path.join(os.path.dirname(server_binary()), "tests", "deny_syscalls"))


def test_server_survives_denied_resource_syscalls():
    # Ask for more clients than the inherited descriptor limit allows: raising it needs
    # setrlimit, which is denied, so the server must lower maxclients (as Redis does) and run.
    soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    server = ServerProcess("--maxclients", str(soft + 1000), binary=DENY,
                           prefix_args=[server_binary()])
    try:
        connection = server.raw()
        connection.command("SET", "k", "v")
        assert connection.read_reply() == b"+OK\r\n"
        connection.command("GET", "k")
        assert connection.read_reply() == b"$1\r\nv\r\n"
        server.wait_for_log(f"maxclients has been reduced to {soft - 32}")
        connection.command("CONFIG", "GET", "maxclients")
        assert connection.read_reply() == b"*2\r\n$10\r\nmaxclients\r\n$%d\r\n%d\r\n" % (
            len(str(soft - 32)), soft - 32)
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
