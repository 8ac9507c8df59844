# Every claim of vignettes/spikes.Rmd, on the same recording, bins and seeds.

spikes_rec <- function() {
  s <- aplysia[aplysia$recording == "Jun0214da01", ]
  list(spikes = s, n = max(s$neuron))
}

# The analysis of the vignette, computed once for the tests of this file:
# cross-validation, the consensus at its rank, and one assembly fewer while
# a component of the consensus does not come back (mean cosine below 0.9).
spikes_analysis <- local({
  cache <- NULL
  function() {
    if (!is.null(cache)) return(cache)
    withr::local_options(betanmf.threads = 1)
    r <- spikes_rec()
    X <- bin_spikes(r$spikes$neuron, r$spikes$time_s, width = 0.2, neurons = 1:r$n)
    cv <- nmf_cv(X, ranks = 1:10, beta = "kl", holdout = "blocks", replicates = 5, seed = 1)
    cons_cv <- nmf_consensus(X, rank = cv$rank, beta = "kl", restarts = 20, seed = 1)
    rank <- cv$rank
    cons <- cons_cv
    while (min(cons$stability$mean) < 0.9 && rank > 1) {
      rank <- rank - 1
      cons <- nmf_consensus(X, rank = rank, beta = "kl", restarts = 20, seed = 1)
    }
    cache <<- list(X = X, cv = cv, cons_cv = cons_cv, cons = cons, rank = rank)
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
  # learning W from 1 s sums (pool = 5) brings the tonic firing back, with
  # the assemblies kept and H at every bin
  cons <- nmf_consensus(sim$X, rank = ncol(sim$W), beta = "kl", restarts = 10, seed = 1,
                        pool = 5)
  pooled <- nmf_align(cons$W, sim$W)$similarity
  expect_gt(pooled[5], recovered[5, 1] + 0.02)
  expect_gt(pooled[5], 0.96)
  expect_true(all(pooled[1:4] > 0.99))
  expect_identical(ncol(cons$H), ncol(sim$X))
})

test_that("cross-validation recommends a rank whose components replicate; beyond it they do not", {
  skip_on_cran()
  a <- spikes_analysis()
  s <- a$cv$summary
  r <- a$cv$rank
  expect_lt(r, a$cv$rank_min)
  expect_gte(s$stability_min[s$rank == r], 0.7)
  expect_true(all(s$stability[s$rank <= r] > 0.9))
  beyond <- s[s$rank > r, ]
  # the held-out error still falls beyond the rank, by a few percent ...
  expect_true(all(diff(s$test_mean[s$rank >= r]) < 0))
  expect_lt((s$test_mean[s$rank == r] - min(beyond$test_mean)) / s$test_mean[s$rank == r], 0.05)
  # ... while some component of the replicates no longer matches
  expect_lt(min(beyond$stability_min), 0.5)
})

test_that("the consensus at that rank has a component that does not come back; one fewer is stable", {
  skip_on_cran()
  a <- spikes_analysis()
  expect_equal(a$rank, a$cv$rank - 1)
  expect_lt(min(a$cons_cv$stability$mean), 0.9)
  expect_gt(min(a$cons$stability$min), 0.99)
  kept <- a$cons$losses[a$cons$kept]
  expect_gte(length(kept), 15)
  expect_lt((max(kept) - min(kept)) / min(kept), 1e-3)
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
  expect_gte(sum(ratio > 1.1), 1)
  expect_gte(sum(ratio < 1 / 1.1), 1)
  # several assemblies peak at the onset; the most recruited one peaks later
  peak <- start[apply(H, 1, which.max)]
  expect_gte(sum(abs(peak - o$onset) <= 2), 2)
  expect_gt(peak[which.max(ratio)], o$onset + 10)
  # after the onset the least alike pair of assemblies is anticorrelated
  smooth <- function(h) stats::filter(h, rep(1 / 5, 5), sides = 2)
  after_cor <- cor(apply(H[, !before], 1, smooth), use = "complete.obs")
  expect_lt(min(after_cor[upper.tri(after_cor)]), 0)
  # every neuron has a strongest assembly, each assembly holds some neurons
  expect_true(all(tabulate(apply(W, 1, which.max), a$rank) > 10))
})
