// Rcpp glue for one NMF fit: the named settings list built by run_fit() in
// R/run_fit.R to a core Config, R matrices to core views, the core Result
// back to an R list. No numerics here.
#include "r_data.h"
#include "r_monitor.h"

#include <RcppArmadillo.h>
#include <betanmf/betanmf.hpp>

#include <string>

namespace {

// The element `name` of the settings; run_fit() sets every one, so a missing
// name is a mistake of the glue's caller.
SEXP setting(const Rcpp::List &s, const char *name) {
  if (!s.containsElementNamed(name))
    throw std::invalid_argument(std::string("the fit settings have no `") + name + "`");
  return s[name];
}

betanmf::Solver parse_solver(const std::string &s) {
  if (s == "cd") return betanmf::Solver::cd;
  if (s == "mu") return betanmf::Solver::mu;
  return betanmf::Solver::bcd;
}

betanmf::Normalize parse_normalize(const std::string &s) {
  if (s == "l1") return betanmf::Normalize::l1;
  if (s == "l2") return betanmf::Normalize::l2;
  return betanmf::Normalize::none;
}

betanmf::Init parse_init(const std::string &s) {
  if (s == "nndsvd") return betanmf::Init::nndsvd;
  if (s == "random") return betanmf::Init::random;
  return betanmf::Init::given;
}

// The core's configuration from the settings list: rank, beta, solver, l1
// and l2 (pairs for W and H), prior_shape, prior_rate and prior_side ("W"
// or "H"), fixed_w, fixed_h,
// max_iter, tol, inner_max, inner_tol, extrapolate, normalize, seed, threads.
betanmf::Config to_config(const Rcpp::List &s) {
  betanmf::Config cfg;
  cfg.rank = Rcpp::as<int>(setting(s, "rank"));
  cfg.beta = Rcpp::as<double>(setting(s, "beta"));
  cfg.solver = parse_solver(Rcpp::as<std::string>(setting(s, "solver")));
  const Rcpp::NumericVector l1 = setting(s, "l1"), l2 = setting(s, "l2");
  cfg.pen_w.l1 = l1[0];
  cfg.pen_w.l2 = l2[0];
  cfg.pen_h.l1 = l1[1];
  cfg.pen_h.l2 = l2[1];
  // a Gamma prior on the components of W or of H (empty: none), for
  // posterior modes
  const Rcpp::NumericVector shape = setting(s, "prior_shape"), rate = setting(s, "prior_rate");
  betanmf::Penalty &on = Rcpp::as<std::string>(setting(s, "prior_side")) == "W" ? cfg.pen_w
                                                                                : cfg.pen_h;
  on.shape.assign(shape.begin(), shape.end());
  on.rate.assign(rate.begin(), rate.end());
  cfg.fixed_w = Rcpp::as<int>(setting(s, "fixed_w"));
  cfg.fixed_h = Rcpp::as<int>(setting(s, "fixed_h"));
  cfg.max_iter = Rcpp::as<int>(setting(s, "max_iter"));
  cfg.tol = Rcpp::as<double>(setting(s, "tol"));
  cfg.max_inner = Rcpp::as<int>(setting(s, "inner_max"));
  cfg.inner_tol = Rcpp::as<double>(setting(s, "inner_tol"));
  cfg.extrapolate = Rcpp::as<bool>(setting(s, "extrapolate"));
  cfg.normalize = parse_normalize(Rcpp::as<std::string>(setting(s, "normalize")));
  cfg.threads = Rcpp::as<int>(setting(s, "threads"));
  cfg.seed = static_cast<std::uint64_t>(Rcpp::as<double>(setting(s, "seed")));
  if (s.containsElementNamed("exact_divergence"))
    cfg.exact_divergence = Rcpp::as<bool>(s["exact_divergence"]);
  if (s.containsElementNamed("range") && !Rf_isNull(s["range"])) {
    const Rcpp::NumericVector range = s["range"];
    cfg.data_max = range[0];
    cfg.data_min_positive = range[1];
    if (range.size() >= 3) cfg.data_sum_squares = range[2];
  }
  return cfg;
}

Rcpp::IntegerVector order_1based(const std::vector<arma::uword> &order) {
  Rcpp::IntegerVector out(order.size());
  for (std::size_t k = 0; k < order.size(); ++k) out[k] = static_cast<int>(order[k]) + 1;
  return out;
}

// The BCD state of a result, or NULL when it has none.
SEXP state_to_list(const betanmf::BcdState &st) {
  if (st.empty()) return R_NilValue;
  return Rcpp::List::create(Rcpp::Named("w_prev") = st.w_prev, Rcpp::Named("h_from") = st.h_from,
                            Rcpp::Named("beta") = st.beta, Rcpp::Named("beta_max") = st.beta_max,
                            Rcpp::Named("beta_before") = st.beta_before,
                            Rcpp::Named("plain") = st.plain, Rcpp::Named("loss") = st.loss);
}

// The BCD state from settings$state (NULL or absent: none).
betanmf::BcdState state_from(const Rcpp::List &settings) {
  betanmf::BcdState st;
  if (!settings.containsElementNamed("state") || Rf_isNull(settings["state"])) return st;
  const Rcpp::List l = settings["state"];
  st.w_prev = Rcpp::as<arma::mat>(l["w_prev"]);
  st.h_from = Rcpp::as<arma::mat>(l["h_from"]);
  st.beta = Rcpp::as<double>(l["beta"]);
  st.beta_max = Rcpp::as<double>(l["beta_max"]);
  st.beta_before = Rcpp::as<double>(l["beta_before"]);
  st.plain = Rcpp::as<bool>(l["plain"]);
  if (l.containsElementNamed("loss")) st.loss = Rcpp::as<double>(l["loss"]);
  return st;
}

// The result as an R list. Each factor and the state are released once R
// holds its copy, so that the conversion holds one more block at a time,
// not a second copy of the whole result.
Rcpp::List to_list(betanmf::Result &res) {
  Rcpp::NumericMatrix W = Rcpp::wrap(res.W);
  res.W.reset();
  Rcpp::NumericMatrix H = Rcpp::wrap(res.H);
  res.H.reset();
  SEXP state = PROTECT(state_to_list(res.bcd_state));
  res.bcd_state = betanmf::BcdState();
  Rcpp::List out = Rcpp::List::create(
      Rcpp::Named("W") = W, Rcpp::Named("H") = H,
      Rcpp::Named("loss") = res.loss, Rcpp::Named("divergence") = res.divergence,
      Rcpp::Named("history") = Rcpp::DataFrame::create(
          Rcpp::Named("iteration") = res.hist_iter, Rcpp::Named("loss") = res.hist_loss,
          Rcpp::Named("seconds") = res.hist_seconds),
      Rcpp::Named("order") = order_1based(res.order),
      Rcpp::Named("iterations") = res.iterations,
      Rcpp::Named("converged") = res.converged,
      Rcpp::Named("interrupted") = res.interrupted,
      Rcpp::Named("state") = state);
  UNPROTECT(1);
  return out;
}

}  // namespace

