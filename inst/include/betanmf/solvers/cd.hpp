// Coordinate descent for beta = 1 (generalized Kullback-Leibler), after
// Hsieh & Dhillon (2011, KDD, "Fast coordinate descent methods with variable
// selection for non-negative matrix factorization", section 4). Given the
// partner factor G (r x P), each line f (r) of the factor being updated
// solves the convex problem
//   min_f  sum_{p in nz} -x_p log(y_p) + sum_k (s_k + l1) f_k + l2 / 2 ||f||^2,
//   y_p = g_p^T f,  s = G 1 (row sums of G),  f >= 0,
// where only the non-zeros x_p of the data line enter: the zeros contribute
// y_p, whose sum is s^T f. Each coordinate takes one projected Newton step
//   f_k <- max(0, f_k - d1 / d2),
//   d1 = s_k + l1 + l2 f_k - sum_p x_p G_kp / y_p,
//   d2 = l2 + sum_p x_p G_kp^2 / y_p^2,
// and y is updated in O(nnz). The derivative d1 is concave in f_k, so an
// upward step (d1 < 0) never passes the one-dimensional minimum and always
// decreases the objective; a downward step is checked against the exact
// change of the objective and halved until it decreases it, so every step
// is monotone. Several sweeps per line reuse one gather of the partner
// columns (the inner rule of bcd.hpp).
#pragma once

#include "../config.hpp"
#include "../gather.hpp"
#include "../kernels.hpp"
#include "progress.hpp"

#include <algorithm>
#include <armadillo>
#include <cmath>
#include <vector>

namespace betanmf {

namespace detail {

// Work buffers of one thread.
struct CdBuffers {
  Entries e;
  std::vector<double> gt;  // partner columns at the non-zeros, k-major: gt[k * nnz + t]
  std::vector<double> y;   // the model at the non-zeros
};

// Exact change of the line objective when f_k moves by d (d < 0 here).
inline double kl_step_change(const CdBuffers &b, const double *gk, std::size_t nnz,
                             double lin, double l2, double fk, double d) {
  double change = lin * d + 0.5 * l2 * ((fk + d) * (fk + d) - fk * fk);
  for (std::size_t t = 0; t < nnz; ++t) {
    if (gk[t] == 0.0) continue;
    const double y_new = b.y[t] + d * gk[t];
    if (!(y_new > 0.0)) return arma::datum::inf;
    change -= b.e.val[t] * std::log(y_new / b.y[t]);
  }
  return change;
}

// Updates one line f (r); returns its part of the divergence afterwards,
// sum_nz (x log(x / y) - x) + s^T f.
inline double cd_kl_line(double *f, const arma::mat &G, const double *s, CdBuffers &b,
                         const Penalty &pen, int fixed, int max_inner, double inner_tol,
                         double y_floor) {
  const int r = static_cast<int>(G.n_rows);
  const std::size_t nnz = b.e.size();
  b.gt.resize(static_cast<std::size_t>(r) * nnz);
  b.y.resize(nnz);
  for (std::size_t t = 0; t < nnz; ++t) {
    const double *g = G.colptr(b.e.idx[t]);
    for (int k = 0; k < r; ++k) b.gt[k * nnz + t] = g[k];
    b.y[t] = std::max(dot(r, g, f), y_floor);
  }
  double first_move = 0.0;
  for (int sweep = 0; sweep < max_inner; ++sweep) {
    double move = 0.0;
    for (int k = fixed; k < r; ++k) {
      const double *gk = b.gt.data() + k * nnz;
      double s1 = 0.0, s2 = 0.0;
      for (std::size_t t = 0; t < nnz; ++t) {
        const double q = b.e.val[t] * gk[t] / b.y[t];
        s1 += q;
        s2 += q * gk[t] / b.y[t];
      }
      const double lin = s[k] + pen.l1;
      const double d1 = lin + pen.l2 * f[k] - s1, d2 = pen.l2 + s2;
      double d = d2 > 0.0 ? std::max(0.0, f[k] - d1 / d2) - f[k] : (d1 > 0.0 ? -f[k] : 0.0);
      if (d < 0.0) {
        int halvings = 0;
        while (kl_step_change(b, gk, nnz, lin, pen.l2, f[k], d) > 0.0 && halvings < 30) {
          d *= 0.5;
          ++halvings;
        }
        if (halvings == 30) d = 0.0;
      }
      if (d == 0.0) continue;
      f[k] += d;
      if (f[k] < 0.0) f[k] = 0.0;
      for (std::size_t t = 0; t < nnz; ++t) b.y[t] = std::max(b.y[t] + d * gk[t], y_floor);
      move += d * d;
    }
    if (sweep == 0) first_move = move;
    if (move <= inner_tol * inner_tol * first_move) break;
  }
  double loss = dot(r, s, f);
  for (std::size_t t = 0; t < nnz; ++t) {
    const double x = b.e.val[t];
    loss += x * std::log(x / b.y[t]) - x;
  }
  return loss;
}

}  // namespace detail

// One pass over the lines of F (r x N) with partner G (r x P): columns of X
// (F = H, G = W^T) when by_col, rows (F = W^T, G = H) otherwise. Returns the
// divergence at the updated factors.
template <class Mat>
double cd_kl_update(const Mat &X, arma::mat &F, const arma::mat &G, bool by_col,
                    const Config &cfg, const Penalty &pen, int fixed, double y_floor) {
  const std::ptrdiff_t N = F.n_cols;
  const arma::vec s = arma::sum(G, 1);
  std::vector<double> per_line(N, 0.0);
#pragma omp parallel num_threads(cfg.threads)
  {
    detail::CdBuffers b;
#pragma omp for schedule(dynamic, 16)
    for (std::ptrdiff_t l = 0; l < N; ++l) {
      if (by_col) gather_col(X, l, b.e);
      else gather_row(X, l, b.e);
      per_line[l] = detail::cd_kl_line(F.colptr(l), G, s.memptr(), b, pen, fixed,
                                       cfg.max_inner, cfg.inner_tol, y_floor);
    }
  }
  return detail::ordered_sum(per_line);
}

// Runs coordinate descent for beta = 1 from Wt = W^T (r x m) and H (r x n).
template <class Mat>
void solve_cd(const Mat &X, arma::mat &Wt, arma::mat &H, const Config &cfg, Monitor &mon,
              Result &res) {
  IterationLog log(cfg, mon, res);
  const double y_floor = 1e-12 * mean_value(X);
  for (int it = 1; it <= cfg.max_iter; ++it) {
    double div = 0.0;
    if (cfg.update_w) div = cd_kl_update(X, Wt, H, false, cfg, cfg.pen_w, cfg.fixed_w, y_floor);
    if (cfg.update_h) div = cd_kl_update(X, H, Wt, true, cfg, cfg.pen_h, cfg.fixed_h, y_floor);
    res.iterations = it;
    if (log.record(it, div + penalty_value(Wt, cfg.pen_w) + penalty_value(H, cfg.pen_h)))
      break;
    if (log.interrupted()) break;
  }
}

}  // namespace betanmf
