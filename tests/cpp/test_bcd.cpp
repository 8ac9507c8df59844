// The beta = 2 block coordinate descent solver through fit(): monotone
// objective, normalized and ordered output, and agreement between dense and
// sparse input, thread counts and repeated runs.
#include "helpers.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

using betanmf::Config;
using betanmf::DenseMatrix;
using betanmf::Init;
using betanmf::Normalize;
using betanmf::Result;
using testing::Csc;
using testing::identical;
using testing::rel_diff;
using testing::worst_increase;

namespace {

// The planted data of these tests: 60 x 50, rank 4, 5% noise; with
// `sparsity` > 0 about that fraction of small entries is exactly zero.
arma::mat planted_data(double sparsity = 0.0) {
  return testing::planted(60, 50, 4, 0.05, sparsity, 41);
}

Config base_config(int max_iter = 100) {
  Config cfg;
  cfg.rank = 4;
  cfg.max_iter = max_iter;
  cfg.tol = 0.0;
  cfg.threads = 1;
  cfg.seed = 7;
  return cfg;
}

template <class Mat> Result run(const Mat &X, const Config &cfg, Init init = Init::random) {
  arma::mat W, H;
  betanmf::initialize(X, cfg, init, W, H);
  betanmf::SilentMonitor mon;
  return betanmf::fit(X, W, H, cfg, mon);
}

// Largest relative increase of the objective between two iterations.
// The rounding of BCD's objective, (||X||^2 - 2 <W^T X, H> + <W^T W, H H^T>) / 2:
// a few ulps of ||X||^2 / 2 (the noise floor of IterationLog); an increase
// below it is no increase.
double rounding_of_objective(const arma::mat &X) {
  return 64.0 * std::numeric_limits<double>::epsilon() * 0.5 * arma::accu(arma::square(X));
}

// Records what the solver reports, and optionally asks it to stop.
class RecordingMonitor : public betanmf::Monitor {
public:
  bool stop = false;
  std::vector<int> iters;
  std::vector<double> losses;
  int polls = 0;
  void iteration(int iter, double loss, double /*seconds*/) override {
    iters.push_back(iter);
    losses.push_back(loss);
  }
  bool interrupted() override {
    ++polls;
    return stop;
  }
};

}  // namespace

TEST_CASE("the objective never increases and the fit reconstructs planted data", "[bcd]") {
  arma::mat W0, H0;
  const arma::mat X = testing::planted(60, 50, 4, 0.05, 0.0, 41, &W0, &H0);
  for (int threads : {1, 2}) {
    Config cfg = base_config(150);
    cfg.threads = threads;
    arma::mat W, H;
    betanmf::initialize(DenseMatrix(X), cfg, Init::random, W, H);
    const double start = betanmf::divergence(DenseMatrix(X), W.t(), H, 2.0, 1);
    betanmf::SilentMonitor mon;
    const Result res = betanmf::fit(DenseMatrix(X), W, H, cfg, mon);
    CAPTURE(threads);
    REQUIRE(res.hist_loss.size() == 150);
    REQUIRE(res.hist_iter.size() == 150);
    REQUIRE(res.hist_seconds.size() == 150);
    CHECK(res.iterations == 150);
    CHECK(res.hist_iter.front() == 1);
    CHECK(res.hist_iter.back() == 150);
    CHECK_FALSE(res.converged);  // tol = 0 never stops early
    CHECK_FALSE(res.interrupted);
    CHECK(worst_increase(res.hist_loss, rounding_of_objective(X)) <= 0.0);
    for (std::size_t t = 1; t < res.hist_seconds.size(); ++t)
      CHECK(res.hist_seconds[t] >= res.hist_seconds[t - 1]);
    CHECK(res.hist_loss.front() <= start);
    CHECK(res.hist_loss.back() < 0.01 * start);
    CHECK(res.hist_loss.back() < res.hist_loss.front());
    // The fit explains the planted structure: its error is at the noise level.
    const arma::mat Y = W0 * H0;
    const double noise_ss = arma::accu(arma::square(X - Y));
    CHECK(2.0 * res.divergence <= noise_ss);
    CHECK(rel_diff(res.W * res.H, Y) < 0.3);
    CHECK(res.W.min() >= 0.0);
    CHECK(res.H.min() >= 0.0);
  }
}

