# The chosen ranks of nmf_cv() (R/cv_rank.R), the ranks bi-cross-validation
# can test, and the rank choice on sparse spike counts.

# A per-rank summary with the given test curve and least-component stability.
rank_summary <- function(test, stab_min, se = rep(0.001, length(test)), ranks = seq_along(test)) {
  data.frame(rank = ranks, test_mean = test, test_se = se, train_mean = test,
             stability = stab_min, stability_min = stab_min)
}

test_that("rank is the largest stable rank up to rank_min", {
  # the curve's minimum at 6, whose extra component does not replicate
  s <- rank_summary(c(0.5, 0.4, 0.35, 0.31, 0.300, 0.299, 0.31),
                    c(1, 0.99, 0.5, 0.98, 0.97, 0.3, 0.2))
  ch <- cv_choose_ranks(s)
  expect_identical(ch$rank_min, 6L)
  expect_identical(ch$rank_stable, 5L)
  expect_identical(ch$rank, 5L)
  expect_match(ch$reason, "rank 5 is the largest rank up to rank_min = 6")
  # an unstable rank below the minimum does not end the search: rank 3 is
  # unstable, rank 5 is still chosen
  expect_false(s$stability_min[3] >= ch$threshold)
  # a stable minimum is chosen as it is
  s$stability_min[6] <- 0.9
  ch <- cv_choose_ranks(s)
  expect_identical(ch$rank, 6L)
  expect_match(ch$reason, "lowest test error")
  # a stable rank above rank_min is never chosen, though rank_stable says it
  s2 <- rank_summary(c(0.5, 0.3, 0.31, 0.32), c(1, 0.99, 0.98, 0.97))
  ch2 <- cv_choose_ranks(s2)
  expect_identical(ch2$rank, 2L)
  expect_identical(ch2$rank_stable, 4L)
})

test_that("with no stable rank up to rank_min, rank is rank_1se", {
  s <- rank_summary(c(0.5, 0.4, 0.39, 0.392), c(0.5, 0.6, 0.4, 0.3), se = rep(0.005, 4))
  ch <- cv_choose_ranks(s)
  expect_identical(ch$rank_min, 3L)
  expect_identical(ch$rank_1se, 3L)
  expect_identical(ch$rank, ch$rank_1se)
  expect_true(is.na(ch$rank_stable))
  expect_match(ch$reason, "rank_1se")
})

test_that("the stability is 1 for identical replicates and lower for noise", {
  withr::local_seed(1)
  W <- matrix(rexp(50 * 3), 50)
  st <- cv_stability(list(W, W[, 3:1], W))
  expect_equal(unname(st), c(1, 1))
  noisy <- W
  noisy[, 2] <- rexp(50)  # one component that does not replicate
  st <- cv_stability(list(W, noisy))
  expect_lt(st[["min"]], st[["mean"]])
  expect_lt(st[["min"]], 0.9)
  expect_equal(unname(cv_stability(list(W))), c(1, 1))
})

test_that("bi-cross-validation skips ranks a replicate cannot test, naming them", {
  withr::local_seed(2)
  X <- matrix(rpois(200 * 12, 5), 200)
  expect_warning(
    cv <- nmf_cv(X, ranks = 1:5, holdout = "bicross", replicates = 20, seed = 1,
                 threads = 1, control = nmf_control(tol = 1e-4, max_iter = 100)),
    "rank\\(s\\) 5 are tested in 19 of 20 replicates")
  expect_identical(cv$summary$rank, 1:5)
  expect_identical(as.vector(table(cv$results$rank)), c(20L, 20L, 20L, 20L, 19L))
  # the skipped replicate is the one whose training block is too small
  lim <- vapply(1:20, function(rep) {
    l <- betanmf:::cpp_holdout_bicross(200, 12, 0.1, 1, rep)
    min(200 - length(l$rows), 12 - length(l$cols))
  }, numeric(1))
  expect_setequal(setdiff(1:20, cv$results$replicate[cv$results$rank == 5]), which(lim < 5))
  expect_true(all(is.finite(cv$results$test_error)))
  # ranks that no replicate can test are refused with a clear error: a
  # seed whose one replicate keeps a single column of four for training
  left <- vapply(1:200, function(seed) {
    4 - length(betanmf:::cpp_holdout_bicross(200, 4, 0.5, seed, 1)$cols)
  }, numeric(1))
  seed <- which(left == 1)[1]
  expect_false(is.na(seed))
  expect_error(nmf_cv(X[, 1:4], ranks = 2, holdout = "bicross", fraction = 0.5,
                      replicates = 1, seed = seed, threads = 1),
               "`ranks` cannot be tested by bi-cross-validation")
})

test_that("bi-cross-validation of MutationalPatterns' mut_mat does not crash", {
  skip_if_not_installed("MutationalPatterns")
  mut_mat <- readRDS(system.file("states/mut_mat_data.rds", package = "MutationalPatterns"))
  expect_warning(
    cv <- nmf_cv(mut_mat, ranks = 1:4, beta = "kl", holdout = "bicross", replicates = 6,
                 seed = 1, threads = 1),
    "rank\\(s\\) 4 are tested in 5 of 6 replicates")
  expect_s3_class(cv, "nmf_cv")
  expect_true(all(is.finite(cv$results$test_error)))
})

# ---------------------------------------------------------------------------
# Sparse spike counts (helper-spikes.R)

test_that("the spike data have the documented sparsity and planted rank", {
  d <- planted_spikes(1)
  expect_identical(dim(d$X), c(80L, 3000L))
  expect_identical(ncol(d$W), 5L)
  expect_gt(mean(d$X == 0), 0.8)
  expect_lt(mean(d$X == 0), 0.9)
  expect_identical(d$X, planted_spikes(1)$X)
  expect_false(identical(d$X, planted_spikes(2)$X))
})

test_that("the planted rank of sparse spike counts is chosen in at least 9 of 10 seeds", {
  skip_on_cran()
  for (h in c("speckled", "blocks", "bicross")) {
    chosen <- vapply(1:10, function(seed) {
      X <- planted_spikes(seed)$X
      nmf_cv(X, ranks = c(1, 3, 4, 5, 6, 8), beta = "kl", holdout = h, replicates = 2,
             seed = seed, threads = 1)$rank
    }, integer(1))
    expect(sum(chosen == 5L) >= 9, sprintf("%s hold-out: rank %s in seeds 1-10",
                                           h, paste(chosen, collapse = ", ")))
  }
})
