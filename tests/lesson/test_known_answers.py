"""The classic step-by-step example: one step of the engine matches its published values to 1e-8."""

import pytest

from backprop_gui.lesson import known_answers


@pytest.mark.parametrize("row", known_answers.comparisons(), ids=lambda row: row.name)
def test_the_engine_matches_the_published_value(row):
    assert row.app == pytest.approx(row.published, abs=1e-8)


def test_every_published_value_is_compared():
    assert {row.name for row in known_answers.comparisons()} == set(known_answers.PUBLISHED)


def test_the_explanation_uses_the_examples_own_loss():
    record, explainer = known_answers.step()
    assert explainer.n_outputs == 2
    assert record.loss == pytest.approx(0.5 * ((0.01 - record.y_hat[0, 0]) ** 2 + (0.99 - record.y_hat[0, 1]) ** 2), rel=1e-15)
    assert "½Σ(t − o)²" in known_answers.LOSS_NOTE
