#!/usr/bin/python3
"""run_together.py TIMEOUT OUTDIR NAME[@MS]=ARG,ARG... ...: starts the commands together (one
Popen right after the other, no shell in between; NAME@MS waits MS milliseconds after the
previous one), each with stdout+stderr in OUTDIR/NAME.out, waits for all, and prints
"NAME exit N" (or "NAME signal S", "NAME timeout") per command. The race test's launcher:
the commands meet on the lab's lock, at once or while the first is at work."""
import signal
import subprocess
import sys
import time

timeout, outdir, specs = float(sys.argv[1]), sys.argv[2], sys.argv[3:]
children = []
for spec in specs:
    name, args = spec.split("=", 1)
    name, _, delay = name.partition("@")
    if delay:
        time.sleep(int(delay) / 1000)
    out = open(f"{outdir}/{name}.out", "wb")
    children.append((name, subprocess.Popen(args.split(","), stdout=out, stderr=subprocess.STDOUT), out))
deadline = time.monotonic() + timeout
for name, child, out in children:
    try:
        code = child.wait(timeout=max(0.0, deadline - time.monotonic()))
        print(f"{name} " + (f"signal {signal.Signals(-code).name}" if code < 0 else f"exit {code}"))
    except subprocess.TimeoutExpired:
        child.kill()
        child.wait()
        print(f"{name} timeout")
    out.close()
