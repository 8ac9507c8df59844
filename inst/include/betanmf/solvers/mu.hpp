// Majorization-minimization (multiplicative updates) for any beta
// (Fevotte & Idier 2011, Neural Comput 23:2421, eq. 4 and table 2):
//   H <- H o [ (W^T ((WH)^(beta-2) o X)) / (W^T (WH)^(beta-1) + l1 + l2 H) ]^gamma
//   gamma = 1 / (2 - beta) for beta < 1,  1 for 1 <= beta <= 2,
//           1 / (beta - 1) for beta > 2,
// which makes every update a guaranteed decrease of the objective (with an
// L2 penalty at beta < 2 the ratio is the exact minimizer of the auxiliary
// function instead, mu_terms.hpp, and no step takes the model at a positive
// datum below the model floor, where the update stops seeing it); W is
// updated the same way on X^T. One function serves both sides: it updates
// the lines (columns) of F (r x N) given the partner factor G (r x P), where a
// line of F meets line l of X (a column of X for H, a row for W).
// Sparse-aware:
//   beta = 1: only the non-zeros enter the numerator; the denominator is the
//     row sums of G (W^T 1), exact for the zeros.
//   beta = 2: the numerator is the product G X_l (products.hpp) and the
//     denominator (G G^T) f, so X is touched through its non-zeros.
//   other beta: mu_blocked.hpp, a block of columns at a time.
// The same pass also returns sum d_beta(X | WH) at the factors it started
// from, so the objective costs nothing extra.
#pragma once

#include "../config.hpp"
#include "../divergence.hpp"
#include "../gather.hpp"
#include "../kernels.hpp"
#include "../products.hpp"
#include "../stats.hpp"
#include "../weights.hpp"
#include "mu_blocked.hpp"
#include "mu_terms.hpp"
#include "progress.hpp"

#include <algorithm>
#include <armadillo>
#include <chrono>
#include <cmath>
#include <vector>

