# Observation weights: missing values (NA in x), `mask` and `weights`
# combine into one specification for the core,
#   w_ij = base + delta_ij,
# with base = 1 and a sparse delta (-1 at masked or missing entries, w - 1
# where a dense weight differs from one), or base = 0 and delta = the
# weights themselves (a sparse weight matrix: unlisted entries count zero).
# NULL means every entry has weight one.

# Checks `mask` against the shape of x; returns the pattern of the masked
# entries (see positions_pattern()), or NULL.
mask_pattern <- function(mask, m, n) {
  if (is.null(mask)) return(NULL)
  if (methods::is(mask, "Matrix") || is.matrix(mask)) {
    if (nrow(mask) != m || ncol(mask) != n) {
      stop(sprintf("`mask` must be %d x %d like `x`; got %d x %d", m, n, nrow(mask),
                   ncol(mask)), call. = FALSE)
    }
  } else {
    stop(sprintf("`mask` must be a logical (or 0/1) matrix, dense or sparse; got %s",
                 describe(mask)), call. = FALSE)
  }
  if (methods::is(mask, "sparseMatrix")) {
    cm <- methods::as(methods::as(methods::as(mask, "dMatrix"), "generalMatrix"),
                      "CsparseMatrix")  # sums duplicates, so positions are unique
    vals <- cm@x
    if (anyNA(vals)) stop("`mask` must not contain NA", call. = FALSE)
    if (!all(vals == 0 | vals == 1)) {
      stop("`mask` must hold TRUE/FALSE or 0/1 values", call. = FALSE)
    }
    # already sorted and unique: used as it is (rebuilding it from positions
    # sorts every entry)
    if (!all(vals == 1)) cm <- Matrix::drop0(cm)
    cm@Dimnames <- list(NULL, NULL)
    return(cm)
  }
  mask <- as.matrix(mask)
  if (!(is.logical(mask) || is.numeric(mask))) {
    stop(sprintf("`mask` must be a logical (or 0/1) matrix; got %s", describe(mask)),
         call. = FALSE)
  }
  if (anyNA(mask)) stop("`mask` must not contain NA", call. = FALSE)
  if (!all(mask == 0 | mask == 1)) stop("`mask` must hold TRUE/FALSE or 0/1 values", call. = FALSE)
  positions_pattern(which(mask != 0, arr.ind = TRUE), m, n)
}

# A set of entries of an m x n matrix as a pattern: a dgCMatrix holding 1 at
# each of them (sorted, no repeats). From a two-column matrix of (row,
# column) positions, where repeats are allowed.
positions_pattern <- function(pos, m, n) {
  pat <- Matrix::sparseMatrix(i = pos[, 1], j = pos[, 2], x = 1, dims = c(m, n))
  pat <- methods::as(pat, "CsparseMatrix")
  pat@x[] <- 1  # repeated positions add up
  pat
}

# The (row, column) positions of a pattern's entries.
pattern_positions <- function(pat) {
  cbind(pat@i + 1L, rep.int(seq_len(ncol(pat)), diff(pat@p)))
}

# Checks `weights` against the shape of x: a dense matrix or a dgCMatrix.
check_weights <- function(weights, m, n) {
  if (is.null(weights)) return(NULL)
  ok_type <- (is.matrix(weights) && is.numeric(weights)) || methods::is(weights, "Matrix")
  if (!ok_type) {
    stop(sprintf("`weights` must be a non-negative numeric matrix, dense or sparse; got %s",
                 describe(weights)), call. = FALSE)
  }
  if (nrow(weights) != m || ncol(weights) != n) {
    stop(sprintf("`weights` must be %d x %d like `x`; got %d x %d", m, n, nrow(weights),
                 ncol(weights)), call. = FALSE)
  }
  if (methods::is(weights, "sparseMatrix")) {
    weights <- methods::as(methods::as(methods::as(weights, "dMatrix"), "generalMatrix"),
                           "CsparseMatrix")
    vals <- weights@x
  } else {
    weights <- as.matrix(weights)
    storage.mode(weights) <- "double"
    vals <- weights
  }
  if (anyNA(vals) || any(!is.finite(vals))) {
    stop("`weights` must be finite: found NA, NaN or Inf", call. = FALSE)
  }
  if (any(vals < 0)) {
    stop(sprintf("`weights` must be non-negative; found %d negative entries",
                 sum(vals < 0)), call. = FALSE)
  }
  weights
}

# The specification for the core, list(base, delta), or NULL. `masked` is
# the pattern of the masked entries (or NULL), `na_pos` the positions of the
# missing values of x.
weight_spec <- function(m, n, masked, weights, na_pos) {
  drop <- masked  # entries of weight zero whatever `weights` says
  if (!is.null(na_pos) && nrow(na_pos)) {
    na_pat <- positions_pattern(na_pos, m, n)
    if (!is.null(drop)) {
      na_pat <- methods::as(drop + na_pat, "CsparseMatrix")
      na_pat@x[] <- 1  # masked and missing
    }
    drop <- na_pat
  }
  if (!is.null(drop) && !length(drop@x)) drop <- NULL
  if (is.null(weights)) {
    if (is.null(drop)) return(NULL)
    drop@x[] <- -1
    return(list(base = 1, delta = drop))
  }
  drop_pos <- if (is.null(drop)) NULL else pattern_positions(drop)
  if (methods::is(weights, "sparseMatrix")) {
    if (!is.null(drop_pos)) weights[drop_pos] <- 0
    weights <- Matrix::drop0(weights)
    return(list(base = 0, delta = methods::as(weights, "CsparseMatrix")))
  }
  if (!is.null(drop_pos)) weights[drop_pos] <- 0
  delta <- Matrix::drop0(methods::as(weights - 1, "CsparseMatrix"))
  if (!length(delta@x)) return(NULL)
  list(base = 1, delta = methods::as(methods::as(delta, "generalMatrix"), "CsparseMatrix"))
}

