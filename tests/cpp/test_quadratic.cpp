// The batched coordinate sweeps of quadratic.hpp give each line exactly the
// result of the sweeps on that line alone, whatever shares its batch.
#include "helpers.hpp"

#include <catch2/catch.hpp>

#include <vector>

TEST_CASE("batched sweeps equal the sweeps of each line alone", "[bcd][sweeps]") {
  arma::arma_rng::set_seed(5);
  constexpr int L = betanmf::detail::batch_lanes;
  for (int r : {1, 4, 7, 20}) {
    for (int lanes : {1, 3, L}) {
      for (int fixed : {0, 1}) {
        if (fixed >= r) continue;
        CAPTURE(r, lanes, fixed);
        const arma::mat A = arma::randu<arma::mat>(r, 3 * r);
        const arma::mat G = A * A.t();
        const arma::mat C = arma::randu<arma::mat>(r, lanes) * double(r);
        arma::mat F = arma::randu<arma::mat>(r, lanes);
        F.row(r / 2).zeros();  // some coordinates start at zero
        betanmf::Penalty pen;
        pen.l1 = 0.05;
        pen.l2 = 0.1;
        std::vector<double> inv(r), g(r), f(r * L, 0.0), c(r * L, 0.0), gb(r * L);
        betanmf::detail::inverse_diagonal(r, G.memptr(), pen.l2, inv.data());
        for (int t = 0; t < lanes; ++t)
          for (int k = 0; k < r; ++k) {
            f[k * L + t] = F(k, t);
            c[k * L + t] = C(k, t);
          }
        for (int max_inner : {1, 10}) {
          for (double tol : {0.0, 0.1}) {
            std::vector<double> fb = f;
            betanmf::detail::batch_sweeps(r, lanes, fb.data(), G.memptr(), inv.data(), c.data(),
                                          gb.data(), pen, fixed, max_inner, tol);
            for (int t = 0; t < lanes; ++t) {
              arma::vec one = F.col(t);
              betanmf::detail::quadratic_sweeps(r, one.memptr(), G.memptr(), inv.data(),
                                                C.colptr(t), g.data(), pen, fixed, max_inner,
                                                tol);
              for (int k = 0; k < r; ++k) CHECK(fb[k * L + t] == one[k]);
            }
          }
        }
      }
    }
  }
}

TEST_CASE("a subnormal diagonal gets no inverse", "[quadratic]") {
  // 1 / 1e-320 overflows: a component whose partner meets only weights of
  // 1e-300 made H infinite after one weighted step (fuzz seed 33154)
  const double G[4] = {4.0, 0.0, 0.0, 1e-320};
  double inv[2];
  betanmf::detail::inverse_diagonal(2, G, 0.0, inv);
  CHECK(inv[0] == 0.25);
  CHECK(inv[1] == 0.0);
  // with l2 the diagonal is normal again
  betanmf::detail::inverse_diagonal(2, G, 0.5, inv);
  CHECK(inv[1] == 2.0);
}
