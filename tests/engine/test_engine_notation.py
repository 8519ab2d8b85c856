"""Names and numbers as the course notes write them, for the diagram and the step display."""

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backprop_gui.engine import bias_name, format_number, output_name, weight_name
from backprop_gui.engine.notation import parse_number


@pytest.mark.parametrize(
    ("indices", "name"),
    [
        ((0, 0, 0), "w¹₁₁"),  # IQ → first hidden neuron
        ((0, 1, 0), "w¹₂₁"),  # CGPA → first hidden neuron
        ((0, 0, 1), "w¹₁₂"),  # IQ → second hidden neuron
        ((1, 0, 0), "w²₁₁"),  # O₁₁ → ŷ
        ((1, 1, 0), "w²₂₁"),  # O₁₂ → ŷ
    ],
)
def test_weight_names_follow_the_notes(indices, name):
    assert weight_name(*indices) == name


def test_bias_and_output_names_follow_the_notes():
    assert bias_name(0, 0) == "b₁₁"
    assert bias_name(0, 1) == "b₁₂"
    assert bias_name(1, 0) == "b₂₁"
    assert output_name(0, 0) == "O₁₁"
    assert output_name(0, 1) == "O₁₂"
    assert output_name(1, 0) == "O₂₁"  # ŷ


def test_names_stay_unambiguous_with_ten_or_more_neurons():
    # Neuron 12 → neuron 1 and neuron 1 → neuron 21 must not both read w¹₁₂₁.
    assert weight_name(0, 11, 0) != weight_name(0, 0, 20)
    assert bias_name(0, 11) != bias_name(11, 0)
    assert output_name(0, 11) != output_name(11, 0)
    assert weight_name(9, 0, 0).startswith("w¹⁰")


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (1234567, "1234567"),  # up to seven digits print whole
        (29241, "29241"),  # the notes' first loss, whole, not 2.924e+04
        (29241.0, "29241"),
        (-27360, "−27360"),
        (342.0, "342"),
        (176.0, "176"),
        (0.0, "0"),
        (0.5, "0.5"),
        (-0.25, "−0.25"),
    ],
)
def test_format_number_writes_exact_values_plainly(value, text):
    assert format_number(value) == text


@pytest.mark.parametrize("value", [1e-7, -3.2e-6, 1.5e9, -2.75e12, 0.1234567, 123.456789, 1e300])
def test_format_number_is_compact_and_reads_back_close_to_the_value(value):
    text = format_number(value)

    assert len(text) <= 13, text  # "−1.23457e−100" at most
    assert parse_number(text) == pytest.approx(value, rel=5e-6)


def test_format_number_shows_tiny_and_huge_values_in_scientific_notation():
    assert format_number(1e-7) == "1e−07"  # not "0" or "0.0000"
    assert "e+09" in format_number(1.5e9)  # not a ten-digit integer


def test_format_number_names_non_finite_values():
    assert format_number(math.inf) == "∞"
    assert format_number(-math.inf) == "−∞"
    assert format_number(math.nan) == "NaN"


# Away from the ends of the float range, where "1.798e+308" reads back as inf and subnormals
# have fewer digits than four to keep: those are limits of float parsing, not of the display.
ORDINARY_FLOATS = st.floats(min_value=-1e300, max_value=1e300).filter(lambda v: v == 0 or abs(v) >= 1e-300)


@settings(max_examples=200, deadline=None, database=None)
@given(ORDINARY_FLOATS)
def test_format_number_keeps_six_significant_digits(value):
    text = format_number(value)

    assert len(text) <= 13, text  # "−1.23457e−100" at most
    assert parse_number(text) == pytest.approx(value, rel=5e-6, abs=0)
    assert "-" not in text and text != "−0"


# -- issue 12, defect 10: one rule for every number on screen ---------------------------------
@pytest.mark.parametrize(
    ("value", "text"),
    [
        (-29.096, "−29.096"),  # the label and the equation agree: six significant digits
        (-0.07731277880234155, "−0.0773128"),  # a tooltip never shows repr
        (8567012345.0, "8.56701e+09"),  # the caption and the status bar agree
        (-2.5e-05, "−2.5e−05"),  # the true minus sign in the exponent as well
        (1e8, "1e+08"),  # trailing zeros of the mantissa dropped
        (-0.0, "0"),  # never "−0"
        (0.1, "0.1"),  # never "0.1000000"
        (-1e-320, "−9.99989e−321"),  # a subnormal is not rounded to a signed zero
    ],
)
def test_format_number_follows_one_rule(value, text):
    assert format_number(value) == text


def test_format_number_never_prints_an_ascii_minus_or_a_negative_zero():
    for value in (-1.0, -1e-9, -1e9, -123.456, -0.0, -7e-300, -math.inf):
        text = format_number(value)
        assert "-" not in text and text not in ("−0", "0.0")


def test_parse_number_reads_either_minus_sign():
    assert parse_number("−2.5e−05") == -2.5e-05
    assert parse_number(" -3 ") == -3.0
    assert parse_number("−∞") == -math.inf
