# The solvers for every beta: "mu" (multiplicative updates, any beta), "cd"
# (coordinate descent, beta = 1) and "bcd" (HALS, beta = 2). Each property is
# checked for every applicable pair of beta and solver.

solver_cases <- data.frame(
  beta = c(0, 0.5, 1, 1, 1.5, 2, 2, 3),
  solver = c("mu", "mu", "mu", "cd", "mu", "mu", "bcd", "mu"),
  stringsAsFactors = FALSE
)

case_label <- function(beta, solver, ...) {
  paste0(sprintf("beta = %g, solver = \"%s\"", beta, solver), ...)
}

# Data for a beta: counts with zeros for beta > 0, the same counts plus one
# (strictly positive) for beta <= 0.
solver_data <- function(beta, m = 30, n = 20, seed = 1) {
  x <- small_matrix(m, n, seed = seed, zeros = 0.3)
  if (beta <= 0) x + 1 else x
}

# Relative difference of two arrays: max |a - b| / max |b|.
max_rel_diff <- function(a, b) max(abs(a - b)) / max(abs(b), .Machine$double.xmin)

expect_monotone <- function(fit, label, slack = 1e-10) {
  l <- fit$history$loss
  expect_gt(length(l), 5)
  up <- diff(l) / abs(l[-length(l)])
  expect_true(all(up <= slack),
              label = sprintf("%s: largest relative increase %.3g is at most %g", label,
                              max(up), slack))
}

expect_all_finite <- function(fit, label) {
  ok <- all(is.finite(fit$W)) && all(is.finite(fit$H)) && is.finite(fit$loss) &&
    is.finite(fit$divergence) && all(is.finite(fit$history$loss))
  expect_true(ok, label = paste0(label, ": W, H, loss, divergence and history are finite"))
}

test_that("solver = \"auto\" picks bcd for beta = 2, cd for beta = 1, mu otherwise", {
  x <- solver_data(1)
  ctl <- nmf_control(max_iter = 5, tol = 0)
  pick <- function(beta, x) nmf_fit(x, 2, beta = beta, control = ctl, seed = 1, threads = 1)$solver
  expect_identical(pick(2, x), "bcd")
  expect_identical(pick(1, x), "cd")
  expect_identical(pick(0.5, x), "mu")
  expect_identical(pick(1.5, x), "mu")
  expect_identical(pick(3, x), "mu")
  expect_identical(pick(0, x + 1), "mu")
  expect_identical(pick(-1, x + 1), "mu")
})

test_that("the objective never increases, for every beta and solver", {
  for (i in seq_len(nrow(solver_cases))) {
    beta <- solver_cases$beta[i]
    solver <- solver_cases$solver[i]
    x <- solver_data(beta)
    ctl <- nmf_control(max_iter = 150, tol = 0)
    for (init in c("nndsvd", "random")) {
      fit <- nmf_fit(x, 3, beta = beta, solver = solver, init = init, control = ctl,
                     seed = 3, threads = 1)
      expect_identical(fit$solver, solver)
      expect_identical(fit$iterations, 150L)
      expect_equal(fit$history$iteration, seq_len(150))
      expect_monotone(fit, case_label(beta, solver, ", init = ", init))
    }
    # with penalties on both factors the penalized objective decreases
    fit <- nmf_fit(x, 3, beta = beta, solver = solver, l1 = c(W = 0.5, H = 2),
                   l2 = c(W = 1, H = 0.1), control = ctl, seed = 3, threads = 1)
    expect_monotone(fit, case_label(beta, solver, ", with penalties"))
  }
})

