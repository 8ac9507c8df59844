# Fits that must stay finite and monotone: starts with zeros where the data
# are positive, sparse counts, outliers many orders of magnitude above the
# rest of the data. Every solver, every kind of start.

# The rank-one KL optimum in closed form: the outer product of the margins
# over the total (the Poisson maximum-likelihood fit of independence).
kl_rank_one <- function(x) {
  beta_divergence(x, outer(rowSums(x), colSums(x)) / sum(x), beta = 1)
}

# The largest relative increase of the recorded objective.
largest_rise <- function(fit) {
  l <- fit$history$loss
  if (length(l) < 2L) return(0)
  max(0, diff(l) / abs(l[-length(l)]))
}

expect_sound_fit <- function(fit, x, label, slack = 1e-10) {
  expect_true(all(is.finite(fit$W)) && all(is.finite(fit$H)) && is.finite(fit$loss) &&
                all(is.finite(fit$history$loss)),
              label = paste(label, ": factors, loss and history are finite"))
  expect_lte(largest_rise(fit), slack, label = paste(label, ": largest relative rise"))
  if (fit$beta <= 1) {
    y <- fit$W %*% fit$H
    expect_true(all(y[as.matrix(x) > 0] > 0),
                label = paste(label, ": the model is positive where the data are"))
  }
  expect_false(any(colSums(fit$W) == 0), label = paste(label, ": no empty component"))
}

test_that("rank-one KL fits reach the closed-form optimum from starts with zeros", {
  x <- matrix(c(1, 0, 0, 1, 2, 0), 2)  # NNDSVD leaves row 2 of W at 6e-17
  for (solver in c("cd", "mu")) {
    for (init in c("nndsvd", "random")) {
      label <- sprintf("%s from %s", solver, init)
      fit <- nmf_fit(x, 1, beta = 1, init = init, solver = solver, seed = 1, threads = 1)
      expect_equal(fit$loss, kl_rank_one(x), tolerance = 1e-6, label = label)
      expect_true(fit$converged, label = label)
    }
    # a given start with an exact zero where the data are positive
    start <- list(W = matrix(c(1, 0), 2), H = matrix(c(1, 1, 1), 1))
    fit <- suppressWarnings(nmf_fit(x, 1, beta = 1, init = start, solver = solver,
                                    seed = 1, threads = 1))
    expect_true(is.finite(fit$loss), label = paste(solver, "from a start with a zero"))
  }
})

test_that("an outlier 1e20 times the rest keeps the rank-one KL optimum", {
  x <- matrix(c(1e20, 1, 1, 1), 2)
  for (solver in c("cd", "mu")) {
    fit <- suppressWarnings(nmf_fit(x, 1, beta = 1, solver = solver, seed = 1, threads = 1,
                                    control = nmf_control(max_iter = 2000)))
    expect_equal(fit$loss, kl_rank_one(x), tolerance = 1e-6, label = solver)
    expect_sound_fit(fit, x, solver)
  }
})

test_that("sparse counts at 3% density give finite, monotone fits for beta <= 1", {
  withr::local_seed(11)
  cases <- list(c(beta = 1, solver = "cd"), c(beta = 1, solver = "mu"),
                c(beta = 0.5, solver = "mu"))
  for (k in 1:20) {
    x <- Matrix::rsparsematrix(30, 20, 0.03, rand.x = function(n) stats::rpois(n, 3) + 1)
    for (cs in cases) {
      label <- sprintf("data %d, beta = %s, %s", k, cs[["beta"]], cs[["solver"]])
      fit <- suppressWarnings(nmf_fit(x, 3, beta = as.numeric(cs[["beta"]]),
                                      solver = cs[["solver"]], seed = k, threads = 1))
      expect_true(is.finite(fit$loss), label = label)
      expect_lte(largest_rise(fit), 1e-10, label = label)
      y <- fit$W %*% fit$H
      expect_true(all(y[as.matrix(x) > 0] > 0), label = label)
    }
  }
})

