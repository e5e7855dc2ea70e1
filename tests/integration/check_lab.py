#!/usr/bin/python3
"""Independent oracle for integration tests: checks a topology's lab with iproute2, not nstopo.

  check_lab.py FILE present   every namespace, interface (kind, up, mtu, master), address and
                              route of FILE exists, and traffic flows: each link's ends reach
                              each other, and each route reaches the addresses it covers.
  check_lab.py FILE absent    nothing FILE declares exists any more.
Runs only inside the test sandbox (it pings).
"""
import copy
import ipaddress
import json
import os
import re
import subprocess
import sys

import yaml

problems = []


# Templates (defaults and ranges), expanded here on their own rather than by asking nstopo, so
# that this stays an independent reading of the file (README: "Big labs in a few lines").
RANGE = re.compile(r"^([^\[\]]*)\[(\d+)-(\d+)\]([^\[\]]*)$")
PLACEHOLDER = re.compile(r"\{\{|\}\}|\{([^{}]*)\}")


def fill(value, i):
    """`value` with its placeholders ({i}, {i//250}, {i:04}) replaced, at every level."""
    if isinstance(value, dict):
        return {fill(k, i): fill(v, i) for k, v in value.items()}
    if isinstance(value, list):
        return [fill(v, i) for v in value]
    if not isinstance(value, str):
        return value
    replaced = []

    def one(match):
        if match.group(1) is None:
            return match.group(0)[0]
        expression, _, spec = match.group(1).partition(":")
        replaced.append(True)
        return format(eval(expression, {"__builtins__": {}}, {"i": i}), spec)
    text = PLACEHOLDER.sub(one, value)
    return int(text) if replaced and re.fullmatch(r"-?[0-9]+", text) else text


def expand_keys(entries, inner=True):
    """A map whose keys may be ranges (node[1-200]): one entry per number."""
    out = {}
    for key, body in (entries or {}).items():
        match = RANGE.match(key)
        if not match:
            if inner and isinstance(body, dict) and body.get("interfaces"):
                body = dict(body, interfaces=expand_keys(body["interfaces"], False))
            out[key] = body
            continue
        before, first, last, after = match.groups()
        width = len(first) if first.startswith("0") and len(first) > 1 else 0
        for i in range(int(first), int(last) + 1):
            out[fill(before, i) + f"{i:0{width}d}" + fill(after, i)] = fill(body, i)
    return out


def merge(target, defaults):
    """Keys the target lacks or leaves empty take the default; maps merge key by key."""
    if target is None:
        target = {}
    if not isinstance(target, dict):
        return target
    result = dict(target)
    for key, value in defaults.items():
        if result.get(key) is None:
            result[key] = copy.deepcopy(value)
        elif isinstance(result[key], dict) and isinstance(value, dict):
            result[key] = merge(result[key], value)
    return result


def expand(topology):
    defaults = topology.pop("defaults", None) or {}
    if (topology.get("host") or {}).get("interfaces"):
        topology["host"]["interfaces"] = expand_keys(topology["host"]["interfaces"], False)
    namespaces = expand_keys(topology.get("namespaces"))
    for name, body in namespaces.items():
        body = merge(body, defaults.get("namespace") or {})
        if defaults.get("interface") and isinstance(body.get("interfaces"), dict):
            body["interfaces"] = {n: merge(s, defaults["interface"])
                                  for n, s in body["interfaces"].items()}
        namespaces[name] = body
    topology["namespaces"] = namespaces
    links = []
    for link in topology.get("links") or []:
        if "range" not in link:
            links.append(link)
            continue
        bounds = link["range"][0] if isinstance(link["range"], list) else link["range"]
        first, last = (int(n) for n in str(bounds).split("-"))
        body = {k: v for k, v in link.items() if k != "range"}
        links += [fill(body, i) for i in range(first, last + 1)]
    topology["links"] = links
    return topology


def ip(ns, *args):
    cmd = ["ip", "-j"] + (["-n", ns] if ns != "host" else []) + list(args)
    out = subprocess.run(cmd, capture_output=True, text=True)
    if out.returncode != 0:
        return None
    return json.loads(out.stdout or "[]")


