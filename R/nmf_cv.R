#' Choose the rank by cross-validation and stability
#'
#' Fits NMF at each rank on data with a part held out, measures the
#' divergence on the held-out part, and measures how stable the components
#' are across replicates. The rank with the lowest mean test error
#' (`rank_min`) and the smallest rank within one standard error of it
#' (`rank_1se`, as in `cv.glmnet`) are reported.
#'
#' @section Hold-out patterns:
#' * `"speckled"`: each entry is held out with probability `fraction` (a
#'   masked fit); the test error is the mean divergence on those entries.
#' * `"bicross"`: bi-cross-validation (Owen & Perry 2009). Rows and columns
#'   are held out, each with probability `sqrt(fraction)`, so that about a
#'   `fraction` of the entries sit in the held-out block \eqn{X_{IJ}}. NMF is
#'   fitted on \eqn{X_{-I,-J}}; the held-out rows' loadings are fitted on
#'   \eqn{X_{I,-J}} with H fixed, the held-out columns' scores on
#'   \eqn{X_{-I,J}} with W fixed, and their product predicts \eqn{X_{IJ}}.
#' * `"blocks"`: for time series in the columns (spike counts, calcium
#'   traces): a random half of the rows each lose one contiguous run of
#'   `round(2 * fraction * ncol(x))` columns, so the autocorrelation in time
#'   does not leak from training to test entries.
#'
#' Held-out entries are scored with model values of at least 1e-10 times
#' the mean of the training data, so that an exact zero of the model at a
#' positive count (possible under `beta <= 1`) is a large but finite error.
#'
#' The pattern depends only on the seed and the replicate (a counter-based
#' generator), never on the number of threads or workers, and every rank of
#' a replicate is tested on the same held-out entries. Within a replicate
#' all ranks start from one NNDSVD of the training data at the largest rank
#' (its leading components), which saves a decomposition per rank.
#'
#' @section Stability:
#' For each rank, the W of every pair of replicates are matched by the
#' Hungarian algorithm on the cosine similarity of their columns (see
#' [nmf_align()]); `stability` is the mean matched cosine over components and
#' pairs (1 with a single replicate). Too high a rank fits noise, and its
#' components change from one replicate to the next.
#'
#' @param x The data, as in [nmf_fit()].
#' @param ranks Ranks to compare: whole numbers between 1 and
#'   `min(nrow(x), ncol(x))` (smaller for `"bicross"`, where the fit sees
#'   only the training block).
#' @param beta The divergence, as in [nmf_fit()].
#' @param holdout `"speckled"`, `"bicross"` or `"blocks"`.
#' @param fraction The fraction of entries held out, in (0, 0.5].
#' @param replicates Number of hold-out patterns, a whole number >= 1.
#' @param ... Passed to [nmf_fit()]: `l1`, `l2`, `solver`, `control`,
#'   `offset`, `mask`, `weights` (not `init`, `restarts`, `fixed_W`,
#'   `fixed_H`, which the procedure sets itself).
#' @param seed `NULL` or a whole number; the patterns and every fit derive
#'   from it.
#' @param threads Threads of each fit (see [nmf_fit()]).
#' @param parallel `"threads"`: the fits run one after the other, each on
#'   `threads` threads. `"future"`: one task per replicate (all its ranks,
#'   which share one start) through `future.apply` under the user's
#'   [future::plan()], one thread per worker; the results are identical.
#' @param verbose If `TRUE`, report each fit with [message()].
#' @return An object of class `nmf_cv`, a list with
#'   * `results`: one row per replicate and rank: `rank`, `replicate`,
#'     `train_error` and `test_error` (mean divergence per entry),
#'     `iterations`, `seconds`;
#'   * `summary`: one row per rank: `rank`, `test_mean`, `test_se`
#'     (standard error over replicates), `train_mean`, `stability`;
#'   * `rank_min`, `rank_1se`; `beta`, `holdout`, `fraction`,
#'     `replicates`, `seed`, `call`.
#' @references Owen AB, Perry PO (2009). Bi-cross-validation of the SVD and
#'   the nonnegative matrix factorization. *Annals of Applied Statistics*
#'   3:564-594.
#' @seealso [nmf_fit()], [nmf_consensus()]
#' @examples
#' set.seed(1)
#' W <- matrix(rexp(60 * 3), 60)
#' H <- matrix(rexp(3 * 50), 3)
#' X <- matrix(rpois(60 * 50, W %*% H), 60)
#' cv <- nmf_cv(X, ranks = 1:5, beta = "kl", replicates = 2, seed = 1, threads = 1)
#' cv
#' plot(cv)
#' @export
nmf_cv <- function(x, ranks, beta = 2, holdout = c("speckled", "bicross", "blocks"),
                   fraction = 0.1, replicates = 3L, ..., seed = NULL, threads = NULL,
                   parallel = c("threads", "future"), verbose = FALSE) {
  call <- match.call()
  beta <- resolve_beta(beta)
  holdout <- match_choice(holdout, c("speckled", "bicross", "blocks"), "holdout")
  parallel <- match_choice(parallel, c("threads", "future"), "parallel")
  dots <- list(...)
  reserved <- intersect(names(dots), c("init", "restarts", "fixed_W", "fixed_H", "rank",
                                       "seed", "threads", "verbose"))
  if (length(reserved)) {
    stop(sprintf("nmf_cv() sets %s itself; remove it from the arguments",
                 paste0("`", reserved, "`", collapse = ", ")), call. = FALSE)
  }
  if (!is.numeric(fraction) || length(fraction) != 1L || !is.finite(fraction) ||
      fraction <= 0 || fraction > 0.5) {
    stop(sprintf("`fraction` must be a number in (0, 0.5]; got %s", describe(fraction)),
         call. = FALSE)
  }
  check_count(replicates, "replicates")
  replicates <- as.integer(replicates)
  offset <- dots$offset %||% 0
  check_number(offset, "offset", min = 0)
  if (offset > 0) {
    x <- as.matrix(x) + offset
    dots$offset <- NULL
  }
  checked <- prepare_data(x, dots$mask, dots$weights, beta)
  # missing values join the user's mask, so that every fit leaves them out
  dots$mask <- mask_with_missing(x, dots$mask)
  m <- nrow(checked$x)
  n <- ncol(checked$x)
  ranks <- check_ranks(ranks, if (holdout == "bicross") max(1L, min(m, n) %/% 2L) else min(m, n))
  seed <- resolve_seed(seed)
  threads <- resolve_threads(threads)
  check_flag(verbose, "verbose")

  run <- function(rep) {
    cv_replicate(x, ranks, rep, beta, holdout, fraction, dots, seed,
                 if (parallel == "future") 1L else threads, verbose)
  }
  reps <- if (parallel == "future") {
    if (!requireNamespace("future.apply", quietly = TRUE)) {
      stop("parallel = \"future\" needs the future.apply package installed", call. = FALSE)
    }
    future.apply::future_lapply(seq_len(replicates), run, future.seed = NULL,
                                future.packages = "betanmf")
  } else {
    lapply(seq_len(replicates), run)
  }
  new_nmf_cv(reps, ranks, replicates, beta, holdout, fraction, seed, call)
}

