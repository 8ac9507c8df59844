// Observation weights for the objective sum_ij w_ij d_beta(X_ij | (WH)_ij):
//   w_ij = base + delta_ij,
// with base 1 (every entry counts unless listed: masks, missing values, a
// few re-weighted entries) or 0 (only listed entries count: a sparse weight
// matrix), and the deltas stored as a sparse matrix in both orientations.
// A mask of k entries therefore costs O(k) memory and, in the solvers, time
// in proportion to k, never to m x n. The solvers correct their unweighted
// quantities line by line: for a column j of H with partner W,
//   G_j = base W^T W + sum_{i listed in j} delta_ij w_i w_i^T,
//   c_j = base (W^T X)_j + sum_{i listed in j} delta_ij x_ij w_i,
// which keeps the Gram-matrix form of BCD exact under masks and weights.
#pragma once

#include "gather.hpp"
#include "kernels.hpp"
#include "matrix.hpp"
#include "stats.hpp"

#include <armadillo>

#include <cmath>
#include <cstddef>
#include <stdexcept>
#include <vector>

namespace betanmf {

class Weights {
public:
  double base = 1.0;
  std::size_t m = 0, n = 0;
  // CSC of the listed entries (delta = w - base), then its CSR copy.
  std::vector<std::size_t> col_ptr, row_ptr;
  std::vector<int> row_idx, col_idx;
  std::vector<double> col_delta, row_delta;
  // The margins: total weight of each row (m) and each column (n).
  std::vector<double> row_weight, col_weight;

  Weights() = default;

  // From CSC arrays of the deltas (m x n); indices within a column ascend.
  // The margins are computed here unless the caller has them already
  // (row_total, m values, and col_total, n values).
  Weights(double base_weight, std::size_t n_rows, std::size_t n_cols, const int *p,
          const int *i, const double *delta, const double *row_total = nullptr,
          const double *col_total = nullptr)
      : base(base_weight), m(n_rows), n(n_cols) {
    const std::size_t nz = static_cast<std::size_t>(p[n]);
    col_ptr.assign(p, p + n + 1);
    row_idx.assign(i, i + nz);
    col_delta.assign(delta, delta + nz);
    row_ptr.assign(m + 1, 0);
    for (std::size_t t = 0; t < nz; ++t) {
      if (i[t] < 0 || static_cast<std::size_t>(i[t]) >= m)
        throw std::invalid_argument("weights have a row index out of range");
      ++row_ptr[i[t] + 1];
    }
    for (std::size_t r = 0; r < m; ++r) row_ptr[r + 1] += row_ptr[r];
    col_idx.resize(nz);
    row_delta.resize(nz);
    std::vector<std::size_t> next(row_ptr.begin(), row_ptr.end() - 1);
    for (std::size_t j = 0; j < n; ++j)
      for (std::size_t t = col_ptr[j]; t < col_ptr[j + 1]; ++t) {
        const std::size_t pos = next[row_idx[t]]++;
        col_idx[pos] = static_cast<int>(j);
        row_delta[pos] = col_delta[t];
      }
    if (row_total != nullptr && col_total != nullptr) {
      row_weight.assign(row_total, row_total + m);
      col_weight.assign(col_total, col_total + n);
    } else {
      compute_margins();
    }
  }

  // The listed entries by columns (by_col) or by rows: pointers, positions
  // along the line and deltas.
  struct Lines {
    const std::vector<std::size_t> &ptr;
    const std::vector<int> &idx;
    const std::vector<double> &del;
  };
  [[nodiscard]] Lines lines(bool by_col) const {
    return by_col ? Lines{col_ptr, row_idx, col_delta} : Lines{row_ptr, col_idx, row_delta};
  }

