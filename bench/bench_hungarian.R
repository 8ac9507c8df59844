# Times hungarian() against clue::solve_LSAP on the same random matrices in
# the same run, and prints a table of medians and their ratio.
#
# Run from the package root after installing betanmf:
#   Rscript bench/bench_hungarian.R
# Target: a 500 x 500 problem in well under 0.1 s.

if (!requireNamespace("betanmf", quietly = TRUE)) stop("install betanmf first")
if (!requireNamespace("clue", quietly = TRUE)) stop("this benchmark needs the clue package")

# Median over `reps` of the time per call; fast calls are repeated in a loop
# until a run lasts at least 20 ms, so the clock's resolution does not matter.
time_median <- function(f, reps) {
  calls <- 1L
  while (system.time(for (i in seq_len(calls)) f())[["elapsed"]] < 0.02) {
    calls <- calls * 4L
  }
  stats::median(vapply(seq_len(reps), function(i) {
    system.time(for (j in seq_len(calls)) f())[["elapsed"]] / calls
  }, numeric(1)))
}

set.seed(2024)
reps <- 7L
shapes <- list(c(100, 100), c(500, 500), c(1000, 1000), c(200, 1000))
rows <- lapply(shapes, function(s) {
  cost <- matrix(stats::runif(s[1] * s[2]), s[1], s[2])
  ours <- betanmf::hungarian(cost)
  theirs <- clue::solve_LSAP(cost)
  same <- isTRUE(all.equal(ours$total, sum(cost[cbind(seq_len(s[1]), theirs)])))
  t_ours <- time_median(function() betanmf::hungarian(cost), reps)
  t_clue <- time_median(function() clue::solve_LSAP(cost), reps)
  data.frame(size = sprintf("%d x %d", s[1], s[2]), hungarian_s = t_ours,
             solve_LSAP_s = t_clue, ratio = t_ours / t_clue, same_total = same)
})
res <- do.call(rbind, rows)
cat(sprintf("median of %d runs; ratio = hungarian / clue::solve_LSAP (lower is faster)\n",
            reps))
print(res, digits = 3, row.names = FALSE)
t500 <- res$hungarian_s[res$size == "500 x 500"]
cat(sprintf("500 x 500: %.4f s (%s the 0.1 s target)\n", t500,
            if (t500 < 0.1) "within" else "OVER"))
