#' Optimal assignment of rows to columns (Hungarian method)
#'
#' Solves the linear sum assignment problem: choose pairs (row, column), each
#' row and each column used at most once, so that the summed cost of the pairs
#' is minimal (or, with `maximize = TRUE`, the summed score is maximal). The
#' matrix may be rectangular: with more columns than rows every row is
#' matched; with more rows than columns every column is matched and the
#' surplus rows are left unmatched.
#'
#' The solver is the shortest augmenting path method with dual potentials of
#' Jonker and Volgenant (1987), a refinement of the Hungarian method of Kuhn
#' (1955), in the rectangular form of Crouse (2016). It runs in
#' \eqn{O(r^2 c)} time for \eqn{r \le c}, so a 500 x 500 problem takes a few
#' milliseconds. It uses only comparisons and sums of the costs, so ties and
#' negative costs are handled exactly. Among several optimal assignments, one
#' is returned; which one is not specified.
#'
#' `nmf_align()` uses it to match NMF components by cosine similarity.
#'
#' @param cost A numeric (double or integer) matrix with at least one row and
#'   one column and only finite values: `cost[i, j]` is the cost (or, with
#'   `maximize = TRUE`, the score) of matching row `i` with column `j`.
#' @param maximize A single `TRUE` or `FALSE`: maximize the summed score
#'   instead of minimizing the summed cost.
#'
#' @return An object of class `hungarian`, a list with
#'   * `assignment`: an integer vector with one entry per row of `cost`: the
#'     column matched to that row, `NA` if the row is unmatched (only when
#'     `cost` has more rows than columns). Named by the row names of `cost`.
#'   * `total`: the summed cost (or score) of the matched pairs, a double,
#'     `sum(cost[cbind(i, assignment[i])])` over the matched rows `i`.
#'   * `cost`: the matrix that was solved, as given.
#'   * `maximize`: whether the score was maximized.
#'
#' @references
#' Kuhn, H. W. (1955). The Hungarian method for the assignment problem.
#' *Naval Research Logistics Quarterly* 2, 83--97.
#'
#' Jonker, R. and Volgenant, A. (1987). A shortest augmenting path algorithm
#' for dense and sparse linear assignment problems. *Computing* 38, 325--340.
#'
#' Crouse, D. F. (2016). On implementing 2D rectangular assignment
#' algorithms. *IEEE Transactions on Aerospace and Electronic Systems* 52,
#' 1679--1696.
#'
#' @seealso [nmf_align()] to match NMF components.
#' @examples
#' cost <- matrix(c(4, 1, 3,
#'                  2, 0, 5,
#'                  3, 2, 2), nrow = 3, byrow = TRUE)
#' h <- hungarian(cost)
#' h
#' h$assignment   # column matched to each row
#' h$total        # 5
#'
#' # Rectangular, maximizing a similarity
#' sim <- matrix(c(0.9, 0.1, 0.3, 0.2,
#'                 0.2, 0.8, 0.7, 0.1), nrow = 2, byrow = TRUE)
#' hungarian(sim, maximize = TRUE)$assignment
#' @export
hungarian <- function(cost, maximize = FALSE) {
  check_cost(cost)
  check_flag(maximize, "maximize")
  work <- cost
  storage.mode(work) <- "double"
  if (maximize) work <- -work
  res <- cpp_hungarian(work)
  assignment <- res$assignment
  names(assignment) <- rownames(cost)
  rows <- which(!is.na(assignment))
  total <- sum(as.double(cost[cbind(rows, assignment[rows])]))
  structure(
    list(assignment = assignment, total = total, cost = cost, maximize = maximize),
    class = "hungarian"
  )
}

#' @rdname hungarian
#' @param x An object of class `hungarian`.
#' @param max_pairs Print at most this many matched pairs.
#' @param ... Ignored.
#' @export
print.hungarian <- function(x, max_pairs = 10L, ...) {
  d <- dim(x$cost)
  goal <- if (x$maximize) "maximum score" else "minimum cost"
  cat(sprintf("<hungarian> optimal assignment of a %d x %d matrix (%s)\n",
              d[1], d[2], goal))
  cat(sprintf("total: %s\n", format(x$total, digits = 7)))
  rows <- which(!is.na(x$assignment))
  shown <- rows[seq_len(min(length(rows), max_pairs))]
  row_label <- if (is.null(rownames(x$cost))) shown else rownames(x$cost)[shown]
  col_label <- if (is.null(colnames(x$cost))) {
    x$assignment[shown]
  } else {
    colnames(x$cost)[x$assignment[shown]]
  }
  cat("row -> column:", paste0(row_label, "->", col_label, collapse = ", "))
  if (length(rows) > length(shown)) {
    cat(sprintf(", ... (%d more)", length(rows) - length(shown)))
  }
  cat("\n")
  n_free <- sum(is.na(x$assignment))
  if (n_free > 0L) cat(sprintf("unmatched rows: %d\n", n_free))
  invisible(x)
}
