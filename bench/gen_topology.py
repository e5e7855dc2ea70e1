#!/usr/bin/python3
"""Benchmark labs at any size, written as nstopo YAML and as the equivalent iproute2 steps.

    gen_topology.py KIND N > lab.yaml          KIND: star, chain or mesh

A Lab is a neutral description (namespaces, veth pairs, a host bridge, addresses, routes).
From it come the nstopo topology file, the `ip` steps of each phase (build, show, teardown)
in two forms (as the iproute2 tutorial does them with `ip netns exec`, and with `ip -n`), and
the state a verifier should find in the kernel.

- star:  a bridge br0 in the host (10.100.0.1/16), N namespaces n0001.. each with a veth
         (host end s0001.. a port of br0, namespace end eth0), one address, a default route.
- chain: N namespaces r0001.. in a line; neighbours share a /30; each node routes everything
         to its left through its left neighbour (a few prefixes) and the rest by default to
         its right neighbour, so every link address is reachable from every node.
- mesh:  N namespaces m01.. with a veth between every pair (a /30 each); small N only.
"""
import ipaddress
import sys
from dataclasses import dataclass, field

HOST = "host"


@dataclass(frozen=True)
class End:
    ns: str
    ifname: str


@dataclass
class Lab:
    name: str
    namespaces: list = field(default_factory=list)      # names, in creation order
    bridge: tuple = None                                  # (name, "addr/len") in the host
    veths: list = field(default_factory=list)            # (End, End); a host end comes first
    masters: dict = field(default_factory=dict)          # host port -> bridge
    addresses: dict = field(default_factory=dict)        # End -> ["10.0.0.1/30", ...]
    routes: dict = field(default_factory=dict)           # ns -> [("default" | prefix, via)]

    def interfaces(self, ns):
        """The veth ends that live in `ns`, in creation order."""
        return [end for pair in self.veths for end in pair if end.ns == ns]


def width(n):
    return max(4 if n > 99 else 2, len(str(n)))


def star(n):
    lab = Lab(name=f"bench-star-{n}", bridge=("br0", "10.100.0.1/16"))
    network = ipaddress.ip_network("10.100.0.0/16")
    if n > network.num_addresses - 3 or n > 1023:  # a bridge takes at most 1023 ports
        raise ValueError(f"a star lab holds at most 1023 namespaces, not {n}")
    w = max(4, len(str(n)))
    for i in range(1, n + 1):
        ns, port = f"n{i:0{w}d}", f"s{i:0{w}d}"
        lab.namespaces.append(ns)
        lab.veths.append((End(HOST, port), End(ns, "eth0")))
        lab.masters[port] = "br0"
        lab.addresses[End(ns, "eth0")] = [f"{network[i + 1]}/16"]
        lab.routes[ns] = [("default", "10.100.0.1")]
    return lab


def subnet_30(base, index):
    """The index-th /30 after `base`: (network, first host, second host)."""
    net = ipaddress.ip_network(f"{ipaddress.ip_address(base) + 4 * index}/30")
    return net, net[1], net[2]


def range_prefixes(base, count):
    """The fewest prefixes covering `count` consecutive /30s from `base` (aligned at 0)."""
    prefixes, start = [], ipaddress.ip_address(base)
    for bit in reversed(range(count.bit_length())):
        if count & (1 << bit):
            size = 4 << bit
            prefixes.append(str(ipaddress.ip_network(f"{start}/{32 - size.bit_length() + 1}")))
            start += size
    return prefixes


