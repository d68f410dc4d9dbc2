"""Local TCP ports for servers the tests start.

A port probed free can be taken by someone else before the server binds it (an outgoing
connection picks from the same ephemeral range), so servers run in this process get a socket
bound here and handed over, and servers run as child processes retry on a fresh port.
"""

from __future__ import annotations

import random
import socket

HOST = "127.0.0.1"
ADDRESS_IN_USE = "address already in use"


def free_ports(count: int) -> list[int]:
    # Hold all sockets open together so the kernel hands out distinct ports.
    socks: list[socket.socket] = []
    try:
        for _ in range(count):
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            socks.append(sock)
            sock.bind((HOST, 0))
        return [int(s.getsockname()[1]) for s in socks]
    finally:
        for sock in socks:
            sock.close()


def free_port() -> int:
    return free_ports(1)[0]


def listening_socket() -> socket.socket:
    """A socket already bound to a free port: no other process can take the port from it."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((HOST, 0))
    return sock


# Linux hands outgoing connections ports from 32768 up; below it only listeners take ports.
EPHEMERAL_START = 32768


def free_port_offset(ports: list[int], *, lowest: int = 20_000) -> int:
    """An offset for `canlian up --port-offset` that puts every service's port below the
    ephemeral range, where no outgoing connection of another test can take it, on ports
    free when probed."""
    for _ in range(200):
        offset = random.randint(lowest, EPHEMERAL_START - 1 - max(ports))
        try:
            for port in ports:
                with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
                    probe.bind((HOST, port + offset))
        except OSError:
            continue
        return offset
    raise RuntimeError(f"no free ports below {EPHEMERAL_START} for {ports}")
