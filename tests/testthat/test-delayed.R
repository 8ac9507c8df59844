# DelayedArray inputs read block by block (R/delayed.R): the form of the
# result, its values and names, and blocks smaller than the matrix.

skip_if_not_installed("DelayedArray")

read_delayed <- betanmf:::read_delayed

test_that("a DelayedArray over a dgCMatrix is that matrix, without a copy", {
  x <- bioc_counts()
  S <- methods::as(x, "CsparseMatrix")
  D <- DelayedArray::DelayedArray(S)
  out <- read_delayed(D)
  expect_s4_class(out, "dgCMatrix")
  expect_identical(out@x, S@x)
  expect_identical(dimnames(out), dimnames(x))
})

test_that("delayed operations are applied block by block, with blocks smaller than the matrix", {
  x <- bioc_counts(60, 50)
  S <- methods::as(x, "CsparseMatrix")
  old <- DelayedArray::getAutoBlockSize()
  suppressMessages(DelayedArray::setAutoBlockSize(8 * 60 * 7))  # seven columns per block
  withr::defer(suppressMessages(DelayedArray::setAutoBlockSize(old)))
  D <- DelayedArray::DelayedArray(S) * 2
  expect_gt(length(DelayedArray::colAutoGrid(D)), 5L)
  out <- read_delayed(D)
  expect_s4_class(out, "dgCMatrix")
  expect_identical(as.matrix(out), 2 * x)
  # a dense matrix wrapped with an operation: dense blocks, a dense result
  dense <- x + 1
  out <- read_delayed(DelayedArray::DelayedArray(dense) + 0)
  expect_true(is.matrix(out) && is.double(out))
  expect_identical(out, dense)
})

test_that("an undeclared sparse matrix becomes a dgCMatrix, a dense one a matrix", {
  skip_if_not_installed("HDF5Array")
  x <- bioc_counts()  # about a quarter non-zero
  h5 <- bioc_h5(x, sparse = FALSE)
  expect_false(DelayedArray::is_sparse(h5))
  out <- read_delayed(h5)
  expect_s4_class(out, "dgCMatrix")
  expect_identical(as.matrix(out), x)
  dense <- x + 1
  out <- read_delayed(bioc_h5(dense, sparse = FALSE))
  expect_true(is.matrix(out))
  expect_identical(out, dense)
  # declared sparse: a dgCMatrix whatever the density
  out <- read_delayed(bioc_h5(dense, sparse = TRUE))
  expect_s4_class(out, "dgCMatrix")
  expect_identical(as.matrix(out), dense)
})

test_that("missing values and integers come through; bad data get the errors of a matrix", {
  x <- bioc_counts()
  x[2, 3] <- NA
  D <- DelayedArray::DelayedArray(x) * 1L
  out <- read_delayed(D)
  expect_true(is.na(as.matrix(out)[2, 3]))
  fit <- nmf_fit(D, 2, seed = 1, threads = 1)
  expect_equal(fit$W, nmf_fit(x, 2, seed = 1, threads = 1)$W)
  neg <- DelayedArray::DelayedArray(-abs(bioc_counts()))
  expect_error(nmf_fit(neg, 2), "`x` has .* negative entries")
  arr <- DelayedArray::DelayedArray(array(1, c(2, 2, 2)))
  expect_error(nmf_fit(arr, 1), "`x` must be a matrix \\(two dimensions\\)")
})
