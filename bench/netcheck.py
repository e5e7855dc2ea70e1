"""Reads what the kernel really holds, so that a fast wrong answer cannot win the benchmark.

Independent of all three methods: one rtnetlink socket per namespace (opened after setns(2)
through ctypes, then the thread goes home), three dumps each (links, IPv4 addresses, IPv4
routes of the main table). The whole star lab of 1000 namespaces reads in a fraction of a
second, so every namespace is checked, not a sample.
"""
import ctypes
import ipaddress
import os
import socket
import struct

NETNS_DIR = "/run/netns"
CLONE_NEWNET = 0x40000000
NLMSG_ERROR, NLMSG_DONE = 2, 3
NLM_F_REQUEST, NLM_F_DUMP, NLM_F_DUMP_INTR = 0x1, 0x300, 0x10
RTM_GETLINK, RTM_GETADDR, RTM_GETROUTE = 18, 22, 26
IFLA_IFNAME, IFLA_MASTER = 3, 10
IFA_ADDRESS, IFA_LOCAL = 1, 2
RTA_DST, RTA_GATEWAY, RTA_TABLE = 1, 5, 15
RT_TABLE_MAIN, IFF_UP = 254, 0x1

_libc = ctypes.CDLL(None, use_errno=True)


class LabMismatch(Exception):
    """The kernel does not hold the lab the method claimed to build (or to remove)."""


def _setns(fd):
    if _libc.setns(fd, CLONE_NEWNET) != 0:
        raise OSError(ctypes.get_errno(), "setns")


def _socket_in(ns):
    """An rtnetlink socket bound to namespace `ns` (None: the one we run in)."""
    if ns is None:
        return socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, socket.NETLINK_ROUTE)
    home = os.open("/proc/self/ns/net", os.O_RDONLY)
    target = os.open(os.path.join(NETNS_DIR, ns), os.O_RDONLY)
    try:
        _setns(target)
        try:
            return socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, socket.NETLINK_ROUTE)
        finally:
            _setns(home)
    finally:
        os.close(target)
        os.close(home)


def _attributes(data):
    attrs, offset = {}, 0
    while offset + 4 <= len(data):
        length, kind = struct.unpack_from("=HH", data, offset)
        if length < 4:
            break
        attrs[kind & 0x3FFF] = data[offset + 4:offset + length]
        offset += (length + 3) & ~3
    return attrs


def _dump(sock, msg_type, header):
    """All messages of one dump as (fixed header bytes, attributes); retried if interrupted."""
    while True:
        sock.send(struct.pack("=IHHII", 16 + len(header), msg_type, NLM_F_REQUEST | NLM_F_DUMP, 1, 0) + header)
        messages, interrupted, done = [], False, False
        while not done:
            data, offset = sock.recv(1 << 20), 0
            while offset + 16 <= len(data):
                length, kind, flags, _, _ = struct.unpack_from("=IHHII", data, offset)
                body = data[offset + 16:offset + length]
                offset += (length + 3) & ~3
                interrupted |= bool(flags & NLM_F_DUMP_INTR)
                if kind == NLMSG_DONE:
                    done = True
                    break
                if kind == NLMSG_ERROR:
                    error = -struct.unpack_from("=i", body)[0]
                    raise OSError(error, f"netlink dump {msg_type}: {os.strerror(error)}")
                messages.append((body[:len(header)], _attributes(body[len(header):])))
        if not interrupted:
            return messages


