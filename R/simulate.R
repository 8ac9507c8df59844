#' Simulated data with known factors
#'
#' Generators of non-negative data built as \eqn{X \approx W H} from known
#' factors, used by the vignettes and the tests to show what NMF recovers
#' and which divergence suits which noise. Each returns the data and the
#' truth, so that a fit can be matched to the planted components with
#' [nmf_align()].
#'
#' * `simulate_parts()`: images made of overlapping parts (bars and blobs on
#'   a `side` x `side` grid), each image a non-negative sparse combination of
#'   the parts, plus Gaussian noise clipped at zero. The case of Lee & Seung
#'   (1999) where NMF finds the parts and PCA does not.
#' * `simulate_noise()`: one planted factorization with a wide dynamic range
#'   (log-normal entries, 40% zeros in each factor) on a flat baseline (a
#'   last component with constant loadings and scores, so every mean is at
#'   least `baseline`), observed under Gaussian noise of constant standard
#'   deviation `sd`, Poisson noise, or multiplicative Gamma noise of shape
#'   `shape` (mean 1). The same seed gives the same truth for every noise.
#' * `simulate_spectra()`: power spectra of a local field potential in
#'   windows of time: an aperiodic \eqn{1/f^2} background times a slowly
#'   varying level, plus theta (7 Hz), beta (20 Hz) and gamma (60 Hz) bands
#'   that switch on and off, each a Gaussian bump whose peak stands
#'   `contrast` times above the background at its centre, all multiplied by
#'   Gamma noise of shape `shape` (a periodogram averaged over `shape`
#'   independent estimates, such as tapers). The gamma band carries about a
#'   thousandth of the power of the theta band.
#'
#' @param n Number of columns (images, windows).
#' @param side Width and height of each image, in pixels.
#' @param noise For `simulate_parts()`, the standard deviation of the
#'   Gaussian noise relative to the mean of W H. For `simulate_noise()`,
#'   `"gaussian"`, `"poisson"` or `"gamma"`.
#' @param m Number of rows.
#' @param rank Number of planted components besides the baseline.
#' @param baseline The level of the flat component (the smallest mean).
#' @param sd Standard deviation of the Gaussian noise.
#' @param shape Shape of the multiplicative Gamma noise (its coefficient of
#'   variation is `1 / sqrt(shape)`).
#' @param freq Frequencies of the spectra, in Hz (positive).
#' @param contrast How far the peak of each band stands above the background
#'   at its centre frequency (a ratio).
#' @param seed `NULL` or a whole number. `NULL` uses R's random number
#'   generator as it is (so `set.seed()` governs the result); a number gives
#'   the same data every time and leaves the generator's state as it was.
#' @return A list with the data `X` (m x n), the planted factors `W` (m x r,
#'   columns summing to one, named) and `H` (r x n), and their product `M`
#'   (the noiseless means). `simulate_parts()` adds `side`;
#'   `simulate_noise()` adds `noise`; `simulate_spectra()` adds `freq`.
#' @references Lee DD, Seung HS (1999). Learning the parts of objects by
#'   non-negative matrix factorization. *Nature* 401:788-791.
#'
#'   Fevotte C, Bertin N, Durrieu J-L (2009). Nonnegative matrix
#'   factorization with the Itakura-Saito divergence: with application to
#'   music analysis. *Neural Computation* 21:793-830.
#' @seealso [simulate_calcium()], [simulate_assemblies()];
#'   `vignette("betanmf", package = "betanmf")`.
#' @examples
#' parts <- simulate_parts(n = 50, seed = 1)
#' dim(parts$X)
#' fit <- nmf_fit(parts$X, rank = ncol(parts$W), seed = 1, threads = 1)
#' nmf_align(fit, parts$W)$similarity
#'
#' counts <- simulate_noise("poisson", seed = 1)
#' range(counts$M)
#'
#' spectra <- simulate_spectra(n = 20, seed = 1)
#' matplot(spectra$freq, spectra$W, type = "l", log = "xy", lty = 1,
#'         xlab = "frequency (Hz)", ylab = "power (share)")
#' @name simulate
NULL

#' @rdname simulate
#' @export
simulate_parts <- function(n = 300L, side = 16L, noise = 0.1, seed = NULL) {
  check_count(n, "n")
  check_count(side, "side", min = 8L)
  check_number(noise, "noise", min = 0)
  with_seed(seed, {
    g <- expand.grid(x = seq_len(side), y = seq_len(side))
    s <- side / 16  # the parts scale with the image
    bar <- function(lo, hi, axis) as.numeric(g[[axis]] >= lo * s & g[[axis]] <= hi * s)
    blob <- function(cx, cy, width) {
      exp(-((g$x - cx * s)^2 + (g$y - cy * s)^2) / (2 * (width * s)^2))
    }
    W <- cbind(`bar 1` = bar(3, 6, "y"), `bar 2` = bar(10, 12, "x"),
               `bar 3` = bar(9, 13, "y"), `blob 1` = blob(5, 11, 2.5),
               `blob 2` = blob(11, 5, 2))
    W <- sweep(W, 2L, colSums(W), "/")
    r <- ncol(W)
    # each image holds each part with probability 1/2, at an exponential weight
    H <- 100 * matrix(stats::rexp(r * n), r) * (matrix(stats::runif(r * n), r) < 0.5)
    rownames(H) <- colnames(W)
    M <- W %*% H
    X <- M + matrix(stats::rnorm(length(M), sd = noise * mean(M)), nrow(M))
    X[X < 0] <- 0
    list(X = X, W = W, H = H, M = M, side = as.integer(side))
  })
}

