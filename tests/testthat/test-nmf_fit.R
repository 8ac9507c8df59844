# nmf_fit() with beta = 2: properties of the fit, not numbers.

fit_fields <- c("W", "H", "beta", "rank", "loss", "divergence", "history",
                "iterations", "converged", "solver", "seed", "call")

test_that("the result has every field of the design and a valid history", {
  x <- small_matrix()
  fit <- nmf_fit(x, 3, seed = 1, threads = 1)
  expect_s3_class(fit, "nmf_fit")
  expect_true(all(fit_fields %in% names(fit)))
  expect_true(all(c("restarts", "penalty", "data", "control") %in% names(fit)))
  expect_identical(dim(fit$W), c(nrow(x), 3L))
  expect_identical(dim(fit$H), c(3L, ncol(x)))
  expect_identical(fit$rank, 3L)
  expect_identical(fit$beta, 2)
  expect_identical(fit$solver, "bcd")
  expect_identical(fit$seed, 1L)
  expect_true(is.call(fit$call))
  expect_true(fit$converged)
  expect_s3_class(fit$control, "nmf_control")

  h <- fit$history
  expect_s3_class(h, "data.frame")
  expect_identical(names(h), c("iteration", "loss", "seconds"))
  expect_equal(nrow(h), fit$iterations)
  expect_equal(h$iteration, seq_len(fit$iterations))
  expect_true(all(h$seconds >= 0))
  expect_true(all(diff(h$seconds) >= 0))
  expect_equal(fit$loss, h$loss[nrow(h)], tolerance = 1e-8)
  expect_equal(fit$divergence, sum((x - fitted(fit))^2) / 2, tolerance = 1e-10)
  expect_equal(fit$loss, fit$divergence)  # no penalty
  expect_true(all(fit$W >= 0) && all(fit$H >= 0))
})

test_that("the objective never increases (dense and sparse)", {
  p <- planted_nmf(80, 60, 4, noise = 0.2, seed = 2)
  check_monotone <- function(fit) {
    l <- fit$history$loss
    expect_gt(length(l), 5)
    expect_true(all(diff(l) <= 1e-10 * abs(l[-length(l)])))
  }
  ctl <- nmf_control(tol = 1e-9, max_iter = 300)
  check_monotone(suppressWarnings(nmf_fit(p$X, 4, control = ctl, seed = 1, threads = 1)))
  s <- Matrix::Matrix(small_matrix(60, 50, zeros = 0.7), sparse = TRUE)
  check_monotone(suppressWarnings(nmf_fit(s, 5, control = ctl, seed = 2, threads = 1,
                                          init = "random")))
  # with penalties, the penalized objective is what decreases
  check_monotone(suppressWarnings(nmf_fit(p$X, 4, l1 = 0.1, l2 = c(W = 1, H = 0.1),
                                          control = ctl, seed = 1, threads = 1)))
})

test_that("dense and sparse inputs of every kind give the same factors", {
  x <- small_matrix(50, 40, zeros = 0.5)
  dense <- nmf_fit(x, 3, seed = 7, threads = 1)
  xi <- x
  storage.mode(xi) <- "integer"
  inputs <- list(
    dgC = Matrix::Matrix(x, sparse = TRUE),
    dgT = methods::as(Matrix::Matrix(x, sparse = TRUE), "TsparseMatrix"),
    dgR = methods::as(Matrix::Matrix(x, sparse = TRUE), "RsparseMatrix"),
    integer = xi
  )
  for (nm in names(inputs)) {
    fit <- nmf_fit(inputs[[nm]], 3, seed = 7, threads = 1)
    expect_equal(fit$W, dense$W, tolerance = 1e-8, info = nm)
    expect_equal(fit$H, dense$H, tolerance = 1e-8, info = nm)
    expect_equal(fit$loss, dense$loss, tolerance = 1e-8, info = nm)
  }
  # random starts too
  d2 <- nmf_fit(x, 3, seed = 7, threads = 1, init = "random")
  s2 <- nmf_fit(inputs$dgC, 3, seed = 7, threads = 1, init = "random")
  expect_equal(s2$W, d2$W, tolerance = 1e-8)
  expect_equal(s2$H, d2$H, tolerance = 1e-8)
})

