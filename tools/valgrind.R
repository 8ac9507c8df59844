# A set of fits through the public API to run under valgrind's memcheck
# (make valgrind): every solver, dense and sparse data, masks, weights,
# known components, starts, extreme values, predict(), beta_divergence(),
# the hold-outs of nmf_cv() and nmf_consensus(). Small sizes: memcheck runs
# some 30 times slower. Any invalid read or write makes valgrind exit with
# status 1 (--error-exitcode=1).
suppressPackageStartupMessages(library(betanmf))
set.seed(1)
x <- matrix(stats::rpois(30 * 20, 3), 30) + 0
s <- methods::as(x, "CsparseMatrix")
ctl <- nmf_control(max_iter = 20)
quiet <- function(expr) suppressWarnings(expr)
n <- 0L
run <- function(expr) {
  n <<- n + 1L
  invisible(tryCatch(quiet(expr), error = function(e) message("error (expected?): ", conditionMessage(e))))
}
for (data in list(x, s)) {
  run(nmf_fit(data, 3, control = ctl, seed = 1, threads = 1))
  run(nmf_fit(data, 3, beta = 1, control = ctl, seed = 1, threads = 2))
  run(nmf_fit(data, 3, beta = 1, solver = "mu", control = ctl, seed = 1, threads = 1))
  run(nmf_fit(data, 3, beta = 0.5, control = ctl, seed = 1, threads = 1))
  run(nmf_fit(data, 3, beta = 3, init = "random", control = ctl, seed = 1, threads = 1))
  run(nmf_fit(data, 3, mask = x > 4, control = ctl, seed = 1, threads = 1))
  run(nmf_fit(data, 3, beta = 1, weights = x / 3 + 0.1, control = ctl, seed = 1, threads = 1))
  run(nmf_fit(data, 3, beta = 1, weights = x * 1e-300 + 1e-300, control = ctl, seed = 1,
              threads = 1))
  run(nmf_fit(data, 3, l1 = 0.5, l2 = c(W = 0.1, H = 0.2), control = ctl, seed = 1,
              threads = 1))
  run(nmf_fit(data, 3, fixed_W = matrix(stats::runif(30), 30), control = ctl, seed = 1,
              threads = 1))
  run(nmf_fit(data * 1e-320, 2, beta = 1, control = ctl, seed = 1, threads = 1))
  run(nmf_fit(data * 1e290, 2, beta = 1, control = ctl, seed = 1, threads = 1))
}
fit <- nmf_fit(x, 3, beta = 1, control = ctl, seed = 1, threads = 1)
run(predict(fit, s, threads = 1))
run(beta_divergence(s, fit, beta = 1))
run(beta_divergence(x, fitted(fit), beta = 0.5, weights = x + 1))
bad <- s
bad@p[21] <- bad@p[21] + 50L
run(nmf_fit(bad, 2))  # an error, before any C++ reads the slots
for (h in c("speckled", "bicross", "blocks")) {
  run(nmf_cv(x, 1:3, holdout = h, replicates = 2, control = ctl, seed = 1, threads = 1))
}
run(nmf_consensus(s, 3, restarts = 3, control = ctl, seed = 1, threads = 1))
run(hungarian(matrix(stats::runif(20), 4)))
message(sprintf("valgrind set: %d calls done", n))
