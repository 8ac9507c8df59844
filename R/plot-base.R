# Pieces of the base-graphics plot() methods: arguments merged with the
# user's `...`, heatmaps with names and a colour key (zero lightest, the
# palette of the ggplot2 figures), error bars drawn without arrows (an
# arrow shorter than 1/1000 inch warns), and legends placed where they
# cover no point.

# Calls `fun` with the defaults `args` overridden by (and completed with)
# the user's `dots`.
call_with <- function(fun, args, dots) do.call(fun, utils::modifyList(args, dots))

# A heatmap of the matrix z (rows drawn top to bottom, columns left to
# right) with the row and column labels, and a colour key in the right
# margin. Returns nothing; `...` goes to graphics::image().
heatmap_base <- function(z, row_labels, col_labels, xlab, ylab, main, key_title,
                         zlim = c(0, max(z, 0, na.rm = TRUE)), dots = list()) {
  if (!(zlim[2] > zlim[1])) zlim <- c(zlim[1], zlim[1] + 1)
  cols <- zero_light_colours(64L)
  r <- nrow(z)
  q <- ncol(z)
  old <- graphics::par(mar = pmax(graphics::par("mar"), c(label_lines(col_labels, q) + 1,
                                                          label_lines(row_labels, r) + 1,
                                                          4, 6)))
  on.exit(graphics::par(old))
  call_with(graphics::image, list(x = seq_len(q), y = seq_len(r),
                                  z = t(z[rev(seq_len(r)), , drop = FALSE]), zlim = zlim,
                                  col = cols, axes = FALSE, xlab = "", ylab = "",
                                  main = main), dots)
  axis_labels(1, col_labels, q)
  axis_labels(2, rev(row_labels), r)
  graphics::title(xlab = xlab, line = label_lines(col_labels, q))
  graphics::title(ylab = ylab, line = label_lines(row_labels, r))
  graphics::box()
  colour_key(cols, zlim, key_title)
  invisible(NULL)
}

# Lines of margin that the labels of an axis take (rotated labels of up to
# 50 entries), for the margins and the axis titles.
label_lines <- function(labels, n) {
  shown <- thin_labels(labels)
  min(10, 1.5 + 0.6 * max(nchar(shown), 1L) * label_cex(n))
}

label_cex <- function(n) if (n > 40L) 0.55 else if (n > 20L) 0.7 else 0.85

# Axis `side` with as many of the n labels (positions 1..n) as fit without
# overlapping, evenly spaced, written perpendicular to the axis.
axis_labels <- function(side, labels, n) {
  at <- seq_len(n)
  room <- graphics::par("pin")[if (side %in% c(1, 3)) 1L else 2L]
  fit <- floor(room / (1.2 * graphics::par("csi") * label_cex(n)))
  keep <- match(thin_labels(labels, max(2L, fit)), labels)
  graphics::axis(side, at = at[keep], labels = labels[keep], las = 2, tick = FALSE,
                 cex.axis = label_cex(n), line = -0.5)
}

# A vertical colour key in the right margin of the current plot.
colour_key <- function(cols, zlim, title) {
  usr <- graphics::par("usr")
  w <- diff(usr[1:2])
  x0 <- usr[2] + 0.04 * w
  x1 <- usr[2] + 0.09 * w
  y <- seq(usr[3], usr[4], length.out = length(cols) + 1L)
  graphics::rect(x0, y[-length(y)], x1, y[-1L], col = cols, border = NA, xpd = TRUE)
  graphics::rect(x0, usr[3], x1, usr[4], border = "grey40", xpd = TRUE)
  ticks <- pretty(zlim, 4)
  ticks <- ticks[ticks >= zlim[1] & ticks <= zlim[2]]
  ty <- usr[3] + (ticks - zlim[1]) / diff(zlim) * diff(usr[3:4])
  graphics::text(x1 + 0.01 * w, ty, format(ticks), adj = 0, cex = 0.7, xpd = TRUE)
  graphics::text((x0 + x1) / 2, usr[4], title, pos = 3, cex = 0.8, xpd = TRUE)
}

# Vertical error bars from lo to hi at x, with caps: segments, not arrows.
error_bars <- function(x, lo, hi, width = 0.08, ...) {
  ok <- is.finite(lo) & is.finite(hi) & hi > lo
  if (!any(ok)) return(invisible(NULL))
  x <- x[ok]
  graphics::segments(x, lo[ok], x, hi[ok], ...)
  graphics::segments(x - width, lo[ok], x + width, lo[ok], ...)
  graphics::segments(x - width, hi[ok], x + width, hi[ok], ...)
  invisible(NULL)
}

# Limits of a value axis with room above the data for a one-line legend
# (a fifth of the span, or of the decades on a log axis).
with_headroom <- function(values, log = FALSE, room = 0.25) {
  v <- range(values[is.finite(values)])
  if (log) return(10^(log10(v) + c(0, room * max(diff(log10(v)), 0.1))))
  span <- max(diff(v), abs(v[2]) * 0.1, 1e-12)
  c(v[1], v[2] + room * span)
}

# `text` wrapped into lines as wide as the current plot region at `cex`.
wrap_to_plot <- function(text, cex = 1) {
  chars <- graphics::par("pin")[1] / (graphics::par("cin")[1] * 0.55 * cex)
  strwrap(text, width = max(20L, floor(chars)))
}
