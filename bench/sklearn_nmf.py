"""Fit scikit-learn's NMF on a matrix written by bench_bcd.R and time it.

usage: python3 sklearn_nmf.py DIR RANK ITER THREADS SOLVER BETA_LOSS
DIR holds meta.txt ("dense m n" or "sparse m n nnz") and the binary arrays
(little-endian float64 / int32) that bench_bcd.R wrote. Writes W.bin (m x r,
column-major) and H.bin (r x n, column-major) and prints "seconds <s>".
"""
import sys
import time

import numpy as np
from scipy import sparse
from threadpoolctl import threadpool_limits
from sklearn.decomposition import NMF

d, rank, iters, threads, solver, beta_loss = sys.argv[1:7]
rank, iters, threads = int(rank), int(iters), int(threads)
try:
    beta_loss = float(beta_loss)
except ValueError:
    pass
meta = open(f"{d}/meta.txt").read().split()
m, n = int(meta[1]), int(meta[2])
if meta[0] == "dense":
    X = np.fromfile(f"{d}/x.bin", dtype="<f8").reshape((n, m)).T  # column-major
    X = np.ascontiguousarray(X)
else:
    x = np.fromfile(f"{d}/x.bin", dtype="<f8")
    i = np.fromfile(f"{d}/i.bin", dtype="<i4")
    p = np.fromfile(f"{d}/p.bin", dtype="<i4")
    X = sparse.csc_matrix((x, i, p), shape=(m, n)).tocsr()

with threadpool_limits(limits=threads):
    model = NMF(n_components=rank, solver=solver, beta_loss=beta_loss,
                init="nndsvda" if solver == "mu" else "nndsvd",
                max_iter=iters, tol=0.0, random_state=1)
    t0 = time.perf_counter()
    W = model.fit_transform(X)
    secs = time.perf_counter() - t0
H = model.components_
np.asfortranarray(W).T.ravel().astype("<f8").tofile(f"{d}/W.bin")
np.asfortranarray(H).T.ravel().astype("<f8").tofile(f"{d}/H.bin")
print(f"seconds {secs}")
print(f"iterations {model.n_iter_}")
