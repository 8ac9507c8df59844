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
#include "../products.hpp"
#include "../weights.hpp"
#include "progress.hpp"

#include <armadillo>
#include <cmath>
#include <limits>
#include <vector>

namespace betanmf {

namespace detail {

// Cyclic exact coordinate minimization of f^T G f / 2 - c^T f + l1 1^T f +
// l2 / 2 f^T f over f >= 0 (r), coordinates k >= fixed only, with g = G f
// kept current; G is r x r column-major and inv[k] = 1 / (G_kk + l2), or 0
// for a component with nothing to fit (precomputed: a sweep has no
// division). Sweeps stop by the inner rule.
inline void quadratic_sweeps(int r, double *f, const double *G, const double *inv,
                             const double *c, double *g, const Penalty &pen, int fixed,
                             int max_inner, double inner_tol) {
  std::fill(g, g + r, 0.0);
  for (int l = 0; l < r; ++l)
    if (f[l] != 0.0) axpy(r, f[l], G + l * r, g);
  double first_move = 0.0;
  for (int sweep = 0; sweep < max_inner; ++sweep) {
    double move = 0.0;
    for (int k = fixed; k < r; ++k) {
      const double grad = g[k] - c[k] + pen.l1 + pen.l2 * f[k];
      const double fk = inv[k] > 0.0 ? std::max(0.0, f[k] - grad * inv[k]) : 0.0;
      const double d = fk - f[k];
      if (d != 0.0) {
        f[k] = fk;
        axpy(r, d, G + k * r, g);
        move += d * d;
      }
    }
    if (sweep == 0) first_move = move;
    if (move <= inner_tol * inner_tol * first_move) break;
  }
}

// inv[k] = 1 / (G_kk + l2) where positive, else 0.
inline void inverse_diagonal(int r, const double *G, double l2, double *inv) {
  for (int k = 0; k < r; ++k) {
    const double d = G[k * r + k] + l2;
    inv[k] = d > 0.0 ? 1.0 / d : 0.0;
  }
}

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

// The same step for weights in [0, 1] on top of base 1 (masks, missing
// values, down-weighted entries) by majorization: the weighted objective is
// majorized by the plain one on imputed data x~ = w x + (1 - w) y_old
// (the EM step for missing data; the majorizer touches the objective at the
// current factors), so one product and the plain Gram matrix serve every
// line and only the linear term is corrected, in O(listed entries x r):
//   c~_l = C_l + sum_listed (-delta) (y_old - x) g_p.
// Each step decreases the weighted objective. When want_loss, returns
// sum_listed delta (x - y_new)^2 / 2, the weighted objective minus the
// plain one at the updated factor.
template <class Mat>
double bcd_update_em(const Mat &X, const Weights &wts, bool by_col, arma::mat &F,
                     const arma::mat &C, const arma::mat &GG, const arma::mat &P,
                     const Penalty &pen, int fixed, int max_inner, double inner_tol,
                     bool want_loss, int threads) {
  const int r = static_cast<int>(F.n_rows);
  const std::ptrdiff_t N = F.n_cols;
  std::vector<double> per_line(N, 0.0), inv(r);
  inverse_diagonal(r, GG.memptr(), pen.l2, inv.data());
  // For the rows (W step) the corrections are gathered column by column, so
  // that X is read along its columns (a row of a dense X is strided): one
  // sequential pass, in a fixed order.
  arma::mat row_corr;
  if (!by_col) {
    row_corr.zeros(r, N);
    std::vector<WeightedEntry> list;
    for (std::size_t j = 0; j < P.n_cols; ++j) {
      gather_weights(X, wts, true, j, list);
      const double *h = P.colptr(j);
      for (const WeightedEntry &e : list) {
        const double *w = F.colptr(e.idx);
        axpy(r, -e.delta * (dot(r, w, h) - e.x), h, row_corr.colptr(e.idx));
      }
    }
  }
#pragma omp parallel num_threads(team(threads, double(N) * r * r * max_inner))
  {
    std::vector<double> g(r), c(r);
    std::vector<WeightedEntry> list;
#pragma omp for schedule(dynamic, 16)
    for (std::ptrdiff_t l = 0; l < N; ++l) {
      double *f = F.colptr(l);
      std::copy(C.colptr(l), C.colptr(l) + r, c.begin());
      if (by_col) {
        gather_weights(X, wts, true, l, list);
        for (const WeightedEntry &e : list) {
          const double *gp = P.colptr(e.idx);
          axpy(r, -e.delta * (dot(r, gp, f) - e.x), gp, c.data());
        }
      } else {
        axpy(r, 1.0, row_corr.colptr(l), c.data());
        if (want_loss) gather_weights(X, wts, false, l, list);
      }
      quadratic_sweeps(r, f, GG.memptr(), inv.data(), c.data(), g.data(), pen, fixed,
                       max_inner, inner_tol);
      if (!want_loss) continue;
      double corr = 0.0;
      for (const WeightedEntry &e : list) {
        const double d = e.x - dot(r, P.colptr(e.idx), f);
        corr += e.delta * 0.5 * d * d;
      }
      per_line[l] = corr;
    }
  }
  return detail::ordered_sum(per_line);
}

// Whether the weights fit bcd_update_em: base 1 and every weight in [0, 1].
inline bool em_weights(const Weights &wts) {
  if (wts.base != 1.0) return false;
  for (double d : wts.col_delta)
    if (d > 0.0 || d < -1.0) return false;
  return true;
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
  const bool em = !wts.trivial() && detail::em_weights(wts);
  const bool weighted = !wts.trivial() && !em;
  const double xx = sum_squares(X);
  log.set_noise_floor(64.0 * std::numeric_limits<double>::epsilon() * xx);
  arma::mat cross_x_w, cross_x_h;  // W^T X (r x n) and H X^T (r x m)
  arma::mat gw, gh;                // W^T W and H H^T (r x r)
  // Per-line sums of squares for the weighted objective.
  std::vector<double> xx_col, xx_row;
  if (weighted) line_sums_of_squares(X, xx_col, xx_row);
  const bool need_products = !weighted || wts.base != 0.0;
  gram(H, gh);
  gram(Wt, gw);
  if (!cfg.update_w && need_products) cross_w(X, Wt, cross_x_w, cfg.threads);
  if (!cfg.update_h && need_products) cross_h(X, H, cross_x_h, cfg.threads);
  for (int it = 1; it <= cfg.max_iter; ++it) {
    double inner = 0.0, div = 0.0;  // inner = <W^T X, H> at the current W and H
    double corr = 0.0;              // weighted minus plain objective (em)
    if (cfg.update_w) {
      if (cfg.update_h && need_products) cross_h(X, H, cross_x_h, cfg.threads);
      if (weighted) {
        div = detail::bcd_update_weighted(X, wts, false, Wt, cross_x_h, gh, H, xx_row,
                                          cfg.pen_w, cfg.fixed_w, cfg.max_inner,
                                          cfg.inner_tol, cfg.threads);
      } else if (em) {
        corr = detail::bcd_update_em(X, wts, false, Wt, cross_x_h, gh, H, cfg.pen_w,
                                     cfg.fixed_w, cfg.max_inner, cfg.inner_tol,
                                     !cfg.update_h, cfg.threads);
        inner = frob_dot(cross_x_h, Wt);
      } else {
        detail::bcd_update(Wt, cross_x_h, gh, cfg.pen_w, cfg.fixed_w, cfg.max_inner,
                           cfg.inner_tol, cfg.threads);
        inner = frob_dot(cross_x_h, Wt);
      }
      gram(Wt, gw);
    }
    if (cfg.update_h) {
      if (cfg.update_w && need_products) cross_w(X, Wt, cross_x_w, cfg.threads);
      if (weighted) {
        div = detail::bcd_update_weighted(X, wts, true, H, cross_x_w, gw, Wt, xx_col,
                                          cfg.pen_h, cfg.fixed_h, cfg.max_inner,
                                          cfg.inner_tol, cfg.threads);
      } else if (em) {
        corr = detail::bcd_update_em(X, wts, true, H, cross_x_w, gw, Wt, cfg.pen_h,
                                     cfg.fixed_h, cfg.max_inner, cfg.inner_tol, true,
                                     cfg.threads);
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
