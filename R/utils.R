# Small utilities shared by every file: defaults, the descriptions that
# error messages quote, seeds and thread counts, and warning collection.

`%||%` <- function(a, b) if (is.null(a)) b else a

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

# The first k indices of `idx`, for messages.
show_some <- function(idx, k = 5L) {
  s <- paste(utils::head(idx, k), collapse = ", ")
  if (length(idx) > k) paste0(s, ", ...") else s
}

# Thread count when the call gives none: option betanmf.threads, else the
# environment variable BETANMF_THREADS, else the cores the process may use.
default_threads <- function() {
  threads <- getOption("betanmf.threads")
  if (!is.null(threads)) return(threads)
  env <- Sys.getenv("BETANMF_THREADS", "")
  if (nzchar(env)) {
    threads <- suppressWarnings(as.integer(env))
    if (is.na(threads) || threads < 1L) {
      stop(sprintf("environment variable BETANMF_THREADS must be a whole number >= 1; got \"%s\"",
                   env), call. = FALSE)
    }
    return(threads)
  }
  usable_cores()
}

# The cores this process may use: the physical cores, capped by
# parallelly::availableCores() when it is installed (cgroup CPU quotas and
# sets, the scheduler's allocation, option mc.cores,
# _R_CHECK_LIMIT_CORES_), else by _R_CHECK_LIMIT_CORES_ (2 when set, as R
# CMD check asks), and by OMP_NUM_THREADS when it is a whole number. At
# least 1.
usable_cores <- function() {
  n <- suppressWarnings(parallel::detectCores(logical = FALSE))
  if (is.na(n) || n < 1L) n <- 1L
  if (requireNamespace("parallelly", quietly = TRUE)) {
    n <- min(n, parallelly::availableCores())
  } else {
    limit <- Sys.getenv("_R_CHECK_LIMIT_CORES_", "")
    if (nzchar(limit) && !identical(tolower(limit), "false")) n <- min(n, 2L)
  }
  omp <- suppressWarnings(as.integer(Sys.getenv("OMP_NUM_THREADS", "")))
  if (!is.na(omp) && omp >= 1L) n <- min(n, omp)
  max(1L, as.integer(n))
}

# Stops unless package `pkg` is installed; `what` says what needs it.
need_package <- function(pkg, what) {
  if (!requireNamespace(pkg, quietly = TRUE)) {
    stop(sprintf("%s needs the %s package; install it with %s", what, pkg,
                 if (pkg %in% c("SummarizedExperiment", "SingleCellExperiment", "S4Vectors",
                                "DelayedArray", "HDF5Array"))
                   sprintf("BiocManager::install(\"%s\")", pkg) else
                   sprintf("install.packages(\"%s\")", pkg)), call. = FALSE)
  }
  invisible(TRUE)
}

# A seed from R's random number generator, so set.seed() governs results.
draw_seed <- function() sample.int(.Machine$integer.max, 1L)

# Seed of restart k (k >= 2) derived from the seed of the call: a fixed,
# thread-independent function of both.
restart_seed <- function(seed, k) {
  as.integer((as.numeric(seed) + 104729 * (k - 1)) %% .Machine$integer.max)
}

beta_label <- function(beta) {
  if (beta == 2) return("half squared error")
  if (beta == 1) return("Kullback-Leibler")
  if (beta == 0) return("Itakura-Saito")
  "beta-divergence"
}

# Evaluates `expr`, muffling its warnings; returns the value and the
# warning messages.
catch_warnings <- function(expr) {
  caught <- character(0)
  value <- withCallingHandlers(expr, warning = function(w) {
    caught <<- c(caught, conditionMessage(w))
    invokeRestart("muffleWarning")
  })
  list(value = value, warnings = caught)
}
