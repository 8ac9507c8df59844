# The nmf_cv class: constructor, validator, and the stability of the
# components across replicates.

# Builds the result from the per-replicate lists of (row, W).
new_nmf_cv <- function(reps, ranks, replicates, beta, holdout, fraction, seed, call) {
  flat <- unlist(reps, recursive = FALSE)
  results <- do.call(rbind, lapply(flat, `[[`, "row"))
  results <- results[order(results$rank, results$replicate), ]
  rownames(results) <- NULL
  stability <- vapply(ranks, function(k) {
    Ws <- lapply(flat[vapply(flat, function(z) z$row$rank == k, logical(1))], `[[`, "W")
    cv_stability(Ws)
  }, numeric(1))
  per_rank <- split(results, results$rank)
  summary <- data.frame(
    rank = ranks,
    test_mean = vapply(per_rank, function(d) mean(d$test_error), numeric(1)),
    test_se = vapply(per_rank, function(d) {
      if (nrow(d) > 1L) stats::sd(d$test_error) / sqrt(nrow(d)) else NA_real_
    }, numeric(1)),
    train_mean = vapply(per_rank, function(d) mean(d$train_error), numeric(1)),
    stability = stability, row.names = NULL)
  best <- which.min(summary$test_mean)
  se <- summary$test_se[best]
  limit <- summary$test_mean[best] + if (is.na(se)) 0 else se
  rank_1se <- summary$rank[which(summary$test_mean <= limit)[1L]]
  obj <- structure(list(results = results, summary = summary,
                        rank_min = summary$rank[best], rank_1se = rank_1se, beta = beta,
                        holdout = holdout, fraction = fraction, replicates = replicates,
                        seed = seed, call = call),
                   class = "nmf_cv")
  validate_nmf_cv(obj)
}

validate_nmf_cv <- function(obj) {
  need <- c("results", "summary", "rank_min", "rank_1se")
  if (!all(need %in% names(obj))) {
    stop("an nmf_cv needs ", paste(need, collapse = ", "), call. = FALSE)
  }
  if (!all(c("rank", "test_mean", "test_se", "train_mean", "stability") %in%
           names(obj$summary))) {
    stop("an nmf_cv summary needs rank, test_mean, test_se, train_mean, stability",
         call. = FALSE)
  }
  if (any(!is.finite(obj$results$test_error))) {
    stop("cross-validation produced a non-finite test error", call. = FALSE)
  }
  obj
}

# Mean matched cosine between the W of every pair of replicates (1 for one).
cv_stability <- function(Ws) {
  if (length(Ws) < 2L) return(1)
  pairs <- utils::combn(length(Ws), 2L)
  mean(apply(pairs, 2L, function(p) {
    mean(align_components(Ws[[p[1]]], Ws[[p[2]]])$similarity, na.rm = TRUE)
  }))
}
