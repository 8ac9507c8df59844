# Missing values, masks and observation weights (R/weights.R and the weighted
# paths of every solver). Each property is checked for every applicable pair
# of beta and solver: mu for beta 0, 1 and 2, cd for beta 1, bcd for beta 2.

weight_cases <- data.frame(
  beta = c(0, 1, 1, 2, 2),
  solver = c("mu", "mu", "cd", "mu", "bcd"),
  stringsAsFactors = FALSE
)

wlabel <- function(beta, solver, ...) {
  paste0(sprintf("beta = %g, solver = \"%s\"", beta, solver), ...)
}

# Counts with zeros for beta > 0; strictly positive (counts plus one) for beta = 0.
wdata <- function(beta, m = 30, n = 20, seed = 1) {
  x <- small_matrix(m, n, seed = seed, zeros = 0.3)
  if (beta <= 0) x + 1 else x
}

# A logical m x n matrix with about a fraction `frac` of TRUE entries.
random_mask <- function(m, n, frac = 0.1, seed = 3) {
  withr::local_seed(seed)
  matrix(stats::runif(m * n) < frac, m, n)
}

# Positive dense weights, and sparse weights (about 70% stored, all positive).
random_weights <- function(m, n, seed = 4) {
  withr::local_seed(seed)
  matrix(stats::runif(m * n, 0.2, 3), m, n)
}
random_sparse_weights <- function(m, n, seed = 5) {
  withr::local_seed(seed)
  w <- matrix(stats::runif(m * n, 0.2, 3), m, n) * (stats::runif(m * n) < 0.7)
  methods::as(w, "CsparseMatrix")
}

as_sparse <- function(x) methods::as(x, "CsparseMatrix")

# max |a - b| / max |b|
rel_change <- function(a, b) max(abs(a - b)) / max(abs(b), .Machine$double.xmin)

# A fit of one case with the seed and thread count fixed.
wfit <- function(x, beta, solver, rank = 3, ..., control = nmf_control(tol = 0, max_iter = 30)) {
  nmf_fit(x, rank, beta, solver = solver, ..., control = control, seed = 1, threads = 1)
}

# Evaluates `expr` and returns its value with the messages of the warnings
# it raised (which are muffled).
collect_warnings <- function(expr) {
  msgs <- character()
  value <- withCallingHandlers(expr, warning = function(w) {
    msgs <<- c(msgs, conditionMessage(w))
    invokeRestart("muffleWarning")
  })
  list(value = value, warnings = msgs)
}

expect_nonincreasing <- function(fit, label, slack = 1e-10) {
  l <- fit$history$loss
  expect_gt(length(l), 5)
  up <- diff(l) / abs(l[-length(l)])
  expect_true(all(is.finite(l)) && all(up <= slack),
              label = sprintf("%s: largest relative increase of the objective %.3g is at most %g",
                              label, max(up), slack))
}

test_that("weights all one give exactly the unweighted fit, for every beta and solver", {
  for (k in seq_len(nrow(weight_cases))) {
    b <- weight_cases$beta[k]
    s <- weight_cases$solver[k]
    x <- wdata(b)
    ones <- matrix(1, nrow(x), ncol(x))
    for (sparse in c(FALSE, TRUE)) {
      xs <- if (sparse) as_sparse(x) else x
      lab <- wlabel(b, s, if (sparse) ", sparse x" else ", dense x")
      plain <- wfit(xs, b, s)
      dense_w <- wfit(xs, b, s, weights = ones)
      expect_identical(dense_w$W, plain$W, label = paste(lab, "dense weights: W"))
      expect_identical(dense_w$H, plain$H, label = paste(lab, "dense weights: H"))
      expect_identical(dense_w$history$loss, plain$history$loss, label = paste(lab, "history"))
      int_w <- wfit(xs, b, s, weights = matrix(1L, nrow(x), ncol(x)))
      expect_identical(int_w$W, plain$W, label = paste(lab, "integer weights: W"))
      no_mask <- wfit(xs, b, s, mask = matrix(FALSE, nrow(x), ncol(x)))
      expect_identical(no_mask$W, plain$W, label = paste(lab, "an empty mask: W"))
      expect_identical(no_mask$H, plain$H, label = paste(lab, "an empty mask: H"))
      # a sparse matrix of ones stores every weight and takes the weighted
      # path: the same fit up to the rounding of its arithmetic
      sparse_w <- wfit(xs, b, s, weights = as_sparse(ones))
      expect_lt(rel_change(sparse_w$W, plain$W), 1e-12, label = paste(lab, "sparse ones: W"))
      expect_lt(rel_change(sparse_w$H, plain$H), 1e-12, label = paste(lab, "sparse ones: H"))
      expect_equal(sparse_w$loss, plain$loss, tolerance = 1e-12)
    }
  }
})

