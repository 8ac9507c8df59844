# Benchmark of nmf_fit(beta = 2) against RcppML::nmf, NMF::nmf (method
# "lee", multiplicative updates) and scikit-learn's NMF(solver = "cd"), all
# measured in this run at the same thread count.
#
#   Rscript bench/bench_bcd.R [threads] [iterations]
#
# (a) dense 3000 x 2000, rank 20: low-rank + uniform noise;
# (b) sparse 20000 x 5000 Poisson counts at about 5% density, rank 20.
# For each method: seconds per iteration (total time of `iterations`
# iterations, start included, divided by `iterations`) and the relative
# error ||X - WH||_F / ||X||_F at the end, as ratios to betanmf.
# Also the time of the two products W^T X and X H^T alone, the floor of
# any alternating method.
source(file.path(if (file.exists("bench/common.R")) "bench" else ".", "common.R"))
load_bench_cpp()
args <- commandArgs(trailingOnly = TRUE)
threads <- if (length(args) >= 1) as.integer(args[1]) else 1L
iters <- if (length(args) >= 2) as.integer(args[2]) else 100L

rel_error <- function(X, W, H) {
  ss <- if (is(X, "sparseMatrix")) sum(X@x^2) else sum(X^2)
  sqrt(2 * objective(X, W, H, 2, threads) / ss)
}

run_betanmf <- function(X, r) {
  out <- time_it(nmf_fit(X, r, seed = 1, threads = threads,
                         control = nmf_control(max_iter = iters, tol = 0)))
  list(seconds = out$seconds, W = out$value$W, H = out$value$H)
}

run_rcppml <- function(X, r) {
  if (!has("RcppML")) return(NULL)
  # RcppML reads its thread count from the environment variable RcppMLthreads
  Sys.setenv(RcppMLthreads = threads)
  out <- time_it(RcppML::nmf(X, r, tol = 1e-30, maxit = iters, verbose = FALSE,
                             seed = 1))
  f <- out$value
  list(seconds = out$seconds, W = f$w %*% diag(f$d), H = f$h)
}

run_nmfpkg <- function(X, r) {
  if (!has("NMF")) return(NULL)
  Xd <- as.matrix(X)
  out <- time_it(NMF::nmf(Xd, r, method = "lee", seed = "nndsvd",
                          .options = list(maxIter = iters, parallel = FALSE,
                                          track = FALSE),
                          .stop = as.integer(iters)))
  f <- out$value
  list(seconds = out$seconds, W = NMF::basis(f), H = NMF::coef(f))
}

product_floor <- function(X, r) {
  f <- nmf_fit(X, r, seed = 1, threads = threads,
               control = nmf_control(max_iter = 1, tol = 0))
  product_seconds(X, unname(f$W), unname(f$H), threads, 7L)
}

bench_case <- function(name, X, r) {
  message(sprintf("case %s: %d x %d, rank %d, %d iterations, %d thread(s)", name,
                  nrow(X), ncol(X), r, iters, threads))
  runs <- list(betanmf = run_betanmf(X, r), RcppML = run_rcppml(X, r),
               NMF_lee = if (name == "a") run_nmfpkg(X, r) else NULL,
               sklearn_cd = run_sklearn(X, r, iters, threads))
  runs <- runs[!vapply(runs, is.null, logical(1))]
  res <- data.frame(
    case = name, method = names(runs),
    sec_per_iter = vapply(runs, function(z) z$seconds / iters, numeric(1)),
    rel_error = vapply(runs, function(z) rel_error(X, z$W, z$H), numeric(1)),
    row.names = NULL)
  res$time_ratio <- res$sec_per_iter / res$sec_per_iter[1]
  res$error_ratio <- res$rel_error / res$rel_error[1]
  attr(res, "floor") <- product_floor(X, r)
  res
}

r <- 20L
Xa <- bench_data_a()
Xb <- rsparsematrix(20000, 5000, density = 0.05,
                    rand.x = function(n) rpois(n, 3) + 1)
out <- list(bench_case("a", Xa, r), bench_case("b", Xb, r))
for (res in out) {
  print(format(res, digits = 4), row.names = FALSE)
  cat(sprintf("  products W^T X and X H^T alone: %.4f s; betanmf iteration / products = %.2f\n\n",
              attr(res, "floor"), res$sec_per_iter[1] / attr(res, "floor")))
}
