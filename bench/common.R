# Shared pieces of the benchmark scripts: timing, the scikit-learn runner
# and the objective of any pair of factors, computed by betanmf itself so
# that every method is scored by the same formula.
suppressPackageStartupMessages({
  library(betanmf)
  library(Matrix)
})
python <- if (file.exists("/usr/bin/python3")) "/usr/bin/python3" else "python3"
bench_dir <- if (file.exists("bench/sklearn_nmf.py")) "bench" else "."
has <- function(pkg) requireNamespace(pkg, quietly = TRUE)

# Benchmark-only C++ (product_seconds()) built against the package's headers.
load_bench_cpp <- function() {
  inc <- system.file("include", package = "betanmf")
  old <- Sys.getenv("PKG_CPPFLAGS")
  on.exit(Sys.setenv(PKG_CPPFLAGS = old))
  Sys.setenv(PKG_CPPFLAGS = paste0("-I", inc))
  Rcpp::sourceCpp(file.path(bench_dir, "product_seconds.cpp"), env = globalenv())
}

# The data of benchmark (a): a dense 3000 x 2000 matrix of rank 20 plus
# uniform noise, drawn after set.seed(20261129); the random stream goes on
# from there, so data drawn next (case (b)) are those of every script.
bench_data_a <- function() {
  set.seed(20261129)
  matrix(runif(3000 * 20), 3000) %*% matrix(runif(20 * 2000), 20) +
    matrix(runif(3000 * 2000, 0, 1), 3000)
}

time_it <- function(expr) {
  gc(FALSE)
  t0 <- proc.time()[["elapsed"]]
  value <- force(expr)
  list(value = value, seconds = proc.time()[["elapsed"]] - t0)
}

# sum d_beta(X | W H), exact, never densifying a sparse X.
objective <- function(X, W, H, beta, threads = 1L) {
  beta_divergence(X, structure(list(W = W, H = H), class = "nmf_fit"), beta = beta,
                  threads = threads)
}

has_sklearn <- function() {
  system2(python, c("-c", shQuote("import sklearn, threadpoolctl")), stdout = FALSE,
          stderr = FALSE) == 0
}

# scikit-learn's NMF on X (dense or dgCMatrix): list(seconds, W, H).
run_sklearn <- function(X, r, iters, threads, solver = "cd", beta_loss = "frobenius") {
  if (!has_sklearn()) return(NULL)
  d <- tempfile("sk")
  dir.create(d)
  on.exit(unlink(d, recursive = TRUE))
  if (is(X, "sparseMatrix")) {
    writeLines(sprintf("sparse %d %d %d", nrow(X), ncol(X), length(X@x)), file.path(d, "meta.txt"))
    writeBin(X@x, file.path(d, "x.bin"), endian = "little")
    writeBin(X@i, file.path(d, "i.bin"), endian = "little")
    writeBin(X@p, file.path(d, "p.bin"), endian = "little")
  } else {
    writeLines(sprintf("dense %d %d", nrow(X), ncol(X)), file.path(d, "meta.txt"))
    writeBin(as.vector(X), file.path(d, "x.bin"), endian = "little")
  }
  out <- system2(python, c(file.path(bench_dir, "sklearn_nmf.py"), d, r, iters, threads,
                           solver, beta_loss), stdout = TRUE)
  secs <- as.numeric(sub("seconds ", "", grep("^seconds", out, value = TRUE)))
  W <- matrix(readBin(file.path(d, "W.bin"), "double", nrow(X) * r), nrow(X))
  H <- matrix(readBin(file.path(d, "H.bin"), "double", r * ncol(X)), r)
  list(seconds = secs, W = W, H = H)
}
