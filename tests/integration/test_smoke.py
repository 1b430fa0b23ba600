"""The server starts, answers real clients and stops on SIGTERM."""
import signal

from conftest import ServerProcess


def test_ping_set_get(r):
    assert r.ping() is True
    assert r.set("greeting", "hello") is True
    assert r.get("greeting") == "hello"
    assert r.delete("greeting", "missing") == 1


def test_protocol_error_closes_only_that_connection(server):
    bad = server.raw()
    bad.send(b"*1\r\n$4\r\nPING\r\n*x\r\n")
    assert bad.read_reply() == b"+PONG\r\n"
    assert bad.read_reply() == b"-ERR Protocol error: invalid multibulk length\r\n"
    assert bad.closed_by_peer()
    good = server.raw()
    good.command("PING")
    assert good.read_reply() == b"+PONG\r\n"


def test_sigterm_shuts_down_cleanly():
    process = ServerProcess()
    process.process.send_signal(signal.SIGTERM)
    assert process.process.wait(timeout=10) == 0
    assert "bye bye" in process.read_log()
