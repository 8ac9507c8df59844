// Starting factors: the randomized SVD against LAPACK's, NNDSVD's shapes,
// signs and dense/sparse agreement, and the random start's scale.
#include "helpers.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>

using betanmf::DenseMatrix;
using testing::Csc;
using testing::rel_diff;

TEST_CASE("randomized_svd recovers the singular values of an exact-rank matrix", "[init][svd]") {
  arma::arma_rng::set_seed(31);
  for (int rank : {1, 3, 5}) {
    const arma::mat A = arma::randn<arma::mat>(45, rank), B = arma::randn<arma::mat>(rank, 37);
    const arma::mat Y = A * B;  // exact rank `rank`
    const arma::vec s_ref = arma::svd(Y);
    for (int r = 1; r <= rank; ++r) {
      CAPTURE(rank, r);
      arma::mat U, V;
      arma::vec s;
      betanmf::randomized_svd(DenseMatrix(Y), r, 7, 1, U, s, V);
      REQUIRE(U.n_rows == 45);
      REQUIRE(U.n_cols == arma::uword(r));
      REQUIRE(V.n_rows == 37);
      REQUIRE(V.n_cols == arma::uword(r));
      REQUIRE(s.n_elem == arma::uword(r));
      for (int k = 0; k < r; ++k) CHECK(std::abs(s[k] - s_ref[k]) <= 1e-6 * s_ref[k]);
      // orthonormal singular vectors that reproduce X V = U diag(s)
      CHECK(arma::abs(U.t() * U - arma::eye(r, r)).max() < 1e-10);
      CHECK(arma::abs(V.t() * V - arma::eye(r, r)).max() < 1e-10);
      CHECK(rel_diff(Y * V, U * arma::diagmat(s)) < 1e-8);
      if (r == rank) CHECK(rel_diff(U * arma::diagmat(s) * V.t(), Y) < 1e-8);
    }
  }
}

TEST_CASE("randomized_svd is accurate on a decaying spectrum and sparse input", "[init][svd]") {
  // Non-negative data with exact zeros: full rank, but dominated by four
  // components; the power iterations make the leading values accurate.
  const arma::mat X = testing::planted(70, 55, 4, 0.02, 0.5, 32);
  const Csc csc(X);
  const arma::vec s_ref = arma::svd(X);
  arma::mat Ud, Vd, Us, Vs;
  arma::vec sd, ss;
  betanmf::randomized_svd(DenseMatrix(X), 4, 3, 1, Ud, sd, Vd);
  betanmf::randomized_svd(csc.view(), 4, 3, 2, Us, ss, Vs);
  for (int k = 0; k < 4; ++k) {
    CAPTURE(k);
    CHECK(std::abs(sd[k] - s_ref[k]) <= 1e-6 * s_ref[k]);
    CHECK(std::abs(ss[k] - sd[k]) <= 1e-10 * sd[k]);
  }
  CHECK(rel_diff(Us, Ud) < 1e-8);
  CHECK(rel_diff(Vs, Vd) < 1e-8);
}

TEST_CASE("CholeskyQR2 orthonormalizes a well-conditioned sketch in place, else declines",
          "[init][svd]") {
  arma::arma_rng::set_seed(37);
  // a tall sketch (Y = Yt^T, 600 x 12) of condition about 1e3
  const arma::mat Y0 = arma::randn<arma::mat>(600, 12) * arma::diagmat(arma::logspace(0, 3, 12));
  arma::mat Yt = Y0.t();
  REQUIRE(betanmf::detail::cholesky_qr2(Yt, 2));
  CHECK(arma::abs(Yt * Yt.t() - arma::eye(12, 12)).max() < 1e-13);
  // the same span: projecting Y on it leaves Y
  CHECK(rel_diff(Yt.t() * (Yt * Y0), Y0) < 1e-12);
  // the same bits for 1 and 2 threads
  arma::mat Y1 = Y0.t();
  REQUIRE(betanmf::detail::cholesky_qr2(Y1, 1));
  CHECK(testing::identical(Y1, Yt));
  // a sketch of rank 5 (condition beyond 1e6): declined, Yt unchanged, and
  // orth_t() falls back to a Householder QR that still spans it
  const arma::mat low = arma::randn<arma::mat>(600, 5) * arma::randn<arma::mat>(5, 12);
  arma::mat Lt = low.t();
  CHECK_FALSE(betanmf::detail::cholesky_qr2(Lt, 2));
  CHECK(testing::identical(Lt, arma::mat(low.t())));
  const arma::mat Qt = betanmf::detail::orth_t(Lt, 2);
  REQUIRE(Qt.n_rows == 12);
  CHECK(arma::abs(Qt * Qt.t() - arma::eye(12, 12)).max() < 1e-12);
  CHECK(rel_diff(Qt.t() * (Qt * low), low) < 1e-10);
}

