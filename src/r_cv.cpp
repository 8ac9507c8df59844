// Rcpp glue for the cross-validation hold-out patterns (core: cv/holdout.hpp).
#include <RcppArmadillo.h>
#include <betanmf/cv/holdout.hpp>

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
