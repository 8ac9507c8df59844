// Core tests of the optimal assignment and the cosine similarity, without R.
#include <catch2/catch.hpp>

#include <betanmf/align/hungarian.hpp>
#include <betanmf/align/similarity.hpp>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <numeric>
#include <vector>

namespace {

// Small deterministic generator (SplitMix64) so the test draws the same
// matrices with every compiler and standard library.
struct split_mix {
  std::uint64_t state;
  std::uint64_t next() {
    std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  // Integer in [lo, hi].
  long integer(long lo, long hi) {
    return lo + static_cast<long>(next() % static_cast<std::uint64_t>(hi - lo + 1));
  }
  // Uniform double in [0, 1) from the top 53 bits.
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
};

// Minimum total over all injective maps from the smaller side to the larger
// one, by enumerating permutations of the larger side.
double brute_force_min(const arma::mat &cost) {
  const arma::mat c = cost.n_rows <= cost.n_cols ? cost : arma::mat(cost.t());
  std::vector<arma::uword> cols(c.n_cols);
  std::iota(cols.begin(), cols.end(), 0);
  double best = std::numeric_limits<double>::infinity();
  do {
    double total = 0.0;
    for (arma::uword i = 0; i < c.n_rows; ++i) total += c(i, cols[i]);
    best = std::min(best, total);
  } while (std::next_permutation(cols.begin(), cols.end()));
  return best;
}

// Checks that `res` is a valid assignment of `cost` and its total is right.
void check_valid(const arma::mat &cost, const betanmf::Assignment &res) {
  REQUIRE(res.col_of_row.size() == cost.n_rows);
  std::vector<int> used(cost.n_cols, 0);
  double total = 0.0;
  arma::uword matched = 0;
  for (arma::uword i = 0; i < cost.n_rows; ++i) {
    const long j = res.col_of_row[i];
    if (j < 0) continue;
    REQUIRE(j < static_cast<long>(cost.n_cols));
    REQUIRE(used[static_cast<std::size_t>(j)] == 0);
    used[static_cast<std::size_t>(j)] = 1;
    total += cost(i, static_cast<arma::uword>(j));
    ++matched;
  }
  REQUIRE(matched == std::min(cost.n_rows, cost.n_cols));
  REQUIRE(total == res.total);
}

} // namespace

TEST_CASE("hungarian equals brute force on small integer matrices with ties",
          "[hungarian]") {
  split_mix rng{42};
  for (arma::uword rows = 1; rows <= 6; ++rows) {
    for (arma::uword cols = 1; cols <= 6; ++cols) {
      for (int rep = 0; rep < 20; ++rep) {
        arma::mat cost(rows, cols);
        // A small range of integers forces many ties; negatives included.
        for (auto &x : cost) x = static_cast<double>(rng.integer(-3, 3));
        const auto res = betanmf::hungarian(cost);
        check_valid(cost, res);
        REQUIRE(res.total == brute_force_min(cost));
      }
    }
  }
}

TEST_CASE("hungarian equals brute force on random real matrices", "[hungarian]") {
  split_mix rng{7};
  for (int rep = 0; rep < 200; ++rep) {
    const auto rows = static_cast<arma::uword>(rng.integer(1, 7));
    const auto cols = static_cast<arma::uword>(rng.integer(1, 7));
    arma::mat cost(rows, cols);
    for (auto &x : cost) x = 100.0 * rng.uniform() - 50.0;
    const auto res = betanmf::hungarian(cost);
    check_valid(cost, res);
    REQUIRE(res.total == Approx(brute_force_min(cost)).margin(1e-9));
  }
}

TEST_CASE("hungarian handles edge cases", "[hungarian]") {
  SECTION("empty input") {
    const auto res = betanmf::hungarian(arma::mat(0, 3));
    REQUIRE(res.col_of_row.empty());
    REQUIRE(res.total == 0.0);
    const auto res2 = betanmf::hungarian(arma::mat(2, 0));
    REQUIRE(res2.col_of_row == std::vector<long>{-1, -1});
  }
  SECTION("constant matrix: any perfect matching") {
    const arma::mat cost(5, 5, arma::fill::ones);
    const auto res = betanmf::hungarian(cost);
    check_valid(cost, res);
    REQUIRE(res.total == 5.0);
  }
  SECTION("more rows than columns leaves rows unmatched") {
    const arma::mat cost = {{5, 9}, {1, 8}, {7, 0}};
    const auto res = betanmf::hungarian(cost);
    REQUIRE(res.col_of_row == std::vector<long>{-1, 0, 1});
    REQUIRE(res.total == 1.0);
  }
  SECTION("non-finite costs are refused") {
    arma::mat cost(3, 3, arma::fill::ones);
    cost(1, 2) = arma::datum::nan;
    REQUIRE_THROWS_AS(betanmf::hungarian(cost), std::invalid_argument);
    cost(1, 2) = arma::datum::inf;
    REQUIRE_THROWS_AS(betanmf::hungarian(cost), std::invalid_argument);
  }
}

TEST_CASE("cosine similarity ignores scale and never returns NaN", "[similarity]") {
  const arma::mat a = {{1, 0, 0}, {2, 0, 1}, {3, 0, 0}};
  arma::mat b = a;
  b.col(0) *= 7.5;
  const arma::mat s = betanmf::cosine_similarity(a, b);
  REQUIRE(s.n_rows == 3);
  REQUIRE(s.n_cols == 3);
  REQUIRE(s.is_finite());
  REQUIRE(s(0, 0) == Approx(1.0));
  REQUIRE(s(1, 1) == 0.0); // zero column
  REQUIRE(s(2, 2) == Approx(1.0));
  REQUIRE(s(0, 2) == Approx(2.0 / std::sqrt(14.0)));
  REQUIRE_THROWS_AS(betanmf::cosine_similarity(a, arma::mat(2, 2)),
                    std::invalid_argument);
}
