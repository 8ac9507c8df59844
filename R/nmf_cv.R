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
  holdout <- match_choice(holdout, c("speckled", "bicross", "blocks"), "holdout")
  parallel <- match_choice(parallel, c("threads", "future"), "parallel")
  dots <- cv_dots(list(...))
  model <- resolve_model(beta, dots$solver %||% "auto", dots$l1 %||% 0, dots$l2 %||% 0,
                         dots$control %||% nmf_control())
  if (!is.numeric(fraction) || length(fraction) != 1L || !is.finite(fraction) ||
      fraction <= 0 || fraction > 0.5) {
    stop(sprintf("`fraction` must be a number in (0, 0.5]; got %s", describe(fraction)),
         call. = FALSE)
  }
  check_count(replicates, "replicates")
  replicates <- as.integer(replicates)
  offset <- dots$offset %||% 0
  check_number(offset, "offset", min = 0)
  data <- prepare_data(if (offset > 0) as.matrix(x) + offset else x, dots$mask,
                       dots$weights, model$beta)
  m <- nrow(data$x)
  n <- ncol(data$x)
  ranks <- check_ranks(ranks, if (holdout == "bicross") max(1L, min(m, n) %/% 2L) else
    min(m, n))
  seed <- resolve_seed(seed)
  threads <- resolve_threads(threads)
  check_flag(verbose, "verbose")

  run <- function(rep) {
    cv_replicate(data, ranks, rep, model, holdout, fraction, seed,
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
  new_nmf_cv(reps, ranks, replicates, model$beta, holdout, fraction, seed, call)
}

# The arguments of `...` that nmf_cv() passes on to its fits; those the
# procedure sets itself, and unknown ones, are errors that name them.
cv_dots <- function(dots) {
  reserved <- intersect(names(dots), c("init", "restarts", "fixed_W", "fixed_H", "rank",
                                       "seed", "threads", "verbose"))
  if (length(reserved)) {
    stop(sprintf("nmf_cv() sets %s itself; remove it from the arguments",
                 paste0("`", reserved, "`", collapse = ", ")), call. = FALSE)
  }
  allowed <- c("l1", "l2", "solver", "control", "offset", "mask", "weights")
  nm <- names(dots) %||% rep("", length(dots))
  check_no_dots(dots[!nm %in% allowed], "nmf_cv()",
                sprintf("`...` takes %s", paste0("`", allowed, "`", collapse = ", ")))
  dots
}

# Every rank of one replicate: the held-out pattern, the parts of the data
# (each prepared once for all ranks), one start, the fits and their errors.
cv_replicate <- function(data, ranks, rep, model, holdout, fraction, seed, threads,
                         verbose) {
  fit_seed <- restart_seed(seed, rep + 1L)
  parts <- if (holdout == "bicross") {
    cv_parts_bicross(data, fraction, seed, rep)
  } else {
    cv_parts_entries(data, holdout, fraction, seed, rep)
  }
  train <- parts$train
  start <- start_factors(train$x, max(ranks), model$solver, "nndsvd", fit_seed, threads)
  n_test <- sum(parts$test$margins$rows)
  n_train <- sum(train$margins$rows)
  y_floor <- score_floor(train)  # once for every rank
  lapply(ranks, function(k) {
    t0 <- proc.time()[["elapsed"]]
    fit <- run_fit(train, k, model,
                   list(W = start$W[, seq_len(k), drop = FALSE],
                        H = start$H[seq_len(k), , drop = FALSE]),
                   no_fixed(), fit_seed, threads)
    pred <- cv_predict(parts, fit, model, threads)
    secs <- proc.time()[["elapsed"]] - t0
    test_div <- cpp_divergence(parts$test$x, pred$W, pred$H, model$beta, parts$test$spec,
                               threads, y_floor)
    if (verbose) {
      message(sprintf("replicate %d, rank %d: test error %.6g", rep, k, test_div / n_test))
    }
    list(row = data.frame(rank = k, replicate = rep, train_error = fit$divergence / n_train,
                          test_error = test_div / n_test, iterations = fit$iterations,
                          seconds = secs),
         W = pred$W_all)
  })
}

# Speckled and blocks hold-outs: the training data lose the held-out
# entries; the test data are the held-out entries, each with the weight it
# has in the data (as the test block of bi-cross-validation).
cv_parts_entries <- function(data, holdout, fraction, seed, rep) {
  m <- nrow(data$x)
  n <- ncol(data$x)
  pat <- cpp_holdout_pattern(m, n, holdout, fraction, seed, rep)
  held <- methods::new("dgCMatrix", i = pat$i, p = pat$p, x = rep(1, length(pat$i)),
                       Dim = c(as.integer(m), as.integer(n)))
  list(train = prepare_checked(data$x, merge_masks(n, data$drop, held), data$weights),
       test = prepare_checked(data$x, data$drop,
                              if (is.null(data$weights)) held else
                                methods::as(held * data$weights, "CsparseMatrix")))
}

# Bi-cross-validation (Owen & Perry 2009): rows I and columns J held out;
# the fit sees X[-I, -J]; X[I, -J] (transposed) and X[-I, J] give the
# held-out rows' loadings and columns' scores; X[I, J] is the test block.
cv_parts_bicross <- function(data, fraction, seed, rep) {
  lines <- cpp_holdout_bicross(nrow(data$x), ncol(data$x), fraction, seed, rep)
  I <- lines$rows
  J <- lines$cols
  list(I = I, J = J, m = nrow(data$x),
       train = subset_data(data, -I, -J),
       left = subset_data(data, I, -J, transpose = TRUE),
       top = subset_data(data, -I, J),
       test = subset_data(data, I, J))
}

# The factors that predict the test data from a fit of the training data:
# the fit itself for entry hold-outs; for bi-cross-validation the loadings
# of the held-out rows with H fixed and the scores of the held-out columns
# with W fixed. W_all: the loadings of every row, for the stability.
cv_predict <- function(parts, fit, model, threads) {
  if (is.null(parts$I)) return(list(W = fit$W, H = fit$H, W_all = fit$W))
  flip <- model
  flip$l1 <- rev(model$l1)
  flip$l2 <- rev(model$l2)
  names(flip$l1) <- names(flip$l2) <- c("W", "H")
  W_I <- t(project(parts$left, t(fit$H), flip, threads)$H)
  H_J <- project(parts$top, fit$W, model, threads)$H
  W_all <- matrix(0, parts$m, ncol(fit$W))
  W_all[-parts$I, ] <- fit$W
  W_all[parts$I, ] <- W_I
  list(W = W_I, H = H_J, W_all = W_all)
}

# Smallest model value used to score held-out entries: 1e-10 times the mean
# of the training data (an exact zero at a positive count would make the KL
# test error infinite).
score_floor <- function(train) {
  1e-10 * train$summary$total / (as.numeric(train$summary$nrow) * train$summary$ncol)
}
