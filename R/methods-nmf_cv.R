# Methods of the nmf_cv class: print, summary and plot.

#' Methods for cross-validation results
#'
#' `print` shows the curve of test error and stability with the chosen
#' ranks and one line saying why `rank` was chosen; `summary` returns the
#' per-rank table; `plot` draws the test and training errors against the
#' rank (error bars: one standard error over replicates) with the chosen
#' ranks marked (`rank` as a thick line) and the reason above the panel,
#' and on a second panel the stability of the components (mean and least
#' stable component) with the threshold of `rank_stable`. The error axis is
#' logarithmic when one error would squash the others (see
#' [autoplot-methods], which draws the same figure in ggplot2); the
#' legends sit above the curves.
#'
#' @param x,object An `nmf_cv` from [nmf_cv()].
#' @param ... For `plot`, graphical parameters passed to [graphics::plot()]
#'   for the error panel; not used by the others.
#' @return `print` and `plot` return their argument invisibly; `summary` a
#'   data frame of class `summary.nmf_cv` (columns `rank`, `test_mean`,
#'   `test_se`, `train_mean`, `stability`, `stability_min`).
#' @examples
#' set.seed(2)
#' X <- matrix(rpois(40 * 30, 5), 40)
#' cv <- nmf_cv(X, ranks = 1:3, replicates = 2, seed = 1, threads = 1)
#' summary(cv)
#' plot(cv)
#' @name nmf_cv-methods
NULL

#' @rdname nmf_cv-methods
#' @export
print.nmf_cv <- function(x, ...) {
  cat(sprintf("<nmf_cv> %s hold-out (fraction %g), %d replicate(s), beta = %g (%s)\n",
              x$holdout, x$fraction, x$replicates, x$beta, beta_label(x$beta)))
  s <- x$summary
  tab <- data.frame(rank = s$rank, test = sprintf("%.6g", s$test_mean),
                    se = ifelse(is.na(s$test_se), "-", sprintf("%.2g", s$test_se)),
                    train = sprintf("%.6g", s$train_mean),
                    stability = sprintf("%.3f", s$stability),
                    stab_min = sprintf("%.3f", s$stability_min %||% s$stability),
                    mark = cv_rank_marks(x))
  print(tab, row.names = FALSE)
  cat(cv_rank_line(x), "\n", sep = "")
  if (!is.null(x$rank_reason)) cat(sprintf("rank = %d: %s\n", x$rank, x$rank_reason))
  invisible(x)
}

#' @rdname nmf_cv-methods
#' @export
summary.nmf_cv <- function(object, ...) {
  structure(object$summary, class = c("summary.nmf_cv", "data.frame"),
            rank_min = object$rank_min, rank_1se = object$rank_1se,
            rank_stable = object$rank_stable, rank = object$rank,
            rank_reason = object$rank_reason)
}

#' @rdname nmf_cv-methods
#' @export
print.summary.nmf_cv <- function(x, ...) {
  df <- as.data.frame(unclass(x))
  print(df[, intersect(c("rank", "test_mean", "test_se", "train_mean", "stability",
                         "stability_min"), names(df))], row.names = FALSE)
  cat(cv_rank_line(attributes(x)), "\n", sep = "")
  if (!is.null(attr(x, "rank_reason"))) {
    cat(sprintf("rank = %d: %s\n", attr(x, "rank"), attr(x, "rank_reason")))
  }
  invisible(x)
}

