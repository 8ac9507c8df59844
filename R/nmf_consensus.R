#' Consensus of NMF restarts and the stability of each component
#'
#' NMF has many local optima: fits of the same data from different starting
#' points can differ, and a component that comes back in every restart is
#' more trustworthy than one that does not. `nmf_consensus()` fits the data
#' `restarts` times from different seeds, aligns the components of every
#' restart to those of the restart of lowest loss ([nmf_align()]: cosine
#' similarity and an optimal one-to-one matching by [hungarian()]), and
#' summarizes them:
#' * the consensus W is the element-wise median of the aligned W's (each
#'   column first scaled to sum to one), its columns rescaled to sum to one;
#' * H is refitted on the data with the consensus W held fixed;
#' * the stability of a component is the cosine similarity between the
#'   consensus component and the matching component of each restart: its
#'   mean and minimum over restarts. A stable component is close to 1 in
#'   every restart; a rank that is too large typically shows components that
#'   split or wander from restart to restart, with lower stability (compare
#'   Brunet et al. 2004 and Kotliar et al. 2019, who look at the same
#'   reproducibility through consensus clustering of the restarts).
#'
#' Only W and the loss of each restart are kept, so memory grows as
#' `restarts` x m x r, never n x n.
#'
#' @section Restarts set aside:
#' A restart that ends in a poor local minimum has components the other
#' restarts do not share; left in, it pulls the median and, above all, the
#' stability down, and the stability would then report a failure of the
#' optimizer as a property of the data (on sparse spike counts at the
#' planted rank, one restart in ten ending 5% above the best loss brought a
#' component's stability down to a mean of 0.94 and a minimum of 0.42).
#' Restart k is set aside when its final loss is both more than `loss_tol`
#' (relative) above the best loss and an outlier among the restarts'
#' losses (above their median plus 3 robust standard deviations, 1.4826
#' times the median absolute deviation). This follows MuSiCal (Jin et al.
#' 2024), which filters its NMF replicates by their reconstruction error
#' before combining them; cNMF (Kotliar et al. 2019) drops instead single
#' components that lie far from their nearest neighbours among all
#' restarts' components. Restarts are never chosen by how well their
#' components match: that would select for stability, and `stability` would
#' no longer say how reproducible the components are. An even spread of
#' losses (a rank too large, where every restart fits the noise its own
#' way) sets nothing aside, so too large a rank still shows as unstable.
#' The consensus W, the stability and (for a list of fits) H come from the
#' kept restarts; `losses` and `seeds` still list every restart.
#'
#' @section A component every neuron shares:
#' On sparse counts the most likely factors are not always the planted ones.
#' In spike counts of 80 neurons x 3000 bins with 87% zeros (four planted
#' assemblies and a baseline rate for every neuron), the consensus finds
#' the assemblies at cosine 0.94-0.99 but the baseline column at only
#' 0.73-0.75 (four seeds): the likelihood moves the baseline of assembly
#' members into the assemblies, whose activity comes out positive in about
#' half the bins where they are silent (at a tenth of their mean activity
#' elsewhere), and that fit is more likely than the planted factors
#' themselves, so no choice of restarts undoes it. It is the
#' incidental-parameter problem of Neyman and Scott (1948): every bin adds
#' its own column of H, estimated from a handful of counts, and the error
#' of those estimates (which cannot fall below zero) biases W however many
#' bins there are (with 30,000 bins the baseline stays at cosine 0.74).
#' A smoothness penalty on H across bins does not remove the bias: it blurs
#' the onsets, and the blurred tails take up the baseline in the same way.
#'
#' `pool` removes the bias where it arises. With `pool = k` every restart
#' learns W from the sums of `k` neighbouring columns: under X ~ W H such a
#' sum has mean W times the sum of the k columns of H (for counts, a sum of
#' Poisson counts is Poisson), so W is the same while each column of H now
#' rests on k times more counts. H is then refitted with the consensus W at
#' every column of `x`, so the time resolution of H is kept. On the spike
#' counts above (ten seeds), `pool = 16` recovers every component at
#' cosine 0.96 or more (the baseline at 0.96-0.98) with a stability of at
#' least 0.999, and the refitted H follows the planted activity of every
#' assembly more closely than H from `pool = 1` (correlation 0.95-0.97
#' against 0.94-0.97); the restarts, on 16 times fewer columns, also take
#' less time.
#'
#' How far to pool: on these counts (ten seeds) the baseline reaches cosine
#' 0.83-0.91 at `pool = 2` (75% of the sums zero), 0.92-0.97 at 4 (60%),
#' 0.95-0.98 at 8 (39%) and 0.96-0.99 from 12 to 48 (27% down to 3%). The
#' assemblies stay at 0.97 or more from 4 to 32, and the weakest falls to
#' 0.95 at 48, twelve times the 4-bin decay of their activity. Pool until at most
#' about a quarter of the sums are zero, and not much beyond the timescale
#' of the activity. `pool` only makes sense when neighbouring columns
#' belong together, such as time bins; samples or cells in arbitrary order
#' should not be pooled. [bin_spikes()] with a wider `width` pools in the
#' same way, but leaves H at the coarser bins.
#'
#' @section Seeds:
#' `seed = NULL` draws one seed from R's random number generator (so
#' `set.seed()` governs the result). Restart 1 uses that seed and restart
#' `k` a seed derived from it in the same way as the restarts of
#' [nmf_fit()], so each restart can be reproduced alone with
#' `nmf_fit(x, rank, seed = result$seeds[k], init = "random")`.
#'
#' @param x The data, as for [nmf_fit()] (a matrix, a sparse Matrix, a
#'   `SummarizedExperiment` with `assay`, a `DelayedArray`); or a list of `nmf_fit` objects of
#'   the same rank fitted earlier: then nothing is fitted, and since the data
#'   are not at hand, H is the element-wise median of the aligned H's (each
#'   rescaled to match its W with columns summing to one).
#' @param rank Number of components. Not needed when `x` is a list of fits.
#' @param beta The divergence, as for [nmf_fit()].
#' @param restarts Number of fits, a whole number of at least 2.
#' @param seed `NULL` or a whole number; see Seeds.
#' @details Arguments in `...` go to [nmf_fit()] (such as `control`, `l1`,
#'   `l2`, `init`). Unless `init` is given, restarts start from random
#'   factors (`init = "random"`), since a deterministic start would make them
#'   all alike. `fixed_W` and `fixed_H` cannot be used.
#' @param threads Threads for each fit, as for [nmf_fit()].
#' @param parallel `"threads"` runs the restarts one after the other, each
#'   using `threads`; `"future"` runs one restart per future with
#'   `future.apply::future_lapply()` (set the plan with `future::plan()`),
#'   each on one thread. Needs the future.apply package.
#' @param assay For a `SummarizedExperiment` or `SingleCellExperiment`, the
#'   assay (name or index).
#' @param keep_fits If `TRUE`, keep every restart's fit, aligned, in `fits`.
#' @param pool Number of neighbouring columns of `x` whose sums the
#'   restarts fit (see A component every neuron shares); 1 fits `x` itself.
#'   The last group holds the columns left over. H is always refitted at
#'   every column of `x`. Needs every entry observed and cannot be combined
#'   with `mask`, `weights` or `init` as factors.
#' @param loss_tol Relative excess of a restart's loss over the best beyond
#'   which an outlying restart is set aside (see Restarts set aside); `Inf`
#'   keeps every restart.
#'
#' @return An object of class `nmf_consensus`, a list with
#'   * `W`: the consensus W (m x r), columns summing to one, in the order of
#'     the components of the best restart;
#'   * `H`: H (r x n) refitted with `W` fixed;
#'   * `stability`: a data frame with one row per component: `component`,
#'     `mean` and `min`, the mean and minimum over restarts of the cosine
#'     similarity between the consensus component and its match in each
#'     restart;
#'   * `similarity`: the r x (kept restarts) matrix of those similarities;
#'   * `losses`: the final loss of each restart (on the pooled columns when
#'     `pool` > 1); `best`: the index of the
#'     restart of lowest loss (the reference of the alignment);
#'   * `kept`, `set_aside`: the indices of the restarts used for the
#'     consensus and of those set aside; `loss_tol`;
#'   * `loss`: the loss of the consensus fit (`NA` for a list of fits);
#'   * `seeds`: the seed of each restart;
#'   * `fits`: the aligned fits when `keep_fits = TRUE`, else `NULL`;
#'   * `rank`, `beta`, `pool`, `call`.
#'
#' @references
#' Brunet, J.-P., Tamayo, P., Golub, T. R. and Mesirov, J. P. (2004).
#' Metagenes and molecular pattern discovery using matrix factorization.
#' *PNAS* 101, 4164--4169.
#'
#' Kotliar, D. et al. (2019). Identifying gene expression programs of
#' cell-type identity and cellular activity with single-cell RNA-Seq.
#' *eLife* 8, e43803.
#'
#' Neyman, J. and Scott, E. L. (1948). Consistent estimates based on
#' partially consistent observations. *Econometrica* 16, 1--32.
#'
#' Jin, H. et al. (2024). Accurate and sensitive mutational signature
#' analysis with MuSiCal. *Nature Genetics* 56, 541--552.
#'
#' @seealso [nmf_fit()], [nmf_align()].
#' @examples
#' set.seed(1)
#' W <- matrix(rexp(60 * 3), 60)
#' H <- matrix(rexp(3 * 40), 3)
#' X <- W %*% H + matrix(runif(60 * 40, 0, 0.05), 60)
#' cons <- nmf_consensus(X, rank = 3, restarts = 5, seed = 1, threads = 1)
#' cons
#' cons$stability
#' plot(cons)
#'
#' # sparse spike counts of four assemblies and tonic firing, in 0.2 s bins:
#' # W from sums over 1 s (5 bins), H at every bin
#' sim <- simulate_assemblies(neurons = 100, bins = 1200, width = 0.2, seed = 1)
#' pooled <- nmf_consensus(sim$X, rank = 5, beta = "kl", restarts = 4, seed = 1,
#'                         threads = 1, pool = 5)
#' pooled
#' nmf_align(pooled$W, sim$W)$similarity
#' dim(pooled$H)
#' @export
nmf_consensus <- function(x, rank, beta = 2, restarts = 20L, ..., seed = NULL,
                          threads = NULL, parallel = c("threads", "future"),
                          keep_fits = FALSE, loss_tol = 0.01, pool = 1L) {
  UseMethod("nmf_consensus")
}

