# Progress (R/progress.R and the core's monitor in src/r_monitor.h): when it
# shows, the callback the core calls during a fit, the ticks of nmf_cv()
# and nmf_consensus(), and progressr under parallel = "future".

test_that("progress shows when asked, with verbose, and never in scripts by default", {
  skip_if_not_installed("cli")
  show <- betanmf:::show_progress
  withr::local_options(betanmf.progress = NULL, knitr.in.progress = NULL)
  expect_identical(show(FALSE), interactive())
  expect_true(show(TRUE))
  withr::local_options(betanmf.progress = FALSE)
  expect_false(show(TRUE))
  withr::local_options(betanmf.progress = TRUE)
  expect_true(show(FALSE))
  withr::local_options(betanmf.progress = NULL, knitr.in.progress = TRUE)
  expect_false(show(FALSE))
})

test_that("the core calls the progress callback between iterations, in order", {
  x <- small_matrix(60, 40)
  data <- betanmf:::prepare_data(x)
  model <- betanmf:::resolve_model(2, "auto", 0, 0, nmf_control(max_iter = 50, tol = 0))
  calls <- list()
  report <- function(iter, loss, seconds) calls[[length(calls) + 1L]] <<- c(iter, loss, seconds)
  res <- betanmf:::run_fit(data, 3L, model, "nndsvd", betanmf:::no_fixed(), 1L, 1L,
                           progress = report)
  expect_gte(length(calls), 1L)  # at least the first iteration
  iters <- vapply(calls, `[`, numeric(1), 1)
  expect_identical(iters[1], 1)
  expect_true(all(diff(iters) > 0))
  expect_equal(vapply(calls, `[`, numeric(1), 2), res$history$loss[iters])
  # the same fit without a callback
  plain <- betanmf:::run_fit(data, 3L, model, "nndsvd", betanmf:::no_fixed(), 1L, 1L)
  expect_identical(plain$W, res$W)
})

test_that("a jump out of the callback (as Ctrl-C makes) stops the fit cleanly", {
  x <- small_matrix(60, 40)
  data <- betanmf:::prepare_data(x)
  model <- betanmf:::resolve_model(2, "auto", 0, 0, nmf_control(max_iter = 1000, tol = 0))
  stop_now <- function(iter, loss, seconds) invokeRestart("abort")
  # it reaches the caller as an R interrupt, as a Ctrl-C does
  got <- tryCatch(betanmf:::run_fit(data, 3L, model, "nndsvd", betanmf:::no_fixed(), 1L, 1L,
                                    progress = stop_now),
                  interrupt = function(e) "interrupt")
  expect_identical(got, "interrupt")
  # and R goes on: the next fit runs
  expect_identical(betanmf:::run_fit(data, 3L, model, "nndsvd", betanmf:::no_fixed(), 1L,
                                     1L)$iterations, 1000L)
})

test_that("a fit with its progress bar shown gives the fit without it", {
  skip_if_not_installed("cli")
  x <- small_matrix(60, 40)
  withr::local_options(betanmf.progress = TRUE, cli.progress_show_after = 0)
  quietly <- function(expr) {
    utils::capture.output(utils::capture.output(expr, type = "message"))
    invisible(NULL)
  }
  quietly(shown <- nmf_fit(x, 3, seed = 1, threads = 1, restarts = 2))
  withr::local_options(betanmf.progress = FALSE)
  expect_identical(shown$W, nmf_fit(x, 3, seed = 1, threads = 1, restarts = 2)$W)
})

test_that("a CV replicate ticks once per rank, a consensus restart once", {
  x <- small_matrix(40, 30)
  data <- betanmf:::prepare_data(x)
  model <- betanmf:::resolve_model(2, "auto", 0, 0, nmf_control())
  status <- character(0)
  spy <- function(s) status <<- c(status, s)
  betanmf:::cv_replicate(data, 1:3, 2L, model, "speckled", 0.1, 1L, 1L, FALSE, tick = spy)
  expect_identical(status, sprintf("replicate 2, rank %d", 1:3))
  status <- character(0)
  setup <- betanmf:::consensus_setup(x, 2, 2, list(init = "random"))
  betanmf:::consensus_restart(7L, setup, 1L, FALSE, tick = spy)
  expect_identical(status, "seed 7")
  # the ticker of parallel = "threads" draws a cli bar without complaint
  skip_if_not_installed("cli")
  withr::local_options(cli.progress_show_after = 0)
  tick <- betanmf:::progress_ticker(TRUE, 2L, "test", "threads")
  out <- utils::capture.output(utils::capture.output(
    expect_no_error({tick("one"); tick("two")}), type = "message"))
  expect_null(betanmf:::progress_ticker(FALSE, 2L, "test", "threads")("x"))
})

# The number of progressr updates signalled while `expr` runs.
count_updates <- function(expr) {
  steps <- 0L
  withCallingHandlers(expr, progression = function(p) {
    if (identical(p$type, "update")) steps <<- steps + 1L
  })
  steps
}

test_that("under parallel = \"future\" progress reaches the session through progressr", {
  skip_if_not_installed("progressr")
  skip_if_not_installed("future.apply")
  x <- small_matrix(40, 30)
  future::plan(future::sequential)
  withr::local_options(progressr.enable = TRUE)
  expect_identical(count_updates(
    nmf_cv(x, 1:3, replicates = 2, seed = 1, threads = 1, parallel = "future")), 6L)
  expect_identical(count_updates(
    nmf_consensus(x, 2, restarts = 3, seed = 1, threads = 1, parallel = "future")), 3L)
})

test_that("progress reaches the session from multisession workers", {
  skip_on_cran()
  skip_if_not_installed("progressr")
  skip_if_not_installed("future.apply")
  x <- small_matrix(40, 30)
  old <- future::plan(future::multisession, workers = 2)
  withr::defer(future::plan(old))
  withr::local_options(progressr.enable = TRUE)
  cv <- NULL
  expect_identical(count_updates(
    cv <- nmf_cv(x, 1:2, replicates = 2, seed = 1, threads = 1, parallel = "future")), 4L)
  expect_equal(cv$summary, nmf_cv(x, 1:2, replicates = 2, seed = 1, threads = 1)$summary)
})
