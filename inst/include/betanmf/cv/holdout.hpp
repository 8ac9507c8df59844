// Held-out patterns for cross-validation. Every decision is a pure function
// of (seed, replicate, position) through the counter-based generator, so a
// pattern does not depend on the thread count or on the order of the fits,
// and every rank of one replicate is tested on the same held-out data.
//   speckled: entry (i, j) is held out with probability `fraction`;
//   blocks:   a random half of the rows each lose one contiguous run of
//             round(2 fraction n) columns (time points), so the temporal
//             autocorrelation of a series does not leak across the split;
//   bicross:  a random subset of rows and of columns, each of probability
//             sqrt(fraction), whose crossing block is held out (Owen & Perry
//             2009, Ann Appl Stat 3:564).
// A speckled or blocks pattern is a HeldPattern: a few numbers (and, for
// blocks, one start per row) from which the held positions of any row or
// column are generated where a pass needs them, in O(line length) time and
// no memory beyond the line; weights.hpp uses it so that a pattern of
// 10^8 entries is never stored. Pattern (CSC arrays) is the same pattern
// stored, for small data and for R.
#pragma once

#include "../dispatch.hpp"
#include "../rng.hpp"

#if defined(__GNUC__) && defined(__x86_64__)
#include <immintrin.h>
#endif

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

namespace betanmf {

// Compressed-sparse-column pattern of held-out entries (m x n).
struct Pattern {
  std::vector<int> col_ptr, row_idx;
};

namespace detail {
constexpr std::uint64_t stream_cv = 0x43560000ULL;  // + replicate * 4 + use
inline std::uint64_t cv_stream(int replicate, int use) {
  return stream_cv + static_cast<std::uint64_t>(replicate) * 4 + use;
}
}  // namespace detail

namespace detail {
// flag[p] = 1 where draw first + p step of the stream with key `key` has
// its top 53 bits below `threshold` (rng.hpp), for p < count: the held
// entries of a line, in chunks that the processor copies vectorize.
constexpr std::size_t flag_chunk = 512;
BETANMF_ALWAYS_INLINE void held_flags_body(std::uint64_t key, std::uint64_t first,
                                           std::uint64_t step, std::size_t count,
                                           std::uint64_t threshold, unsigned char *flag) {
#pragma omp simd
  for (std::size_t p = 0; p < count; ++p)
    flag[p] = (mix64(key ^ (first + p * step)) >> 11) < threshold;
}
inline void held_flags_base(std::uint64_t key, std::uint64_t first, std::uint64_t step,
                            std::size_t count, std::uint64_t threshold, unsigned char *flag) {
  held_flags_body(key, first, step, count, threshold, flag);
}
BETANMF_TARGET_AVX2 inline void held_flags_avx2(std::uint64_t key, std::uint64_t first,
                                                std::uint64_t step, std::size_t count,
                                                std::uint64_t threshold, unsigned char *flag) {
  held_flags_body(key, first, step, count, threshold, flag);
}
BETANMF_TARGET_AVX512DQ inline void held_flags_avx512dq(std::uint64_t key, std::uint64_t first,
                                                        std::uint64_t step, std::size_t count,
                                                        std::uint64_t threshold,
                                                        unsigned char *flag) {
  held_flags_body(key, first, step, count, threshold, flag);
}

// Appends offset + p to o (from o[k]) for each p < len with flag[p] set;
// returns the new count. Sixteen flags at a time become a bit mask whose
// set bits are visited, so the nine in ten entries that are not held cost
// next to nothing.
inline std::size_t compact_flags(const unsigned char *flag, std::size_t len, int offset, int *o,
                                 std::size_t k) {
  std::size_t p = 0;
#if defined(__GNUC__) && defined(__x86_64__)
  for (; p + 16 <= len; p += 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i *>(flag + p));
    auto mask = static_cast<unsigned>(_mm_movemask_epi8(_mm_sub_epi8(_mm_setzero_si128(), v)));
    while (mask != 0) {
      o[k++] = offset + static_cast<int>(p) + __builtin_ctz(mask);
      mask &= mask - 1;
    }
  }
#endif
  for (; p < len; ++p) {
    o[k] = offset + static_cast<int>(p);
    k += flag[p];
  }
  return k;
}
}  // namespace detail

