# nmf_control(precision = "float"): the core reads the data's values as
# floats and computes in double, so a float fit is exactly the double fit
# of the data rounded to float.

# x rounded to the nearest float, as doubles (writeBin() with size 4 rounds
# to single precision).
as_float <- function(x) {
  v <- if (methods::is(x, "sparseMatrix")) x@x else x
  r <- readBin(writeBin(as.numeric(v), raw(), size = 4L), "double", n = length(v), size = 4L)
  r[is.na(v)] <- NA
  if (methods::is(x, "sparseMatrix")) {
    x@x <- r
  } else {
    x[] <- r
  }
  x
}

float_ctl <- function(...) nmf_control(..., precision = "float")

expect_same_bits <- function(a, b) {
  expect_identical(a$W, b$W)
  expect_identical(a$H, b$H)
  expect_identical(a$loss, b$loss)
  expect_identical(a$history$loss, b$history$loss)
}

test_that("precision is a checked setting, double by default", {
  expect_identical(nmf_control()$precision, "double")
  expect_identical(nmf_control(precision = "float")$precision, "float")
  expect_error(nmf_control(precision = "half"), "`precision` must be one of")
  expect_error(nmf_control(precision = 1), "`precision`")
  expect_output(print(nmf_control(precision = "float")), "precision +float")
})

test_that("a float fit is the double fit of the data rounded to float, for every beta", {
  # continuous data, not representable in float: the float fit moves, but
  # exactly to the double fit of the rounded data
  withr::local_seed(3)
  x <- abs(matrix(stats::rnorm(60 * 40), 60)) + tcrossprod(matrix(stats::runif(60 * 3), 60),
                                                            matrix(stats::runif(40 * 3), 40))
  expect_false(identical(as_float(x), x))
  for (beta in c(2, 1, 0.5, 0)) {
    ctl <- list(max_iter = 40L, tol = 0)
    single <- nmf_fit(x, 3, beta = beta, seed = 1, control = do.call(float_ctl, ctl))
    rounded <- nmf_fit(as_float(x), 3, beta = beta, seed = 1,
                       control = do.call(nmf_control, ctl))
    double <- nmf_fit(x, 3, beta = beta, seed = 1, control = do.call(nmf_control, ctl))
    expect_same_bits(single, rounded)
    expect_false(identical(single$W, double$W))
    # and close to the double fit: rounding moves each value by < 2^-24
    expect_lt(abs(single$loss - double$loss) / double$loss, 1e-5)
    expect_true(all(diff(single$history$loss) <= 1e-12 * abs(single$history$loss[-1])))
  }
})

test_that("sparse spike counts: float gives the same bits as double, dense and sparse", {
  # counts are exact in float, so every sum is the same as in double
  spikes <- planted_spikes(seed = 2, n = 600)$X
  expect_gt(mean(spikes == 0), 0.8)
  sp <- Matrix::Matrix(spikes, sparse = TRUE)
  for (beta in c(2, 1)) {
    ctl <- list(max_iter = 30L, tol = 0)
    d <- nmf_fit(spikes, 5, beta = beta, seed = 4, control = do.call(nmf_control, ctl))
    fd <- nmf_fit(spikes, 5, beta = beta, seed = 4, control = do.call(float_ctl, ctl))
    fs <- nmf_fit(sp, 5, beta = beta, seed = 4, control = do.call(float_ctl, ctl))
    expect_same_bits(fd, d)
    expect_equal(fs$W, fd$W, tolerance = 1e-10)
    expect_equal(fs$loss, fd$loss, tolerance = 1e-10)
    expect_true(is.finite(fs$loss))
  }
})

test_that("float fits with missing values match the rounded data, nmf_cv() the double run", {
  withr::local_seed(5)
  x <- matrix(stats::rgamma(50 * 30, 2) * 1.1, 50)
  x[sample(length(x), 100)] <- NA
  ctl <- list(max_iter = 25L, tol = 0)
  single <- nmf_fit(x, 2, beta = 1, seed = 2, control = do.call(float_ctl, ctl))
  rounded <- nmf_fit(as_float(x), 2, beta = 1, seed = 2, control = do.call(nmf_control, ctl))
  expect_same_bits(single, rounded)
  y <- abs(x)
  y[is.na(y)] <- 0
  # nmf_cv() fits in float and scores against y itself: the errors agree
  # with the double run to rounding, and so do the chosen ranks
  cv1 <- nmf_cv(y, ranks = 1:3, replicates = 1, seed = 1,
                control = do.call(float_ctl, ctl))
  cv2 <- nmf_cv(y, ranks = 1:3, replicates = 1, seed = 1,
                control = do.call(nmf_control, ctl))
  expect_false(identical(cv1$results$test_error, cv2$results$test_error))
  expect_equal(cv1$results$test_error, cv2$results$test_error, tolerance = 1e-6)
  expect_equal(cv1$results$train_error, cv2$results$train_error, tolerance = 1e-6)
  expect_identical(cv1$rank_min, cv2$rank_min)
  expect_identical(cv1$rank, cv2$rank)
})

test_that("float fits are identical for 1 and 2 threads and for the same seed", {
  x <- planted_nmf(80, 60, 3, noise = 0.1, seed = 7)$X
  a <- nmf_fit(x, 3, seed = 9, threads = 1, control = float_ctl(max_iter = 20L, tol = 0))
  b <- nmf_fit(x, 3, seed = 9, threads = 2, control = float_ctl(max_iter = 20L, tol = 0))
  c <- nmf_fit(x, 3, seed = 9, threads = 2, control = float_ctl(max_iter = 20L, tol = 0))
  expect_same_bits(a, b)
  expect_same_bits(b, c)
})

test_that("values that are no normal float are refused, naming precision", {
  x <- small_matrix()
  big <- x
  big[1, 1] <- 1e39
  expect_error(nmf_fit(big, 2, control = float_ctl()), "`precision = \"float\"`.*1e\\+39")
  tiny <- x
  tiny[1, 1] <- 1e-39
  expect_error(nmf_fit(tiny, 2, control = float_ctl()), "`precision = \"float\"`")
  expect_error(nmf_cv(tiny, ranks = 1:2, replicates = 1, control = float_ctl()),
               "`precision = \"float\"`")
  # the same data in double are fitted
  expect_true(is.finite(nmf_fit(tiny, 2, control = nmf_control(max_iter = 10L, tol = 0))$loss))
  # the extremes of the float range are accepted
  edge <- x * 2^-100
  expect_true(is.finite(nmf_fit(edge, 2, control = float_ctl(max_iter = 10L, tol = 0))$loss))
})