test_that("dense and sparse input give the same factors, for every beta and solver", {
  for (i in seq_len(nrow(solver_cases))) {
    beta <- solver_cases$beta[i]
    solver <- solver_cases$solver[i]
    x <- solver_data(beta)
    s <- Matrix::Matrix(x, sparse = TRUE)
    expect_s4_class(s, "dgCMatrix")
    ctl <- nmf_control(max_iter = 60, tol = 0)
    for (init in c("nndsvd", "random")) {
      label <- case_label(beta, solver, ", init = ", init)
      dense <- nmf_fit(x, 3, beta = beta, solver = solver, init = init, control = ctl,
                       seed = 4, threads = 1)
      sparse <- nmf_fit(s, 3, beta = beta, solver = solver, init = init, control = ctl,
                        seed = 4, threads = 1)
      expect_lt(max_rel_diff(sparse$W, dense$W), 1e-8, label = paste(label, "W"))
      expect_lt(max_rel_diff(sparse$H, dense$H), 1e-8, label = paste(label, "H"))
      expect_equal(sparse$divergence, dense$divergence, tolerance = 1e-8, label = label)
    }
  }
})

test_that("one and two threads give identical fits, for every beta and solver", {
  for (i in seq_len(nrow(solver_cases))) {
    beta <- solver_cases$beta[i]
    solver <- solver_cases$solver[i]
    x <- solver_data(beta, m = 40, n = 36)
    # few iterations: two threads on a busy machine can be slow, not different
    ctl <- nmf_control(max_iter = 4, tol = 0)
    # sparse input once per solver, starting from random factors
    inputs <- if (solver != "mu" || beta == 1.5) c("dense", "sparse") else "dense"
    for (input in inputs) {
      xi <- if (input == "sparse") Matrix::Matrix(x, sparse = TRUE) else x
      init <- if (input == "sparse") "random" else "nndsvd"
      one <- nmf_fit(xi, 3, beta = beta, solver = solver, init = init, control = ctl,
                     seed = 5, threads = 1)
      two <- nmf_fit(xi, 3, beta = beta, solver = solver, init = init, control = ctl,
                     seed = 5, threads = 2)
      label <- case_label(beta, solver, ", ", input)
      expect_identical(two$W, one$W, label = paste(label, "W"))
      expect_identical(two$H, one$H, label = paste(label, "H"))
      expect_identical(two$loss, one$loss, label = paste(label, "loss"))
      expect_identical(two$divergence, one$divergence, label = paste(label, "divergence"))
      expect_identical(two$history$loss, one$history$loss, label = paste(label, "history"))
    }
  }
})

test_that("the same seed gives the same fit and another seed another, for every beta and solver", {
  for (i in seq_len(nrow(solver_cases))) {
    beta <- solver_cases$beta[i]
    solver <- solver_cases$solver[i]
    x <- solver_data(beta)
    ctl <- nmf_control(max_iter = 40, tol = 0)
    for (init in c("nndsvd", "random")) {
      label <- case_label(beta, solver, ", init = ", init)
      a <- nmf_fit(x, 3, beta = beta, solver = solver, init = init, control = ctl,
                   seed = 11, threads = 1)
      b <- nmf_fit(x, 3, beta = beta, solver = solver, init = init, control = ctl,
                   seed = 11, threads = 1)
      expect_identical(b$W, a$W, label = paste(label, "W"))
      expect_identical(b$H, a$H, label = paste(label, "H"))
      expect_identical(b$history$loss, a$history$loss, label = paste(label, "history"))
      if (init == "random") {
        c <- nmf_fit(x, 3, beta = beta, solver = solver, init = init, control = ctl,
                     seed = 12, threads = 1)
        expect_false(identical(c$W, a$W), label = paste(label, "another seed"))
      }
    }
    # seed = NULL draws the seed from R's generator
    withr::with_seed(21, a <- nmf_fit(x, 3, beta = beta, solver = solver,
                                      init = "random", control = ctl, threads = 1))
    withr::with_seed(21, b <- nmf_fit(x, 3, beta = beta, solver = solver,
                                      init = "random", control = ctl, threads = 1))
    expect_identical(b$seed, a$seed)
    expect_identical(b$W, a$W)
  }
})