#' @rdname nmf_cv-methods
#' @export
plot.nmf_cv <- function(x, ...) {
  s <- x$summary
  dots <- list(...)
  old <- graphics::par(mfrow = c(2L, 1L), mar = c(4, 4.5, 4, 1))
  on.exit(graphics::par(old))
  se <- ifelse(is.na(s$test_se), 0, s$test_se)
  logged <- log_axis_helps(c(s$test_mean, s$train_mean))
  lo <- s$test_mean - se
  if (logged) lo <- pmax(lo, min(c(s$test_mean, s$train_mean)) / 10)
  yl <- with_headroom(c(lo, s$test_mean + se, s$train_mean), logged, room = 0.4)
  call_with(graphics::plot, list(
    x = s$rank, y = s$test_mean, type = "b", pch = 19, ylim = yl, xlab = "rank",
    ylab = if (logged) "mean divergence per entry (log scale)" else "mean divergence per entry",
    log = if (logged) "y" else "", xaxt = "n",
    main = sprintf("nmf_cv: %s hold-out, beta = %g", x$holdout, x$beta)), dots)
  graphics::axis(1, at = s$rank)
  error_bars(s$rank, lo, s$test_mean + se)
  graphics::lines(s$rank, s$train_mean, type = "b", lty = 2, pch = 1)
  marks <- cv_plot_marks(x)
  graphics::abline(v = marks$at, col = marks$col, lty = marks$lty, lwd = marks$lwd)
  graphics::legend("top", c("test", "train", marks$label), ncol = 3L, cex = 0.75,
                   lty = c(1, 2, marks$lty), pch = c(19, 1, rep(NA, length(marks$at))),
                   col = c("black", "black", marks$col), lwd = c(1, 1, marks$lwd),
                   bty = "n")
  if (!is.null(x$rank_reason)) {
    reason <- wrap_to_plot(sprintf("rank = %d: %s", x$rank, x$rank_reason), cex = 0.65)
    graphics::mtext(rev(reason), side = 3, line = 0.1 + 0.8 * (seq_along(reason) - 1),
                    cex = 0.65)
  }
  stab_min <- s$stability_min %||% s$stability
  graphics::plot(s$rank, s$stability, type = "b", pch = 19,
                 ylim = c(min(0, stab_min, na.rm = TRUE), 1.3), xlab = "rank",
                 ylab = "stability (matched cosine)", xaxt = "n", yaxt = "n")
  graphics::axis(1, at = s$rank)
  graphics::axis(2, at = seq(0, 1, 0.25))
  graphics::lines(s$rank, stab_min, type = "b", pch = 1, lty = 2)
  graphics::abline(h = x$stable_threshold %||% 0.7, col = "grey50", lty = 3)
  graphics::abline(v = marks$at, col = marks$col, lty = marks$lty, lwd = marks$lwd)
  graphics::legend("top", c("mean", "least stable component", "rank_stable threshold"),
                   ncol = 3L, cex = 0.75,
                   lty = c(1, 2, 3), pch = c(19, 1, NA),
                   col = c("black", "black", "grey50"), bty = "n")
  invisible(x)
}

# The mark of each rank in print(): which of the chosen ranks it is.
cv_rank_marks <- function(x) {
  s <- x$summary
  vapply(s$rank, function(k) {
    hit <- c(rank = identical(k, x$rank), min = k == x$rank_min, `1se` = k == x$rank_1se,
             stable = isTRUE(k == x$rank_stable))
    if (any(hit)) paste0("<- ", paste(names(hit)[hit], collapse = ", ")) else ""
  }, character(1))
}

# One line with the chosen ranks; `x` is an nmf_cv or the attributes of its
# summary (rank and rank_stable are absent from results made before them).
cv_rank_line <- function(x) {
  line <- sprintf("rank_min = %d, rank_1se = %d", x$rank_min, x$rank_1se)
  if (!is.null(x$rank)) {
    line <- sprintf("rank = %d (recommended), %s, rank_stable = %s", x$rank, line,
                    if (is.na(x$rank_stable)) "none" else x$rank_stable)
  }
  line
}

# Vertical lines of plot(): the chosen ranks, drawn from the recommended one
# (thick) to the one-standard-error one.
cv_plot_marks <- function(x) {
  at <- c(rank = x$rank, rank_min = x$rank_min, rank_1se = x$rank_1se,
          rank_stable = x$rank_stable)
  at <- at[!vapply(at, function(v) is.null(v) || is.na(v), logical(1))]
  style <- list(rank = c("darkgreen", 1, 2), rank_min = c("firebrick", 3, 1),
                rank_1se = c("steelblue", 3, 1), rank_stable = c("darkorange", 2, 1))
  st <- style[names(at)]
  list(at = unlist(at), label = names(at), col = vapply(st, `[`, "", 1),
       lty = as.integer(vapply(st, `[`, "", 2)), lwd = as.numeric(vapply(st, `[`, "", 3)))
}