#' @rdname nmf_consensus
#' @export
nmf_consensus.default <- function(x, rank, beta = 2, restarts = 20L, ..., seed = NULL,
                                  threads = NULL, parallel = c("threads", "future"),
                                  keep_fits = FALSE, loss_tol = 0.01, pool = 1L) {
  check_partial_names(sys.call(), sys.function(), "nmf_consensus()")
  call <- entry_call(match.call(), "nmf_consensus")
  reject_assay(list(...), x)
  parallel <- match_choice(parallel, c("threads", "future"), "parallel")
  check_flag(keep_fits, "keep_fits")
  check_loss_tol(loss_tol)
  if (is.list(x) && !is.data.frame(x)) {
    if (...length() > 0L) {
      stop(sprintf("`...` must be empty when `x` is a list of fits (nothing is fitted); got %s",
                   paste(names(list(...)) %||% "unnamed arguments", collapse = ", ")),
           call. = FALSE)
    }
    if (!identical(pool, 1L) && !identical(pool, 1)) {
      stop(sprintf("`pool` needs data: `x` is a list of fits, which are summarized as they are; got pool = %s",
                   describe(pool)), call. = FALSE)
    }
    return(consensus_of_fits(x, if (missing(rank)) NULL else rank, keep_fits, call,
                             loss_tol))
  }
  if (missing(rank)) {
    stop("`rank` is missing; give the number of components", call. = FALSE)
  }
  check_count(restarts, "restarts", min = 2L)
  dots <- list(...)
  reserved <- intersect(names(dots), c("fixed_W", "fixed_H"))
  if (length(reserved) > 0L) {
    stop(sprintf("`%s` cannot be used in nmf_consensus(): the consensus W is built from the restarts",
                 reserved[1]), call. = FALSE)
  }
  if (!"init" %in% names(dots)) dots$init <- "random"
  setup <- consensus_setup(x, rank, beta, dots)
  # the restarts may learn W from sums of neighbouring columns (consensus_pool.R)
  pool <- check_pool(pool, setup, dots)
  restart_setup <- pool_setup(setup, pool)
  seed <- resolve_seed(seed)
  threads <- resolve_threads(threads)
  warn_unobserved(setup$data)
  restarts <- as.integer(restarts)
  seeds <- c(seed, vapply(seq_len(restarts)[-1L], restart_seed, integer(1), seed = seed))
  tick <- progress_ticker(show_progress(setup$verbose), restarts, "nmf_consensus", parallel)

  if (parallel == "future") {
    if (!requireNamespace("future.apply", quietly = TRUE)) {
      stop("`parallel = \"future\"` needs the future.apply package: ",
           "install.packages(\"future.apply\"), or use parallel = \"threads\"",
           call. = FALSE)
    }
    runs <- future.apply::future_lapply(
      seeds, consensus_restart, setup = restart_setup, threads = 1L, keep_fit = keep_fits,
      tick = tick, future.seed = TRUE, future.packages = "betanmf"
    )
  } else {
    runs <- lapply(seeds, consensus_restart, setup = restart_setup, threads = threads,
                   keep_fit = keep_fits, tick = tick)
  }
  # restarts in a poor local minimum are set aside (consensus_select.R)
  cons <- consensus_from_kept(lapply(runs, `[[`, "W"), vapply(runs, `[[`, numeric(1), "loss"),
                              loss_tol)
  refit <- catch_warnings(refit_H(setup, cons$W, seed, threads))
  warn_restarts(lapply(runs, `[[`, "warnings"), refit$warnings)
  refit <- refit$value
  fits <- NULL
  if (keep_fits) {
    fits <- Map(function(run, order) permute_components(run$fit, order), runs, cons$orders)
  }
  new_nmf_consensus(cons, W = refit$W, H = refit$H, loss = refit$loss,
                    seeds = seeds, fits = fits, rank = setup$rank,
                    beta = refit$beta, call = call, pool = pool)
}

