// The element-wise pieces of the multiplicative updates for the
// beta-divergence (Fevotte & Idier 2011, Neural Comput 23:2421): the
// exponent gamma(beta) that makes each step a guaranteed decrease (table 2)
// and the update of one line of a factor.
#pragma once

#include "../config.hpp"
#include "../stats.hpp"

#include <algorithm>
#include <armadillo>
#include <cmath>
#include <limits>

namespace betanmf {

[[nodiscard]] inline double mu_gamma(double beta) {
  if (beta < 1.0) return 1.0 / (2.0 - beta);
  if (beta > 2.0) return 1.0 / (beta - 1.0);
  return 1.0;
}

namespace detail {

// The minimizer t = f_new / f of the auxiliary function of one coordinate
// under an L2 penalty for beta < 2. With c = den + l1 (+ rate) and
// a = l2 f, the auxiliary function of Fevotte & Idier (2011, section 4)
// plus l1 f t + l2 / 2 (f t)^2 is convex in t with derivative (times 1 / f)
//   -num t^(beta - 2) + c t^p + a t,   p = 0 for beta < 1, beta - 1 for
// 1 <= beta < 2 (where the l1 term is majorized by t^beta / beta, as for the
// plain update). The usual update with a in the denominator,
// t0 = (num / (c + a))^gamma, is its minimizer only where t = 1: it passes
// the minimum t* (num t0^(beta - 2) = c t0^p + a > c t0^p + a t0 when
// t0 < 1, and the reverse above 1), and the step can raise the objective.
// The root of g(u) = num e^(-q u) - c - a e^((1 - p) u), u = log t, q = 2 + p
// - beta, which decreases in u, lies between 0 and log t0: found by Newton
// steps kept inside that bracket, and returned on the side of t = 1 (so
// the step never passes t* and decreases the auxiliary function). For
// beta = 1 it is the root of a t^2 + c t - num = 0.
[[nodiscard]] inline double l2_ratio(double num, double c, double a, double beta,
                                     double gamma) {
  const double t0 = gamma == 1.0 ? num / (c + a) : std::pow(num / (c + a), gamma);
  if (!(t0 > 0.0) || !(t0 <= std::numeric_limits<double>::max()) || t0 == 1.0) return t0;
  if (beta == 1.0) {
    const double t = 2.0 * num / (c + std::sqrt(c * c + 4.0 * a * num));
    if (t > 0.0 && std::isfinite(t) && (t - 1.0) * (t0 - 1.0) >= 0.0)
      return std::min(std::max(t, std::min(1.0, t0)), std::max(1.0, t0));
  }
  const double p = beta < 1.0 ? 0.0 : beta - 1.0, q = 2.0 + p - beta, s = 1.0 - p;
  auto g = [&](double u) { return num * std::exp(-q * u) - c - a * std::exp(s * u); };
  // bracket [lo, hi] with g(lo) >= 0 >= g(hi)
  double lo = std::min(0.0, std::log(t0)), hi = std::max(0.0, std::log(t0));
  if (g(lo) < 0.0 || g(hi) > 0.0) return 1.0;  // rounding at the bracket: stay
  auto narrow = [&](double u) {
    if (g(u) >= 0.0) lo = std::max(lo, u);
    else hi = std::min(hi, u);
  };
  double u = 0.5 * (lo + hi);
  for (int it = 0; it < 100; ++it) {
    narrow(u);
    const double tol = 1e-12 * std::max(1.0, std::abs(u));
    if (hi - lo <= tol) break;
    const double slope = -q * num * std::exp(-q * u) - s * a * std::exp(s * u);
    double next = u - g(u) / slope;
    if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);
    if (std::abs(next - u) <= tol) {
      // Newton has converged from one side: close the bracket around it
      narrow(next - 2.0 * tol);
      narrow(next + 2.0 * tol);
      break;
    }
    u = next;
  }
  // the end of the bracket on the side of t = 1 does not pass the root
  return std::exp(t0 < 1.0 ? hi : lo);
}

// The bounds on the ratio f_new / f of a line's step (mu_apply) from the
// least model value above the floor at a positive datum of the line
// (`least`, +Inf when none) and its largest model value, or a bound on it
// (`most`): lowest = floor / least keeps the first above the model floor,
// highest = ceiling / most (at least 1) the second below the ceiling
// (stats.hpp, SolverFloors).
struct LineRatios {
  double lowest = 0.0, highest = arma::datum::inf;
};

// The model value a line's `least` counts for y at a positive datum: y
// itself above the floor; the floor for y just below it (within 2^-40 of
// it: a step by the lowest ratio lands there by rounding, and a line that
// then forgot it could take y below the floor); +Inf (not counted) for y
// further below, which a start may leave there.
[[nodiscard]] inline double floor_guard(double y, double floor) {
  if (y >= floor) return y;
  return y >= floor * (1.0 - 0x1.0p-40) ? floor : arma::datum::inf;
}

[[nodiscard]] inline LineRatios ratios_of(double least, double most, const SolverFloors &fl) {
  LineRatios q;
  if (least < arma::datum::inf) q.lowest = fl.model / least;
  if (most > 0.0 && fl.ceiling < std::numeric_limits<double>::max())
    q.highest = std::max(1.0, fl.ceiling / most);
  return q;
}

// f_k <- max(floor, lowest f_k, f_k (num_k / (den_k + l1 + l2 f_k))^gamma)
// for k >= fixed, with gamma = mu_gamma(beta); for beta < 2 with l2 > 0
// the ratio is the exact minimizer of l2_ratio() instead.
// Under a Gamma prior in log coordinates (Penalty::shape, rate) the prior's
// gradient -shape / f + rate joins the numerator and the denominator:
//   f_k <- f_k ((num_k + shape_k / f_k) / (den_k + l1 + l2 f_k + rate_k))^gamma,
// for beta = 1 the exact minimizer of the auxiliary function plus the prior.
// The auxiliary function of the step is convex and separable in the f_k
// with its minimum at the multiplicative update, so raising an update to
// min(floor, f_k) (a bound below the current value, as clamping to an
// interval that holds f_k; f_k = 0 is lifted to the floor) or to `lowest` times
// its value (lowest <= 1: a step that may not cut the model by more than
// that, solvers/mu.hpp), or capping a rise at `highest` times its value
// (highest >= 1: the model ceiling of stats.hpp), still decreases it, and so does leaving a
// coordinate where it is: a step whose value is not finite (an overflow of
// num_k) leaves f_k unchanged.
inline void mu_apply(int r, int fixed, double *f, const double *num, const double *den,
                     const Penalty &pen, double beta, double floor = 0.0,
                     double lowest = 0.0, double highest = arma::datum::inf) {
  const double gamma = mu_gamma(beta);
  const bool prior = !pen.shape.empty();
  const bool exact_l2 = pen.l2 != 0.0 && beta < 2.0;
  for (int k = fixed; k < r; ++k) {
    const double d = den[k] + pen.l1 + pen.l2 * f[k] + (prior ? pen.rate[k] : 0.0);
    if (!(d > 0.0)) continue;  // a dead component: nothing moves it
    const double a = prior ? pen.shape[k] : 0.0;
    if (a > 0.0 && !(f[k] > 0.0)) {
      f[k] = std::max(a / d, floor);  // a zero is not a mode under the prior
      continue;
    }
    const double top = num[k] + (a > 0.0 ? a / f[k] : 0.0);
    double t;
    if (exact_l2 && f[k] > 0.0)
      t = l2_ratio(top, d - pen.l2 * f[k], pen.l2 * f[k], beta, gamma);
    else {
      const double ratio = top / d;
      t = gamma == 1.0 ? ratio : (gamma == 0.5 ? std::sqrt(ratio) : std::pow(ratio, gamma));
    }
    double next = f[k] * t;
    if (next > f[k] && highest < arma::datum::inf) next = std::min(next, highest * f[k]);
    // the floor as it was when f_k reached it: a floor that has risen since
    // (it follows the largest entry of the factor) would lift f_k above
    // where the step put it, which need not decrease the objective
    if (next <= std::numeric_limits<double>::max())
      f[k] = std::max({next, f[k] > 0.0 ? std::min(floor, f[k]) : floor, lowest * f[k]});
  }
}

}  // namespace detail

}  // namespace betanmf
