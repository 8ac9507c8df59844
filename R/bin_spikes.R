#' Bin spike times into a neurons x bins count matrix
#'
#' Counts the spikes of each neuron in consecutive time bins of equal width,
#' the usual way to turn spike-sorted recordings into the non-negative count
#' matrix that [nmf_fit()] factorizes (neurons in rows, so W holds the
#' assemblies and H their activity over time).
#'
#' Bin `k` (from 1) covers the half-open interval
#' `[start + (k - 1) * width, start + k * width)`: a spike exactly on an edge
#' counts in the bin that starts there. Edges are compared with a tolerance
#' of a billionth of a bin, so that a time such as 0.3 s with 0.1 s bins,
#' which is not exactly representable, still falls on its edge. There are
#' `ceiling((end - start) / width)` bins; the last one may reach past `end`
#' and includes a spike at exactly `end`. Spikes before `start` or after
#' `end`, and spikes of neurons not listed in `neurons`, are left out.
#'
#' @param neuron The neuron of each spike: integer, character or factor ids,
#'   one per spike.
#' @param time The time of each spike in seconds (numeric, finite), in any
#'   order.
#' @param width The bin width in seconds, a positive number.
#' @param start Start of the first bin, in seconds; `NULL` means 0, or the
#'   earliest spike if it is negative.
#' @param end End of the binned span, in seconds, greater than `start`;
#'   `NULL` means the latest spike (at least `start + width`).
#' @param neurons The neurons to keep, in the order of the rows: a vector of
#'   distinct ids of the same kind as `neuron`. Neurons that never fire get a
#'   row of zeros, so give the full list to keep silent neurons. `NULL`
#'   means the levels of a factor `neuron`, else its sorted distinct values.
#' @param sparse If `TRUE`, return a sparse `dgCMatrix` (Matrix package)
#'   instead of a dense integer matrix; worth it for narrow bins, where most
#'   counts are zero.
#' @return A matrix with one row per neuron (row names: the ids) and one
#'   column per bin (column names: the start of each bin in seconds), of
#'   spike counts: an integer matrix, or a `dgCMatrix` with `sparse = TRUE`.
#'   Its attributes `bin_start` (numeric, the start of each bin) and `width`
#'   keep the time axis.
#' @seealso [aplysia] for real spike times; `vignette("spikes", package =
#'   "betanmf")` for an analysis of them.
#' @examples
#' # three neurons, the third silent
#' counts <- bin_spikes(neuron = c(1, 1, 2, 1, 2), time = c(0.05, 0.12, 0.2, 0.95, 0.3),
#'                      width = 0.25, end = 1, neurons = 1:3)
#' counts
#' attr(counts, "bin_start")
#'
#' # one recording of the Aplysia data, in 100 ms bins
#' jun <- aplysia[aplysia$recording == "Jun0214da01", ]
#' X <- bin_spikes(jun$neuron, jun$time_s, width = 0.1, sparse = TRUE)
#' dim(X)
#' mean(X == 0) # fraction of empty bins
#' @export
bin_spikes <- function(neuron, time, width, start = NULL, end = NULL, neurons = NULL,
                       sparse = FALSE) {
  spike_check_ids(neuron, "neuron")
  if (!is.numeric(time) || anyNA(time) || any(!is.finite(time))) {
    stop(sprintf("`time` must be a numeric vector of finite spike times in seconds; got %s",
                 spike_describe_times(time)), call. = FALSE)
  }
  if (length(time) != length(neuron)) {
    stop(sprintf("`time` must have one entry per spike, as `neuron`; got %d times for %d neurons",
                 length(time), length(neuron)), call. = FALSE)
  }
  spike_check_number(width, "width", positive = TRUE)
  if (is.null(start)) {
    start <- min(0, time)
  } else {
    spike_check_number(start, "start")
  }
  if (is.null(end)) {
    if (!length(time)) {
      stop("`end` must be given when there are no spikes (`time` is empty)", call. = FALSE)
    }
    end <- max(time, start + width)
  } else {
    spike_check_number(end, "end")
    if (end <= start) {
      stop(sprintf("`end` must be greater than `start` = %s; got %s", format(start),
                   format(end)), call. = FALSE)
    }
  }
  neurons <- spike_neurons(neuron, neurons)
  if (!is.logical(sparse) || length(sparse) != 1L || is.na(sparse)) {
    stop(sprintf("`sparse` must be TRUE or FALSE; got %s", describe(sparse)), call. = FALSE)
  }

  tol <- 1e-9  # in bins: edges absorb rounding of decimal times
  n_bins <- max(1, ceiling((end - start) / width - tol))
  if (n_bins > .Machine$integer.max / max(1L, length(neurons))) {
    stop(sprintf("`width` = %s gives %.0f bins for %d neurons, too many for one matrix",
                 format(width), n_bins, length(neurons)), call. = FALSE)
  }
  n_bins <- as.integer(n_bins)
  row <- match(as.character(neuron), as.character(neurons))
  inside <- !is.na(row) & time >= start - tol * width & time <= end + tol * width
  bin <- floor((time[inside] - start) / width + tol) + 1
  bin <- pmin(pmax(bin, 1), n_bins)  # a spike at `end` joins the last bin
  row <- row[inside]
  bin_start <- start + (seq_len(n_bins) - 1) * width
  dn <- list(as.character(neurons), format_bin_start(bin_start))
  if (sparse) {
    out <- Matrix::sparseMatrix(i = row, j = as.integer(bin), x = 1,
                                dims = c(length(neurons), n_bins), dimnames = dn)
  } else {
    cell <- row + length(neurons) * (bin - 1)
    out <- matrix(tabulate(cell, nbins = length(neurons) * n_bins), length(neurons), n_bins,
                  dimnames = dn)
  }
  attr(out, "bin_start") <- bin_start
  attr(out, "width") <- width
  out
}

