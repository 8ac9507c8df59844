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
// The coefficients need the model value y_t at the factors the step starts
// from: one dot product per entry, computed by each step in its own order
// of the entries (by columns for H, by rows for W), where it reads the data
// sequentially; keeping them from the step before would save a dot product
// but costs a scattered store per entry, which is slower. With the
// objective after the H step: per iteration, three dot products and two
// rank-r updates per listed entry. Every line shares the plain Gram matrix,
// so lines are solved in batches, as in the plain step (batch_sweeps,
// quadratic.hpp).
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
  // the listed entries, in both orders.
  template <class Mat>
  MaskedEm(const Mat &X, const Weights &wts)
      : wts_(wts), x_{std::vector<double>(wts.col_delta.size()),
                      std::vector<double>(wts.col_delta.size())} {
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

  // Step for the columns of H (r x n), partner Wt = W^T (r x m), C = W^T X,
  // GG = W^T W. When want_loss, returns sum_t delta_t (x_t - y_t)^2 / 2 at
  // the updated H (the weighted objective minus the plain one).
  double update_h(arma::mat &H, const arma::mat &C, const arma::mat &GG,
                  const arma::mat &Wt, const Penalty &pen, int fixed, int max_inner,
                  double inner_tol, bool want_loss, int threads) {
    return step(true, H, C, GG, Wt, pen, fixed, max_inner, inner_tol, want_loss, threads);
  }

  // Step for the rows of W, as columns of Wt (r x m), partner H (r x n),
  // C = H X^T, GG = H H^T; as update_h otherwise.
  double update_w(arma::mat &Wt, const arma::mat &C, const arma::mat &GG,
                  const arma::mat &H, const Penalty &pen, int fixed, int max_inner,
                  double inner_tol, bool want_loss, int threads) {
    return step(false, Wt, C, GG, H, pen, fixed, max_inner, inner_tol, want_loss, threads);
  }

private:
  const Weights &wts_;
  // The datum of each listed entry, in the column order [kCol] and the row
  // order [kRow] of the weights.
  static constexpr int kCol = 0, kRow = 1;
  std::vector<double> x_[2];

  // What one step shares between its lines.
  struct Pass {
    bool by_col, want_loss;
    int r;
    const std::size_t *ptr;
    const int *idx;
    const double *del;
    const arma::mat *C, *GG, *P;
    const double *inv;
    const Penalty *pen;
    int fixed, max_inner;
    double inner_tol;
  };

  // Line l at its factor f: Loss false, the coefficients of its entries
  // into coef (entry t of the line, with the other index idx[t], at
  // coef[t - ptr[l]]); true, only its share of the weighted objective,
  // returned.
  // RC > 0: the rank as a compile-time constant (small ranks, where the
  // loops over the rank are too short to pay for their set-up); 0: s.r.
  template <int RC, bool Loss>
  BETANMF_ALWAYS_INLINE double line_coefs(const Pass &s, std::ptrdiff_t l, const double *f,
                                          double *coef) {
    const int r = RC > 0 ? RC : s.r;
    const double *x = x_[s.by_col ? kCol : kRow].data();
    const std::size_t begin = s.ptr[l], end = s.ptr[l + 1];
    double corr = 0.0;
    for (std::size_t t = begin; t < end; ++t) {
      const double d = x[t] - dot(r, s.P->colptr(s.idx[t]), f);
      if constexpr (Loss)
        corr += s.del[t] * 0.5 * d * d;
      else
        coef[t - begin] = s.del[t] * d;  // -delta (y - x)
    }
    return corr;
  }

  // The corrected linear term of line l into c: C_l + sum_t coef_t g_t.
  template <int RC>
  BETANMF_ALWAYS_INLINE void line_term(const Pass &s, std::ptrdiff_t l, const double *coef,
                                       double *c) {
    const int r = RC > 0 ? RC : s.r;
    const std::size_t begin = s.ptr[l], n_t = s.ptr[l + 1] - begin;
    const int *idx = s.idx + begin;
    std::copy(s.C->colptr(l), s.C->colptr(l) + r, c);
    std::size_t t = 0;
    for (; t + 4 <= n_t; t += 4) {  // four entries per update of c
      axpy_sum4(r, coef[t], s.P->colptr(idx[t]), coef[t + 1], s.P->colptr(idx[t + 1]),
                coef[t + 2], s.P->colptr(idx[t + 2]), coef[t + 3], s.P->colptr(idx[t + 3]),
                c);
    }
    for (; t < n_t; ++t) axpy(r, coef[t], s.P->colptr(idx[t]), c);
  }

  // Lines l0 .. l0 + lanes - 1 of F: their coefficients and corrected
  // linear terms, one batch of sweeps for all of them (they share the plain
  // Gram matrix; quadratic.hpp), and when want_loss their shares of the
  // weighted objective at the updated factors into corr[]. Buffers f, c, g:
  // r x L, lane-major; coef: as long as the longest line's list.
  template <int RC>
  BETANMF_ALWAYS_INLINE void batch_body_em(const Pass &s, arma::mat &F, std::ptrdiff_t l0,
                                           int lanes, double *f, double *c, double *g,
                                           double *line_c, double *coef, double *corr) {
    constexpr int L = batch_lanes;
    const int r = RC > 0 ? RC : s.r;
    for (int t = 0; t < lanes; ++t) {
      const std::ptrdiff_t l = l0 + t;
      const double *fl = F.colptr(l);
      line_coefs<RC, false>(s, l, fl, coef);
      line_term<RC>(s, l, coef, line_c);
      for (int k = 0; k < r; ++k) {
        f[k * L + t] = fl[k];
        c[k * L + t] = line_c[k];
      }
    }
    for (int t = lanes; t < L; ++t)
      for (int k = 0; k < r; ++k) f[k * L + t] = c[k * L + t] = 0.0;
    batch_sweeps(r, lanes, f, s.GG->memptr(), s.inv, c, g, *s.pen, s.fixed, s.max_inner,
                 s.inner_tol);
    for (int t = 0; t < lanes; ++t) {
      double *fl = F.colptr(l0 + t);
      for (int k = 0; k < r; ++k) fl[k] = f[k * L + t];
      if (s.want_loss) corr[t] = line_coefs<RC, true>(s, l0 + t, fl, nullptr);
    }
  }

  template <int RC>
  void batch_base(const Pass &s, arma::mat &F, std::ptrdiff_t l0, int lanes, double *f,
                  double *c, double *g, double *line_c, double *coef, double *corr) {
    batch_body_em<RC>(s, F, l0, lanes, f, c, g, line_c, coef, corr);
  }
  template <int RC>
  BETANMF_TARGET_AVX2 void batch_avx2(const Pass &s, arma::mat &F, std::ptrdiff_t l0,
                                      int lanes, double *f, double *c, double *g,
                                      double *line_c, double *coef, double *corr) {
    batch_body_em<RC>(s, F, l0, lanes, f, c, g, line_c, coef, corr);
  }

  // The copy of the batch update for this rank and processor.
  using BatchFn = void (MaskedEm::*)(const Pass &, arma::mat &, std::ptrdiff_t, int, double *,
                                     double *, double *, double *, double *, double *);
  template <int RC> static BatchFn batch_for() {
    return isa_choice<BatchFn>(&MaskedEm::batch_base<RC>, &MaskedEm::batch_avx2<RC>);
  }
  static BatchFn batch_fn(int r) {
    switch (r) {
    case 1: return batch_for<1>();
    case 2: return batch_for<2>();
    case 3: return batch_for<3>();
    case 4: return batch_for<4>();
    default: return batch_for<0>();
    }
  }

  // Lines are columns of X (by_col, F = H) or rows (F = W^T).
  double step(bool by_col, arma::mat &F, const arma::mat &C, const arma::mat &GG,
              const arma::mat &P, const Penalty &pen, int fixed, int max_inner,
              double inner_tol, bool want_loss, int threads) {
    const int r = static_cast<int>(F.n_rows);
    const std::ptrdiff_t N = F.n_cols;
    const auto [ptr, idx, del] = wts_.lines(by_col);
    std::vector<double> per_line(want_loss ? N : 0, 0.0), inv(r);
    inverse_diagonal(r, GG.memptr(), pen.l2, inv.data());
    const Pass s{by_col, want_loss, r,           ptr.data(), idx.data(), del.data(), &C,
                 &GG,    &P,        inv.data(), &pen,       fixed,      max_inner,  inner_tol};
    std::size_t longest = 0;  // the longest list of a line
    for (std::ptrdiff_t l = 0; l < N; ++l) longest = std::max(longest, ptr[l + 1] - ptr[l]);
    const BatchFn batch = batch_fn(r);
    constexpr int L = batch_lanes;
    const std::ptrdiff_t batches = (N + L - 1) / L;
#pragma omp parallel num_threads(team(threads, double(N) * r * r * max_inner))
    {
      const std::size_t rl = static_cast<std::size_t>(r) * L;
      std::vector<double> f(rl), c(rl), g(rl), line_c(r), coef(longest), corr(L, 0.0);
#pragma omp for schedule(dynamic, 2)
      for (std::ptrdiff_t b = 0; b < batches; ++b) {
        const std::ptrdiff_t l0 = b * L;
        const int lanes = static_cast<int>(std::min<std::ptrdiff_t>(L, N - l0));
        (this->*batch)(s, F, l0, lanes, f.data(), c.data(), g.data(), line_c.data(),
                       coef.data(), corr.data());
        if (want_loss)
          for (int t = 0; t < lanes; ++t) per_line[l0 + t] = corr[t];
      }
    }
    return want_loss ? ordered_sum(per_line) : 0.0;
  }
};

}  // namespace detail
}  // namespace betanmf
