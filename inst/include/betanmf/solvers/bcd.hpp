// Block coordinate descent for beta = 2 (HALS): minimizes
//   f(W, H) = ||X - W H||_F^2 / 2 + l1_W sum(W) + l2_W / 2 ||W||^2
//                                 + l1_H sum(H) + l2_H / 2 ||H||^2,   W, H >= 0,
// alternating between H and W. Given W, the objective separates over the
// columns h_j of H into the non-negative quadratic programs
//   min_h  h^T G h / 2 - c_j^T h + l1 1^T h + l2 / 2 h^T h,
//   G = W^T W (r x r),  c_j = column j of W^T X,
// solved by cyclic exact coordinate minimization (the rank-one HALS update of
// Cichocki & Phan 2009, IEICE Trans Fundam E92-A:708, eq. 15):
//   h_k <- max(0, h_k - ((G h)_k - c_k + l1 + l2 h_k) / (G_kk + l2)).
// Several sweeps reuse one product with X (Gillis & Glineur 2012, Neural
// Comput 24:1085): they stop when a sweep moves h by less than inner_tol times
// the first sweep did. The W step is the same on the rows of W with G = H H^T
// and c_i = row i of X H^T. X enters only through W^T X and X H^T
// (products.hpp), so a sparse X costs O(nnz r) per iteration.
// The objective is evaluated from the same products and Gram matrices:
//   ||X - WH||^2 = ||X||^2 - 2 <W^T X, H> + <W^T W, H H^T>.
// Unless masks take the majorization step (bcd_em.hpp), successive
// iterations are extrapolated (Ang & Gillis 2019, Neural Comput 31:417):
// each factor step starts from, and its partner is, the last update moved
// further along its direction, with a restart rule that keeps the objective
// monotone (solve_bcd_extrapolated).
#pragma once

#include "../config.hpp"
#include "../divergence.hpp"
#include "../kernels.hpp"
#include "../monitor.hpp"
#include "../prepare.hpp"
#include "../products.hpp"
#include "../weights.hpp"
#include "bcd_em.hpp"
#include "extrapolation.hpp"
#include "progress.hpp"
#include "quadratic.hpp"

#include <armadillo>
#include <cmath>
#include <limits>
#include <optional>
#include <vector>

