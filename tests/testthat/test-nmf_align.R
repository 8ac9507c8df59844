# An nmf_fit-like object from factors, as nmf_fit() would return it.
as_fit <- function(W, H, loss = 1) {
  structure(list(W = W, H = H, loss = loss, rank = ncol(W)), class = "nmf_fit")
}

random_fit <- function(m = 30, n = 20, r = 5, loss = 1) {
  as_fit(matrix(runif(m * r), m, r), matrix(runif(r * n), r, n), loss)
}

# The same factorization with components permuted by `perm` and rescaled by
# `d` (W d, d^-1 H): an equally good fit.
permute_rescale <- function(fit, perm, d, loss = fit$loss) {
  as_fit(sweep(fit$W[, perm, drop = FALSE], 2, d, `*`),
         sweep(fit$H[perm, , drop = FALSE], 1, d, `/`), loss)
}

unit_cols <- function(W) sweep(W, 2, sqrt(colSums(W^2)), `/`)

test_that("a permuted and rescaled fit is recovered exactly", {
  withr::local_seed(11)
  for (r in c(1, 2, 5, 9)) {
    fit <- random_fit(r = r)
    perm <- sample.int(r)
    other <- permute_rescale(fit, perm, runif(r, 0.01, 100))
    for (by in c("W", "H")) {
      al <- nmf_align(other, reference = fit, by = by)
      expect_s3_class(al, "nmf_align")
      # Reference component j was moved to position which(perm == j).
      expect_identical(al$permutation, match(seq_len(r), perm))
      expect_identical(al$order, al$permutation)
      expect_identical(al$matched, seq_len(r))
      expect_equal(al$similarity, rep(1, r), tolerance = 1e-12)
      expect_identical(al$unmatched, integer(0))
      expect_equal(dim(al$matrix), c(r, r))
      expect_equal(unit_cols(al$aligned$W), unit_cols(fit$W), tolerance = 1e-12)
      # Columns of W and rows of H move together: the product is unchanged.
      expect_equal(al$aligned$W %*% al$aligned$H, other$W %*% other$H)
      expect_identical(al$aligned$loss, other$loss)
    }
  }
})

test_that("aligning a fit to itself gives the identity", {
  withr::local_seed(12)
  fit <- random_fit(r = 6)
  al <- nmf_align(fit, reference = fit)
  expect_identical(al$permutation, 1:6)
  expect_equal(al$similarity, rep(1, 6))
  expect_identical(al$aligned, fit)
  expect_equal(diag(al$matrix), rep(1, 6))
})

test_that("matrices are aligned by their columns, names kept", {
  withr::local_seed(13)
  ref <- matrix(runif(40 * 4), 40, dimnames = list(NULL, paste0("S", 1:4)))
  x <- ref[, c(2, 4, 1, 3)] * 3
  al <- nmf_align(x, reference = ref)
  expect_identical(al$permutation, c(3L, 1L, 4L, 2L))
  expect_identical(colnames(al$aligned), paste0("S", 1:4))
  expect_identical(dimnames(al$matrix), list(colnames(x), colnames(ref)))
  # Components of a fit compared with a matrix of reference columns.
  fit <- as_fit(x, matrix(1, 4, 7))
  expect_identical(nmf_align(fit, ref)$permutation, c(3L, 1L, 4L, 2L))
})

test_that("a reference with more components leaves some unmatched", {
  withr::local_seed(14)
  catalog <- matrix(runif(96 * 10), 96)
  x <- catalog[, c(7, 2, 9)] * c(2, 5, 0.5)[col(catalog[, 1:3])]
  al <- nmf_align(x, reference = catalog)
  expected <- rep(NA_integer_, 10)
  expected[c(2, 7, 9)] <- c(2L, 1L, 3L)
  expect_identical(al$permutation, expected)
  expect_identical(al$order, c(2L, 1L, 3L))
  expect_identical(al$matched, c(2L, 7L, 9L))
  expect_equal(al$similarity, c(1, 1, 1))
  expect_identical(al$unmatched, integer(0))
  expect_equal(dim(al$matrix), c(3, 10))
})

test_that("x with more components than the reference lists the unmatched ones", {
  withr::local_seed(15)
  catalog <- matrix(runif(50 * 5), 50)
  fit <- as_fit(catalog, matrix(runif(5 * 8), 5))
  al <- nmf_align(fit, reference = catalog[, c(4, 2)])
  expect_identical(al$permutation, c(4L, 2L))
  expect_identical(al$order, c(4L, 2L, 1L, 3L, 5L))
  expect_identical(al$matched, c(1L, 2L, NA, NA, NA))
  expect_equal(al$similarity, c(1, 1, NA, NA, NA))
  expect_identical(al$unmatched, c(1L, 3L, 5L))
  expect_identical(al$aligned$W, catalog[, c(4, 2, 1, 3, 5)])
  expect_identical(al$aligned$H, fit$H[c(4, 2, 1, 3, 5), ])
})

