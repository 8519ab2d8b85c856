"""A run that starts before the compiled kernel is ready trains on the NumPy path and moves to the
kernel between two calls once it is loaded, with no seam: the same epoch losses and the same
final parameters as a run that had the kernel from its start (to the kernel's 1e-12 of the
NumPy path, tests/engine/test_engine_compiled.py), and the run never waits for the kernel.
No test here is timed: the moment the kernel becomes ready is simulated by the call count.
"""


import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backprop_gui.engine import Network, Trainer, jit_available, train
from backprop_gui.engine.compiled import backprop_compiled
from backprop_gui.engine.training.epochs import EpochChecks

pytestmark = pytest.mark.skipif(not jit_available(), reason="the compiled kernel is off: numba is not installed or BACKPROP_GUI_JIT=0")

TOLERANCE = 1e-12
"""The kernel's agreement with the NumPy path, relative to the largest value compared."""

SETTINGS = [
    dict(mode="sgd", order="random"),
    dict(mode="minibatch", batch_size=4, order="random", optimizer="adam"),
    dict(mode="batch", order="sequential", optimizer="momentum"),
    dict(mode="sgd", order="random", validation_rows=[0, 5, 9]),
]


def trainer(settings, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(23, 2))
    y = (X @ np.array([[1.5], [-0.5]])) + 0.1 * rng.normal(size=(23, 1))
    network = Network([2, 3, 1], hidden_activation="tanh", init="random", seed=seed)
    return Trainer(network, X, y, learning_rate=0.01, seed=seed, **settings)


def kernel_after(monkeypatch, calls: int) -> list[bool]:
    """Make the loaded kernel look not ready for the first ``calls`` calls of a run (the
    kernel loading elsewhere meanwhile); returns the record of which calls it ran."""
    backprop_compiled.warm_up()
    ready = backprop_compiled.run_epochs_if_ready
    ran: list[bool] = []

    def if_ready(*args, **options):
        if len(ran) < calls:
            ran.append(False)
            return False
        ran.append(ready(*args, **options))
        return ran[-1]

    monkeypatch.setattr(backprop_compiled, "run_epochs_if_ready", if_ready)
    return ran


def outcome(run_trainer, epochs, wait_for_kernel):
    losses = []

    def report(progress):
        losses.extend(progress.new_losses)
        return True

    result = train(run_trainer, epochs, report=report, convergence_tolerance=1e-9, patience=5, wait_for_kernel=wait_for_kernel)
    return result, np.array(losses), parameters(run_trainer), run_trainer.epoch, run_trainer.steps


def assert_close(a, b):
    a, b = np.asarray(a, float), np.asarray(b, float)
    assert a.shape == b.shape
    scale = max(float(np.max(np.abs(b), initial=0.0)), 1e-300)
    assert float(np.max(np.abs(a - b), initial=0.0)) <= TOLERANCE * scale


@settings(max_examples=12, deadline=None)
@given(which=st.sampled_from(range(len(SETTINGS))), numpy_calls=st.integers(1, 6), seed=st.integers(0, 2**16))
def test_a_run_that_gets_the_kernel_late_ends_as_one_that_had_it_throughout(which, numpy_calls, seed):
    with pytest.MonkeyPatch.context() as monkeypatch:
        ran = kernel_after(monkeypatch, numpy_calls)
        late = outcome(trainer(SETTINGS[which], seed), 300, wait_for_kernel=False)
    early = outcome(trainer(SETTINGS[which], seed), 300, wait_for_kernel=True)
    assert not any(ran[:numpy_calls])
    assert late[0].reason == early[0].reason and late[0].epochs_run == early[0].epochs_run
    assert late[3:] == early[3:]  # the same epoch and step counts
    assert_close(late[1], early[1])
    assert_close(late[2], early[2])
    assert all(ran[numpy_calls:])  # every call once the kernel was ready ran on it


