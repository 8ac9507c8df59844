#!/usr/bin/python3
"""Reference values of the beta-divergence from scikit-learn.

Writes two files next to this script, under fixtures/:

  sklearn_beta_divergence_matrices.csv
      case, matrix (X, W or H), row, col (1-based), value
  sklearn_beta_divergence.csv
      case, beta, input (dense or sparse), value
      value = sklearn.decomposition._nmf._beta_divergence(X, W, H, beta,
                                                          square_root=False)

test-beta_divergence-sklearn.R reads them and compares betanmf's
beta_divergence() with these numbers.

Run with Debian's interpreter (scikit-learn 1.2.1, numpy 1.24, scipy 1.10):

  cd tests/testthat && /usr/bin/python3 make_sklearn_reference.py

The matrices are fixed: small integers drawn from a seeded legacy
numpy RandomState (stable across numpy versions) and divided by a power of
two, so every entry is exact in binary floating point and the CSV text
parses to the same double in R and in Python.

Conventions of sklearn's _beta_divergence and how the cases avoid them:
  * beta = 2 returns ||X - WH||_F^2 / 2 (half the squared Frobenius norm),
    the same convention as betanmf.
  * For beta != 2, entries of X at or below EPSILON (float32 machine
    epsilon, about 1.2e-7) are dropped from the data terms, and entries of
    WH equal to zero are replaced by EPSILON. Here every non-zero entry of X
    is at least 1/8 and every entry of W and H is at least 1/8, so WH is
    strictly positive (at least rank/64) and no clipping ever happens; the
    script asserts both conditions.
  * For beta = 0 (and any beta <= 0) the divergence at a zero datum is
    infinite; sklearn would silently drop such entries (yet still count them
    in the "- n_entries" term), while betanmf refuses the input. The cases
    with beta <= 0 therefore use strictly positive X only.
  * Sparse X (scipy CSR) goes through sklearn's own sparse branches: the
    trace formula for beta = 2, the sum of WH for beta = 1 and a column loop
    for the other betas. For the strictly positive case the sparse matrix
    stores every entry.
"""

import csv
import os

import numpy as np
import scipy.sparse as sp
from sklearn.decomposition._nmf import EPSILON, _beta_divergence

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "fixtures")

BETAS_ZEROS = [0.5, 1.0, 1.5, 2.0, 3.0]
BETAS_POSITIVE = [-1.0, 0.0, 0.5, 1.0, 1.5, 2.0, 2.5, 3.0]


def factors(rng, m, n, r):
    """W (m x r) and H (r x n) with entries in {1/8, ..., 16/8}."""
    W = rng.randint(1, 17, size=(m, r)) / 8.0
    H = rng.randint(1, 17, size=(r, n)) / 8.0
    return W, H


def make_cases():
    rng = np.random.RandomState(20240517)
    cases = {}

    # 6 x 5 counts with zeros (quarter units), rank 2
    X = rng.poisson(3.0, size=(6, 5)) / 4.0
    X[rng.uniform(size=X.shape) < 0.25] = 0.0
    X[0, 0] = 0.0
    X[5, 4] = 2.5
    W, H = factors(rng, 6, 5, 2)
    cases["zeros_6x5"] = (X, W, H, BETAS_ZEROS)

    # 6 x 5 strictly positive, rank 2
    X = (1 + rng.randint(0, 24, size=(6, 5))) / 8.0
    W, H = factors(rng, 6, 5, 2)
    cases["positive_6x5"] = (X, W, H, BETAS_POSITIVE)

    # 8 x 7 with about half zeros, an all-zero row and column, rank 3
    X = rng.randint(1, 40, size=(8, 7)) / 4.0
    X[rng.uniform(size=X.shape) < 0.45] = 0.0
    X[2, :] = 0.0
    X[:, 5] = 0.0
    W, H = factors(rng, 8, 7, 3)
    cases["sparse_8x7"] = (X, W, H, BETAS_ZEROS)
    return cases


def check_no_clipping(X, W, H):
    WH = W @ H
    assert np.all(WH > 0.0) and WH.min() > 1e3 * EPSILON, "WH must be positive"
    nz = X[X != 0.0]
    assert np.all(nz > 1e3 * EPSILON), "non-zero X must stay far above EPSILON"
    assert np.all(X >= 0.0)


def main():
    os.makedirs(OUT, exist_ok=True)
    cases = make_cases()
    with open(os.path.join(OUT, "sklearn_beta_divergence_matrices.csv"), "w",
              newline="") as f:
        out = csv.writer(f, lineterminator="\n")
        out.writerow(["case", "matrix", "row", "col", "value"])
        for name, (X, W, H, _) in cases.items():
            for label, M in (("X", X), ("W", W), ("H", H)):
                for j in range(M.shape[1]):
                    for i in range(M.shape[0]):
                        out.writerow([name, label, i + 1, j + 1, repr(float(M[i, j]))])
    with open(os.path.join(OUT, "sklearn_beta_divergence.csv"), "w", newline="") as f:
        out = csv.writer(f, lineterminator="\n")
        out.writerow(["case", "beta", "input", "value"])
        for name, (X, W, H, betas) in cases.items():
            check_no_clipping(X, W, H)
            Xs = sp.csr_matrix(X)
            if np.all(X > 0):
                # every entry stored, as in R's dgCMatrix of a positive matrix
                assert Xs.nnz == X.size
            for beta in betas:
                for label, data in (("dense", X), ("sparse", Xs)):
                    value = _beta_divergence(data, W, H, beta, square_root=False)
                    value = float(value)
                    assert np.isfinite(value) and value > 0.0
                    out.writerow([name, repr(beta), label, repr(value)])


if __name__ == "__main__":
    main()
