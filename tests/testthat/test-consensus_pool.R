test_that("the pooled data are the sums of neighbouring columns, dense or sparse", {
  withr::local_seed(301)
  x <- matrix(rpois(6 * 11, 2), 6, 11, dimnames = list(letters[1:6], NULL))
  x[, 2] <- 0
  setup <- betanmf:::consensus_setup(x, 2, 1, list(init = "random"))
  pooled <- pool_setup(setup, 4L)$data
  # groups of 4, 4 and the 3 columns left over
  expected <- cbind(rowSums(x[, 1:4]), rowSums(x[, 5:8]), rowSums(x[, 9:11]))
  expect_identical(unname(pooled$x), unname(expected))
  expect_identical(rownames(pooled$x), letters[1:6])
  expect_identical(pooled$summary$total, sum(x))
  expect_identical(pooled$summary$ncol, 3L)
  sparse <- betanmf:::consensus_setup(Matrix::Matrix(x, sparse = TRUE), 2, 1,
                                      list(init = "random"))
  pooled_sparse <- pool_setup(sparse, 4L)$data
  expect_s4_class(pooled_sparse$x, "dgCMatrix")
  expect_identical(unname(as.matrix(pooled_sparse$x)), unname(expected))
  # pool = 1 is the data themselves
  expect_identical(pool_setup(setup, 1L), setup)
})

test_that("pool = 1 is the default, and a pooled consensus is the same for dense, sparse, 1 or 2 threads and future", {
  skip_on_cran()
  d <- planted_spikes(1, n = 600)
  a <- nmf_consensus(d$X, 5, beta = 1, restarts = 4, seed = 2, threads = 1)
  b <- nmf_consensus(d$X, 5, beta = 1, restarts = 4, seed = 2, threads = 1, pool = 1)
  expect_identical(b$W, a$W)
  expect_identical(a$pool, 1L)
  p1 <- nmf_consensus(d$X, 5, beta = 1, restarts = 4, seed = 2, threads = 1, pool = 8)
  expect_identical(p1$pool, 8L)
  expect_identical(dim(p1$H), c(5L, 600L))
  p2 <- nmf_consensus(d$X, 5, beta = 1, restarts = 4, seed = 2, threads = 2, pool = 8)
  expect_identical(p2$W, p1$W)
  expect_identical(p2$H, p1$H)
  expect_identical(p2$losses, p1$losses)
  ps <- nmf_consensus(Matrix::Matrix(d$X, sparse = TRUE), 5, beta = 1, restarts = 4, seed = 2,
                      threads = 1, pool = 8)
  expect_equal(ps$W, p1$W, tolerance = 1e-10)
  expect_equal(ps$losses, p1$losses, tolerance = 1e-10)
  # the restarts' losses are those of the pooled data: fewer, larger counts
  expect_false(isTRUE(all.equal(p1$losses, a$losses)))
  expect_output(print(p1), "sums of 8 neighbouring columns \\(75 sums\\); H refitted at all 600 columns")
  skip_if_not_installed("future.apply")
  old <- future::plan("sequential")
  withr::defer(future::plan(old))
  pf <- nmf_consensus(d$X, 5, beta = 1, restarts = 4, seed = 2, threads = 1, pool = 8,
                      parallel = "future")
  expect_identical(pf$W, p1$W)
  expect_identical(pf$losses, p1$losses)
})

test_that("on sparse spike counts, pooled restarts recover all five planted components, baseline included", {
  skip_on_cran()
  # Ten seeds of the spike counts of helper-spikes.R (87% zeros). At the
  # original bins the baseline is the one component far from its planted
  # column (?nmf_consensus, "A component every neuron shares"); with the
  # restarts fitted to sums of 16 bins every component is found, and H,
  # refitted at every bin, follows the planted activity more closely.
  for (seed in 1:10) {
    d <- planted_spikes(seed)
    cons <- nmf_consensus(d$X, 5, beta = 1, restarts = 10, seed = 1, threads = 1, pool = 16)
    m <- match_columns(d$W, cons$W)
    label <- paste("seed", seed)
    expect_true(all(m$cosine >= 0.95), label = paste(label, "all five at cosine 0.95"))
    expect_gt(m$cosine[5], 0.96)
    expect_true(all(cons$stability$mean >= 0.999), label = paste(label, "stable"))
    expect_identical(dim(cons$H), dim(d$H))
    if (seed <= 3) {
      fine <- nmf_consensus(d$X, 5, beta = 1, restarts = 10, seed = 1, threads = 1)
      m1 <- match_columns(d$W, fine$W)
      expect_lt(m1$cosine[5], 0.9)
      expect_identical(which.min(m1$cosine), 5L)
      activity <- function(H, index) {
        vapply(1:4, function(k) stats::cor(H[index[k], ], d$H[k, ]), numeric(1))
      }
      expect_true(all(activity(cons$H, m$index) > activity(fine$H, m1$index)),
                  label = paste(label, "pooled H closer to the planted activity"))
      expect_true(all(activity(cons$H, m$index) >= 0.94), label = label)
    }
  }
})