test_that("a masked fit is a fixed point of the full data filled in with its own model (EM)", {
  p <- planted_nmf(30, 20, 3, noise = 0.1, seed = 2)
  x <- p$X + 0.5
  mask <- random_mask(30, 20, 0.1, seed = 4)
  converge <- nmf_control(tol = 1e-12, max_iter = 20000, normalize = "none")
  more <- nmf_control(tol = 0, max_iter = 5, normalize = "none")
  for (k in seq_len(nrow(weight_cases))) {
    b <- weight_cases$beta[k]
    s <- weight_cases$solver[k]
    for (sparse in c(FALSE, TRUE)) {
      as_x <- if (sparse) as_sparse else identity
      lab <- wlabel(b, s, if (sparse) ", sparse x" else ", dense x")
      fit <- nmf_fit(as_x(x), 3, b, solver = s, mask = mask, control = converge, seed = 1,
                     threads = 1)
      expect_true(fit$converged, label = paste(lab, "converged"))
      filled <- x
      filled[mask] <- fitted(fit)[mask]
      cont <- nmf_fit(as_x(filled), 3, b, solver = s, init = fit, control = more, seed = 1,
                      threads = 1)
      # measured: 4e-8 to 8e-7 (the converged fit itself still moves that much)
      expect_lt(rel_change(cont$W, fit$W), 1e-5, label = paste(lab, "change of W"))
      expect_lt(rel_change(cont$H, fit$H), 1e-5, label = paste(lab, "change of H"))
      # the original values under the mask pull the factors away (about 2e-2)
      away <- nmf_fit(as_x(x), 3, b, solver = s, init = fit, control = more, seed = 1,
                      threads = 1)
      expect_gt(rel_change(away$W, fit$W), 1e-3, label = paste(lab, "change on unfilled data"))
    }
  }
})

test_that("values under the mask have no influence and NA equals a mask, for every beta and solver", {
  mask <- random_mask(30, 20, 0.1)
  for (k in seq_len(nrow(weight_cases))) {
    b <- weight_cases$beta[k]
    s <- weight_cases$solver[k]
    x <- wdata(b)
    huge <- x
    huge[mask] <- 1e6
    with_na <- x
    with_na[mask] <- NA
    for (sparse in c(FALSE, TRUE)) for (sparse_mask in c(FALSE, TRUE)) {
      as_x <- if (sparse) as_sparse else identity
      mk <- if (sparse_mask) as_sparse(mask) else mask
      lab <- wlabel(b, s, if (sparse) ", sparse x" else ", dense x",
                    if (sparse_mask) ", sparse mask" else ", dense mask")
      for (init in c("nndsvd", "random")) {
        a <- wfit(as_x(x), b, s, mask = mk, init = init)
        h <- wfit(as_x(huge), b, s, mask = mk, init = init)
        expect_identical(h$W, a$W, label = paste0(lab, ", init ", init, ": W with huge masked values"))
        expect_identical(h$H, a$H, label = paste0(lab, ", init ", init, ": H with huge masked values"))
        expect_identical(h$loss, a$loss, label = paste0(lab, ", init ", init, ": loss"))
        n <- wfit(as_x(with_na), b, s, init = init)
        expect_identical(n$W, a$W, label = paste0(lab, ", init ", init, ": W with NA"))
        expect_identical(n$H, a$H, label = paste0(lab, ", init ", init, ": H with NA"))
      }
    }
  }
})

test_that("values under the mask or of weight zero have no influence under dense weights", {
  mask <- random_mask(30, 20, 0.1)
  w <- random_weights(30, 20)
  w[random_mask(30, 20, 0.1, seed = 9)] <- 0
  for (k in seq_len(nrow(weight_cases))) {
    b <- weight_cases$beta[k]
    s <- weight_cases$solver[k]
    x <- wdata(b)
    huge <- x
    huge[mask | w == 0] <- 1e6
    lab <- wlabel(b, s)
    a <- wfit(x, b, s, mask = mask, weights = w)
    h <- wfit(huge, b, s, mask = mask, weights = w)
    expect_identical(h$W, a$W, label = paste(lab, "W"))
    expect_identical(h$H, a$H, label = paste(lab, "H"))
  }
})