test_that("a list without reference is aligned to the fit of lowest loss", {
  withr::local_seed(16)
  best <- random_fit(r = 4, loss = 1)
  perms <- list(c(2L, 1L, 4L, 3L), 1:4, c(4L, 3L, 2L, 1L))
  losses <- c(3, 1, 2)
  fits <- lapply(1:3, function(i) {
    permute_rescale(best, perms[[i]], runif(4, 0.5, 2), loss = losses[i])
  })
  names(fits) <- c("a", "b", "c")
  al <- nmf_align(fits)
  expect_identical(al$reference_index, 2L)
  expect_identical(al$n_fits, 3L)
  expect_identical(dim(al$permutation), c(4L, 3L))
  expect_identical(colnames(al$permutation), c("a", "b", "c"))
  for (i in 1:3) {
    expect_identical(al$permutation[, i], match(1:4, perms[[i]]))
    expect_equal(unit_cols(al$aligned[[i]]$W), unit_cols(best$W), tolerance = 1e-12)
  }
  expect_equal(unname(al$similarity), matrix(1, 4, 3), tolerance = 1e-12)
  expect_identical(dim(al$matrix), c(4L, 4L, 3L))
  expect_identical(al$unmatched, list(a = integer(0), b = integer(0), c = integer(0)))
  # With a reference given, every element (fits or matrices) is aligned to it.
  al2 <- nmf_align(list(fits$a, fits$c$W), reference = best)
  expect_null(al2$reference_index)
  expect_identical(al2$permutation[, 2], match(1:4, perms[[3]]))
  expect_identical(al2$aligned[[2]], fits$c$W[, match(1:4, perms[[3]])])
})

test_that("zero components give similarity 0, never NaN", {
  W <- cbind(c(1, 2, 3), 0, c(0, 1, 0))
  al <- nmf_align(W, reference = W)
  expect_false(anyNA(al$matrix))
  expect_equal(al$matrix[2, ], c(0, 0, 0))
  expect_equal(al$similarity, c(1, 0, 1))
})

test_that("nmf_align() errors name the argument", {
  withr::local_seed(17)
  fit <- random_fit(m = 10, n = 8, r = 3)
  expect_error(nmf_align(fit), "`reference` must be an nmf_fit or a matrix")
  expect_error(nmf_align("a", fit$W), "`x` must be an nmf_fit or a numeric matrix")
  expect_error(nmf_align(fit, data.frame(fit$W)), "`reference` must be .*; got a data frame")
  expect_error(nmf_align(fit, fit$W[-1, ]), "m \\(rows of W\\) is 10 for `x` but 9")
  expect_error(nmf_align(fit, fit$W, by = "H"), "n \\(columns of H\\) is 8 for `x` but 10")
  expect_error(nmf_align(fit, fit, by = "V"), "`by` must be one of \"W\", \"H\"")
  bad <- fit$W
  bad[1, 1] <- NA
  expect_error(nmf_align(fit, bad), "`reference` must contain only finite values")
  bad[1, 1] <- -1
  expect_error(nmf_align(fit, bad), "`reference` must be non-negative")
  neg <- fit
  neg$H[2, 2] <- -0.5
  expect_error(nmf_align(neg, fit, by = "H"), "`x\\$H` must be non-negative")
  expect_error(nmf_align(list(fit, fit$W)), "`reference` must be given when `x` holds matrices")
  expect_error(nmf_align(list(fit, random_fit(m = 10, r = 2))), "same number of components")
  expect_error(nmf_align(list(fit, "a"), fit), "`x\\[\\[2\\]\\]` must be an nmf_fit")
  expect_error(nmf_align(list()), "got an empty list")
  no_loss <- fit
  no_loss$loss <- NULL
  expect_error(nmf_align(list(fit, no_loss)), "`x\\[\\[2\\]\\]\\$loss` must be a single finite")
  broken <- fit
  broken$H <- broken$H[-1, ]
  expect_error(nmf_align(broken, fit), "as many columns of W as rows of H")
})

test_that("print and plot methods work", {
  W <- matrix(c(5, 0, 1, 2, 0, 4, 1, 0, 1, 1, 6, 0), 4)
  fit <- as_fit(W, matrix(1, 3, 2))
  other <- as_fit(W[, c(3, 1, 2)], matrix(1, 3, 2), loss = 2)
  expect_snapshot({
    print(nmf_align(other, reference = fit))
    print(nmf_align(W, reference = W[, c(3, 1)]))
    print(nmf_align(list(fit, other)))
  })
  withr::local_pdf(tempfile(fileext = ".pdf"))
  expect_invisible(plot(nmf_align(other, reference = fit)))
  expect_invisible(plot(nmf_align(list(fit, other))))
  expect_invisible(plot(nmf_align(list(fit, other)), fit = 2))
  expect_error(plot(nmf_align(list(fit, other)), fit = 3), "`fit` must be a single index")
})
