# ggplot2 figures of fits and consensus results (those of cross-validation
# and alignment are in R/autoplot-cv.R). ggplot2 stays a suggested package:
# the methods are registered for ggplot2::autoplot() when ggplot2 is
# loaded, and every call goes through ggplot2::.

#' ggplot2 figures of NMF results
#'
#' `autoplot()` methods (the generic of ggplot2) returning a ggplot object
#' that can be printed, saved or modified like any other. Call them as
#' `ggplot2::autoplot(fit)` or, with ggplot2 attached, `autoplot(fit)`.
#'
#' * `nmf_fit`: `type = "loss"` the objective against the iteration (or the
#'   seconds, `x = "seconds"`), on a log scale when it is positive;
#'   `type = "W"` or `"H"` the factor as a heatmap, with the row (or column)
#'   names of the data and the component names, and a sequential colour
#'   scale that is lightest at zero.
#' * `nmf_cv`: held-out (test) and training error against the rank with
#'   one-standard-error bars, and on a panel of its own the stability
#'   (`stability`, the mean over components, and `stability_min`, the least
#'   stable component, with the threshold of `rank_stable`); the chosen
#'   ranks (`rank`, `rank_min`, `rank_1se`, `rank_stable`) are marked by
#'   vertical lines and labelled. When one error squashes the others (they
#'   span more than a factor of 10, or all but the largest fill less than a
#'   fifth of the range), the error is drawn on a log scale: with `type =
#'   "error"` on a log10 axis in the units of the error, with `type =
#'   "both"` (the default, two panels sharing the rank axis) as the log10 of
#'   the error.
#' * `nmf_align`: the cosine similarity of every component of `x` (columns,
#'   in aligned order) with every reference component (rows, so that long
#'   lists of reference names stay readable), with the values written in
#'   the cells (in every cell up to 400 cells, else in the matched ones)
#'   and the matches outlined.
#' * `nmf_consensus`: the stability of each component (bars: mean over
#'   restarts; points: minimum) and, on a panel of its own, the final loss
#'   of every restart relative to the best, coloured by whether it was kept
#'   or set aside.
#'
#' @param object An `nmf_fit`, `nmf_cv`, `nmf_align` or `nmf_consensus`.
#' @param type What to draw: for an `nmf_fit` `"loss"`, `"W"` or `"H"`; for
#'   an `nmf_cv` `"both"`, `"error"` or `"stability"`; for an
#'   `nmf_consensus` `"both"`, `"stability"` or `"restarts"`.
#' @param x For `type = "loss"`: `"iteration"` or `"seconds"` on the
#'   horizontal axis.
#' @param fit For an `nmf_align` of a list of fits, which fit to show (by
#'   default the one whose worst matched component is least similar).
#' @param ... Not used.
#' @return A ggplot object.
#' @examples
#' if (requireNamespace("ggplot2", quietly = TRUE)) {
#'   set.seed(1)
#'   X <- matrix(rpois(40 * 30, 4), 40,
#'               dimnames = list(paste0("gene", 1:40), paste0("sample", 1:30)))
#'   fit <- nmf_fit(X, rank = 3, beta = "kl", seed = 1, threads = 1)
#'   ggplot2::autoplot(fit)
#'   ggplot2::autoplot(fit, type = "W")
#'   cv <- nmf_cv(X, ranks = 1:4, beta = "kl", replicates = 2, seed = 1, threads = 1)
#'   ggplot2::autoplot(cv)
#' }
#' @name autoplot-methods
NULL

utils::globalVariables(".data")

#' @rdname autoplot-methods
#' @exportS3Method ggplot2::autoplot
autoplot.nmf_fit <- function(object, type = c("loss", "W", "H"),
                             x = c("iteration", "seconds"), ...) {
  need_package("ggplot2", "autoplot()")
  type <- match_choice(type, c("loss", "W", "H"), "type")
  title <- sprintf("nmf_fit: rank %d, beta = %g (%s)", object$rank, object$beta,
                   beta_label(object$beta))
  if (type != "loss") return(factor_heatmap(object, type, title))
  x <- match_choice(x, c("iteration", "seconds"), "x")
  h <- object$history
  if (!nrow(h)) stop("the fit has no iteration history to plot", call. = FALSE)
  p <- ggplot2::ggplot(h, ggplot2::aes(.data[[x]], .data$loss)) +
    ggplot2::geom_line(colour = "grey30") +
    ggplot2::geom_point(size = 0.8, colour = "grey30") +
    ggplot2::labs(x = if (x == "seconds") "seconds since the start" else "iteration",
                  y = "objective", title = title) +
    ggplot2::theme_bw()
  if (all(h$loss > 0)) p <- p + ggplot2::scale_y_log10()
  p
}

