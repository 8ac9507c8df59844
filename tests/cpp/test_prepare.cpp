// The preparation of data and weights (prepare.hpp) against dense
// references: pattern unions, weight deltas, the data without its entries
// of weight zero, and the summary a fit reuses.
#include "helpers.hpp"

#include <catch2/catch.hpp>

#include <limits>
#include <vector>

using testing::Csc;

namespace {

// A 0/1 matrix whose entries are 1 with probability `p`.
arma::mat random_pattern(arma::uword m, arma::uword n, double p, unsigned seed) {
  arma::arma_rng::set_seed(seed);
  arma::mat u = arma::randu<arma::mat>(m, n);
  return arma::conv_to<arma::mat>::from(u < p);
}

// The dense matrix of CSC arrays.
arma::mat dense_of(const betanmf::CscArrays &a, arma::uword m, arma::uword n) {
  arma::mat out(m, n, arma::fill::zeros);
  for (arma::uword j = 0; j < n; ++j)
    for (int t = a.col_ptr[j]; t < a.col_ptr[j + 1]; ++t) out(a.row_idx[t], j) = a.values[t];
  return out;
}

// Row indices ascend within every column and the pointers end at the size.
bool well_formed(const betanmf::CscArrays &a, arma::uword n) {
  if (a.col_ptr.size() != n + 1 || a.col_ptr[0] != 0) return false;
  if (static_cast<std::size_t>(a.col_ptr[n]) != a.row_idx.size()) return false;
  if (a.values.size() != a.row_idx.size()) return false;
  for (arma::uword j = 0; j < n; ++j)
    for (int t = a.col_ptr[j] + 1; t < a.col_ptr[j + 1]; ++t)
      if (a.row_idx[t - 1] >= a.row_idx[t]) return false;
  return true;
}

betanmf::PatternView view_of(const Csc &c) { return {c.p.data(), c.i.data()}; }

}  // namespace

TEST_CASE("pattern_union holds each entry of either pattern once", "[prepare]") {
  for (unsigned seed : {1u, 2u, 3u}) {
    const arma::mat A = random_pattern(13, 9, 0.3, seed);
    const arma::mat B = random_pattern(13, 9, 0.2, seed + 10);
    const Csc a(A), b(B);
    const betanmf::CscArrays u = betanmf::pattern_union(9, view_of(a), view_of(b));
    REQUIRE(well_formed(u, 9));
    CHECK(testing::identical(dense_of(u, 13, 9), arma::conv_to<arma::mat>::from((A + B) > 0)));
    // with an empty side the other comes back unchanged
    const betanmf::CscArrays only_a = betanmf::pattern_union(9, view_of(a), {});
    CHECK(testing::identical(dense_of(only_a, 13, 9), A));
    const betanmf::CscArrays only_b = betanmf::pattern_union(9, {}, view_of(b));
    CHECK(testing::identical(dense_of(only_b, 13, 9), B));
  }
  const betanmf::CscArrays none = betanmf::pattern_union(4, {}, {});
  CHECK(well_formed(none, 4));
  CHECK(none.row_idx.empty());
}

TEST_CASE("weight deltas from dense and sparse weights drop what is left out",
          "[prepare]") {
  arma::arma_rng::set_seed(5);
  arma::mat w = arma::randu<arma::mat>(11, 7) * 2.0;
  w(3, 2) = 1.0;  // weight one: no delta
  w(4, 4) = 0.0;  // weight zero: delta -1
  const arma::mat drop = random_pattern(11, 7, 0.25, 6);
  const Csc d(drop);
  const betanmf::CscArrays dense = betanmf::weight_deltas(11, 7, w.memptr(), view_of(d));
  REQUIRE(well_formed(dense, 7));
  arma::mat expect = w;
  expect.elem(arma::find(drop > 0)).zeros();
  expect -= 1.0;
  CHECK(testing::identical(dense_of(dense, 11, 7), expect));
  CHECK(dense.row_idx.size() == arma::accu(expect != 0.0));

  // sparse weights: the stored non-zero weights outside the pattern
  arma::mat ws = w % random_pattern(11, 7, 0.5, 8);
  const Csc s(ws);
  const betanmf::CscArrays sparse =
      betanmf::weight_deltas(7, s.p.data(), s.i.data(), s.x.data(), view_of(d));
  REQUIRE(well_formed(sparse, 7));
  arma::mat expect_s = ws;
  expect_s.elem(arma::find(drop > 0)).zeros();
  CHECK(testing::identical(dense_of(sparse, 11, 7), expect_s));
  for (double v : sparse.values) CHECK(v != 0.0);
}