test_that("known components and given starts keep the learned part positive", {
  withr::local_seed(12)
  x <- matrix(stats::rpois(30 * 20, 2), 30) + 1
  fixed_W <- matrix(stats::rexp(30), 30)
  fixed_W[1:10, 1] <- 0
  fixed_H <- matrix(stats::rexp(20), 1)
  fixed_H[1, 1:5] <- 0
  for (solver in c("cd", "mu")) {
    for (beta in if (solver == "cd") 1 else c(1, 0.5, 0)) {
      label <- sprintf("%s, beta = %g", solver, beta)
      a <- suppressWarnings(nmf_fit(x, 3, beta = beta, solver = solver, fixed_W = fixed_W,
                                    seed = 1, threads = 1))
      expect_sound_fit(a, x, paste(label, "fixed_W"))
      b <- suppressWarnings(nmf_fit(x, 3, beta = beta, solver = solver, fixed_H = fixed_H,
                                    seed = 1, threads = 1))
      expect_sound_fit(b, x, paste(label, "fixed_H"))
      start <- list(W = matrix(c(rep(0, 30), stats::rexp(60)), 30),
                    H = matrix(stats::rexp(60), 3))
      d <- suppressWarnings(nmf_fit(x, 3, beta = beta, solver = solver, init = start,
                                    seed = 1, threads = 1))
      expect_sound_fit(d, x, paste(label, "given start with a zero column"))
    }
  }
})

test_that("an infinite objective is never reported as converged", {
  # a known W with a zero row cannot model the positive data of that row
  x <- matrix(1:12, 4)
  W <- matrix(c(0, 1, 2, 3), 4)
  fit <- suppressWarnings(nmf_fit(x, 1, beta = 1, fixed_W = W, seed = 1, threads = 1))
  expect_identical(fit$loss, Inf)
  expect_false(fit$converged)
  expect_warning(nmf_fit(x, 1, beta = 1, fixed_W = W, seed = 1, threads = 1),
                 "infinite.*`fixed_W`")
})

test_that("an outlier 1e16 to 1e17 times the median keeps every solver monotone", {
  withr::local_seed(2)
  x <- matrix(stats::rpois(600, 3) + 1, 30)
  cases <- list(list(beta = 1, solver = "cd", at = 1e16), list(beta = 1, solver = "mu", at = 1e16),
                list(beta = 0.5, solver = "mu", at = 1e17), list(beta = 0, solver = "mu", at = 1e17),
                list(beta = 1.5, solver = "mu", at = 1e17), list(beta = 2, solver = "mu", at = 1e17),
                list(beta = 3, solver = "mu", at = 1e17),
                # HALS steps themselves round at 1e-5 of the objective here:
                # W^T X and H X^T hold terms of 1e17 whose last bits (16) are
                # the size of a step; the steps of eight lines at once round
                # up to 2.4e-5
                list(beta = 2, solver = "bcd", at = 1e17, slack = 1e-4))
  for (cs in cases) {
    xi <- x
    xi[7, 4] <- cs$at
    label <- sprintf("beta = %g, %s, outlier %g", cs$beta, cs$solver, cs$at)
    fit <- suppressWarnings(nmf_fit(xi, 3, beta = cs$beta, solver = cs$solver, seed = 1,
                                    threads = 1))
    expect_sound_fit(fit, xi, label, slack = cs$slack %||% 1e-10)
    # at beta > 2 one ulp of W H at the outlier (16 at 1e17) is a divergence
    # of 1e19 (y (x - y)^2 / 2): the value depends on the last bit of the
    # model, and a model rounded once more (the scaling of the returned
    # factors, R's own product) need not agree
    if (cs$beta <= 2) {
      expect_equal(fit$divergence, beta_divergence(xi, fitted(fit), beta = cs$beta),
                   tolerance = 1e-8, label = label)
    }
    expect_gt(fit$iterations, 2, label = label)
    # sparse data take other paths (their rounding differs, and at this
    # range two paths may end in different local minima): as sound
    sp <- suppressWarnings(nmf_fit(methods::as(xi, "CsparseMatrix"), 3, beta = cs$beta,
                                   solver = cs$solver, seed = 1, threads = 1))
    expect_sound_fit(sp, xi, paste(label, "sparse"), slack = cs$slack %||% 1e-10)
  }
})

