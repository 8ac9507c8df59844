# Peak memory of nmf_consensus() beyond its input (issue: alignment,
# stability and consensus): 20 restarts of a 20,000 x 1,000,000 sparse
# matrix, rank 10, 0.1% dense. The peak resident size of the process is
# reset after the input is built (Linux /proc/self/clear_refs) and read
# from /proc/self/status afterwards.
#
#   Rscript bench/bench_consensus_memory.R [threads] [max_iter] [n_cols]
source(file.path(if (file.exists("bench/common.R")) "bench" else ".", "common.R"))
args <- commandArgs(trailingOnly = TRUE)
threads <- if (length(args) >= 1) as.integer(args[1]) else 2L
max_iter <- if (length(args) >= 2) as.integer(args[2]) else 10L
n_cols <- if (length(args) >= 3) as.integer(args[3]) else 1000000L
status_kb <- function(field) {
  line <- grep(paste0("^", field, ":"), readLines("/proc/self/status"), value = TRUE)
  as.numeric(gsub("[^0-9]", "", line))
}
set.seed(1)
m <- 20000L
nnz <- round(0.001 * m * n_cols)
X <- sparseMatrix(i = sample.int(m, nnz, replace = TRUE), j = sample.int(n_cols, nnz, replace = TRUE),
                  x = rpois(nnz, 2) + 1, dims = c(m, n_cols))
input_mb <- as.numeric(object.size(X)) / 2^20
gc(full = TRUE)
writeLines("5", "/proc/self/clear_refs")
base_kb <- status_kb("VmRSS")
t <- time_it(cons <- nmf_consensus(X, 10, beta = 2, restarts = 20, seed = 1, threads = threads,
                                   control = nmf_control(max_iter = max_iter, tol = 0)))
peak_kb <- status_kb("VmHWM")
cat(sprintf(paste0("input %d x %d, %d non-zeros (%.0f MB); 20 restarts, rank 10, %d iterations each, ",
                   "%d thread(s), %.1f s\npeak resident memory beyond the input: %.0f MB ",
                   "(target: at most 1024 MB)\n"),
            m, n_cols, length(X@x), input_mb, max_iter, threads, t$seconds,
            (peak_kb - base_kb) / 1024))
