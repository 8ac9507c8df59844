# The nmf_fit class: constructor, validator and methods.

new_nmf_fit <- function(W, H, beta, rank, loss, divergence, history, iterations,
                        converged, solver, seed, call, ...) {
  obj <- structure(
    list(W = W, H = H, beta = beta, rank = rank, loss = loss,
         divergence = divergence, history = history, iterations = iterations,
         converged = converged, solver = solver, seed = seed, call = call, ...),
    class = "nmf_fit")
  validate_nmf_fit(obj)
}

# The fields, shapes and values every nmf_fit has. The fits of this package
# are built from checked core results (run_fit()), so a failure here is an
# internal error.
validate_nmf_fit <- function(obj) {
  fields <- c("W", "H", "beta", "rank", "loss", "divergence", "history",
              "iterations", "converged", "solver", "seed", "call")
  missing_fields <- setdiff(fields, names(obj))
  if (length(missing_fields)) {
    stop("internal error in betanmf: an nmf_fit needs the fields ",
         paste(missing_fields, collapse = ", "), call. = FALSE)
  }
  if (!is.matrix(obj$W) || !is.matrix(obj$H) || ncol(obj$W) != obj$rank ||
      nrow(obj$H) != obj$rank) {
    stop("internal error in betanmf: an nmf_fit needs W (m x rank) and H (rank x n)",
         call. = FALSE)
  }
  if (!finite_nonnegative(obj$W) || !finite_nonnegative(obj$H)) {
    stop("internal error in betanmf: an nmf_fit needs finite, non-negative W and H",
         call. = FALSE)
  }
  if (!is.data.frame(obj$history) ||
      !all(c("iteration", "loss", "seconds") %in% names(obj$history))) {
    stop("internal error in betanmf: an nmf_fit needs a history data frame (iteration, loss, seconds)",
         call. = FALSE)
  }
  obj
}

# Whether every entry of a numeric matrix is finite and >= 0, by scans that
# allocate nothing (H can be as large as the data).
finite_nonnegative <- function(a) {
  !length(a) || (!anyNA(a) && min(a) >= 0 && is.finite(max(a)))
}

#' Methods for NMF fits
#'
#' `print` shows the model and how the fit ended; `summary` adds the quality
#' of the fit and a table of components; `fitted` is the model \eqn{WH};
#' `residuals` compares it with the data; `plot` draws the objective along
#' the iterations or the factors (heatmaps with the row, column and
#' component names and a colour key, white at zero; see [autoplot-methods]
#' for the same figures in ggplot2).
#'
#' @param x,object An `nmf_fit` from [nmf_fit()] (for `print.summary.nmf_fit`,
#'   the summary).
#' @param data For `residuals`, the matrix that was factorized (an
#'   `nmf_fit` does not keep a copy of its data): a matrix, a sparse Matrix,
#'   a `SummarizedExperiment` (with `assay`) or a `DelayedArray`. For
#'   `fitted`, optional: the data or the object holding them, whose
#'   dimensions are checked and whose row and column names the model takes
#'   (nothing is read).
#' @param assay For a `SummarizedExperiment` `data`, the assay (name or
#'   index); `NULL` is the first.
#' @param type For `residuals`: `"raw"` (data minus model) or `"deviance"`
#'   (signed square root of twice the element-wise divergence). For `plot`:
#'   `"loss"`, `"W"` or `"H"`.
#' @param ... For `plot`, graphical parameters passed to [graphics::plot()]
#'   (`type = "loss"`) or [graphics::image()]; not used by the others.
#' @return `print` returns its argument invisibly; `summary` an object of
#'   class `summary.nmf_fit` (a list with `dims`, `beta`, `loss`,
#'   `divergence`, `relative_error` (for `beta = 2`, \eqn{\|X - WH\|_F /
#'   \|X\|_F}), `iterations`, `converged`, `seconds` and a data frame
#'   `components` with each component's share of the total and the fraction
#'   of zeros in its column of W and row of H); `fitted` and `residuals` an
#'   m x n matrix.
#' @examples
#' set.seed(2)
#' X <- matrix(rpois(50 * 30, 5), 50)
#' fit <- nmf_fit(X, rank = 2, threads = 1)
#' print(fit)
#' summary(fit)
#' dim(fitted(fit))
#' sum(residuals(fit, X)^2) / 2 # equals fit$divergence
#' plot(fit)
#' @name nmf_fit-methods
NULL

#' @rdname nmf_fit-methods
#' @export
print.nmf_fit <- function(x, ...) {
  d <- dim_of(x)
  cat(sprintf("<nmf_fit> %d x %d, rank %d, beta = %g (%s), solver \"%s\"\n", d[1],
              d[2], x$rank, x$beta, beta_label(x$beta), x$solver))
  cat(sprintf("  loss %.6g  divergence %.6g\n", x$loss, x$divergence))
  cat(sprintf("  %d iterations, %s, seed %s\n", x$iterations,
              if (x$converged) "converged" else "not converged (max_iter reached)",
              format(x$seed)))
  invisible(x)
}

dim_of <- function(x) c(nrow(x$W), ncol(x$H))

