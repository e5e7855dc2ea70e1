#!/usr/bin/python3
"""run_status.py TIMEOUT OUTPUT CMD...: runs CMD with its stdout and stderr in OUTPUT and prints
how it ended: "exit N", "signal NAME" (it died by that signal) or "timeout" (killed after
TIMEOUT seconds, with its whole process group). Bash's $? cannot tell "killed by SIGTERM"
from "exit 143"; the fault harness needs to (a handled signal must end in an exit).
SIGINT and SIGTERM are reset to their defaults in CMD, whatever this shell ignores.
With RUN_STATUS_SECOND_SIGNAL=NAME, RUN_STATUS_TRACE=PATH and RUN_STATUS_AT=K: once the fault
trace PATH shows point K (where the first signal was raised), send CMD a second signal NAME:
the "Ctrl-C twice" of the kill sweep. Then it prints "second signal sent, ended S s after it"
first, when it did."""
import os
import signal
import subprocess
import sys
import time

timeout, output, argv = float(sys.argv[1]), sys.argv[2], sys.argv[3:]


def defaults():
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


with open(output, "wb") as out:
    child = subprocess.Popen(argv, stdout=out, stderr=subprocess.STDOUT, preexec_fn=defaults)
    second = os.environ.get("RUN_STATUS_SECOND_SIGNAL")
    try:
        if second:
            trace, at = os.environ["RUN_STATUS_TRACE"], os.environ["RUN_STATUS_AT"] + " "
            deadline = time.monotonic() + timeout
            while child.poll() is None and time.monotonic() < deadline:
                try:
                    with open(trace) as f:
                        reached = any(line.startswith(at) for line in f)
                except OSError:
                    reached = False
                if reached:
                    child.send_signal(getattr(signal, "SIG" + second))
                    sent = time.monotonic()
                    break
                time.sleep(0.001)
        code = child.wait(timeout=timeout)
        if second and "sent" in locals():
            print(f"second signal sent, ended {time.monotonic() - sent:.2f} s after it")
    except subprocess.TimeoutExpired:
        child.kill()
        child.wait()
        print("timeout")
        sys.exit(0)
print(f"signal {signal.Signals(-code).name}" if code < 0 else f"exit {code}")
