# Held-out predictions at the posterior mode of the lines (R/cv_predict.R).

# The fit of prepared data through the path nmf_cv() uses.
fit_prepared <- function(train, k, beta, seed = 1, threads = 1, solver = "auto",
                         control = nmf_control()) {
  model <- betanmf:::resolve_model(beta, solver, 0, 0, control)
  betanmf:::run_fit(train, k, model, "nndsvd", betanmf:::no_fixed(), seed, threads)
}

# A masked rank-k KL fit of spike counts, as nmf_cv() makes it.
masked_spike_fit <- function(k, seed = 1) {
  d <- planted_spikes(seed)
  held <- holdout_matrix(nrow(d$X), ncol(d$X), "speckled", 0.1, seed, 1)
  train <- betanmf:::prepare_data(d$X, held, NULL, 1)
  fit <- fit_prepared(train, k, beta = 1)
  list(d = d, held = held, train = train, fit = fit)
}

kl_mean <- function(x, y) mean(ifelse(x == 0, y, x * log(x / pmax(y, 1e-300)) - x + y))

test_that("the masked fit is zero at held-out spikes; the posterior mode is not", {
  skip_on_cran()
  z <- masked_spike_fit(5)
  Y <- z$fit$W %*% z$fit$H
  # the symptom: the maximum-likelihood model is exactly zero at many
  # held-out entries, some of which hold spikes
  expect_gt(mean(Y[z$held] == 0), 0.05)
  expect_gt(sum(Y[z$held] == 0 & z$d$X[z$held] > 0), 50)
  post <- betanmf:::cv_posterior(z$train, z$fit, 1, threads = 1L)
  P <- post$W %*% post$H
  expect_true(all(P[z$held] > 0))
  floor <- 1e-10 * mean(z$d$X[!z$held])
  plug <- kl_mean(z$d$X[z$held], pmax(Y[z$held], floor))
  pred <- kl_mean(z$d$X[z$held], P[z$held])
  expect_lt(pred, plug / 1.5)
  # and it beats the rank-1 model, as the planted rates do
  one <- masked_spike_fit(1)
  p1 <- betanmf:::cv_posterior(one$train, one$fit, 1, threads = 1L)
  expect_lt(pred, kl_mean(z$d$X[z$held], (p1$W %*% p1$H)[z$held]))
  expect_lt(kl_mean(z$d$X[z$held], z$d$M[z$held]), pred)
  # the dispersion of Poisson counts is close to 1
  expect_gt(post$phi, 0.6)
  expect_lt(post$phi, 1.4)
})

test_that("on dense data the posterior mode stays at the fit", {
  d <- planted_poisson(60, 50, 3, mean_count = 20, seed = 2)
  held <- holdout_matrix(60, 50, "speckled", 0.1, 2, 1)
  train <- betanmf:::prepare_data(d$X, held, NULL, 1)
  fit <- fit_prepared(train, 3, beta = 1, control = nmf_control(tol = 1e-8, max_iter = 2000))
  post <- betanmf:::cv_posterior(train, fit, 1, threads = 1L)
  Y <- fit$W %*% fit$H
  P <- post$W %*% post$H
  expect_lt(mean(abs(P - Y)) / mean(Y), 0.01)
  expect_lt(max(abs(P - Y)) / mean(Y), 0.1)
})

test_that("the posterior updates decrease their objective and ignore held-out values", {
  z <- masked_spike_fit(3)
  W <- unname(z$fit$W)
  H <- unname(z$fit$H)
  pr <- betanmf:::gamma_moments(H)
  objective <- function(Hp) {
    Y <- W %*% Hp
    obs <- !z$held
    x <- z$d$X[obs]
    y <- Y[obs]
    sum(ifelse(x == 0, y, x * log(x / y) - x + y)) +
      sum(pr$rate * Hp - pr$shape * log(Hp))
  }
  steps <- lapply(c(1, 2, 5, 20), function(it) {
    betanmf:::line_posterior(z$train, W, H, 1, 1, it, 0, 1L)
  })
  obj <- vapply(steps, objective, numeric(1))
  expect_true(all(diff(obj) <= 1e-8 * abs(obj[-1])))
  expect_true(all(steps[[4]] > 0))
  # a held-out value does not change the prediction
  x2 <- z$d$X
  x2[z$held] <- 99
  t2 <- betanmf:::prepare_data(x2, z$held, NULL, 1)
  a <- betanmf:::cv_posterior(z$train, z$fit, 1, threads = 1L)
  b <- betanmf:::cv_posterior(t2, z$fit, 1, threads = 1L)
  expect_identical(a$H, b$H)
  expect_identical(a$W, b$W)
})