test_that("one and two threads give identical fits", {
  x <- small_matrix(70, 50, zeros = 0.5)
  s <- Matrix::Matrix(x, sparse = TRUE)
  for (input in list(x, s)) {
    for (init in c("nndsvd", "random")) {
      f1 <- nmf_fit(input, 4, seed = 3, init = init, threads = 1)
      f2 <- nmf_fit(input, 4, seed = 3, init = init, threads = 2)
      expect_identical(f1$W, f2$W)
      expect_identical(f1$H, f2$H)
      expect_identical(f1$loss, f2$loss)
      expect_identical(f1$iterations, f2$iterations)
    }
  }
})

test_that("the same seed gives identical fits, different seeds differ", {
  x <- small_matrix()
  a <- nmf_fit(x, 3, seed = 10, init = "random", threads = 1)
  b <- nmf_fit(x, 3, seed = 10, init = "random", threads = 1)
  c <- nmf_fit(x, 3, seed = 11, init = "random", threads = 1)
  expect_identical(a$W, b$W)
  expect_identical(a$H, b$H)
  expect_false(isTRUE(all.equal(a$W, c$W)))
  expect_identical(c$seed, 11L)
})

test_that("set.seed() governs seed = NULL and the seed used is stored", {
  x <- small_matrix()
  a <- withr::with_seed(99, nmf_fit(x, 3, init = "random", threads = 1))
  b <- withr::with_seed(99, nmf_fit(x, 3, init = "random", threads = 1))
  c <- withr::with_seed(100, nmf_fit(x, 3, init = "random", threads = 1))
  expect_identical(a$W, b$W)
  expect_identical(a$H, b$H)
  expect_identical(a$seed, b$seed)
  expect_false(identical(a$seed, c$seed))
  expect_true(is.integer(a$seed) && length(a$seed) == 1L && !is.na(a$seed))
  # the stored seed reproduces the fit
  again <- nmf_fit(x, 3, init = "random", seed = a$seed, threads = 1)
  expect_identical(again$W, a$W)
  expect_identical(again$H, a$H)
})

test_that("planted factors are recovered (200 x 300, rank 5, 1% noise)", {
  p <- planted_nmf(200, 300, 5, noise = 0.01, seed = 1)
  fit <- nmf_fit(p$X, 5, seed = 1, threads = 2)
  mw <- match_columns(p$W, fit$W)
  expect_true(all(mw$cosine > 0.99))
  expect_setequal(mw$index, 1:5)
  mh <- match_columns(t(p$H), t(fit$H))
  expect_true(all(mh$cosine > 0.99))
  # with l1 normalization both factors come back on the planted scale
  expect_equal(fit$W[, mw$index], p$W, tolerance = 0.05, ignore_attr = TRUE)
})

test_that("planted factors are recovered from random starts", {
  skip_on_cran()
  p <- planted_nmf(200, 300, 5, noise = 0.01, seed = 4)
  for (s in 1:3) {
    fit <- nmf_fit(p$X, 5, seed = s, init = "random", threads = 2)
    expect_true(all(match_columns(p$W, fit$W)$cosine > 0.99), info = paste("seed", s))
  }
})

test_that("normalize scales the columns of W and leaves W H unchanged", {
  x <- small_matrix()
  l1 <- nmf_fit(x, 3, seed = 1, threads = 1)
  l2 <- nmf_fit(x, 3, seed = 1, threads = 1, control = nmf_control(normalize = "l2"))
  none <- nmf_fit(x, 3, seed = 1, threads = 1, control = nmf_control(normalize = "none"))
  expect_equal(unname(colSums(l1$W)), rep(1, 3))
  expect_equal(unname(sqrt(colSums(l2$W^2))), rep(1, 3))
  expect_false(isTRUE(all.equal(unname(colSums(none$W)), rep(1, 3))))
  expect_false(isTRUE(all.equal(unname(sqrt(colSums(none$W^2))), rep(1, 3))))
  expect_equal(fitted(l2), fitted(l1), tolerance = 1e-10)
  expect_equal(fitted(none), fitted(l1), tolerance = 1e-10)
  expect_equal(l2$divergence, l1$divergence, tolerance = 1e-10)
  # the same directions, only scaled
  m <- match_columns(l1$W, none$W)
  expect_true(all(m$cosine > 1 - 1e-10))
})

