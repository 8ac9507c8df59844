// Coordinate descent for beta = 1 (generalized Kullback-Leibler), after
// Hsieh & Dhillon (2011, KDD, "Fast coordinate descent methods with variable
// selection for non-negative matrix factorization", section 4). Given the
// partner factor G (r x P), each line f (r) of the factor being updated
// solves the convex problem
//   min_f  sum_{p in nz} -x_p log(y_p) + sum_k (s_k + l1) f_k + l2 / 2 ||f||^2,
//   y_p = g_p^T f,  s = G 1 (row sums of G),  f >= 0,
// where only the non-zeros x_p of the data line enter: the zeros contribute
// y_p, whose sum is s^T f. Each coordinate takes one projected Newton step
//   f_k <- max(0, f_k - d1 / d2),
//   d1 = s_k + l1 + l2 f_k - sum_p x_p G_kp / y_p,
//   d2 = l2 + sum_p x_p G_kp^2 / y_p^2,
// and y is updated in O(nnz). The derivative d1 is concave in f_k, so an
// upward step (d1 < 0) never passes the one-dimensional minimum and always
// decreases the objective; a downward step is halved until a bound on the
// change of the objective proves a decrease (see cd_kl_line), so every step
// is monotone. One sweep per line and pass: unlike BCD, a sweep costs as
// much as the pass itself, and more passes converge faster per second.
#pragma once

#include "../config.hpp"
#include "../divergence.hpp"
#include "../gather.hpp"
#include "../kernels.hpp"
#include "../stats.hpp"
#include "../weights.hpp"
#include "cd_partner.hpp"
#include "extrapolation.hpp"
#include "progress.hpp"

#include <algorithm>
#include <armadillo>
#include <cmath>
#include <limits>
#include <vector>