  // True when every entry has weight one: the solvers take their plain path.
  [[nodiscard]] bool trivial() const { return base == 1.0 && col_delta.empty(); }

private:
  // row_weight_i = base n + sum_j delta_ij (summed in column order), and the
  // same over each column.
  void compute_margins() {
    row_weight.assign(m, 0.0);
    col_weight.assign(n, 0.0);
    for (std::size_t j = 0; j < n; ++j)
      for (std::size_t t = col_ptr[j]; t < col_ptr[j + 1]; ++t) {
        row_weight[row_idx[t]] += col_delta[t];
        col_weight[j] += col_delta[t];
      }
    for (double &w : row_weight) w += base * static_cast<double>(n);
    for (double &w : col_weight) w += base * static_cast<double>(m);
  }
};

// One listed entry of a line: its position along the line, the weight
// change and the datum there.
struct WeightedEntry {
  int idx;
  double delta;
  double x;
};

namespace detail {
// Value of line `l` of X at sorted positions, merged with the line's list.
inline double dense_at(const DenseMatrix &X, bool by_col, std::size_t l, std::size_t p) {
  return by_col ? X.data[l * X.m + p] : X.data[p * X.m + l];
}
}  // namespace detail

// The listed entries of line l (a column when by_col, else a row) with the
// data values at them.
inline void gather_weights(const DenseMatrix &X, const Weights &w, bool by_col,
                           std::size_t l, std::vector<WeightedEntry> &out) {
  out.clear();
  const auto [ptr, idx, del] = w.lines(by_col);
  for (std::size_t t = ptr[l]; t < ptr[l + 1]; ++t)
    out.push_back({idx[t], del[t], detail::dense_at(X, by_col, l, idx[t])});
}

inline void gather_weights(const SparseMatrix &X, const Weights &w, bool by_col,
                           std::size_t l, std::vector<WeightedEntry> &out) {
  out.clear();
  const auto [ptr, idx, del] = w.lines(by_col);
  // the line of X, sorted by position
  std::size_t a, a_end;
  const int *xi;
  const double *xv;
  if (by_col) {
    a = static_cast<std::size_t>(X.col_ptr[l]);
    a_end = static_cast<std::size_t>(X.col_ptr[l + 1]);
    xi = X.row_idx;
    xv = X.values;
  } else {
    const RowIndex &R = X.rows();
    a = R.ptr[l];
    a_end = R.ptr[l + 1];
    xi = R.col.data();
    xv = R.val.data();
  }
  for (std::size_t t = ptr[l]; t < ptr[l + 1]; ++t) {
    while (a < a_end && xi[a] < idx[t]) ++a;
    const double x = (a < a_end && xi[a] == idx[t]) ? xv[a] : 0.0;
    out.push_back({idx[t], del[t], x});
  }
}

// The weights at the non-zeros of a line (e, sorted by position) into e.w;
// entries of weight zero are dropped.
inline void weigh_entries(Entries &e, const Weights &wts, bool by_col, std::size_t l) {
  const auto [ptr, idx, del] = wts.lines(by_col);
  std::size_t t = ptr[l];
  const std::size_t t_end = ptr[l + 1];
  std::size_t keep = 0;
  for (std::size_t a = 0; a < e.idx.size(); ++a) {
    while (t < t_end && idx[t] < e.idx[a]) ++t;
    const double w = wts.base + ((t < t_end && idx[t] == e.idx[a]) ? del[t] : 0.0);
    if (w == 0.0) continue;
    e.idx[keep] = e.idx[a];
    e.val[keep] = e.val[a];
    e.w.push_back(w);
    ++keep;
  }
  e.idx.resize(keep);
  e.val.resize(keep);
}

// The weights of a whole line of length P.
inline void dense_weights(const Weights &wts, bool by_col, std::size_t l, std::size_t P,
                          std::vector<double> &out) {
  const auto [ptr, idx, del] = wts.lines(by_col);
  out.assign(P, wts.base);
  for (std::size_t t = ptr[l]; t < ptr[l + 1]; ++t) out[idx[t]] += del[t];
}

// sum_p w_p g_p over the whole line: base * s + sum_listed delta g_p, where
// s (r) is the unweighted sum of the partner columns g_p = P.col(p). The
// difference cancels when the left-out partners carry most of the sum (a
// masked entry whose model the data no longer bound grows without limit):
// a component whose result is below detail::untrusted times the magnitudes
// summed, base s_k + sum |delta| g_pk, is summed again term by term over
// the entries of positive weight, in O(P).
inline void weighted_partner_sum(const Weights &wts, bool by_col, std::size_t l,
                                 const arma::vec &s, const arma::mat &P, double *out) {
  const int r = static_cast<int>(P.n_rows);
  const auto [ptr, idx, del] = wts.lines(by_col);
  std::vector<double> parts(r);
  for (int k = 0; k < r; ++k) out[k] = parts[k] = wts.base * s[k];
  for (std::size_t t = ptr[l]; t < ptr[l + 1]; ++t) {
    const double *g = P.colptr(idx[t]);
    for (int k = 0; k < r; ++k) {
      out[k] += del[t] * g[k];
      parts[k] += std::abs(del[t]) * g[k];
    }
  }
  bool exact = true;
  for (int k = 0; k < r; ++k) exact = exact && out[k] >= detail::untrusted * parts[k];
  if (exact) return;
  std::vector<double> w;
  dense_weights(wts, by_col, l, P.n_cols, w);
  for (int k = 0; k < r; ++k) {
    if (out[k] >= detail::untrusted * parts[k]) continue;
    double v = 0.0;
    for (std::size_t p = 0; p < P.n_cols; ++p)
      if (w[p] != 0.0) v += w[p] * P(k, p);
    out[k] = v;
  }
}

// A power of two s that brings the largest weight change of line l (and
// the base) near 1, for the line systems below: a weight of 1e-219 times
// a partner of 1e-48 squared is 4e-315, a subnormal whose inverse
// overflows, while s times it is a normal number. The solution of a line's
// quadratic program is unchanged when G, c and the penalties are all scaled
// by s, and powers of two scale exactly. 1 for weights within 2^+-200;
// s times `limit` (the largest penalty) stays below 2^1000.
inline double line_weight_scale(const Weights &wts, bool by_col, std::size_t l,
                                double limit) {
  const auto [ptr, idx, del] = wts.lines(by_col);
  double top = std::abs(wts.base);
  for (std::size_t t = ptr[l]; t < ptr[l + 1]; ++t) top = std::max(top, std::abs(del[t]));
  if (!(top > 0.0) || (top >= 0x1.0p-200 && top <= 0x1.0p200)) return 1.0;
  int e = -std::ilogb(top);
  if (limit > 0.0) e = std::min(e, 1000 - std::ilogb(limit));
  return std::ldexp(1.0, e);
}

// The quadratic model of line l under weights: G_l (r x r) and c_l (r) as in
// the header comment, and sum_p w_p x_p^2 given the line's plain sum xx_l,
// each times `scale` (line_weight_scale()). GG = P P^T and C = the plain
// products; C is unused when base is 0.
template <class Mat>
double weighted_system(const Mat &X, const Weights &wts, bool by_col, std::size_t l,
                       const arma::mat &GG, const arma::mat &C, const arma::mat &P,
                       double xx_l, std::vector<WeightedEntry> &list, double *G,
                       double *c, double scale = 1.0) {
  const int r = static_cast<int>(P.n_rows);
  gather_weights(X, wts, by_col, l, list);
  const double base = scale * wts.base;
  double wxx = base * xx_l;
  for (int t = 0; t < r * r; ++t) G[t] = base * GG[t];
  for (int k = 0; k < r; ++k) c[k] = base == 0.0 ? 0.0 : base * C(k, l);
  for (const WeightedEntry &e : list) {
    const double *gp = P.colptr(e.idx);
    const double delta = scale * e.delta;
    for (int k = 0; k < r; ++k)
      for (int q = 0; q < r; ++q) G[k * r + q] += delta * gp[k] * gp[q];
    for (int k = 0; k < r; ++k) c[k] += delta * e.x * gp[k];
    wxx += delta * e.x * e.x;
  }
  return wxx;
}

// The same model, applied: c_l as in weighted_system() and den = G_l f
// for a line f (r), without forming G_l,
//   G_l f = base GG f + sum_listed delta (g_p . f) g_p,
// in O(r) per listed entry instead of O(r^2) (the multiplicative updates
// need only the product); den holds GG f on entry. Returns sum_p w_p x_p^2
// as weighted_system().
template <class Mat>
double weighted_terms(const Mat &X, const Weights &wts, bool by_col, std::size_t l,
                      const arma::mat &C, const arma::mat &P, double xx_l, const double *f,
                      std::vector<WeightedEntry> &list, double *c, double *den) {
  const int r = static_cast<int>(P.n_rows);
  gather_weights(X, wts, by_col, l, list);
  double wxx = wts.base * xx_l;
  for (int k = 0; k < r; ++k) {
    den[k] *= wts.base;
    c[k] = wts.base == 0.0 ? 0.0 : wts.base * C(k, l);
  }
  for (const WeightedEntry &e : list) {
    const double *gp = P.colptr(e.idx);
    axpy(r, e.delta * dot(r, gp, f), gp, den);
    axpy(r, e.delta * e.x, gp, c);
    wxx += e.delta * e.x * e.x;
  }
  return wxx;
}

}  // namespace betanmf
