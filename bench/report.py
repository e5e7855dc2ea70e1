"""From results.csv: summary.md (medians, spreads, ratios, the issue's targets) and time_vs_n.png."""
import csv
import datetime
import os
import shutil
import statistics
import subprocess

# netlink-c and netlink-c-parallel are the kernel floor (bench/netlink_floor.c: the least raw
# rtnetlink that builds the lab), on one thread and with nstopo's parallelism; a ratio against
# "the floor" takes the better (faster) of the two for each N and phase (issue 15).
# ip-script and ip-batch are the tutorial form (`ip netns exec NS ip ...`), the issue's
# baseline; ip-n-script and ip-n-batch the same steps with `ip -n NS ...` (gen_topology.py).
METHODS = ["nstopo", "netlink-c", "netlink-c-parallel", "ip-script", "ip-batch", "ip-n-script", "ip-n-batch"]
FLOORS = ["netlink-c", "netlink-c-parallel"]
IP_METHODS = [m for m in METHODS if m.startswith("ip-")]
PHASES = ["build", "reapply", "destroy"]
PLOT_TITLES = {"netlink-c": "kernel floor (C, raw netlink, sequential)",
               "netlink-c-parallel": "kernel floor (C, raw netlink, parallel)"}
PHASE_TITLES = {"build": "apply from empty", "reapply": "re-apply (converged)", "destroy": "destroy"}
METHOD_TITLES = {"nstopo": "nstopo", "netlink-c": "floor (sequential)", "netlink-c-parallel": "floor (parallel)",
                 "ip-script": "ip script", "ip-batch": "ip -batch", "ip-n-script": "ip -n script",
                 "ip-n-batch": "ip -n -batch"}
FLOOR_SHORT = {"netlink-c": "seq", "netlink-c-parallel": "par"}


def one_line(text, limit=400):
    text = " / ".join(line.strip() for line in text.splitlines() if line.strip())
    return text if len(text) <= limit else text[:limit] + " …"


def load(csv_path):
    """{(topology, n, method, phase): {"seconds": [...], "rss": [...]}} of the successful runs."""
    table = {}
    with open(csv_path) as f:
        for row in csv.DictReader(f):
            if row["ok"] != "1":
                continue
            cell = table.setdefault((row["topology"], int(row["n"]), row["method"], row["phase"]),
                                    {"seconds": [], "rss": []})
            cell["seconds"].append(float(row["seconds"]))
            cell["rss"].append(int(row["max_rss_kib"]))
    return table


def check_count(csv_path):
    """(measurements whose lab check passed, all measurements) in results.csv."""
    with open(csv_path) as f:
        rows = list(csv.DictReader(f))
    return sum(row["ok"] == "1" for row in rows), len(rows)


def median(table, key):
    cell = table.get(key)
    return statistics.median(cell["seconds"]) if cell else None


def seconds_text(value):
    return "—" if value is None else f"{value * 1000:.0f} ms" if value < 1 else f"{value:.2f} s"


def cell_text(cell):
    if not cell:
        return "—"
    values = cell["seconds"]
    spread = f" ({seconds_text(min(values))}–{seconds_text(max(values))})" if len(values) > 1 else ""
    return f"{seconds_text(statistics.median(values))}{spread} ×{len(values)}"


def best_floor(table, topology, n, phase):
    """(method, median) of the faster of the two floors at this N and phase; None if neither ran."""
    measured = [(median(table, (topology, n, floor, phase)), floor) for floor in FLOORS]
    measured = [(value, floor) for value, floor in measured if value]
    if not measured:
        return None
    value, floor = min(measured)
    return floor, value


def floor_ratio_text(table, topology, n, phase):
    """nstopo's median divided by the better floor's, with which one that was."""
    mine, best = median(table, (topology, n, "nstopo", phase)), best_floor(table, topology, n, phase)
    if mine is None or best is None:
        return "—"
    return f"{mine / best[1]:.2f}× ({FLOOR_SHORT[best[0]]})"