test_that("fit$divergence is beta_divergence() of the data and the fitted model", {
  for (i in seq_len(nrow(solver_cases))) {
    beta <- solver_cases$beta[i]
    solver <- solver_cases$solver[i]
    x <- solver_data(beta)
    ctl <- nmf_control(max_iter = 50, tol = 0)
    label <- case_label(beta, solver)
    fit <- nmf_fit(x, 3, beta = beta, solver = solver, control = ctl, seed = 6,
                   threads = 1)
    expect_equal(fit$divergence, beta_divergence(x, fitted(fit), beta), tolerance = 1e-8,
                 label = label)
    expect_equal(fit$divergence, beta_divergence(x, fit, beta, threads = 1),
                 tolerance = 1e-8, label = label)
    expect_equal(fit$divergence,
                 beta_divergence(Matrix::Matrix(x, sparse = TRUE), fit, beta, threads = 1),
                 tolerance = 1e-8, label = paste(label, "sparse"))
    # no penalty: the loss is the divergence and the last point of the history
    expect_equal(fit$loss, fit$divergence, tolerance = 1e-12, label = label)
    expect_equal(fit$history$loss[nrow(fit$history)], fit$loss, tolerance = 1e-8,
                 label = label)
  }
})

test_that("an all-zero row and column give no NaN or Inf, for beta > 0 and every solver", {
  x <- small_matrix(30, 20, seed = 2, zeros = 0.3)
  x[4, ] <- 0
  x[, 9] <- 0
  s <- Matrix::Matrix(x, sparse = TRUE)
  ctl <- nmf_control(max_iter = 80, tol = 0)
  for (i in which(solver_cases$beta > 0)) {
    beta <- solver_cases$beta[i]
    solver <- solver_cases$solver[i]
    for (init in c("nndsvd", "random")) {
      for (input in c("dense", "sparse")) {
        xi <- if (input == "sparse") s else x
        label <- case_label(beta, solver, ", init = ", init, ", ", input)
        fit <- nmf_fit(xi, 3, beta = beta, solver = solver, init = init, control = ctl,
                       seed = 7, threads = 1)
        expect_all_finite(fit, label)
        expect_true(all(fit$W >= 0) && all(fit$H >= 0), label = label)
        expect_monotone(fit, label)
        # the model of the empty row and column vanishes
        mu <- fitted(fit)
        expect_lt(max(mu[4, ], mu[, 9]), 1e-6 * max(mu), label = label)
        H <- predict(fit, xi, threads = 1)
        expect_true(all(is.finite(H)), label = paste(label, "predict"))
      }
    }
  }
})

test_that("beta <= 0 on positive data gives finite fits", {
  x <- solver_data(0, seed = 3)
  for (beta in c(0, -0.5)) {
    fit <- nmf_fit(x, 3, beta = beta, control = nmf_control(max_iter = 80, tol = 0),
                   seed = 1, threads = 1)
    expect_identical(fit$solver, "mu")
    expect_all_finite(fit, sprintf("beta = %g", beta))
    expect_monotone(fit, sprintf("beta = %g", beta))
  }
})

# Noise-free data of exact rank r with strictly positive factors (usable with
# every beta).
planted_exact <- function(m, n, r, seed) {
  p <- planted_nmf(m, n, r, seed = seed)
  W <- p$W + 0.05
  H <- p$H + 0.2
  list(X = W %*% H, W = W, H = H)
}