TEST_CASE("NNDSVD gives non-negative factors of the right shapes, dense equal to sparse",
          "[init][nndsvd]") {
  const arma::uword m = 48, n = 39;
  const arma::mat X = testing::planted(m, n, 5, 0.05, 0.7, 33);
  REQUIRE(arma::accu(X == 0.0) > 0.15 * X.n_elem);
  const Csc csc(X);
  const betanmf::SparseMatrix S = csc.view();
  for (int r : {1, 2, 5, 8}) {
    CAPTURE(r);
    betanmf::Config cfg;
    cfg.rank = r;
    cfg.seed = 99;
    arma::mat Wd, Hd, Ws, Hs;
    betanmf::initialize(DenseMatrix(X), cfg, betanmf::Init::nndsvd, Wd, Hd);
    cfg.threads = 2;
    betanmf::initialize(S, cfg, betanmf::Init::nndsvd, Ws, Hs);
    REQUIRE(Wd.n_rows == m);
    REQUIRE(Wd.n_cols == arma::uword(r));
    REQUIRE(Hd.n_rows == arma::uword(r));
    REQUIRE(Hd.n_cols == n);
    REQUIRE(Ws.n_rows == m);
    REQUIRE(Hs.n_cols == n);
    CHECK(Wd.is_finite());
    CHECK(Hd.is_finite());
    CHECK(Wd.min() >= 0.0);
    CHECK(Hd.min() >= 0.0);
    CHECK(Ws.min() >= 0.0);
    CHECK(Hs.min() >= 0.0);
    CHECK(rel_diff(Ws, Wd) <= 1e-8);
    CHECK(rel_diff(Hs, Hd) <= 1e-8);
    // every component is used on data of rank >= r (up to the fifth)
    if (r <= 5) CHECK(arma::all(arma::sum(Wd, 0) > 0.0));
    // the first component is the best rank-one approximation s1 u1 v1^T
    arma::mat U, V;
    arma::vec s;
    arma::svd(U, s, V, X);
    const arma::mat best = s[0] * U.col(0) * V.col(0).t();
    CHECK(rel_diff(Wd.col(0) * Hd.row(0), arma::abs(best)) < 1e-6);
    // later components keep the sign part with the larger norm product:
    // ||w_k|| ||h_k|| = s_k max(||u+|| ||v+||, ||u-|| ||v-||), which does
    // not depend on the sign LAPACK gives the pair (u, v). Checked on the
    // five planted components; past them the noise singular values are too
    // close for the randomized SVD to match LAPACK's vectors.
    for (int k = 1; k < std::min(r, 5); ++k) {
      CAPTURE(k);
      const arma::vec u = U.col(k), v = V.col(k);
      const double pos = arma::norm(arma::clamp(u, 0.0, arma::datum::inf)) *
                         arma::norm(arma::clamp(v, 0.0, arma::datum::inf));
      const double neg = arma::norm(arma::clamp(-u, 0.0, arma::datum::inf)) *
                         arma::norm(arma::clamp(-v, 0.0, arma::datum::inf));
      const double expected = s[k] * std::max(pos, neg);
      CHECK(std::abs(pos - neg) > 0.02 * std::max(pos, neg));  // not a near tie
      CHECK(arma::norm(Wd.col(k)) * arma::norm(Hd.row(k)) ==
            Approx(expected).epsilon(1e-3));
      // and w_k h_k is supported on one sign pattern of (u, v)
      CHECK(arma::norm(Wd.col(k)) == Approx(arma::norm(Hd.row(k))).epsilon(1e-12));
    }
  }
}

