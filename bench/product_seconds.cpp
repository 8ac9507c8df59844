// The time of the two products of the core with the data, for the product
// floor of bench_bcd.R: cross_w = W^T X (r x n) from Wt (r x m), cross_h =
// H X^T (r x m). Compiled by Rcpp::sourceCpp() against the package's
// headers (bench/common.R), so the package itself carries no benchmark code.
// [[Rcpp::depends(RcppArmadillo)]]
// [[Rcpp::plugins(cpp17, openmp)]]
#include <RcppArmadillo.h>
#include <betanmf/matrix.hpp>
#include <betanmf/products.hpp>

#include <algorithm>
#include <chrono>
#include <vector>

namespace {
template <class Mat>
double median_seconds(const Mat &X, const arma::mat &Wt, const arma::mat &H, int threads,
                      int reps) {
  std::vector<double> secs;
  arma::mat a, b;
  for (int k = 0; k < reps; ++k) {
    const auto t0 = std::chrono::steady_clock::now();
    betanmf::cross_w(X, Wt, a, threads);
    betanmf::cross_h(X, H, b, threads);
    secs.push_back(
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  }
  std::sort(secs.begin(), secs.end());
  return secs[secs.size() / 2];
}
}  // namespace

// Seconds for one evaluation of both products W^T X and H X^T, the median
// of `reps`, for a double matrix or a dgCMatrix x.
// [[Rcpp::export]]
double product_seconds(SEXP x, const arma::mat &W, const arma::mat &H, int threads, int reps) {
  const arma::mat Wt = W.t();
  if (Rf_isMatrix(x)) {
    const betanmf::DenseMatrix X(REAL(x), Rf_nrows(x), Rf_ncols(x));
    return median_seconds(X, Wt, H, threads, reps);
  }
  Rcpp::S4 s(x);
  Rcpp::IntegerVector dim = s.slot("Dim"), i = s.slot("i"), p = s.slot("p");
  Rcpp::NumericVector v = s.slot("x");
  const betanmf::SparseMatrix X(dim[0], dim[1], p.begin(), i.begin(), v.begin());
  return median_seconds(X, Wt, H, threads, reps);
}
