# Peak memory of a fit of an HDF5-backed sparse matrix against the same fit
# of the in-memory dgCMatrix. Each case runs in a fresh R process: the
# peak resident size is reset (Linux /proc/self/clear_refs) once the input
# is at hand (the dgCMatrix built, or the HDF5 data set opened without
# reading it) and read from /proc/self/status after the fit, so the HDF5
# cases include reading the data block by block.
#
# Cases: "memory" (the dgCMatrix), "hdf5_sparse" (an HDF5 data set written
# with as.sparse = TRUE: declared sparse, read as sparse blocks) and
# "hdf5_dense" (the same data set without the flag: blocks read dense,
# each kept sparse when at most a third non-zero).
#
#   Rscript bench/bench_delayed_memory.R [m] [n] [density] [rank] [max_iter]
source(file.path(if (file.exists("bench/common.R")) "bench" else ".", "common.R"))
args <- commandArgs(trailingOnly = TRUE)
num <- function(i, default) if (length(args) >= i) as.numeric(args[i]) else default
m <- as.integer(num(1, 10000))
n <- as.integer(num(2, 20000))
density <- num(3, 0.01)
rank <- as.integer(num(4, 10))
max_iter <- as.integer(num(5, 20))
case <- Sys.getenv("BENCH_CASE", "")
file <- Sys.getenv("BENCH_FILE", file.path(tempdir(), "bench_delayed.h5"))

status_kb <- function(field) {
  line <- grep(paste0("^", field, ":"), readLines("/proc/self/status"), value = TRUE)
  as.numeric(gsub("[^0-9]", "", line))
}
make_data <- function() {
  set.seed(1)
  nnz <- round(density * as.numeric(m) * n)
  sparseMatrix(i = sample.int(m, nnz, replace = TRUE), j = sample.int(n, nnz, replace = TRUE),
               x = rpois(nnz, 2) + 1, dims = c(m, n))
}
fit_it <- function(X) {
  nmf_fit(X, rank, beta = "kl", seed = 1, threads = 1,
          control = nmf_control(max_iter = max_iter, tol = 0))
}

if (!nzchar(case)) {
  # the driver: writes the HDF5 data sets once, then one process per case
  suppressPackageStartupMessages(library(HDF5Array))
  X <- make_data()
  t_write <- time_it({
    writeHDF5Array(X, file, "sparse", as.sparse = TRUE)
    writeHDF5Array(X, file, "dense", as.sparse = FALSE)
  })$seconds
  sizes <- c(dgCMatrix = as.numeric(object.size(X)) / 2^20, dense = 8 * as.numeric(m) * n / 2^20)
  cat(sprintf(paste0("%d x %d, %d non-zeros (%.1f%%), KL, rank %d, %d iterations, 1 thread\n",
                     "dgCMatrix %.0f MB; as a dense matrix it would be %.0f MB; ",
                     "HDF5 file %.0f MB (written in %.0f s)\n"),
              m, n, length(X@x), 100 * length(X@x) / (as.numeric(m) * n), rank, max_iter,
              sizes[["dgCMatrix"]], sizes[["dense"]], file.size(file) / 2^20, t_write))
  rm(X)
  script <- normalizePath(sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE)))
  rows <- lapply(c("memory", "hdf5_sparse", "hdf5_dense"), function(k) {
    out <- system2("Rscript", c(script, args), stdout = TRUE,
                   env = c(paste0("BENCH_CASE=", k), paste0("BENCH_FILE=", file)))
    read.table(text = out[length(out)], col.names = c("case", "peak_MB", "seconds", "loss"))
  })
  tab <- do.call(rbind, rows)
  tab$ratio <- tab$peak_MB / tab$peak_MB[tab$case == "memory"]
  print(tab, row.names = FALSE, digits = 4)
  unlink(file)
  quit(save = "no")
}

# one case, in its own process
if (case == "memory") {
  X <- make_data()
} else {
  suppressPackageStartupMessages(library(HDF5Array))
  X <- if (case == "hdf5_sparse") HDF5Array(file, "sparse", as.sparse = TRUE) else
    HDF5Array(file, "dense")
}
gc(full = TRUE)
writeLines("5", "/proc/self/clear_refs")
base_kb <- status_kb("VmRSS")
t <- time_it(fit <- fit_it(X))
peak_kb <- status_kb("VmHWM")
cat(sprintf("%s %.1f %.2f %.10g\n", case, (peak_kb - base_kb) / 1024, t$seconds, fit$loss))
