# Tidy results: tidy(), glance() and augment() (the generics of the generics
# package, as broom defines them) for nmf_fit, nmf_cv and nmf_consensus,
# and as.data.frame() where one table is the natural view. The methods are
# registered when generics is loaded (it stays a suggested package).

#' Tidy data frames of NMF results
#'
#' Methods for the `tidy()`, `glance()` and `augment()` generics of the
#' generics package (re-exported by broom), so that fits, cross-validations
#' and consensus results go into dplyr and ggplot2 pipelines. Load generics
#' or broom, or call `generics::tidy(fit)`.
#'
#' @section Columns:
#' `tidy()` of an `nmf_fit` or `nmf_consensus`, `matrix = "W"`: one row per
#' entry of W, columns `row` (the row name of the data, or its index, as
#' character), `component` (a factor, levels in the order of the
#' components) and `value`. `matrix = "H"`: `component`, `column` (the
#' column name or index) and `value`. For an `nmf_consensus`, `matrix =
#' "stability"`: `component`, `mean`, `min` (as its `stability` field).
#'
#' `tidy()` of an `nmf_cv`: one row per rank, `rank`, `test_mean`,
#' `test_se`, `train_mean`, `stability`, `stability_min` and `chosen` (the
#' chosen ranks at that rank, such as `"rank, rank_min"`, or `""`); with
#' `what = "replicates"` one row per replicate and rank: `rank`,
#' `replicate`, `train_error`, `test_error`, `iterations`, `seconds`.
#'
#' `glance()`: one row. For an `nmf_fit`: `nrow`, `ncol`, `rank`, `beta`,
#' `solver`, `loss`, `divergence`, `relative_error` (beta = 2 only, else
#' `NA`), `iterations`, `converged`, `seconds`, `restarts`, `seed`. For an
#' `nmf_cv`: `rank`, `rank_min`, `rank_1se`, `rank_stable`, `rank_reason`,
#' `beta`, `holdout`, `fraction`, `replicates`, `seed`. For an
#' `nmf_consensus`: `rank`, `beta`, `restarts`, `pool` (columns summed per
#' column the restarts fit), `kept`, `set_aside` (counts),
#' `loss` (of the consensus fit, `NA` for a list of fits), `best_loss`,
#' `median_loss`, `stability_mean` (mean over components of the mean
#' stability) and `stability_min` (the smallest stability of any component
#' in any kept restart).
#'
#' `augment()` of an `nmf_fit` or `nmf_consensus` with the data: one row
#' per entry of the data, `row`, `column`, `value` (the data, plus the
#' fit's `offset` if it had one, that is the values the model fits),
#' `.fitted` (\eqn{(WH)_{ij}}), `.resid` (`value - .fitted`) and
#' `.divergence` (the element-wise beta-divergence
#' \eqn{d_\beta(value | .fitted)}); missing values of the data give `NA`
#' residuals and divergences. Entries go down the columns of the data (row
#' fastest). The data must fit in memory as a long table: at most
#' 50 million entries.
#'
#' `as.data.frame()` of an `nmf_cv` is `tidy()` of it (one row per rank); of
#' an `nmf_consensus` its `stability` table.
#'
#' @param x An `nmf_fit`, `nmf_cv` or `nmf_consensus`.
#' @param matrix Which factor: `"W"` or `"H"` (and, for an `nmf_consensus`,
#'   `"stability"`).
#' @param what For an `nmf_cv`: `"ranks"` (one row per rank) or
#'   `"replicates"` (one row per replicate and rank).
#' @param data The data that was factorized: a matrix, a sparse Matrix, a
#'   `SummarizedExperiment` (with `assay`) or a `DelayedArray`.
#' @param assay For a `SummarizedExperiment` `data`, the assay (name or
#'   index); `NULL` is the first.
#' @param row.names,optional Ignored (for `as.data.frame()`).
#' @param ... Not used.
#' @return A data frame with the columns listed in Columns.
#' @examples
#' set.seed(1)
#' X <- matrix(rpois(30 * 20, 4), 30)
#' fit <- nmf_fit(X, rank = 2, beta = "kl", seed = 1, threads = 1)
#' if (requireNamespace("generics", quietly = TRUE)) {
#'   head(generics::tidy(fit))
#'   generics::glance(fit)
#'   head(generics::augment(fit, data = X))
#' }
#' @name tidy-methods
NULL

#' @rdname tidy-methods
#' @exportS3Method generics::tidy
tidy.nmf_fit <- function(x, matrix = c("W", "H"), ...) {
  factor_long(x, match_choice(matrix, c("W", "H"), "matrix"))
}

#' @rdname tidy-methods
#' @exportS3Method generics::glance
glance.nmf_fit <- function(x, ...) {
  s <- summary(x)
  data.frame(nrow = s$dims[1], ncol = s$dims[2], rank = x$rank, beta = x$beta,
             solver = x$solver, loss = x$loss, divergence = x$divergence,
             relative_error = s$relative_error, iterations = x$iterations,
             converged = x$converged, seconds = s$seconds, restarts = max(1L, s$restarts),
             seed = x$seed %||% NA_integer_)
}

#' @rdname tidy-methods
#' @exportS3Method generics::augment
augment.nmf_fit <- function(x, data, assay = NULL, ...) {
  augment_factors(x, data, assay, offset = x$data$offset %||% 0)
}

