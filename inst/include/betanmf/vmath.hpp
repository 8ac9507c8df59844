// Element-wise math for the vectorized loops of the multiplicative updates.
//
// vlog(x): the natural logarithm of a positive, finite double, written
// with arithmetic and bit operations only, so that a `#pragma omp simd` loop
// calling it compiles to vector instructions (std::log is an opaque call).
// Method: x = 2^k z with z in [sqrt(1/2), sqrt(2)), read off the bits; then
//   log z = 2 atanh(s) = 2 (s + s^3/3 + s^5/5 + ...),   s = (z - 1) / (z + 1),
// |s| <= 0.1716, so s^2 <= 0.0295 and the terms up to s^19 / 19 leave a
// relative truncation error below 3e-17; finally
//   log x = k ln2_hi + (log z + k ln2_lo)
// with ln2_hi holding the leading 33 bits of ln 2 (k ln2_hi is exact).
// The error is a few units in the last place (tests/cpp/test_vmath.cpp).
// A subnormal x is first multiplied by 2^54 (exactly) and k lowered by 54,
// by a bit mask, so the loop keeps no branch (a caller must not choose the
// argument or the result by a condition either: GCC then branches around
// the call; mask the result with keep_if()).
//
// sqrt_array(in, out, n): out = sqrt(in) element-wise. std::sqrt may set
// errno, so compilers keep it scalar inside loops; on x86-64 this uses the
// vector square root instruction directly (correctly rounded, like
// std::sqrt), two doubles at a time, or four in the AVX2 copy.
#pragma once

#include "dispatch.hpp"

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>

#if defined(__GNUC__) && defined(__x86_64__)
#include <immintrin.h>
#define BETANMF_X86_SIMD 1
#endif

namespace betanmf {

// Natural logarithm of x > 0 (finite, normal or subnormal); see the top of the file.
[[nodiscard]] BETANMF_ALWAYS_INLINE double vlog(double x) {
  constexpr std::uint64_t sqrt_half = 0x3fe6a09e667f3bcdULL; // bits of sqrt(1/2)
  constexpr std::uint64_t bias = std::uint64_t{1024} << 52;
  // A subnormal x is read as x 2^54 (exact). Both are formed and the bits
  // merged by a mask: a product used under a condition alone is moved under
  // a branch by GCC (it could raise a floating-point exception), which
  // keeps the loop scalar.
  std::uint64_t ix, is;
  const double scaled = x * 0x1.0p54;
  std::memcpy(&ix, &x, sizeof ix);
  std::memcpy(&is, &scaled, sizeof is);
  const bool subnormal = ix < (std::uint64_t{1} << 52);
  const std::uint64_t pick = std::uint64_t{0} - static_cast<std::uint64_t>(subnormal);
  ix = (ix & ~pick) | (is & pick);
  const double k_shift = subnormal ? 54.0 : 0.0;
  // top 12 bits of t: k + 1024, where x = 2^k z and z in [sqrt(1/2), sqrt(2))
  const std::uint64_t top = (ix - sqrt_half + bias) >> 52;
  const std::uint64_t iz = ix - (top << 52) + bias; // exponent of x minus k
  double z, kd;
  std::memcpy(&z, &iz, sizeof z);
  // k as a double without an integer conversion: 2^52 + top, exactly, minus 2^52 + 1024
  const std::uint64_t ik = 0x4330000000000000ULL | top;
  std::memcpy(&kd, &ik, sizeof kd);
  kd -= 4503599627371520.0; // 2^52 + 1024
  kd -= k_shift;
  const double f = z - 1.0; // exact (Sterbenz)
  const double s = f / (2.0 + f), s2 = s * s;
  double p = 1.0 / 19;
  p = p * s2 + 1.0 / 17;
  p = p * s2 + 1.0 / 15;
  p = p * s2 + 1.0 / 13;
  p = p * s2 + 1.0 / 11;
  p = p * s2 + 1.0 / 9;
  p = p * s2 + 1.0 / 7;
  p = p * s2 + 1.0 / 5;
  p = p * s2 + 1.0 / 3;
  const double two_s = s + s;
  const double log_z = two_s + two_s * (s2 * p);
  constexpr double ln2_hi = 6.93147180369123816490e-01; // 0x3fe62e42fee00000
  constexpr double ln2_lo = 1.90821492927058770002e-10; // ln 2 - ln2_hi
  return kd * ln2_hi + (log_z + kd * ln2_lo);
}

// v if on, else +0.0 (also when v is not finite), by a bit mask: a select
// `on ? v : 0.0` lets the compiler compute v under a branch, which keeps the
// loop scalar.
[[nodiscard]] BETANMF_ALWAYS_INLINE double keep_if(bool on, double v) {
  std::uint64_t u;
  std::memcpy(&u, &v, sizeof u);
  u &= std::uint64_t{0} - static_cast<std::uint64_t>(on);
  std::memcpy(&v, &u, sizeof v);
  return v;
}

namespace detail {

// out[0..n) = sqrt(in[0..n)), in >= 0; in and out may be the same array.
BETANMF_ALWAYS_INLINE void sqrt_array_base(const double *in, double *out, std::size_t n) {
  std::size_t i = 0;
#ifdef BETANMF_X86_SIMD
  for (; i + 2 <= n; i += 2)
    _mm_storeu_pd(out + i, _mm_sqrt_pd(_mm_loadu_pd(in + i)));
#endif
  for (; i < n; ++i)
    out[i] = std::sqrt(in[i]);
}

#ifdef BETANMF_DISPATCH_AVX2
BETANMF_TARGET_AVX2 inline void sqrt_array_avx2(const double *in, double *out,
                                                std::size_t n) {
  std::size_t i = 0;
  for (; i + 4 <= n; i += 4)
    _mm256_storeu_pd(out + i, _mm256_sqrt_pd(_mm256_loadu_pd(in + i)));
  for (; i < n; ++i)
    out[i] = std::sqrt(in[i]);
}
#endif

} // namespace detail

// sqrt_array for the instruction set of the caller: Wide = true only inside
// an AVX2 copy (dispatch.hpp).
template <bool Wide>
BETANMF_ALWAYS_INLINE void sqrt_array(const double *in, double *out, std::size_t n) {
#ifdef BETANMF_DISPATCH_AVX2
  if constexpr (Wide) {
    detail::sqrt_array_avx2(in, out, n);
    return;
  }
#endif
  detail::sqrt_array_base(in, out, n);
}

} // namespace betanmf
