# The ranks nmf_cv() reports: the stability of the components across
# replicates and the rules that turn the cross-validation curve and the
# stability into chosen ranks. Plain functions of the per-rank summary, so
# the rules can be read (and tested) on their own.

# Stability threshold of `rank_stable` (see cv_choose_ranks()).
cv_stable_threshold <- 0.7

# Stability of the components of one rank across replicates, from the W
# (m x k) of each replicate. Each pair of replicates is matched by the
# Hungarian algorithm on the cosine of the columns; `mean` is the mean
# matched cosine over components and pairs, `min` the mean over pairs of
# the least similar matched pair (the component that replicates worst).
# Both are 1 for a single replicate.
cv_stability <- function(Ws) {
  if (length(Ws) < 2L) return(c(mean = 1, min = 1))
  pairs <- utils::combn(length(Ws), 2L)
  sims <- lapply(seq_len(ncol(pairs)), function(p) {
    align_components(Ws[[pairs[1, p]]], Ws[[pairs[2, p]]])$similarity
  })
  c(mean = mean(vapply(sims, mean, numeric(1), na.rm = TRUE)),
    min = mean(vapply(sims, function(s) min(s, na.rm = TRUE), numeric(1))))
}

# The chosen ranks from the per-rank summary (columns rank, test_mean,
# test_se, stability_min):
#   rank_min:    the lowest mean test error;
#   rank_1se:    the smallest rank within one standard error of it;
#   rank_stable: the largest rank whose least reproducible component still
#                has a mean matched cosine of at least `threshold` across
#                replicates (NA when no rank qualifies);
#   rank:        the largest rank that is both no larger than rank_min and
#                stable (stability_min >= threshold); when no rank up to
#                rank_min is stable, rank_1se.
# `reason` says in one line why `rank` was chosen.
cv_choose_ranks <- function(summary, threshold = cv_stable_threshold) {
  s <- summary
  best <- which.min(s$test_mean)
  se <- s$test_se[best]
  limit <- s$test_mean[best] + if (is.na(se)) 0 else se
  rank_min <- s$rank[best]
  rank_1se <- s$rank[which(s$test_mean <= limit)[1L]]
  stable <- s$stability_min >= threshold
  rank_stable <- if (any(stable)) max(s$rank[stable]) else NA_integer_
  candidates <- s$rank[stable & s$rank <= rank_min]
  if (length(candidates)) {
    rank <- max(candidates)
    reason <- if (rank == rank_min) {
      sprintf("rank %d has the lowest test error and its components replicate (stability_min %.3f >= %g)",
              rank, s$stability_min[s$rank == rank], threshold)
    } else {
      sprintf(paste0("rank %d is the largest rank up to rank_min = %d whose components ",
                     "replicate (stability_min %.3f >= %g; %.3f at rank %d)"),
              rank, rank_min, s$stability_min[s$rank == rank], threshold,
              s$stability_min[best], rank_min)
    }
  } else {
    rank <- rank_1se
    reason <- sprintf(paste0("no rank up to rank_min = %d has components that replicate ",
                             "(stability_min >= %g): rank_1se"), rank_min, threshold)
  }
  list(rank_min = as.integer(rank_min), rank_1se = as.integer(rank_1se),
       rank_stable = as.integer(rank_stable), rank = as.integer(rank), reason = reason,
       threshold = threshold)
}

# The ranks each replicate can test: every rank for "speckled" and "blocks";
# for "bicross" the ranks up to the size of the training block X[-I, -J]
# (a rank-k fit needs k rows and k columns), which depends on how many rows
# and columns the replicate holds out. Ranks no replicate can test are
# dropped, ranks some replicates cannot test are skipped there; both with a
# warning naming them. Returns the kept ranks and, per replicate, its ranks.
cv_testable_ranks <- function(m, n, ranks, replicates, holdout, fraction, seed) {
  per_rep <- rep(list(ranks), replicates)
  if (holdout != "bicross") return(list(ranks = ranks, per_replicate = per_rep))
  limit <- vapply(seq_len(replicates), function(rep) {
    lines <- cpp_holdout_bicross(m, n, fraction, seed, rep)
    as.integer(min(m - length(lines$rows), n - length(lines$cols)))
  }, integer(1))
  per_rep <- lapply(limit, function(k) ranks[ranks <= k])
  short <- which(limit < max(ranks))
  if (!length(short)) return(list(ranks = ranks, per_replicate = per_rep))
  kept <- ranks[ranks <= max(limit)]
  if (!length(kept)) {
    stop(sprintf(paste0("`ranks` cannot be tested by bi-cross-validation: every replicate ",
                        "leaves a training block of at most %d rows or columns, fewer than ",
                        "the smallest rank %d; use smaller ranks, a smaller `fraction` or ",
                        "holdout = \"speckled\""), max(limit), min(ranks)), call. = FALSE)
  }
  lost <- setdiff(ranks, kept)
  partial <- setdiff(ranks[ranks > min(limit)], lost)
  parts <- c(
    if (length(lost)) sprintf("rank(s) %s cannot be tested in any replicate and are dropped",
                              paste(lost, collapse = ", ")),
    if (length(partial)) sprintf("rank(s) %s are tested in %s of %d replicates",
                                 paste(partial, collapse = ", "),
                                 paste(vapply(partial, function(k) sum(limit >= k), 1L),
                                       collapse = ", "), replicates))
  warning(sprintf(paste0("bi-cross-validation: %s; replicate(s) %s hold out so many rows ",
                         "or columns that the training block has only %s (a rank-k fit ",
                         "needs k rows and k columns)"),
                  paste(parts, collapse = "; "), show_some(short),
                  paste(unique(limit[short]), collapse = ", ")), call. = FALSE)
  list(ranks = kept, per_replicate = per_rep)
}
