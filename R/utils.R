# Runtime settings shared by every entry point.

# Thread count: the argument, else option betanmf.threads, else the
# environment variable BETANMF_THREADS, else the physical cores.
resolve_threads <- function(threads) {
  if (is.null(threads)) threads <- getOption("betanmf.threads")
  if (is.null(threads)) {
    env <- Sys.getenv("BETANMF_THREADS", "")
    if (nzchar(env)) {
      threads <- suppressWarnings(as.integer(env))
      if (is.na(threads) || threads < 1L) {
        stop("environment variable BETANMF_THREADS must be a whole number >= 1; ",
             "it is \"", env, "\"", call. = FALSE)
      }
    }
  }
  if (is.null(threads)) {
    threads <- parallel::detectCores(logical = FALSE)
    if (is.na(threads) || threads < 1L) threads <- 1L
  }
  check_count(threads, "threads", max = 1024L)
  as.integer(threads)
}

# A seed from R's RNG when none is given, so set.seed() governs every result.
resolve_seed <- function(seed) {
  if (is.null(seed)) return(sample.int(.Machine$integer.max, 1L))
  check_count(seed, "seed", min = 0L)
  as.integer(seed)
}

# Seed of restart k (k >= 2) derived from the seed of the call: a fixed,
# thread-independent function of both.
restart_seed <- function(seed, k) {
  as.integer((as.numeric(seed) + 104729 * (k - 1)) %% .Machine$integer.max)
}

# Canonical beta: a number, or one of the names of DESIGN section 3.
resolve_beta <- function(beta) {
  if (is.character(beta)) {
    if (length(beta) != 1L || is.na(beta)) {
      stop("`beta` must be a single number or name; got ", length(beta),
           " values", call. = FALSE)
    }
    names_map <- c(gaussian = 2, frobenius = 2, euclidean = 2, poisson = 1,
                   kl = 1, "kullback-leibler" = 1, gamma = 0,
                   "itakura-saito" = 0, is = 0)
    key <- tolower(beta)
    if (!key %in% names(names_map)) {
      stop("`beta` must be a number or one of ",
           paste0("\"", names(names_map), "\"", collapse = ", "),
           "; got \"", beta, "\"", call. = FALSE)
    }
    return(unname(names_map[[key]]))
  }
  if (!is.numeric(beta) || length(beta) != 1L || !is.finite(beta)) {
    stop("`beta` must be a single finite number or a name such as \"kl\"; got ",
         describe(beta), call. = FALSE)
  }
  as.numeric(beta)
}

beta_label <- function(beta) {
  if (beta == 2) return("half squared error")
  if (beta == 1) return("Kullback-Leibler")
  if (beta == 0) return("Itakura-Saito")
  "beta-divergence"
}
