#!/usr/bin/python3
"""nstopo against iproute2, side by side: build, converged re-apply and teardown of the same lab.

Run through bench/run.sh, which puts it in the sandbox (tests/integration/sandbox.sh): every
namespace, link and address made here lives and dies inside it.

Methods, for each lab from gen_topology.py:
  nstopo       `nstopo apply FILE`, `nstopo apply FILE` again (converged), `nstopo destroy FILE`
  netlink-c    the kernel floor: bench/netlink_floor.c, compiled here, sends the least raw
               rtnetlink any tool could (build; show: three dumps a namespace; destroy), on
               one thread, one request at a time
  netlink-c-parallel
               the same floor with nstopo's parallelism (`--parallel`): namespaces made on
               worker threads while the links are made, read side by side, unmounted on
               eight threads; every target against "the floor" takes the better of the two
  ip-script    a bash script of one `ip` command per step, as the iproute2 tutorial does it:
               `ip netns exec NS ip ...` inside a namespace, a veth made in the host and its
               peer moved with `ip link set dev PEER netns NS` (the issue's baseline)
  ip-batch     the same tutorial steps through `ip -batch`: one process per host stage, one
               `ip netns exec NS ip -batch` per namespace and stage
  ip-n-script  one `ip` command per step in the fastest form: `ip -n NS ...`, each veth made
               with its ends directly in their namespaces
  ip-n-batch   those steps through `ip -batch`: one `ip -n NS -batch` per namespace and stage
A script has no converged re-apply: its "reapply" reads the same state back with `ip -j` link,
addr and route show for the host and every namespace (one process per read, resp. per
namespace with -batch). Its teardown deletes each link, then each namespace.

Each repetition runs the methods in a rotated order, and every measurement starts on a quiet
machine (wait_for_quiet: the kernel's clean-up after the one before is over). After every
phase the kernel is read
back (netcheck.py) and must hold exactly the declared lab, or nothing of it after teardown;
a method that fails or leaves a wrong lab fails the run (exit 1) after the rest is measured.
"""
import argparse
import csv
import ctypes
import os
import shutil
import subprocess
import sys
import time

import gen_topology
import netcheck
import report

METHODS = report.METHODS
FLOOR_SOURCE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "netlink_floor.c")
FLOOR_COMMANDS = {"build": "build", "reapply": "show", "destroy": "destroy"}
FLOOR_OPTIONS = {"netlink-c": [], "netlink-c-parallel": ["--parallel"]}  # report.FLOORS
# Each iproute2 method: the form of its steps (gen_topology.FORMS) and how they are run.
IP_METHODS = {"ip-script": (gen_topology.TUTORIAL, "script"), "ip-batch": (gen_topology.TUTORIAL, "batch"),
              "ip-n-script": (gen_topology.IP_N, "script"), "ip-n-batch": (gen_topology.IP_N, "batch")}
PHASES = ["build", "reapply", "destroy"]
WORK = "/run/nstopo-bench"          # on the sandbox's private tmpfs
STATE_DIR = "/run/nstopo"           # nstopo's state directory, private too
CSV_FIELDS = ["topology", "n", "method", "phase", "rep", "seconds", "max_rss_kib", "ok"]


