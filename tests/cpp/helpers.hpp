// Shared test fixtures: compressed-sparse-column copies of dense matrices and
// planted non-negative data.
#pragma once

#include <armadillo>
#include <betanmf/betanmf.hpp>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <vector>

namespace testing {

// The i, p, x slots of a dgCMatrix holding the non-zeros of a dense matrix.
// The SparseMatrix view points into these vectors, so a Csc must outlive it
// and must not be copied after view() was called.
struct Csc {
  std::size_t m = 0, n = 0;
  std::vector<int> p, i;
  std::vector<double> x;

  explicit Csc(const arma::mat &A) : m(A.n_rows), n(A.n_cols) {
    p.push_back(0);
    for (arma::uword c = 0; c < A.n_cols; ++c) {
      for (arma::uword r = 0; r < A.n_rows; ++r) {
        if (A(r, c) != 0.0) {
          i.push_back(static_cast<int>(r));
          x.push_back(A(r, c));
        }
      }
      p.push_back(static_cast<int>(i.size()));
    }
  }
  Csc(const Csc &) = delete;
  Csc &operator=(const Csc &) = delete;

  [[nodiscard]] betanmf::SparseMatrix view() const {
    return betanmf::SparseMatrix(m, n, p.data(), i.data(), x.data());
  }
};

// Relative difference of two matrices in the max norm, scaled by the larger
// entry of b (0 when both are zero).
[[nodiscard]] inline double rel_diff(const arma::mat &a, const arma::mat &b) {
  const double scale = std::max(arma::abs(b).max(), 1e-300);
  return arma::abs(a - b).max() / scale;
}

// The largest increase of a recorded objective between two iterations,
// beyond `rounding` (the rounding of how the solver evaluates it), relative
// to the value before; -Inf for fewer than two values.
[[nodiscard]] inline double worst_increase(const std::vector<double> &loss,
                                           double rounding = 0.0) {
  double worst = -arma::datum::inf;
  for (std::size_t t = 1; t < loss.size(); ++t)
    worst = std::max(worst, (loss[t] - loss[t - 1] - rounding) / loss[t - 1]);
  return worst;
}

// The first iteration (0-based index into the history) whose objective is
// at most `target` times (1 + 1e-9); loss.size() when none is.
[[nodiscard]] inline std::size_t first_reaching(const std::vector<double> &loss,
                                                double target) {
  std::size_t hit = 0;
  while (hit < loss.size() && loss[hit] > target * (1 + 1e-9)) ++hit;
  return hit;
}

// Exact equality of every bit of two matrices of the same shape.
[[nodiscard]] inline bool identical(const arma::mat &a, const arma::mat &b) {
  return a.n_rows == b.n_rows && a.n_cols == b.n_cols &&
         std::equal(a.memptr(), a.memptr() + a.n_elem, b.memptr());
}

// X = W H + noise, clamped at 0: W (m x r) and H (r x n) uniform on (0, 1)
// from Armadillo's generator seeded with `seed`, noise normal with standard
// deviation `noise` times the mean of W H. Entries of W H below `sparsity`
// times its mean are set to zero before the noise, so the data have exact
// zeros when sparsity > 0.
[[nodiscard]] inline arma::mat planted(arma::uword m, arma::uword n, arma::uword r,
                                       double noise, double sparsity, unsigned seed,
                                       arma::mat *W_true = nullptr,
                                       arma::mat *H_true = nullptr) {
  arma::arma_rng::set_seed(seed);
  arma::mat W = arma::randu<arma::mat>(m, r);
  arma::mat H = arma::randu<arma::mat>(r, n);
  arma::mat X = W * H;
  const double mu = arma::mean(arma::vectorise(X));
  X.transform([&](double v) { return v < sparsity * mu ? 0.0 : v; });
  arma::mat E = noise * mu * arma::randn<arma::mat>(m, n);
  E.elem(arma::find(X == 0.0)).zeros();
  X = arma::clamp(X + E, 0.0, arma::datum::inf);
  if (W_true) *W_true = W;
  if (H_true) *H_true = H;
  return X;
}

// Weights from a dense matrix of weights: base 1 with deltas w - 1 (or base
// 0 with the weights themselves as deltas).
struct DenseWeights {
  Csc deltas;
  betanmf::Weights w;
  DenseWeights(const arma::mat &weights, double base)
      : deltas(weights - base),
        w(base, weights.n_rows, weights.n_cols, deltas.p.data(), deltas.i.data(),
          deltas.x.data()) {}
};

}  // namespace testing
