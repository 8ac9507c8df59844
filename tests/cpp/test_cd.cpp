// The beta = 1 coordinate descent solver through fit(), with and without
// extrapolation between iterations (solvers/extrapolation.hpp): monotone
// objective, fewer iterations to an objective, and the same bits for dense
// and sparse input and for one and two threads.
#include "helpers.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <vector>

using betanmf::Config;
using betanmf::DenseMatrix;
using betanmf::Init;
using betanmf::Result;
using betanmf::Solver;
using testing::Csc;
using testing::identical;
using testing::worst_increase;

namespace {

Config cd_config(int max_iter) {
  Config cfg;
  cfg.rank = 4;
  cfg.beta = 1.0;
  cfg.solver = Solver::cd;
  cfg.max_iter = max_iter;
  cfg.tol = 0.0;
  cfg.threads = 1;
  return cfg;
}

template <class Mat> Result run_cd(const Mat &X, const Config &cfg) {
  arma::mat W, H;
  betanmf::initialize(X, cfg, Init::nndsvd, W, H);
  betanmf::SilentMonitor mon;
  return betanmf::fit(X, W, H, cfg, mon);
}

}  // namespace

TEST_CASE("extrapolated CD stays monotone and needs fewer iterations", "[cd][extrapolate]") {
  // 30% exact zeros, as in counts
  const arma::mat X = testing::planted(60, 50, 4, 0.1, 0.3, 47);
  const Csc csc(X);
  for (std::uint64_t seed : {1u, 2u, 3u}) {
    for (bool penalized : {false, true}) {
      Config plain = cd_config(150);
      plain.seed = seed;
      plain.extrapolate = false;
      if (penalized) {
        plain.pen_w.l1 = 0.1;
        plain.pen_h.l2 = 0.5;
        plain.fixed_w = 1;
      }
      Config fast = plain;
      fast.extrapolate = true;
      CAPTURE(seed, penalized);
      const Result a = run_cd(DenseMatrix(X), plain);
      const Result b = run_cd(DenseMatrix(X), fast);
      CHECK(worst_increase(a.hist_loss) <= 1e-12);
      CHECK(worst_increase(b.hist_loss) <= 1e-12);
      // the history ends at the objective of the returned factors
      CHECK(std::abs(b.hist_loss.back() - b.loss) <= 1e-9 * b.loss);
      // the extrapolated fit reaches the plain fit's final objective in at
      // most two thirds of its iterations
      CHECK(3 * testing::first_reaching(b.hist_loss, a.hist_loss.back()) <
            2 * b.hist_loss.size());
      // sparse input gives the same bits, and so do two threads
      const Result s = run_cd(csc.view(), fast);
      CHECK(identical(s.W, b.W));
      CHECK(identical(s.H, b.H));
      fast.threads = 2;
      const Result t = run_cd(DenseMatrix(X), fast);
      CHECK(identical(t.W, b.W));
      CHECK(t.hist_loss == b.hist_loss);
    }
  }
}

TEST_CASE("extrapolated CD continued from its state is one longer fit", "[cd][extrapolate]") {
  const arma::mat X = testing::planted(40, 30, 4, 0.1, 0.3, 53);
  Config cfg = cd_config(12);
  cfg.seed = 5;
  cfg.normalize = betanmf::Normalize::none;
  const Result once = run_cd(DenseMatrix(X), cfg);
  cfg.max_iter = 7;
  const Result first = run_cd(DenseMatrix(X), cfg);
  REQUIRE_FALSE(first.bcd_state.empty());
  cfg.max_iter = 5;
  betanmf::SilentMonitor mon;
  arma::mat W = first.W, H = first.H;
  arma::mat Wo(W.n_rows, W.n_cols), Ho(H.n_rows, H.n_cols);
  // the result lists the components in its own order; the solver's order
  // is what the state is in
  for (arma::uword k = 0; k < first.order.size(); ++k) {
    Wo.col(first.order[k]) = W.col(k);
    Ho.row(first.order[k]) = H.row(k);
  }
  const Result second =
      betanmf::fit(DenseMatrix(X), Wo, Ho, cfg, mon, betanmf::Weights(), Init::given,
                   first.bcd_state);
  CHECK(identical(second.W, once.W));
  CHECK(identical(second.H, once.H));
}

TEST_CASE("CD moves a start off a zero model at positive data of tiny weight", "[cd][weights]") {
  // Counts with zeros; the start's W has zero rows where the data are
  // positive, and the positive data weigh 1e-300 to 1e-280 while the zeros weigh up
  // to 1e2: the floored pull of such a datum is nothing, the true one is
  // infinite (fuzz seed 11502 ended with loss Inf).
  arma::mat X(8, 6, arma::fill::zeros);
  X(2, 1) = 2.0;
  X(5, 4) = 3.0;
  X(6, 0) = 1.0;
  X(0, 3) = 4.0;
  arma::mat weights(8, 6);
  for (arma::uword t = 0; t < weights.n_elem; ++t)
    weights[t] = X[t] > 0.0 ? std::pow(10.0, -300.0 + 10.0 * (t % 3)) : 1.0 + t % 7;
  const testing::DenseWeights dw(weights, 0.0);
  for (int rank : {1, 2}) {
    Config cfg = cd_config(20);
    cfg.rank = rank;
    arma::mat W(8, rank, arma::fill::ones), H(rank, 6, arma::fill::ones);
    W.row(2).zeros();
    W.row(5).zeros();
    betanmf::SilentMonitor mon;
    const Result res = betanmf::fit(DenseMatrix(X), W, H, cfg, mon, dw.w, Init::given);
    CAPTURE(rank);
    CHECK(std::isfinite(res.loss));
    CHECK(arma::any(res.W.row(2) > 0.0));
    CHECK(arma::any(res.W.row(5) > 0.0));
    // the model covers every positive datum
    const arma::mat Y = res.W * res.H;
    for (arma::uword t = 0; t < X.n_elem; ++t)
      if (X[t] > 0.0) CHECK(Y[t] > 0.0);
    CHECK(worst_increase(res.hist_loss) <= 1e-12);
  }
}

TEST_CASE("a penalized projection starts at the best flat level", "[cd][fixed]") {
  // the flat level solves N sum a - T / L + r N (l1 + l2 L) = 0: at that
  // level the objective of the flat start is stationary in L
  const arma::mat X = testing::planted(30, 20, 3, 0.1, 0.3, 11) * 50.0;
  const arma::mat W0 = arma::randu<arma::mat>(30, 3) + 0.1;
  for (double l2 : {0.0, 1.0, 1e6}) {
    Config cfg = cd_config(1);
    cfg.rank = 3;
    cfg.fixed_w = 3;
    cfg.pen_h.l1 = 0.5;
    cfg.pen_h.l2 = l2;
    arma::mat W = W0, H;
    betanmf::initialize(DenseMatrix(X), cfg, Init::given, W, H);
    REQUIRE(H.n_rows == 3);
    const double L = H(0, 0);
    CHECK(arma::all(arma::vectorise(H) == L));
    const double N = 20.0, T = arma::accu(X), A = arma::accu(W0);
    const double slope = N * A - T / L + 3.0 * N * (0.5 + l2 * L);
    CAPTURE(l2, L, slope);
    CHECK(std::abs(slope) <= 1e-9 * (N * A + T / L));
  }
}
