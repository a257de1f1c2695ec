"""TCP_NODELAY reaches the listening socket (whose later connections inherit it on Linux) and
the connections already open, and leaves every other descriptor as it was, open."""

import socket
import sys
import tempfile

import pytest

from ui.tcp_nodelay import set_nodelay_on_open_sockets

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/self/fd")


def nodelay(sock: socket.socket) -> int:
    return sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)


def test_the_listener_and_open_connections_send_at_once_and_later_connections_inherit_it():
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)  # proto 0, as uvicorn makes it
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    early_client = socket.create_connection(listener.getsockname())
    early, _ = listener.accept()
    udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    with tempfile.TemporaryFile() as file, listener, early_client, early, udp:
        assert early.proto == 0 and nodelay(early) == 0 and nodelay(listener) == 0  # what asyncio leaves
        assert set_nodelay_on_open_sockets() >= 2
        assert nodelay(listener) == 1 and nodelay(early) == 1
        late_client = socket.create_connection(listener.getsockname())
        late, _ = listener.accept()
        with late_client, late:
            assert nodelay(late) == 1
        file.write(b"still open")  # a file among the descriptors: untouched, not closed
        udp.sendto(b"still open", ("127.0.0.1", 9))
        early.sendall(b"still open")
        assert early_client.recv(16) == b"still open"


def test_without_a_list_of_descriptors_nothing_changes(tmp_path):
    assert set_nodelay_on_open_sockets(str(tmp_path / "absent")) == 0
