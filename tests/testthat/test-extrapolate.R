# Extrapolation between iterations (Ang & Gillis 2019) for coordinate
# descent: opt in with nmf_control(extrapolate = TRUE); the default (NULL)
# extrapolates BCD only.

extrapolate_counts <- function(seed = 3) {
  withr::local_seed(seed)
  W <- matrix(stats::rexp(60 * 4), 60)
  H <- matrix(stats::rexp(4 * 50), 4) * (stats::runif(4 * 50) < 0.6)
  x <- matrix(stats::rpois(60 * 50, W %*% H), 60)
  storage.mode(x) <- "double"
  x
}

kl_fit <- function(x, extrapolate, iters, ...) {
  nmf_fit(x, 4, beta = 1, solver = "cd", seed = 1, threads = 1,
          control = nmf_control(max_iter = iters, tol = 0, extrapolate = extrapolate), ...)
}

test_that("extrapolated coordinate descent is monotone and needs fewer iterations", {
  for (seed in 1:3) {
    x <- extrapolate_counts(seed)
    lab <- sprintf("seed %d", seed)
    plain <- kl_fit(x, FALSE, 150)
    fast <- kl_fit(x, TRUE, 150)
    h <- fast$history$loss
    expect_true(all(diff(h) <= 1e-12 * abs(h[-length(h)])), label = paste(lab, "monotone"))
    expect_equal(fast$loss, beta_divergence(x, fitted(fast), beta = 1), tolerance = 1e-10)
    # the plain fit's objective after 150 iterations, in at most 100
    hit <- which(h <= plain$loss)[1]
    expect_true(!is.na(hit) && hit <= 100,
                label = sprintf("%s: reached after %s iterations", lab, hit))
    # sparse input and two threads give the same bits
    sp <- kl_fit(methods::as(x, "CsparseMatrix"), TRUE, 150)
    expect_identical(sp$W, fast$W)
    expect_identical(sp$H, fast$H)
    two <- nmf_fit(x, 4, beta = 1, solver = "cd", seed = 1, threads = 2,
                   control = nmf_control(max_iter = 150, tol = 0, extrapolate = TRUE))
    expect_identical(two$W, fast$W)
    expect_identical(two$history$loss, fast$history$loss)
  }
})

test_that("the default extrapolates BCD and not coordinate descent", {
  x <- extrapolate_counts(4)
  ctl <- function(e) nmf_control(max_iter = 30, tol = 0, extrapolate = e)
  cd_default <- nmf_fit(x, 4, beta = 1, seed = 1, threads = 1, control = ctl(NULL))
  expect_identical(cd_default$solver, "cd")
  expect_identical(cd_default$W, kl_fit(x, FALSE, 30)$W)
  expect_null(cd_default$solver_state)
  ls_default <- nmf_fit(x, 4, seed = 1, threads = 1, control = ctl(NULL))
  ls_on <- nmf_fit(x, 4, seed = 1, threads = 1, control = ctl(TRUE))
  expect_identical(ls_default$W, ls_on$W)
  expect_false(is.null(ls_default$solver_state))
})

test_that("an extrapolated coordinate-descent fit continued with init = fit is one longer fit", {
  x <- extrapolate_counts(5)
  ctl <- function(n) nmf_control(max_iter = n, tol = 0, normalize = "none", extrapolate = TRUE)
  # a known component keeps the order of the components (test-weights.R);
  # seed 38 gives one whose fit rejects the step of iteration 8, the first
  # of the continuation (which must judge it against the loss the first fit
  # ended with, not a recomputed one a rounding apart)
  withr::local_seed(38)
  known <- matrix(stats::runif(60), 60, 1)
  once <- nmf_fit(x, 4, beta = 1, seed = 1, threads = 1, fixed_W = known, control = ctl(12))
  first <- nmf_fit(x, 4, beta = 1, seed = 1, threads = 1, fixed_W = known, control = ctl(7))
  expect_false(is.null(first$solver_state))
  second <- nmf_fit(x, 4, beta = 1, seed = 1, threads = 1, fixed_W = known, init = first,
                    control = ctl(5))
  expect_identical(second$W, once$W)
  expect_identical(second$H, once$H)
  expect_identical(c(first$history$loss, second$history$loss), once$history$loss)
})
