// Rcpp glue for the preparation of data and weights (core: prepare.hpp):
// R objects to core views, CSC arrays and summaries back to R lists, from
// which R/prepare.R builds its dgCMatrix objects. No numerics here.
#include "r_data.h"

#include <RcppArmadillo.h>
#include <betanmf/prepare.hpp>

// The union of two patterns (dgCMatrix or NULL) of an m x n matrix:
// list(i, p, x).
// [[Rcpp::export(rng = false)]]
Rcpp::List cpp_pattern_union(int n, SEXP a, SEXP b) {
  return csc_list(betanmf::pattern_union(n, to_pattern(a), to_pattern(b)));
}

// Weight deltas from the user's weights (a double matrix, or a dgCMatrix
// whose unlisted entries weigh zero) with weight zero at the entries of the
// pattern `drop` (dgCMatrix or NULL): list(i, p, x, base) of w - base, with
// base 1 or 0 for dense weights (prepare.hpp, dense_weight_base) and 0 for
// sparse ones.
// [[Rcpp::export(rng = false)]]
Rcpp::List cpp_weight_deltas(SEXP weights, SEXP drop) {
  const betanmf::PatternView d = to_pattern(drop);
  if (Rf_isMatrix(weights) && TYPEOF(weights) == REALSXP) {
    const std::size_t m = Rf_nrows(weights), n = Rf_ncols(weights);
    const double base = betanmf::dense_weight_base(m, n, REAL(weights), d);
    Rcpp::List out = csc_list(betanmf::weight_deltas(m, n, REAL(weights), d, base));
    out["base"] = base;
    return out;
  }
  Rcpp::S4 s(weights);
  Rcpp::IntegerVector i = s.slot("i"), p = s.slot("p"), dim = s.slot("Dim");
  Rcpp::NumericVector x = s.slot("x");
  Rcpp::List out = csc_list(betanmf::weight_deltas(dim[1], p.begin(), i.begin(), x.begin(), d));
  out["base"] = 0.0;
  return out;
}

// The data x under the specification `spec` (NULL or list(base, delta)) made
// ready for a fit, in one pass: `x`, the data without its entries of weight
// zero (a double matrix, list(i, p, x) for a dgCMatrix, or NULL when x needs
// no change), and the summary: weighted sum of squares, total, non-zero
// entries, zeros of positive weight, largest and smallest positive value, row
// and column margins.
// [[Rcpp::export(rng = false)]]
Rcpp::List cpp_prepare(SEXP x, SEXP spec) {
  return with_data(x, [&](const auto &X) {
    using Mat = std::decay_t<decltype(X)>;
    const betanmf::Weights w = to_weights(spec, X.m, X.n);
    SEXP prepared = R_NilValue;
    betanmf::DataSummary s;
    if (!betanmf::has_unweighted(w)) {
      s = betanmf::summarize(X, w);
    } else if constexpr (Mat::is_sparse) {
      const betanmf::CscArrays kept = betanmf::drop_unweighted(X, w);
      const betanmf::SparseMatrix view(X.m, X.n, kept.col_ptr.data(), kept.row_idx.data(),
                                       kept.values.data());
      s = betanmf::summarize(view, w);
      prepared = csc_list(kept);
    } else {
      Rcpp::NumericMatrix out(static_cast<int>(X.m), static_cast<int>(X.n));
      betanmf::zero_unweighted(X, w, out.begin());
      s = betanmf::summarize(betanmf::DenseMatrix(out.begin(), X.m, X.n), w);
      prepared = out;
    }
    return Rcpp::List::create(
        Rcpp::Named("x") = prepared, Rcpp::Named("sum_sq") = s.sum_sq,
        Rcpp::Named("total") = s.total, Rcpp::Named("nonzero") = s.nonzero,
        Rcpp::Named("zeros") = s.zeros, Rcpp::Named("max") = s.max,
        Rcpp::Named("min_positive") = s.min_positive,
        Rcpp::Named("rows") = s.row_weight, Rcpp::Named("cols") = s.col_weight);
  });
}

// What is wrong with the slots of a sparse Matrix object (CsparseMatrix: p,
// i; RsparseMatrix: p, j; TsparseMatrix: i, j; x when present), or "" when
// they describe a valid matrix of its Dim. Reads nothing out of bounds.
// [[Rcpp::export(rng = false)]]
std::string cpp_check_sparse(SEXP x) {
  Rcpp::S4 s(x);
  if (!s.hasSlot("Dim")) return "it has no Dim slot";
  Rcpp::IntegerVector dim = s.slot("Dim");
  if (dim.size() != 2) return "its Dim must hold two values";
  const long long m = dim[0], n = dim[1];
  const bool has_x = s.hasSlot("x");
  const long long n_val = has_x ? Rf_xlength(s.slot("x")) : -1;
  auto ints = [&](const char *name, Rcpp::IntegerVector &out) {
    if (!s.hasSlot(name)) return false;
    SEXP v = s.slot(name);
    if (TYPEOF(v) != INTSXP) return false;
    out = v;
    return true;
  };
  Rcpp::IntegerVector p, i, j;
  const bool has_p = ints("p", p), has_i = ints("i", i), has_j = ints("j", j);
  if (has_p && has_i)
    return betanmf::check_compressed(n, m, p.begin(), p.size(), i.begin(), i.size(), n_val, "i");
  if (has_p && has_j)
    return betanmf::check_compressed(m, n, p.begin(), p.size(), j.begin(), j.size(), n_val, "j");
  if (has_i && has_j) {
    if (i.size() != j.size())
      return "@i and @j must have the same length; got " + std::to_string(i.size()) + " and " +
             std::to_string(j.size());
    if (n_val >= 0 && n_val != i.size())
      return "@x must have as many values as @i (" + std::to_string(i.size()) + "); got " +
             std::to_string(n_val);
    for (R_xlen_t t = 0; t < i.size(); ++t)
      if (i[t] < 0 || i[t] >= m || j[t] < 0 || j[t] >= n)
        return "@i and @j must lie within the Dim; got (" + std::to_string(i[t]) + ", " +
               std::to_string(j[t]) + ") at position " + std::to_string(t + 1);
    return "";
  }
  return "its index slots (p, i, j) are missing or not integer";
}

// The smallest and largest stored value of x (a double matrix or vector)
// and whether any is NA or NaN, in one pass: list(min, max, nan).
// [[Rcpp::export(rng = false)]]
Rcpp::List cpp_scan_values(SEXP x) {
  const betanmf::ValueScan s = betanmf::scan_values(REAL(x), XLENGTH(x));
  return Rcpp::List::create(Rcpp::Named("min") = s.min, Rcpp::Named("max") = s.max,
                            Rcpp::Named("nan") = s.nan);
}
