#' Fit a non-negative matrix factorization
#'
#' Finds \eqn{W \ge 0} (m x r) and \eqn{H \ge 0} (r x n) that minimize
#' \deqn{\sum_{ij} d_\beta(X_{ij} | (WH)_{ij}) + \lambda_1^W \sum W +
#'   \frac{\lambda_2^W}{2} \|W\|^2 + \lambda_1^H \sum H +
#'   \frac{\lambda_2^H}{2} \|H\|^2}
#' where \eqn{d_\beta} is the beta-divergence (see [beta_divergence()]).
#'
#' @section Solvers:
#' `"bcd"`, for `beta = 2`: rank-one block coordinate descent (HALS;
#' Cichocki & Phan 2009) with several inner sweeps per product with the data
#' (Gillis & Glineur 2012). The data enter only through \eqn{W^T X} and
#' \eqn{X H^T}, so a sparse matrix costs time in proportion to its non-zeros
#' and is never densified. The objective is computed exactly at every
#' iteration from the same products and the Gram matrices. A mask or
#' weights between 0 and 1 keep this form: each step majorizes the weighted
#' objective by the plain one on data imputed with the current model (the EM
#' step), which corrects the linear term of a line by one rank-r vector per
#' masked entry; other weights use exact per-line Gram matrices.
#'
#' `"cd"`, for `beta = 1` (Kullback-Leibler, Poisson counts): cyclic
#' coordinate descent with Newton steps (Hsieh & Dhillon 2011) that visit
#' only the non-zeros of the data, with a step bound that keeps every step a
#' decrease.
#'
#' `"mu"`, for any `beta`: the multiplicative updates of Fevotte & Idier
#' (2011) with the exponent gamma(beta) that makes every step a decrease.
#' For `beta` = 1 and 2 they use the non-zeros only; for other values they
#' run over blocks of columns with vectorized element-wise kernels, so that
#' a sparse matrix is never densified as a whole.
#'
#' `"auto"` picks `"bcd"` for `beta = 2`, `"cd"` for `beta = 1` and `"mu"`
#' otherwise; a solver that does not fit `beta` stops with an error.
#'
#' @section Scaling and order:
#' With `nmf_control(normalize = "l1")` (the default) each column of W sums
#' to one and its scale moves into H, so H is in the units of the data.
#' Components are ordered by decreasing total contribution
#' \eqn{\sum_{ij} W_{ik} H_{kj}}, except when some are fixed: then the fixed
#' ones come first, in the order given. `loss` includes the penalties
#' evaluated at the solution before this rescaling (the rescaling leaves the
#' divergence unchanged but not an L1 or L2 penalty).
#'
#' @section Reproducibility:
#' `seed = NULL` draws a seed from R's random number generator, so
#' `set.seed()` governs the result; the seed used is stored in the fit.
#' Random numbers in the core are a function of the seed and of their
#' position only, and every parallel loop writes disjoint outputs in a fixed
#' order, so the same seed gives the same fit for any number of threads.
#'
#' @param x The data: a non-negative numeric (or integer) matrix, a sparse
#'   matrix of the Matrix package (a `dgCMatrix` is read without a copy), or
#'   a `SummarizedExperiment` (then `assay` names the assay).
#' @param rank Number of components r, between 1 and `min(nrow(x), ncol(x))`.
#' @param beta The divergence: a number, or `"gaussian"`/`"frobenius"` (2),
#'   `"poisson"`/`"kl"` (1), `"gamma"`/`"itakura-saito"`/`"is"` (0).
#' @param ... Arguments passed to methods; the default method accepts none
#'   and reports any it receives.
#' @param mask `NULL` or a logical (or 0/1) matrix, dense or sparse, of the
#'   shape of `x`: `TRUE` marks entries left out of the fit (held out for
#'   cross-validation, saturated, unreliable). `NA` entries of `x` are left
#'   out automatically. A sparse mask costs time in proportion to its
#'   non-zeros.
#' @param weights `NULL` or a non-negative matrix of the shape of `x`: the
#'   objective becomes \eqn{\sum_{ij} w_{ij} d_\beta(x_{ij} | (WH)_{ij})}. A
#'   dense matrix gives every entry its weight; a sparse matrix gives weight
#'   zero to the entries it does not store. Masked and missing entries get
#'   weight zero whatever `weights` says. A row or column with no observed
#'   entry gets zeros in its factor, with a warning.
#' @param l1,l2 L1 and L2 penalties: one non-negative number for both factors
#'   or a named pair `c(W = , H = )`. A penalty on one factor alone is partly
#'   undone by the scaling freedom of NMF (W can grow while H shrinks without
#'   changing WH); penalize both factors for a well-posed problem.
#' @param fixed_W An m x k non-negative matrix (k <= rank) of known
#'   components: the first k columns of W stay equal to it (up to the column
#'   scaling of `normalize`) while the rest is learned. With k = rank only H
#'   is fitted (a projection, as [predict.nmf_fit()]).
#' @param fixed_H A k x n matrix of known rows of H, the same way.
#' @param offset A non-negative constant added to every entry of `x` on
#'   purpose (it densifies a sparse matrix); needed only to use `beta <= 0`
#'   on data with zeros.
#' @param init Starting factors: `"nndsvd"` (non-negative double SVD,
#'   Boutsidis & Gallopoulos 2008, from a randomized SVD), `"random"`, an
#'   `nmf_fit` to continue from, or a list with matrices `W` and `H`.
#' @param restarts Number of independent fits; the one with the lowest loss
#'   is returned. The first starts from `init`, the others from random
#'   factors, each with its own seed.
#' @param solver `"auto"`, `"bcd"` (beta = 2), `"cd"` (beta = 1) or `"mu"`
#'   (any beta); see Solvers.
#' @param control Settings from [nmf_control()].
#' @param seed `NULL` or a whole number; see Reproducibility.
#' @param threads Number of threads; `NULL` uses `getOption("betanmf.threads")`,
#'   then the environment variable `BETANMF_THREADS`, then the physical cores.
#' @param verbose If `TRUE`, report progress with [message()].
#' @param assay For a `SummarizedExperiment`, the assay to factorize (name or
#'   index).
#' @return An object of class `nmf_fit`, a list with
#'   * `W` (m x r, row names of `x`), `H` (r x n, column names of `x`);
#'   * `beta`, `rank`, `solver`, `seed`, `call`;
#'   * `loss`: the final objective (divergence plus penalties);
#'   * `divergence`: the beta-divergence of the fit, computed exactly;
#'   * `history`: a data frame with `iteration`, `loss` and `seconds` since
#'     the fit started;
#'   * `iterations`, `converged`;
#'   * `restarts`: one row per restart (`restart`, `seed`, `init`, `loss`,
#'     `iterations`, `converged`);
#'   * `penalty` (the L1 and L2 penalties), `data` (the dimensions, number of
#'     non-zeros and sum of squares of `x`), `control`.
#' @references
#' Boutsidis C, Gallopoulos E (2008). SVD based initialization: a head start
#' for nonnegative matrix factorization. *Pattern Recognition* 41:1350-1362.
#'
#' Cichocki A, Phan A-H (2009). Fast local algorithms for large scale
#' nonnegative matrix and tensor factorizations. *IEICE Transactions on
#' Fundamentals* E92-A:708-721.
#'
#' Fevotte C, Idier J (2011). Algorithms for nonnegative matrix factorization
#' with the beta-divergence. *Neural Computation* 23:2421-2456.
#'
#' Gillis N, Glineur F (2012). Accelerated multiplicative updates and
#' hierarchical ALS algorithms for nonnegative matrix factorization.
#' *Neural Computation* 24:1085-1105.
#'
#' Hsieh C-J, Dhillon IS (2011). Fast coordinate descent methods with
#' variable selection for non-negative matrix factorization. *KDD 2011*,
#' 1064-1072.
#' @seealso [nmf_control()], [beta_divergence()], [predict.nmf_fit()]
#' @examples
#' set.seed(1)
#' W <- matrix(runif(60 * 3), 60)
#' H <- matrix(runif(3 * 40), 3)
#' X <- W %*% H + matrix(runif(60 * 40, 0, 0.01), 60)
#' fit <- nmf_fit(X, rank = 3, threads = 1)
#' fit
#' summary(fit)
#'
#' # sparse data are never densified
#' S <- Matrix::rsparsematrix(200, 100, density = 0.1, rand.x = function(n) rpois(n, 3) + 1)
#' nmf_fit(S, rank = 4, seed = 42, threads = 1)
#' @export
nmf_fit <- function(x, rank, beta = 2, ...) {
  UseMethod("nmf_fit")
}