# W (rows of the data down, components across) or H (components down,
# columns of the data across) as a heatmap, zero lightest.
factor_heatmap <- function(object, which, title) {
  d <- factor_long(object, which)
  if (which == "W") {
    rows <- line_labels(rownames(object$W), nrow(object$W))
    d$row <- factor(d$row, levels = rev(unique(rows)))
    aes <- ggplot2::aes(.data$component, .data$row, fill = .data$value)
    labs <- ggplot2::labs(x = "component", y = "row of the data", fill = "W",
                          title = paste(title, "- W"))
    axis <- ggplot2::scale_y_discrete(breaks = thin_labels(rev(levels(d$row))))
  } else {
    cols <- line_labels(colnames(object$H), ncol(object$H))
    d$column <- factor(d$column, levels = unique(cols))
    d$component <- factor(d$component, levels = rev(levels(d$component)))
    aes <- ggplot2::aes(.data$column, .data$component, fill = .data$value)
    labs <- ggplot2::labs(x = "column of the data", y = "component", fill = "H",
                          title = paste(title, "- H"))
    axis <- ggplot2::scale_x_discrete(breaks = thin_labels(levels(d$column)))
  }
  p <- ggplot2::ggplot(d, aes) + ggplot2::geom_raster() + zero_light_fill() + labs + axis +
    ggplot2::theme_minimal() + ggplot2::theme(panel.grid = ggplot2::element_blank())
  if (which == "H") {
    p <- p + ggplot2::theme(axis.text.x = ggplot2::element_text(angle = 90, hjust = 1,
                                                                vjust = 0.5))
  }
  p
}

# At most about `max` of the labels, evenly spaced, for a readable axis.
thin_labels <- function(labels, max = 50L) {
  if (length(labels) <= max) return(labels)
  labels[unique(round(seq(1, length(labels), length.out = max)))]
}

# Sequential colours from white (zero) to dark blue: the palette of the
# heatmaps, in ggplot2 and in base graphics.
zero_light_colours <- function(n = 64L) grDevices::hcl.colors(n, "Blues 3", rev = TRUE)

zero_light_fill <- function(limits = c(0, NA), name = ggplot2::waiver()) {
  ggplot2::scale_fill_gradientn(colours = zero_light_colours(9L), limits = limits,
                                name = name)
}

#' @rdname autoplot-methods
#' @exportS3Method ggplot2::autoplot
autoplot.nmf_consensus <- function(object, type = c("both", "stability", "restarts"), ...) {
  need_package("ggplot2", "autoplot()")
  type <- match_choice(type, c("both", "stability", "restarts"), "type")
  d <- consensus_plot_data(object)
  panels <- switch(type, both = c("stability", "restarts"), type)
  d <- d[d$panel %in% panel_names(panels), , drop = FALSE]
  st <- d[d$what == "mean", , drop = FALSE]
  p <- ggplot2::ggplot(d, ggplot2::aes(.data$x, .data$y)) +
    ggplot2::geom_col(data = st, fill = "#8DB6E0", width = 0.7) +
    ggplot2::geom_point(data = d[d$what != "mean", , drop = FALSE],
                        ggplot2::aes(shape = .data$what, colour = .data$what), size = 2.2) +
    ggplot2::scale_shape_manual(values = c(minimum = 25, kept = 19, `set aside` = 4),
                                name = NULL) +
    ggplot2::scale_colour_manual(values = c(minimum = "black", kept = "grey20",
                                            `set aside` = "firebrick"), name = NULL) +
    ggplot2::facet_wrap(ggplot2::vars(.data$panel), scales = "free", ncol = 1) +
    ggplot2::labs(x = NULL, y = NULL, title = sprintf(
      "nmf_consensus: rank %d, %d restarts, %d set aside", object$rank,
      length(object$losses), length(object$set_aside))) +
    ggplot2::theme_bw()
  p
}

panel_names <- function(panels) {
  c(stability = "stability: cosine to the consensus (bar: mean, triangle: minimum)",
    restarts = "restarts: loss relative to the best")[panels]
}

# Long data of both panels: the stability per component (mean, minimum)
# and the relative excess loss of every restart (kept or set aside).
consensus_plot_data <- function(object) {
  st <- object$stability
  comps <- component_labels(object$W)
  losses <- object$losses
  best <- min(losses)
  excess <- (losses - best) / max(abs(best), .Machine$double.xmin)
  aside <- seq_along(losses) %in% object$set_aside
  names <- panel_names(c("stability", "restarts"))
  levels_x <- c(comps, as.character(seq_along(losses)))
  data.frame(
    panel = factor(rep(names, c(2L * nrow(st), length(losses))), levels = names),
    x = factor(c(comps, comps, as.character(seq_along(losses))), levels = unique(levels_x)),
    y = c(st$mean, st$min, excess),
    what = c(rep(c("mean", "minimum"), each = nrow(st)),
             ifelse(aside, "set aside", "kept")),
    stringsAsFactors = FALSE)
}
