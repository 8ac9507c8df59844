# One thread against two: seconds per iteration of nmf_fit() on cases
# (a), (b) and (c) of bench_rcppml1.R at 1 and 2 threads, whole calls of
# `iterations` iterations, and the speed-up. The calls at one and at two
# threads alternate, `reps` pairs of them; each time is the median over its
# reps, and the speed-up the median of the pairs' ratios (with the lowest
# and highest): the speed of a shared machine drifts by 10-20% within
# minutes, and timing all the one-thread calls before all the two-thread
# ones put that drift into the ratio.
#
#   Rscript bench/bench_threads.R [iterations] [cases] [reps]
source(file.path(if (file.exists("bench/common.R")) "bench" else ".", "common.R"))
args <- commandArgs(trailingOnly = TRUE)
iters <- if (length(args) >= 1) as.integer(args[1]) else 30L
cases <- if (length(args) >= 2) strsplit(args[2], "")[[1]] else c("a", "b", "c")
reps <- if (length(args) >= 3) as.integer(args[3]) else 5L

call_seconds <- function(X, beta, threads) {
  time_it(nmf_fit(X, 20L, beta = beta, seed = 1, threads = threads,
                  control = nmf_control(max_iter = iters, tol = 0)))$seconds
}

Xa <- bench_data_a()
Xb <- rsparsematrix(20000, 5000, density = 0.05, rand.x = function(n) rpois(n, 3) + 1)
data <- list(a = list(Xa, 2), b = list(Xb, 2), c = list(Xb, 1))
rows <- lapply(cases, function(cs) {
  X <- data[[cs]][[1]]
  beta <- data[[cs]][[2]]
  pairs <- vapply(seq_len(reps), function(k) {
    c(call_seconds(X, beta, 1L), call_seconds(X, beta, 2L))
  }, numeric(2))
  one <- stats::median(pairs[1, ]) / iters
  two <- stats::median(pairs[2, ]) / iters
  # each pair's ratio: the two calls of a pair ran a second apart, on the
  # same state of the machine
  ratios <- pairs[1, ] / pairs[2, ]
  data.frame(case = cs, beta = beta, one_thread = one, two_threads = two,
             speedup = stats::median(ratios), lowest = min(ratios), highest = max(ratios))
})
print(format(do.call(rbind, rows), digits = 4), row.names = FALSE)
