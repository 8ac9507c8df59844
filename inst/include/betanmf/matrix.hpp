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

#include <algorithm>
#include <armadillo>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <mutex>
#include <stdexcept>
#include <type_traits>
#include <utility>
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
// ptr[i] .. ptr[i+1]-1, columns ascending. The values are kept as floats
// (`narrow`) when every one of them is a float exactly, as counts below
// 2^24 are: the index then takes 8 bytes per non-zero instead of 12 (160
// instead of 240 MB at 20 million non-zeros), and a value read back is the
// same double. with_values() hands a reader the values as they are kept.
// An allocator whose resize() leaves new elements uninitialized: the index
// arrays of a large matrix are then first written (and their pages first
// touched) by the threads that fill them, not zeroed by one thread before.
template <class T> struct UninitializedAllocator : std::allocator<T> {
  template <class U> struct rebind {
    using other = UninitializedAllocator<U>;
  };
  UninitializedAllocator() = default;
  template <class U> UninitializedAllocator(const UninitializedAllocator<U> &) noexcept {}
  template <class U> void construct(U *p) noexcept { ::new (static_cast<void *>(p)) U; }
  template <class U, class... A> void construct(U *p, A &&...args) {
    ::new (static_cast<void *>(p)) U(std::forward<A>(args)...);
  }
};
template <class T> using FillLater = std::vector<T, UninitializedAllocator<T>>;

template <class T> struct RowIndex {
  std::vector<std::size_t> ptr;
  FillLater<int> col;
  FillLater<T> val;            // the values, unless narrow
  FillLater<float> val_float;  // the values when narrow
  bool narrow = false;

  // f(values) with a pointer to the values of the non-zeros, float or T.
  template <class F> decltype(auto) with_values(F &&f) const {
    if (narrow) return f(val_float.data());
    return f(val.data());
  }
  // The value of non-zero t.
  [[nodiscard]] double value(std::size_t t) const {
    return narrow ? static_cast<double>(val_float[t]) : static_cast<double>(val[t]);
  }
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
  // Safe to call from several threads. The first call builds it with
  // `threads` threads: a fit asks for it before its solver runs
  // (solve_at_scale(), fit.hpp), and cross_h() before its parallel region,
  // so that the build does not run on one thread while the others wait.
  [[nodiscard]] const RowIndex<T> &rows(int threads = 1) const {
    std::call_once(rows_built_, [this, threads] { build_rows(threads); });
    return rows_;
  }

private:
  mutable std::once_flag rows_built_;
  mutable RowIndex<T> rows_;

  // Counting sort of the non-zeros by row; within a row, columns ascend.
  // With several threads each takes a block of columns (of about equal
  // non-zeros): it counts its entries of each row, the counts give each
  // block its place within every row, and the blocks fill their places.
  // The index is the same for any number of threads.
  void build_rows(int threads) const {
    const std::size_t nz = nnz();
    // one block per thread, where the blocks' counts (4 bytes per row each)
    // stay below a quarter of the index and the work is worth a team
    int teams = 1;
    if (nz >= (std::size_t{1} << 18)) {
      while (teams < threads && static_cast<double>(teams + 1) * m * 4 <= 0.25 * 12 * nz) ++teams;
    }
    std::vector<std::size_t> jb(teams + 1, n);
    jb[0] = 0;
    for (int b = 1; b < teams; ++b) {
      const int target = static_cast<int>(nz * static_cast<std::size_t>(b) / teams);
      jb[b] = static_cast<std::size_t>(std::lower_bound(col_ptr, col_ptr + n, target) - col_ptr);
    }
    std::vector<std::vector<std::uint32_t>> at(teams);
#pragma omp parallel for schedule(static) num_threads(teams)
    for (int b = 0; b < teams; ++b) {
      at[b].assign(m, 0);
      for (int t = col_ptr[jb[b]]; t < col_ptr[jb[b + 1]]; ++t) ++at[b][row_idx[t]];
    }
    // the counts become each block's first place in every row
    rows_.ptr.assign(m + 1, 0);
    for (std::size_t i = 0; i < m; ++i) {
      std::size_t place = rows_.ptr[i];
      for (int b = 0; b < teams; ++b) {
        const std::uint32_t c = at[b][i];
        at[b][i] = static_cast<std::uint32_t>(place);
        place += c;
      }
      rows_.ptr[i + 1] = place;
    }
    rows_.col.resize(nz);  // uninitialized: written once, by the team below
    rows_.narrow = nz > 0 && all_floats(teams);
    auto fill = [&](auto &val) {
      using V = typename std::decay_t<decltype(val)>::value_type;
      val.resize(nz);
#pragma omp parallel for schedule(static) num_threads(teams)
      for (int b = 0; b < teams; ++b) {
        std::vector<std::uint32_t> &next = at[b];
        for (std::size_t j = jb[b]; j < jb[b + 1]; ++j) {
          for (int t = col_ptr[j]; t < col_ptr[j + 1]; ++t) {
            const std::size_t pos = next[row_idx[t]]++;
            rows_.col[pos] = static_cast<int>(j);
            val[pos] = static_cast<V>(values[t]);
          }
        }
      }
    };
    if (rows_.narrow) fill(rows_.val_float);
    else fill(rows_.val);
  }

  // Whether every stored value is a float exactly (always, for float data).
  [[nodiscard]] bool all_floats(int threads) const {
    if constexpr (std::is_same_v<T, float>) {
      return false;  // kept as they are: val is float already
    } else {
      const std::ptrdiff_t nz = static_cast<std::ptrdiff_t>(nnz());
      int exact = 1;
      constexpr double top = std::numeric_limits<float>::max();
#pragma omp parallel for simd reduction(& : exact) num_threads(threads) schedule(static)
      for (std::ptrdiff_t t = 0; t < nz; ++t) {
        const double v = values[t];
        const bool in_range = std::abs(v) <= top;  // (a cast from beyond is undefined)
        exact &= static_cast<int>(in_range) &
                 static_cast<int>(static_cast<double>(static_cast<float>(in_range ? v : 0.0)) == v);
      }
      return exact != 0;
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
