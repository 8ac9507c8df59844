# Every entry point on a SummarizedExperiment, a SingleCellExperiment and
# HDF5-backed matrices gives what it gives on the plain matrix;
# nmf_store() round-trips; the stored calls update().

skip_if_not_installed("SummarizedExperiment")
skip_if_not_installed("SingleCellExperiment")

test_that("nmf_fit() gives the fit of the matrix for an SE, an SCE and HDF5 data", {
  skip_if_not_installed("HDF5Array")
  x <- bioc_counts()
  ref <- nmf_fit(x, 3, beta = "kl", seed = 1, threads = 1)
  for (obj in list(bioc_se(x), bioc_se(x, sce = TRUE))) {
    expect_same_fit(nmf_fit(obj, 3, beta = "kl", assay = "counts", seed = 1, threads = 1), ref)
    expect_same_fit(nmf_fit(obj, 3, beta = "kl", assay = 2, seed = 1, threads = 1), ref)
  }
  h5 <- bioc_h5(x)
  fit_h5 <- nmf_fit(h5, 3, beta = "kl", seed = 1, threads = 1)
  expect_same_fit(fit_h5, ref)
  expect_true(fit_h5$data$sparse)
  expect_same_fit(nmf_fit(bioc_h5(x, sparse = FALSE), 3, beta = "kl", seed = 1, threads = 1),
                  ref)
})

test_that("the first assay is the default and a wrong assay is an error naming `assay`", {
  x <- bioc_counts()
  se <- bioc_se(x)
  first <- nmf_fit(se, 2, seed = 1, threads = 1)
  expect_same_fit(first, nmf_fit(x + 1, 2, seed = 1, threads = 1))
  expect_error(nmf_fit(se, 2, assay = "foo"), "`assay` must name an assay of `x`.*\"counts\"")
  expect_error(nmf_fit(se, 2, assay = 3), "between 1 and 2; got the double value 3")
  expect_error(predict(nmf_fit(x, 2, seed = 1, threads = 1), x, assay = "counts"),
               "`assay` is used only when `newdata` is a SummarizedExperiment")
})

test_that("a sparse assay is read without a copy", {
  skip_if(!capabilities("profmem"), "R built without memory profiling")
  x <- bioc_counts()
  se <- bioc_se(x)
  stored <- SummarizedExperiment::assay(se, "counts", withDimnames = FALSE)
  read <- betanmf:::data_matrix(se, "counts")
  expect_identical(read@x, stored@x)
  copies <- utils::capture.output({
    tracemem(stored@x)
    fit <- nmf_fit(se, 2, assay = "counts", seed = 1, threads = 1)
    untracemem(stored@x)
  })
  expect_false(any(grepl("tracemem", copies)))
})

test_that("nmf_cv() gives the curve of the matrix for an SE, an SCE and HDF5 data", {
  skip_if_not_installed("HDF5Array")
  x <- bioc_counts()
  ref <- nmf_cv(x, 1:3, beta = "kl", replicates = 2, seed = 1, threads = 1)
  for (obj in list(bioc_se(x), bioc_se(x, sce = TRUE))) {
    cv <- nmf_cv(obj, 1:3, beta = "kl", replicates = 2, seed = 1, threads = 1,
                 assay = "counts")
    expect_equal(cv$summary, ref$summary)
    expect_identical(cv$rank, ref$rank)
  }
  expect_equal(nmf_cv(bioc_h5(x), 1:3, beta = "kl", replicates = 2, seed = 1,
                      threads = 1)$summary, ref$summary)
})

