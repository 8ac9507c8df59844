// BCD steps for weights in [0, 1] on top of base 1 (masks, missing values,
// down-weighted entries) by majorization. With the listed entries t = (i, j),
// weight 1 + delta_t, delta_t in [-1, 0], the weighted objective is majorized
// by the plain one on imputed data
//   x~_t = (1 + delta_t) x_t - delta_t y_t,   y = W H at the current factors
// (the EM step for missing data; the majorizer touches the objective at the
// current factors, so every step decreases the weighted objective). One
// product with X and the plain Gram matrix serve every line; only the linear
// term of a line changes, by one rank-r vector per listed entry:
//   c~_l = C_l + sum_{t in line l} coef_t g_t,   coef_t = -delta_t (y_t - x_t),
// with g_t the partner factor's vector of the entry's other index.
//
// The coefficients need the model value y_t at the factors a step starts
// from: one dot product per entry, computed before each step in the step's
// own order of the entries (by columns for H, by rows for W), in the same
// pass over a line as the correction sum_t coef_t g_t itself, so that
// nothing is stored per entry but the entries and their data (a stored
// list up to LineCache::limit; the entries of a held-out pattern are
// generated, never stored: weights.hpp) and each side of an iteration
// visits its entries once. The pass before the first step of an iteration
// is at the iterate the iteration before produced, so it also gives that
// iterate's weighted objective: per iteration, two dot products and two
// rank-r updates per listed entry, and the history is known one pass late
// (solve_bcd_em(), bcd.hpp). Every line shares the plain Gram matrix, so
// once the linear terms are corrected the step is the plain one
// (bcd_update(), quadratic.hpp).
#pragma once

#include "../config.hpp"
#include "../divergence.hpp"
#include "../kernels.hpp"
#include "../matrix.hpp"
#include "../weights.hpp"
#include "quadratic.hpp"

#include <armadillo>
#include <algorithm>
#include <cstddef>
#include <functional>
#include <stdexcept>
#include <vector>

namespace betanmf {
namespace detail {

// Whether the weights fit the majorization: base 1 and every weight in [0, 1].
inline bool em_weights(const Weights &wts) {
  if (wts.base != 1.0) return false;
  for (double d : wts.col_delta)
    if (d > 0.0 || d < -1.0) return false;
  return true;
}

class MaskedEm {
public:
  // X (m x n) is the data, wts the weights. A stored list of at most
  // LineCache::limit entries is gathered once, with its data, for both
  // sides (LineCache, weights.hpp); otherwise, and for generated held-out
  // patterns, each pass gathers a line's entries where it needs them.
  template <class Mat>
  MaskedEm(const Mat &X, const Weights &wts)
      : wts_(wts), gather_([&X, &wts](bool by_col, std::size_t l,
                                      std::vector<WeightedEntry> &out) {
          gather_weights(X, wts, by_col, l, out);
        }) {
    if (!LineCache::worth(wts)) return;
    for (int side = 0; side < 2; ++side) {
      const bool by_col = side == kCol;
      cache_[side].build(by_col ? X.n : X.m, [&](std::size_t l, std::vector<WeightedEntry> &out) {
        gather_(by_col, l, out);
      });
    }
  }

  // The corrections of the linear terms at the current factors, for the
  // lines of F: the columns of H (by_col, F = H r x n, P = Wt = W^T r x m)
  // or the rows of W (F = Wt, P = H), for the next update() of the same
  // side. Returns sum_t delta_t (x_t - y_t)^2 / 2 at these factors (the
  // weighted objective minus the plain one).
  double prepare(bool by_col, const arma::mat &F, const arma::mat &P, int threads) {
    const int r = static_cast<int>(F.n_rows);
    const std::ptrdiff_t N = F.n_cols;
    std::vector<double> per_line(N, 0.0);
    term_.zeros(r, N);
    const LineFn k = kernels(r);
#pragma omp parallel num_threads(team(threads, wts_.listed() * r))
    {
      std::vector<WeightedEntry> buf;
#pragma omp for schedule(static)
      for (std::ptrdiff_t l = 0; l < N; ++l)
        per_line[l] = (this->*k)(entries(by_col, l, buf), P, r, F.colptr(l), term_.colptr(l));
    }
    prepared_ = by_col ? kCol : kRow;
    return ordered_sum(per_line);
  }

  // One majorization step on the lines of F (as prepare(), which must have
  // run on the same side at the current factors): the plain step of BCD
  // (bcd_update(), quadratic.hpp) with the linear terms C (W^T X for H,
  // H X^T for W) plus the corrections, and GG = P P^T.
  void update(bool by_col, arma::mat &F, const arma::mat &C, const arma::mat &GG,
              const Penalty &pen, int fixed, int max_inner, double inner_tol, int threads) {
    if (prepared_ != (by_col ? kCol : kRow))
      throw std::logic_error("MaskedEm::update() needs prepare() on the same side");
    prepared_ = -1;
    const arma::mat corrected = C + term_;
    bcd_update(F, corrected, GG, pen, fixed, max_inner, inner_tol, threads);
  }

private:
  const Weights &wts_;
  std::function<void(bool, std::size_t, std::vector<WeightedEntry> &)> gather_;
  static constexpr int kCol = 0, kRow = 1;
  int prepared_ = -1;  // the side term_ holds (kCol, kRow), or none
  arma::mat term_;     // r x lines: sum_t coef_t g_t of each line

