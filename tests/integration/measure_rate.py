#!/usr/bin/python3
"""Measures the throughput of one bounded TCP transfer between two of the sandbox's namespaces.

  measure_rate.py SERVER_NS SERVER_ADDRESS CLIENT_NS BYTES   prints the receiver's bits/s

The receiver runs in SERVER_NS, the sender in CLIENT_NS (each socket is made inside its
namespace with setns, so no traffic leaves them). The rate is counted at the receiver, from
its first byte to its last: the connection's set-up is not in it.
"""
import ctypes
import os
import socket
import sys
import threading
import time

CLONE_NEWNET = 0x40000000
libc = ctypes.CDLL(None, use_errno=True)


def enter(ns):
    fd = os.open(f"/run/netns/{ns}", os.O_RDONLY)
    try:
        if libc.setns(fd, CLONE_NEWNET) != 0:
            raise OSError(ctypes.get_errno(), f"setns {ns}")
    finally:
        os.close(fd)


def main():
    server_ns, address, client_ns, total = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    home = os.open("/proc/self/ns/net", os.O_RDONLY)
    enter(server_ns)
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind((address, 0))
    listener.listen(1)
    port = listener.getsockname()[1]
    libc.setns(home, CLONE_NEWNET)
    result = {}

    def receive():
        connection, _ = listener.accept()
        received, first = 0, None
        while received < total:
            chunk = connection.recv(1 << 16)
            if not chunk:
                break
            if first is None:
                first = time.monotonic()
            received += len(chunk)
        result["seconds"] = time.monotonic() - first
        result["bytes"] = received
        connection.close()

    receiver = threading.Thread(target=receive)
    receiver.start()
    enter(client_ns)
    sender = socket.create_connection((address, port), timeout=30)
    block = b"\0" * (1 << 16)
    sent = 0
    while sent < total:
        sent += sender.send(block[: min(len(block), total - sent)])
    receiver.join(60)
    sender.close()
    if result.get("bytes") != total:
        sys.exit(f"received {result.get('bytes')} of {total} bytes")
    print(int(result["bytes"] * 8 / result["seconds"]))


main()
