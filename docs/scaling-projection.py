#!/usr/bin/env python3
"""The projection in docs/scaling.md: T(N) = G/N + r(N) * c(N, S).

c(N, S), a round's fixed cost, is fitted to the round-cost benchmark's figures (pasted below from
its output); G, the epoch's compute on one worker, and r(N), rounds per epoch, are parameters.
Run: python3 docs/scaling-projection.py   (numpy)
"""
import math

import numpy as np

# ---- Measured (RoundCostBenchmark, see docs/scaling.md) -------------------------------------
# CPU estimate of a round, ms, by (numWorkers, state floats): driver Java threads' CPU + driver GC
# + the executors' critical-path CPU.
CPU_MS = {}
# Measured wall median of a round, ms (the shared 2-core machine, loaded by other builds).
WALL_MS = {}
# Driver heap allocated per round, all threads, MB.
ALLOC_MB = {}
# Driver Java threads' CPU per job of k empty tasks, ms.
EMPTY_JOB_DRIVER_CPU_MS = {}

TABLE = """
N net cpu wall alloc
1 10k 61.2 72 13.79
1 mnist 101.0 148 37.27
1 2.5M 210.6 260 115.39
2 10k 55.7 89 14.26
2 mnist 108.0 153 49.31
2 2.5M 231.6 287 166.16
4 10k 54.9 108 15.42
4 mnist 133.5 247 73.1
4 2.5M 356.2 552 267.68
8 10k 69.7 134 16.92
8 mnist 162.6 246 108.83
8 2.5M 510.2 729 419.38
16 10k 135.5 305 28.48
16 mnist 248.6 490 63.53
16 2.5M 574.4 1314 180.68
"""
EMPTY = {4: 25.8, 16: 42.2, 64: 123.9, 256: 397.7}
FLOATS = {"10k": 10_000, "mnist": 575_050, "2.5M": 2_504_760}


def load(table, empty):
    for line in table.strip().splitlines()[1:]:
        n, net, cpu, wall, alloc = line.split()
        key = (int(n), FLOATS[net])
        CPU_MS[key] = float(cpu)
        WALL_MS[key] = float(wall)
        ALLOC_MB[key] = float(alloc)
    EMPTY_JOB_DRIVER_CPU_MS.update(empty)


# ---- Structure of a round -------------------------------------------------------------------
FAN_IN = 8  # TreeCombine.FAN_IN


