# Argument validation shared by all entry points. Every check stops with a
# message naming the argument, what it got and what it expects, before any
# C++ runs.

# A short description of what an argument holds, for error messages.
describe <- function(x) {
  if (is.null(x)) return("NULL")
  if (is.data.frame(x)) return(sprintf("a data frame (%d x %d)", nrow(x), ncol(x)))
  if (is.matrix(x)) return(sprintf("a %d x %d %s matrix", nrow(x), ncol(x), typeof(x)))
  if (methods::is(x, "Matrix")) {
    return(sprintf("a %d x %d %s", nrow(x), ncol(x), class(x)[1L]))
  }
  if (is.object(x)) return(sprintf("an object of class '%s'", class(x)[1L]))
  if (is.list(x)) return(sprintf("a list of length %d", length(x)))
  if (is.atomic(x) && length(x) == 1L) {
    value <- if (is.character(x)) encodeString(x, quote = "\"") else format(x)
    return(sprintf("the %s value %s", typeof(x), value))
  }
  sprintf("a %s vector of length %d", typeof(x), length(x))
}

check_count <- function(x, arg, min = 1L, max = .Machine$integer.max) {
  ok <- is.numeric(x) && length(x) == 1L && is.finite(x) && x == round(x) &&
    x >= min && x <= max
  if (!ok) {
    range <- sprintf("between %d and %d", as.integer(min), as.integer(max))
    stop(sprintf("`%s` must be a single whole number %s; got %s", arg, range,
                 describe(x)), call. = FALSE)
  }
  invisible(x)
}

check_flag <- function(x, arg) {
  if (!is.logical(x) || length(x) != 1L || is.na(x)) {
    stop(sprintf("`%s` must be a single TRUE or FALSE; got %s", arg, describe(x)),
         call. = FALSE)
  }
  invisible(x)
}

check_number <- function(x, arg, min = -Inf, min_open = FALSE) {
  ok <- is.numeric(x) && length(x) == 1L && is.finite(x) &&
    (if (min_open) x > min else x >= min)
  if (!ok) {
    stop(sprintf("`%s` must be a single finite number %s %s; got %s", arg,
                 if (min_open) ">" else ">=", format(min), describe(x)),
         call. = FALSE)
  }
  invisible(x)
}

# Brings the data to a double matrix or a dgCMatrix and checks its entries.
# `beta` decides whether zeros are allowed (not for beta <= 0).
as_nmf_data <- function(x, arg = "x", beta = 2,
                        remedy = "add a positive constant on purpose with the `offset` argument (for example offset = 1)",
                        na_ok = FALSE, check_zeros = TRUE) {
  if (methods::is(x, "Matrix") && !methods::is(x, "sparseMatrix")) x <- as.matrix(x)
  if (methods::is(x, "sparseMatrix")) {
    x <- methods::as(methods::as(methods::as(x, "dMatrix"), "generalMatrix"),
                     "CsparseMatrix")
    values <- x@x
  } else if (is.matrix(x) && (is.numeric(x) || is.logical(x))) {
    if (!is.double(x)) storage.mode(x) <- "double"
    values <- x
  } else if (is.data.frame(x)) {
    stop(sprintf("`%s` must be a numeric matrix or a sparse Matrix; got a data.frame (convert it with as.matrix())", arg),
         call. = FALSE)
  } else {
    stop(sprintf("`%s` must be a numeric matrix or a sparse Matrix; got %s", arg,
                 describe(x)), call. = FALSE)
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
  # min() and max() scan without a copy of the data (range() concatenates
  # its arguments first, a copy of the whole data)
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
  if (beta <= 0 && check_zeros) {
    n_zero <- if (methods::is(x, "sparseMatrix")) {
      as.numeric(nrow(x)) * ncol(x) - sum(values != 0)
    } else {
      sum(values == 0)
    }
    if (n_zero > 0) stop_zeros(arg, n_zero, beta, remedy)
  }
  x
}

stop_zeros <- function(arg, n_zero, beta, remedy) {
  stop(sprintf(paste0(
    "`%s` has %.0f zero entries, where the beta-divergence with beta = %g <= 0 ",
    "is infinite; %s or use beta > 0"), arg, n_zero, beta, remedy), call. = FALSE)
}

# Penalty argument: one number for both factors or a named pair c(W =, H =).
resolve_penalty <- function(p, arg) {
  if (!is.numeric(p) || !length(p) %in% c(1L, 2L) || any(!is.finite(p)) || any(p < 0)) {
    stop(sprintf("`%s` must be a non-negative number or a named pair c(W = , H = ); got %s",
                 arg, describe(p)), call. = FALSE)
  }
  if (length(p) == 1L) return(c(W = p, H = p))
  if (is.null(names(p)) || !setequal(names(p), c("W", "H"))) {
    stop(sprintf("`%s` of length 2 must be named c(W = , H = ); got names %s", arg,
                 paste(deparse(names(p)), collapse = "")), call. = FALSE)
  }
  p[c("W", "H")]
}

check_factor <- function(f, arg, nr, nc) {
  if (!is.numeric(f) || !is.matrix(f)) {
    stop(sprintf("`%s` must be a numeric matrix; got %s", arg, describe(f)), call. = FALSE)
  }
  if ((!is.na(nr) && nrow(f) != nr) || (!is.na(nc) && ncol(f) != nc)) {
    stop(sprintf("`%s` must have %s rows and %s columns; got %d x %d", arg,
                 if (is.na(nr)) "any number of" else nr,
                 if (is.na(nc)) "any number of" else nc, nrow(f), ncol(f)),
         call. = FALSE)
  }
  if (anyNA(f) || any(!is.finite(f)) || any(f < 0)) {
    stop(sprintf("`%s` must have finite, non-negative entries", arg), call. = FALSE)
  }
  storage.mode(f) <- "double"
  f
}

mean_value <- function(x) {
  if (methods::is(x, "sparseMatrix")) sum(x@x) / (as.numeric(nrow(x)) * ncol(x)) else mean(x)
}