def ratio_text(table, topology, n, method, phase, over="nstopo"):
    """`method`'s median divided by `over`'s."""
    mine, base = median(table, (topology, n, method, phase)), median(table, (topology, n, over, phase))
    return "—" if mine is None or not base else f"{mine / base:.1f}×"


def results_table(table, topology):
    """A row per N and phase: each method's cell, then how many times the better floor nstopo
    takes (nstopo ÷ floor, seq/par: which floor), then each ip method's ratio to nstopo."""
    sizes = sorted({n for (t, n, _, _) in table if t == topology})
    headers = ([METHOD_TITLES[m] for m in METHODS] + ["nstopo ÷ floor"]
               + [f"{METHOD_TITLES[m]} ÷ nstopo" for m in IP_METHODS])
    lines = ["| N | phase | " + " | ".join(headers) + " |",
             "|---:|---|" + "---:|" * len(headers)]
    for n in sizes:
        for phase in PHASES:
            cells = [cell_text(table.get((topology, n, method, phase))) for method in METHODS]
            ratios = [floor_ratio_text(table, topology, n, phase)]
            ratios += [ratio_text(table, topology, n, method, phase) for method in IP_METHODS]
            lines.append(f"| {n} | {PHASE_TITLES[phase]} | " + " | ".join(cells + ratios) + " |")
    return "\n".join(lines)


def ratio_row(table, n, phase, method, minimum, label):
    """A target "nstopo at least `minimum` times faster than `method`" on the star lab, with
    the ratio the kernel floor (the better of the two) itself reaches against the same method:
    a target the floor misses is one no tool can meet on this machine."""
    mine, base = median(table, ("star", n, method, phase)), median(table, ("star", n, "nstopo", phase))
    best = best_floor(table, "star", n, phase)
    floor_text = (f"{mine / best[1]:.1f}× ({FLOOR_SHORT[best[0]]})" if mine is not None and best
                  else "not measured")
    if mine is None or not base:
        return (label, "not measured", "n/a", floor_text)
    return (label, f"{mine / base:.1f}× ({seconds_text(mine)} vs {seconds_text(base)})",
            "PASS" if mine / base >= minimum else "FAIL", floor_text)


def ratio_targets(table, script, batch):
    """The issue's speed-up targets against one form of the iproute2 baseline (its script
    and its batch method): (target, measured, verdict) rows."""
    s, b = METHOD_TITLES[script], METHOD_TITLES[batch]
    rows = []
    for n in (200, 1000):
        rows.append(ratio_row(table, n, "build", script, 50, f"apply, N={n}: ≥ 50× faster than the {s}"))
        rows.append(ratio_row(table, n, "build", batch, 6, f"apply, N={n}: ≥ 6× faster than {b}"))
    rows.append(ratio_row(table, 200, "reapply", script, 20,
                          f"re-apply, N=200: ≥ 20× faster than reading the state with the {s} (ip -j)"))
    for n in (200, 1000):
        rows.append(ratio_row(table, n, "destroy", script, 20,
                              f"destroy, N={n}: ≥ 20× faster than the {s}'s teardown"))
    return rows