def chain(n):
    if n < 2:
        raise ValueError("a chain needs at least 2 namespaces")
    lab, base, w = Lab(name=f"bench-chain-{n}"), "10.128.0.0", width(n)
    names = [f"r{i:0{w}d}" for i in range(1, n + 1)]
    lab.namespaces = names
    for i in range(n - 1):  # link i joins names[i] (its "east") and names[i+1] (its "west")
        _, left, right = subnet_30(base, i)
        lab.veths.append((End(names[i], "east"), End(names[i + 1], "west")))
        lab.addresses[End(names[i], "east")] = [f"{left}/30"]
        lab.addresses[End(names[i + 1], "west")] = [f"{right}/30"]
    for i, ns in enumerate(names):
        routes = []
        if i >= 2:  # links 0..i-2 are behind the west neighbour (link i-1 is connected)
            gateway = subnet_30(base, i - 1)[1]
            routes += [(prefix, str(gateway)) for prefix in range_prefixes(base, i - 1)]
        if i < n - 1:
            routes.append(("default", str(subnet_30(base, i)[2])))
        lab.routes[ns] = routes
    return lab


def mesh(n):
    if not 2 <= n <= 40:
        raise ValueError("a mesh takes 2 to 40 namespaces (N*(N-1)/2 veth pairs)")
    lab, w = Lab(name=f"bench-mesh-{n}"), width(n)
    names = [f"m{i:0{w}d}" for i in range(1, n + 1)]
    lab.namespaces = names
    index = 0
    for i in range(n):
        for j in range(i + 1, n):
            a, b = End(names[i], f"p{j + 1:0{w}d}"), End(names[j], f"p{i + 1:0{w}d}")
            _, first, second = subnet_30("10.200.0.0", index)
            lab.veths.append((a, b))
            lab.addresses[a], lab.addresses[b] = [f"{first}/30"], [f"{second}/30"]
            index += 1
    for ns in names:
        lab.routes[ns] = []
    return lab


KINDS = {"star": star, "chain": chain, "mesh": mesh}


def make_lab(kind, n):
    return KINDS[kind](n)


# ---------------------------------------------------------------------------- nstopo YAML

def to_yaml(lab):
    out = [f"# Generated by bench/gen_topology.py: {lab.name}", "version: 1", f"name: {lab.name}"]
    if lab.bridge or any(a.ns == HOST for a, _ in lab.veths):
        out += ["", "host:", "  interfaces:"]
        if lab.bridge:
            out.append(f"    {lab.bridge[0]}: {{kind: bridge, addresses: [{lab.bridge[1]}]}}")
        for end in lab.interfaces(HOST):
            master = lab.masters.get(end.ifname)
            out.append(f"    {end.ifname}: {{master: {master}}}" if master else f"    {end.ifname}: {{}}")
    out += ["", "namespaces:"]
    for ns in lab.namespaces:
        out += [f"  {ns}:", "    interfaces:"]
        for end in lab.interfaces(ns):
            out.append(f"      {end.ifname}: {{addresses: [{', '.join(lab.addresses.get(end, []))}]}}")
        if lab.routes.get(ns):
            out.append("    routes:")
            out += [f"      - {{to: {to}, via: {via}}}" for to, via in lab.routes[ns]]
    out += ["", "links:"]
    out += [f"  - endpoints: [{a.ns}:{a.ifname}, {b.ns}:{b.ifname}]" for a, b in lab.veths]
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------------------- netlink_floor spec

def to_spec(lab):
    """The lab as the line format of bench/netlink_floor.c, in the order it is built:
    namespaces, the bridge, the veths (a host end first), then addresses and routes."""
    out = [f"# {lab.name}: spec of bench/netlink_floor.c"]
    out += [f"ns {ns}" for ns in lab.namespaces]
    if lab.bridge:
        out.append(f"bridge {lab.bridge[0]} {lab.bridge[1]}")
    out += [f"veth {a.ns} {a.ifname} {b.ns} {b.ifname} {lab.masters.get(a.ifname, '-') if a.ns == HOST else '-'}"
            for a, b in lab.veths]
    for ns in [HOST] + lab.namespaces:
        out += [f"addr {ns} {end.ifname} {address}"
                for end in lab.interfaces(ns) for address in lab.addresses.get(end, [])]
        out += [f"route {ns} {to} {via}" for to, via in lab.routes.get(ns, [])]
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------------------- iproute2 steps
# A phase is a list of stages run one after the other; a stage is a list of (ns, words)
# steps, ns = HOST for the host. Within a stage the order across namespaces does not matter,
# which is what lets `ip -batch` group a stage's steps by namespace.
#
# Every phase comes in two forms, generated from the same steps:
#   TUTORIAL  as the iproute2 tutorial does it, which is how the issue defines the baseline:
#             a step inside a namespace is `ip netns exec NS ip ...` (a second process, the
#             `ip` run by netns exec); a veth with one end in the host is made in the host and
#             its peer then moved into the namespace with `ip link set dev PEER netns NS`.
#   IP_N      the fastest way to drive iproute2: `ip -n NS ...` (one process that switches
#             namespace itself), and each veth made with its ends directly in their namespaces.