test_that("predict() reproduces the fitted columns of an exact model, for every beta and solver", {
  p <- planted_exact(25, 20, 2, seed = 2)
  ctl <- nmf_control(max_iter = 3000, tol = 1e-13)
  for (i in seq_len(nrow(solver_cases))) {
    beta <- solver_cases$beta[i]
    solver <- solver_cases$solver[i]
    label <- case_label(beta, solver)
    fit <- suppressWarnings(nmf_fit(p$X, 2, beta = beta, solver = solver, control = ctl,
                                    seed = 1, threads = 1))
    H <- suppressWarnings(predict(fit, p$X, control = ctl, threads = 1))
    expect_identical(dim(H), dim(fit$H))
    expect_true(all(is.finite(H)) && all(H >= 0), label = label)
    mu <- fitted(fit)
    rel <- sqrt(sum((fit$W %*% H - mu)^2) / sum(mu^2))
    expect_lt(rel, 1e-3, label = paste(label, ": relative error of W H_predicted"))
    # H is a minimizer for the fixed W: perturbing it does not lower the objective
    obj <- beta_divergence(p$X, fit$W %*% H, beta)
    withr::with_seed(1, {
      for (k in 1:3) {
        H_pert <- H * exp(stats::rnorm(length(H), sd = 0.02))
        expect_lte(obj, beta_divergence(p$X, fit$W %*% H_pert, beta), label = label)
      }
    })
  }
})

test_that("predict() gives H for new columns with the solver and beta of the fit", {
  p <- planted_exact(25, 24, 2, seed = 3)
  train <- p$X[, 1:18]
  new <- p$X[, 19:24]
  colnames(new) <- paste0("new", 1:6)
  ctl <- nmf_control(max_iter = 400, tol = 1e-8)
  for (i in seq_len(nrow(solver_cases))) {
    beta <- solver_cases$beta[i]
    solver <- solver_cases$solver[i]
    label <- case_label(beta, solver)
    fit <- suppressWarnings(nmf_fit(train, 2, beta = beta, solver = solver, control = ctl,
                                    seed = 1, threads = 1))
    H <- suppressWarnings(predict(fit, new, control = ctl, threads = 1))
    expect_identical(dim(H), c(2L, 6L))
    expect_identical(colnames(H), colnames(new))
    expect_true(all(is.finite(H)) && all(H >= 0), label = label)
    # the new columns are explained about as well as the training columns
    err_new <- sqrt(sum((fit$W %*% H - new)^2) / sum(new^2))
    expect_lt(err_new, 0.05, label = paste(label, ": relative error on new columns"))
    # sparse newdata gives the same H
    Hs <- suppressWarnings(predict(fit, Matrix::Matrix(new, sparse = TRUE), control = ctl,
                                   threads = 1))
    # predict() stops on the relative change of the objective, and the dense
    # and sparse products round differently, so the stop can fall one
    # iteration apart: agreement to the tolerance of the stop, not to 1e-8
    expect_lt(max_rel_diff(Hs, H), 1e-6, label = paste(label, "sparse newdata"))
  }
})

test_that("solver and beta must agree", {
  x <- solver_data(1)
  expect_error(nmf_fit(x, 2, beta = 2, solver = "cd", threads = 1),
               "`solver` = \"cd\" needs beta = 1; got beta = 2")
  expect_error(nmf_fit(x, 2, beta = 1, solver = "bcd", threads = 1),
               "`solver` = \"bcd\" needs beta = 2; got beta = 1")
  expect_error(nmf_fit(x, 2, beta = "kl", solver = "bcd", threads = 1), "`solver`")
  expect_error(nmf_fit(x, 2, beta = 0.5, solver = "cd", threads = 1), "`solver`")
  expect_error(nmf_fit(x + 1, 2, beta = 0, solver = "bcd", threads = 1), "`solver`")
  expect_error(nmf_fit(x, 2, solver = "hals", threads = 1), "`solver` must be one of")
  expect_error(nmf_fit(x, 2, solver = c("mu", "cd"), threads = 1), "`solver` must be one of")
  # mu serves every beta, including those with a dedicated solver
  ctl <- nmf_control(max_iter = 5, tol = 0)
  expect_identical(nmf_fit(x, 2, beta = 1, solver = "mu", control = ctl, seed = 1,
                           threads = 1)$solver, "mu")
  expect_identical(nmf_fit(x, 2, beta = 2, solver = "mu", control = ctl, seed = 1,
                           threads = 1)$solver, "mu")
})

