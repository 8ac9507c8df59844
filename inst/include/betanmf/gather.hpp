// Access to one column or one row of the data as local buffers, the same way
// for a dense and a sparse matrix. The row-wise solvers (W updates) and the
// column-wise ones (H updates) then share one code path for both kinds of
// data: a dense row is a strided copy, a sparse row comes from the row index.
#pragma once

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

// Non-zeros of column j.
template <class T> void gather_col(const DenseOf<T> &X, std::size_t j, Entries &e) {
  e.clear();
  const auto *x = X.col(j);
  for (std::size_t i = 0; i < X.m; ++i)
    if (x[i] != 0.0) {
      e.idx.push_back(static_cast<int>(i));
      e.val.push_back(x[i]);
    }
}
template <class T> void gather_col(const SparseOf<T> &X, std::size_t j, Entries &e) {
  e.clear();
  for (int t = X.col_ptr[j]; t < X.col_ptr[j + 1]; ++t)
    if (X.values[t] != 0.0) {
      e.idx.push_back(X.row_idx[t]);
      e.val.push_back(X.values[t]);
    }
}

// Non-zeros of row i.
template <class T> void gather_row(const DenseOf<T> &X, std::size_t i, Entries &e) {
  e.clear();
  const auto *x = X.data + i;
  for (std::size_t j = 0; j < X.n; ++j)
    if (x[j * X.m] != 0.0) {
      e.idx.push_back(static_cast<int>(j));
      e.val.push_back(x[j * X.m]);
    }
}
template <class T> void gather_row(const SparseOf<T> &X, std::size_t i, Entries &e) {
  e.clear();
  const auto &R = X.rows();
  for (std::size_t t = R.ptr[i]; t < R.ptr[i + 1]; ++t)
    if (R.val[t] != 0.0) {
      e.idx.push_back(R.col[t]);
      e.val.push_back(R.val[t]);
    }
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
