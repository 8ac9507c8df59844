# The default thread count (default_threads() in R/utils.R): the option,
# then BETANMF_THREADS, then the cores the process may use, capped by
# OMP_NUM_THREADS, parallelly's availableCores() and _R_CHECK_LIMIT_CORES_.
# Run in fresh R processes, where the environment is what the variables say.

# default_threads() of a new R process with the environment `env` (and the
# library paths of this one, so that it loads the same betanmf).
threads_in_subprocess <- function(env = character(0), expr = "betanmf:::default_threads()") {
  rscript <- file.path(R.home("bin"), "Rscript")
  libs <- paste(.libPaths(), collapse = .Platform$path.sep)
  out <- system2(rscript, c("-e", shQuote(sprintf("cat(%s)", expr))), stdout = TRUE,
                 stderr = FALSE,
                 env = c(paste0("R_LIBS=", libs), "BETANMF_THREADS=", env))
  as.integer(out[length(out)])
}

test_that("OMP_NUM_THREADS=1 makes one thread the default", {
  skip_on_cran()
  expect_identical(threads_in_subprocess("OMP_NUM_THREADS=1"), 1L)
  expect_identical(threads_in_subprocess("OMP_NUM_THREADS=1",
                                         "betanmf:::resolve_threads(NULL)"), 1L)
})

test_that("_R_CHECK_LIMIT_CORES_ caps the default at 2 and the option still comes first", {
  skip_on_cran()
  expect_lte(threads_in_subprocess("_R_CHECK_LIMIT_CORES_=TRUE"), 2L)
  expect_identical(threads_in_subprocess(c("OMP_NUM_THREADS=1", "BETANMF_THREADS=3")), 3L)
  expect_identical(threads_in_subprocess("OMP_NUM_THREADS=1",
                                         "{options(betanmf.threads = 4); betanmf:::default_threads()}"),
                   4L)
})

test_that("the usable cores are at most the physical cores and OMP_NUM_THREADS", {
  withr::local_envvar(OMP_NUM_THREADS = "1")
  expect_identical(betanmf:::usable_cores(), 1L)
  withr::local_envvar(OMP_NUM_THREADS = "not a number")
  n <- betanmf:::usable_cores()
  physical <- parallel::detectCores(logical = FALSE)
  expect_true(n >= 1L && (is.na(physical) || n <= physical))
  skip_if_not_installed("parallelly")
  expect_lte(n, parallelly::availableCores())
})