test_that("components are ordered by decreasing contribution", {
  p <- planted_nmf(60, 50, 4, noise = 0.05, seed = 3)
  for (normalize in c("l1", "l2", "none")) {
    fit <- nmf_fit(p$X, 4, seed = 1, threads = 1,
                   control = nmf_control(normalize = normalize))
    total <- colSums(fit$W) * rowSums(fit$H)
    expect_true(all(diff(total) <= 0), info = normalize)
  }
})

test_that("tol = 0 runs exactly max_iter iterations without a warning", {
  x <- small_matrix()
  ctl <- nmf_control(tol = 0, max_iter = 25)
  expect_no_warning(fit <- nmf_fit(x, 2, control = ctl, seed = 1, threads = 1))
  expect_identical(fit$iterations, 25L)
  expect_identical(nrow(fit$history), 25L)
  expect_false(fit$converged)
})

test_that("a fit stopped by max_iter warns once, with the remedy", {
  x <- small_matrix()
  ctl <- nmf_control(tol = 1e-14, max_iter = 5)
  w <- testthat::capture_warnings(fit <- nmf_fit(x, 2, control = ctl, seed = 1, threads = 1))
  expect_length(w, 1L)
  expect_match(w, "increase max_iter")
  expect_false(fit$converged)
  expect_identical(fit$iterations, 5L)
  # one warning even with several restarts
  w <- testthat::capture_warnings(
    nmf_fit(x, 2, control = ctl, restarts = 3, seed = 1, threads = 1))
  expect_length(w, 1L)
})

test_that("a converged fit does not warn", {
  expect_no_warning(fit <- nmf_fit(small_matrix(), 2, seed = 1, threads = 1))
  expect_true(fit$converged)
  expect_lt(fit$iterations, fit$control$max_iter)
})

test_that("restarts return the best of the restarts", {
  x <- small_matrix(40, 30)
  fit <- nmf_fit(x, 4, restarts = 3, seed = 5, threads = 1)
  r <- fit$restarts
  expect_s3_class(r, "data.frame")
  expect_identical(nrow(r), 3L)
  expect_true(all(c("restart", "seed", "init", "loss", "iterations", "converged") %in% names(r)))
  expect_identical(fit$loss, min(r$loss))
  expect_identical(fit$seed, r$seed[which.min(r$loss)])
  expect_identical(r$seed[1], 5L)
  expect_false(anyDuplicated(r$seed) > 0)
  expect_identical(r$init, c("nndsvd", "random", "random"))
  # each restart is the single fit with its own seed and start
  k <- which.min(r$loss)
  single <- nmf_fit(x, 4, seed = r$seed[k], init = r$init[k], threads = 1)
  expect_identical(single$W, fit$W)
  expect_identical(single$loss, fit$loss)
  # restarts = 1 has one row
  expect_identical(nrow(nmf_fit(x, 2, seed = 1, threads = 1)$restarts), 1L)
})

test_that("init as an nmf_fit continues the fit", {
  x <- small_matrix(40, 30)
  first <- suppressWarnings(
    nmf_fit(x, 3, seed = 1, threads = 1, control = nmf_control(tol = 0, max_iter = 20)))
  more <- suppressWarnings(
    nmf_fit(x, 3, init = first, seed = 1, threads = 1,
            control = nmf_control(tol = 0, max_iter = 30)))
  expect_identical(more$iterations, 30L)
  expect_lte(more$loss, first$loss)
  # the continued run starts where the first stopped: its first iteration
  # is already no worse than the end of the first run
  expect_lte(more$history$loss[1], first$loss * (1 + 1e-10))
  expect_identical(more$restarts$init, "given")
})

