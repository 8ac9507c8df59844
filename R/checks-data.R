# Checks of the data, masks and weights every entry point takes, and of the
# range of magnitudes the core can fit; each stops with a message naming the
# argument ("`arg` must be ...; got ..."), before any C++ runs.

# Data as every entry point takes it: a double matrix or a dgCMatrix with
# finite, non-negative entries, at least one row, one column and one
# positive entry. `na_ok`: NA marks a missing value.
check_data <- function(x, arg = "x", na_ok = TRUE) {
  if (methods::is(x, "Matrix") && !methods::is(x, "sparseMatrix")) x <- as.matrix(x)
  if (methods::is(x, "sparseMatrix")) {
    check_sparse_slots(x, arg)
    x <- methods::as(methods::as(methods::as(x, "dMatrix"), "generalMatrix"),
                     "CsparseMatrix")
    values <- x@x
  } else if (is.matrix(x) && (is.numeric(x) || is.logical(x))) {
    if (!is.double(x)) storage.mode(x) <- "double"
    values <- x
  } else {
    hint <- if (is.data.frame(x)) " (convert a data.frame with as.matrix())" else ""
    stop(sprintf("`%s` must be a numeric matrix or a sparse Matrix; got %s%s", arg,
                 describe(x), hint), call. = FALSE)
  }
  if (nrow(x) < 1L || ncol(x) < 1L) {
    stop(sprintf("`%s` is empty (%d x %d); it needs at least one row and one column",
                 arg, nrow(x), ncol(x)), call. = FALSE)
  }
  if (anyNA(values)) {
    if (any(is.nan(values))) {
      stop(sprintf("`%s` contains NaN; NMF needs finite, non-negative entries (NA marks a missing value)", arg),
           call. = FALSE)
    }
    if (!na_ok) {
      stop(sprintf("`%s` contains NA; missing values are not allowed here", arg),
           call. = FALSE)
    }
    values <- values[!is.na(values)]
    if (!length(values)) {
      stop(sprintf("every entry of `%s` is missing (NA); there is nothing to factorize", arg),
           call. = FALSE)
    }
  }
  # min() and max() scan without a copy (range() concatenates its arguments)
  rng <- if (length(values)) c(min(values), max(values)) else c(0, 0)
  if (any(is.infinite(rng))) {
    stop(sprintf("`%s` contains Inf; NMF needs finite, non-negative entries", arg),
         call. = FALSE)
  }
  if (rng[1] < 0) {
    stop(sprintf("`%s` has %d negative entries (smallest %g); NMF needs non-negative data",
                 arg, sum(values < 0), rng[1]), call. = FALSE)
  }
  if (!(rng[2] > 0)) {
    stop(sprintf("`%s` is all zero; there is nothing to factorize", arg), call. = FALSE)
  }
  x
}

# A sparse Matrix object whose slots describe a valid matrix (one pass in
# C++, cpp_check_sparse()), before anything else reads them: a corrupt @p
# or @i (slot assignment, a foreign writer) would make a later pass read out
# of bounds.
check_sparse_slots <- function(x, arg) {
  problem <- cpp_check_sparse(x)
  if (nzchar(problem)) {
    stop(sprintf("`%s` is a corrupt %s: %s", arg, class(x)[1L], problem), call. = FALSE)
  }
  invisible(x)
}

# A mask of the shape m x n as the pattern of its TRUE entries (a dgCMatrix
# holding 1 at each), or NULL.
check_mask <- function(mask, m, n) {
  if (is.null(mask)) return(NULL)
  if (!methods::is(mask, "Matrix") && !is.matrix(mask)) {
    stop(sprintf("`mask` must be a logical (or 0/1) matrix, dense or sparse; got %s",
                 describe(mask)), call. = FALSE)
  }
  if (nrow(mask) != m || ncol(mask) != n) {
    stop(sprintf("`mask` must be %d x %d like `x`; got %d x %d", m, n, nrow(mask),
                 ncol(mask)), call. = FALSE)
  }
  sparse <- methods::is(mask, "sparseMatrix")
  if (sparse) {
    check_sparse_slots(mask, "mask")
    mask <- methods::as(methods::as(methods::as(mask, "dMatrix"), "generalMatrix"),
                        "CsparseMatrix")  # sums duplicates, so positions are unique
    vals <- mask@x
  } else {
    mask <- as.matrix(mask)
    if (!(is.logical(mask) || is.numeric(mask))) {
      stop(sprintf("`mask` must be a logical (or 0/1) matrix; got %s", describe(mask)),
           call. = FALSE)
    }
    vals <- mask
  }
  if (anyNA(vals)) stop("`mask` must not contain NA; got NA entries", call. = FALSE)
  if (!all(vals == 0 | vals == 1)) {
    stop("`mask` must hold TRUE/FALSE or 0/1 values; got other values", call. = FALSE)
  }
  if (!sparse) return(pattern_of(which(mask != 0), m, n))
  if (!all(vals == 1)) mask <- Matrix::drop0(mask)
  mask@Dimnames <- list(NULL, NULL)
  mask
}