def targets(table):
    """The issue's targets on the star lab, the ratios against the tutorial form (ip-script,
    ip-batch) as the issue defines the baseline: (target, measured, verdict) rows."""
    rows = ratio_targets(table, "ip-script", "ip-batch")
    value = median(table, ("star", 1000, "nstopo", "reapply"))
    rows.append(("re-apply, N=1000: under 0.25 s", seconds_text(value) if value is not None else "not measured",
                 "n/a" if value is None else "PASS" if value < 0.25 else "FAIL"))

    # Flat cost per namespace: at the largest N, at most 1.5 times the cheapest per-namespace
    # cost seen at any N (small N pays nstopo's fixed start-up cost, so it is the dearest).
    sizes = sorted({n for (t, n, m, _) in table if t == "star" and m == "nstopo"})
    for phase in PHASES:
        per_ns = {n: median(table, ("star", n, "nstopo", phase)) / n
                  for n in sizes if median(table, ("star", n, "nstopo", phase)) is not None}
        label = f"{PHASE_TITLES[phase]}: cost per namespace flat up to the largest N (≤ 1.5× the cheapest)"
        if len(per_ns) < 2:
            rows.append((label, "not measured", "n/a"))
            continue
        largest, cheapest = per_ns[max(per_ns)], min(per_ns.values())
        shown = ", ".join(f"N={n}: {v * 1e3:.2f} ms" for n, v in per_ns.items())
        rows.append((label, shown, "PASS" if largest <= 1.5 * cheapest else "FAIL"))

    cell = table.get(("star", 1000, "nstopo", "build"))
    if cell:
        peak = max(cell["rss"]) / 1024
        rows.append(("peak memory of nstopo apply, N=1000: under 64 MiB", f"{peak:.1f} MiB",
                     "PASS" if peak < 64 else "FAIL"))
    else:
        rows.append(("peak memory of nstopo apply, N=1000: under 64 MiB", "not measured", "n/a"))
    return rows


def floor_row(table, n, phase, maximum, label):
    """A target "nstopo takes at most `maximum` times the floor" on the star lab, the floor
    being the better of the two at this N and phase: (target, measured, verdict, the floors)."""
    mine, best = median(table, ("star", n, "nstopo", phase)), best_floor(table, "star", n, phase)
    floors = " / ".join(seconds_text(median(table, ("star", n, floor, phase))) for floor in FLOORS)
    if mine is None or best is None:
        return (label, "not measured", "n/a", floors)
    return (label, f"{mine / best[1]:.2f}× ({seconds_text(mine)} vs {seconds_text(best[1])}, "
                   f"{METHOD_TITLES[best[0]]})",
            "PASS" if mine / best[1] <= maximum else "FAIL", floors)


def per_namespace(table, method_of, phase, sizes):
    """{n: median seconds per namespace} of the star lab; method_of(n): the method, or None."""
    out = {}
    for n in sizes:
        method = method_of(n)
        value = median(table, ("star", n, method, phase)) if method else None
        if value is not None:
            out[n] = value / n
    return out


def floor_targets(table):
    """Issue 15's targets on the star lab: nstopo against the kernel floor, each against the
    better (faster) of the sequential and the parallel floor at that N and phase."""
    rows = [floor_row(table, 1000, "reapply", 1.0, "re-apply (converged), N=1000: ≤ 1.0× the floor"),
            floor_row(table, 200, "reapply", 1.2, "re-apply (converged), N=200: ≤ 1.2× the floor"),
            floor_row(table, 200, "destroy", 1.1, "destroy, N=200: ≤ 1.1× the floor"),
            floor_row(table, 1000, "destroy", 1.1, "destroy, N=1000: ≤ 1.1× the floor")]
    # Flat as the issue-5 row reads it (the largest N against the cheapest N), tighter and over
    # N=10..1000 only; the floor's own figures beside it show what the kernel allows.
    sizes = sorted({n for (t, n, m, _) in table if t == "star" and m == "nstopo" and 10 <= n <= 1000})
    label = "destroy: cost per namespace flat from N=10 to N=1000 (the largest N ≤ 1.3× the cheapest)"
    mine = per_namespace(table, lambda n: "nstopo", "destroy", sizes)
    floor = per_namespace(table, lambda n: (best_floor(table, "star", n, "destroy") or (None,))[0],
                          "destroy", sizes)
    floor_text = "the better floor: " + (", ".join(f"N={n}: {v * 1e3:.2f} ms" for n, v in floor.items())
                                         or "not measured")
    if len(mine) < 2:
        rows.append((label, "not measured", "n/a", floor_text))
    else:
        largest, cheapest = mine[max(mine)], min(mine.values())
        shown = ", ".join(f"N={n}: {v * 1e3:.2f} ms" for n, v in mine.items())
        rows.append((label, f"{shown} ({largest / cheapest:.2f}×)",
                     "PASS" if largest <= 1.3 * cheapest else "FAIL", floor_text))
    rows += [floor_row(table, 200, "build", 1.05, "apply from empty, N=200: ≤ 1.05× the floor"),
             floor_row(table, 1000, "build", 1.05, "apply from empty, N=1000: ≤ 1.05× the floor")]
    return rows


