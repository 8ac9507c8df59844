// Access to one column or one row of the data as local buffers, the same way
// for a dense and a sparse matrix. The row-wise solvers (W updates) and the
// column-wise ones (H updates) then share one code path for both kinds of
// data: a dense row is a strided copy, a sparse row comes from the row index.
#pragma once

#include "dispatch.hpp"
#include "matrix.hpp"

#include <algorithm>
#include <cstddef>
#include <vector>

namespace betanmf {

// The non-zero entries of a line (row or column) of X: positions and values.
struct Entries {
  std::vector<int> idx;
  std::vector<double> val;
  std::vector<double> w;  // observation weights at the entries (weights.hpp), when set
  void clear() {
    idx.clear();
    val.clear();
    w.clear();
  }
  [[nodiscard]] std::size_t size() const { return idx.size(); }
};

namespace detail {
// The non-zeros among `len` entries, the t-th at position pos(t) with value
// val(t), into e in order. Branch-free: every entry is written and the count
// moves on past the non-zeros only, since whether a count is zero is no
// more predictable than the data (a third of a dense count matrix).
template <class Pos, class Val>
BETANMF_ALWAYS_INLINE void gather_nonzeros(std::size_t len, Pos pos, Val val, Entries &e) {
  e.w.clear();
  e.idx.resize(len);
  e.val.resize(len);
  int *idx = e.idx.data();
  double *v = e.val.data();
  std::size_t n = 0;
  for (std::size_t t = 0; t < len; ++t) {
    const double x = val(t);
    idx[n] = pos(t);
    v[n] = x;
    n += static_cast<std::size_t>(x != 0.0);
  }
  e.idx.resize(n);
  e.val.resize(n);
}
}  // namespace detail

// Non-zeros of column j.
template <class T> void gather_col(const DenseOf<T> &X, std::size_t j, Entries &e) {
  const auto *x = X.col(j);
  detail::gather_nonzeros(
      X.m, [](std::size_t i) { return static_cast<int>(i); },
      [x](std::size_t i) { return static_cast<double>(x[i]); }, e);
}
template <class T> void gather_col(const SparseOf<T> &X, std::size_t j, Entries &e) {
  const std::size_t t0 = static_cast<std::size_t>(X.col_ptr[j]);
  const int *i = X.row_idx + t0;
  const T *x = X.values + t0;
  detail::gather_nonzeros(
      static_cast<std::size_t>(X.col_ptr[j + 1]) - t0, [i](std::size_t t) { return i[t]; },
      [x](std::size_t t) { return static_cast<double>(x[t]); }, e);
}

// Non-zeros of row i.
template <class T> void gather_row(const DenseOf<T> &X, std::size_t i, Entries &e) {
  const auto *x = X.data + i;
  const std::size_t m = X.m;
  detail::gather_nonzeros(
      X.n, [](std::size_t j) { return static_cast<int>(j); },
      [x, m](std::size_t j) { return static_cast<double>(x[j * m]); }, e);
}
template <class T> void gather_row(const SparseOf<T> &X, std::size_t i, Entries &e) {
  const auto &R = X.rows();
  const int *c = R.col.data() + R.ptr[i];
  R.with_values([&](const auto *val) {
    const auto *x = val + R.ptr[i];
    detail::gather_nonzeros(
        R.ptr[i + 1] - R.ptr[i], [c](std::size_t t) { return c[t]; },
        [x](std::size_t t) { return static_cast<double>(x[t]); }, e);
  });
}

// Column j as a full vector of length m (zeros written in).
template <class T> void dense_col(const DenseOf<T> &X, std::size_t j, std::vector<double> &out) {
  out.assign(X.col(j), X.col(j) + X.m);
}
template <class T> void dense_col(const SparseOf<T> &X, std::size_t j, std::vector<double> &out) {
  out.assign(X.m, 0.0);
  for (int t = X.col_ptr[j]; t < X.col_ptr[j + 1]; ++t) out[X.row_idx[t]] = X.values[t];
}

}  // namespace betanmf
