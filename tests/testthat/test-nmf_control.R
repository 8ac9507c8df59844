test_that("nmf_control() has documented defaults", {
  ctl <- nmf_control()
  expect_s3_class(ctl, "nmf_control")
  expect_identical(ctl$max_iter, 500L)
  expect_identical(ctl$tol, 1e-5)
  expect_identical(ctl$normalize, "l1")
  expect_identical(names(ctl),
                   c("max_iter", "tol", "normalize", "inner_max", "inner_tol", "trace_every",
                     "extrapolate", "precision"))
  expect_null(ctl$extrapolate)  # on for BCD, off for coordinate descent
  expect_identical(ctl$precision, "double")
})

test_that("settings are stored with their types", {
  ctl <- nmf_control(max_iter = 20, tol = 0, normalize = "none", inner_max = 3,
                     inner_tol = 0.1, trace_every = 5)
  expect_identical(ctl$max_iter, 20L)
  expect_identical(ctl$tol, 0)
  expect_identical(ctl$normalize, "none")
  expect_identical(ctl$inner_max, 3L)
  expect_identical(ctl$inner_tol, 0.1)
  expect_identical(ctl$trace_every, 5L)
  expect_identical(nmf_control(normalize = "l2")$normalize, "l2")
})

test_that("an unknown name is an error naming it", {
  expect_error(nmf_control(foo = 1), "unknown argument.*foo")
  expect_error(nmf_control(maxiter = 10), "maxiter.*the settings are max_iter")
})

test_that("an unnamed extra argument is an error", {
  expect_error(nmf_control(10, 0, "l1", 10, 0.01, 10, 99), "unknown argument")
})

test_that("max_iter = 0 is an error naming max_iter", {
  expect_error(nmf_control(max_iter = 0), "`max_iter`")
  expect_error(nmf_control(max_iter = 2.5), "`max_iter`")
  expect_error(nmf_control(max_iter = NA), "`max_iter`")
})

test_that("max_iter beyond the integer range is an error naming max_iter", {
  expect_error(nmf_control(max_iter = 3e9), "`max_iter`")
  expect_error(nmf_control(inner_max = 3e9), "`inner_max`")
})

test_that("a negative tol is an error naming tol", {
  expect_error(nmf_control(tol = -1e-3), "`tol`")
  expect_error(nmf_control(tol = NA), "`tol`")
  expect_error(nmf_control(tol = Inf), "`tol`")
})

test_that("normalize 'foo' is an error naming normalize", {
  expect_error(nmf_control(normalize = 1), "`normalize`")
  expect_error(nmf_control(normalize = "foo"))
})

test_that("the normalize error names the argument for any bad string", {
  expect_error(nmf_control(normalize = "foo"), "normalize")
  expect_error(nmf_control(normalize = c("l1", "l2")), "normalize")
})

test_that("extrapolate must be NULL, TRUE or FALSE and be named", {
  expect_identical(nmf_control(extrapolate = FALSE)$extrapolate, FALSE)
  expect_identical(nmf_control(extrapolate = TRUE)$extrapolate, TRUE)
  expect_error(nmf_control(extrapolate = NA), "`extrapolate`")
  expect_error(nmf_control(extrapolate = "yes"), "`extrapolate`")
})

test_that("bad inner settings are errors naming them", {
  expect_error(nmf_control(inner_max = 0), "`inner_max`")
  expect_error(nmf_control(inner_tol = -1), "`inner_tol`")
  expect_error(nmf_control(trace_every = 0), "`trace_every`")
})

test_that("print shows every setting and returns its argument invisibly", {
  ctl <- nmf_control(max_iter = 20)
  expect_output(out <- withVisible(print(ctl)), "<nmf_control>")
  expect_false(out$visible)
  expect_identical(out$value, ctl)
  expect_snapshot(print(nmf_control()))
})

test_that("max_iter bounds the number of iterations", {
  x <- small_matrix()
  fit <- suppressWarnings(
    nmf_fit(x, 2, control = nmf_control(max_iter = 3), seed = 1, threads = 1))
  expect_lte(fit$iterations, 3L)
})

test_that("a looser tol stops no later than a tighter one", {
  x <- small_matrix()
  loose <- nmf_fit(x, 3, control = nmf_control(tol = 1e-3), seed = 1, threads = 1)
  tight <- nmf_fit(x, 3, control = nmf_control(tol = 1e-7, max_iter = 5000), seed = 1,
                   threads = 1)
  expect_lte(loose$iterations, tight$iterations)
  expect_gte(loose$loss, tight$loss)
})

test_that("one inner sweep still decreases the objective", {
  x <- small_matrix()
  fit <- nmf_fit(x, 3, control = nmf_control(inner_max = 1), seed = 1, threads = 1)
  l <- fit$history$loss
  expect_true(all(diff(l) <= 1e-10 * abs(l[-length(l)])))
})