namespace betanmf {

// Updates every line of F (r x N) by one multiplicative step for beta = 1 or
// 2 (other betas: mu_blocked_update); G (r x P) is
// the partner factor. by_col = true: F = H, G = W^T, lines are columns of X.
// Under observation weights (weights.hpp) every term of both sums is
// multiplied by its weight. Returns sum_ij w_ij d_beta(X_ij | (WH)_ij) at
// the factors before the step (for beta = 2 from the Gram-matrix form, with
// xx_line the per-line sums of squares of X and xx their total). Without
// want_loss the KL value is skipped (a logarithm per non-zero) and the
// result is meaningless. kept (beta = 2): where not null, the product of
// G with X, computed into it when empty and reused when not, for a partner
// that does not change between steps (a known W or H). lines (beta = 2
// under weights): the listed entries of the lines of this side, kept once
// built (LineCache, weights.hpp), else gathered line by line.
template <class Mat>
double mu_update(const Mat &X, arma::mat &F, const arma::mat &G, bool by_col,
                 double beta, const Penalty &pen, int fixed, const SolverFloors &floors,
                 double f_floor, const Weights &wts, double xx,
                 const std::vector<double> &xx_line, int threads, bool want_loss = true,
                 arma::mat *kept = nullptr, const LineCache &lines = LineCache()) {
  const double y_floor = floors.model;
  const int r = static_cast<int>(F.n_rows);
  const std::ptrdiff_t N = F.n_cols;
  const bool weighted = !wts.trivial();
  std::vector<double> per_line(N, 0.0);
  // the largest entry of each partner component: sum_k gmax_k f_k bounds
  // the model of a line, for the ceiling of its step (stats.hpp)
  const arma::vec gmax = G.n_cols > 0 ? arma::vec(arma::max(G, 1)) : arma::vec(r, arma::fill::zeros);
  auto most = [&](const double *f) { return dot(r, gmax.memptr(), f); };
  if (beta == 2.0) {
    arma::mat own, gg;  // C = G X_l for every line (r x N), gg = G G^T
    arma::mat &C = kept != nullptr ? *kept : own;
    if ((!weighted || wts.base != 0.0) && C.is_empty()) {
      if (by_col) cross_w(X, G, C, threads);
      else cross_h(X, G, C, threads);
    }
    gram(G, gg);
    double before = 0.0, parts = 0.0;
    if (!weighted) {
      arma::mat ff;
      gram(F, ff);
      parts = 0.5 * (xx + frob_dot(gg, ff));
      before = std::max(0.0, 0.5 * (xx - 2.0 * frob_dot(C, F) + frob_dot(gg, ff)));
    }
    // the Gram form cancels at a large dynamic range: then term by term
    // (divergence.hpp), at the factors before the step
    if (want_loss && !weighted && before < detail::untrusted * parts)
      before = by_col ? divergence_streamed(X, G, F, 2.0, threads, wts)
                      : divergence_streamed(X, F, G, 2.0, threads, wts);
#pragma omp parallel num_threads(team(threads, double(N) * r * r))
    {
      std::vector<double> den(r), c(r), line, wline;
      std::vector<WeightedEntry> list;
#pragma omp for schedule(static)
      for (std::ptrdiff_t l = 0; l < N; ++l) {
        double *f = F.colptr(l);
        const double *num = weighted ? c.data() : C.colptr(l);
        std::fill(den.begin(), den.end(), 0.0);
        for (int k = 0; k < r; ++k)
          if (f[k] != 0.0) axpy(r, f[k], gg.memptr() + k * r, den.data());
        if (weighted) {
          const LineSpan entries =
              lines.line(l, list, [&](std::size_t q, std::vector<WeightedEntry> &out) {
                gather_weights(X, wts, by_col, q, out);
              });
          const double wxx =
              weighted_terms(wts, l, entries, C, G, xx_line[l], f, c.data(), den.data());
          per_line[l] = 0.5 * (wxx - 2.0 * dot(r, num, f) + dot(r, den.data(), f));
          // the quadratic form cancels at a large dynamic range: then term
          // by term over the line
          if (want_loss && !(per_line[l] >= detail::untrusted * 0.5 * (wxx + dot(r, den.data(), f))))
            per_line[l] = line_divergence(X, by_col, l, G, f, 2.0, wts, line, wline);
        }
        detail::mu_apply(r, fixed, f, num, den.data(), pen, beta, 0.0, 0.0,
                         detail::ratios_of(arma::datum::inf, most(f), floors).highest);
      }
    }
    return weighted ? std::max(0.0, detail::ordered_sum(per_line)) : before;
  }
  const arma::vec gsum = arma::sum(G, 1);  // sum over partners, for beta = 1
#pragma omp parallel num_threads(team(threads, entries(X) * r))
  {
    std::vector<double> num(r), den(r);
    Entries e;
#pragma omp for schedule(dynamic, 16)
    for (std::ptrdiff_t l = 0; l < N; ++l) {
      double *f = F.colptr(l);
      std::fill(num.begin(), num.end(), 0.0);
      double loss = 0.0;
      // KL: zeros contribute w y to the divergence and w g to the denominator.
      if (by_col) gather_col(X, l, e);
      else gather_row(X, l, e);
      // the line's listed weights, once for both uses below (generated ones
      // stay valid until the thread's next Weights::line())
      const WeightLine wl = weighted ? wts.line(by_col, l) : WeightLine();
      if (weighted) weigh_entries(e, wts.base, wl);
      double ysum = 0.0, least = arma::datum::inf;
      for (std::size_t t = 0; t < e.size(); ++t) {
        const double *g = G.colptr(e.idx[t]);
        // the objective at the exact model; the update with the floored one
        const double y_exact = dot(r, f, g), y = std::max(y_exact, y_floor), x = e.val[t];
        if (x > 0.0) least = std::min(least, detail::floor_guard(y_exact, y_floor));
        const double w = weighted ? e.w[t] : 1.0;
        if (want_loss) {
          loss += w * beta_div(x, y_exact, 1.0);
          ysum += w * y_exact;
        }
        axpy(r, w * x / y, g, num.data());
      }
      if (weighted) weighted_partner_sum(wts.base, wl, gsum, G, den.data());
      else std::copy(gsum.begin(), gsum.end(), den.begin());
      if (want_loss)
        loss = kl_line_divergence(loss, dot(r, f, den.data()), ysum, e.size() < G.n_cols,
                                  [&] { return mass_outside(G, f, e.idx, wts, by_col, l); });
      per_line[l] = loss;
      // no step takes the model at a positive datum below the floor
      // (least_ratio, mu_blocked.hpp)
      const detail::LineRatios q = detail::ratios_of(least, most(f), floors);
      detail::mu_apply(r, fixed, f, num.data(), den.data(), pen, beta, f_floor, q.lowest,
                       q.highest);
    }
  }
  return detail::ordered_sum(per_line);
}

// Runs the multiplicative updates from Wt = W^T (r x m) and H (r x n). The
// objective of iteration t is known during iteration t + 1 (it comes out of
// the first pass), so the history lags one pass behind the factors; the
// driver adds the final value.
template <class Mat>
void solve_mu(const Mat &X, arma::mat &Wt, arma::mat &H, const Config &cfg, Monitor &mon,
              Result &res, const Weights &wts) {
  IterationLog log(cfg, mon, res);
  const double xx = cfg.beta == 2.0 ? data_sum_squares(X, cfg) : 0.0;
  std::vector<double> xx_col, xx_row;
  if (cfg.beta == 2.0 && !wts.trivial()) line_sums_of_squares(X, xx_col, xx_row);
  const double max_x = data_max(X, cfg);
  SolverFloors floors = solver_floors(max_x, cfg.beta);
  floors.ceiling = cfg.model_limit / (8.0 * (static_cast<double>(X.m) + static_cast<double>(X.n)) *
                                      static_cast<double>(cfg.rank));
  // the factor floor of stats.hpp, for beta <= 1 only (a zero model is
  // finite otherwise)
  auto floor_of = [&](const arma::mat &F) {
    return cfg.beta <= 1.0 ? factor_floor(F.max(), max_x, cfg.beta) : 0.0;
  };
  // beta not in {1, 2}: block-wise dense kernels (mu_blocked.hpp)
  const bool blocked = cfg.beta != 1.0 && cfg.beta != 2.0;
  // one multiplicative step of H (by_col) or W; returns the objective before it
  MuBlockWork work;
  // beta = 2: the product of X with a known partner, computed once; under
  // stored weights the listed entries of each side's lines, gathered once
  arma::mat c_fixed_w, c_fixed_h;
  LineCache lines_col, lines_row;
  if (cfg.beta == 2.0 && LineCache::worth(wts)) {
    auto side = [&](LineCache &c, bool by_col) {
      c.build(by_col ? X.n : X.m, [&](std::size_t l, std::vector<WeightedEntry> &out) {
        gather_weights(X, wts, by_col, l, out);
      });
    };
    if (cfg.updates_h()) side(lines_col, true);
    if (cfg.updates_w()) side(lines_row, false);
  }
  auto step = [&](bool by_col, bool want_loss) {
    const Penalty &pen = by_col ? cfg.pen_h : cfg.pen_w;
    const int fixed = by_col ? cfg.fixed_h : cfg.fixed_w;
    const double f_floor = floor_of(by_col ? H : Wt);
    if (blocked)
      return mu_blocked_update(X, Wt, H, by_col, cfg.beta, pen, fixed, floors, f_floor, wts,
                               want_loss, cfg.threads, work);
    return by_col ? mu_update(X, H, Wt, true, cfg.beta, pen, fixed, floors, f_floor, wts, xx,
                              xx_col, cfg.threads, want_loss,
                              cfg.updates_w() ? nullptr : &c_fixed_w, lines_col)
                  : mu_update(X, Wt, H, false, cfg.beta, pen, fixed, floors, f_floor, wts, xx,
                              xx_row, cfg.threads, want_loss,
                              cfg.updates_h() ? nullptr : &c_fixed_h, lines_row);
  };
  for (int it = 1; it <= cfg.max_iter; ++it) {
    const double pen = penalty_value(Wt, cfg.pen_w) + penalty_value(H, cfg.pen_h);
    double before = arma::datum::nan;
    if (cfg.updates_w()) before = step(false, true);
    if (cfg.updates_h()) {
      // the objective comes from the first pass; the second skips it
      const double v = step(true, !cfg.updates_w());
      if (!cfg.updates_w()) before = v;
    }
    res.iterations = it;
    if (it >= 2 && log.record(it - 1, before + pen)) break;
    if (log.interrupted()) break;
  }
}

}  // namespace betanmf