def parse_args(argv):
    parser = argparse.ArgumentParser(prog="bench/run.sh", description=__doc__.splitlines()[0])
    sizes = lambda text: [int(x) for x in text.split(",") if x]
    parser.add_argument("--smoke", action="store_true",
                        help="CI check of the driver: star N=20, chain N=6, mesh N=4, one repetition")
    parser.add_argument("--nstopo", required=True, help="the nstopo binary")
    parser.add_argument("--sizes", type=sizes, default=[10, 50, 200, 1000], help="star sizes (N namespaces)")
    parser.add_argument("--chain-sizes", type=sizes, default=[10, 50, 200])
    parser.add_argument("--mesh-sizes", type=sizes, default=[4, 8, 12])
    parser.add_argument("--reps", type=int, default=5, help="repetitions of each method")
    parser.add_argument("--slow-reps", type=int, default=2,
                        help="repetitions of the four ip methods at N >= 500, where one takes minutes")
    parser.add_argument("--topologies", default="star,chain,mesh")
    parser.add_argument("--methods", default=",".join(METHODS))
    parser.add_argument("--out", help="results directory (default bench/results; smoke: a temporary one)")
    args = parser.parse_args(argv)
    args.topologies = args.topologies.split(",")
    args.methods = args.methods.split(",")
    unknown = set(args.topologies) - set(gen_topology.KINDS) | set(args.methods) - set(METHODS)
    if unknown:
        parser.error(f"unknown topology or method: {', '.join(sorted(unknown))}")
    if args.smoke:
        args.sizes, args.chain_sizes, args.mesh_sizes, args.reps = [20], [6], [4], 1
    if not args.out:
        here = os.path.dirname(os.path.abspath(__file__))
        args.out = os.path.join(WORK, "results") if args.smoke else os.path.join(here, "results")
    args.nstopo = os.path.abspath(args.nstopo)
    return args


class Lab:
    """One generated lab and the files each method runs."""

    def __init__(self, kind, n):
        self.kind, self.n = kind, n
        self.model = gen_topology.make_lab(kind, n)
        self.expected = gen_topology.expected_state(self.model)
        self.dir = os.path.join(WORK, f"{kind}-{n}")
        os.makedirs(self.dir, exist_ok=True)
        self.yaml = self._write("lab.yaml", gen_topology.to_yaml(self.model))
        self.spec = self._write("lab.spec", gen_topology.to_spec(self.model))
        os.makedirs(os.path.join(self.dir, "batch"), exist_ok=True)
        self.scripts = {(method, phase): self._write_ip_method(method, phase)
                        for method in IP_METHODS for phase in PHASES}

    def _write_ip_method(self, method, phase):
        """Writes the bash script (and its batch files) of one ip method and phase; its path."""
        form, style = IP_METHODS[method]
        if style == "script":
            return self._write(f"{method}-{phase}.sh", gen_topology.to_script(self.model, phase, form))
        script, files = gen_topology.to_batch(self.model, phase, os.path.join(self.dir, "batch"), form)
        for name, text in files.items():
            self._write(os.path.join("batch", name), text)
        return self._write(f"{method}-{phase}.sh", script)

    def _write(self, name, text):
        path = os.path.join(self.dir, name)
        with open(path, "w") as f:
            f.write(text)
        return path

    def command(self, method, phase, args):
        if method == "nstopo":
            return [args.nstopo, "destroy" if phase == "destroy" else "apply", self.yaml]
        if method in FLOOR_OPTIONS:
            return [args.floor, *FLOOR_OPTIONS[method], FLOOR_COMMANDS[phase], self.spec]
        return ["/bin/bash", self.scripts[method, phase]]


def compile_floor(args):
    """Compiles bench/netlink_floor.c into WORK once per run (args.floor), one binary for both
    floors. Without a C compiler both floor methods are skipped with a note; a compile error
    stops the run."""
    args.floor = os.path.join(WORK, "netlink_floor")
    floors = [method for method in args.methods if method in FLOOR_OPTIONS]
    if not floors:
        return
    cc = shutil.which("cc")
    if not cc:
        print("note: no C compiler (cc): the kernel floors (netlink-c, netlink-c-parallel) are skipped",
              flush=True)
        for method in floors:
            args.methods.remove(method)
        return
    argv = [cc, "-std=c11", "-O2", "-Wall", "-Wextra", "-Werror", "-pthread", "-o", args.floor, FLOOR_SOURCE]
    result = subprocess.run(argv, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"`{' '.join(argv)}` failed:\n{result.stdout}{result.stderr}")


