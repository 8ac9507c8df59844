# Predictions of held-out entries for nmf_cv(): the posterior mode of each
# line of a masked fit under an empirical-Bayes Gamma prior.
#
# Why. A masked fit estimates the loadings of a column of H (r numbers) from
# that column's training entries only. On sparse counts (a time bin of spike
# counts holds ~10 spikes) that estimate lies on the boundary: the maximum
# likelihood sets many coefficients to exactly zero, and it may do so
# wherever no training count of the line needs them. The model is then zero
# exactly where a held-out count may be positive, because the zero pattern
# was fitted to the training counts around it. Plugging such an estimate in
# scores the model by its support, not by its rates: the score grows with
# the rank, whatever the data.
#
# What. The prediction of a held-out entry is the model at the posterior
# mode of the line's coefficients in log coordinates, eta = log h, under a
# Gamma(a_k, b_k) prior on h_kj. The mode in eta maximizes
#   -sum_i w_ij d_beta(x_ij | (W h)_i) / phi + sum_k (a_k log h_k - b_k h_k),
# (the Jacobian of h = exp(eta) turns the Gamma's (a - 1) log h into a log h),
# so it is interior for every shape a > 0: no coefficient is ever exactly
# zero, and a coefficient the training data do not determine sits near the
# prior mode a / b instead of at its starting value. exp(-d_beta / phi) is the
# Tweedie likelihood of the beta-divergence (power p = 2 - beta, dispersion
# phi; Jorgensen 1997), Poisson for beta = 1 with phi = 1. For beta = 1 this
# is the fixed point of the Gamma-Poisson model (Canny 2004; Cemgil 2009)
# with exp(E log h) replaced by h. The prior is estimated from the fit
# (empirical Bayes): a_k and b_k match the mean and variance of row k of H;
# phi is Pearson's estimate from the training entries, with (m + n) r
# degrees of freedom removed. Columns of H are updated first (W fixed), then
# rows of W (H fixed) the same way, so that the orientation of the data does
# not matter. The updates are the multiplicative updates of Fevotte & Idier
# (2011) with the prior in the numerator (a / h) and the denominator (b),
# which for beta in [1, 2] are the minimizers of the usual auxiliary
# function plus the separable prior term; they start from the fit and stop
# after `max_iter` steps or when the objective changes by less than `tol`
# (relative). Five steps from the fit suffice: they move the coefficients
# that the fit left at zero to the prior's scale, which is what the
# prediction needs; on the sparse spike counts and the dense planted data of
# the tests 3, 5 and 25 steps choose the same ranks, and 25 cost several
# times the fit itself.

# Posterior modes of H and then W for a masked fit. `train` is the prepared
# training data (prepare_checked(): x with zeros at the held-out entries,
# the weights, the margins), `fit` the core's fit on it. Returns list(W, H,
# phi), whose product W H predicts the held-out entries. Data of extreme
# magnitude (1e-318, 1e290) are scored at a power of two of their scale,
# c: the posterior of x / c with H / c is that of x with
# H, divided by c (d_beta(x / c | y / c) = c^-beta d_beta(x | y), Pearson's
# statistic and so phi scale alike, and a Gamma prior on h / c is the same
# prior with its rate times c), while at scale neither the data nor the
# fixed partner are subnormal (a known W of 1e-318 has no precision left).
cv_posterior <- function(train, fit, beta, threads, max_iter = 5L, tol = 1e-6) {
  W <- unname(fit$W)
  H <- unname(fit$H)
  r <- ncol(W)
  n_obs <- sum(train$margins$rows)
  dof <- max(n_obs - (nrow(train$x) + ncol(train$x)) * r, n_obs / 2)
  c <- pow2_scale(max_entry(train$x))
  # (the divergence enters for beta = 2 only, as c^-2 times it)
  phi <- line_pearson(train$x / c, train$spec, W, H / c, beta, fit$divergence / c / c,
                      threads) / dof
  if (!is.finite(phi) || phi <= 0) phi <- 1
  at_scale <- scale_data(train, c)
  H <- line_posterior(at_scale, W, H / c, beta, phi, max_iter, tol, threads)
  W <- line_posterior(at_scale, W, H, beta, phi, max_iter, tol, threads, side = "W")
  # the scale goes back to the factors so that each component's largest
  # entries of W and H meet: W H is the prediction, H times all of c would
  # be subnormal again for subnormal data, and under weights spanning 1e300
  # a component may hold W of 1e208 against H of 1e-209
  back <- split_scale(W, H, round(log2(c)))
  list(W = back$W, H = back$H, phi = exp(log(phi) + beta * log(c)))
}