// One fit of the prepared data x (double matrix or dgCMatrix) under the
// weight specification `weights` (NULL or the list of R/prepare.R).
// settings$precision is "double" or "float" (the values of x in float
// inside the core, r_data.h). settings$init is "nndsvd", "random" or
// "given"; for "given", W0 and H0 are the starting factors, one of which may
// be NULL: it then starts flat at the level of the data (a projection).
// settings$state (optional) is the `state` of an earlier result whose
// factors W0, H0 are, to continue that fit.
// [[Rcpp::export(rng = false)]]
Rcpp::List cpp_nmf_fit(SEXP x, SEXP W0, SEXP H0, SEXP weights, Rcpp::List settings) {
  const betanmf::Config cfg = to_config(settings);
  const betanmf::Init how = parse_init(Rcpp::as<std::string>(setting(settings, "init")));
  RMonitor mon(Rcpp::as<bool>(setting(settings, "verbose")),
               Rcpp::as<int>(setting(settings, "trace_every")),
               settings.containsElementNamed("progress") ? SEXP(settings["progress"])
                                                         : R_NilValue);
  const bool single = Rcpp::as<std::string>(setting(settings, "precision")) == "float";
  betanmf::Result res = with_data(x, single, [&](const auto &X) {
    arma::mat W, H;
    if (how == betanmf::Init::given) {
      if (!Rf_isNull(W0)) W = Rcpp::as<arma::mat>(W0);
      if (!Rf_isNull(H0)) H = Rcpp::as<arma::mat>(H0);
    }
    const betanmf::Weights wts = to_weights(weights, X.m, X.n);
    return betanmf::fit(X, std::move(W), std::move(H), cfg, mon, wts, how,
                        how == betanmf::Init::given ? state_from(settings)
                                                    : betanmf::BcdState());
  });
  // converted once the view of x, and the row index it built, are gone
  return to_list(res);
}

