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
// own order of the entries (by columns for H, by rows for W), where the
// data are read sequentially; keeping them from the step before would
// save the dot product but costs a scattered store per entry, which is
// slower. The pass before the first step of an iteration is at the
// iterate the iteration before produced, so it also gives that iterate's
// weighted objective: per iteration, two dot products and two rank-r
// updates per listed entry, and the history is known one pass late
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
  // X (m x n) is the data; wts lists k entries. O(k) memory: the data at
  // the listed entries in both orders, and one coefficient per entry.
  template <class Mat>
  MaskedEm(const Mat &X, const Weights &wts)
      : wts_(wts), x_{std::vector<double>(wts.col_delta.size()),
                      std::vector<double>(wts.col_delta.size())},
        coef_(wts.col_delta.size()) {
    std::vector<WeightedEntry> list;
    for (std::size_t j = 0; j < wts.n; ++j) {
      gather_weights(X, wts, true, j, list);
      std::size_t t = wts.col_ptr[j];
      for (const WeightedEntry &e : list) x_[kCol][t++] = e.x;
    }
    std::vector<std::size_t> next(wts.row_ptr.begin(), wts.row_ptr.end() - 1);
    for (std::size_t j = 0; j < wts.n; ++j)
      for (std::size_t t = wts.col_ptr[j]; t < wts.col_ptr[j + 1]; ++t)
        x_[kRow][next[wts.row_idx[t]]++] = x_[kCol][t];
  }

  // The coefficients of every listed entry at the current factors, in the
  // order of the lines of F: the columns of H (by_col, F = H r x n, P = Wt
  // = W^T r x m) or the rows of W (F = Wt, P = H), for the next update() of
  // the same side. Returns sum_t delta_t (x_t - y_t)^2 / 2 at these factors
  // (the weighted objective minus the plain one).
  double prepare(bool by_col, const arma::mat &F, const arma::mat &P, int threads) {
    const int r = static_cast<int>(F.n_rows);
    const std::ptrdiff_t N = F.n_cols;
    const Lines s = side(by_col, P);
    std::vector<double> per_line(N, 0.0);
    const CoefFn coefs = kernels(r).coef;
#pragma omp parallel for schedule(static) \
    num_threads(team(threads, double(wts_.col_delta.size()) * r))
    for (std::ptrdiff_t l = 0; l < N; ++l) per_line[l] = (this->*coefs)(s, l, F.colptr(l));
    prepared_ = by_col ? kCol : kRow;
    return ordered_sum(per_line);
  }

  // One majorization step on the lines of F (as prepare(), which must have
  // run on the same side at the current factors): the plain step of BCD
  // (bcd_update(), quadratic.hpp) with the linear terms C (W^T X for H,
  // H X^T for W) corrected line by line, and GG = P P^T.
  void update(bool by_col, arma::mat &F, const arma::mat &C, const arma::mat &GG,
              const arma::mat &P, const Penalty &pen, int fixed, int max_inner,
              double inner_tol, int threads) {
    if (prepared_ != (by_col ? kCol : kRow))
      throw std::logic_error("MaskedEm::update() needs prepare() on the same side");
    prepared_ = -1;
    const int r = static_cast<int>(F.n_rows);
    const std::ptrdiff_t N = F.n_cols;
    const Lines s = side(by_col, P);
    arma::mat corrected = C;
    const TermFn term = kernels(r).term;
#pragma omp parallel for schedule(static) \
    num_threads(team(threads, double(wts_.col_delta.size()) * r))
    for (std::ptrdiff_t l = 0; l < N; ++l) (this->*term)(s, l, corrected.colptr(l));
    bcd_update(F, corrected, GG, pen, fixed, max_inner, inner_tol, threads);
  }

