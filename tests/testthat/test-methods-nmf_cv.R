# print, summary and plot of nmf_cv results.

# A result built by hand, so that the printed numbers do not depend on a fit.
hand_cv <- function(rank_min = 3L, rank_1se = 2L, se = c(0.05, 0.02, 0.01, 0.03),
                    replicates = 2L) {
  summary <- data.frame(rank = 1:4, test_mean = c(2.5, 1.21, 1.2, 1.4), test_se = se,
                        train_mean = c(2.4, 1.1, 1.0, 0.9),
                        stability = c(1, 0.99, 0.975, 0.8123))
  results <- data.frame(rank = rep(1:4, each = replicates),
                        replicate = rep(seq_len(replicates), 4),
                        train_error = rep(summary$train_mean, each = replicates),
                        test_error = rep(summary$test_mean, each = replicates),
                        iterations = 10L, seconds = 0.01)
  structure(list(results = results, summary = summary, rank_min = rank_min,
                 rank_1se = rank_1se, beta = 1, holdout = "blocks", fraction = 0.1,
                 replicates = replicates, seed = 1L, call = quote(nmf_cv(x, ranks = 1:4))),
            class = "nmf_cv")
}

test_that("print shows the curve and marks the chosen ranks", {
  cv <- hand_cv()
  expect_snapshot(print(cv))
  expect_snapshot(print(hand_cv(rank_min = 3L, rank_1se = 3L, se = rep(NA_real_, 4),
                                replicates = 1L)))
  out <- capture.output(vis <- withVisible(print(cv)))
  expect_false(vis$visible)
  expect_identical(vis$value, cv)
  expect_identical(out[1], paste("<nmf_cv> blocks hold-out (fraction 0.1), 2 replicate(s),",
                                 "beta = 1 (Kullback-Leibler)"))
})

test_that("summary returns the per-rank table and prints it", {
  cv <- hand_cv()
  s <- summary(cv)
  expect_s3_class(s, "summary.nmf_cv")
  expect_s3_class(s, "data.frame")
  expect_named(s, c("rank", "test_mean", "test_se", "train_mean", "stability"))
  expect_equal(as.data.frame(unclass(s)), cv$summary)
  expect_identical(attr(s, "rank_min"), 3L)
  expect_identical(attr(s, "rank_1se"), 2L)
  expect_snapshot(print(s))
  capture.output(vis <- withVisible(print(s)))
  expect_false(vis$visible)
  expect_identical(vis$value, s)
})

test_that("plot draws without error and returns its argument invisibly", {
  cv <- hand_cv()
  grDevices::pdf(NULL)
  withr::defer(grDevices::dev.off())
  expect_invisible(out <- plot(cv))
  expect_identical(out, cv)
})

test_that("plot of a single replicate draws without warnings", {
  # replicates = 1 is legal and gives no standard errors; there are no error
  # bars to draw and nothing to warn about
  cv <- hand_cv(rank_1se = 3L, se = rep(NA_real_, 4), replicates = 1L)
  grDevices::pdf(NULL)
  withr::defer(grDevices::dev.off())
  expect_no_warning(plot(cv))
  x <- planted_nmf(40, 30, 2, noise = 0.1, seed = 3)$X
  one <- nmf_cv(x, ranks = 1:3, replicates = 1, seed = 1, threads = 1,
                control = nmf_control(tol = 1e-4, max_iter = 200))
  expect_no_warning(plot(one))
})

test_that("the methods work on a computed result", {
  x <- planted_nmf(40, 30, 2, noise = 0.1, seed = 3)$X
  cv <- nmf_cv(x, ranks = 1:3, replicates = 2, seed = 1, threads = 1,
               control = nmf_control(tol = 1e-4, max_iter = 200))
  expect_output(print(cv), "rank_min = [0-9], rank_1se = [0-9]")
  expect_output(print(cv), "speckled hold-out")
  expect_output(print(summary(cv)), "test_mean")
  grDevices::pdf(NULL)
  withr::defer(grDevices::dev.off())
  expect_invisible(plot(cv))
  # par() is restored
  expect_identical(graphics::par("mfrow"), c(1L, 1L))
})
