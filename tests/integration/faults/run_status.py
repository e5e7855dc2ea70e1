#!/usr/bin/python3
"""run_status.py TIMEOUT OUTPUT CMD...: runs CMD with its stdout and stderr in OUTPUT and prints
how it ended: "exit N", "signal NAME" (it died by that signal) or "timeout" (killed after
TIMEOUT seconds, with its whole process group). Bash's $? cannot tell "killed by SIGTERM"
from "exit 143"; the fault harness needs to (a handled signal must end in an exit).
SIGINT and SIGTERM are reset to their defaults in CMD, whatever this shell ignores."""
import os
import signal
import subprocess
import sys

timeout, output, argv = float(sys.argv[1]), sys.argv[2], sys.argv[3:]


def defaults():
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


with open(output, "wb") as out:
    child = subprocess.Popen(argv, stdout=out, stderr=subprocess.STDOUT, preexec_fn=defaults)
    try:
        code = child.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        child.kill()
        child.wait()
        print("timeout")
        sys.exit(0)
print(f"signal {signal.Signals(-code).name}" if code < 0 else f"exit {code}")