#' @rdname nmf_fit
#' @export
nmf_fit.default <- function(x, rank, beta = 2, ..., mask = NULL, weights = NULL,
                            l1 = 0, l2 = 0, fixed_W = NULL, fixed_H = NULL,
                            offset = 0, init = c("nndsvd", "random"),
                            restarts = 1L, solver = "auto",
                            control = nmf_control(), seed = NULL, threads = NULL,
                            verbose = FALSE) {
  call <- match.call()
  check_no_dots(...)
  beta <- resolve_beta(beta)
  solver <- resolve_solver(solver, beta)
  check_number(offset, "offset", min = 0)
  if (inherits(x, "betanmf_data")) {
    # checked data and weights from prepare_data() (internal: nmf_cv() fits
    # one training set at many ranks and prepares it once)
    data <- x
  } else {
    if (offset > 0) x <- as.matrix(x) + offset
    data <- prepare_data(x, mask, weights, beta)
  }
  x <- data$x
  spec <- data$spec
  m <- nrow(x)
  n <- ncol(x)
  if (missing(rank)) stop("`rank` is missing; give the number of components", call. = FALSE)
  check_count(rank, "rank", min = 1L, max = min(m, n))
  rank <- as.integer(rank)
  pen <- list(l1 = resolve_penalty(l1, "l1"), l2 = resolve_penalty(l2, "l2"))
  fixed <- resolve_fixed(fixed_W, fixed_H, m, n, rank)
  start <- resolve_init(init, m, n, rank)
  check_count(restarts, "restarts")
  control <- check_control(control)
  seed <- resolve_seed(seed)
  threads <- resolve_threads(threads)
  check_flag(verbose, "verbose")
  warn_unobserved(spec, m, n)

  runs <- vector("list", restarts)
  for (k in seq_len(restarts)) {
    seed_k <- if (k == 1L) seed else restart_seed(seed, k)
    how <- if (k == 1L) start else "random"
    if (verbose && restarts > 1L) message(sprintf("restart %d of %d (seed %d)", k, restarts, seed_k))
    runs[[k]] <- run_fit(x, rank, beta, solver, pen, how, fixed, spec, control, seed_k,
                         threads, verbose)
    runs[[k]]$seed <- seed_k
    runs[[k]]$init <- if (is.list(how)) "given" else how
  }
  losses <- vapply(runs, function(r) r$loss, numeric(1))
  best <- runs[[which.min(losses)]]
  if (!best$converged && control$tol > 0) {
    warning(sprintf(paste0(
      "nmf_fit() stopped after max_iter = %d iterations before the relative change ",
      "of the objective fell below tol = %g; increase max_iter in nmf_control()"),
      control$max_iter, control$tol), call. = FALSE)
  }
  restarts_df <- data.frame(
    restart = seq_len(restarts),
    seed = vapply(runs, function(r) r$seed, integer(1)),
    init = vapply(runs, function(r) r$init, character(1)),
    loss = losses,
    iterations = vapply(runs, function(r) r$iterations, integer(1)),
    converged = vapply(runs, function(r) r$converged, logical(1))
  )
  new_nmf_fit(
    W = name_factor(best$W, rownames(x), component_names(rank, fixed_W), "W"),
    H = name_factor(best$H, component_names(rank, fixed_W), colnames(x), "H"),
    beta = beta, rank = rank, loss = best$loss, divergence = best$divergence,
    history = best$history, iterations = best$iterations, order = best$order,
    converged = best$converged, solver = solver, seed = best$seed,
    call = call, restarts = restarts_df, penalty = pen,
    data = data$summary %||% data_summary(x, offset, spec), control = control
  )
}

