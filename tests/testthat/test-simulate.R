# The simulators behind the vignettes: shapes, truth, noise and seeds.

test_that("a seed gives the same data and leaves the global generator alone", {
  withr::local_seed(99)
  before <- .Random.seed
  a <- simulate_parts(n = 20, seed = 3)
  expect_identical(.Random.seed, before)
  expect_identical(a, simulate_parts(n = 20, seed = 3))
  expect_false(identical(a$X, simulate_parts(n = 20, seed = 4)$X))
  # seed = NULL draws from the generator, so set.seed() governs it
  set.seed(5)
  b <- simulate_parts(n = 20)
  set.seed(5)
  expect_identical(b, simulate_parts(n = 20))
})

test_that("simulate_parts plants five non-negative parts summing to one", {
  d <- simulate_parts(n = 40, side = 16, seed = 1)
  expect_identical(dim(d$X), c(256L, 40L))
  expect_identical(dim(d$W), c(256L, 5L))
  expect_equal(unname(colSums(d$W)), rep(1, 5))
  expect_true(all(d$X >= 0) && all(d$W >= 0) && all(d$H >= 0))
  expect_equal(d$M, d$W %*% d$H)
  expect_gt(mean(d$H == 0), 0.3) # each part in about half of the images
})

test_that("simulate_noise shares the truth across noises and floors the means", {
  g <- simulate_noise("gaussian", seed = 1)
  p <- simulate_noise("poisson", seed = 1)
  m <- simulate_noise("gamma", seed = 1)
  expect_identical(g$M, p$M)
  expect_identical(g$M, m$M)
  expect_equal(min(g$M), 20)                    # the baseline
  expect_equal(unname(g$W[, "baseline"]), rep(1 / 100, 100))
  expect_true(all(p$X == round(p$X)))
  expect_true(all(m$X > 0) && all(g$X > 0))     # beta = 0 needs positive data
  # the noise has the stated scale
  expect_equal(sd(g$X - g$M), 4, tolerance = 0.02)
  expect_equal(sd(m$X / m$M), 0.5, tolerance = 0.02)
  expect_error(simulate_noise("laplace"), "`noise`")
})

test_that("simulate_spectra multiplies a 1/f^2 background and bands by Gamma noise", {
  s <- simulate_spectra(n = 50, seed = 1)
  expect_identical(dim(s$X), c(100L, 50L))
  expect_identical(colnames(s$W), c("background", "theta", "beta", "gamma"))
  expect_equal(unname(s$W[, "background"] / s$W[1, "background"]), 1 / (1:100)^2)
  expect_identical(unname(s$freq[apply(s$W[, -1], 2, which.max)]), c(7L, 20L, 60L))
  expect_true(all(s$H["background", ] > 0))
  expect_true(all(s$X > 0))
  expect_error(simulate_spectra(freq = -1:20), "`freq`")
})

test_that("simulate_calcium builds compact footprints, traces and photon counts", {
  mv <- simulate_calcium(side = 24, frames = 100, neurons = 4, seed = 2)
  expect_identical(dim(mv$Y), c(576L, 100L))
  expect_identical(dim(mv$W), c(576L, 5L))
  expect_identical(colnames(mv$W)[5], "background")
  expect_true(all(mv$Y == round(mv$Y)))
  expect_equal(mv$lambda, mv$photons * mv$W %*% mv$H)
  # compact support: no more pixels than an ellipse of 3 x 2.6 pixels (plus its rim)
  expect_true(all(colSums(mv$W[, 1:4] > 0) <= pi * (3 * 2.6 + 1)^2))
  expect_equal(unname(apply(mv$W[, 1:4], 2, max)), rep(1, 4), tolerance = 0.05)
  # every spike adds a kernel of peak 1: the calcium is zero before the first
  first <- apply(mv$spikes, 1, function(s) match(TRUE, s > 0))
  for (k in which(first > 1)) expect_true(all(mv$calcium[k, seq_len(first[k] - 1)] == 0))
  expect_error(simulate_calcium(neurons = 1000), "`neurons`")
})

test_that("simulate_assemblies plants assemblies and tonic firing in Poisson counts", {
  a <- simulate_assemblies(neurons = 50, bins = 300, assemblies = 3, members = 10, seed = 1)
  expect_identical(dim(a$X), c(50L, 300L))
  expect_identical(colSums(a$membership), rep(10, 3))
  expect_true(all(a$W[, 1:3][!a$membership] == 0))
  expect_identical(unname(a$H["tonic", ]), rep(1, 300))
  expect_gt(mean(a$H[1:3, ] == 0), 0.5) # episodes are sparse
  expect_true(all(a$X == round(a$X)))
})
