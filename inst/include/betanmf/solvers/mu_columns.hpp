// The element-wise part of the blocked multiplicative updates
// (mu_blocked.hpp, Fevotte & Idier 2011, eq. 4): for one column of a block,
// with x the data (length m), Y the model W H_j, w the observation weights
// and y = max(Y, y_floor) at a positive datum, max(Y, y_floor_zero) at a
// zero (stats.hpp, SolverFloors),
//   A_i = w_i x_i y_i^(beta-2),   B_i = w_i y_i^(beta-1),
// and, when asked, the column's divergence sum_i w_i d_beta(x_i | Y_i).
//
// The loop over the entries has no branch, so it compiles to vector
// instructions: one copy per beta case (0, 1/2, 3/2, 3, any other), with and
// without weights, with and without the divergence, chosen once per block;
// and every copy twice, for the baseline instruction set and for AVX2 + FMA
// (dispatch.hpp). Square roots come from vmath.hpp's sqrt_array, logarithms
// from its vlog.
//
// The divergence reuses b = y^(beta-1) of the update: for beta not in {0, 1},
//   d_beta(x | y) = x^beta / (beta (beta - 1)) + y b / beta - x b / (beta - 1),
// which is eq. 2 of the paper term by term (and gives y^beta / beta at
// x = 0); for beta = 0, d = q - log q - 1 with q = x / y. Entries where this
// form does not hold (Y below y_floor or not positive, x = 0 for beta <= 0,
// q outside the normal range) are counted in the loop; a column with any of
// them is summed again entry by entry with beta_div(), as before, and so is
// a column whose divergence is below detail::untrusted times the sum of the
// terms that cancel in the form (`size`: an outlier fitted closely, where
// the form leaves mostly rounding error and beta_div() is exact).
#pragma once

#include "../dispatch.hpp"
#include "../divergence.hpp"
#include "../vmath.hpp"

#include <cmath>
#include <cstddef>
#include <limits>