test_that("beta names give the same fit as their numbers", {
  x <- solver_data(1)
  ctl <- nmf_control(max_iter = 30, tol = 0)
  same_fit <- function(name, number, data) {
    a <- nmf_fit(data, 3, beta = name, control = ctl, seed = 8, threads = 1)
    b <- nmf_fit(data, 3, beta = number, control = ctl, seed = 8, threads = 1)
    expect_identical(a$beta, number, label = name)
    expect_identical(a$solver, b$solver, label = name)
    expect_identical(a$W, b$W, label = name)
    expect_identical(a$H, b$H, label = name)
    expect_identical(a$loss, b$loss, label = name)
  }
  for (nm in c("kl", "KL", "poisson", "kullback-leibler")) same_fit(nm, 1, x)
  for (nm in c("gaussian", "frobenius", "euclidean")) same_fit(nm, 2, x)
  for (nm in c("is", "itakura-saito", "gamma")) same_fit(nm, 0, x + 1)
  expect_error(nmf_fit(x, 2, beta = "poison", threads = 1), "`beta` must be a number or one of")
})

test_that("offset makes beta <= 0 usable on data with zeros", {
  x <- solver_data(1)
  expect_true(any(x == 0))
  expect_error(nmf_fit(x, 2, beta = 0, threads = 1), "offset")
  expect_error(nmf_fit(x, 2, beta = "is", threads = 1), "zero entries.*`offset`")
  expect_error(nmf_fit(Matrix::Matrix(x, sparse = TRUE), 2, beta = 0, threads = 1),
               "offset")
  expect_error(nmf_fit(x, 2, beta = -1, threads = 1), "offset")
  expect_error(nmf_fit(x, 2, beta = 0, offset = -1, threads = 1), "`offset`")
  ctl <- nmf_control(max_iter = 40, tol = 0)
  fit <- nmf_fit(x, 3, beta = 0, offset = 1, control = ctl, seed = 2, threads = 1)
  expect_all_finite(fit, "beta = 0, offset = 1")
  expect_monotone(fit, "beta = 0, offset = 1")
  expect_identical(fit$data$offset, 1)
  # the same as adding the constant by hand
  by_hand <- nmf_fit(x + 1, 3, beta = 0, control = ctl, seed = 2, threads = 1)
  expect_identical(fit$W, by_hand$W)
  expect_identical(fit$H, by_hand$H)
  expect_equal(fit$divergence, beta_divergence(x + 1, fitted(fit), 0), tolerance = 1e-8)
  # sparse data are densified by the offset and give the same fit
  fs <- nmf_fit(Matrix::Matrix(x, sparse = TRUE), 3, beta = 0, offset = 1, control = ctl,
                seed = 2, threads = 1)
  expect_lt(max_rel_diff(fs$W, fit$W), 1e-8)
  expect_lt(max_rel_diff(fs$H, fit$H), 1e-8)
  fit <- nmf_fit(x, 3, beta = -0.5, offset = 0.5, control = ctl, seed = 2, threads = 1)
  expect_all_finite(fit, "beta = -0.5, offset = 0.5")
})

test_that("predict() with a fit that used an offset does not point to a missing argument", {
  x <- solver_data(1)
  ctl <- nmf_control(max_iter = 40, tol = 0)
  fit <- nmf_fit(x, 3, beta = 0, offset = 1, control = ctl, seed = 2, threads = 1)
  # new data with zeros: either predict() applies the offset of the fit, as
  # nmf_fit() did to the training data, or its error must not recommend an
  # `offset` argument that predict() does not have
  res <- tryCatch(predict(fit, x, threads = 1), error = function(e) e)
  if (inherits(res, "error")) {
    expect_false(grepl("`offset` argument", conditionMessage(res)),
                 label = paste("predict() error recommends an `offset` argument:",
                               conditionMessage(res)))
    expect_error(predict(fit, x, offset = 1, threads = 1), "unknown argument.*offset")
  } else {
    # the offset of the fit is added to newdata, exactly as to the training data
    no_offset <- fit
    no_offset$data$offset <- 0
    expect_equal(res, predict(no_offset, x + 1, threads = 1), tolerance = 1e-12)
  }
  # positive new data are accepted
  expect_true(all(is.finite(predict(fit, x + 1, threads = 1))))
})

