// Data of extreme magnitude are fitted at a power-of-four scale. For every
// beta-divergence d_beta(c x | c y) = c^beta d_beta(x | y) (Fevotte & Idier
// 2011, Neural Comput 23:2421, section 2), so with X = 4^k X', W = 2^k W',
// H = 2^k H' the objective is
//   F(W, H) = 4^(k beta) [ D(X' | W'H') + l1 2^(k (1 - 2 beta)) sum(W')
//                          + l2 2^(k (2 - 2 beta)) / 2 ||W'||^2 + (same for H') ]
// (a Gamma prior of config.hpp: its rate as l1, its shape over 4^(k beta)),
// and a fit of X' with the penalties scaled that way is the fit of X, scaled
// back exactly (multiplications by powers of two are exact). The solvers
// then never meet x y^(beta - 2) or x^2 near the ends of the double range:
// subnormal data (1e-320) and data near the largest double are fitted like
// data near 1. Data whose largest entry lies within 2^-40 .. 2^41 are fitted
// as they are (k = 0, no copy); the others are copied once, scaled (the
// values only: a sparse copy shares the indices).
#pragma once

#include "config.hpp"
#include "matrix.hpp"
#include "stats.hpp"

#include <algorithm>
#include <armadillo>
#include <cmath>
#include <cstddef>
#include <limits>
#include <vector>