def become_subreaper():
    """Orphaned descendants get reparented to us instead of to init (see run_measured)."""
    PR_SET_CHILD_SUBREAPER = 36
    if ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_CHILD_SUBREAPER)")


def run_measured(argv, log_path):
    """Runs argv with output to log_path: (wall seconds, peak RSS in KiB, exit status).

    exec(2) keeps the high-water RSS of the memory it replaces, and a process spawned
    straight from this Python would start from Python's. So a throwaway sh forks the command
    and exits; the command, forked from sh's small memory and reparented to us (a subreaper),
    is reaped here, and its ru_maxrss is its own. The sh costs every method the same ~1 ms.
    """
    with open(log_path, "wb") as log:
        actions = [(os.POSIX_SPAWN_DUP2, log.fileno(), 1), (os.POSIX_SPAWN_DUP2, log.fileno(), 2)]
        start = time.perf_counter()
        sh = os.posix_spawn("/bin/sh", ["sh", "-c", '"$@" &', "sh", *argv], os.environ,
                            file_actions=actions)
        os.waitpid(sh, 0)
        _, status, usage = os.wait4(-1, 0)  # the command: our only child now
        seconds = time.perf_counter() - start
    return seconds, usage.ru_maxrss, os.waitstatus_to_exitcode(status)


def log_tail(path, lines=15):
    with open(path, errors="replace") as f:
        return "".join(f.readlines()[-lines:])


def force_clean():
    """After a failure: remove whatever is left, so the next method starts from nothing."""
    subprocess.run(["ip", "-all", "netns", "delete"], stderr=subprocess.DEVNULL)
    for name in netcheck.host_links() - {"lo"}:
        subprocess.run(["ip", "link", "del", name], stderr=subprocess.DEVNULL)
    shutil.rmtree(STATE_DIR, ignore_errors=True)
    os.makedirs(STATE_DIR, exist_ok=True)


def check_phase(lab, method, phase, nstopo):
    """Raises LabMismatch unless the kernel holds what this phase should leave."""
    if phase == "destroy":
        netcheck.check_gone()
        return
    netcheck.check_present(lab.expected)
    if method == "nstopo" and phase == "build":
        # Converged means a plan with nothing to do, as nstopo itself sees it.
        argv = [nstopo, "plan", "--detailed-exitcode", lab.yaml]
        plan = subprocess.run(argv, capture_output=True, text=True)
        if plan.returncode != 0:
            raise netcheck.LabMismatch(f"`{' '.join(argv)}` exited {plan.returncode} after apply:\n"
                                       + (plan.stdout + plan.stderr)[-2000:])


def cpu_ticks():
    """(idle, total) jiffies of all CPUs, from /proc/stat."""
    with open("/proc/stat") as f:
        values = [int(v) for v in f.readline().split()[1:]]
    return values[3] + values[4], sum(values)  # idle + iowait


def idle_share(seconds):
    """The share of CPU time spent idle over the next `seconds`."""
    idle, total = cpu_ticks()
    time.sleep(seconds)
    now_idle, now_total = cpu_ticks()
    return (now_idle - idle) / (now_total - total) if now_total > total else 1.0


# What "quiet" means on this machine (calibrate_quiet), and the longest wait for it.
QUIET = {"idle_share": 0.9, "limit": 15.0}


def calibrate_quiet(smoke):
    """A machine with load of its own (another VM's steal, a build) is never 90% idle: quiet
    then means its idle share before the run, less a margin. A smoke run waits 2 s at most."""
    QUIET["idle_share"] = min(0.9, idle_share(1.0) - 0.05)
    QUIET["limit"] = 2.0 if smoke else 15.0


