#' Factor new columns with a fitted W
#'
#' Holds the fitted W fixed and finds the non-negative H that minimizes the
#' same objective (same beta, same penalties on H) for new columns of data,
#' with the same solver. A fit made with an `offset` adds the same constant
#' to `newdata`. This is the projection used to score new samples on
#' known components.
#'
#' @param object An `nmf_fit`.
#' @param newdata A non-negative matrix (dense or sparse) with as many rows
#'   as `object$W`, one column per new sample; or a `SummarizedExperiment`
#'   (with `assay`) or a `DelayedArray`, as for [nmf_fit()].
#' @param assay For a `SummarizedExperiment` `newdata`, the assay (name or
#'   index); `NULL` is the first.
#' @param control Settings from [nmf_control()]; `max_iter` and `tol` bound
#'   the projection.
#' @param mask,weights Masked entries and observation weights of `newdata`,
#'   as in [nmf_fit()]; `NA` entries of `newdata` are left out.
#' @param threads Number of threads (see [nmf_fit()]).
#' @param ... Not used.
#' @return The r x n matrix H for the columns of `newdata` (row names: the
#'   components; column names: those of `newdata`).
#' @examples
#' set.seed(3)
#' X <- matrix(rpois(40 * 60, 4), 40)
#' fit <- nmf_fit(X[, 1:50], rank = 3, threads = 1)
#' H_new <- predict(fit, X[, 51:60], threads = 1)
#' dim(H_new)
#' @export
predict.nmf_fit <- function(object, newdata, mask = NULL, weights = NULL,
                            control = nmf_control(), threads = NULL, ..., assay = NULL) {
  check_no_dots(list(...), "predict()",
                "give the data in `newdata`, settings in control = nmf_control()")
  if (missing(newdata)) stop("`newdata` is missing: give the columns to factor", call. = FALSE)
  newdata <- data_matrix(newdata, assay, "newdata")
  offset <- object$data$offset %||% 0
  data <- prepare_data(if (offset > 0) as.matrix(newdata) + offset else newdata, mask,
                       weights, object$beta, "newdata",
                       remedy = "add a positive constant on purpose")
  if (nrow(data$x) != nrow(object$W)) {
    stop(sprintf("`newdata` must have %d rows, as many as W; got %d", nrow(object$W),
                 nrow(data$x)), call. = FALSE)
  }
  warn_unobserved(data, rows_matter = FALSE)
  pen <- object$penalty %||% list(l1 = c(W = 0, H = 0), l2 = c(W = 0, H = 0))
  model <- list(beta = object$beta, solver = object$solver, l1 = pen$l1, l2 = pen$l2,
                control = check_control(control))
  H <- project(data, unname(object$W), model, resolve_threads(threads))$H
  dimnames(H) <- list(colnames(object$W), colnames(data$x))
  H
}
