#!/usr/bin/env python3
"""Where a tier's Java threads spent their samples, from `jfr print --json --events jdk.ExecutionSample`.

    jfr print --json --events jdk.ExecutionSample --stack-depth 24 FILE.jfr | bench/jfr-top.py [--stacks N]

Prints the methods on top of the stack (self time) and, for the N hottest of them, the callers that led there:
enough to say which copy or which syscall a change removed. JFR samples only threads running Java code; time
spent inside a system call shows in the process's system CPU, which the suite measures beside it.
"""
import collections
import json
import sys


def frames(event):
    trace = event["values"].get("stackTrace") or {}
    out = []
    for f in trace.get("frames") or []:
        m = f["method"]
        out.append(m["type"]["name"].split("/")[-1].replace("$", ".") + "." + m["name"])
    return out


def main():
    stacks = 3
    if len(sys.argv) == 3 and sys.argv[1] == "--stacks":
        stacks = int(sys.argv[2])
    events = json.load(sys.stdin)["recording"]["events"]
    samples = [frames(e) for e in events]
    samples = [s for s in samples if s]
    total = len(samples)
    print(f"{total} samples")
    if not total:
        return
    top = collections.Counter(s[0] for s in samples)
    print("\nself (top of stack)")
    for method, n in top.most_common(15):
        print(f"{100 * n / total:6.1f}%  {n:5d}  {method}")
    for method, _ in top.most_common(stacks):
        callers = collections.Counter(" < ".join(s[1:15]) for s in samples if s[0] == method)
        print(f"\n{method}, called from")
        for chain, n in callers.most_common(3):
            print(f"{100 * n / total:6.1f}%  {chain}")


if __name__ == "__main__":
    main()
