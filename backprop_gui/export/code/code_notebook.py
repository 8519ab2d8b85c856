"""Export as a Jupyter notebook: the NumPy script in cells, the network's diagram and the next step worked by hand."""

from __future__ import annotations

import base64

from ...engine import get_loss
from ...engine.activations import hidden_activation_text
from .code_numpy import NUMPY_FUNCTIONS, NUMPY_IMPORTS
from .code_template import SCRIPT_DATA, lesson_constants
from ..snapshot import LessonSnapshot

_PREDICT_CELL = """\
# The current network's prediction for every row of the table.
weights = [np.array(w, dtype=float) for w in WEIGHTS]
biases = [np.array(b, dtype=float) for b in BIASES]
y_hat = predict(weights, biases, scale(X))
for value in (y_hat.ravel() if LOSS == "categorical_cross_entropy" else y_hat[:, 0]):
    print(repr(float(value)))"""

_TRAIN_CELL = """\
# Train from the initial weights with the lesson's settings; print the last epoch's mean loss.
trained_weights = [np.array(w, dtype=float) for w in INITIAL_WEIGHTS]
trained_biases = [np.array(b, dtype=float) for b in INITIAL_BIASES]
losses = train(trained_weights, trained_biases, scale(X), Y)
print(repr(losses[-1]) if losses else "nan")"""


def notebook(snapshot: LessonSnapshot):
    """The lesson as a Jupyter notebook (an ``nbformat`` v4 node): the NumPy script in cells,
    with the network's diagram and the next step worked in the notes' notation."""
    import nbformat.v4 as nbf

    from ...engine.explain.render import network_svg, step_markdown

    sizes = "-".join(str(n) for n in snapshot.layer_sizes)
    s = snapshot.settings
    cells = [
        nbf.new_markdown_cell(
            f"# A Backprop GUI lesson: the {sizes} network\n\n"
            f"Inputs {', '.join(snapshot.input_names)}; target {snapshot.target_name}; {len(snapshot.values)} rows. "
            f"{hidden_activation_text(s.hidden_activation_choice).capitalize()} hidden neurons, a {s.output_activation} output, "
            f"the loss L = {get_loss(s.loss).formula}, η = {s.learning_rate!r}, "
            f"{s.epochs} epochs, {s.mode} updates, rows in {s.order} order, inputs scaled: {s.scaling}.\n\n"
            "Run the cells in order: the first define the lesson and the arithmetic, the next prints the current "
            "network's predictions, the last trains from the initial weights and prints the last epoch's mean loss."
        ),
        nbf.new_code_cell(NUMPY_IMPORTS.strip()),
        nbf.new_code_cell(lesson_constants(snapshot).strip()),
        nbf.new_code_cell(SCRIPT_DATA.strip()),
        nbf.new_code_cell(NUMPY_FUNCTIONS.strip()),
    ]
    svg = network_svg(snapshot.network(), snapshot.input_names, snapshot.target_name)
    diagram = nbf.new_markdown_cell(
        "## The network with its current weights\n\n![The network](attachment:network.svg)"
    )
    diagram["attachments"] = {"network.svg": {"image/svg+xml": base64.b64encode(svg.encode("utf-8")).decode("ascii")}}
    cells += [diagram, nbf.new_code_cell(_PREDICT_CELL)]
    explained = None
    if s.task == "multiclass":  # the step explainer does not work the softmax step yet: said, not left out silently
        cells.append(nbf.new_markdown_cell("The next step worked by hand is not written for a softmax output yet."))
    else:
        try:
            explained = snapshot.explainer(snapshot.next_step())
        except ValueError:
            explained = None
    if explained is not None:
        cells.append(nbf.new_markdown_cell("## The next step, worked by hand\n\n" + step_markdown(explained, heading_level=3)))
    cells += [
        nbf.new_markdown_cell("## Training from the initial weights"),
        nbf.new_code_cell(_TRAIN_CELL),
    ]
    book = nbf.new_notebook(cells=cells)
    book.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    book.metadata["language_info"] = {"name": "python"}
    return book


def notebook_text(snapshot: LessonSnapshot) -> str:
    import nbformat

    book = notebook(snapshot)
    nbformat.validate(book)
    return nbformat.writes(book)
