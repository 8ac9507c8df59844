# beta_divergence() against an independent implementation: the values of
# scikit-learn's sklearn.decomposition._nmf._beta_divergence() (version
# 1.2.1) stored in fixtures/ by make_sklearn_reference.py. Every matrix entry
# there is a multiple of a power of two, so the data read here are exactly
# the data sklearn saw; W H is strictly positive and the non-zeros of X are
# at least 1/8, so sklearn's EPSILON clipping never triggers (see the script).

read_sklearn_cases <- function() {
  mats <- utils::read.csv(test_path("fixtures", "sklearn_beta_divergence_matrices.csv"),
                          stringsAsFactors = FALSE)
  vals <- utils::read.csv(test_path("fixtures", "sklearn_beta_divergence.csv"),
                          stringsAsFactors = FALSE)
  build <- function(case, what) {
    d <- mats[mats$case == case & mats$matrix == what, ]
    out <- matrix(NA_real_, max(d$row), max(d$col))
    out[cbind(d$row, d$col)] <- d$value
    out
  }
  cases <- lapply(stats::setNames(nm = unique(mats$case)), function(case) {
    list(X = build(case, "X"), W = build(case, "W"), H = build(case, "H"))
  })
  list(cases = cases, values = vals)
}

# The relative difference |a - b| / |b|.
rel_diff <- function(a, b) abs(a - b) / abs(b)

test_that("the fixture is complete and its matrices are what the script promises", {
  ref <- read_sklearn_cases()
  expect_setequal(names(ref$cases), c("zeros_6x5", "positive_6x5", "sparse_8x7"))
  for (case in ref$cases) {
    expect_false(anyNA(case$X) || anyNA(case$W) || anyNA(case$H))
    expect_identical(nrow(case$X), nrow(case$W))
    expect_identical(ncol(case$X), ncol(case$H))
    expect_identical(ncol(case$W), nrow(case$H))
    expect_true(all(case$W %*% case$H > 0))
  }
  expect_true(any(ref$cases$zeros_6x5$X == 0))
  expect_true(all(ref$cases$positive_6x5$X > 0))
  x <- ref$cases$sparse_8x7$X
  expect_true(any(rowSums(x) == 0) && any(colSums(x) == 0))
  v <- ref$values
  for (b in c(0.5, 1, 1.5, 2, 3)) {
    expect_true(all(c("zeros_6x5", "positive_6x5", "sparse_8x7") %in% v$case[v$beta == b]))
  }
  expect_true(0 %in% v$beta[v$case == "positive_6x5"])
  expect_setequal(unique(v$input), c("dense", "sparse"))
  expect_true(all(is.finite(v$value) & v$value > 0))
})

test_that("beta_divergence(x, W %*% H) equals sklearn for every beta, dense and sparse x", {
  ref <- read_sklearn_cases()
  v <- ref$values
  for (i in seq_len(nrow(v))) {
    case <- ref$cases[[v$case[i]]]
    x <- if (v$input[i] == "sparse") Matrix::Matrix(case$X, sparse = TRUE) else case$X
    got <- beta_divergence(x, case$W %*% case$H, v$beta[i])
    expect_lt(rel_diff(got, v$value[i]), 1e-10,
              label = sprintf("%s, beta = %g, %s x: relative difference", v$case[i],
                              v$beta[i], v$input[i]))
  }
})

test_that("beta_divergence(x, <nmf_fit>) equals sklearn for every beta, dense and sparse x", {
  ref <- read_sklearn_cases()
  v <- ref$values
  for (i in seq_len(nrow(v))) {
    case <- ref$cases[[v$case[i]]]
    # beta_divergence() uses only W and H of an nmf_fit
    fit <- structure(list(W = case$W, H = case$H), class = "nmf_fit")
    x <- if (v$input[i] == "sparse") Matrix::Matrix(case$X, sparse = TRUE) else case$X
    if (v$input[i] == "sparse") expect_s4_class(x, "dgCMatrix")
    got <- beta_divergence(x, fit, v$beta[i], threads = 1)
    expect_lt(rel_diff(got, v$value[i]), 1e-10,
              label = sprintf("%s, beta = %g, %s x, nmf_fit model: relative difference",
                              v$case[i], v$beta[i], v$input[i]))
  }
})

test_that("named betas give the sklearn values of their numbers", {
  ref <- read_sklearn_cases()
  v <- ref$values
  case <- ref$cases$positive_6x5
  mu <- case$W %*% case$H
  value <- function(b) v$value[v$case == "positive_6x5" & v$beta == b & v$input == "dense"]
  expect_lt(rel_diff(beta_divergence(case$X, mu, "frobenius"), value(2)), 1e-10)
  expect_lt(rel_diff(beta_divergence(case$X, mu, "kl"), value(1)), 1e-10)
  expect_lt(rel_diff(beta_divergence(case$X, mu, "itakura-saito"), value(0)), 1e-10)
})