# ---- extreme magnitudes -------------------------------------------------------

test_that("beta_divergence() is finite at subnormal data and models", {
  # x = 1, y = 5e-324: log(x / y) overflows, log x - log y does not
  expect_equal(beta_divergence(matrix(1), matrix(5e-324), beta = 1),
               -log(5e-324) - 1, tolerance = 1e-14)
  expect_equal(beta_divergence(matrix(1), matrix(5e-324), beta = 0.5),
               2 * (1 / sqrt(5e-324)) - 4 + 2 * sqrt(5e-324), tolerance = 1e-12)
  withr::local_seed(3)
  x <- matrix(stats::rpois(20, 3), 4)
  mu <- matrix(stats::runif(20, 1, 3), 4)
  x_sub <- x
  x_sub[which(x == 0)[1]] <- 1e-323
  for (beta in c(0.5, 1, 1.5, 2, 3)) {
    # a subnormal datum counts as the zero it approaches
    expect_equal(beta_divergence(x_sub, mu, beta = beta), beta_divergence(x, mu, beta = beta),
                 tolerance = 1e-15, label = sprintf("beta = %g", beta))
  }
})

test_that("fits of data at the ends of the double range match a log-space reference", {
  withr::local_seed(2)
  x <- matrix(stats::rpois(600, 3) + 1, 30)
  for (beta in c(0, 0.5, 1, 1.5, 2, 3)) {
    plain <- suppressWarnings(nmf_fit(x, 3, beta = beta, seed = 1, threads = 1))
    for (e in c(-1070, -600, 500, 990)) {
      top <- log(12) + e * log(2)  # about log(max(x) 2^e)
      ok <- top <= log(.Machine$double.xmax / 1e8) && (beta <= 1 || beta * top <= 690)
      label <- sprintf("beta = %g, x 2^%d", beta, e)
      if (!ok) {
        expect_error(nmf_fit(x * 2^e, 3, beta = beta, seed = 1, threads = 1), "`x` has entries",
                     label = label)
        next
      }
      fit <- suppressWarnings(nmf_fit(x * 2^e, 3, beta = beta, seed = 1, threads = 1))
      expect_true(all(is.finite(fit$W)) && all(is.finite(fit$H)) && is.finite(fit$loss) &&
                    all(is.finite(fit$history$loss)), label = label)
      if (fit$loss > 0) expect_lte(largest_rise(fit), 1e-10, label = label)
      # log D(c X | c Y) = beta log c + log D(X | Y), with Y = W H / c exact
      ref <- beta * e * log(2) +
        log(beta_divergence(x, fit$W %*% (fit$H * 2^(-e / 2) * 2^(-e / 2)), beta = beta))
      if (beta * e * log(2) + log(plain$loss) > log(.Machine$double.xmin)) {
        tol <- if (e < -1000) 1e-2 else 1e-8  # H itself is subnormal at 2^-1070
        expect_equal(log(fit$loss), ref, tolerance = tol, label = label)
        # as good a fit as at the scale of the data (another local minimum)
        expect_lt(abs(log(fit$loss) - beta * e * log(2) - log(plain$loss)), 0.05,
                  label = label)
      }
    }
  }
})

test_that("data beyond the documented magnitude limit get an error naming them", {
  x <- matrix(c(1, 2, 3, 4), 2)
  expect_error(nmf_fit(x * 1e305, 1, beta = 1), "`x` has entries up to .*double.xmax")
  expect_error(nmf_fit(x * 1e200, 1, beta = 2), "`x` has entries up to .*beta = 2")
  expect_error(nmf_fit(x * 1e-310, 1, beta = -1), "`x` has positive entries down to")
  expect_error(beta_divergence(x, x * 1e200, beta = 2), "`mu` has entries up to")
  expect_true(is.finite(nmf_fit(x * 1e299, 1, beta = 1, seed = 1, threads = 1)$loss))
})

