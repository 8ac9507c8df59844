// Majorization-minimization (multiplicative updates) for any beta
// (Fevotte & Idier 2011, Neural Comput 23:2421, eq. 4 and table 2):
//   H <- H o [ (W^T ((WH)^(beta-2) o X)) / (W^T (WH)^(beta-1) + l1 + l2 H) ]^gamma
//   gamma = 1 / (2 - beta) for beta < 1,  1 for 1 <= beta <= 2,
//           1 / (beta - 1) for beta > 2,
// which makes every update a guaranteed decrease of the objective; W is
// updated the same way on X^T. One function serves both sides: it updates
// the lines (columns) of F (r x N) given the partner factor G (r x P), where a
// line of F meets line l of X (a column of X for H, a row for W).
// Sparse-aware:
//   beta = 1: only the non-zeros enter the numerator; the denominator is the
//     row sums of G (W^T 1), exact for the zeros.
//   beta = 2: the numerator is the product G X_l (products.hpp) and the
//     denominator (G G^T) f, so X is touched through its non-zeros.
//   other beta: each line is streamed as a length-P vector (O(P) memory per
//     thread), never a dense copy of X.
// The same pass also returns sum d_beta(X | WH) at the factors it started
// from, so the objective costs nothing extra.
#pragma once

#include "../config.hpp"
#include "../divergence.hpp"
#include "../gather.hpp"
#include "../kernels.hpp"
#include "../products.hpp"
#include "progress.hpp"

#include <algorithm>
#include <armadillo>
#include <chrono>
#include <cmath>
#include <vector>

