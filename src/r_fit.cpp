// Rcpp glue for one NMF fit: R arguments to a core Config, R matrices to core
// views, the core Result back to an R list. No numerics here.
#include "r_data.h"
#include "r_monitor.h"

#include <RcppArmadillo.h>
#include <betanmf/betanmf.hpp>

#include <string>

namespace {

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

// Observation weights from R: NULL, or list(base = 0 or 1, delta = dgCMatrix
// of w - base at the listed entries).
betanmf::Weights to_weights(SEXP w, std::size_t m, std::size_t n) {
  if (Rf_isNull(w)) return betanmf::Weights();
  Rcpp::List l(w);
  const double base = Rcpp::as<double>(l["base"]);
  Rcpp::S4 d(l["delta"]);
  Rcpp::IntegerVector i = d.slot("i"), p = d.slot("p"), dim = d.slot("Dim");
  Rcpp::NumericVector x = d.slot("x");
  if (static_cast<std::size_t>(dim[0]) != m || static_cast<std::size_t>(dim[1]) != n)
    throw std::invalid_argument("weights do not match the data");
  return betanmf::Weights(base, m, n, p.begin(), i.begin(), x.begin());
}

Rcpp::IntegerVector order_1based(const std::vector<arma::uword> &order) {
  Rcpp::IntegerVector out(order.size());
  for (std::size_t k = 0; k < order.size(); ++k) out[k] = static_cast<int>(order[k]) + 1;
  return out;
}

Rcpp::List to_list(const betanmf::Result &res) {
  return Rcpp::List::create(
      Rcpp::Named("W") = res.W, Rcpp::Named("H") = res.H,
      Rcpp::Named("loss") = res.loss, Rcpp::Named("divergence") = res.divergence,
      Rcpp::Named("history") = Rcpp::DataFrame::create(
          Rcpp::Named("iteration") = res.hist_iter, Rcpp::Named("loss") = res.hist_loss,
          Rcpp::Named("seconds") = res.hist_seconds),
      Rcpp::Named("order") = order_1based(res.order),
      Rcpp::Named("iterations") = res.iterations,
      Rcpp::Named("converged") = res.converged,
      Rcpp::Named("interrupted") = res.interrupted);
}

}  // namespace

// One fit of x (double matrix or dgCMatrix). `control` is the list made by
// nmf_control(); `init` is "nndsvd", "random" or "given" (then W0, H0 are
// the starting factors; one of them may be NULL, then it starts flat at the
// level of the data). Penalties are c(W, H) pairs.
// [[Rcpp::export(rng = false)]]
Rcpp::List cpp_nmf_fit(SEXP x, int rank, double beta, std::string solver,
                       Rcpp::NumericVector l1,
                       Rcpp::NumericVector l2, std::string init, SEXP W0, SEXP H0,
                       bool update_w, bool update_h, int fixed_w, int fixed_h,
                       SEXP weights, Rcpp::List control, double seed, int threads,
                       bool verbose) {
  betanmf::Config cfg;
  cfg.rank = rank;
  cfg.beta = beta;
  cfg.solver = parse_solver(solver);
  cfg.pen_w = {l1[0], l2[0]};
  cfg.pen_h = {l1[1], l2[1]};
  cfg.max_iter = Rcpp::as<int>(control["max_iter"]);
  cfg.tol = Rcpp::as<double>(control["tol"]);
  cfg.max_inner = Rcpp::as<int>(control["inner_max"]);
  cfg.inner_tol = Rcpp::as<double>(control["inner_tol"]);
  cfg.normalize = parse_normalize(Rcpp::as<std::string>(control["normalize"]));
  cfg.update_w = update_w;
  cfg.update_h = update_h;
  cfg.fixed_w = fixed_w;
  cfg.fixed_h = fixed_h;
  cfg.threads = threads;
  cfg.seed = static_cast<std::uint64_t>(seed);
  RMonitor mon(verbose, Rcpp::as<int>(control["trace_every"]));
  return with_data(x, [&](const auto &X) {
    arma::mat W, H;
    betanmf::Init how = betanmf::Init::given;
    if (init == "nndsvd") how = betanmf::Init::nndsvd;
    if (init == "random") how = betanmf::Init::random;
    if (how == betanmf::Init::given) {
      // One of W0, H0 may be NULL: it then starts flat (a projection).
      if (!Rf_isNull(W0)) W = Rcpp::as<arma::mat>(W0);
      if (!Rf_isNull(H0)) H = Rcpp::as<arma::mat>(H0);
    }
    betanmf::initialize(X, cfg, how, W, H);
    const betanmf::Weights wts = to_weights(weights, X.m, X.n);
    return to_list(betanmf::fit(X, std::move(W), std::move(H), cfg, mon, wts));
  });
}

// Starting factors only ("nndsvd" or "random"): list(W = m x r, H = r x n).
// [[Rcpp::export(rng = false)]]
Rcpp::List cpp_nmf_init(SEXP x, int rank, std::string solver, std::string init,
                        double seed, int threads) {
  betanmf::Config cfg;
  cfg.rank = rank;
  cfg.solver = parse_solver(solver);
  cfg.seed = static_cast<std::uint64_t>(seed);
  cfg.threads = threads;
  const betanmf::Init how = init == "nndsvd" ? betanmf::Init::nndsvd : betanmf::Init::random;
  return with_data(x, [&](const auto &X) {
    arma::mat W, H;
    betanmf::initialize(X, cfg, how, W, H);
    return Rcpp::List::create(Rcpp::Named("W") = W, Rcpp::Named("H") = H);
  });
}

// sum_ij d_beta(x_ij | (W H)_ij), exact, without forming W H for a sparse x.
// [[Rcpp::export(rng = false)]]
double cpp_divergence(SEXP x, const arma::mat &W, const arma::mat &H, double beta,
                      SEXP weights, int threads, double y_floor = 0.0) {
  const arma::mat Wt = W.t();
  return with_data(x, [&](const auto &X) {
    return betanmf::divergence(X, Wt, H, beta, threads, to_weights(weights, X.m, X.n),
                               y_floor);
  });
}

// Sum of squares, sum and number of non-zero entries of x (double matrix or
// dgCMatrix), read without a copy.
// [[Rcpp::export(rng = false)]]
Rcpp::NumericVector cpp_data_stats(SEXP x) {
  const betanmf::DataStats s =
      with_data(x, [](const auto &X) { return betanmf::data_stats(X); });
  return Rcpp::NumericVector::create(Rcpp::Named("sum_sq") = s.sum_sq,
                                     Rcpp::Named("total") = s.total,
                                     Rcpp::Named("nonzero") = s.nonzero);
}

// Whether the package was built with OpenMP.
// [[Rcpp::export(rng = false)]]
bool cpp_has_openmp() {
#ifdef _OPENMP
  return true;
#else
  return false;
#endif
}
