"""CSV tables without Qt: what is accepted, and what each malformed file is told."""


import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backprop_gui.engine.limits import MAX_MAGNITUDE
from backprop_gui.files import MAX_CSV_BYTES, CsvError, read_csv_table, write_csv_table
from backprop_gui.files.csv_table import format_exact
from backprop_gui.files.resources import resource_path

NOTES = [[80, 8, 5], [60, 5, 3], [110, 7, 8]]


def write(tmp_path, content, name="table.csv"):
    path = tmp_path / name
    if isinstance(content, str):
        path.write_bytes(content.encode("utf-8"))
    else:
        path.write_bytes(content)
    return path


def refused(tmp_path, content) -> CsvError:
    with pytest.raises(CsvError) as caught:
        read_csv_table(write(tmp_path, content))
    return caught.value


# -- what is accepted ------------------------------------------------------
@pytest.mark.parametrize(
    "content",
    [
        "IQ,CGPA,Package (LPA)\n80,8,5\n60,5,3\n110,7,8\n",
        "IQ;CGPA;Package (LPA)\n80;8;5\n60;5;3\n110;7;8",
        "IQ\tCGPA\tPackage (LPA)\n80\t8\t5\n60\t5\t3\n110\t7\t8\n",
        "\ufeffIQ,CGPA,Package (LPA)\r\n80,8,5\r\n60,5,3\r\n110,7,8\r\n",
        '"IQ","CGPA","Package (LPA)"\n"80","8","5"\n60, 5 ,3\n\n110,7,8\n\n',
        "\n\nIQ,CGPA,Package (LPA)\n80,8,5\n60,5,3\n110,7,8\n,,\n,,\n",
        "IQ,CGPA,Package (LPA)\n80.0,8e0,5\n+60,5.000,3\n1.1e2,7,8\n",
    ],
    ids=["comma", "semicolon", "tab", "bom-crlf", "quoted-spaces-blank-line", "blank-lines-and-empty-rows", "number-forms"],
)
def test_the_notes_table_reads_in_every_accepted_form(tmp_path, content):
    table = read_csv_table(write(tmp_path, content))
    assert table.column_names == ["IQ", "CGPA", "Package (LPA)"]
    np.testing.assert_array_equal(table.values, NOTES)
    assert table.values.dtype == float


def test_quoted_names_may_hold_separators_quotes_and_line_breaks(tmp_path):
    table = read_csv_table(write(tmp_path, 'IQ,"Package, yearly ""LPA""","Mark\nout of 10"\n1,2,3\n'))
    assert table.column_names == ["IQ", 'Package, yearly "LPA"', "Mark out of 10"]
    np.testing.assert_array_equal(table.values, [[1, 2, 3]])


def test_an_unnamed_column_gets_a_name(tmp_path):
    assert read_csv_table(write(tmp_path, "IQ,,y\n1,2,3\n")).column_names == ["IQ", "Column 2", "y"]


def test_shipped_examples_read(tmp_path):
    for name in ("notes_example.csv", "placement.csv", "package_regression.csv"):
        table = read_csv_table(resource_path(name))
        assert table.n_columns == 3 and table.n_rows >= 3


# -- round trip --------------------------------------------------------------
def test_export_then_import_gives_the_same_numbers_and_names(tmp_path):
    rng = np.random.default_rng(1)
    values = np.column_stack([rng.normal(100, 15, 50), rng.uniform(0, 10, 50) / 3, rng.normal(0, 1e-9, 50)])
    values[0] = [80, 8, 5]
    names = ["IQ", "CGPA; of 10", 'Package "LPA", €']
    path = tmp_path / "out.csv"
    write_csv_table(path, names, values)
    table = read_csv_table(path)
    assert table.column_names == names
    assert np.array_equal(table.values, values)  # bit for bit
    assert path.read_text(encoding="utf-8").splitlines()[1] == "80,8,5"


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(min_value=-MAX_MAGNITUDE, max_value=MAX_MAGNITUDE), min_size=1, max_size=40))
def test_any_float_within_the_limit_survives_the_round_trip(tmp_path_factory, numbers):
    values = np.array(numbers + [0.0] * (len(numbers) % 2)).reshape(-1, 2)
    path = tmp_path_factory.mktemp("csv") / "round.csv"
    write_csv_table(path, ["x", "y"], values)
    assert np.array_equal(read_csv_table(path).values, values)