test_that("init = list(W, H) starts from the given factors", {
  p <- planted_nmf(40, 30, 3, noise = 0, seed = 6)
  # the planted factors are an exact factorization: one iteration from them
  # keeps the objective at (numerically) zero
  fit <- suppressWarnings(
    nmf_fit(p$X, 3, init = list(W = p$W, H = p$H), threads = 1, seed = 1,
            control = nmf_control(tol = 0, max_iter = 1)))
  expect_identical(fit$iterations, 1L)
  expect_lt(fit$loss, 1e-12 * sum(p$X^2))
  expect_true(all(match_columns(p$W, fit$W)$cosine > 1 - 1e-10))
  # from a rank-2 fit of other data, the first iteration cannot do worse
  # than the start
  x <- small_matrix(40, 30)
  start <- list(W = matrix(1, 40, 2), H = matrix(1, 2, 30))
  start_loss <- sum((x - start$W %*% start$H)^2) / 2
  fit2 <- suppressWarnings(
    nmf_fit(x, 2, init = start, threads = 1, seed = 1,
            control = nmf_control(tol = 0, max_iter = 1)))
  expect_lte(fit2$loss, start_loss)
})

test_that("an L1 penalty gives more zeros", {
  p <- planted_nmf(60, 40, 3, noise = 0.1, seed = 1)
  base <- nmf_fit(p$X, 3, seed = 1, threads = 1)
  pen_h <- suppressWarnings(nmf_fit(p$X, 3, seed = 1, threads = 1, l1 = c(W = 0, H = 0.5)))
  expect_gt(mean(pen_h$H == 0), mean(base$H == 0))
  x <- small_matrix(60, 40, zeros = 0.5)
  base <- nmf_fit(x, 3, seed = 1, threads = 1)
  both <- nmf_fit(x, 3, seed = 1, threads = 1, l1 = 5)
  expect_gt(mean(both$H == 0), mean(base$H == 0))
  expect_gt(mean(both$W == 0), mean(base$W == 0))
  expect_gt(both$loss, both$divergence)
  expect_identical(both$penalty$l1, c(W = 5, H = 5))
  expect_identical(both$penalty$l2, c(W = 0, H = 0))
})

test_that("a stronger L1 penalty on both factors gives more zeros in H", {
  p <- planted_nmf(60, 40, 3, noise = 0.1, seed = 1)
  z <- vapply(c(0.1, 2, 20), function(l) {
    fit <- suppressWarnings(nmf_fit(p$X, 3, seed = 1, threads = 1, l1 = l))
    mean(fit$H == 0)
  }, numeric(1))
  expect_true(all(diff(z) >= 0))
  expect_gt(z[3], z[1])
})

test_that("penalties accept a named pair in any order", {
  x <- small_matrix()
  a <- nmf_fit(x, 2, seed = 1, threads = 1, l2 = c(H = 0.5, W = 2))
  expect_identical(a$penalty$l2, c(W = 2, H = 0.5))
  b <- nmf_fit(x, 2, seed = 1, threads = 1, l2 = c(W = 2, H = 0.5))
  expect_identical(a$W, b$W)
})

test_that("fixed_W with k < rank keeps those columns", {
  p <- planted_nmf(60, 50, 4, noise = 0.01, seed = 8)
  known <- p$W[, 1:2] * 3  # any scale: the fit normalizes the columns
  colnames(known) <- c("known1", "known2")
  fit <- nmf_fit(p$X, 4, fixed_W = known, seed = 1, threads = 1)
  expect_equal(unname(fit$W[, 1:2]), unname(sweep(known, 2, colSums(known), "/")),
               tolerance = 1e-12)
  expect_identical(colnames(fit$W)[1:2], c("known1", "known2"))
  expect_identical(rownames(fit$H)[1:2], c("known1", "known2"))
  # the learned columns find the rest of the planted factors
  expect_true(all(match_columns(p$W[, 3:4], fit$W[, 3:4])$cosine > 0.99))
})

