// The two products of the core with the data, exposed for benchmarks and
// tests: cross_w = W^T X (r x n) from Wt (r x m), cross_h = H X^T (r x m).
#include "r_data.h"

#include <RcppArmadillo.h>
#include <betanmf/products.hpp>

// [[Rcpp::export(rng = false)]]
arma::mat cpp_cross_w(SEXP x, const arma::mat &Wt, int threads) {
  arma::mat out;
  with_data(x, [&](const auto &X) {
    betanmf::cross_w(X, Wt, out, threads);
    return 0;
  });
  return out;
}

// [[Rcpp::export(rng = false)]]
arma::mat cpp_cross_h(SEXP x, const arma::mat &H, int threads) {
  arma::mat out;
  with_data(x, [&](const auto &X) {
    betanmf::cross_h(X, H, out, threads);
    return 0;
  });
  return out;
}
