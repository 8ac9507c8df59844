#' Tuning settings for an NMF fit
#'
#' Collects and validates the settings that steer the solvers. Unknown names
#' are an error, so a misspelled setting never passes silently.
#'
#' @param max_iter Maximum number of outer iterations (one update of W and
#'   one of H), a whole number >= 1.
#' @param tol Stop when the relative change of the objective between two
#'   iterations, \eqn{|f_{t-1} - f_t| / |f_{t-1}|}, is at most `tol`.
#'   `tol = 0` is legal and runs exactly `max_iter` iterations (without the
#'   warning that a fit stopped by `max_iter` otherwise gives).
#' @param normalize How the columns of W are scaled in the result: `"l1"`
#'   (each column sums to one, so H is in the units of the data), `"l2"`
#'   (unit Euclidean norm) or `"none"`. The scale moves into H; W H is
#'   unchanged.
#' @param inner_max Maximum coordinate-descent sweeps over one factor per
#'   outer iteration, reusing one product with the data (Gillis & Glineur
#'   2012).
#' @param inner_tol Inner sweeps stop when a sweep moves the factor by less
#'   than `inner_tol` times what the first sweep moved it.
#' @param trace_every With `verbose = TRUE`, report every `trace_every`
#'   iterations.
#' @param ... Not used: any other name is an error.
#' @param extrapolate Whether successive iterations of the BCD (beta = 2)
#'   and coordinate-descent (beta = 1) solvers are extrapolated (Ang & Gillis
#'   2019): `TRUE`, `FALSE`, or `NULL` (the default) for on with BCD and off
#'   with coordinate descent. It typically halves the iterations to a given
#'   objective. A step that would increase the objective is rejected and
#'   followed by a plain step, so the objective still never increases. It is
#'   off by default for coordinate descent because it moves where fits of
#'   Poisson data stop, and with it the rank that [nmf_cv()] chooses in some
#'   cases (by bi-cross-validation in 2 of 10 seeds of planted rank 4 in the
#'   tests, and 4 signatures instead of 5 on the 21 breast-cancer catalogs of
#'   the signatures vignette). BCD fits with masks or missing values (weights
#'   in \[0, 1\]) take a majorization step instead and are not extrapolated,
#'   and neither are the multiplicative updates. Must be named.
#' @param precision How the core holds the data's values during a fit:
#'   `"double"` (the default) or `"float"` (single precision, 4 bytes a
#'   value). With `"float"` each fit rounds the values of `x` to the
#'   nearest float once, at its start, and then fits those values exactly:
#'   every product, sum and objective is still computed in double, and the
#'   factors are doubles. The result is the fit of data perturbed by at most
#'   2^-24 (6e-8) relative per entry, so the objective agrees with the double
#'   fit's to about that relative size on well-conditioned data, while fits
#'   that end at different local minima may differ as any two starts do
#'   (the tests check 1e-5 relative agreement of the objective). Data that
#'   floats hold exactly, such as counts below 2^24, give the same bits as
#'   in double. The passes over the data then read half the bytes per value,
#'   but the fit keeps a float copy of the values while it runs (R's own `x`
#'   is not changed): for a dense `x` the peak memory grows by half the
#'   data's size, and for a sparse `x` the float values (4 bytes per
#'   non-zero) come on top of the row index of the row passes (8 bytes per
#'   non-zero, which a double fit of data that are all floats, such as
#'   counts, also takes; 12 for other data). On this package's
#'   benchmarks, whose products are bound by arithmetic rather than memory
#'   traffic, the time per iteration is the same as in double
#'   (`bench/RESULTS.md`). [nmf_cv()] fits in float and scores the held-out
#'   entries against `x` itself. Every positive value must be a normal float,
#'   between 2^-126 (1.2e-38) and 3.4e38: other data are an error that names
#'   `precision`. Must be named.
#' @return A list of class `nmf_control` with the settings above.
#' @seealso [nmf_fit()]
#' @references
#' Ang MS, Gillis N (2019). Accelerating nonnegative matrix factorization
#' algorithms using extrapolation. *Neural Computation* 31:417-439.
#' @examples
#' nmf_control(max_iter = 200, tol = 1e-6)
#' nmf_control(tol = 0, max_iter = 50) # exactly 50 iterations
#' nmf_control(precision = "float") # the data in single precision
#' @export
nmf_control <- function(max_iter = 500L, tol = 1e-5,
                        normalize = c("l1", "l2", "none"), inner_max = 10L,
                        inner_tol = 0.01, trace_every = 10L, ..., extrapolate = NULL,
                        precision = c("double", "float")) {
  check_no_dots(list(...), "nmf_control()", sprintf(
    "the settings are %s", paste(setdiff(names(formals(nmf_control)), "..."), collapse = ", ")))
  check_count(max_iter, "max_iter")
  check_number(tol, "tol", min = 0)
  normalize <- match_choice(normalize, c("l1", "l2", "none"), "normalize")
  check_count(inner_max, "inner_max")
  check_number(inner_tol, "inner_tol", min = 0)
  check_count(trace_every, "trace_every")
  if (!is.null(extrapolate)) check_flag(extrapolate, "extrapolate")
  precision <- match_choice(precision, c("double", "float"), "precision")
  structure(list(max_iter = as.integer(max_iter), tol = as.numeric(tol),
                 normalize = normalize, inner_max = as.integer(inner_max),
                 inner_tol = as.numeric(inner_tol),
                 trace_every = as.integer(trace_every), extrapolate = extrapolate,
                 precision = precision),
            class = "nmf_control")
}

#' @export
print.nmf_control <- function(x, ...) {
  cat("<nmf_control>\n")
  for (nm in names(x)) {
    v <- if (nm == "extrapolate" && is.null(x[[nm]])) "NULL (BCD only)" else format(x[[nm]])
    cat(sprintf("  %-12s %s\n", nm, v))
  }
  invisible(x)
}
