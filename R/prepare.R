# Data and observation weights prepared once per entry point. Missing
# values (NA in x), `mask` and `weights` combine into one specification for
# the core (inst/include/betanmf/weights.hpp),
#   w_ij = base + delta_ij,
# with base = 1 and a sparse delta (-1 at masked or missing entries, w - 1
# where dense weights differ from one), or base = 0 and delta = the weights
# themselves (sparse weights: unlisted entries count zero; dense weights
# with a positive entry below 2^-10, which 1 + (w - 1) would not keep to
# full precision); NULL means every entry has weight one. One C++ pass (cpp_prepare()) then removes the
# entries of weight zero from the data and returns the summary that every
# later step reuses: weighted sum of squares, total, zeros of positive
# weight and the weight margins, which the core takes as they are.

# Checks x, mask and weights, finds the missing values, and prepares the
# data (prepare_checked()); for beta <= 0 refuses zeros that carry weight.
prepare_data <- function(x, mask = NULL, weights = NULL, beta = 2, arg = "x",
                         remedy = "add a positive constant on purpose with the `offset` argument (for example offset = 1)") {
  x <- check_data(data_matrix(x, arg = arg), arg)
  m <- nrow(x)
  n <- ncol(x)
  drop <- merge_masks(n, check_mask(mask, m, n), missing_pattern(x))
  data <- prepare_checked(x, drop, check_weights(weights, m, n))
  if (beta <= 0 && data$zeros > 0) stop_zeros(arg, data$zeros, beta, remedy)
  check_magnitude(data$summary$max, data$summary$min_positive, beta, arg)
  data
}

# The prepared data from checked parts: x (a double matrix or a dgCMatrix),
# drop (the pattern of entries left out: masked or missing, or NULL) and
# weights (checked, or NULL). An object of class "betanmf_data":
#   x        the data without its entries of weight zero (zeros there);
#   spec     the weight specification for the core, with the margins;
#   drop, weights   as given, from which cross-validation derives its parts;
#   summary  dimensions, non-zeros, sum of squares, total, offset;
#   margins  total weight of each row and column; zeros (see above).
prepare_checked <- function(x, drop, weights, offset = 0, held = NULL) {
  spec <- weight_spec(drop, weights, nrow(x), ncol(x), held)
  res <- cpp_prepare(x, spec)
  sparse <- methods::is(x, "sparseMatrix")
  if (!is.null(res$x)) {
    x <- if (sparse) csc_matrix(res$x, nrow(x), ncol(x), dimnames(x)) else {
      # res lets go of the matrix first, so that naming it does not copy it
      out <- res$x
      res$x <- NULL
      if (!is.null(dimnames(x))) dimnames(out) <- dimnames(x)
      out
    }
  }
  if (!is.null(spec)) {
    spec$rows <- res$rows
    spec$cols <- res$cols
  }
  summary <- list(nrow = nrow(x), ncol = ncol(x), sparse = sparse, max = res$max,
                  min_positive = res$min_positive,
                  nnz = if (sparse) length(x@x) else res$nonzero, sum_sq = res$sum_sq,
                  total = res$total, offset = offset, weighted = !is.null(spec))
  structure(list(x = x, spec = spec, drop = drop, weights = weights, summary = summary,
                 margins = list(rows = res$rows, cols = res$cols), zeros = res$zeros),
            class = "betanmf_data")
}

# The specification list(base, delta) for the core, or NULL for unit weights.
# `held`: NULL, or a held-out pattern that the core generates where it needs
# it (cv_held(), R/nmf_cv.R), combined with these weights there.
weight_spec <- function(drop, weights, m, n, held = NULL) {
  spec <- if (is.null(weights)) {
    if (!is.null(drop)) {
      drop@x[] <- -1
      list(base = 1, delta = drop)
    }
  } else {
    d <- cpp_weight_deltas(weights, drop)
    delta <- csc_matrix(d, m, n)
    if (d$base != 1 || length(delta@x)) list(base = d$base, delta = delta)
  }
  if (is.null(held)) return(spec)
  if (is.null(spec)) {
    spec <- list(base = 1, delta = csc_matrix(list(i = integer(0), p = integer(n + 1L),
                                                   x = numeric(0)), m, n))
  }
  spec$held <- held
  spec
}

