has_nmf_fit <- function() exists("nmf_fit", asNamespace("betanmf"))

# Planted non-negative data: X = W H plus a little noise (clipped at zero).
planted_data <- function(m = 100, n = 80, r = 4, noise = 0.01) {
  W <- matrix(rexp(m * r), m)
  H <- matrix(rexp(r * n), r)
  X <- W %*% H
  X <- pmax(X + matrix(rnorm(m * n, sd = noise * mean(X)), m), 0)
  list(X = X, W = W, H = H)
}

as_fit <- function(W, H, loss = 1) {
  structure(list(W = W, H = H, loss = loss, rank = ncol(W)), class = "nmf_fit")
}

test_that("planted components are stable and recovered", {
  skip_if_not(has_nmf_fit())
  withr::local_seed(101)
  d <- planted_data()
  cons <- nmf_consensus(d$X, rank = 4, restarts = 10, seed = 5, threads = 1,
                        control = nmf_control(max_iter = 2000, tol = 1e-7))
  expect_s3_class(cons, "nmf_consensus")
  expect_identical(names(cons$stability), c("component", "mean", "min"))
  expect_identical(cons$stability$component, 1:4)
  expect_true(all(cons$stability$mean > 0.99))
  expect_length(cons$losses, 10)
  expect_length(cons$seeds, 10)
  expect_identical(cons$seeds[1], 5L)
  expect_identical(cons$best, which.min(cons$losses))
  expect_equal(dim(cons$W), c(100, 4))
  expect_equal(dim(cons$H), c(4, 80))
  expect_equal(unname(colSums(cons$W)), rep(1, 4))
  expect_null(cons$fits)
  # The consensus components are the planted ones.
  expect_true(all(nmf_align(cons$W, reference = d$W)$similarity > 0.99))
  # The consensus fit explains the data down to the noise (1% of the mean).
  expect_lt(norm(d$X - cons$W %*% cons$H, "F") / norm(d$X, "F"), 0.03)
  expect_true(is.finite(cons$loss))
})

test_that("too many components show up as unstable", {
  skip_if_not(has_nmf_fit())
  skip_on_cran()
  withr::local_seed(102)
  d <- planted_data()
  cons <- suppressWarnings(nmf_consensus(d$X, rank = 7, restarts = 10, seed = 9,
                                         threads = 1))
  expect_true(any(cons$stability$min < 0.9 | cons$stability$mean < 0.9))
})

test_that("the same seed gives the same consensus and restarts can be replayed", {
  skip_if_not(has_nmf_fit())
  withr::local_seed(103)
  d <- planted_data(m = 40, n = 30, r = 3)
  ctl <- nmf_control(max_iter = 50, tol = 0)
  a <- suppressWarnings(nmf_consensus(d$X, 3, restarts = 3, seed = 42, threads = 1,
                                      control = ctl, keep_fits = TRUE))
  b <- suppressWarnings(nmf_consensus(d$X, 3, restarts = 3, seed = 42, threads = 1,
                                      control = ctl))
  expect_identical(a$W, b$W)
  expect_identical(a$losses, b$losses)
  # seed = NULL draws the seed from R's RNG.
  c1 <- withr::with_seed(7, suppressWarnings(
    nmf_consensus(d$X, 3, restarts = 2, threads = 1, control = ctl)))
  c2 <- withr::with_seed(7, suppressWarnings(
    nmf_consensus(d$X, 3, restarts = 2, threads = 1, control = ctl)))
  expect_identical(c1$seeds, c2$seeds)
  expect_identical(c1$W, c2$W)
  # Restart k alone, from its seed, is the k-th kept fit up to the alignment.
  k <- 2
  alone <- suppressWarnings(nmf_fit(d$X, 3, seed = a$seeds[k], init = "random",
                                    threads = 1, control = ctl))
  expect_identical(a$losses[k], alone$loss)
  expect_length(a$fits, 3)
  expect_equal(a$fits[[k]]$W %*% a$fits[[k]]$H, alone$W %*% alone$H)
  expect_equal(nmf_align(a$fits[[k]], reference = a$fits[[a$best]])$permutation, 1:3)
})

test_that("warnings of the restarts are reported once", {
  skip_if_not(has_nmf_fit())
  withr::local_seed(104)
  d <- planted_data(m = 30, n = 20, r = 2)
  expect_warning(
    nmf_consensus(d$X, 2, restarts = 3, seed = 1, threads = 1,
                  control = nmf_control(max_iter = 2, tol = 1e-12)),
    "in 3 of 3 restarts and in the refit of H"
  )
})