test_that("L1 penalties on both factors shrink the fit for cd and mu", {
  x <- solver_data(1, m = 40, n = 30)
  ctl <- nmf_control(max_iter = 200, tol = 0, normalize = "none")
  cases <- solver_cases[solver_cases$solver %in% c("cd", "mu"), ]
  for (i in seq_len(nrow(cases))) {
    beta <- cases$beta[i]
    solver <- cases$solver[i]
    label <- case_label(beta, solver)
    xi <- if (beta <= 0) x + 1 else x
    free <- nmf_fit(xi, 3, beta = beta, solver = solver, control = ctl, seed = 9,
                    threads = 1)
    pen <- nmf_fit(xi, 3, beta = beta, solver = solver, l1 = 2, control = ctl, seed = 9,
                   threads = 1)
    expect_identical(pen$penalty$l1, c(W = 2, H = 2))
    expect_lt(sum(fitted(pen)), sum(fitted(free)), label = paste(label, "total of W H"))
    expect_lt(sum(pen$W) + sum(pen$H), sum(free$W) + sum(free$H),
              label = paste(label, "sum of the factors"))
    expect_gt(pen$loss, pen$divergence, label = label)
    # loss = divergence + l1 (sum W + sum H) at the returned (unscaled) factors
    expect_equal(pen$loss, pen$divergence + 2 * (sum(pen$W) + sum(pen$H)),
                 tolerance = 1e-10, label = label)
    expect_equal(pen$divergence, beta_divergence(xi, fitted(pen), beta), tolerance = 1e-8,
                 label = label)
    expect_monotone(pen, paste(label, "with l1"))
    expect_all_finite(pen, paste(label, "with l1"))
  }
  # coordinate descent sets coordinates to exact zeros: a strong penalty gives more
  free <- nmf_fit(x, 3, beta = 1, solver = "cd", control = ctl, seed = 9, threads = 1)
  pen <- nmf_fit(x, 3, beta = 1, solver = "cd", l1 = 20, control = ctl, seed = 9,
                 threads = 1)
  expect_gt(sum(pen$W == 0) + sum(pen$H == 0), sum(free$W == 0) + sum(free$H == 0))
})

test_that("an overwhelming L1 penalty gives finite fits, for every beta and solver", {
  x <- solver_data(1, m = 20, n = 15)
  ctl <- nmf_control(max_iter = 30, tol = 0)
  for (i in seq_len(nrow(solver_cases))) {
    beta <- solver_cases$beta[i]
    solver <- solver_cases$solver[i]
    label <- case_label(beta, solver, ", l1 = 1e4")
    xi <- if (beta <= 0) x + 1 else x
    fit <- nmf_fit(xi, 3, beta = beta, solver = solver, l1 = 1e4, control = ctl, seed = 1,
                   threads = 1)
    expect_all_finite(fit, label)
    expect_true(all(fit$W >= 0) && all(fit$H >= 0), label = label)
    expect_true(all(is.finite(predict(fit, xi, threads = 1))), label = label)
  }
})

test_that("the history of mu ends without a jump when the model vanishes (1 < beta < 2)", {
  # An overwhelming penalty drives W H towards zero. The multiplicative
  # updates evaluate the objective at the exact model (the floor of the
  # model only guards their divisions), as the final divergence does, so the
  # last step of the history shows no jump.
  x <- small_matrix(20, 15, seed = 1, zeros = 0.3)
  ctl <- nmf_control(max_iter = 30, tol = 0, normalize = "none")
  fit <- nmf_fit(x, 3, beta = 1.5, solver = "mu", l1 = 100, control = ctl, seed = 1,
                 threads = 1)
  expect_lt(max(fitted(fit)), 1e-20 * mean(x))
  expect_equal(fit$divergence, sum(x^1.5) / 0.75, tolerance = 1e-12)
  expect_monotone(fit, "beta = 1.5, solver = \"mu\", l1 = 100")
})

