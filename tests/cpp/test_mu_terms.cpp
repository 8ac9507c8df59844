// The pieces behind the fixes of the randomized harness (tools/fuzz.R):
// the step of the multiplicative updates under an L2 penalty at beta < 2
// (solvers/mu_terms.hpp), its bounds, the weighted partner sums where the
// left-out partners dominate (weights.hpp), the flat start over a zero
// factor (fit.hpp) and the balancing of components split unevenly at scale
// (scale.hpp).
#include <betanmf/betanmf.hpp>

#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

namespace {

// The auxiliary function of one coordinate (times 1 / f), up to a
// constant, as a function of t = f_new / f (mu_terms.hpp, l2_ratio):
// its derivative is -num t^(beta - 2) + c t^p + a t.
double auxiliary(double t, double num, double c, double a, double beta) {
  const double p = beta < 1.0 ? 0.0 : beta - 1.0;
  const double conv = beta == 1.0 ? -num * std::log(t) : num * std::pow(t, beta - 1.0) / (1.0 - beta);
  const double lin = p == 0.0 ? c * t : c * std::pow(t, p + 1.0) / (p + 1.0);
  return conv + lin + 0.5 * a * t * t;
}

}  // namespace

TEST_CASE("l2_ratio minimizes the auxiliary function and never passes its minimum",
          "[mu]") {
  for (double beta : {-0.5, 0.0, 0.5, 0.9, 1.0, 1.5}) {
    for (double num : {1e-3, 0.7, 3.0, 250.0}) {
      for (double c : {0.1, 1.0, 10.0}) {
        for (double a : {1e-4, 0.5, 20.0}) {
          const double gamma = betanmf::mu_gamma(beta);
          const double t = betanmf::detail::l2_ratio(num, c, a, beta, gamma);
          const double t0 = std::pow(num / (c + a), gamma);
          INFO("beta " << beta << " num " << num << " c " << c << " a " << a << " t " << t);
          REQUIRE(std::isfinite(t));
          REQUIRE(t > 0.0);
          // between 1 and the usual update, which passes the minimum
          REQUIRE(t >= std::min(1.0, t0) * (1 - 1e-12));
          REQUIRE(t <= std::max(1.0, t0) * (1 + 1e-12));
          // a decrease, and the stationary point up to rounding
          REQUIRE(auxiliary(t, num, c, a, beta) <= auxiliary(1.0, num, c, a, beta) + 1e-12);
          const double p = beta < 1.0 ? 0.0 : beta - 1.0;
          const double g = -num * std::pow(t, beta - 2.0) + c * std::pow(t, p) + a * t;
          REQUIRE(std::abs(g) <= 1e-8 * (num * std::pow(t, beta - 2.0) + c + a * t));
          // the usual update can rise above the start: the reason for all this
          if (auxiliary(t0, num, c, a, beta) > auxiliary(1.0, num, c, a, beta))
            SUCCEED("the plain step would have increased the objective");
        }
      }
    }
  }
}

TEST_CASE("mu_apply keeps its bounds: the floor ratio, the ceiling ratio, fixed coordinates",
          "[mu]") {
  betanmf::Penalty pen;
  std::vector<double> f = {1.0, 1.0, 1.0};
  const std::vector<double> num = {1e-6, 1e6, 1.0}, den = {1.0, 1.0, 1.0};
  // beta = 1: ratios num / den, bounded to [0.5, 4] times the start
  betanmf::detail::mu_apply(3, 1, f.data(), num.data(), den.data(), pen, 1.0, 0.0, 0.5, 4.0);
  CHECK(f[0] == 1.0);  // fixed
  CHECK(f[1] == 4.0);  // the rise capped at `highest`
  CHECK(f[2] == 1.0);  // num == den: stays
  std::vector<double> g = {1.0, 1.0};
  const std::vector<double> n2 = {1e-6, 1.0}, d2 = {1.0, 1.0};
  betanmf::detail::mu_apply(2, 0, g.data(), n2.data(), d2.data(), pen, 1.0, 0.0, 0.5);
  CHECK(g[0] == 0.5);  // the cut held at `lowest`
}

TEST_CASE("mu_apply never lifts a coordinate above both its step and its value", "[mu]") {
  // The factor floor follows the factor's largest entry, so it can rise
  // above a coordinate that reached it earlier; lifting the coordinate to
  // the new floor need not decrease the objective (fuzz seeds 5079, 5729).
  betanmf::Penalty pen;
  const std::vector<double> num = {0.25, 0.05, 4.0}, den = {1.0, 1.0, 1.0};
  std::vector<double> f = {1e-10, 1e-8, 0.0};
  const double floor = 1e-9;
  betanmf::detail::mu_apply(3, 0, f.data(), num.data(), den.data(), pen, 1.0, floor);
  CHECK(f[0] == 1e-10);  // below the floor already: held where it was
  CHECK(f[1] == floor);  // above the floor: the cut to 5e-10 stops at the floor
  CHECK(f[2] == floor);  // an exact zero is lifted to the floor
  // a step up from below the floor is taken as it is
  std::vector<double> g = {1e-10};
  const std::vector<double> up = {4.0}, one = {1.0};
  betanmf::detail::mu_apply(1, 0, g.data(), up.data(), one.data(), pen, 1.0, floor);
  CHECK(g[0] == 4e-10);
}