test_that("parallel = \"future\" gives the same result as threads", {
  skip_if_not(has_nmf_fit())
  skip_if_not_installed("future.apply")
  withr::local_seed(105)
  d <- planted_data(m = 40, n = 30, r = 3)
  ctl <- nmf_control(max_iter = 100, tol = 0)
  old <- future::plan("sequential")
  withr::defer(future::plan(old))
  a <- suppressWarnings(nmf_consensus(d$X, 3, restarts = 3, seed = 3, threads = 1,
                                      control = ctl))
  b <- suppressWarnings(nmf_consensus(d$X, 3, restarts = 3, seed = 3, threads = 1,
                                      control = ctl, parallel = "future"))
  expect_equal(b$W, a$W)
  expect_equal(b$losses, a$losses)
  expect_identical(b$kept, a$kept)
})

test_that("a list of fits made earlier is summarized without refitting", {
  withr::local_seed(106)
  W <- matrix(rexp(50 * 3), 50)
  W <- sweep(W, 2, colSums(W), `/`)
  H <- matrix(rexp(3 * 20), 3)
  perms <- list(1:3, c(3L, 1L, 2L), c(2L, 3L, 1L), c(1L, 3L, 2L))
  fits <- lapply(seq_along(perms), function(i) {
    p <- perms[[i]]
    d <- runif(3, 0.5, 2)
    as_fit(sweep(W[, p], 2, d, `*`), sweep(H[p, ], 1, d, `/`), loss = i)
  })
  cons <- nmf_consensus(fits, keep_fits = TRUE)
  expect_equal(cons$W, W)
  expect_equal(cons$H, H)
  expect_equal(cons$stability$mean, rep(1, 3))
  expect_equal(cons$stability$min, rep(1, 3))
  expect_identical(cons$losses, as.double(1:4))
  expect_identical(cons$best, 1L)
  expect_identical(cons$seeds, rep(NA_integer_, 4))
  expect_true(is.na(cons$loss))
  expect_equal(cons$fits[[2]]$W %*% cons$fits[[2]]$H, W %*% H)
  expect_identical(nmf_consensus(fits, rank = 3)$W, cons$W)
})

test_that("a list of real fits gives stable components", {
  skip_if_not(has_nmf_fit())
  withr::local_seed(107)
  d <- planted_data(m = 60, n = 40, r = 3)
  fits <- lapply(1:4, function(s) {
    nmf_fit(d$X, 3, seed = s, init = "random", threads = 1,
            control = nmf_control(max_iter = 2000, tol = 1e-7))
  })
  cons <- nmf_consensus(fits)
  expect_true(all(cons$stability$mean > 0.99))
  expect_identical(cons$seeds, 1:4)
  expect_identical(cons$beta, 2)
})

test_that("nmf_consensus() errors name the argument", {
  X <- matrix(1, 5, 4)
  fit <- as_fit(matrix(1, 5, 2), matrix(1, 2, 4))
  expect_error(nmf_consensus(X), "`rank` is missing")
  expect_error(nmf_consensus(X, 0), "`rank` must be a single whole number")
  expect_error(nmf_consensus(X, 2, restarts = 1), "`restarts` must be")
  expect_error(nmf_consensus(X, 2, parallel = "fork"), "`parallel` must be one of")
  expect_error(nmf_consensus(X, 2, keep_fits = NA), "`keep_fits` must be a single TRUE")
  expect_error(nmf_consensus(X, 2, fixed_W = matrix(1, 5, 2)), "`fixed_W` cannot be used")
  expect_error(nmf_consensus(X, 2, seed = -1), "`seed`")
  expect_error(nmf_consensus(X, 2, threads = 0), "`threads`")
  expect_error(nmf_consensus(list(fit)), "at least 2 nmf_fit")
  expect_error(nmf_consensus(list(fit, "a")), "`x\\[\\[2\\]\\]` must be an nmf_fit")
  expect_error(nmf_consensus(list(fit, as_fit(matrix(1, 5, 3), matrix(1, 3, 4)))),
               "same rank")
  expect_error(nmf_consensus(list(fit, fit), rank = 3), "`rank` must match")
  expect_error(nmf_consensus(list(fit, fit), control = 1), "`...` must be empty")
  bad <- fit
  bad$W[1, 1] <- -1
  expect_error(nmf_consensus(list(fit, bad)), "`x\\[\\[2\\]\\]\\$W` must be non-negative")
})

