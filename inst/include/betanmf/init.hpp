// Starting factors.
//  - random: W and H uniform on (0, c) with c = 2 sqrt(mean(X) / r), so that
//    E[(WH)_ij] = mean(X); every draw is keyed by (seed, position) (rng.hpp).
//  - NNDSVD (Boutsidis & Gallopoulos 2008, Pattern Recognit 41:1350): the
//    positive or negative parts of the leading singular pairs of X, whichever
//    has the larger norm product. The singular pairs come from a randomized
//    subspace iteration (Halko, Martinsson & Tropp 2011, SIAM Rev 53:217,
//    algorithm 4.4) that only needs the products of products.hpp, so a sparse
//    X is never densified.
#pragma once

#include "products.hpp"
#include "rng.hpp"

#include <algorithm>
#include <armadillo>
#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <vector>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace betanmf {

// Streams of the counter-based generator, one per use.
enum RandomStream : std::uint64_t {
  stream_init_w = 1,
  stream_init_h = 2,
  stream_svd = 3,
};

// W (m x r) and H (r x n) uniform on (0, c).
inline void init_random(std::size_t m, std::size_t n, int r, double mean_x,
                        std::uint64_t seed, arma::mat &W, arma::mat &H) {
  const double c = 2.0 * std::sqrt(std::max(mean_x, 1e-300) / r);
  W.set_size(m, r);
  H.set_size(r, n);
  for (std::size_t t = 0; t < W.n_elem; ++t)
    W[t] = c * random_uniform(seed, stream_init_w, t);
  for (std::size_t t = 0; t < H.n_elem; ++t)
    H[t] = c * random_uniform(seed, stream_init_h, t);
}

namespace detail {
// Orthonormal basis of the columns of A (m x l), by a thin QR.
inline arma::mat orth(const arma::mat &A) {
  arma::mat Q, R;
  if (!arma::qr_econ(Q, R, A)) throw std::runtime_error("QR factorization failed");
  return Q;
}

// Yt (l x N) <- A^T Yt (A: l x k, k <= l; Yt keeps its first k rows), one
// column at a time, in parallel over columns (each column on its own, so
// the result does not depend on the thread count).
inline void left_multiply_t(const arma::mat &A, arma::mat &Yt, int threads) {
  const int l = static_cast<int>(A.n_rows), k = static_cast<int>(A.n_cols);
  const std::ptrdiff_t N = Yt.n_cols;
#pragma omp parallel num_threads(team(threads, double(N) * l * k))
  {
    std::vector<double> tmp(k);
#pragma omp for schedule(static)
    for (std::ptrdiff_t c = 0; c < N; ++c) {
      double *y = Yt.colptr(c);
      for (int j = 0; j < k; ++j) tmp[j] = dot(l, A.colptr(j), y);
      std::copy(tmp.begin(), tmp.end(), y);
    }
  }
}

// Q^T in place of Yt (l x N, l <= N): the orthonormal basis Q of the
// columns of Y = Yt^T, by CholeskyQR2 (Fukaya, Nakatsukasa, Yanagisawa &
// Yamamoto 2014, "CholeskyQR2: a simple and communication-avoiding
// algorithm for computing a tall-skinny QR factorization"): twice, the
// Gram matrix G = Yt Yt^T = R^T R and Yt <- R^-T Yt. It touches Yt alone
// (a Householder QR of Y needs Y, Q and their transposes, four l x N
// blocks at once, and runs in the reference LAPACK and BLAS, one thread)
// and is exact to rounding when the condition number of Y is below about
// 1e8. False where the first Cholesky factor shows a condition number
// above 1e6 (the sketch of data of lower rank) or a factorization fails;
// Yt then still spans the columns it spanned (as given, or after a pass).
inline bool cholesky_qr2(arma::mat &Yt, int threads) {
  for (int pass = 0; pass < 2; ++pass) {
    arma::mat G, R, Rinv;
    gram(Yt, G, threads);
    if (!arma::chol(R, G)) return false;
    const arma::vec d = arma::abs(R.diag());
    if (pass == 0 && !(d.min() > 1e-6 * d.max())) return false;
    if (!arma::inv(Rinv, arma::trimatu(R))) return false;
    left_multiply_t(Rinv, Yt, threads);  // (Y R^-1)^T = R^-T Yt
  }
  return true;
}

// Q^T (l x N) for the orthonormal basis Q of the columns of Y = Yt^T, with
// Yt released on the way: by CholeskyQR2 in place where it is exact,
// else by a Householder QR (at most two l x N blocks alive at once; a
// 100,000-row matrix at rank 20 has blocks of 24 MB).
inline arma::mat orth_t(arma::mat &Yt, int threads) {
  if (Yt.n_rows <= Yt.n_cols && cholesky_qr2(Yt, threads)) return std::move(Yt);
  arma::mat Y = Yt.t();
  Yt.reset();
  arma::mat Q = orth(Y);
  Y.reset();
  return Q.t();
}
}  // namespace detail

