// Run-time choice of instruction set for the hot loops. R builds packages
// for the baseline x86-64 instruction set (SSE2), where a loop over the rank
// runs two doubles at a time. On x86-64 with GCC or Clang, a hot function is
// compiled twice, once as is and once for AVX2 + FMA (four doubles at a time,
// fused multiply-adds), and the second copy runs when the processor has
// those instructions. The same machine always runs the same copy, so results
// do not depend on the thread count; they can differ in the last bits
// between processors with and without AVX2. Define BETANMF_NO_DISPATCH to
// build the baseline copy only.
//
// Usage, one naming scheme everywhere: write the body once as a
// BETANMF_ALWAYS_INLINE function `name_body`, then two thin copies
// `name_base` (plain) and `name_avx2` (marked BETANMF_TARGET_AVX2), and call
// the one isa_choice(name_base, name_avx2) returns. The small kernels of
// kernels.hpp are always inlined, so they take the instruction set of the
// copy they are inlined into. Without dispatch, BETANMF_TARGET_AVX2 is
// empty, the two copies are the same code and the plain one is chosen.
#pragma once

#if defined(__GNUC__) && defined(__x86_64__) && !defined(BETANMF_NO_DISPATCH)
#define BETANMF_DISPATCH_AVX2 1
#define BETANMF_TARGET_AVX2 __attribute__((target("avx2,fma")))
// A few kernels whose sums run in the same order in every copy (so that the
// copies give the same bits) also have an AVX-512 copy (avx512_choice()).
#define BETANMF_TARGET_AVX512 __attribute__((target("avx512f,avx2,fma")))
// Integer kernels with 64-bit multiplies (the hold-out generator) also run
// on AVX-512DQ, which multiplies 64-bit lanes natively; integer results are
// the same bits in every copy.
#define BETANMF_TARGET_AVX512DQ \
  __attribute__((target("avx512f,avx512dq,avx2,fma,prefer-vector-width=512")))
#else
#define BETANMF_TARGET_AVX2
#define BETANMF_TARGET_AVX512
#define BETANMF_TARGET_AVX512DQ
#endif

#if defined(__GNUC__)
#define BETANMF_ALWAYS_INLINE __attribute__((always_inline)) inline
#else
#define BETANMF_ALWAYS_INLINE inline
#endif

namespace betanmf {

// Whether the AVX2 + FMA copies may run on this processor (checked once).
inline bool has_avx2() {
#ifdef BETANMF_DISPATCH_AVX2
  static const bool yes = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
  return yes;
#else
  return false;
#endif
}

// Whether the AVX-512 (foundation) copies may run on this processor.
inline bool has_avx512() {
#ifdef BETANMF_DISPATCH_AVX2
  static const bool yes = has_avx2() && __builtin_cpu_supports("avx512f");
  return yes;
#else
  return false;
#endif
}

// Whether the AVX-512DQ copies may run on this processor.
inline bool has_avx512dq() {
#ifdef BETANMF_DISPATCH_AVX2
  static const bool yes = has_avx512() && __builtin_cpu_supports("avx512dq");
  return yes;
#else
  return false;
#endif
}

// The AVX2 copy of a function (or function pointer, or member function
// pointer) where the processor has AVX2 + FMA, else the plain copy.
template <class F> [[nodiscard]] F isa_choice(F base, F avx2) {
  return has_avx2() ? avx2 : base;
}

// The same with an AVX-512 copy, for kernels whose copies give the same bits.
template <class F> [[nodiscard]] F isa_choice(F base, F avx2, F avx512) {
  return has_avx512() ? avx512 : isa_choice(base, avx2);
}

}  // namespace betanmf
