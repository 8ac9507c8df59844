# beta_divergence() against closed forms written out by hand.

# Data with zeros (for beta > 0) and a strictly positive model.
div_data <- function(seed = 11, m = 7, n = 5) {
  withr::local_seed(seed)
  x <- matrix(stats::rgamma(m * n, shape = 2), m, n)
  x[sample(length(x), 6)] <- 0
  mu <- matrix(stats::rgamma(m * n, shape = 2), m, n) + 0.1
  list(x = x, mu = mu, xpos = x + 0.5)
}

test_that("beta = 2 is half the squared error", {
  d <- div_data()
  expect_equal(beta_divergence(d$x, d$mu, 2), sum((d$x - d$mu)^2) / 2)
})

test_that("beta = 1 is the generalized Kullback-Leibler divergence", {
  d <- div_data()
  x <- d$x
  mu <- d$mu
  xlogx <- ifelse(x == 0, 0, x * log(x / mu))
  expect_equal(beta_divergence(x, mu, 1), sum(xlogx - x + mu))
})

test_that("beta = 0 is the Itakura-Saito divergence", {
  d <- div_data()
  x <- d$xpos
  mu <- d$mu
  expect_equal(beta_divergence(x, mu, 0), sum(x / mu - log(x / mu) - 1))
})

test_that("beta = 0.5, 1.5 and 3 match their closed forms", {
  d <- div_data()
  x <- d$x
  mu <- d$mu
  # beta = 1/2: 2 (sqrt(x) - sqrt(mu))^2 / sqrt(mu)
  expect_equal(beta_divergence(x, mu, 0.5), sum(2 * (sqrt(x) - sqrt(mu))^2 / sqrt(mu)))
  # beta = 3/2: (4/3) x^1.5 + (2/3) mu^1.5 - 2 x sqrt(mu)
  expect_equal(beta_divergence(x, mu, 1.5),
               sum(4 / 3 * x^1.5 + 2 / 3 * mu^1.5 - 2 * x * sqrt(mu)))
  # beta = 3: (x - mu)^2 (x + 2 mu) / 6
  expect_equal(beta_divergence(x, mu, 3), sum((x - mu)^2 * (x + 2 * mu) / 6))
})

test_that("a zero datum contributes mu^beta / beta for beta > 0", {
  x <- matrix(c(0, 0, 0, 0), 2)
  x[1, 1] <- 1
  mu <- matrix(c(1, 2, 3, 4), 2)
  for (b in c(0.5, 1, 1.5, 2, 3)) {
    expect_equal(beta_divergence(x, mu, b), sum(mu[-1]^b / b), info = paste("beta", b))
  }
})

test_that("the divergence is zero when the model equals the data", {
  d <- div_data()
  for (b in c(0.5, 1, 1.5, 2, 3)) {
    expect_identical(beta_divergence(d$x, d$x, b), 0, info = paste("beta", b))
  }
  expect_identical(beta_divergence(d$xpos, d$xpos, 0), 0)
})

test_that("beta can be given by name", {
  d <- div_data()
  b2 <- beta_divergence(d$x, d$mu, 2)
  b1 <- beta_divergence(d$x, d$mu, 1)
  b0 <- beta_divergence(d$xpos, d$mu, 0)
  expect_identical(beta_divergence(d$x, d$mu, "gaussian"), b2)
  expect_identical(beta_divergence(d$x, d$mu, "frobenius"), b2)
  expect_identical(beta_divergence(d$x, d$mu, "kl"), b1)
  expect_identical(beta_divergence(d$x, d$mu, "poisson"), b1)
  expect_identical(beta_divergence(d$xpos, d$mu, "is"), b0)
  expect_identical(beta_divergence(d$xpos, d$mu, "itakura-saito"), b0)
  expect_identical(beta_divergence(d$xpos, d$mu, "gamma"), b0)
  expect_identical(beta_divergence(d$x, d$mu, "KL"), b1)
})

test_that("weights all one equal the unweighted divergence", {
  d <- div_data()
  w <- matrix(1, nrow(d$x), ncol(d$x))
  for (b in c(1, 1.5, 2)) {
    expect_equal(beta_divergence(d$x, d$mu, b, weights = w), beta_divergence(d$x, d$mu, b))
  }
})

test_that("weights multiply each term", {
  d <- div_data()
  withr::local_seed(3)
  w <- matrix(stats::runif(length(d$x)), nrow(d$x))
  expect_equal(beta_divergence(d$x, d$mu, 2, weights = w), sum(w * (d$x - d$mu)^2) / 2)
})

