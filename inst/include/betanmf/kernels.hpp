// Small vector kernels over the rank r, written so that GCC vectorizes them at
// -O2 (`omp simd`): the hot loops of every product and update call these
// instead of a BLAS, whose reference implementation is slow. They are always
// inlined, so inside an AVX2 copy of a caller (dispatch.hpp) they run four
// doubles at a time.
#pragma once

#include "dispatch.hpp"

#include <armadillo>
#include <cstddef>

namespace betanmf {

// Threads worth starting for `work` multiply-adds: one below 2^17, where a
// parallel region costs more than it saves (and waiting threads spin,
// which hurts most on a busy machine). Results do not depend on it.
[[nodiscard]] inline int team(int threads, double work) {
  return work < 131072.0 ? 1 : threads;
}

// o[0..r) += a * v[0..r)
BETANMF_ALWAYS_INLINE void axpy(int r, double a, const double *__restrict v, double *__restrict o) {
#pragma omp simd
  for (int k = 0; k < r; ++k) o[k] += a * v[k];
}

// o[0..r) += a0 v0 + a1 v1 + a2 v2 + a3 v3: four updates of o with one load
// and one store of it (a chain of axpys into the same o waits on each store).
BETANMF_ALWAYS_INLINE void axpy_sum4(int r, double a0, const double *__restrict v0, double a1,
                                     const double *__restrict v1, double a2,
                                     const double *__restrict v2, double a3,
                                     const double *__restrict v3, double *__restrict o) {
#pragma omp simd
  for (int k = 0; k < r; ++k) o[k] += (a0 * v0[k] + a1 * v1[k]) + (a2 * v2[k] + a3 * v3[k]);
}

[[nodiscard]] BETANMF_ALWAYS_INLINE double dot(int r, const double *__restrict a,
                                const double *__restrict b) {
  double s = 0.0;
#pragma omp simd reduction(+ : s)
  for (int k = 0; k < r; ++k) s += a[k] * b[k];
  return s;
}

// G (r x r) = A A^T for A (r x N) stored column-major: sum over columns of the
// outer product a a^T. O(N r^2), sequential, so the sum order is fixed.
inline void gram(const arma::mat &A, arma::mat &G) {
  const int r = static_cast<int>(A.n_rows);
  G.zeros(r, r);
  for (arma::uword c = 0; c < A.n_cols; ++c) {
    const double *a = A.colptr(c);
    for (int l = 0; l < r; ++l)
      if (a[l] != 0.0) axpy(r, a[l], a, G.colptr(l));
  }
}

// sum_ij A_ij B_ij for two matrices of the same shape.
[[nodiscard]] inline double frob_dot(const arma::mat &A, const arma::mat &B) {
  const double *a = A.memptr(), *b = B.memptr();
  double s = 0.0;
  const std::size_t len = A.n_elem;
#pragma omp simd reduction(+ : s)
  for (std::size_t t = 0; t < len; ++t) s += a[t] * b[t];
  return s;
}

}  // namespace betanmf