test_that("values under the mask or of weight zero have no influence under sparse weights", {
  # A sparse `weights` gives weight zero to every entry it does not store;
  # like a masked entry, such an entry must not reach the fit by any route
  # (the starting factors, the scale of a random start, floors).
  mask <- random_mask(30, 20, 0.1)
  w <- random_sparse_weights(30, 20)
  unweighted <- as.matrix(w) == 0
  changed <- character()
  for (k in seq_len(nrow(weight_cases))) {
    b <- weight_cases$beta[k]
    s <- weight_cases$solver[k]
    x <- wdata(b)
    for (what in c("masked", "unstored")) {
      at <- if (what == "masked") mask else unweighted
      huge <- x
      huge[at] <- 1e6
      for (init in c("nndsvd", "random")) {
        a <- wfit(x, b, s, mask = mask, weights = w, init = init)
        h <- wfit(huge, b, s, mask = mask, weights = w, init = init)
        if (!identical(h$W, a$W) || !identical(h$H, a$H)) {
          changed <- c(changed, sprintf("%s (W moved by %.2g)",
                                        wlabel(b, s, ", init ", init, ", huge values where ", what),
                                        rel_change(h$W, a$W)))
        }
      }
    }
  }
  expect_identical(changed, character(),
                   label = "the cases whose fit changed with the values of weight zero")
})

test_that("integer weights equal replicated columns, for every beta and solver", {
  p <- planted_nmf(30, 20, 3, noise = 0.1, seed = 2)
  x <- p$X + 0.5
  j <- 4
  w <- matrix(1, 30, 20)
  w[, j] <- 2
  xr <- cbind(x, x[, j])
  withr::local_seed(5)
  W0 <- matrix(stats::runif(90), 30)
  H0 <- matrix(stats::runif(60), 3)
  start_w <- list(W = W0, H = H0)
  start_r <- list(W = W0, H = cbind(H0, H0[, j]))
  mu <- W0 %*% H0
  path <- nmf_control(tol = 0, max_iter = 50, normalize = "none")
  converge <- nmf_control(tol = 1e-12, max_iter = 20000, normalize = "none")
  for (k in seq_len(nrow(weight_cases))) {
    b <- weight_cases$beta[k]
    s <- weight_cases$solver[k]
    lab <- wlabel(b, s)
    expect_equal(beta_divergence(x, mu, b, weights = w),
                 beta_divergence(xr, cbind(mu, mu[, j]), b), tolerance = 1e-12,
                 label = paste(lab, "weighted objective"))
    expect_equal(beta_divergence(x, mu, b, weights = as_sparse(w)),
                 beta_divergence(xr, cbind(mu, mu[, j]), b), tolerance = 1e-12,
                 label = paste(lab, "objective with sparse weights"))
    # the same path from the same start
    fw <- nmf_fit(x, 3, b, solver = s, weights = w, init = start_w, control = path, threads = 1)
    fr <- nmf_fit(xr, 3, b, solver = s, init = start_r, control = path, threads = 1)
    expect_lt(rel_change(fw$W, fr$W), 1e-10, label = paste(lab, "W after 50 iterations"))
    expect_lt(rel_change(fw$H, fr$H[, 1:20]), 1e-10, label = paste(lab, "H after 50 iterations"))
    expect_equal(fw$loss, fr$loss, tolerance = 1e-10)
    # and the same solution (measured: W within 4e-8)
    fw <- nmf_fit(x, 3, b, solver = s, weights = w, init = start_w, control = converge,
                  threads = 1)
    fr <- nmf_fit(xr, 3, b, solver = s, init = start_r, control = converge, threads = 1)
    expect_lt(rel_change(fw$W, fr$W), 1e-5, label = paste(lab, "W after convergence"))
    expect_equal(fw$loss, fr$loss, tolerance = 1e-8)
  }
})

