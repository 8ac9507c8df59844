# The preparation of data and weights (R/prepare.R, prepare.hpp): weights
# keep full precision at any positive scale.

test_that("a uniform small weight scales the divergence exactly", {
  withr::local_seed(1)
  x <- matrix(stats::rpois(200, 3), 20)
  mu <- matrix(stats::runif(200, 1, 3), 20)
  for (w in c(1e-12, 3e-17, 1e-300)) {
    for (beta in c(0.5, 1, 1.5, 2)) {
      label <- sprintf("weight %g, beta = %g", w, beta)
      wts <- matrix(w, 20, 10)
      expect_equal(beta_divergence(x, mu, beta = beta, weights = wts),
                   w * beta_divergence(x, mu, beta = beta), tolerance = 1e-12, label = label)
      fit <- nmf_fit(x, 2, beta = beta, seed = 1, threads = 1)
      expect_equal(beta_divergence(methods::as(x, "CsparseMatrix"), fit, beta = beta,
                                   weights = wts),
                   w * beta_divergence(x, fit, beta = beta), tolerance = 1e-12, label = label)
    }
  }
  # a subnormal weight is a weight, not a zero
  expect_gt(beta_divergence(x, mu, beta = 1, weights = matrix(1e-320, 20, 10)), 0)
})

test_that("a uniform weight of 1e-300 leaves every solver's fit unchanged", {
  withr::local_seed(2)
  x <- matrix(stats::rpois(200, 3), 20)
  for (solver in c("bcd", "cd", "mu")) {
    beta <- c(bcd = 2, cd = 1, mu = 0.5)[[solver]]
    plain <- nmf_fit(x, 2, beta = beta, solver = solver, seed = 1, threads = 1)
    tiny <- nmf_fit(x, 2, beta = beta, solver = solver, seed = 1, threads = 1,
                    weights = matrix(1e-300, 20, 10))
    expect_identical(tiny$iterations, plain$iterations, label = solver)
    expect_equal(tiny$loss / 1e-300, plain$loss, tolerance = 1e-10, label = solver)
    expect_equal(tiny$W, plain$W, tolerance = 1e-8, label = solver)
  }
})

test_that("dense weights with a tiny entry are stored as weights, others as deltas", {
  w <- matrix(c(1, 0.5, 2, 1), 2)
  expect_identical(betanmf:::weight_spec(NULL, w, 2, 2)$base, 1)
  w[1, 1] <- 1e-12
  spec <- betanmf:::weight_spec(NULL, w, 2, 2)
  expect_identical(spec$base, 0)
  expect_identical(as.matrix(spec$delta), unname(w))
})
