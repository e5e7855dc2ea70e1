#!/usr/bin/python3
"""plant_record.py TEMPLATE OUT [--lab L] [--namespace NAME]... [--service NS/NAME=PID]...
Writes OUT: the lab record TEMPLATE (a state.json nstopo wrote) with its lab, namespaces or
services replaced, in TEMPLATE's own format: version 1 lists namespace names; version 2 maps
each to {"cookie": N}, and a planted namespace gets its real cookie (read in it with
SO_NETNS_COOKIE), so the record is as valid as one nstopo wrote itself. A planted service gets
the PID's real start time (/proc/PID/stat field 22): only where the record comes from must
make nstopo refuse it. Other fields of the template are kept as they are."""
import argparse
import json
import socket
import subprocess

SO_NETNS_COOKIE = 71

parser = argparse.ArgumentParser()
parser.add_argument("template")
parser.add_argument("out")
parser.add_argument("--lab")
parser.add_argument("--namespace", action="append", default=None)
parser.add_argument("--service", action="append", default=[])
args = parser.parse_args()
record = json.load(open(args.template))


def cookie(ns):
    code = ("import socket; s = socket.socket(); "
            f"print(int.from_bytes(s.getsockopt(socket.SOL_SOCKET, {SO_NETNS_COOKIE}, 8), 'little'))")
    out = subprocess.run(["ip", "netns", "exec", ns, "/usr/bin/python3", "-c", code],
                         capture_output=True, text=True, check=True)
    return int(out.stdout)


def start_time(pid):
    stat = open(f"/proc/{pid}/stat").read()
    return int(stat.rsplit(")", 1)[1].split()[19])


if args.lab:
    record["lab"] = args.lab
if args.namespace is not None:
    if isinstance(record.get("namespaces"), dict):
        template_entry = next(iter(record["namespaces"].values()), {})
        record["namespaces"] = {ns: dict(template_entry, cookie=cookie(ns)) for ns in args.namespace}
    else:
        record["namespaces"] = list(args.namespace)
for spec in args.service:
    key, pid = spec.split("=")
    entry = record["services"][key]  # the lab's own service: its other fields stay
    entry["pid"] = int(pid)
    entry["start_time"] = start_time(int(pid))
with open(args.out, "w") as f:
    json.dump(record, f, indent=1)
    f.write("\n")