@pytest.mark.parametrize("which", range(len(SETTINGS)))
@pytest.mark.parametrize("numpy_calls", [1, 5, 12])
def test_the_kernel_takes_over_in_the_middle_of_an_epoch_where_the_numpy_path_left_it(monkeypatch, which, numpy_calls):
    """Calls of 7 updates each (ending inside epochs and inside mini-batch epochs' orders): the
    first ones on the NumPy path, the rest on the kernel, against all of them on the kernel."""
    checks_late, checks_early = (EpochChecks(1e6, 1.0, 1e-12, 3) for _ in range(2))
    late, early = trainer(SETTINGS[which], 3), trainer(SETTINGS[which], 3)
    ran = kernel_after(monkeypatch, numpy_calls)
    losses_late, losses_early = [], []
    for _ in range(30):
        run_late = late.run_epochs(10, 7, None, checks_late, wait_for_kernel=False)
        run_early = early.run_epochs(10, 7, None, checks_early, wait_for_kernel=True)
        assert run_late.status == run_early.status and run_late.updates == run_early.updates
        losses_late.extend(run_late.losses)
        losses_early.extend(run_early.losses)
        if run_late.status != "done":
            break
    assert ran == [False] * numpy_calls + [True] * (len(ran) - numpy_calls) and len(ran) > numpy_calls
    assert (late.epoch, late.steps, late._next_batch) == (early.epoch, early.steps, early._next_batch)
    assert late._rng.bit_generator.state == early._rng.bit_generator.state
    assert_close(losses_late, losses_early)
    assert_close(parameters(late), parameters(early))


def parameters(run_trainer):
    network = run_trainer.network
    return np.concatenate([p.ravel() for p in network.weights + network.biases])


def test_a_run_never_waits_for_a_kernel_being_loaded(monkeypatch):
    """While another thread holds the kernel's lock (compiling or loading it), a run that does
    not wait trains on the NumPy path to its end and stops when asked: it never takes the lock."""
    monkeypatch.setattr(backprop_compiled, "_compiled_kernel", None)
    run_trainer = trainer(SETTINGS[0])
    with backprop_compiled._compiling:  # the loading thread, mid-load
        result = train(run_trainer, 50, wait_for_kernel=False)
        assert result.reason == "completed" and run_trainer.epoch == 50
        stop_flag = np.ones(1, np.int8)
        stopped = train(run_trainer, 10_000_000, wait_for_kernel=False, stop_flag=stop_flag)
        assert stopped.reason == "stopped" and stopped.epochs_run == 0


def test_loading_only_from_the_cache_never_compiles(monkeypatch):
    """load_kernel(may_compile=False) reads numba's cache and refuses to compile: with an empty
    cache it says so (KernelNotCached), and nothing is loaded."""
    pytest.importorskip("numba")
    monkeypatch.setattr(backprop_compiled, "_compiled_kernel", None)
    monkeypatch.setattr(backprop_compiled, "_dispatcher", None)

    def compiling_dispatcher():
        dispatcher = new_dispatcher()
        # A cache that has nothing: numba must compile, which load_kernel forbids.
        monkeypatch.setattr(dispatcher._cache, "load_overload", lambda *args: None)
        return dispatcher

    new_dispatcher = backprop_compiled._new_dispatcher
    monkeypatch.setattr(backprop_compiled, "_new_dispatcher", compiling_dispatcher)
    with pytest.raises(backprop_compiled.KernelNotCached):
        backprop_compiled.load_kernel(may_compile=False)
    assert not backprop_compiled.kernel_loaded()


def test_every_setting_of_the_app_runs_on_the_kernel_the_warm_up_compiled():
    """The warm-up compiles the kernel for one set of argument types: every run of a trainer must
    pass those types, or it would stay on the NumPy path (the app never compiles in its process)."""
    backprop_compiled.warm_up()
    for settings_of_run in SETTINGS + [dict(mode="minibatch", batch_size=32, order="sequential", optimizer="rmsprop")]:
        run = trainer(settings_of_run).run_epochs(2, wait_for_kernel=False)
        assert run.compiled, settings_of_run
    integers = Trainer(Network([2, 2, 1], init="ones"), [[80, 8], [60, 5]], [5, 3], learning_rate=1, order="sequential")
    assert integers.run_epochs(2, wait_for_kernel=False).compiled