def tree(n):
    """(shuffle levels, values the driver receives) for n workers, as TreeCombine does it."""
    levels = 0
    while n > FAN_IN:
        n = -(-n // FAN_IN)
        levels += 1
    return levels, n


def features(n, s_mb):
    """Basis of the round-cost model: 1, S, (m-1)S, L, L*S (tau*(tasks-1) is measured apart)."""
    levels, m = tree(n)
    return [1.0, s_mb, (m - 1) * s_mb, levels, levels * s_mb]


def tasks(n):
    """Spark tasks a round launches: the workers, then every level's merge tasks."""
    total, k = n, n
    while k > FAN_IN:
        k = -(-k // FAN_IN)
        total += k
    return total


def fit(values, tau):
    keys = sorted(values)
    x = np.array([features(n, 4 * f / 1e6) for n, f in keys])
    y = np.array([values[(n, f)] - tau * (tasks(n) - 1) for n, f in keys])
    coef, *_ = np.linalg.lstsq(x, y, rcond=None)
    pred = x @ coef + np.array([tau * (tasks(n) - 1) for n, f in keys])
    return coef, keys, pred


def cost(coef, tau, n, s_mb):
    return float(np.dot(features(n, s_mb), coef)) + tau * (tasks(n) - 1)


# ---- Workloads and sync rules ----------------------------------------------------------------
def steps_per_epoch(rows, n, batch):
    return max(1, math.ceil(rows / n / batch))


def rounds_once_per_epoch(rows, n, batch):
    return 1


def rounds_every(k):
    def r(rows, n, batch):
        return math.ceil(steps_per_epoch(rows, n, batch) / k)

    return r


def rounds_auto_516a226(rows, n, batch):
    """Scaling.autoInterval at 516a226: N/2 combines an epoch, at least 2 steps apart."""
    steps = steps_per_epoch(rows, n, batch)
    combines = max(1, n // 2)
    interval = max(2, -(-steps // combines))
    interval = max(1, min(interval, steps))
    return math.ceil(steps / interval)


def main():
    import sys

    wall = "--wall" in sys.argv
    load(TABLE, EMPTY)
    values = WALL_MS if wall else CPU_MS
    tau = (EMPTY_JOB_DRIVER_CPU_MS[256] - EMPTY_JOB_DRIVER_CPU_MS[4]) / 252
    print(f"Driver CPU per extra task (empty jobs, 4 -> 256 tasks): tau = {tau:.2f} ms")
    coef, keys, pred = fit(values, tau)
    print(
        "\nRound cost fitted to the "
        + ("measured wall medians" if wall else "CPU estimates")
        + ", ms, S = state MB, m = values the driver receives, L = shuffle levels:"
    )
    print(
        f"c(N,S) = {coef[0]:.1f} + {coef[1]:.1f} S + {coef[2]:.2f} (m-1) S"
        f" + L ({coef[3]:.1f} + {coef[4]:.1f} S) + {tau:.2f} (tasks - 1)\n"
    )
    print("| numWorkers | state floats | benchmark ms | model ms |")
    print("|---|---|---|---|")
    for (n, f), p in zip(keys, pred):
        print(f"| {n} | {f:,} | {values[(n, f)]:.1f} | {p:.1f} |")
    print("\nThe form a + b log2(N) + c N, fitted per state size to the same points (ms):\n")
    print("| state floats | a | b | c | largest residual | c(256) by this form |")
    print("|---|---|---|---|---|---|")
    for f in sorted(set(f for _, f in keys)):
        ns = sorted(n for n, g in keys if g == f)
        x = np.array([[1, math.log2(n), n] for n in ns])
        y = np.array([values[(n, f)] for n in ns])
        c3, *_ = np.linalg.lstsq(x, y, rcond=None)
        res = y - x @ c3
        print(
            f"| {f:,} | {c3[0]:.1f} | {c3[1]:.1f} | {c3[2]:.2f} | {abs(res).max():.1f}"
            f" | {c3[0] + 8 * c3[1] + 256 * c3[2]:.0f} |"
        )

    acoef, _, _ = fit(ALLOC_MB, 0.0)
    print(
        f"\nDriver heap allocated per round, MB: {acoef[0]:.1f} + {acoef[1]:.2f} S"
        f" + {acoef[2]:.2f} (m-1) S + L ({acoef[3]:.1f} + {acoef[4]:.2f} S)"
    )

    net_gbps = 1.0  # GB/s per link for the network term (10 GbE, roughly)

    def network_ms(n, s_mb):
        levels, m = tree(n)
        # The broadcast: torrent blocks spread from the driver, holders doubling, about
        # log2(N + 1) copy times; m results into the driver one after another; at each level the
        # reducers (in parallel) fetch 8 states each.
        return (math.log2(n + 1) * s_mb + m * s_mb + levels * FAN_IN * s_mb) / net_gbps

    def c_seconds(n, s_mb):
        return (cost(coef, tau, n, s_mb) + network_ms(n, s_mb)) / 1e3

    workloads = [
        # name, G s/epoch on one core, rows, batch, state floats (weights + momentum buffers)
        ("MNIST recipe (784-512-256-128-64-10, 60,000 rows)", MNIST_G, 60_000, 64, 2 * 575_050),
        ("10M rows x 100 features, 100-64-1", BIG_G, 10_000_000, 64, 2 * 6_529),
    ]
    rules = [
        ("once an epoch", rounds_once_per_epoch),
        ("N/2 an epoch (auto rule at 516a226)", rounds_auto_516a226),
        ("every 16 steps", rounds_every(16)),
    ]
    for name, g, rows, batch, floats in workloads:
        s_mb = 4 * floats / 1e6
        print(
            f"\n{name}: G = {g} s, batch {batch}, state {floats:,} floats ({s_mb:.2f} MB)."
            " Per sync rule: rounds an epoch r, T(N) = G/N + r c(N) in s, speed-up G / T(N).\n"
        )
        print(
            "| N | steps an epoch | c(N) ms | "
            + " | ".join(f"{r}: r | T(N) s | speed-up" for r, _ in rules)
            + " |"
        )
        print("|---|---|---|" + "---|---|---|" * len(rules))
        for n in [1, 2, 4, 8, 16, 64, 256]:
            c = c_seconds(n, s_mb)
            cells = []
            for _, rule in rules:
                r = 0 if n == 1 else rule(rows, n, batch)
                t = g / n + r * c
                cells.append(f"{r} | {t:.2f} | {g / t:.1f}x")
            print(
                f"| {n} | {steps_per_epoch(rows, n, batch)} | {1e3 * c:.0f} | "
                + " | ".join(cells)
                + " |"
            )
        for rname, rule in rules:

            def t_of(n):
                return g / n + (0 if n == 1 else rule(rows, n, batch)) * c_seconds(n, s_mb)

            best = min(range(1, 1025), key=t_of)
            print(
                f"\n{rname}: fastest at N = {best} ({t_of(best):.2f} s an epoch, "
                f"{g / t_of(best):.1f}x; N up to 1024 searched)",
                end="",
            )
        print()


MNIST_G = 2.2
BIG_G = 9.1

if __name__ == "__main__":
    main()