TEST_CASE("weighted partner sums stay exact where the left-out partners dominate",
          "[weights]") {
  // a column of 4 entries, entries 1 and 2 masked (weight 0); the partner
  // columns at the masked entries are 1e23, the others 1 and 2
  const int p[] = {0, 2};
  const int i[] = {1, 2};
  const double delta[] = {-1.0, -1.0};
  const betanmf::Weights wts(1.0, 4, 1, p, i, delta);
  arma::mat P(1, 4);
  P(0, 0) = 1.0;
  P(0, 1) = 1e23;
  P(0, 2) = 3e23;
  P(0, 3) = 2.0;
  const arma::vec s = arma::sum(P, 1);
  double out = 0.0;
  betanmf::weighted_partner_sum(wts.base, wts.line(true, 0), s, P, &out);
  CHECK(out == 3.0);  // 1 + 2, where base s - masked is rounding noise
}

TEST_CASE("a flat start over an all-zero known factor is finite", "[fit]") {
  arma::mat X(5, 3, arma::fill::ones);
  X *= 7.0;
  const betanmf::DenseMatrix Xd(X.memptr(), X.n_rows, X.n_cols);
  arma::mat W(5, 2, arma::fill::zeros), H;
  betanmf::flat_partner(Xd, 2, betanmf::Config(), W, H);
  REQUIRE(H.n_rows == 2);
  REQUIRE(H.n_cols == 3);
  CHECK(H.is_finite());
  // and a projection on it (all components dead) returns finite factors
  betanmf::Config cfg;
  cfg.rank = 2;
  cfg.solver = betanmf::Solver::mu;
  cfg.fixed_w = 2;
  cfg.max_iter = 5;
  cfg.pen_h.l1 = 1.0;
  betanmf::SilentMonitor mon;
  const betanmf::Result res = betanmf::fit(Xd, W, arma::mat(), cfg, mon);
  CHECK(res.H.is_finite());
}

TEST_CASE("components split unevenly at scale are balanced on the way back, known ones are not",
          "[scale]") {
  arma::mat W(3, 2), H(2, 4);
  W.col(0).fill(0x1.0p-600);
  W.col(1).fill(1.0);
  H.row(0).fill(0x1.0p600);
  H.row(1).fill(1.0);
  // scaled back by 2^480 each, component 0 would overflow on the H side
  const std::vector<int> e = betanmf::balance_exponents(W, H, 480, 480, 0);
  CHECK(e[0] == 600);
  CHECK(e[1] == 0);
  const arma::mat before = W * H;
  betanmf::apply_balance(e, W, H);
  CHECK(arma::approx_equal(W * H, before, "reldiff", 0.0));
  // the first `fixed` components keep their scale
  const std::vector<int> kept = betanmf::balance_exponents(W, H, 480, 480, 2);
  CHECK(kept[0] == 0);
}

TEST_CASE("scaling never rounds a positive datum to zero where it can be avoided", "[scale]") {
  // ordinary data are left as they are; large data are scaled to near 1
  CHECK(betanmf::scale_exponent(1e10, 1e-3) == 0);
  CHECK(betanmf::scale_exponent(0x1.0p100, 1.0) == 50);
  // a subnormal datum beside 2^44: only as far down as brings the largest
  // entry within range (2^40), not to 2^0, which would round 1e-315 to zero
  CHECK(betanmf::scale_exponent(0x1.0p44, 1e-315) == 2);
  // a small normal datum beside 2^100: down only as far as it stays
  // normal (2^-940 / 4^41 = 2^-1022), but at least to bring 2^100 to 2^40
  CHECK(betanmf::scale_exponent(0x1.0p100, 0x1.0p-940) == 41);
  CHECK(betanmf::scale_exponent(0x1.0p100, 0x1.0p-1000) == 30);
  // data spanning more than the double range: the scaled copy keeps the
  // datum positive (the smallest double) instead of zero
  std::vector<double> v = {0x1.0p1000, 0x1.0p-1070, 1.0, 0.0};
  const betanmf::DenseMatrix Xd(v.data(), 2, 2);
  betanmf::with_scaled(Xd, [&](const auto &Xs, int k) {
    CHECK(k > 0);
    CHECK(Xs.data[1] > 0.0);
    CHECK(Xs.data[3] == 0.0);
    return 0;
  });
}
