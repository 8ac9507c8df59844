# predict(): H for new columns with W held fixed.

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