TEST_CASE("the result is normalized, ordered, and reports its own divergence", "[bcd]") {
  const arma::mat X = planted_data(0.2);
  Config cfg = base_config(60);
  cfg.pen_w.l2 = 0.1;  // penalties enter the loss
  cfg.pen_h.l1 = 0.05;
  const Result res = run(DenseMatrix(X), cfg);
  REQUIRE(res.W.n_rows == 60);
  REQUIRE(res.W.n_cols == 4);
  REQUIRE(res.H.n_rows == 4);
  REQUIRE(res.H.n_cols == 50);
  // columns of W sum to one (normalize = l1)
  const arma::rowvec colsum = arma::sum(res.W, 0);
  for (int k = 0; k < 4; ++k) CHECK(colsum[k] == Approx(1.0).epsilon(1e-12));
  // components by decreasing total contribution sum_ij W_ik H_kj
  const arma::vec total = arma::sum(res.W, 0).t() % arma::sum(res.H, 1);
  for (int k = 1; k < 4; ++k) CHECK(total[k - 1] >= total[k]);
  CHECK(total[3] > 0.0);
  // the divergence is that of the returned factors
  const double d = betanmf::divergence(DenseMatrix(X), res.W.t(), res.H, 2.0, 1);
  const double brute = 0.5 * arma::accu(arma::square(X - res.W * res.H));
  CHECK(std::abs(res.divergence - d) <= 1e-10 * d);
  CHECK(std::abs(res.divergence - brute) <= 1e-10 * brute);
  // the loss adds the penalties, and the last history entry is that loss
  CHECK(res.loss > res.divergence);
  CHECK(std::abs(res.hist_loss.back() - res.loss) <= 1e-8 * res.loss);

  // l2 normalization and no normalization describe the same product W H
  Config c2 = cfg;
  c2.normalize = Normalize::l2;
  const Result r2 = run(DenseMatrix(X), c2);
  for (int k = 0; k < 4; ++k) CHECK(arma::norm(r2.W.col(k)) == Approx(1.0).epsilon(1e-12));
  c2.normalize = Normalize::none;
  c2.sort_components = false;
  const Result r3 = run(DenseMatrix(X), c2);
  CHECK(rel_diff(r2.W * r2.H, res.W * res.H) < 1e-12);
  CHECK(rel_diff(r3.W * r3.H, res.W * res.H) < 1e-12);
  CHECK(r3.hist_loss == res.hist_loss);
}

TEST_CASE("dense and sparse input give the same fit", "[bcd][sparse]") {
  const arma::mat X = planted_data(0.8);
  const double frac_zero = arma::accu(X == 0.0) / double(X.n_elem);
  REQUIRE(frac_zero > 0.2);
  const Csc csc(X);
  const betanmf::SparseMatrix S = csc.view();
  for (Init init : {Init::random, Init::nndsvd}) {
    for (int threads : {1, 2}) {
      CAPTURE(int(init), threads);
      Config cfg = base_config(80);
      cfg.threads = threads;
      const Result d = run(DenseMatrix(X), cfg, init);
      const Result s = run(S, cfg, init);
      CHECK(rel_diff(s.W, d.W) <= 1e-8);
      CHECK(rel_diff(s.H, d.H) <= 1e-8);
      CHECK(std::abs(s.divergence - d.divergence) <= 1e-8 * d.divergence);
      REQUIRE(s.hist_loss.size() == d.hist_loss.size());
      for (std::size_t t = 0; t < d.hist_loss.size(); ++t)
        CHECK(std::abs(s.hist_loss[t] - d.hist_loss[t]) <= 1e-8 * d.hist_loss[t]);
    }
  }
}

TEST_CASE("one and two threads give bit-identical fits", "[bcd][threads]") {
  const arma::mat X = planted_data(0.3);
  const Csc csc(X);
  Config c1 = base_config(50), c2 = base_config(50);
  c2.threads = 2;
  c1.pen_h.l1 = c2.pen_h.l1 = 0.02;
  const Result d1 = run(DenseMatrix(X), c1, Init::nndsvd);
  const Result d2 = run(DenseMatrix(X), c2, Init::nndsvd);
  CHECK(identical(d1.W, d2.W));
  CHECK(identical(d1.H, d2.H));
  CHECK(d1.hist_loss == d2.hist_loss);
  CHECK(d1.divergence == d2.divergence);
  const Result s1 = run(csc.view(), c1);
  const Result s2 = run(csc.view(), c2);
  CHECK(identical(s1.W, s2.W));
  CHECK(identical(s1.H, s2.H));
  CHECK(s1.hist_loss == s2.hist_loss);
}