test_that("weight 2 on a row equals the duplicated row (beta = 2, bcd)", {
  x <- wdata(2)
  i <- 7
  w <- matrix(1, 30, 20)
  w[i, ] <- 2
  withr::local_seed(6)
  W0 <- matrix(stats::runif(90), 30)
  H0 <- matrix(stats::runif(60), 3)
  ctl <- nmf_control(tol = 0, max_iter = 40, normalize = "none")
  fw <- nmf_fit(x, 3, 2, solver = "bcd", weights = w, init = list(W = W0, H = H0),
                control = ctl, threads = 1)
  fr <- nmf_fit(rbind(x, x[i, ]), 3, 2, solver = "bcd",
                init = list(W = rbind(W0, W0[i, ]), H = H0), control = ctl, threads = 1)
  expect_lt(rel_change(fw$H, fr$H), 1e-10)
  expect_lt(rel_change(fw$W, fr$W[1:30, ]), 1e-10)
  expect_equal(fw$loss, fr$loss, tolerance = 1e-10)
})

test_that("the objective never increases under masks and weights, for every beta and solver", {
  m <- 30
  n <- 20
  specs <- list(
    mask = list(mask = random_mask(m, n, 0.15)),
    sparse_mask = list(mask = as_sparse(random_mask(m, n, 0.15))),
    dense_weights = list(weights = random_weights(m, n)),
    sparse_weights = list(weights = random_sparse_weights(m, n)),
    mask_and_weights = list(mask = random_mask(m, n, 0.1), weights = random_weights(m, n))
  )
  ctl <- nmf_control(tol = 0, max_iter = 60)
  for (k in seq_len(nrow(weight_cases))) {
    b <- weight_cases$beta[k]
    s <- weight_cases$solver[k]
    x <- wdata(b)
    for (sparse in c(FALSE, TRUE)) for (nm in names(specs)) {
      lab <- wlabel(b, s, if (sparse) ", sparse x, " else ", dense x, ", nm)
      fit <- do.call(wfit, c(list(if (sparse) as_sparse(x) else x, b, s, control = ctl),
                             specs[[nm]]))
      expect_nonincreasing(fit, lab)
      # the last value of the history is the weighted objective of the result
      expect_equal(utils::tail(fit$history$loss, 1), fit$loss, tolerance = 1e-10,
                   label = paste(lab, "end of the history"))
    }
  }
})

test_that("dense and sparse masks agree, and dense and sparse x agree under masks and weights", {
  mask <- random_mask(30, 20, 0.15)
  w <- random_weights(30, 20)
  for (k in seq_len(nrow(weight_cases))) {
    b <- weight_cases$beta[k]
    s <- weight_cases$solver[k]
    x <- wdata(b)
    lab <- wlabel(b, s)
    dd <- wfit(x, b, s, mask = mask)
    ds <- wfit(x, b, s, mask = as_sparse(mask))
    ds01 <- wfit(x, b, s, mask = as_sparse(mask + 0))
    expect_equal(ds$W, dd$W, tolerance = 1e-8, label = paste(lab, "sparse mask: W"))
    expect_equal(ds$H, dd$H, tolerance = 1e-8, label = paste(lab, "sparse mask: H"))
    expect_identical(ds01$W, ds$W, label = paste(lab, "0/1 sparse mask: W"))
    dm01 <- wfit(x, b, s, mask = mask + 0)
    expect_identical(dm01$W, dd$W, label = paste(lab, "0/1 dense mask: W"))
    sd <- wfit(as_sparse(x), b, s, mask = mask)
    expect_equal(sd$W, dd$W, tolerance = 1e-8, label = paste(lab, "sparse x under a mask: W"))
    expect_equal(sd$H, dd$H, tolerance = 1e-8, label = paste(lab, "sparse x under a mask: H"))
    wd <- wfit(x, b, s, mask = mask, weights = w)
    ws <- wfit(as_sparse(x), b, s, mask = as_sparse(mask), weights = w)
    expect_equal(ws$W, wd$W, tolerance = 1e-8, label = paste(lab, "sparse x with weights: W"))
    expect_equal(ws$H, wd$H, tolerance = 1e-8, label = paste(lab, "sparse x with weights: H"))
  }
})