// Leading r singular triplets of X (m x n): U (m x r), s (r), V (n x r).
// Every block is released as soon as the next is formed, and the sketches
// are orthonormalized in place where CholeskyQR2 is exact, so the
// iteration mostly holds one m x l block beside the l x n ones. The products
// with a sparse X go through its columns (cross_h_unindexed()): the row
// index of the row passes is built by the solver, after the start.
template <class Mat>
void randomized_svd(const Mat &X, int r, std::uint64_t seed, int threads, arma::mat &U,
                    arma::vec &s, arma::mat &V, int power_iter = 2) {
  const int l = static_cast<int>(std::min<std::size_t>(r + 10, std::min(X.m, X.n)));
  arma::mat omega_t(l, X.n);  // Omega^T, l x n
  for (std::size_t t = 0; t < omega_t.n_elem; ++t)
    omega_t[t] = random_normal(seed, stream_svd, t);
  arma::mat yt, zt;
  cross_h_unindexed(X, omega_t, yt, threads);  // (X Omega)^T, l x m
  omega_t.reset();
  arma::mat qt = detail::orth_t(yt, threads);  // Q^T, l x m
  for (int q = 0; q < power_iter; ++q) {
    cross_w(X, qt, zt, threads);  // Q^T X, l x n
    qt.reset();
    const arma::mat ztt = detail::orth_t(zt, threads);
    cross_h_unindexed(X, ztt, yt, threads);  // (X Z)^T, l x m
    qt = detail::orth_t(yt, threads);
  }
  arma::mat B;
  cross_w(X, qt, B, threads);  // Q^T X, l x n
  arma::mat Ub, Vb;
  arma::vec sb;
  if (!arma::svd_econ(Ub, sb, Vb, B)) throw std::runtime_error("SVD failed");
  B.reset();
  // U = Q Ub_r, as (Ub_r^T Q^T)^T in the rows of qt
  detail::left_multiply_t(Ub.cols(0, r - 1), qt, threads);
  U = qt.rows(0, r - 1).t();
  qt.reset();
  s = sb.subvec(0, r - 1);
  V = Vb.cols(0, r - 1);
}

// Returns the heap memory freed so far to the system where the C library
// keeps it (glibc holds freed blocks of up to 32 MB for reuse): the
// NNDSVD start frees blocks of m x (rank + 10), and without this they
// would stay resident beside the row index and the solver's factors that
// come after them.
inline void release_freed_memory() {
#if defined(__GLIBC__)
  malloc_trim(0);
#endif
}

// Entries of an NNDSVD factor at most this fraction of the largest entry of
// their column (of W) or row (of H) count as zeros: they are rounding noise
// of the singular vectors (1e-17 where the exact vector has a zero), and a
// start that small at a positive datum would put the model at ~1e-33 there.
constexpr double nndsvd_zero = 0x1.0p-40;

// NNDSVD start. Zeros, and entries below nndsvd_zero times the largest of
// their line, are replaced by `fill` (0 keeps them; solvers with
// multiplicative updates need a positive fill, e.g. mean(X)).
template <class Mat>
void init_nndsvd(const Mat &X, int r, std::uint64_t seed, int threads, double fill,
                 arma::mat &W, arma::mat &H) {
  arma::mat U, V;
  arma::vec s;
  randomized_svd(X, r, seed, threads, U, s, V);
  W.zeros(X.m, r);
  H.zeros(r, X.n);
  for (int k = 0; k < r; ++k) {
    const arma::vec u = U.col(k), v = V.col(k);
    if (k == 0) {
      // Perron-Frobenius: the leading pair of a non-negative matrix has one sign.
      W.col(0) = std::sqrt(s[0]) * arma::abs(u);
      H.row(0) = std::sqrt(s[0]) * arma::abs(v).t();
      continue;
    }
    const arma::vec up = arma::clamp(u, 0.0, arma::datum::inf), un = arma::clamp(-u, 0.0, arma::datum::inf);
    const arma::vec vp = arma::clamp(v, 0.0, arma::datum::inf), vn = arma::clamp(-v, 0.0, arma::datum::inf);
    const double nup = arma::norm(up), nvp = arma::norm(vp);
    const double nun = arma::norm(un), nvn = arma::norm(vn);
    const double mp = nup * nvp, mn = nun * nvn;
    if (mp <= 0.0 && mn <= 0.0) continue;
    if (mp >= mn) {
      W.col(k) = std::sqrt(s[k] * mp) * up / nup;
      H.row(k) = (std::sqrt(s[k] * mp) * vp / nvp).t();
    } else {
      W.col(k) = std::sqrt(s[k] * mn) * un / nun;
      H.row(k) = (std::sqrt(s[k] * mn) * vn / nvn).t();
    }
  }
  if (fill > 0.0) {
    for (int k = 0; k < r; ++k) {
      const double wk = nndsvd_zero * W.col(k).max(), hk = nndsvd_zero * H.row(k).max();
      W.col(k).transform([=](double w) { return w > wk ? w : fill; });
      H.row(k).transform([=](double h) { return h > hk ? h : fill; });
    }
  }
}

}  // namespace betanmf