test_that("subnormal entries among counts and subnormal newdata give finite fits", {
  withr::local_seed(4)
  x <- matrix(stats::rpois(600, 3) + 1, 30)
  x[1, 1] <- 1e-320
  for (beta in c(0, 0.5, 1)) {
    fit <- suppressWarnings(nmf_fit(x, 3, beta = beta, seed = 1, threads = 1))
    expect_true(is.finite(fit$loss) && all(is.finite(fit$history$loss)),
                label = sprintf("beta = %g", beta))
  }
  x[1, 1] <- 1
  fit <- nmf_fit(x, 3, beta = 0.5, seed = 1, threads = 1)
  H <- predict(fit, x, threads = 1)
  H_sub <- predict(fit, x * 2^-1062, threads = 1)
  expect_true(all(is.finite(H_sub)) && all(H_sub > 0))
  expect_equal(H_sub * 2^531 * 2^531, H, tolerance = 1e-2)
})

# ---- the randomized harness's cases (tools/fuzz.R) ------------------------------

test_that("a subnormal datum beside a large one keeps the fit's loss finite", {
  # fitted at scale, 1e-315 beside 2e13 rounded to zero, where the
  # Itakura-Saito divergence is infinite although the factors' is not
  # (fuzz seed 4419)
  withr::local_seed(6)
  x <- matrix(stats::rexp(16 * 15), 16)
  x[3, 4] <- 2e13
  x[5, 6] <- 8e-316
  for (beta in c(0, 0.5, 1)) {
    for (sparse in c(FALSE, TRUE)) {
      xs <- if (sparse) methods::as(x, "CsparseMatrix") else x
      fit <- suppressWarnings(nmf_fit(xs, 3, beta = beta, solver = "mu", seed = 1, threads = 1,
                                      control = nmf_control(max_iter = 30, tol = 0)))
      lab <- sprintf("beta = %g, sparse = %s", beta, sparse)
      expect_true(is.finite(fit$loss) && all(is.finite(fit$history$loss)), label = lab)
      expect_equal(fit$loss, beta_divergence(x, fit$W %*% fit$H, beta = beta),
                   tolerance = 1e-8, label = lab)
    }
  }
})

test_that("the multiplicative updates with an L2 penalty at beta < 2 are monotone", {
  # the step with l2 f in the denominator passes the minimum of its
  # auxiliary function (fuzz seeds 905, 1152, 3654)
  withr::local_seed(5)
  x <- matrix(stats::rpois(14 * 13, 2) * (stats::runif(14 * 13) < 0.4), 14) + 0
  x[3, 4] <- 131961
  for (beta in c(-0.5, 0.5, 0.9, 1, 1.5)) {
    xb <- if (beta <= 0) x + 1 else x
    fit <- suppressWarnings(nmf_fit(xb, 2, beta = beta, solver = "mu", l2 = c(W = 0.3, H = 1.3),
                                    control = nmf_control(max_iter = 60, tol = 0),
                                    seed = 1, threads = 1))
    expect_sound_fit(fit, xb, sprintf("beta = %g, l2", beta), slack = 1e-10)
  }
})

test_that("KL coordinate descent keeps the model positive after a dominant component leaves", {
  # NNDSVD fills zeros with the mean; with an outlier of 1e8 the first
  # steps remove components 1e10 times the rest (fuzz seeds 637, 9348)
  withr::local_seed(9348)
  x <- matrix(stats::rpois(17 * 19, 2) * (stats::runif(17 * 19) < 0.15), 17) + 0
  x[x == 0 & stats::runif(length(x)) < 0.05] <- 1
  x[5, 6] <- 8.2e7
  fit <- suppressWarnings(nmf_fit(methods::as(x, "CsparseMatrix"), 2, beta = 1, solver = "cd",
                                  seed = 1, threads = 1))
  expect_sound_fit(fit, x, "cd, outlier 8e7", slack = 1e-10)
})

