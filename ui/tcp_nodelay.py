"""Send every answer at once: TCP_NODELAY on the server's sockets.

A rerun's answer is a burst of small websocket messages. Streamlit serves them through uvicorn,
whose listening socket is made with `proto` 0; asyncio turns Nagle's algorithm off on an
accepted connection only when its `proto` says TCP (uvicorn issue #3149), so here it stays on:
after the first messages of a burst, the kernel holds the rest until the browser acknowledges
them, and the browser's system delays that acknowledgement (40 ms on Linux). Every slider move
waited for it (bench/server_load.py, one session moving W_f: the README has the numbers).

On Linux a connection accepted later inherits the option from the listening socket, so setting
it once on every TCP socket the process holds covers the listener and the connections already
open. Where the process cannot list its descriptors (no /proc/self/fd), nothing changes.
"""

from __future__ import annotations

import functools
import os
import socket

TCP_FAMILIES = (socket.AF_INET, socket.AF_INET6)


def set_nodelay_on_open_sockets(descriptors: str = "/proc/self/fd") -> int:
    """TCP_NODELAY on every TCP socket among this process's open descriptors; returns how many.
    Other descriptors (files, pipes, UDP) are left as they are, and none is closed."""
    try:
        numbers = [int(name) for name in os.listdir(descriptors)]
    except (OSError, ValueError):
        return 0
    count = 0
    for number in numbers:
        try:
            sock = socket.socket(fileno=number)  # the family and type are read from the descriptor
        except OSError:  # not a socket, or closed since it was listed
            continue
        try:
            if sock.family in TCP_FAMILIES and sock.type == socket.SOCK_STREAM:
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                count += 1
        except OSError:
            pass
        finally:
            sock.detach()  # the descriptor stays open: it belongs to the server
    return count


@functools.cache
def send_without_delay() -> int:
    """Once per process (app.py calls it on every run): see the module's docstring."""
    return set_nodelay_on_open_sockets()
