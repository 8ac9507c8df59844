// R data in, core views out: a numeric matrix is read in place as a
// DenseMatrix, a dgCMatrix through its i, p, x slots as a SparseMatrix (no
// copy of the values; the core adds a row index of the non-zeros). The R
// code has already checked and converted the input (R/checks.R).
#pragma once

#include <RcppArmadillo.h>
#include <betanmf/matrix.hpp>

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
