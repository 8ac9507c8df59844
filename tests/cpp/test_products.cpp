// cross_w (W^T X) and cross_h (H X^T) against Armadillo, for dense and sparse
// X, ranks around the four-wide blocking and sizes not multiples of four.
#include "helpers.hpp"

#include <catch2/catch.hpp>

#include <tuple>
#include <vector>

using betanmf::cross_h;
using betanmf::cross_w;
using betanmf::DenseMatrix;
using testing::Csc;
using testing::identical;
using testing::rel_diff;

namespace {

// X (m x n) with about a third of its entries zero, some zero rows/columns
// only when m, n are large enough to keep the rest non-trivial.
arma::mat data_with_zeros(arma::uword m, arma::uword n) {
  arma::mat X = arma::randu<arma::mat>(m, n);
  X.elem(arma::find(X < 0.33)).zeros();
  if (m > 8 && n > 8) {
    X.row(m / 2).zeros();
    X.col(n - 1).zeros();
  }
  return X;
}

}  // namespace

TEST_CASE("cross_w and cross_h match Armadillo for dense and sparse X", "[products]") {
  arma::arma_rng::set_seed(21);
  const std::vector<std::pair<arma::uword, arma::uword>> sizes = {
      {1, 1}, {7, 5}, {4, 8}, {33, 29}, {64, 3}, {2, 70}};
  for (auto [m, n] : sizes) {
    const arma::mat X = data_with_zeros(m, n);
    const Csc csc(X);
    const betanmf::SparseMatrix S = csc.view();
    for (int r : {1, 3, 4, 5, 17}) {
      CAPTURE(m, n, r);
      const arma::mat W = arma::randu<arma::mat>(m, r);
      const arma::mat H = arma::randu<arma::mat>(r, n);
      const arma::mat Wt = W.t();
      const arma::mat ref_w = W.t() * X;  // r x n
      const arma::mat ref_h = H * X.t();  // r x m

      arma::mat dw1, dw2, sw1, sw2, dh1, dh2, sh1, sh2;
      cross_w(DenseMatrix(X), Wt, dw1, 1);
      cross_w(DenseMatrix(X), Wt, dw2, 2);
      cross_w(S, Wt, sw1, 1);
      cross_w(S, Wt, sw2, 2);
      cross_h(DenseMatrix(X), H, dh1, 1);
      cross_h(DenseMatrix(X), H, dh2, 2);
      cross_h(S, H, sh1, 1);
      cross_h(S, H, sh2, 2);

      REQUIRE(dw1.n_rows == arma::uword(r));
      REQUIRE(dw1.n_cols == n);
      REQUIRE(sw1.n_rows == arma::uword(r));
      REQUIRE(sw1.n_cols == n);
      REQUIRE(dh1.n_rows == arma::uword(r));
      REQUIRE(dh1.n_cols == m);
      REQUIRE(sh1.n_rows == arma::uword(r));
      REQUIRE(sh1.n_cols == m);

      if (arma::abs(ref_w).max() > 0.0) {
        CHECK(rel_diff(dw1, ref_w) <= 1e-12);
        CHECK(rel_diff(sw1, ref_w) <= 1e-12);
        CHECK(rel_diff(dh1, ref_h) <= 1e-12);
        CHECK(rel_diff(sh1, ref_h) <= 1e-12);
      } else {
        CHECK(arma::accu(arma::abs(dw1) + arma::abs(sw1)) == 0.0);
        CHECK(arma::accu(arma::abs(dh1) + arma::abs(sh1)) == 0.0);
      }
      // sparse and dense data give the same bits (same order of the sums)
      CHECK(identical(sw1, dw1));
      CHECK(identical(sh1, dh1));
      // bit-identical across thread counts
      CHECK(identical(dw1, dw2));
      CHECK(identical(sw1, sw2));
      CHECK(identical(dh1, dh2));
      CHECK(identical(sh1, sh2));
      CHECK(arma::approx_equal(dw1, dw2, "absdiff", 0.0));
    }
  }
}

TEST_CASE("products of a zero row or column are exactly zero", "[products]") {
  arma::arma_rng::set_seed(22);
  arma::mat X = arma::randu<arma::mat>(13, 11);
  X.row(5).zeros();
  X.col(2).zeros();
  const Csc csc(X);
  const arma::mat Wt = arma::randu<arma::mat>(5, 13), H = arma::randu<arma::mat>(5, 11);
  arma::mat dw, sw, dh, sh;
  cross_w(DenseMatrix(X), Wt, dw, 2);
  cross_w(csc.view(), Wt, sw, 2);
  cross_h(DenseMatrix(X), H, dh, 2);
  cross_h(csc.view(), H, sh, 2);
  CHECK(arma::all(dw.col(2) == 0.0));
  CHECK(arma::all(sw.col(2) == 0.0));
  CHECK(arma::all(dh.col(5) == 0.0));
  CHECK(arma::all(sh.col(5) == 0.0));
  CHECK(arma::all(arma::vectorise(dw) >= 0.0));
  // outputs are overwritten, not accumulated into, when reused
  cross_w(DenseMatrix(X), Wt, dw, 1);
  cross_h(csc.view(), H, sh, 1);
  CHECK(rel_diff(dw, Wt * X) <= 1e-12);
  CHECK(rel_diff(sh, H * X.t()) <= 1e-12);
}

