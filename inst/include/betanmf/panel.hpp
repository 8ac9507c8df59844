// The dense product kernel shared by W^T X and H X^T: four outputs o_q
// (length r) accumulate, over `len` steps s, the vector v_s = v + s * r times
// the scalar x[q * q_off + s * s_step]:
//   o_q = sum_s x(q, s) v_s,   q = 0..3.
// For W^T X the outputs are four columns of the result, s runs over the rows
// of X and v_s over the columns of W^T; for H X^T they are four rows of X
// and s runs over the columns.
//
// The rank is cut into tiles whose accumulators stay in registers; an AVX2 +
// FMA copy runs where the processor has them (dispatch.hpp), and an AVX-512
// copy that holds the whole rank (r <= 24) in registers, masked to r, where
// it has AVX-512. Every copy with fused multiply-adds sums each output
// coordinate in the order of s, so the AVX2 and AVX-512 copies give the same
// bits.
#pragma once

#include "dispatch.hpp"
#include "kernels.hpp"

#include <cstddef>

#ifdef BETANMF_DISPATCH_AVX2
#include <immintrin.h>
#endif

namespace betanmf {
namespace panel {

// T: the type of the data's values (double, or float read as double).
template <class T> struct Args {
  const double *v;    // v_0; v_s = v + s * r (already offset to the tile)
  int r;              // stride between successive v_s
  const T *x;         // x(0, 0)
  std::ptrdiff_t q_off, s_step, len;
  double *o[4];       // outputs (already offset to the tile)
  // read x this many steps ahead into the cache (0: never), where the
  // steps are far apart in memory and the processor would not guess them
  std::ptrdiff_t prefetch = 0;
};

// One tile of KT consecutive coordinates of the rank.
template <int KT, class T> BETANMF_ALWAYS_INLINE void tile(const Args<T> &a, int k0) {
  double acc0[KT] = {}, acc1[KT] = {}, acc2[KT] = {}, acc3[KT] = {};
  const T *x = a.x;
  for (std::ptrdiff_t s = 0; s < a.len; ++s, x += a.s_step) {
    if (a.prefetch) __builtin_prefetch(x + a.prefetch * a.s_step);
    const double *v = a.v + s * a.r + k0;
    const double b0 = x[0], b1 = x[a.q_off], b2 = x[2 * a.q_off], b3 = x[3 * a.q_off];
#pragma omp simd
    for (int k = 0; k < KT; ++k) {
      const double vk = v[k];
      acc0[k] += b0 * vk;
      acc1[k] += b1 * vk;
      acc2[k] += b2 * vk;
      acc3[k] += b3 * vk;
    }
  }
  for (int k = 0; k < KT; ++k) {
    a.o[0][k0 + k] = acc0[k];
    a.o[1][k0 + k] = acc1[k];
    a.o[2][k0 + k] = acc2[k];
    a.o[3][k0 + k] = acc3[k];
  }
}

// Tiles of BIG coordinates first, then of 4, then single ones. SSE2 has 16
// registers (BIG = 4 keeps the 4 x 4 accumulators in them); AVX2 has 16
// registers of twice the width (BIG = 12: 12 accumulators of 4 doubles,
// enough independent chains to hide the latency of FMA; measured 12% faster
// than tiles of 4 at rank 20).
template <int BIG, class T> BETANMF_ALWAYS_INLINE void run_tiles(const Args<T> &a) {
  int k0 = 0;
  for (; k0 + BIG <= a.r; k0 += BIG) tile<BIG>(a, k0);
  for (; k0 + 4 <= a.r; k0 += 4) tile<4>(a, k0);
  for (; k0 < a.r; ++k0) tile<1>(a, k0);
}

template <class T> void run_base(const Args<T> &a) { run_tiles<4>(a); }
template <class T> BETANMF_TARGET_AVX2 void run_avx2(const Args<T> &a) { run_tiles<12>(a); }

#ifdef BETANMF_DISPATCH_AVX2
// The whole rank in NV registers of eight doubles per output, the last one
// masked to r (r <= 8 NV): one pass over x instead of one per tile.
template <int NV, class T> BETANMF_TARGET_AVX512 inline void run_regs512(const Args<T> &a) {
  const int r = a.r;
  const __mmask8 last = static_cast<__mmask8>((1u << (r - 8 * (NV - 1))) - 1u);
  __m512d acc[4][NV];
  for (int q = 0; q < 4; ++q)
    for (int t = 0; t < NV; ++t) acc[q][t] = _mm512_setzero_pd();
  const T *x = a.x;
  for (std::ptrdiff_t s = 0; s < a.len; ++s, x += a.s_step) {
    if (a.prefetch) __builtin_prefetch(x + a.prefetch * a.s_step);
    const double *v = a.v + s * r;
    __m512d vv[NV];
    for (int t = 0; t < NV - 1; ++t) vv[t] = _mm512_loadu_pd(v + 8 * t);
    vv[NV - 1] = _mm512_maskz_loadu_pd(last, v + 8 * (NV - 1));
    for (int q = 0; q < 4; ++q) {
      const __m512d b = _mm512_set1_pd(static_cast<double>(x[q * a.q_off]));
      for (int t = 0; t < NV; ++t) acc[q][t] = _mm512_fmadd_pd(b, vv[t], acc[q][t]);
    }
  }
  for (int q = 0; q < 4; ++q) {
    for (int t = 0; t < NV - 1; ++t) _mm512_storeu_pd(a.o[q] + 8 * t, acc[q][t]);
    _mm512_mask_storeu_pd(a.o[q] + 8 * (NV - 1), last, acc[q][NV - 1]);
  }
}

template <class T> BETANMF_TARGET_AVX512 void run_avx512(const Args<T> &a) {
  switch ((a.r + 7) / 8) {
  case 1: run_regs512<1>(a); break;
  case 2: run_regs512<2>(a); break;
  case 3: run_regs512<3>(a); break;
  default: run_tiles<12>(a);
  }
}
#else
template <class T> void run_avx512(const Args<T> &a) { run_base(a); }
#endif

// Computes the four outputs of `a` with the best kernel of this processor.
template <class T> void run(const Args<T> &a) {
  isa_choice(&run_base<T>, &run_avx2<T>, &run_avx512<T>)(a);
}

// A single output, for the lines left over by groups of four:
//   o = sum_s x[s * s_step] v_s,
// in the same order and with the same instructions as the four-output kernel
// (so the copy for the processor gives the same bits for every line).
template <class T>
BETANMF_ALWAYS_INLINE void one_body(const double *v, int r, const T *x, std::ptrdiff_t s_step,
                                    std::ptrdiff_t len, double *o) {
  for (int k = 0; k < r; ++k) o[k] = 0.0;
  for (std::ptrdiff_t s = 0; s < len; ++s)
    axpy(r, static_cast<double>(x[s * s_step]), v + s * r, o);
}
template <class T>
void one_base(const double *v, int r, const T *x, std::ptrdiff_t s_step, std::ptrdiff_t len,
              double *o) {
  one_body(v, r, x, s_step, len, o);
}
template <class T>
BETANMF_TARGET_AVX2 void one_avx2(const double *v, int r, const T *x, std::ptrdiff_t s_step,
                                  std::ptrdiff_t len, double *o) {
  one_body(v, r, x, s_step, len, o);
}
template <class T>
void one(const double *v, int r, const T *x, std::ptrdiff_t s_step, std::ptrdiff_t len,
         double *o) {
  isa_choice(&one_base<T>, &one_avx2<T>)(v, r, x, s_step, len, o);
}

}  // namespace panel
}  // namespace betanmf
