# tidy(), glance(), augment() and as.data.frame() (R/tidy.R): the documented
# columns, and values that agree with the results they come from.

skip_if_not_installed("generics")

test_that("tidy() of a fit: W and H in long form with the names of the data", {
  x <- bioc_counts(20, 15)
  fit <- nmf_fit(x, 3, beta = "kl", seed = 1, threads = 1)
  w <- generics::tidy(fit)
  expect_named(w, c("row", "component", "value"))
  expect_identical(nrow(w), length(fit$W))
  expect_identical(levels(w$component), c("C1", "C2", "C3"))
  expect_identical(w$value[w$row == "gene4" & w$component == "C2"], unname(fit$W["gene4", "C2"]))
  h <- generics::tidy(fit, matrix = "H")
  expect_named(h, c("component", "column", "value"))
  expect_identical(h$value[h$column == "cell7" & h$component == "C3"], unname(fit$H["C3", "cell7"]))
  # without names: the indices
  plain <- nmf_fit(unname(x), 2, seed = 1, threads = 1)
  expect_identical(unique(generics::tidy(plain)$row), as.character(1:20))
  expect_error(generics::tidy(fit, matrix = "X"), "`matrix` must be one of")
})

test_that("glance() of a fit is one row of its summary", {
  x <- bioc_counts(20, 15)
  fit <- nmf_fit(x, 3, seed = 1, threads = 1, restarts = 2)
  g <- generics::glance(fit)
  expect_named(g, c("nrow", "ncol", "rank", "beta", "solver", "loss", "divergence",
                    "relative_error", "iterations", "converged", "seconds", "restarts", "seed"))
  expect_identical(nrow(g), 1L)
  expect_identical(c(g$nrow, g$ncol, g$rank), c(20L, 15L, 3L))
  expect_equal(g$relative_error, sqrt(sum((x - fitted(fit))^2) / sum(x^2)))
  expect_identical(g$restarts, 2L)
  expect_true(is.na(generics::glance(nmf_fit(x, 2, beta = "kl", seed = 1,
                                             threads = 1))$relative_error))
})

test_that("augment() gives each entry with its fitted value, residual and divergence", {
  x <- bioc_counts(20, 15)
  x[3, 4] <- NA
  fit <- nmf_fit(x, 2, beta = "kl", seed = 1, threads = 1)
  a <- generics::augment(fit, data = x)
  expect_named(a, c("row", "column", "value", ".fitted", ".resid", ".divergence"))
  expect_identical(nrow(a), length(x))
  expect_equal(a$.fitted, as.vector(fitted(fit)))
  expect_equal(a$.resid, as.vector(x - fitted(fit)))
  na <- a$row == "gene3" & a$column == "cell4"
  expect_true(is.na(a$.resid[na]) && is.na(a$.divergence[na]))
  expect_equal(sum(a$.divergence, na.rm = TRUE), fit$divergence, tolerance = 1e-8)
  expect_error(generics::augment(fit), "`data` is missing")
  expect_error(generics::augment(fit, data = x[, 1:5]), "must be 20 x 15")
})

test_that("augment() takes a SummarizedExperiment and includes the offset", {
  skip_if_not_installed("SummarizedExperiment")
  x <- bioc_counts(20, 15)
  se <- bioc_se(x)
  fit <- nmf_fit(se, 2, beta = "kl", assay = "counts", seed = 1, threads = 1)
  expect_equal(generics::augment(fit, se, assay = "counts"), generics::augment(fit, x))
  is_fit <- nmf_fit(x, 2, beta = "is", offset = 1, seed = 1, threads = 1)
  a <- generics::augment(is_fit, x)
  expect_equal(a$value, as.vector(x) + 1)
  expect_equal(sum(a$.divergence), is_fit$divergence, tolerance = 1e-8)
})

test_that("tidy() and glance() of a CV: one row per rank with the chosen ranks, one summary row", {
  x <- bioc_counts(30, 20)
  cv <- nmf_cv(x, 1:3, beta = "kl", replicates = 2, seed = 1, threads = 1)
  t <- generics::tidy(cv)
  expect_named(t, c("rank", "test_mean", "test_se", "train_mean", "stability",
                    "stability_min", "chosen"))
  expect_equal(t[names(cv$summary)], cv$summary)
  expect_match(t$chosen[t$rank == cv$rank_min], "rank_min")
  expect_identical(sum(nzchar(t$chosen)), length(unique(c(cv$rank, cv$rank_min, cv$rank_1se,
                                                          stats::na.omit(cv$rank_stable)))))
  expect_identical(as.data.frame(cv), t)
  r <- generics::tidy(cv, what = "replicates")
  expect_named(r, c("rank", "replicate", "train_error", "test_error", "iterations", "seconds"))
  expect_identical(nrow(r), 6L)
  g <- generics::glance(cv)
  expect_named(g, c("rank", "rank_min", "rank_1se", "rank_stable", "rank_reason", "beta",
                    "holdout", "fraction", "replicates", "seed"))
  expect_identical(g$rank_min, cv$rank_min)
})

test_that("tidy(), glance() and augment() of a consensus", {
  x <- bioc_counts(30, 20)
  cons <- nmf_consensus(x, 2, beta = "kl", restarts = 3, seed = 1, threads = 1)
  expect_named(generics::tidy(cons), c("row", "component", "value"))
  expect_named(generics::tidy(cons, "H"), c("component", "column", "value"))
  expect_identical(generics::tidy(cons, "stability"), cons$stability)
  expect_identical(as.data.frame(cons), cons$stability)
  g <- generics::glance(cons)
  expect_named(g, c("rank", "beta", "restarts", "pool", "kept", "set_aside", "loss", "best_loss",
                    "median_loss", "stability_mean", "stability_min"))
  expect_identical(c(g$restarts, g$kept + g$set_aside), c(3L, 3L))
  expect_identical(g$stability_min, min(cons$stability$min))
  expect_identical(g$pool, 1L)
  expect_identical(generics::glance(update(cons, pool = 2))$pool, 2L)
  a <- generics::augment(cons, x)
  expect_equal(a$.fitted, as.vector(cons$W %*% cons$H))
  expect_equal(sum(a$.divergence), beta_divergence(x, cons$W %*% cons$H, "kl"),
               tolerance = 1e-8)
})
