// The two kinds of data matrix the solvers accept, behind one interface.
//
// DenseOf<T>: a non-owning view of a column-major m x n array (an R numeric
//   matrix or an arma::mat, read without a copy).
// SparseOf<T>: a non-owning view of a compressed-sparse-column matrix (the
//   i, p, x slots of a Matrix::dgCMatrix), plus a row-major index of the same
//   non-zeros (O(nnz) extra memory) built when a pass first reads X along its
//   rows, so that both products X H^T and W^T X run in parallel over rows
//   and columns without reductions across threads, which keeps results
//   independent of the thread count.
//
// The stored values are doubles (DenseMatrix, SparseMatrix) or, for
// precision = "float", floats (DenseFloat, SparseFloat): the values are read
// as doubles and every sum runs in double, so a float view is the exact
// fit of the data rounded to float once, at half the bytes per value.
//
// The solvers are templates over these types; what differs between them
// (the two products with the data and the visit of its entries) lives in
// products.hpp and divergence.hpp.
#pragma once

#include <armadillo>
#include <cstddef>
#include <mutex>
#include <stdexcept>
#include <vector>

namespace betanmf {

template <class T> struct DenseOf {
  using value_type = T;
  static constexpr bool is_sparse = false;
  const T *data = nullptr;
  std::size_t m = 0, n = 0;

  DenseOf(const T *x, std::size_t n_rows, std::size_t n_cols) : data(x), m(n_rows), n(n_cols) {}
  explicit DenseOf(const arma::Mat<T> &X) : data(X.memptr()), m(X.n_rows), n(X.n_cols) {}

  [[nodiscard]] const T *col(std::size_t j) const { return data + j * m; }
};
using DenseMatrix = DenseOf<double>;
using DenseFloat = DenseOf<float>;

// The non-zeros of a sparse matrix in row-major order: row i holds
// ptr[i] .. ptr[i+1]-1, columns ascending.
template <class T> struct RowIndex {
  std::vector<std::size_t> ptr;
  std::vector<int> col;
  std::vector<T> val;
};

template <class T> class SparseOf {
public:
  using value_type = T;
  static constexpr bool is_sparse = true;
  std::size_t m = 0, n = 0;
  // CSC view (not owned): column j holds entries col_ptr[j] .. col_ptr[j+1]-1.
  const int *col_ptr = nullptr;
  const int *row_idx = nullptr;
  const T *values = nullptr;

  SparseOf(std::size_t n_rows, std::size_t n_cols, const int *p, const int *i, const T *x)
      : m(n_rows), n(n_cols), col_ptr(p), row_idx(i), values(x) {
    const std::size_t nz = nnz();
    for (std::size_t t = 0; t < nz; ++t)
      if (i[t] < 0 || static_cast<std::size_t>(i[t]) >= m)
        throw std::invalid_argument("sparse matrix has a row index out of range");
  }
  SparseOf(const SparseOf &) = delete;
  SparseOf &operator=(const SparseOf &) = delete;

  [[nodiscard]] std::size_t nnz() const { return static_cast<std::size_t>(col_ptr[n]); }

  // The row-major index of the non-zeros (O(nnz) memory), built on the first
  // call only: a pass that reads X along columns alone never pays for it.
  // Safe to call from several threads.
  [[nodiscard]] const RowIndex<T> &rows() const {
    std::call_once(rows_built_, [this] { build_rows(); });
    return rows_;
  }

private:
  mutable std::once_flag rows_built_;
  mutable RowIndex<T> rows_;

  // Counting sort of the non-zeros by row; within a row, columns ascend.
  void build_rows() const {
    const std::size_t nz = nnz();
    rows_.ptr.assign(m + 1, 0);
    for (std::size_t t = 0; t < nz; ++t) ++rows_.ptr[row_idx[t] + 1];
    for (std::size_t i = 0; i < m; ++i) rows_.ptr[i + 1] += rows_.ptr[i];
    rows_.col.resize(nz);
    rows_.val.resize(nz);
    std::vector<std::size_t> next(rows_.ptr.begin(), rows_.ptr.end() - 1);
    for (std::size_t j = 0; j < n; ++j) {
      for (int t = col_ptr[j]; t < col_ptr[j + 1]; ++t) {
        const std::size_t pos = next[row_idx[t]]++;
        rows_.col[pos] = static_cast<int>(j);
        rows_.val[pos] = values[t];
      }
    }
  }
};

using SparseMatrix = SparseOf<double>;
using SparseFloat = SparseOf<float>;

// The stored values of X: every entry of a dense X, the non-zeros of a
// sparse one (the other entries are zero).
template <class T> struct StoredValues {
  const T *data;
  std::size_t size;
};
template <class T> [[nodiscard]] StoredValues<T> stored_values(const DenseOf<T> &X) {
  return {X.data, X.m * X.n};
}
template <class T> [[nodiscard]] StoredValues<T> stored_values(const SparseOf<T> &X) {
  return {X.values, X.nnz()};
}

// Number of stored entries, a measure of the work of one pass.
template <class T> [[nodiscard]] double entries(const DenseOf<T> &X) {
  return static_cast<double>(X.m) * static_cast<double>(X.n);
}
template <class T> [[nodiscard]] double entries(const SparseOf<T> &X) {
  return static_cast<double>(X.nnz());
}

}  // namespace betanmf