# The data and settings of every restart, checked and prepared once, from
# the arguments nmf_fit() takes (`dots`); unknown names are an error.
consensus_setup <- function(x, rank, beta, dots) {
  allowed <- c("mask", "weights", "l1", "l2", "offset", "init", "solver", "control",
               "verbose")
  nm <- names(dots) %||% rep("", length(dots))
  check_no_dots(dots[!nm %in% allowed], "nmf_consensus()",
                sprintf("`...` takes %s", paste0("`", allowed, "`", collapse = ", ")))
  setup <- fit_setup(x, rank, beta, dots$mask, dots$weights, dots$l1 %||% 0,
                     dots$l2 %||% 0, NULL, NULL, dots$offset %||% 0, dots$init,
                     dots$solver %||% "auto", dots$control %||% nmf_control())
  setup$verbose <- check_flag(dots$verbose %||% FALSE, "verbose")
  setup
}

# One restart: fits the data and keeps W, the loss and the seed (the whole
# fit only when asked). Warnings are collected and reported once by the
# caller rather than once per restart. `tick`: NULL or a function(status)
# called once the restart is done (R/progress.R).
consensus_restart <- function(seed, setup, threads, keep_fit, tick = NULL) {
  res <- catch_warnings(fit_restarts(setup, 1L, seed, threads, setup$verbose,
                                     call("nmf_fit", quote(x), rank = setup$rank,
                                          seed = seed)))
  if (!is.null(tick)) tick(sprintf("seed %d", seed))
  fit <- res$value
  out <- list(W = fit$W, loss = fit$loss, seed = fit$seed, warnings = res$warnings,
              fit = if (keep_fit) fit else NULL)
  # an H of a restart can be as large as the data: free a large one before
  # the next restart allocates its own, so that the peak stays one fit's
  # worth (a collection costs about 0.2 s, more than it saves on small data)
  large <- length(fit$H) >= 1e7
  rm(fit, res)
  if (!keep_fit && large) invisible(gc(verbose = FALSE))
  out
}

