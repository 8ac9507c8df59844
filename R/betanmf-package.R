#' betanmf: non-negative matrix factorization under every beta-divergence
#'
#' Fits \eqn{X \approx WH} with \eqn{W, H \ge 0} under the beta-divergence
#' that matches the noise of the data: squared error (`beta = 2`) for
#' Gaussian noise, Kullback-Leibler (`beta = 1`) for counts, Itakura-Saito
#' (`beta = 0`) for multiplicative noise. Dense and sparse matrices are
#' handled by the same multithreaded C++ core; a sparse matrix is never
#' densified.
#'
#' The main entry points are [nmf_fit()], [nmf_control()] and
#' [beta_divergence()].
#'
#' @section Threads:
#' Every entry point has a `threads` argument. When it is `NULL` the count
#' comes from `getOption("betanmf.threads")`, then the environment variable
#' `BETANMF_THREADS`, then the number of physical cores. Results do not depend
#' on the thread count.
#'
#' @references
#' Fevotte C, Idier J (2011). Algorithms for nonnegative matrix factorization
#' with the beta-divergence. *Neural Computation* 23:2421-2456.
#'
#' Cichocki A, Phan A-H (2009). Fast local algorithms for large scale
#' nonnegative matrix and tensor factorizations. *IEICE Transactions on
#' Fundamentals* E92-A:708-721.
#'
#' Gillis N, Glineur F (2012). Accelerated multiplicative updates and
#' hierarchical ALS algorithms for nonnegative matrix factorization.
#' *Neural Computation* 24:1085-1105.
#'
#' @keywords internal
"_PACKAGE"

#' @useDynLib betanmf, .registration = TRUE
#' @importFrom Rcpp sourceCpp
#' @importFrom methods as is
#' @importClassesFrom Matrix dgCMatrix
#' @importFrom stats fitted residuals predict
NULL