test_that("masked KL coordinate descent that fits the data exactly stays bounded", {
  # the partners at masked entries grew without bound and base s - masked
  # cancelled (fuzz seed 802)
  withr::local_seed(802)
  W <- matrix(stats::rexp(29 * 5), 29)
  H <- matrix(stats::rexp(5 * 18), 5)
  x <- W %*% H
  mask <- matrix(stats::runif(length(x)) < 0.2, 29)
  start <- list(W = W * (stats::runif(length(W)) > 0.3) + 0, H = H * 1.5)
  fit <- suppressWarnings(nmf_fit(x, 5, beta = 1, solver = "cd", mask = mask, init = start,
                                  control = nmf_control(max_iter = 200, tol = 1e-8),
                                  seed = 1, threads = 1))
  expect_true(all(is.finite(fit$W)) && all(is.finite(fit$H)) && is.finite(fit$loss))
  expect_lte(largest_rise(fit), 1e-8)
  expect_lt(max(fitted(fit)), 1e3 * max(x))
})

test_that("extreme data with weights, masks, known components and far starts give finite fits", {
  withr::local_seed(12)
  base <- matrix(stats::rpois(26 * 10, 3) + 0, 26)
  # weights down to 1e-300 on data at 1e290: the model at those entries is
  # bound by nothing (fuzz seeds 1507, 6432)
  w <- matrix(10^stats::runif(length(base), -300, 2), 26)
  fit <- suppressWarnings(nmf_fit(base * 1e290, 3, beta = 0.5, weights = w, seed = 1,
                                  threads = 1))
  expect_true(all(is.finite(fit$W)) && all(is.finite(fit$H)) && is.finite(fit$loss))
  # a known W on data at 1e257 and at 1 (fuzz seeds 4094, 7416, 8901):
  # a projection gives the same H up to the scale, and a fit with a
  # learned component beside the known one stays finite and monotone
  x <- base + 1
  known <- matrix(stats::rexp(26), 26) + 0.01
  ctl <- nmf_control(max_iter = 200, tol = 1e-12)
  small <- suppressWarnings(nmf_fit(x, 1, beta = 1, fixed_W = known, seed = 1, threads = 1,
                                    control = ctl))
  large <- suppressWarnings(nmf_fit(x * 2^850, 1, beta = 1, fixed_W = known, seed = 1,
                                    threads = 1, control = ctl))
  expect_equal(large$H / 2^850, small$H, tolerance = 1e-6)
  two <- suppressWarnings(nmf_fit(x * 2^850, 2, beta = 0, fixed_W = known, seed = 1,
                                  threads = 1, control = nmf_control(max_iter = 50, tol = 0)))
  expect_true(all(is.finite(two$H)) && all(is.finite(two$history$loss)))
  expect_lte(largest_rise(two), 1e-8)
  # a start drawn near 1 for data at 1e-300 (fuzz seeds 3804, 4040, 7604)
  start <- list(W = matrix(stats::rexp(26 * 2), 26), H = matrix(stats::rexp(2 * 10), 2))
  for (beta in c(2, 3.5)) {
    f <- suppressWarnings(nmf_fit(x * 1e-300, 2, beta = beta, init = start, seed = 1,
                                  threads = 1, l2 = if (beta > 2) 1 else 0))
    l <- f$history$loss
    expect_true(all(is.finite(l)), label = sprintf("beta = %g", beta))
    expect_true(all(diff(l) <= 1e-8 * abs(l[-length(l)])), label = sprintf("beta = %g", beta))
  }
})

