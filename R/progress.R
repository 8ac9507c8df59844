# Progress of long work: a cli progress bar over the iterations of a fit
# (nmf_fit()), over the fits of a cross-validation (nmf_cv(): replicate and
# rank) and over the restarts of a consensus (nmf_consensus()). Under
# parallel = "future" the fits run on workers, and their progress travels
# back as progressr conditions, which the user's progressr handlers show.
#
# A fit reports its iterations from the core's monitor (src/r_monitor.h),
# on the main thread between iterations, at most every 0.2 s, through the
# callback made here; cli draws nothing before a bar is 2 s old
# (option cli.progress_show_after), so short work stays silent.

# Whether progress is shown: option betanmf.progress (TRUE or FALSE) when it
# is set; else with verbose = TRUE; else in an interactive session outside
# knitr. Never without the cli package.
show_progress <- function(verbose = FALSE) {
  if (!requireNamespace("cli", quietly = TRUE)) return(FALSE)
  opt <- getOption("betanmf.progress")
  if (!is.null(opt)) return(isTRUE(opt))
  isTRUE(verbose) || (interactive() && !isTRUE(getOption("knitr.in.progress")))
}

# A cli progress bar of `total` steps named `name`, closed when the frame
# `envir` ends (or by progress_done()); NULL when `show` is FALSE.
# `eta`: whether the bar shows the time left (not for the iterations of a
# fit, which may converge long before max_iter).
progress_start <- function(show, total, name, envir = parent.frame(), eta = TRUE) {
  if (!show) return(NULL)
  id <- cli::cli_progress_bar(
    name = name, total = total, status = "", clear = TRUE, .envir = envir,
    format = paste0("{cli::pb_name} {cli::pb_bar} {cli::pb_current}/{cli::pb_total} ",
                    if (eta) "{cli::pb_eta_str} " else "", "{cli::pb_status}"))
  list(id = id, envir = envir)
}

# Moves the bar to step `set` (or one step on) with a status line.
progress_set <- function(bar, set = NULL, status = NULL) {
  if (is.null(bar)) return(invisible(NULL))
  if (is.null(set)) {
    cli::cli_progress_update(id = bar$id, status = status, .envir = bar$envir)
  } else {
    cli::cli_progress_update(id = bar$id, set = set, status = status, .envir = bar$envir)
  }
  invisible(NULL)
}

progress_done <- function(bar) {
  if (!is.null(bar)) cli::cli_progress_done(id = bar$id, .envir = bar$envir)
  invisible(NULL)
}

# The bar of nmf_fit(): max_iter steps per restart.
progress_fit <- function(show, restarts, max_iter, envir = parent.frame()) {
  bar <- progress_start(show, restarts * max_iter, "nmf_fit", envir, eta = FALSE)
  if (!is.null(bar)) {
    bar$max_iter <- max_iter
    bar$restarts <- restarts
  }
  bar
}

# The callback the core's monitor calls during restart k, function(iter,
# loss, seconds), or NULL without a bar. Errors of the bar are dropped: a
# display never stops a fit (an interrupt still does).
progress_fit_callback <- function(bar, k) {
  if (is.null(bar)) return(NULL)
  before <- (k - 1) * bar$max_iter
  what <- if (bar$restarts > 1L) sprintf("restart %d/%d, ", k, bar$restarts) else ""
  function(iter, loss, seconds) {
    tryCatch(progress_set(bar, before + iter, sprintf("%sloss %.5g", what, loss)),
             error = function(e) NULL)
    invisible(NULL)
  }
}

# After restart k ends (converged early or not), the bar jumps to its end.
progress_fit_step <- function(bar, k) {
  if (!is.null(bar)) progress_set(bar, k * bar$max_iter)
  invisible(NULL)
}

# A function(status) that moves the progress of `total` units of work one
# step on: a cli bar in this process (parallel = "threads"), a progressr
# progressor (parallel = "future"; shown by the user's progressr handlers,
# so it reaches the session from the workers), or a function that does
# nothing. Call it in the frame that does the work: the bar or progressor
# ends with that frame.
progress_ticker <- function(show, total, name, parallel, envir = parent.frame()) {
  if (parallel == "future") {
    if (!requireNamespace("progressr", quietly = TRUE)) return(function(status) NULL)
    p <- progressr::progressor(steps = total, envir = envir)
    return(function(status) p(message = status))
  }
  bar <- progress_start(show, total, name, envir)
  if (is.null(bar)) return(function(status) NULL)
  function(status) progress_set(bar, status = status)
}
