// Held-out patterns generated line by line (cv/holdout.hpp) and the weights
// they make (Weights::hold_out(), weights.hpp): the same entries by rows and
// by columns, the definition of each pattern, and, line by line, the same
// listed entries, weight changes and margins as the stored weights of the
// same pattern.
#include <betanmf/cv/holdout.hpp>
#include <betanmf/weights.hpp>

#include <catch2/catch.hpp>

#include <cstdint>
#include <memory>
#include <set>
#include <utility>
#include <vector>

using betanmf::HeldPattern;
using betanmf::Weights;

namespace {

using Cells = std::set<std::pair<int, int>>;  // (row, column)

// The held entries of p read line by line, by columns or by rows.
Cells held_cells(const HeldPattern &p, bool by_col) {
  Cells out;
  std::vector<int> pos;
  for (std::size_t l = 0; l < (by_col ? p.cols() : p.rows()); ++l) {
    p.positions(by_col, l, pos);
    for (std::size_t t = 0; t < pos.size(); ++t) {
      if (t > 0 && pos[t] <= pos[t - 1]) FAIL("line " << l << " is not ascending");
      const int line = static_cast<int>(l);
      out.insert(by_col ? std::make_pair(pos[t], line) : std::make_pair(line, pos[t]));
    }
  }
  return out;
}

Cells by_columns(const HeldPattern &p) { return held_cells(p, true); }

// Stored weights (base, CSC deltas) of an m x n matrix from a dense table
// of weights.
Weights stored_weights(double base, std::size_t m, std::size_t n, const std::vector<double> &w) {
  std::vector<int> p(n + 1, 0), i;
  std::vector<double> d;
  for (std::size_t j = 0; j < n; ++j) {
    for (std::size_t r = 0; r < m; ++r) {
      const double delta = w[j * m + r] - base;
      if (delta == 0.0) continue;
      i.push_back(static_cast<int>(r));
      d.push_back(delta);
    }
    p[j + 1] = static_cast<int>(i.size());
  }
  return Weights(base, m, n, p.data(), i.data(), d.data());
}

void same_lines(const Weights &a, const Weights &b) {
  REQUIRE(a.base == b.base);
  REQUIRE(a.m == b.m);
  REQUIRE(a.n == b.n);
  for (bool by_col : {true, false}) {
    for (std::size_t l = 0; l < (by_col ? a.n : a.m); ++l) {
      const betanmf::WeightLine la = a.line(by_col, l);
      const std::vector<int> ia(la.idx, la.idx + la.size);
      const std::vector<double> da(la.del, la.del + la.size);
      const betanmf::WeightLine lb = b.line(by_col, l);
      const std::vector<int> ib(lb.idx, lb.idx + lb.size);
      const std::vector<double> db(lb.del, lb.del + lb.size);
      if (ia != ib || da != db) FAIL((by_col ? "column " : "row ") << l << " differs");
    }
  }
  CHECK(a.row_weight == b.row_weight);
  CHECK(a.col_weight == b.col_weight);
}

}  // namespace

TEST_CASE("a generated pattern holds the same entries by rows and by columns", "[holdout]") {
  for (auto kind : {HeldPattern::Kind::speckled, HeldPattern::Kind::blocks}) {
    for (double fraction : {0.01, 0.1, 0.5}) {
      const HeldPattern p(kind, 53, 71, fraction, 9, 2);
      const Cells cols = by_columns(p);
      CHECK(cols == held_cells(p, false));
      CHECK(!cols.empty());
      CHECK(static_cast<double>(cols.size()) > 0.5 * p.expected());
      CHECK(static_cast<double>(cols.size()) < 1.5 * p.expected());
    }
  }
}

