// The sparse product kernel shared by W^T X and H X^T for a sparse X: two
// outputs o_a, o_b (length r) each gather the columns of V (r x N) listed
// by a line of X:
//   o_q = sum_t val_q[t] V.col(idx_q[t]),   t = 0 .. len_q - 1,  q = a, b,
// summed in the order of t, the order of the dense kernel (panel.hpp) with
// its zeros left out, so that sparse and dense data give the same bits.
//
// A sum of this kind is a chain: each term waits for the one before.
// Following the two lines in step keeps two chains in flight, and the AVX2
// copy holds both outputs in registers (for r <= 24; the AVX-512 copy for
// r <= 64) instead of storing and reloading them at every term; the sums run
// in the same order with fused multiply-adds in both, so they give the same
// bits. Without AVX2 the outputs are updated in memory, one line at a time.
#pragma once

#include "dispatch.hpp"
#include "kernels.hpp"

#include <algorithm>
#include <cstddef>

#ifdef BETANMF_DISPATCH_AVX2
#include <immintrin.h>
#endif

namespace betanmf {
namespace sparse_panel {

// One line of X: the positions and values (double, or float read as
// double) of its non-zeros.
template <class T> struct LineOf {
  const int *idx;
  const T *val;
  std::size_t len;
  double *o;  // output, length r
};
using Line = LineOf<double>;

// o = sum_t val[t] V.col(idx[t]), in memory, in the order of t.
template <class T> BETANMF_ALWAYS_INLINE void line_body(const double *V, int r, const LineOf<T> &l) {
  std::fill_n(l.o, r, 0.0);
  for (std::size_t t = 0; t < l.len; ++t)
    axpy(r, static_cast<double>(l.val[t]), V + static_cast<std::ptrdiff_t>(l.idx[t]) * r, l.o);
}

// Line b may be absent (o == nullptr), for an odd number of lines.
template <class T> void pair_base(const double *V, int r, const LineOf<T> &a, const LineOf<T> &b) {
  line_body(V, r, a);
  if (b.o) line_body(V, r, b);
}

#ifdef BETANMF_DISPATCH_AVX2
// Register v of the r values at p: four of them, or the masked rest for the last.
template <int NV>
BETANMF_TARGET_AVX2 BETANMF_ALWAYS_INLINE __m256d load_part(const double *p, int v,
                                                            __m256i mask) {
  return v == NV - 1 ? _mm256_maskload_pd(p + 4 * v, mask) : _mm256_loadu_pd(p + 4 * v);
}

// Both outputs in NV registers of four doubles each (the last one masked
// to r), for r <= 4 NV.
template <int NV, class T>
BETANMF_TARGET_AVX2 inline void pair_regs(const double *V, int r, const LineOf<T> &a,
                                          const LineOf<T> &b) {
  const int last = r - 4 * (NV - 1);  // 1..4 entries in the last register
  const __m256i mask = _mm256_setr_epi64x(last > 0 ? -1 : 0, last > 1 ? -1 : 0,
                                          last > 2 ? -1 : 0, last > 3 ? -1 : 0);
  __m256d acc_a[NV], acc_b[NV];
  for (int v = 0; v < NV; ++v) acc_a[v] = acc_b[v] = _mm256_setzero_pd();
  const std::size_t common = std::min(a.len, b.len);
  std::size_t t = 0;
  for (; t < common; ++t) {
    const double *va = V + static_cast<std::ptrdiff_t>(a.idx[t]) * r;
    const double *vb = V + static_cast<std::ptrdiff_t>(b.idx[t]) * r;
    const __m256d xa = _mm256_set1_pd(static_cast<double>(a.val[t])), xb = _mm256_set1_pd(static_cast<double>(b.val[t]));
    for (int v = 0; v < NV; ++v) {
      acc_a[v] = _mm256_fmadd_pd(xa, load_part<NV>(va, v, mask), acc_a[v]);
      acc_b[v] = _mm256_fmadd_pd(xb, load_part<NV>(vb, v, mask), acc_b[v]);
    }
  }
  for (std::size_t s = t; s < a.len; ++s) {
    const double *va = V + static_cast<std::ptrdiff_t>(a.idx[s]) * r;
    const __m256d xa = _mm256_set1_pd(static_cast<double>(a.val[s]));
    for (int v = 0; v < NV; ++v) acc_a[v] = _mm256_fmadd_pd(xa, load_part<NV>(va, v, mask), acc_a[v]);
  }
  for (std::size_t s = t; s < b.len; ++s) {
    const double *vb = V + static_cast<std::ptrdiff_t>(b.idx[s]) * r;
    const __m256d xb = _mm256_set1_pd(static_cast<double>(b.val[s]));
    for (int v = 0; v < NV; ++v) acc_b[v] = _mm256_fmadd_pd(xb, load_part<NV>(vb, v, mask), acc_b[v]);
  }
  for (int v = 0; v < NV - 1; ++v) _mm256_storeu_pd(a.o + 4 * v, acc_a[v]);
  _mm256_maskstore_pd(a.o + 4 * (NV - 1), mask, acc_a[NV - 1]);
  if (!b.o) return;
  for (int v = 0; v < NV - 1; ++v) _mm256_storeu_pd(b.o + 4 * v, acc_b[v]);
  _mm256_maskstore_pd(b.o + 4 * (NV - 1), mask, acc_b[NV - 1]);
}

// The AVX-512 copy: both outputs in NV registers of eight doubles (r <= 8 NV),
// and the columns of the terms eight ahead fetched early (they are scattered).
template <int NV, class T>
BETANMF_TARGET_AVX512 inline void pair_regs512(const double *V, int r, const LineOf<T> &a,
                                               const LineOf<T> &b) {
  const __mmask8 last = static_cast<__mmask8>((1u << (r - 8 * (NV - 1))) - 1u);
  __m512d acc_a[NV], acc_b[NV];
  for (int v = 0; v < NV; ++v) acc_a[v] = acc_b[v] = _mm512_setzero_pd();
  auto col = [V, r](const LineOf<T> &l, std::size_t t) {
    return V + static_cast<std::ptrdiff_t>(l.idx[t]) * r;
  };
  const std::size_t common = std::min(a.len, b.len);
  std::size_t t = 0;
  for (; t < common; ++t) {
    if (t + 8 < common) {
      __builtin_prefetch(col(a, t + 8));
      __builtin_prefetch(col(b, t + 8));
    }
    const double *va = col(a, t), *vb = col(b, t);
    const __m512d xa = _mm512_set1_pd(static_cast<double>(a.val[t])), xb = _mm512_set1_pd(static_cast<double>(b.val[t]));
    for (int v = 0; v < NV - 1; ++v) {
      acc_a[v] = _mm512_fmadd_pd(xa, _mm512_loadu_pd(va + 8 * v), acc_a[v]);
      acc_b[v] = _mm512_fmadd_pd(xb, _mm512_loadu_pd(vb + 8 * v), acc_b[v]);
    }
    acc_a[NV - 1] =
        _mm512_fmadd_pd(xa, _mm512_maskz_loadu_pd(last, va + 8 * (NV - 1)), acc_a[NV - 1]);
    acc_b[NV - 1] =
        _mm512_fmadd_pd(xb, _mm512_maskz_loadu_pd(last, vb + 8 * (NV - 1)), acc_b[NV - 1]);
  }
  for (std::size_t s = t; s < a.len; ++s) {
    const double *va = col(a, s);
    const __m512d xa = _mm512_set1_pd(static_cast<double>(a.val[s]));
    for (int v = 0; v < NV - 1; ++v)
      acc_a[v] = _mm512_fmadd_pd(xa, _mm512_loadu_pd(va + 8 * v), acc_a[v]);
    acc_a[NV - 1] =
        _mm512_fmadd_pd(xa, _mm512_maskz_loadu_pd(last, va + 8 * (NV - 1)), acc_a[NV - 1]);
  }
  for (std::size_t s = t; s < b.len; ++s) {
    const double *vb = col(b, s);
    const __m512d xb = _mm512_set1_pd(static_cast<double>(b.val[s]));
    for (int v = 0; v < NV - 1; ++v)
      acc_b[v] = _mm512_fmadd_pd(xb, _mm512_loadu_pd(vb + 8 * v), acc_b[v]);
    acc_b[NV - 1] =
        _mm512_fmadd_pd(xb, _mm512_maskz_loadu_pd(last, vb + 8 * (NV - 1)), acc_b[NV - 1]);
  }
  for (int v = 0; v < NV - 1; ++v) _mm512_storeu_pd(a.o + 8 * v, acc_a[v]);
  _mm512_mask_storeu_pd(a.o + 8 * (NV - 1), last, acc_a[NV - 1]);
  if (!b.o) return;
  for (int v = 0; v < NV - 1; ++v) _mm512_storeu_pd(b.o + 8 * v, acc_b[v]);
  _mm512_mask_storeu_pd(b.o + 8 * (NV - 1), last, acc_b[NV - 1]);
}

template <class T>
BETANMF_TARGET_AVX2 void pair_avx2(const double *V, int r, const LineOf<T> &a,
                                   const LineOf<T> &b);

template <class T> BETANMF_TARGET_AVX512 void pair_avx512(const double *V, int r, const LineOf<T> &a,
                                              const LineOf<T> &b) {
  switch ((r + 7) / 8) {
  case 1: pair_regs512<1>(V, r, a, b); break;
  case 2: pair_regs512<2>(V, r, a, b); break;
  case 3: pair_regs512<3>(V, r, a, b); break;
  case 4: pair_regs512<4>(V, r, a, b); break;
  case 5: pair_regs512<5>(V, r, a, b); break;
  case 6: pair_regs512<6>(V, r, a, b); break;
  case 7: pair_regs512<7>(V, r, a, b); break;
  case 8: pair_regs512<8>(V, r, a, b); break;
  default: pair_avx2(V, r, a, b);
  }
}

template <class T>
BETANMF_TARGET_AVX2 void pair_avx2(const double *V, int r, const LineOf<T> &a,
                                   const LineOf<T> &b) {
  switch ((r + 3) / 4) {
  case 1: pair_regs<1>(V, r, a, b); break;
  case 2: pair_regs<2>(V, r, a, b); break;
  case 3: pair_regs<3>(V, r, a, b); break;
  case 4: pair_regs<4>(V, r, a, b); break;
  case 5: pair_regs<5>(V, r, a, b); break;
  case 6: pair_regs<6>(V, r, a, b); break;
  default:  // the outputs in memory, with fused multiply-adds like the rest
    line_body(V, r, a);
    if (b.o) line_body(V, r, b);
  }
}
#else
template <class T> void pair_avx2(const double *V, int r, const LineOf<T> &a, const LineOf<T> &b) {
  pair_base(V, r, a, b);
}
template <class T> void pair_avx512(const double *V, int r, const LineOf<T> &a, const LineOf<T> &b) {
  pair_base(V, r, a, b);
}
#endif

// Computes the outputs of lines a and b (b may be absent: o == nullptr)
// with the best kernel of this processor.
template <class T> void pair(const double *V, int r, const LineOf<T> &a, const LineOf<T> &b) {
  isa_choice(&pair_base<T>, &pair_avx2<T>, &pair_avx512<T>)(V, r, a, b);
}

}  // namespace sparse_panel
}  // namespace betanmf
