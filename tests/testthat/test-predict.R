# predict(): H for new columns with W held fixed.

# One fit of x (x + 1 for beta <= 0) for every solver and beta predict()
# supports: list(lab, xx, fit) for each.
solver_fits <- function(x) {
  cases <- data.frame(beta = c(0, 1, 1, 2, 2), solver = c("mu", "mu", "cd", "mu", "bcd"),
                      stringsAsFactors = FALSE)
  lapply(seq_len(nrow(cases)), function(k) {
    b <- cases$beta[k]
    s <- cases$solver[k]
    xx <- if (b <= 0) x + 1 else x
    list(lab = sprintf("beta = %g, solver = \"%s\"", b, s), xx = xx,
         fit = nmf_fit(xx, 3, b, solver = s, seed = 1, threads = 1))
  })
}

test_that("predict returns an r x n matrix with the names of the components and columns", {
  x <- small_matrix(30, 25)
  colnames(x) <- paste0("s", 1:25)
  fit <- nmf_fit(x[, 1:20], 3, seed = 1, threads = 1)
  H <- predict(fit, x[, 21:25], threads = 1)
  expect_identical(dim(H), c(3L, 5L))
  expect_identical(rownames(H), c("C1", "C2", "C3"))
  expect_identical(colnames(H), paste0("s", 21:25))
  expect_true(all(H >= 0))
  expect_false(anyNA(H))
  one <- predict(fit, x[, 21, drop = FALSE], threads = 1)
  expect_identical(dim(one), c(3L, 1L))
})

test_that("predict recovers H of the training columns when the model is exact", {
  p <- planted_nmf(60, 40, 3, noise = 0, seed = 5)
  ctl <- nmf_control(tol = 1e-12, max_iter = 3000)
  fit <- suppressWarnings(nmf_fit(p$X, 3, seed = 1, threads = 1, control = ctl))
  expect_lt(fit$divergence, 1e-8 * sum(p$X^2))
  H <- predict(fit, p$X, threads = 1, control = ctl)
  expect_equal(unname(H), unname(fit$H), tolerance = 1e-6)
  # and it is the planted H, matched by the planted W
  m <- match_columns(p$W, fit$W)
  expect_equal(unname(H[m$index, ]), p$H, tolerance = 1e-4)
  # default control: close, not exact
  expect_equal(unname(predict(fit, p$X, threads = 1)), unname(fit$H), tolerance = 1e-3)
})

test_that("predict on new columns of a planted model finds their loadings", {
  p <- planted_nmf(60, 50, 3, noise = 0, seed = 6)
  ctl <- nmf_control(tol = 1e-12, max_iter = 3000)
  fit <- suppressWarnings(nmf_fit(p$X[, 1:40], 3, seed = 1, threads = 1, control = ctl))
  H <- predict(fit, p$X[, 41:50], threads = 1, control = ctl)
  expect_equal(fit$W %*% H, p$X[, 41:50], tolerance = 1e-5, ignore_attr = TRUE)
})

test_that("predict with sparse newdata equals dense newdata", {
  x <- small_matrix(40, 30, zeros = 0.5)
  fit <- nmf_fit(x, 3, seed = 1, threads = 1)
  s <- Matrix::Matrix(x, sparse = TRUE)
  Hd <- predict(fit, x, threads = 1)
  Hs <- predict(fit, s, threads = 1)
  expect_equal(Hs, Hd, tolerance = 1e-10)
  expect_equal(predict(fit, methods::as(s, "TsparseMatrix"), threads = 1), Hd,
               tolerance = 1e-10)
})

test_that("predict gives the same result on one and two threads", {
  x <- small_matrix(40, 30)
  fit <- nmf_fit(x, 3, seed = 1, threads = 1)
  expect_identical(predict(fit, x, threads = 1), predict(fit, x, threads = 2))
})

test_that("predict does not move the fitted W", {
  x <- small_matrix(40, 30)
  fit <- nmf_fit(x[, 1:20], 3, seed = 1, threads = 1)
  H <- predict(fit, x[, 21:30], threads = 1)
  # H minimizes the objective for fixed W: no coordinate can improve it much
  r <- x[, 21:30] - fit$W %*% H
  grad <- -crossprod(fit$W, r)  # gradient of ||X - WH||^2 / 2 in H
  # KKT: gradient >= 0 where H = 0, about 0 where H > 0
  scale <- max(abs(crossprod(fit$W, x[, 21:30])))
  expect_true(all(grad[H == 0] >= -1e-3 * scale))
  expect_true(all(abs(grad[H > 0]) <= 1e-3 * scale))
})

test_that("newdata with the wrong number of rows is an error naming newdata", {
  x <- small_matrix(30, 20)
  fit <- nmf_fit(x, 2, seed = 1, threads = 1)
  expect_error(predict(fit, x[-1, ], threads = 1), "`newdata` must have 30 rows")
})