namespace betanmf {
namespace detail {

enum class BetaCase { is, half, three_halves, cubic, other };

// One column of a block: x, w (nullptr: all weights 1) and y are read,
// a and b written (length m each).
struct ColumnArgs {
  const double *x, *w, *y;
  double *a, *b;
  std::size_t m;
  double beta, y_floor, y_floor_zero;
};

// The body shared by all copies; see the top of the file.
template <BetaCase C, bool Weighted, bool Loss, bool Wide>
BETANMF_ALWAYS_INLINE double column_terms(const ColumnArgs &c) {
  const double *__restrict x = c.x;
  const double *__restrict w = c.w;
  const double *__restrict ym = c.y;
  double *__restrict a = c.a;
  double *__restrict b = c.b;
  const std::ptrdiff_t m = static_cast<std::ptrdiff_t>(c.m);
  const double fl = c.y_floor, fl_zero = c.y_floor_zero, beta = c.beta;
  constexpr double tiny = std::numeric_limits<double>::min();
  constexpr double huge = std::numeric_limits<double>::max();
  constexpr bool roots = C == BetaCase::half || C == BetaCase::three_halves;
  if constexpr (roots) {
    // b = sqrt(y) and, for the divergence, a = sqrt(x): read back below
#pragma omp simd
    for (std::ptrdiff_t i = 0; i < m; ++i)
      b[i] = std::max(ym[i], x[i] > 0.0 ? fl : fl_zero);
    sqrt_array<Wide>(b, b, c.m);
    if constexpr (Loss)
      sqrt_array<Wide>(x, a, c.m);
  }
  // constants of the general form: 1 / (beta (beta - 1)), 1 / beta, 1 / (beta - 1)
  const double c0 = 1.0 / (beta * (beta - 1.0)), c1 = 1.0 / beta, c2 = 1.0 / (beta - 1.0);
  const bool nonpositive = beta <= 0.0;
  double loss = 0.0, odd = 0.0, size = 0.0;
#pragma omp simd reduction(+ : loss, odd, size)
  for (std::ptrdiff_t i = 0; i < m; ++i) {
    const double xi = x[i], yr = ym[i], fli = xi > 0.0 ? fl : fl_zero;
    const double y = yr < fli ? fli : yr;
    double ta, tb, d = 0.0, size_i = 0.0;
    bool bad = !((yr >= fli) & (yr > 0.0)); // & not &&: no branch
    if constexpr (C == BetaCase::is) {     // b = 1 / y, a = x / y^2
      tb = 1.0 / y;
      const double q = xi * tb;
      ta = q * tb;
      if constexpr (Loss) {
        bad = bad | !((q >= tiny) & (q <= huge));
        d = q - vlog(q) - 1.0;
        size_i = q + 1.0;
      }
    } else if constexpr (C == BetaCase::half) { // b = y^(-1/2), a = x y^(-3/2)
      const double sx = a[i];
      tb = 1.0 / b[i];
      ta = xi * tb * (tb * tb);
      if constexpr (Loss)
        d = 2.0 * (y * tb) + 2.0 * (xi * tb) - 4.0 * sx;
      if constexpr (Loss)
        size_i = 4.0 * sx;
    } else if constexpr (C == BetaCase::three_halves) { // b = y^(1/2), a = x y^(-1/2)
      const double sx = a[i];
      tb = b[i];
      ta = xi / tb;
      if constexpr (Loss)
        d = (4.0 / 3.0) * (xi * sx) + (2.0 / 3.0) * (y * tb) - 2.0 * (xi * tb);
      if constexpr (Loss)
        size_i = 2.0 * (xi * tb);
    } else if constexpr (C == BetaCase::cubic) { // b = y^2, a = x y
      tb = y * y;
      ta = xi * y;
      if constexpr (Loss)
        d = (xi * xi * xi + 2.0 * (y * tb) - 3.0 * (xi * tb)) * (1.0 / 6.0);
      if constexpr (Loss)
        size_i = 0.5 * (xi * tb);
    } else { // b = y^(beta-1), a = x y^(beta-2)
      const double p = std::pow(y, beta - 2.0);
      ta = xi * p;
      tb = p * y;
      if constexpr (Loss) {
        bad = bad | (nonpositive & !(xi > 0.0));
        d = std::pow(xi, beta) * c0 + (y * tb) * c1 - (xi * tb) * c2;
        size_i = std::abs((xi * tb) * c2);
      }
    }
    d = d < 0.0 ? 0.0 : d; // never negative; the form can round to -1e-15 at x = y
    if constexpr (Weighted) {
      const double wi = w[i];
      const bool on = wi != 0.0;
      a[i] = keep_if(on, wi * ta);
      b[i] = keep_if(on, wi * tb);
      if constexpr (Loss) {
        loss += keep_if(on, wi * d);
        size += keep_if(on, wi * size_i);
        odd += on & bad ? 1.0 : 0.0;
      }
    } else {
      a[i] = ta;
      b[i] = tb;
      if constexpr (Loss) {
        loss += d;
        size += size_i;
        odd += bad ? 1.0 : 0.0;
      }
    }
  }
  if constexpr (!Loss)
    return 0.0;
  if (odd == 0.0 && !(C == BetaCase::other && (beta == 1.0 || beta == 2.0)) &&
      !(loss < untrusted * size))
    return loss;
  loss = 0.0; // the exact sum of the column, entry by entry
  for (std::ptrdiff_t i = 0; i < m; ++i) {
    const double wi = Weighted ? w[i] : 1.0;
    if (wi != 0.0)
      loss += wi * beta_div(x[i], ym[i], beta);
  }
  return loss;
}

using ColumnFn = double (*)(const ColumnArgs &);

template <BetaCase C, bool Weighted, bool Loss>
inline double column_base(const ColumnArgs &c) {
  return column_terms<C, Weighted, Loss, false>(c);
}

template <BetaCase C, bool Weighted, bool Loss>
BETANMF_TARGET_AVX2 inline double column_avx2(const ColumnArgs &c) {
  return column_terms<C, Weighted, Loss, true>(c);
}

template <BetaCase C, bool Weighted, bool Loss> ColumnFn pick_column() {
  return isa_choice<ColumnFn>(column_base<C, Weighted, Loss>, column_avx2<C, Weighted, Loss>);
}

template <BetaCase C> ColumnFn pick_column(bool weighted, bool loss) {
  if (weighted)
    return loss ? pick_column<C, true, true>() : pick_column<C, true, false>();
  return loss ? pick_column<C, false, true>() : pick_column<C, false, false>();
}

// The copy of column_terms for this beta, weighting, divergence and processor.
inline ColumnFn column_kernel(double beta, bool weighted, bool loss) {
  if (beta == 0.0)
    return pick_column<BetaCase::is>(weighted, loss);
  if (beta == 0.5)
    return pick_column<BetaCase::half>(weighted, loss);
  if (beta == 1.5)
    return pick_column<BetaCase::three_halves>(weighted, loss);
  if (beta == 3.0)
    return pick_column<BetaCase::cubic>(weighted, loss);
  return pick_column<BetaCase::other>(weighted, loss);
}

} // namespace detail
} // namespace betanmf
