// Extrapolation between the iterations of an alternating solver (Ang &
// Gillis 2019, Neural Comput 31:417, algorithm 2, with their parameters for
// HALS), shared by BCD (beta = 2) and coordinate descent (beta = 1). Wt, H
// hold the current iterate, whose objective the history reports. An
// iteration updates W from the current W against H_y, then H from H_y
// against W_y, where
//   W_y = max(0, W_new + b (W_new - W_prev)),   H_y = max(0, H_new + b (H_new - H))
// move the plain updates on along their last step (W_prev: the plain W
// update of the iteration before). The pair (W_y, H_new) is feasible and its
// objective comes with the H step; it becomes the current iterate if it is
// no worse. Otherwise the step is rejected: the iterate stays, b shrinks by
// eta, its ceiling drops to the b before, and the next iteration is a plain
// step from the iterate, which never increases the objective (both solvers
// are monotone). Accepted steps grow b by gamma up to the ceiling, which
// grows by gamma_bar up to 1. So the reported objective never increases,
// and the stop rule only looks at accepted steps.
#pragma once

#include "../config.hpp"
#include "../kernels.hpp"
#include "progress.hpp"

#include <algorithm>
#include <armadillo>
#include <cmath>
#include <utility>

namespace betanmf {

namespace detail {

// out = max(0, now + beta (now - before)), element-wise on F (r x N): `now`
// moved on along its last step. `out` may be `before`. The first `fixed`
// coordinates of each column (known components) are copied from `now`.
inline void extrapolate(const arma::mat &now, const arma::mat &before, double beta, int fixed,
                        arma::mat &out, int threads) {
  out.set_size(now.n_rows, now.n_cols);
  const std::ptrdiff_t r = now.n_rows, N = now.n_cols;
#pragma omp parallel for schedule(static) num_threads(team(threads, double(N) * r * 8))
  for (std::ptrdiff_t j = 0; j < N; ++j) {
    const double *a = now.colptr(j), *b = before.colptr(j);
    double *o = out.colptr(j);
    for (std::ptrdiff_t k = 0; k < fixed; ++k) o[k] = a[k];
#pragma omp simd
    for (std::ptrdiff_t k = fixed; k < r; ++k) o[k] = std::max(0.0, a[k] + beta * (a[k] - b[k]));
  }
}

}  // namespace detail

// The loop above. step_w(start, out, P) writes to out the update of W^T
// (r x m) from `start` against the partner P (r x n); `out` holds nothing
// the step needs, so BCD forms its product X H^T there (one m x r block
// fewer: Wt, the plain update and W_y are all a step keeps alive).
// step_h(F, P) updates H = F (r x n) in place against P = W^T and
// returns the divergence at (P, F) after it; current() is the objective of
// the current iterate (divergence plus penalties), needed only to resume.
// `resume` (possibly empty) is the state a fit ended with, to go on from
// Wt, H as that fit would have; its end state goes to res.bcd_state.
// Returns -1 when done; else the iterations completed when the objective of
// a candidate was not to be trusted (IterationLog::trusted(): BCD's Gram
// form, mostly rounding error when an outlier dominates ||X||^2), since a
// step cannot be judged then: Wt, H are the last accepted iterate, from
// which the caller goes on with plain steps.
template <class StepW, class StepH, class Current>
int solve_extrapolated(arma::mat &Wt, arma::mat &H, const Config &cfg, IterationLog &log,
                       Result &res, const BcdState &resume, StepW &&step_w, StepH &&step_h,
                       Current &&current) {
  constexpr double beta0 = 0.5, eta = 1.5, gamma = 1.01, gamma_bar = 1.005;
  arma::mat w_next, w_prev = Wt;  // the plain W update; the one before it (or W_y)
  arma::mat h_from = H, h_next;   // H_y, start and partner of the next steps; the H update
  double beta = beta0, beta_max = 1.0, beta_before = beta0;  // b_n, its ceiling, b_(n-1)
  double loss = arma::datum::inf;
  bool plain = true;  // no direction to extrapolate along
  if (!resume.empty() && arma::size(resume.w_prev) == arma::size(Wt) &&
      arma::size(resume.h_from) == arma::size(H)) {
    w_prev = resume.w_prev;
    h_from = resume.h_from;
    // known components as given now
    if (cfg.fixed_w > 0) w_prev.rows(0, cfg.fixed_w - 1) = Wt.rows(0, cfg.fixed_w - 1);
    if (cfg.fixed_h > 0) h_from.rows(0, cfg.fixed_h - 1) = H.rows(0, cfg.fixed_h - 1);
    beta = resume.beta;
    beta_max = resume.beta_max;
    beta_before = resume.beta_before;
    plain = resume.plain;
    // the objective of the current iterate, against which an accepted step
    // is judged: the one the fit ended with when it is this iterate's up to
    // rounding (recomputed, it may differ in the last bit, and a rejected
    // first step would then report a loss one longer fit never had)
    loss = current();
    if (std::abs(resume.loss - loss) <= 1e-12 * std::abs(loss)) loss = resume.loss;
  }
  for (int it = 1; it <= cfg.max_iter; ++it) {
    const double b = beta;
    step_w(Wt, w_next, h_from);
    if (!plain) detail::extrapolate(w_next, w_prev, b, cfg.fixed_w, w_prev, cfg.threads);
    const arma::mat &w_try = plain ? w_next : w_prev;
    h_next = h_from;
    const double f = step_h(h_next, w_try) + penalty_value(w_try, cfg.pen_w) +
                     penalty_value(h_next, cfg.pen_h);
    if (!log.trusted(f)) return it - 1;
    res.iterations = it;
    bool stop;
    if (plain || f <= loss) {
      if (plain) {
        w_prev = w_next;
        std::swap(Wt, w_next);
      } else {
        std::swap(Wt, w_prev);  // Wt = W_y
        std::swap(w_prev, w_next);
        beta = std::min(beta_max, gamma * b);
        beta_max = std::min(1.0, gamma_bar * beta_max);
      }
      detail::extrapolate(h_next, H, b, cfg.fixed_h, h_from, cfg.threads);
      std::swap(H, h_next);
      loss = f;
      plain = false;
      stop = log.record(it, loss);
    } else {
      h_from = H;
      w_prev = Wt;
      beta_max = beta_before;
      beta = b / eta;
      plain = true;
      stop = log.record(it, loss, false);
    }
    beta_before = b;
    if (stop || log.interrupted()) break;
  }
  res.bcd_state = {std::move(w_prev), std::move(h_from), beta, beta_max, beta_before, plain, loss};
  return -1;
}

}  // namespace betanmf
