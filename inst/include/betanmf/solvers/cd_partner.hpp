// The partner columns of one line for the coordinate descent of cd.hpp:
// given the positions idx (nnz) of the line's non-zeros and the partner
// factor G (r x P), writes them transposed, k-major,
//   gt[k * nnz + t] = G(k, idx[t]),
// so that the step on coordinate k reads one contiguous run, and the model
// at the non-zeros y[t] = G.col(idx[t])^T f (exact: the floor only guards
// the reciprocal) and iy = 1 / max(y, y_floor).
//
// The columns are scattered in memory (one random column per non-zero), so
// this gather waits on memory: the columns of the next eight non-zeros are
// requested while the current eight are transposed, and the AVX2 copy
// transposes four by four in registers instead of one entry at a time. The
// values are copied, so every copy gives the same gt. The model is then
// summed from gt over k in order, for many entries side by side (a dot
// product per entry would end in a horizontal sum through memory and a
// scalar division, which took a fifth of the gather).
#pragma once

#include "../dispatch.hpp"
#include "../kernels.hpp"

#include <algorithm>
#include <armadillo>
#include <cstddef>

#ifdef BETANMF_DISPATCH_AVX2
#include <immintrin.h>
#endif

namespace betanmf {
namespace detail {

struct PartnerArgs {
  const arma::mat *G;
  const int *idx;
  std::size_t nnz;
  const double *f;
  double y_floor;
  double *gt, *y, *iy;
};

// Columns of G at idx[t0 .. t0 + len), and a request for the next eight.
BETANMF_ALWAYS_INLINE void partner_columns(const PartnerArgs &a, std::size_t t0,
                                           std::size_t len, const double **g) {
  const int r = static_cast<int>(a.G->n_rows);
  for (std::size_t u = 0; u < len; ++u) g[u] = a.G->colptr(a.idx[t0 + u]);
  for (std::size_t u = t0 + 8; u < std::min(a.nnz, t0 + 16); ++u) {
    const char *next = reinterpret_cast<const char *>(a.G->colptr(a.idx[u]));
    for (int off = 0; off < r * 8; off += 64) __builtin_prefetch(next + off);
  }
}

// y and iy of the entries [t0, t1) from their partner columns, already in
// gt: y[t] = sum_k f_k gt[k * nnz + t], summed over k in order for every
// entry (so that the step of cd.hpp that sums a model again finds the same
// value), sixteen entries side by side.
BETANMF_ALWAYS_INLINE void partner_model(const PartnerArgs &a, std::size_t t0, std::size_t t1) {
  const int r = static_cast<int>(a.G->n_rows);
  constexpr std::size_t L = 16;
  for (; t0 < t1; t0 += L) {
    const std::size_t len = std::min(L, t1 - t0);
    alignas(64) double acc[L] = {};
    for (int k = 0; k < r; ++k) {
      const double fk = a.f[k];
      const double *g = a.gt + static_cast<std::size_t>(k) * a.nnz + t0;
      if (len == L) {
#pragma omp simd
        for (std::size_t u = 0; u < L; ++u) acc[u] += fk * g[u];
      } else {
        for (std::size_t u = 0; u < len; ++u) acc[u] += fk * g[u];
      }
    }
    for (std::size_t u = 0; u < len; ++u) {
      a.y[t0 + u] = acc[u];
      a.iy[t0 + u] = 1.0 / std::max(acc[u], a.y_floor);
    }
  }
}

inline void partner_base(const PartnerArgs &a) {
  const int r = static_cast<int>(a.G->n_rows);
  for (std::size_t t0 = 0; t0 < a.nnz; t0 += 8) {
    const std::size_t len = std::min<std::size_t>(8, a.nnz - t0);
    const double *g[8];
    partner_columns(a, t0, len, g);
    for (int k = 0; k < r; ++k) {
      double *out = a.gt + k * a.nnz + t0;
      for (std::size_t u = 0; u < len; ++u) out[u] = g[u][k];
    }
  }
  partner_model(a, 0, a.nnz);
}

#ifdef BETANMF_DISPATCH_AVX2
BETANMF_TARGET_AVX2 inline void partner_avx2(const PartnerArgs &a) {
  const int r = static_cast<int>(a.G->n_rows);
  const std::size_t nnz = a.nnz;
  for (std::size_t t0 = 0; t0 < nnz; t0 += 8) {
    const std::size_t len = std::min<std::size_t>(8, nnz - t0);
    const double *g[8];
    partner_columns(a, t0, len, g);
    std::size_t u0 = 0;
    for (; u0 + 4 <= len; u0 += 4) {  // four columns at a time, four coordinates each
      int k = 0;
      for (; k + 4 <= r; k += 4) {
        const __m256d c0 = _mm256_loadu_pd(g[u0] + k), c1 = _mm256_loadu_pd(g[u0 + 1] + k);
        const __m256d c2 = _mm256_loadu_pd(g[u0 + 2] + k), c3 = _mm256_loadu_pd(g[u0 + 3] + k);
        const __m256d l01 = _mm256_unpacklo_pd(c0, c1), h01 = _mm256_unpackhi_pd(c0, c1);
        const __m256d l23 = _mm256_unpacklo_pd(c2, c3), h23 = _mm256_unpackhi_pd(c2, c3);
        double *out = a.gt + static_cast<std::size_t>(k) * nnz + t0 + u0;
        _mm256_storeu_pd(out, _mm256_permute2f128_pd(l01, l23, 0x20));
        _mm256_storeu_pd(out + nnz, _mm256_permute2f128_pd(h01, h23, 0x20));
        _mm256_storeu_pd(out + 2 * nnz, _mm256_permute2f128_pd(l01, l23, 0x31));
        _mm256_storeu_pd(out + 3 * nnz, _mm256_permute2f128_pd(h01, h23, 0x31));
      }
      for (; k < r; ++k) {
        double *out = a.gt + static_cast<std::size_t>(k) * nnz + t0 + u0;
        for (int u = 0; u < 4; ++u) out[u] = g[u0 + u][k];
      }
    }
    for (int k = 0; k < r; ++k) {
      double *out = a.gt + static_cast<std::size_t>(k) * nnz + t0;
      for (std::size_t u = u0; u < len; ++u) out[u] = g[u][k];
    }
  }
  // the model, sixteen entries in four registers at a time (the same sums,
  // in the same order, as partner_model)
  const __m256d lo = _mm256_set1_pd(a.y_floor), one = _mm256_set1_pd(1.0);
  std::size_t t0 = 0;
  for (; t0 + 16 <= nnz; t0 += 16) {
    __m256d s0 = _mm256_setzero_pd(), s1 = s0, s2 = s0, s3 = s0;
    const double *g = a.gt + t0;
    for (int k = 0; k < r; ++k, g += nnz) {
      const __m256d fk = _mm256_broadcast_sd(a.f + k);
      s0 = _mm256_fmadd_pd(fk, _mm256_loadu_pd(g), s0);
      s1 = _mm256_fmadd_pd(fk, _mm256_loadu_pd(g + 4), s1);
      s2 = _mm256_fmadd_pd(fk, _mm256_loadu_pd(g + 8), s2);
      s3 = _mm256_fmadd_pd(fk, _mm256_loadu_pd(g + 12), s3);
    }
    double *y = a.y + t0, *iy = a.iy + t0;
    _mm256_storeu_pd(y, s0);
    _mm256_storeu_pd(y + 4, s1);
    _mm256_storeu_pd(y + 8, s2);
    _mm256_storeu_pd(y + 12, s3);
    _mm256_storeu_pd(iy, _mm256_div_pd(one, _mm256_max_pd(s0, lo)));
    _mm256_storeu_pd(iy + 4, _mm256_div_pd(one, _mm256_max_pd(s1, lo)));
    _mm256_storeu_pd(iy + 8, _mm256_div_pd(one, _mm256_max_pd(s2, lo)));
    _mm256_storeu_pd(iy + 12, _mm256_div_pd(one, _mm256_max_pd(s3, lo)));
  }
  partner_model(a, t0, nnz);
}
#else
inline void partner_avx2(const PartnerArgs &a) { partner_base(a); }
#endif

// Fills gt, y and iy for the line (see the top of the file).
inline void gather_partner(const PartnerArgs &a) { isa_choice(&partner_base, &partner_avx2)(a); }

}  // namespace detail
}  // namespace betanmf