TUTORIAL, IP_N = "netns-exec", "ip-n"
FORMS = (TUTORIAL, IP_N)


def veth_steps(lab, a, b, form):
    """The steps that make the veth (a, b), bring its host end up, and put it on its bridge.

    A pair between two namespaces cannot be made in the host in the tutorial form: every chain
    node has an "east" and a "west", so the second pair's names would collide with the first's
    before they are moved. The tutorial form therefore makes it inside a's namespace, with the
    peer created straight in b's: `ip netns exec NS1 ip link add dev A type veth peer name B
    netns NS2`. It is a step of the "links" stage, after the namespaces exist.
    """
    if a.ns != HOST:
        if form == TUTORIAL:
            return [(a.ns, f"link add dev {a.ifname} type veth peer name {b.ifname} netns {b.ns}")]
        return [(HOST, f"link add {a.ifname} netns {a.ns} type veth peer name {b.ifname} netns {b.ns}")]
    if form == TUTORIAL:  # made in the host, the peer moved at once (star: every peer is eth0)
        steps = [(HOST, f"link add dev {a.ifname} type veth peer name {b.ifname}"),
                 (HOST, f"link set dev {b.ifname} netns {b.ns}")]
    else:
        steps = [(HOST, f"link add {a.ifname} type veth peer name {b.ifname} netns {b.ns}")]
    dev = link_dev(form)
    if a.ifname in lab.masters:
        steps.append((HOST, f"link set {dev}{a.ifname} master {lab.masters[a.ifname]}"))
    steps.append((HOST, f"link set {dev}{a.ifname} up"))
    return steps


def link_dev(form):
    """The tutorial writes `ip link set dev X up`; the ip -n form keeps the short `link set X up`."""
    return "dev " if form == TUTORIAL else ""


def build_steps(lab, form):
    """Stages: the host (namespaces, bridge, host-end veths), the veths between namespaces
    (tutorial form only; the ip -n form makes them from the host), then inside each namespace."""
    dev = link_dev(form)
    host = [(HOST, f"netns add {ns}") for ns in lab.namespaces]
    if lab.bridge:
        name, address = lab.bridge
        host += [(HOST, f"link add {dev}{name} type bridge"), (HOST, f"link set {dev}{name} up"),
                 (HOST, f"addr add {address} dev {name}")]
    links, inside = [], []
    for a, b in lab.veths:
        for step in veth_steps(lab, a, b, form):
            (host if step[0] == HOST else links).append(step)
    for ns in lab.namespaces:
        inside.append((ns, f"link set {dev}lo up"))
        for end in lab.interfaces(ns):
            inside.append((ns, f"link set {dev}{end.ifname} up"))
            inside += [(ns, f"addr add {address} dev {end.ifname}") for address in lab.addresses.get(end, [])]
        inside += [(ns, f"route add {to} via {via}") for to, via in lab.routes.get(ns, [])]
    return [stage for stage in (host, links, inside) if stage]


def show_steps(lab, form):
    """Reading the whole lab back: links, addresses and routes of the host and each namespace."""
    reads = ["link show", "addr show", "route show"]
    return [[(ns, read) for ns in [HOST] + lab.namespaces for read in reads]]


