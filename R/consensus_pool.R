# Pooled columns for nmf_consensus(pool = ): the restarts learn W from the
# sums of `pool` neighbouring columns, and H is then refitted with W fixed at
# every column of the data. Under X ~ W H the sum of a group of columns has
# mean W times the sum of their H, so the pooled data are a factorization
# with the same W and one column of H per group (for counts, the sum of
# Poisson counts is again Poisson). See the section "A component every
# neuron shares" of ?nmf_consensus for why this matters on sparse counts.

# Checks `pool` against the prepared setup (consensus_setup()) and the
# arguments for nmf_fit() in `dots`; returns it as an integer.
check_pool <- function(pool, setup, dots) {
  check_count(pool, "pool", min = 1L)
  pool <- as.integer(pool)
  if (pool == 1L) return(pool)
  given <- intersect(c("mask", "weights"), names(Filter(Negate(is.null), dots)))
  if (length(given)) {
    stop(sprintf(paste0("`%s` cannot be used with `pool` > 1: a sum of columns has no ",
                        "weight of its own; got pool = %d"), given[1], pool), call. = FALSE)
  }
  if (!is.null(setup$data$drop)) {
    stop(sprintf(paste0("`pool` > 1 needs every entry of `x` observed; `x` has %d missing ",
                        "value(s) (NA). Use pool = 1, or fill them in"),
                 length(setup$data$drop@x)), call. = FALSE)
  }
  if (!is.character(setup$start)) {
    stop(sprintf(paste0("`init` as factors cannot be used with `pool` > 1 (its H has one ",
                        "column per column of `x`); got pool = %d"), pool), call. = FALSE)
  }
  n <- setup$data$summary$ncol
  rank <- setup$rank
  if (ceiling(n / pool) < rank) {
    most <- if (rank == 1L) n else ceiling(n / (rank - 1L)) - 1L
    stop(sprintf(paste0("`pool` = %d leaves %d pooled column(s) of the %d of `x`, fewer than ",
                        "`rank` = %d; `pool` must be at most %d"),
                 pool, ceiling(n / pool), n, rank, most), call. = FALSE)
  }
  pool
}

# The setup of the restarts: `setup` itself for pool = 1, else the same
# settings on the data with each run of `pool` neighbouring columns summed
# (the last group holds what is left, possibly fewer columns).
pool_setup <- function(setup, pool) {
  if (pool == 1L) return(setup)
  x <- setup$data$x
  n <- ncol(x)
  group <- (seq_len(n) - 1L) %/% pool + 1L
  pooled <- if (methods::is(x, "sparseMatrix")) {
    # a product with the n x groups indicator matrix, sparse throughout
    G <- Matrix::sparseMatrix(i = seq_len(n), j = group, x = 1, dims = c(n, max(group)))
    methods::as(x %*% G, "CsparseMatrix")
  } else {
    t(rowsum(t(x), group, reorder = FALSE))
  }
  dimnames(pooled) <- list(rownames(x), NULL)
  data <- prepare_checked(pooled, NULL, NULL, offset = setup$data$summary$offset)
  tryCatch(
    check_magnitude(data$summary$max, data$summary$min_positive, setup$model$beta, "x"),
    error = function(e) {
      stop(sprintf("with `pool` = %d the sums of columns of `x` are too large (use a smaller `pool`): %s",
                   pool, conditionMessage(e)), call. = FALSE)
    })
  setup$data <- data
  setup
}