test_that("fixed_W with k = rank equals predict()", {
  p <- planted_nmf(50, 40, 3, noise = 0.05, seed = 9)
  ctl <- nmf_control(tol = 1e-12, max_iter = 2000)
  fit <- suppressWarnings(nmf_fit(p$X, 3, fixed_W = p$W, control = ctl, seed = 1, threads = 1))
  expect_equal(unname(fit$W), p$W, tolerance = 1e-12)
  H <- predict(fit, p$X, control = ctl, threads = 1)
  expect_equal(unname(H), unname(fit$H), tolerance = 1e-6)
})

test_that("fixed_H with k < rank keeps those rows up to the column scaling of W", {
  p <- planted_nmf(60, 50, 4, noise = 0.01, seed = 8)
  known <- p$H[1:2, ] * 2
  fit <- nmf_fit(p$X, 4, fixed_H = known, seed = 1, threads = 1)
  # the normalization of W multiplies each row of H by one constant
  expect_equal(unname(fit$H[1:2, ] / rowSums(fit$H[1:2, ])),
               unname(known / rowSums(known)), tolerance = 1e-12)
  expect_equal(unname(colSums(fit$W)), rep(1, 4))
  none <- nmf_fit(p$X, 4, fixed_H = known, seed = 1, threads = 1,
                  control = nmf_control(normalize = "none"))
  expect_equal(unname(none$H[1:2, ]), unname(known), tolerance = 1e-12)
})

test_that("an exact factorization converges without a warning", {
  # rank one data fitted at rank one: the loss is zero up to rounding
  x <- matrix(c(1, 2, 3, 4, 5), 1)
  expect_no_warning(fit <- nmf_fit(x, 1, seed = 1, threads = 1))
  expect_true(fit$converged)
  x <- outer(1:6, 1:4) + 0
  expect_no_warning(fit <- nmf_fit(x, 1, seed = 1, threads = 1))
  expect_true(fit$converged)
})

test_that("dimnames: W rows are the row names of x, H columns its column names", {
  x <- small_matrix(12, 9)
  dimnames(x) <- list(paste0("gene", 1:12), paste0("cell", 1:9))
  fit <- nmf_fit(x, 2, seed = 1, threads = 1)
  expect_identical(rownames(fit$W), rownames(x))
  expect_identical(colnames(fit$H), colnames(x))
  expect_identical(colnames(fit$W), c("C1", "C2"))
  expect_identical(rownames(fit$H), c("C1", "C2"))
  sfit <- nmf_fit(Matrix::Matrix(x, sparse = TRUE), 2, seed = 1, threads = 1)
  expect_identical(rownames(sfit$W), rownames(x))
  expect_identical(colnames(sfit$H), colnames(x))
  unnamed <- nmf_fit(unname(x), 2, seed = 1, threads = 1)
  expect_null(rownames(unnamed$W))
  expect_null(colnames(unnamed$H))
})

test_that("all-zero rows and columns give zeros and no NaN", {
  x <- small_matrix(30, 20)
  x[c(3, 7), ] <- 0
  x[, 5] <- 0
  s <- Matrix::Matrix(x, sparse = TRUE)
  for (input in list(x, s)) {
    for (init in c("nndsvd", "random")) {
      fit <- nmf_fit(input, 3, seed = 1, init = init, threads = 1)
      expect_false(anyNA(fit$W) || anyNA(fit$H))
      expect_true(all(fit$W[c(3, 7), ] == 0))
      expect_true(all(fit$H[, 5] == 0))
      expect_true(is.finite(fit$loss))
    }
  }
})

