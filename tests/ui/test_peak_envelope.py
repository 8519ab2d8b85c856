"""A long loss history is drawn as each bucket's lowest and highest loss (ui/plots/peak_envelope.py)."""

import numpy as np

from backprop_gui.ui.plots.peak_envelope import MAX_BUCKETS, PeakEnvelope


def test_a_short_history_is_drawn_as_it_is():
    values = np.linspace(5.0, 1.0, 2 * MAX_BUCKETS)
    x, y = PeakEnvelope().points(values)
    assert np.array_equal(x, np.arange(1, values.size + 1)) and np.array_equal(y, values)


def test_a_million_epochs_become_a_few_thousand_points_keeping_every_spike_and_dip():
    rng = np.random.default_rng(1)
    values = np.exp(-np.arange(1_000_003) / 2e5) + rng.random(1_000_003) * 0.01
    values[123_457] = 50.0  # one spike
    values[876_543] = -1.0  # one dip
    x, y = PeakEnvelope().points(values)
    assert y.size <= 2 * MAX_BUCKETS + 2 * 1024
    assert y.max() == 50.0 and y.min() == -1.0
    assert x[0] >= 1 and x[-1] == values.size and np.all(np.diff(x) >= 0)
    # Each bucket's pair is the lowest and highest loss of its epochs.
    size = 512  # the power of two that leaves at most MAX_BUCKETS buckets
    buckets = values.size // size
    blocks = values[: buckets * size].reshape(buckets, size)
    assert np.array_equal(y[: 2 * buckets : 2], blocks.min(axis=1))
    assert np.array_equal(y[1 : 2 * buckets : 2], blocks.max(axis=1))
    assert np.array_equal(y[2 * buckets :], values[buckets * size :])  # the epochs after them, as they are


def test_a_growing_history_draws_what_a_fresh_envelope_draws():
    rng = np.random.default_rng(2)
    history = rng.random(3_000_000)
    envelope = PeakEnvelope()
    n = 0
    for grow in rng.integers(1, 300_000, size=25):
        n = min(n + int(grow), history.size)
        drawn, fresh = envelope.points(history[:n]), PeakEnvelope().points(history[:n])
        assert np.array_equal(drawn[0], fresh[0]) and np.array_equal(drawn[1], fresh[1])


def test_a_replaced_history_is_reduced_afresh():
    envelope = PeakEnvelope()
    first = np.linspace(10.0, 1.0, 100_000)
    envelope.points(first)
    after_back = first[:60_000]  # Back took epochs away
    assert np.array_equal(envelope.points(after_back)[1], PeakEnvelope().points(after_back)[1])
    other = np.linspace(3.0, 2.0, 100_000)  # another run of the same length
    assert np.array_equal(envelope.points(other)[1], PeakEnvelope().points(other)[1])
