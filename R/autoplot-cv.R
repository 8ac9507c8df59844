# ggplot2 figures of cross-validation and alignment results (documented
# with the others in R/autoplot.R), and the rule that puts an error axis
# on a log scale, shared with the base plot of nmf_cv.

# Whether a log axis shows positive values better: they span more than a
# factor of 10, or all but the largest fill less than a fifth of the range
# (one large error squashes the rest).
log_axis_helps <- function(v) {
  v <- v[is.finite(v)]
  if (length(v) < 2L || any(v <= 0)) return(FALSE)
  span <- diff(range(v))
  if (span <= 0) return(FALSE)
  rest <- sort(v)[-length(v)]
  max(v) / min(v) > 10 || diff(range(rest)) < 0.2 * span
}

# The chosen ranks of an nmf_cv: a data frame with one row per distinct
# rank chosen (at, label: the names of the choices there).
cv_chosen <- function(x) {
  at <- c(rank = x$rank %||% NA, rank_min = x$rank_min, rank_1se = x$rank_1se,
          rank_stable = x$rank_stable %||% NA)
  at <- at[!is.na(at)]
  ranks <- unique(unname(at))
  data.frame(at = ranks,
             label = vapply(ranks, function(k) paste(names(at)[at == k], collapse = ", "),
                            character(1)),
             recommended = ranks == (x$rank %||% NA), stringsAsFactors = FALSE)
}

#' @rdname autoplot-methods
#' @exportS3Method ggplot2::autoplot
autoplot.nmf_cv <- function(object, type = c("both", "error", "stability"), ...) {
  need_package("ggplot2", "autoplot()")
  type <- match_choice(type, c("both", "error", "stability"), "type")
  s <- object$summary
  se <- ifelse(is.na(s$test_se), 0, s$test_se)
  logged <- type != "stability" && log_axis_helps(c(s$test_mean, s$train_mean))
  # in two panels the log can only be drawn as the log10 of the error
  tr <- if (logged && type == "both") log10 else identity
  lower <- pmax(s$test_mean - se, min(c(s$test_mean, s$train_mean)) / 10)
  err_name <- if (logged && type == "both") "log10 mean divergence per entry" else
    "mean divergence per entry"
  stab_name <- "stability (matched cosine)"
  err <- data.frame(rank = rep(s$rank, 2L), y = tr(c(s$test_mean, s$train_mean)),
                    ymin = tr(c(lower, s$train_mean)), ymax = tr(c(s$test_mean + se,
                                                                   s$train_mean)),
                    series = rep(c("test", "train"), each = nrow(s)), panel = err_name)
  stab <- data.frame(rank = rep(s$rank, 2L),
                     y = c(s$stability, s$stability_min %||% s$stability),
                     ymin = NA_real_, ymax = NA_real_,
                     series = rep(c("stability (mean)", "stability_min"), each = nrow(s)),
                     panel = stab_name)
  d <- switch(type, both = rbind(err, stab), error = err, stability = stab)
  d$panel <- factor(d$panel, levels = intersect(c(err_name, stab_name), d$panel))
  chosen <- cv_chosen(object)
  labels <- chosen
  labels$panel <- factor(levels(d$panel)[1L], levels = levels(d$panel))  # top panel only
  bars <- d[!is.na(d$ymin) & d$series == "test" & d$ymax > d$ymin, , drop = FALSE]
  p <- ggplot2::ggplot(d, ggplot2::aes(.data$rank, .data$y, colour = .data$series,
                                       shape = .data$series, linetype = .data$series)) +
    ggplot2::geom_vline(data = chosen[!chosen$recommended, , drop = FALSE],
                        ggplot2::aes(xintercept = .data$at), colour = "grey55",
                        linewidth = 0.5) +
    ggplot2::geom_vline(data = chosen[chosen$recommended, , drop = FALSE],
                        ggplot2::aes(xintercept = .data$at), colour = "darkgreen",
                        linewidth = 1.1) +
    ggplot2::geom_line() + ggplot2::geom_point(size = 2) +
    ggplot2::geom_errorbar(data = bars, ggplot2::aes(ymin = .data$ymin, ymax = .data$ymax),
                           width = 0.15, linetype = 1, show.legend = FALSE) +
    ggplot2::geom_label(data = labels, ggplot2::aes(x = .data$at, y = Inf,
                                                    label = .data$label),
                        vjust = 1.1, size = 3, label.size = 0, alpha = 0.8,
                        inherit.aes = FALSE) +
    ggplot2::scale_x_continuous(breaks = s$rank, minor_breaks = NULL) +
    ggplot2::scale_colour_manual(values = c(test = "black", train = "grey50",
                                            `stability (mean)` = "#2166AC",
                                            stability_min = "#D6604D"), name = NULL) +
    ggplot2::scale_shape_manual(values = c(test = 19, train = 1, `stability (mean)` = 15,
                                           stability_min = 0), name = NULL) +
    ggplot2::scale_linetype_manual(values = c(test = 1, train = 2, `stability (mean)` = 1,
                                              stability_min = 2), name = NULL) +
    ggplot2::labs(x = "rank", y = NULL,
                  title = sprintf("nmf_cv: %s hold-out, beta = %g", object$holdout,
                                  object$beta),
                  subtitle = if (!is.null(object$rank_reason))
                    paste(strwrap(sprintf("rank = %d: %s", object$rank, object$rank_reason),
                                  80), collapse = "\n")) +
    ggplot2::theme_bw() + ggplot2::theme(legend.position = "bottom")
  if (type != "error") {
    p <- p + ggplot2::geom_hline(
      data = data.frame(panel = factor(stab_name, levels = levels(d$panel)),
                        y = object$stable_threshold %||% 0.7),
      ggplot2::aes(yintercept = .data$y), colour = "grey40", linetype = 3)
  }
  room <- ggplot2::expansion(mult = c(0.05, 0.25))  # the labels of the chosen ranks
  if (type == "both") {
    p <- p + ggplot2::facet_wrap(ggplot2::vars(.data$panel), ncol = 1, scales = "free_y") +
      ggplot2::scale_y_continuous(expand = room)
  } else {
    p <- p + ggplot2::labs(y = levels(d$panel)) +
      if (logged) ggplot2::scale_y_log10(expand = room) else
        ggplot2::scale_y_continuous(expand = room)
  }
  p
}