def _read(ns):
    """{"links": {name: (up, master name)}, "addresses": {(ifname, "a/len")}, "routes": {(to, via)}}"""
    with _socket_in(ns) as sock:
        links = {}
        for header, attrs in _dump(sock, RTM_GETLINK, bytes(16)):
            _, _, _, index, flags, _ = struct.unpack("=BBHiII", header)
            master = struct.unpack("=I", attrs[IFLA_MASTER])[0] if IFLA_MASTER in attrs else None
            links[index] = (attrs[IFLA_IFNAME].rstrip(b"\0").decode(), bool(flags & IFF_UP), master)
        names = {index: name for index, (name, _, _) in links.items()}
        addresses = set()
        for header, attrs in _dump(sock, RTM_GETADDR, struct.pack("=BBBBI", socket.AF_INET, 0, 0, 0, 0)):
            family, prefix_len, _, _, index = struct.unpack("=BBBBI", header)
            raw = attrs.get(IFA_LOCAL, attrs.get(IFA_ADDRESS))
            if family == socket.AF_INET and raw and index in names:
                addresses.add((names[index], f"{ipaddress.IPv4Address(raw)}/{prefix_len}"))
        routes = set()
        for header, attrs in _dump(sock, RTM_GETROUTE, struct.pack("=BBBBBBBBI", socket.AF_INET, 0, 0, 0, 0, 0, 0, 0, 0)):
            family, dst_len, _, _, table, _, _, _, _ = struct.unpack("=BBBBBBBBI", header)
            table = struct.unpack("=I", attrs[RTA_TABLE])[0] if RTA_TABLE in attrs else table
            if family != socket.AF_INET or table != RT_TABLE_MAIN or RTA_GATEWAY not in attrs:
                continue  # connected routes come with addresses; only gateways were declared
            to = f"{ipaddress.IPv4Address(attrs[RTA_DST])}/{dst_len}" if dst_len else "default"
            routes.add((to, str(ipaddress.IPv4Address(attrs[RTA_GATEWAY]))))
    return {"links": {name: (up, names.get(master)) for name, up, master in links.values()},
            "addresses": addresses, "routes": routes}


def _brief(items, limit=4):
    items = sorted(map(str, items))
    return ", ".join(items[:limit]) + (f" and {len(items) - limit} more" if len(items) > limit else "")


def check_present(expected, host="host"):
    """Raises LabMismatch unless the kernel holds exactly `expected` (gen_topology.expected_state)."""
    problems = []
    wanted_ns = set(expected) - {host}
    present_ns = set(os.listdir(NETNS_DIR))
    if present_ns != wanted_ns:
        problems.append(f"namespaces: missing {_brief(wanted_ns - present_ns) or 'none'}, "
                        f"unexpected {_brief(present_ns - wanted_ns) or 'none'}")
    for ns in sorted(expected):
        if ns != host and ns not in present_ns:
            continue
        want, have = expected[ns], _read(None if ns == host else ns)
        if set(have["links"]) != set(want["links"]):
            problems.append(f"{ns}: links {_brief(have['links'])}, expected {_brief(want['links'])}")
        down = [name for name, (up, _) in have["links"].items() if name in want["links"] and not up]
        if down:
            problems.append(f"{ns}: links down: {_brief(down)}")
        masters = [f"{name} master {have['links'][name][1]} (expected {master})"
                   for name, master in want["links"].items()
                   if name in have["links"] and have["links"][name][1] != master]
        if masters:
            problems.append(f"{ns}: {_brief(masters)}")
        for what in ("addresses", "routes"):
            if have[what] != want[what]:
                problems.append(f"{ns}: {what}: missing {_brief(want[what] - have[what]) or 'none'}, "
                                f"unexpected {_brief(have[what] - want[what]) or 'none'}")
        if len(problems) > 8:
            break
    if problems:
        raise LabMismatch("the lab is not what was declared:\n  " + "\n  ".join(problems))


def host_links():
    """The names of the links in the namespace we run in."""
    return set(_read(None)["links"])


def check_gone():
    """Raises LabMismatch unless no namespace is left and the host holds only its loopback."""
    left_ns = os.listdir(NETNS_DIR)
    left_links = host_links() - {"lo"}
    if left_ns or left_links:
        raise LabMismatch(f"teardown left namespaces [{_brief(left_ns)}] and host links [{_brief(left_links)}]")
