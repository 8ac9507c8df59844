// beta_div() against closed forms, and divergence() of a factorization
// against a brute-force sum, for dense and sparse data.
#include "helpers.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <vector>

using betanmf::beta_div;
using betanmf::DenseMatrix;
using betanmf::divergence;
using testing::Csc;

namespace {

const double inf = std::numeric_limits<double>::infinity();

// d_beta(x | y) for x, y > 0, written in factored forms that share no code
// with the general formula of the core.
double closed_form(double x, double y, double beta) {
  const double sx = std::sqrt(x), sy = std::sqrt(y);
  if (beta == 0.0) return x / y - std::log(x / y) - 1.0;
  if (beta == 0.5) return 2.0 * (sx - sy) * (sx - sy) / sy;
  if (beta == 1.0) return x * std::log(x / y) - x + y;
  if (beta == 1.5) return 2.0 / 3.0 * (sx - sy) * (sx - sy) * (2.0 * sx + sy);
  if (beta == 2.0) return 0.5 * (x - y) * (x - y);
  if (beta == 3.0) return (x - y) * (x - y) * (x + 2.0 * y) / 6.0;
  FAIL("no closed form for beta = " << beta);
  return 0.0;
}

// The general formula of Fevotte & Idier (2011, eq. 2), for beta not 0 or 1.
double general_formula(double x, double y, double b) {
  return (std::pow(x, b) + (b - 1.0) * std::pow(y, b) - b * x * std::pow(y, b - 1.0)) /
         (b * (b - 1.0));
}

const std::vector<double> grid = {1e-3, 0.1, 0.5, 1.0, 1.7, 3.0, 10.0, 250.0};
const std::vector<double> betas = {0.0, 0.5, 1.0, 1.5, 2.0, 3.0};

// sum_ij d_beta(X_ij | (W H)_ij) with W H from Armadillo.
double brute_force(const arma::mat &X, const arma::mat &W, const arma::mat &H, double beta) {
  const arma::mat Y = W * H;
  double s = 0.0;
  for (arma::uword t = 0; t < X.n_elem; ++t) s += beta_div(X[t], Y[t], beta);
  return s;
}

}  // namespace

TEST_CASE("beta_div matches closed forms on a grid of positive (x, y)", "[divergence]") {
  for (double beta : betas) {
    for (double x : grid) {
      for (double y : grid) {
        CAPTURE(beta, x, y);
        const double d = beta_div(x, y, beta);
        const double ref = closed_form(x, y, beta);
        // non-negative up to rounding: the general formula cancels at x = y
        CHECK(d >= -1e-14 * std::max(1.0, std::pow(x, beta)));
        CHECK(std::abs(d - ref) <= 1e-10 * std::max(ref, 1.0));
        if (x == y) CHECK(std::abs(d) <= 1e-12 * std::max(1.0, std::pow(x, beta)));
        else CHECK(d > 0.0);
      }
    }
  }
}

TEST_CASE("beta_div has the right limits at zero", "[divergence]") {
  for (double y : grid) {
    CAPTURE(y);
    // x = 0: y^b / b for b > 0, +Inf for b <= 0
    CHECK(beta_div(0.0, y, 0.5) == Approx(2.0 * std::sqrt(y)).epsilon(1e-14));
    CHECK(beta_div(0.0, y, 1.0) == Approx(y).epsilon(1e-14));
    CHECK(beta_div(0.0, y, 1.5) == Approx(std::pow(y, 1.5) / 1.5).epsilon(1e-14));
    CHECK(beta_div(0.0, y, 2.0) == Approx(y * y / 2.0).epsilon(1e-14));
    CHECK(beta_div(0.0, y, 3.0) == Approx(y * y * y / 3.0).epsilon(1e-14));
    CHECK(beta_div(0.0, y, 0.0) == inf);
    CHECK(beta_div(0.0, y, -1.0) == inf);
  }
  for (double x : grid) {
    CAPTURE(x);
    // y = 0 with x > 0: +Inf for b <= 1, x^b / (b (b - 1)) for b > 1
    CHECK(beta_div(x, 0.0, 0.0) == inf);
    CHECK(beta_div(x, 0.0, 0.5) == inf);
    CHECK(beta_div(x, 0.0, 1.0) == inf);
    CHECK(beta_div(x, 0.0, 1.5) == Approx(std::pow(x, 1.5) / 0.75).epsilon(1e-14));
    CHECK(beta_div(x, 0.0, 2.0) == Approx(x * x / 2.0).epsilon(1e-14));
    CHECK(beta_div(x, 0.0, 3.0) == Approx(x * x * x / 6.0).epsilon(1e-14));
  }
  for (double beta : {-1.0, 0.0, 0.5, 1.0, 1.5, 2.0, 3.0}) {
    CAPTURE(beta);
    CHECK(beta_div(0.0, 0.0, beta) == 0.0);
  }
}

TEST_CASE("beta_div is continuous in beta at the special cases", "[divergence]") {
  for (double x : grid) {
    for (double y : grid) {
      CAPTURE(x, y);
      const double kl = closed_form(x, y, 1.0), is = closed_form(x, y, 0.0);
      const double scale_kl = std::max(kl, 1e-3 * std::max(x, y));
      const double scale_is = std::max(is, 1e-3);
      for (double b : {1.0 - 1e-7, 1.0 + 1e-7}) {
        CHECK(std::abs(general_formula(x, y, b) - kl) <= 1e-5 * scale_kl);
        CHECK(std::abs(beta_div(x, y, b) - kl) <= 1e-5 * scale_kl);
      }
      CHECK(std::abs(general_formula(x, y, 1e-7) - is) <= 1e-5 * scale_is);
      CHECK(std::abs(beta_div(x, y, 1e-7) - is) <= 1e-5 * scale_is);
      // the limits at x = 0 are continuous in x as well
      if (y >= 0.1) {
        for (double b : {0.5, 1.0, 1.5, 2.0, 3.0})
          CHECK(beta_div(1e-12, y, b) == Approx(beta_div(0.0, y, b)).epsilon(1e-5));
      }
    }
  }
}

