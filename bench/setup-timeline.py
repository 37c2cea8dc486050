"""Reads bench/setup-timeline.sh's strace logs (DIR/<tier>.st) and prints the median time between the steps
of one exec -- true, over the last COUNT cycles that show every step in order."""
import glob
import statistics
import sys

STEPS = [
    ("client", "connect(", "the client connects to the apiserver"),
    ("apiserver", "connect(", "the apiserver connects to the kubelet"),
    ("kubelet", "connect(", "the kubelet connects to the runtime's streaming server"),
    ("runtime", "clone3(", "the runtime spawns (vfork of jspawnhelper)"),
    ("runtime", 'execve("/usr/bin/setsid"', "jspawnhelper execs setsid"),
    ("runtime", "execve(", "setsid execs the command"),
    ("runtime", "exit_group(", "the command exits"),
    ("runtime", "shutdown(", "the runtime ends its side"),
    ("kubelet", "shutdown(", "the kubelet ends its sides"),
    ("apiserver", "shutdown(", "the apiserver ends its sides"),
    ("client", "shutdown(", "the client ends its side"),
]


def step(tier, call):
    for i, (t, prefix, _) in enumerate(STEPS):
        if t != tier or not call.startswith(prefix):
            continue
        if prefix == "connect(" and ("AF_UNIX" in call or "AF_NETLINK" in call):
            return None  # the kubelet's CRI socket, name lookups
        if prefix == "clone3(" and "CLONE_VFORK" not in call:
            return None  # a new thread
        return i
    return None


def main(directory, count):
    events = []
    for path in glob.glob(directory + "/*.st"):
        tier = path.rsplit("/", 1)[1][: -len(".st")]
        for line in open(path):
            parts = line.split(None, 2)
            if len(parts) < 3 or "resumed>" in parts[2]:
                continue
            i = step(tier, parts[2])
            if i is not None:
                events.append((float(parts[1]), i))
    events.sort()
    cycles, cycle = [], None
    for ts, i in events:
        if i == 0:
            if cycle is not None:
                cycles.append(cycle)
            cycle = [ts]
        elif cycle is not None and len(cycle) == i:
            cycle.append(ts)  # the first time each step is seen, in order
    if cycle is not None:
        cycles.append(cycle)
    complete = [c for c in cycles if len(c) == len(STEPS)][-count:]
    if not complete:
        sys.exit("setup-timeline: no cycle showed every step")
    print(f"{len(complete)} complete cycles (of {len(cycles)} exec -- true traced); median ms between steps:")
    width = max(len(s[2]) for s in STEPS)
    for i in range(1, len(STEPS)):
        gaps = [(c[i] - c[i - 1]) * 1000 for c in complete]
        print(f"  {STEPS[i - 1][2]:<{width}} -> {STEPS[i][2]:<{width}} {statistics.median(gaps):7.2f}")
    total = statistics.median((c[-1] - c[0]) * 1000 for c in complete)
    print(f"  {'first connect to last shutdown (traced, so slower than untraced)':<{2 * width + 4}} {total:7.2f}")


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 1000)