check_ranks <- function(ranks, max_rank) {
  if (missing(ranks) || !is.numeric(ranks) || !length(ranks) || anyNA(ranks) ||
      any(ranks != round(ranks)) || any(ranks < 1) || any(ranks > max_rank)) {
    stop(sprintf("`ranks` must be whole numbers between 1 and %d; got %s", max_rank,
                 if (missing(ranks)) "nothing" else describe(ranks)), call. = FALSE)
  }
  sort(unique(as.integer(ranks)))
}

match_choice <- function(x, choices, arg) {
  if (identical(x, choices)) return(choices[1L])
  if (!is.character(x) || length(x) != 1L || !x %in% choices) {
    stop(sprintf("`%s` must be one of %s; got %s", arg,
                 paste0("\"", choices, "\"", collapse = ", "), describe(x)), call. = FALSE)
  }
  x
}

# Every rank of one replicate: the pattern, one start, the fits and errors.
cv_replicate <- function(x, ranks, rep, beta, holdout, fraction, dots, seed, threads,
                         verbose) {
  fit_seed <- restart_seed(seed, rep + 1L)
  if (holdout == "bicross") {
    return(cv_bicross(x, ranks, rep, beta, fraction, dots, seed, fit_seed, threads, verbose))
  }
  m <- nrow(x)
  n <- ncol(x)
  pat <- cpp_holdout_pattern(m, n, holdout, fraction, seed, rep)
  held <- Matrix::sparseMatrix(i = pat$i + 1L, p = pat$p, x = 1, dims = c(m, n))
  mask <- held
  if (!is.null(dots$mask)) {
    user <- methods::as(methods::as(dots$mask, "dMatrix"), "CsparseMatrix")
    mask <- Matrix::drop0(((user != 0) + held) > 0) * 1
    mask <- methods::as(mask, "CsparseMatrix")
  }
  train <- cv_training(x, mask, dots$weights, beta)
  start <- cv_start(train, ranks, dots, beta, fit_seed, threads)
  test <- prepare_data(x, dots$mask, held, beta)  # weight 1 on held-out entries only
  n_test <- sum(weight_margins(test$spec, m, n)$rows)
  n_train <- sum(weight_margins(train$spec, m, n)$rows)
  y_floor <- score_floor(train$x)  # once for every rank
  rows <- lapply(ranks, function(k) {
    t0 <- proc.time()[["elapsed"]]
    fit <- cv_fit(train, k, start, beta, dots, fit_seed, threads)
    secs <- proc.time()[["elapsed"]] - t0
    test_div <- cpp_divergence(test$x, unname(fit$W), unname(fit$H), beta, test$spec,
                               threads, y_floor)
    if (verbose) {
      message(sprintf("replicate %d, rank %d: test error %.6g", rep, k, test_div / n_test))
    }
    list(row = data.frame(rank = k, replicate = rep, train_error = fit$divergence / n_train,
                          test_error = test_div / n_test, iterations = fit$iterations,
                          seconds = secs),
         W = unname(fit$W))
  })
  rows
}

