"""Generate the example tables in resources/ (run once; the CSV files are committed).

    python tools/make_examples.py

placement.csv: 40 students, IQ and CGPA, placed (1) or not (0) by a linear rule with a
few borderline students, so a sigmoid network separates almost all of them.
package_regression.csv: 300 students, package = 0.05·IQ + 0.6·CGPA − 4 + noise (σ 0.4 LPA),
to show mini-batches and why input scaling matters.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from backprop_gui.files import write_csv_table

RESOURCES = Path(__file__).resolve().parents[1] / "resources"


def placement(rng: np.random.Generator, n: int = 40) -> np.ndarray:
    iq = np.round(rng.normal(100, 14, n))
    cgpa = np.round(rng.uniform(5.0, 9.8, n), 1)
    score = 0.06 * (iq - 100) + 1.0 * (cgpa - 7.3) + rng.normal(0, 0.25, n)
    placed = (score > 0).astype(float)
    return np.column_stack([iq, cgpa, placed])


def package_regression(rng: np.random.Generator, n: int = 300) -> np.ndarray:
    iq = np.round(rng.normal(100, 15, n))
    cgpa = np.round(rng.uniform(5.0, 10.0, n), 2)
    package = np.round(0.05 * iq + 0.6 * cgpa - 4 + rng.normal(0, 0.4, n), 2)
    return np.column_stack([iq, cgpa, package])


def main() -> None:
    rng = np.random.default_rng(2024)
    write_csv_table(RESOURCES / "placement.csv", ["IQ", "CGPA", "Placed (0/1)"], placement(rng))
    write_csv_table(RESOURCES / "package_regression.csv", ["IQ", "CGPA", "Package (LPA)"], package_regression(rng))


if __name__ == "__main__":
    main()