test_that("fit$divergence equals beta_divergence() under masks, NA and weights", {
  mask <- random_mask(30, 20, 0.15)
  w <- random_weights(30, 20)
  sw <- random_sparse_weights(30, 20)
  for (k in seq_len(nrow(weight_cases))) {
    b <- weight_cases$beta[k]
    s <- weight_cases$solver[k]
    x <- wdata(b)
    for (sparse in c(FALSE, TRUE)) {
      as_x <- if (sparse) as_sparse else identity
      lab <- wlabel(b, s, if (sparse) ", sparse x" else ", dense x")
      fit <- wfit(as_x(x), b, s, mask = mask)
      expect_equal(beta_divergence(as_x(x), fitted(fit), b, mask = mask), fit$divergence,
                   tolerance = 1e-10, label = paste(lab, "mask, fitted()"))
      expect_equal(beta_divergence(as_x(x), fit, b, mask = mask, threads = 1), fit$divergence,
                   tolerance = 1e-10, label = paste(lab, "mask, nmf_fit"))
      with_na <- x
      with_na[mask] <- NA
      expect_equal(beta_divergence(as_x(with_na), fit, b, threads = 1), fit$divergence,
                   tolerance = 1e-10, label = paste(lab, "NA, nmf_fit"))
      for (ww in list(w, sw)) {
        fit <- wfit(as_x(x), b, s, mask = mask, weights = ww)
        wl <- paste(lab, if (is.matrix(ww)) "dense weights" else "sparse weights")
        expect_equal(beta_divergence(as_x(x), fitted(fit), b, mask = mask, weights = ww),
                     fit$divergence, tolerance = 1e-10, label = paste(wl, "fitted()"))
        expect_equal(beta_divergence(as_x(x), fit, b, mask = mask, weights = ww, threads = 1),
                     fit$divergence, tolerance = 1e-10, label = paste(wl, "nmf_fit"))
      }
    }
  }
})

test_that("fixed components stay bit-identical with normalize = \"none\", also under a mask", {
  p <- planted_nmf(40, 30, 4, noise = 0.05, seed = 8)
  x <- p$X + 0.1
  mask <- random_mask(40, 30, 0.1)
  K <- p$W[, 1:2] * 3
  KH <- p$H[1:2, ] * 2
  ctl <- nmf_control(normalize = "none", tol = 0, max_iter = 40)
  cases <- rbind(weight_cases, data.frame(beta = 0.5, solver = "mu"))
  for (k in seq_len(nrow(cases))) {
    b <- cases$beta[k]
    s <- cases$solver[k]
    for (mk in list(NULL, mask)) for (sparse in c(FALSE, TRUE)) {
      xs <- if (sparse) as_sparse(x) else x
      lab <- wlabel(b, s, if (is.null(mk)) "" else ", masked", if (sparse) ", sparse x" else "")
      fw <- wfit(xs, b, s, rank = 4, mask = mk, fixed_W = K, control = ctl)
      expect_identical(unname(fw$W[, 1:2]), K, label = paste(lab, "fixed_W"))
      fh <- wfit(xs, b, s, rank = 4, mask = mk, fixed_H = KH, control = ctl)
      expect_identical(unname(fh$H[1:2, ]), KH, label = paste(lab, "fixed_H"))
    }
  }
})

test_that("fixed_W with k = rank equals predict() under a mask, for every beta and solver", {
  p <- planted_nmf(40, 30, 3, noise = 0.05, seed = 9)
  x <- p$X + 0.1
  mask <- random_mask(40, 30, 0.1)
  ctl <- nmf_control(tol = 1e-12, max_iter = 3000)
  for (k in seq_len(nrow(weight_cases))) {
    b <- weight_cases$beta[k]
    s <- weight_cases$solver[k]
    lab <- wlabel(b, s)
    fit <- suppressWarnings(wfit(x, b, s, mask = mask, fixed_W = p$W, control = ctl))
    expect_equal(unname(fit$W), p$W, tolerance = 1e-12)
    H <- predict(fit, x, mask = mask, control = ctl, threads = 1)
    expect_lt(rel_change(unname(H), unname(fit$H)), 1e-5, label = paste(lab, "H"))
  }
})

