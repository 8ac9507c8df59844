# The one path to the core (R/run_fit.R): interrupts reach the caller as R
# interrupts, failures of the core as internal errors.

# Runs `expr` while a child process sends this process SIGINT after `after`
# seconds; returns what tryCatch(interrupt = ) saw and how long the
# interrupt took to arrive.
interrupt_after <- function(expr, after = 0.5) {
  pid <- Sys.getpid()
  child <- parallel::mcparallel({
    Sys.sleep(after)
    tools::pskill(pid, tools::SIGINT)
  })
  on.exit(parallel::mccollect(child, wait = TRUE), add = TRUE)
  t0 <- proc.time()[["elapsed"]]
  got <- tryCatch({
    force(expr)
    "finished"
  }, interrupt = function(cond) cond)
  list(got = got, delay = proc.time()[["elapsed"]] - t0 - after)
}

test_that("Ctrl-C during a fit, a cross-validation or a consensus is an R interrupt", {
  skip_on_cran()
  skip_on_os("windows")
  withr::local_seed(1)
  x <- matrix(stats::rexp(600 * 300), 600)
  long <- nmf_control(max_iter = 100000L, tol = 0)
  calls <- list(
    fit_bcd = quote(nmf_fit(x, 8, control = long, seed = 1, threads = 1)),
    fit_cd = quote(nmf_fit(x, 8, beta = 1, control = long, seed = 1, threads = 1)),
    fit_mu = quote(nmf_fit(x, 8, beta = 0.5, control = long, seed = 1, threads = 1)),
    cv = quote(nmf_cv(x, 2:3, control = long, seed = 1, threads = 1)),
    consensus = quote(nmf_consensus(x, 3, restarts = 3, control = long, seed = 1,
                                    threads = 1)))
  for (nm in names(calls)) {
    res <- interrupt_after(eval(calls[[nm]]))
    expect_s3_class(res$got, "interrupt")
    expect_lt(res$delay, 1)
  }
  # R is usable afterwards
  expect_s3_class(nmf_fit(x[1:50, 1:40], 2, seed = 1, threads = 1), "nmf_fit")
})

test_that("a failure of the core is reported as an internal error naming the inputs", {
  data <- betanmf:::prepare_data(matrix(1:6 + 0, 2))
  model <- betanmf:::resolve_model(1, "auto", 0, 0, nmf_control())
  expect_error(betanmf:::stop_internal("something broke", data, 1L, model, "nndsvd"),
               "internal error in betanmf: something broke, for a dense 2 x 3 matrix.*beta = 1")
})