TEST_CASE("the same seed gives the same fit, another seed another start", "[bcd][seed]") {
  const arma::mat X = planted_data();
  Config cfg = base_config(40);
  const Result a = run(DenseMatrix(X), cfg);
  const Result b = run(DenseMatrix(X), cfg);
  CHECK(identical(a.W, b.W));
  CHECK(identical(a.H, b.H));
  CHECK(a.hist_loss == b.hist_loss);
  cfg.seed = 8;
  const Result c = run(DenseMatrix(X), cfg);
  CHECK(c.hist_loss.front() != a.hist_loss.front());
  CHECK_FALSE(identical(a.W, c.W));
}

TEST_CASE("NNDSVD starts closer to the data than a random start", "[bcd][nndsvd]") {
  const arma::mat X = planted_data(0.2);
  const Config cfg = base_config(1);
  arma::mat Wn, Hn, Wr, Hr;
  betanmf::initialize(DenseMatrix(X), cfg, Init::nndsvd, Wn, Hn);
  betanmf::initialize(DenseMatrix(X), cfg, Init::random, Wr, Hr);
  CHECK(Wn.min() >= 0.0);
  CHECK(Hn.min() >= 0.0);
  const double dn = betanmf::divergence(DenseMatrix(X), Wn.t(), Hn, 2.0, 1);
  const double dr = betanmf::divergence(DenseMatrix(X), Wr.t(), Hr, 2.0, 1);
  CHECK(dn < dr);
  betanmf::SilentMonitor mon;
  const Result rn = betanmf::fit(DenseMatrix(X), Wn, Hn, cfg, mon);
  const Result rr = betanmf::fit(DenseMatrix(X), Wr, Hr, cfg, mon);
  CHECK(rn.hist_loss.front() < rr.hist_loss.front());
  CHECK(rn.hist_loss.front() <= dn);  // one iteration does not make it worse
}

TEST_CASE("an L1 penalty on H makes H sparser", "[bcd][penalty]") {
  const arma::mat X = planted_data();
  Config cfg = base_config(100);
  const Result plain = run(DenseMatrix(X), cfg);
  // scale of the gradient in H: (W^T X)_kj with W columns summing to ~1
  const double scale = arma::mean(arma::vectorise(plain.W.t() * X));
  cfg.pen_h.l1 = 0.3 * scale;
  const Result pen = run(DenseMatrix(X), cfg);
  const auto zeros_plain = arma::accu(plain.H == 0.0);
  const auto zeros_pen = arma::accu(pen.H == 0.0);
  CAPTURE(zeros_plain, zeros_pen);
  CHECK(zeros_pen > zeros_plain);
  CHECK(zeros_pen < pen.H.n_elem);  // not everything is shrunk away
  CHECK(worst_increase(pen.hist_loss) <= 1e-12);
  CHECK(pen.divergence >= plain.divergence * (1.0 - 1e-9));  // sparsity costs fit
}

TEST_CASE("a fixed W is left unchanged and H still decreases the loss", "[bcd][fixed]") {
  const arma::mat X = planted_data(0.2);
  Config cfg = base_config(30);
  arma::mat W, H;
  betanmf::initialize(DenseMatrix(X), cfg, Init::random, W, H);
  cfg.fixed_w = cfg.rank;  // every column of W known
  cfg.normalize = Normalize::none;
  betanmf::SilentMonitor mon;
  const Result res = betanmf::fit(DenseMatrix(X), W, H, cfg, mon);
  CHECK(identical(res.W, W));
  CHECK_FALSE(identical(res.H, H));
  CHECK(worst_increase(res.hist_loss) <= 1e-12);
  CHECK(res.hist_loss.back() < betanmf::divergence(DenseMatrix(X), W.t(), H, 2.0, 1));
  // H is the non-negative least-squares solution given W: the projected
  // gradient W^T (W H - X) vanishes on H > 0 and is >= 0 on H = 0.
  const arma::mat grad = W.t() * (W * res.H - X);
  const double gscale = arma::abs(W.t() * X).max();
  const arma::uvec pos = arma::find(res.H > 0.0), zero = arma::find(res.H == 0.0);
  CHECK(arma::abs(grad.elem(pos)).max() < 1e-6 * gscale);
  if (!zero.empty()) CHECK(grad.elem(zero).min() > -1e-6 * gscale);

  // l1 normalization only rescales the fixed columns
  cfg.normalize = Normalize::l1;
  const Result r1 = betanmf::fit(DenseMatrix(X), W, H, cfg, mon);
  const arma::rowvec s = arma::sum(W, 0);
  CHECK(rel_diff(r1.W, W.each_row() / s) < 1e-14);
  CHECK(rel_diff(r1.W * r1.H, res.W * res.H) < 1e-12);

  // and the other way round: a fixed H
  cfg.fixed_w = 0;
  cfg.fixed_h = cfg.rank;
  cfg.normalize = Normalize::none;
  const Result rh = betanmf::fit(DenseMatrix(X), W, H, cfg, mon);
  CHECK(identical(rh.H, H));
  CHECK(worst_increase(rh.hist_loss) <= 1e-12);
}

