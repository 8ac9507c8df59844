# Time per iteration and peak memory of nmf_fit() on a large sparse count
# matrix, for beta = 2 (BCD) and beta = 1 (coordinate descent).
#
#   Rscript bench/bench_size.R [threads] [iterations] [m] [n] [nnz]
#
# Defaults: 2 threads, 10 iterations, a 100000 x 20000 matrix with 20
# million non-zeros (Poisson counts + 1 at random positions), rank 20.
# Each fit runs in a fresh R process that reads the data from disk, so
# its memory is measured from the data alone: the resident size before the
# fit (R plus the dgCMatrix), the peak during the fit (VmHWM of Linux, reset
# before the fit), and the growth, against the size of the input and of
# the factors W (m x r) and H (r x n).
source(file.path(if (file.exists("bench/common.R")) "bench" else ".", "common.R"))
args <- commandArgs(trailingOnly = TRUE)
num <- function(i, default) if (length(args) >= i) as.numeric(args[i]) else default
threads <- as.integer(num(1, 2))
iters <- as.integer(num(2, 10))
m <- num(3, 1e5)
n <- num(4, 2e4)
nnz <- num(5, 2e7)
r <- 20L

d <- tempfile("size")
dir.create(d)
on.exit(unlink(d, recursive = TRUE))
set.seed(20261201)
# nnz distinct positions, drawn column by column
per_col <- as.integer(stats::rmultinom(1, nnz, rep(1, n)))
per_col <- pmin(per_col, m)
i <- unlist(lapply(per_col, function(k) sort(sample.int(m, k)) - 1L), use.names = FALSE)
X <- new("dgCMatrix", i = i, p = c(0L, cumsum(per_col)) |> as.integer(), x = stats::rpois(length(i), 3) + 1,
         Dim = as.integer(c(m, n)))
rm(i)
saveRDS(X, file.path(d, "x.rds"), compress = FALSE)
input_mb <- as.numeric(object.size(X)) / 2^20
factors_mb <- 8 * (m + n) * r / 2^20
nz <- length(X@x)
rm(X)
invisible(gc(FALSE))

measure <- function(beta) {
  code <- c(
    "suppressPackageStartupMessages({library(Matrix); library(betanmf)})",
    "status <- function(key) as.numeric(sub('.*:\\\\s*([0-9]+) kB', '\\\\1', grep(paste0('^', key), readLines('/proc/self/status'), value = TRUE))) / 1024",
    sprintf("X <- readRDS('%s')", file.path(d, "x.rds")),
    "invisible(gc(FALSE))",
    "before <- status('VmRSS')",
    "writeLines('5', '/proc/self/clear_refs')",
    sprintf("t0 <- proc.time()[['elapsed']]; fit <- nmf_fit(X, %d, beta = %g, seed = 1, threads = %d, control = nmf_control(max_iter = %d, tol = 0)); secs <- proc.time()[['elapsed']] - t0",
            r, beta, threads, iters),
    "h <- fit$history",
    sprintf("cat(before, status('VmHWM'), secs, (h$seconds[nrow(h)] - h$seconds[1]) / (nrow(h) - 1), h$seconds[1], fit$loss, '\\n', file = '%s')",
            file.path(d, "out.txt")))
  writeLines(code, file.path(d, "run.R"))
  system2(file.path(R.home("bin"), "Rscript"), file.path(d, "run.R"))
  v <- scan(file.path(d, "out.txt"), quiet = TRUE)
  data.frame(beta = beta, solver = if (beta == 2) "bcd" else "cd", rss_before_mb = v[1],
             peak_mb = v[2], growth_mb = v[2] - v[1], seconds = v[3], s_per_iter = v[4],
             first_iter_s = v[5], loss = v[6])
}

message(sprintf("%g x %g, %d non-zeros, rank %d, %d iterations, %d thread(s)", m, n, nz, r,
                iters, threads))
res <- rbind(measure(2), measure(1))
cat(sprintf("input (dgCMatrix) %.0f MB; factors W and H %.0f MB; allowance input + 20%% + factors = %.0f MB of growth over the input: %.0f MB\n",
            input_mb, factors_mb, 1.2 * input_mb + factors_mb, 0.2 * input_mb + factors_mb))
res$growth_over_input <- res$growth_mb / input_mb
print(format(res, digits = 4), row.names = FALSE)