test_that("nmf_consensus() gives the consensus of the matrix for an SE, an SCE and HDF5 data", {
  skip_if_not_installed("HDF5Array")
  x <- bioc_counts()
  ref <- nmf_consensus(x, 2, beta = "kl", restarts = 3, seed = 1, threads = 1)
  for (obj in list(bioc_se(x), bioc_se(x, sce = TRUE), bioc_h5(x))) {
    cons <- if (inherits(obj, "SummarizedExperiment")) {
      nmf_consensus(obj, 2, beta = "kl", restarts = 3, seed = 1, threads = 1, assay = "counts")
    } else {
      nmf_consensus(obj, 2, beta = "kl", restarts = 3, seed = 1, threads = 1)
    }
    expect_equal(cons$W, ref$W)
    expect_equal(cons$H, ref$H)
    expect_equal(cons$stability, ref$stability)
  }
  # pooled restarts, through the SummarizedExperiment method
  pooled <- nmf_consensus(bioc_se(x), 2, beta = "kl", restarts = 3, seed = 1, threads = 1,
                          assay = "counts", pool = 2)
  expect_identical(pooled$pool, 2L)
  expect_equal(pooled$W, nmf_consensus(x, 2, beta = "kl", restarts = 3, seed = 1,
                                       threads = 1, pool = 2)$W)
})

test_that("predict(), beta_divergence(), residuals() and fitted() take an SE, an SCE and HDF5 data", {
  skip_if_not_installed("HDF5Array")
  x <- bioc_counts()
  fit <- nmf_fit(x, 3, beta = "kl", seed = 1, threads = 1)
  h5 <- bioc_h5(x)
  for (obj in list(bioc_se(x), bioc_se(x, sce = TRUE))) {
    expect_equal(predict(fit, obj, assay = "counts", threads = 1),
                 predict(fit, x, threads = 1))
    expect_equal(beta_divergence(obj, fit, "kl", assay = "counts"),
                 beta_divergence(x, fit, "kl"))
    expect_equal(residuals(fit, obj, assay = "counts"), residuals(fit, x))
    expect_equal(fitted(fit, obj), fitted(fit))
  }
  expect_equal(predict(fit, h5, threads = 1), predict(fit, x, threads = 1))
  expect_equal(beta_divergence(h5, fit, "kl"), beta_divergence(x, fit, "kl"))
  expect_equal(residuals(fit, h5, type = "deviance"), residuals(fit, x, type = "deviance"))
  expect_equal(fitted(fit, h5), fitted(fit))
  expect_error(fitted(fit, x[, -1]), "`data` must be 40 x 30 like the fitted model; got 40 x 29")
  expect_error(beta_divergence(x, fit, "kl", assay = "counts"), "`assay` is used only")
  expect_error(nmf_fit(x, 2, assay = "counts"), "`assay` is used only when `x`")
  expect_error(nmf_cv(x, 1:2, assay = 1), "`assay` is used only when `x`")
  expect_error(nmf_consensus(x, 2, assay = 1), "`assay` is used only when `x`")
})

test_that("nmf_store() writes scater's layout into an SCE and nmf_stored() reads the fit back", {
  x <- bioc_counts()
  sce <- bioc_se(x, sce = TRUE)
  fit <- nmf_fit(sce, 3, beta = "kl", assay = "counts", seed = 1, threads = 1)
  out <- nmf_store(sce, fit)
  rd <- SingleCellExperiment::reducedDim(out, "NMF")
  expect_equal(rd, t(fit$H), ignore_attr = TRUE)
  expect_identical(rownames(rd), colnames(x))
  expect_equal(attr(rd, "basis"), fit$W)
  expect_identical(S4Vectors::metadata(out)$NMF$loss, fit$loss)
  back <- nmf_stored(out)
  expect_s3_class(back, "nmf_fit")
  expect_equal(back[names(fit)], unclass(fit)[names(fit)], ignore_attr = TRUE)
  # the stored fit continues the fit exactly like the fit itself
  more <- nmf_control(max_iter = 5, tol = 0)
  expect_same_fit(nmf_fit(sce, 3, beta = "kl", assay = "counts", init = back, seed = 1,
                          threads = 1, control = more),
                  nmf_fit(sce, 3, beta = "kl", assay = "counts", init = fit, seed = 1,
                          threads = 1, control = more))
  # a second fit under another name leaves the first in place
  two <- nmf_store(out, nmf_fit(x, 2, seed = 1, threads = 1), name = "NMF2")
  expect_setequal(SingleCellExperiment::reducedDimNames(two), c("NMF", "NMF2"))
  expect_equal(nmf_stored(two, "NMF")$W, fit$W)
})

