// Book-keeping shared by the solvers: the objective history, the stopping
// rule on its relative change, the monitor calls and the penalty value.
#pragma once

#include "../config.hpp"
#include "../divergence.hpp"
#include "../kernels.hpp"
#include "../monitor.hpp"

#include <armadillo>
#include <chrono>
#include <cmath>
#include <functional>
#include <utility>

namespace betanmf {

// l1 sum(F) + l2 / 2 ||F||_F^2
[[nodiscard]] inline double penalty_value(const arma::mat &F, const Penalty &pen) {
  double v = 0.0;
  if (pen.l1 != 0.0) v += pen.l1 * arma::accu(F);
  if (pen.l2 != 0.0) v += 0.5 * pen.l2 * frob_dot(F, F);
  if (!pen.shape.empty())  // the Gamma prior in log coordinates (config.hpp)
    for (arma::uword j = 0; j < F.n_cols; ++j)
      for (arma::uword k = 0; k < F.n_rows; ++k)
        if (F(k, j) > 0.0) v += pen.rate[k] * F(k, j) - pen.shape[k] * std::log(F(k, j));
  return v;
}

class IterationLog {
public:
  IterationLog(const Config &cfg, Monitor &mon, Result &res)
      : cfg_(cfg), mon_(mon), res_(res), start_(clock::now()) {}

  // Changes below `floor` are rounding noise of how the solver evaluates the
  // objective (for BCD, a difference of terms of the size of ||X||^2): they
  // count as convergence even where the relative change is undefined.
  void set_noise_floor(double floor) { floor_ = floor; }

  // For a solver whose objective comes from a formula that cancels (BCD's
  // ||X||^2 - 2 <W^T X, H> + <W^T W, H H^T>, whose parts sum to about
  // `parts`): a value below detail::untrusted * parts is mostly rounding
  // error (an outlier 1e16 times the rest of the data makes ||X||^2 1e32
  // while the objective is 1e3), so the objective is taken from `exact`
  // instead (a term-by-term sum at the current factors) and the change of
  // the objective is then measured without the noise floor.
  void set_exact(double parts, std::function<double()> exact) {
    parts_ = parts;
    exact_ = std::move(exact);
  }

  // Whether `loss`, from the formula of set_exact(), is more than rounding
  // error (always, without set_exact()).
  [[nodiscard]] bool trusted(double loss) const {
    return !exact_ || loss >= detail::untrusted * parts_;
  }

  // Records the objective reached after iteration `it`. Returns true when
  // its relative change, |f_prev - f| / |f_prev|, is at most tol (tol > 0)
  // and both values are finite: an infinite objective has not converged,
  // whatever its "change". An iteration whose step was rejected (`may_stop`
  // false) leaves the objective as it was: it is recorded, but is no sign of
  // convergence.
  [[nodiscard]] bool record(int it, double loss, bool may_stop = true) {
    bool floor_applies = true;
    if (!trusted(loss)) {
      loss = exact_();
      floor_applies = false;
    }
    const double secs = std::chrono::duration<double>(clock::now() - start_).count();
    res_.hist_iter.push_back(it);
    res_.hist_loss.push_back(loss);
    res_.hist_seconds.push_back(secs);
    mon_.iteration(it, loss, secs);
    const double change = std::abs(prev_ - loss);
    const bool done = may_stop && cfg_.tol > 0.0 && std::isfinite(prev_) && std::isfinite(loss) &&
                      (change <= cfg_.tol * std::abs(prev_) ||
                       (floor_applies && change <= floor_));
    prev_ = loss;
    if (done) res_.converged = true;
    return done;
  }

  // Asks the monitor (main thread, between iterations) whether to stop.
  [[nodiscard]] bool interrupted() {
    if (mon_.interrupted()) res_.interrupted = true;
    return res_.interrupted;
  }

private:
  using clock = std::chrono::steady_clock;
  const Config &cfg_;
  Monitor &mon_;
  Result &res_;
  clock::time_point start_;
  double prev_ = arma::datum::inf;
  double floor_ = 0.0;
  double parts_ = 0.0;
  std::function<double()> exact_;
};

}  // namespace betanmf