# One warning per distinct message, saying how many restarts (and whether
# the refit of H) raised it. `per_restart` is a list of character vectors.
warn_restarts <- function(per_restart, refit = character(0)) {
  caught <- unlist(lapply(per_restart, unique))
  for (msg in unique(c(caught, refit))) {
    where <- sprintf("in %d of %d restarts", sum(caught == msg), length(per_restart))
    if (msg %in% refit) where <- paste(where, "and in the refit of H")
    warning(sprintf("%s: %s", where, msg), call. = FALSE)
  }
}

# H for the data with every column of W held fixed: a projection, the same
# problem predict.nmf_fit() solves, with the penalties and control of the
# restarts; the fixed components keep their order.
refit_H <- function(setup, W, seed, threads) {
  setup$fixed <- resolve_fixed(W, NULL, nrow(setup$data$x), ncol(setup$data$x), ncol(W))
  setup$start <- "nndsvd"
  setup$names <- component_names(ncol(W), W)
  fit_restarts(setup, 1L, seed, threads, FALSE, call("nmf_fit", quote(x), ncol(W)))
}

# Aligns every W of `Ws` to the one of lowest loss and takes the element-wise
# median. Returns the consensus W, the aligned order of each restart and the
# similarity of each consensus component to its match in each restart.
consensus_W <- function(Ws, losses) {
  best <- which.min(losses)
  orders <- lapply(Ws, function(W) align_components(W, Ws[[best]])$order)
  aligned <- Map(function(W, order) sum_to_one(W[, order, drop = FALSE]), Ws, orders)
  W <- sum_to_one(elementwise_median(aligned))
  dimnames(W) <- dimnames(Ws[[best]])
  similarity <- vapply(aligned, function(A) {
    s <- cpp_cosine_similarity(W, A)
    diag(s)
  }, numeric(ncol(W)))
  similarity <- matrix(similarity, nrow = ncol(W))
  list(W = W, orders = orders, aligned = aligned, similarity = similarity,
       losses = losses, best = best)
}

