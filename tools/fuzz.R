# Randomized calls of the public API, seeded, to find what the hand-made
# tests miss. Each call draws data (dense or sparse, 1 to 30 rows and
# columns, at a random scale from 1e-320 to 1e299, with zeros, missing
# values, outliers up to 1e16 times the rest and subnormal entries), a
# beta, a solver, a rank, masks, weights, known components and starts, and
# one of nmf_fit(), predict(), beta_divergence(), nmf_cv() and
# nmf_consensus(). It reports, with the seed of each offending call:
#   crash      the R process died (calls run in child processes, in chunks);
#   hang       a call ran longer than `limit` seconds;
#   unnamed    an error whose message names no argument, or an internal error;
#   nonfinite  a result with a non-finite factor, loss or history value,
#              where a finite one exists;
#   increase   a recorded objective that rose by more than 1e-8 of itself
#              (1e-5 for BCD, whose steps round at that level when an
#              outlier dominates ||X||^2) plus 1e-12 of its largest value
#              (the rounding of an evaluation, seen once a fit nears zero).
# Usage: Rscript tools/fuzz.R [calls = 10000] [seed = 1] [chunk = 500]
# (make fuzz). Exits non-zero when anything is reported. Needs the package
# installed; run from the root of the repository.

args <- commandArgs(trailingOnly = TRUE)
calls <- if (length(args) >= 1L) as.integer(args[[1L]]) else 10000L
seed <- if (length(args) >= 2L) as.integer(args[[2L]]) else 1L
chunk <- if (length(args) >= 3L) as.integer(args[[3L]]) else 500L
limit <- 20

# ---- one call -------------------------------------------------------------------

fuzz_data <- function(m, n) {
  kind <- sample(c("counts", "positive", "sparse", "wide"), 1L)
  x <- switch(kind,
    counts = matrix(stats::rpois(m * n, stats::runif(1, 0.1, 8)), m),
    positive = matrix(stats::rexp(m * n), m) + stats::runif(1, 0, 1),
    sparse = matrix(stats::rpois(m * n, 2) * (stats::runif(m * n) < stats::runif(1, 0.02, 0.5)), m),
    wide = matrix(exp(stats::rnorm(m * n, 0, 3)), m))
  storage.mode(x) <- "double"
  if (stats::runif(1) < 0.15) x[sample.int(length(x), 1L)] <- max(x, 1) * 10^stats::runif(1, 3, 16)
  if (stats::runif(1) < 0.1) x[sample.int(length(x), 1L)] <- 10^stats::runif(1, -323, -308)
  if (stats::runif(1) < 0.2) x <- x * 10^stats::runif(1, -320, 299) / max(x, 1)
  if (stats::runif(1) < 0.1) x[sample.int(length(x), max(1L, length(x) %/% 10L))] <- NA
  if (all(is.na(x) | x == 0)) x[1] <- 1
  x
}

