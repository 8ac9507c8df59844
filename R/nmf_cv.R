#' Choose the rank by cross-validation and stability
#'
#' Fits NMF at each rank on data with a part held out, measures the
#' divergence on the held-out part, and measures how stable the components
#' are across replicates. Four ranks are reported (see Chosen ranks): the
#' recommended `rank`, the rank of lowest mean test error (`rank_min`), the
#' smallest rank within one standard error of it (`rank_1se`, as in
#' `cv.glmnet`) and the largest rank whose components replicate
#' (`rank_stable`).
#'
#' @section Chosen ranks:
#' * `rank_min`: the lowest mean test error over replicates.
#' * `rank_1se`: the smallest rank whose mean test error is within one
#'   standard error (over replicates) of that minimum.
#' * `rank_stable`: the largest rank whose least reproducible component has a
#'   mean matched cosine (`stability_min`, over pairs of replicates) of at
#'   least 0.7. A component that the data determine comes back in every
#'   replicate with a cosine near 1; one fitted to noise changes from one
#'   replicate to the next, and its best match has a cosine of 0 to 0.6 in
#'   the planted designs of the tests (dense Gaussian and Poisson data,
#'   sparse spike counts). Ranks below the true one can be unstable too
#'   (with four equally strong components, which three a rank-3 fit keeps is
#'   arbitrary), so `rank_stable` is the largest stable rank, not the end of
#'   a run of stable ones.
#' * `rank`, the recommended rank: the largest rank no larger than
#'   `rank_min` whose components replicate (`stability_min >= 0.7`); when
#'   no such rank exists, `rank_1se`. The test error says how many
#'   components improve the prediction of unseen entries; near its minimum
#'   the curve is often flat (the extra component fits noise that costs
#'   little), so the minimum alone can land one rank too high. An extra
#'   component that fits noise is not reproducible, and the stability rule
#'   removes it; a rank the test error does not support is never chosen.
#'   The 1-SE rule, in contrast, often stops one rank too low when two
#'   ranks differ by less than the replicate-to-replicate spread (few
#'   replicates, sparse data). `print()` and `plot()` say why `rank` was
#'   chosen (`rank_reason`).
#'
#' @section Held-out predictions:
#' For `"speckled"` and `"blocks"`, the prediction of a held-out entry is
#' not the masked fit itself but the model at the posterior mode of each
#' column of H and then each row of W, given that line's training entries,
#' under an empirical-Bayes Gamma prior (the mean and variance of the line's
#' factor over the fit) and the Tweedie likelihood of the beta-divergence,
#' \eqn{\exp(-d_\beta(x | y) / \phi)} with \eqn{\phi} estimated by Pearson's
#' statistic (Jorgensen 1997; Poisson for `beta = 1`). The mode is taken
#' in log coordinates, where it always lies inside the positive orthant.
#' Why: a line of H (a time bin) is estimated from its own few training
#' entries, and on sparse counts the maximum likelihood puts coefficients
#' at exactly zero wherever no training count of the line needs them; the
#' masked fit's model is then zero at held-out entries whose counts are
#' positive (15% of the held-out entries of 80 x 3000 spike counts with 86%
#' zeros at the planted rank 5), because its zeros were fitted to the
#' training entries around them. Those entries carried 60% of the test
#' error, which then grew with the rank and chose rank 1. The posterior
#' mode is the estimate of a line that does not see the held-out entry
#' either, but that cannot fit its support: it changes the dense-data
#' curves by less than 1% and restores the minimum at the planted rank on
#' sparse counts. The same prior and updates apply for every beta (the
#' multiplicative updates of Fevotte & Idier 2011 with the prior's gradient
#' in numerator and denominator, which for beta = 1 are the exact
#' majorization-minimization steps; see Canny 2004 and Cemgil 2009 for the
#' Gamma-Poisson model). Bi-cross-validation needs no such step: the
#' held-out block is predicted from row loadings fitted on other columns
#' and column scores fitted on other rows, so no estimate sees the
#' neighbourhood of the entry it predicts (0.4% of its predictions are zero
#' on the same data).
#'
#' @section What cross-validation can see:
#' * Time series in the columns (spike counts, calcium traces): `"blocks"`
#'   holds out runs of time bins so that autocorrelation (a calcium
#'   transient, a burst spread over bins) does not leak from training to
#'   test entries; `"speckled"` entries have observed neighbours in time
#'   and reward models that interpolate them. Both keep every column of H
#'   partly observed.
#' * `"bicross"` holds out whole rows and columns: it tests whether the
#'   components generalize to new neurons (rows) and new time bins
#'   (columns), at the price of fitting on a smaller block (the testable
#'   rank is bounded by it) and of a noisier curve.
#' * Bin width and sparsity: a column of H has r coefficients estimated
#'   from one bin's counts. Narrow bins with few spikes per bin (here ~10 of
#'   80 neurons) leave each coefficient weakly determined; then the test
#'   error separates ranks only by a few percent (0.30 against 0.31 per
#'   entry at ranks 5 and 6 above), and the stability carries more of the
#'   decision. Wider bins raise the counts per bin and sharpen the curve,
#'   but an assembly active for fewer bins than the bin width blurs into
#'   its neighbours. The same weak coefficients bias W towards components
#'   that take up a baseline shared by every neuron; [nmf_consensus()] with
#'   `pool` learns W from sums of neighbouring bins and keeps H at every
#'   bin. An assembly that fires too rarely in the recording to
#'   be seen in the training data of every replicate cannot be found by
#'   any hold-out.
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
#' positive count (possible under `beta <= 1` in bi-cross-validation, or
#' when a whole row is zero in the training data) is a large but finite
#' error.
#'
#' In bi-cross-validation a replicate that holds out many rows or columns
#' leaves a small training block; a rank larger than it cannot be fitted.
#' Such ranks are skipped in that replicate with a warning naming them (and
#' dropped, with the warning, when no replicate can test them).
#'
#' The pattern depends only on the seed and the replicate (a counter-based
#' generator), never on the number of threads or workers, and every rank of
#' a replicate is tested on the same held-out entries. A `"speckled"` or
#' `"blocks"` pattern of more than \eqn{2^{22}} expected entries (about
#' 400 MB if stored) is never stored: the core draws the held-out entries of
#' each row or column from the generator where a pass of a solver needs
#' them, so the memory of `nmf_cv()` is about that of one fit (on a 200,000
#' x 20,000 sparse matrix at `fraction = 0.1`, 400 million held-out entries,
#' zeros included), at the price of time in proportion to
#' `nrow(x) * ncol(x)` per pass. The results are the same bit for bit as
#' with the pattern stored. Within a replicate
#' all ranks start from one NNDSVD of the training data at the largest rank
#' (its leading components), which saves a decomposition per rank.
#'
#' @section Stability:
#' For each rank, the W of every pair of replicates are matched by the
#' Hungarian algorithm on the cosine similarity of their columns (see
#' [nmf_align()]); `stability` is the mean matched cosine over components and
#' pairs, `stability_min` the mean over pairs of the smallest matched cosine
#' (the least reproducible component); both are 1 with a single replicate.
#' Too high a rank fits noise, and its extra components change from one
#' replicate to the next: `stability_min` drops sharply, while `stability`
#' averages the one wandering component with the stable ones.
#'
#' @param x The data, as in [nmf_fit()]: a matrix, a sparse Matrix, a
#'   `SummarizedExperiment` (with `assay`) or a `DelayedArray`.
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
#' @param verbose If `TRUE`, report each fit with [message()] and show a
#'   progress bar over the fits (replicate and rank); see [betanmf-package]
#'   for when it shows otherwise, and for progress under
#'   `parallel = "future"`.
#' @param assay For a `SummarizedExperiment` or `SingleCellExperiment`, the
#'   assay (name or index).
#' @return An object of class `nmf_cv`, a list with
#'   * `results`: one row per replicate and rank: `rank`, `replicate`,
#'     `train_error` and `test_error` (mean divergence per entry),
#'     `iterations`, `seconds`;
#'   * `summary`: one row per rank: `rank`, `test_mean`, `test_se`
#'     (standard error over replicates), `train_mean`, `stability`,
#'     `stability_min`;
#'   * `rank` (recommended), `rank_min`, `rank_1se`, `rank_stable` (see
#'     Chosen ranks), `rank_reason` (why `rank` was chosen, one line),
#'     `stable_threshold`; `beta`, `holdout`, `fraction`, `replicates`,
#'     `seed`, `call`.
#' @references Owen AB, Perry PO (2009). Bi-cross-validation of the SVD and
#'   the nonnegative matrix factorization. *Annals of Applied Statistics*
#'   3:564-594.
#'
#'   Canny J (2004). GaP: a factor model for discrete data. *SIGIR 2004*,
#'   122-129.
#'
#'   Cemgil AT (2009). Bayesian inference for nonnegative matrix
#'   factorisation models. *Computational Intelligence and Neuroscience*
#'   2009:785152.
#'
#'   Fevotte C, Idier J (2011). Algorithms for nonnegative matrix
#'   factorization with the beta-divergence. *Neural Computation*
#'   23:2421-2456.
#'
#'   Jorgensen B (1997). *The Theory of Dispersion Models*. Chapman & Hall.
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
  UseMethod("nmf_cv")
}