def wait_for_quiet(window=0.05):
    """Waits (at most QUIET["limit"] s) until the CPUs were idle QUIET["idle_share"] of a window.

    The kernel goes on working after a command returns: a namespace that `ip netns del` (or
    any teardown) let go is cleaned up later by a kernel worker, for up to a second or two at
    N=1000. That work must not be billed to whichever method happens to run next, so every
    measurement starts on a quiet machine."""
    deadline = time.monotonic() + QUIET["limit"]
    while time.monotonic() < deadline:
        if idle_share(window) >= QUIET["idle_share"]:
            return


def run_method(lab, method, rep, args, writer, failures):
    """Build, re-apply and tear down with one method; one CSV row per phase."""
    for phase in PHASES:
        argv = lab.command(method, phase, args)
        log = os.path.join(WORK, "last.log")
        wait_for_quiet()
        seconds, rss, status = run_measured(argv, log)
        problem = None
        if status != 0:
            problem = f"`{' '.join(argv)}` exited {status}:\n{log_tail(log)}"
        else:
            try:
                check_phase(lab, method, phase, args.nstopo)
            except netcheck.LabMismatch as mismatch:
                problem = str(mismatch)
        writer.writerow(dict(topology=lab.kind, n=lab.n, method=method, phase=phase, rep=rep,
                             seconds=f"{seconds:.4f}", max_rss_kib=rss, ok=int(problem is None)))
        print(f"{lab.kind:5} N={lab.n:<5} rep {rep} {method:18} {phase:8} {seconds:8.3f} s"
              + ("" if problem is None else "  FAILED"), flush=True)
        if problem:
            failures.append(f"{lab.kind} N={lab.n} rep {rep} {method} {phase}: {problem.strip()}")
            print(f"FAILED: {failures[-1]}", file=sys.stderr, flush=True)
            force_clean()
            return


def reps_for(method, n, args):
    """Repetitions of `method` at size n: every ip method runs --slow-reps times at N >= 500."""
    return min(args.reps, args.slow_reps) if method in IP_METHODS and n >= 500 else args.reps


def main(argv):
    args = parse_args(argv)
    if not os.environ.get("NSTOPO_IN_SANDBOX"):
        sys.exit("bench.py creates namespaces and links: run it through bench/run.sh (the sandbox)")
    if "nstopo" in args.methods and not os.access(args.nstopo, os.X_OK):
        sys.exit(f"no nstopo binary at {args.nstopo}")
    os.environ["NSTOPO_STATE_DIR"] = STATE_DIR
    become_subreaper()
    calibrate_quiet(args.smoke)
    os.makedirs(WORK, exist_ok=True)
    compile_floor(args)
    if not args.methods:
        return 0
    os.makedirs(args.out, exist_ok=True)
    netcheck.check_gone()  # the sandbox starts empty; anything else is not ours to measure

    plan = [(kind, n) for kind in args.topologies
            for n in {"star": args.sizes, "chain": args.chain_sizes, "mesh": args.mesh_sizes}[kind]]
    failures, started = [], time.time()
    csv_path = os.path.join(args.out, "results.csv")
    with open(csv_path, "w", newline="") as f:
        writer = csv.DictWriter(f, CSV_FIELDS)
        writer.writeheader()
        for kind, n in plan:
            lab = Lab(kind, n)
            for rep in range(1, args.reps + 1):
                turn = (rep - 1) % len(args.methods)
                rotation = args.methods[turn:] + args.methods[:turn]
                for method in rotation:
                    if rep <= reps_for(method, n, args):
                        run_method(lab, method, rep, args, writer, failures)
                        f.flush()
            shutil.rmtree(lab.dir)

    elapsed = time.time() - started
    summary = report.write(args, csv_path, failures, elapsed)
    print(f"\nwrote {args.out}/results.csv, summary.md, time_vs_n.png in {elapsed:.0f} s")
    if args.smoke:
        print(summary)
    if failures:
        print(f"\n{len(failures)} FAILED measurement(s): a method produced a wrong lab or an error",
              file=sys.stderr)
        for failure in failures:
            print(f"  {report.one_line(failure)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
