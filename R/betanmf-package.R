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
#' `BETANMF_THREADS`, then the cores the process may use: the physical
#' cores, capped by `parallelly::availableCores()` when parallelly is
#' installed (cgroup CPU limits of containers, the allocation of a job
#' scheduler, `options(mc.cores)`, `_R_CHECK_LIMIT_CORES_`; without
#' parallelly, `_R_CHECK_LIMIT_CORES_` alone caps them at 2), and by the
#' environment variable `OMP_NUM_THREADS` when it is set. No global OpenMP
#' setting is changed. Results do not depend on the thread count.
#'
#' @section Progress:
#' With the cli package installed, [nmf_fit()] shows a progress bar over its
#' iterations (and restarts), [nmf_cv()] over its fits (replicate and rank)
#' and [nmf_consensus()] over its restarts, in interactive sessions and
#' whenever `verbose = TRUE`; scripts and knitr documents stay quiet by
#' default. A bar appears only once the work has run for 2 seconds
#' (`options(cli.progress_show_after = )`). `options(betanmf.progress =
#' TRUE)` or `FALSE` shows or hides the bars everywhere. With `parallel =
#' "future"` the work runs on workers and its progress is reported through
#' progressr: wrap the call in `progressr::with_progress()` or call
#' `progressr::handlers(global = TRUE)` once to see it. Ctrl-C stops a fit
#' within about a second in every case.
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
