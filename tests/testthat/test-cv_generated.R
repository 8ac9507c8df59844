# Held-out patterns that the core generates line by line instead of storing
# (cv_parts_entries(generate = TRUE), weights.hpp): every number of a
# replicate is the same bit for bit as with the stored pattern, on the data
# users bring (dense and sparse counts, missing values, weights, masks), for
# both hold-outs, every solver family and thread count.

replicate_rows <- function(x, holdout, beta, generate, mask = NULL, weights = NULL,
                           solver = "auto", threads = 1L, ranks = 2:3) {
  model <- betanmf:::resolve_model(beta, solver, 0, 0, nmf_control(max_iter = 25))
  data <- betanmf:::prepare_data(x, mask, weights, model$beta)
  out <- betanmf:::cv_replicate(data, ranks, 1L, model, holdout, 0.1, 11, threads, FALSE,
                                generate = generate)
  list(rows = do.call(rbind, lapply(out, `[[`, "row")), W = lapply(out, `[[`, "W"))
}

expect_same_replicate <- function(...) {
  a <- replicate_rows(..., generate = FALSE)
  b <- replicate_rows(..., generate = TRUE)
  cols <- c("rank", "train_error", "test_error", "iterations")
  expect_identical(b$rows[cols], a$rows[cols])
  expect_identical(b$W, a$W)
  expect_true(all(is.finite(a$rows$test_error)))
}

test_that("a generated pattern gives the stored pattern's replicate bit for bit", {
  withr::local_seed(3)
  counts <- matrix(rpois(50 * 36, 2), 50)
  sparse <- Matrix::rsparsematrix(50, 36, 0.15, rand.x = function(k) rpois(k, 3) + 1)
  missing <- counts
  missing[sample(length(counts), 60)] <- NA
  w <- matrix(runif(length(counts), 0.5, 2), 50)
  for (holdout in c("speckled", "blocks")) {
    for (beta in c(2, 1, 0.5)) {
      expect_same_replicate(counts, holdout, beta)
      expect_same_replicate(sparse, holdout, beta)
      expect_same_replicate(missing, holdout, beta)
      expect_same_replicate(counts, holdout, beta, weights = w)
    }
  }
  expect_same_replicate(counts + 1, "speckled", 0)
  expect_same_replicate(sparse, "speckled", 2, threads = 2L)
  expect_same_replicate(sparse, "blocks", 1, threads = 2L)
  expect_same_replicate(counts, "speckled", 2, solver = "mu")
  expect_same_replicate(counts, "blocks", 1, solver = "mu")
  expect_same_replicate(counts, "speckled", 2, mask = abs(w - 1) < 0.05)
})

test_that("the same holds on sparse spike counts with weights of zero", {
  skip_on_cran()
  d <- planted_spikes(2, n = 600)
  x <- Matrix::Matrix(d$X, sparse = TRUE)
  w <- Matrix::rsparsematrix(nrow(x), ncol(x), 0.5, rand.x = function(k) runif(k, 0.2, 3))
  expect_same_replicate(x, "speckled", 1, ranks = c(3, 5))
  expect_same_replicate(x, "blocks", 1, ranks = c(3, 5))
  expect_same_replicate(x, "speckled", 1, weights = w, ranks = 4)
})

test_that("a generated pattern stores nothing per held-out entry", {
  withr::local_seed(4)
  x <- Matrix::rsparsematrix(300, 200, 0.02, rand.x = function(k) rpois(k, 2) + 1)
  data <- betanmf:::prepare_data(x, NULL, NULL, 1)
  gen <- betanmf:::cv_parts_entries(data, "speckled", 0.1, 5, 1L, generate = TRUE)
  kept <- betanmf:::cv_parts_entries(data, "speckled", 0.1, 5, 1L, generate = FALSE)
  expect_length(gen$train$spec$delta@x, 0)
  expect_length(gen$test$spec$delta@x, 0)
  expect_gt(length(kept$train$spec$delta@x), 5000)  # ~ 6000 held-out entries stored
  # the parts hold the same data and margins
  expect_identical(gen$train$x, kept$train$x)
  expect_identical(gen$test$x, kept$test$x)
  expect_identical(gen$train$margins, kept$train$margins)
  expect_identical(gen$test$margins, kept$test$margins)
  expect_identical(gen$test$summary$zeros, kept$test$summary$zeros)
})

test_that("patterns are generated from 2^22 expected held-out entries on", {
  expect_false(betanmf:::cv_generate(2000, 2000, 0.1))
  expect_false(betanmf:::cv_generate(2^11, 2^11, 1))
  expect_true(betanmf:::cv_generate(2^11, 2^11 + 1, 1))
  expect_true(betanmf:::cv_generate(200000, 20000, 0.1))
})
