// One NMF fit from start to finish: starting factors, the solver, then the
// scaling and ordering of the components in the result.
#pragma once

#include "config.hpp"
#include "divergence.hpp"
#include "init.hpp"
#include "monitor.hpp"
#include "scale.hpp"
#include "solvers/bcd.hpp"
#include "solvers/cd.hpp"
#include "solvers/mu.hpp"
#include "stats.hpp"

#include <algorithm>
#include <armadillo>
#include <chrono>
#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>

namespace betanmf {

// A flat positive start for the one factor left empty when the other is
// given (a projection: H for a fixed W, or W for a fixed H): every entry
// equals the level at which the model W H has the mean of X. Zeros would
// never move under the multiplicative updates, and nothing of size m x n or
// n x n is formed. For beta = 1 with penalties on the empty factor the
// level is instead the best flat one: with the model y_ij = L a_i (a_i the
// row sums of W; for an empty W the same over columns), N lines of the
// empty factor and T = sum X,
//   d/dL [sum_ij (y_ij - x_ij log y_ij) + r N (l1 L + l2 L^2 / 2)]
//     = N sum_i a_i - T / L + r N (l1 + l2 L) = 0,
// whose positive root is L = 2 T / (b + sqrt(b^2 + 4 r N l2 T)) with
// b = N (sum_i a_i + r l1). Coordinate descent moves a coordinate down by
// at most 2^40 per step, so that a penalty that puts the minimum 2^400
// below the data's level (data near 1e275 beside a known W) would take
// many iterations to reach from the unpenalized level.
template <class Mat>
void flat_partner(const Mat &X, arma::uword r, const Config &cfg, arma::mat &W, arma::mat &H) {
  // With every entry of the empty factor equal to `level`, the mean of W H
  // is level * sum_k mean_i W_ik (for H empty) or level * sum_k mean_j H_kj.
  const bool fill_h = H.is_empty();
  const arma::mat &given = fill_h ? W : H;
  const double lines = static_cast<double>(std::max<arma::uword>(fill_h ? W.n_rows : H.n_cols, 1));
  // A given factor of zeros (a fit whose every component the penalties
  // emptied) leaves the model zero whatever the level: then the level is
  // the smallest start below, not the mean over a zero, which overflows;
  // over a subnormal factor it stops at 2^900, whose products stay finite.
  const double scale = arma::accu(given) / lines;
  const double mean_x = mean_value(X);
  const double level = scale > 0.0 ? std::min(mean_x / scale, 0x1.0p900) : 0.0;
  const Penalty &pen = fill_h ? cfg.pen_h : cfg.pen_w;
  double penalized = 0.0;  // the best flat level under the penalties, when below
  if (cfg.beta == 1.0 && scale > 0.0 && (pen.l1 > 0.0 || pen.l2 > 0.0)) {
    const double N = static_cast<double>(fill_h ? X.n : X.m), rd = static_cast<double>(r);
    const double total = mean_x * static_cast<double>(X.m) * static_cast<double>(X.n);
    const double b = N * (arma::accu(given) + rd * pen.l1);
    const double q = 4.0 * rd * N * pen.l2 * total;
    const double best = 2.0 * total / (b + (b > 0.0 ? b * std::sqrt(1.0 + q / b / b)
                                                    : std::sqrt(q)));
    if (best > 0.0 && std::isfinite(best) && best < level) penalized = best;
  }
  arma::mat &empty = fill_h ? H : W;
  empty.set_size(fill_h ? r : X.m, fill_h ? X.n : r);
  empty.fill(penalized > 0.0 ? penalized
                             : std::max(level, std::numeric_limits<double>::epsilon()));
}

// Starting factors W (m x r) and H (r x n) for X.
template <class Mat>
void initialize(const Mat &X, const Config &cfg, Init init, arma::mat &W, arma::mat &H) {
  // NNDSVD needs rank singular pairs, so at most min(m, n) components (a
  // larger catalog of known components starts at random)
  if (init == Init::nndsvd && static_cast<std::size_t>(cfg.rank) > std::min(X.m, X.n))
    init = Init::random;
  switch (init) {
  case Init::nndsvd:
    // Exact zeros are absorbing for multiplicative updates and make the
    // divergence infinite for beta < 2: fill them with mean(X) (NNDSVDa).
    init_nndsvd(X, cfg.rank, cfg.seed, cfg.threads,
                cfg.solver == Solver::bcd ? 0.0 : mean_value(X), W, H);
    // its blocks (m x (rank + 10)) of 16 MB or more go back to the system
    if (8.0 * static_cast<double>(X.m) * (cfg.rank + 10) >= 16.0 * (1 << 20))
      release_freed_memory();
    break;
  case Init::random:
    init_random(X.m, X.n, cfg.rank, mean_value(X), cfg.seed, W, H);
    break;
  case Init::given:
    // the shapes of given factors are checked by fit()
    if (W.is_empty() != H.is_empty())
      flat_partner(X, static_cast<arma::uword>(cfg.rank), cfg, W, H);
    // Zeros are absorbing for the multiplicative updates, and for beta <= 1
    // a model that is zero at a positive datum is an infinite divergence:
    // the learned parts of a given start begin at least at the factor floor
    // of the solver (stats.hpp), which changes the model by some 1e-240.
    if (cfg.solver == Solver::mu && cfg.beta <= 1.0 && W.n_cols == H.n_rows) {
      const double max_x = data_max(X, cfg);
      const double fw = factor_floor(W.max(), max_x, cfg.beta),
                   fh = factor_floor(H.max(), max_x, cfg.beta);
      const auto r = static_cast<arma::uword>(cfg.rank);
      for (arma::uword k = static_cast<arma::uword>(cfg.fixed_w); k < std::min(r, W.n_cols); ++k)
        W.col(k).transform([fw](double w) { return std::max(w, fw); });
      for (arma::uword k = static_cast<arma::uword>(cfg.fixed_h); k < std::min(r, H.n_rows); ++k)
        H.row(k).transform([fh](double h) { return std::max(h, fh); });
    }
    break;
  }
}

// The sum (l1) or norm (l2) of column k of W (m x r) by which
// finalize_components() moves its scale into row k of H, or 0 where that
// would take H past the largest double: under weights spanning 1e300 a
// component may carry W of 1e208 against H of 1e88 at its heavy entries,
// and its other products are entries of negligible weight.
inline double normalizer(const arma::mat &W, const arma::mat &H, arma::uword k,
                         Normalize normalize) {
  const double s = normalize == Normalize::l1 ? arma::accu(W.col(k)) : arma::norm(W.col(k), 2);
  if (!(s > 0.0) || !std::isfinite(s)) return 0.0;
  const double top = H.n_rows > k ? H.row(k).max() : 0.0;
  return std::isfinite(s * top) ? s : 0.0;
}

// Moves the scale of each column of W into the matching row of H (so WH is
// unchanged) and orders the components by decreasing total contribution
// sum_ij W_ik H_kj. Zero components keep zero scale; no division by zero.
// Returns the order: component k of the result was component order[k] of
// the solver, so a warm start can restore the solver's order.
inline std::vector<arma::uword> finalize_components(arma::mat &W, arma::mat &H,
                                                    Normalize normalize,
                                                    bool sort_components) {
  const arma::uword r = W.n_cols;
  if (normalize != Normalize::none) {
    for (arma::uword k = 0; k < r; ++k) {
      const double s = normalizer(W, H, k, normalize);
      if (s > 0.0) {
        W.col(k) /= s;
        H.row(k) *= s;
      }
    }
  }
  std::vector<arma::uword> order(r);
  std::iota(order.begin(), order.end(), 0);
  if (!sort_components || r < 2) return order;
  arma::vec total(r);
  for (arma::uword k = 0; k < r; ++k)
    total[k] = arma::accu(W.col(k)) * arma::accu(H.row(k));
  std::stable_sort(order.begin(), order.end(),
                   [&](arma::uword a, arma::uword b) { return total[a] > total[b]; });
  // Permute in place, one cycle at a time by swaps: H can be as large as the
  // data, and H.rows(idx) would hold a second copy of it.
  std::vector<bool> done(r, false);
  for (arma::uword start = 0; start < r; ++start) {
    if (done[start]) continue;
    // position k of the result takes component order[k]; the cycle through
    // start ends where order[k] == start, whose component is then at k
    arma::uword k = start;
    while (order[k] != start) {
      W.swap_cols(k, order[k]);
      H.swap_rows(k, order[k]);
      done[k] = true;
      k = order[k];
    }
    done[k] = true;
  }
  return order;
}

// Rows (columns) of X whose every weight is zero: their rows of W (columns
// of H) are not determined by the data and are set to zero.
inline void zero_unobserved(const Weights &wts, arma::mat &Wt, arma::mat &H) {
  if (wts.trivial()) return;
  for (std::size_t i = 0; i < wts.m; ++i)
    if (wts.row_weight[i] <= 0.0) Wt.col(i).zeros();
  for (std::size_t j = 0; j < wts.n; ++j)
    if (wts.col_weight[j] <= 0.0) H.col(j).zeros();
}

// Scales the BCD state as finalize_components() will scale the factors
// (W (m x r) before it): component k of w_prev by 1 / s_k, of h_from by s_k.
inline void scale_like_normalized(const arma::mat &W, const arma::mat &H, Normalize normalize,
                                  BcdState &state) {
  if (state.empty() || normalize == Normalize::none) return;
  for (arma::uword k = 0; k < W.n_cols; ++k) {
    const double s = normalizer(W, H, k, normalize);
    if (s > 0.0) {
      state.w_prev.row(k) /= s;
      state.h_from.row(k) *= s;
    }
  }
}

// Scales the BCD state as scale_by_power_of_two() the factors: its W part
// by 2^kw, its H part by 2^kh.
inline void scale_state_by_power_of_two(BcdState &state, int kw, int kh) {
  if (state.empty() || (kw == 0 && kh == 0)) return;
  scale_by_power_of_two(state.w_prev, kw);
  scale_by_power_of_two(state.h_from, kh);
}

// A given start (W' m x r, H' r x n, at the scale of the fit) whose mean
// model lies more than 2^100 from the mean of the data X' is moved to it
// by one power of two on both factors: a start drawn near 1 for data at
// 1e-300 is 2^1000 at scale, where the terms of the divergence overflow and
// the first steps are NaN. Only for data fitted at a scale (k != 0), without
// known components; any positive multiple of a start is a start.
template <class Mat>
void rescale_far_start(const Mat &Xs, arma::mat &W, arma::mat &H) {
  if (W.is_empty() || H.is_empty()) return;
  const double mean_x = mean_value(Xs);
  if (!(mean_x > 0.0)) return;
  // log2 of the mean model sum_c a_c b_c / (m n) (a_c, b_c the sums of
  // column c of W and row c of H), summed in log space: at scale the start
  // of all-subnormal data is some 2^1090, whose products overflow
  const arma::rowvec a = arma::sum(W, 0);
  const arma::vec b = arma::sum(H, 1);
  std::vector<double> logs;
  for (arma::uword c = 0; c < a.n_elem; ++c)
    if (a[c] > 0.0 && b[c] > 0.0 && std::isfinite(a[c]) && std::isfinite(b[c]))
      logs.push_back(std::log2(a[c]) + std::log2(b[c]));
  if (logs.empty()) return;
  const double top = *std::max_element(logs.begin(), logs.end());
  double sum = 0.0;
  for (double l : logs) sum += std::exp2(l - top);
  const double log_mean_y = top + std::log2(sum) - std::log2(static_cast<double>(W.n_rows)) -
                            std::log2(static_cast<double>(H.n_cols));
  const double gap = std::log2(mean_x) - log_mean_y;
  if (std::abs(gap) <= 100.0) return;
  const int e = static_cast<int>(std::lround(gap / 2.0));
  scale_by_power_of_two(W, e);
  scale_by_power_of_two(H, e);
}

// The fit of X (already at a moderate scale, scale.hpp) from W (m x r) and
// H (r x n): the solver, the unobserved lines set to zero and the exact
// divergence. The history, the scaling and the order come later (fit()).
// `resume`: the BCD state a fit of the same data ended with, at this scale.
template <class Mat>
[[nodiscard]] Result solve_at_scale(const Mat &X, arma::mat W, arma::mat H,
                                    const Config &cfg, Monitor &mon, const Weights &wts,
                                    const BcdState &resume) {
  Result res;
  arma::mat Wt = W.t();
  W.reset();  // the solvers work on W^T; one m x r block fewer while they run
  if (cfg.updates_w() || cfg.updates_h()) {
    // Every solver updates W through passes along the rows of X: a sparse
    // X's row index is built here by all the threads, not by the one that
    // first reaches it inside a parallel region while the others wait.
    if constexpr (Mat::is_sparse) {
      if (cfg.updates_w() && cfg.max_iter > 0) (void)X.rows(cfg.threads);
    }
    switch (cfg.solver) {
    case Solver::bcd: solve_bcd(X, Wt, H, cfg, mon, res, wts, resume); break;
    case Solver::cd: solve_cd(X, Wt, H, cfg, mon, res, wts, resume); break;
    case Solver::mu: solve_mu(X, Wt, H, cfg, mon, res, wts); break;
    }
  }
  zero_unobserved(wts, Wt, H);
  if (!res.divergence_known)
    res.divergence = cfg.exact_divergence ? divergence(X, Wt, H, cfg.beta, cfg.threads, wts)
                                          : arma::datum::nan;
  res.W = Wt.t();
  res.H = std::move(H);
  return res;
}

// Starting factors W (m x r) and H (r x n) of X as initialize() makes them,
// computed at the scale at which fit() would fit X (scale.hpp), so that an
// NNDSVD of subnormal or huge data neither under- nor overflows.
template <class Mat>
void start_factors(const Mat &X, const Config &cfg, Init init, arma::mat &W, arma::mat &H) {
  with_scaled(X, [&](const auto &Xs, int k) {
    scale_by_power_of_two(W, -k);
    scale_by_power_of_two(H, -k);
    initialize(Xs, scaled_config(cfg, k), init, W, H);
    scale_by_power_of_two(W, k);
    scale_by_power_of_two(H, k);
    return 0;
  });
}

// One NMF fit of X: from the given W (m x r) and H (r x n) when init is
// Init::given (one of them may be empty: it then starts flat), else from
// the start `init` makes. Data of extreme magnitude are fitted at a power of
// four of their scale and scaled back exactly (scale.hpp). `resume`: the
// BCD state a fit of the same data ended with (Result::bcd_state), to
// continue from W and H as that fit would have (extrapolated BCD only).
template <class Mat>
[[nodiscard]] Result fit(const Mat &X, arma::mat W, arma::mat H, const Config &cfg,
                         Monitor &mon, const Weights &wts = Weights(),
                         Init init = Init::given, const BcdState &resume = BcdState()) {
  // The R entry points validate every argument before calling the core;
  // these checks protect C++ callers from reading out of bounds or running a
  // solver outside the beta it is written for.
  if (cfg.rank < 1) throw std::invalid_argument("rank must be at least 1");
  if (cfg.threads < 1) throw std::invalid_argument("threads must be at least 1");
  const auto r = static_cast<arma::uword>(cfg.rank);
  if (cfg.fixed_w < 0 || cfg.fixed_w > cfg.rank || cfg.fixed_h < 0 || cfg.fixed_h > cfg.rank)
    throw std::invalid_argument("fixed components must number between 0 and rank");
  if (!wts.trivial() && (wts.m != X.m || wts.n != X.n))
    throw std::invalid_argument("weights must have the shape of the data");
  for (const Penalty *pen : {&cfg.pen_w, &cfg.pen_h})
    if ((!pen->shape.empty() || !pen->rate.empty()) &&
        (pen->shape.size() != r || pen->rate.size() != r))
      throw std::invalid_argument("a Gamma prior needs rank shapes and rank rates");
  if (cfg.solver == Solver::bcd && cfg.beta != 2.0)
    throw std::invalid_argument("the BCD solver needs beta = 2");
  if (cfg.solver == Solver::cd && cfg.beta != 1.0)
    throw std::invalid_argument("the CD solver needs beta = 1");
  if (init == Init::given && W.is_empty() && H.is_empty())
    throw std::invalid_argument("a given start needs W or H");
  const auto start = std::chrono::steady_clock::now();
  const bool known = cfg.data_max >= 0.0 && cfg.data_min_positive >= 0.0;
  const ValueRange range{cfg.data_max, cfg.data_min_positive};
  return with_scaled(X, [&](const auto &Xs, int k) {
    const ScaleSplit sp = scale_split(k, cfg);
    Config scaled = scaled_config(cfg, sp);
    // (a power of four: exact; the smallest positive value is not passed on,
    // since the scaling may raise one to the least double)
    scaled.data_max = known ? std::ldexp(cfg.data_max, -2 * k) : -1.0;
    scaled.data_min_positive = -1.0;
    if (k != 0) scaled.data_sum_squares = -1.0;
    scale_by_power_of_two(W, -sp.kw);
    scale_by_power_of_two(H, -sp.kh);
    if (k != 0 && init == Init::given && !cfg.has_fixed() && resume.empty())
      rescale_far_start(Xs, W, H);
    if (k != 0 && init == Init::given && cfg.has_fixed() && resume.empty() &&
        W.n_cols == H.n_rows)
      apply_balance(even_exponents(W, H, std::max(cfg.fixed_w, cfg.fixed_h)), W, H);
    initialize(Xs, scaled, init, W, H);
    if (W.n_rows != X.m || W.n_cols != r || H.n_rows != r || H.n_cols != X.n)
      throw std::invalid_argument("W and H must be m x rank and rank x n");
    BcdState state = resume;
    scale_state_by_power_of_two(state, -sp.kw, -sp.kh);
    Result res = solve_at_scale(Xs, std::move(W), std::move(H), scaled, mon, wts, state);
    scale_state_by_power_of_two(res.bcd_state, sp.kw, sp.kh);
    // The history holds the objective the solver minimized, 4^(k beta)
    // times the objective at scale; so does the value added below for the
    // returned factors. Where the penalty factors of scaled_config() are
    // held at 2^+-900 (beta = 3 on data at 1e-298, whose divergence is
    // 1e-894) that objective is not the one at the original scale, which
    // `loss` reports, and a history ending in `loss` would rise from the
    // underflowed zeros before it.
    double last = 0.0;
    if (k != 0)
      last = divergence_scale(k, cfg.beta) *
             (res.divergence + penalty_value(res.W.t(), scaled.pen_w) +
              penalty_value(res.H, scaled.pen_h));
    if (k != 0) {
      const double c = divergence_scale(k, cfg.beta);
      // a component split far from evenly at scale would over- or
      // underflow on the way back (scale.hpp); the fixed components of W
      // and H come first and keep their scale
      const std::vector<int> e =
          balance_exponents(res.W, res.H, sp.kw, sp.kh, std::max(cfg.fixed_w, cfg.fixed_h));
      apply_balance(e, res.W, res.H);
      if (!res.bcd_state.empty()) {
        arma::mat wt = res.bcd_state.w_prev.t();
        apply_balance(e, wt, res.bcd_state.h_from);
        res.bcd_state.w_prev = wt.t();
      }
      scale_by_power_of_two(res.W, sp.kw);
      scale_by_power_of_two(res.H, sp.kh);
      res.divergence *= c;
      for (double &l : res.hist_loss) l *= c;
    }
    // (the penalty of W summed as W^T, in the solvers' order)
    const double pen_w =
        cfg.pen_w.l1 == 0.0 && cfg.pen_w.l2 == 0.0 && cfg.pen_w.shape.empty()
            ? 0.0
            : penalty_value(res.W.t(), cfg.pen_w);
    res.loss = res.divergence + pen_w + penalty_value(res.H, cfg.pen_h);
    // an infinite objective has not converged, whatever its history says
    if (cfg.exact_divergence && !std::isfinite(res.loss)) res.converged = false;
    // The multiplicative updates learn the objective one pass late: add the
    // value at the returned factors.
    if (cfg.exact_divergence && res.iterations > 0 &&
        (res.hist_iter.empty() || res.hist_iter.back() < res.iterations)) {
      res.hist_iter.push_back(res.iterations);
      res.hist_loss.push_back(k == 0 || !std::isfinite(last) ? res.loss : last);
      res.hist_seconds.push_back(
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    }
    scale_like_normalized(res.W, res.H, cfg.normalize, res.bcd_state);
    // Known components stay first, in the order given.
    res.order = finalize_components(res.W, res.H, cfg.normalize,
                                    cfg.sort_components && !cfg.has_fixed());
    return res;
  }, known ? &range : nullptr);
}

}  // namespace betanmf
