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

test_that("corrupt sparse objects get an error naming the argument", {
  x <- Matrix::rsparsematrix(20, 10, 0.3, rand.x = function(n) stats::runif(n, 1, 2))
  bad_end <- x
  bad_end@p[11] <- bad_end@p[11] + 50L  # past the end of @i
  expect_error(nmf_fit(bad_end, 2), "`x` is a corrupt dgCMatrix: @p must end at length\\(@i\\)")
  bad_order <- x
  bad_order@p[3:4] <- bad_order@p[4:3]
  expect_error(nmf_fit(bad_order, 2), "`x` is a corrupt dgCMatrix: @p must never decrease")
  col <- which(diff(x@p) >= 2)[1]
  unsorted <- x
  k <- x@p[col] + 1:2
  unsorted@i[k] <- rev(unsorted@i[k])
  expect_error(nmf_fit(unsorted, 2), "`x` is a corrupt dgCMatrix: @i must be sorted")
  out_of_range <- x
  out_of_range@i[1] <- 25L
  expect_error(beta_divergence(out_of_range, as.matrix(x), beta = 1),
               "`x` is a corrupt dgCMatrix: @i must lie in 0..19")
  start <- x
  start@p[1] <- 1L
  expect_error(nmf_cv(start, 1:2), "`x` is a corrupt dgCMatrix: @p must start at 0")
  short_x <- x
  short_x@x <- short_x@x[-1]
  expect_error(nmf_consensus(short_x, 2, restarts = 2),
               "`x` is a corrupt dgCMatrix: @x must have as many values")
  mask <- methods::as(x > 1.5, "CsparseMatrix")
  mask@i[1] <- -1L
  expect_error(nmf_fit(x, 2, mask = mask), "`mask` is a corrupt")
  w <- x
  w@p[11] <- 0L
  expect_error(nmf_fit(x, 2, weights = w), "`weights` is a corrupt")
  fit <- nmf_fit(x, 2, seed = 1, threads = 1)
  expect_error(predict(fit, bad_end), "`newdata` is a corrupt dgCMatrix")
  expect_error(beta_divergence(as.matrix(x), bad_end, beta = 2), "`mu` is a corrupt")
  tx <- methods::as(x, "TsparseMatrix")
  tx@j[1] <- 10L
  expect_error(nmf_fit(tx, 2), "`x` is a corrupt dgTMatrix: @i and @j must lie within")
})
