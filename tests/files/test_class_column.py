"""The class column of the multi-class task: what it accepts, and one clear message for what it refuses."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backprop_gui.files.class_column import MAX_CLASSES, ClassColumnError, read_class_column


@settings(max_examples=50, deadline=None)
@given(k=st.integers(2, MAX_CLASSES), data=st.data())
def test_whole_numbers_are_classes_and_one_hot_rows_round_trip(k, data):
    labels = data.draw(st.lists(st.integers(0, k - 1), min_size=2, max_size=30).filter(lambda xs: len(set(xs)) >= 2 and max(xs) == k - 1))
    column = read_class_column([str(v) for v in labels])
    assert column.n_classes == k and column.names == tuple(str(i) for i in range(k))
    assert list(column.labels) == labels
    assert np.array_equal(column.one_hot().argmax(axis=1), labels)
    assert list(column.counts()) == [labels.count(i) for i in range(k)]
    assert list(read_class_column([float(v) for v in labels]).labels) == labels


def test_text_labels_are_sorted_into_classes():
    column = read_class_column(["setosa", " virginica", "versicolor", "setosa"])
    assert column.names == ("setosa", "versicolor", "virginica")
    assert list(column.labels) == [0, 2, 1, 0]


@pytest.mark.parametrize(
    "cells, message",
    [
        (["a", "a", "a"], "one class only"),
        (["1", "1"], "one class only"),
        ([str(i) for i in range(11)], "at most 10"),
        ([f"c{i}" for i in range(11)], "11 classes"),
        (["a", "", "b"], "blank in row 2"),
        (["0", "nan", "1"], "blank in row 2"),
        (["5.2", "3.1", "8.0"], "Choose Regression"),
        (["0", "-1", "1"], "measurement rather than a class"),
        ([], "no rows"),
    ],
)
def test_bad_columns_are_refused_with_one_message(cells, message):
    with pytest.raises(ClassColumnError, match=message):
        read_class_column(cells, "Species")


def test_the_three_class_example_is_its_generator_s_and_a_softmax_network_learns_it():
    import importlib.util
    from pathlib import Path

    from backprop_gui.engine import Network, Trainer
    from backprop_gui.files import read_csv_table
    from backprop_gui.files.resources import resource_path

    tools = Path(__file__).resolve().parents[2] / "tools" / "make_examples.py"
    spec = importlib.util.spec_from_file_location("make_examples", tools)
    make_examples = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(make_examples)
    table = read_csv_table(resource_path("three_classes.csv"))
    assert np.array_equal(table.values, make_examples.three_classes(np.random.default_rng(29)))
    column = read_class_column(table.values[:, -1], table.column_names[-1])
    assert column.n_classes == 3 and list(column.counts()) == [3, 3, 3]
    trainer = Trainer(Network([2, 3, 3], "tanh", "softmax", init="xavier", seed=1), table.values[:, :2], column.labels,
                      learning_rate=0.5, loss="categorical_cross_entropy", mode="batch")  # fmt: skip
    first = trainer.step().loss
    for _ in range(300):
        last = trainer.step().loss
    assert first > np.log(3) / 2 and last < first / 10
    assert np.array_equal(trainer.network.predict(table.values[:, :2]).argmax(axis=1), column.labels)
