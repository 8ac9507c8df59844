// The beta-divergence d_beta(x | y) of Fevotte & Idier (2011, Neural Comput
// 23:2421, eq. 2), element-wise and summed over a factorization:
//   beta = 2:  (x - y)^2 / 2                       (half squared error)
//   beta = 1:  x log(x / y) - x + y                (generalized Kullback-Leibler)
//   beta = 0:  x / y - log(x / y) - 1              (Itakura-Saito)
//   else:      (x^b + (b - 1) y^b - b x y^(b-1)) / (b (b - 1))
// with the limits at x = 0: y^b / b for b > 0 (so y for KL), +Inf for b <= 0.
// Sums are taken exactly: for a sparse X the zeros enter through closed forms
// (beta = 1: the total of WH; beta = 2: Gram matrices; other beta > 0: a
// streamed pass over columns, O(m) memory per thread), never by densifying.
#pragma once

#include "gather.hpp"
#include "kernels.hpp"
#include "matrix.hpp"
#include "stats.hpp"
#include "weights.hpp"

#include <algorithm>
#include <armadillo>
#include <cmath>
#include <limits>
#include <vector>

namespace betanmf {

// d_beta(x | y) for one pair; x >= 0, y >= 0.
[[nodiscard]] inline double beta_div(double x, double y, double beta) {
  const double inf = std::numeric_limits<double>::infinity();
  if (x == y) return 0.0;  // exact, where the formulas below round to +-1e-16
  if (beta == 2.0) return 0.5 * (x - y) * (x - y);
  if (beta == 1.0) {
    if (x == 0.0) return y;
    if (y <= 0.0) return inf;
    return std::max(0.0, x * std::log(x / y) - x + y);
  }
  if (beta == 0.0) {
    if (x <= 0.0 || y <= 0.0) return (x == 0.0 && y == 0.0) ? 0.0 : inf;
    return std::max(0.0, x / y - std::log(x / y) - 1.0);
  }
  if (x == 0.0) return beta > 0.0 ? std::pow(y, beta) / beta : (y == 0.0 ? 0.0 : inf);
  if (y <= 0.0) return beta > 1.0 ? std::pow(x, beta) / (beta * (beta - 1.0)) : inf;
  // common betas without pow(): the same formula with square roots and products
  if (beta == 0.5) {
    const double sx = std::sqrt(x), sy = std::sqrt(y);
    return std::max(0.0, -4.0 * (sx - 0.5 * sy - 0.5 * x / sy));
  }
  if (beta == 1.5) {
    const double sx = std::sqrt(x), sy = std::sqrt(y);
    return std::max(0.0, (x * sx + 0.5 * y * sy - 1.5 * x * sy) / 0.75);
  }
  if (beta == 3.0) return std::max(0.0, (x * x * x + 2.0 * y * y * y - 3.0 * x * y * y) / 6.0);
  // a divergence is never negative; the formula can round to -1e-15 at x = y
  return std::max(0.0, (std::pow(x, beta) + (beta - 1.0) * std::pow(y, beta) -
                        beta * x * std::pow(y, beta - 1.0)) /
                           (beta * (beta - 1.0)));
}

// out[t] = d_beta(x[t] | y[t]) for t < size: the element-wise form behind
// beta_divergence() and the deviance residuals in R.
inline void beta_div_each(const double *x, const double *y, std::size_t size, double beta,
                          double *out) {
  for (std::size_t t = 0; t < size; ++t) out[t] = beta_div(x[t], y[t], beta);
}

// sum_ij d_beta(X_ij | (W H)_ij) for a dense X (m x n), Wt = W^T (r x m), H (r x n).
inline double divergence(const DenseMatrix &X, const arma::mat &Wt, const arma::mat &H,
                         double beta, int threads, double y_floor = 0.0) {
  const int r = static_cast<int>(Wt.n_rows);
  const std::ptrdiff_t m = X.m, n = X.n;
  std::vector<double> per_col(n, 0.0);
#pragma omp parallel for schedule(static) num_threads(team(threads, entries(X) * r))
  for (std::ptrdiff_t j = 0; j < n; ++j) {
    const double *x = X.col(j), *h = H.colptr(j);
    double s = 0.0;
    for (std::ptrdiff_t i = 0; i < m; ++i)
      s += beta_div(x[i], std::max(y_floor, dot(r, Wt.colptr(i), h)), beta);
    per_col[j] = s;
  }
  return detail::ordered_sum(per_col);
}

// The same for a sparse X, visiting the zeros only through closed forms.
inline double divergence(const SparseMatrix &X, const arma::mat &Wt, const arma::mat &H,
                         double beta, int threads, double y_floor = 0.0) {
  const int r = static_cast<int>(Wt.n_rows);
  const std::ptrdiff_t m = X.m, n = X.n;
  std::vector<double> per_col(n, 0.0);
  if (beta <= 0.0) {
    // A zero datum makes the divergence infinite; with every entry stored,
    // the non-zeros are all the terms.
    if (X.nnz() < X.m * X.n) return std::numeric_limits<double>::infinity();
#pragma omp parallel for schedule(dynamic, 64) num_threads(team(threads, entries(X) * r))
    for (std::ptrdiff_t j = 0; j < n; ++j) {
      double s = 0.0;
      for (int t = X.col_ptr[j]; t < X.col_ptr[j + 1]; ++t)
        s += beta_div(X.values[t],
                      std::max(y_floor, dot(r, Wt.colptr(X.row_idx[t]), H.colptr(j))), beta);
      per_col[j] = s;
    }
    return detail::ordered_sum(per_col);
  }
  if (beta == 1.0 || beta == 2.0) {
    // Non-zero terms minus what a zero would contribute there; the zeros'
    // contribution over all entries is added below in closed form.
#pragma omp parallel for schedule(dynamic, 64) num_threads(team(threads, entries(X) * r))
    for (std::ptrdiff_t j = 0; j < n; ++j) {
      const double *h = H.colptr(j);
      double s = 0.0;
      for (int t = X.col_ptr[j]; t < X.col_ptr[j + 1]; ++t) {
        const double x = X.values[t];
        const double y = dot(r, Wt.colptr(X.row_idx[t]), h);
        s += beta_div(x, std::max(y_floor, y), beta) - beta_div(0.0, y, beta);
      }
      per_col[j] = s;
    }
    double zeros = 0.0;
    if (beta == 1.0) {
      // sum_ij (WH)_ij = sum_k (sum_i W_ik)(sum_j H_kj)
      const arma::vec ws = arma::sum(Wt, 1), hs = arma::sum(H, 1);
      zeros = arma::dot(ws, hs);
    } else {
      // sum_ij (WH)_ij^2 / 2 = tr(W^T W H H^T) / 2
      arma::mat gw, gh;
      gram(Wt, gw);
      gram(H, gh);
      zeros = 0.5 * frob_dot(gw, gh);
    }
    return detail::ordered_sum(per_col) + zeros;
  }
  // Any other beta > 0: stream over columns; y^b / b for every entry, then
  // correct at the non-zeros.
#pragma omp parallel for schedule(dynamic, 16) num_threads(team(threads, entries(X) * r + double(m) * n * r))
  for (std::ptrdiff_t j = 0; j < n; ++j) {
    const double *h = H.colptr(j);
    double s = 0.0;
    for (std::ptrdiff_t i = 0; i < m; ++i) s += beta_div(0.0, dot(r, Wt.colptr(i), h), beta);
    for (int t = X.col_ptr[j]; t < X.col_ptr[j + 1]; ++t) {
      const double y = dot(r, Wt.colptr(X.row_idx[t]), h);
      s += beta_div(X.values[t], std::max(y_floor, y), beta) - beta_div(0.0, y, beta);
    }
    per_col[j] = s;
  }
  return detail::ordered_sum(per_col);
}

// sum_ij w_ij d_beta(X_ij | (WH)_ij) under observation weights (weights.hpp).
// For beta > 0: base times the plain sum plus delta d_beta at the listed
// entries. For beta <= 0 every entry of positive weight is visited (zeros
// of X may sit under zero weights there).
// Model values below y_floor are raised to it at the listed entries and for
// beta <= 0 (cross-validation scores held-out entries this way, so that an
// exact zero of the model at a positive datum is a large, finite error).
template <class Mat>
double divergence(const Mat &X, const arma::mat &Wt, const arma::mat &H, double beta,
                  int threads, const Weights &wts, double y_floor = 0.0) {
  if (wts.trivial()) return divergence(X, Wt, H, beta, threads, y_floor);
  const int r = static_cast<int>(Wt.n_rows);
  const std::ptrdiff_t n = X.n;
  std::vector<double> per_col(n, 0.0);
  if (beta > 0.0) {
    const double plain =
        wts.base == 0.0 ? 0.0 : wts.base * divergence(X, Wt, H, beta, threads, y_floor);
#pragma omp parallel num_threads(team(threads, double(wts.col_delta.size()) * r + n))
    {
      std::vector<WeightedEntry> list;
#pragma omp for schedule(dynamic, 64)
      for (std::ptrdiff_t j = 0; j < n; ++j) {
        gather_weights(X, wts, true, j, list);
        double s = 0.0;
        for (const WeightedEntry &e : list)
          s += e.delta *
               beta_div(e.x, std::max(y_floor, dot(r, Wt.colptr(e.idx), H.colptr(j))), beta);
        per_col[j] = s;
      }
    }
    return plain + detail::ordered_sum(per_col);
  }
#pragma omp parallel num_threads(team(threads, double(X.m) * X.n * r))
  {
    std::vector<double> line, wline;
#pragma omp for schedule(dynamic, 16)
    for (std::ptrdiff_t j = 0; j < n; ++j) {
      dense_col(X, j, line);
      dense_weights(wts, true, j, X.m, wline);
      double s = 0.0;
      for (std::size_t i = 0; i < X.m; ++i)
        if (wline[i] != 0.0)
          s += wline[i] *
               beta_div(line[i], std::max(y_floor, dot(r, Wt.colptr(i), H.colptr(j))), beta);
      per_col[j] = s;
    }
  }
  return detail::ordered_sum(per_col);
}

}  // namespace betanmf
