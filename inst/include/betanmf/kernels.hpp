// Small vector kernels over the rank r, written so that GCC vectorizes them at
// -O2 (`omp simd`): the hot loops of every product and update call these
// instead of a BLAS, whose reference implementation is slow. They are always
// inlined, so inside an AVX2 copy of a caller (dispatch.hpp) they run four
// doubles at a time.
#pragma once

#include "dispatch.hpp"

#include <algorithm>
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

namespace detail {
// G (r x r) += sum over columns c in [c0, c1) of A's outer products a a^T.
BETANMF_ALWAYS_INLINE void gram_part_body(const arma::mat &A, arma::uword c0, arma::uword c1,
                                          double *G) {
  const int r = static_cast<int>(A.n_rows);
  for (arma::uword c = c0; c < c1; ++c) {
    const double *a = A.colptr(c);
    for (int l = 0; l < r; ++l)
      if (a[l] != 0.0) axpy(r, a[l], a, G + l * r);
  }
}
inline void gram_part_base(const arma::mat &A, arma::uword c0, arma::uword c1, double *G) {
  gram_part_body(A, c0, c1, G);
}
BETANMF_TARGET_AVX2 inline void gram_part_avx2(const arma::mat &A, arma::uword c0,
                                               arma::uword c1, double *G) {
  gram_part_body(A, c0, c1, G);
}
}  // namespace detail

// Columns per partial sum of gram(): fixed, so the order of the sums does
// not depend on the thread count; small enough that the 2,000 to 3,000
// columns of a factor make work for more than one thread (2048 left the
// Gram matrix of H on one thread while the other waited).
constexpr arma::uword gram_block = 512;

// G (r x r) = A A^T for A (r x N) stored column-major: sum over columns of the
// outer product a a^T, O(N r^2). Each block of gram_block columns is summed
// in order, in parallel over the blocks, and the blocks' sums are added in
// order, so the result is the same for any thread count.
inline void gram(const arma::mat &A, arma::mat &G, int threads = 1) {
  const int r = static_cast<int>(A.n_rows);
  const arma::uword N = A.n_cols, blocks = (N + gram_block - 1) / gram_block;
  const auto part = isa_choice(&detail::gram_part_base, &detail::gram_part_avx2);
  G.zeros(r, r);
  if (blocks <= 1) {
    part(A, 0, N, G.memptr());
    return;
  }
  arma::mat parts(static_cast<arma::uword>(r) * r, blocks, arma::fill::zeros);
#pragma omp parallel for schedule(static) num_threads(team(threads, double(N) * r * r))
  for (arma::uword b = 0; b < blocks; ++b)
    part(A, b * gram_block, std::min(N, (b + 1) * gram_block), parts.colptr(b));
  for (arma::uword b = 0; b < blocks; ++b) {
    const double *p = parts.colptr(b);
    double *g = G.memptr();
    for (int t = 0; t < r * r; ++t) g[t] += p[t];
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