def namespaces(topology):
    result = {"host": topology.get("host") or {}}
    result.update(topology.get("namespaces") or {})
    return result


IMPAIRMENT_KEYS = ("rate", "delay", "jitter", "loss", "duplicate", "corrupt", "reorder", "limit")
RATE_UNITS = {"bit": 1, "kbit": 10**3, "mbit": 10**6, "gbit": 10**9}


def root_qdisc(ns, name):
    """The root qdisc of an interface, as `tc -j qdisc show` reads it."""
    cmd = (["tc", "-n", ns] if ns != "host" else ["tc"]) + ["-j", "qdisc", "show", "dev", name, "root"]
    out = subprocess.run(cmd, capture_output=True, text=True).stdout
    qdiscs = json.loads(out) if out.strip() else []
    return qdiscs[0] if qdiscs else {}


def check_impairment(ns, name, settings):
    """nstopo's root qdisc (handle 4e53:) where a rate or a netem key is declared, none elsewhere."""
    qdisc = root_qdisc(ns, name)
    declared = [key for key in IMPAIRMENT_KEYS if key in settings]
    if not declared:
        if qdisc.get("handle") == "4e53:":
            problems.append(f"{ns}:{name}: nstopo's qdisc {qdisc.get('kind')} without an impairment")
        return
    kind = "tbf" if set(declared) <= {"rate", "limit"} else "netem"
    if qdisc.get("handle") != "4e53:" or qdisc.get("kind") != kind:
        problems.append(f"{ns}:{name}: root qdisc {qdisc.get('kind')} {qdisc.get('handle')}, not {kind} 4e53:")
        return
    if "rate" in settings:
        number, unit = re.fullmatch(r"([0-9]+)([a-z]+)", str(settings["rate"])).groups()
        wanted = int(number) * RATE_UNITS[unit] // 8  # tc -j gives bytes per second
        if (qdisc.get("options") or {}).get("rate") != wanted:
            problems.append(f"{ns}:{name}: rate {(qdisc.get('options') or {}).get('rate')} B/s != {wanted}")


def interfaces(topology):
    """(ns, ifname) -> settings, including link ends that have no entry of their own."""
    found = {}
    for ns, body in namespaces(topology).items():
        for name, settings in ((body or {}).get("interfaces") or {}).items():
            found[(ns, name)] = settings or {}
    for link in topology.get("links") or []:
        for end in link["endpoints"]:
            ns, name = end.split(":", 1)
            found.setdefault((ns, name), {})
            if "mtu" in link and "mtu" not in found[(ns, name)]:
                found[(ns, name)] = dict(found[(ns, name)], mtu=link["mtu"])
            for key in IMPAIRMENT_KEYS:  # a link's impairment applies to both ends
                if key in link and key not in found[(ns, name)]:
                    found[(ns, name)] = dict(found[(ns, name)], **{key: link[key]})
    return found


def ping(ns, address):
    version = ipaddress.ip_interface(address).version
    target = str(ipaddress.ip_interface(address).ip)
    cmd = (["ip", "netns", "exec", ns] if ns != "host" else []) + ["ping", f"-{version}", "-c1", "-W2", target]
    return subprocess.run(cmd, capture_output=True).returncode == 0