namespace betanmf {

[[nodiscard]] inline double mu_gamma(double beta) {
  if (beta < 1.0) return 1.0 / (2.0 - beta);
  if (beta > 2.0) return 1.0 / (beta - 1.0);
  return 1.0;
}

namespace detail {

// a = x y^(beta-2) and b = y^(beta-1), with the common betas without pow().
inline void mu_terms(double x, double y, double beta, double &a, double &b) {
  if (beta == 1.0) {
    b = 1.0;
    a = x / y;
  } else if (beta == 0.0) {
    b = 1.0 / y;
    a = x * b * b;
  } else if (beta == 0.5) {
    b = 1.0 / std::sqrt(y);
    a = x * b / y;
  } else if (beta == 1.5) {
    b = std::sqrt(y);
    a = x / b;
  } else if (beta == 2.0) {
    b = y;
    a = x;
  } else if (beta == 3.0) {
    b = y * y;
    a = x * y;
  } else {
    const double p = std::pow(y, beta - 2.0);
    a = x * p;
    b = p * y;
  }
}

// f_k <- f_k (num_k / (den_k + l1 + l2 f_k))^gamma for k >= fixed.
inline void mu_apply(int r, int fixed, double *f, const double *num, const double *den,
                     const Penalty &pen, double gamma) {
  for (int k = fixed; k < r; ++k) {
    const double d = den[k] + pen.l1 + pen.l2 * f[k];
    if (!(d > 0.0)) continue;  // a dead component: nothing moves it
    const double ratio = num[k] / d;
    f[k] *= gamma == 1.0 ? ratio : (gamma == 0.5 ? std::sqrt(ratio) : std::pow(ratio, gamma));
  }
}

}  // namespace detail

// Updates every line of F (r x N) by one multiplicative step; G (r x P) is
// the partner factor. by_col = true: F = H, G = W^T, lines are columns of X.
// Returns sum_ij d_beta(X_ij | (WH)_ij) at the factors before the step (for
// beta = 2 from the Gram-matrix form, with xx = ||X||^2).
template <class Mat>
double mu_update(const Mat &X, arma::mat &F, const arma::mat &G, bool by_col,
                 double beta, const Penalty &pen, int fixed, double y_floor,
                 double xx, int threads) {
  const int r = static_cast<int>(F.n_rows);
  const std::ptrdiff_t N = F.n_cols;
  const double gamma = mu_gamma(beta);
  std::vector<double> per_line(N, 0.0);
  if (beta == 2.0) {
    arma::mat C, gg;  // C = G X_l for every line (r x N), gg = G G^T
    if (by_col) cross_w(X, G, C, threads);
    else cross_h(X, G, C, threads);
    gram(G, gg);
    arma::mat ff;
    gram(F, ff);
    const double before = std::max(0.0, 0.5 * (xx - 2.0 * frob_dot(C, F) + frob_dot(gg, ff)));
#pragma omp parallel num_threads(threads)
    {
      std::vector<double> den(r);
#pragma omp for schedule(static)
      for (std::ptrdiff_t l = 0; l < N; ++l) {
        double *f = F.colptr(l);
        std::fill(den.begin(), den.end(), 0.0);
        for (int k = 0; k < r; ++k)
          if (f[k] != 0.0) axpy(r, f[k], gg.colptr(k), den.data());
        detail::mu_apply(r, fixed, f, C.colptr(l), den.data(), pen, gamma);
      }
    }
    return before;
  }
  const arma::vec gsum = arma::sum(G, 1);  // sum over partners, for beta = 1
#pragma omp parallel num_threads(threads)
  {
    std::vector<double> num(r), den(r), line;
    Entries e;
#pragma omp for schedule(dynamic, 16)
    for (std::ptrdiff_t l = 0; l < N; ++l) {
      double *f = F.colptr(l);
      std::fill(num.begin(), num.end(), 0.0);
      double loss = 0.0;
      if (beta == 1.0) {
        // KL: zeros contribute y to the divergence and 1 to the denominator.
        if (by_col) gather_col(X, l, e);
        else gather_row(X, l, e);
        for (std::size_t t = 0; t < e.size(); ++t) {
          const double *g = G.colptr(e.idx[t]);
          const double y = std::max(dot(r, f, g), y_floor), x = e.val[t];
          loss += x * std::log(x / y) - x;
          axpy(r, x / y, g, num.data());
        }
        loss += dot(r, f, gsum.memptr());
        std::copy(gsum.begin(), gsum.end(), den.begin());
      } else {
        std::fill(den.begin(), den.end(), 0.0);
        if (by_col) dense_col(X, l, line);
        else dense_row(X, l, line);
        const std::ptrdiff_t P = static_cast<std::ptrdiff_t>(line.size());
        for (std::ptrdiff_t p = 0; p < P; ++p) {
          const double *g = G.colptr(p);
          const double y = std::max(dot(r, f, g), y_floor), x = line[p];
          double a, b;
          detail::mu_terms(x, y, beta, a, b);
          loss += beta_div(x, y, beta);
          if (a != 0.0) axpy(r, a, g, num.data());
          axpy(r, b, g, den.data());
        }
      }
      per_line[l] = loss;
      detail::mu_apply(r, fixed, f, num.data(), den.data(), pen, gamma);
    }
  }
  return detail::ordered_sum(per_line);
}

}  // namespace betanmf

namespace betanmf {

// Runs the multiplicative updates from Wt = W^T (r x m) and H (r x n). The
// objective of iteration t is known during iteration t + 1 (it comes out of
// the first pass), so the history lags one pass behind the factors; the
// driver adds the final value.
template <class Mat>
void solve_mu(const Mat &X, arma::mat &Wt, arma::mat &H, const Config &cfg, Monitor &mon,
              Result &res) {
  IterationLog log(cfg, mon, res);
  const double xx = cfg.beta == 2.0 ? sum_squares(X) : 0.0;
  const double y_floor = 1e-12 * mean_value(X);
  for (int it = 1; it <= cfg.max_iter; ++it) {
    const double pen = penalty_value(Wt, cfg.pen_w) + penalty_value(H, cfg.pen_h);
    double before = arma::datum::nan;
    if (cfg.update_w)
      before = mu_update(X, Wt, H, false, cfg.beta, cfg.pen_w, cfg.fixed_w, y_floor, xx,
                         cfg.threads);
    if (cfg.update_h) {
      const double v = mu_update(X, H, Wt, true, cfg.beta, cfg.pen_h, cfg.fixed_h,
                                 y_floor, xx, cfg.threads);
      if (!cfg.update_w) before = v;
    }
    res.iterations = it;
    if (it >= 2 && log.record(it - 1, before + pen)) break;
    if (log.interrupted()) break;
  }
}

}  // namespace betanmf