fuzz_call <- function(s) {
  set.seed(s)
  m <- sample.int(30, 1L)
  n <- sample.int(30, 1L)
  x <- fuzz_data(m, n)
  beta <- sample(list(2, 1, 0.5, 0, 1.5, 3, -0.5, "kl", "is", stats::runif(1, -1, 4)), 1L)[[1L]]
  solver <- sample(c("auto", "auto", "mu", "bcd", "cd"), 1L)
  rank <- sample.int(max(1L, min(m, n, 5L)), 1L)
  sparse <- stats::runif(1) < 0.4 && !anyNA(x)
  if (sparse) x <- methods::as(x, "CsparseMatrix")
  opts <- list(beta = beta, solver = solver, seed = s, threads = sample(1:2, 1L),
               control = nmf_control(max_iter = sample(c(5L, 50L, 200L), 1L),
                                     tol = sample(c(0, 1e-5, 1e-8), 1L)))
  if (stats::runif(1) < 0.2) opts$offset <- stats::runif(1, 0.1, 2) else
    if (is.numeric(beta) && beta <= 0 || identical(beta, "is")) opts$offset <- 1
  if (stats::runif(1) < 0.15) opts$mask <- matrix(stats::runif(m * n) < 0.2, m)
  if (stats::runif(1) < 0.15) opts$weights <- matrix(10^stats::runif(m * n, -300, 2), m)
  if (stats::runif(1) < 0.15) opts$l1 <- stats::rexp(1)
  if (stats::runif(1) < 0.1) opts$l2 <- c(W = stats::rexp(1), H = stats::rexp(1))
  what <- sample(c("fit", "fit", "fit", "known", "start", "predict", "divergence", "cv",
                   "consensus"), 1L, prob = c(3, 3, 3, 1, 1, 1, 1, 0.3, 0.3))
  if (sparse && !is.null(opts$offset)) opts$offset <- NULL
  fit_of <- function(...) do.call(nmf_fit, c(list(x, rank), opts, list(...)))
  value <- switch(what,
    fit = fit_of(),
    known = {
      k <- sample.int(rank, 1L)
      fit_of(fixed_W = matrix(stats::rexp(m * k), m) + 0.01)
    },
    start = fit_of(init = list(W = matrix(stats::rexp(m * rank) * (stats::runif(m * rank) > 0.3), m),
                               H = matrix(stats::rexp(rank * n), rank))),
    predict = predict(fit_of(), x, threads = 1L),
    divergence = {
      opts2 <- opts[intersect(names(opts), c("mask", "weights"))]
      xx <- as.matrix(x)
      xx[is.na(xx)] <- 0
      if (!is.null(opts$offset)) xx <- xx + opts$offset
      mu <- xx * stats::runif(length(xx), 0.5, 2) + 0.01
      do.call(beta_divergence, c(list(xx, mu, beta = beta), opts2))
    },
    cv = do.call(nmf_cv, c(list(x, seq_len(rank), replicates = 2L), opts)),
    consensus = do.call(nmf_consensus, c(list(x, rank, restarts = 3L),
                                         opts[setdiff(names(opts), "restarts")])))
  list(what = what, value = value, solver = solver)
}

# The problems of one call's outcome (character(0) when none).
fuzz_judge <- function(out) {
  if (inherits(out, "error")) {
    msg <- conditionMessage(out)
    if (grepl("elapsed time limit", msg)) return("hang")
    if (!grepl("`[^`]+`", msg) || grepl("internal error", msg)) return("unnamed")
    return(character(0))
  }
  v <- out$value
  fits <- if (inherits(v, "nmf_fit")) list(v) else if (inherits(v, "nmf_consensus")) list() else list()
  probs <- character(0)
  if (is.numeric(v) && !all(is.finite(v))) probs <- c(probs, "nonfinite")
  if (inherits(v, "nmf_cv") && !all(is.finite(v$results$train_error))) probs <- c(probs, "nonfinite")
  for (f in fits) {
    if (!all(is.finite(f$W)) || !all(is.finite(f$H)) || !is.finite(f$loss) ||
        !all(is.finite(f$history$loss))) probs <- c(probs, "nonfinite")
    h <- f$history$loss
    if (length(h) >= 2L && all(is.finite(h))) {
      slack <- if (f$solver == "bcd") 1e-5 else 1e-8
      # rounding of an evaluation is some eps times the terms, which the
      # first value bounds: a fit that reaches zero may show 1e-16 after 1e-100
      # the size of the terms an evaluation sums: sum y^beta / beta for beta > 0
      y <- fitted(f)
      terms <- if (f$beta > 0) sum(y^f$beta) / f$beta else length(y)
      rise <- diff(h) - slack * abs(h[-length(h)]) - 1e-12 * max(c(h, terms))
      if (any(rise > 0)) probs <- c(probs, "increase")
    }
  }
  unique(probs)
}

