# ggplot2 figures (R/autoplot.R, R/autoplot-cv.R) and the base plots drawn
# with the same fixes (R/plot-base.R): every figure builds or draws without
# a warning, with the names, scales and marks it promises.

plot_results <- function() {
  x <- bioc_counts(40, 30)
  fit <- nmf_fit(x, 3, beta = "kl", seed = 1, threads = 1)
  cv <- nmf_cv(x, 1:4, beta = "kl", replicates = 2, seed = 1, threads = 1)
  cons <- nmf_consensus(x, 3, beta = "kl", restarts = 4, seed = 1, threads = 1)
  withr::local_seed(2)
  ref <- matrix(stats::rexp(40 * 65), 40, dimnames = list(NULL, paste0("SBS", 1:65)))
  ref[, c(7, 20, 41)] <- fit$W
  list(x = x, fit = fit, cv = cv, cons = cons, align = nmf_align(fit, ref),
       aligns = nmf_align(list(fit, nmf_fit(x, 3, beta = "kl", seed = 2, threads = 1))))
}

# The built plot, failing the test on any warning of building or drawing.
built <- function(p) {
  expect_s3_class(p, "ggplot")
  b <- expect_no_warning(ggplot2::ggplot_build(p))
  path <- withr::local_tempfile(fileext = ".png")
  expect_no_warning(ggplot2::ggsave(path, p, width = 6, height = 5, dpi = 50))
  b
}

test_that("autoplot() of a fit: the objective, and heatmaps of W and H with names", {
  skip_if_not_installed("ggplot2")
  r <- plot_results()
  b <- built(ggplot2::autoplot(r$fit))
  expect_equal(nrow(b$data[[1]]), nrow(r$fit$history))
  expect_identical(b$layout$panel_params[[1]]$y$scale$trans$name, "log-10")
  built(ggplot2::autoplot(r$fit, x = "seconds"))
  bw <- built(ggplot2::autoplot(r$fit, type = "W"))
  expect_setequal(bw$layout$panel_params[[1]]$y$get_labels(), rownames(r$x))
  expect_identical(bw$layout$panel_params[[1]]$x$get_labels(), c("C1", "C2", "C3"))
  fill <- bw$plot$scales$get_scales("fill")
  # zero is the lightest colour of the scale
  cols <- fill$map(c(0, max(r$fit$W)))
  light <- grDevices::col2rgb(cols)
  expect_gt(sum(light[, 1]), sum(light[, 2]))
  expect_equal(fill$get_limits()[1], 0)
  bh <- built(ggplot2::autoplot(r$fit, type = "H"))
  expect_setequal(bh$layout$panel_params[[1]]$x$get_labels(), colnames(r$x))
  expect_error(ggplot2::autoplot(r$fit, type = "foo"), "`type` must be one of")
})

test_that("autoplot() of a CV marks and labels the chosen ranks on integer ticks", {
  skip_if_not_installed("ggplot2")
  r <- plot_results()
  b <- built(ggplot2::autoplot(r$cv))
  expect_identical(levels(b$data[[1]]$PANEL), c("1", "2"))  # error and stability panels
  labels <- unlist(lapply(b$data, function(d) d$label))
  expect_true(any(grepl("rank_min", labels)))
  expect_identical(b$layout$panel_params[[1]]$x$breaks[!is.na(b$layout$panel_params[[1]]$x$breaks)],
                   as.numeric(r$cv$summary$rank))
  for (type in c("error", "stability")) built(ggplot2::autoplot(r$cv, type = type))
  # one error far above the others: the error axis becomes logarithmic
  squashed <- r$cv
  squashed$summary$test_mean[1] <- 1000 * squashed$summary$test_mean[1]
  b <- built(ggplot2::autoplot(squashed, type = "error"))
  expect_identical(b$layout$panel_params[[1]]$y$scale$trans$name, "log-10")
  b <- built(ggplot2::autoplot(squashed))
  expect_match(levels(b$plot$data$panel)[1], "log10")
  b <- built(ggplot2::autoplot(r$cv, type = "error"))
  expect_identical(b$layout$panel_params[[1]]$y$scale$trans$name, "identity")
})

test_that("autoplot() of an alignment shows every reference name and the values", {
  skip_if_not_installed("ggplot2")
  r <- plot_results()
  b <- built(ggplot2::autoplot(r$align))
  expect_setequal(b$layout$panel_params[[1]]$y$get_labels(), paste0("SBS", 1:65))
  text <- b$data[[3]]$label
  expect_identical(sum(nzchar(text)), 195L)  # 3 x 65 cells: a value in each
  expect_true(all(sprintf("%.2f", r$align$similarity) %in% text))
  # 8 x 65 cells: values in the matched cells only
  withr::local_seed(3)
  ref <- matrix(stats::rexp(40 * 65), 40)
  many <- nmf_align(ref[, 1:8] + 0.1, ref)
  text <- built(ggplot2::autoplot(many))$data[[3]]$label
  expect_identical(sum(nzchar(text)), 8L)
  built(ggplot2::autoplot(r$aligns))
  built(ggplot2::autoplot(r$aligns, fit = 2))
  expect_error(ggplot2::autoplot(r$aligns, fit = 3), "`fit` must be a single index")
})

test_that("autoplot() of a consensus shows the stability and the restarts kept", {
  skip_if_not_installed("ggplot2")
  r <- plot_results()
  b <- built(ggplot2::autoplot(r$cons))
  expect_identical(nlevels(b$data[[1]]$PANEL), 2L)
  cons <- r$cons
  cons$set_aside <- 2L
  cons$kept <- c(1L, 3L, 4L)
  b <- built(ggplot2::autoplot(cons, type = "restarts"))
  expect_true("set aside" %in% b$plot$data$what)
  built(ggplot2::autoplot(cons, type = "stability"))
})

test_that("the base plots draw without warnings and pass `...` on", {
  r <- plot_results()
  path <- withr::local_tempfile(fileext = ".pdf")
  grDevices::pdf(path)
  withr::defer(grDevices::dev.off())
  for (type in c("loss", "W", "H")) expect_no_warning(plot(r$fit, type = type))
  expect_no_warning(plot(r$fit, main = "my title", col = "red"))
  expect_no_warning(plot(r$fit, type = "W", main = "my W"))
  expect_no_warning(plot(r$cv))
  expect_no_warning(plot(r$cv, main = "my curve"))
  squashed <- r$cv
  squashed$summary$test_mean[1] <- 1000 * squashed$summary$test_mean[1]
  squashed$summary$test_se[] <- 1e-9  # bars too short for an arrow
  expect_no_warning(plot(squashed))
  expect_identical(graphics::par("ylog"), FALSE)  # the stability panel is linear
  expect_no_warning(plot(r$align))
  expect_no_warning(plot(r$aligns, fit = 2))
  expect_no_warning(plot(r$cons))
  expect_no_warning(plot(r$cons, type = "restarts", main = "restarts"))
})

test_that("a log axis is used when one value squashes the others, not otherwise", {
  helps <- betanmf:::log_axis_helps
  expect_true(helps(c(100, 1, 1.1, 1.2)))
  expect_true(helps(c(0.5, 20)))
  expect_false(helps(c(1, 1.5, 1.2, 1.8)))
  expect_false(helps(c(0, 1, 100)))  # a zero cannot go on a log axis
  expect_false(helps(5))
})
