// R glue for component alignment: R types in, core types out. The arguments
// are validated in R (R/hungarian.R, R/nmf_align.R) before these run; any
// exception the core still throws becomes an R error in the generated
// wrappers of RcppExports.cpp.
#include <RcppArmadillo.h>

#include <betanmf/align/hungarian.hpp>
#include <betanmf/align/similarity.hpp>

// Minimum-cost assignment of the rows of `cost` to its columns. Returns a
// list with `assignment` (1-based column per row, NA when unmatched) and
// `total` (summed cost of the matched pairs).
// [[Rcpp::export]]
Rcpp::List cpp_hungarian(const arma::mat &cost) {
  const betanmf::Assignment res = betanmf::hungarian(cost);
  Rcpp::IntegerVector assignment(res.col_of_row.size());
  for (std::size_t i = 0; i < res.col_of_row.size(); ++i) {
    const long j = res.col_of_row[i];
    assignment[i] = j < 0 ? NA_INTEGER : static_cast<int>(j + 1);
  }
  return Rcpp::List::create(Rcpp::Named("assignment") = assignment,
                            Rcpp::Named("total") = res.total);
}

// Cosine similarity between the columns of `a` (m x p) and `b` (m x q).
// [[Rcpp::export]]
arma::mat cpp_cosine_similarity(const arma::mat &a, const arma::mat &b) {
  return betanmf::cosine_similarity(a, b);
}