TEST_CASE("the speckled pattern is entry (i, j) with draw j m + i below fraction", "[holdout]") {
  const std::size_t m = 61, n = 47;
  for (double fraction : {0.03, 0.1, 0.37, 0.5}) {
    for (int rep : {1, 3}) {
      const HeldPattern p(HeldPattern::Kind::speckled, m, n, fraction, 20261202, rep);
      Cells want;
      for (std::size_t j = 0; j < n; ++j)
        for (std::size_t i = 0; i < m; ++i)
          if (betanmf::random_uniform(20261202, betanmf::detail::cv_stream(rep, 0), j * m + i) <
              fraction)
            want.insert({static_cast<int>(i), static_cast<int>(j)});
      CHECK(by_columns(p) == want);
    }
  }
}

TEST_CASE("each blocks row loses one run of round(2 fraction n) columns or none", "[holdout]") {
  const std::size_t m = 200, n = 90;
  const HeldPattern p(HeldPattern::Kind::blocks, m, n, 0.1, 5, 1);
  std::vector<int> pos;
  int losing = 0;
  for (std::size_t i = 0; i < m; ++i) {
    p.positions(false, i, pos);
    if (pos.empty()) continue;
    ++losing;
    REQUIRE(pos.size() == 18);
    CHECK(pos.back() - pos.front() == 17);
  }
  CHECK(losing > 70);  // a half of the rows on average
  CHECK(losing < 130);
}

TEST_CASE("weights of a generated pattern equal the stored weights of it", "[holdout]") {
  const std::size_t m = 37, n = 29;
  // stored weights: unit, a mask, dense weights in [0.5, 2] and sparse
  // weights (base 0)
  std::vector<double> unit(m * n, 1.0), mask = unit, dense(m * n), sparse(m * n, 0.0);
  for (std::size_t t = 0; t < m * n; ++t) {
    if (betanmf::random_uniform(1, 7, t) < 0.15) mask[t] = 0.0;
    dense[t] = 0.5 + 1.5 * betanmf::random_uniform(2, 7, t);
    if (betanmf::random_uniform(3, 7, t) < 0.4) sparse[t] = betanmf::random_uniform(4, 7, t);
  }
  const std::vector<std::pair<double, const std::vector<double> *>> cases = {
      {1.0, &unit}, {1.0, &mask}, {1.0, &dense}, {0.0, &sparse}};
  for (auto kind : {HeldPattern::Kind::speckled, HeldPattern::Kind::blocks}) {
    for (const auto &[base, w] : cases) {
      for (bool transposed : {false, true}) {
        // the pattern is drawn for the matrix of the weights, or for its
        // transpose
        const std::size_t pm = transposed ? n : m, pn = transposed ? m : n;
        auto p = std::make_shared<const HeldPattern>(kind, pm, pn, 0.2, 11, 1);
        const Cells held = by_columns(*p);
        auto is_held = [&](std::size_t i, std::size_t j) {
          return transposed ? held.count({static_cast<int>(j), static_cast<int>(i)}) > 0
                            : held.count({static_cast<int>(i), static_cast<int>(j)}) > 0;
        };
        std::vector<double> train(m * n), test(m * n);
        for (std::size_t j = 0; j < n; ++j)
          for (std::size_t i = 0; i < m; ++i) {
            const double v = (*w)[j * m + i];
            train[j * m + i] = is_held(i, j) ? 0.0 : v;
            test[j * m + i] = is_held(i, j) ? v : 0.0;
          }
        Weights gen_train = stored_weights(base, m, n, *w);
        gen_train.hold_out(p, Weights::Held::train, transposed);
        Weights gen_test = stored_weights(base, m, n, *w);
        gen_test.hold_out(p, Weights::Held::test, transposed);
        CHECK(gen_train.generated());
        CHECK(!gen_train.trivial());
        same_lines(gen_train, stored_weights(base, m, n, train));
        same_lines(gen_test, stored_weights(0.0, m, n, test));
      }
    }
  }
}

TEST_CASE("a pattern of other dimensions is refused", "[holdout]") {
  Weights w(10, 12);
  auto p = std::make_shared<const HeldPattern>(HeldPattern::Kind::speckled, 12, 10, 0.1, 1, 1);
  CHECK_THROWS_AS(w.hold_out(p, Weights::Held::train, false), std::invalid_argument);
  CHECK_NOTHROW(w.hold_out(p, Weights::Held::train, true));
}
