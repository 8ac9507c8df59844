# Every claim of vignettes/signatures.Rmd, on the same data, ranks and seeds.

sig_control <- function() nmf_control(max_iter = 3000)

# The extraction of the vignette, computed once for the tests of this file.
signatures_analysis <- local({
  cache <- NULL
  function() {
    if (!is.null(cache)) return(cache)
    withr::local_options(betanmf.threads = 1)
    cv <- nmf_cv(breast21, ranks = 1:8, beta = "kl", replicates = 5, seed = 1,
                 control = sig_control())
    cons <- nmf_consensus(breast21, rank = cv$rank, beta = "kl", restarts = 10, seed = 1,
                          control = sig_control())
    cache <<- list(cv = cv, cons = cons)
    cache
  }
})

# COSMIC v3.2 with rows named and ordered as breast21, as the vignette builds it.
cosmic_catalog <- function() {
  file <- system.file("extdata", "signatures", "snv_COSMIC_v3.2_reference_GRCh37.txt",
                      package = "MutationalPatterns")
  reference <- utils::read.delim(file)
  context <- paste0(substr(reference$Subtype, 1, 1), "[", reference$Type, "]",
                    substr(reference$Subtype, 3, 3))
  cosmic <- MutationalPatterns::get_known_signatures()
  rownames(cosmic) <- context
  cosmic[rownames(breast21), ]
}

breast_catalog <- c("SBS1", "SBS2", "SBS3", "SBS5", "SBS8", "SBS13", "SBS17a", "SBS17b",
                    "SBS18", "SBS40")
cosine_cols <- function(A, B) colSums(A * B) / sqrt(colSums(A^2) * colSums(B^2))
active <- function(fit) colSums(sweep(fit$H, 2, colSums(fit$H), "/") >= 0.01)

test_that("one genome holds over a third of the substitutions", {
  totals <- colSums(breast21)
  expect_identical(names(which.max(totals)), "PD4120a")
  expect_gt(max(totals) / sum(totals), 1 / 3)
})

test_that("cross-validation's minimum, its 1se rule and its recommendation are five signatures", {
  skip_on_cran()
  a <- signatures_analysis()
  s <- a$cv$summary
  expect_identical(a$cv$rank_min, 5L)
  expect_identical(a$cv$rank_1se, 5L)
  expect_identical(a$cv$rank, 5L)
  # wide error bars, yet rank 4 lies beyond one of them
  expect_gt(s$test_se[s$rank == 5] / s$test_mean[s$rank == 5], 0.05)
  expect_gt(s$test_mean[s$rank == 4], s$test_mean[s$rank == 5] + s$test_se[s$rank == 5])
  expect_gt(s$stability[s$rank == 5], 0.9)
  expect_gt(min(a$cons$stability$mean), 0.95)
})

test_that("the extracted signatures match APOBEC, HR deficiency and clock-like COSMIC signatures", {
  skip_on_cran()
  skip_if_not_installed("MutationalPatterns")
  cosmic <- cosmic_catalog()
  expect_identical(rownames(cosmic), rownames(breast21))
  W <- signatures_analysis()$cons$W
  expected <- c("SBS1", "SBS2", "SBS3", "SBS5", "SBS13")
  known <- nmf_align(W, cosmic[, expected])
  cosine <- setNames(known$similarity, expected[known$matched])
  expect_setequal(names(cosine), expected)
  expect_gt(cosine[["SBS2"]], 0.75)
  expect_gt(cosine[["SBS13"]], 0.85)
  expect_gt(cosine[["SBS3"]], 0.85)
  expect_gt(cosine[["SBS5"]], 0.70)
  expect_gt(cosine[["SBS1"]], 0.65)
  # in the whole catalog, the APOBEC pair is found as such
  best <- nmf_align(W, cosmic)
  expect_true(all(c("SBS2", "SBS13") %in% colnames(cosmic)[best$matched]))
})

test_that("refits reproduce the catalogs; L1 under KL only rescales, under squared error it sparsifies", {
  skip_on_cran()
  skip_if_not_installed("MutationalPatterns")
  withr::local_options(betanmf.threads = 1)
  cosmic <- cosmic_catalog()
  fixed <- cosmic[, breast_catalog]
  refit <- nmf_fit(breast21, rank = length(breast_catalog), fixed_W = fixed, beta = "kl",
                   control = sig_control())
  expect_gt(min(cosine_cols(fitted(refit), breast21)), 0.97)
  tight <- nmf_control(max_iter = 3000, tol = 1e-8)
  kl <- lapply(c(0, 1), function(l1) {
    nmf_fit(breast21, rank = length(breast_catalog), fixed_W = fixed, beta = "kl",
            l1 = c(W = 0, H = l1), control = tight)
  })
  expect_lt(max(abs(2 * kl[[2]]$H - kl[[1]]$H)) / max(kl[[1]]$H), 1e-3)
  ls <- lapply(c(0, 30), function(l1) {
    nmf_fit(breast21, rank = length(breast_catalog), fixed_W = fixed, beta = 2,
            l1 = c(W = 0, H = l1), control = sig_control())
  })
  expect_gt(mean(ls[[2]]$H == 0), mean(ls[[1]]$H == 0) + 0.1)
  expect_lt(mean(active(ls[[2]])), mean(active(ls[[1]])))
  expect_lt(median(cosine_cols(fitted(ls[[2]]), breast21)),
            median(cosine_cols(fitted(ls[[1]]), breast21)))
})

test_that("a catalog larger than the cohort refits every genome", {
  skip_on_cran()
  skip_if_not_installed("MutationalPatterns")
  withr::local_options(betanmf.threads = 1)
  cosmic <- cosmic_catalog()
  full <- nmf_fit(breast21, fixed_W = cosmic, beta = "kl", control = sig_control())
  expect_identical(dim(full$H), c(ncol(cosmic), ncol(breast21)))
  refit <- nmf_fit(breast21, rank = length(breast_catalog), fixed_W = cosmic[, breast_catalog],
                   beta = "kl", control = sig_control())
  expect_gte(median(cosine_cols(fitted(full), breast21)),
             median(cosine_cols(fitted(refit), breast21)) - 1e-6)
  expect_gt(mean(active(full)), mean(active(refit)))
  full_sparse <- nmf_fit(breast21, fixed_W = cosmic, beta = 2, l1 = c(W = 0, H = 30),
                         control = sig_control())
  expect_lt(mean(active(full_sparse)), mean(active(full)))
})

test_that("a SummarizedExperiment gives the consensus of the matrix", {
  skip_on_cran()
  skip_if_not_installed("SummarizedExperiment")
  withr::local_options(betanmf.threads = 1)
  se <- SummarizedExperiment::SummarizedExperiment(assays = list(counts = breast21))
  cons_se <- nmf_consensus(se, rank = 5, beta = "kl", restarts = 10, seed = 1,
                           control = sig_control(), assay = "counts")
  expect_equal(cons_se$W, signatures_analysis()$cons$W)
})