# For every weight case, unmasked and masked: a fit of 7 iterations (first),
# continued for 5 more with init = first (second), and one fit of 12 (once).
# `...` goes to every fit. normalize = "none": the rescaling at the end of a
# fit would change the rounding of the continued path.
warm_start_runs <- function(x, mask, ...) {
  c1 <- nmf_control(tol = 0, max_iter = 7, normalize = "none")
  c2 <- nmf_control(tol = 0, max_iter = 5, normalize = "none")
  c12 <- nmf_control(tol = 0, max_iter = 12, normalize = "none")
  runs <- list()
  for (k in seq_len(nrow(weight_cases))) {
    b <- weight_cases$beta[k]
    s <- weight_cases$solver[k]
    xx <- if (b <= 0) x + 1 else x
    for (mk in list(NULL, mask)) {
      first <- wfit(xx, b, s, mask = mk, control = c1, ...)
      runs[[length(runs) + 1L]] <- list(
        lab = wlabel(b, s, if (is.null(mk)) "" else ", masked"), first = first,
        second = wfit(xx, b, s, mask = mk, control = c2, init = first, ...),
        once = wfit(xx, b, s, mask = mk, control = c12, ...))
    }
  }
  runs
}

test_that("init = fit continues a fit exactly when no component is reordered", {
  # A fixed component keeps the order of the components, so a fit of n1
  # iterations continued for n2 more is the fit of n1 + n2 iterations.
  x <- small_matrix(30, 20, zeros = 0.3)
  mask <- random_mask(30, 20, 0.1)
  withr::local_seed(7)
  known <- matrix(stats::runif(30), 30, 1)
  for (run in warm_start_runs(x, mask, fixed_W = known)) {
    expect_identical(run$second$W, run$once$W, label = paste(run$lab, "W"))
    expect_identical(run$second$H, run$once$H, label = paste(run$lab, "H"))
    expect_identical(run$second$loss, run$once$loss, label = paste(run$lab, "loss"))
  }
})

test_that("init = fit of n1 iterations and n2 more equals one fit of n1 + n2 iterations", {
  x <- small_matrix(30, 20, zeros = 0.3)
  mask <- random_mask(30, 20, 0.1)
  differ <- character()
  for (run in warm_start_runs(x, mask)) {
    if (!identical(run$second$W, run$once$W) || !identical(run$second$H, run$once$H)) {
      differ <- c(differ, sprintf("%s (W differs by %.2g)", run$lab,
                                  rel_change(run$second$W, run$once$W)))
    }
    expect_equal(c(run$first$history$loss, run$second$history$loss), run$once$history$loss,
                 tolerance = 1e-3, label = paste(run$lab, "history"))
  }
  expect_identical(differ, character(),
                   label = "the cases where the continued fit differs from the single fit")
})

test_that("init = fit with fixed components starts from the model of the fit", {
  # With the default normalize = "l1" the fixed columns of W are rescaled
  # in the result and their scale moved into H; continuing must start from
  # the same model W H, so its first objective is no worse than the fit's.
  p <- planted_nmf(30, 20, 3, noise = 0.1, seed = 2)
  x <- p$X + 0.5
  known_w <- p$W[, 1, drop = FALSE] * 5
  known_h <- p$H[1, , drop = FALSE] * 5
  c1 <- nmf_control(tol = 0, max_iter = 10)
  worse <- character()
  for (k in seq_len(nrow(weight_cases))) {
    b <- weight_cases$beta[k]
    s <- weight_cases$solver[k]
    for (which in c("fixed_W", "fixed_H")) {
      args <- if (which == "fixed_W") list(fixed_W = known_w) else list(fixed_H = known_h)
      first <- do.call(wfit, c(list(x, b, s, control = c1), args))
      more <- do.call(wfit, c(list(x, b, s, control = c1, init = first), args))
      if (more$history$loss[1] > first$loss * (1 + 1e-10)) {
        worse <- c(worse, sprintf("%s, %s: %.6g after the fit, %.6g one iteration later",
                                  wlabel(b, s), which, first$loss, more$history$loss[1]))
      }
    }
  }
  expect_identical(worse, character(),
                   label = "the continued fits whose first objective is worse than the fit")
})