#' @rdname tidy-methods
#' @exportS3Method generics::tidy
tidy.nmf_cv <- function(x, what = c("ranks", "replicates"), ...) {
  what <- match_choice(what, c("ranks", "replicates"), "what")
  if (what == "replicates") return(as.data.frame(x$results))
  s <- as.data.frame(x$summary)
  chosen <- cv_chosen(x)
  s$chosen <- chosen$label[match(s$rank, chosen$at)]
  s$chosen[is.na(s$chosen)] <- ""
  s
}

#' @rdname tidy-methods
#' @exportS3Method generics::glance
glance.nmf_cv <- function(x, ...) {
  data.frame(rank = x$rank %||% NA_integer_, rank_min = x$rank_min, rank_1se = x$rank_1se,
             rank_stable = x$rank_stable %||% NA_integer_,
             rank_reason = x$rank_reason %||% NA_character_, beta = x$beta,
             holdout = x$holdout, fraction = x$fraction, replicates = x$replicates,
             seed = x$seed %||% NA_integer_)
}

#' @rdname tidy-methods
#' @export
as.data.frame.nmf_cv <- function(x, row.names = NULL, optional = FALSE, ...) {
  tidy.nmf_cv(x)
}

#' @rdname tidy-methods
#' @exportS3Method generics::tidy
tidy.nmf_consensus <- function(x, matrix = c("W", "H", "stability"), ...) {
  matrix <- match_choice(matrix, c("W", "H", "stability"), "matrix")
  if (matrix == "stability") return(as.data.frame(x$stability))
  factor_long(x, matrix)
}

#' @rdname tidy-methods
#' @exportS3Method generics::glance
glance.nmf_consensus <- function(x, ...) {
  st <- x$stability
  data.frame(rank = x$rank, beta = x$beta %||% NA_real_, restarts = length(x$losses),
             pool = x$pool %||% 1L,
             kept = length(x$kept %||% seq_along(x$losses)), set_aside = length(x$set_aside),
             loss = x$loss, best_loss = min(x$losses), median_loss = stats::median(x$losses),
             stability_mean = mean(st$mean), stability_min = min(st$min))
}

#' @rdname tidy-methods
#' @exportS3Method generics::augment
augment.nmf_consensus <- function(x, data, assay = NULL, ...) {
  augment_factors(x, data, assay, offset = 0)
}

#' @rdname tidy-methods
#' @export
as.data.frame.nmf_consensus <- function(x, row.names = NULL, optional = FALSE, ...) {
  as.data.frame(x$stability)
}

# ---- helpers shared with the figures (R/autoplot.R) -------------------------

# Names of the components of a result: its column names of W, else C1, ...
component_labels <- function(W) colnames(W) %||% paste0("C", seq_len(ncol(W)))

# Names of rows (or columns): the names, else the indices, as character.
line_labels <- function(names, n) names %||% as.character(seq_len(n))

# W or H of a fit (or anything with W and H) as a long data frame: for W
# the columns row, component, value (row fastest); for H component,
# column, value (component fastest).
factor_long <- function(x, which) {
  comps <- component_labels(x$W)
  comp <- function(v) factor(v, levels = comps)
  if (which == "W") {
    W <- x$W
    return(data.frame(row = rep(line_labels(rownames(W), nrow(W)), times = ncol(W)),
                      component = comp(rep(comps, each = nrow(W))),
                      value = as.vector(W), stringsAsFactors = FALSE))
  }
  H <- x$H
  data.frame(component = comp(rep(comps, times = ncol(H))),
             column = rep(line_labels(colnames(H), ncol(H)), each = nrow(H)),
             value = as.vector(H), stringsAsFactors = FALSE)
}

# One row per entry of `data` with the model W H of `x`: value, fitted
# value, residual and element-wise divergence (see tidy-methods).
augment_factors <- function(x, data, assay, offset) {
  if (missing(data)) {
    stop("`data` is missing: augment() needs the matrix that was factorized", call. = FALSE)
  }
  X <- check_data(data_matrix(data, assay, "data"), "data")
  m <- nrow(x$W)
  n <- ncol(x$H)
  if (nrow(X) != m || ncol(X) != n) {
    stop(sprintf("`data` must be %d x %d like the fitted model; got %d x %d", m, n,
                 nrow(X), ncol(X)), call. = FALSE)
  }
  if (as.numeric(m) * n > 5e7) {
    stop(sprintf(paste0("`data` has %.0f entries; augment() makes one row per entry and ",
                        "takes at most 50 million (use a subset of rows or columns)"),
                 as.numeric(m) * n), call. = FALSE)
  }
  value <- as.matrix(X) + offset
  mu <- x$W %*% x$H
  missing_value <- is.na(value)
  filled <- value
  filled[missing_value] <- mu[missing_value]
  div <- elementwise_divergence(filled, mu, x$beta %||% 2)
  div[missing_value] <- NA_real_
  data.frame(row = rep(line_labels(rownames(X) %||% rownames(x$W), m), times = n),
             column = rep(line_labels(colnames(X) %||% colnames(x$H), n), each = m),
             value = as.vector(value), .fitted = as.vector(mu),
             .resid = as.vector(value - mu), .divergence = as.vector(div),
             stringsAsFactors = FALSE)
}