TEST_CASE("divergence of a dense X equals the brute-force sum", "[divergence]") {
  arma::arma_rng::set_seed(11);
  const arma::uword m = 23, n = 17, r = 3;
  const arma::mat W = arma::randu<arma::mat>(m, r) + 0.05;
  const arma::mat H = arma::randu<arma::mat>(r, n) + 0.05;
  arma::mat X = arma::randu<arma::mat>(m, n) * 2.0 + 0.01;  // positive
  const arma::mat Wt = W.t();
  for (double beta : {-0.5, 0.0, 0.5, 1.0, 1.5, 2.0, 3.0}) {
    CAPTURE(beta);
    const double ref = brute_force(X, W, H, beta);
    const double d1 = divergence(DenseMatrix(X), Wt, H, beta, 1);
    const double d2 = divergence(DenseMatrix(X), Wt, H, beta, 2);
    REQUIRE(std::isfinite(ref));
    CHECK(ref > 0.0);
    CHECK(std::abs(d1 - ref) <= 1e-10 * ref);
    CHECK(d1 == d2);  // bit-identical across thread counts
  }
  // A perfect fit has zero divergence.
  const arma::mat Y = W * H;
  for (double beta : betas) {
    CAPTURE(beta);
    CHECK(divergence(DenseMatrix(Y), Wt, H, beta, 1) <= 1e-10 * arma::accu(Y));
  }
  // Zeros in X: infinite for beta <= 0, finite and brute-force exact for beta > 0.
  X(3, 4) = 0.0;
  X(0, 16) = 0.0;
  CHECK(divergence(DenseMatrix(X), Wt, H, 0.0, 1) == inf);
  for (double beta : {0.5, 1.0, 1.5, 2.0, 3.0}) {
    CAPTURE(beta);
    const double ref = brute_force(X, W, H, beta);
    CHECK(std::abs(divergence(DenseMatrix(X), Wt, H, beta, 1) - ref) <= 1e-10 * ref);
  }
}

TEST_CASE("divergence of a sparse X equals the dense one", "[divergence][sparse]") {
  // Two factorizations: unrelated random factors (large divergence) and the
  // planted ones (small divergence, where closed forms for the zeros cancel).
  arma::mat Wp, Hp;
  const arma::mat X = testing::planted(31, 26, 4, 0.05, 0.6, 5, &Wp, &Hp);
  const double frac_zero = arma::accu(X == 0.0) / static_cast<double>(X.n_elem);
  REQUIRE(frac_zero > 0.1);
  REQUIRE(frac_zero < 0.9);
  const Csc csc(X);
  const betanmf::SparseMatrix S = csc.view();
  REQUIRE(S.nnz() == arma::uword(arma::accu(X != 0.0)));

  arma::arma_rng::set_seed(12);
  const arma::mat Wr = arma::randu<arma::mat>(31, 4), Hr = arma::randu<arma::mat>(4, 26);
  for (int which = 0; which < 2; ++which) {
    const arma::mat Wt = which == 0 ? Wr.t() : Wp.t();
    const arma::mat &H = which == 0 ? Hr : Hp;
    for (double beta : {0.5, 1.0, 1.5, 2.0, 3.0}) {
      CAPTURE(which, beta);
      const double dense = divergence(DenseMatrix(X), Wt, H, beta, 1);
      const double sparse1 = divergence(S, Wt, H, beta, 1);
      const double sparse2 = divergence(S, Wt, H, beta, 2);
      REQUIRE(std::isfinite(dense));
      CHECK(dense > 0.0);
      CHECK(std::abs(sparse1 - dense) <= 1e-10 * dense);
      CHECK(sparse1 == sparse2);
    }
    CHECK(divergence(S, Wt, H, 0.0, 1) == inf);
    CHECK(divergence(S, Wt, H, -1.0, 1) == inf);
  }

  // Without zeros, beta <= 0 is finite and agrees with the dense value.
  const arma::mat Xpos = X + 0.1;
  const Csc cpos(Xpos);
  const arma::mat Wt = Wp.t();
  for (double beta : {-1.0, 0.0}) {
    CAPTURE(beta);
    const double dense = divergence(DenseMatrix(Xpos), Wt, Hp, beta, 1);
    const double sparse = divergence(cpos.view(), Wt, Hp, beta, 2);
    REQUIRE(std::isfinite(dense));
    CHECK(std::abs(sparse - dense) <= 1e-10 * dense);
  }
}

TEST_CASE("a subnormal datum keeps its value against a normal model", "[divergence]") {
  // data at 1e-19 fitted at a scale of 4^-488 are subnormal there; for beta
  // near 0 the term of a zero, y^beta / beta, is far from the exact one
  const double x = 8e-313, y = 1e-300, beta = 0.0084;
  const double exact = (std::pow(x, beta) + (beta - 1.0) * std::pow(y, beta) -
                        beta * x * std::pow(y, beta - 1.0)) / (beta * (beta - 1.0));
  CHECK(betanmf::beta_div(x, y, beta) == Approx(exact).epsilon(1e-10));
  CHECK(betanmf::beta_div(x, y, beta) < 0.5 * std::pow(y, beta) / beta);
  // against a model that is subnormal or zero too, it is the zero it approaches
  CHECK(betanmf::beta_div(x, 0.0, 1.0) == 0.0);
  CHECK(std::isfinite(betanmf::beta_div(x, 1e-320, 0.5)));
}
