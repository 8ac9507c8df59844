// The vectorized element-wise terms of the blocked multiplicative updates
// (solvers/mu_columns.hpp) against the per-entry definitions: A = w x y^(b-2),
// B = w y^(b-1) with y = max(Y, floor) at positive data and max(Y,
// floor_zero) at zeros, and the divergence from beta_div(),
// including the entries that take the exact path (x = 0, Y below the floor)
// and entries of zero weight whose datum is missing (NaN).
#include <betanmf/betanmf.hpp>

#include <catch2/catch.hpp>

#include <cmath>
#include <cstddef>
#include <limits>
#include <vector>

namespace {

void check_column(double beta, bool weighted, bool odd_entries) {
  const std::size_t m = 37; // not a multiple of the vector width
  const double floor = 1e-6, floor_zero = 1e-9;
  std::vector<double> x(m), y(m), w(m), a(m), b(m);
  for (std::size_t i = 0; i < m; ++i) {
    x[i] = 0.2 + std::fmod(0.37 * i * i, 3.0);
    y[i] = 0.3 + std::fmod(0.61 * i, 2.5);
    w[i] = weighted ? (i % 5 == 0 ? 0.0 : 0.5 + 0.1 * (i % 3)) : 1.0;
  }
  if (weighted)
    x[10] = std::numeric_limits<double>::quiet_NaN(); // w[10] = 0
  if (odd_entries) {
    y[3] = 0.5 * floor; // below the floor
    if (beta > 0.0) {
      x[7] = 0.0;
      x[8] = 0.0;  // a zero whose model lies between the two floors
      y[8] = 1e-8;
      x[9] = 0.0;  // a zero whose model lies below both
      y[9] = 1e-12;
    }
  }
  {
    for (bool loss : {false, true}) { // the copy this processor runs (dispatch.hpp)
      betanmf::detail::ColumnArgs c{
          x.data(), weighted ? w.data() : nullptr, y.data(), a.data(), b.data(), m, beta,
          floor, floor_zero};
      const betanmf::detail::ColumnFn fn =
          betanmf::detail::column_kernel(beta, weighted, loss);
      const double got = fn(c);
      double want = 0.0;
      for (std::size_t i = 0; i < m; ++i) {
        const double yc = std::max(y[i], x[i] > 0.0 ? floor : floor_zero);
        const double wa = w[i] == 0.0 ? 0.0 : w[i] * x[i] * std::pow(yc, beta - 2.0);
        const double wb = w[i] == 0.0 ? 0.0 : w[i] * std::pow(yc, beta - 1.0);
        CHECK(a[i] == Approx(wa).epsilon(1e-14).margin(1e-300));
        CHECK(b[i] == Approx(wb).epsilon(1e-14).margin(1e-300));
        if (w[i] != 0.0)
          want += w[i] * betanmf::beta_div(x[i], y[i], beta);
      }
      if (loss)
        CHECK(got == Approx(want).epsilon(1e-13));
    }
  }
}

} // namespace

TEST_CASE("column terms agree with the per-entry definitions", "[mu]") {
  for (double beta : {0.0, 0.5, 1.5, 3.0, -0.5, 0.8, 2.5}) {
    for (bool weighted : {false, true}) {
      for (bool odd : {false, true}) {
        INFO("beta = " << beta << ", weighted = " << weighted << ", odd = " << odd);
        check_column(beta, weighted, odd);
      }
    }
  }
}