private:
  const Weights &wts_;
  // The datum of each listed entry, in the column order [kCol] and the row
  // order [kRow] of the weights; the coefficients in the order prepared.
  static constexpr int kCol = 0, kRow = 1;
  std::vector<double> x_[2];
  std::vector<double> coef_;
  int prepared_ = -1;  // the order coef_ holds (kCol, kRow), or none

  // The listed entries of one side and the partner factor.
  struct Lines {
    bool by_col;
    int r;
    const std::size_t *ptr;
    const int *idx;
    const double *del;
    const arma::mat *P;
  };
  // The lines of F (the columns of X when by_col, else its rows) against
  // the partner P.
  [[nodiscard]] Lines side(bool by_col, const arma::mat &P) const {
    const auto [ptr, idx, del] = wts_.lines(by_col);
    return {by_col, static_cast<int>(P.n_rows), ptr.data(), idx.data(), del.data(), &P};
  }
  // Line l at its factor f: the coefficients of its entries into coef_
  // (entry t has the other index idx[t]); returns the line's share of the
  // weighted objective.
  // RC > 0: the rank as a compile-time constant (small ranks, where the
  // loops over the rank are too short to pay for their set-up); 0: s.r.
  template <int RC>
  BETANMF_ALWAYS_INLINE double line_coefs(const Lines &s, std::ptrdiff_t l, const double *f) {
    const int r = RC > 0 ? RC : s.r;
    const double *x = x_[s.by_col ? kCol : kRow].data();
    double *coef = coef_.data();
    double corr = 0.0;
    for (std::size_t t = s.ptr[l]; t < s.ptr[l + 1]; ++t) {
      const double d = x[t] - dot(r, s.P->colptr(s.idx[t]), f);
      corr += s.del[t] * 0.5 * d * d;
      coef[t] = s.del[t] * d;  // -delta (y - x)
    }
    return corr;
  }

  // The correction of line l's linear term: c (C_l on entry) += sum_t
  // coef_t g_t.
  template <int RC>
  BETANMF_ALWAYS_INLINE void line_term(const Lines &s, std::ptrdiff_t l, double *c) {
    const int r = RC > 0 ? RC : s.r;
    const double *coef = coef_.data();
    const std::size_t begin = s.ptr[l], end = s.ptr[l + 1];
    std::size_t t = begin;
    for (; t + 4 <= end; t += 4) {  // four entries per update of c
      axpy_sum4(r, coef[t], s.P->colptr(s.idx[t]), coef[t + 1], s.P->colptr(s.idx[t + 1]),
                coef[t + 2], s.P->colptr(s.idx[t + 2]), coef[t + 3],
                s.P->colptr(s.idx[t + 3]), c);
    }
    for (; t < end; ++t) axpy(r, coef[t], s.P->colptr(s.idx[t]), c);
  }

  // The processor copies of both.
  template <int RC> double coef_base(const Lines &s, std::ptrdiff_t l, const double *f) {
    return line_coefs<RC>(s, l, f);
  }
  template <int RC>
  BETANMF_TARGET_AVX2 double coef_avx2(const Lines &s, std::ptrdiff_t l, const double *f) {
    return line_coefs<RC>(s, l, f);
  }
  template <int RC> void term_base(const Lines &s, std::ptrdiff_t l, double *c) {
    line_term<RC>(s, l, c);
  }
  template <int RC>
  BETANMF_TARGET_AVX2 void term_avx2(const Lines &s, std::ptrdiff_t l, double *c) {
    line_term<RC>(s, l, c);
  }

  using CoefFn = double (MaskedEm::*)(const Lines &, std::ptrdiff_t, const double *);
  using TermFn = void (MaskedEm::*)(const Lines &, std::ptrdiff_t, double *);
  // The copies of both for this rank and processor.
  struct Kernels {
    CoefFn coef;
    TermFn term;
  };
  template <int RC> static Kernels kernels_for() {
    return {isa_choice<CoefFn>(&MaskedEm::coef_base<RC>, &MaskedEm::coef_avx2<RC>),
            isa_choice<TermFn>(&MaskedEm::term_base<RC>, &MaskedEm::term_avx2<RC>)};
  }
  static Kernels kernels(int r) {
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
