"""The update phase told with the optimizer's numbers: the rule in symbols, then the step's values.

For the notes' rule (sgd without penalties) ``explainer.py`` writes p ← p − η·∂L/∂p itself; for
the rest this module writes, for one parameter, g with the penalty's term, the running averages
and the new value, every number the engine's own (the step's ``UpdateTrace``).
"""

from __future__ import annotations

from ..notation import ParameterRef, format_number
from ..optimizers import UpdateTrace

number = format_number


def _factor(value: float) -> str:
    text = number(value)
    return f"({text})" if text.startswith("−") else text


def flat_index(layer_sizes, ref: ParameterRef) -> int:
    """Where ``ref`` sits in the flat layout (w¹ row by row, b₁, w², b₂, …)."""
    offset = 0
    for k, (n_in, n_out) in enumerate(zip(layer_sizes[:-1], layer_sizes[1:])):
        if k == ref.layer:
            return offset + (ref.i * n_out + ref.j if ref.kind == "w" else n_in * n_out + ref.i)
        offset += n_in * n_out + n_out
    raise ValueError(f"no parameter {ref.name} in layer sizes {list(layer_sizes)}")


def update_lines(trace: UpdateTrace, layer_sizes, ref: ParameterRef, before: float, after: float,
                 gradient: float, learning_rate: float) -> list[str]:  # fmt: skip
    """The update of one parameter by the trace's rule, in symbols and with the step's numbers."""
    rule, k, name = trace.rule, flat_index(layer_sizes, ref), ref.name
    g = float(trace.gradient[k])
    eta = _factor(learning_rate)
    lines = []
    if ref.kind == "w" and rule.regularised:
        terms, values = [f"∂L/∂{name}"], [_factor(gradient)]
        if rule.l2:
            terms.append(f"λ₂·{name}")
            values.append(f"{_factor(rule.l2)}·{_factor(before)}")
        if rule.l1:
            terms.append(f"λ₁·sign({name})")
            values.append(f"{_factor(rule.l1)}·{_factor(1.0 if before > 0 else -1.0 if before < 0 else 0.0)}")
        lines.append(f"g = {' + '.join(terms)} = {' + '.join(values)} = {number(g)}   (the penalty's term {number(float(trace.penalty[k]))})")
    else:
        lines.append(f"g = ∂L/∂{name} = {number(g)}")
    v, m, s = float(trace.v[k]), float(trace.m[k]), float(trace.s[k])
    v_old, m_old, s_old = (_factor(float(a[k])) for a in (trace.v_before, trace.m_before, trace.s_before))
    mu = _factor(rule.momentum)
    if rule.optimizer == "sgd":
        lines.append(f"{name} ← {name} − η·g = {_factor(before)} − {eta}·{_factor(g)} = {number(after)}")
    elif rule.optimizer in ("momentum", "nesterov"):
        lines.append(f"v ← μ·v + g = {mu}·{v_old} + {_factor(g)} = {number(v)}")
        if rule.optimizer == "momentum":
            lines.append(f"{name} ← {name} − η·v = {_factor(before)} − {eta}·{_factor(v)} = {number(after)}")
        else:
            lines.append(f"{name} ← {name} − η·(g + μ·v) = {_factor(before)} − {eta}·({_factor(g)} + {mu}·{_factor(v)}) = {number(after)}")
    elif rule.optimizer == "rmsprop":
        lines.append(f"s ← α·s + (1 − α)·g² = {_factor(rule.alpha)}·{s_old} + {number(1 - rule.alpha)}·{_factor(g)}² = {number(s)}")
        lines.append(f"{name} ← {name} − η·g / (√s + ε) = {_factor(before)} − {eta}·{_factor(g)} / (√{number(s)} + {number(rule.eps)}) = {number(after)}")
    else:
        b1, b2, t = rule.betas[0], rule.betas[1], trace.t
        m_hat, s_hat = float(trace.m_hat[k]), float(trace.s_hat[k])
        lines += [
            f"m ← β₁·m + (1 − β₁)·g = {number(b1)}·{m_old} + {number(1 - b1)}·{_factor(g)} = {number(m)}",
            f"s ← β₂·s + (1 − β₂)·g² = {number(b2)}·{s_old} + {number(1 - b2)}·{_factor(g)}² = {number(s)}",
            f"m̂ = m / (1 − β₁ᵗ) = {number(m)} / (1 − {number(b1)}^{t}) = {number(m_hat)}",
            f"ŝ = s / (1 − β₂ᵗ) = {number(s)} / (1 − {number(b2)}^{t}) = {number(s_hat)}   (t = {t})",
            f"{name} ← {name} − η·m̂ / (√ŝ + ε) = {_factor(before)} − {eta}·{_factor(m_hat)} / (√{number(s_hat)} + {number(rule.eps)}) = {number(after)}",
        ]
    return lines
