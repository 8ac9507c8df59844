#' Simulated neural recordings with known assemblies or footprints
#'
#' Generators of the two kinds of neural data that NMF demixes, with the
#' truth returned alongside, for the vignettes and the tests.
#'
#' `simulate_calcium()` builds a two-photon calcium-imaging movie the way
#' real ones arise:
#' * `neurons` compact footprints on a `side` x `side` field of view:
#'   elliptical Gaussian spots (standard deviations 1.8 to 2.6 pixels,
#'   random orientation) cut to zero beyond three standard deviations, with
#'   centres at least 5 pixels apart, so that neighbours overlap;
#' * spike trains (Poisson, `spike_rate` per second) convolved with a
#'   calcium kernel that rises with a 50 ms and decays with a `tau` time
#'   constant (peak 1 per spike);
#' * a smooth background: a broad spatial profile (0.6 at the rim to 1 near
#'   one off-centre point, as uneven illumination or neuropil) times a slow
#'   oscillation and drift in time;
#' * Poisson photon noise: the expected photon count of a pixel in a frame is
#'   `photons` times the background plus `amplitude` times the calcium of the
#'   neurons covering it, so `photons` is the count at the brightest
#'   background pixel and a spike raises the centre of its neuron by
#'   `amplitude * photons` photons at its peak.
#'
#' `simulate_assemblies()` builds spike counts in time bins of `width`
#' seconds: `assemblies` groups of `members` neurons each (drawn at random,
#' so some neurons belong to two groups and some to none) fire together in
#' episodes of 1 to 3 s (starting in about 2% of the bins), at member rates
#' drawn log-normally around `rate` spikes per second during an episode; on
#' top, every neuron fires tonically at a log-normal rate around `tonic`
#' spikes per second. The counts are Poisson. The tonic firing is a last
#' component with constant activity, so the truth has `assemblies + 1`
#' components.
#'
#' @param side Width and height of the field of view, in pixels.
#' @param frames Number of frames.
#' @param neurons Number of neurons (footprints in `simulate_calcium()`,
#'   rows in `simulate_assemblies()`).
#' @param rate For `simulate_calcium()`, the frame rate in Hz; for
#'   `simulate_assemblies()`, the typical firing rate of a member during an
#'   episode, in spikes per second.
#' @param photons Expected photons per pixel and frame at the brightest point
#'   of the background.
#' @param amplitude Peak calcium signal of one spike, relative to the
#'   brightest background.
#' @param spike_rate Mean firing rate of each neuron, in spikes per second.
#' @param tau Decay time constant of the calcium kernel, in seconds.
#' @param bins Number of time bins.
#' @param width Bin width, in seconds.
#' @param assemblies Number of assemblies.
#' @param members Number of neurons in each assembly.
#' @param tonic Typical tonic firing rate, in spikes per second.
#' @param seed `NULL` or a whole number; see [simulate_parts()].
#' @return For `simulate_calcium()`, a list with
#'   * `Y`: the movie, a pixels x frames matrix of photon counts (pixel `p`
#'     of a frame is at row `(p - 1) %% side + 1`, column
#'     `(p - 1) %/% side + 1` of the image, as `matrix(Y[, t], side)`);
#'   * `W`: the true spatial factor, pixels x (`neurons` + 1): the footprints
#'     (peak 1) and, last, the background profile (named `"background"`);
#'   * `H`: the true temporal factor, (`neurons` + 1) x frames: the calcium
#'     traces times `amplitude`, and the background's time course, so that
#'     the expected movie is `photons * W %*% H` (returned as `lambda`);
#'   * `spikes`: neurons x frames spike counts; `calcium`: the traces (peak
#'     1 per spike); `time`: frame times in seconds; `side`, `rate`,
#'     `photons`.
#'
#'   For `simulate_assemblies()`, a list with `X` (neurons x bins counts),
#'   `W` (neurons x (`assemblies` + 1): expected spikes per bin of each
#'   neuron at unit activity, the tonic rates last, named `"tonic"`), `H`
#'   (activity, with a constant last row of ones), `M = W %*% H`,
#'   `membership` (neurons x assemblies logical) and `time` (bin starts).
#' @seealso [simulate_parts()]; `vignette("calcium", package = "betanmf")`,
#'   `vignette("spikes", package = "betanmf")`.
#' @examples
#' movie <- simulate_calcium(side = 24, frames = 200, neurons = 5, seed = 1)
#' dim(movie$Y)
#' image(matrix(rowMeans(movie$Y), 24), main = "mean frame")
#'
#' counts <- simulate_assemblies(neurons = 40, bins = 300, assemblies = 2, seed = 1)
#' mean(counts$X == 0)
#' @export
simulate_calcium <- function(side = 32L, frames = 600L, neurons = 8L, rate = 10,
                             photons = 10, amplitude = 2, spike_rate = 0.5, tau = 0.7,
                             seed = NULL) {
  check_count(side, "side", min = 16L)
  check_count(frames, "frames", min = 10L)
  check_count(neurons, "neurons", max = floor((side - 8)^2 / 36))
  for (arg in c("rate", "photons", "amplitude", "spike_rate", "tau")) {
    check_number(get(arg), arg, min = 0, min_open = TRUE)
  }
  with_seed(seed, {
    grid <- expand.grid(x = seq_len(side), y = seq_len(side))
    centres <- spread_points(neurons, lower = 5, upper = side - 4, min_dist = 5)
    A <- vapply(seq_len(neurons), function(k) {
      angle <- stats::runif(1L, 0, pi)
      sd <- stats::runif(2L, 1.8, 2.6)
      dx <- grid$x - centres[k, 1L]
      dy <- grid$y - centres[k, 2L]
      u <- cos(angle) * dx + sin(angle) * dy
      v <- -sin(angle) * dx + cos(angle) * dy
      spot <- exp(-(u^2 / (2 * sd[1L]^2) + v^2 / (2 * sd[2L]^2)))
      spot[spot < exp(-4.5)] <- 0  # three standard deviations: compact support
      spot
    }, numeric(side^2))
    dt <- 1 / rate
    time <- (seq_len(frames) - 1) * dt
    lag <- (0:ceiling(8 * tau / dt)) * dt
    kernel <- exp(-lag / tau) - exp(-lag / 0.05)
    kernel <- kernel / max(kernel)
    spikes <- matrix(stats::rpois(neurons * frames, spike_rate * dt), neurons)
    calcium <- t(apply(spikes, 1L, causal_filter, kernel = kernel))
    profile <- 0.6 + 0.4 * exp(-((grid$x - 0.3 * side)^2 + (grid$y - 0.6 * side)^2) /
                                 (2 * (0.5 * side)^2))
    course <- 1 + 0.1 * sin(2 * pi * time / 40) - 0.05 * time / max(time)
    W <- cbind(A, background = profile)
    colnames(W) <- c(paste0("neuron ", seq_len(neurons)), "background")
    H <- rbind(amplitude * calcium, course)
    rownames(H) <- colnames(W)
    lambda <- photons * W %*% H
    Y <- matrix(as.numeric(stats::rpois(length(lambda), lambda)), nrow(lambda))
    list(Y = Y, W = W, H = H, lambda = lambda, spikes = spikes, calcium = calcium,
         time = time, side = as.integer(side), rate = rate, photons = photons)
  })
}

