// The counter-based generator: range, determinism, independence of streams,
// and the first two moments of the uniform and normal draws.
#include <betanmf/rng.hpp>

#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <set>
#include <vector>

using betanmf::random_normal;
using betanmf::random_uniform;

TEST_CASE("random_uniform lies in (0, 1) and is a pure function of its keys", "[rng]") {
  for (std::uint64_t seed : {0ULL, 1ULL, 42ULL, ~0ULL}) {
    for (std::uint64_t stream : {0ULL, 1ULL, 3ULL}) {
      for (std::uint64_t t = 0; t < 2000; ++t) {
        const double u = random_uniform(seed, stream, t);
        if (!(u > 0.0 && u < 1.0)) FAIL("out of (0, 1): " << u);
        if (u != random_uniform(seed, stream, t)) FAIL("not deterministic at " << t);
      }
    }
  }
  // Order of evaluation does not matter: backwards gives the same numbers.
  std::vector<double> fwd(100), bwd(100);
  for (int t = 0; t < 100; ++t) fwd[t] = random_uniform(7, 2, t);
  for (int t = 99; t >= 0; --t) bwd[t] = random_uniform(7, 2, t);
  CHECK(fwd == bwd);
}

TEST_CASE("different seeds, streams and indices give different numbers", "[rng]") {
  int same_seed = 0, same_stream = 0;
  std::set<double> seen;
  for (std::uint64_t t = 0; t < 10000; ++t) {
    const double a = random_uniform(1, 1, t);
    same_seed += a == random_uniform(2, 1, t);
    same_stream += a == random_uniform(1, 2, t);
    seen.insert(a);
  }
  CHECK(same_seed == 0);
  CHECK(same_stream == 0);
  CHECK(seen.size() == 10000);  // no repeats within a stream
  // Streams are not shifted copies of one another.
  int shifted = 0;
  for (std::uint64_t t = 0; t < 1000; ++t)
    shifted += random_uniform(1, 1, t + 1) == random_uniform(1, 2, t);
  CHECK(shifted == 0);
  // Neighbouring draws are uncorrelated.
  const int N = 100000;
  double sx = 0, sy = 0, sxy = 0, sxx = 0, syy = 0;
  for (int t = 0; t < N; ++t) {
    const double x = random_uniform(9, 1, t), y = random_uniform(9, 1, t + 1);
    sx += x; sy += y; sxy += x * y; sxx += x * x; syy += y * y;
  }
  const double cov = sxy / N - sx / N * sy / N;
  const double corr = cov / std::sqrt((sxx / N - sx * sx / N / N) * (syy / N - sy * sy / N / N));
  CHECK(std::abs(corr) < 0.015);  // sd of the sample correlation is 1/sqrt(N) ~ 0.003
}

TEST_CASE("random_uniform has mean 1/2 and variance 1/12", "[rng]") {
  const int N = 100000;
  for (std::uint64_t seed : {1ULL, 123456789ULL}) {
    CAPTURE(seed);
    double s = 0.0, ss = 0.0;
    int below_tenth = 0;
    for (int t = 0; t < N; ++t) {
      const double u = random_uniform(seed, 5, t);
      s += u;
      ss += u * u;
      below_tenth += u < 0.1;
    }
    const double mean = s / N, var = ss / N - mean * mean;
    // standard errors: 0.289 / sqrt(N) ~ 9e-4 for the mean, ~2.4e-4 for the variance
    CHECK(std::abs(mean - 0.5) < 0.005);
    CHECK(std::abs(var - 1.0 / 12.0) < 0.0015);
    CHECK(std::abs(below_tenth / double(N) - 0.1) < 0.005);
  }
}

TEST_CASE("random_normal has mean 0 and standard deviation 1", "[rng]") {
  const int N = 100000;
  double s = 0.0, ss = 0.0, s4 = 0.0;
  int beyond_2 = 0;
  for (int t = 0; t < N; ++t) {
    const double z = random_normal(3, 3, t);
    if (!std::isfinite(z)) FAIL("not finite at " << t);
    s += z;
    ss += z * z;
    s4 += z * z * z * z;
    beyond_2 += std::abs(z) > 1.959964;
  }
  const double mean = s / N, sd = std::sqrt(ss / N - mean * mean);
  CHECK(std::abs(mean) < 0.015);       // standard error ~ 0.0032
  CHECK(std::abs(sd - 1.0) < 0.01);    // standard error ~ 0.0022
  CHECK(std::abs(s4 / N - 3.0) < 0.1); // normal kurtosis
  CHECK(std::abs(beyond_2 / double(N) - 0.05) < 0.004);
  CHECK(random_normal(3, 3, 17) == random_normal(3, 3, 17));
  CHECK(random_normal(3, 3, 17) != random_normal(4, 3, 17));
}