namespace betanmf {

namespace detail {

// The same step under observation weights (weights.hpp): line l of F gets
//   G_l = base GG + sum_listed delta g_p g_p^T,  c_l = base C_l + sum_listed delta x g_p,
// with g_p the columns of the partner factor P (r x lines of the other side).
// Returns the weighted half squared error at the updated factor,
//   sum_l (sum_i w x^2 - 2 c_l^T f + f^T G_l f) / 2,
// given xx_line, the per-line sums of squares of X.
template <class Mat>
double bcd_update_weighted(const Mat &X, const Weights &wts, bool by_col, arma::mat &F,
                           const arma::mat &C, const arma::mat &GG, const arma::mat &P,
                           const std::vector<double> &xx_line, const Penalty &pen,
                           int fixed, int max_inner, double inner_tol, int threads) {
  const int r = static_cast<int>(F.n_rows);
  const std::ptrdiff_t N = F.n_cols;
  std::vector<double> per_line(N, 0.0);
#pragma omp parallel num_threads(team(threads, double(N) * r * r * max_inner))
  {
    std::vector<double> g(r), c(r), inv(r), G(static_cast<std::size_t>(r) * r);
    std::vector<WeightedEntry> list;
#pragma omp for schedule(dynamic, 16)
    for (std::ptrdiff_t l = 0; l < N; ++l) {
      // the line's system and penalties times a power of two (weights.hpp)
      gather_weights(X, wts, by_col, l, list);
      const double s = line_weight_scale(wts.base, list, std::max(pen.l1, pen.l2));
      const double wxx = weighted_system(wts.base, list, l, GG, C, P, xx_line[l], G.data(),
                                         c.data(), s);
      Penalty scaled;
      scaled.l1 = s * pen.l1;
      scaled.l2 = s * pen.l2;
      double *f = F.colptr(l);
      inverse_diagonal(r, G.data(), scaled.l2, inv.data());
      double before = 0.0;
      for (int k = 0; k < r; ++k) before = std::max(before, std::abs(f[k]));
      quadratic_sweeps(r, f, G.data(), inv.data(), c.data(), g.data(), scaled, fixed,
                       max_inner, inner_tol);
      // g = G_l f after the sweeps, kept current by increments; where the
      // line shrank by more than 2^10 those cancel, and g is formed again
      // (a flat start beside an outlier: the objective after the first
      // iteration came out 4.5% below the exact one, fuzz seed 8, call 78628)
      double after = 0.0;
      for (int k = 0; k < r; ++k) after = std::max(after, std::abs(f[k]));
      if (before > 0x1.0p10 * after)
        for (int k = 0; k < r; ++k)
          g[k] = dot(r, G.data() + static_cast<std::size_t>(k) * r, f);
      per_line[l] = 0.5 * (wxx - 2.0 * dot(r, c.data(), f) + dot(r, g.data(), f)) / s;
    }
  }
  return std::max(0.0, detail::ordered_sum(per_line));
}

}  // namespace detail

// BCD with extrapolation between iterations (extrapolation.hpp), for both
// factors learned without the majorization step of masks. The objective of
// a candidate comes from the H step's products (or from the weighted line
// systems); `resume` and the result as for solve_extrapolated().
template <class Mat>
int solve_bcd_extrapolated(const Mat &X, arma::mat &Wt, arma::mat &H, const Config &cfg,
                           IterationLog &log, Result &res, const Weights &wts, double xx,
                           const BcdState &resume) {
  const bool weighted = !wts.trivial();
  const bool need_products = !weighted || wts.base != 0.0;
  std::vector<double> xx_col, xx_row;
  if (weighted) line_sums_of_squares(X, xx_col, xx_row);
  arma::mat cross_x_h, cross_x_w, gw, gh;
  // W (r x m) from `start` against the partner P (r x n), into F. Without
  // weights the product H X^T is formed in F itself and each batch of
  // lines overwrites its own columns of it (bcd_update()).
  auto step_w = [&](const arma::mat &start, arma::mat &F, const arma::mat &P) {
    gram(P, gh, cfg.threads);
    if (weighted) {
      F = start;
      if (need_products) cross_h(X, P, cross_x_h, cfg.threads);
      detail::bcd_update_weighted(X, wts, false, F, cross_x_h, gh, P, xx_row, cfg.pen_w,
                                  cfg.fixed_w, cfg.max_inner, cfg.inner_tol, cfg.threads);
    } else {
      cross_h(X, P, F, cfg.threads);
      detail::bcd_update(start, F, F, gh, cfg.pen_w, cfg.fixed_w, cfg.max_inner,
                         cfg.inner_tol, cfg.threads);
    }
  };
  // H (r x n) against P = W^T; returns the divergence at (P, F) after it.
  auto step_h = [&](arma::mat &F, const arma::mat &P) {
    gram(P, gw, cfg.threads);
    if (need_products) cross_w(X, P, cross_x_w, cfg.threads);
    if (weighted)
      return detail::bcd_update_weighted(X, wts, true, F, cross_x_w, gw, P, xx_col,
                                         cfg.pen_h, cfg.fixed_h, cfg.max_inner,
                                         cfg.inner_tol, cfg.threads);
    detail::bcd_update(F, cross_x_w, gw, cfg.pen_h, cfg.fixed_h, cfg.max_inner, cfg.inner_tol,
                       cfg.threads);
    gram(F, gh, cfg.threads);
    return std::max(0.0, 0.5 * (xx - 2.0 * frob_dot(cross_x_w, F) + frob_dot(gw, gh)));
  };
  // the objective of the current iterate, as the iteration that made it
  // computed it
  auto current = [&] {
    double loss;
    if (weighted) {
      loss = divergence(X, Wt, H, 2.0, cfg.threads, wts);
    } else {
      cross_w(X, Wt, cross_x_w, cfg.threads);
      gram(Wt, gw, cfg.threads);
      gram(H, gh, cfg.threads);
      loss = std::max(0.0, 0.5 * (xx - 2.0 * frob_dot(cross_x_w, H) + frob_dot(gw, gh)));
    }
    return loss + penalty_value(Wt, cfg.pen_w) + penalty_value(H, cfg.pen_h);
  };
  return solve_extrapolated(Wt, H, cfg, log, res, resume, step_w, step_h, current);
}

// BCD under a mask (weights in [0, 1]) by the majorization step of
// bcd_em.hpp, from Wt, H in place. The coefficients of an iteration's first
// step are those of the iterate before it, so the weighted objective of
// that iterate comes with them: iteration t is recorded at the start of
// iteration t + 1, before anything moves (the stop rule then leaves the
// factors it judged), and the last one after a final pass.
template <class Mat>
void solve_bcd_em(const Mat &X, arma::mat &Wt, arma::mat &H, const Config &cfg,
                  IterationLog &log, Result &res, detail::MaskedEm &em, double xx) {
  arma::mat cross_x_w, cross_x_h;  // W^T X (r x n) and H X^T (r x m)
  arma::mat gw, gh;                // W^T W and H H^T (r x r)
  gram(H, gh, cfg.threads);
  gram(Wt, gw, cfg.threads);
  if (!cfg.updates_w()) cross_w(X, Wt, cross_x_w, cfg.threads);
  if (!cfg.updates_h()) cross_h(X, H, cross_x_h, cfg.threads);
  const bool first_w = cfg.updates_w();  // the side of an iteration's first step
  double plain = 0.0;                    // the plain objective part of the last iterate
  for (int it = 1;; ++it) {
    const double corr = first_w ? em.prepare(false, Wt, H, cfg.threads)
                                : em.prepare(true, H, Wt, cfg.threads);
    if (it > 1) {
      res.iterations = it - 1;
      const double div = std::max(0.0, plain + corr);
      if (log.record(it - 1, div + penalty_value(Wt, cfg.pen_w) + penalty_value(H, cfg.pen_h)))
        break;
      if (log.interrupted()) break;
    }
    if (it > cfg.max_iter) break;
    double inner = 0.0;  // <W^T X, H> at the updated W and H
    if (cfg.updates_w()) {
      if (cfg.updates_h()) cross_h(X, H, cross_x_h, cfg.threads);
      em.update(false, Wt, cross_x_h, gh, cfg.pen_w, cfg.fixed_w, cfg.max_inner,
                cfg.inner_tol, cfg.threads);
      inner = frob_dot(cross_x_h, Wt);
      gram(Wt, gw, cfg.threads);
    }
    if (cfg.updates_h()) {
      if (cfg.updates_w()) {
        cross_w(X, Wt, cross_x_w, cfg.threads);
        em.prepare(true, H, Wt, cfg.threads);
      }
      em.update(true, H, cross_x_w, gw, cfg.pen_h, cfg.fixed_h, cfg.max_inner,
                cfg.inner_tol, cfg.threads);
      inner = frob_dot(cross_x_w, H);
      gram(H, gh, cfg.threads);
    }
    plain = 0.5 * (xx - 2.0 * inner + frob_dot(gw, gh));
  }
}

// Runs BCD from Wt = W^T (r x m) and H (r x n), updating both in place.
// Fills the history, iteration count and convergence flags of `res`;
// `resume` as for solve_bcd_extrapolated.
template <class Mat>
void solve_bcd(const Mat &X, arma::mat &Wt, arma::mat &H, const Config &cfg,
               Monitor &mon, Result &res, const Weights &wts,
               const BcdState &resume = BcdState()) {
  IterationLog log(cfg, mon, res);
  // exact per-line Gram matrices for general weights; masks and weights in
  // [0, 1] take the majorization step with the plain Gram matrix
  std::optional<detail::MaskedEm> em;
  if (!wts.trivial() && detail::em_weights(wts)) em.emplace(X, wts);
  const bool weighted = !wts.trivial() && !em;
  const double xx = data_sum_squares(X, cfg);
  // the scale of the objective: the weighted sum of squares under weights
  // (a uniform weight of 1e-300 makes the objective 1e-300 times smaller)
  const double wxx = wts.trivial() ? xx : weighted_sum_squares(X, wts);
  log.set_noise_floor(64.0 * std::numeric_limits<double>::epsilon() * wxx);
  // where the Gram form is mostly rounding error, term by term (progress.hpp)
  log.set_exact(0.5 * wxx, [&] {
    return divergence_streamed(X, Wt, H, 2.0, cfg.threads, wts) +
           penalty_value(Wt, cfg.pen_w) + penalty_value(H, cfg.pen_h);
  });
  if (em) {
    solve_bcd_em(X, Wt, H, cfg, log, res, *em, xx);
    return;
  }
  int first = 1;
  if (cfg.extrapolate && cfg.updates_w() && cfg.updates_h()) {
    const int done = solve_bcd_extrapolated(X, Wt, H, cfg, log, res, wts, xx, resume);
    if (done < 0) return;
    first = done + 1;  // plain steps from the last accepted iterate
  }
  arma::mat cross_x_w, cross_x_h;  // W^T X (r x n) and H X^T (r x m)
  arma::mat gw, gh;                // W^T W and H H^T (r x r)
  // Per-line sums of squares for the weighted objective.
  std::vector<double> xx_col, xx_row;
  if (weighted) line_sums_of_squares(X, xx_col, xx_row);
  const bool need_products = !weighted || wts.base != 0.0;
  gram(H, gh, cfg.threads);
  gram(Wt, gw, cfg.threads);
  if (!cfg.updates_w() && need_products) cross_w(X, Wt, cross_x_w, cfg.threads);
  if (!cfg.updates_h() && need_products) cross_h(X, H, cross_x_h, cfg.threads);
  for (int it = first; it <= cfg.max_iter; ++it) {
    double inner = 0.0, div = 0.0;  // inner = <W^T X, H> at the current W and H
    if (cfg.updates_w()) {
      if (cfg.updates_h() && need_products) cross_h(X, H, cross_x_h, cfg.threads);
      if (weighted) {
        div = detail::bcd_update_weighted(X, wts, false, Wt, cross_x_h, gh, H, xx_row,
                                          cfg.pen_w, cfg.fixed_w, cfg.max_inner,
                                          cfg.inner_tol, cfg.threads);
      } else {
        detail::bcd_update(Wt, cross_x_h, gh, cfg.pen_w, cfg.fixed_w, cfg.max_inner,
                           cfg.inner_tol, cfg.threads);
        inner = frob_dot(cross_x_h, Wt);
      }
      gram(Wt, gw, cfg.threads);
    }
    if (cfg.updates_h()) {
      if (cfg.updates_w() && need_products) cross_w(X, Wt, cross_x_w, cfg.threads);
      if (weighted) {
        div = detail::bcd_update_weighted(X, wts, true, H, cross_x_w, gw, Wt, xx_col,
                                          cfg.pen_h, cfg.fixed_h, cfg.max_inner,
                                          cfg.inner_tol, cfg.threads);
      } else {
        detail::bcd_update(H, cross_x_w, gw, cfg.pen_h, cfg.fixed_h, cfg.max_inner,
                           cfg.inner_tol, cfg.threads);
        inner = frob_dot(cross_x_w, H);
      }
      gram(H, gh, cfg.threads);
    }
    if (!weighted) div = std::max(0.0, 0.5 * (xx - 2.0 * inner + frob_dot(gw, gh)));
    res.iterations = it;
    if (log.record(it, div + penalty_value(Wt, cfg.pen_w) + penalty_value(H, cfg.pen_h)))
      break;
    if (log.interrupted()) break;
  }
}

}  // namespace betanmf