test_that("print and plot methods work", {
  W <- diag(3) + 0.1
  fits <- list(as_fit(W, diag(3), loss = 2), as_fit(W[, 3:1], diag(3), loss = 1))
  cons <- nmf_consensus(fits)
  expect_snapshot(print(cons))
  withr::local_pdf(tempfile(fileext = ".pdf"))
  expect_invisible(plot(cons))
})

test_that("restarts far above the best loss are set aside, an even spread is not", {
  losses <- c(100, 100.01, 100.02, 105.6, 100.005, 100.03)
  sel <- consensus_keep(losses, 0.01)
  expect_identical(sel$set_aside, 4L)
  expect_identical(sel$kept, c(1L, 2L, 3L, 5L, 6L))
  expect_equal(sel$excess[4], 0.056)
  # within the tolerance nothing is set aside, however outlying
  expect_length(consensus_keep(losses, 0.1)$set_aside, 0L)
  expect_length(consensus_keep(losses, Inf)$set_aside, 0L)
  # an even spread (every restart fits the noise its own way) keeps all
  expect_length(consensus_keep(100 * (1 + 0.01 * 0:9), 0.01)$set_aside, 0L)
  # the best restart is always kept
  expect_true(which.min(losses) %in% consensus_keep(losses, 0)$kept)
  expect_error(nmf_consensus(matrix(1, 5, 4), 2, loss_tol = -1), "`loss_tol`")
  expect_error(nmf_consensus(matrix(1, 5, 4), 2, loss_tol = NA), "`loss_tol`")
})

test_that("on sparse spike counts the kept restarts give stable planted assemblies", {
  skip_if_not(has_nmf_fit())
  skip_on_cran()
  d <- planted_spikes(1)
  cons <- nmf_consensus(d$X, 5, beta = 1, restarts = 10, seed = 1, threads = 1)
  # one restart ends 5% above the best loss with a component of its own
  expect_length(cons$set_aside, 1L)
  expect_gt(cons$losses[cons$set_aside] / min(cons$losses), 1.03)
  expect_identical(sort(c(cons$kept, cons$set_aside)), 1:10)
  expect_identical(ncol(cons$similarity), length(cons$kept))
  expect_true(all(cons$stability$mean >= 0.95))
  # every restart kept: the poor one drags the stability down
  all_kept <- nmf_consensus(d$X, 5, beta = 1, restarts = 10, seed = 1, threads = 1,
                            loss_tol = Inf)
  expect_length(all_kept$set_aside, 0L)
  expect_lt(min(all_kept$stability$min), 0.6)
  # the four assemblies are the planted ones
  m <- match_columns(d$W[, 1:4], cons$W)
  expect_true(all(m$cosine >= 0.95))
})

test_that("on spike counts the baseline outside the assemblies is recovered; inside, the likelihood prefers the assemblies", {
  skip_on_cran()
  # The planted baseline W[, 5] is not the maximum-likelihood one: with the
  # baseline activation known (a row of ones in H), the fit moves the
  # baseline of most assembly members into the assembly components, and that
  # fit is better, by the likelihood, than the planted W itself. So no
  # consensus of likelihood fits matches the planted baseline as a whole;
  # outside the assemblies it is recovered.
  d <- planted_spikes(1)
  ones <- matrix(1, 1, ncol(d$X))
  fit <- suppressWarnings(nmf_fit(d$X, 5, beta = 1, fixed_H = ones, init = "random",
                                  seed = 1, threads = 1))
  planted <- suppressWarnings(nmf_fit(d$X, 5, beta = 1, fixed_W = d$W, threads = 1))
  expect_lt(fit$loss, planted$loss)
  members <- rowSums(d$W[, 1:4] > 0) > 0
  base <- fit$W[, 1]
  cosine <- function(a, b) sum(a * b) / sqrt(sum(a^2) * sum(b^2))
  expect_gt(cosine(base[!members], d$W[!members, 5]), 0.99)
  expect_gt(mean(base[members] < 0.1 * mean(base[!members])), 0.5)
  expect_lt(cosine(base, d$W[, 5]), 0.9)
  # the assemblies' activity where they are silent (planted activity 0) is
  # positive in about half of those bins, at a tenth of its mean elsewhere
  m <- match_columns(d$W[, 1:4], fit$W)
  for (k in 1:4) {
    silent <- d$H[k, ] == 0
    h <- fit$H[m$index[k], ]
    expect_gt(mean(h[silent] > 0), 0.4)
    expect_gt(mean(h[silent]) / mean(h[!silent]), 0.05)
    expect_lt(mean(h[silent]) / mean(h[!silent]), 0.15)
  }
})
