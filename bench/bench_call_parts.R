# Where the time of one call goes, at one and at two threads, on case (a)
# (or (b)): the checks and preparation of the data, one iteration (from
# 1 and 11 iterations from the same given factors), the rest of a call (its
# once-only parts, at the same number of threads), and the final divergence
# alone. Medians of `reps` calls; the parts that do not scale with threads
# are what keeps a whole call below a speed-up of 2.
#
#   Rscript bench/bench_call_parts.R [case] [reps]
source(file.path(if (file.exists("bench/common.R")) "bench" else ".", "common.R"))
args <- commandArgs(trailingOnly = TRUE)
case <- if (length(args) >= 1) args[1] else "a"
reps <- if (length(args) >= 2) as.integer(args[2]) else 9L

X <- bench_data_a()
if (case == "b")
  X <- rsparsematrix(20000, 5000, density = 0.05, rand.x = function(n) rpois(n, 3) + 1)
start <- nmf_fit(X, 20L, beta = 2, seed = 1, threads = 2,
                 control = nmf_control(max_iter = 1, tol = 0))
med <- function(f) stats::median(vapply(seq_len(reps), function(k) f(), numeric(1)))
call <- function(threads, iters) med(function() time_it(nmf_fit(
  X, 20L, beta = 2, seed = 1, threads = threads, init = list(W = start$W, H = start$H),
  control = nmf_control(max_iter = iters, tol = 0)))$seconds)
rows <- lapply(1:2, function(threads) {
  one <- call(threads, 1L)
  eleven <- call(threads, 11L)
  per_iter <- (eleven - one) / 10
  data.frame(threads = threads,
             preparation = med(function() time_it(betanmf:::prepare_data(X, beta = 2))$seconds),
             iteration = per_iter, once = one - per_iter,
             divergence = med(function() time_it(beta_divergence(X, start, beta = 2,
                                                                 threads = threads))$seconds))
})
out <- do.call(rbind, rows)
print(format(out, digits = 3), row.names = FALSE)
message(sprintf("speed-up of an iteration %.2f, of the once-only part %.2f",
                out$iteration[1] / out$iteration[2], out$once[1] / out$once[2]))