def output(argv):
    """The first line a command prints ("" for none, "?" when it cannot run)."""
    try:
        lines = subprocess.run(argv, capture_output=True, text=True, timeout=10).stdout.splitlines()
        return lines[0].strip() if lines else ""
    except OSError:
        return "?"


def machine_info(nstopo):
    with open("/proc/cpuinfo") as f:
        model = next((line.split(":", 1)[1].strip() for line in f if line.startswith("model name")), "?")
    here = os.path.dirname(os.path.abspath(__file__))
    built = datetime.datetime.fromtimestamp(os.stat(nstopo).st_mtime, datetime.timezone.utc)
    cc = (output(["cc", "--version"]) or "?") if shutil.which("cc") else "none"
    return [f"date: {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M UTC}",
            f"machine: {os.cpu_count()} CPUs ({model}), kernel {os.uname().release}",
            f"tools: {output(['ip', '-V'])}; {output([nstopo, '--version']) or 'nstopo ?'} "
            f"at {nstopo} (built {built:%Y-%m-%d %H:%M UTC}; the checkout is at "
            f"{checkout(here)}); "
            f"the floor compiled by {cc}"]


def checkout(here):
    """The commit, "-dirty" when the sources differ from it (bench/results, which this very
    run writes, does not count)."""
    commit = output(["git", "-C", here, "rev-parse", "--short", "HEAD"]) or "?"
    changed = output(["git", "-C", here, "status", "--porcelain", "--untracked-files=no", "--",
                      ":/", ":(exclude,top)bench/results"])
    return commit + ("-dirty" if changed else "")


def command_line(args):
    if args.smoke:
        return "bench/run.sh --smoke"
    join = lambda values: ",".join(map(str, values))
    sizes = {"star": f"--sizes {join(args.sizes)}", "chain": f"--chain-sizes {join(args.chain_sizes)}",
             "mesh": f"--mesh-sizes {join(args.mesh_sizes)}"}
    return " ".join(["bench/run.sh", f"--topologies {join(args.topologies)}"]
                    + [sizes[t] for t in args.topologies]
                    + [f"--reps {args.reps} --slow-reps {args.slow_reps}"]
                    + ([] if args.methods == METHODS else [f"--methods {join(args.methods)}"]))


BASELINE_FORMS = (
    "Each iproute2 method comes in two forms of the same steps. **ip script** and **ip -batch** "
    "do it as the iproute2 tutorial does, which is how the issue defines the baseline: every step "
    "inside a namespace is `ip netns exec NS ip …` (netns exec starts a second `ip`), and a veth "
    "is made in the host and its peer then moved with `ip link set dev PEER netns NS`. "
    "**ip -n script** and **ip -n -batch** are the fastest way to drive iproute2: `ip -n NS …` "
    "switches namespace inside the one process, and each veth is made with its ends directly in "
    "their namespaces. The issue's targets are judged against the tutorial form; the table under "
    "them holds the same targets against the faster form.")


