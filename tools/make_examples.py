"""Generate the example tables in resources/ (run once; the CSV files are committed).

    python tools/make_examples.py

placement.csv: 40 students, IQ and CGPA, placed (1) or not (0) by a linear rule with a
few borderline students, so a sigmoid network separates almost all of them.
package_regression.csv: 300 students, package = 0.05·IQ + 0.6·CGPA − 4 + noise (σ 0.4 LPA),
to show mini-batches and why input scaling matters.
three_classes.csv: 9 points, three of each class 0, 1 and 2, around three centres in the plane
(x₁, x₂ to one decimal), for multi-class classification with a softmax output: small enough to
step through by hand. Drawn from its own generator (seed 29), so the other tables stay as they are.
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


def three_classes(rng: np.random.Generator, per_class: int = 3) -> np.ndarray:
    """Class c's points around centre c (a triangle of side ~2), spread 0.4, rows interleaved 0, 1, 2, …"""
    centres = np.array([[0.0, 0.0], [2.0, 0.0], [1.0, 1.7]])
    rows = []
    for i in range(per_class):
        for c, centre in enumerate(centres):
            x = np.round(centre + rng.normal(0.0, 0.4, 2), 1) + 0.0  # + 0.0: no "-0" in the file
            rows.append([x[0], x[1], float(c)])
    return np.array(rows)


def main() -> None:
    rng = np.random.default_rng(2024)
    write_csv_table(RESOURCES / "placement.csv", ["IQ", "CGPA", "Placed (0/1)"], placement(rng))
    write_csv_table(RESOURCES / "package_regression.csv", ["IQ", "CGPA", "Package (LPA)"], package_regression(rng))
    write_csv_table(RESOURCES / "three_classes.csv", ["x1", "x2", "Class (0/1/2)"], three_classes(np.random.default_rng(29)))


if __name__ == "__main__":
    main()
