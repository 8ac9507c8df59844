# Overhead of nmf_consensus(): 20 restarts on benchmark (a) (dense 3000 x
# 2000, rank 20), against the 20 plain fits it contains (nmf_fit() with the
# same seeds, random starts and control). The difference is the alignment,
# the median, the restart filter and the refit of H with the consensus W.
#
#   Rscript bench/bench_consensus.R [threads] [max_iter]
source(file.path(if (file.exists("bench/common.R")) "bench" else ".", "common.R"))
args <- commandArgs(trailingOnly = TRUE)
threads <- if (length(args) >= 1) as.integer(args[1]) else 1L
max_iter <- if (length(args) >= 2) as.integer(args[2]) else 50L
Xa <- bench_data_a()
ctl <- nmf_control(max_iter = max_iter, tol = 0)
seeds <- c(1L, vapply(2:20, function(k) betanmf:::restart_seed(1L, k), integer(1)))
plain <- time_it(for (s in seeds) {
  nmf_fit(Xa, 20, init = "random", seed = s, threads = threads, control = ctl)
})
cons <- time_it(nmf_consensus(Xa, 20, restarts = 20, seed = 1, threads = threads,
                              control = ctl))
message(sprintf(paste0("nmf_consensus (20 restarts) %.2f s, 20 plain fits %.2f s, ratio %.3f ",
                       "(%d kept, %d set aside)"),
                cons$seconds, plain$seconds, cons$seconds / plain$seconds,
                length(cons$value$kept), length(cons$value$set_aside)))
