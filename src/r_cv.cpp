// Rcpp glue for the cross-validation hold-out patterns (core: cv/holdout.hpp)
// and the weights of the parts of a replicate (core: weights.hpp).
#include "r_data.h"

#include <RcppArmadillo.h>
#include <betanmf/cv/holdout.hpp>
#include <betanmf/weights.hpp>

#include <algorithm>
#include <string>

// A held-out pattern as CSC arrays, list(i = 0-based rows, p = column
// pointers), for "speckled" and "blocks".
// [[Rcpp::export(rng = false)]]
Rcpp::List cpp_holdout_pattern(int m, int n, std::string type, double fraction, double seed,
                               int replicate) {
  const auto s = static_cast<std::uint64_t>(seed);
  const betanmf::Pattern p = type == "blocks"
                                 ? betanmf::holdout_blocks(m, n, fraction, s, replicate)
                                 : betanmf::holdout_speckled(m, n, fraction, s, replicate);
  return Rcpp::List::create(Rcpp::Named("i") = p.row_idx, Rcpp::Named("p") = p.col_ptr);
}

// Held-out rows and columns (1-based) for bi-cross-validation.
// [[Rcpp::export(rng = false)]]
Rcpp::List cpp_holdout_bicross(int m, int n, double fraction, double seed, int replicate) {
  const auto s = static_cast<std::uint64_t>(seed);
  const double prob = std::sqrt(fraction);
  std::vector<int> rows = betanmf::holdout_lines(m, prob, s, replicate, 2);
  std::vector<int> cols = betanmf::holdout_lines(n, prob, s, replicate, 3);
  for (int &r : rows) ++r;
  for (int &c : cols) ++c;
  return Rcpp::List::create(Rcpp::Named("rows") = rows, Rcpp::Named("cols") = cols);
}

// sum_t delta_t (W H)_t over the listed entries of the weights `spec` (of
// the m x n data), W (m x r), H (r x n): under a mask, minus the model at
// the masked entries.
// [[Rcpp::export(rng = false)]]
double cpp_listed_model_sum(SEXP spec, const arma::mat &W, const arma::mat &H, int threads) {
  const betanmf::Weights w = to_weights(spec, W.n_rows, H.n_cols);
  const arma::mat Wt = W.t();
  return betanmf::listed_model_sum(w, Wt, H, threads);
}

// The weights of the columns `cols` (1-based) of the m x n data under the
// weights `spec`, as a dense m x length(cols) matrix.
// [[Rcpp::export(rng = false)]]
Rcpp::NumericMatrix cpp_column_weights(SEXP spec, int m, int n, Rcpp::IntegerVector cols) {
  const betanmf::Weights w = to_weights(spec, m, n);
  Rcpp::NumericMatrix out(m, cols.size());
  std::vector<double> line;
  for (R_xlen_t c = 0; c < cols.size(); ++c) {
    betanmf::dense_weights(w, true, static_cast<std::size_t>(cols[c] - 1), m, line);
    std::copy(line.begin(), line.end(), out.begin() + c * m);
  }
  return out;
}