# Planted Poisson counts: beta = 1 is the likelihood of the data.

test_that("beta = 1 recovers planted factors from Poisson counts", {
  p <- planted_poisson(200, 300, 5, mean_count = 8, seed = 1)
  expect_equal(mean(p$X), 8, tolerance = 0.05)
  fit <- nmf_fit(p$X, 5, beta = 1, seed = 1, threads = 1)
  expect_identical(fit$solver, "cd")
  expect_true(fit$converged)
  m <- match_columns(p$W, fit$W)
  expect_identical(sort(m$index), 1:5)
  expect_true(all(m$cosine > 0.98), label = sprintf("matched cosines %s all > 0.98",
                                                     paste(round(m$cosine, 4), collapse = ", ")))
  # sparse counts give the same fit; the multiplicative updates recover them too
  sparse <- nmf_fit(Matrix::Matrix(p$X, sparse = TRUE), 5, beta = 1, seed = 1, threads = 1)
  expect_lt(max_rel_diff(sparse$W, fit$W), 1e-8)
  mu <- nmf_fit(p$X, 5, beta = 1, solver = "mu", seed = 1, threads = 1,
                control = nmf_control(max_iter = 300, tol = 0))
  expect_true(all(match_columns(p$W, mu$W)$cosine > 0.98))
})

# Low counts (mean 2.5, about 40% zeros): the Poisson variance equals the
# mean, so the squared error (beta = 2) over-weights the large counts, while
# KL (beta = 1) weights each entry by its own scale. Across seeds 1 to 10 the
# error 1 - mean matched cosine under beta = 2 was 1.5 to 1.9 times that
# under beta = 1, at the same number of iterations.
poisson_vs_gaussian <- function(seed, fit_seed = 1) {
  p <- planted_poisson(200, 300, 5, mean_count = 2.5, seed = seed, shape = 1)
  ctl <- nmf_control(max_iter = 200, tol = 0)
  kl <- nmf_fit(p$X, 5, beta = 1, control = ctl, seed = fit_seed, threads = 1)
  ls <- nmf_fit(p$X, 5, beta = 2, control = ctl, seed = fit_seed, threads = 1)
  c(kl = mean(match_columns(p$W, kl$W)$cosine), ls = mean(match_columns(p$W, ls$W)$cosine))
}

test_that("on low Poisson counts beta = 1 recovers W better than beta = 2", {
  cs <- poisson_vs_gaussian(seed = 1)
  expect_gt(cs[["kl"]], 0.98)
  expect_gt(cs[["kl"]], cs[["ls"]])
  expect_gt((1 - cs[["ls"]]) / (1 - cs[["kl"]]), 1.25)
})

test_that("beta = 1 beats beta = 2 on low Poisson counts for several data and fit seeds", {
  skip_on_cran()
  for (seed in 2:6) {
    cs <- poisson_vs_gaussian(seed, fit_seed = seed + 10)
    label <- sprintf("seed %d: mean cosine %.4f (beta = 1) vs %.4f (beta = 2)", seed,
                     cs[["kl"]], cs[["ls"]])
    expect_gt(cs[["kl"]], cs[["ls"]], label = label)
    expect_gt((1 - cs[["ls"]]) / (1 - cs[["kl"]]), 1.25, label = label)
  }
  for (seed in 2:4) {
    p <- planted_poisson(200, 300, 5, mean_count = 8, seed = seed)
    fit <- nmf_fit(p$X, 5, beta = 1, seed = seed, threads = 1)
    expect_true(all(match_columns(p$W, fit$W)$cosine > 0.98), label = sprintf("seed %d", seed))
  }
})