#' @rdname simulate
#' @export
simulate_noise <- function(noise = c("gaussian", "poisson", "gamma"), m = 100L, n = 200L,
                           rank = 4L, baseline = 20, sd = 4, shape = 4, seed = NULL) {
  noise <- match_choice(noise, c("gaussian", "poisson", "gamma"), "noise")
  check_count(m, "m", min = 2L)
  check_count(n, "n", min = 2L)
  check_count(rank, "rank", max = min(m, n) - 1L)
  check_number(baseline, "baseline", min = 0, min_open = TRUE)
  check_number(sd, "sd", min = 0)
  check_number(shape, "shape", min = 0, min_open = TRUE)
  with_seed(seed, {
    lognormal <- function(k) exp(stats::rnorm(k))
    W <- matrix(lognormal(m * rank), m) * (matrix(stats::runif(m * rank), m) > 0.4)
    H <- 1e4 * matrix(lognormal(rank * n), rank) * (matrix(stats::runif(rank * n), rank) > 0.4)
    W <- cbind(sweep(W, 2L, pmax(colSums(W), .Machine$double.xmin), "/"), 1 / m)
    H <- rbind(H, baseline * m)
    colnames(W) <- rownames(H) <- c(paste0("C", seq_len(rank)), "baseline")
    M <- W %*% H
    X <- switch(noise,
      gaussian = M + matrix(stats::rnorm(m * n, sd = sd), m),
      poisson = matrix(as.numeric(stats::rpois(m * n, M)), m),
      gamma = M * matrix(stats::rgamma(m * n, shape = shape, rate = shape), m))
    X[X < 0] <- 0
    list(X = X, W = W, H = H, M = M, noise = noise)
  })
}

#' @rdname simulate
#' @export
simulate_spectra <- function(n = 300L, freq = 1:100, shape = 2, contrast = c(10, 5, 5),
                             seed = NULL) {
  check_count(n, "n")
  if (!is.numeric(freq) || length(freq) < 10L || any(!is.finite(freq)) || any(freq <= 0)) {
    stop(sprintf("`freq` must be at least 10 positive frequencies in Hz; got %s",
                 describe(freq)), call. = FALSE)
  }
  check_number(shape, "shape", min = 0, min_open = TRUE)
  if (!is.numeric(contrast) || length(contrast) != 3L || any(!is.finite(contrast)) ||
      any(contrast <= 0)) {
    stop(sprintf("`contrast` must be three positive ratios (theta, beta, gamma); got %s",
                 describe(contrast)), call. = FALSE)
  }
  with_seed(seed, {
    background <- 1 / freq^2
    band <- function(centre, width, ratio) {
      ratio * exp(-(freq - centre)^2 / (2 * width^2)) / centre^2
    }
    W <- cbind(background = background, theta = band(7, 1.5, contrast[1]),
               beta = band(20, 3, contrast[2]), gamma = band(60, 8, contrast[3]))
    total <- colSums(W)
    W <- sweep(W, 2L, total, "/")
    # the background is always there, each band in about half of the windows
    on <- matrix(stats::runif(4L * n) < c(1, 0.5, 0.5, 0.5), 4L)
    H <- matrix(exp(stats::rnorm(4L * n, sd = 0.5)), 4L) * on * total
    rownames(H) <- colnames(W)
    M <- W %*% H
    X <- M * matrix(stats::rgamma(length(M), shape = shape, rate = shape), nrow(M))
    list(X = X, W = W, H = H, M = M, freq = freq)
  })
}

# Evaluates `code` with the random number generator seeded by `seed` and
# restores the generator's state afterwards; with `seed = NULL` the code
# draws from the generator as it is.
with_seed <- function(seed, code) {
  if (is.null(seed)) return(code)
  check_count(seed, "seed", min = -.Machine$integer.max)
  old <- if (exists(".Random.seed", envir = globalenv(), inherits = FALSE)) {
    get(".Random.seed", envir = globalenv(), inherits = FALSE)
  }
  on.exit({
    if (is.null(old)) {
      rm(".Random.seed", envir = globalenv())
    } else {
      assign(".Random.seed", old, envir = globalenv())
    }
  })
  set.seed(seed)
  code
}