#' @rdname simulate_calcium
#' @export
simulate_assemblies <- function(neurons = 100L, bins = 1200L, width = 0.1, assemblies = 4L,
                                members = 20L, rate = 8, tonic = 1, seed = NULL) {
  check_count(neurons, "neurons", min = 2L)
  check_count(bins, "bins", min = 10L)
  check_number(width, "width", min = 0, min_open = TRUE)
  check_count(assemblies, "assemblies")
  check_count(members, "members", max = neurons)
  check_number(rate, "rate", min = 0, min_open = TRUE)
  check_number(tonic, "tonic", min = 0)
  with_seed(seed, {
    membership <- vapply(seq_len(assemblies), function(k) {
      seq_len(neurons) %in% sample.int(neurons, members)
    }, logical(neurons))
    gain <- matrix(rate * width * exp(stats::rnorm(neurons * assemblies, sd = 0.5)), neurons)
    W <- cbind(gain * membership, tonic = tonic * width * exp(stats::rnorm(neurons, sd = 0.5)))
    colnames(W) <- c(paste0("assembly ", seq_len(assemblies)), "tonic")
    H <- rbind(t(vapply(seq_len(assemblies), function(k) episodes(bins, width), numeric(bins))),
               tonic = 1)
    rownames(H) <- colnames(W)
    M <- W %*% H
    X <- matrix(as.numeric(stats::rpois(length(M), M)), neurons)
    list(X = X, W = W, H = H, M = M, membership = membership,
         time = (seq_len(bins) - 1) * width)
  })
}

# Activity of one assembly: episodes of 1 to 3 s starting in about 2% of the
# bins, each at a log-normal level around 1, zero in between.
episodes <- function(bins, width) {
  level <- numeric(bins)
  starts <- which(stats::runif(bins) < 0.02)
  for (s in starts) {
    len <- max(1L, round(stats::runif(1L, 1, 3) / width))
    idx <- s:min(bins, s + len - 1L)
    level[idx] <- pmax(level[idx], exp(stats::rnorm(1L, sd = 0.3)))
  }
  level
}

# The causal convolution of a spike train with a kernel (kernel[1] at lag 0).
causal_filter <- function(x, kernel) {
  pad <- length(kernel) - 1L
  y <- stats::filter(c(numeric(pad), x), kernel, sides = 1L)
  as.numeric(y[pad + seq_along(x)])
}

# `n` random points in the square [lower, upper]^2, at least `min_dist`
# apart (rejection sampling).
spread_points <- function(n, lower, upper, min_dist) {
  pts <- matrix(numeric(0), 0L, 2L)
  tries <- 0L
  while (nrow(pts) < n) {
    tries <- tries + 1L
    if (tries > 1e5L) {
      stop(sprintf("cannot place %d neurons at least %g pixels apart; use fewer neurons or a larger side",
                   n, min_dist), call. = FALSE)
    }
    p <- stats::runif(2L, lower, upper)
    if (!nrow(pts) || min(sqrt(colSums((t(pts) - p)^2))) >= min_dist) pts <- rbind(pts, p)
  }
  unname(pts)
}