# Columns scaled to sum to one; zero columns stay zero. Returns the scaled
# matrix with the scales as attribute "scale".
sum_to_one <- function(W) {
  s <- colSums(W)
  s[s <= 0] <- 1
  out <- sweep(W, 2, s, `/`)
  attr(out, "scale") <- s
  out
}

# Element-wise median of a list of matrices of equal dimensions, without an
# apply() over entries: sort each entry's values across the list at once.
elementwise_median <- function(mats) {
  k <- length(mats)
  d <- dim(mats[[1]])
  values <- matrix(unlist(mats, use.names = FALSE), ncol = k) # one row per entry
  entry <- rep(seq_len(nrow(values)), times = k)
  sorted <- matrix(as.vector(values)[order(entry, as.vector(values))], nrow = k)
  mid <- (k + 1) %/% 2
  med <- if (k %% 2 == 1L) sorted[mid, ] else (sorted[mid, ] + sorted[mid + 1L, ]) / 2
  matrix(med, d[1], d[2])
}

# Consensus of fits made earlier: no data, so H is the median of the
# aligned H's, each rescaled to go with its W of columns summing to one.
consensus_of_fits <- function(fits, rank, keep_fits, call, loss_tol = 0.01) {
  if (length(fits) < 2L) {
    stop(sprintf("`x` as a list must hold at least 2 nmf_fit objects; got %d",
                 length(fits)), call. = FALSE)
  }
  args <- sprintf("x[[%d]]", seq_along(fits))
  for (i in seq_along(fits)) {
    if (!inherits(fits[[i]], "nmf_fit")) {
      stop(sprintf("`%s` must be an nmf_fit; got %s", args[i], describe(fits[[i]])),
           call. = FALSE)
    }
    check_components(fits[[i]], "W", args[i])
    check_components(fits[[i]], "H", args[i])
  }
  ranks <- vapply(fits, function(f) ncol(f$W), integer(1))
  if (length(unique(ranks)) != 1L) {
    stop(sprintf("every fit in `x` must have the same rank; got %s",
                 paste(ranks, collapse = ", ")), call. = FALSE)
  }
  if (!is.null(rank) && !identical(as.integer(rank), ranks[1])) {
    stop(sprintf("`rank` must match the rank of the fits in `x` (%d) or be left out; got %s",
                 ranks[1], describe(rank)), call. = FALSE)
  }
  losses <- vapply(fits, function(f) as.double(f$loss), numeric(1))
  best_loss_index(fits) # checks the losses
  Ws <- lapply(fits, `[[`, "W")
  cons <- consensus_from_kept(Ws, losses, loss_tol)
  Hs <- Map(function(f, order) {
    scale <- colSums(f$W)[order]
    scale[scale <= 0] <- 1
    f$H[order, , drop = FALSE] * scale
  }, fits, cons$orders)
  # cons$W is the median W rescaled by 1 / scale: move the scale into H.
  W <- cons$W
  H <- elementwise_median(Hs[cons$kept]) * attr(W, "scale")
  if (!is.null(colnames(W)) || !is.null(colnames(fits[[cons$best]]$H))) {
    dimnames(H) <- list(colnames(W), colnames(fits[[cons$best]]$H))
  }
  seeds <- vapply(fits, function(f) if (is.null(f$seed)) NA_integer_ else as.integer(f$seed),
                  integer(1))
  kept <- if (keep_fits) Map(permute_components, fits, cons$orders) else NULL
  new_nmf_consensus(cons, W = W, H = H, loss = NA_real_, seeds = seeds, fits = kept,
                     rank = ranks[1], beta = fits[[1]]$beta, call = call)
}

new_nmf_consensus <- function(cons, W, H, loss, seeds, fits, rank, beta, call, pool = 1L) {
  attr(W, "scale") <- NULL
  stability <- data.frame(component = seq_len(rank),
                          mean = rowMeans(cons$similarity),
                          min = apply(cons$similarity, 1, min))
  structure(list(
    W = W, H = H, stability = stability, similarity = cons$similarity,
    losses = cons$losses, best = cons$best, loss = loss, seeds = seeds,
    kept = cons$kept, set_aside = cons$set_aside, loss_tol = cons$loss_tol,
    fits = fits, rank = rank, beta = beta, pool = pool, call = call
  ), class = "nmf_consensus")
}
