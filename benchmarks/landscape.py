#!/usr/bin/env python3
"""The loss landscape's figure: a 200×200 grid of loss_surface on 300 rows of the notes' 2-2-1 network.

    python benchmarks/landscape.py           # the median of 7 runs for each kind of pair; target ≤ 100 ms
    python benchmarks/landscape.py --quick   # one run each, to keep the script working (never fails)

The pairs differ in cost: a parameter of the output layer alone (w²₁₁ with w²₂₁) needs one pass of
the output layer per grid point; a first-layer weight with an output weight (the usual largest
gradients) adds little; two parameters of the first layer need both layers per grid point. The
figure is the slowest of them. Exits 1 when the full run misses the target.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # this checkout's backprop_gui

import numpy as np  # noqa: E402

from backprop_gui.engine import Network, loss_surface, make_scaler  # noqa: E402

TARGET_MS = 100.0
PAIRS = [("w²₁₁", "w²₂₁"), ("w¹₁₁", "w²₁₁"), ("b₁₁", "b₂₁"), ("w¹₁₁", "w¹₂₁"), ("w¹₁₁", "b₁₁"), ("w¹₁₁", "w¹₁₂")]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="one run of each pair, verdicts not judged")
    args = parser.parse_args()
    repeats = 1 if args.quick else 7

    rng = np.random.default_rng(0)
    iq, cgpa = rng.normal(100, 15, 300), rng.normal(7, 1, 300)
    X = np.column_stack([iq, cgpa])
    y = 0.05 * iq + 0.6 * cgpa - 4 + rng.normal(0, 0.3, 300)  # as package_regression.csv
    X = make_scaler("standardize", X).transform(X)
    network = Network([2, 2, 1], init="random", seed=0)
    values = np.linspace(-3, 3, 200)

    slowest = 0.0
    for first, second in PAIRS:
        loss_surface(network, X, y, "mse", first, second, values, values)  # warm up
        times = []
        for _ in range(repeats):
            start = time.perf_counter()
            loss_surface(network, X, y, "mse", first, second, values, values)
            times.append(1000 * (time.perf_counter() - start))
        median = statistics.median(times)
        slowest = max(slowest, median)
        print(f"  {first} × {second}: {median:.1f} ms")
    verdict = "ok" if slowest <= TARGET_MS else "MISSED"
    if args.quick:
        verdict = "(quick run, not judged)"
    print(f"loss landscape, 200×200 grid on 300 rows of 2-2-1: {slowest:.1f} ms (slowest pair)  target ≤ {TARGET_MS:.0f} ms  {verdict}")
    return 1 if verdict == "MISSED" else 0


if __name__ == "__main__":
    sys.exit(main())
