// vlog() against std::log over the whole range of positive doubles (subnormal ones too)
// and near 1, where the logarithm is small; sqrt_array() against std::sqrt.
#include <betanmf/vmath.hpp>

#include <catch2/catch.hpp>

#include <cmath>
#include <cstddef>
#include <limits>
#include <vector>

namespace {

// Largest relative error of vlog over the values in xs.
double worst_relative_error(const std::vector<double> &xs) {
  double worst = 0.0;
  for (double x : xs) {
    const double ref = std::log(x), got = betanmf::vlog(x);
    const double err = ref == 0.0 ? std::abs(got) : std::abs(got - ref) / std::abs(ref);
    if (err > worst)
      worst = err;
  }
  return worst;
}

} // namespace

TEST_CASE("vlog agrees with std::log from 1e-300 to 1e300", "[vmath]") {
  std::vector<double> xs;
  // 200001 points spread evenly in log scale, plus odd mantissas
  for (int t = 0; t <= 200000; ++t)
    xs.push_back(std::pow(10.0, -300.0 + 600.0 * t / 200000));
  for (int t = 1; t <= 20000; ++t)
    xs.push_back(1.0 + t * 0.7071e-4 * 3.7);
  xs.push_back(std::numeric_limits<double>::min());
  xs.push_back(std::numeric_limits<double>::max());
  xs.push_back(std::sqrt(0.5));
  xs.push_back(std::sqrt(2.0));
  xs.push_back(std::nextafter(std::sqrt(2.0), 0.0));
  CHECK(worst_relative_error(xs) < 1e-15);
}

TEST_CASE("vlog agrees with std::log on subnormal doubles", "[vmath]") {
  std::vector<double> xs{std::numeric_limits<double>::denorm_min(), 1e-323, 1e-320,
                         std::nextafter(std::numeric_limits<double>::min(), 0.0)};
  for (int t = 0; t <= 2000; ++t)
    xs.push_back(std::pow(10.0, -323.0 + 15.0 * t / 2000));
  CHECK(worst_relative_error(xs) < 1e-15);
}

TEST_CASE("vlog is accurate near 1", "[vmath]") {
  std::vector<double> xs{1.0};
  for (int t = 1; t <= 2000; ++t) {
    const double d = std::pow(10.0, -16.0 + 15.0 * t / 2000);
    xs.push_back(1.0 + d);
    xs.push_back(1.0 - d);
  }
  for (int u = 1; u <= 1000; ++u) {
    xs.push_back(std::nextafter(1.0, 2.0) + u * std::numeric_limits<double>::epsilon());
    xs.push_back(1.0 - u * std::numeric_limits<double>::epsilon() / 2);
  }
  CHECK(worst_relative_error(xs) < 1e-15);
  CHECK(betanmf::vlog(1.0) == 0.0);
}

TEST_CASE("sqrt_array equals std::sqrt, in place and for any length", "[vmath]") {
  for (std::size_t n : {0, 1, 2, 3, 4, 5, 7, 8, 9, 33}) {
    std::vector<double> in(n), out(n);
    for (std::size_t i = 0; i < n; ++i)
      in[i] = 0.37 * i * i + (i % 3 == 0 ? 0.0 : 1e-300);
    betanmf::sqrt_array<false>(in.data(), out.data(), n);
    for (std::size_t i = 0; i < n; ++i)
      CHECK(out[i] == std::sqrt(in[i]));
    if (betanmf::has_avx2()) {
      std::vector<double> same = in;
      betanmf::sqrt_array<true>(same.data(), same.data(), n);
      for (std::size_t i = 0; i < n; ++i)
        CHECK(same[i] == std::sqrt(in[i]));
    }
  }
}