test_that("bad newdata and arguments are errors naming them", {
  x <- small_matrix(30, 20)
  fit <- nmf_fit(x, 2, seed = 1, threads = 1)
  expect_error(predict(fit), "`newdata` is missing")
  expect_error(predict(fit, -x, threads = 1), "`newdata`")
  expect_error(predict(fit, as.data.frame(x), threads = 1), "`newdata`")
  expect_error(predict(fit, x, control = list(), threads = 1), "`control`")
  expect_error(predict(fit, x, threads = 0), "`threads`")
  expect_error(predict(fit, x, threads = 1, foo = 2), "unknown argument.*foo")
})

test_that("predict keeps the penalty of the fit", {
  x <- small_matrix(30, 20)
  fit0 <- nmf_fit(x, 2, seed = 1, threads = 1)
  fit1 <- fit0
  fit1$penalty$l1 <- c(W = 0, H = 1000)
  H0 <- predict(fit0, x, threads = 1)
  H1 <- predict(fit1, x, threads = 1)
  expect_gt(mean(H1 == 0), mean(H0 == 0))
})

test_that("predict ignores masked entries of newdata and treats NA as masked, for every solver", {
  x <- small_matrix(30, 20, zeros = 0.3)
  withr::local_seed(3)
  mask <- matrix(stats::runif(600) < 0.1, 30, 20)
  for (case in solver_fits(x)) {
    lab <- case$lab
    xx <- case$xx
    fit <- case$fit
    huge <- xx
    huge[mask] <- 1e6
    with_na <- xx
    with_na[mask] <- NA
    ref <- predict(fit, xx, mask = mask, threads = 1)
    expect_identical(predict(fit, huge, mask = mask, threads = 1), ref,
                     label = paste(lab, "huge values under the mask"))
    expect_identical(predict(fit, huge, mask = Matrix::Matrix(mask, sparse = TRUE),
                             threads = 1), ref, label = paste(lab, "sparse mask"))
    expect_identical(predict(fit, with_na, threads = 1), ref, label = paste(lab, "NA"))
    sparse_huge <- Matrix::Matrix(huge, sparse = TRUE)
    expect_equal(predict(fit, sparse_huge, mask = mask, threads = 1), ref, tolerance = 1e-8,
                 label = paste(lab, "sparse newdata"))
    # the mask matters: without it the fit sees the values
    expect_gt(max(abs(predict(fit, xx, threads = 1) - ref)), 1e-3)
  }
})

test_that("predict with weights equals the projection under the same weights in nmf_fit", {
  x <- small_matrix(30, 20, zeros = 0.3)
  withr::local_seed(4)
  w <- matrix(stats::runif(600, 0.2, 3), 30, 20)
  ctl <- nmf_control(tol = 1e-12, max_iter = 3000)
  fit <- nmf_fit(x, 3, seed = 1, threads = 1)
  H <- predict(fit, x, weights = w, control = ctl, threads = 1)
  proj <- suppressWarnings(nmf_fit(x, 3, fixed_W = fit$W, weights = w, control = ctl,
                                   seed = 1, threads = 1))
  expect_equal(unname(H), unname(proj$H), tolerance = 1e-6)
  expect_identical(predict(fit, x, weights = matrix(1, 30, 20), threads = 1),
                   predict(fit, x, threads = 1))
})

test_that("a newdata column with no observed entry gets zeros, not NaN", {
  x <- small_matrix(30, 20, zeros = 0.3)
  for (case in solver_fits(x)) {
    lab <- case$lab
    xx <- case$xx
    fit <- case$fit
    with_na <- xx
    with_na[, 2] <- NA
    H <- suppressWarnings(predict(fit, with_na, threads = 1))
    expect_true(all(H[, 2] == 0), label = paste(lab, "column 2 is zero"))
    expect_true(all(is.finite(H)), label = paste(lab, "finite"))
    mask <- matrix(FALSE, 30, 20)
    mask[, 2] <- TRUE
    expect_identical(suppressWarnings(predict(fit, xx, mask = mask, threads = 1)), H,
                     label = paste(lab, "masked column"))
  }
})

test_that("a mask or weights not shaped like newdata are errors naming them", {
  x <- small_matrix(30, 20)
  fit <- nmf_fit(x, 2, seed = 1, threads = 1)
  expect_error(predict(fit, x[, 1:5], mask = matrix(FALSE, 30, 20)), "`mask` must be 30 x 5")
  expect_error(predict(fit, x, mask = Matrix::Matrix(FALSE, 29, 20, sparse = TRUE)), "`mask`")
  expect_error(predict(fit, x, weights = matrix(1, 30, 19)), "`weights` must be 30 x 20")
  expect_error(predict(fit, x, weights = -matrix(1, 30, 20)), "`weights`")
  bad <- matrix(FALSE, 30, 20)
  bad[1, 1] <- NA
  expect_error(predict(fit, x, mask = bad), "`mask`")
})

test_that("a fit whose penalties emptied every component predicts a finite H", {
  # the flat start divided the mean by a zero W (fuzz seed 2579)
  x <- matrix(c(8, 6, 3, 3, 6, 9, 4, 2, 7, 7, 10, 7), 4)
  fit <- suppressWarnings(nmf_fit(x, 2, l1 = 1e6, solver = "mu", seed = 1, threads = 1))
  expect_true(all(fit$W == 0) || all(is.finite(fit$W)))
  H <- predict(fit, x, threads = 1)
  expect_true(all(is.finite(H)))
})