FLOOR = (
    "**The kernel floor** is the least work any tool could do to build the lab: "
    "bench/netlink_floor.c sends raw rtnetlink requests, each waiting for its ack "
    "(per namespace: unshare, bind-mount, one socket, loopback up, and no IPv6 link-local "
    "addresses on its links, as nstopo sets on its own; per veth one RTM_NEWLINK with "
    "both ends in place, the host end up and on the bridge, then the peer up; addresses and routes "
    "through each namespace's socket). It parses no topology file, computes no diff, verifies "
    "nothing, undoes nothing and marks nothing as its own; its re-apply is three dumps a namespace, "
    "read and discarded; its teardown unmounts each namespace, deletes the bridge and waits until "
    "the host's links of the lab are gone. It runs two ways: **floor (sequential)** does all of it "
    "on one thread, one request at a time; **floor (parallel)** (`--parallel`) uses the "
    "parallelism nstopo uses: the namespaces are made by worker threads (one per core less the "
    "main thread, at most three, at least one) while the main thread makes the bridge and each "
    "link as soon as its namespaces are ready, then the addresses and routes; the re-apply reads "
    "the namespaces side by side (one thread per core, at most four); the teardown unmounts them "
    "on eight threads at once (each unmount waits for an RCU grace period, and the waits "
    "overlap). Below eight namespaces it reads and unmounts on one thread, as nstopo does. "
    "**nstopo ÷ floor** is how many times the better (faster) of the two floors at that N and phase "
    "nstopo takes (seq or par: which one it was); the targets of issue 15 are against that better "
    "floor, and the issue-5 tables show what it reaches against the ip methods.")


README_START, README_END = "<!-- bench/report.py: star table -->", "<!-- /bench/report.py -->"


