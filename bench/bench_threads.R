# One thread against two: seconds per iteration of nmf_fit() on cases
# (a), (b) and (c) of bench_rcppml1.R at 1 and 2 threads, whole calls of
# `iterations` iterations (median of three), and the speed-up.
#
#   Rscript bench/bench_threads.R [iterations] [cases]
source(file.path(if (file.exists("bench/common.R")) "bench" else ".", "common.R"))
args <- commandArgs(trailingOnly = TRUE)
iters <- if (length(args) >= 1) as.integer(args[1]) else 30L
cases <- if (length(args) >= 2) strsplit(args[2], "")[[1]] else c("a", "b", "c")

per_iter <- function(X, beta, threads) {
  secs <- vapply(1:3, function(k) time_it(nmf_fit(
    X, 20L, beta = beta, seed = 1, threads = threads,
    control = nmf_control(max_iter = iters, tol = 0)))$seconds, numeric(1))
  stats::median(secs) / iters
}

Xa <- bench_data_a()
Xb <- rsparsematrix(20000, 5000, density = 0.05, rand.x = function(n) rpois(n, 3) + 1)
data <- list(a = list(Xa, 2), b = list(Xb, 2), c = list(Xb, 1))
rows <- lapply(cases, function(cs) {
  X <- data[[cs]][[1]]
  beta <- data[[cs]][[2]]
  one <- per_iter(X, beta, 1L)
  two <- per_iter(X, beta, 2L)
  data.frame(case = cs, beta = beta, one_thread = one, two_threads = two, speedup = one / two)
})
print(format(do.call(rbind, rows), digits = 4), row.names = FALSE)