test_that("mask = TRUE removes terms from the sum", {
  d <- div_data()
  withr::local_seed(4)
  mask <- matrix(stats::runif(length(d$x)) < 0.3, nrow(d$x))
  expect_equal(beta_divergence(d$x, d$mu, 2, mask = mask),
               sum(((d$x - d$mu)^2 / 2)[!mask]))
  none <- matrix(FALSE, nrow(d$x), ncol(d$x))
  expect_equal(beta_divergence(d$x, d$mu, 1, mask = none), beta_divergence(d$x, d$mu, 1))
  all <- matrix(TRUE, nrow(d$x), ncol(d$x))
  expect_identical(beta_divergence(d$x, d$mu, 1.5, mask = all), 0)
  # a masked term may even be infinite: it is left out
  mu <- d$mu
  mu[d$x > 0][1] <- 0
  inf_at <- which(d$x > 0 & mu == 0)
  expect_identical(beta_divergence(d$x, mu, 1), Inf)
  m1 <- matrix(FALSE, nrow(d$x), ncol(d$x))
  m1[inf_at] <- TRUE
  expect_true(is.finite(beta_divergence(d$x, mu, 1, mask = m1)))
})

test_that("mask and weights combine", {
  d <- div_data()
  withr::local_seed(5)
  w <- matrix(stats::runif(length(d$x)), nrow(d$x))
  mask <- matrix(stats::runif(length(d$x)) < 0.5, nrow(d$x))
  expect_equal(beta_divergence(d$x, d$mu, 2, mask = mask, weights = w),
               sum((w * (d$x - d$mu)^2 / 2)[!mask]))
})

test_that("sparse x gives the same divergence as dense x", {
  d <- div_data()
  s <- Matrix::Matrix(d$x, sparse = TRUE)
  for (b in c(0.5, 1, 1.5, 2, 3)) {
    expect_equal(beta_divergence(s, d$mu, b), beta_divergence(d$x, d$mu, b),
                 info = paste("beta", b))
  }
})

test_that("mu as an nmf_fit equals mu = fitted(fit), dense and sparse", {
  x <- small_matrix(40, 25, zeros = 0.4)
  s <- Matrix::Matrix(x, sparse = TRUE)
  expect_s4_class(s, "dgCMatrix")
  fit <- nmf_fit(x, 3, seed = 1, threads = 1)
  mu <- fitted(fit)
  for (b in c(2, 1, 1.5, 0.5, 3)) {
    expect_equal(beta_divergence(x, fit, b, threads = 1), beta_divergence(x, mu, b),
                 tolerance = 1e-10, info = paste("dense, beta", b))
    expect_equal(beta_divergence(s, fit, b, threads = 1), beta_divergence(x, mu, b),
                 tolerance = 1e-10, info = paste("sparse, beta", b))
  }
  expect_equal(beta_divergence(s, fit, 2, threads = 2), fit$divergence, tolerance = 1e-10)
})

test_that("mu as an nmf_fit works for beta <= 0 on positive data", {
  x <- small_matrix(30, 20, zeros = 0) + 1
  fit <- nmf_fit(x, 2, seed = 1, threads = 1)
  for (b in c(0, -0.5)) {
    expect_equal(beta_divergence(x, fit, b, threads = 1), beta_divergence(x, fitted(fit), b),
                 tolerance = 1e-10, info = paste("beta", b))
  }
  s <- Matrix::Matrix(x, sparse = TRUE)
  expect_equal(beta_divergence(s, fit, 0, threads = 1), beta_divergence(x, fitted(fit), 0),
               tolerance = 1e-10)
})

test_that("mu as an nmf_fit with mask or weights uses the fitted matrix", {
  x <- small_matrix(30, 20)
  fit <- nmf_fit(x, 2, seed = 1, threads = 1)
  mask <- x == 0
  expect_equal(beta_divergence(x, fit, 2, mask = mask),
               sum(((x - fitted(fit))^2 / 2)[!mask]))
})

test_that("zeros in x with beta <= 0 are an error that mentions offset", {
  d <- div_data()
  expect_error(beta_divergence(d$x, d$mu, 0), "positive constant")
  expect_error(beta_divergence(d$x, d$mu, "is"), "positive constant")
  expect_error(beta_divergence(d$x, d$mu, -1), "positive constant")
  s <- Matrix::Matrix(d$x, sparse = TRUE)
  expect_error(beta_divergence(s, d$mu, 0), "positive constant")
})