// Starting factors only (settings$init "nndsvd" or "random"; rank, solver,
// seed and threads are read): list(W = m x r, H = r x n).
// [[Rcpp::export(rng = false)]]
Rcpp::List cpp_nmf_init(SEXP x, Rcpp::List settings) {
  betanmf::Config cfg;
  cfg.rank = Rcpp::as<int>(setting(settings, "rank"));
  cfg.solver = parse_solver(Rcpp::as<std::string>(setting(settings, "solver")));
  cfg.seed = static_cast<std::uint64_t>(Rcpp::as<double>(setting(settings, "seed")));
  cfg.threads = Rcpp::as<int>(setting(settings, "threads"));
  const betanmf::Init how = parse_init(Rcpp::as<std::string>(setting(settings, "init")));
  return with_data(x, [&](const auto &X) {
    arma::mat W, H;
    betanmf::start_factors(X, cfg, how, W, H);
    return Rcpp::List::create(Rcpp::Named("W") = W, Rcpp::Named("H") = H);
  });
}

// sum_ij w_ij d_beta(x_ij | (W H)_ij), exact, without forming W H for a
// sparse x; model values below y_floor are raised to it (see divergence.hpp).
// [[Rcpp::export(rng = false)]]
double cpp_divergence(SEXP x, const arma::mat &W, const arma::mat &H, double beta,
                      SEXP weights, int threads, double y_floor = 0.0) {
  const arma::mat Wt = W.t();
  return with_data(x, [&](const auto &X) {
    return betanmf::divergence(X, Wt, H, beta, threads, to_weights(weights, X.m, X.n),
                               y_floor);
  });
}

// d_beta(x_ij | mu_ij) entry by entry, for two double matrices of one shape.
// [[Rcpp::export(rng = false)]]
Rcpp::NumericMatrix cpp_elementwise_divergence(Rcpp::NumericMatrix x, Rcpp::NumericMatrix mu,
                                               double beta) {
  if (x.nrow() != mu.nrow() || x.ncol() != mu.ncol())
    throw std::invalid_argument("x and mu must have the same shape");
  Rcpp::NumericMatrix out(x.nrow(), x.ncol());
  betanmf::beta_div_each(x.begin(), mu.begin(), static_cast<std::size_t>(x.size()), beta,
                         out.begin());
  return out;
}

// The exponents e of the factors 2^e that the core gives the penalties
// (l1 and l2 on W, then on H) for data whose largest entry is max_x and
// smallest positive entry min_pos, with fixed_w known columns of W and
// fixed_h known rows of H (scale.hpp), and the limit beyond which it keeps
// them: list(exponents = c(l1_W, l2_W, l1_H, l2_H), limit, k).
// [[Rcpp::export(rng = false)]]
Rcpp::List cpp_penalty_exponents(double max_x, double min_pos, double beta, int fixed_w,
                                 int fixed_h) {
  betanmf::Config cfg;
  cfg.rank = std::max(1, std::max(fixed_w, fixed_h));
  cfg.fixed_w = fixed_w;
  cfg.fixed_h = fixed_h;
  const int k = betanmf::scale_exponent(max_x, min_pos);
  const betanmf::PenaltyExponents e =
      k == 0 ? betanmf::PenaltyExponents()
             : betanmf::penalty_exponents(betanmf::scale_split(k, cfg), beta);
  return Rcpp::List::create(
      Rcpp::Named("exponents") = Rcpp::NumericVector::create(e.l1_w, e.l2_w, e.l1_h, e.l2_h),
      Rcpp::Named("limit") = betanmf::penalty_exponent_limit, Rcpp::Named("k") = k);
}
