// Book-keeping shared by the solvers: the objective history, the stopping
// rule on its relative change, the monitor calls and the penalty value.
#pragma once

#include "../config.hpp"
#include "../kernels.hpp"
#include "../monitor.hpp"

#include <armadillo>
#include <chrono>
#include <cmath>

namespace betanmf {

// l1 sum(F) + l2 / 2 ||F||_F^2
[[nodiscard]] inline double penalty_value(const arma::mat &F, const Penalty &pen) {
  double v = 0.0;
  if (pen.l1 != 0.0) v += pen.l1 * arma::accu(F);
  if (pen.l2 != 0.0) v += 0.5 * pen.l2 * frob_dot(F, F);
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

  // Records the objective reached after iteration `it`. Returns true when
  // its relative change, |f_prev - f| / |f_prev|, is at most tol (tol > 0).
  // An iteration whose step was rejected (`may_stop` false) leaves the
  // objective as it was: it is recorded, but is no sign of convergence.
  [[nodiscard]] bool record(int it, double loss, bool may_stop = true) {
    const double secs = std::chrono::duration<double>(clock::now() - start_).count();
    res_.hist_iter.push_back(it);
    res_.hist_loss.push_back(loss);
    res_.hist_seconds.push_back(secs);
    mon_.iteration(it, loss, secs);
    const double change = std::abs(prev_ - loss);
    const bool done = may_stop && cfg_.tol > 0.0 && std::isfinite(prev_) &&
                      (change <= cfg_.tol * std::abs(prev_) || change <= floor_);
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
};

}  // namespace betanmf
