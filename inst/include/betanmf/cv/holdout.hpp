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
#pragma once

#include "../rng.hpp"

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

[[nodiscard]] inline Pattern holdout_speckled(std::size_t m, std::size_t n, double fraction,
                                              std::uint64_t seed, int replicate) {
  Pattern p;
  p.col_ptr.assign(n + 1, 0);
  const std::uint64_t stream = detail::cv_stream(replicate, 0);
  for (std::size_t j = 0; j < n; ++j) {
    for (std::size_t i = 0; i < m; ++i)
      if (random_uniform(seed, stream, j * m + i) < fraction)
        p.row_idx.push_back(static_cast<int>(i));
    p.col_ptr[j + 1] = static_cast<int>(p.row_idx.size());
  }
  return p;
}

[[nodiscard]] inline Pattern holdout_blocks(std::size_t m, std::size_t n, double fraction,
                                            std::uint64_t seed, int replicate) {
  const std::uint64_t stream = detail::cv_stream(replicate, 1);
  const std::size_t len =
      std::min<std::size_t>(n, std::max<std::size_t>(1, std::llround(2.0 * fraction * n)));
  std::vector<std::size_t> start(m, n);  // n: the row keeps everything
  for (std::size_t i = 0; i < m; ++i) {
    if (random_uniform(seed, stream, 2 * i) >= 0.5) continue;
    const auto first = static_cast<std::size_t>(random_uniform(seed, stream, 2 * i + 1) *
                                                static_cast<double>(n - len + 1));
    start[i] = std::min(first, n - len);
  }
  Pattern p;
  p.col_ptr.assign(n + 1, 0);
  for (std::size_t j = 0; j < n; ++j) {
    for (std::size_t i = 0; i < m; ++i)
      if (start[i] <= j && j < start[i] + len) p.row_idx.push_back(static_cast<int>(i));
    p.col_ptr[j + 1] = static_cast<int>(p.row_idx.size());
  }
  return p;
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