test_that("a row or a column with no observed entry gets zero factors and one warning", {
  for (k in seq_len(nrow(weight_cases))) {
    b <- weight_cases$beta[k]
    s <- weight_cases$solver[k]
    x <- wdata(b)
    with_na <- x
    with_na[3, ] <- NA
    with_na[, 5] <- NA
    mask <- matrix(FALSE, 30, 20)
    mask[3, ] <- TRUE
    mask[, 5] <- TRUE
    sw <- random_sparse_weights(30, 20)
    sw[3, ] <- 0
    sw[, 5] <- 0
    sw <- Matrix::drop0(sw)
    dw <- random_weights(30, 20)
    dw[3, ] <- 0
    dw[, 5] <- 0
    inputs <- list(
      "NA" = list(x = with_na),
      "sparse x with NA" = list(x = as_sparse(with_na)),
      "dense mask" = list(x = x, mask = mask),
      "sparse mask" = list(x = x, mask = as_sparse(mask)),
      "dense weights" = list(x = x, weights = dw),
      "sparse weights" = list(x = x, weights = sw)
    )
    for (nm in names(inputs)) {
      lab <- wlabel(b, s, ", ", nm)
      args <- c(list(beta = b, solver = s, control = nmf_control(tol = 0, max_iter = 30)),
                inputs[[nm]])
      res <- collect_warnings(do.call(wfit, args))
      fit <- res$value
      expect_length(res$warnings, 1)
      expect_match(res$warnings, "1 row\\(s\\) \\(3\\).*1 column\\(s\\) \\(5\\)", all = FALSE,
                   label = paste(lab, "warning"))
      expect_true(all(fit$W[3, ] == 0), label = paste(lab, "row 3 of W is zero"))
      expect_true(all(fit$H[, 5] == 0), label = paste(lab, "column 5 of H is zero"))
      expect_true(all(is.finite(fit$W)) && all(is.finite(fit$H)) && is.finite(fit$loss) &&
                    all(is.finite(fit$history$loss)),
                  label = paste(lab, "finite W, H, loss and history"))
    }
  }
})

test_that("observed entries that are all zero give a finite fit (beta > 0)", {
  x <- matrix(0, 10, 8)
  x[, 1] <- 1:10
  mask <- matrix(FALSE, 10, 8)
  mask[, 1] <- TRUE
  for (k in which(weight_cases$beta > 0)) {
    b <- weight_cases$beta[k]
    s <- weight_cases$solver[k]
    res <- collect_warnings(wfit(x, b, s, rank = 2, mask = mask))
    expect_true(all(is.finite(res$value$W)) && all(is.finite(res$value$H)),
                label = wlabel(b, s, ": finite factors"))
    expect_equal(res$value$divergence, 0)
  }
})

test_that("masks of the wrong shape or with bad values are errors naming mask", {
  x <- small_matrix()
  m <- x > 0
  expect_error(nmf_fit(x, 2, mask = m[-1, ]), "`mask` must be 30 x 20")
  expect_error(nmf_fit(x, 2, mask = as_sparse(m[-1, ])), "`mask` must be 30 x 20")
  expect_error(nmf_fit(x, 2, mask = m[, -1]), "`mask` must be 30 x 20")
  expect_error(nmf_fit(x, 2, mask = as.vector(m)), "`mask`")
  expect_error(nmf_fit(x, 2, mask = "a"), "`mask`")
  bad <- m
  bad[1, 1] <- NA
  expect_error(nmf_fit(x, 2, mask = bad), "`mask` must not contain NA")
  bad <- as_sparse(m + 0)
  bad[1, 1] <- NA
  expect_error(nmf_fit(x, 2, mask = bad), "`mask` must not contain NA")
  bad <- m + 0
  bad[1, 1] <- 2
  expect_error(nmf_fit(x, 2, mask = bad), "`mask` must hold TRUE/FALSE or 0/1")
  expect_error(nmf_fit(x, 2, mask = as_sparse(bad)), "`mask` must hold TRUE/FALSE or 0/1")
  bad[1, 1] <- -1
  expect_error(nmf_fit(x, 2, mask = bad), "`mask`")
  expect_error(nmf_fit(x, 2, mask = matrix("a", 30, 20)), "`mask`")
})

test_that("weights of the wrong shape or with bad values are errors naming weights", {
  x <- small_matrix()
  expect_error(nmf_fit(x, 2, weights = x[, -1]), "`weights` must be 30 x 20")
  expect_error(nmf_fit(x, 2, weights = as_sparse(x[-1, ])), "`weights` must be 30 x 20")
  expect_error(nmf_fit(x, 2, weights = rep(1, 600)), "`weights`")
  expect_error(nmf_fit(x, 2, weights = x > 0), "`weights`")
  for (sparse in c(FALSE, TRUE)) {
    for (v in c(-1, NA, NaN, Inf)) {
      w <- x + 1
      w[1, 2] <- v
      if (sparse) w <- as_sparse(w)
      expect_error(nmf_fit(x, 2, weights = w), "`weights` must be",
                   label = sprintf("weights with %s (%s)", v, if (sparse) "sparse" else "dense"))
    }
  }
})