#' @rdname nmf_cv
#' @export
nmf_cv.default <- function(x, ranks, beta = 2, holdout = c("speckled", "bicross", "blocks"),
                           fraction = 0.1, replicates = 3L, ..., seed = NULL,
                           threads = NULL, parallel = c("threads", "future"),
                           verbose = FALSE) {
  check_partial_names(sys.call(), sys.function(), "nmf_cv()")
  call <- entry_call(match.call(), "nmf_cv")
  reject_assay(list(...), x)
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

  testable <- cv_testable_ranks(m, n, ranks, replicates, holdout, fraction, seed)
  ranks <- testable$ranks
  tick <- progress_ticker(show_progress(verbose), sum(lengths(testable$per_replicate)),
                          "nmf_cv", parallel)
  run <- function(rep) {
    cv_replicate(data, testable$per_replicate[[rep]], rep, model, holdout, fraction, seed,
                 if (parallel == "future") 1L else threads, verbose, tick)
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
# `tick`: NULL or a function(status) called after each fit (R/progress.R);
# `generate`: whether the pattern is generated rather than stored
# (cv_parts_entries()).
cv_replicate <- function(data, ranks, rep, model, holdout, fraction, seed, threads,
                         verbose, tick = NULL,
                         generate = cv_generate(nrow(data$x), ncol(data$x), fraction)) {
  if (!length(ranks)) return(list())  # bi-cross: nothing this replicate can test
  fit_seed <- restart_seed(seed, rep + 1L)
  parts <- if (holdout == "bicross") {
    cv_parts_bicross(data, fraction, seed, rep)
  } else {
    cv_parts_entries(data, holdout, fraction, seed, rep, generate)
  }
  train <- parts$train
  start <- start_factors(train$x, max(ranks), model$solver, "nndsvd", fit_seed, threads)
  n_test <- sum(parts$test$margins$rows)
  n_train <- sum(train$margins$rows)
  scale <- pow2_scale(max_entry(parts$test$x))
  y_floor <- score_floor(train, scale)  # once for every rank
  lapply(ranks, function(k) {
    t0 <- proc.time()[["elapsed"]]
    fit <- run_fit(train, k, model,
                   list(W = start$W[, seq_len(k), drop = FALSE],
                        H = start$H[seq_len(k), , drop = FALSE]),
                   no_fixed(), fit_seed, threads)
    pred <- cv_predict(parts, fit, model, threads)
    secs <- proc.time()[["elapsed"]] - t0
    test_div <- test_divergence(parts$test, pred$W, pred$H, model$beta, threads, y_floor,
                                scale)
    if (!is.finite(test_div)) {
      # the fit is finite, its prediction of the held-out entries is not:
      # under weights spanning 1e300 a line held by one entry of weight 1e2
      # can leave the model beyond 1e308 where the weights are 1e-13
      stop(sprintf(paste0(
        "the test error of replicate %d at rank %d is beyond the double range: the ",
        "predictions of held-out entries of `x` (up to %g) overflow%s"), rep, k,
        train$summary$max, if (isTRUE(train$summary$weighted))
          "; `weights` spanning many orders of magnitude leave such lines to a few entries" else
          "; divide `x` by a constant"), call. = FALSE)
    }
    if (verbose) {
      message(sprintf("replicate %d, rank %d: test error %.6g", rep, k, test_div / n_test))
    }
    if (!is.null(tick)) tick(sprintf("replicate %d, rank %d", rep, k))
    list(row = data.frame(rank = k, replicate = rep, train_error = fit$divergence / n_train,
                          test_error = test_div / n_test, iterations = fit$iterations,
                          seconds = secs),
         W = pred$W_all)
  })
}

# Speckled and blocks hold-outs: the training data lose the held-out
# entries; the test data are the held-out entries, each with the weight it
# has in the data (as the test block of bi-cross-validation). With
# `generate` (cv_generate(): a pattern of many entries) the pattern is not
# stored: the core generates it line by line from (seed, replicate)
# wherever a pass needs it.
cv_parts_entries <- function(data, holdout, fraction, seed, rep, generate) {
  m <- nrow(data$x)
  n <- ncol(data$x)
  if (generate) {
    held <- list(type = holdout, m = m, n = n, fraction = fraction, seed = seed,
                 replicate = rep, role = "test", transposed = FALSE)
    test <- prepare_checked(data$x, data$drop, data$weights, held = held)
    held$role <- "train"
    train <- prepare_checked(data$x, data$drop, data$weights, held = held)
  } else {
    pat <- cpp_holdout_pattern(m, n, holdout, fraction, seed, rep)
    if (!length(pat$i)) {
      stop(sprintf(paste0("`fraction` = %g holds out no entry of the %d x %d matrix `x` in ",
                          "replicate %d (the %s pattern of this seed); use a larger ",
                          "`fraction`, another `seed` or more data"),
                   fraction, m, n, rep, holdout), call. = FALSE)
    }
    held <- methods::new("dgCMatrix", i = pat$i, p = pat$p, x = rep(1, length(pat$i)),
                         Dim = c(as.integer(m), as.integer(n)))
    test <- prepare_checked(data$x, data$drop,
                            if (is.null(data$weights)) held else
                              methods::as(held * data$weights, "CsparseMatrix"))
    train <- prepare_checked(data$x, merge_masks(n, data$drop, held), data$weights)
  }
  if (!(sum(test$margins$rows) > 0)) {
    stop(sprintf(paste0("`fraction` = %g holds out only missing, masked or zero-weight entries ",
                        "of the %d x %d matrix `x` in replicate %d (the %s pattern of this ",
                        "seed), so there is no test error; use a larger `fraction`, another ",
                        "`seed` or more data"), fraction, m, n, rep, holdout),
         call. = FALSE)
  }
  list(train = train, test = test)
}

# Whether the speckled or blocks pattern of an m x n matrix is generated
# where it is needed rather than stored: stored, a held entry costs about
# 100 bytes over R and the core (the pattern, the training mask in both
# orientations, the test weights); generated, nothing, for time in
# proportion to m n per pass of a solver (one draw of the counter-based
# generator per entry). Patterns of more than 2^22 expected entries
# (400 MB stored) are generated.
cv_generate <- function(m, n, fraction) as.numeric(m) * n * fraction > 2^22

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
# for entry hold-outs the posterior mode of the fit's lines (R/cv_predict.R);
# for bi-cross-validation the loadings of the held-out rows with H fixed and
# the scores of the held-out columns with W fixed. W_all: the loadings of
# every row, for the stability.
cv_predict <- function(parts, fit, model, threads) {
  if (is.null(parts$I)) {
    post <- cv_posterior(parts$train, fit, model$beta, threads)
    return(list(W = post$W, H = post$H, W_all = fit$W))
  }
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
# test error infinite), at the scale of the data divided by `scale`.
score_floor <- function(train, scale = 1) {
  1e-10 * (train$summary$total / scale) / (as.numeric(train$summary$nrow) * train$summary$ncol)
}

# The divergence of the test entries from W H with model values below
# y_floor raised to it, computed as scale^beta times that of x / scale from
# W H / scale (scale: a power of two, pow2_scale(); split_scale() divides
# the factors): for subnormal data the products W H and the terms of the
# divergence keep no precision at the data's own scale (a test error 20%
# off at 1e-319).
test_divergence <- function(test, W, H, beta, threads, y_floor, scale) {
  if (scale == 1) return(cpp_divergence(test$x, W, H, beta, test$spec, threads, y_floor))
  at <- split_scale(W, H, -round(log2(scale)))
  scale^beta * cpp_divergence(test$x / scale, at$W, at$H, beta, test$spec, threads, y_floor)
}
