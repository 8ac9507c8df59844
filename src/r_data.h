// R data in, core views out: a numeric matrix is read in place as a
// DenseMatrix, a dgCMatrix through its i, p, x slots as a SparseMatrix (no
// copy of the values; the core adds a row index of the non-zeros when a pass
// needs one), the weight specification of R/prepare.R as core Weights. The R
// code has already checked and prepared every input.
#pragma once

#include <RcppArmadillo.h>
#include <betanmf/matrix.hpp>
#include <betanmf/prepare.hpp>
#include <betanmf/weights.hpp>

#include <stdexcept>

// Calls f(view) with the core view of x, whichever kind it is.
template <class F> auto with_data(SEXP x, F &&f) {
  if (Rf_isMatrix(x) && TYPEOF(x) == REALSXP) {
    const betanmf::DenseMatrix view(REAL(x), Rf_nrows(x), Rf_ncols(x));
    return f(view);
  }
  if (Rf_isS4(x) && Rf_inherits(x, "dgCMatrix")) {
    Rcpp::S4 s(x);
    Rcpp::IntegerVector dim = s.slot("Dim"), i = s.slot("i"), p = s.slot("p");
    Rcpp::NumericVector v = s.slot("x");
    const betanmf::SparseMatrix view(dim[0], dim[1], p.begin(), i.begin(), v.begin());
    return f(view);
  }
  throw std::invalid_argument("x must be a double matrix or a dgCMatrix");
}

// Observation weights from R: NULL, or list(base = 0 or 1, delta = dgCMatrix
// of w - base at the listed entries, and, once prepared, rows and cols: the
// margins, which the core then takes as they are).
inline betanmf::Weights to_weights(SEXP spec, std::size_t m, std::size_t n) {
  if (Rf_isNull(spec)) return betanmf::Weights();
  Rcpp::List l(spec);
  const double base = Rcpp::as<double>(l["base"]);
  Rcpp::S4 d(l["delta"]);
  Rcpp::IntegerVector i = d.slot("i"), p = d.slot("p");
  Rcpp::NumericVector x = d.slot("x");
  if (l.containsElementNamed("rows") && l.containsElementNamed("cols")) {
    Rcpp::NumericVector rows = l["rows"], cols = l["cols"];
    return betanmf::Weights(base, m, n, p.begin(), i.begin(), x.begin(), rows.begin(),
                            cols.begin());
  }
  return betanmf::Weights(base, m, n, p.begin(), i.begin(), x.begin());
}

// A pattern of entries from a dgCMatrix, or the empty pattern for NULL.
inline betanmf::PatternView to_pattern(SEXP pattern) {
  if (Rf_isNull(pattern)) return {};
  Rcpp::S4 s(pattern);
  Rcpp::IntegerVector i = s.slot("i"), p = s.slot("p");
  return {p.begin(), i.begin()};
}

// CSC arrays as list(i, p, x) for R to make a dgCMatrix of.
inline Rcpp::List csc_list(const betanmf::CscArrays &a) {
  return Rcpp::List::create(Rcpp::Named("i") = a.row_idx, Rcpp::Named("p") = a.col_ptr,
                            Rcpp::Named("x") = a.values);
}