TEST_CASE("the first fixed_w columns of W are held fixed", "[bcd][fixed]") {
  const arma::mat X = planted_data();
  Config cfg = base_config(30);
  arma::mat W, H;
  betanmf::initialize(DenseMatrix(X), cfg, Init::random, W, H);
  cfg.fixed_w = 2;
  cfg.normalize = Normalize::none;
  betanmf::SilentMonitor mon;
  const Result res = betanmf::fit(DenseMatrix(X), W, H, cfg, mon);
  CHECK(identical(res.W.cols(0, 1), W.cols(0, 1)));
  CHECK_FALSE(identical(res.W.cols(2, 3), W.cols(2, 3)));
  CHECK(worst_increase(res.hist_loss) <= 1e-12);
}

TEST_CASE("an all-zero row and column give zeros, not NaN", "[bcd]") {
  arma::mat X = planted_data(0.2);
  X.row(13).zeros();
  X.col(0).zeros();
  const Csc csc(X);
  for (int sparse = 0; sparse < 2; ++sparse) {
    for (Init init : {Init::random, Init::nndsvd}) {
      CAPTURE(sparse, int(init));
      const Config cfg = base_config(40);
      const Result res = sparse ? run(csc.view(), cfg, init) : run(DenseMatrix(X), cfg, init);
      CHECK(res.W.is_finite());
      CHECK(res.H.is_finite());
      CHECK(std::isfinite(res.divergence));
      CHECK(arma::all(res.W.row(13) == 0.0));
      CHECK(arma::all(res.H.col(0) == 0.0));
      CHECK(arma::all(arma::sum(res.H.cols(1, 49), 0) > 0.0));
      CHECK(worst_increase(res.hist_loss) <= 1e-12);
    }
  }
  // All-zero data: zero factors from NNDSVD, a negligible product from the
  // random start (whose scale is floored at 1e-300, below which the updates
  // underflow), zero loss either way.
  const arma::mat Z(12, 9, arma::fill::zeros);
  const Result rn = run(DenseMatrix(Z), base_config(5), Init::nndsvd);
  CHECK(arma::all(arma::vectorise(rn.W * rn.H) == 0.0));
  CHECK(rn.divergence == 0.0);
  const Result rz = run(DenseMatrix(Z), base_config(5));
  CHECK(rz.W.is_finite());
  CHECK(rz.H.is_finite());
  CHECK(arma::abs(rz.W * rz.H).max() < 1e-200);
  CHECK(rz.divergence == 0.0);
}

TEST_CASE("the monitor hears every iteration and can stop the fit", "[bcd][monitor]") {
  const arma::mat X = planted_data();
  const Config cfg = base_config(25);
  arma::mat W, H;
  betanmf::initialize(DenseMatrix(X), cfg, Init::random, W, H);

  RecordingMonitor mon;
  const Result res = betanmf::fit(DenseMatrix(X), W, H, cfg, mon);
  REQUIRE(mon.iters.size() == 25);
  for (int t = 0; t < 25; ++t) CHECK(mon.iters[t] == t + 1);
  CHECK(mon.losses == res.hist_loss);
  CHECK(mon.polls >= 24);
  CHECK_FALSE(res.interrupted);

  RecordingMonitor stopper;
  stopper.stop = true;
  const Result cut = betanmf::fit(DenseMatrix(X), W, H, cfg, stopper);
  CHECK(cut.interrupted);
  CHECK_FALSE(cut.converged);
  CHECK(cut.iterations == 1);
  CHECK(stopper.iters.size() == 1);
  CHECK(cut.hist_loss.size() == 1);
  CHECK(cut.hist_loss.front() == res.hist_loss.front());
  CHECK(cut.W.is_finite());
}

TEST_CASE("a positive tolerance stops at convergence", "[bcd]") {
  const arma::mat X = planted_data();
  Config cfg = base_config(1000);
  cfg.tol = 1e-6;
  const Result res = run(DenseMatrix(X), cfg);
  CHECK(res.converged);
  CHECK(res.iterations < 1000);
  REQUIRE(res.hist_loss.size() >= 2);
  const double a = res.hist_loss[res.hist_loss.size() - 2], b = res.hist_loss.back();
  CHECK(std::abs(a - b) <= 1e-6 * a);
}

