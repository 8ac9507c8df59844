#' Align NMF components to a reference
#'
#' NMF components come in no particular order and with an arbitrary scale:
#' two fits of the same data (different seeds, ranks, subsets) give the same
#' components permuted and rescaled. `nmf_align()` matches the components of
#' `x` to those of `reference` one to one, removing scale by comparing
#' directions (cosine similarity of the components normalized to unit length),
#' and choosing the matching that maximizes the summed similarity with
#' [hungarian()]. The fit(s) are then returned with their components reordered
#' to follow the reference.
#'
#' The reference may have more components than `x` (for example a catalog of
#' known mutational signatures): each component of `x` is then matched to a
#' distinct reference component and the other reference components stay
#' unmatched. When `x` has more components than `reference`, the surplus
#' components of `x` match nothing; they are listed in `unmatched` and placed
#' last in the aligned fit.
#'
#' @param x What to align: an `nmf_fit` (a list of class `"nmf_fit"` with `W`
#'   (m x r), `H` (r x n) and `loss`), a numeric matrix whose columns are the
#'   components (whatever `by` is), or a list of such fits or matrices, all
#'   with the same number of components.
#' @param reference What to align to: an `nmf_fit` or a numeric matrix whose
#'   columns are the reference components. May have more or fewer components
#'   than `x`. `NULL` is allowed only when `x` is a list of fits: the fit of
#'   lowest `loss` is then the reference.
#' @param by Compare components through `"W"` (columns of `W`, of length m)
#'   or `"H"` (rows of `H`, of length n). `x` and `reference` must share m
#'   (`by = "W"`) or n (`by = "H"`). Matrices always hold components in
#'   columns.
#'
#' @return An object of class `nmf_align`, a list with, for a single fit or
#'   matrix `x` with `r` components aligned to a reference with `q`
#'   components:
#'   * `permutation`: integer, length `q`: `permutation[j]` is the index (in
#'     the original order of `x`) of the component of `x` matched to reference
#'     component `j`, `NA` if none. When `x` and `reference` have the same number of
#'     components, `x$W[, permutation]` is the
#'     aligned `W`.
#'   * `order`: integer, length `r`: the order applied to the components of
#'     `x` to build `aligned`: the matched components sorted by their
#'     reference component, then the unmatched ones.
#'   * `matched`: integer, length `r`: for each component of `aligned`, the
#'     reference component it matched (`NA` if none).
#'   * `similarity`: numeric, length `r`: cosine similarity between each
#'     component of `aligned` and its reference component (`NA` if unmatched).
#'   * `matrix`: the `r` x `q` cosine similarity matrix, rows the components of
#'     `x` in their original order, columns the reference components.
#'   * `aligned`: `x` with its components reordered by `order`: for an
#'     `nmf_fit` the columns of `W` and the rows of `H` (with their names),
#'     for a matrix its columns.
#'   * `unmatched`: integer indices (original order) of the components of `x`
#'     that matched no reference component.
#'   * `by`, `reference_index` (the index of the reference fit in `x` when it
#'     was chosen by loss, else `NULL`), `n_fits`.
#'
#'   For a list `x` of `F` fits, `permutation`, `order`, `matched` and
#'   `similarity` are matrices with one column per fit, `matrix` is an
#'   `r` x `q` x `F` array, `aligned` a list of aligned fits and `unmatched`
#'   a list of integer vectors.
#'
#' @seealso [hungarian()], [nmf_consensus()].
#' @examples
#' # Two "fits" of the same components, permuted and rescaled
#' W <- matrix(c(5, 0, 1,  0, 4, 1,  1, 1, 6,  2, 0, 0), ncol = 3, byrow = TRUE)
#' H <- matrix(1:6, nrow = 3)
#' fit <- structure(list(W = W, H = H, loss = 1), class = "nmf_fit")
#' other <- structure(list(W = W[, c(3, 1, 2)] * 2, H = H[c(3, 1, 2), ] / 2,
#'                         loss = 2), class = "nmf_fit")
#' al <- nmf_align(other, reference = fit)
#' al
#' al$permutation            # c(2, 3, 1)
#' al$aligned$W / 2          # equals W
#'
#' # A list of fits: aligned to the one of lowest loss
#' nmf_align(list(fit, other))$permutation
#' @export
nmf_align <- function(x, reference = NULL, by = c("W", "H")) {
  by <- match_choice(by, c("W", "H"), "by")
  if (is.list(x) && !inherits(x, "nmf_fit") && !is.data.frame(x)) {
    return(align_list(x, reference, by))
  }
  if (is.null(reference)) {
    stop("`reference` must be an nmf_fit or a matrix when `x` is a single fit ",
         "or matrix (NULL only when `x` is a list of fits); got NULL", call. = FALSE)
  }
  comp_x <- check_components(x, by, "x")
  comp_ref <- check_components(reference, by, "reference")
  check_same_length(comp_x, comp_ref, by, "x")
  one <- align_components(comp_x, comp_ref)
  one$aligned <- permute_components(x, one$order)
  one$by <- by
  one$reference_index <- NULL
  one$n_fits <- 1L
  structure(one, class = "nmf_align")
}

