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
// The pass that moves a coordinate also tests the step and sums the Newton
// terms of the next coordinate, so each coordinate reads the line once
// (step_pass); the line's objective takes the vectorized logarithm of
// vmath.hpp (kl_nonzero_sums, divergence.hpp), and the last pass's
// objective is the fit's divergence (Result::divergence_known).
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

// The Newton terms of a coordinate with partner g at the model 1 / iy:
// s1 = sum_t x_t g_t / y_t and s2 = sum_t x_t g_t^2 / y_t^2, for the first
// coordinate of a line and after a coordinate that did not move (the pass
// of a step sums them for the next coordinate, step_pass()). Without a
// division, one running sum would wait on its own addition at every entry,
// so the entries go into 16 partial sums (entry t into sum t mod 16), added
// in order at the end.
BETANMF_ALWAYS_INLINE void newton_sums(std::size_t nnz, const double *x, const double *g,
                                       const double *iy, double &s1, double &s2) {
  constexpr std::size_t L = 16;
  alignas(64) double a[L] = {}, c[L] = {};
  std::size_t t0 = 0;
#if defined(__GNUC__)
  // the partial sums in registers (GCC keeps an array of them in memory)
  typedef double v4 __attribute__((vector_size(32), aligned(8)));
  v4 a0 = {0, 0, 0, 0}, a1 = a0, a2 = a0, a3 = a0, c0 = a0, c1 = a0, c2 = a0, c3 = a0;
// four doubles at p, read in place (a function returning them would change
// its calling convention between the plain and the AVX2 copy)
#define BETANMF_V4(p) (*reinterpret_cast<const v4 *>(p))
  for (; t0 + L <= nnz; t0 += L) {
    const double *xt = x + t0, *gt = g + t0, *it = iy + t0;
    const v4 q0 = BETANMF_V4(xt) * BETANMF_V4(gt) * BETANMF_V4(it);
    const v4 q1 = BETANMF_V4(xt + 4) * BETANMF_V4(gt + 4) * BETANMF_V4(it + 4);
    const v4 q2 = BETANMF_V4(xt + 8) * BETANMF_V4(gt + 8) * BETANMF_V4(it + 8);
    const v4 q3 = BETANMF_V4(xt + 12) * BETANMF_V4(gt + 12) * BETANMF_V4(it + 12);
    a0 += q0;
    a1 += q1;
    a2 += q2;
    a3 += q3;
    c0 += q0 * BETANMF_V4(gt) * BETANMF_V4(it);
    c1 += q1 * BETANMF_V4(gt + 4) * BETANMF_V4(it + 4);
    c2 += q2 * BETANMF_V4(gt + 8) * BETANMF_V4(it + 8);
    c3 += q3 * BETANMF_V4(gt + 12) * BETANMF_V4(it + 12);
  }
#undef BETANMF_V4
  for (int u = 0; u < 4; ++u) {
    a[u] = a0[u];
    a[u + 4] = a1[u];
    a[u + 8] = a2[u];
    a[u + 12] = a3[u];
    c[u] = c0[u];
    c[u + 4] = c1[u];
    c[u + 8] = c2[u];
    c[u + 12] = c3[u];
  }
#else
  for (; t0 + L <= nnz; t0 += L) {
    for (std::size_t u = 0; u < L; ++u) {
      const double q = x[t0 + u] * g[t0 + u] * iy[t0 + u];
      a[u] += q;
      c[u] += q * g[t0 + u] * iy[t0 + u];
    }
  }
#endif
  for (std::size_t u = 0; t0 + u < nnz; ++u) {
    const double q = x[t0 + u] * g[t0 + u] * iy[t0 + u];
    a[u] += q;
    c[u] += q * g[t0 + u] * iy[t0 + u];
  }
  double sa = 0.0, sc = 0.0;
  for (std::size_t u = 0; u < L; ++u) {
    sa += a[u];
    sc += c[u];
  }
  s1 = sa;
  s2 = sc;
}

// What one pass of a step d on a coordinate (partner g) finds: the smallest
// yn - 2^-40 y (`lowest`), whether some yn fell below 2^-26 y (`cut`), the
// ratio sum_t x_t g_t / yn_t of the moved model, and the Newton terms n1, n2
// of the next coordinate (partner gn) at the moved model.
struct StepSums {
  double lowest = 0.0, ratio = 0.0, n1 = 0.0, n2 = 0.0;
  int cut = 0;
};

