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
#'   as `object$W`, one column per new sample.
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
                            control = nmf_control(), threads = NULL, ...) {
  check_no_dots(...)
  if (missing(newdata)) stop("`newdata` is missing: give the columns to factor", call. = FALSE)
  offset <- object$data$offset %||% 0
  if (offset > 0) newdata <- as.matrix(newdata) + offset
  data <- prepare_data(newdata, mask, weights, object$beta, "newdata",
                       remedy = "add a positive constant on purpose")
  x <- data$x
  if (nrow(x) != nrow(object$W)) {
    stop(sprintf("`newdata` must have %d rows, as many as W; got %d", nrow(object$W),
                 nrow(x)), call. = FALSE)
  }
  warn_unobserved(data$spec, nrow(x), ncol(x), rows_matter = FALSE)
  control <- check_control(control)
  pen <- object$penalty %||% list(l1 = c(W = 0, H = 0), l2 = c(W = 0, H = 0))
  res <- project_factor(x, unname(object$W), object$beta, object$solver, pen$l1["H"],
                        pen$l2["H"], data$spec, control, resolve_threads(threads))
  H <- res$H
  dimnames(H) <- list(colnames(object$W), colnames(x))
  H
}

# H (r x n) minimizing the objective for x (m x n, checked) with W (m x r)
# fixed, by `solver`; returns the core's result list. Shared by predict()
# and the bi-cross-validation of nmf_cv().
project_factor <- function(x, W, beta, solver, l1_h, l2_h, spec, control, threads) {
  control$normalize <- "none"
  r <- ncol(W)
  # H0 = NULL: the core starts H flat, at the level where the model has the
  # mean of the data (zeros would never move under the multiplicative
  # updates), without an r x n start built in R.
  res <- cpp_nmf_fit(x, r, beta, solver, c(0, unname(l1_h)), c(0, unname(l2_h)), "given",
                     W, NULL, FALSE, TRUE, r, 0L, spec, control, 1, threads, FALSE)
  if (isTRUE(res$interrupted)) stop("the fit was interrupted by the user", call. = FALSE)
  res
}