# The training data of a replicate, prepared once for every rank: data and
# weights checked (prepare_data()) and the data summary of the fits.
cv_training <- function(x, mask, weights, beta) {
  train <- prepare_data(x, mask, weights, beta)
  train$summary <- data_summary(train$x, 0, train$spec)
  train
}

# One NNDSVD of the training data at the largest rank: every rank starts
# from its leading components.
cv_start <- function(train, ranks, dots, beta, seed, threads) {
  solver <- resolve_solver(dots$solver %||% "auto", beta)
  cpp_nmf_init(train$x, max(ranks), solver, "nndsvd", seed, threads)
}

# The fit of the prepared training data at rank k from the shared start;
# mask, weights and offset are already in `train`.
cv_fit <- function(train, k, start, beta, dots, seed, threads) {
  args <- c(list(train, k, beta = beta,
                 init = list(W = start$W[, seq_len(k), drop = FALSE],
                             H = start$H[seq_len(k), , drop = FALSE]),
                 seed = seed, threads = threads),
            dots[setdiff(names(dots), c("mask", "weights", "offset"))])
  suppressWarnings(do.call(nmf_fit, args))
}

# Bi-cross-validation (Owen & Perry 2009) of one replicate.
cv_bicross <- function(x, ranks, rep, beta, fraction, dots, seed, fit_seed, threads,
                       verbose) {
  lines <- cpp_holdout_bicross(nrow(x), ncol(x), fraction, seed, rep)
  I <- lines$rows
  J <- lines$cols
  sub <- function(a, rows, cols) if (is.null(a)) NULL else a[rows, cols, drop = FALSE]
  train <- cv_training(x[-I, -J, drop = FALSE], sub(dots$mask, -I, -J),
                       sub(dots$weights, -I, -J), beta)
  start <- cv_start(train, ranks, dots, beta, fit_seed, threads)
  control <- dots$control %||% nmf_control()
  pen_l1 <- resolve_penalty(dots$l1 %||% 0, "l1")
  pen_l2 <- resolve_penalty(dots$l2 %||% 0, "l2")
  left <- prepare_data(t(as.matrix(x[I, -J, drop = FALSE])), t_or_null(sub(dots$mask, I, -J)),
                       t_or_null(sub(dots$weights, I, -J)), beta)
  top <- prepare_data(x[-I, J, drop = FALSE], sub(dots$mask, -I, J),
                      sub(dots$weights, -I, J), beta)
  block <- prepare_data(x[I, J, drop = FALSE], sub(dots$mask, I, J), sub(dots$weights, I, J),
                        beta)
  n_test <- sum(weight_margins(block$spec, length(I), length(J))$rows)
  n_train <- sum(weight_margins(train$spec, nrow(train$x), ncol(train$x))$rows)
  y_floor <- score_floor(train$x)  # once for every rank
  lapply(ranks, function(k) {
    t0 <- proc.time()[["elapsed"]]
    fit <- cv_fit(train, k, start, beta, dots, fit_seed, threads)
    # loadings of the held-out rows with H fixed, scores of the held-out
    # columns with W fixed, then the prediction of the held-out block
    W_I <- t(project_factor(left$x, t(unname(fit$H)), beta, fit$solver, pen_l1["W"],
                            pen_l2["W"], left$spec, control, threads)$H)
    H_J <- project_factor(top$x, unname(fit$W), beta, fit$solver, pen_l1["H"],
                          pen_l2["H"], top$spec, control, threads)$H
    secs <- proc.time()[["elapsed"]] - t0
    test_div <- cpp_divergence(block$x, W_I, H_J, beta, block$spec, threads,
                               y_floor)
    if (verbose) {
      message(sprintf("replicate %d, rank %d: test error %.6g", rep, k, test_div / n_test))
    }
    W <- matrix(0, nrow(x), k)
    W[-I, ] <- fit$W
    W[I, ] <- W_I
    list(row = data.frame(rank = k, replicate = rep, train_error = fit$divergence / n_train,
                          test_error = test_div / n_test, iterations = fit$iterations,
                          seconds = secs),
         W = W)
  })
}

