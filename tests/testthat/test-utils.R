# Thread count, seed and beta resolution shared by every entry point.

test_that("an invalid BETANMF_THREADS is an error naming the variable", {
  withr::local_options(betanmf.threads = NULL)
  withr::local_envvar(BETANMF_THREADS = "zero")
  expect_error(nmf_fit(small_matrix(), 2, seed = 1), "BETANMF_THREADS")
  withr::local_envvar(BETANMF_THREADS = "0")
  expect_error(nmf_fit(small_matrix(), 2, seed = 1), "BETANMF_THREADS")
})

test_that("a valid BETANMF_THREADS is used when the option is unset", {
  withr::local_options(betanmf.threads = NULL)
  withr::local_envvar(BETANMF_THREADS = "2")
  expect_identical(betanmf:::resolve_threads(NULL), 2L)
  fit <- nmf_fit(small_matrix(), 2, seed = 1)
  expect_identical(fit$W, nmf_fit(small_matrix(), 2, seed = 1, threads = 1)$W)
})

test_that("option betanmf.threads is respected and comes before the variable", {
  withr::local_options(betanmf.threads = 1L)
  withr::local_envvar(BETANMF_THREADS = "not a number")
  expect_identical(betanmf:::resolve_threads(NULL), 1L)
  expect_no_error(nmf_fit(small_matrix(), 2, seed = 1))
  withr::local_options(betanmf.threads = 0L)
  expect_error(nmf_fit(small_matrix(), 2, seed = 1), "`threads`")
})

test_that("the threads argument comes before the option", {
  withr::local_options(betanmf.threads = 0L)
  expect_identical(betanmf:::resolve_threads(2), 2L)
  expect_no_error(nmf_fit(small_matrix(), 2, seed = 1, threads = 1))
})

test_that("without argument, option or variable the core count is used", {
  withr::local_options(betanmf.threads = NULL)
  withr::local_envvar(BETANMF_THREADS = NA)
  n <- betanmf:::resolve_threads(NULL)
  expect_true(is.integer(n) && n >= 1L)
})

test_that("resolve_seed() draws from R's generator when seed is NULL", {
  a <- withr::with_seed(1, betanmf:::resolve_seed(NULL))
  b <- withr::with_seed(1, betanmf:::resolve_seed(NULL))
  expect_identical(a, b)
  expect_true(is.integer(a) && a >= 0L)
  expect_identical(betanmf:::resolve_seed(7), 7L)
})

test_that("restart seeds are distinct, valid and depend only on seed and k", {
  s <- vapply(2:50, function(k) betanmf:::restart_seed(.Machine$integer.max - 1L, k),
              integer(1))
  expect_false(anyNA(s))
  expect_false(anyDuplicated(s) > 0)
  expect_true(all(s >= 0L))
  expect_identical(betanmf:::restart_seed(5L, 3L), betanmf:::restart_seed(5L, 3L))
})

test_that("beta names map to their values", {
  expect_identical(betanmf:::resolve_beta("gaussian"), 2)
  expect_identical(betanmf:::resolve_beta("frobenius"), 2)
  expect_identical(betanmf:::resolve_beta("poisson"), 1)
  expect_identical(betanmf:::resolve_beta("kl"), 1)
  expect_identical(betanmf:::resolve_beta("gamma"), 0)
  expect_identical(betanmf:::resolve_beta("itakura-saito"), 0)
  expect_identical(betanmf:::resolve_beta("is"), 0)
  expect_identical(betanmf:::resolve_beta("IS"), 0)
  expect_identical(betanmf:::resolve_beta(1.5), 1.5)
  expect_identical(betanmf:::resolve_beta(2L), 2)
  expect_error(betanmf:::resolve_beta(c("kl", "is")), "`beta`")
  expect_error(betanmf:::resolve_beta(NA_character_), "`beta`")
  expect_error(betanmf:::resolve_beta(Inf), "`beta`")
})