# One restart: the C++ fit, with the known components put in place first.
run_fit <- function(x, rank, beta, solver, pen, start, fixed, spec, control, seed,
                    threads, verbose) {
  W0 <- H0 <- NULL
  how <- start
  if (is.list(start)) {
    W0 <- start$W
    H0 <- start$H
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
      # Starting factors from the chosen method, then the known parts.
      init_fit <- cpp_nmf_init(x, rank, solver, how, seed, threads)
      W0 <- init_fit$W
      H0 <- init_fit$H
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
    }
    if (fixed$k_H > 0L) {
      k <- seq_len(fixed$k_H)
      ratio <- rowSums(H0[k, , drop = FALSE]) / rowSums(fixed$H)
      ratio[!is.finite(ratio) | ratio <= 0] <- 1
      H0[k, ] <- fixed$H
      W0[, k] <- sweep(W0[, k, drop = FALSE], 2L, ratio, `*`)
    }
  }
  res <- cpp_nmf_fit(x, rank, beta, solver, unname(c(pen$l1["W"], pen$l1["H"])),
                     unname(c(pen$l2["W"], pen$l2["H"])), how, W0, H0,
                     fixed$k_W < rank, fixed$k_H < rank, fixed$k_W, fixed$k_H,
                     spec, control, seed, threads, verbose)
  if (isTRUE(res$interrupted)) {
    stop("nmf_fit() was interrupted by the user", call. = FALSE)
  }
  res
}

# The solver for a beta: "auto" picks BCD for beta = 2, coordinate descent
# for beta = 1 and the multiplicative updates otherwise.
resolve_solver <- function(solver, beta) {
  choices <- c("auto", "bcd", "cd", "mu")
  if (!is.character(solver) || length(solver) != 1L || !solver %in% choices) {
    stop(sprintf("`solver` must be one of %s; got %s",
                 paste0("\"", choices, "\"", collapse = ", "), describe(solver)),
         call. = FALSE)
  }
  if (solver == "auto") {
    return(if (beta == 2) "bcd" else if (beta == 1) "cd" else "mu")
  }
  if (solver == "bcd" && beta != 2) {
    stop(sprintf("`solver` = \"bcd\" needs beta = 2; got beta = %g (use \"mu\" or \"auto\")",
                 beta), call. = FALSE)
  }
  if (solver == "cd" && beta != 1) {
    stop(sprintf("`solver` = \"cd\" needs beta = 1; got beta = %g (use \"mu\" or \"auto\")",
                 beta), call. = FALSE)
  }
  solver
}