#' @rdname nmf_fit-methods
#' @export
summary.nmf_fit <- function(object, ...) {
  W <- object$W
  H <- object$H
  total <- colSums(W) * rowSums(H)
  comps <- data.frame(
    component = colnames(W) %||% paste0("C", seq_len(object$rank)),
    share = total / sum(total),
    zeros_W = colMeans(W == 0),
    zeros_H = rowMeans(H == 0),
    row.names = NULL)
  rel <- NA_real_
  if (object$beta == 2 && !is.null(object$data$sum_sq)) {
    rel <- sqrt(2 * object$divergence / object$data$sum_sq)
  }
  h <- object$history
  structure(list(dims = dim_of(object), rank = object$rank, beta = object$beta,
                 loss = object$loss, divergence = object$divergence,
                 relative_error = rel, iterations = object$iterations,
                 converged = object$converged,
                 seconds = if (nrow(h)) h$seconds[nrow(h)] else 0,
                 restarts = nrow(object$restarts %||% data.frame()),
                 components = comps),
            class = "summary.nmf_fit")
}

#' @rdname nmf_fit-methods
#' @export
print.summary.nmf_fit <- function(x, ...) {
  cat(sprintf("NMF of a %d x %d matrix, rank %d, beta = %g (%s)\n", x$dims[1],
              x$dims[2], x$rank, x$beta, beta_label(x$beta)))
  cat(sprintf("loss %.6g, divergence %.6g", x$loss, x$divergence))
  if (is.finite(x$relative_error)) {
    cat(sprintf(", relative error %.4g", x$relative_error))
  }
  cat(sprintf("\n%d iterations in %.3g s, %s", x$iterations, x$seconds,
              if (x$converged) "converged" else "not converged"))
  if (x$restarts > 1L) cat(sprintf(", best of %d restarts", x$restarts))
  cat("\n\nComponents:\n")
  comps <- x$components
  comps$share <- sprintf("%.3f", comps$share)
  comps$zeros_W <- sprintf("%.2f", comps$zeros_W)
  comps$zeros_H <- sprintf("%.2f", comps$zeros_H)
  print(comps, row.names = FALSE)
  invisible(x)
}

#' @rdname nmf_fit-methods
#' @export
fitted.nmf_fit <- function(object, data = NULL, ...) {
  mu <- object$W %*% object$H
  if (is.null(data)) return(mu)
  d <- dim(data)
  if (length(d) != 2L) {
    stop(sprintf("`data` must be a matrix or an object holding one; got %s", describe(data)),
         call. = FALSE)
  }
  if (d[1] != nrow(mu) || d[2] != ncol(mu)) {
    stop(sprintf("`data` must be %d x %d like the fitted model; got %d x %d", nrow(mu),
                 ncol(mu), d[1], d[2]), call. = FALSE)
  }
  names <- dimnames(data)
  if (!is.null(names[[1L]])) rownames(mu) <- names[[1L]]
  if (!is.null(names[[2L]])) colnames(mu) <- names[[2L]]
  mu
}

#' @rdname nmf_fit-methods
#' @export
residuals.nmf_fit <- function(object, data, type = c("raw", "deviance"), ...,
                              assay = NULL) {
  if (missing(data)) {
    stop("`data` is missing: residuals() needs the matrix that was factorized",
         call. = FALSE)
  }
  type <- match.arg(type)
  x <- check_data(data_matrix(data, assay, "data"), "data", na_ok = FALSE)
  d <- dim_of(object)
  if (nrow(x) != d[1] || ncol(x) != d[2]) {
    stop(sprintf("`data` must be %d x %d like the fitted model; got %d x %d", d[1],
                 d[2], nrow(x), ncol(x)), call. = FALSE)
  }
  x <- as.matrix(x)
  mu <- fitted(object)
  if (type == "raw") return(x - mu)
  sign(x - mu) * sqrt(2 * elementwise_divergence(x, mu, object$beta))
}

#' @rdname nmf_fit-methods
#' @export
plot.nmf_fit <- function(x, type = c("loss", "W", "H"), ...) {
  type <- match.arg(type)
  dots <- list(...)
  title <- sprintf("nmf_fit: rank %d, beta = %g", x$rank, x$beta)
  if (type == "loss") {
    h <- x$history
    if (!nrow(h)) stop("the fit has no iteration history to plot", call. = FALSE)
    positive <- all(h$loss > 0)
    call_with(graphics::plot, list(x = h$iteration, y = h$loss, type = "l",
                                   log = if (positive) "y" else "", xlab = "iteration",
                                   ylab = "objective", main = title), dots)
    return(invisible(x))
  }
  comps <- component_labels(x$W)
  if (type == "W") {
    heatmap_base(x$W, line_labels(rownames(x$W), nrow(x$W)), comps, xlab = "component",
                 ylab = "row of the data", main = paste(title, "- W"), key_title = "W",
                 dots = dots)
  } else {
    heatmap_base(x$H, comps, line_labels(colnames(x$H), ncol(x$H)),
                 xlab = "column of the data", ylab = "component",
                 main = paste(title, "- H"), key_title = "H", dots = dots)
  }
  invisible(x)
}