fuzz_chunk <- function(seeds, progress) {
  suppressPackageStartupMessages(library(betanmf))
  rows <- vector("list", length(seeds))
  for (k in seq_along(seeds)) {
    s <- seeds[k]
    writeLines(as.character(s), progress)
    setTimeLimit(elapsed = limit, transient = TRUE)
    t0 <- proc.time()[["elapsed"]]
    out <- tryCatch(suppressWarnings(fuzz_call(s)), error = function(e) e)
    setTimeLimit(elapsed = Inf)
    probs <- fuzz_judge(out)
    rows[[k]] <- data.frame(seed = s, what = if (inherits(out, "error")) "error" else out$what,
                            problem = if (length(probs)) paste(probs, collapse = "+") else "",
                            message = if (inherits(out, "error")) substr(conditionMessage(out), 1, 120) else "",
                            seconds = proc.time()[["elapsed"]] - t0)
  }
  do.call(rbind, rows)
}

# ---- driver: chunks in child processes -------------------------------------------

if (identical(Sys.getenv("BETANMF_FUZZ_CHILD"), "")) {
  # seed 1 draws the calls 4 .. calls + 3, each further seed the next
  # `calls`, so that different seeds never repeat a call
  seeds <- 3L + (seed - 1L) * calls + seq_len(calls)
  starts <- seq(1L, calls, by = chunk)
  dir <- tempfile("fuzz")
  dir.create(dir)
  results <- list()
  crashes <- integer(0)
  t0 <- proc.time()[["elapsed"]]
  for (b in seq_along(starts)) {
    idx <- starts[b]:min(calls, starts[b] + chunk - 1L)
    saveRDS(seeds[idx], file.path(dir, "seeds.rds"))
    status <- system2(file.path(R.home("bin"), "Rscript"), c("tools/fuzz.R"),
                      env = c("BETANMF_FUZZ_CHILD=1", paste0("BETANMF_FUZZ_DIR=", dir)),
                      stdout = FALSE, stderr = FALSE)
    res_file <- file.path(dir, "result.rds")
    if (status != 0L || !file.exists(res_file)) {
      last <- as.integer(readLines(file.path(dir, "progress"), warn = FALSE))
      crashes <- c(crashes, last)
      message(sprintf("chunk %d: the R process died at the call of seed %d", b, last))
      next
    }
    results[[b]] <- readRDS(res_file)
    unlink(res_file)
  }
  res <- do.call(rbind, results)
  counts <- c(calls = nrow(res) + length(crashes), crash = length(crashes),
              hang = sum(grepl("hang", res$problem)),
              unnamed = sum(grepl("unnamed", res$problem)),
              nonfinite = sum(grepl("nonfinite", res$problem)),
              increase = sum(grepl("increase", res$problem)),
              errors = sum(res$what == "error"))
  message(sprintf("fuzz: %d calls in %.0f s (seed %d): %d crash, %d hang, %d unnamed error, %d non-finite, %d objective increase (%d clear errors)",
                  counts[["calls"]], proc.time()[["elapsed"]] - t0, seed, counts[["crash"]],
                  counts[["hang"]], counts[["unnamed"]], counts[["nonfinite"]],
                  counts[["increase"]], counts[["errors"]]))
  bad <- res[nzchar(res$problem), ]
  if (nrow(bad)) {
    bad$message <- substr(bad$message, 1, 70)
    print(utils::head(bad[c("seed", "what", "problem", "message")], 40), row.names = FALSE)
  }
  tab <- table(res$what)
  message(paste(sprintf("%s: %d", names(tab), as.integer(tab)), collapse = ", "))
  quit(status = if (length(crashes) || nrow(bad)) 1L else 0L)
} else {
  dir <- Sys.getenv("BETANMF_FUZZ_DIR")
  out <- fuzz_chunk(readRDS(file.path(dir, "seeds.rds")), file.path(dir, "progress"))
  saveRDS(out, file.path(dir, "result.rds"))
}
