"""The compiled kernel's arithmetic on single numbers: its tanh, the activations from leaky ReLU
on, and the output layer's loss and delta. Plain Python until ``compiled_kernel.compile_steps``
compiles it with the kernel."""

from __future__ import annotations

import math

# tanh (below): Cephes' rational function for |v| < 0.625, and e^x as 2^k · e^r with the Taylor
# series of e^r to r¹³ (|r| ≤ ln2/2, so the series' error is below 1e-17 of e^r).
TANH_P = (-9.64399179425052238628e-1, -9.92877231001918586564e1, -1.61468768441708447952e3)
TANH_Q = (1.12811678491632931402e2, 2.23548839060100448583e3, 4.84406305325125486048e3)
LOG2_E = 1.4426950408889634
LN2_HIGH = 6.93145751953125e-1  # ln 2 = LN2_HIGH + LN2_LOW, LN2_HIGH with few bits: k·LN2_HIGH is exact
LN2_LOW = 1.42860682030941723212e-6
EXP_SERIES = tuple(1.0 / math.factorial(n) for n in range(14))

def tanh(v):
    """tanh to within one unit in the last place, in arithmetic only (no call into the C library),
    so that a loop over a block of rows compiles to vector instructions. np.tanh inside the
    kernel is the C library's, one number at a time: three quarters of a full batch's time.

    |v| < 0.625: v + v·z·P(z)/Q(z) with z = v²; otherwise ±(s − 1)/(s + 1) with s = e^(2|v|),
    |v| capped at 20, where tanh rounds to ±1. Both sides are computed and one is picked (no
    branch), which is what lets the loop vectorise.
    """
    a = abs(v)
    z = v * v
    x = 2.0 * (a if a < 20.0 else 20.0)
    k = math.floor(x * LOG2_E + 0.5)
    r = (x - k * LN2_HIGH) - k * LN2_LOW
    c = EXP_SERIES
    e_r = c[13]
    for n in range(12, -1, -1):
        e_r = e_r * r + c[n]
    # 2^k (0 ≤ k ≤ 58) exactly, as a product of powers of two.
    power = 1.0
    for bit in (32.0, 16.0, 8.0, 4.0, 2.0, 1.0):
        power = power * (2.0**bit) if k >= bit else power
        k = k - bit if k >= bit else k
    s = e_r * power
    small = a < 0.625
    p, q = TANH_P, TANH_Q
    numerator = v * z * ((p[0] * z + p[1]) * z + p[2]) if small else (s - 1.0 if v >= 0.0 else 1.0 - s)
    denominator = (((z + q[0]) * z + q[1]) * z + q[2]) if small else s + 1.0
    t = (v if small else 0.0) + numerator / denominator
    return v if (v != v or v == 0.0) else t  # NaN stays NaN, and ±0 keeps its sign

LEAKY_SLOPE = 0.01  # activations.py's LEAKY_SLOPE and SOFTPLUS_THRESHOLD (a test holds them equal)
SOFTPLUS_THRESHOLD = 20.0
SQRT_HALF = math.sqrt(0.5)
NORMAL_DENSITY = 1.0 / math.sqrt(2.0 * math.pi)


def activation_value(act, s):
    """f(s) of the activations numbered 4 to 8 (ACTIVATION_CODES), as activations.py computes them:
    leaky ReLU, ELU, softplus, GELU (exact, with erf), SiLU. The first four are written out in the
    passes themselves (vectorised loops); these go through here, a number at a time."""
    if act == 4:
        return s if s > 0.0 else LEAKY_SLOPE * s
    if act == 5:
        return s if s > 0.0 else math.expm1(s)
    if act == 6:
        return s if s > SOFTPLUS_THRESHOLD else math.log1p(math.exp(s))
    if act == 7:
        return s * 0.5 * (1.0 + math.erf(s * SQRT_HALF))
    return s / (1.0 + math.exp(-s))


def activation_slope(act, s):
    """f′(s) of the activations numbered 4 to 8, from the weighted sum s (activations.py's derivatives)."""
    if act == 4:
        return 1.0 if s > 0.0 else LEAKY_SLOPE
    if act == 5:
        return 1.0 if s > 0.0 else math.exp(s)
    if act == 6:
        e = math.exp(s if s < SOFTPLUS_THRESHOLD else SOFTPLUS_THRESHOLD)
        return 1.0 if s > SOFTPLUS_THRESHOLD else e / (e + 1.0)
    if act == 7:
        return 0.5 * (1.0 + math.erf(s * SQRT_HALF)) + s * (math.exp(-0.5 * s * s) * NORMAL_DENSITY)
    sigma = 1.0 / (1.0 + math.exp(-s))
    return sigma * (1.0 + s * (1.0 - sigma))


def loss_and_delta(loss_code, out_act, t, a, zj, count):
    """One output value's loss (losses.py's value) and its δ = ∂L/∂z with the batch mean's 1/count,
    for target t, output a and weighted sum zj: the output layer's share of the chain rule."""
    if loss_code == 1:  # cross-entropy from the logit: δ = (a − t), the sigmoid's slope cancelled
        return max(zj, 0.0) - t * zj + math.log1p(math.exp(-abs(zj))), (a - t) / count
    diff = t - a
    d = (-2.0 / count) * diff  # ∂L/∂ŷ of L = (y − ŷ)², then times f′(z) of the output activation
    if out_act == 1:
        d = d * (a * (1.0 - a))
    elif out_act == 2:
        d = d * (1.0 - a * a)
    elif out_act == 3:
        d = d * (1.0 if zj > 0.0 else 0.0)
    elif out_act >= 4:
        d = d * activation_slope(out_act, zj)
    return diff * diff, d


def softmax_loss_and_deltas(t, z, delta, count):
    """The categorical cross-entropy of one row and its δₖ = (ŷₖ − tₖ)/count for every output k,
    into delta, from the output layer's weighted sums z (one row's, any array indexed by k) and its
    one-hot target t: ŷₖ = e^(zₖ − m)/s with m the largest z and s = Σⱼ e^(zⱼ − m), and
    L = −Σₖ tₖ (zₖ − m − log s), the log-softmax. Returns L."""
    n_out = z.shape[0]
    m = z[0]
    for k in range(1, n_out):
        m = z[k] if z[k] > m else m
    s = 0.0
    for k in range(n_out):
        s += math.exp(z[k] - m)
    log_s = math.log(s)
    value = 0.0
    for k in range(n_out):
        shifted = z[k] - m
        value -= t[k] * (shifted - log_s)
        delta[k] = (math.exp(shifted) / s - t[k]) / count
    return value
