"""Issue 24's checks on every classroom screen: 1024×768 and 1366×768 projectors and laptops,
1920×1080, and a 4K monitor at 200 %. Qt has one screen per process, so each size runs
screen_measure.py in a child process on an offscreen screen of that size, with a fresh profile,
and these tests read what it measured (see screen_measure.py for how each figure is taken)."""

import json
import math
import os
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).parent
SCREENS = [("1024x768", 1), ("1366x768", 1), ("1920x1080", 1), ("3840x2160", 2)]


@pytest.fixture(scope="module", params=SCREENS, ids=[f"{size}@{scale}x" for size, scale in SCREENS])
def measured(request, tmp_path_factory):
    size, scale = request.param
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": f"offscreen:configfile={HERE / 'screens' / f'screen-{size}.json'}",
        "QT_SCALE_FACTOR": str(scale),
        "XDG_CONFIG_HOME": str(tmp_path_factory.mktemp("profile")),  # a first run
    }
    done = subprocess.run([sys.executable, str(HERE / "screen_measure.py")], env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout.strip().splitlines()[-1])
    width, height = (int(n) for n in size.split("x"))
    assert report["screen"][2:] == [width // scale, height // scale]  # the logical screen it ran on
    return report


def test_the_window_opens_inside_the_screen_with_step_train_and_stop_in_it(measured):
    assert measured["frame_inside"], measured["frame"]
    assert measured["buttons_inside"]
    assert measured["first_step_fields_in_view"]  # Initialisation, Input scaling, Row order: no scrolling
    assert measured["presentation_frame_inside"]


@pytest.mark.parametrize("mode", ["normal", "presentation"])
def test_every_neuron_and_every_labelled_parameter_is_in_view_after_the_notes_first_step(measured, mode):
    shown = measured[mode]
    assert shown["neurons_inside"] == 5
    assert shown["labels_inside"] == 9, shown["hidden_labels"]
    names = ["w¹₁₁: ", "w¹₁₂: ", "w¹₂₁: ", "w¹₂₂: ", "w²₁₁: ", "w²₂₁: ", "b₁₁: ", "b₁₂: ", "b₂₁: "]
    assert all(any(label.startswith(name) for label in shown["label_names"]) for name in names)
    assert shown["chain_rule_hscroll"] == 0


@pytest.mark.parametrize("mode", ["normal", "presentation"])
def test_the_loss_of_the_notes_first_step_is_in_view(measured, mode):
    assert measured[mode]["loss_shown"]  # the line with L = 29241, in view
    assert measured[mode]["phase_text_inside"]  # and every line of the phase's caption, the notes' remark too


def test_presentation_mode_shows_four_lines_of_the_chain_rule(measured):
    assert measured["presentation"]["chain_rule_lines"] >= 4


def test_no_number_is_cut_short_in_any_phase(measured):
    assert measured["random_start_cut"] == []
    assert measured["normal"]["cut_numbers"] == [] and measured["presentation"]["cut_numbers"] == []


def test_presentation_mode_is_large_enough_for_a_room(measured):
    height = measured["screen"][3]
    shown = measured["presentation"]
    assert shown["label_px"] >= math.ceil(height / 45)
    assert shown["diagram_share"] >= 0.4


def test_stop_stays_put_when_a_run_starts(measured):
    assert not measured["stop_moved"]
