# Data in every container the entry points take: a sparse count matrix with
# row and column names, the same as a dense matrix, in a
# SummarizedExperiment and a SingleCellExperiment (assay "counts", a second
# assay first so that the assay argument matters), and HDF5 data sets
# written declared sparse and as plain (dense) data sets.

bioc_counts <- function(m = 40, n = 30, seed = 1) {
  withr::local_seed(seed)
  x <- matrix(stats::rpois(m * n, 2), m, n) * (stats::runif(m * n) > 0.6)
  storage.mode(x) <- "double"
  dimnames(x) <- list(paste0("gene", seq_len(m)), paste0("cell", seq_len(n)))
  x[1, 1] <- x[1, 1] + 1  # a positive entry in the first row and column
  x
}

# The SummarizedExperiment (or SingleCellExperiment) holding x as "counts",
# after an assay "other" (so that the first assay is not the data).
bioc_se <- function(x, sce = FALSE) {
  sparse <- methods::as(x, "CsparseMatrix")
  assays <- list(other = x + 1, counts = sparse)
  if (sce) {
    SingleCellExperiment::SingleCellExperiment(assays = assays)
  } else {
    SummarizedExperiment::SummarizedExperiment(assays = assays)
  }
}

# x written to a temporary HDF5 file: declared sparse, or as a plain data set.
bioc_h5 <- function(x, sparse = TRUE) {
  path <- withr::local_tempfile(fileext = ".h5", .local_envir = parent.frame())
  HDF5Array::writeHDF5Array(if (sparse) methods::as(x, "CsparseMatrix") else x, path,
                            "x", with.dimnames = TRUE, as.sparse = sparse)
}

# Every pair of results compared by the tests: W, H, loss.
expect_same_fit <- function(a, b) {
  expect_equal(a$W, b$W)
  expect_equal(a$H, b$H)
  expect_equal(a$loss, b$loss)
}