#' @rdname autoplot-methods
#' @exportS3Method ggplot2::autoplot
autoplot.nmf_align <- function(object, fit = NULL, ...) {
  need_package("ggplot2", "autoplot()")
  one <- align_one(object, fit)
  shown <- one$sim[one$order, , drop = FALSE]
  r <- nrow(shown)
  q <- ncol(shown)
  comps <- as.character(one$order)
  refs <- colnames(shown) %||% as.character(seq_len(q))
  d <- data.frame(component = factor(rep(comps, times = q), levels = comps),
                  reference = factor(rep(refs, each = r), levels = rev(unique(refs))),
                  cosine = as.vector(shown),
                  matched = as.vector(outer(seq_len(r), seq_len(q), function(i, j) {
                    !is.na(one$matched[i]) & one$matched[i] == j
                  })))
  d$label <- ifelse(r * q <= 400L | d$matched, sprintf("%.2f", d$cosine), "")
  text_size <- if (q > 40L) 2.2 else 3
  ggplot2::ggplot(d, ggplot2::aes(.data$component, .data$reference, fill = .data$cosine)) +
    ggplot2::geom_tile(colour = "white", linewidth = 0.2) +
    ggplot2::geom_tile(data = d[d$matched, , drop = FALSE], colour = "black",
                       linewidth = 0.7, fill = NA, width = 1, height = 1) +
    ggplot2::geom_text(ggplot2::aes(label = .data$label,
                                    colour = .data$cosine > 0.6), size = text_size,
                       show.legend = FALSE) +
    ggplot2::scale_colour_manual(values = c(`FALSE` = "black", `TRUE` = "white")) +
    zero_light_fill(limits = c(min(0, shown, na.rm = TRUE), 1), name = "cosine") +
    ggplot2::labs(x = sprintf("component of %s (original index, aligned order)", one$label),
                  y = "reference component", title = "nmf_align: cosine similarity") +
    ggplot2::theme_minimal() +
    ggplot2::theme(panel.grid = ggplot2::element_blank(),
                   axis.text.y = ggplot2::element_text(size = if (q > 40L) 6 else 9))
}

# The similarity matrix, order and matches of one fit of an nmf_align (the
# one given by `fit`, or the least similar one of a list).
align_one <- function(x, fit = NULL) {
  if (x$n_fits == 1L) {
    return(list(sim = x$matrix, order = x$order, matched = x$matched, label = "x"))
  }
  if (is.null(fit)) {
    fit <- which.min(apply(x$similarity, 2, min, na.rm = TRUE))
  } else if (!is.numeric(fit) || length(fit) != 1L || !(fit %in% seq_len(x$n_fits))) {
    stop(sprintf("`fit` must be a single index between 1 and %d; got %s",
                 x$n_fits, describe(fit)), call. = FALSE)
  }
  sim <- matrix(x$matrix[, , fit], nrow = dim(x$matrix)[1])
  colnames(sim) <- dimnames(x$matrix)[[2L]]
  list(sim = sim, order = x$order[, fit], matched = x$matched[, fit],
       label = sprintf("fit %d", fit))
}
