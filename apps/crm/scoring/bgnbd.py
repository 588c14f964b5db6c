"""P(alive) and expected purchases from a BG/NBD model (Fader, Hardie & Lee, 2005), in plain
Python: no numpy or scipy in the application.

Each customer is summarised by `x` (repeat purchases: distinct purchase days minus one), `t_x`
(weeks from the first purchase to the last) and `T` (weeks from the first purchase to the
date of the scores). The four parameters (r, α, a, b) maximise the model's log-likelihood
(Nelder–Mead on their logarithms), fitted on at most `SAMPLE_MAX` customers taken evenly by id,
with identical (x, t_x, T) grouped, so a fit takes a fraction of a second at any size.

**When**: only with at least `MIN_REPEAT_CUSTOMERS` (50) customers who bought more than once;
otherwise no estimate is given (the fields stay empty).

**Small brands, shrinkage**: with `n` repeat customers, each customer's figure is
`w · model + (1 − w) · mean`, where `mean` is the workspace's average of the model's figure
over its customers and `w = n / (n + SHRINK_PRIOR)` (`SHRINK_PRIOR` = 200 customers): 50 repeat
customers keep 20 % of their own figure, 2,000 keep 91 %. The fewer customers the fit rests on,
the closer every estimate stays to the workspace's average.

Both figures are **estimates** and are labelled so wherever they are shown. Under BG/NBD a
customer who bought once is alive with probability 1 until they buy again; shrinkage tempers it.
"""

import math
from collections import Counter
from dataclasses import dataclass

MIN_REPEAT_CUSTOMERS = 50
SAMPLE_MAX = 3000
SHRINK_PRIOR = 200
HORIZON_DAYS = 90
DAYS_PER_UNIT = 7.0  # the model's time unit: weeks


@dataclass(frozen=True)
class Params:
    r: float
    alpha: float
    a: float
    b: float


Summary = tuple[int, float, float]  # (x, t_x, T) in weeks


def _negative_loglik(params: Params, groups: list[tuple[Summary, int]]) -> float:
    r, alpha, a, b = params.r, params.alpha, params.a, params.b
    lg_r, lg_ab, lg_b = math.lgamma(r), math.lgamma(a + b), math.lgamma(b)
    total = 0.0
    for (x, t_x, big_t), count in groups:
        a1 = math.lgamma(r + x) - lg_r + r * math.log(alpha)
        a2 = lg_ab + math.lgamma(b + x) - lg_b - math.lgamma(a + b + x)
        a3 = -(r + x) * math.log(alpha + big_t)
        if x > 0:
            a4 = math.log(a) - math.log(b + x - 1) - (r + x) * math.log(alpha + t_x)
            high = max(a3, a4)
            tail = high + math.log(math.exp(a3 - high) + math.exp(a4 - high))
        else:
            tail = a3
        total += count * (a1 + a2 + tail)
    return -total


def _nelder_mead(function, start: list[float], *, iterations: int = 800, tolerance: float = 1e-8):
    """Minimise `function` over vectors; a plain Nelder–Mead (reflection, expansion, contraction, shrink)."""
    n = len(start)
    simplex = [list(start)]
    for i in range(n):
        point = list(start)
        point[i] += 0.5
        simplex.append(point)
    values = [function(point) for point in simplex]
    for _ in range(iterations):
        order = sorted(range(n + 1), key=values.__getitem__)
        simplex, values = [simplex[i] for i in order], [values[i] for i in order]
        if abs(values[-1] - values[0]) <= tolerance * (abs(values[0]) + tolerance):
            break
        centroid = [sum(point[i] for point in simplex[:-1]) / n for i in range(n)]
        worst = simplex[-1]
        reflected = [c + (c - w) for c, w in zip(centroid, worst, strict=True)]
        reflected_value = function(reflected)
        if reflected_value < values[0]:
            expanded = [c + 2 * (c - w) for c, w in zip(centroid, worst, strict=True)]
            expanded_value = function(expanded)
            if expanded_value < reflected_value:
                simplex[-1], values[-1] = expanded, expanded_value
            else:
                simplex[-1], values[-1] = reflected, reflected_value
        elif reflected_value < values[-2]:
            simplex[-1], values[-1] = reflected, reflected_value
        else:
            contracted = [c + 0.5 * (w - c) for c, w in zip(centroid, worst, strict=True)]
            contracted_value = function(contracted)
            if contracted_value < values[-1]:
                simplex[-1], values[-1] = contracted, contracted_value
            else:
                best = simplex[0]
                simplex = [best] + [
                    [b + 0.5 * (p - b) for b, p in zip(best, point, strict=True)] for point in simplex[1:]
                ]
                values = [values[0]] + [function(point) for point in simplex[1:]]
    best = min(range(n + 1), key=values.__getitem__)
    return simplex[best]


