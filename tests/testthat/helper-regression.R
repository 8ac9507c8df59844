# A fixed set of calls through the public API whose results are kept in
# fixtures/regression.rds: every solver, dense and sparse data, masks,
# missing values, weights, penalties, fixed components, restarts, warm
# starts, predict(), beta_divergence(), nmf_cv() for each hold-out,
# nmf_consensus(), nmf_align() and hungarian(). test-regression.R checks
# that a change meant to keep the numerical behaviour keeps these results
# bit for bit. tools/make-regression-fixture.R writes the fixture.

regression_data <- function() {
  withr::local_seed(20261201)
  W <- matrix(stats::rexp(40 * 3), 40) * (stats::runif(40 * 3) > 0.3)
  H <- matrix(stats::rexp(3 * 30), 3) * (stats::runif(3 * 30) > 0.3)
  mu <- W %*% H + 0.05
  dense <- matrix(stats::rpois(length(mu), 4 * mu), nrow(mu))
  storage.mode(dense) <- "double"
  list(
    dense = dense,
    sparse = methods::as(dense, "CsparseMatrix"),
    positive = W %*% H + matrix(stats::runif(length(mu), 0.1, 0.3), nrow(mu)),
    mask = matrix(stats::runif(length(mu)) < 0.1, nrow(mu)),
    weights = matrix(stats::runif(length(mu), 0.2, 3), nrow(mu)),
    sparse_weights = Matrix::rsparsematrix(nrow(mu), ncol(mu), 0.5,
                                           rand.x = function(k) stats::runif(k, 0.5, 2)),
    cost = matrix(stats::runif(7 * 9), 7)
  )
}

# What is compared of a fit: everything numerical but the timings.
regression_fit <- function(fit) {
  list(W = unname(fit$W), H = unname(fit$H), loss = fit$loss,
       divergence = fit$divergence, history = fit$history$loss,
       iterations = fit$iterations, converged = fit$converged, seed = fit$seed)
}