// A speckled or blocks pattern of an m x n matrix, generated line by line.
class HeldPattern {
public:
  enum class Kind { speckled, blocks };

  HeldPattern(Kind kind, std::size_t m, std::size_t n, double fraction, std::uint64_t seed,
              int replicate)
      : kind_(kind), m_(m), n_(n), fraction_(fraction), seed_(seed),
        stream_(detail::cv_stream(replicate, kind == Kind::speckled ? 0 : 1)),
        key_(stream_key(seed_, stream_)) {
    if (kind_ == Kind::speckled) {
      // the number of 53-bit draws b whose uniform (b + 0.5) 2^-53 is below
      // fraction: that uniform is non-decreasing in b, so these draws are
      // exactly those below it
      std::uint64_t lo = 0, hi = std::uint64_t(1) << 53;
      while (lo < hi) {
        const std::uint64_t mid = lo + (hi - lo) / 2;
        if ((static_cast<double>(mid) + 0.5) * 0x1.0p-53 < fraction) lo = mid + 1;
        else hi = mid;
      }
      threshold_ = lo;
      return;
    }
    len_ = std::min<std::size_t>(n, std::max<std::size_t>(1, std::llround(2.0 * fraction * n)));
    start_.assign(m, n);  // n: the row keeps everything
    for (std::size_t i = 0; i < m; ++i) {
      if (random_uniform(seed_, stream_, 2 * i) >= 0.5) continue;
      const auto first = static_cast<std::size_t>(random_uniform(seed_, stream_, 2 * i + 1) *
                                                  static_cast<double>(n - len_ + 1));
      start_[i] = std::min(first, n - len_);
    }
    // the rows that lose a run, by the column it starts at
    first_.assign(n + 1, 0);
    for (std::size_t i = 0; i < m; ++i)
      if (start_[i] < n) ++first_[start_[i] + 1];
    for (std::size_t j = 0; j < n; ++j) first_[j + 1] += first_[j];
    by_start_.resize(first_[n]);
    std::vector<std::size_t> next(first_.begin(), first_.end() - 1);
    for (std::size_t i = 0; i < m; ++i)
      if (start_[i] < n) by_start_[next[start_[i]]++] = i;
  }

  [[nodiscard]] std::size_t rows() const { return m_; }
  [[nodiscard]] std::size_t cols() const { return n_; }

  // The held positions along column l (by_col) or row l, ascending, into out.
  void positions(bool by_col, std::size_t l, std::vector<int> &out) const {
    out.clear();
    if (kind_ == Kind::blocks) {
      if (!by_col) {
        if (start_[l] < n_)
          for (std::size_t j = start_[l]; j < start_[l] + len_; ++j)
            out.push_back(static_cast<int>(j));
        return;
      }
      // the rows whose run starts in [l - len + 1, l], marked in a bit set
      // and read back in order: O(held + m / 64), not O(m)
      const std::size_t lo = l + 1 >= len_ ? l + 1 - len_ : 0;
      std::vector<std::uint64_t> bits((m_ + 63) / 64, 0);
      for (std::size_t t = first_[lo]; t < first_[l + 1]; ++t)
        bits[by_start_[t] / 64] |= std::uint64_t(1) << (by_start_[t] % 64);
      for (std::size_t b = 0; b < bits.size(); ++b)
        for (std::uint64_t v = bits[b]; v != 0; v &= v - 1)
          out.push_back(static_cast<int>(64 * b + __builtin_ctzll(v)));
      return;
    }
    // entry (i, j) is held when draw j m + i of the stream is below
    // `fraction`, that is when its top 53 bits are below threshold_ (rng.hpp)
    const std::size_t size = by_col ? m_ : n_;
    const std::uint64_t first = by_col ? l * m_ : l, step = by_col ? 1 : m_;
    static const FlagFn flags = isa_choice(&detail::held_flags_base, &detail::held_flags_avx2,
                                           has_avx512dq() ? &detail::held_flags_avx512dq
                                                          : &detail::held_flags_avx2);
    out.resize(size);
    int *o = out.data();
    std::size_t k = 0;
    unsigned char flag[detail::flag_chunk];
    for (std::size_t p0 = 0; p0 < size; p0 += detail::flag_chunk) {
      const std::size_t len = std::min(detail::flag_chunk, size - p0);
      flags(key_, first + p0 * step, step, len, threshold_, flag);
      k = detail::compact_flags(flag, len, static_cast<int>(p0), o, k);
    }
    out.resize(k);
  }