def fit(summaries: list[Summary]) -> Params | None:
    """The maximum-likelihood parameters, or None with fewer than MIN_REPEAT_CUSTOMERS repeat buyers."""
    if sum(1 for x, _t_x, _t in summaries if x > 0) < MIN_REPEAT_CUSTOMERS:
        return None
    if len(summaries) > SAMPLE_MAX:
        step = len(summaries) / SAMPLE_MAX
        summaries = [summaries[int(i * step)] for i in range(SAMPLE_MAX)]
    groups = list(Counter((x, round(t_x, 2), round(big_t, 2)) for x, t_x, big_t in summaries).items())
    mean_x = sum(x for x, _, _ in summaries) / len(summaries)
    mean_t = sum(big_t for _, _, big_t in summaries) / len(summaries)
    start = [0.0, math.log(max(mean_t, 1.0) / max(mean_x, 0.1)), 0.0, 0.0]

    def objective(logs: list[float]) -> float:
        if any(abs(value) > 30 for value in logs):
            return math.inf
        try:
            return _negative_loglik(Params(*(math.exp(value) for value in logs)), groups)
        except (ValueError, OverflowError):
            return math.inf

    best = _nelder_mead(objective, start)
    if not math.isfinite(objective(best)):
        return None
    return Params(*(math.exp(value) for value in best))


def p_alive(params: Params, x: int, t_x: float, big_t: float) -> float:
    if x == 0:
        return 1.0
    ratio = math.exp((params.r + x) * (math.log(params.alpha + big_t) - math.log(params.alpha + t_x)))
    return 1.0 / (1.0 + params.a / (params.b + x - 1) * ratio)


def _hyp2f1(a: float, b: float, c: float, z: float) -> float:
    """Gauss's hypergeometric function by its series (|z| < 1 here: z = t / (α + T + t))."""
    term, total = 1.0, 1.0
    for k in range(2000):
        term *= (a + k) * (b + k) / ((c + k) * (k + 1)) * z
        total += term
        if abs(term) < 1e-12 * abs(total):
            break
    return total


def expected_purchases(params: Params, x: int, t_x: float, big_t: float, t: float) -> float | None:
    """Expected purchases in the next `t` weeks given (x, t_x, T); None where the formula fails."""
    r, alpha, a, b = params.r, params.alpha, params.a, params.b
    if abs(a - 1) < 1e-6:
        return None
    z = t / (alpha + big_t + t)
    head = (a + b + x - 1) / (a - 1)
    power = math.exp((r + x) * (math.log(alpha + big_t) - math.log(alpha + big_t + t)))
    body = 1 - power * _hyp2f1(r + x, b + x, a + b + x - 1, z)
    denominator = 1.0
    if x > 0:
        denominator += a / (b + x - 1) * math.exp((r + x) * (math.log(alpha + big_t) - math.log(alpha + t_x)))
    value = head * body / denominator
    return value if math.isfinite(value) and value >= 0 else None


def estimates(rows: list[tuple[int, int, int, int]]) -> dict[int, tuple[float, float | None]]:
    """`{customer_id: (P(alive), expected purchases in HORIZON_DAYS)}` from rows of
    `(customer_id, x, t_x days, T days)`, shrunk towards the workspace's averages; empty when the
    history is too thin to fit."""
    summaries = [(x, t_x / DAYS_PER_UNIT, big_t / DAYS_PER_UNIT) for _, x, t_x, big_t in rows]
    params = fit(summaries)
    if params is None:
        return {}
    horizon = HORIZON_DAYS / DAYS_PER_UNIT
    cache: dict[Summary, tuple[float, float | None]] = {}
    raw = {}
    for (customer_id, *_), summary in zip(rows, summaries, strict=True):
        if summary not in cache:
            cache[summary] = (p_alive(params, *summary), expected_purchases(params, *summary, horizon))
        raw[customer_id] = cache[summary]
    repeaters = sum(1 for x, _, _ in summaries if x > 0)
    weight = repeaters / (repeaters + SHRINK_PRIOR)
    mean_alive = sum(alive for alive, _ in raw.values()) / len(raw)
    known = [expected for _, expected in raw.values() if expected is not None]
    mean_expected = sum(known) / len(known) if known else None
    return {
        customer_id: (
            weight * alive + (1 - weight) * mean_alive,
            None
            if expected is None or mean_expected is None
            else weight * expected + (1 - weight) * mean_expected,
        )
        for customer_id, (alive, expected) in raw.items()
    }