test_that("bad arguments name the argument", {
  d <- div_data()
  expect_error(beta_divergence(d$x, d$mu), "`beta`")
  expect_error(beta_divergence(d$x, d$mu, "foo"), "`beta`")
  expect_error(beta_divergence(d$x, d$mu, NA), "`beta`")
  expect_error(beta_divergence(-d$x, d$mu, 2), "`x`")
  expect_error(beta_divergence(d$x, d$mu[-1, ], 2), "`mu`")
  expect_error(beta_divergence(d$x, -d$mu, 2), "`mu`")
  expect_error(beta_divergence(d$x, "a", 2), "`mu`")
  expect_error(beta_divergence(d$x, d$mu, 2, weights = d$mu[, -1]), "`weights`")
  expect_error(beta_divergence(d$x, d$mu, 2, weights = -d$mu), "`weights`")
  expect_error(beta_divergence(d$x, d$mu, 2, mask = d$mu[-1, ] > 1), "`mask`")
  expect_error(beta_divergence(d$x, d$mu, 2, mask = matrix(NA, nrow(d$x), ncol(d$x))),
               "`mask`")
  fit <- nmf_fit(small_matrix(10, 8), 2, seed = 1, threads = 1)
  expect_error(beta_divergence(d$x, fit, 2), "`mu`")
})

test_that("NA in x, a dense mask and a sparse mask leave out the same terms", {
  d <- div_data()
  withr::local_seed(6)
  mask <- matrix(stats::runif(length(d$x)) < 0.3, nrow(d$x))
  with_na <- d$x
  with_na[mask] <- NA
  huge <- d$x
  huge[mask] <- 1e6
  for (b in c(0.5, 1, 2)) {
    ref <- beta_divergence(d$x, d$mu, b, mask = mask)
    expect_identical(beta_divergence(with_na, d$mu, b), ref)
    expect_identical(beta_divergence(huge, d$mu, b, mask = mask), ref)
    expect_equal(beta_divergence(d$x, d$mu, b, mask = Matrix::Matrix(mask, sparse = TRUE)), ref)
    expect_equal(beta_divergence(Matrix::Matrix(d$x, sparse = TRUE), d$mu, b, mask = mask), ref)
  }
  # a masked zero is allowed for beta = 0
  xpos <- d$xpos
  xpos[1, 1] <- 0
  one <- matrix(FALSE, nrow(xpos), ncol(xpos))
  one[1, 1] <- TRUE
  expect_error(beta_divergence(xpos, d$mu, 0), "positive constant")
  expect_true(is.finite(beta_divergence(xpos, d$mu, 0, mask = one)))
})

test_that("sparse weights give weight zero to the entries they do not store", {
  d <- div_data()
  withr::local_seed(7)
  w <- matrix(stats::runif(length(d$x), 0.5, 2), nrow(d$x)) *
    (stats::runif(length(d$x)) < 0.6)
  sw <- Matrix::Matrix(w, sparse = TRUE)
  for (b in c(0.5, 1, 2)) {
    expect_equal(beta_divergence(d$x, d$mu, b, weights = sw),
                 beta_divergence(d$x, d$mu, b, weights = w))
  }
  expect_equal(beta_divergence(d$x, d$mu, 2, weights = sw), sum(w * (d$x - d$mu)^2) / 2)
})

test_that("bad masks and weights are errors naming them", {
  d <- div_data()
  n <- length(d$x)
  bad <- matrix(0, nrow(d$x), ncol(d$x))
  bad[1] <- 2
  expect_error(beta_divergence(d$x, d$mu, 2, mask = bad), "`mask`")
  expect_error(beta_divergence(d$x, d$mu, 2, mask = Matrix::Matrix(bad, sparse = TRUE)),
               "`mask`")
  w <- matrix(1, nrow(d$x), ncol(d$x))
  for (v in c(NA, Inf, -1)) {
    w[1] <- v
    expect_error(beta_divergence(d$x, d$mu, 2, weights = w), "`weights`")
    expect_error(beta_divergence(d$x, d$mu, 2, weights = Matrix::Matrix(w, sparse = TRUE)),
                 "`weights`")
  }
  expect_error(beta_divergence(d$x, d$mu, 2, weights = rep(1, n)), "`weights`")
})
