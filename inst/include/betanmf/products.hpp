// The two products with the data that dominate every iteration:
//   cross_w(X, Wt) = W^T X   (r x n), with Wt = W^T given as r x m
//   cross_h(X, H)  = H X^T = (X H^T)^T   (r x m), with H given as r x n
// The outputs are stored with the rank along the contiguous dimension, so
// every inner loop is a length-r vector operation (kernels.hpp).
// Each output column is computed by one thread, in a fixed order: the results
// are bit-identical for any thread count. A sparse X is touched only through
// its non-zeros: O(nnz r) per product.
#pragma once

#include "kernels.hpp"
#include "matrix.hpp"
#include "panel.hpp"

#include <algorithm>
#include <armadillo>
#include <cstddef>

namespace betanmf {

// Dense W^T X: four columns of X at a time share each loaded column of Wt.
inline void cross_w(const DenseMatrix &X, const arma::mat &Wt, arma::mat &out,
                    int threads) {
  const int r = static_cast<int>(Wt.n_rows);
  const std::ptrdiff_t m = X.m, n = X.n, groups = n / 4;
  out.set_size(r, n);
  const double *wt = Wt.memptr();
#pragma omp parallel for schedule(static) num_threads(team(threads, entries(X) * r))
  for (std::ptrdiff_t g = 0; g < groups; ++g) {
    const std::ptrdiff_t j = 4 * g;
    panel::run({wt, r, X.col(j), m, 1, m,
                {out.colptr(j), out.colptr(j + 1), out.colptr(j + 2), out.colptr(j + 3)}});
  }
  for (std::ptrdiff_t j = 4 * groups; j < n; ++j) {  // the last n % 4 columns
    double *o = out.colptr(j);
    std::fill_n(o, r, 0.0);
    const double *x = X.col(j);
    for (std::ptrdiff_t i = 0; i < m; ++i) axpy(r, x[i], wt + i * r, o);
  }
}

// Dense H X^T: four rows of X at a time share each loaded column of H.
inline void cross_h(const DenseMatrix &X, const arma::mat &H, arma::mat &out,
                    int threads) {
  const int r = static_cast<int>(H.n_rows);
  const std::ptrdiff_t m = X.m, n = X.n, groups = m / 4;
  out.set_size(r, m);
  const double *h = H.memptr();
#pragma omp parallel for schedule(static) num_threads(team(threads, entries(X) * r))
  for (std::ptrdiff_t g = 0; g < groups; ++g) {
    const std::ptrdiff_t i = 4 * g;
    panel::run({h, r, X.data + i, 1, m, n,
                {out.colptr(i), out.colptr(i + 1), out.colptr(i + 2), out.colptr(i + 3)}});
  }
  for (std::ptrdiff_t i = 4 * groups; i < m; ++i) {  // the last m % 4 rows
    double *o = out.colptr(i);
    std::fill_n(o, r, 0.0);
    for (std::ptrdiff_t j = 0; j < n; ++j) axpy(r, X.col(j)[i], h + j * r, o);
  }
}

// Sparse W^T X: column j of the output gathers the rows of Wt at the
// non-zeros of column j of X.
inline void cross_w(const SparseMatrix &X, const arma::mat &Wt, arma::mat &out,
                    int threads) {
  const int r = static_cast<int>(Wt.n_rows);
  const std::ptrdiff_t n = X.n;
  out.zeros(r, n);
  const double *wt = Wt.memptr();
#pragma omp parallel for schedule(dynamic, 64) num_threads(team(threads, entries(X) * r))
  for (std::ptrdiff_t j = 0; j < n; ++j) {
    double *o = out.colptr(j);
    for (int t = X.col_ptr[j]; t < X.col_ptr[j + 1]; ++t)
      axpy(r, X.values[t], wt + static_cast<std::ptrdiff_t>(X.row_idx[t]) * r, o);
  }
}

// Sparse H X^T: column i of the output gathers the columns of H at the
// non-zeros of row i of X (through the row-major index).
inline void cross_h(const SparseMatrix &X, const arma::mat &H, arma::mat &out,
                    int threads) {
  const int r = static_cast<int>(H.n_rows);
  const std::ptrdiff_t m = X.m;
  out.zeros(r, m);
  const double *h = H.memptr();
  const RowIndex &R = X.rows();
#pragma omp parallel for schedule(dynamic, 64) num_threads(team(threads, entries(X) * r))
  for (std::ptrdiff_t i = 0; i < m; ++i) {
    double *o = out.colptr(i);
    for (std::size_t t = R.ptr[i]; t < R.ptr[i + 1]; ++t)
      axpy(r, R.val[t], h + static_cast<std::ptrdiff_t>(R.col[t]) * r, o);
  }
}

}  // namespace betanmf