  // The expected number of held entries (for the size of thread teams).
  [[nodiscard]] double expected() const {
    if (kind_ == Kind::speckled) return fraction_ * double(m_) * double(n_);
    return double(by_start_.size()) * double(len_);  // the rows that lose a run
  }

  // The pattern stored as CSC arrays.
  [[nodiscard]] Pattern stored() const {
    Pattern p;
    p.col_ptr.assign(n_ + 1, 0);
    std::vector<int> col;
    for (std::size_t j = 0; j < n_; ++j) {
      positions(true, j, col);
      p.row_idx.insert(p.row_idx.end(), col.begin(), col.end());
      p.col_ptr[j + 1] = static_cast<int>(p.row_idx.size());
    }
    return p;
  }

private:
  using FlagFn = void (*)(std::uint64_t, std::uint64_t, std::uint64_t, std::size_t,
                          std::uint64_t, unsigned char *);
  Kind kind_;
  std::size_t m_, n_;
  double fraction_;
  std::uint64_t seed_, stream_, key_;
  std::uint64_t threshold_ = 0;  // speckled: draws below it are held
  std::size_t len_ = 0;
  std::vector<std::size_t> start_;  // blocks: the first held column of each row
  std::vector<std::size_t> first_;  // blocks: by_start_ from first_[j] starts at j
  std::vector<std::size_t> by_start_;  // blocks: the rows that lose a run, by start
};

[[nodiscard]] inline Pattern holdout_speckled(std::size_t m, std::size_t n, double fraction,
                                              std::uint64_t seed, int replicate) {
  return HeldPattern(HeldPattern::Kind::speckled, m, n, fraction, seed, replicate).stored();
}

[[nodiscard]] inline Pattern holdout_blocks(std::size_t m, std::size_t n, double fraction,
                                            std::uint64_t seed, int replicate) {
  return HeldPattern(HeldPattern::Kind::blocks, m, n, fraction, seed, replicate).stored();
}

// Held-out rows (or columns): each with probability `prob`, at least one and
// at most size - 1 so both sides of the split are non-empty.
[[nodiscard]] inline std::vector<int> holdout_lines(std::size_t size, double prob,
                                                    std::uint64_t seed, int replicate,
                                                    int use) {
  const std::uint64_t stream = detail::cv_stream(replicate, use);
  std::vector<double> u(size);
  std::vector<int> out;
  for (std::size_t i = 0; i < size; ++i) {
    u[i] = random_uniform(seed, stream, i);
    if (u[i] < prob) out.push_back(static_cast<int>(i));
  }
  if (out.empty()) {
    out.push_back(static_cast<int>(std::min_element(u.begin(), u.end()) - u.begin()));
  } else if (out.size() == size) {
    out.erase(out.begin() + (std::max_element(u.begin(), u.end()) - u.begin()));
  }
  return out;
}

}  // namespace betanmf