TEST_CASE("SparseMatrix builds a row index consistent with its columns", "[products][sparse]") {
  arma::arma_rng::set_seed(23);
  const arma::mat X = data_with_zeros(19, 14);
  const Csc csc(X);
  const betanmf::SparseMatrix S = csc.view();
  const betanmf::RowIndex<double> &R = S.rows();
  REQUIRE(R.ptr.size() == 20);
  CHECK(R.ptr.back() == S.nnz());
  arma::mat back(19, 14, arma::fill::zeros);
  for (arma::uword i = 0; i < 19; ++i) {
    for (std::size_t t = R.ptr[i]; t < R.ptr[i + 1]; ++t) {
      if (t > R.ptr[i]) CHECK(R.col[t] > R.col[t - 1]);
      back(i, R.col[t]) = R.value(t);
    }
  }
  CHECK(identical(back, X));
  // A row index outside 0..m-1 is rejected.
  std::vector<int> p = {0, 1}, i = {3};
  std::vector<double> x = {1.0};
  CHECK_THROWS_AS(betanmf::SparseMatrix(3, 1, p.data(), i.data(), x.data()),
                  std::invalid_argument);
}

TEST_CASE("H X^T without the row index equals the indexed product bit for bit",
          "[products][sparse]") {
  arma::arma_rng::set_seed(41);
  const arma::mat X = data_with_zeros(53, 29);
  const Csc csc(X);
  const arma::mat H = arma::randu(7, 29);
  arma::mat indexed, one, two;
  {
    const betanmf::SparseMatrix S = csc.view();
    betanmf::cross_h_unindexed(S, H, one, 1);
    betanmf::cross_h_unindexed(S, H, two, 2);
  }
  const betanmf::SparseMatrix S = csc.view();
  betanmf::cross_h(S, H, indexed, 2);
  CHECK(testing::identical(one, indexed));
  CHECK(testing::identical(two, indexed));
  CHECK(rel_diff(indexed, H * X.t()) <= 1e-12);
}

TEST_CASE("the row index is the same built by one thread or two", "[products][sparse]") {
  // 300,000 non-zeros: enough for the build to split the columns in two
  arma::arma_rng::set_seed(43);
  arma::mat X = arma::randu(1500, 1000);
  X.elem(arma::find(X > 0.2)).zeros();
  X.elem(arma::find(X > 0.0)) += 0.5;  // not all floats: the double index
  const Csc csc(X);
  const betanmf::SparseMatrix A = csc.view(), B = csc.view();
  REQUIRE(A.nnz() >= (std::size_t{1} << 18));
  const auto &one = A.rows(1);
  const auto &two = B.rows(2);
  CHECK(one.ptr == two.ptr);
  CHECK(one.col == two.col);
  CHECK(one.val == two.val);
  CHECK_FALSE(two.narrow);
  CHECK(two.ptr.back() == B.nnz());
  for (arma::uword i = 0; i < 1500; i += 97)
    for (std::size_t t = two.ptr[i]; t < two.ptr[i + 1]; ++t) {
      if (t > two.ptr[i]) CHECK(two.col[t] > two.col[t - 1]);
      CHECK(two.value(t) == X(i, two.col[t]));
    }
}

TEST_CASE("the row index keeps values that are all floats as floats", "[products][sparse]") {
  // counts: every value is a float, the index narrows; the products agree
  // bit for bit with those of the same matrix whose index cannot narrow
  arma::arma_rng::set_seed(29);
  arma::mat X = arma::floor(3.0 * data_with_zeros(31, 17));
  const Csc counts(X);
  const betanmf::SparseMatrix S = counts.view();
  CHECK(S.rows().narrow);
  CHECK(S.rows().val.empty());
  arma::mat back(31, 17, arma::fill::zeros);
  for (arma::uword i = 0; i < 31; ++i)
    for (std::size_t t = S.rows().ptr[i]; t < S.rows().ptr[i + 1]; ++t)
      back(i, S.rows().col[t]) = S.rows().value(t);
  CHECK(identical(back, X));
  const arma::mat H = arma::randu(4, 17);
  arma::mat narrow_out, wide_out;
  betanmf::cross_h(S, H, narrow_out, 2);
  // one value that no float holds keeps the whole index in double
  arma::mat Y = X;
  const arma::uvec first = arma::find(Y > 0.0, 1);
  Y(first(0)) += 0.1;
  const Csc wide(Y);
  const betanmf::SparseMatrix T = wide.view();
  CHECK_FALSE(T.rows().narrow);
  CHECK(T.rows().val_float.empty());
  betanmf::cross_h(T, H, wide_out, 2);
  const arma::uword changed = first(0) % 31;  // its row
  for (arma::uword i = 0; i < 31; ++i)
    if (i != changed) CHECK(identical(arma::mat(narrow_out.col(i)), arma::mat(wide_out.col(i))));
  // beyond the range of floats, or below their smallest: not narrow
  for (double v : {1e300, 1e-310, 3.0e38 * 2.0}) {
    arma::mat Z = X;
    Z(first(0)) = v;
    const Csc odd(Z);
    CHECK_FALSE(odd.view().rows().narrow);
  }
}

TEST_CASE("the copies of the dense kernel with fused multiply-adds agree bit for bit",
          "[products]") {
  if (!betanmf::has_avx512()) return;  // nothing to compare on this processor
  arma::arma_rng::set_seed(23);
  for (int r : {1, 3, 8, 9, 17, 20, 24, 25}) {
    CAPTURE(r);
    const arma::mat V = arma::randu<arma::mat>(r, 37), X = arma::randu<arma::mat>(4, 37);
    arma::mat a(r, 4), b(r, 4);
    betanmf::panel::Args<double> args{V.memptr(), r, X.memptr(), 1, 4, 37,
                              {a.colptr(0), a.colptr(1), a.colptr(2), a.colptr(3)}};
    betanmf::panel::run_avx2(args);
    for (int q = 0; q < 4; ++q) args.o[q] = b.colptr(q);
    betanmf::panel::run_avx512(args);
    CHECK(identical(a, b));
  }
}