# W (m x r) times 2^e_k per component and H (r x n) times 2^(e - e_k), with
# e_k chosen so that the largest entries of column k of W and row k of H
# come out equal (to a power of two): W H times 2^e, each factor as far from
# over- and underflow as the product allows.
split_scale <- function(W, H, e) {
  if (e == 0) return(list(W = W, H = H))
  top <- function(v) log2(max(v, .Machine$double.xmin))
  ew <- round((apply(H, 1L, top) - apply(W, 2L, top) + e) / 2)
  # x 2^k in two steps: 2^k alone overflows beyond k = 1023
  times_pow2 <- function(x, k) x * 2^(k %/% 2) * 2^(k - k %/% 2)
  list(W = times_pow2(W, rep(ew, each = nrow(W))), H = times_pow2(H, e - ew))
}

# Prepared data divided by c (a power of two, so exactly), with the summary
# that goes with it.
scale_data <- function(data, c) {
  if (c == 1) return(data)
  data$x <- data$x / c
  for (v in c("max", "min_positive", "total")) data$summary[[v]] <- data$summary[[v]] / c
  data$summary$sum_sq <- data$summary$sum_sq / c / c
  # (a sum of squares can lose its last bit where squares turn subnormal:
  # the core sums them again)
  data$summary$rescaled <- TRUE
  data
}

# The largest stored entry of a dense or sparse matrix (0 when none).
max_entry <- function(x) {
  v <- if (methods::is(x, "sparseMatrix")) x@x else x
  if (length(v)) max(0, v, na.rm = TRUE) else 0
}

# 1 for data whose largest entry `top` lies within 2^-100 .. 2^100, else
# the power of two nearest it (a division by it is exact).
pow2_scale <- function(top) {
  if (!is.finite(top) || top <= 0 || abs(log2(top)) <= 100) return(1)
  2^round(log2(top))
}

# Gamma prior of each row of F (r x N) matching its mean and variance:
# shape mu^2 / v, rate mu / v. A zero row gets shape and rate 0 (it stays
# zero); a constant row a variance of (1e-3 mu)^2. The moments are taken of
# the row divided by a power of two near its largest entry, which leaves
# shape and rate as they are (exactly) and keeps mu^2 and v finite for
# rows near 1e200; log_rate is log(rate) also where rate over- or
# underflows.
gamma_moments <- function(F) {
  top <- apply(F, 1L, max)
  s <- ifelse(top > 0, 2^floor(log2(pmax(top, .Machine$double.xmin))), 1)
  Fs <- F / s
  mu <- rowMeans(Fs)
  v <- pmax(apply(Fs, 1L, stats::var), (1e-3 * mu)^2)
  a <- ifelse(mu > 0, mu^2 / v, 0)
  log_rate <- ifelse(mu > 0, log(mu / v) - log(s), -Inf)
  b <- ifelse(mu > 0, mu / v / s, 0)
  list(shape = a, rate = b, log_rate = log_rate)
}

# phi times v (log_v: the logarithm of v): the plain product where it is
# finite and positive, else from the logarithms, kept within the positive
# doubles.
scale_prior <- function(v, log_v, phi) {
  out <- phi * v
  bad <- v > 0 & (!is.finite(out) | out == 0)
  out[bad] <- pmin(pmax(exp(log(phi) + log_v[bad]), .Machine$double.xmin),
                   .Machine$double.xmax)
  out
}

