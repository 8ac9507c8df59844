// Plain statistics of the data that several passes need: sums of squares,
// totals and means of the stored values, and a summation in a fixed order.
// Each reads the stored values only (all m x n entries of a dense matrix,
// the non-zeros of a sparse one) and allocates nothing of the data's size.
#pragma once

#include "matrix.hpp"

#include <cstddef>
#include <vector>

namespace betanmf {

namespace detail {

// Sum of per-line values in a fixed order, so that a parallel pass that
// writes one value per line gives the same total for any thread count.
[[nodiscard]] inline double ordered_sum(const std::vector<double> &v) {
  double s = 0.0;
  for (double t : v) s += t;
  return s;
}

}  // namespace detail

// Sum of squares of the data, ||X||_F^2.
template <class Mat> [[nodiscard]] double sum_squares(const Mat &X) {
  const StoredValues v = stored_values(X);
  double s = 0.0;
  for (std::size_t t = 0; t < v.size; ++t) s += v.data[t] * v.data[t];
  return s;
}

// Sums of squares of every column (size n) and every row (size m).
template <class Mat>
void line_sums_of_squares(const Mat &X, std::vector<double> &cols, std::vector<double> &rows) {
  cols.assign(X.n, 0.0);
  rows.assign(X.m, 0.0);
  for (std::size_t j = 0; j < X.n; ++j) {
    if constexpr (Mat::is_sparse) {
      for (int t = X.col_ptr[j]; t < X.col_ptr[j + 1]; ++t) {
        const double v = X.values[t] * X.values[t];
        cols[j] += v;
        rows[X.row_idx[t]] += v;
      }
    } else {
      const double *x = X.col(j);
      for (std::size_t i = 0; i < X.m; ++i) {
        cols[j] += x[i] * x[i];
        rows[i] += x[i] * x[i];
      }
    }
  }
}

// Mean of all m x n entries (zeros included).
template <class Mat> [[nodiscard]] double mean_value(const Mat &X) {
  const StoredValues v = stored_values(X);
  double s = 0.0;
  for (std::size_t t = 0; t < v.size; ++t) s += v.data[t];
  return s / (static_cast<double>(X.m) * static_cast<double>(X.n));
}

}  // namespace betanmf