# Weights of the shape m x n: a double matrix or a dgCMatrix (unlisted
# entries weigh zero), finite and non-negative.
check_weights <- function(weights, m, n) {
  if (is.null(weights)) return(NULL)
  if (!(is.matrix(weights) && is.numeric(weights)) && !methods::is(weights, "Matrix")) {
    stop(sprintf("`weights` must be a non-negative numeric matrix, dense or sparse; got %s",
                 describe(weights)), call. = FALSE)
  }
  if (nrow(weights) != m || ncol(weights) != n) {
    stop(sprintf("`weights` must be %d x %d like `x`; got %d x %d", m, n, nrow(weights),
                 ncol(weights)), call. = FALSE)
  }
  if (methods::is(weights, "sparseMatrix")) {
    check_sparse_slots(weights, "weights")
    weights <- methods::as(methods::as(methods::as(weights, "dMatrix"), "generalMatrix"),
                           "CsparseMatrix")
    vals <- weights@x
  } else {
    weights <- as.matrix(weights)
    storage.mode(weights) <- "double"
    vals <- weights
  }
  if (anyNA(vals) || any(!is.finite(vals))) {
    stop("`weights` must be finite; got NA, NaN or Inf entries", call. = FALSE)
  }
  if (any(vals < 0)) {
    stop(sprintf("`weights` must be non-negative; got %d negative entries", sum(vals < 0)),
         call. = FALSE)
  }
  weights
}

# The documented limit on the magnitude of data (or of a model): every entry
# at most .Machine$double.xmax / 1e8 (1.8e300), so that sums over up to 1e8
# entries stay finite, and every term of the beta-divergence within that
# range too: the largest entry raised to beta for beta > 1, the smallest
# positive one raised to beta for beta < 0. Inside these limits the core
# fits data of any magnitude, subnormal entries included (it scales data of
# extreme magnitude by a power of four and scales the fit back exactly).
magnitude_limit <- function() .Machine$double.xmax / 1e8

check_magnitude <- function(top, bottom, beta, arg) {
  limit <- magnitude_limit()
  remedy <- sprintf("divide `%s` by a constant c (the fit of x / c is the fit of x, with W H divided by c)",
                    arg)
  if (top > limit) {
    stop(sprintf("`%s` has entries up to %g; entries must be at most %g (.Machine$double.xmax / 1e8) so that the divergence stays finite; %s",
                 arg, top, limit, remedy), call. = FALSE)
  }
  if (beta > 1 && top > 0 && beta * log(top) > log(limit)) {
    stop(sprintf("`%s` has entries up to %g, whose beta-divergence with beta = %g exceeds double precision: the largest entry raised to beta must stay below %g, so entries up to %g; %s",
                 arg, top, beta, limit, exp(log(limit) / beta), remedy), call. = FALSE)
  }
  if (beta < 0 && bottom > 0 && beta * log(bottom) > log(limit)) {
    stop(sprintf("`%s` has positive entries down to %g, whose beta-divergence with beta = %g exceeds double precision: the smallest positive entry raised to beta must stay below %g, so entries of at least %g; multiply `%s` by a constant or use beta >= 0",
                 arg, bottom, beta, limit, exp(log(limit) / beta), arg), call. = FALSE)
  }
  invisible(TRUE)
}

# The tolerance of nmf_consensus() for setting restarts aside.
check_loss_tol <- function(loss_tol) {
  if (!is.numeric(loss_tol) || length(loss_tol) != 1L || is.na(loss_tol) || loss_tol < 0) {
    stop(sprintf("`loss_tol` must be a single non-negative number (Inf keeps every restart); got %s",
                 describe(loss_tol)), call. = FALSE)
  }
  invisible(loss_tol)
}

stop_zeros <- function(arg, n_zero, beta, remedy) {
  stop(sprintf(paste0(
    "`%s` has %.0f zero entries, where the beta-divergence with beta = %g <= 0 ",
    "is infinite; %s or use beta > 0"), arg, n_zero, beta, remedy), call. = FALSE)
}