TEST_CASE("NNDSVD with a positive fill has no zeros", "[init][nndsvd]") {
  const arma::mat X = testing::planted(30, 25, 3, 0.05, 0.5, 34);
  arma::mat W, H;
  const double fill = betanmf::mean_value(DenseMatrix(X));
  REQUIRE(fill > 0.0);
  betanmf::init_nndsvd(DenseMatrix(X), 6, 1, 1, fill, W, H);
  CHECK(W.min() > 0.0);
  CHECK(H.min() > 0.0);
  arma::mat W0, H0;
  betanmf::init_nndsvd(DenseMatrix(X), 6, 1, 1, 0.0, W0, H0);
  CHECK(arma::accu(W0 == 0.0) + arma::accu(H0 == 0.0) > 0);
  // the fill touches exactly the zeros
  CHECK(arma::accu(W != W0) == arma::accu(W0 == 0.0));
  CHECK(arma::all(arma::vectorise(W.elem(arma::find(W0 == 0.0))) == fill));
}

TEST_CASE("random start: scale, determinism, given factors", "[init]") {
  const arma::mat X = testing::planted(40, 30, 3, 0.05, 0.0, 35);
  const double mu = arma::mean(arma::vectorise(X));
  betanmf::Config cfg;
  cfg.rank = 4;
  cfg.seed = 2024;
  arma::mat W1, H1, W2, H2, W3, H3;
  betanmf::initialize(DenseMatrix(X), cfg, betanmf::Init::random, W1, H1);
  betanmf::initialize(DenseMatrix(X), cfg, betanmf::Init::random, W2, H2);
  cfg.seed = 2025;
  betanmf::initialize(DenseMatrix(X), cfg, betanmf::Init::random, W3, H3);
  REQUIRE(W1.n_rows == 40);
  REQUIRE(W1.n_cols == 4);
  REQUIRE(H1.n_rows == 4);
  REQUIRE(H1.n_cols == 30);
  CHECK(testing::identical(W1, W2));
  CHECK(testing::identical(H1, H2));
  CHECK_FALSE(testing::identical(W1, W3));
  const double c = 2.0 * std::sqrt(mu / 4.0);
  CHECK(W1.min() > 0.0);
  CHECK(H1.min() > 0.0);
  CHECK(W1.max() < c);
  CHECK(H1.max() < c);
  // E[(W H)_ij] = mean(X): the sample mean of W H is within 15%
  CHECK(std::abs(arma::mean(arma::vectorise(W1 * H1)) / mu - 1.0) < 0.15);
  // the same start for sparse input
  const Csc csc(X);
  arma::mat Ws, Hs;
  betanmf::initialize(csc.view(), cfg, betanmf::Init::random, Ws, Hs);
  CHECK(rel_diff(Ws, W3) < 1e-12);
  CHECK(rel_diff(Hs, H3) < 1e-12);
  // given factors are taken as they are, and the fit refuses shapes that do
  // not match the data and the rank
  arma::mat Wg(40, 4, arma::fill::ones), Hg(4, 30, arma::fill::ones);
  CHECK_NOTHROW(betanmf::initialize(DenseMatrix(X), cfg, betanmf::Init::given, Wg, Hg));
  arma::mat Hbad(4, 29, arma::fill::ones);
  betanmf::SilentMonitor mon;
  CHECK_THROWS_AS(betanmf::fit(DenseMatrix(X), Wg, Hbad, cfg, mon), std::invalid_argument);
}

