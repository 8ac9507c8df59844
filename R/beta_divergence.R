#' The beta-divergence between data and a model
#'
#' Computes \eqn{\sum_{ij} M_{ij} d_\beta(x_{ij} | \mu_{ij})} (Fevotte &
#' Idier 2011, eq. 2) with
#' \deqn{d_\beta(x|y) = \frac{x^\beta + (\beta - 1) y^\beta - \beta x y^{\beta -
#'   1}}{\beta(\beta - 1)}}
#' and its limits: \eqn{(x - y)^2 / 2} for \eqn{\beta = 2} (half the squared
#' error), \eqn{x \log(x/y) - x + y} for \eqn{\beta = 1} (generalized
#' Kullback-Leibler) and \eqn{x/y - \log(x/y) - 1} for \eqn{\beta = 0}
#' (Itakura-Saito). At \eqn{x = 0} the divergence is \eqn{y^\beta / \beta}
#' for \eqn{\beta > 0} and infinite for \eqn{\beta \le 0}, so zeros in `x`
#' are refused for \eqn{\beta \le 0}. For \eqn{\beta > 0} a subnormal
#' datum (below `.Machine$double.xmin`) counts as the zero it approaches, and
#' a ratio \eqn{x/y} that over- or underflows is taken in log space, so that
#' for example \eqn{d_1(1 | 5 \times 10^{-324}) \approx 743.4} is finite. The
#' magnitude limits of [nmf_fit()] (section "Range of the data") apply to
#' `x` and `mu`.
#'
#' When `mu` is an `nmf_fit` and `x` is sparse, the sum is computed exactly
#' without forming the dense model: the zeros enter through closed forms
#' (\eqn{\beta = 1, 2}) or a streamed pass over the columns.
#'
#' @param x Non-negative data: a matrix, a sparse Matrix, a
#'   `SummarizedExperiment` (then `assay` chooses the assay) or a
#'   `DelayedArray`, as for [nmf_fit()].
#' @param mu The model: a non-negative matrix of the same shape as `x`, or an
#'   `nmf_fit` (then \eqn{\mu = WH}).
#' @param beta A number or a name as in [nmf_fit()].
#' @param mask `NULL` or a logical (or 0/1) matrix, dense or sparse, of the
#'   shape of `x`; `TRUE` entries are left out of the sum, and so are `NA`
#'   entries of `x`.
#' @param weights `NULL` or a non-negative matrix (dense, or sparse with
#'   weight zero where it stores nothing) of the shape of `x`; each term is
#'   multiplied by its weight.
#' @param threads Number of threads for an `nmf_fit` model (see [nmf_fit()]).
#' @param ... Arguments passed to methods: `assay` for a
#'   `SummarizedExperiment`; the default method takes none.
#' @param assay For a `SummarizedExperiment`, the assay (name or index).
#' @return A single number.
#' @examples
#' x <- matrix(c(1, 2, 0, 4), 2)
#' mu <- matrix(c(1.5, 2, 0.5, 3), 2)
#' beta_divergence(x, mu, beta = 2) # sum((x - mu)^2) / 2
#' beta_divergence(x, mu, beta = "kl")
#' beta_divergence(x + 1, mu, beta = "is")
#' @export
beta_divergence <- function(x, mu, beta, mask = NULL, weights = NULL, threads = NULL,
                            ...) {
  UseMethod("beta_divergence")
}

#' @rdname beta_divergence
#' @export
beta_divergence.default <- function(x, mu, beta, mask = NULL, weights = NULL,
                                    threads = NULL, ...) {
  reject_assay(list(...), x)
  check_no_dots(list(...), "beta_divergence()",
                "the data go in `x`, the model in `mu`")
  if (missing(beta)) stop("`beta` is missing: give a number or a name such as \"kl\"", call. = FALSE)
  beta <- resolve_beta(beta)
  data <- prepare_data(x, mask, weights, beta, "x",
                       remedy = "add a positive constant to both `x` and `mu` on purpose")
  x <- data$x
  spec <- data$spec
  if (inherits(mu, "nmf_fit")) {
    if (nrow(mu$W) != nrow(x) || ncol(mu$H) != ncol(x)) {
      stop(sprintf("`mu` models a %d x %d matrix but `x` is %d x %d", nrow(mu$W),
                   ncol(mu$H), nrow(x), ncol(x)), call. = FALSE)
    }
    return(cpp_divergence(x, unname(mu$W), unname(mu$H), beta, spec,
                          resolve_threads(threads)))
  }
  if (methods::is(mu, "sparseMatrix")) check_sparse_slots(mu, "mu")
  if (methods::is(mu, "Matrix")) mu <- as.matrix(mu)
  if (!is.numeric(mu) || !is.matrix(mu)) {
    stop(sprintf("`mu` must be a numeric matrix or an nmf_fit; got %s", describe(mu)),
         call. = FALSE)
  }
  if (nrow(mu) != nrow(x) || ncol(mu) != ncol(x)) {
    stop(sprintf("`mu` must be %d x %d like `x`; got %d x %d", nrow(x), ncol(x),
                 nrow(mu), ncol(mu)), call. = FALSE)
  }
  if (anyNA(mu) || any(!is.finite(mu)) || any(mu < 0)) {
    stop(sprintf("`mu` must have finite, non-negative entries; got %s", describe(mu)),
         call. = FALSE)
  }
  check_magnitude(max(mu), if (any(mu > 0)) min(mu[mu > 0]) else 0, beta, "mu")
  storage.mode(mu) <- "double"
  w <- if (is.null(spec)) 1 else spec$base + as.matrix(spec$delta)
  w <- array(w, dim(mu))
  d <- elementwise_divergence(as.matrix(x), mu, beta)
  sum(w[w > 0] * d[w > 0])
}

# d_beta(x | mu) element by element (two double matrices of one shape), by
# the core's definition (divergence.hpp), with its limits at zero.
elementwise_divergence <- function(x, mu, beta) {
  cpp_elementwise_divergence(x, mu, beta)
}
