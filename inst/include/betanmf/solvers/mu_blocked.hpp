// The multiplicative updates of mu.hpp for beta not in {1, 2}, computed a
// block of columns at a time with the dense kernels of products.hpp:
//   Y = W H_J                      (m x B, the model on the block)
//   A = w o X_J o Y^(beta-2),  B = w o Y^(beta-1)   (element-wise)
//   H step:  num_J = W^T A,  den_J = W^T B
//   W step:  num += A H_J^T,  den += B H_J^T   (summed over the blocks)
// which is Fevotte & Idier's update (eq. 4) with the element-wise work in
// vectorizable loops and the products in the register-tiled kernel. Memory
// stays O((m + n) r + m B): a sparse X is expanded one block at a time.
// The blocks are visited in a fixed order and every product writes disjoint
// outputs, so results do not depend on the thread count.
#pragma once

#include "../config.hpp"
#include "../dispatch.hpp"
#include "../divergence.hpp"
#include "../gather.hpp"
#include "../kernels.hpp"
#include "../products.hpp"
#include "../stats.hpp"
#include "../weights.hpp"
#include "mu_columns.hpp"
#include "mu_terms.hpp"

#include <algorithm>
#include <armadillo>
#include <type_traits>
#include <vector>

namespace betanmf {

namespace detail {

// Columns [j0, j1) of X as a dense m x B array of doubles: a view for dense
// doubles, a copy for dense floats, a zero-filled scatter for sparse data.
template <class T>
const double *block_of(const DenseOf<T> &X, std::size_t j0, std::size_t j1,
                       std::vector<double> &buf) {
  if constexpr (std::is_same_v<T, double>) {
    return X.col(j0);
  } else {
    buf.assign(X.col(j0), X.col(j1));
    return buf.data();
  }
}
template <class T>
const double *block_of(const SparseOf<T> &X, std::size_t j0, std::size_t j1,
                       std::vector<double> &buf) {
  buf.assign(X.m * (j1 - j0), 0.0);
  for (std::size_t j = j0; j < j1; ++j)
    for (int t = X.col_ptr[j]; t < X.col_ptr[j + 1]; ++t)
      buf[(j - j0) * X.m + X.row_idx[t]] = X.values[t];
  return buf.data();
}

// Block width: about 2^21 entries per m x B buffer, at least 4 columns.
inline std::size_t block_width(std::size_t m, std::size_t n) {
  return std::min<std::size_t>(n, std::max<std::size_t>(4, (std::size_t{1} << 21) / m));
}

// Fills A and B (m x B each) for the block from the model Y (mu_columns.hpp),
// returns the block's weighted divergence when want_loss.
inline double block_terms(const double *x, const double *wt_line, std::size_t m,
                          std::size_t nb, double beta, const SolverFloors &floors,
                          bool want_loss,
                          arma::mat &Y, arma::mat &A, arma::mat &B, int threads) {
  const ColumnFn column = column_kernel(beta, wt_line != nullptr, want_loss);
  std::vector<double> per_col(nb, 0.0);
#pragma omp parallel for schedule(static) num_threads(team(threads, double(m) * nb))
  for (std::ptrdiff_t c = 0; c < static_cast<std::ptrdiff_t>(nb); ++c)
    per_col[c] = column({x + c * m, wt_line ? wt_line + c * m : nullptr, Y.colptr(c),
                         A.colptr(c), B.colptr(c), m, beta, floors.model, floors.model_zero});
  return ordered_sum(per_col);
}

// Column y (length m) of Y = W H_J from h = H_j (length r), W (m x r)
// column-major: rows in tiles of 16 whose sums over k stay in registers, so
// W is read once per tile and y written once. Each entry is summed over k in
// order, skipping h_k = 0.
BETANMF_ALWAYS_INLINE void model_column(const double *W, std::ptrdiff_t m, int r,
                                        const double *h, double *y) {
  constexpr std::ptrdiff_t T = 16;
  std::ptrdiff_t i0 = 0;
  for (; i0 + T <= m; i0 += T) {
    double acc[T] = {};
    for (int k = 0; k < r; ++k) {
      const double hk = h[k];
      if (hk == 0.0) continue;
      const double *w = W + k * m + i0;
#pragma GCC unroll 16
      for (std::ptrdiff_t t = 0; t < T; ++t) acc[t] += hk * w[t];
    }
#pragma GCC unroll 16
    for (std::ptrdiff_t t = 0; t < T; ++t) y[i0 + t] = acc[t];
  }
  for (std::ptrdiff_t i = i0; i < m; ++i) {  // the last m % 16 rows
    double s = 0.0;
    for (int k = 0; k < r; ++k)
      if (h[k] != 0.0) s += h[k] * W[k * m + i];
    y[i] = s;
  }
}

inline void model_column_base(const double *W, std::ptrdiff_t m, int r, const double *h,
                              double *y) {
  model_column(W, m, r, h, y);
}
BETANMF_TARGET_AVX2 inline void model_column_avx2(const double *W, std::ptrdiff_t m, int r,
                                                  const double *h, double *y) {
  model_column(W, m, r, h, y);
}

// Y (m x B) = W H_J with W (m x r) column-major.
inline void block_model(const arma::mat &W, const arma::mat &H, std::size_t j0,
                        std::size_t nb, arma::mat &Y, int threads) {
  const int r = static_cast<int>(W.n_cols);
  const std::ptrdiff_t m = W.n_rows;
  const auto column = isa_choice(&model_column_base, &model_column_avx2);
#pragma omp parallel for schedule(static) num_threads(team(threads, double(m) * nb * r))
  for (std::ptrdiff_t c = 0; c < static_cast<std::ptrdiff_t>(nb); ++c)
    column(W.memptr(), m, r, H.colptr(j0 + c), Y.colptr(c));
}

// The least and the largest ratio by which a step may scale the lines that
// meet column c of the block (H: its column; W: every row, through
// `least` and `most`, m each):
//   lowest  = y_floor / the smallest model value Y_ic >= y_floor (or just
//             below it, floor_guard()) at a positive datum of positive
//             weight (x, w: m x nb, w nullptr for none). A step whose
//             factor shrinks by no more than that keeps
//             such a model above the floor, where the auxiliary function of
//             the next step is the exact one (mu_terms.hpp); below the floor
//             the update sees y_floor instead of the model, and the step
//             from there is no longer a guaranteed decrease;
//   highest = the model ceiling (stats.hpp) / the largest Y_ic, at least 1.
inline LineRatios line_ratios(const double *x, const double *w, const arma::mat &Y,
                              std::size_t c, const SolverFloors &floors,
                              std::vector<double> *least, std::vector<double> *most) {
  const std::size_t m = Y.n_rows;
  const double *y = Y.colptr(c);
  double lo = arma::datum::inf, hi = 0.0;
  for (std::size_t i = 0; i < m; ++i) {
    hi = std::max(hi, y[i]);
    if (most != nullptr) (*most)[i] = std::max((*most)[i], y[i]);
    if (!(x[c * m + i] > 0.0) || (w != nullptr && !(w[c * m + i] > 0.0))) continue;
    const double yi = floor_guard(y[i], floors.model);
    lo = std::min(lo, yi);
    if (least != nullptr) (*least)[i] = std::min((*least)[i], yi);
  }
  return ratios_of(lo, hi, floors);
}

}  // namespace detail

// The buffers of mu_blocked_update, kept from one step to the next: fresh
// m x B buffers at every step cost as much in page faults as the work.
struct MuBlockWork {
  arma::mat W, Y, A, B, num, den, num_w, den_w;
  std::vector<double> buf, wbuf, wline;
};

// One multiplicative step of W (by_col = false) or of H (by_col = true) on
// Wt = W^T (r x m) and H (r x n). Returns the weighted divergence at the
// factors before the step when want_loss (else 0).
template <class Mat>
double mu_blocked_update(const Mat &X, arma::mat &Wt, arma::mat &H, bool by_col,
                         double beta, const Penalty &pen, int fixed,
                         const SolverFloors &floors, double f_floor, const Weights &wts,
                         bool want_loss, int threads, MuBlockWork &work) {
  const std::size_t m = X.m, n = X.n, bw = detail::block_width(m, n);
  const int r = static_cast<int>(Wt.n_rows);
  const bool weighted = !wts.trivial();
  arma::mat &W = work.W, &Y = work.Y, &A = work.A, &B = work.B, &num = work.num,
            &den = work.den, &num_w = work.num_w, &den_w = work.den_w;
  std::vector<double> &buf = work.buf, &wbuf = work.wbuf, &wline = work.wline;
  W = Wt.t();
  Y.set_size(m, bw);  // the last block uses its first columns
  A.set_size(m, bw);
  B.set_size(m, bw);
  // the W step: the least and the largest model of each row (line_ratios)
  std::vector<double> row_least, row_most;
  if (!by_col) {
    num_w.zeros(r, m);
    den_w.zeros(r, m);
    row_least.assign(m, arma::datum::inf);
    row_most.assign(m, 0.0);
  }
  double loss = 0.0;
  for (std::size_t j0 = 0; j0 < n; j0 += bw) {
    const std::size_t j1 = std::min(n, j0 + bw), nb = j1 - j0;
    const double *x = detail::block_of(X, j0, j1, buf);
    const double *wl = nullptr;
    if (weighted) {
      wbuf.resize(m * nb);
      for (std::size_t j = j0; j < j1; ++j) {
        dense_weights(wts, true, j, m, wline);
        std::copy(wline.begin(), wline.end(), wbuf.begin() + (j - j0) * m);
      }
      wl = wbuf.data();
    }
    detail::block_model(W, H, j0, nb, Y, threads);
    loss += detail::block_terms(x, wl, m, nb, beta, floors, want_loss, Y, A, B, threads);
    const DenseMatrix a(A.memptr(), m, nb), b(B.memptr(), m, nb);
    if (by_col) {
      cross_w(a, Wt, num, threads);  // W^T A, r x B
      cross_w(b, Wt, den, threads);
      for (std::size_t c = 0; c < nb; ++c) {
        const detail::LineRatios q = detail::line_ratios(x, wl, Y, c, floors, nullptr, nullptr);
        detail::mu_apply(r, fixed, H.colptr(j0 + c), num.colptr(c), den.colptr(c), pen, beta,
                         f_floor, q.lowest, q.highest);
      }
    } else {
      for (std::size_t c = 0; c < nb; ++c)
        (void)detail::line_ratios(x, wl, Y, c, floors, &row_least, &row_most);
      const arma::mat Hj = H.cols(j0, j1 - 1);
      cross_h(a, Hj, num, threads);  // H_J A^T, r x m
      cross_h(b, Hj, den, threads);
      num_w += num;
      den_w += den;
    }
  }
  if (!by_col)
    for (std::size_t i = 0; i < m; ++i) {
      const detail::LineRatios q = detail::ratios_of(row_least[i], row_most[i], floors);
      detail::mu_apply(r, fixed, Wt.colptr(i), num_w.colptr(i), den_w.colptr(i), pen, beta,
                       f_floor, q.lowest, q.highest);
    }
  return loss;
}

}  // namespace betanmf
