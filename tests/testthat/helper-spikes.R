# Sparse spike counts with planted cell assemblies, for the rank-selection
# and consensus tests on sparse counts.
#
# m neurons x n time bins. Each of `assemblies` assemblies has 15 random
# member neurons with weights U(0.5, 1.5); its activation is a Bernoulli(0.01)
# train of onsets times 3, convolved causally with exp(-t / 4) over 21 bins.
# Every neuron also fires at a baseline rate U(0.02, 0.2). The counts are
# Poisson with rates W H, where W (m x (assemblies + 1)) holds the member
# weights and the baselines (last column) and H the activations and a row of
# ones. About 87% of the counts are zero; the planted rank is assemblies + 1.
# Returns the counts X (double matrix), W, H and the rates M = W H.
planted_spikes <- function(seed = 1, m = 80, n = 3000, assemblies = 4, members = 15,
                           p_onset = 0.01, height = 3, tau = 4, width = 21) {
  withr::local_seed(seed)
  W <- matrix(0, m, assemblies + 1L)
  for (a in seq_len(assemblies)) {
    W[sample.int(m, members), a] <- stats::runif(members, 0.5, 1.5)
  }
  W[, assemblies + 1L] <- stats::runif(m, 0.02, 0.2)
  kernel <- exp(-(seq_len(width) - 1) / tau)
  H <- matrix(0, assemblies + 1L, n)
  for (a in seq_len(assemblies)) {
    onsets <- height * (stats::runif(n) < p_onset)
    # causal convolution, zero before the first bin
    H[a, ] <- stats::filter(c(rep(0, width - 1L), onsets), kernel, sides = 1L)[-seq_len(width - 1L)]
  }
  H[assemblies + 1L, ] <- 1
  M <- W %*% H
  X <- matrix(stats::rpois(m * n, M), m, n)
  storage.mode(X) <- "double"
  list(X = X, W = W, H = H, M = M)
}