namespace betanmf {

namespace detail {

// Work buffers of one thread.
struct CdBuffers {
  Entries e;
  std::vector<double> gt;  // partner columns at the non-zeros, k-major: gt[k * nnz + t]
  std::vector<double> y;   // the model at the non-zeros
  std::vector<double> iy;  // 1 / y
  std::vector<double> y_new, iy_new;
  std::vector<double> xw;  // weighted data w x at the non-zeros
  std::vector<double> s;   // weighted partner sums of the line
};

// sum_t x_t g_t / y_t over the non-zeros.
inline double weighted_ratio(std::size_t nnz, const double *x, const double *g,
                             const double *iy) {
  double s = 0.0;
#pragma omp simd reduction(+ : s)
  for (std::size_t t = 0; t < nnz; ++t) s += x[t] * g[t] * iy[t];
  return s;
}

// An upward step of coordinate f0 (its derivative is negative there) where Newton's
// step `newton` at least doubles it or its second derivative overflowed
// (the model near zero at a positive datum, e.g. a start with zeros):
// Newton undershoots there, so that reaching the minimum from 1e-100 would
// take hundreds of passes. The step doubles while the derivative at its end
// stays <= 0 (the minimum is not passed, so the objective decreases all the
// way); from an overflow it starts at the bound sum(x) / lin - f0, beyond
// which the derivative is positive, and halves until it is <= 0 there.
inline double cd_upward_step(double f0, double newton, double lin, double l2,
                             const double *x, const double *g, const double *y,
                             std::size_t nnz, double y_floor) {
  double xsum = 0.0;
  for (std::size_t t = 0; t < nnz; ++t) xsum += x[t];
  const double top = xsum / lin - f0;
  auto slope = [&](double d) {
    double s = 0.0;
    for (std::size_t t = 0; t < nnz; ++t) s += x[t] * g[t] / std::max(y[t] + d * g[t], y_floor);
    return lin + l2 * (f0 + d) - s;
  };
  double best = newton > 0.0 && newton <= top ? newton : 0.0;
  double trial = best > 0.0 ? std::min(2.0 * best, top) : top;
  for (int tries = 0; tries < 64 && trial > best && std::isfinite(trial); ++tries) {
    if (slope(trial) <= 0.0) {
      best = trial;
      trial = std::min(2.0 * trial, top);
    } else if (best > 0.0) {
      break;
    } else {
      trial *= 0.5;
    }
  }
  return best;
}

// An upward step of coordinate f0 where the model is exactly zero at a
// positive (weighted) datum that the coordinate's partner reaches: the
// divergence is infinite there and its true derivative is -inf, while the
// floored one may be positive (a datum of weight 1e-300, or 1e-299 itself,
// beside counts of weight 1: its floored pull x g / y_floor is nothing).
// The one-dimensional minimum lies at the root of the unfloored slope
//   phi(d) = lin + l2 (f0 + d) - sum_t x_t g_t / (y_t + d g_t),
// increasing in d, -inf at 0+ and >= 0 at d = sum(x) / lin (each term is at
// most x_t / d); the step halves from that bound until phi <= 0 (so the
// objective falls all the way from the infinite start) and the model is
// positive at every positive datum the partner reaches. 0 if none is.
inline double cd_escape_zero(double f0, double lin, double l2, const double *x,
                             const double *g, const double *y, std::size_t nnz) {
  double xsum = 0.0;
  for (std::size_t t = 0; t < nnz; ++t) xsum += x[t];
  if (!(lin > 0.0) && !(l2 > 0.0)) return 0.0;
  double d = lin > 0.0 ? xsum / lin : std::sqrt(xsum / l2);
  for (int halvings = 0; halvings < 2200 && d > 0.0 && std::isfinite(d); ++halvings, d *= 0.5) {
    double pull = 0.0;
    bool covered = true;
    for (std::size_t t = 0; t < nnz; ++t) {
      if (g[t] == 0.0 || x[t] == 0.0) continue;
      const double v = y[t] + d * g[t];
      covered = covered && v > 0.0;
      pull += x[t] * g[t] / v;
    }
    if (!covered) return 0.0;
    if (lin + l2 * (f0 + d) - pull <= 0.0) return d;
  }
  return 0.0;
}

// True when the model is exactly zero at a positive (weighted) datum; with
// g, only at one where the partner g is positive (one the coordinate reaches).
inline bool zero_at_positive(std::size_t nnz, const double *x, const double *y,
                             const double *g = nullptr) {
  for (std::size_t t = 0; t < nnz; ++t)
    if (x[t] > 0.0 && !(y[t] > 0.0) && (g == nullptr || g[t] > 0.0)) return true;
  return false;
}

// Updates one line f (r) by one sweep of projected Newton steps over its
// coordinates. Returns the line's part of the divergence afterwards,
// sum_nz (x log(x / y) - x) + s^T f, when `want_loss`, else 0.
//
// Monotonicity of a downward step (d1 > 0) without evaluating logarithms:
// d1 is concave along the coordinate, so the trapezoid rule underestimates
//   f(h0) - f(h1) = int_{h1}^{h0} d1(t) dt >= (h0 - h1) (d1(h0) + d1(h1)) / 2;
// the step is accepted once d1(h0) + d1(h1) >= 0 and halved otherwise.
//
// The divergence is the exact terms at the non-zeros plus the model's mass
// at the zeros (kl_line_divergence, divergence.hpp), which (wts, by_col, l)
// let it sum term by term where the difference form cancels.
BETANMF_ALWAYS_INLINE double cd_kl_line_body(double *f, const arma::mat &G, const double *s,
                                             CdBuffers &b, const Penalty &pen, int fixed,
                                             double y_floor, bool want_loss,
                                             const Weights &wts, bool by_col, std::size_t l) {
  const int r = static_cast<int>(G.n_rows);
  const std::size_t nnz = b.e.size();
  // Under weights the Newton terms see w x (a weight scales x log y) while
  // the logarithms keep x itself.
  const double *x0 = b.e.val.data(), *x = x0;
  if (!b.e.w.empty()) {
    b.xw.resize(nnz);
    for (std::size_t t = 0; t < nnz; ++t) b.xw[t] = b.e.w[t] * x0[t];
    x = b.xw.data();
  }
  b.gt.resize(static_cast<std::size_t>(r) * nnz);
  b.y.resize(nnz);
  b.iy.resize(nnz);
  b.y_new.resize(nnz);
  b.iy_new.resize(nnz);
  gather_partner({&G, b.e.idx.data(), nnz, f, y_floor, b.gt.data(), b.y.data(), b.iy.data()});
  double *y = b.y.data(), *iy = b.iy.data(), *yn = b.y_new.data(), *iyn = b.iy_new.data();
  // a zero model at a positive datum (a given start with zeros) needs the
  // unfloored step; steps never empty the model, so once covered it stays so
  bool uncovered = zero_at_positive(nnz, x, y);
  for (int k = fixed; k < r; ++k) {
    const double *gk = b.gt.data() + k * nnz;
    if (uncovered) {
      const bool reaches = zero_at_positive(nnz, x, y, gk);
      const double d = reaches ? cd_escape_zero(f[k], s[k] + pen.l1, pen.l2, x, gk, y, nnz) : 0.0;
      if (d > 0.0) {
        for (std::size_t t = 0; t < nnz; ++t) {
          y[t] += d * gk[t];
          iy[t] = 1.0 / std::max(y[t], y_floor);
        }
        f[k] += d;
        uncovered = zero_at_positive(nnz, x, y);
      }
      if (reaches) continue;
    }
    double s1 = 0.0, s2 = 0.0;
#pragma omp simd reduction(+ : s1, s2)
    for (std::size_t t = 0; t < nnz; ++t) {
      const double q = x[t] * gk[t] * iy[t];
      s1 += q;
      s2 += q * gk[t] * iy[t];
    }
    const double lin = s[k] + pen.l1;
    const double d1 = lin + pen.l2 * f[k] - s1, d2 = pen.l2 + s2;
    double d = d2 > 0.0 ? std::max(0.0, f[k] - d1 / d2) - f[k] : (d1 > 0.0 ? -f[k] : 0.0);
    // far below the minimum, Newton's step is d = f (1 - lin f / sum x g / y...) ~ f:
    // it doubles the coordinate, pass after pass
    if (d1 < 0.0 && ((f[k] > 0.0 && d >= 0.99 * f[k] && d <= 1.01 * f[k]) ||
                     !(d2 <= std::numeric_limits<double>::max())))
      d = cd_upward_step(f[k], d, lin, pen.l2, x, gk, y, nnz, y_floor);
    if (d == 0.0) continue;
    for (int halvings = 0;; ++halvings) {
      // what remains of y after this coordinate leaves may still be
      // rounding of a model that is really zero: `lowest` must stay > 0
      double lowest = arma::datum::inf;
      int cut = 0;
#pragma omp simd reduction(min : lowest) reduction(| : cut)
      for (std::size_t t = 0; t < nnz; ++t) {
        yn[t] = y[t] + d * gk[t];
        iyn[t] = 1.0 / std::max(yn[t], y_floor);
        cut |= static_cast<int>(yn[t] < 0x1.0p-26 * y[t]);
        lowest = std::min(lowest, yn[t] - 0x1.0p-40 * y[t]);
      }
      // y is updated step by step: where a step removes all but 2^-26 of
      // it, what remains carries the rounding of the larger value (a
      // component 1e5 times the rest leaves 1e-6 of noise on a model of 1,
      // and the next step could then empty a model it only appears to
      // leave positive). There the model is summed again from the
      // coordinates, so that the test below sees it as it is (rare: only
      // downward steps that nearly empty the model get here).
      if (cut) {
        lowest = arma::datum::inf;
        for (std::size_t t = 0; t < nnz; ++t) {
          if (yn[t] < 0x1.0p-26 * y[t]) {
            double v = 0.0;
            for (int q = 0; q < r; ++q)
              v += b.gt[static_cast<std::size_t>(q) * nnz + t] *
                   (q == k ? std::max(0.0, f[k] + d) : f[q]);
            yn[t] = v;
            iyn[t] = 1.0 / std::max(v, y_floor);
          }
          lowest = std::min(lowest, yn[t] - 0x1.0p-40 * y[t]);
        }
      }
      if (d > 0.0) break;  // upward steps never pass the minimum
      // a step that empties the model at a positive datum (or cuts it by
      // more than 2^40 at once) is an infinite divergence, whatever the
      // floored derivative says (a datum far below the floor, 1e-300 among
      // counts of 1e0)
      const double d1_new = lin + pen.l2 * (f[k] + d) - weighted_ratio(nnz, x, gk, iyn);
      if (lowest > 0.0 && d1 + d1_new >= 0.0) break;
      if (halvings == 40) {
        d = 0.0;
        break;
      }
      d *= 0.5;
    }
    if (d == 0.0) continue;
    f[k] = std::max(0.0, f[k] + d);
    std::swap(y, yn);
    std::swap(iy, iyn);
  }
  // keep the buffers' current model where the next caller expects it
  if (y != b.y.data()) {
    std::swap(b.y, b.y_new);
    std::swap(b.iy, b.iy_new);
  }
  if (!want_loss) return 0.0;
  const double *w = b.e.w.empty() ? nullptr : b.e.w.data();
  double nz = 0.0, ysum = 0.0;
  for (std::size_t t = 0; t < nnz; ++t) {
    const double wt = w != nullptr ? w[t] : 1.0;
    nz += wt * beta_div(x0[t], b.y[t], 1.0);
    ysum += wt * b.y[t];
  }
  return kl_line_divergence(nz, dot(r, s, f), ysum, nnz < G.n_cols,
                            [&] { return mass_outside(G, f, b.e.idx, wts, by_col, l); });
}

// The line update in a plain and an AVX2 copy (dispatch.hpp).
inline double cd_kl_line_base(double *f, const arma::mat &G, const double *s, CdBuffers &b,
                              const Penalty &pen, int fixed, double y_floor, bool want_loss,
                              const Weights &wts, bool by_col, std::size_t l) {
  return cd_kl_line_body(f, G, s, b, pen, fixed, y_floor, want_loss, wts, by_col, l);
}
BETANMF_TARGET_AVX2 inline double cd_kl_line_avx2(double *f, const arma::mat &G,
                                                  const double *s, CdBuffers &b,
                                                  const Penalty &pen, int fixed,
                                                  double y_floor, bool want_loss,
                                                  const Weights &wts, bool by_col,
                                                  std::size_t l) {
  return cd_kl_line_body(f, G, s, b, pen, fixed, y_floor, want_loss, wts, by_col, l);
}
inline double cd_kl_line(double *f, const arma::mat &G, const double *s, CdBuffers &b,
                         const Penalty &pen, int fixed, double y_floor, bool want_loss,
                         const Weights &wts, bool by_col, std::size_t l) {
  return isa_choice(&cd_kl_line_base, &cd_kl_line_avx2)(f, G, s, b, pen, fixed, y_floor,
                                                        want_loss, wts, by_col, l);
}

}  // namespace detail

// One pass over the lines of F (r x N) with partner G (r x P): columns of X
// (F = H, G = W^T) when by_col, rows (F = W^T, G = H) otherwise. Returns the
// divergence at the updated factors.
template <class Mat>
double cd_kl_update(const Mat &X, arma::mat &F, const arma::mat &G, bool by_col,
                    const Config &cfg, const Penalty &pen, int fixed, double y_floor,
                    bool want_loss, const Weights &wts) {
  const bool weighted = !wts.trivial();
  const std::ptrdiff_t N = F.n_cols;
  const arma::vec s = arma::sum(G, 1);
  std::vector<double> per_line(N, 0.0);
#pragma omp parallel num_threads(team(cfg.threads, entries(X) * F.n_rows))
  {
    detail::CdBuffers b;
#pragma omp for schedule(dynamic, 16)
    for (std::ptrdiff_t l = 0; l < N; ++l) {
      if (by_col) gather_col(X, l, b.e);
      else gather_row(X, l, b.e);
      const double *sl = s.memptr();
      if (weighted) {
        const WeightLine wl = wts.line(by_col, l);  // once for both
        weigh_entries(b.e, wts.base, wl);
        b.s.resize(s.n_elem);
        weighted_partner_sum(wts.base, wl, s, G, b.s.data());
        sl = b.s.data();
      }
      per_line[l] = detail::cd_kl_line(F.colptr(l), G, sl, b, pen, fixed, y_floor, want_loss,
                                       wts, by_col, static_cast<std::size_t>(l));
    }
  }
  return detail::ordered_sum(per_line);
}

// Runs coordinate descent for beta = 1 from Wt = W^T (r x m) and H (r x n).
// With Config::extrapolate and both factors learned, iterations are
// extrapolated (extrapolation.hpp; every pass is monotone, so the rule that
// keeps the objective from rising holds as for BCD). `resume` as for
// solve_extrapolated().
template <class Mat>
void solve_cd(const Mat &X, arma::mat &Wt, arma::mat &H, const Config &cfg, Monitor &mon,
              Result &res, const Weights &wts, const BcdState &resume = BcdState()) {
  IterationLog log(cfg, mon, res);
  // Only a guard against dividing by zero (stats.hpp): the steps see the
  // exact model, so a step that would empty the model at a positive datum
  // meets an infinite derivative there and is halved.
  const double y_floor = solver_floors(max_value(X), 1.0).model;
  int first = 1;
  if (cfg.extrapolate && cfg.updates_w() && cfg.updates_h()) {
    auto step_w = [&](arma::mat &F, const arma::mat &P) {
      (void)cd_kl_update(X, F, P, false, cfg, cfg.pen_w, cfg.fixed_w, y_floor, false, wts);
    };
    auto step_h = [&](arma::mat &F, const arma::mat &P) {
      return cd_kl_update(X, F, P, true, cfg, cfg.pen_h, cfg.fixed_h, y_floor, true, wts);
    };
    auto current = [&] {
      return divergence(X, Wt, H, 1.0, cfg.threads, wts) + penalty_value(Wt, cfg.pen_w) +
             penalty_value(H, cfg.pen_h);
    };
    const int done = solve_extrapolated(Wt, H, cfg, log, res, resume, step_w, step_h, current);
    if (done < 0) return;
    first = done + 1;
  }
  for (int it = first; it <= cfg.max_iter; ++it) {
    double div = 0.0;
    if (cfg.updates_w())
      div = cd_kl_update(X, Wt, H, false, cfg, cfg.pen_w, cfg.fixed_w, y_floor, !cfg.updates_h(),
                         wts);
    if (cfg.updates_h())
      div = cd_kl_update(X, H, Wt, true, cfg, cfg.pen_h, cfg.fixed_h, y_floor, true, wts);
    res.iterations = it;
    if (log.record(it, div + penalty_value(Wt, cfg.pen_w) + penalty_value(H, cfg.pen_h)))
      break;
    if (log.interrupted()) break;
  }
}

}  // namespace betanmf