# Bin starts as column names, free of the rounding of (k - 1) * width.
format_bin_start <- function(x) as.character(round(x, 9))

spike_check_ids <- function(x, arg) {
  ok <- (is.numeric(x) || is.character(x) || is.factor(x)) && is.null(dim(x))
  if (!ok) {
    stop(sprintf("`%s` must be a vector of neuron ids (integer, character or factor); got %s",
                 arg, describe(x)), call. = FALSE)
  }
  if (anyNA(x)) {
    stop(sprintf("`%s` must not contain NA; found %d", arg, sum(is.na(x))), call. = FALSE)
  }
  invisible(x)
}

spike_check_number <- function(x, arg, positive = FALSE) {
  ok <- is.numeric(x) && length(x) == 1L && is.finite(x) && (!positive || x > 0)
  if (!ok) {
    stop(sprintf("`%s` must be a single finite number%s, in seconds; got %s", arg,
                 if (positive) " > 0" else "", describe(x)), call. = FALSE)
  }
  invisible(x)
}

spike_describe_times <- function(x) {
  if (is.numeric(x) && is.null(dim(x))) {
    return(sprintf("%d NA, NaN or infinite value(s)", sum(!is.finite(x))))
  }
  describe(x)
}

# The rows of the count matrix: the user's list, checked, or the ids seen.
spike_neurons <- function(neuron, neurons) {
  if (is.null(neurons)) {
    if (is.factor(neuron)) return(levels(neuron))
    return(sort(unique(neuron)))
  }
  spike_check_ids(neurons, "neurons")
  if (!length(neurons)) {
    stop("`neurons` must list at least one neuron; got an empty vector", call. = FALSE)
  }
  if (anyDuplicated(as.character(neurons))) {
    dup <- unique(neurons[duplicated(as.character(neurons))])
    stop(sprintf("`neurons` must list each neuron once; %s appear more than once",
                 paste(utils::head(dup, 5), collapse = ", ")), call. = FALSE)
  }
  neurons
}
