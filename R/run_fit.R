# The one path from checked arguments to the core: nmf_fit(), predict(),
# nmf_cv() and nmf_consensus() all fit through run_fit(), which calls
# cpp_nmf_fit() with a named list of settings (src/r_fit.cpp reads them by
# name). Nothing here checks arguments: the entry points have.

# Settings of one fit for the core: the model (resolve_model()), the rank,
# where the start comes from, how many components are known, the seed, the
# threads and whether to report progress.
core_settings <- function(rank, model, init, fixed, seed, threads, verbose) {
  ctl <- model$control
  list(rank = rank, beta = model$beta, solver = model$solver,
       l1 = unname(model$l1[c("W", "H")]), l2 = unname(model$l2[c("W", "H")]),
       init = init, fixed_w = fixed$k_W, fixed_h = fixed$k_H, max_iter = ctl$max_iter,
       tol = ctl$tol, inner_max = ctl$inner_max, inner_tol = ctl$inner_tol,
       normalize = ctl$normalize, trace_every = ctl$trace_every,
       extrapolate = ctl$extrapolate %||% TRUE, seed = seed,
       threads = threads, verbose = verbose)
}

# No known components.
no_fixed <- function() list(W = NULL, H = NULL, k_W = 0L, k_H = 0L)

# Starting factors "nndsvd" or "random" of the prepared data x at `rank`.
start_factors <- function(x, rank, solver, init, seed, threads) {
  cpp_nmf_init(x, list(rank = rank, solver = solver, init = init, seed = seed,
                       threads = threads))
}

# One fit of prepared data (prepare_data()) from `start` ("nndsvd",
# "random" or list(W, H)) with the known components `fixed`
# (resolve_fixed()); returns the core's result list.
run_fit <- function(data, rank, model, start, fixed, seed, threads, verbose = FALSE) {
  W0 <- H0 <- state <- NULL
  how <- start
  if (is.list(start)) {
    W0 <- start$W
    H0 <- start$H
    state <- start$state
    how <- "given"
  }
  if (how != "given" && (fixed$k_W == rank || fixed$k_H == rank)) {
    # A projection: the known factor as given, the other one started flat in
    # the core (no starting factors computed only to be overwritten).
    W0 <- fixed$W
    H0 <- fixed$H
    how <- "given"
  } else if (fixed$k_W > 0L || fixed$k_H > 0L) {
    if (how != "given") {
      init <- start_factors(data$x, rank, model$solver, how, seed, threads)
      W0 <- init$W
      H0 <- init$H
      how <- "given"
    }
    # Known parts in place; the matching rows of H (columns of W) take the
    # scale they had against the starting factor, so W H is unchanged when
    # the start already holds the known parts up to scale (a warm start).
    if (fixed$k_W > 0L) {
      k <- seq_len(fixed$k_W)
      ratio <- colSums(W0[, k, drop = FALSE]) / colSums(fixed$W)
      ratio[!is.finite(ratio) | ratio <= 0] <- 1
      W0[, k] <- fixed$W
      H0[k, ] <- H0[k, , drop = FALSE] * ratio
      if (!is.null(state)) state$h_from[k, ] <- state$h_from[k, , drop = FALSE] * ratio
    }
    if (fixed$k_H > 0L) {
      k <- seq_len(fixed$k_H)
      ratio <- rowSums(H0[k, , drop = FALSE]) / rowSums(fixed$H)
      ratio[!is.finite(ratio) | ratio <= 0] <- 1
      H0[k, ] <- fixed$H
      W0[, k] <- sweep(W0[, k, drop = FALSE], 2L, ratio, `*`)
      if (!is.null(state)) state$w_prev[k, ] <- state$w_prev[k, , drop = FALSE] * ratio
    }
  }
  settings <- core_settings(rank, model, how, fixed, seed, threads, verbose)
  settings$state <- state
  res <- cpp_nmf_fit(data$x, W0, H0, data$spec, settings)
  if (isTRUE(res$interrupted)) stop("the fit was interrupted by the user", call. = FALSE)
  res
}

# H (r x n) minimizing the objective of `model` for prepared data with W
# (m x r) fixed: predict() and the projections of bi-cross-validation. The
# penalty on W is left out (W does not move), and so is any rescaling.
project <- function(data, W, model, threads) {
  model$control$normalize <- "none"
  model$l1[["W"]] <- 0
  model$l2[["W"]] <- 0
  fixed <- list(W = W, H = NULL, k_W = ncol(W), k_H = 0L)
  run_fit(data, ncol(W), model, "nndsvd", fixed, seed = 1L, threads = threads)
}