test_that("nmf_store() writes W into rowData and H into colData of an SE, and round-trips", {
  x <- bioc_counts()
  se <- bioc_se(x)
  cons <- nmf_consensus(se, 2, beta = "kl", restarts = 3, seed = 1, threads = 1,
                        assay = "counts")
  out <- nmf_store(se, cons, name = "cons")
  expect_equal(unname(SummarizedExperiment::rowData(out)$cons), unname(cons$W))
  expect_equal(unname(SummarizedExperiment::colData(out)$cons), unname(t(cons$H)))
  back <- nmf_stored(out, "cons")
  expect_s3_class(back, "nmf_consensus")
  expect_equal(back$W, cons$W, ignore_attr = TRUE)
  expect_equal(back$H, cons$H, ignore_attr = TRUE)
  expect_equal(back$stability, cons$stability)
  expect_identical(back$kept, cons$kept)
})

test_that("nmf_store() refuses a fit of other data and nmf_stored() a missing name", {
  x <- bioc_counts()
  se <- bioc_se(x)
  fit <- nmf_fit(x[, 1:20], 2, seed = 1, threads = 1)
  expect_error(nmf_store(se, fit), "`fit` models a 40 x 20 matrix but `x` is 40 x 30")
  other <- nmf_fit(x[40:1, ], 2, seed = 1, threads = 1)
  expect_error(nmf_store(se, other), "fitted to other data")
  expect_error(nmf_store(x, fit), "`x` must be a SummarizedExperiment")
  expect_error(nmf_store(se, list(W = 1)), "`fit` must be an nmf_fit or an nmf_consensus")
  expect_error(nmf_store(se, nmf_fit(x, 2, seed = 1, threads = 1), name = ""), "`name`")
  expect_error(nmf_stored(se), "no fit stored by nmf_store\\(\\) under the name \"NMF\"")
})

test_that("update() refits every result with the changed arguments", {
  x <- bioc_counts()
  fit <- nmf_fit(x, 3, beta = "kl", seed = 1, threads = 1)
  expect_identical(fit$call[[1L]], as.name("nmf_fit"))
  expect_same_fit(update(fit, rank = 2), nmf_fit(x, 2, beta = "kl", seed = 1, threads = 1))
  se <- bioc_se(x)
  fit_se <- nmf_fit(se, 3, beta = "kl", assay = "counts", seed = 1, threads = 1)
  expect_identical(fit_se$call[[1L]], as.name("nmf_fit"))
  expect_same_fit(update(fit_se, rank = 2), nmf_fit(x, 2, beta = "kl", seed = 1, threads = 1))
  cv <- nmf_cv(x, 1:3, replicates = 2, seed = 1, threads = 1)
  expect_identical(update(cv, ranks = 1:2)$summary,
                   nmf_cv(x, 1:2, replicates = 2, seed = 1, threads = 1)$summary)
  cv_se <- nmf_cv(se, 1:2, replicates = 2, seed = 1, threads = 1, assay = "counts")
  expect_identical(update(cv_se, replicates = 3)$replicates, 3L)
  cons <- nmf_consensus(x, 2, restarts = 3, seed = 1, threads = 1)
  expect_equal(update(cons, restarts = 4)$W,
               nmf_consensus(x, 2, restarts = 4, seed = 1, threads = 1)$W)
  cons_se <- nmf_consensus(se, 2, restarts = 3, seed = 1, threads = 1, assay = "counts")
  expect_identical(cons_se$call[[1L]], as.name("nmf_consensus"))
  expect_equal(update(cons_se, rank = 3)$rank, 3L)
})