def test_format_exact_prints_integers_plainly():
    assert [format_exact(v) for v in (80.0, -3.0, 0.1, 1e-7, 1e22)] == ["80", "-3", "0.1", "1e-07", "1e+22"]


def test_export_refuses_non_finite_values(tmp_path):
    with pytest.raises(ValueError):
        write_csv_table(tmp_path / "x.csv", ["a", "b"], [[1.0, float("nan")]])
    assert not (tmp_path / "x.csv").exists()


# -- malformed files: each gives its message ---------------------------------
def test_ragged_row_names_its_line_and_the_header(tmp_path):
    error = refused(tmp_path, "IQ,CGPA,Package\n80,8,5\n60,5\n110,7,8\n")
    assert error.line == 3
    assert "line 3" in str(error) and "2 values" in str(error) and "3 columns" in str(error)


def test_a_row_too_long_is_ragged_too(tmp_path):
    error = refused(tmp_path, "IQ,CGPA,Package\n80,8,5,9\n")
    assert "line 2: 4 values" in str(error)


def test_non_numeric_cell_names_line_and_column(tmp_path):
    error = refused(tmp_path, "IQ,CGPA,Package\n80,8,5\n60,five,3\n")
    assert (error.line, error.column) == (3, 2)
    assert "line 3, column 2 (CGPA)" in str(error) and "“five” is not a number" in str(error)


def test_first_bad_cell_is_named_when_there_are_several(tmp_path):
    error = refused(tmp_path, "a,b\n1,2\n3,x\ny,4\n")
    assert (error.line, error.column) == (3, 2)


@pytest.mark.parametrize("cell", ["nan", "inf", "-Infinity", "1e999"])
def test_non_finite_cell_is_refused(tmp_path, cell):
    error = refused(tmp_path, f"a,b\n1,2\n3,{cell}\n")
    assert "line 3, column 2 (b)" in str(error) and "finite" in str(error)


def test_empty_cell_is_refused(tmp_path):
    error = refused(tmp_path, "a,b,c\n1,,3\n")
    assert "line 2, column 2 (b) is empty" in str(error)


def test_decimal_comma_gets_a_hint(tmp_path):
    error = refused(tmp_path, "IQ;CGPA;Package\n80;8,5;5\n")
    assert "line 2, column 2 (CGPA)" in str(error) and "8.5" in str(error)


def test_header_only_has_no_rows(tmp_path):
    error = refused(tmp_path, "IQ,CGPA,Package\n\n")
    assert "no rows" in str(error) and "line 1" in str(error)


@pytest.mark.parametrize("content", ["", "\n\n  \n", "\ufeff"])
def test_empty_file_is_refused(tmp_path, content):
    assert "empty" in str(refused(tmp_path, content))


def test_one_column_only_is_refused(tmp_path):
    error = refused(tmp_path, "Package\n5\n3\n")
    assert "only one column" in str(error) and "line 1" in str(error)


def test_a_table_without_a_header_row_is_refused(tmp_path):
    error = refused(tmp_path, "80,8,5\n60,5,3\n")
    assert "line 1" in str(error) and "header" in str(error)


def test_binary_junk_is_refused(tmp_path):
    junk = bytes(np.random.default_rng(0).integers(0, 256, 4096, dtype=np.uint8))
    error = refused(tmp_path, junk)
    assert "binary" in str(error) or "UTF-8" in str(error)
    assert error.line is not None