t_or_null <- function(a) if (is.null(a)) NULL else if (methods::is(a, "Matrix")) Matrix::t(a) else t(a)

# Smallest model value used to score held-out entries: 1e-10 times the mean
# of the training data (an exact zero at a positive count would make the KL
# test error infinite).
score_floor <- function(x) 1e-10 * mean_value(x)

# The user's mask (or NULL) with the missing entries of x added, as a sparse
# 0/1 matrix; NULL when there is neither.
mask_with_missing <- function(x, mask) {
  na <- if (methods::is(x, "sparseMatrix")) {
    xs <- methods::as(x, "CsparseMatrix")
    if (!anyNA(xs@x)) NULL else {
      j <- rep(seq_len(ncol(xs)), diff(xs@p))
      cbind(xs@i[is.na(xs@x)] + 1L, j[is.na(xs@x)])
    }
  } else if (anyNA(x)) {
    which(is.na(x), arr.ind = TRUE)
  }
  if (is.null(na)) return(mask)
  na_mask <- Matrix::sparseMatrix(i = na[, 1], j = na[, 2], x = 1, dims = dim(x))
  if (is.null(mask)) return(na_mask)
  user <- methods::as(methods::as(mask, "dMatrix"), "CsparseMatrix")
  methods::as(((user != 0) + na_mask > 0) * 1, "CsparseMatrix")
}