# Aligns every element of the list `x` to `reference` (or to the element of
# lowest loss when `reference` is NULL).
align_list <- function(x, reference, by) {
  if (length(x) == 0L) {
    stop("`x` must be an nmf_fit, a matrix or a non-empty list of them; ",
         "got an empty list", call. = FALSE)
  }
  args <- sprintf("x[[%d]]", seq_along(x))
  comps <- Map(function(el, arg) check_components(el, by, arg), x, args)
  ranks <- vapply(comps, ncol, integer(1))
  if (length(unique(ranks)) != 1L) {
    stop(sprintf("every element of `x` must have the same number of components; got %s",
                 paste(ranks, collapse = ", ")), call. = FALSE)
  }
  reference_index <- NULL
  if (is.null(reference)) {
    reference_index <- best_loss_index(x)
    comp_ref <- comps[[reference_index]]
  } else {
    comp_ref <- check_components(reference, by, "reference")
  }
  for (i in seq_along(comps)) check_same_length(comps[[i]], comp_ref, by, args[i])

  each <- lapply(comps, align_components, comp_ref = comp_ref)
  fit_names <- if (is.null(names(x))) NULL else names(x)
  collect <- function(field) {
    m <- vapply(each, `[[`, each[[1]][[field]], field)
    m <- matrix(m, ncol = length(each))
    colnames(m) <- fit_names
    m
  }
  sim_array <- array(unlist(lapply(each, `[[`, "matrix")),
                     dim = c(dim(each[[1]]$matrix), length(each)),
                     dimnames = c(dimnames(each[[1]]$matrix), list(fit_names)))
  aligned <- Map(permute_components, x, lapply(each, `[[`, "order"))
  structure(list(
    similarity = collect("similarity"),
    permutation = collect("permutation"),
    order = collect("order"),
    matched = collect("matched"),
    matrix = sim_array,
    aligned = aligned,
    unmatched = lapply(each, `[[`, "unmatched"),
    by = by,
    reference_index = reference_index,
    n_fits = length(x)
  ), class = "nmf_align")
}

# Matches the columns of comp_x (components of x) to those of comp_ref.
align_components <- function(comp_x, comp_ref) {
  sim <- cpp_cosine_similarity(comp_x, comp_ref)
  dimnames(sim) <- list(colnames(comp_x), colnames(comp_ref))
  ref_of_x <- hungarian(sim, maximize = TRUE)$assignment
  names(ref_of_x) <- NULL
  permutation <- match(seq_len(ncol(comp_ref)), ref_of_x)
  unmatched <- which(is.na(ref_of_x))
  order <- c(permutation[!is.na(permutation)], unmatched)
  matched <- ref_of_x[order]
  similarity <- rep(NA_real_, length(order))
  ok <- !is.na(matched)
  similarity[ok] <- sim[cbind(order[ok], matched[ok])]
  list(similarity = similarity, permutation = permutation, order = order,
       matched = matched, matrix = sim, unmatched = unmatched)
}

# Index of the fit of lowest loss in the list `x` (all must be nmf_fit).
best_loss_index <- function(x) {
  is_fit <- vapply(x, inherits, logical(1), what = "nmf_fit")
  if (!all(is_fit)) {
    stop(sprintf(paste0("`reference` must be given when `x` holds matrices: ",
                        "x[[%d]] is %s, and only nmf_fit objects carry a loss ",
                        "to choose the reference"),
                 which(!is_fit)[1], describe(x[[which(!is_fit)[1]]])), call. = FALSE)
  }
  losses <- vapply(seq_along(x), function(i) {
    l <- x[[i]]$loss
    if (!is.numeric(l) || length(l) != 1L || !is.finite(l)) {
      stop(sprintf("`x[[%d]]$loss` must be a single finite number to choose the %s; got %s",
                   i, "reference", describe(l)), call. = FALSE)
    }
    as.double(l)
  }, numeric(1))
  which.min(losses)
}