def test_an_image_is_refused_as_binary(tmp_path):
    error = refused(tmp_path, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    assert "binary" in str(error)


def test_text_that_is_not_utf8_names_the_line(tmp_path):
    error = refused(tmp_path, "Name,IQ\nx,1\n".encode() + "Zoë,2\n".encode("latin-1"))
    assert error.line == 3 and "UTF-8" in str(error)


def test_control_characters_are_refused_as_binary(tmp_path):
    error = refused(tmp_path, "a,b\n1,2\n\x01\x02,3\n")
    assert "line 3" in str(error) and "binary" in str(error)


def test_bad_quoting_names_the_line(tmp_path):
    error = refused(tmp_path, 'a,b\n1,2\n"3"x,4\n')
    assert "line 3" in str(error)


def test_a_file_over_the_limit_is_refused_before_reading(tmp_path, monkeypatch):
    path = tmp_path / "huge.csv"
    with open(path, "wb") as file:
        file.truncate(100 * 1024 * 1024)  # sparse: 100 MB on paper, nothing on disk
    import builtins

    opened = []
    real_open = builtins.open
    monkeypatch.setattr(builtins, "open", lambda file, *args, **kwargs: opened.append(file) or real_open(file, *args, **kwargs))
    with pytest.raises(CsvError) as caught:
        read_csv_table(path)
    monkeypatch.undo()
    assert opened == []  # refused by its size alone: never opened, let alone read
    assert "100 MB" in str(caught.value) and f"{MAX_CSV_BYTES // 2**20} MB" in str(caught.value)


def test_a_missing_file_is_a_csv_error(tmp_path):
    with pytest.raises(CsvError, match="Cannot read"):
        read_csv_table(tmp_path / "nowhere.csv")


def test_a_folder_is_a_csv_error(tmp_path):
    with pytest.raises(CsvError, match="Cannot read"):
        read_csv_table(tmp_path)


# -- size (how fast: benchmarks/run.py, figures 6 and 13) ------------------------------------------
def test_a_hundred_thousand_rows_import_exactly(tmp_path):
    rng = np.random.default_rng(0)
    values = np.column_stack([rng.normal(100, 15, 100_000), rng.uniform(5, 10, 100_000), rng.normal(6, 2, 100_000)])
    path = tmp_path / "big.csv"
    write_csv_table(path, ["IQ", "CGPA", "Package"], values)
    table = read_csv_table(path)
    assert np.array_equal(table.values, values)


# -- magnitude limit, and the fast path against the careful one -------------------------------
@pytest.mark.parametrize("cell", ["1e308", "-1e101", "2E+150"])
def test_a_value_beyond_the_limit_is_refused_naming_line_and_column(tmp_path, cell):
    error = refused(tmp_path, f"IQ,CGPA,Package\n80,8,5\n60,5,3\n{cell},7,8\n")
    assert error.line == 4 and error.column == 1
    assert f"line 4, column 1 (IQ): {cell} is too large (the limit is ±1e100)" in str(error)


def test_values_at_the_limit_are_accepted(tmp_path):
    path = tmp_path / "edge.csv"
    path.write_text("a,b\n1e100,-1e100\n", encoding="utf-8")
    assert read_csv_table(path).values.tolist() == [[1e100, -1e100]]


@pytest.mark.parametrize(
    "content",
    [
        "\ufeffIQ,CGPA,Package\r\n80,8,5\r\n60,5,3\r\n\r\n110,7,8\r\n",
        "\n\nIQ;CGPA;Package\n80;8;5\n 60 ; 5 ; 3 \n110;7;8",
        "IQ\tCGPA\tPackage\n80\t8\t5\n60\t5\t3\n110\t7\t8\n\n",
        '"I\nQ",CGPA,Package\n80,8,5\n60,5,3\n110,7,8\n',
    ],
)
def test_the_fast_reader_and_the_careful_one_agree(tmp_path, content):
    from backprop_gui.files.csv_table import parse_csv_text

    path = tmp_path / "t.csv"
    path.write_bytes(content.encode("utf-8"))
    fast = read_csv_table(path)
    careful = parse_csv_text(content.lstrip("\ufeff"), "t.csv")
    assert fast.column_names == careful.column_names
    assert fast.delimiter == careful.delimiter
    assert np.array_equal(fast.values, careful.values)


def test_a_table_takes_memory_in_proportion_to_its_file_not_to_the_largest_file_allowed(tmp_path):
    """Reading asked the operating system for MAX_CSV_BYTES (50 MB) whatever the file's size."""
    import tracemalloc

    path = tmp_path / "rows.csv"
    rows = "\n".join(f"{80 + i % 50},{6 + i % 4}.5,{3 + i % 7}" for i in range(20_000))
    path.write_text("IQ,CGPA,Package\n" + rows + "\n")
    tracemalloc.start()
    try:
        table = read_csv_table(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert table.n_rows == 20_000
    assert peak <= 8 * path.stat().st_size  # the table, the text and NumPy's reading buffers
    assert peak < MAX_CSV_BYTES / 20
