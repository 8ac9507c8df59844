// The element-wise pieces of the multiplicative updates for the
// beta-divergence (Fevotte & Idier 2011, Neural Comput 23:2421): the
// exponent gamma(beta) that makes each step a guaranteed decrease (table 2)
// and the update of one line of a factor.
#pragma once

#include "../config.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace betanmf {

[[nodiscard]] inline double mu_gamma(double beta) {
  if (beta < 1.0) return 1.0 / (2.0 - beta);
  if (beta > 2.0) return 1.0 / (beta - 1.0);
  return 1.0;
}

namespace detail {

// f_k <- max(floor, f_k (num_k / (den_k + l1 + l2 f_k))^gamma) for k >= fixed.
// Under a Gamma prior in log coordinates (Penalty::shape, rate) the prior's
// gradient -shape / f + rate joins the numerator and the denominator:
//   f_k <- f_k ((num_k + shape_k / f_k) / (den_k + l1 + l2 f_k + rate_k))^gamma,
// for beta = 1 the exact minimizer of the auxiliary function plus the prior.
// The auxiliary function of the step is convex and separable in the f_k
// with its minimum at the multiplicative update, so raising an update to
// `floor` (from a value that was at least `floor`) still decreases it, and
// so does leaving a coordinate where it is: a step whose value is not finite
// (an overflow of num_k) leaves f_k unchanged.
inline void mu_apply(int r, int fixed, double *f, const double *num, const double *den,
                     const Penalty &pen, double gamma, double floor = 0.0) {
  const bool prior = !pen.shape.empty();
  for (int k = fixed; k < r; ++k) {
    const double d = den[k] + pen.l1 + pen.l2 * f[k] + (prior ? pen.rate[k] : 0.0);
    if (!(d > 0.0)) continue;  // a dead component: nothing moves it
    const double a = prior ? pen.shape[k] : 0.0;
    if (a > 0.0 && !(f[k] > 0.0)) {
      f[k] = std::max(a / d, floor);  // a zero is not a mode under the prior
      continue;
    }
    const double ratio = (num[k] + (a > 0.0 ? a / f[k] : 0.0)) / d;
    const double next =
        f[k] * (gamma == 1.0 ? ratio : (gamma == 0.5 ? std::sqrt(ratio) : std::pow(ratio, gamma)));
    if (next <= std::numeric_limits<double>::max()) f[k] = std::max(next, floor);
  }
}

}  // namespace detail

}  // namespace betanmf
