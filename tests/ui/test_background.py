"""LatestJob: one computation at a time in a pool thread, a request meanwhile asked again once it ends."""

import threading

from PySide6.QtCore import QObject

from backprop_gui.ui.widgets.background import LatestJob


def test_a_request_while_one_runs_is_refused_then_asked_again_once_it_ends(qtbot):
    owner = QObject()
    job = LatestJob(owner)
    results, asked_again = [], []
    job.done.connect(results.append)
    job.again.connect(lambda: asked_again.append(True))
    release, gui_thread = threading.Event(), threading.get_ident()
    ran_in = []

    def slow():
        ran_in.append(threading.get_ident())
        release.wait(10)
        return "first"

    assert job.start(slow) and job.busy
    assert not job.start(lambda: "second") and not job.free()  # refused: the first still runs
    release.set()
    qtbot.waitUntil(lambda: results == ["first"] and asked_again == [True], timeout=5000)
    assert ran_in and ran_in[0] != gui_thread
    assert not job.busy and job.free()
    assert job.start(lambda: "third")
    qtbot.waitUntil(lambda: results == ["first", "third"], timeout=5000)
    assert asked_again == [True]  # nothing was asked for while "third" ran
    job.shutdown()


def test_an_error_in_the_computation_comes_back_as_its_result(qtbot):
    owner = QObject()
    job = LatestJob(owner)
    with qtbot.waitSignal(job.done, timeout=5000) as heard:
        job.start(lambda: 1 / 0)
    assert isinstance(heard.args[0], ZeroDivisionError) and not job.busy