check_no_dots <- function(...) {
  if (...length()) {
    nm <- names(list(...))
    if (is.null(nm)) nm <- rep("", ...length())
    nm[nm == ""] <- "(unnamed)"
    stop(sprintf("unknown argument(s): %s; tuning settings go in control = nmf_control()",
                 paste(nm, collapse = ", ")), call. = FALSE)
  }
}

resolve_fixed <- function(fixed_W, fixed_H, m, n, rank) {
  out <- list(W = NULL, H = NULL, k_W = 0L, k_H = 0L)
  if (!is.null(fixed_W)) {
    out$W <- check_factor(fixed_W, "fixed_W", m, NA)
    out$k_W <- ncol(out$W)
    if (out$k_W < 1L || out$k_W > rank) {
      stop(sprintf("`fixed_W` must have between 1 and rank = %d columns; got %d",
                   rank, out$k_W), call. = FALSE)
    }
  }
  if (!is.null(fixed_H)) {
    out$H <- check_factor(fixed_H, "fixed_H", NA, n)
    out$k_H <- nrow(out$H)
    if (out$k_H < 1L || out$k_H > rank) {
      stop(sprintf("`fixed_H` must have between 1 and rank = %d rows; got %d",
                   rank, out$k_H), call. = FALSE)
    }
  }
  if (out$k_W == rank && out$k_H == rank) {
    stop("`fixed_W` and `fixed_H` fix every component; there is nothing to fit",
         call. = FALSE)
  }
  out
}

resolve_init <- function(init, m, n, rank) {
  if (inherits(init, "nmf_fit")) {
    # restore the solver's order of the components, so that continuing a fit
    # follows the same path as one longer fit
    o <- init$order %||% seq_len(ncol(init$W))
    W <- init$W
    H <- init$H
    if (length(o) == ncol(W)) {
      W[, o] <- init$W
      H[o, ] <- init$H
    }
    init <- list(W = W, H = H)
  }
  if (is.list(init)) {
    if (!all(c("W", "H") %in% names(init))) {
      stop("`init` as a list needs elements `W` and `H`", call. = FALSE)
    }
    W <- check_factor(init$W, "init$W", m, rank)
    H <- check_factor(init$H, "init$H", rank, n)
    return(list(W = unname(W), H = unname(H)))
  }
  if (!is.character(init)) {
    stop(sprintf("`init` must be \"nndsvd\", \"random\", an nmf_fit or a list with W and H; got %s",
                 describe(init)), call. = FALSE)
  }
  init <- init[1L]
  if (!init %in% c("nndsvd", "random")) {
    stop(sprintf("`init` must be \"nndsvd\" or \"random\"; got \"%s\"", init), call. = FALSE)
  }
  init
}

component_names <- function(rank, fixed_W = NULL) {
  nm <- paste0("C", seq_len(rank))
  if (!is.null(fixed_W) && !is.null(colnames(fixed_W))) {
    nm[seq_len(ncol(fixed_W))] <- colnames(fixed_W)
  }
  nm
}

name_factor <- function(f, rn, cn, what) {
  dimnames(f) <- list(rn, cn)
  f
}

data_summary <- function(x, offset, spec = NULL) {
  sparse <- methods::is(x, "sparseMatrix")
  stats <- cpp_data_stats(x)  # one pass in C++, no copy of the data
  sum_sq <- stats[["sum_sq"]]
  if (!is.null(spec)) {
    # the weighted sum of squares, so that relative errors use the same weights
    d <- spec$delta
    sum_sq <- spec$base * sum_sq + sum(d@x * cpp_listed_values(x, d)^2)
  }
  list(nrow = nrow(x), ncol = ncol(x), sparse = sparse,
       nnz = if (sparse) length(x@x) else stats[["nonzero"]],
       sum_sq = sum_sq, total = stats[["total"]], offset = offset,
       weighted = !is.null(spec))
}

#' @rdname nmf_fit
#' @export
nmf_fit.SummarizedExperiment <- function(x, rank, beta = 2, ..., assay = 1L) {
  if (!requireNamespace("SummarizedExperiment", quietly = TRUE)) {
    stop("a SummarizedExperiment needs the SummarizedExperiment package installed",
         call. = FALSE)
  }
  mat <- SummarizedExperiment::assay(x, assay)
  nmf_fit.default(mat, rank, beta, ...)
}