test_that("the history of a fit with a penalty at beta = 3 on data at 1e-298 does not rise", {
  # the scaled objective underflows to 0; the loss at the original scale is
  # the penalty of 1e-251 (fuzz seeds 1131, 2326)
  withr::local_seed(13)
  x <- matrix(stats::rexp(26 * 27), 26) * 1e-297
  fit <- suppressWarnings(nmf_fit(x, 3, beta = 3, l1 = 2.5, seed = 1, threads = 1))
  l <- fit$history$loss
  expect_true(is.finite(fit$loss) && all(is.finite(l)))
  expect_true(all(diff(l) <= 0))
})

test_that("a start near 1 for all-subnormal data gives finite fits", {
  # at scale such a start is some 2^1090, whose mean model overflowed, so
  # that it was not moved to the data (fuzz seeds 16304, 30659)
  withr::local_seed(3)
  x <- matrix(stats::rpois(24 * 20, 2), 24) * 5e-324
  start <- list(W = matrix(stats::runif(24 * 3), 24), H = matrix(stats::runif(3 * 20), 3))
  for (b in c(0.5, 1, 3)) {
    fit <- nmf_fit(x, 3, beta = b, solver = "mu", init = start, threads = 1,
                   control = nmf_control(max_iter = 20, tol = 0))
    expect_true(all(is.finite(fit$W)) && all(is.finite(fit$H)) && is.finite(fit$loss),
                label = sprintf("beta = %g: finite factors and loss", b))
    expect_equal(fit$loss, beta_divergence(x, fitted(fit), beta = b), tolerance = 1e-6,
                 label = sprintf("beta = %g: loss", b))
  }
})

test_that("L2 beside a known W on data near 1e264 reaches a finite objective", {
  # the flat start of the projection sat at the unpenalized level, some
  # 2^438 above the penalty's minimum, and the loss stayed Inf (fuzz 32810)
  withr::local_seed(4)
  x <- matrix(stats::rpois(8 * 7, 5), 8) * 1e263
  W <- matrix(stats::runif(8), 8) + 0.3
  fit <- nmf_fit(x, fixed_W = W, beta = 1, l2 = c(W = 0, H = 0.7), threads = 1,
                 control = nmf_control(max_iter = 5))
  expect_true(is.finite(fit$loss) && all(is.finite(fit$history$loss)))
  # (the returned W is normalized; the penalty is on H against the W given)
  h_fit <- fitted(fit)[1, ] / W[1, 1]
  pen <- 0.7 / 2 * sum(h_fit^2)
  expect_equal(fit$loss, beta_divergence(x, fitted(fit), beta = 1) + pen, tolerance = 1e-10)
  # the minimum of each column, for one component: sum(W) + l2 h =
  # sum_i x_ij W_i / (W_i h) = colSums(x) / h, a quadratic in h
  a <- sum(W)
  h <- (-a + sqrt(a^2 + 4 * 0.7 * colSums(x))) / (2 * 0.7)
  # (within 1e-4 after five iterations from the best flat start)
  expect_equal(fitted(fit), W %*% t(h), tolerance = 1e-4, ignore_attr = TRUE)
})

test_that("penalties that a scaled fit beside known components cannot weigh are errors", {
  withr::local_seed(4)
  x <- matrix(stats::rpois(8 * 7, 5) + 1, 8) * 1e275
  W <- matrix(stats::runif(8 * 2), 8) + 0.3
  expect_error(nmf_fit(x, fixed_W = W, beta = 1, l2 = c(W = 0, H = 0.1), threads = 1),
               "`l2` = 0.1 on H cannot be fitted beside `fixed_W`")
  expect_error(nmf_fit(x, 3, fixed_W = W, beta = 0.5, l2 = 0.1, threads = 1), "`l2`")
  # without penalties, or on data at a moderate scale, the same fits run
  expect_true(is.finite(nmf_fit(x, fixed_W = W, beta = 1, threads = 1)$loss))
  expect_true(is.finite(nmf_fit(x / 1e274, fixed_W = W, beta = 1, l2 = c(W = 0, H = 0.1),
                                threads = 1)$loss))
})