TEST_CASE("invalid configurations are rejected", "[bcd]") {
  const arma::mat X = planted_data();
  arma::mat W, H;
  betanmf::initialize(DenseMatrix(X), base_config(), Init::random, W, H);
  betanmf::SilentMonitor mon;
  Config cfg = base_config();
  cfg.rank = 0;
  CHECK_THROWS_AS(betanmf::fit(DenseMatrix(X), W, H, cfg, mon), std::invalid_argument);
  cfg = base_config();
  cfg.threads = 0;
  CHECK_THROWS_AS(betanmf::fit(DenseMatrix(X), W, H, cfg, mon), std::invalid_argument);
  cfg = base_config();
  cfg.beta = 1.0;
  CHECK_THROWS_AS(betanmf::fit(DenseMatrix(X), W, H, cfg, mon), std::invalid_argument);
}

TEST_CASE("extrapolated BCD stays monotone and needs fewer iterations", "[bcd][extrapolate]") {
  const arma::mat X = testing::planted(60, 50, 4, 0.05, 0.3, 43);
  const Csc csc(X);
  for (std::uint64_t seed : {1u, 2u, 3u}) {
    for (bool penalized : {false, true}) {
      Config plain = base_config(200);
      plain.seed = seed;
      plain.extrapolate = false;
      if (penalized) {
        plain.pen_w.l1 = 0.1;
        plain.pen_w.l2 = 0.5;
        plain.pen_h.l1 = 0.2;
        plain.fixed_w = 1;
      }
      Config fast = plain;
      fast.extrapolate = true;
      CAPTURE(seed, penalized);
      const Result a = run(DenseMatrix(X), plain, Init::nndsvd);
      const Result b = run(DenseMatrix(X), fast, Init::nndsvd);
      CHECK(worst_increase(a.hist_loss, rounding_of_objective(X)) <= 0.0);
      CHECK(worst_increase(b.hist_loss, rounding_of_objective(X)) <= 0.0);
      // the history reports the objective of the returned factors
      CHECK(std::abs(b.hist_loss.back() - b.loss) <= 1e-9 * b.loss);
      // the extrapolated fit reaches the plain fit's final objective sooner
      CHECK(testing::first_reaching(b.hist_loss, a.hist_loss.back()) < b.hist_loss.size() / 2);
      // sparse input gives the same bits, and so do two threads
      const Result s = run(csc.view(), fast, Init::nndsvd);
      CHECK(identical(s.W, b.W));
      CHECK(identical(s.H, b.H));
      fast.threads = 2;
      const Result t = run(DenseMatrix(X), fast, Init::nndsvd);
      CHECK(identical(t.W, b.W));
      CHECK(t.hist_loss == b.hist_loss);
    }
  }
}

TEST_CASE("weighted BCD stays finite with weights from 1e-280 to 1", "[bcd][weights]") {
  // A 1 x 12 line from a start of W = 0 (fuzz seed 16892): G_l = w W^T W
  // was 7e-219 times 5e-96, a subnormal whose inverse overflowed to an
  // infinite H; each line's system is now scaled by a power of two.
  const arma::rowvec x = {0, 0, 0, 4, 3, 0, 2, 2, 0, 0, 0, 0};
  const arma::rowvec w = {1.5e-43, 0,        1.1e-277, 7.5e-219, 2.6e-90,  7.1e-50,
                          1.9e-279, 1.7e-168, 1.3e-42, 2.0e-50,  8.5e-268, 9.1e-144};
  const arma::mat X = x, weights = w;
  const testing::DenseWeights dw(weights, 0.0);
  Config cfg = base_config(10);
  cfg.rank = 1;
  cfg.tol = 0.0;
  arma::mat W(1, 1, arma::fill::zeros);
  arma::mat H = arma::linspace<arma::rowvec>(0.1, 1.2, 12);
  betanmf::SilentMonitor mon;
  const Result res = betanmf::fit(betanmf::DenseMatrix(X), W, H, cfg, mon, dw.w, Init::given);
  REQUIRE(res.W.is_finite());
  REQUIRE(res.H.is_finite());
  for (double l : res.hist_loss) CHECK(std::isfinite(l));
  // one component fits the four weighted counts exactly (the start's
  // objective, 1.2e-89, is sum w x^2 / 2)
  const arma::mat Y = res.W * res.H;
  for (arma::uword j : {3u, 4u, 6u, 7u}) CHECK(Y[j] == Approx(x[j]).epsilon(1e-10));
  CHECK(res.loss < 1e-150);
}
