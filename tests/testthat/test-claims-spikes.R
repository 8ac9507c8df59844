# Every claim of vignettes/spikes.Rmd, on the same recording, bins and seeds.

spikes_rec <- function() {
  s <- aplysia[aplysia$recording == "Jun0214da01", ]
  list(spikes = s, n = max(s$neuron))
}

# The analysis of the vignette, computed once for the tests of this file.
spikes_analysis <- local({
  cache <- NULL
  function() {
    if (!is.null(cache)) return(cache)
    withr::local_options(betanmf.threads = 1)
    r <- spikes_rec()
    X <- bin_spikes(r$spikes$neuron, r$spikes$time_s, width = 0.2, neurons = 1:r$n)
    cv <- nmf_cv(X, ranks = 1:10, beta = "kl", holdout = "blocks", replicates = 5, seed = 1)
    cons <- nmf_consensus(X, rank = cv$rank, beta = "kl", restarts = 20, seed = 1)
    cache <<- list(X = X, cv = cv, cons = cons, rank = cv$rank)
    cache
  }
})

onset_of <- function(r) {
  rate_1s <- bin_spikes(r$spikes$neuron, r$spikes$time_s, width = 1, neurons = 1:r$n)
  population <- colSums(rate_1s) / r$n
  start <- attr(rate_1s, "bin_start")
  onset <- start[which.max(diff(stats::filter(population, rep(1 / 3, 3), sides = 1)))]
  list(onset = onset, population = population, start = start)
}

test_that("the population fires faster after the onset of the programme", {
  r <- spikes_rec()
  expect_identical(r$n, 136L)
  o <- onset_of(r)
  expect_gt(o$onset, 10)
  expect_gt(mean(o$population[o$start >= o$onset]), 1.2 * mean(o$population[o$start < o$onset]))
})

test_that("wider bins have fewer zeros and let cross-validation see more components", {
  skip_on_cran()
  withr::local_options(betanmf.threads = 1)
  r <- spikes_rec()
  widths <- c(0.1, 0.2, 0.5, 1)
  res <- t(sapply(widths, function(w) {
    X <- bin_spikes(r$spikes$neuron, r$spikes$time_s, width = w, neurons = 1:r$n)
    cv <- nmf_cv(X, ranks = 1:10, beta = "kl", holdout = "blocks", replicates = 3, seed = 1)
    c(zeros = mean(X == 0), rank = cv$rank)
  }))
  expect_true(all(diff(res[, "zeros"]) < 0))
  expect_true(all(diff(res[, "rank"]) >= 0))
  expect_lt(res[1, "rank"], res[4, "rank"])
  # the vignette continues at 0.2 s, where the rank equals the one of its main analysis
  expect_identical(as.integer(res[2, "rank"]), spikes_analysis()$rank)
})

test_that("held out, the KL fit predicts better in squared error and misses more non-zero counts", {
  skip_on_cran()
  withr::local_options(betanmf.threads = 1)
  X <- spikes_analysis()$X
  withr::local_seed(3)
  hidden <- matrix(FALSE, nrow(X), ncol(X))
  run <- round(0.2 * ncol(X))
  for (i in sample(nrow(X), nrow(X) %/% 2)) {
    first <- sample(ncol(X) - run + 1, 1)
    hidden[i, first:(first + run - 1)] <- TRUE
  }
  fits <- list(kl = nmf_fit(X, rank = 3, beta = "kl", mask = hidden, seed = 1),
               ls = nmf_fit(X, rank = 3, beta = 2, mask = hidden, seed = 1))
  floor_mu <- 1e-10 * mean(X)
  score <- function(fit, beta) {
    beta_divergence(X, pmax(fitted(fit), floor_mu), beta = beta, weights = hidden * 1) / sum(hidden)
  }
  expect_lt(score(fits$kl, 2), score(fits$ls, 2))
  expect_gt(score(fits$kl, 1), score(fits$ls, 1))
  missed <- sapply(fits, function(f) sum(fitted(f)[hidden] < 1e-3 & X[hidden] > 0))
  expect_gt(missed[["kl"]], missed[["ls"]])
})

test_that("on planted assemblies KL recovers every component at least as well as squared error", {
  skip_on_cran()
  withr::local_options(betanmf.threads = 1)
  sim <- simulate_assemblies(neurons = 100, bins = 1200, width = 0.2, seed = 1)
  X <- spikes_analysis()$X
  expect_lt(abs(mean(sim$X == 0) - mean(X == 0)), 0.1) # the same sparsity
  recovered <- sapply(c(1, 2), function(b) {
    nmf_align(nmf_fit(sim$X, rank = ncol(sim$W), beta = b, seed = 1), sim$W)$similarity
  })
  expect_true(all(recovered[, 1] - recovered[, 2] >= -0.001))
  expect_gt(recovered[5, 1], recovered[5, 2] + 0.02)    # the tonic firing
  expect_true(all(recovered[1:4, 1] > 0.99))
})

test_that("cross-validation picks a rank whose components replicate, and consensus confirms it", {
  skip_on_cran()
  a <- spikes_analysis()
  s <- a$cv$summary
  expect_identical(a$rank, a$cv$rank)
  expect_true(all(s$stability[s$rank <= a$rank] > 0.99))
  expect_lt(min(s$stability), min(s$stability[s$rank <= a$rank]))
  expect_gt(s$test_mean[s$rank == a$rank + 1], s$test_mean[s$rank == a$rank])
  expect_gt(min(a$cons$stability$min), 0.99)
  expect_lt((max(a$cons$losses) - min(a$cons$losses)) / min(a$cons$losses), 0.01)
})

test_that("the assemblies split into ones the programme recruits and one it quiets", {
  skip_on_cran()
  a <- spikes_analysis()
  o <- onset_of(spikes_rec())
  W <- a$cons$W
  H <- a$cons$H
  start <- attr(a$X, "bin_start")
  before <- start < o$onset
  ratio <- rowMeans(H[, !before]) / rowMeans(H[, before])
  expect_gte(sum(ratio > 1), 1)
  expect_gte(sum(ratio <= 1), 1)
  # the most recruited assembly peaks within a few seconds of the onset
  peak <- start[which.max(H[which.max(ratio), ])]
  expect_gt(peak, o$onset - 1)
  expect_lt(peak, o$onset + 5)
  # after the onset the least alike pair of assemblies is anticorrelated
  smooth <- function(h) stats::filter(h, rep(1 / 5, 5), sides = 2)
  after_cor <- cor(apply(H[, !before], 1, smooth), use = "complete.obs")
  expect_lt(min(after_cor[upper.tri(after_cor)]), 0)
  # every neuron has a strongest assembly, each assembly holds some neurons
  expect_true(all(tabulate(apply(W, 1, which.max), a$rank) > 10))
})