test_that("a rank-one fit and a fit of rank min(m, n) work", {
  x <- small_matrix(12, 6)
  one <- nmf_fit(x, 1, seed = 1, threads = 1)
  expect_identical(dim(one$W), c(12L, 1L))
  full <- suppressWarnings(nmf_fit(x, 6, seed = 1, threads = 1))
  expect_false(anyNA(full$W) || anyNA(full$H))
  expect_lt(full$divergence, one$divergence)
})

test_that("verbose = TRUE reports progress, verbose = FALSE is silent", {
  x <- small_matrix()
  ctl <- nmf_control(trace_every = 1)
  msgs <- testthat::capture_messages(
    nmf_fit(x, 2, seed = 1, threads = 1, verbose = TRUE, control = ctl))
  expect_gt(length(msgs), 0)
  expect_match(msgs[1], "iteration")
  msgs <- testthat::capture_messages(
    nmf_fit(x, 2, seed = 1, threads = 1, verbose = TRUE, restarts = 2,
            control = nmf_control(trace_every = 1000)))
  expect_length(msgs, 2L)
  expect_match(msgs, "restart [12] of 2")
  expect_silent(nmf_fit(x, 2, seed = 1, threads = 1, verbose = FALSE, control = ctl))
})

test_that("verbose does not change the fit", {
  x <- small_matrix()
  a <- suppressMessages(nmf_fit(x, 2, seed = 1, threads = 1, verbose = TRUE))
  b <- nmf_fit(x, 2, seed = 1, threads = 1)
  expect_identical(a$W, b$W)
})

test_that("beta given by name selects the same fit", {
  x <- small_matrix()
  a <- nmf_fit(x, 2, beta = "gaussian", seed = 1, threads = 1)
  b <- nmf_fit(x, 2, beta = "frobenius", seed = 1, threads = 1)
  c <- nmf_fit(x, 2, beta = 2, seed = 1, threads = 1, solver = "bcd")
  expect_identical(a$W, c$W)
  expect_identical(b$W, c$W)
  expect_identical(a$beta, 2)
})

test_that("offset adds a constant to the data", {
  x <- small_matrix(20, 15)
  a <- nmf_fit(x, 2, offset = 1, seed = 1, threads = 1)
  b <- nmf_fit(x + 1, 2, seed = 1, threads = 1)
  expect_equal(a$W, b$W, tolerance = 1e-12)
  expect_identical(a$data$offset, 1)
  s <- nmf_fit(Matrix::Matrix(x, sparse = TRUE), 2, offset = 1, seed = 1, threads = 1)
  expect_equal(s$W, b$W, tolerance = 1e-12)
})

test_that("the data summary describes x", {
  x <- small_matrix(20, 15)
  fit <- nmf_fit(x, 2, seed = 1, threads = 1)
  expect_identical(fit$data$nrow, 20L)
  expect_identical(fit$data$ncol, 15L)
  expect_false(fit$data$sparse)
  expect_equal(fit$data$nnz, sum(x != 0))
  expect_equal(fit$data$sum_sq, sum(x^2))
  sfit <- nmf_fit(Matrix::Matrix(x, sparse = TRUE), 2, seed = 1, threads = 1)
  expect_true(sfit$data$sparse)
  expect_equal(sfit$data$nnz, sum(x != 0))
  expect_equal(sfit$data$sum_sq, sum(x^2))
})

test_that("a SummarizedExperiment is factorized through its assay", {
  skip_if_not_installed("SummarizedExperiment")
  x <- small_matrix(20, 15)
  se <- SummarizedExperiment::SummarizedExperiment(assays = list(counts = x))
  a <- nmf_fit(se, 2, assay = "counts", seed = 1, threads = 1)
  b <- nmf_fit(x, 2, seed = 1, threads = 1)
  expect_identical(a$W, b$W)
})

# Arguments of nmf_fit() itself; the checks of the data, counts and factors
# are in test-checks.R.

test_that("beta 'foo' is an error naming beta", {
  expect_error(nmf_fit(small_matrix(), 2, beta = "foo"), "`beta`")
})

