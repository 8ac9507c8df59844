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
#include "sparse_panel.hpp"

#include <algorithm>
#include <armadillo>
#include <type_traits>
#include <cstddef>

namespace betanmf {

// Dense W^T X: four columns of X at a time share each loaded column of Wt.
template <class T>
void cross_w(const DenseOf<T> &X, const arma::mat &Wt, arma::mat &out,
                    int threads) {
  const int r = static_cast<int>(Wt.n_rows);
  const std::ptrdiff_t m = X.m, n = X.n, groups = n / 4;
  out.set_size(r, n);
  const double *wt = Wt.memptr();
#pragma omp parallel for schedule(static) num_threads(team(threads, entries(X) * r))
  for (std::ptrdiff_t g = 0; g < groups; ++g) {
    const std::ptrdiff_t j = 4 * g;
    panel::run(panel::Args<T>{wt, r, X.col(j), m, 1, m,
                {out.colptr(j), out.colptr(j + 1), out.colptr(j + 2), out.colptr(j + 3)}});
  }
  for (std::ptrdiff_t j = 4 * groups; j < n; ++j)  // the last n % 4 columns
    panel::one(wt, r, X.col(j), 1, m, out.colptr(j));
}

// Dense H X^T: four rows of X at a time share each loaded column of H.
template <class T>
void cross_h(const DenseOf<T> &X, const arma::mat &H, arma::mat &out,
                    int threads) {
  const int r = static_cast<int>(H.n_rows);
  const std::ptrdiff_t m = X.m, n = X.n, groups = m / 4;
  out.set_size(r, m);
  const double *h = H.memptr();
#pragma omp parallel for schedule(static) num_threads(team(threads, entries(X) * r))
  for (std::ptrdiff_t g = 0; g < groups; ++g) {
    const std::ptrdiff_t i = 4 * g;
    // successive steps are columns of X, m apart: fetched ahead
    panel::run(panel::Args<T>{h, r, X.data + i, 1, m, n,
                {out.colptr(i), out.colptr(i + 1), out.colptr(i + 2), out.colptr(i + 3)},
                32});
  }
  for (std::ptrdiff_t i = 4 * groups; i < m; ++i)  // the last m % 4 rows
    panel::one(h, r, X.data + i, m, n, out.colptr(i));
}

// Sparse W^T X: column j of the output gathers the rows of Wt at the
// non-zeros of column j of X, two columns at a time (sparse_panel.hpp).
template <class T>
void cross_w(const SparseOf<T> &X, const arma::mat &Wt, arma::mat &out,
                    int threads) {
  const int r = static_cast<int>(Wt.n_rows);
  const std::ptrdiff_t n = X.n, pairs = (n + 1) / 2;
  out.set_size(r, n);
  const double *wt = Wt.memptr();
  auto line = [&](std::ptrdiff_t j) {
    const int t0 = X.col_ptr[j];
    return sparse_panel::LineOf<T>{X.row_idx + t0, X.values + t0,
                              static_cast<std::size_t>(X.col_ptr[j + 1] - t0), out.colptr(j)};
  };
#pragma omp parallel for schedule(dynamic, 32) num_threads(team(threads, entries(X) * r))
  for (std::ptrdiff_t p = 0; p < pairs; ++p) {
    const std::ptrdiff_t j = 2 * p;
    if (j + 1 < n) sparse_panel::pair(wt, r, line(j), line(j + 1));
    else sparse_panel::pair(wt, r, line(j), sparse_panel::LineOf<T>{nullptr, nullptr, 0, nullptr});
  }
}

// Sparse H X^T: column i of the output gathers the columns of H at the
// non-zeros of row i of X (through the row-major index), two rows at a time.
template <class T>
void cross_h(const SparseOf<T> &X, const arma::mat &H, arma::mat &out,
                    int threads) {
  const int r = static_cast<int>(H.n_rows);
  const std::ptrdiff_t m = X.m, pairs = (m + 1) / 2;
  out.set_size(r, m);
  const double *h = H.memptr();
  const auto &R = X.rows(threads);
  R.with_values([&](const auto *val) {
    using V = std::remove_cv_t<std::remove_pointer_t<decltype(val)>>;
    auto line = [&](std::ptrdiff_t i) {
      const std::size_t t0 = R.ptr[i];
      return sparse_panel::LineOf<V>{R.col.data() + t0, val + t0, R.ptr[i + 1] - t0,
                                     out.colptr(i)};
    };
#pragma omp parallel for schedule(dynamic, 32) num_threads(team(threads, entries(X) * r))
    for (std::ptrdiff_t p = 0; p < pairs; ++p) {
      const std::ptrdiff_t i = 2 * p;
      if (i + 1 < m) sparse_panel::pair(h, r, line(i), line(i + 1));
      else sparse_panel::pair(h, r, line(i), sparse_panel::LineOf<V>{nullptr, nullptr, 0, nullptr});
    }
  });
}

namespace detail {
// Rows [lo, hi) of sparse H X^T through the columns of X: column i of out
// gathers x_ij H.col(j) over the non-zeros of row i in the order of j, as
// cross_h() does through the row index (the same sums, bit for bit).
template <class T>
BETANMF_ALWAYS_INLINE void cross_h_rows_body(const SparseOf<T> &X, const arma::mat &H,
                                             arma::mat &out, std::size_t lo, std::size_t hi) {
  const int r = static_cast<int>(H.n_rows);
  for (std::size_t i = lo; i < hi; ++i) std::fill_n(out.colptr(i), r, 0.0);
  // rows ascend within a column (a dgCMatrix), so the range's entries of a
  // column are one run, found by bisection
  const int ilo = static_cast<int>(lo), ihi = static_cast<int>(hi);
  for (std::size_t j = 0; j < X.n; ++j) {
    const double *h = H.colptr(j);
    const int *first = X.row_idx + X.col_ptr[j], *last = X.row_idx + X.col_ptr[j + 1];
    const int *a = std::lower_bound(first, last, ilo), *b = std::lower_bound(a, last, ihi);
    for (const int *p = a; p < b; ++p)
      axpy(r, static_cast<double>(X.values[p - X.row_idx]), h, out.colptr(*p));
  }
}
template <class T>
void cross_h_rows_base(const SparseOf<T> &X, const arma::mat &H, arma::mat &out,
                       std::size_t lo, std::size_t hi) {
  cross_h_rows_body(X, H, out, lo, hi);
}
template <class T>
BETANMF_TARGET_AVX2 void cross_h_rows_avx2(const SparseOf<T> &X, const arma::mat &H,
                                           arma::mat &out, std::size_t lo, std::size_t hi) {
  cross_h_rows_body(X, H, out, lo, hi);
}
}  // namespace detail

// H X^T for a pass made before the row passes begin (the sketches of the
// NNDSVD start): a dense X as cross_h(); a sparse X through its columns,
// without the row index, so that the start's blocks and the index are never
// alive at once (a 12- or 8-byte copy per non-zero, built by the solver's
// first row pass). Each thread takes a range of rows and scans every column
// for them: the same sums as cross_h(), for any thread count, at the cost
// of two bisections per column and thread.
template <class T>
void cross_h_unindexed(const DenseOf<T> &X, const arma::mat &H, arma::mat &out, int threads) {
  cross_h(X, H, out, threads);
}
template <class T>
void cross_h_unindexed(const SparseOf<T> &X, const arma::mat &H, arma::mat &out, int threads) {
  const std::size_t m = X.m;
  out.set_size(H.n_rows, m);
  const int teams = team(threads, entries(X) * H.n_rows);
  const auto part = isa_choice(&detail::cross_h_rows_base<T>, &detail::cross_h_rows_avx2<T>);
#pragma omp parallel for schedule(static) num_threads(teams)
  for (int b = 0; b < teams; ++b)
    part(X, H, out, m * b / teams, m * (b + 1) / teams);
}

}  // namespace betanmf
