# Methods of the nmf_consensus class: print and plot (documented with
# nmf_consensus()).

#' @rdname nmf_consensus
#' @param digits Number of significant digits to print.
#' @param ... For `nmf_consensus()`, see above; ignored by `print()`; passed
#'   to [graphics::barplot()] by `plot()`.
#' @export
print.nmf_consensus <- function(x, digits = 3L, ...) {
  k <- length(x$losses)
  cat(sprintf("<nmf_consensus> rank %d from %d restarts", x$rank, k))
  if (!is.null(x$beta)) cat(sprintf(" (beta = %s)", format(x$beta)))
  cat("\n")
  cat(sprintf("restart losses: best %s, median %s, worst %s\n",
              format(min(x$losses), digits = digits),
              format(stats::median(x$losses), digits = digits),
              format(max(x$losses), digits = digits)))
  if (!is.null(x$pool) && x$pool > 1L) {
    cat(sprintf("restarts fitted to sums of %d neighbouring columns (%d sums); H refitted at all %d columns\n",
                x$pool, ceiling(ncol(x$H) / x$pool), ncol(x$H)))
  }
  if (length(x$set_aside)) {
    cat(sprintf(paste0("kept %d of %d restarts; set aside (loss more than %g above the best ",
                       "and an outlier): %s\n"), length(x$kept), k, x$loss_tol,
                paste(x$set_aside, collapse = ", ")))
  } else if (!is.null(x$kept)) {
    cat(sprintf("kept all %d restarts\n", k))
  }
  if (!is.na(x$loss)) {
    cat(sprintf("consensus loss: %s\n", format(x$loss, digits = digits)))
  }
  cat("stability (cosine to the consensus component over restarts):\n")
  print(x$stability, digits = digits, row.names = FALSE)
  invisible(x)
}

#' @rdname nmf_consensus
#' @param y Ignored.
#' @param type For `plot()`: `"stability"` (bars: the mean stability of each
#'   component; triangles: its minimum over restarts) or `"restarts"` (the
#'   final loss of each restart relative to the best, restarts set aside
#'   marked). [autoplot-methods] draws both in ggplot2.
#' @export
plot.nmf_consensus <- function(x, y, type = c("stability", "restarts"), ...) {
  type <- match.arg(type)
  if (type == "restarts") {
    losses <- x$losses
    excess <- (losses - min(losses)) / max(abs(min(losses)), .Machine$double.xmin)
    aside <- seq_along(losses) %in% x$set_aside
    call_with(graphics::plot, list(
      x = seq_along(losses), y = excess, pch = ifelse(aside, 4, 19),
      col = ifelse(aside, "firebrick", "grey20"), xaxt = "n", xlab = "restart",
      ylab = "loss relative to the best", ylim = with_headroom(c(0, excess)),
      main = sprintf("Restarts: %d kept, %d set aside", length(losses) - sum(aside),
                     sum(aside))), list(...))
    graphics::axis(1, at = seq_along(losses))
    graphics::legend("top", c("kept", "set aside"), pch = c(19, 4), horiz = TRUE,
                     col = c("grey20", "firebrick"), bty = "n")
    return(invisible(x))
  }
  st <- x$stability
  lower <- min(0, st$min)
  mids <- call_with(graphics::barplot, list(
    height = st$mean, names.arg = component_labels(x$W), ylim = c(lower, 1.15),
    xlab = "component", ylab = "cosine similarity", main = "Stability over restarts",
    col = "#8DB6E0", border = NA), list(...))
  graphics::points(mids, st$min, pch = 25, bg = "black", cex = 0.9)
  graphics::legend("top", legend = c("mean", "minimum"), horiz = TRUE,
                   pch = c(15, 25), col = c("#8DB6E0", "black"), pt.bg = "black",
                   bty = "n")
  invisible(x)
}
