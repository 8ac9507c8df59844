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
// list up to MaskedEm::cache_limit; the entries of a held-out pattern are
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
  // cache_limit entries is gathered once, with its data, for both sides:
  // every pass reads it in the order it would gather it, and a row of a
  // dense X is not read again at stride m (which cost a masked fit of
  // benchmark (a) half as much again). Otherwise, and for generated
  // held-out patterns, nothing is kept per listed entry: each pass gathers
  // a line's entries and data where it needs them (Weights::line()).
  template <class Mat>
  MaskedEm(const Mat &X, const Weights &wts)
      : wts_(wts), gather_([&X, &wts](bool by_col, std::size_t l,
                                      std::vector<WeightedEntry> &out) {
          gather_weights(X, wts, by_col, l, out);
        }) {
    if (wts.generated() || wts.listed() > cache_limit) return;
    std::vector<WeightedEntry> list;
    for (int side = 0; side < 2; ++side) {
      Cache &c = cache_[side];
      const std::size_t N = side == kCol ? X.n : X.m;
      c.ptr.assign(N + 1, 0);
      for (std::size_t l = 0; l < N; ++l) {
        gather_(side == kCol, l, list);
        c.entries.insert(c.entries.end(), list.begin(), list.end());
        c.ptr[l + 1] = c.entries.size();
      }
    }
  }

  // Listed entries up to which the constructor gathers them once (2^22:
  // 200 MB for both sides at 24 bytes an entry).
  static constexpr double cache_limit = 4194304.0;

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
    const Kernels k = kernels(r);
#pragma omp parallel num_threads(team(threads, wts_.listed() * r))
    {
      LineBuffers buf;
#pragma omp for schedule(static)
      for (std::ptrdiff_t l = 0; l < N; ++l) {
        const LineData d = entries(by_col, l, buf);
        per_line[l] = (this->*k.coef)(d, P, r, F.colptr(l));
        (this->*k.term)(d, P, r, term_.colptr(l));
      }
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

  // The listed entries of one line (other index, weight change, datum)
  // and room for their coefficients.
  struct LineData {
    const WeightedEntry *e;
    double *coef;
    std::size_t size;
  };
  // A thread's copy of a line.
  struct LineBuffers {
    std::vector<WeightedEntry> list;
    std::vector<double> coef;
  };
  struct Cache {
    std::vector<std::size_t> ptr;  // line l holds entries[ptr[l]] .. entries[ptr[l + 1] - 1]
    std::vector<WeightedEntry> entries;
  };
  Cache cache_[2];  // by columns (kCol) and by rows (kRow); empty when not gathered once

  [[nodiscard]] LineData entries(bool by_col, std::ptrdiff_t l, LineBuffers &b) const {
    const Cache &c = cache_[by_col ? kCol : kRow];
    if (!c.ptr.empty()) {
      const std::size_t size = c.ptr[l + 1] - c.ptr[l];
      b.coef.resize(size);
      return {c.entries.data() + c.ptr[l], b.coef.data(), size};
    }
    gather_(by_col, l, b.list);
    b.coef.resize(b.list.size());
    return {b.list.data(), b.coef.data(), b.list.size()};
  }

  // The coefficients of a line's entries at its factor f (entry t has the
  // partner column P.col(e[t].idx)); returns the line's
  // share of the weighted objective.
  // RC > 0: the rank as a compile-time constant (small ranks, where the
  // loops over the rank are too short to pay for their set-up); 0: r.
  template <int RC>
  BETANMF_ALWAYS_INLINE double line_coefs(const LineData &d, const arma::mat &P, int r_,
                                          const double *f) {
    const int r = RC > 0 ? RC : r_;
    double corr = 0.0;
    for (std::size_t t = 0; t < d.size; ++t) {
      const WeightedEntry &en = d.e[t];
      const double e = en.x - dot(r, P.colptr(en.idx), f);
      corr += en.delta * 0.5 * e * e;
      d.coef[t] = en.delta * e;  // -delta (y - x)
    }
    return corr;
  }

  // The correction of a line's linear term: c (C_l on entry) += sum_t
  // coef_t g_t.
  template <int RC>
  BETANMF_ALWAYS_INLINE void line_term(const LineData &d, const arma::mat &P, int r_,
                                       double *c) {
    const int r = RC > 0 ? RC : r_;
    const double *coef = d.coef;
    const WeightedEntry *e = d.e;
    std::size_t t = 0;
    for (; t + 4 <= d.size; t += 4) {  // four entries per update of c
      axpy_sum4(r, coef[t], P.colptr(e[t].idx), coef[t + 1], P.colptr(e[t + 1].idx),
                coef[t + 2], P.colptr(e[t + 2].idx), coef[t + 3], P.colptr(e[t + 3].idx), c);
    }
    for (; t < d.size; ++t) axpy(r, coef[t], P.colptr(e[t].idx), c);
  }

  // The processor copies of both.
  template <int RC>
  double coef_base(const LineData &d, const arma::mat &P, int r, const double *f) {
    return line_coefs<RC>(d, P, r, f);
  }
  template <int RC>
  BETANMF_TARGET_AVX2 double coef_avx2(const LineData &d, const arma::mat &P, int r,
                                       const double *f) {
    return line_coefs<RC>(d, P, r, f);
  }
  template <int RC> void term_base(const LineData &d, const arma::mat &P, int r, double *c) {
    line_term<RC>(d, P, r, c);
  }
  template <int RC>
  BETANMF_TARGET_AVX2 void term_avx2(const LineData &d, const arma::mat &P, int r, double *c) {
    line_term<RC>(d, P, r, c);
  }

  using CoefFn = double (MaskedEm::*)(const LineData &, const arma::mat &, int, const double *);
  using TermFn = void (MaskedEm::*)(const LineData &, const arma::mat &, int, double *);
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
