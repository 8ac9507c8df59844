# Bioconductor containers in and out: the one helper that turns what a user
# passes as data (a matrix, a sparse Matrix, a SummarizedExperiment or
# SingleCellExperiment, a DelayedArray or HDF5Array) into a matrix that
# check_data() validates, the SummarizedExperiment methods of the entry
# points, and nmf_store() / nmf_stored(), which write a fit into the object
# and read it back.

# The data of `x` for the core: the assay `assay` of a SummarizedExperiment
# (read as it is stored: a dgCMatrix assay is not copied), a DelayedArray
# read block by block (R/delayed.R), anything else unchanged (check_data()
# then validates it). `assay = NULL` means the first assay; giving an assay
# for data that is not a SummarizedExperiment is an error.
data_matrix <- function(x, assay = NULL, arg = "x") {
  if (inherits(x, "SummarizedExperiment")) {
    x <- se_assay(x, assay %||% 1L, arg)
  } else if (!is.null(assay)) {
    stop(sprintf("`assay` is used only when `%s` is a SummarizedExperiment; got `%s` as %s",
                 arg, arg, describe(x)), call. = FALSE)
  }
  if (methods::is(x, "DelayedArray")) x <- read_delayed(x, arg)
  x
}

# The assay `assay` (a name or an index) of the SummarizedExperiment x, with
# the dimnames of x.
se_assay <- function(x, assay, arg = "x") {
  need_package("SummarizedExperiment", sprintf("`%s` as a SummarizedExperiment", arg))
  names <- SummarizedExperiment::assayNames(x)
  count <- length(SummarizedExperiment::assays(x, withDimnames = FALSE))
  shown <- if (length(names)) paste0("\"", names, "\"", collapse = ", ") else "none"
  ok <- if (is.character(assay)) {
    length(assay) == 1L && !is.na(assay) && assay %in% names
  } else {
    is.numeric(assay) && length(assay) == 1L && is.finite(assay) && assay == round(assay) &&
      assay >= 1 && assay <= count
  }
  if (!ok) {
    stop(sprintf(paste0("`assay` must name an assay of `%s` (%s) or be an index between 1 ",
                        "and %d; got %s"), arg, shown, count, describe(assay)), call. = FALSE)
  }
  SummarizedExperiment::assay(x, assay, withDimnames = TRUE)
}

# `assay` given to a default method, that is for data that is not a
# SummarizedExperiment: the error that says so (not "unknown argument").
reject_assay <- function(dots, x) {
  if ("assay" %in% names(dots)) data_matrix(x, dots$assay %||% 1L)
  invisible(NULL)
}

# The call of a result as the user would write it: the generic's name, not
# the method's (update() then finds the function).
entry_call <- function(call, name) {
  call[[1L]] <- as.name(name)
  call
}

#' @rdname nmf_fit
#' @export
nmf_fit.SummarizedExperiment <- function(x, rank, beta = 2, ..., assay = 1L) {
  call <- entry_call(match.call(), "nmf_fit")
  fit <- nmf_fit.default(data_matrix(x, assay), rank, beta, ...)
  fit$call <- call
  fit
}

#' @rdname nmf_cv
#' @export
nmf_cv.SummarizedExperiment <- function(x, ranks, beta = 2,
                                        holdout = c("speckled", "bicross", "blocks"),
                                        fraction = 0.1, replicates = 3L, ..., seed = NULL,
                                        threads = NULL, parallel = c("threads", "future"),
                                        verbose = FALSE, assay = 1L) {
  call <- entry_call(match.call(), "nmf_cv")
  out <- nmf_cv.default(data_matrix(x, assay), ranks, beta, holdout, fraction, replicates,
                        ..., seed = seed, threads = threads, parallel = parallel,
                        verbose = verbose)
  out$call <- call
  out
}

#' @rdname nmf_consensus
#' @export
nmf_consensus.SummarizedExperiment <- function(x, rank, beta = 2, restarts = 20L, ...,
                                               seed = NULL, threads = NULL,
                                               parallel = c("threads", "future"),
                                               keep_fits = FALSE, loss_tol = 0.01,
                                               pool = 1L, assay = 1L) {
  call <- entry_call(match.call(), "nmf_consensus")
  out <- nmf_consensus.default(data_matrix(x, assay), rank, beta, restarts, ..., seed = seed,
                               threads = threads, parallel = parallel,
                               keep_fits = keep_fits, loss_tol = loss_tol, pool = pool)
  out$call <- call
  out
}

#' @rdname beta_divergence
#' @export
beta_divergence.SummarizedExperiment <- function(x, mu, beta, mask = NULL, weights = NULL,
                                                 threads = NULL, ..., assay = 1L) {
  beta_divergence.default(data_matrix(x, assay), mu, beta, mask, weights, threads, ...)
}

