// Plain statistics of the data that several passes need: sums of squares,
// totals and means of the stored values, and a summation in a fixed order.
// Each reads the stored values only (all m x n entries of a dense matrix,
// the non-zeros of a sparse one) and allocates nothing of the data's size.
#pragma once

#include "matrix.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <vector>

namespace betanmf {

namespace detail {

// A sum formed from larger parts of opposite sign (a closed form such as
// ||X||^2 - 2 <X, WH> + ||WH||^2, or a weighted sum written as a plain sum
// minus the left-out terms) carries a rounding error of a few eps times
// the parts: a result below untrusted times the parts is mostly that error,
// and the sum is taken again term by term.
constexpr double untrusted = 0x1.0p20 * std::numeric_limits<double>::epsilon();

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
  for (std::size_t t = 0; t < v.size; ++t) {
    const double x = v.data[t];
    s += x * x;
  }
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
        const double x = X.values[t], v = x * x;
        cols[j] += v;
        rows[X.row_idx[t]] += v;
      }
    } else {
      const auto *x = X.col(j);
      for (std::size_t i = 0; i < X.m; ++i) {
        const double v = static_cast<double>(x[i]) * x[i];
        cols[j] += v;
        rows[i] += v;
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

// The largest stored value and the smallest positive one (each 0 for a
// matrix without positive entries), in one pass, as vector reductions: one
// chain of comparisons waited on each one's latency (a fit of a dense
// 3000 x 2000 matrix scanned it up to three times at 1.3 ns a value).
// Exact in any order.
struct ValueRange {
  double max = 0.0;
  double min_positive = 0.0;
};
template <class Mat> [[nodiscard]] ValueRange value_range(const Mat &X) {
  const StoredValues v = stored_values(X);
  constexpr double inf = std::numeric_limits<double>::infinity();
  const auto *x = v.data;
  double top = 0.0, low = inf;
#pragma omp simd reduction(max : top) reduction(min : low)
  for (std::size_t t = 0; t < v.size; ++t) {
    const double a = x[t], b = a > 0.0 ? a : inf;
    top = a > top ? a : top;
    low = b < low ? b : low;
  }
  return {top, low < inf ? low : 0.0};
}

// Largest stored value (0 for a matrix without positive entries).
template <class Mat> [[nodiscard]] double max_value(const Mat &X) { return value_range(X).max; }

// The largest stored value as the caller knows it (Config::data_max), else
// from a pass over X.
template <class Mat, class C> [[nodiscard]] double data_max(const Mat &X, const C &cfg) {
  return cfg.data_max >= 0.0 ? cfg.data_max : max_value(X);
}

// The sum of squares of the stored values as the caller knows it
// (Config::data_sum_squares, the same sum in the same order), else
// sum_squares(X).
template <class Mat, class C> [[nodiscard]] double data_sum_squares(const Mat &X, const C &cfg) {
  return cfg.data_sum_squares >= 0.0 ? cfg.data_sum_squares : sum_squares(X);
}

// Smallest positive stored value (0 for a matrix without positive entries).
template <class Mat> [[nodiscard]] double min_positive(const Mat &X) {
  return value_range(X).min_positive;
}

// The floors of the multiplicative and coordinate-descent updates, for
// data whose largest entry is max_x (fit.hpp keeps it between 2^-40 and
// 2^41 by scaling extreme data):
//   model:  a model value y below it is raised to it where an update divides
//           by y or raises it to a negative power, so that x y^(beta-2) and
//           y^(beta-1) stay finite: max_x 2^(-800 / max(1, 2 - beta)), and for
//           beta < 0 at least (max_x 2^-900)^(1 / (2 - beta)), so that
//           max_x y^(beta-2) <= 2^900;
//   factor: the multiplicative updates for beta <= 1 never take an entry
//           they learn below 2^-400 times the largest entry of its factor
//           (less far below for beta < 0; factor_floor(); an entry the
//           floor has risen past as the factor grew stays where it was,
//           mu_apply()), so that a
//           product of two entries, and with it
//           the model where the data are positive, stays some 2^-800 below
//           the scale of the model instead of underflowing to an exact zero
//           (an infinite divergence for beta <= 1). Relative to each factor,
//           so that it holds however the scale is split between W and H (a
//           known W that sums to one, an H in the units of the data).
// Both are some 240 orders of magnitude below the data: where the model is
// that small at a positive datum the objective is already astronomically
// far from its minimum, so neither floor changes an update in practice
// (a floor relative to the mean, as before, did: with one outlier among
// counts it sat above most of the model, and the updates stopped being
// descent steps).
// ceiling:  the multiplicative updates keep the model below it (solvers/mu.hpp),
//           Config::model_limit / (8 (m + n) r): the data bound the model
//           only where they weigh something, and a fit with weights of
//           1e-300 or masked entries on data near 1e290 grew it past the
//           largest double there, so that W H, or H once W is normalized,
//           overflowed.
// model_zero: the floor of the model where the datum is zero, where only
//           y^(beta-2) and y^(beta-1) must stay finite (A = w x y^(beta-2)
//           is zero there, B = w y^(beta-1)): 2^(-1000 / (2 - beta)) for
//           beta < 2, at most `model`. The floor at positive data would
//           misstate B where the fit drives the model to zero at zeros: at
//           beta = 0.00074 their y^beta / beta kept falling below the floor
//           (to 1e-120), the update saw the floor, and the objective rose by
//           7e-10 per iteration (fuzz seed 6, call 50752).
struct SolverFloors {
  double model = std::numeric_limits<double>::min();
  double model_zero = std::numeric_limits<double>::min();
  double ceiling = std::numeric_limits<double>::max();
};

[[nodiscard]] inline SolverFloors solver_floors(double max_x, double beta) {
  SolverFloors f;
  if (!(max_x > 0.0) || !std::isfinite(max_x)) return f;
  const double lg = std::log2(max_x);
  double model = lg - 800.0 / std::max(1.0, 2.0 - beta);
  if (beta < 0.0) model = std::max(model, (lg - 900.0) / (2.0 - beta));
  f.model = std::max(std::exp2(model), std::numeric_limits<double>::min());
  f.model_zero = beta < 2.0 ? std::max(std::exp2(-1000.0 / (2.0 - beta)),
                                       std::numeric_limits<double>::min())
                            : std::numeric_limits<double>::min();
  f.model_zero = std::min(f.model_zero, f.model);
  return f;
}

// The factor floor above for a factor whose largest entry is max_f (when it
// is zero: for a balanced split of data of largest entry max_x), under
// beta. For beta < 0 the divergence at a positive datum grows as
// x y^(beta - 1) when the model y falls: a model of two entries at
// 2^-400 (2^-800) would be 2^(800 (1 - beta)) there, beyond the doubles for
// beta < -0.28, so the floor is 2^(-450 / (1 - beta)) instead, where a
// product of two floored entries keeps that term near 2^900 or below (a
// start with zeros in W gave an infinite objective after its first
// update at beta = -1).
[[nodiscard]] inline double factor_floor(double max_f, double max_x, double beta = 1.0) {
  const double top = max_f > 0.0 ? max_f : std::sqrt(std::max(max_x, 0.0));
  const double e = beta < 0.0 ? std::min(400.0, 450.0 / (1.0 - beta)) : 400.0;
  return std::max(top * std::exp2(-e), std::numeric_limits<double>::min());
}

}  // namespace betanmf