regression_cases <- function() {
  d <- regression_data()
  ctl <- nmf_control(max_iter = 60, tol = 1e-6)
  quiet <- function(expr) suppressWarnings(expr)
  fit <- function(x, rank, ...) {
    regression_fit(quiet(nmf_fit(x, rank, ..., control = ctl, seed = 7, threads = 1)))
  }
  with_na <- d$dense
  with_na[c(3, 50, 400, 777)] <- NA
  fixed_W <- quiet(nmf_fit(d$dense, 2, control = ctl, seed = 3, threads = 1))$W
  fixed_H <- quiet(nmf_fit(d$dense, 2, control = ctl, seed = 4, threads = 1))$H[1, , drop = FALSE]
  base <- quiet(nmf_fit(d$dense[, 1:25], 3, beta = 1, control = ctl, seed = 5, threads = 1))
  first <- quiet(nmf_fit(d$dense, 3, beta = 1, control = nmf_control(max_iter = 20, tol = 0),
                         seed = 6, threads = 1))
  cv <- function(holdout, beta) {
    res <- quiet(nmf_cv(d$dense, ranks = 1:4, beta = beta, holdout = holdout,
                        replicates = 2, seed = 9, threads = 1, control = ctl))
    list(results = res$results[c("rank", "replicate", "train_error", "test_error",
                                 "iterations")],
         summary = res$summary, rank_min = res$rank_min, rank_1se = res$rank_1se)
  }
  cons <- quiet(nmf_consensus(d$dense, 3, beta = 1, restarts = 4, seed = 2, threads = 1,
                              control = ctl))
  list(
    bcd_dense = fit(d$dense, 3),
    bcd_sparse = fit(d$sparse, 3),
    bcd_random = fit(d$dense, 3, init = "random"),
    bcd_penalty = fit(d$dense, 3, l1 = c(W = 0.1, H = 0.5), l2 = 0.2),
    bcd_mask = fit(d$dense, 3, mask = d$mask),
    bcd_mask_sparse = fit(d$sparse, 3, mask = d$mask),
    bcd_weights = fit(d$dense, 3, weights = d$weights),
    bcd_na = fit(with_na, 3),
    bcd_normalize_l2 = regression_fit(quiet(nmf_fit(
      d$dense, 3, control = nmf_control(max_iter = 60, tol = 1e-6, normalize = "l2"),
      seed = 7, threads = 1))),
    cd_dense = fit(d$dense, 3, beta = 1),
    cd_sparse = fit(d$sparse, 3, beta = 1),
    cd_mask = fit(d$sparse, 3, beta = 1, mask = d$mask),
    cd_weights = fit(d$dense, 3, beta = 1, weights = d$weights),
    cd_sparse_weights = fit(d$sparse, 3, beta = 1, weights = d$sparse_weights),
    cd_penalty = fit(d$sparse, 3, beta = 1, l1 = 0.05, l2 = c(W = 0, H = 0.1)),
    mu_kl = fit(d$dense, 3, beta = 1, solver = "mu"),
    mu_kl_sparse_mask = fit(d$sparse, 3, beta = 1, solver = "mu", mask = d$mask),
    mu_ls = fit(d$sparse, 3, solver = "mu"),
    mu_ls_weights = fit(d$dense, 3, solver = "mu", weights = d$weights),
    mu_half = fit(d$dense, 3, beta = 0.5),
    mu_half_sparse = fit(d$sparse, 3, beta = 0.5, mask = d$mask),
    mu_three = fit(d$dense, 3, beta = 3),
    mu_is = fit(d$positive, 3, beta = 0),
    mu_is_offset = fit(d$dense, 3, beta = 0, offset = 1),
    mu_is_weights = fit(d$positive, 3, beta = "is", weights = d$weights),
    mu_minus = fit(d$positive, 2, beta = -0.5),
    fixed_W_bcd = fit(d$dense, 3, fixed_W = fixed_W),
    fixed_W_cd = fit(d$sparse, 3, beta = 1, fixed_W = fixed_W),
    fixed_H_mu = fit(d$dense, 3, beta = 0.5, fixed_H = fixed_H),
    projection = fit(d$dense, 2, beta = 1, fixed_W = fixed_W),
    restarts = fit(d$dense, 3, beta = 1, restarts = 3),
    warm = regression_fit(quiet(nmf_fit(d$dense, 3, beta = 1, init = first, control = ctl,
                                        seed = 1, threads = 1))),
    predict_kl = unname(predict(base, d$dense[, 26:30], threads = 1)),
    predict_mask = unname(predict(base, d$dense[, 26:30], mask = d$mask[, 26:30],
                                  threads = 1)),
    predict_ls = unname(predict(quiet(nmf_fit(d$sparse, 3, control = ctl, seed = 1,
                                              threads = 1)), d$sparse, threads = 1)),
    divergences = c(
      beta_divergence(d$dense, base$W %*% cbind(base$H, predict(base, d$dense[, 26:30])),
                      beta = 1),
      beta_divergence(d$sparse, regression_fit_model(d$sparse, 2), beta = 2),
      beta_divergence(d$positive, d$positive + 0.5, beta = 0, mask = d$mask),
      beta_divergence(d$positive, d$positive * 1.5, beta = 0.5, weights = d$weights),
      beta_divergence(d$dense, d$positive, beta = 1.5, weights = d$sparse_weights),
      beta_divergence(d$sparse, quiet(nmf_fit(d$sparse, 2, beta = 1, control = ctl,
                                              seed = 1, threads = 1)), beta = 1)
    ),
    cv_speckled = cv("speckled", 2),
    cv_speckled_kl = cv("speckled", 1),
    cv_blocks = cv("blocks", 1),
    cv_bicross = cv("bicross", 2),
    cv_bicross_kl = cv("bicross", 1),
    consensus = list(W = unname(cons$W), H = unname(cons$H), stability = cons$stability,
                     losses = cons$losses, loss = cons$loss),
    align = nmf_align(fixed_W[, 2:1] * 3, fixed_W)$permutation,
    hungarian = unclass(hungarian(d$cost))[c("assignment", "total")],
    hungarian_max = unclass(hungarian(t(d$cost), maximize = TRUE))[c("assignment", "total")]
  )
}

# A fixed dense model of the shape of x (rank-k outer products of ramps).
regression_fit_model <- function(x, k) {
  W <- outer(seq_len(nrow(x)), seq_len(k), function(i, j) 1 + (i * j) %% 5)
  H <- outer(seq_len(k), seq_len(ncol(x)), function(i, j) 0.5 + (i + j) %% 3)
  W %*% H / 4
}

# Whether this processor runs the AVX2 + FMA copies of the kernels (read
# from /proc/cpuinfo; NA where it is absent). Results are bit-identical only
# between processors that run the same copies.
regression_cpu <- function() {
  if (!file.exists("/proc/cpuinfo")) return(NA)
  flags <- grep("^flags", readLines("/proc/cpuinfo", warn = FALSE), value = TRUE)[1]
  if (is.na(flags)) return(NA)
  all(c("avx2", "fma") %in% strsplit(sub("^flags\\s*:\\s*", "", flags), " ")[[1]])
}
