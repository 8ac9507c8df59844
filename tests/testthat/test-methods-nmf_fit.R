# print, summary, fitted, residuals and plot of an nmf_fit.

methods_fit <- function() {
  x <- small_matrix(30, 20)
  dimnames(x) <- list(paste0("r", 1:30), paste0("c", 1:20))
  list(x = x, fit = nmf_fit(x, 3, seed = 1, threads = 1))
}

test_that("print describes the fit and returns it invisibly", {
  d <- methods_fit()
  expect_output(out <- withVisible(print(d$fit)),
                "<nmf_fit> 30 x 20, rank 3, beta = 2 \\(half squared error\\), solver \"bcd\"")
  expect_false(out$visible)
  expect_identical(out$value, d$fit)
  expect_output(print(d$fit), "iterations, converged, seed 1")
  nc <- suppressWarnings(
    nmf_fit(d$x, 2, seed = 1, threads = 1, control = nmf_control(tol = 0, max_iter = 3)))
  expect_output(print(nc), "3 iterations, not converged \\(max_iter reached\\)")
})

# A small fit built by hand, so that its printed numbers are exact.
hand_fit <- function(converged = TRUE, restarts = 1L) {
  W <- matrix(c(0.5, 0.5, 0, 0.25, 0.25, 0.5), 3, 2,
              dimnames = list(NULL, c("C1", "C2")))
  H <- matrix(c(4, 0, 2, 1, 0, 3, 1, 1), 2, 4, dimnames = list(c("C1", "C2"), NULL))
  betanmf:::new_nmf_fit(
    W = W, H = H, beta = 2, rank = 2L, loss = 1.5, divergence = 1.25,
    history = data.frame(iteration = 1:3, loss = c(3, 2, 1.5), seconds = c(0, 0.1, 0.25)),
    iterations = 3L, converged = converged, solver = "bcd", seed = 42L,
    call = quote(nmf_fit(x, 2)),
    restarts = data.frame(restart = seq_len(restarts), loss = rep(1.5, restarts)),
    data = list(nrow = 3L, ncol = 4L, sum_sq = 40))
}

test_that("print and summary have a stable layout", {
  expect_snapshot({
    print(hand_fit())
    print(hand_fit(converged = FALSE))
    summary(hand_fit(restarts = 3L))
  })
})

test_that("summary has its fields and the relative error of beta = 2", {
  d <- methods_fit()
  s <- summary(d$fit)
  expect_s3_class(s, "summary.nmf_fit")
  expect_true(all(c("dims", "rank", "beta", "loss", "divergence", "relative_error",
                    "iterations", "converged", "seconds", "restarts",
                    "components") %in% names(s)))
  expect_identical(s$dims, c(30L, 20L))
  expect_identical(s$loss, d$fit$loss)
  expect_identical(s$divergence, d$fit$divergence)
  expect_equal(s$relative_error, sqrt(2 * d$fit$divergence / sum(d$x^2)))
  expect_equal(s$relative_error, norm(d$x - fitted(d$fit), "F") / norm(d$x, "F"),
               tolerance = 1e-8)
  expect_identical(s$iterations, d$fit$iterations)
  expect_identical(s$seconds, d$fit$history$seconds[d$fit$iterations])
  expect_identical(s$restarts, 1L)
  comps <- s$components
  expect_s3_class(comps, "data.frame")
  expect_identical(names(comps), c("component", "share", "zeros_W", "zeros_H"))
  expect_identical(comps$component, c("C1", "C2", "C3"))
  expect_equal(sum(comps$share), 1)
  expect_true(all(diff(comps$share) <= 0))
  expect_equal(comps$zeros_W, unname(colMeans(d$fit$W == 0)))
  expect_equal(comps$zeros_H, unname(rowMeans(d$fit$H == 0)))
})

test_that("print of a summary shows the quality and the components", {
  d <- methods_fit()
  s <- summary(d$fit)
  expect_output(out <- withVisible(print(s)), "NMF of a 30 x 20 matrix, rank 3")
  expect_false(out$visible)
  expect_output(print(s), "relative error")
  expect_output(print(s), "Components:")
  fit3 <- nmf_fit(d$x, 2, restarts = 2, seed = 1, threads = 1)
  expect_output(print(summary(fit3)), "best of 2 restarts")
})

test_that("fitted is W H with the dimnames of the data", {
  d <- methods_fit()
  mu <- fitted(d$fit)
  expect_identical(dim(mu), dim(d$x))
  expect_equal(mu, d$fit$W %*% d$fit$H)
  expect_identical(dimnames(mu), dimnames(d$x))
})

test_that("raw residuals are x - fitted and their squares sum to twice the divergence", {
  d <- methods_fit()
  r <- residuals(d$fit, d$x)
  expect_equal(r, d$x - fitted(d$fit))
  expect_equal(sum(r^2) / 2, d$fit$divergence, tolerance = 1e-10)
  expect_identical(residuals(d$fit, d$x, type = "raw"), r)
  expect_identical(resid(d$fit, d$x), r)
  # sparse data give the same residuals
  s <- Matrix::Matrix(d$x, sparse = TRUE)
  expect_equal(residuals(d$fit, s), r)
})

test_that("deviance residuals square to twice the divergence for beta = 2", {
  d <- methods_fit()
  r <- residuals(d$fit, d$x, type = "deviance")
  expect_identical(dim(r), dim(d$x))
  expect_equal(sum(r^2) / 2, d$fit$divergence, tolerance = 1e-10)
  expect_equal(r, residuals(d$fit, d$x, type = "raw"), tolerance = 1e-12)
})

test_that("residuals without data is an error naming data", {
  d <- methods_fit()
  expect_error(residuals(d$fit), "`data` is missing")
})

test_that("residuals with data of the wrong shape is an error naming data", {
  d <- methods_fit()
  expect_error(residuals(d$fit, d$x[-1, ]), "`data` must be 30 x 20")
  expect_error(residuals(d$fit, -d$x), "`data`")
  expect_error(residuals(d$fit, d$x, type = "foo"))
})

test_that("plot runs for each type and returns the fit invisibly", {
  d <- methods_fit()
  grDevices::pdf(NULL)
  on.exit(grDevices::dev.off(), add = TRUE)
  for (type in c("loss", "W", "H")) {
    out <- withVisible(plot(d$fit, type = type))
    expect_false(out$visible, info = type)
    expect_identical(out$value, d$fit, info = type)
  }
  expect_no_error(plot(d$fit))
  expect_error(plot(d$fit, type = "foo"))
})

test_that("plot of a rank-one fit and of a fit with zero loss works", {
  p <- planted_nmf(10, 8, 1, noise = 0, seed = 1)
  fit <- nmf_fit(p$X, 1, seed = 1, threads = 1)
  grDevices::pdf(NULL)
  on.exit(grDevices::dev.off(), add = TRUE)
  for (type in c("loss", "W", "H")) expect_no_error(plot(fit, type = type))
})

test_that("the validator rejects broken fits", {
  d <- methods_fit()
  bad <- unclass(d$fit)
  bad$W[1, 1] <- -1
  expect_error(do.call(betanmf:::new_nmf_fit, bad, quote = TRUE), "non-negative")
  bad <- unclass(d$fit)
  bad$history <- NULL
  expect_error(betanmf:::validate_nmf_fit(bad), "history")
  bad <- unclass(d$fit)
  bad$rank <- 4L
  expect_error(betanmf:::validate_nmf_fit(bad), "rank")
  bad <- unclass(d$fit)
  bad$seed <- NULL
  expect_error(betanmf:::validate_nmf_fit(bad), "seed")
})