test_that("beta NA is an error naming beta", {
  expect_error(nmf_fit(small_matrix(), 2, beta = NA), "`beta`")
  expect_error(nmf_fit(small_matrix(), 2, beta = NA_real_), "`beta`")
  expect_error(nmf_fit(small_matrix(), 2, beta = c(1, 2)), "`beta`")
})

test_that("a solver that cannot fit the beta is an error naming solver", {
  expect_error(nmf_fit(small_matrix(), 2, beta = 1, solver = "bcd"), "`solver`.*beta = 2")
  expect_error(nmf_fit(small_matrix(), 2, beta = "kl", solver = "bcd"), "`solver`.*beta = 2")
  expect_error(nmf_fit(small_matrix(), 2, beta = 2, solver = "cd"), "`solver`.*beta = 1")
  expect_error(nmf_fit(small_matrix(), 2, beta = 0.5, solver = "cd"), "`solver`.*beta = 1")
})

test_that("solver 'foo' is an error naming solver", {
  expect_error(nmf_fit(small_matrix(), 2, solver = "foo"), "`solver`")
  expect_error(nmf_fit(small_matrix(), 2, solver = c("mu", "cd")), "`solver`")
})

test_that("an unknown argument in ... is an error naming it", {
  expect_error(nmf_fit(small_matrix(), 2, max_iter = 10), "unknown argument.*max_iter")
  expect_error(nmf_fit(small_matrix(), 2, 2, "extra"), "unknown argument.*unnamed")
})

test_that("control not made by nmf_control() is an error naming control", {
  expect_error(nmf_fit(small_matrix(), 2, control = list(max_iter = 10)), "`control`")
})

test_that("mask and weights of the wrong shape or values are errors naming them", {
  x <- small_matrix()
  expect_error(nmf_fit(x, 2, mask = (x > 0)[-1, ]), "`mask`")
  expect_error(nmf_fit(x, 2, mask = "a"), "`mask`")
  expect_error(nmf_fit(x, 2, mask = x), "`mask`")
  expect_error(nmf_fit(x, 2, weights = x[, -1]), "`weights`")
  expect_error(nmf_fit(x, 2, weights = -x), "`weights`")
  w <- x
  w[1, 1] <- Inf
  expect_error(nmf_fit(x, 2, weights = w), "`weights`")
  w[1, 1] <- NA
  expect_error(nmf_fit(x, 2, weights = w), "`weights`")
  expect_error(nmf_fit(x, 2, weights = "a"), "`weights`")
})

test_that("init that is neither a method nor factors is an error naming init", {
  x <- small_matrix(30, 20)
  expect_error(nmf_fit(x, 2, init = "foo"), "`init`")
  expect_error(nmf_fit(x, 2, init = 3), "`init`")
  expect_error(nmf_fit(x, 2, init = list(W = matrix(1, 30, 2))), "`init`")
})

test_that("init list with wrong dimensions is an error naming init", {
  x <- small_matrix(30, 20)
  expect_error(nmf_fit(x, 2, init = list(W = matrix(1, 29, 2), H = matrix(1, 2, 20))),
               "`init\\$W`")
  expect_error(nmf_fit(x, 2, init = list(W = matrix(1, 30, 2), H = matrix(1, 3, 20))),
               "`init\\$H`")
  other <- nmf_fit(x, 3, seed = 1, threads = 1)
  expect_error(nmf_fit(x, 2, init = other), "`init\\$W`")
  expect_error(nmf_fit(x, 2, init = list(W = -matrix(1, 30, 2), H = matrix(1, 2, 20))),
               "`init\\$W`")
})

test_that("offset must be a non-negative number", {
  expect_error(nmf_fit(small_matrix(), 2, offset = -1), "`offset`")
  expect_error(nmf_fit(small_matrix(), 2, offset = NA), "`offset`")
})

test_that("fixed_W and fixed_H may not fix every component", {
  x <- small_matrix(30, 20)
  expect_error(nmf_fit(x, 2, fixed_W = matrix(1, 30, 2), fixed_H = matrix(1, 2, 20)),
               "`fixed_W` and `fixed_H`")
})