test_that("nothing left to fit is an error", {
  x <- small_matrix()
  expect_error(nmf_fit(x, 2, weights = matrix(0, 30, 20)), "nothing to fit")
  expect_error(nmf_fit(x, 2, weights = Matrix::Matrix(0, 30, 20, sparse = TRUE)),
               "nothing to fit")
  expect_error(nmf_fit(x, 2, mask = matrix(TRUE, 30, 20)), "nothing to fit")
  expect_error(nmf_fit(x, 2, mask = as_sparse(matrix(TRUE, 30, 20))), "nothing to fit")
  w <- matrix(1, 30, 20)
  w[, 1:10] <- 0
  expect_error(nmf_fit(x, 2, mask = col(x) > 10, weights = w), "nothing to fit")
  # a sum over no entries is zero
  expect_identical(beta_divergence(x, x + 1, 2, mask = matrix(TRUE, 30, 20)), 0)
})

test_that("data that are all missing are an error that says so", {
  x <- matrix(NA_real_, 30, 20)
  msg <- tryCatch(nmf_fit(x, 2), error = conditionMessage)
  expect_match(msg, "`x`")
  # not "all zero": every entry is missing
  expect_match(msg, "missing|nothing to fit")
})

test_that("masks and weights are checked for every solver and beta", {
  x <- small_matrix()
  expect_error(nmf_fit(x, 2, mask = matrix(TRUE, 2, 2), threads = 1), "`mask`")
  expect_error(nmf_fit(x, 2, beta = 1, solver = "cd", weights = -matrix(1, 30, 20)),
               "`weights`")
  expect_error(nmf_fit(x + 1, 2, beta = 0, mask = matrix(2, 30, 20)), "`mask`")
})

test_that("zeros carrying weight are refused for beta = 0, masked zeros are not", {
  x <- small_matrix() + 1
  x[2, 3] <- 0
  expect_error(nmf_fit(x, 2, beta = 0), "offset")
  mask <- matrix(FALSE, 30, 20)
  mask[2, 3] <- TRUE
  fit <- wfit(x, 0, "mu", rank = 2, mask = mask)
  expect_true(all(is.finite(fit$W)) && is.finite(fit$loss))
  w <- matrix(1, 30, 20)
  w[2, 3] <- 0
  fit_w <- wfit(x, 0, "mu", rank = 2, weights = w)
  expect_identical(fit_w$W, fit$W)
  with_na <- x
  with_na[2, 3] <- NA
  expect_identical(wfit(with_na, 0, "mu", rank = 2)$W, fit$W)
})

test_that("for beta = 0 only zeros that carry weight count, sparse or dense", {
  withr::local_seed(17)
  S <- Matrix::rsparsematrix(40, 30, 0.3, rand.x = function(n) runif(n) + 0.5)
  W <- S
  W@x[] <- 2  # weight on the non-zeros only: no zero carries weight
  ctl <- nmf_control(max_iter = 20, tol = 0)
  fit <- nmf_fit(S, 2, beta = 0, weights = W, seed = 1, threads = 1, control = ctl)
  expect_true(is.finite(fit$loss) && all(is.finite(fit$H)))
  dense <- nmf_fit(as.matrix(S), 2, beta = 0, weights = as.matrix(W), seed = 1,
                   threads = 1, control = ctl)
  expect_equal(dense$loss, fit$loss, tolerance = 1e-10)
  # three zeros given weight: refused, and the message counts them
  zeros <- which(as.matrix(S) == 0, arr.ind = TRUE)[1:3, ]
  W3 <- W
  W3[zeros] <- 1
  expect_error(nmf_fit(S, 2, beta = 0, weights = W3, threads = 1), "has 3 zero entries")
  expect_error(nmf_fit(as.matrix(S), 2, beta = 0, weights = as.matrix(W3), threads = 1),
               "has 3 zero entries")
  # base weight 1 with a mask: every zero but the masked ones counts
  n_zero <- sum(as.matrix(S) == 0)
  mask <- Matrix::sparseMatrix(i = zeros[, 1], j = zeros[, 2], x = 1, dims = dim(S))
  expect_error(nmf_fit(S, 2, beta = 0, mask = mask, threads = 1),
               sprintf("has %d zero entries", n_zero - 3))
})
