"""`supervised systemd`: READY=1 and STOPPING=1 reach $NOTIFY_SOCKET."""
import os
import signal
import socket
import tempfile

from conftest import ServerProcess


def test_systemd_readiness_and_stopping_notifications():
    directory = tempfile.mkdtemp(prefix="ringdb-notify-")
    path = os.path.join(directory, "notify.sock")
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    listener.bind(path)
    listener.settimeout(10)
    os.environ["NOTIFY_SOCKET"] = path
    try:
        server = ServerProcess("--supervised", "systemd")
    finally:
        del os.environ["NOTIFY_SOCKET"]
    ready = listener.recv(4096).decode()
    assert "READY=1" in ready.split("\n")
    # READY comes once the server accepts connections.
    connection = server.raw()
    connection.command("PING")
    assert connection.read_reply() == b"+PONG\r\n"
    server.process.send_signal(signal.SIGTERM)
    assert server.process.wait(timeout=10) == 0
    stopping = listener.recv(4096).decode()
    assert "STOPPING=1" in stopping.split("\n")
    listener.close()


def test_no_notification_without_supervision():
    directory = tempfile.mkdtemp(prefix="ringdb-notify-")
    path = os.path.join(directory, "notify.sock")
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    listener.bind(path)
    listener.settimeout(1)
    os.environ["NOTIFY_SOCKET"] = path
    try:
        server = ServerProcess()
    finally:
        del os.environ["NOTIFY_SOCKET"]
    try:
        listener.recv(4096)
        received = True
    except socket.timeout:
        received = False
    server.stop()
    assert not received