# Total weight of each row and column under a specification.
weight_margins <- function(spec, m, n) {
  if (is.null(spec)) return(list(rows = rep(n, m), cols = rep(m, n)))
  list(rows = spec$base * n + Matrix::rowSums(spec$delta),
       cols = spec$base * m + Matrix::colSums(spec$delta))
}

# Warns once about rows or columns of x with no observed entry.
warn_unobserved <- function(spec, m, n, rows_matter = TRUE) {
  mar <- weight_margins(spec, m, n)
  rows <- if (rows_matter) which(mar$rows <= 0) else integer(0)
  cols <- which(mar$cols <= 0)
  if (sum(mar$rows) <= 0) {
    stop("every entry of `x` is masked, missing or has weight zero; nothing to fit",
         call. = FALSE)
  }
  if (length(rows) || length(cols)) {
    what <- c(if (length(rows)) sprintf("%d row(s) (%s)", length(rows), show_some(rows)),
              if (length(cols)) sprintf("%d column(s) (%s)", length(cols), show_some(cols)))
    warning(sprintf(paste0("%s of `x` have no observed entry (all missing, masked or of ",
                           "weight zero); their factors are set to zero"),
                    paste(what, collapse = " and ")), call. = FALSE)
  }
  invisible(NULL)
}

show_some <- function(idx, k = 5L) {
  s <- paste(utils::head(idx, k), collapse = ", ")
  if (length(idx) > k) paste0(s, ", ...") else s
}

# Positions of NA entries of x (dense or dgCMatrix) and x with them set to 0.
take_missing <- function(x) {
  if (methods::is(x, "sparseMatrix")) {
    if (!anyNA(x@x)) return(list(x = x, pos = NULL))  # no logical copy
    bad <- is.na(x@x)
    j <- rep(seq_len(ncol(x)), diff(x@p))
    pos <- cbind(x@i[bad] + 1L, j[bad])
    x@x[bad] <- 0
    return(list(x = x, pos = pos))
  }
  if (!anyNA(x)) return(list(x = x, pos = NULL))
  pos <- which(is.na(x), arr.ind = TRUE)
  x[is.na(x)] <- 0
  list(x = x, pos = pos)
}

# Zeros of x where the weight is positive, for beta <= 0.
# Only the entries listed in the weights are visited beyond one count of the
# zeros of x: nothing of size m x n is formed for sparse x.
count_weighted_zeros <- function(x, spec) {
  sparse <- methods::is(x, "sparseMatrix")
  all_zeros <- function() {
    if (sparse) as.numeric(nrow(x)) * ncol(x) - sum(x@x != 0) else sum(x == 0)
  }
  if (is.null(spec)) return(all_zeros())
  d <- spec$delta
  listed_x <- cpp_listed_values(x, d)
  listed_zero <- listed_x == 0
  w <- spec$base + d@x
  if (spec$base == 0) return(sum(listed_zero & w > 0))  # only listed entries count
  all_zeros() - sum(listed_zero & w <= 0)
}

# Data and observation weights together, as every entry point needs them:
# checks x (missing values allowed), the mask and the weights, and for
# beta <= 0 refuses zeros that carry weight. Returns a list (x, spec) of
# class "betanmf_data", which nmf_fit() also accepts in place of x (then
# `mask`, `weights` and `offset` must be left out: they are in it already).
prepare_data <- function(x, mask, weights, beta, arg = "x",
                         remedy = "add a positive constant on purpose with the `offset` argument (for example offset = 1)") {
  x <- as_nmf_data(x, arg, beta, na_ok = TRUE, check_zeros = FALSE)
  miss <- take_missing(x)
  x <- miss$x
  m <- nrow(x)
  n <- ncol(x)
  spec <- weight_spec(m, n, mask_pattern(mask, m, n), check_weights(weights, m, n),
                      miss$pos)
  x <- zero_unweighted(x, spec)
  if (beta <= 0) {
    n_zero <- count_weighted_zeros(x, spec)
    if (n_zero > 0) stop_zeros(arg, n_zero, beta, remedy)
  }
  structure(list(x = x, spec = spec), class = "betanmf_data")
}

# Sets x to zero where the weight is zero (masked entries under base 1), so
# that nothing, not even the starting factors, depends on their values.
zero_unweighted <- function(x, spec) {
  if (is.null(spec)) return(x)
  if (spec$base == 0) {
    # only the stored positive weights count: everything else becomes zero
    keep <- spec$delta > 0
    if (methods::is(x, "sparseMatrix")) {
      return(methods::as(Matrix::drop0(x * keep), "CsparseMatrix"))
    }
    return(x * as.matrix(keep))
  }
  d <- spec$delta
  if (!any(d@x == -1)) return(x)
  if (!methods::is(x, "sparseMatrix")) return(cpp_zero_masked(x, d))
  # the masked entries (and stored zeros) leave the sparse structure, in C++:
  # Matrix's sub-assignment sorts and checks every position
  slots <- cpp_drop_masked(x, d)
  methods::new("dgCMatrix", i = slots$i, p = slots$p, x = slots$x, Dim = dim(x),
               Dimnames = dimnames(x))
}