def check_present(topology):
    for ns in namespaces(topology):
        if ns != "host" and not os.path.exists(f"/run/netns/{ns}"):
            problems.append(f"namespace {ns} missing")
    links = {}
    for (ns, name), settings in interfaces(topology).items():
        data = ip(ns, "-d", "link", "show", "dev", name)
        if not data:
            problems.append(f"{ns}:{name} missing")
            continue
        link = data[0]
        links[(ns, name)] = link
        kind = (link.get("linkinfo") or {}).get("info_kind", "")
        if kind != settings.get("kind", "veth"):
            problems.append(f"{ns}:{name} is {kind!r}, not {settings.get('kind', 'veth')}")
        if settings.get("up", True) != ("UP" in link.get("flags", [])):
            problems.append(f"{ns}:{name} flags {link.get('flags')}")
        if "mtu" in settings and link.get("mtu") != settings["mtu"]:
            problems.append(f"{ns}:{name} mtu {link.get('mtu')} != {settings['mtu']}")
        if settings.get("master") and link.get("master") != settings["master"]:
            problems.append(f"{ns}:{name} master {link.get('master')} != {settings['master']}")
        check_impairment(ns, name, settings)
        have = {f"{a['local']}/{a['prefixlen']}" for a in (ip(ns, "addr", "show", "dev", name)[0].get("addr_info", []))}
        # IPv6 link-local addresses exist exactly where IPv6 is declared (no chatter elsewhere).
        wants_ipv6 = any(":" in a for a in settings.get("addresses") or [])
        has_link_local = any(h.startswith("fe80:") for h in have)
        if wants_ipv6 != has_link_local:
            problems.append(f"{ns}:{name}: IPv6 link-local {'missing' if wants_ipv6 else 'present'}")
        for address in settings.get("addresses") or []:
            if str(ipaddress.ip_interface(address)) not in {str(ipaddress.ip_interface(h)) for h in have}:
                problems.append(f"address {address} missing on {ns}:{name} (has {sorted(have)})")
    for ns, body in namespaces(topology).items():
        for route in (body or {}).get("routes") or []:
            dest = route["to"]
            family = "-6" if ":" in str(route.get("via", dest)) else "-4"
            table = ip(ns, family, "route", "show") or []
            wanted = "default" if dest == "default" else str(ipaddress.ip_network(dest, strict=False))
            if not any(r.get("dst") == wanted and (not route.get("via") or r.get("gateway") == route["via"]) for r in table):
                problems.append(f"route {dest} via {route.get('via')} missing in {ns}")
    # Traffic: each link's ends reach each other's addresses on a shared subnet.
    for link in topology.get("links") or []:
        a, b = (tuple(e.split(":", 1)) for e in link["endpoints"])
        ifs = interfaces(topology)
        for src, dst in ((a, b), (b, a)):
            if not ifs[src].get("addresses") and not ifs[dst].get("addresses"):
                continue
            for address in ifs[dst].get("addresses") or []:
                net = ipaddress.ip_interface(address).network
                if any(ipaddress.ip_interface(x).network == net for x in ifs[src].get("addresses") or []):
                    if not ping(src[0], address):
                        problems.append(f"no answer from {address} ({dst[0]}:{dst[1]}) when pinged from {src[0]}")
    # Routes: every declared route reaches the addresses of other namespaces it covers.
    all_addresses = [(ns, a) for (ns, _), s in interfaces(topology).items() for a in s.get("addresses") or []]
    for ns, body in namespaces(topology).items():
        for route in (body or {}).get("routes") or []:
            dest = route["to"]
            for other_ns, address in all_addresses:
                if other_ns == ns or ipaddress.ip_interface(address).ip.is_link_local:
                    continue
                ip_addr = ipaddress.ip_interface(address).ip
                if dest == "default":
                    covered = ip_addr.version == ipaddress.ip_address(route["via"]).version
                else:
                    covered = ip_addr in ipaddress.ip_network(dest, strict=False)
                if covered and not any(ipaddress.ip_interface(a).ip == ip_addr for n, a in all_addresses if n == ns):
                    if not ping(ns, address):
                        problems.append(f"route {dest} in {ns}: no answer from {address} in {other_ns}")


def check_absent(topology):
    for ns in namespaces(topology):
        if ns != "host" and os.path.exists(f"/run/netns/{ns}"):
            problems.append(f"namespace {ns} still exists")
    for (ns, name) in interfaces(topology):
        if ns == "host" and ip("host", "link", "show", "dev", name):
            problems.append(f"host:{name} still exists")


def main():
    path, mode = sys.argv[1], sys.argv[2]
    with open(path) as f:
        topology = expand(yaml.safe_load(f))
    check_present(topology) if mode == "present" else check_absent(topology)
    for p in problems:
        print(p)
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
