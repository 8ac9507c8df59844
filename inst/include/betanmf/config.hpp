// Plain configuration and result structs shared by every solver.
#pragma once

#include <armadillo>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

namespace betanmf {

// How the columns of W are scaled in the returned fit (the scale moves into H).
enum class Normalize { l1, l2, none };

// Which algorithm updates the factors.
enum class Solver { bcd, cd, mu };

// Where the starting factors come from: NNDSVD, random draws, or given by
// the caller (one of W, H may be left empty: it then starts flat, init.hpp).
enum class Init { nndsvd, random, given };

// L1 and L2 penalties of one factor: l1 * sum(F) + l2 / 2 * ||F||_F^2.
// Optionally a Gamma(shape_k, rate_k) prior on every entry of component k in
// log coordinates, sum_k sum (rate_k F_k - shape_k log F_k): empty vectors
// (the default) mean none; only the multiplicative updates use it (the
// posterior-mode predictions of cross-validation, R/cv_predict.R).
struct Penalty {
  double l1 = 0.0;
  double l2 = 0.0;
  std::vector<double> shape, rate;
};

// Everything a fit needs besides the data and the starting factors.
struct Config {
  int rank = 1;
  double beta = 2.0;          // beta of the beta-divergence (Fevotte & Idier 2011)
  Solver solver = Solver::bcd;  // bcd: beta = 2 only; cd: beta = 1 only; mu: any beta
  Penalty pen_w, pen_h;       // penalties on W (m x r) and H (r x n)
  int max_iter = 500;         // outer iterations (one update of W and one of H)
  double tol = 1e-5;          // stop when |f_{t-1} - f_t| / |f_{t-1}| < tol; 0: never
  int max_inner = 10;         // inner coordinate sweeps per factor update
  double inner_tol = 0.01;    // stop inner sweeps when a sweep moves less than
                              // inner_tol times the first sweep (Gillis & Glineur 2012)
  bool extrapolate = true;    // BCD: extrapolate between iterations (Ang & Gillis 2019)
  int fixed_w = 0;            // the first fixed_w columns of W are held fixed
  int fixed_h = 0;            // the first fixed_h rows of H are held fixed
                              // (fixed_w = rank: W is known, a projection)
  Normalize normalize = Normalize::l1;
  bool sort_components = true;  // order by decreasing total contribution
  // false: the divergence at the returned factors is not computed (NaN in
  // Result::divergence and loss, no last history entry for it), for callers
  // that read the factors alone (the posterior modes of nmf_cv())
  bool exact_divergence = true;
  // The largest and the smallest positive stored value of the data when the
  // caller has them (the R glue's prepared summary), < 0 when not: each is a
  // pass over the data otherwise. fit() gives the solvers the largest at
  // the scale it fits at.
  double data_max = -1.0, data_min_positive = -1.0;
  // The sum of the squares of the stored values, summed in their order
  // (sum_squares(), stats.hpp), when the caller has it; < 0 when not. Used
  // only at the caller's scale (fit() drops it at any other).
  double data_sum_squares = -1.0;
  int threads = 1;
  std::uint64_t seed = 1;
  // The largest model value the caller's scale can hold, in the units the
  // solver sees: the largest double, divided by 4^k for data fitted at
  // 4^-k their scale (scale.hpp). The multiplicative updates keep every
  // model value some (m + n) r times below it.
  double model_limit = std::numeric_limits<double>::max();

  // Whether a factor has anything left to learn.
  [[nodiscard]] bool updates_w() const { return fixed_w < rank; }
  [[nodiscard]] bool updates_h() const { return fixed_h < rank; }
  [[nodiscard]] bool has_fixed() const { return fixed_w > 0 || fixed_h > 0; }
};

// What extrapolated BCD carries from one iteration to the next
// (solvers/bcd.hpp), kept in the result so that a fit continued from it
// follows the path of one longer fit. In the solver's order of the
// components, scaled like the returned factors.
struct BcdState {
  arma::mat w_prev;  // r x m: the plain W update of the last iteration, as W^T
  arma::mat h_from;  // r x n: the extrapolated H the next iteration starts from
  double beta = 0.0, beta_max = 0.0, beta_before = 0.0;
  bool plain = true;  // the next iteration is a plain step
  // the objective of the iterate the fit ended with, as the solver computed
  // it at its own scale (NaN: unknown); a continuation judges its first step
  // against it rather than against a recomputed value one rounding apart
  double loss = std::numeric_limits<double>::quiet_NaN();
  [[nodiscard]] bool empty() const { return w_prev.is_empty(); }
};

// Result of one fit. W is m x r, H is r x n.
struct Result {
  arma::mat W, H;
  double loss = 0.0;        // objective: divergence + penalties
  double divergence = 0.0;  // sum_ij d_beta(X_ij | (WH)_ij)
  // A solver that summed the exact divergence at the factors it ends with
  // says so here, so that it is not summed again.
  bool divergence_known = false;
  std::vector<int> hist_iter;
  std::vector<double> hist_loss, hist_seconds;
  std::vector<arma::uword> order;  // result component k is solver component order[k]
  int iterations = 0;
  bool converged = false;
  bool interrupted = false;
  BcdState bcd_state;  // extrapolated BCD only, else empty
};

}  // namespace betanmf
