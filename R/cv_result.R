# The nmf_cv class: constructor and validator. The stability and the rules
# that choose ranks are in R/cv_rank.R.

# Builds the result from the per-replicate lists of (row, W).
new_nmf_cv <- function(reps, ranks, replicates, beta, holdout, fraction, seed, call) {
  flat <- unlist(reps, recursive = FALSE)
  results <- do.call(rbind, lapply(flat, `[[`, "row"))
  results <- results[order(results$rank, results$replicate), ]
  rownames(results) <- NULL
  stability <- vapply(ranks, function(k) {
    Ws <- lapply(flat[vapply(flat, function(z) z$row$rank == k, logical(1))], `[[`, "W")
    cv_stability(Ws)
  }, numeric(2))  # cv_rank.R: rows mean and min
  per_rank <- split(results, results$rank)
  summary <- data.frame(
    rank = ranks,
    test_mean = vapply(per_rank, function(d) mean(d$test_error), numeric(1)),
    test_se = vapply(per_rank, function(d) {
      if (nrow(d) > 1L) stats::sd(d$test_error) / sqrt(nrow(d)) else NA_real_
    }, numeric(1)),
    train_mean = vapply(per_rank, function(d) mean(d$train_error), numeric(1)),
    stability = stability["mean", ], stability_min = stability["min", ], row.names = NULL)
  chosen <- cv_choose_ranks(summary)
  obj <- structure(list(results = results, summary = summary,
                        rank_min = chosen$rank_min, rank_1se = chosen$rank_1se,
                        rank_stable = chosen$rank_stable, rank = chosen$rank,
                        rank_reason = chosen$reason, stable_threshold = chosen$threshold,
                        beta = beta, holdout = holdout, fraction = fraction,
                        replicates = replicates, seed = seed, call = call),
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
