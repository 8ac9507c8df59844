// The non-negative quadratic program that every BCD (HALS) line update
// solves, by cyclic exact coordinate minimization:
//   min_f  f^T G f / 2 - c^T f + l1 1^T f + l2 / 2 f^T f,   f >= 0 (r),
//   f_k <- max(0, f_k - ((G f)_k - c_k + l1 + l2 f_k) / (G_kk + l2))
// (Cichocki & Phan 2009, IEICE Trans Fundam E92-A:708, eq. 15).
#pragma once

#include "../config.hpp"
#include "../kernels.hpp"

#include <algorithm>
#include <armadillo>
#include <cstddef>
#include <limits>
#include <vector>

namespace betanmf {
namespace detail {

// Cyclic exact coordinate minimization of f^T G f / 2 - c^T f + l1 1^T f +
// l2 / 2 f^T f over f >= 0 (r), coordinates k >= fixed only, with g = G f
// kept current; G is r x r column-major and inv[k] = 1 / (G_kk + l2), or 0
// for a component with nothing to fit (precomputed: a sweep has no
// division). Each step stays below the coordinate's bound c_k / (G_kk + l2)
// (the weighted lines, whose G_l can be nearly singular, take these
// sweeps). Sweeps stop by the inner rule. An AVX2 copy runs where the
// processor has it (dispatch.hpp).
BETANMF_ALWAYS_INLINE void sweeps_body(int r, double *f, const double *G, const double *inv,
                                       const double *c, double *g, const Penalty &pen,
                                       int fixed, int max_inner, double inner_tol) {
  std::fill(g, g + r, 0.0);
  for (int l = 0; l < r; ++l)
    if (f[l] != 0.0) axpy(r, f[l], G + l * r, g);
  double first_move = 0.0;
  for (int sweep = 0; sweep < max_inner; ++sweep) {
    double move = 0.0;
    for (int k = fixed; k < r; ++k) {
      const double grad = g[k] - c[k] + pen.l1 + pen.l2 * f[k];
      // the coordinate's minimum is at most c_k / (G_kk + l2) (G >= 0 and
      // f >= 0); a step beyond it is rounding of G f - c amplified by a
      // small G_kk (weights spanning 1e300 make G_l nearly singular), which
      // would walk f along a direction the objective only appears not to see
      const double fk = inv[k] > 0.0 ? std::min(std::max(0.0, f[k] - grad * inv[k]),
                                                (1.0 + 0x1.0p-20) * std::max(0.0, c[k]) * inv[k])
                                     : 0.0;
      const double d = fk - f[k];
      if (d != 0.0) {
        f[k] = fk;
        axpy(r, d, G + k * r, g);
        move += d * d;
      }
    }
    if (sweep == 0) first_move = move;
    if (move <= inner_tol * inner_tol * first_move) break;
  }
}

inline void sweeps_base(int r, double *f, const double *G, const double *inv, const double *c,
                        double *g, const Penalty &pen, int fixed, int max_inner,
                        double inner_tol) {
  sweeps_body(r, f, G, inv, c, g, pen, fixed, max_inner, inner_tol);
}

BETANMF_TARGET_AVX2 inline void sweeps_avx2(int r, double *f, const double *G,
                                            const double *inv, const double *c, double *g,
                                            const Penalty &pen, int fixed, int max_inner,
                                            double inner_tol) {
  sweeps_body(r, f, G, inv, c, g, pen, fixed, max_inner, inner_tol);
}

inline void quadratic_sweeps(int r, double *f, const double *G, const double *inv,
                             const double *c, double *g, const Penalty &pen, int fixed,
                             int max_inner, double inner_tol) {
  isa_choice(&sweeps_base, &sweeps_avx2)(r, f, G, inv, c, g, pen, fixed, max_inner,
                                         inner_tol);
}

// The same sweeps for L lines that share G, one line per lane: f, c and g
// hold coordinate k of lane t at [k * L + t] (r x L, lane-major), `lanes`
// of the L lanes are in use. Every lane does exactly the arithmetic of
// sweeps_body() on its own line (a step that does not move leaves f and g
// as they are, and a lane whose sweeps have stopped by the inner rule takes
// no further steps), so a line's result does not depend on which lines
// share its batch; but the L lines advance together, so one step costs r
// vector operations instead of r scalar chains, each waiting on the one
// before.
template <int L>
BETANMF_ALWAYS_INLINE void batch_body(int r, int lanes, double *f, const double *G,
                                      const double *inv, const double *c, double *g,
                                      const Penalty &pen, int fixed, int max_inner,
                                      double inner_tol) {
  for (int t = 0; t < r * L; ++t) g[t] = 0.0;
  for (int l = 0; l < r; ++l) {
    const double *fl = f + l * L;
    for (int q = 0; q < r; ++q) {
      const double glq = G[l * r + q];
      double *gq = g + q * L;
#pragma omp simd
      for (int t = 0; t < L; ++t) gq[t] += fl[t] * glq;
    }
  }
  double first[L], move[L], active[L];
  for (int t = 0; t < L; ++t) {
    first[t] = 0.0;
    active[t] = t < lanes ? 1.0 : 0.0;
  }
  const double tol2 = inner_tol * inner_tol;
  for (int sweep = 0; sweep < max_inner; ++sweep) {
    for (int t = 0; t < L; ++t) move[t] = 0.0;
    for (int k = fixed; k < r; ++k) {
      double d[L];
      double *fk = f + k * L;
      const double *gk = g + k * L, *ck = c + k * L;
      const double ik = inv[k];
#pragma omp simd
      for (int t = 0; t < L; ++t) {
        const double grad = gk[t] - ck[t] + pen.l1 + pen.l2 * fk[t];
        const double next = ik > 0.0 ? std::max(0.0, fk[t] - grad * ik) : 0.0;
        const double dt = active[t] != 0.0 ? next - fk[t] : 0.0;
        fk[t] = dt != 0.0 ? next : fk[t];
        move[t] += dt * dt;
        d[t] = dt;
      }
      for (int q = 0; q < r; ++q) {
        const double gkq = G[k * r + q];
        double *gq = g + q * L;
#pragma omp simd
        for (int t = 0; t < L; ++t) gq[t] += d[t] * gkq;
      }
    }
    bool any = false;
    for (int t = 0; t < L; ++t) {
      if (sweep == 0) first[t] = move[t];
      if (active[t] != 0.0 && move[t] <= tol2 * first[t]) active[t] = 0.0;
      any = any || active[t] != 0.0;
    }
    if (!any) break;
  }
}

// Lanes of a batch per instruction set: the vector width in doubles.
constexpr int batch_lanes = 8;

inline void batch_base(int r, int lanes, double *f, const double *G, const double *inv,
                       const double *c, double *g, const Penalty &pen, int fixed,
                       int max_inner, double inner_tol) {
  batch_body<batch_lanes>(r, lanes, f, G, inv, c, g, pen, fixed, max_inner, inner_tol);
}
BETANMF_TARGET_AVX2 inline void batch_avx2(int r, int lanes, double *f, const double *G,
                                           const double *inv, const double *c, double *g,
                                           const Penalty &pen, int fixed, int max_inner,
                                           double inner_tol) {
  batch_body<batch_lanes>(r, lanes, f, G, inv, c, g, pen, fixed, max_inner, inner_tol);
}
BETANMF_TARGET_AVX512 inline void batch_avx512(int r, int lanes, double *f, const double *G,
                                               const double *inv, const double *c, double *g,
                                               const Penalty &pen, int fixed, int max_inner,
                                               double inner_tol) {
  batch_body<batch_lanes>(r, lanes, f, G, inv, c, g, pen, fixed, max_inner, inner_tol);
}

// Sweeps on up to batch_lanes lines at once (layout as batch_body()).
inline void batch_sweeps(int r, int lanes, double *f, const double *G, const double *inv,
                         const double *c, double *g, const Penalty &pen, int fixed,
                         int max_inner, double inner_tol) {
  isa_choice(&batch_base, &batch_avx2, &batch_avx512)(r, lanes, f, G, inv, c, g, pen, fixed,
                                                      max_inner, inner_tol);
}

// inv[k] = 1 / (G_kk + l2) where that is a normal number, else 0: a
// subnormal diagonal (a component whose partner meets only weights of
// 1e-300) has no precision left, and its inverse overflows; such a
// coordinate does not move.
inline void inverse_diagonal(int r, const double *G, double l2, double *inv) {
  for (int k = 0; k < r; ++k) {
    const double d = G[k * r + k] + l2;
    inv[k] = d >= std::numeric_limits<double>::min() ? 1.0 / d : 0.0;
  }
}

// One factor step of BCD: each column f of F (r x N), started from the
// same column of `start`, solves the quadratic program above with Gram
// matrix G (r x r) and linear term C.col(j) (r x N), in batches of lines
// that share G. A batch reads its columns of `start` and C before it
// writes its columns of F, so F may be `start` or C itself. The first
// `fixed` coordinates of every column are known components: they enter
// G f but are never changed.
inline void bcd_update(const arma::mat &start, const arma::mat &C, arma::mat &F,
                       const arma::mat &G, const Penalty &pen, int fixed, int max_inner,
                       double inner_tol, int threads) {
  const int r = static_cast<int>(F.n_rows);
  const std::ptrdiff_t N = F.n_cols;
  std::vector<double> inv(r);
  inverse_diagonal(r, G.memptr(), pen.l2, inv.data());
  constexpr int L = batch_lanes;  // lines per batch
  const std::ptrdiff_t batches = (N + L - 1) / L;
#pragma omp parallel num_threads(team(threads, double(N) * r * r * max_inner))
  {
    std::vector<double> f(std::size_t(r) * L), c(std::size_t(r) * L, 0.0),
        g(std::size_t(r) * L);
#pragma omp for schedule(static)
    for (std::ptrdiff_t b = 0; b < batches; ++b) {
      const std::ptrdiff_t j0 = b * L;
      const int lanes = static_cast<int>(std::min<std::ptrdiff_t>(L, N - j0));
      for (int t = 0; t < lanes; ++t) {
        const double *fj = start.colptr(j0 + t), *cj = C.colptr(j0 + t);
        for (int k = 0; k < r; ++k) {
          f[k * L + t] = fj[k];
          c[k * L + t] = cj[k];
        }
      }
      for (int t = lanes; t < L; ++t)
        for (int k = 0; k < r; ++k) f[k * L + t] = 0.0;
      batch_sweeps(r, lanes, f.data(), G.memptr(), inv.data(), c.data(), g.data(), pen, fixed,
                   max_inner, inner_tol);
      for (int t = 0; t < lanes; ++t) {
        double *fj = F.colptr(j0 + t);
        for (int k = 0; k < r; ++k) fj[k] = f[k * L + t];
      }
    }
  }
}

// The same, in place from F.
inline void bcd_update(arma::mat &F, const arma::mat &C, const arma::mat &G, const Penalty &pen,
                       int fixed, int max_inner, double inner_tol, int threads) {
  bcd_update(F, C, F, G, pen, fixed, max_inner, inner_tol, threads);
}

}  // namespace detail
}  // namespace betanmf