test_that("dense and sparse data, one and two threads give the same predictions", {
  for (beta in c(1, 2, 1.5)) {
    x <- small_matrix(40, 60, seed = 4, zeros = 0.7)
    held <- holdout_matrix(40, 60, "speckled", 0.2, 4, 1)
    dense <- betanmf:::prepare_data(x, held, NULL, beta)
    sparse <- betanmf:::prepare_data(Matrix::Matrix(x, sparse = TRUE), held, NULL, beta)
    fit <- fit_prepared(dense, 3, beta = beta, solver = "mu")
    a <- betanmf:::cv_posterior(dense, fit, beta, threads = 1L)
    b <- betanmf:::cv_posterior(sparse, fit, beta, threads = 1L)
    c2 <- betanmf:::cv_posterior(dense, fit, beta, threads = 2L)
    expect_equal(b$W %*% b$H, a$W %*% a$H, tolerance = 1e-8, label = paste("beta", beta))
    expect_identical(c2$H, a$H)
    expect_identical(c2$W, a$W)
    expect_true(all(is.finite(a$W)) && all(a$W %*% a$H > 0))
  }
})

test_that("the Gamma moments and the posterior of data near 1e231 are finite", {
  # rows of 1e231 squared to Inf and gave a NaN shape (fuzz seeds 1490, 5249)
  H <- rbind(c(1, 2, 3, 4), c(0, 0, 0, 0), c(5, 5, 5, 5))
  small <- betanmf:::gamma_moments(H)
  large <- betanmf:::gamma_moments(H * 2^768)
  expect_identical(large$shape, small$shape)
  expect_identical(large$rate * 2^768, small$rate)
  expect_true(all(is.finite(large$shape)) && all(is.finite(large$rate)))
  withr::local_seed(3)
  x <- matrix(stats::rpois(16 * 10, 4) + 1, 16)
  cv <- suppressWarnings(nmf_cv(x * 1e230, 1:2, beta = 1, replicates = 1, seed = 1,
                                threads = 1, control = nmf_control(max_iter = 20)))
  expect_true(all(is.finite(cv$results$train_error)) && all(is.finite(cv$results$test_error)))
})

test_that("the CV errors of subnormal counts are those of the counts, scaled", {
  # all-subnormal counts: the fit's H is subnormal, and the posterior of W
  # against it ended in non-finite factors, reported as an internal error
  # with an empty description of the transposed data (fuzz seed 12996);
  # the test entries were then scored at their own scale, where W H and the
  # terms of the divergence keep a few bits (test errors 20% off)
  withr::local_seed(5)
  x <- matrix(stats::rpois(30 * 11, 0.4), 30)
  c <- 2^-1060
  run <- function(y) {
    suppressWarnings(nmf_cv(y, 1:2, beta = 1, replicates = 1, seed = 1, threads = 1,
                            control = nmf_control(max_iter = 50, tol = 1e-8)))$results
  }
  plain <- run(x)
  tiny <- run(x * c)
  expect_true(all(is.finite(tiny$test_error)) && all(tiny$test_error > 0))
  # d_1(c x | c y) = c d_1(x | y); the errors themselves are subnormal
  # (about 14 bits at 1e-319)
  expect_lt(max(abs(tiny$test_error / c / plain$test_error - 1)), 1e-3)
  expect_lt(max(abs(tiny$train_error / c / plain$train_error - 1)), 1e-3)
})
