# Every claim of vignettes/betanmf.Rmd, on the same data and seeds.

local_threads <- function(env = parent.frame()) withr::local_options(betanmf.threads = 1, .local_envir = env)
unit <- function(A) sweep(A, 2, sqrt(colSums(A^2)), "/")
angle <- function(cosine) acos(pmin(cosine, 1)) * 180 / pi

test_that("a fit on 250 images predicts the 50 others as well as it fits its own", {
  local_threads()
  parts <- simulate_parts(n = 300, side = 16, seed = 1)
  train <- 1:250
  fit <- nmf_fit(parts$X[, train], rank = 5, seed = 1)
  new <- parts$X[, -train]
  new_error <- norm(new - fit$W %*% predict(fit, new), "F") / norm(new, "F")
  train_error <- summary(fit)$relative_error
  expect_lt(new_error, 1.1 * train_error)
  expect_lt(train_error, 0.1)
})

test_that("NMF finds the planted parts and PCA does not", {
  local_threads()
  parts <- simulate_parts(n = 300, side = 16, seed = 1)
  fit <- nmf_fit(parts$X[, 1:250], rank = 5, seed = 1)
  # centring makes many entries negative
  expect_gt(mean(sweep(parts$X, 1, rowMeans(parts$X)) < 0), 0.5)
  pca <- prcomp(t(parts$X), center = TRUE)
  loadings <- pca$rotation[, 1:5]
  cos_pca <- abs(crossprod(unit(loadings), unit(parts$W)))
  assignment <- hungarian(cos_pca, maximize = TRUE)$assignment
  pca_cos <- cos_pca[cbind(seq_len(5), assignment)]
  nmf_cos <- nmf_align(fit, parts$W)$similarity
  expect_gt(min(nmf_cos), 0.999)
  expect_gt(min(nmf_cos), max(pca_cos))
  expect_lt(max(pca_cos), 0.95)
  # PCs after the first mix signs: the minority sign carries a fifth or more
  negative_share <- colSums(pmin(loadings, 0)) / colSums(abs(loadings))
  minority <- pmin(-negative_share, 1 + negative_share)
  expect_true(all(minority[-1] > 0.2))
  # NMF's parts have exact zeros, PCA's none
  expect_gt(mean(fit$W == 0), 0.05)
  expect_identical(sum(loadings == 0), 0L)
})

test_that("the divergence that matches the noise recovers the planted factors best", {
  skip_on_cran()
  local_threads()
  noises <- c("gaussian", "poisson", "gamma")
  betas <- c(2, 1, 0)
  recovery <- matrix(NA_real_, 3, 3, dimnames = list(noises, betas))
  for (noise in noises) {
    sim <- simulate_noise(noise, sd = 4, shape = 4, seed = 1)
    for (b in betas) {
      f <- nmf_fit(sim$X, rank = 5, beta = b, fixed_W = sim$W[, "baseline", drop = FALSE],
                   seed = 1, control = nmf_control(max_iter = 5000, tol = 1e-6))
      expect_true(f$converged)
      recovery[noise, as.character(b)] <- mean(angle(nmf_align(f$W[, -1], sim$W[, 1:4])$similarity))
    }
  }
  expect_identical(unname(apply(recovery, 1, which.min)), 1:3)
  # small differences between Gaussian and Poisson, large for multiplicative noise
  expect_gt(recovery["gamma", "2"], 2 * recovery["gamma", "0"])
  expect_lt(max(recovery[c("gaussian", "poisson"), ]), 1)
})

test_that("the IS divergence is scale invariant, KL scales as c and squared error as c^2", {
  spectra <- simulate_spectra(n = 300, seed = 1)
  x <- spectra$X
  mu <- spectra$M
  for (cc in c(1e-3, 1e3)) {
    expect_equal(beta_divergence(cc * x, cc * mu, beta = 0), beta_divergence(x, mu, beta = 0),
                 tolerance = 1e-10)
    expect_equal(beta_divergence(cc * x, cc * mu, beta = 1), cc * beta_divergence(x, mu, beta = 1),
                 tolerance = 1e-10)
    expect_equal(beta_divergence(cc * x, cc * mu, beta = 2), cc^2 * beta_divergence(x, mu, beta = 2),
                 tolerance = 1e-10)
  }
  # the IS fit of 1000 X from the same random start has the same W
  local_threads()
  short <- nmf_control(max_iter = 200, tol = 0)
  fit_1 <- nmf_fit(x, rank = 4, beta = "is", init = "random", seed = 1, control = short)
  fit_1000 <- nmf_fit(1000 * x, rank = 4, beta = "is", init = "random", seed = 1, control = short)
  expect_lt(max(abs(fit_1000$W - fit_1$W)), 1e-10)
})

test_that("IS recovers the low-power bands of the spectra and squared error misses them", {
  skip_on_cran()
  local_threads()
  spectra <- simulate_spectra(n = 300, seed = 1)
  # the gamma band holds about a percent of the power, theta a fifth
  expect_lt(sum(spectra$H["gamma", ]) / sum(spectra$M), 0.02)
  expect_gt(sum(spectra$H["theta", ]) / sum(spectra$M), 0.1)
  ctrl <- nmf_control(max_iter = 3000, tol = 1e-7)
  fit_is <- nmf_fit(spectra$X, rank = 4, beta = "is", seed = 1, control = ctrl)
  fit_ls <- nmf_fit(spectra$X, rank = 4, beta = 2, seed = 1, control = ctrl)
  whiten <- function(W) W * spectra$freq^2
  al_is <- nmf_align(whiten(fit_is$W), whiten(spectra$W))
  al_ls <- nmf_align(whiten(fit_ls$W), whiten(spectra$W))
  bands <- 2:4
  expect_true(all(al_is$similarity[bands] > 0.99))
  expect_true(all(al_is$similarity[bands] > al_ls$similarity[bands]))
  expect_lt(min(al_ls$similarity[bands]), 0.5)
  # the squared-error component matched to the 20 Hz band sits at low frequencies
  expect_lt(spectra$freq[which.max(al_ls$aligned[, 3])], 20)
})

test_that("rescaling leaves WH unchanged and nmf_align resolves the order of two fits", {
  local_threads()
  parts <- simulate_parts(n = 300, side = 16, seed = 1)
  fit <- nmf_fit(parts$X[, 1:250], rank = 5, seed = 1)
  D <- diag(c(2, 0.5, 3, 1, 10))
  expect_lt(max(abs((fit$W %*% D) %*% (solve(D) %*% fit$H) - fitted(fit))), 1e-10)
  fit_a <- nmf_fit(parts$X[, 1:150], rank = 5, seed = 1)
  fit_b <- nmf_fit(parts$X[, 151:300], rank = 5, seed = 1)
  true_part <- function(f) apply(nmf_align(f, parts$W)$matrix, 1, which.max)
  expect_false(identical(true_part(fit_a), true_part(fit_b)))
  ab <- nmf_align(fit_b, reference = fit_a)
  expect_gt(min(ab$similarity), 0.999)
  # the permutation maps each part of fit_a to the same part in fit_b
  expect_identical(unname(true_part(fit_b)[ab$permutation]), unname(true_part(fit_a)))
})
