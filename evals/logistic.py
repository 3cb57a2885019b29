"""Class-balanced, L2-regularised logistic regression, the one fit both fitted
models of the pipeline use (the second stage, answerability).

Plain gradient descent on standardised features: the sets are a few hundred
to a few thousand rows of a handful of features, and the fit must run where
the project runs, with numpy alone.
"""

from __future__ import annotations

import numpy as np

from assistant.settings import Logistic

L2 = 1.0
STEPS = 3000
RATE = 0.5


def fit(x: np.ndarray, y: np.ndarray) -> Logistic:
    """The model telling rows of `x` labelled 1 in `y` from those labelled 0,
    each class weighing as much as the other however many rows it has."""
    mu, sd = x.mean(axis=0), x.std(axis=0) + 1e-9
    z = (x - mu) / sd
    w, b = np.zeros(z.shape[1]), 0.0
    balance = np.where(y > 0, 0.5 / y.mean(), 0.5 / (1 - y.mean()))
    for _ in range(STEPS):
        error = (1 / (1 + np.exp(-(z @ w + b))) - y) * balance
        w -= RATE * (z.T @ error + L2 * w) / len(y)
        b -= RATE * float(error.mean())
    return Logistic(tuple(mu.round(6)), tuple(sd.round(6)), tuple(w.round(6)), round(b, 6))
