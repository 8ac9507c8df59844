// Data and observation weights made ready for a fit (weights.hpp explains
// w_ij = base + delta_ij), in O(m n) for dense and O(nnz + k) for sparse
// data, never forming anything of size m x n for a sparse matrix:
//   - weight_deltas(): the deltas from the entries left out (masks, missing
//     values; a pattern) and the user's weights, dense or sparse;
//   - pattern_union(): the union of two patterns of entries;
//   - drop_unweighted() / zero_unweighted(): the data without the entries
//     of weight zero, so that nothing (not even a start) depends on them;
//   - summarize(): what later steps reuse (weighted sum of squares, total,
//     non-zeros, zeros of positive weight, the weight margins);
//   - scan_values(): the smallest and largest value and whether any is NaN,
//     for the checks of the data, in one pass.
// All inputs are compressed-sparse-column arrays with row indices ascending
// within a column and no repeats, as a Matrix::dgCMatrix holds them.
#pragma once

#include "matrix.hpp"
#include "stats.hpp"
#include "weights.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <string>
#include <vector>

namespace betanmf {

// Whether compressed arrays describe a valid sparse matrix of `n_major`
// major lines (columns of a CSC, rows of a CSR) and `n_minor` positions
// along them: `ptr` (n_ptr values) starts at 0, never decreases and ends at
// n_idx, every index lies in [0, n_minor) and indices ascend strictly
// within a line, and the values, when there are any (n_val >= 0), number
// n_idx. One pass over the pointers, then one over the indices; returns an
// empty string or what is wrong, in the names of the slots of a Matrix
// object (p, i or j, x).
[[nodiscard]] inline std::string check_compressed(long long n_major, long long n_minor,
                                                  const int *ptr, long long n_ptr,
                                                  const int *idx, long long n_idx,
                                                  long long n_val, const char *idx_name) {
  const std::string iname = idx_name;
  if (n_major < 0 || n_minor < 0) return std::string("its dimensions are negative");
  if (n_ptr != n_major + 1)
    return std::string("@p must have " + std::to_string(n_major + 1) + " values (one more than the " +
               "lines); got " + std::to_string(n_ptr));
  if (ptr[0] != 0) return std::string("@p must start at 0; got " + std::to_string(ptr[0]));
  if (n_val >= 0 && n_val != n_idx)
    return std::string("@x must have as many values as @" + iname + " (" + std::to_string(n_idx) +
               "); got " + std::to_string(n_val));
  for (long long l = 0; l < n_major; ++l) {
    const long long a = ptr[l], b = ptr[l + 1];
    if (b < a)
      return std::string("@p must never decrease; got @p[" + std::to_string(l + 2) + "] = " +
                 std::to_string(b) + " after " + std::to_string(a));
    if (b > n_idx)
      return std::string("@p must end at length(@" + iname + ") = " + std::to_string(n_idx) +
                 "; got @p[" + std::to_string(l + 2) + "] = " + std::to_string(b));
  }
  for (long long l = 0; l < n_major; ++l) {
    const long long a = ptr[l], b = ptr[l + 1];
    for (long long t = a; t < b; ++t) {
      const long long v = idx[t];
      if (v < 0 || v >= n_minor)
        return std::string("@" + iname + " must lie in 0.." + std::to_string(n_minor - 1) + "; got @" +
                   iname + "[" + std::to_string(t + 1) + "] = " + std::to_string(v));
      if (t > a && idx[t - 1] >= v)
        return std::string("@" + iname + " must be sorted and without repeats within each line; got " +
                   std::to_string(idx[t - 1]) + " then " + std::to_string(v) + " at @" + iname +
                   "[" + std::to_string(t + 1) + "]");
    }
  }
  if (ptr[n_major] != n_idx)
    return std::string("@p must end at length(@" + iname + ") = " + std::to_string(n_idx) + "; got " +
               std::to_string(ptr[n_major]));
  return std::string();
}

// The smallest and largest of n values and whether any is NaN (R's NA is a
// NaN), in one pass that vectorizes: min and max are meaningful only when
// no value is NaN.
struct ValueScan {
  double min, max;
  bool nan;
};
[[nodiscard]] inline ValueScan scan_values(const double *x, std::size_t n) {
  double lo = std::numeric_limits<double>::infinity(), hi = -lo;
  int nan = 0;
#pragma omp simd reduction(min : lo) reduction(max : hi) reduction(| : nan)
  for (std::size_t t = 0; t < n; ++t) {
    const double v = x[t];
    nan |= static_cast<int>(v != v);
    lo = std::min(lo, v);
    hi = std::max(hi, v);
  }
  return {lo, hi, nan != 0};
}

// A compressed-sparse-column matrix built here: column pointers, row indices
// and values (1 for a pattern).
struct CscArrays {
  std::vector<int> col_ptr, row_idx;
  std::vector<double> values;
};

// A pattern of entries of an m x n matrix as CSC arrays (not owned); an
// empty pattern has col_ptr == nullptr.
struct PatternView {
  const int *col_ptr = nullptr;
  const int *row_idx = nullptr;
  [[nodiscard]] bool empty() const { return col_ptr == nullptr; }
};

// The entries of a or b (n columns), each once, in column order.
[[nodiscard]] inline CscArrays pattern_union(std::size_t n, PatternView a, PatternView b) {
  CscArrays out;
  out.col_ptr.assign(n + 1, 0);
  for (std::size_t j = 0; j < n; ++j) {
    int s = a.empty() ? 0 : a.col_ptr[j], s_end = a.empty() ? 0 : a.col_ptr[j + 1];
    int t = b.empty() ? 0 : b.col_ptr[j], t_end = b.empty() ? 0 : b.col_ptr[j + 1];
    while (s < s_end || t < t_end) {
      int i;
      if (t >= t_end || (s < s_end && a.row_idx[s] < b.row_idx[t])) {
        i = a.row_idx[s++];
      } else if (s >= s_end || b.row_idx[t] < a.row_idx[s]) {
        i = b.row_idx[t++];
      } else {  // in both
        i = a.row_idx[s++];
        ++t;
      }
      out.row_idx.push_back(i);
    }
    out.col_ptr[j + 1] = static_cast<int>(out.row_idx.size());
  }
  out.values.assign(out.row_idx.size(), 1.0);
  return out;
}

namespace detail {
// Whether row i of column j is in the pattern; `pos` walks the column's
// entries in order, so a column costs O(its entries) over ascending i.
inline bool in_column(PatternView p, std::size_t j, int i, int &pos) {
  if (p.empty()) return false;
  const int end = p.col_ptr[j + 1];
  while (pos < end && p.row_idx[pos] < i) ++pos;
  return pos < end && p.row_idx[pos] == i;
}
}  // namespace detail

// Dense weights below this keep their precision only as they are: 1 + (w - 1)
// has an error of eps / w relative to w (2.2e-5 at w = 1e-12, and w = 3e-17
// becomes 0), so dense weights with any positive entry below it take base 0.
constexpr double small_weight = 0x1.0p-10;

// The base of dense weights w (m x n, column-major) outside `drop`: 1 (the
// deltas w - 1 keep every weight to within 2.2e-13 relative, and masks and
// weights in [0, 1] keep the majorization form of BCD), or 0 when some
// positive weight is below small_weight (the deltas are then the weights).
[[nodiscard]] inline double dense_weight_base(std::size_t m, std::size_t n, const double *w,
                                              PatternView drop) {
  for (std::size_t j = 0; j < n; ++j) {
    int pos = drop.empty() ? 0 : drop.col_ptr[j];
    for (std::size_t i = 0; i < m; ++i) {
      const double v = w[j * m + i];
      if (v > 0.0 && v < small_weight &&
          !detail::in_column(drop, j, static_cast<int>(i), pos))
        return 0.0;
    }
  }
  return 1.0;
}

// Deltas for `base` (1 or 0, dense_weight_base()) from dense weights w (m x
// n, column-major): w_ij - base at every entry where it is not zero, with
// weight zero (delta -base) at the entries of `drop`.
[[nodiscard]] inline CscArrays weight_deltas(std::size_t m, std::size_t n, const double *w,
                                             PatternView drop, double base = 1.0) {
  CscArrays out;
  out.col_ptr.assign(n + 1, 0);
  for (std::size_t j = 0; j < n; ++j) {
    int pos = drop.empty() ? 0 : drop.col_ptr[j];
    for (std::size_t i = 0; i < m; ++i) {
      const bool dropped = detail::in_column(drop, j, static_cast<int>(i), pos);
      const double d = (dropped ? 0.0 : w[j * m + i]) - base;
      if (d == 0.0) continue;
      out.row_idx.push_back(static_cast<int>(i));
      out.values.push_back(d);
    }
    out.col_ptr[j + 1] = static_cast<int>(out.row_idx.size());
  }
  return out;
}

// Deltas for base 0 from sparse weights (CSC arrays p, i, x of an m x n
// matrix: unlisted entries weigh zero): the listed non-zero weights outside
// `drop`.
[[nodiscard]] inline CscArrays weight_deltas(std::size_t n, const int *p, const int *i,
                                             const double *x, PatternView drop) {
  CscArrays out;
  out.col_ptr.assign(n + 1, 0);
  for (std::size_t j = 0; j < n; ++j) {
    int pos = drop.empty() ? 0 : drop.col_ptr[j];
    for (int t = p[j]; t < p[j + 1]; ++t) {
      if (detail::in_column(drop, j, i[t], pos) || x[t] == 0.0) continue;
      out.row_idx.push_back(i[t]);
      out.values.push_back(x[t]);
    }
    out.col_ptr[j + 1] = static_cast<int>(out.row_idx.size());
  }
  return out;
}

// Whether some entry of X has weight zero where it may hold data, so that
// the data must be rewritten without it: under base 0 every unlisted entry,
// under base 1 the entries of delta -1 (masked, missing, weight zero).
[[nodiscard]] inline bool has_unweighted(const Weights &w) {
  if (w.trivial()) return false;
  if (w.base == 0.0 || w.generated()) return true;  // held out: weight zero
  for (double d : w.col_delta)
    if (d == -1.0) return true;
  return false;
}

// The sparse X without its entries of weight zero and without stored zeros.
template <class T> [[nodiscard]] CscArrays drop_unweighted(const SparseOf<T> &X, const Weights &w) {
  CscArrays out;
  out.col_ptr.assign(X.n + 1, 0);
  out.row_idx.reserve(X.nnz());
  out.values.reserve(X.nnz());
  for (std::size_t j = 0; j < X.n; ++j) {
    const WeightLine L = w.line(true, j);
    std::size_t b = 0;
    for (int a = X.col_ptr[j]; a < X.col_ptr[j + 1]; ++a) {
      while (b < L.size && L.idx[b] < X.row_idx[a]) ++b;
      const double delta = (b < L.size && L.idx[b] == X.row_idx[a]) ? L.del[b] : 0.0;
      if (w.base + delta <= 0.0 || X.values[a] == 0.0) continue;
      out.row_idx.push_back(X.row_idx[a]);
      out.values.push_back(X.values[a]);
    }
    out.col_ptr[j + 1] = static_cast<int>(out.row_idx.size());
  }
  return out;
}

// The dense X (m x n) into out (m x n, column-major) with zeros at its
// entries of weight zero. Entries of zero weight are never read, so they may
// hold anything (NA in R).
template <class T> void zero_unweighted(const DenseOf<T> &X, const Weights &w, double *out) {
  for (std::size_t j = 0; j < X.n; ++j) {
    const auto *x = X.col(j);
    double *o = out + j * X.m;
    const WeightLine L = w.line(true, j);
    if (w.base == 0.0) {
      for (std::size_t i = 0; i < X.m; ++i) o[i] = 0.0;
      for (std::size_t t = 0; t < L.size; ++t)
        if (L.del[t] > 0.0) o[L.idx[t]] = x[L.idx[t]];
      continue;
    }
    for (std::size_t i = 0; i < X.m; ++i) o[i] = x[i];
    for (std::size_t t = 0; t < L.size; ++t)
      if (L.del[t] == -1.0) o[L.idx[t]] = 0.0;
  }
}

// sum_ij w_ij x_ij^2: the scale of the weighted half squared error, for the
// noise floor of the solvers that evaluate it from Gram matrices.
template <class Mat> [[nodiscard]] double weighted_sum_squares(const Mat &X, const Weights &w) {
  const double plain = sum_squares(X);
  if (w.trivial()) return plain;
  double listed = 0.0;
  std::vector<WeightedEntry> list;
  for (std::size_t j = 0; j < X.n; ++j) {
    gather_weights(X, w, true, j, list);
    for (const WeightedEntry &e : list) listed += e.delta * (e.x * e.x);
  }
  return std::max(0.0, w.base * plain + listed);
}

// What a fit and its result reuse of the prepared data X under weights w.
struct DataSummary {
  double sum_sq = 0.0;   // sum_ij w_ij x_ij^2
  double total = 0.0;    // sum of the stored values
  double nonzero = 0.0;  // number of non-zero entries
  double zeros = 0.0;    // zero entries of positive weight: d_beta is infinite there
                         // for beta <= 0
  double max = 0.0;      // largest stored value
  double min_positive = 0.0;  // smallest positive stored value (0: none)
  std::vector<double> row_weight, col_weight;  // total weight of each row, column
};

// One pass over the stored values of X and one over the listed weights.
template <class Mat> [[nodiscard]] DataSummary summarize(const Mat &X, const Weights &w) {
  DataSummary s;
  const StoredValues v = stored_values(X);
  double lo = std::numeric_limits<double>::infinity();
  for (std::size_t t = 0; t < v.size; ++t) {
    const double x = v.data[t];
    s.sum_sq += x * x;
    s.total += x;
    s.nonzero += x != 0.0 ? 1.0 : 0.0;
    s.max = std::max(s.max, x);
    if (x > 0.0) lo = std::min(lo, x);
  }
  s.min_positive = std::isfinite(lo) ? lo : 0.0;
  const double all = static_cast<double>(X.m) * static_cast<double>(X.n);
  if (w.trivial()) {
    s.zeros = all - s.nonzero;
    s.row_weight.assign(X.m, static_cast<double>(X.n));
    s.col_weight.assign(X.n, static_cast<double>(X.m));
    return s;
  }
  // the listed entries: their data, how they change the sum of squares and
  // whether they make a zero count or not
  double listed_sq = 0.0, listed_zero_counted = 0.0, listed_zero_weighed = 0.0;
  std::vector<WeightedEntry> list;
  for (std::size_t j = 0; j < X.n; ++j) {
    gather_weights(X, w, true, j, list);
    for (const WeightedEntry &e : list) {
      listed_sq += e.delta * (e.x * e.x);
      if (e.x != 0.0) continue;
      if (w.base + e.delta > 0.0) listed_zero_weighed += 1.0;
      else listed_zero_counted += 1.0;
    }
  }
  s.sum_sq = w.base * s.sum_sq + listed_sq;
  // base 1: every zero counts unless listed with weight <= 0; base 0: only
  // the listed zeros of positive weight
  s.zeros = w.base == 0.0 ? listed_zero_weighed : all - s.nonzero - listed_zero_counted;
  s.row_weight = w.row_weight;
  s.col_weight = w.col_weight;
  return s;
}

}  // namespace betanmf