# The union of patterns of an m x n matrix (dgCMatrix holding 1 at each
# entry, or NULL), NULL when it is empty: the one place masks are merged.
merge_masks <- function(n, ...) {
  parts <- Filter(Negate(is.null), list(...))
  if (!length(parts)) return(NULL)
  out <- parts[[1L]]
  for (p in parts[-1L]) {
    out <- csc_matrix(cpp_pattern_union(n, out, p), nrow(out), n)
  }
  if (!length(out@x)) NULL else out
}

# The pattern of the missing values (NA) of checked data, or NULL.
missing_pattern <- function(x) {
  if (methods::is(x, "sparseMatrix")) {
    # anyNA() scans without allocating; is.na() makes a logical per value
    if (!anyNA(x@x)) return(NULL)
    bad <- is.na(x@x)
    counts <- diff(x@p)
    col <- rep.int(seq_len(ncol(x)), counts)
    per_col <- tabulate(col[bad], ncol(x))
    return(methods::new("dgCMatrix", i = x@i[bad], p = c(0L, cumsum(per_col)),
                        x = rep(1, sum(bad)), Dim = dim(x)))
  }
  if (!anyNA(x)) return(NULL)
  pattern_of(which(is.na(x)), nrow(x), ncol(x))
}

# A pattern (dgCMatrix holding 1) from linear indices into an m x n matrix,
# ascending (as which() returns them).
pattern_of <- function(idx, m, n) {
  i <- as.integer((idx - 1) %% m)
  col <- (idx - 1) %/% m + 1
  methods::new("dgCMatrix", i = i, p = c(0L, cumsum(tabulate(col, n))),
               x = rep(1, length(idx)), Dim = c(as.integer(m), as.integer(n)))
}

# A dgCMatrix from list(i, p, x) of the core.
csc_matrix <- function(a, m, n, dimnames = list(NULL, NULL)) {
  methods::new("dgCMatrix", i = a$i, p = a$p, x = a$x,
               Dim = c(as.integer(m), as.integer(n)),
               Dimnames = dimnames %||% list(NULL, NULL))
}

# Warns once about rows or columns of the prepared data with no observed
# entry; stops when nothing is observed at all.
warn_unobserved <- function(data, rows_matter = TRUE) {
  mar <- data$margins
  if (sum(mar$rows) <= 0) {
    stop("every entry of `x` is masked, missing or has weight zero; nothing to fit",
         call. = FALSE)
  }
  rows <- if (rows_matter) which(mar$rows <= 0) else integer(0)
  cols <- which(mar$cols <= 0)
  if (length(rows) || length(cols)) {
    what <- c(if (length(rows)) sprintf("%d row(s) (%s)", length(rows), show_some(rows)),
              if (length(cols)) sprintf("%d column(s) (%s)", length(cols), show_some(cols)))
    warning(sprintf(paste0("%s of `x` have no observed entry (all missing, masked or of ",
                           "weight zero); their factors are set to zero"),
                    paste(what, collapse = " and ")), call. = FALSE)
  }
  invisible(NULL)
}

# The part of prepared data at rows I and columns J (indices as R takes
# them, negative to leave out), transposed when `transpose`: the roles of
# bi-cross-validation. Nothing is checked again.
subset_data <- function(data, I, J, transpose = FALSE) {
  cut <- function(a) {
    if (is.null(a)) return(NULL)
    a <- a[I, J, drop = FALSE]
    if (transpose) a <- if (methods::is(a, "Matrix")) Matrix::t(a) else t(a)
    a
  }
  x <- cut(data$x)
  drop <- cut(data$drop)
  if (!is.null(drop)) drop <- if (length(drop@x)) methods::as(drop, "CsparseMatrix") else NULL
  prepare_checked(x, drop, cut(data$weights))
}
