// The beta-divergence d_beta(x | y) of Fevotte & Idier (2011, Neural Comput
// 23:2421, eq. 2), element-wise and summed over a factorization:
//   beta = 2:  (x - y)^2 / 2                       (half squared error)
//   beta = 1:  x log(x / y) - x + y                (generalized Kullback-Leibler)
//   beta = 0:  x / y - log(x / y) - 1              (Itakura-Saito)
//   else:      (x^b + (b - 1) y^b - b x y^(b-1)) / (b (b - 1))
// with the limits at x = 0: y^b / b for b > 0 (so y for KL), +Inf for b <= 0.
// Sums are taken exactly: for a sparse X the zeros enter through closed forms
// (beta = 1: the total of WH; beta = 2: Gram matrices; other beta > 0: a
// streamed pass over columns, O(m) memory per thread), never by densifying.
#pragma once

#include "gather.hpp"
#include "kernels.hpp"
#include "matrix.hpp"
#include "stats.hpp"
#include "vmath.hpp"
#include "weights.hpp"

#include <algorithm>
#include <armadillo>
#include <cmath>
#include <limits>
#include <vector>

namespace betanmf {

// log(x / y) for x, y > 0, also where x / y over- or underflows (a
// subnormal datum, or a model of 5e-324 at a datum of 1): then as
// log x - log y, which is exact enough there and finite.
[[nodiscard]] inline double log_ratio(double x, double y) {
  const double q = x / y;
  if (q >= std::numeric_limits<double>::min() && q <= std::numeric_limits<double>::max())
    return std::log(q);
  return std::log(x) - std::log(y);
}

namespace detail {
// d_beta(x | y) for x close to y, |u| < 2^-5 with u = (x - y) / y, where the
// formulas of beta_div() subtract terms of size x^beta to leave one of size
// x^beta u^2 (with an outlier of 1e15 fitted to 1e-8, a rounding error of
// 1e5 on a divergence of 10). Written in u, with log1p and expm1, and for
// |u| < 2^-10 as the Taylor series of d / y^beta to u^5 (relative error
// below 1e-12):
//   beta = 1: y ((1 + u) log1p(u) - u) = y (u^2/2 - u^3/6 + u^4/12 - u^5/20)
//   beta = 0: u - log1p(u)             = u^2/2 - u^3/3 + u^4/4 - u^5/5
//   other:    y^beta (expm1(beta log1p(u)) - beta u) / (beta (beta - 1))
//           = y^beta u^2/2 (1 + (b-2) u/3 + (b-2)(b-3) u^2/12 + (b-2)(b-3)(b-4) u^3/60)
[[nodiscard]] inline double beta_div_near(double x, double y, double beta) {
  const double u = (x - y) / y;  // x - y is exact here (Sterbenz)
  const bool small = std::abs(u) < 0x1.0p-10;
  const double u2 = u * u;
  if (beta == 1.0)
    return y * (small ? u2 * (0.5 - u / 6.0 + u2 / 12.0 - u * u2 / 20.0)
                      : (1.0 + u) * std::log1p(u) - u);
  if (beta == 0.0)
    return small ? u2 * (0.5 - u / 3.0 + u2 / 4.0 - u * u2 / 5.0) : u - std::log1p(u);
  const double b2 = beta - 2.0, b3 = beta - 3.0, b4 = beta - 4.0;
  const double f = small ? 0.5 * u2 * (1.0 + b2 * u / 3.0 + b2 * b3 * u2 / 12.0 +
                                       b2 * b3 * b4 * u * u2 / 60.0)
                         : (std::expm1(beta * std::log1p(u)) - beta * u) / (beta * (beta - 1.0));
  return std::pow(y, beta) * f;
}
}  // namespace detail

// d_beta(x | y) for one pair; x >= 0, y >= 0.
[[nodiscard]] inline double beta_div(double x, double y, double beta) {
  const double inf = std::numeric_limits<double>::infinity();
  // For beta > 0 a subnormal datum counts as the zero it approaches where
  // the model is subnormal too: a model that reaches an exact zero there
  // (the optimum for such a datum) stays finite. Against a normal model it
  // keeps its value: for beta near 0, y^beta / beta (the term of a zero) is
  // not small (1e-300^0.01 / 0.01 = 0.1), and data at 1e-19 fitted at a
  // scale of 4^-488 (scale.hpp) are subnormal there.
  if (beta > 0.0 && x < std::numeric_limits<double>::min() &&
      !(y >= std::numeric_limits<double>::min()))
    x = 0.0;
  if (x == y) return 0.0;  // exact, where the formulas below round to +-1e-16
  if (beta == 2.0) return 0.5 * (x - y) * (x - y);
  if (y > 0.0 && std::abs(x - y) < 0x1.0p-5 * y) return std::max(0.0, detail::beta_div_near(x, y, beta));
  if (beta == 1.0) {
    if (x == 0.0) return y;
    if (y <= 0.0) return inf;
    return std::max(0.0, x * log_ratio(x, y) - x + y);
  }
  if (beta == 0.0) {
    if (x <= 0.0 || y <= 0.0) return (x == 0.0 && y == 0.0) ? 0.0 : inf;
    return std::max(0.0, x / y - log_ratio(x, y) - 1.0);
  }
  if (x == 0.0) return beta > 0.0 ? std::pow(y, beta) / beta : (y == 0.0 ? 0.0 : inf);
  if (y <= 0.0) return beta > 1.0 ? std::pow(x, beta) / (beta * (beta - 1.0)) : inf;
  // common betas without pow(): the same formula with square roots and products
  if (beta == 0.5) {
    const double sx = std::sqrt(x), sy = std::sqrt(y);
    return std::max(0.0, -4.0 * (sx - 0.5 * sy - 0.5 * x / sy));
  }
  if (beta == 1.5) {
    const double sx = std::sqrt(x), sy = std::sqrt(y);
    return std::max(0.0, (x * sx + 0.5 * y * sy - 1.5 * x * sy) / 0.75);
  }
  if (beta == 3.0) return std::max(0.0, (x * x * x + 2.0 * y * y * y - 3.0 * x * y * y) / 6.0);
  // a divergence is never negative; the formula can round to -1e-15 at x = y
  return std::max(0.0, (std::pow(x, beta) + (beta - 1.0) * std::pow(y, beta) -
                        beta * x * std::pow(y, beta - 1.0)) /
                           (beta * (beta - 1.0)));
}

// sum_t w_t d_1(x_t | y_t) (*nz) and sum_t w_t y_t (*ysum) over the
// non-zeros of a line, x_t > 0, y_t >= 0 (w = nullptr: weights of one),
// for the objective that every pass of the KL solvers records. The common
// term x log(x / y) - x + y takes the logarithm of vmath.hpp, so that the
// loop runs four terms at a time; the terms beta_div() treats apart (x
// within 2^-5 of y, a quotient outside the normal doubles, a zero model)
// are added afterwards, in order, by beta_div() itself.
namespace detail {
// Whether kl_nonzero_sums() takes the term of x and y in its vector loop.
BETANMF_ALWAYS_INLINE bool kl_common(double x, double y, double q) {
  return (y > 0.0) & (q >= std::numeric_limits<double>::min()) &
         (q <= std::numeric_limits<double>::max()) & !(std::abs(x - y) < 0x1.0p-5 * y);
}
template <bool Weighted>
BETANMF_ALWAYS_INLINE bool kl_common_sums(std::size_t nnz, const double *x, const double *y,
                                          const double *w, double &a, double &b) {
  double sa = 0.0, sb = 0.0, rare = 0.0;
  // Every lane takes the logarithm and the term, and keep_if() masks those
  // set aside: a choice of argument or of result by a condition makes GCC
  // branch around the logarithm, and the loop stays scalar.
#pragma omp simd reduction(+ : sa, sb, rare)
  for (std::size_t t = 0; t < nnz; ++t) {
    const double xt = x[t], yt = y[t];
    const double q = xt / yt;
    const bool on = kl_common(xt, yt, q);
    const double d = xt * vlog(q) - xt + yt;
    const double wt = Weighted ? w[t] : 1.0;
    sa += wt * keep_if(on & (d > 0.0), d);
    sb += wt * yt;
    rare += keep_if(!on, 1.0);
  }
  a = sa;
  b = sb;
  return rare > 0.0;
}
}  // namespace detail

BETANMF_ALWAYS_INLINE void kl_nonzero_sums(std::size_t nnz, const double *x, const double *y,
                                           const double *w, double *nz, double *ysum) {
  double a = 0.0, b = 0.0;
  const int rare = w != nullptr ? detail::kl_common_sums<true>(nnz, x, y, w, a, b)
                                : detail::kl_common_sums<false>(nnz, x, y, w, a, b);
  if (rare) {
    for (std::size_t t = 0; t < nnz; ++t)
      if (!detail::kl_common(x[t], y[t], x[t] / y[t]))
        a += (w != nullptr ? w[t] : 1.0) * beta_div(x[t], y[t], 1.0);
  }
  *nz = a;
  *ysum = b;
}

// out[t] = d_beta(x[t] | y[t]) for t < size: the element-wise form behind
// beta_divergence() and the deviance residuals in R.
inline void beta_div_each(const double *x, const double *y, std::size_t size, double beta,
                          double *out) {
  for (std::size_t t = 0; t < size; ++t) out[t] = beta_div(x[t], y[t], beta);
}

// sum_ij w_ij d_beta(X_ij | (W H)_ij) term by term over all m x n entries
// (the zeros of a sparse X included, weights from `wts`): O(m n r) time and
// O(m) memory per thread, no cancellation. The fallback of the closed forms
// below at a large dynamic range (an outlier 1e16 times the rest).
template <class Mat>
[[nodiscard]] double divergence_streamed(const Mat &X, const arma::mat &Wt, const arma::mat &H,
                                         double beta, int threads, const Weights &wts,
                                         double y_floor = 0.0) {
  const int r = static_cast<int>(Wt.n_rows);
  const std::ptrdiff_t n = X.n;
  const bool weighted = !wts.trivial();
  std::vector<double> per_col(n, 0.0);
#pragma omp parallel num_threads(team(threads, double(X.m) * X.n * r))
  {
    std::vector<double> line, wline;
#pragma omp for schedule(dynamic, 16)
    for (std::ptrdiff_t j = 0; j < n; ++j) {
      dense_col(X, j, line);
      if (weighted) dense_weights(wts, true, j, X.m, wline);
      double s = 0.0;
      for (std::size_t i = 0; i < X.m; ++i) {
        const double w = weighted ? wline[i] : 1.0;
        if (w != 0.0)
          s += w * beta_div(line[i], std::max(y_floor, dot(r, Wt.colptr(i), H.colptr(j))), beta);
      }
      per_col[j] = s;
    }
  }
  return detail::ordered_sum(per_col);
}

// sum_p w_p (G^T f)_p over the positions p of a line (G: r x P, f: r) that
// are not among the ascending positions `idx`: the model's mass at the
// zeros of the line, term by term in O(P r). w: the weights of line l
// (by_col: column l of X, else row l), 1 when wts is trivial.
[[nodiscard]] inline double mass_outside(const arma::mat &G, const double *f,
                                         const std::vector<int> &idx, const Weights &wts,
                                         bool by_col, std::size_t l) {
  const int r = static_cast<int>(G.n_rows);
  const std::size_t P = G.n_cols;
  std::vector<double> w;
  if (!wts.trivial()) dense_weights(wts, by_col, l, P, w);
  double mass = 0.0;
  std::size_t t = 0;
  for (std::size_t p = 0; p < P; ++p) {
    if (t < idx.size() && static_cast<std::size_t>(idx[t]) == p) {
      ++t;
      continue;
    }
    const double wp = w.empty() ? 1.0 : w[p];
    if (wp != 0.0) mass += wp * dot(r, G.colptr(p), f);
  }
  return mass;
}

// sum_p w_p d_beta(x_p | (G^T f)_p) over the whole line l of X (a column
// when by_col, else a row; G: r x P the partner factor, f: r), term by term
// in O(P r); line and wline are work buffers.
template <class Mat>
[[nodiscard]] double line_divergence(const Mat &X, bool by_col, std::size_t l,
                                     const arma::mat &G, const double *f, double beta,
                                     const Weights &wts, std::vector<double> &line,
                                     std::vector<double> &wline) {
  const int r = static_cast<int>(G.n_rows);
  const std::size_t P = G.n_cols;
  if (by_col) {
    dense_col(X, l, line);
  } else {
    line.assign(P, 0.0);
    if constexpr (Mat::is_sparse) {
      const auto &R = X.rows();
      for (std::size_t t = R.ptr[l]; t < R.ptr[l + 1]; ++t) line[R.col[t]] = R.value(t);
    } else {
      for (std::size_t p = 0; p < P; ++p) line[p] = X.data[p * X.m + l];
    }
  }
  const bool weighted = !wts.trivial();
  if (weighted) dense_weights(wts, by_col, l, P, wline);
  double s = 0.0;
  for (std::size_t p = 0; p < P; ++p) {
    const double w = weighted ? wline[p] : 1.0;
    if (w != 0.0) s += w * beta_div(line[p], dot(r, G.colptr(p), f), beta);
  }
  return s;
}

// The generalized KL divergence of one line of X (length P) from what the
// solvers know of it: nz = sum w d_KL(x | y) over its non-zeros (exact
// terms), mass = sum_p w_p y_p over the whole line (s^T f, s the weighted
// partner sums) and ysum = sum w y over the non-zeros. The zeros contribute
// mass - ysum, which cancels when the non-zeros carry most of the mass (an
// outlier): then `exact_mass()` sums them term by term. With no zero in the
// line (has_zeros false) they contribute nothing.
template <class ExactMass>
[[nodiscard]] double kl_line_divergence(double nz, double mass, double ysum, bool has_zeros,
                                        ExactMass &&exact_mass) {
  if (!has_zeros) return nz;
  double zeros = mass - ysum;
  if (!(zeros >= detail::untrusted * mass)) zeros = exact_mass();
  return nz + std::max(0.0, zeros);
}

// sum_ij d_beta(X_ij | (W H)_ij) for a dense X (m x n), Wt = W^T (r x m), H (r x n).
template <class T> double divergence(const DenseOf<T> &X, const arma::mat &Wt, const arma::mat &H,
                         double beta, int threads, double y_floor = 0.0) {
  const int r = static_cast<int>(Wt.n_rows);
  const std::ptrdiff_t m = X.m, n = X.n;
  std::vector<double> per_col(n, 0.0);
#pragma omp parallel for schedule(static) num_threads(team(threads, entries(X) * r))
  for (std::ptrdiff_t j = 0; j < n; ++j) {
    const auto *x = X.col(j);
    const double *h = H.colptr(j);
    double s = 0.0;
    if (beta == 2.0) {
      // beta_div()'s value for beta = 2, inline (as a call per entry it
      // was half the time of this loop); its subnormal and x == y cases
      // give the same +0 here
      for (std::ptrdiff_t i = 0; i < m; ++i) {
        const double d = x[i] - std::max(y_floor, dot(r, Wt.colptr(i), h));
        s += 0.5 * d * d;
      }
    } else {
      for (std::ptrdiff_t i = 0; i < m; ++i)
        s += beta_div(x[i], std::max(y_floor, dot(r, Wt.colptr(i), h)), beta);
    }
    per_col[j] = s;
  }
  return detail::ordered_sum(per_col);
}

// The same for a sparse X, visiting the zeros only through closed forms.
template <class T> double divergence(const SparseOf<T> &X, const arma::mat &Wt, const arma::mat &H,
                         double beta, int threads, double y_floor = 0.0) {
  const int r = static_cast<int>(Wt.n_rows);
  const std::ptrdiff_t m = X.m, n = X.n;
  std::vector<double> per_col(n, 0.0);
  if (beta <= 0.0) {
    // A zero datum makes the divergence infinite; with every entry stored,
    // the non-zeros are all the terms.
    if (X.nnz() < X.m * X.n) return std::numeric_limits<double>::infinity();
#pragma omp parallel for schedule(dynamic, 64) num_threads(team(threads, entries(X) * r))
    for (std::ptrdiff_t j = 0; j < n; ++j) {
      double s = 0.0;
      for (int t = X.col_ptr[j]; t < X.col_ptr[j + 1]; ++t)
        s += beta_div(X.values[t],
                      std::max(y_floor, dot(r, Wt.colptr(X.row_idx[t]), H.colptr(j))), beta);
      per_col[j] = s;
    }
    return detail::ordered_sum(per_col);
  }
  if (beta == 1.0 || beta == 2.0) {
    // Non-zero terms minus what a zero would contribute there; the zeros'
    // contribution over all entries is added below in closed form. `parts`
    // sums the magnitudes that cancel, for the check at the end.
    std::vector<double> per_col_parts(n, 0.0);
#pragma omp parallel for schedule(dynamic, 64) num_threads(team(threads, entries(X) * r))
    for (std::ptrdiff_t j = 0; j < n; ++j) {
      const double *h = H.colptr(j);
      double s = 0.0, parts = 0.0;
      for (int t = X.col_ptr[j]; t < X.col_ptr[j + 1]; ++t) {
        const double x = X.values[t];
        const double y = dot(r, Wt.colptr(X.row_idx[t]), h);
        double d, d0;
        if (beta == 2.0) {
          // beta_div()'s values inline, as in the dense loop above (the
          // same numbers: its special cases give +0 here as well)
          const double e = x - std::max(y_floor, y);
          d = 0.5 * e * e;
          d0 = 0.5 * y * y;
        } else {
          d = beta_div(x, std::max(y_floor, y), beta);
          d0 = beta_div(0.0, y, beta);
        }
        s += d - d0;
        parts += d + d0;
      }
      per_col[j] = s;
      per_col_parts[j] = parts;
    }
    double zeros = 0.0;
    if (beta == 1.0) {
      // sum_ij (WH)_ij = sum_k (sum_i W_ik)(sum_j H_kj)
      const arma::vec ws = arma::sum(Wt, 1), hs = arma::sum(H, 1);
      zeros = arma::dot(ws, hs);
    } else {
      // sum_ij (WH)_ij^2 / 2 = tr(W^T W H H^T) / 2
      arma::mat gw, gh;
      gram(Wt, gw);
      gram(H, gh);
      zeros = 0.5 * frob_dot(gw, gh);
    }
    const double total = detail::ordered_sum(per_col) + zeros;
    if (total < detail::untrusted * (detail::ordered_sum(per_col_parts) + zeros))
      return divergence_streamed(X, Wt, H, beta, threads, Weights(), y_floor);
    return total;
  }
  // Any other beta > 0: stream over columns; y^b / b for every entry, then
  // correct at the non-zeros.
#pragma omp parallel for schedule(dynamic, 16) num_threads(team(threads, entries(X) * r + double(m) * n * r))
  for (std::ptrdiff_t j = 0; j < n; ++j) {
    const double *h = H.colptr(j);
    double s = 0.0;
    for (std::ptrdiff_t i = 0; i < m; ++i) s += beta_div(0.0, dot(r, Wt.colptr(i), h), beta);
    for (int t = X.col_ptr[j]; t < X.col_ptr[j + 1]; ++t) {
      const double y = dot(r, Wt.colptr(X.row_idx[t]), h);
      s += beta_div(X.values[t], std::max(y_floor, y), beta) - beta_div(0.0, y, beta);
    }
    per_col[j] = s;
  }
  return detail::ordered_sum(per_col);
}

// sum_ij w_ij d_beta(X_ij | (WH)_ij) under observation weights (weights.hpp).
// For beta > 0: base times the plain sum plus delta d_beta at the listed
// entries. For beta <= 0 every entry of positive weight is visited (zeros
// of X may sit under zero weights there).
// Model values below y_floor are raised to it at the listed entries and for
// beta <= 0 (cross-validation scores held-out entries this way, so that an
// exact zero of the model at a positive datum is a large, finite error).
template <class Mat>
double divergence(const Mat &X, const arma::mat &Wt, const arma::mat &H, double beta,
                  int threads, const Weights &wts, double y_floor = 0.0) {
  if (wts.trivial()) return divergence(X, Wt, H, beta, threads, y_floor);
  const int r = static_cast<int>(Wt.n_rows);
  const std::ptrdiff_t n = X.n;
  std::vector<double> per_col(n, 0.0);
  if (beta > 0.0) {
    const double plain =
        wts.base == 0.0 ? 0.0 : wts.base * divergence(X, Wt, H, beta, threads, y_floor);
    std::vector<double> per_col_parts(n, 0.0);
#pragma omp parallel num_threads(team(threads, wts.listed() * r + n))
    {
      std::vector<WeightedEntry> list;
#pragma omp for schedule(dynamic, 64)
      for (std::ptrdiff_t j = 0; j < n; ++j) {
        gather_weights(X, wts, true, j, list);
        double s = 0.0, parts = 0.0;
        for (const WeightedEntry &e : list) {
          const double d =
              beta_div(e.x, std::max(y_floor, dot(r, Wt.colptr(e.idx), H.colptr(j))), beta);
          s += e.delta * d;
          parts += std::abs(e.delta) * d;
        }
        per_col[j] = s;
        per_col_parts[j] = parts;
      }
    }
    // a plain sum minus the left-out terms cancels when these dominate (a
    // masked outlier)
    const double total = plain + detail::ordered_sum(per_col);
    if (wts.base != 0.0 &&
        total < detail::untrusted * (plain + detail::ordered_sum(per_col_parts)))
      return divergence_streamed(X, Wt, H, beta, threads, wts, y_floor);
    return total;
  }
#pragma omp parallel num_threads(team(threads, double(X.m) * X.n * r))
  {
    std::vector<double> line, wline;
#pragma omp for schedule(dynamic, 16)
    for (std::ptrdiff_t j = 0; j < n; ++j) {
      dense_col(X, j, line);
      dense_weights(wts, true, j, X.m, wline);
      double s = 0.0;
      for (std::size_t i = 0; i < X.m; ++i)
        if (wline[i] != 0.0)
          s += wline[i] *
               beta_div(line[i], std::max(y_floor, dot(r, Wt.colptr(i), H.colptr(j))), beta);
      per_col[j] = s;
    }
  }
  return detail::ordered_sum(per_col);
}

}  // namespace betanmf