# Reorders the components of an nmf_fit (columns of W, rows of H: the only
# per-component fields of a fit) or the columns of a matrix.
permute_components <- function(obj, order) {
  if (!inherits(obj, "nmf_fit")) return(obj[, order, drop = FALSE])
  obj$W <- obj$W[, order, drop = FALSE]
  obj$H <- obj$H[order, , drop = FALSE]
  # keep the map to the solver's order that a warm start uses
  if (length(obj$order) == length(order)) obj$order <- obj$order[order]
  obj
}

#' @rdname nmf_align
#' @param digits Number of significant digits to print.
#' @param ... Ignored by `print()`; passed to [graphics::image()] by `plot()`,
#'   which draws the similarity matrix with the reference components down
#'   (readable with dozens of names), the values in the cells (every cell
#'   up to 400, else the matched ones), the matches outlined and a colour
#'   key.
#' @export
print.nmf_align <- function(x, digits = 3L, ...) {
  r <- NROW(x$similarity)
  q <- NROW(x$permutation)
  if (x$n_fits == 1L) {
    cat(sprintf("<nmf_align> %d components aligned to %d reference components (by %s)\n",
                r, q, x$by))
    tab <- data.frame(component = seq_len(r), original = x$order,
                      reference = x$matched, similarity = x$similarity)
    unmatched <- x$unmatched
  } else {
    ref <- if (is.null(x$reference_index)) "" else
      sprintf("; reference: fit %d, lowest loss", x$reference_index)
    cat(sprintf("<nmf_align> %d fits of %d components aligned to %d reference components (by %s%s)\n",
                x$n_fits, r, q, x$by, ref))
    sim <- x$similarity
    tab <- data.frame(component = seq_len(r), mean = rowMeans(sim),
                      min = apply(sim, 1, min))
    same_ref <- all(x$matched == x$matched[, 1], na.rm = TRUE)
    if (same_ref) tab <- cbind(tab[1], reference = x$matched[, 1], tab[-1])
    unmatched <- unlist(x$unmatched)
  }
  print(tab, digits = digits, row.names = FALSE)
  if (length(unmatched) > 0L) {
    n <- length(unmatched)
    cat(sprintf("%d %s of x matched no reference component.\n", n,
                if (n == 1L) "component" else "components"))
  }
  invisible(x)
}

#' @rdname nmf_align
#' @param y Ignored.
#' @param fit For a list `x`: which fit to show. The default shows the fit
#'   whose worst matched component has the lowest similarity.
#' @export
plot.nmf_align <- function(x, y, fit = NULL, ...) {
  one <- align_one(x, fit)
  # reference components down (their names stay readable however many),
  # components of x across in aligned order
  shown <- t(one$sim[one$order, , drop = FALSE])
  q <- nrow(shown)
  r <- ncol(shown)
  refs <- rownames(shown) %||% as.character(seq_len(q))
  heatmap_base(shown, refs, as.character(one$order),
               xlab = sprintf("component of %s (original index, aligned order)", one$label),
               ylab = "reference component", main = "Cosine similarity", key_title = "cosine",
               zlim = c(min(0, shown, na.rm = TRUE), 1), dots = list(...))
  ok <- which(!is.na(one$matched))
  y_pos <- q + 1 - one$matched[ok]
  graphics::rect(ok - 0.5, y_pos - 0.5, ok + 0.5, y_pos + 0.5, border = "black", lwd = 2)
  cells <- if (r * q <= 400L) expand.grid(i = seq_len(q), j = seq_len(r)) else
    data.frame(i = one$matched[ok], j = ok)
  vals <- shown[cbind(cells$i, cells$j)]
  graphics::text(cells$j, q + 1 - cells$i, sprintf("%.2f", vals),
                 cex = if (q > 40L) 0.45 else 0.7, col = ifelse(vals > 0.6, "white", "black"))
  invisible(x)
}