TEST_CASE("entries of weight zero leave the data; the rest stays bit for bit",
          "[prepare]") {
  const arma::mat X = testing::planted(12, 10, 2, 0.1, 0.3, 4);
  arma::mat weights = arma::ones(12, 10);
  weights.elem(arma::find(random_pattern(12, 10, 0.3, 9) > 0)).zeros();
  weights(0, 0) = 2.5;
  for (double base : {1.0, 0.0}) {
    arma::mat wb = weights;
    if (base == 0.0) wb(1, 1) = 0.5;  // only listed entries count under base 0
    const testing::DenseWeights dw(wb, base);
    CHECK(betanmf::has_unweighted(dw.w));
    arma::mat expect = X;
    expect.elem(arma::find(wb <= 0.0)).zeros();
    // dense: a copy with zeros written in
    arma::mat out(12, 10);
    betanmf::zero_unweighted(betanmf::DenseMatrix(X), dw.w, out.memptr());
    CHECK(testing::identical(out, expect));
    // sparse: the entries leave the structure, and so do stored zeros
    const Csc c(X);
    const betanmf::CscArrays kept = betanmf::drop_unweighted(c.view(), dw.w);
    REQUIRE(well_formed(kept, 10));
    CHECK(testing::identical(dense_of(kept, 12, 10), expect));
    CHECK(kept.row_idx.size() == arma::accu(expect != 0.0));
  }
  // weights that only re-weigh leave nothing to drop
  const testing::DenseWeights reweigh(arma::ones(12, 10) * 2.0, 1.0);
  CHECK_FALSE(betanmf::has_unweighted(reweigh.w));
  CHECK_FALSE(betanmf::has_unweighted(betanmf::Weights()));
}

TEST_CASE("the summary equals its definition for dense and sparse data", "[prepare]") {
  arma::mat X = testing::planted(15, 9, 3, 0.2, 0.4, 12);
  X(2, 3) = 0.0;
  arma::mat weights = arma::randu<arma::mat>(15, 9) * 3.0;
  weights.elem(arma::find(random_pattern(15, 9, 0.2, 13) > 0)).zeros();
  weights.row(5).zeros();  // an unobserved row
  for (double base : {1.0, 0.0}) {
    const testing::DenseWeights dw(weights, base);
    arma::mat Xp(15, 9);
    betanmf::zero_unweighted(betanmf::DenseMatrix(X), dw.w, Xp.memptr());
    const Csc c(Xp);
    const betanmf::DataSummary sd = betanmf::summarize(betanmf::DenseMatrix(Xp), dw.w);
    const betanmf::DataSummary ss = betanmf::summarize(c.view(), dw.w);
    // under base 0 an unlisted entry weighs zero: the listed deltas are the
    // weights themselves
    arma::mat w_eff = weights;
    if (base == 0.0) w_eff.elem(arma::find(weights == 0.0)).zeros();
    for (const betanmf::DataSummary *s : {&sd, &ss}) {
      CHECK(s->sum_sq == Approx(arma::accu(w_eff % Xp % Xp)).epsilon(1e-13));
      CHECK(s->total == Approx(arma::accu(Xp)).epsilon(1e-13));
      CHECK(s->nonzero == arma::accu(Xp != 0.0));
      CHECK(s->zeros == arma::accu((Xp == 0.0) % (w_eff > 0.0)));
      const arma::vec rows = arma::sum(w_eff, 1);
      const arma::rowvec cols = arma::sum(w_eff, 0);
      REQUIRE(s->row_weight.size() == 15);
      REQUIRE(s->col_weight.size() == 9);
      for (arma::uword i = 0; i < 15; ++i)
        CHECK(s->row_weight[i] == Approx(rows[i]).margin(1e-12));
      for (arma::uword j = 0; j < 9; ++j)
        CHECK(s->col_weight[j] == Approx(cols[j]).margin(1e-12));
      CHECK(s->row_weight[5] == 0.0);
    }
  }
  // no weights: every entry weighs one
  const betanmf::DataSummary plain = betanmf::summarize(betanmf::DenseMatrix(X), {});
  CHECK(plain.sum_sq == Approx(arma::accu(X % X)).epsilon(1e-13));
  CHECK(plain.zeros == arma::accu(X == 0.0));
  CHECK(plain.row_weight == std::vector<double>(15, 9.0));
  CHECK(plain.col_weight == std::vector<double>(9, 15.0));
}