namespace betanmf {

// Largest entries within 2^-scale_range .. 2^(scale_range + 1) are left as they are.
constexpr int scale_range = 40;

// k of the scale 4^k for data whose largest entry is max_x and smallest
// positive entry min_pos (0 for ordinary data): X / 4^k has its largest
// entry in [1/2, 4), unless scaling down that far would take min_pos below
// the normal range, where a datum loses bits or vanishes (a datum of 1e-315
// beside one of 1e13: a zero there makes the divergence at beta <= 0
// infinite). Then the data are scaled down only as far as min_pos stays
// normal, or, where that leaves the largest entry above 2^(scale_range + 1),
// just that far: the data span more than the double range can hold at
// once, and the smallest entries keep what bits they can (with_scaled()).
[[nodiscard]] inline int scale_exponent(double max_x, double min_pos = 0.0) {
  if (!(max_x > 0.0) || !std::isfinite(max_x)) return 0;
  const int e = std::ilogb(max_x);
  if (e >= -scale_range && e <= scale_range) return 0;
  const int k = e / 2;
  if (k <= 0 || !(min_pos > 0.0)) return k;
  const int exact = (std::ilogb(min_pos) - std::numeric_limits<double>::min_exponent + 1) / 2;
  const int needed = (e - scale_range + 1) / 2;
  return std::min(k, std::max(exact, needed));
}

// F <- F 2^e, exactly (also into and out of the subnormal range).
inline void scale_by_power_of_two(arma::mat &F, int e) {
  if (e == 0) return;
  F.transform([e](double v) { return std::ldexp(v, e); });
}

// Exponents e_c that keep component c of a fit at scale (W' m x r, H'
// r x n) within the double range once W' is multiplied by 2^kw and H' by
// 2^kh (scale_split() below; 2^k each but for known components):
// W' H' fixes only the products W'_ic H'_cj, and a fit may leave W'_c at
// 1e-170 and H'_c at 1e170 (nothing in the divergence bounds the split), so
// that H' 2^k overflows for data near 1e290 although the model W H is
// finite. Moving 2^e_c from H'_c to W'_c leaves W' H' as it is (exactly,
// but for entries pushed into the subnormal range) and balances the largest
// entries of the two. Only components whose scaled-back largest entry
// leaves 2^-1000 .. 2^1000 move, and none of the first `fixed` (known
// columns of W or rows of H, returned as given); the others are 0.
[[nodiscard]] inline std::vector<int> balance_exponents(const arma::mat &W, const arma::mat &H,
                                                        int kw, int kh, int fixed) {
  std::vector<int> e(W.n_cols, 0);
  if (kw == 0 && kh == 0) return e;
  for (arma::uword c = static_cast<arma::uword>(std::max(fixed, 0)); c < W.n_cols; ++c) {
    const double a = W.col(c).max(), b = H.row(c).max();
    if (!(a > 0.0) || !(b > 0.0)) continue;
    const int la = std::ilogb(a) + kw, lb = std::ilogb(b) + kh;
    if (std::max(la, lb) <= 1000 && std::min(la, lb) >= -1000) continue;
    e[c] = (lb - la) / 2;
  }
  return e;
}

// Exponents that balance the largest entries of W'_c and H'_c for every
// component c >= fixed: the learned components of a start beside known
// ones, at scale. With the split of scale_split() a known W keeps the
// caller's scale while the start of the learned components was made at
// 2^k on each side (an NNDSVD of the data with the known parts put in):
// those components then meet W' of 2^k against H' of 2^-k, and the
// factor floor of stats.hpp (relative to the largest entry of a factor)
// cuts the smaller side.
[[nodiscard]] inline std::vector<int> even_exponents(const arma::mat &W, const arma::mat &H,
                                                     int fixed) {
  std::vector<int> e(W.n_cols, 0);
  for (arma::uword c = static_cast<arma::uword>(std::max(fixed, 0)); c < W.n_cols; ++c) {
    const double a = W.col(c).max(), b = H.row(c).max();
    if (a > 0.0 && b > 0.0) e[c] = (std::ilogb(b) - std::ilogb(a)) / 2;
  }
  return e;
}

// Column c of W (m x r) times 2^e_c and row c of H (r x n) times 2^-e_c.
inline void apply_balance(const std::vector<int> &e, arma::mat &W, arma::mat &H) {
  for (arma::uword c = 0; c < e.size(); ++c) {
    if (e[c] == 0) continue;
    const int ec = e[c];
    W.col(c).transform([ec](double v) { return std::ldexp(v, ec); });
    H.row(c).transform([ec](double v) { return std::ldexp(v, -ec); });
  }
}

// How the scale 4^k of the data is split between the factors: W = 2^kw W',
// H = 2^kh H', kw + kh = 2k. Evenly (k, k) unless components are known:
// a known W (or H) is given at the scale of the caller and stays there
// (kw = 0, or kh = 0), so that a catalog summing to one does not become
// 1e-146 at scale against an H' of 1e146 (the floors of stats.hpp are
// relative to the data, and such a split meets them).
struct ScaleSplit {
  int k = 0, kw = 0, kh = 0;
};

[[nodiscard]] inline ScaleSplit scale_split(int k, const Config &cfg) {
  if (cfg.fixed_w > 0 && cfg.fixed_h == 0) return {k, 0, 2 * k};
  if (cfg.fixed_h > 0 && cfg.fixed_w == 0) return {k, 2 * k, 0};
  return {k, k, k};
}

// The exponents e of the factors 2^e by which scaled_config() multiplies l1
// and l2 on W and on H for the fit of X / 4^k with W = 2^kw W', H = 2^kh H':
// 2^(kw - 2 k beta) for l1 on W and 2^(2 kw - 2 k beta) for l2 (kh for H;
// kw = kh = k gives the factors of the header).
struct PenaltyExponents {
  double l1_w = 0.0, l2_w = 0.0, l1_h = 0.0, l2_h = 0.0;
};

[[nodiscard]] inline PenaltyExponents penalty_exponents(const ScaleSplit &sp, double beta) {
  const double kd = static_cast<double>(sp.k), kw = sp.kw, kh = sp.kh;
  return {kw - 2.0 * kd * beta, 2.0 * kw - 2.0 * kd * beta, kh - 2.0 * kd * beta,
          2.0 * kh - 2.0 * kd * beta};
}

// Penalty factors are kept within 2^-penalty_exponent_limit .. 2^+limit:
// beyond, the penalty outweighs the divergence (or the reverse) by more
// than double precision can tell, and the scaled objective must stay
// finite. Below the limit the penalty is negligible and the fit is that of
// the divergence alone; above it the scaled objective is another one, which
// the R layer refuses where a factor is known (R/run_fit.R): the learned
// factor then carries the whole scale of the data, and the penalty's
// minimum lies outside what the fit can represent.
constexpr double penalty_exponent_limit = 900.0;

// The configuration of the fit of X / 4^k with W = 2^kw W', H = 2^kh H':
// the penalties times the factors of penalty_exponents(), each kept within
// the limit above.
[[nodiscard]] inline Config scaled_config(const Config &cfg, const ScaleSplit &sp) {
  Config out = cfg;
  if (sp.k == 0) return out;
  const double kd = static_cast<double>(sp.k);
  if (sp.k > 0) out.model_limit = std::ldexp(cfg.model_limit, -2 * sp.k);
  auto factor = [](double e) {
    return std::exp2(std::min(penalty_exponent_limit, std::max(-penalty_exponent_limit, e)));
  };
  const PenaltyExponents e = penalty_exponents(sp, cfg.beta);
  for (Penalty *p : {&out.pen_w, &out.pen_h}) {
    const bool on_w = p == &out.pen_w;
    const double e1 = on_w ? e.l1_w : e.l1_h, e2 = on_w ? e.l2_w : e.l2_h;
    if (p->l1 != 0.0) p->l1 *= factor(e1);
    if (p->l2 != 0.0) p->l2 *= factor(e2);
    // a Gamma prior, rate F - shape log F: the rate as l1, the shape over
    // 4^(k beta) (its log term moves by a constant, which the history of a
    // scaled fit leaves out; the final loss has it)
    for (double &v : p->rate) v *= factor(e1);
    for (double &v : p->shape) v *= factor(-2.0 * kd * cfg.beta);
  }
  return out;
}

[[nodiscard]] inline Config scaled_config(const Config &cfg, int k) {
  return scaled_config(cfg, ScaleSplit{k, k, k});
}

// 4^(k beta): the divergence of X from that of X / 4^k.
[[nodiscard]] inline double divergence_scale(int k, double beta) {
  return k == 0 ? 1.0 : std::exp2(2.0 * static_cast<double>(k) * beta);
}

// Calls f(Xs, k) with Xs = X / 4^k, k = scale_exponent(max X, min positive
// X): X itself when k = 0, else a scaled copy of the same kind that lives
// for the call. A positive datum that the scaling would round to zero (data
// spanning more than the double range) is kept at the smallest positive
// double instead, so that it stays positive.
// `known`: the range of X when the caller has it (else a pass finds it).
template <class Mat, class F>
auto with_scaled(const Mat &X, F &&f, const ValueRange *known = nullptr) {
  const ValueRange range = known != nullptr ? *known : value_range(X);
  const int k = scale_exponent(range.max, range.min_positive);
  if (k == 0) return f(X, 0);
  // (in the data's own type: a float is scaled by 4^-k exactly, as a double)
  using T = typename Mat::value_type;
  const StoredValues v = stored_values(X);
  std::vector<T> scaled(v.size);
  constexpr T least = std::numeric_limits<T>::denorm_min();
  for (std::size_t t = 0; t < v.size; ++t) {
    const T s = static_cast<T>(std::ldexp(static_cast<double>(v.data[t]), -2 * k));
    scaled[t] = (s == T(0) && v.data[t] > T(0)) ? least : s;
  }
  if constexpr (Mat::is_sparse) {
    const SparseOf<T> Xs(X.m, X.n, X.col_ptr, X.row_idx, scaled.data());
    return f(Xs, k);
  } else {
    const DenseOf<T> Xs(scaled.data(), X.m, X.n);
    return f(Xs, k);
  }
}

}  // namespace betanmf
