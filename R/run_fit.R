# The one path from checked arguments to the core: nmf_fit(), predict(),
# nmf_cv() and nmf_consensus() all fit through run_fit(), which calls
# cpp_nmf_fit() with a named list of settings (src/r_fit.cpp reads them by
# name). Nothing here checks arguments: the entry points have.

# Settings of one fit for the core: the model (resolve_model(); with an
# optional Gamma prior on the components of W or H, list(shape, rate,
# side = "W" or "H"), for the posterior modes of R/cv_predict.R, which
# also set exact_divergence = FALSE: they read the factors alone, and the
# divergence at them would be one more pass over the data), the rank, where
# the start comes from, how many components are known, the seed, the
# threads and whether to report progress (verbose: messages; progress: NULL
# or the callback of R/progress.R).
core_settings <- function(rank, model, init, fixed, seed, threads, verbose,
                          progress = NULL) {
  ctl <- model$control
  list(rank = rank, beta = model$beta, solver = model$solver,
       l1 = unname(model$l1[c("W", "H")]), l2 = unname(model$l2[c("W", "H")]),
       prior_shape = as.numeric(model$prior$shape), prior_rate = as.numeric(model$prior$rate),
       prior_side = model$prior$side %||% "H",
       init = init, fixed_w = fixed$k_W, fixed_h = fixed$k_H, max_iter = ctl$max_iter,
       tol = ctl$tol, inner_max = ctl$inner_max, inner_tol = ctl$inner_tol,
       normalize = ctl$normalize, trace_every = ctl$trace_every,
       extrapolate = ctl$extrapolate %||% (model$solver != "cd"),
       precision = ctl$precision %||% "double", seed = seed,
       threads = threads, verbose = verbose, progress = progress,
       exact_divergence = model$exact_divergence %||% TRUE)
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
# (resolve_fixed()); returns the core's result list. `progress`: NULL or
# the callback of a progress bar (progress_fit_callback()).
run_fit <- function(data, rank, model, start, fixed, seed, threads, verbose = FALSE,
                    progress = NULL) {
  W0 <- H0 <- state <- NULL
  how <- start
  if (is.list(start)) {
    W0 <- start$W
    H0 <- start$H
    state <- start$state
    how <- "given"
  }
  if (how != "given" && ((fixed$k_W == rank && fixed$k_H == 0L) ||
                         (fixed$k_H == rank && fixed$k_W == 0L))) {
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
  check_penalty_scale(data, model, fixed)
  check_precision(data, model)
  settings <- core_settings(rank, model, how, fixed, seed, threads, verbose, progress)
  settings$state <- state
  # the range of the stored values and their sum of squares, known from the
  # preparation (the core would take a pass over the data for each); not in
  # float, whose values the core rounds first. The sum of squares is the
  # core's own (the same sum in the same order) only for unweighted data
  # as prepared; -1 means unknown.
  if (identical(settings$precision, "double") && !is.null(data$summary$max)) {
    plain <- !isTRUE(data$summary$weighted) && !isTRUE(data$summary$rescaled)
    settings$range <- c(data$summary$max, data$summary$min_positive,
                        if (plain) data$summary$sum_sq else -1)
  }
  res <- tryCatch(
    cpp_nmf_fit(data$x, W0, H0, data$spec, settings),
    error = function(e) stop_internal(conditionMessage(e), data, rank, model, how))
  if (isTRUE(res$interrupted)) signal_interrupt()
  if (!finite_nonnegative(res$W) || !finite_nonnegative(res$H) ||
      (is.nan(res$loss) && !isFALSE(model$exact_divergence))) {
    stop_internal("the core returned non-finite or negative factors", data, rank, model, how)
  }
  res
}

# Penalties beside known components on data of extreme magnitude: the
# learned factor then carries the whole scale of the data (scale.hpp), and
# where the core's factor of a penalty leaves 2^-900 .. 2^900 upwards the
# scaled objective is not the one asked for (the penalty's minimum lies
# beyond what the fit can represent, and the loss was infinite). An error
# that names the penalty, before the core runs.
check_penalty_scale <- function(data, model, fixed) {
  if (fixed$k_W == 0L && fixed$k_H == 0L) return(invisible(TRUE))
  pen <- c(model$l1[["W"]], model$l2[["W"]], model$l1[["H"]], model$l2[["H"]])
  if (!any(pen != 0)) return(invisible(TRUE))
  s <- data$summary
  e <- cpp_penalty_exponents(s$max, s$min_positive, model$beta, fixed$k_W, fixed$k_H)
  bad <- which(pen != 0 & e$exponents > e$limit)
  if (!length(bad)) return(invisible(TRUE))
  b <- bad[1L]
  arg <- c("l1", "l2", "l1", "l2")[b]
  side <- c("W", "W", "H", "H")[b]
  stop(sprintf(paste0(
    "`%s` = %g on %s cannot be fitted beside %s for `x` with entries up to %g: the fit runs ",
    "at x / 4^%d, where the weight of this penalty against the divergence is 2^%d, beyond double ",
    "precision; divide `x` by a constant (for example 10^%d) and choose the penalties for ",
    "the scaled data, or fit without `%s`"),
    arg, pen[b], side, if (fixed$k_W > 0L) "`fixed_W`" else "`fixed_H`", s$max, e$k,
    round(e$exponents[b]), max(1L, floor(log10(s$max)) - 1L), arg), call. = FALSE)
}

# precision = "float" rounds every value to a float: each positive value
# must stay a positive, finite, normal float (a zero or an infinity in its
# place would change the objective, not only round it). An error that
# names the setting, before the core runs.
check_precision <- function(data, model) {
  if (!identical(model$control$precision, "float")) return(invisible(TRUE))
  s <- data$summary
  top <- s$max %||% 0
  low <- s$min_positive %||% 0
  float_max <- (2 - 2^-23) * 2^127
  if (top > float_max || (low > 0 && low < 2^-126)) {
    stop(sprintf(paste0(
      "`precision = \"float\"` needs every positive value of `x` between 2^-126 (%.3g) ",
      "and %.3g; `x` has values from %g to %g: divide `x` by a constant or fit with ",
      "`precision = \"double\"`"), 2^-126, float_max, low, top), call. = FALSE)
  }
  invisible(TRUE)
}

# A failure of the core on checked input is a defect of the package, not of
# the call: the message says so and names what the fit was given.
stop_internal <- function(what, data, rank, model, how) {
  s <- data$summary
  stop(sprintf(paste0(
    "internal error in betanmf: %s, for a %s %d x %d matrix (entries %g to %g) at rank %d, ",
    "beta = %g, solver \"%s\", start \"%s\"; please report this with the call that ",
    "produced it"), what, if (isTRUE(s$sparse)) "sparse" else "dense", s$nrow, s$ncol,
    s$min_positive %||% NA_real_, s$max %||% NA_real_, rank, model$beta, model$solver,
    if (is.character(how)) how else "given"), call. = FALSE)
}

# Ctrl-C reached the core, which stopped between two iterations and freed
# what it held: raise it as R raises an interrupt, a condition of class
# "interrupt" that tryCatch(interrupt = ) and withCallingHandlers() see,
# then, when no handler takes it, back to the top level as R does.
signal_interrupt <- function() {
  signalCondition(structure(class = c("interrupt", "condition"),
                            list(message = "", call = NULL)))
  invokeRestart("abort")
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
