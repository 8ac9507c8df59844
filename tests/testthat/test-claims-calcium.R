# Every claim of vignettes/calcium.Rmd, on the same movies and seeds.

calcium_fits <- function(m, K) {
  list(kl = nmf_fit(m$Y, rank = K + 1, beta = "kl", seed = 1),
       ls = nmf_fit(m$Y, rank = K + 1, beta = 2, seed = 1),
       sqrt = nmf_fit(sqrt(m$Y), rank = K + 1, beta = 2, seed = 1))
}

test_that("the simulated movie has overlapping footprints and Poisson photon counts", {
  movie <- simulate_calcium(side = 32, frames = 600, neurons = 8, photons = 10, seed = 1)
  K <- ncol(movie$W) - 1
  expect_equal(K, 8)
  expect_gt(sum(rowSums(movie$W[, 1:K] > 0) > 1), 0)
  expect_gt(sum(movie$spikes), 0)
  expect_equal(mean(movie$Y), mean(movie$lambda), tolerance = 0.01)
})

test_that("KL and squared error on the raw counts tie on the footprints; the square roots trail", {
  skip_on_cran()
  withr::local_options(betanmf.threads = 1)
  movies <- lapply(1:3, function(s) {
    simulate_calcium(side = 32, frames = 600, neurons = 8, photons = 10, seed = s)
  })
  K <- 8L
  fits_1 <- NULL
  per_movie <- sapply(seq_along(movies), function(i) {
    f <- calcium_fits(movies[[i]], K)
    if (i == 1) fits_1 <<- f
    sapply(f, function(x) mean(nmf_align(x, movies[[i]]$W)$similarity[1:K]))
  })
  means <- rowMeans(per_movie)
  expect_lt(abs(means[["kl"]] - means[["ls"]]), 0.01)
  # each of the two is ahead on some movie
  expect_setequal(unique(apply(per_movie[c("kl", "ls"), ], 2, which.max)), 1:2)
  expect_gt(min(means[["kl"]], means[["ls"]]), means[["sqrt"]] + 0.05)
  # the fits explain the first movie better than its true factors do
  movie <- movies[[1]]
  expect_lt(fits_1$kl$divergence, beta_divergence(movie$Y, movie$lambda, beta = 1))
  expect_lt(fits_1$ls$divergence, beta_divergence(movie$Y, movie$lambda, beta = 2))
  # the traces of the winning fit follow the true calcium
  al <- nmf_align(fits_1$ls, movie$W)
  expect_gt(mean(diag(cor(t(al$aligned$H[1:K, ]), t(movie$calcium)))), 0.95)
})
