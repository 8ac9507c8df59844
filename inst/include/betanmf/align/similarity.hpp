// Cosine similarity between the columns of two matrices.
//
// NMF components are defined only up to a positive scale (W D, D^-1 H), so
// components are compared by direction: each column is divided by its L2
// norm and the similarity of columns a_k and b_l is their inner product,
// <a_k, b_l> / (||a_k|| ||b_l||). A zero column has no direction; its
// similarity to anything is defined as 0, so the result never holds NaN.
#pragma once

#include <armadillo>

#include <cmath>
#include <stdexcept>

namespace betanmf {

// Returns a copy of `x` (m x k) with every column scaled to unit L2 norm.
// Columns whose norm is zero (or not a positive finite number) become zero.
[[nodiscard]] inline arma::mat unit_columns(const arma::mat &x) {
  arma::mat out = x;
  for (arma::uword k = 0; k < out.n_cols; ++k) {
    // arma::norm rescales internally, so very small or large columns do not
    // underflow or overflow.
    const double len = arma::norm(out.col(k), 2);
    if (len > 0.0 && std::isfinite(len)) {
      out.col(k) /= len;
    } else {
      out.col(k).zeros();
    }
  }
  return out;
}

// Cosine similarity of the columns of `a` (m x p) and `b` (m x q): a p x q
// matrix whose entry (k, l) is cos(a_k, b_l), clamped to [-1, 1] against
// rounding. Zero columns give similarity 0. Both inputs must have the same
// number of rows.
[[nodiscard]] inline arma::mat cosine_similarity(const arma::mat &a, const arma::mat &b) {
  if (a.n_rows != b.n_rows)
    throw std::invalid_argument("cosine_similarity: inputs differ in their number of rows");
  arma::mat s = unit_columns(a).t() * unit_columns(b);
  return arma::clamp(s, -1.0, 1.0);
}

}  // namespace betanmf
