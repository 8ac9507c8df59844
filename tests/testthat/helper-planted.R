# Planted data and helpers shared by the tests.

# A non-negative matrix X = W H + noise with known factors W (m x r) and
# H (r x n). About a third of the entries of each factor are zero, which
# makes the factorization essentially unique (up to scaling and order), so
# a fit can be checked against the planted factors. `noise` is the standard
# deviation of the added Gaussian noise relative to the mean of W H; the
# result is clipped at zero. The columns of W sum to one.
planted_nmf <- function(m, n, r, noise = 0, seed = 1) {
  withr::local_seed(seed)
  W <- matrix(stats::rexp(m * r), m, r) * (stats::runif(m * r) > 0.3)
  H <- matrix(stats::rexp(r * n), r, n) * (stats::runif(r * n) > 0.3)
  # every component must be present somewhere
  W[cbind(seq_len(r), seq_len(r))] <- W[cbind(seq_len(r), seq_len(r))] + 1
  H[cbind(seq_len(r), seq_len(r))] <- H[cbind(seq_len(r), seq_len(r))] + 1
  s <- colSums(W)
  W <- sweep(W, 2, s, "/")
  H <- H * s
  X <- W %*% H
  if (noise > 0) {
    X <- X + matrix(stats::rnorm(m * n, sd = noise * mean(X)), m, n)
    X[X < 0] <- 0
  }
  list(X = X, W = W, H = H)
}

# Small dense non-negative matrix with a few zeros, for quick fits.
small_matrix <- function(m = 30, n = 20, seed = 1, zeros = 0.2) {
  withr::local_seed(seed)
  x <- matrix(stats::rpois(m * n, 4), m, n) * (stats::runif(m * n) > zeros)
  storage.mode(x) <- "double"
  x
}

# Cosine similarity between the columns of A (m x p) and those of B (m x q).
cosine_matrix <- function(A, B) {
  na <- sqrt(colSums(A^2))
  nb <- sqrt(colSums(B^2))
  na[na == 0] <- 1
  nb[nb == 0] <- 1
  crossprod(sweep(A, 2, na, "/"), sweep(B, 2, nb, "/"))
}

# One-to-one matching of the columns of A to those of B that maximizes the
# summed cosine: an optimal assignment with clue::solve_LSAP() when clue is
# installed, a greedy one otherwise (exact when the best pairs are clear, as
# for recovered planted factors). Returns, for each column of A, the matched
# column of B and the cosine of the pair.
match_columns <- function(A, B) {
  S <- cosine_matrix(A, B)
  if (nrow(S) > ncol(S)) stop("A must not have more columns than B")
  if (requireNamespace("clue", quietly = TRUE)) {
    idx <- as.integer(clue::solve_LSAP(pmax(S, 0), maximum = TRUE))
  } else {
    idx <- rep(NA_integer_, nrow(S))
    T <- S
    for (step in seq_len(nrow(S))) {
      best <- which(T == max(T), arr.ind = TRUE)[1, ]
      idx[best[1]] <- best[2]
      T[best[1], ] <- -Inf
      T[, best[2]] <- -Inf
    }
  }
  list(index = idx, cosine = S[cbind(seq_len(nrow(S)), idx)])
}

# Same fit, fewer words: rank-2 beta = 2 fit on one thread with a fixed seed.
quick_fit <- function(x = small_matrix(), rank = 2, ...) {
  nmf_fit(x, rank, threads = 1, seed = 1, ...)
}

# Counts X ~ Poisson(W H) from planted factors W (m x r) and H (r x n).
# W: gamma entries (shape `shape`, heavy-tailed below 1), a fraction `zero`
# of them set to zero, columns summing to one; H: exponential entries, 30%
# zero. H is scaled so that the mean of W H, the mean count, is
# `mean_count`. Returns the counts X (a double matrix), W, H and the Poisson
# means M = W H.
planted_poisson <- function(m, n, r, mean_count, seed = 1, shape = 0.5, zero = 0.5) {
  withr::local_seed(seed)
  W <- matrix(stats::rgamma(m * r, shape = shape), m, r) * (stats::runif(m * r) > zero)
  H <- matrix(stats::rexp(r * n), r, n) * (stats::runif(r * n) > 0.3)
  # every component must be present somewhere
  W[cbind(seq_len(r), seq_len(r))] <- W[cbind(seq_len(r), seq_len(r))] + 1
  H[cbind(seq_len(r), seq_len(r))] <- H[cbind(seq_len(r), seq_len(r))] + 1
  W <- sweep(W, 2, colSums(W), "/")
  H <- H * mean_count / mean(W %*% H)
  M <- W %*% H
  X <- matrix(stats::rpois(m * n, M), m, n)
  storage.mode(X) <- "double"
  list(X = X, W = W, H = H, M = M)
}

# Planted data for the rank-selection tests of nmf_cv(): m x n with planted
# rank r. "gaussian": W H plus Gaussian noise of standard deviation 15% of
# the mean of W H (planted_nmf(), fitted with beta = 2); "poisson": counts
# with mean 8 (planted_poisson(), fitted with beta = 1). Returns the data X
# and the beta to fit it with.
cv_planted <- function(model, r, seed, m = 300, n = 400) {
  if (model == "gaussian") {
    list(X = planted_nmf(m, n, r, noise = 0.15, seed = seed)$X, beta = 2)
  } else {
    list(X = planted_poisson(m, n, r, mean_count = 8, seed = seed)$X, beta = 1)
  }
}

# The held-out entries of one replicate of a speckled or blocks pattern, as
# an m x n logical matrix.
holdout_matrix <- function(m, n, holdout, fraction, seed, replicate) {
  pat <- betanmf:::cpp_holdout_pattern(m, n, holdout, fraction, seed, replicate)
  held <- matrix(FALSE, m, n)
  held[cbind(pat$i + 1L, rep(seq_len(n), diff(pat$p)))] <- TRUE
  held
}

# The results of an nmf_cv without the timings, which vary between runs.
cv_results <- function(cv) cv$results[setdiff(names(cv$results), "seconds")]

# The one-standard-error rank recomputed from an nmf_cv summary: the
# smallest rank whose mean test error is at most the minimum plus its
# standard error.
one_se_rank <- function(s) {
  best <- which.min(s$test_mean)
  se <- if (is.na(s$test_se[best])) 0 else s$test_se[best]
  min(s$rank[s$test_mean <= s$test_mean[best] + se])
}
