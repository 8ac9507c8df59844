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

#include <memory>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

// Calls f(view(values)) with the values of x: R's own (no copy), or when
// `single` (precision = "float") a float copy that lives for the call (4
// bytes a value; a dgCMatrix keeps its i and p slots). R has checked that
// every positive value is a normal float, so rounding keeps each one
// positive and finite.
template <class View, class F>
auto with_values(const double *v, std::size_t len, bool single, View &&view, F &&f) {
  if (!single) return f(view(v));
  const std::vector<float> copy(v, v + len);
  return f(view(copy.data()));
}

// Calls f(view) with the core view of x, whichever kind it is, in double or
// (`single`) in float.
template <class F> auto with_data(SEXP x, bool single, F &&f) {
  if (Rf_isMatrix(x) && TYPEOF(x) == REALSXP) {
    const std::size_t m = Rf_nrows(x), n = Rf_ncols(x);
    return with_values(
        REAL(x), static_cast<std::size_t>(Rf_xlength(x)), single,
        [&](const auto *values) {
          using T = std::remove_const_t<std::remove_pointer_t<decltype(values)>>;
          return betanmf::DenseOf<T>(values, m, n);
        },
        std::forward<F>(f));
  }
  if (Rf_isS4(x) && Rf_inherits(x, "dgCMatrix")) {
    Rcpp::S4 s(x);
    Rcpp::IntegerVector dim = s.slot("Dim"), i = s.slot("i"), p = s.slot("p");
    Rcpp::NumericVector v = s.slot("x");
    return with_values(
        v.begin(), static_cast<std::size_t>(v.size()), single,
        [&](const auto *values) {
          using T = std::remove_const_t<std::remove_pointer_t<decltype(values)>>;
          return betanmf::SparseOf<T>(dim[0], dim[1], p.begin(), i.begin(), values);
        },
        std::forward<F>(f));
  }
  throw std::invalid_argument("x must be a double matrix or a dgCMatrix");
}

// The same in double.
template <class F> auto with_data(SEXP x, F &&f) { return with_data(x, false, std::forward<F>(f)); }

// A held-out pattern from R: list(type = "speckled" or "blocks", m, n,
// fraction, seed, replicate, role = "train" or "test", transposed).
inline void hold_out(betanmf::Weights &w, const Rcpp::List &h, bool keep_margins) {
  const std::string type = Rcpp::as<std::string>(h["type"]);
  const auto kind = type == "blocks" ? betanmf::HeldPattern::Kind::blocks
                                     : betanmf::HeldPattern::Kind::speckled;
  auto pattern = std::make_shared<const betanmf::HeldPattern>(
      kind, Rcpp::as<int>(h["m"]), Rcpp::as<int>(h["n"]), Rcpp::as<double>(h["fraction"]),
      static_cast<std::uint64_t>(Rcpp::as<double>(h["seed"])), Rcpp::as<int>(h["replicate"]));
  const auto role = Rcpp::as<std::string>(h["role"]) == "test" ? betanmf::Weights::Held::test
                                                               : betanmf::Weights::Held::train;
  w.hold_out(std::move(pattern), role, Rcpp::as<bool>(h["transposed"]), keep_margins);
}

// Observation weights from R: NULL, or list(base = 0 or 1, delta = dgCMatrix
// of w - base at the stored entries, optionally held: a held-out pattern
// (hold_out()) whose entries are generated, never stored, and, once
// prepared, rows and cols: the margins, which the core then takes as they
// are).
inline betanmf::Weights to_weights(SEXP spec, std::size_t m, std::size_t n) {
  if (Rf_isNull(spec)) return betanmf::Weights();
  Rcpp::List l(spec);
  const double base = Rcpp::as<double>(l["base"]);
  Rcpp::S4 d(l["delta"]);
  Rcpp::IntegerVector i = d.slot("i"), p = d.slot("p");
  Rcpp::NumericVector x = d.slot("x");
  const bool margins = l.containsElementNamed("rows") && l.containsElementNamed("cols");
  const bool held = l.containsElementNamed("held") && !Rf_isNull(l["held"]);
  betanmf::Weights w;
  if (margins) {
    Rcpp::NumericVector rows = l["rows"], cols = l["cols"];
    w = betanmf::Weights(base, m, n, p.begin(), i.begin(), x.begin(), rows.begin(),
                         cols.begin());
  } else {
    w = betanmf::Weights(base, m, n, p.begin(), i.begin(), x.begin());
  }
  if (held) hold_out(w, Rcpp::List(l["held"]), margins);
  return w;
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
