# Peak memory of nmf_cv() against one fit on a large sparse matrix (issue:
# reliability, CV that fits in memory): 200,000 x 20,000 counts with 2
# million non-zeros, the speckled and blocks hold-outs at the default
# fraction = 0.1 (400 million held-out entries, which the core generates
# where it needs them instead of storing). Each case runs in a fresh R
# process that builds the same input, resets its peak resident size
# (Linux /proc/self/clear_refs) and reads it from /proc/self/status after
# the call; the driver prints each peak beyond the input and the ratio of
# each nmf_cv() to the fit (target: at most 2).
#
#   Rscript bench/bench_cv_memory.R [rank] [max_iter] [threads] [beta]
# (with a first argument "fit", "speckled" or "blocks": one case, as the
# driver runs it)
source(file.path(if (file.exists("bench/common.R")) "bench" else ".", "common.R"))
args <- commandArgs(trailingOnly = TRUE)
cases <- c("fit", "speckled", "blocks")
one <- length(args) && args[1] %in% cases
opt <- if (one) args[-1] else args
rank <- if (length(opt) >= 1) as.integer(opt[1]) else 10L
max_iter <- if (length(opt) >= 2) as.integer(opt[2]) else 10L
threads <- if (length(opt) >= 3) as.integer(opt[3]) else 2L
beta <- if (length(opt) >= 4) as.numeric(opt[4]) else 2

if (!one) {
  script <- sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE))
  res <- lapply(cases, function(case) {
    out <- system2(file.path(R.home("bin"), "Rscript"),
                   c(script, case, rank, max_iter, threads, beta), stdout = TRUE)
    line <- grep("^peak", out, value = TRUE)
    if (!length(line)) stop("case ", case, " failed:\n", paste(out, collapse = "\n"))
    v <- as.numeric(strsplit(sub("^peak ", "", line), " ")[[1]])
    data.frame(case = case, input_mb = v[1], peak_mb = v[2], seconds = v[3])
  })
  res <- do.call(rbind, res)
  res$ratio_to_fit <- res$peak_mb / res$peak_mb[1]
  message(sprintf(paste0("200,000 x 20,000 sparse counts, 2e6 non-zeros (%.0f MB); rank %d, ",
                         "beta %g, %d iterations per fit, %d thread(s); nmf_cv(): one ",
                         "replicate, fraction 0.1"), res$input_mb[1], rank, beta, max_iter,
                  threads))
  print(res, row.names = FALSE, digits = 3)
  quit(save = "no")
}

status_kb <- function(field) {
  line <- grep(paste0("^", field, ":"), readLines("/proc/self/status"), value = TRUE)
  as.numeric(gsub("[^0-9]", "", line))
}
set.seed(1)
m <- 200000L
n <- 20000L
nnz <- 2e6
X <- sparseMatrix(i = sample.int(m, nnz, replace = TRUE), j = sample.int(n, nnz, replace = TRUE),
                  x = rpois(nnz, 2) + 1, dims = c(m, n))
input_mb <- as.numeric(object.size(X)) / 2^20
ctrl <- nmf_control(max_iter = max_iter, tol = 0)
gc(full = TRUE)
writeLines("5", "/proc/self/clear_refs")
base_kb <- status_kb("VmRSS")
t <- time_it(if (args[1] == "fit") {
  nmf_fit(X, rank, beta = beta, seed = 1, threads = threads, control = ctrl)
} else {
  nmf_cv(X, rank, beta = beta, holdout = args[1], replicates = 1, seed = 1, threads = threads,
         control = ctrl)
})
peak_kb <- status_kb("VmHWM")
writeLines(sprintf("peak %.1f %.1f %.1f", input_mb, (peak_kb - base_kb) / 1024, t$seconds))
