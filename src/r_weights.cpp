// Rcpp glue for preparing data under observation weights: the data at the
// listed entries, a sparse matrix without its masked entries (O(nnz + k),
// nothing of size m x n) and a dense matrix zeroed at them.
#include "r_data.h"

#include <RcppArmadillo.h>
#include <betanmf/weights.hpp>

#include <vector>

// x (double matrix or dgCMatrix, m x n) at the entries stored in `listed`
// (a dgCMatrix of the same shape), in its column order.
// [[Rcpp::export(rng = false)]]
Rcpp::NumericVector cpp_listed_values(SEXP x, Rcpp::S4 listed) {
  Rcpp::IntegerVector i = listed.slot("i"), p = listed.slot("p"), dim = listed.slot("Dim");
  Rcpp::NumericVector d = listed.slot("x");
  return with_data(x, [&](const auto &X) {
    if (X.m != static_cast<std::size_t>(dim[0]) || X.n != static_cast<std::size_t>(dim[1]))
      throw std::invalid_argument("the listed entries do not match the data");
    const betanmf::Weights w(0.0, X.m, X.n, p.begin(), i.begin(), d.begin());
    Rcpp::NumericVector out(d.size());
    std::vector<betanmf::WeightedEntry> list;
    R_xlen_t t = 0;
    for (std::size_t j = 0; j < X.n; ++j) {
      betanmf::gather_weights(X, w, true, j, list);
      for (const betanmf::WeightedEntry &e : list) out[t++] = e.x;
    }
    return out;
  });
}

// The slots (i, p, x) of the dgCMatrix x without its stored zeros and without
// the entries where `delta` (a dgCMatrix of the same shape) equals -1.
// [[Rcpp::export(rng = false)]]
Rcpp::List cpp_drop_masked(Rcpp::S4 x, Rcpp::S4 delta) {
  Rcpp::IntegerVector xi = x.slot("i"), xp = x.slot("p");
  Rcpp::NumericVector xv = x.slot("x");
  Rcpp::IntegerVector di = delta.slot("i"), dp = delta.slot("p");
  Rcpp::NumericVector dv = delta.slot("x");
  const R_xlen_t n = xp.size() - 1;
  if (dp.size() != xp.size()) throw std::invalid_argument("delta must have the shape of x");
  std::vector<int> oi, op(n + 1, 0);
  std::vector<double> ov;
  oi.reserve(xv.size());
  ov.reserve(xv.size());
  for (R_xlen_t j = 0; j < n; ++j) {
    int b = dp[j];
    for (int a = xp[j]; a < xp[j + 1]; ++a) {
      while (b < dp[j + 1] && di[b] < xi[a]) ++b;  // both sorted within a column
      const bool masked = b < dp[j + 1] && di[b] == xi[a] && dv[b] == -1.0;
      if (masked || xv[a] == 0.0) continue;
      oi.push_back(xi[a]);
      ov.push_back(xv[a]);
    }
    op[j + 1] = static_cast<int>(oi.size());
  }
  return Rcpp::List::create(Rcpp::Named("i") = oi, Rcpp::Named("p") = op,
                            Rcpp::Named("x") = ov);
}

// A copy of the dense matrix x with the entries where the weight change
// `delta` (a dgCMatrix of the shape of x) equals -1 set to zero: the masked
// entries, so that nothing depends on their values.
// [[Rcpp::export(rng = false)]]
Rcpp::NumericMatrix cpp_zero_masked(Rcpp::NumericMatrix x, Rcpp::S4 delta) {
  Rcpp::IntegerVector i = delta.slot("i"), p = delta.slot("p");
  Rcpp::NumericVector d = delta.slot("x");
  const R_xlen_t m = x.nrow();
  if (p.size() != x.ncol() + 1) throw std::invalid_argument("delta must have the shape of x");
  Rcpp::NumericMatrix out = Rcpp::clone(x);
  double *o = out.begin();
  for (R_xlen_t j = 0; j + 1 < p.size(); ++j)
    for (int t = p[j]; t < p[j + 1]; ++t)
      if (d[t] == -1.0) o[j * m + i[t]] = 0.0;
  return out;
}
