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
#pragma once

#include "../config.hpp"
#include "../divergence.hpp"
#include "../kernels.hpp"
#include "../monitor.hpp"
#include "../prepare.hpp"
#include "../products.hpp"
#include "../weights.hpp"
#include "bcd_em.hpp"
#include "progress.hpp"
#include "quadratic.hpp"

#include <armadillo>
#include <cmath>
#include <limits>
#include <optional>
#include <vector>

namespace betanmf {

namespace detail {

// One factor step: each column f of F (r x N) solves the quadratic program
// above with Gram matrix G (r x r) and linear term C.col(j) (r x N). The
// first `fixed` coordinates of every column are known components: they enter
// G f but are never changed.
inline void bcd_update(arma::mat &F, const arma::mat &C, const arma::mat &G,
                       const Penalty &pen, int fixed, int max_inner, double inner_tol,
                       int threads) {
  const int r = static_cast<int>(F.n_rows);
  const std::ptrdiff_t N = F.n_cols;
  std::vector<double> inv(r);
  inverse_diagonal(r, G.memptr(), pen.l2, inv.data());
#pragma omp parallel num_threads(team(threads, double(N) * r * r * max_inner))
  {
    std::vector<double> g(r);
#pragma omp for schedule(static)
    for (std::ptrdiff_t j = 0; j < N; ++j)
      quadratic_sweeps(r, F.colptr(j), G.memptr(), inv.data(), C.colptr(j), g.data(), pen,
                       fixed, max_inner, inner_tol);
  }
}

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
      const double wxx =
          weighted_system(X, wts, by_col, l, GG, C, P, xx_line[l], list, G.data(), c.data());
      double *f = F.colptr(l);
      inverse_diagonal(r, G.data(), pen.l2, inv.data());
      quadratic_sweeps(r, f, G.data(), inv.data(), c.data(), g.data(), pen, fixed, max_inner,
                       inner_tol);
      // g = G_l f after the sweeps (kept current by them)
      per_line[l] = 0.5 * (wxx - 2.0 * dot(r, c.data(), f) + dot(r, g.data(), f));
    }
  }
  return std::max(0.0, detail::ordered_sum(per_line));
}

}  // namespace detail

// Runs BCD from Wt = W^T (r x m) and H (r x n), updating both in place.
// Fills the history, iteration count and convergence flags of `res`.
template <class Mat>
void solve_bcd(const Mat &X, arma::mat &Wt, arma::mat &H, const Config &cfg,
               Monitor &mon, Result &res, const Weights &wts) {
  IterationLog log(cfg, mon, res);
  // exact per-line Gram matrices for general weights; masks and weights in
  // [0, 1] take the majorization step with the plain Gram matrix
  std::optional<detail::MaskedEm> em;
  if (!wts.trivial() && detail::em_weights(wts)) em.emplace(X, wts);
  const bool weighted = !wts.trivial() && !em;
  const double xx = sum_squares(X);
  // the scale of the objective: the weighted sum of squares under weights
  // (a uniform weight of 1e-300 makes the objective 1e-300 times smaller)
  const double wxx = wts.trivial() ? xx : weighted_sum_squares(X, wts);
  log.set_noise_floor(64.0 * std::numeric_limits<double>::epsilon() * wxx);
  // where the Gram form is mostly rounding error, term by term (progress.hpp)
  log.set_exact(0.5 * wxx, [&] {
    return divergence_streamed(X, Wt, H, 2.0, cfg.threads, wts) +
           penalty_value(Wt, cfg.pen_w) + penalty_value(H, cfg.pen_h);
  });
  arma::mat cross_x_w, cross_x_h;  // W^T X (r x n) and H X^T (r x m)
  arma::mat gw, gh;                // W^T W and H H^T (r x r)
  // Per-line sums of squares for the weighted objective.
  std::vector<double> xx_col, xx_row;
  if (weighted) line_sums_of_squares(X, xx_col, xx_row);
  const bool need_products = !weighted || wts.base != 0.0;
  gram(H, gh);
  gram(Wt, gw);
  if (!cfg.updates_w() && need_products) cross_w(X, Wt, cross_x_w, cfg.threads);
  if (!cfg.updates_h() && need_products) cross_h(X, H, cross_x_h, cfg.threads);
  for (int it = 1; it <= cfg.max_iter; ++it) {
    double inner = 0.0, div = 0.0;  // inner = <W^T X, H> at the current W and H
    double corr = 0.0;              // weighted minus plain objective (em)
    if (cfg.updates_w()) {
      if (cfg.updates_h() && need_products) cross_h(X, H, cross_x_h, cfg.threads);
      if (weighted) {
        div = detail::bcd_update_weighted(X, wts, false, Wt, cross_x_h, gh, H, xx_row,
                                          cfg.pen_w, cfg.fixed_w, cfg.max_inner,
                                          cfg.inner_tol, cfg.threads);
      } else if (em) {
        corr = em->update_w(Wt, cross_x_h, gh, H, cfg.pen_w, cfg.fixed_w, cfg.max_inner,
                            cfg.inner_tol, !cfg.updates_h(), cfg.threads);
        inner = frob_dot(cross_x_h, Wt);
      } else {
        detail::bcd_update(Wt, cross_x_h, gh, cfg.pen_w, cfg.fixed_w, cfg.max_inner,
                           cfg.inner_tol, cfg.threads);
        inner = frob_dot(cross_x_h, Wt);
      }
      gram(Wt, gw);
    }
    if (cfg.updates_h()) {
      if (cfg.updates_w() && need_products) cross_w(X, Wt, cross_x_w, cfg.threads);
      if (weighted) {
        div = detail::bcd_update_weighted(X, wts, true, H, cross_x_w, gw, Wt, xx_col,
                                          cfg.pen_h, cfg.fixed_h, cfg.max_inner,
                                          cfg.inner_tol, cfg.threads);
      } else if (em) {
        corr = em->update_h(H, cross_x_w, gw, Wt, cfg.pen_h, cfg.fixed_h, cfg.max_inner,
                            cfg.inner_tol, true, cfg.threads);
        inner = frob_dot(cross_x_w, H);
      } else {
        detail::bcd_update(H, cross_x_w, gw, cfg.pen_h, cfg.fixed_h, cfg.max_inner,
                           cfg.inner_tol, cfg.threads);
        inner = frob_dot(cross_x_w, H);
      }
      gram(H, gh);
    }
    if (!weighted) div = std::max(0.0, 0.5 * (xx - 2.0 * inner + frob_dot(gw, gh)) + corr);
    res.iterations = it;
    if (log.record(it, div + penalty_value(Wt, cfg.pen_w) + penalty_value(H, cfg.pen_h)))
      break;
    if (log.interrupted()) break;
  }
}

}  // namespace betanmf