TEST_CASE("flat start of the factor left out: the model has the mean of the data",
          "[init]") {
  arma::arma_rng::set_seed(11);
  const arma::mat X = arma::randu(30, 25) * 3.0;
  betanmf::Config cfg;
  cfg.rank = 3;
  const arma::mat W0 = arma::randu(30, 3), H0 = arma::randu(3, 25);
  arma::mat W = W0, H;
  betanmf::initialize(DenseMatrix(X), cfg, betanmf::Init::given, W, H);
  REQUIRE(H.n_rows == 3);
  REQUIRE(H.n_cols == 25);
  CHECK(testing::identical(W, W0));
  CHECK(H.min() == H.max());
  CHECK(std::abs(arma::mean(arma::vectorise(W * H)) / arma::mean(arma::vectorise(X)) - 1.0) <
        1e-12);
  arma::mat W2, H2 = H0;
  betanmf::initialize(DenseMatrix(X), cfg, betanmf::Init::given, W2, H2);
  REQUIRE(W2.n_rows == 30);
  REQUIRE(W2.n_cols == 3);
  CHECK(W2.min() == W2.max());
  CHECK(std::abs(arma::mean(arma::vectorise(W2 * H2)) / arma::mean(arma::vectorise(X)) - 1.0) <
        1e-12);
  // a zero partner still gives a positive start
  arma::mat Wz(30, 3, arma::fill::zeros), Hz;
  betanmf::initialize(DenseMatrix(X), cfg, betanmf::Init::given, Wz, Hz);
  CHECK(Hz.min() > 0.0);
}

TEST_CASE("components are ordered in place by decreasing contribution", "[init]") {
  arma::arma_rng::set_seed(5);
  for (int trial = 0; trial < 20; ++trial) {
    const arma::uword r = 1 + trial % 7;
    arma::mat W = arma::randu(12, r), H = arma::randu(r, 9);
    // spread the contributions so the order is random but strict
    for (arma::uword k = 0; k < r; ++k) H.row(k) *= std::pow(3.0, arma::randu() * 4.0);
    const arma::mat W0 = W, H0 = H;
    const auto order = betanmf::finalize_components(W, H, betanmf::Normalize::none, true);
    REQUIRE(order.size() == r);
    for (arma::uword k = 0; k < r; ++k) {
      CHECK(testing::identical(arma::mat(W.col(k)), arma::mat(W0.col(order[k]))));
      CHECK(testing::identical(arma::mat(H.row(k)), arma::mat(H0.row(order[k]))));
      if (k > 0) CHECK(arma::accu(W.col(k - 1)) * arma::accu(H.row(k - 1)) >=
                       arma::accu(W.col(k)) * arma::accu(H.row(k)));
    }
    CHECK(rel_diff(W * H, W0 * H0) < 1e-14);
  }
}

TEST_CASE("normalizing leaves a component whose H would overflow as it is", "[init]") {
  // under weights spanning 1e300 a fit may end with W of 1e208 against H of
  // 1e148: the l1 normalization made H infinite (fuzz seed 7, call 60906)
  arma::mat W = {{8e207, 0.5}, {1.0, 0.5}};
  arma::mat H = {{1e88, 2e148}, {1.0, 3.0}};
  const arma::mat W0 = W, H0 = H;
  (void)betanmf::finalize_components(W, H, betanmf::Normalize::l1, false);
  CHECK(W.is_finite());
  CHECK(H.is_finite());
  CHECK(W(0, 0) == W0(0, 0));  // component 1 left as it was
  CHECK(H(0, 1) == H0(0, 1));
  CHECK(W(0, 1) == 0.5);  // component 2 normalized as usual (its sum is 1)
  CHECK(arma::accu(W.col(1)) == 1.0);
}

TEST_CASE("a model of two factor floors has a finite divergence for every beta <= 1",
          "[init]") {
  // the multiplicative updates keep learned entries at or above the floor;
  // at beta = -1 a product of two entries at 2^-400 of their factors made
  // x y^(beta - 1) overflow (fuzz seed 7, call 60544)
  for (double beta : {1.0, 0.5, 0.0, -0.2, -0.5, -1.0, -3.0, -10.0}) {
    const double f = betanmf::factor_floor(1.0, 1.0, beta);
    CHECK(f > 0.0);
    CHECK(f <= std::ldexp(1.0, -40));  // far below the factor's scale
    const double d = betanmf::beta_div(1.0, f * f, beta);
    CHECK(std::isfinite(d));
  }
  CHECK(betanmf::factor_floor(1.0, 1.0, 0.5) == std::ldexp(1.0, -400));
}