# The lines of one side at their posterior mode for the prepared data
# (m x n), the other factor fixed: the columns of H (side "H", W fixed) or
# the rows of W (side "W", H fixed). The prior of component k is
# gamma_moments() of the free factor's row k (of H, or of W^T) at the start,
# scaled by the dispersion phi. The multiplicative updates with the prior
# run in the core, through the projection path of every fit (run_fit()),
# on the data as they are: the rows of W need no transposed copy. Returns
# the free factor.
line_posterior <- function(data, W, H, beta, phi, max_iter, tol, threads, side = "H") {
  prior <- gamma_moments(if (side == "H") H else t(W))
  model <- list(beta = beta, solver = "mu", l1 = c(W = 0, H = 0), l2 = c(W = 0, H = 0),
                control = nmf_control(max_iter = max_iter, tol = tol, normalize = "none"),
                exact_divergence = FALSE,
                prior = list(shape = scale_prior(prior$shape, log(prior$shape), phi),
                             rate = scale_prior(prior$rate, prior$log_rate, phi),
                             side = side))
  fixed <- if (side == "H") {
    list(W = W, H = NULL, k_W = ncol(W), k_H = 0L)
  } else {
    list(W = NULL, H = H, k_W = 0L, k_H = nrow(H))
  }
  res <- run_fit(data, ncol(W), model, list(W = W, H = H), fixed, seed = 1L, threads = threads)
  if (side == "H") res$H else res$W
}

# Model values (W H)_ij at the positions (i, j) of a pattern's entries.
model_at <- function(W, H, i, j) rowSums(W[i, , drop = FALSE] * t(H)[j, , drop = FALSE])

# Dense observation weights of the columns `cols` of m x n data, or NULL
# for all ones.
block_weights <- function(spec, m, n, cols) {
  if (is.null(spec)) return(NULL)
  cpp_column_weights(spec, m, n, cols)
}

# Pearson's statistic sum_ij w_ij (x_ij - y_ij)^2 / y_ij^(2 - beta) of the
# fit on its training entries. For beta = 2 it is twice the divergence.
line_pearson <- function(x, spec, W, H, beta, divergence, threads = 1L) {
  if (beta == 2) return(2 * divergence)
  # (held-out entries of a generated pattern weigh zero in training data)
  pure_mask <- is.null(spec) || (spec$base == 1 && all(spec$delta@x == -1) &&
                                   (is.null(spec$held) || spec$held$role == "train"))
  if (beta == 1 && methods::is(x, "sparseMatrix") && pure_mask) {
    # sum w x^2 / y - 2 sum w x + sum w y, the last one through W^T w
    j <- rep.int(seq_len(ncol(x)), diff(x@p))
    y <- model_at(W, H, x@i + 1L, j)
    # sum_ij w_ij y_ij = sum(W H) minus the model at the masked entries
    wy <- sum(colSums(W) * rowSums(H))
    if (!is.null(spec)) wy <- wy + cpp_listed_model_sum(spec, W, H, threads)
    return(sum(x@x^2 / pmax(y, .Machine$double.xmin)) - 2 * sum(x@x) + wy)
  }
  total <- 0
  block <- max(1L, min(2048L, 2^22 %/% nrow(x)))  # blocks of at most 2^22 entries
  for (start in seq(1L, ncol(x), by = block)) {
    cols <- start:min(ncol(x), start + block - 1L)
    xb <- as.matrix(x[, cols, drop = FALSE])
    wb <- block_weights(spec, nrow(x), ncol(x), cols)
    y <- W %*% H[, cols, drop = FALSE]
    term <- ifelse(y > 0, (xb - y)^2 / pmax(y, .Machine$double.xmin)^(2 - beta), 0)
    total <- total + sum(if (is.null(wb)) term else wb * term)
  }
  total
}