#' Store a fit in a SummarizedExperiment or SingleCellExperiment
#'
#' `nmf_store()` writes the factors of a fit into the object whose assay was
#' factorized, the way Bioconductor packages keep reduced dimensions;
#' `nmf_stored()` reads them back as the fit.
#'
#' For a `SingleCellExperiment`, `reducedDim(x, name)` holds \eqn{H^T}
#' (one row per cell, one column per component) with the basis W (one row
#' per feature) as its attribute `"basis"`, the layout of scater's
#' `runNMF()`, so that tools reading reduced dimensions (plots, clustering,
#' neighbour graphs) use the components directly. For any other
#' `SummarizedExperiment`, W is the matrix column `name` of `rowData(x)` and
#' \eqn{H^T} the matrix column `name` of `colData(x)`. In both cases
#' `metadata(x)[[name]]` holds the rest of the fit (beta, loss, history,
#' seed, call, ... : every field but the factors), from which
#' `nmf_stored()` rebuilds it. An existing entry of that name is replaced.
#'
#' @param x A `SummarizedExperiment` (or a `SingleCellExperiment`) with as
#'   many rows as the fit's W and as many columns as its H.
#' @param fit An `nmf_fit` ([nmf_fit()]) or an `nmf_consensus`
#'   ([nmf_consensus()]) of an assay of `x`.
#' @param name The name under which the fit is stored.
#' @return `nmf_store()`: `x` with the fit stored. `nmf_stored()`: the fit,
#'   an object of the class it had when stored.
#' @seealso [nmf_fit()] (which takes a `SummarizedExperiment` and an
#'   `assay`).
#' @examples
#' \donttest{
#' if (requireNamespace("SingleCellExperiment", quietly = TRUE)) {
#'   set.seed(1)
#'   counts <- matrix(rpois(40 * 30, 3), 40,
#'                    dimnames = list(paste0("gene", 1:40), paste0("cell", 1:30)))
#'   sce <- SingleCellExperiment::SingleCellExperiment(assays = list(counts = counts))
#'   fit <- nmf_fit(sce, rank = 3, beta = "kl", assay = "counts", seed = 1, threads = 1)
#'   sce <- nmf_store(sce, fit)
#'   dim(SingleCellExperiment::reducedDim(sce, "NMF"))   # 30 cells x 3 components
#'   all.equal(nmf_stored(sce)$W, fit$W)
#' }
#' }
#' @export
nmf_store <- function(x, fit, name = "NMF") {
  check_store_target(x, name)
  if (!inherits(fit, c("nmf_fit", "nmf_consensus"))) {
    stop(sprintf("`fit` must be an nmf_fit or an nmf_consensus; got %s", describe(fit)),
         call. = FALSE)
  }
  W <- fit$W
  H <- fit$H
  check_store_shape(x, W, H)
  if (is.null(colnames(W))) colnames(W) <- paste0("C", seq_len(ncol(W)))
  scores <- t(H)
  dimnames(scores) <- list(colnames(x), colnames(W))
  rownames(W) <- rownames(x)
  if (methods::is(x, "SingleCellExperiment")) {
    need_package("SingleCellExperiment", "nmf_store() on a SingleCellExperiment")
    attr(scores, "basis") <- W
    SingleCellExperiment::reducedDim(x, name) <- scores
  } else {
    SummarizedExperiment::rowData(x)[[name]] <- W
    SummarizedExperiment::colData(x)[[name]] <- scores
  }
  rest <- unclass(fit)[setdiff(names(fit), c("W", "H"))]
  S4Vectors::metadata(x)[[name]] <- c(rest, list(class = class(fit)))
  x
}

#' @rdname nmf_store
#' @export
nmf_stored <- function(x, name = "NMF") {
  check_store_target(x, name)
  rest <- S4Vectors::metadata(x)[[name]]
  if (!is.list(rest) || is.null(rest$class)) {
    stop(sprintf("`x` holds no fit stored by nmf_store() under the name \"%s\"", name),
         call. = FALSE)
  }
  if (methods::is(x, "SingleCellExperiment")) {
    scores <- SingleCellExperiment::reducedDim(x, name)
    W <- attr(scores, "basis")
    attr(scores, "basis") <- NULL
  } else {
    W <- SummarizedExperiment::rowData(x)[[name]]
    scores <- SummarizedExperiment::colData(x)[[name]]
  }
  if (!is.matrix(W) || !is.matrix(scores)) {
    stop(sprintf("the factors stored under \"%s\" in `x` are missing or not matrices", name),
         call. = FALSE)
  }
  cls <- rest$class
  rest$class <- NULL
  structure(c(list(W = as.matrix(W), H = t(as.matrix(scores))), rest), class = cls)
}

check_store_target <- function(x, name) {
  if (!inherits(x, "SummarizedExperiment")) {
    stop(sprintf("`x` must be a SummarizedExperiment or a SingleCellExperiment; got %s",
                 describe(x)), call. = FALSE)
  }
  need_package("SummarizedExperiment", "`x` as a SummarizedExperiment")
  need_package("S4Vectors", "nmf_store()")
  if (!is.character(name) || length(name) != 1L || is.na(name) || !nzchar(name)) {
    stop(sprintf("`name` must be a single non-empty string; got %s", describe(name)),
         call. = FALSE)
  }
  invisible(x)
}

# W and H must fit the object: as many rows and columns, and the same names
# where both have names.
check_store_shape <- function(x, W, H) {
  if (nrow(W) != nrow(x) || ncol(H) != ncol(x)) {
    stop(sprintf("`fit` models a %d x %d matrix but `x` is %d x %d", nrow(W), ncol(H),
                 nrow(x), ncol(x)), call. = FALSE)
  }
  differ <- function(a, b) !is.null(a) && !is.null(b) && !identical(a, b)
  if (differ(rownames(W), rownames(x)) || differ(colnames(H), colnames(x))) {
    stop("`fit` has row or column names other than those of `x`; it was fitted to other data",
         call. = FALSE)
  }
  invisible(TRUE)
}