def readme_table(table):
    """The README's table: the star lab at N=10, 200 and 1000, medians only, from this run."""
    methods = ["nstopo", "netlink-c", "netlink-c-parallel", "ip-script", "ip-batch", "ip-n-script", "ip-n-batch"]
    headers = [METHOD_TITLES[m] for m in methods] + ["nstopo ÷ better floor", "ip script ÷ nstopo",
                                                     "ip -batch ÷ nstopo"]
    lines = ["| N | phase | " + " | ".join(headers) + " |", "|---:|---|" + "---:|" * len(headers)]
    for n in (10, 200, 1000):
        for phase in PHASES:
            if not table.get(("star", n, "nstopo", phase)):
                continue
            cells = [seconds_text(median(table, ("star", n, m, phase))) for m in methods]
            cells += [floor_ratio_text(table, "star", n, phase),
                      ratio_text(table, "star", n, "ip-script", phase),
                      ratio_text(table, "star", n, "ip-batch", phase)]
            lines.append(f"| {n} | {PHASE_TITLES[phase]} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def update_readme(readme_path, text):
    """Puts `text` between the README's markers, when it has them: the README's table is this
    run's, never copied by hand."""
    if not os.path.exists(readme_path):
        return
    with open(readme_path) as f:
        readme = f.read()
    start, end = readme.find(README_START), readme.find(README_END)
    if start < 0 or end < start:
        return
    with open(readme_path, "w") as f:
        f.write(readme[:start + len(README_START)] + "\n" + text + "\n" + readme[end:])


def target_table(rows, last="the kernel floor's own ratio (the better floor)"):
    """Rows of (target, measured, verdict[, what the kernel floor reaches])."""
    return [f"| target | measured | | {last} |", "|---|---|---|---|"] + [
        f"| {row[0]} | {row[1]} | {row[2]} | {row[3] if len(row) > 3 else ''} |" for row in rows]


def write(args, csv_path, failures, elapsed):
    table = load(csv_path)
    lines = ["# nstopo against iproute2", "",
             f"Made by `{command_line(args)}` in {elapsed / 60:.1f} min, inside the sandbox "
             "(tests/integration/sandbox.sh).", ""]
    lines += [f"- {line}" for line in machine_info(args.nstopo)]
    passed, total = check_count(csv_path)
    lines.append(f"- lab checks (bench/netcheck.py after every phase): {passed} of {total} measurements passed")
    if failures:
        lines += ["", "## FAILED", "", "These measurements failed (error or wrong lab); they are left out below:", ""]
        lines += [f"- {one_line(failure)}" for failure in failures]
    lines += ["", "## Two forms of the iproute2 baseline, and the kernel floor", "", BASELINE_FORMS, "", FLOOR]
    lines += ["", "## Targets of issue 5 (star lab, medians)", ""] + target_table(targets(table))
    lines += ["", "### The same targets against the faster ip -n forms", ""]
    lines += target_table(ratio_targets(table, "ip-n-script", "ip-n-batch"))
    lines += ["", "## Targets of issue 15: nstopo against the kernel floor (star lab, medians)", "",
              "Each against the better (faster) of the two floors at that N and phase; the last "
              "column holds both floors (sequential / parallel).", ""]
    lines += target_table(floor_targets(table), last="floor (sequential) / floor (parallel)")
    topologies = [t for t in ("star", "chain", "mesh") if any(key[0] == t for key in table)]
    descriptions = {
        "star": "N namespaces on a host bridge: a veth each, an address, a default route",
        "chain": "N namespaces in a line, neighbours on a /30, routes to every link",
        "mesh": "N namespaces, a veth between every pair (N(N-1)/2 links)"}
    for topology in topologies:
        lines += ["", f"## {topology}: {descriptions[topology]}", "",
                  "Median (min–max) ×repetitions; nstopo ÷ floor: how many times the better kernel "
                  "floor's time nstopo takes (seq: the sequential one, par: the parallel one); then "
                  "each ip method's median divided by nstopo's.", "",
                  results_table(table, topology)]
    lines += ["", "## What is measured", "",
              "- **apply from empty**: `nstopo apply`; the ip script runs one `ip` command per "
              "step as the iproute2 tutorial does (`ip netns add`, `ip link add dev … type veth peer "
              "name …`, `ip link set dev … netns NS`, `ip link set dev … master br0`, `ip link set "
              "dev … up`, `ip netns exec NS ip link set dev lo up`, `ip netns exec NS ip addr add`, "
              "`ip netns exec NS ip route add`; a veth between two namespaces is made inside the "
              "first: `ip netns exec NS1 ip link add dev A type veth peer name B netns NS2`); "
              "ip -batch runs the same lines through one `ip -batch` per host stage and one "
              "`ip netns exec NS ip -batch` per namespace and stage (a batch line takes no `-n`, "
              "iproute2 refuses `-n NS link …` inside a batch). The ip -n script does the same with "
              "`ip -n NS …` and makes each veth with its ends in place (`ip link add … type veth peer "
              "name … netns NS`); ip -n -batch runs its lines through one `ip -n NS -batch` per "
              "namespace and stage.",
              "- **floor**: `netlink_floor build|show|destroy SPEC` (sequential) and `netlink_floor "
              "--parallel build|show|destroy SPEC`, a line-format spec written from the same lab (see "
              "above); both measured in the same run and checked exactly like the others.",
              "- **re-apply (converged)**: `nstopo apply` on the lab it built (observe, plan, nothing "
              "to do). A script has no idempotent re-apply, so its column is *reading the same state "
              "back*: `ip -j link/addr/route show` for the host and each namespace, one process per "
              "read (the scripts) or one `ip -j -batch` per namespace (the batch methods), with "
              "`ip netns exec NS` or `-n NS` as the form says.",
              "- **destroy**: `nstopo destroy`; the scripts delete each link (`ip link del`, inside a "
              "namespace with `ip netns exec` or `-n` as the form says), then each namespace "
              "(`ip netns del`), as the tutorial does.",
              "- Every phase is checked by reading the kernel back over netlink (bench/netcheck.py): "
              "every namespace, link (up, bridge master), IPv4 address and gateway route, exactly; "
              "after destroy no namespace and no host link but `lo`. Wrong labs fail the run.",
              f"- Methods run in rotated order in each repetition, each measurement once the CPUs are "
              "90% idle again (the kernel's clean-up after a teardown is not billed to the next "
              "method). The four ip methods run "
              f"{args.slow_reps} time(s) at N ≥ 500, where one repetition takes minutes: each `ip` "
              "process costs a few ms to start, `ip -n NS` and `ip netns exec NS` also enter a fresh "
              "mount namespace (a copy of every `/run/netns` mount), netns exec then starts a second "
              "`ip`, and deleting links one by one costs ~25 ms each here. Peak "
              "memory: the command's own `ru_maxrss` from wait4(2)."]
    rss = [(n, max(cell["rss"]) / 1024) for (t, n, m, p), cell in sorted(table.items())
           if t == "star" and m == "nstopo" and p == "build"]
    if rss:
        lines.append("- Peak RSS of `nstopo apply` (star): " + ", ".join(f"N={n}: {mib:.1f} MiB" for n, mib in rss) + ".")
    lines += ["", "![time against N](time_vs_n.png)", ""]
    text = "\n".join(lines)
    with open(os.path.join(args.out, "summary.md"), "w") as f:
        f.write(text)
    # The README's table, when this run writes the committed results (bench/results).
    here = os.path.dirname(os.path.abspath(__file__))
    if os.path.abspath(args.out) == os.path.join(here, "results"):
        update_readme(os.path.join(os.path.dirname(here), "README.md"), readme_table(table))
    plot(table, topologies, args.out)
    return text


def plot(table, topologies, out):
    """time_vs_n.png: a row per topology, a panel per phase, a line per method (log-log)."""
    if not shutil.which("gnuplot"):
        print("gnuplot not found (Debian: gnuplot-nox): no plot")
        return
    data_dir = os.path.join(out, ".plot")
    os.makedirs(data_dir, exist_ok=True)
    script = [f"set terminal pngcairo size 1500,{380 * len(topologies) + 40} font 'sans,10'",
              f"set output '{os.path.join(out, 'time_vs_n.png')}'",
              f"set multiplot layout {len(topologies)},3 title 'nstopo vs iproute2: median time "
              "(bars: min–max) against N namespaces' font 'sans,13'",
              "set logscale xy", "set grid", "set key below maxrows 2 samplen 2 width -2", "set datafile missing '?'",
              "set xlabel 'N namespaces'", "set ylabel 'seconds'", "set format y '%g'"]
    # A colour per way of running ip (script, batch); the faster ip -n form dashed; the kernel
    # floor black and dotted (sequential), grey and dash-dotted (parallel).
    styles = {"nstopo": "lc rgb '#1b7837' pt 7", "netlink-c": "lc rgb 'black' pt 6 dt 3",
              "netlink-c-parallel": "lc rgb '#555555' pt 12 dt 4",
              "ip-script": "lc rgb '#b2182b' pt 5", "ip-batch": "lc rgb '#2166ac' pt 9",
              "ip-n-script": "lc rgb '#b2182b' pt 4 dt 2",
              "ip-n-batch": "lc rgb '#2166ac' pt 8 dt 2"}
    for topology in topologies:
        sizes = sorted({n for (t, n, _, _) in table if t == topology})
        for phase in PHASES:
            path = os.path.join(data_dir, f"{topology}-{phase}.dat")
            with open(path, "w") as f:
                for n in sizes:
                    columns = [str(n)]
                    for method in METHODS:
                        cell = table.get((topology, n, method, phase))
                        values = cell["seconds"] if cell else None
                        columns += ([f"{statistics.median(values):.5f}", f"{min(values):.5f}", f"{max(values):.5f}"]
                                    if values else ["?"] * 3)
                    f.write(" ".join(columns) + "\n")
            series = [f"'{path}' using 1:{2 + 3 * i}:{3 + 3 * i}:{4 + 3 * i} with yerrorlines "
                      f"{styles[method]} lw 2 title '{PLOT_TITLES.get(method, METHOD_TITLES[method])}'"
                      for i, method in enumerate(METHODS)]
            title = PHASE_TITLES[phase] + (" (ip: reading the state back)" if phase == "reapply" else "")
            script += [f"set title '{topology}: {title}'", "plot " + ", ".join(series)]
    script.append("unset multiplot")
    result = subprocess.run(["gnuplot"], input="\n".join(script) + "\n", text=True, capture_output=True)
    if result.returncode != 0:
        raise RuntimeError(f"gnuplot failed: {result.stderr}")
    shutil.rmtree(data_dir)