// The model moved by d along g, yn = y + d g and iyn = 1 / max(yn, y_floor),
// with the sums of StepSums in the same pass (the next coordinate's only
// when `next`): every entry is read once per coordinate instead of once to
// sum the terms, once to move the model and once to test the step.
template <bool next>
BETANMF_ALWAYS_INLINE StepSums step_pass(std::size_t nnz, double d, const double *x,
                                         const double *g, const double *gn, const double *y,
                                         double *yn, double *iyn, double y_floor) {
  double lowest = arma::datum::inf, ratio = 0.0, n1 = 0.0, n2 = 0.0;
  int cut = 0;
#pragma omp simd reduction(min : lowest) reduction(| : cut) reduction(+ : ratio, n1, n2)
  for (std::size_t t = 0; t < nnz; ++t) {
    const double v = y[t] + d * g[t];
    const double iv = 1.0 / std::max(v, y_floor);
    yn[t] = v;
    iyn[t] = iv;
    cut |= static_cast<int>(v < 0x1.0p-26 * y[t]);
    lowest = std::min(lowest, v - 0x1.0p-40 * y[t]);
    ratio += x[t] * g[t] * iv;
    if (next) {
      const double q = x[t] * gn[t] * iv;
      n1 += q;
      n2 += q * gn[t] * iv;
    }
  }
  StepSums out;
  out.lowest = lowest;
  out.cut = cut;
  out.ratio = ratio;
  out.n1 = n1;
  out.n2 = n2;
  return out;
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
// Every line asks this once, and almost always finds none: the test runs
// over all entries without a branch, so that it vectorizes.
BETANMF_ALWAYS_INLINE bool zero_at_positive(std::size_t nnz, const double *x, const double *y,
                                            const double *g = nullptr) {
  int found = 0;
  if (g == nullptr) {
#pragma omp simd reduction(| : found)
    for (std::size_t t = 0; t < nnz; ++t)
      found |= static_cast<int>(x[t] > 0.0) & static_cast<int>(!(y[t] > 0.0));
  } else {
#pragma omp simd reduction(| : found)
    for (std::size_t t = 0; t < nnz; ++t)
      found |= static_cast<int>(x[t] > 0.0) & static_cast<int>(!(y[t] > 0.0)) &
               static_cast<int>(g[t] > 0.0);
  }
  return found != 0;
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
  // s1, s2 of coordinate k, when the pass that moved coordinate k - 1 summed them
  bool have_sums = false;
  double s1 = 0.0, s2 = 0.0;
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
    if (!have_sums) newton_sums(nnz, x, gk, iy, s1, s2);
    have_sums = false;
    const double lin = s[k] + pen.l1;
    const double d1 = lin + pen.l2 * f[k] - s1, d2 = pen.l2 + s2;
    double d = d2 > 0.0 ? std::max(0.0, f[k] - d1 / d2) - f[k] : (d1 > 0.0 ? -f[k] : 0.0);
    // far below the minimum, Newton's step is d = f (1 - lin f / sum x g / y...) ~ f:
    // it doubles the coordinate, pass after pass
    if (d1 < 0.0 && ((f[k] > 0.0 && d >= 0.99 * f[k] && d <= 1.01 * f[k]) ||
                     !(d2 <= std::numeric_limits<double>::max())))
      d = cd_upward_step(f[k], d, lin, pen.l2, x, gk, y, nnz, y_floor);
    if (d == 0.0) continue;
    // the pass that moves coordinate k also sums the Newton terms of
    // coordinate k + 1 at the moved model (kept if the step is taken); while
    // the model is uncovered, the next coordinate may need the escape first
    const double *gn = k + 1 < r && !uncovered ? gk + nnz : nullptr;
    StepSums sums;
    for (int halvings = 0;; ++halvings) {
      sums = gn != nullptr ? step_pass<true>(nnz, d, x, gk, gn, y, yn, iyn, y_floor)
                           : step_pass<false>(nnz, d, x, gk, gn, y, yn, iyn, y_floor);
      // y is updated step by step: where a step removes all but 2^-26 of
      // it, what remains carries the rounding of the larger value (a
      // component 1e5 times the rest leaves 1e-6 of noise on a model of 1,
      // and the next step could then empty a model it only appears to
      // leave positive). There the model is summed again from the
      // coordinates, so that the test below sees it as it is, and the sums
      // are taken again (rare: only downward steps that nearly empty the
      // model get here).
      if (sums.cut) {
        sums.lowest = arma::datum::inf;
        for (std::size_t t = 0; t < nnz; ++t) {
          if (yn[t] < 0x1.0p-26 * y[t]) {
            double v = 0.0;
            for (int q = 0; q < r; ++q)
              v += b.gt[static_cast<std::size_t>(q) * nnz + t] *
                   (q == k ? std::max(0.0, f[k] + d) : f[q]);
            yn[t] = v;
            iyn[t] = 1.0 / std::max(v, y_floor);
          }
          sums.lowest = std::min(sums.lowest, yn[t] - 0x1.0p-40 * y[t]);
        }
        sums.ratio = weighted_ratio(nnz, x, gk, iyn);
        if (gn != nullptr) newton_sums(nnz, x, gn, iyn, sums.n1, sums.n2);
      }
      if (d > 0.0) break;  // upward steps never pass the minimum
      // a step that empties the model at a positive datum (or cuts it by
      // more than 2^40 at once) is an infinite divergence, whatever the
      // floored derivative says (a datum far below the floor, 1e-300 among
      // counts of 1e0)
      const double d1_new = lin + pen.l2 * (f[k] + d) - sums.ratio;
      if (sums.lowest > 0.0 && d1 + d1_new >= 0.0) break;
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
    if (gn != nullptr) {
      s1 = sums.n1;
      s2 = sums.n2;
      have_sums = true;
    }
  }
  // keep the buffers' current model where the next caller expects it
  if (y != b.y.data()) {
    std::swap(b.y, b.y_new);
    std::swap(b.iy, b.iy_new);
  }
  if (!want_loss) return 0.0;
  double nz = 0.0, ysum = 0.0;
  kl_nonzero_sums(nnz, x0, b.y.data(), b.e.w.empty() ? nullptr : b.e.w.data(), &nz, &ysum);
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
  const double y_floor = solver_floors(data_max(X, cfg), 1.0).model;
  int first = 1;
  if (cfg.extrapolate && cfg.updates_w() && cfg.updates_h()) {
    auto step_w = [&](const arma::mat &start, arma::mat &F, const arma::mat &P) {
      F = start;
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
    // the last pass summed the exact divergence at the factors the fit ends
    // with (kl_line_divergence); without weights, zero_unobserved() (fit.hpp)
    // leaves them as they are
    res.divergence = div;
    res.divergence_known = wts.trivial();
    if (log.record(it, div + penalty_value(Wt, cfg.pen_w) + penalty_value(H, cfg.pen_h)))
      break;
    if (log.interrupted()) break;
  }
}

}  // namespace betanmf