TEST_CASE("margins given to the weights are kept, not recomputed", "[prepare]") {
  const arma::mat weights = arma::ones(4, 3) * 2.0;
  const Csc d(weights - 1.0);
  const std::vector<double> rows{6, 6, 6, 6}, cols{8, 8, 8};
  const betanmf::Weights computed(1.0, 4, 3, d.p.data(), d.i.data(), d.x.data());
  const betanmf::Weights given(1.0, 4, 3, d.p.data(), d.i.data(), d.x.data(), rows.data(),
                               cols.data());
  CHECK(computed.row_weight == rows);
  CHECK(computed.col_weight == cols);
  CHECK(given.row_weight == rows);
  CHECK(given.col_weight == cols);
}

TEST_CASE("check_compressed accepts valid CSC arrays and names what is wrong", "[prepare]") {
  const std::vector<int> p = {0, 2, 2, 3}, i = {0, 2, 1};
  CHECK(betanmf::check_compressed(3, 3, p.data(), 4, i.data(), 3, 3, "i").empty());
  CHECK(betanmf::check_compressed(3, 3, p.data(), 4, i.data(), 3, -1, "i").empty());
  const std::vector<int> p_start = {1, 2, 2, 3}, p_down = {0, 2, 1, 3}, p_end = {0, 2, 2, 9};
  CHECK(betanmf::check_compressed(3, 3, p_start.data(), 4, i.data(), 3, 3, "i").find("start") !=
        std::string::npos);
  CHECK(betanmf::check_compressed(3, 3, p_down.data(), 4, i.data(), 3, 3, "i").find("decrease") !=
        std::string::npos);
  CHECK(betanmf::check_compressed(3, 3, p_end.data(), 4, i.data(), 3, 3, "i").find("end at") !=
        std::string::npos);
  CHECK(betanmf::check_compressed(3, 3, p.data(), 3, i.data(), 3, 3, "i").find("4 values") !=
        std::string::npos);
  const std::vector<int> i_range = {0, 3, 1}, i_order = {2, 0, 1};
  CHECK(betanmf::check_compressed(3, 3, p.data(), 4, i_range.data(), 3, 3, "i").find("lie in") !=
        std::string::npos);
  CHECK(betanmf::check_compressed(3, 3, p.data(), 4, i_order.data(), 3, 3, "i").find("sorted") !=
        std::string::npos);
  CHECK(betanmf::check_compressed(3, 3, p.data(), 4, i.data(), 3, 2, "i").find("@x") !=
        std::string::npos);
}

TEST_CASE("scan_values finds the extremes and any NaN in one pass", "[prepare]") {
  std::vector<double> x = {3.0, 0.0, 7.5, 1e-310, 2.0, 0.25, 6.0, 5.0, 4.0};
  betanmf::ValueScan s = betanmf::scan_values(x.data(), x.size());
  CHECK(s.min == 0.0);
  CHECK(s.max == 7.5);
  CHECK_FALSE(s.nan);
  // a NaN anywhere (R's NA is one) is reported, first or last or between
  for (std::size_t at : {std::size_t{0}, std::size_t{4}, x.size() - 1}) {
    std::vector<double> y = x;
    y[at] = std::numeric_limits<double>::quiet_NaN();
    CHECK(betanmf::scan_values(y.data(), y.size()).nan);
  }
  x[2] = -std::numeric_limits<double>::infinity();
  s = betanmf::scan_values(x.data(), x.size());
  CHECK(s.min == -std::numeric_limits<double>::infinity());
  CHECK(s.max == 6.0);
}