test_that("pool gets clear errors", {
  x <- matrix(rpois(8 * 12, 3), 8, 12)
  expect_error(nmf_consensus(x, 2, pool = 0), "`pool` must be a single whole number")
  expect_error(nmf_consensus(x, 2, pool = 1.5), "`pool` must be a single whole number")
  expect_error(nmf_consensus(x, 2, pool = "a"), "`pool`")
  # 12 columns in groups of 12 leave one sum, fewer than rank 2
  expect_error(nmf_consensus(x, 2, pool = 12),
               "`pool` = 12 leaves 1 pooled column\\(s\\) of the 12 of `x`, fewer than `rank` = 2; `pool` must be at most 11")
  expect_error(nmf_consensus(x, 3, pool = 6), "`pool` must be at most 5")
  mask <- matrix(FALSE, 8, 12)
  mask[1, 1] <- TRUE
  expect_error(nmf_consensus(x, 2, pool = 2, mask = mask), "`mask` cannot be used with `pool` > 1")
  expect_error(nmf_consensus(x, 2, pool = 2, weights = matrix(1, 8, 12)),
               "`weights` cannot be used with `pool` > 1")
  y <- x
  y[2, 3] <- NA
  expect_error(nmf_consensus(y, 2, pool = 2), "`x` has 1 missing value")
  fit <- suppressWarnings(nmf_fit(x, 2, seed = 1, threads = 1, control = nmf_control(max_iter = 5)))
  expect_error(nmf_consensus(x, 2, pool = 2, init = fit), "`init` as factors cannot be used")
  expect_error(nmf_consensus(list(fit, fit), pool = 2), "`pool` needs data: `x` is a list of fits")
  huge <- matrix(1e300, 3, 4)
  expect_error(nmf_consensus(huge, 1, beta = 1, pool = 2), "with `pool` = 2 the sums of columns of `x` are too large")
})

test_that("how far to pool: the baseline improves as the zeros fall, the assemblies hold until the sums span episodes", {
  skip_on_cran()
  # the numbers of ?nmf_consensus, "A component every neuron shares"
  sum_bins <- function(x, k) t(rowsum(t(x), (seq_len(ncol(x)) - 1L) %/% k + 1L))
  res <- lapply(1:10, function(seed) {
    d <- planted_spikes(seed)
    t(vapply(c(2L, 4L, 8L, 12L, 32L, 48L), function(k) {
      cons <- nmf_consensus(d$X, 5, beta = 1, restarts = 10, seed = 1, threads = 1, pool = k)
      m <- match_columns(d$W, cons$W)
      c(zeros = mean(sum_bins(d$X, k) == 0), baseline = m$cosine[5],
        assemblies = min(m$cosine[1:4]))
    }, numeric(3)))
  })
  zeros <- sapply(res, function(r) r[, "zeros"])
  baseline <- sapply(res, function(r) r[, "baseline"])
  assemblies <- sapply(res, function(r) r[, "assemblies"])
  expect_true(all(zeros[1, ] > 0.7 & zeros[1, ] < 0.8))        # pool = 2
  expect_true(all(baseline[1, ] > 0.82 & baseline[1, ] < 0.92))
  expect_true(all(zeros[2, ] > 0.55 & zeros[2, ] < 0.65))      # pool = 4
  expect_true(all(baseline[2, ] > 0.91 & baseline[2, ] < 0.975))
  expect_true(all(zeros[3, ] < 0.42 & baseline[3, ] > 0.945))   # pool = 8
  expect_true(all(zeros[4, ] < 0.3 & baseline[4, ] > 0.955))    # pool = 12
  expect_true(all(baseline[5, ] > 0.955))                      # pool = 32
  expect_true(all(zeros[6, ] < 0.05 & baseline[6, ] > 0.955))   # pool = 48
  expect_true(all(assemblies[1, ] > 0.955))
  expect_true(all(assemblies[2:5, ] > 0.97))
  expect_lt(min(assemblies[6, ]), 0.96)
  expect_gt(min(assemblies[6, ]), 0.945)
})
