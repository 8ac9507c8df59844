# Overhead of nmf_cv() (issue: cross-validated rank selection): ranks 1..10
# with 3 replicates on benchmark (a), as a ratio to the 30 plain fits it
# contains (same ranks, same control, same threads; the plain fits use the
# whole data and their own NNDSVD start).
#
#   Rscript bench/bench_cv.R [threads] [max_iter]
source(file.path(if (file.exists("bench/common.R")) "bench" else ".", "common.R"))
args <- commandArgs(trailingOnly = TRUE)
threads <- if (length(args) >= 1) as.integer(args[1]) else 1L
max_iter <- if (length(args) >= 2) as.integer(args[2]) else 50L
Xa <- bench_data_a()
ctl <- nmf_control(max_iter = max_iter, tol = 0)
plain_fits <- function() time_it(for (rep in 1:3) for (k in 1:10) {
  nmf_fit(Xa, k, seed = rep, threads = threads, control = ctl)
})$seconds
# The plain fits are timed before and after the CV runs, and each ratio is
# to their mean: the speed of a shared machine drifts by 10-20% over the
# minutes the runs take, more than the differences measured.
before <- plain_fits()
runs <- list()
for (holdout in c("speckled", "blocks", "bicross")) {
  runs[[holdout]] <- time_it(nmf_cv(Xa, 1:10, holdout = holdout, replicates = 3, control = ctl,
                                    seed = 1, threads = threads))
}
after <- plain_fits()
plain <- (before + after) / 2
message(sprintf("30 plain fits: %.2f s before the CV runs, %.2f s after, mean %.2f s",
                before, after, plain))
for (holdout in names(runs)) {
  cv <- runs[[holdout]]
  inner <- sum(cv$value$results$seconds)  # its 30 fits with their held-out predictions
  message(sprintf(paste0("%-8s nmf_cv %.2f s, ratio %.2f to the plain fits; of which its own ",
                     "30 fits %.2f s (rank %d, rank_min %d, rank_1se %d)"),
              holdout, cv$seconds, cv$seconds / plain, inner,
              cv$value$rank, cv$value$rank_min, cv$value$rank_1se))
}
