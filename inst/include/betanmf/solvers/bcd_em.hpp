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
// The coefficients need the model value y_t at the current factors: one dot
// product per entry. The pass that computes the objective after an H step
// evaluates the same model values the next W step needs, so they are kept
// (coef, in the column and the row order of the weights) and reused by the
// next step: per iteration, two dot products and two rank-r updates per
// listed entry, and no gathering of entries.
#pragma once

#include "../config.hpp"
#include "../divergence.hpp"
#include "../kernels.hpp"
#include "../matrix.hpp"
#include "../weights.hpp"
#include "quadratic.hpp"

#include <armadillo>
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
  // the listed entries, their coefficients and positions, in both orders.
  template <class Mat>
  MaskedEm(const Mat &X, const Weights &wts)
      : wts_(wts), x_{std::vector<double>(wts.col_delta.size()),
                      std::vector<double>(wts.col_delta.size())},
        coef_{std::vector<double>(wts.col_delta.size()),
              std::vector<double>(wts.col_delta.size())},
        other_{std::vector<std::size_t>(wts.col_delta.size()),
               std::vector<std::size_t>(wts.col_delta.size())} {
    std::vector<WeightedEntry> list;
    for (std::size_t j = 0; j < wts.n; ++j) {
      gather_weights(X, wts, true, j, list);
      std::size_t t = wts.col_ptr[j];
      for (const WeightedEntry &e : list) x_[kCol][t++] = e.x;
    }
    std::vector<std::size_t> next(wts.row_ptr.begin(), wts.row_ptr.end() - 1);
    for (std::size_t j = 0; j < wts.n; ++j)
      for (std::size_t t = wts.col_ptr[j]; t < wts.col_ptr[j + 1]; ++t) {
        const std::size_t u = next[wts.row_idx[t]]++;
        other_[kCol][t] = u;  // column order -> row order
        other_[kRow][u] = t;  // row order -> column order
        x_[kRow][u] = x_[kCol][t];
      }
  }

  // Step for the columns of H (r x n), partner Wt = W^T (r x m), C = W^T X,
  // GG = W^T W. When want_loss, returns sum_t delta_t (x_t - y_t)^2 / 2 at
  // the updated H (the weighted objective minus the plain one) and keeps
  // the coefficients of the updated factors.
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
  // Per listed entry, in the column order [kCol] and the row order [kRow] of
  // the weights: the datum, the coefficient, and the entry's position in the
  // other order. Each step reads its own order sequentially and scatters
  // only the stores of the coefficients into the other.
  static constexpr int kCol = 0, kRow = 1;
  std::vector<double> x_[2], coef_[2];
  std::vector<std::size_t> other_[2];
  bool valid_ = false;

  // What one step shares between its lines.
  struct Pass {
    bool by_col, reuse, want_loss;
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

  // Line l of F (f, length r): correct its linear term (into c), solve its
  // quadratic program, and when want_loss return its share of the weighted
  // objective and keep its coefficients at the updated factors. Entry t of
  // the line has the other index idx[t].
  // RC > 0: the rank as a compile-time constant (small ranks, where the
  // loops over the rank are too short to pay for their set-up); 0: s.r.
  template <int RC>
  BETANMF_ALWAYS_INLINE double line_body(const Pass &s, std::ptrdiff_t l, double *f,
                                         double *c, double *g) {
    const int r = RC > 0 ? RC : s.r;
    const int own = s.by_col ? kCol : kRow;
    const double *x = x_[own].data();
    double *coef = coef_[own].data(), *coef_other = coef_[1 - own].data();
    const std::size_t *other = other_[own].data();
    const std::size_t begin = s.ptr[l], end = s.ptr[l + 1];
    double corr = 0.0;
    // Phase 0 computes the coefficients when they are not known, phase 1
    // solves, phase 2 computes them at the updated factors with the
    // objective. Phases 0 and 2 run the same code, so that coefficients
    // computed afresh (as after a warm start) equal kept ones to the bit.
    for (int phase = 0; phase < 3; ++phase) {
      if (phase == 1) {
        std::copy(s.C->colptr(l), s.C->colptr(l) + r, c);
        std::size_t t = begin;
        for (; t + 4 <= end; t += 4) {  // four entries per update of c
          axpy_sum4(r, coef[t], s.P->colptr(s.idx[t]), coef[t + 1],
                    s.P->colptr(s.idx[t + 1]), coef[t + 2], s.P->colptr(s.idx[t + 2]),
                    coef[t + 3], s.P->colptr(s.idx[t + 3]), c);
        }
        for (; t < end; ++t) axpy(r, coef[t], s.P->colptr(s.idx[t]), c);
        quadratic_sweeps(r, f, s.GG->memptr(), s.inv, c, g, *s.pen, s.fixed, s.max_inner,
                         s.inner_tol);
        continue;
      }
      if ((phase == 0 && s.reuse) || (phase == 2 && !s.want_loss)) continue;
      corr = 0.0;
      for (std::size_t t = begin; t < end; ++t) {
        const double d = x[t] - dot(r, s.P->colptr(s.idx[t]), f);
        corr += s.del[t] * 0.5 * d * d;
        coef[t] = coef_other[other[t]] = s.del[t] * d;  // -delta (y - x)
      }
    }
    return s.want_loss ? corr : 0.0;
  }

  template <int RC>
  double line_base(const Pass &s, std::ptrdiff_t l, double *f, double *c, double *g) {
    return line_body<RC>(s, l, f, c, g);
  }
  template <int RC>
  BETANMF_TARGET_AVX2 double line_avx2(const Pass &s, std::ptrdiff_t l, double *f, double *c,
                                       double *g) {
    return line_body<RC>(s, l, f, c, g);
  }

  // The copy of the line update for this rank and processor.
  using LineFn = double (MaskedEm::*)(const Pass &, std::ptrdiff_t, double *, double *,
                                      double *);
  template <int RC> static LineFn line_for() {
    return isa_choice<LineFn>(&MaskedEm::line_base<RC>, &MaskedEm::line_avx2<RC>);
  }
  static LineFn line_fn(int r) {
    switch (r) {
    case 1: return line_for<1>();
    case 2: return line_for<2>();
    case 3: return line_for<3>();
    case 4: return line_for<4>();
    default: return line_for<0>();
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
    const Pass s{by_col,     valid_,     want_loss, r,   ptr.data(), idx.data(),
                 del.data(), &C,         &GG,       &P,  inv.data(), &pen,
                 fixed,      max_inner,  inner_tol};
    const LineFn line = line_fn(r);
#pragma omp parallel num_threads(team(threads, double(N) * r * r * max_inner))
    {
      std::vector<double> g(r), c(r);
#pragma omp for schedule(dynamic, 16)
      for (std::ptrdiff_t l = 0; l < N; ++l) {
        double *f = F.colptr(l);
        const double corr = (this->*line)(s, l, f, c.data(), g.data());
        if (want_loss) per_line[l] = corr;
      }
    }
    valid_ = want_loss;
    return want_loss ? ordered_sum(per_line) : 0.0;
  }
};

}  // namespace detail
}  // namespace betanmf