  // The listed entries of one line (other index, weight change, datum).
  using LineData = LineSpan;
  LineCache cache_[2];  // by columns (kCol) and by rows (kRow); not built when not gathered once

  // Line l's entries; `buf`: the calling thread's room for a line gathered
  // where it is needed.
  [[nodiscard]] LineData entries(bool by_col, std::ptrdiff_t l,
                                 std::vector<WeightedEntry> &buf) const {
    return cache_[by_col ? kCol : kRow].line(
        l, buf, [&](std::size_t q, std::vector<WeightedEntry> &out) { gather_(by_col, q, out); });
  }

  // One pass over a line's entries at its factor f (entry t has the partner
  // column g_t = P.col(e[t].idx)): the coefficient coef_t = delta_t (x_t -
  // g_t . f) of each entry and the correction c (zero on entry) += sum_t
  // coef_t g_t, with g_t read once for both. The entries go four at a
  // time: four dot products side by side, each summed over the rank in
  // order (no horizontal sum of a vector register per entry, which cost
  // more than the products themselves at ranks the loop cannot fill), then
  // one update of c with all four. Returns the line's share of the
  // weighted objective, sum_t delta_t (x_t - y_t)^2 / 2.
  // RC > 0: the rank as a compile-time constant (small ranks, where the
  // loops over the rank are too short to pay for their set-up); 0: r.
  template <int RC>
  BETANMF_ALWAYS_INLINE double line_pass(const LineData &d, const arma::mat &P, int r_,
                                         const double *f, double *c) {
    const int r = RC > 0 ? RC : r_;
    const WeightedEntry *e = d.e;
    double corr = 0.0;
    std::size_t t = 0;
    for (; t + 4 <= d.size; t += 4) {
      const double *g0 = P.colptr(e[t].idx), *g1 = P.colptr(e[t + 1].idx),
                   *g2 = P.colptr(e[t + 2].idx), *g3 = P.colptr(e[t + 3].idx);
      double y0 = 0.0, y1 = 0.0, y2 = 0.0, y3 = 0.0;
      for (int k = 0; k < r; ++k) {
        y0 += g0[k] * f[k];
        y1 += g1[k] * f[k];
        y2 += g2[k] * f[k];
        y3 += g3[k] * f[k];
      }
      const double e0 = e[t].x - y0, e1 = e[t + 1].x - y1, e2 = e[t + 2].x - y2,
                   e3 = e[t + 3].x - y3;
      corr += e[t].delta * 0.5 * e0 * e0;
      corr += e[t + 1].delta * 0.5 * e1 * e1;
      corr += e[t + 2].delta * 0.5 * e2 * e2;
      corr += e[t + 3].delta * 0.5 * e3 * e3;
      axpy_sum4(r, e[t].delta * e0, g0, e[t + 1].delta * e1, g1, e[t + 2].delta * e2, g2,
                e[t + 3].delta * e3, g3, c);
    }
    for (; t < d.size; ++t) {
      const double *g = P.colptr(e[t].idx);
      double y = 0.0;
      for (int k = 0; k < r; ++k) y += g[k] * f[k];
      const double err = e[t].x - y;
      corr += e[t].delta * 0.5 * err * err;
      axpy(r, e[t].delta * err, g, c);
    }
    return corr;
  }

  // Its processor copies.
  template <int RC>
  double pass_base(const LineData &d, const arma::mat &P, int r, const double *f, double *c) {
    return line_pass<RC>(d, P, r, f, c);
  }
  template <int RC>
  BETANMF_TARGET_AVX2 double pass_avx2(const LineData &d, const arma::mat &P, int r,
                                       const double *f, double *c) {
    return line_pass<RC>(d, P, r, f, c);
  }

  using LineFn = double (MaskedEm::*)(const LineData &, const arma::mat &, int, const double *,
                                      double *);
  // The copy for this rank and processor.
  template <int RC> static LineFn kernels_for() {
    return isa_choice<LineFn>(&MaskedEm::pass_base<RC>, &MaskedEm::pass_avx2<RC>);
  }
  static LineFn kernels(int r) {
    switch (r) {
    case 1: return kernels_for<1>();
    case 2: return kernels_for<2>();
    case 3: return kernels_for<3>();
    case 4: return kernels_for<4>();
    default: return kernels_for<0>();
    }
  }
};

}  // namespace detail
}  // namespace betanmf
