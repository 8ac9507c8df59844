#' @keywords internal
"_PACKAGE"

#' @useDynLib betanmf, .registration = TRUE
#' @importFrom Rcpp sourceCpp
NULL