def teardown_steps(lab, form):
    """As the tutorial does it: each link deleted, then each namespace."""
    dev = link_dev(form)
    inside = [(a.ns, f"link del {dev}{a.ifname}") for a, _ in lab.veths if a.ns != HOST]
    host = [(HOST, f"link del {dev}{a.ifname}") for a, _ in lab.veths if a.ns == HOST]
    if lab.bridge:
        host.append((HOST, f"link del {dev}{lab.bridge[0]}"))
    host += [(HOST, f"netns del {ns}") for ns in lab.namespaces]
    return [stage for stage in (inside, host) if stage]


PHASE_STEPS = {"build": build_steps, "reapply": show_steps, "destroy": teardown_steps}


def ip_command(ns, form, json_output=False):
    """The command line that runs `ip` in `ns`: `ip -n NS`, or `ip netns exec NS ip` (tutorial)."""
    options = " -j" if json_output else ""
    if ns == HOST:
        return "ip" + options
    return f"ip netns exec {ns} ip{options}" if form == TUTORIAL else f"ip{options} -n {ns}"


def to_script(lab, phase, form):
    """One `ip` process per step, as a bash script."""
    lines = ["#!/bin/bash", f"# {lab.name}: {phase}, one ip command per step ({form})", "set -e"]
    for stage in PHASE_STEPS[phase](lab, form):
        lines += [f"{ip_command(ns, form, phase == 'reapply')} {words}" for ns, words in stage]
    return "\n".join(lines) + "\n"


def to_batch(lab, phase, directory, form):
    """The same steps through `ip -batch`: returns (bash script, {file name: batch text}).

    A batch line takes no global options (`-n NS link set lo up` is refused: 'Object "-n" is
    unknown'), and addresses and routes can only be added from inside the namespace, so the
    steps of a namespace go through one `ip -n NS -batch FILE` (ip -n form) or one `ip netns
    exec NS ip -batch FILE` (tutorial form) per stage: one process for the host and one per
    namespace and stage, instead of one per step.
    """
    lines = ["#!/bin/bash", f"# {lab.name}: {phase}, one ip -batch per namespace and stage ({form})",
             "set -e"]
    files = {}
    for number, stage in enumerate(PHASE_STEPS[phase](lab, form), 1):
        grouped = {}
        for ns, words in stage:
            grouped.setdefault(ns, []).append(words)
        for ns, words in grouped.items():
            name = f"{form}-{phase}-{number}-{ns}.ip"
            files[name] = "\n".join(words) + "\n"
            lines.append(f"{ip_command(ns, form, phase == 'reapply')} -batch {directory}/{name}")
    return "\n".join(lines) + "\n", files


# ---------------------------------------------------------------------------- expected state

def expected_state(lab):
    """What the kernel must hold once the lab is up, per namespace (HOST included):
    {ns: {"links": {ifname: master or None}, "addresses": {(ifname, "a/len")},
          "routes": {(to, via)}}}; every listed link must be up, and nothing else may exist."""
    state = {ns: {"links": {"lo": None}, "addresses": {("lo", "127.0.0.1/8")}, "routes": set()}
             for ns in [HOST] + lab.namespaces}  # loopback up, so it holds 127.0.0.1/8
    if lab.bridge:
        state[HOST]["links"][lab.bridge[0]] = None
        state[HOST]["addresses"].add((lab.bridge[0], lab.bridge[1]))
    for pair in lab.veths:
        for end in pair:
            state[end.ns]["links"][end.ifname] = lab.masters.get(end.ifname) if end.ns == HOST else None
            state[end.ns]["addresses"] |= {(end.ifname, a) for a in lab.addresses.get(end, [])}
    for ns, routes in lab.routes.items():
        state[ns]["routes"] = set(routes)
    return state


def main(argv):
    if len(argv) != 3 or argv[1] not in KINDS or not argv[2].isdigit():
        sys.exit(f"usage: {argv[0]} {{{','.join(KINDS)}}} N > lab.yaml")
    try:
        sys.stdout.write(to_yaml(make_lab(argv[1], int(argv[2]))))
    except ValueError as error:
        sys.exit(f"{argv[0]}: {error}")


if __name__ == "__main__":
    main(sys.argv)
