# Methods of the nmf_cv class: print, summary and plot.

#' Methods for cross-validation results
#'
#' `print` shows the curve of test error and stability with the chosen
#' ranks; `summary` returns the per-rank table; `plot` draws the test and
#' training errors against the rank (error bars: one standard error over
#' replicates) with the two chosen ranks marked, and the stability of the
#' components on a second panel.
#'
#' @param x,object An `nmf_cv` from [nmf_cv()].
#' @param ... Not used.
#' @return `print` and `plot` return their argument invisibly; `summary` a
#'   data frame of class `summary.nmf_cv` (columns `rank`, `test_mean`,
#'   `test_se`, `train_mean`, `stability`).
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
                    mark = ifelse(s$rank == x$rank_min, "<- min",
                                  ifelse(s$rank == x$rank_1se, "<- 1se", "")))
  if (x$rank_min == x$rank_1se) tab$mark[s$rank == x$rank_min] <- "<- min, 1se"
  print(tab, row.names = FALSE)
  cat(sprintf("rank_min = %d, rank_1se = %d\n", x$rank_min, x$rank_1se))
  invisible(x)
}

#' @rdname nmf_cv-methods
#' @export
summary.nmf_cv <- function(object, ...) {
  structure(object$summary, class = c("summary.nmf_cv", "data.frame"),
            rank_min = object$rank_min, rank_1se = object$rank_1se)
}

#' @rdname nmf_cv-methods
#' @export
print.summary.nmf_cv <- function(x, ...) {
  print(as.data.frame(unclass(x))[, c("rank", "test_mean", "test_se", "train_mean",
                                      "stability")], row.names = FALSE)
  cat(sprintf("rank_min = %d, rank_1se = %d\n", attr(x, "rank_min"), attr(x, "rank_1se")))
  invisible(x)
}

#' @rdname nmf_cv-methods
#' @export
plot.nmf_cv <- function(x, ...) {
  s <- x$summary
  old <- graphics::par(mfrow = c(2L, 1L), mar = c(4, 4.5, 2, 1))
  on.exit(graphics::par(old))
  se <- ifelse(is.na(s$test_se), 0, s$test_se)
  yl <- range(c(s$test_mean - se, s$test_mean + se, s$train_mean))
  graphics::plot(s$rank, s$test_mean, type = "b", pch = 19, ylim = yl, xlab = "rank",
                 ylab = "mean divergence per entry",
                 main = sprintf("nmf_cv: %s hold-out, beta = %g", x$holdout, x$beta))
  bars <- se > 0
  if (any(bars)) {
    graphics::arrows(s$rank[bars], (s$test_mean - se)[bars], s$rank[bars],
                     (s$test_mean + se)[bars], angle = 90, code = 3, length = 0.03)
  }
  graphics::lines(s$rank, s$train_mean, type = "b", lty = 2, pch = 1)
  graphics::abline(v = c(x$rank_min, x$rank_1se), col = c("firebrick", "steelblue"),
                   lty = 3)
  graphics::legend("topright", c("test", "train", "rank_min", "rank_1se"),
                   lty = c(1, 2, 3, 3), pch = c(19, 1, NA, NA),
                   col = c("black", "black", "firebrick", "steelblue"), bty = "n")
  graphics::plot(s$rank, s$stability, type = "b", pch = 19, ylim = c(0, 1),
                 xlab = "rank", ylab = "stability (matched cosine)")
  graphics::abline(v = c(x$rank_min, x$rank_1se), col = c("firebrick", "steelblue"),
                   lty = 3)
  invisible(x)
}
