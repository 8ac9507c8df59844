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
#' decrease. With `nmf_control(extrapolate = TRUE)` it extrapolates between
#' iterations as BCD does (Ang & Gillis 2019), which about halves the
#' iterations to a given objective on dense counts.
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
#' @section Range of the data:
#' Entries may be as small as the smallest subnormal double and as large as
#' `.Machine$double.xmax / 1e8` (1.8e300), so that sums over the entries stay
#' finite; for `beta > 1` the largest entry raised to `beta`, and for
#' `beta < 0` the smallest positive entry raised to `beta`, must stay below
#' that limit too (the divergence would not be representable otherwise).
#' Data beyond these limits get an error that says so. Within them, data of
#' extreme magnitude (largest entry outside \eqn{2^{-40}}..\eqn{2^{41}}) are
#' fitted at a power of four of their scale and scaled back exactly, since
#' \eqn{d_\beta(cx | cy) = c^\beta d_\beta(x | y)}. Beside known components
#' (`fixed_W`, `fixed_H`) the learned factor carries that whole scale, and a
#' penalty `l1` or `l2` on it whose weight against the divergence at the
#' working scale would exceed \eqn{2^{900}} is an error that names it
#' (for example `l2 = 0.1` with a known W beside data near \eqn{10^{275}}):
#' divide `x` by a constant and choose the penalties for the scaled data.
#'
#' For `beta <= 1` the solvers keep the model positive wherever the data
#' are, so the loss is finite whenever some factors give a finite loss: the
#' multiplicative updates never take an entry they learn below \eqn{2^{-400}}
#' times the largest entry of its factor (an entry that floor has risen past
#' as the factor grew stays where it was), and coordinate descent rejects a
#' step that would empty the model at a positive datum and moves a start
#' whose model is zero at a positive datum (of any weight) off it. Every solver
#' decreases its objective at every iteration; where the closed forms of the
#' objective lose their precision (an outlier \eqn{10^{16}} times the rest of
#' the data) it is summed term by term.
#'
#' @section Large data:
#' A `DelayedArray` (for example an `HDF5Array` on disk, or the assay of a
#' `SummarizedExperiment` saved with HDF5Array) is read in column blocks of
#' `DelayedArray::getAutoBlockSize()` bytes and kept in the smaller of the
#' core's two forms: a `dgCMatrix` when it is declared sparse
#' (`DelayedArray::is_sparse()`, as for an HDF5 data set written with
#' `as.sparse = TRUE`) or when at most a third of its entries are non-zero,
#' a dense double matrix otherwise. A sparse matrix is never held as one
#' dense m x n copy; the peak is about twice the size of the result plus
#' one block. The fit itself then runs in memory, as for a matrix.
#'
#' A sparse `x` is read where it lies, without a copy. The passes along
#' rows read a row-major index of its non-zeros that the fit builds once:
#' 8 bytes per non-zero when every value is a float exactly (counts below
#' \eqn{2^{24}}, for example), 12 otherwise. Beyond that index a fit holds
#' the factors and a few working copies of them (m x rank and rank x n);
#' the NNDSVD start adds a few m x (rank + 10) blocks while it runs.
#'
#' @section Reproducibility:
#' `seed = NULL` draws a seed from R's random number generator, so
#' `set.seed()` governs the result; the seed used is stored in the fit.
#' Random numbers in the core are a function of the seed and of their
#' position only, and every parallel loop writes disjoint outputs in a fixed
#' order, so the same seed gives the same fit for any number of threads.
#'
#' @param x The data: a non-negative numeric (or integer) matrix, a sparse
#'   matrix of the Matrix package (a `dgCMatrix` is read without a copy), a
#'   `SummarizedExperiment` or `SingleCellExperiment` (then `assay` names
#'   the assay; a sparse assay is read without a copy), or a `DelayedArray`
#'   such as an `HDF5Array`, read block by block (see Large data).
#' @param rank Number of components r, between 1 and `min(nrow(x), ncol(x))`.
#'   When every component is known (`fixed_W` with `rank` columns, or
#'   `fixed_H` with `rank` rows: a projection onto a catalog), any size is
#'   allowed, and `rank` may be left out: it is then `ncol(fixed_W)` (or
#'   `nrow(fixed_H)`).
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
#'   changing WH); penalize both factors for a well-posed problem. With W
#'   known and its columns summing to one (as `normalize = "l1"` leaves
#'   them), an L1 penalty on H under `beta = 1` only rescales H by
#'   \eqn{1 / (1 + l_1)}: the gradient of the divergence in H is then
#'   \eqn{1 - \sum_i W_{ik} x_{ij} / (WH)_{ij}}, and the penalty adds a
#'   constant to it. For sparse exposures use `beta = 2`, where it
#'   sparsifies.
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
#'   then the environment variable `BETANMF_THREADS`, then the cores the
#'   process may use (see [betanmf-package]).
#' @param verbose If `TRUE`, report the objective every
#'   `nmf_control(trace_every = )` iterations with [message()] and show a
#'   progress bar (see [betanmf-package] for when it shows otherwise).
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
#'     non-zeros and sum of squares of `x`), `control`;
#'   * `order` and `solver_state`: the solver's order of the components and,
#'     for extrapolated BCD and CD, what they carry from one iteration to the
#'     next, so that `init = fit` continues the fit as one longer fit.
#' @references
#' Ang MS, Gillis N (2019). Accelerating nonnegative matrix factorization
#' algorithms using extrapolation. *Neural Computation* 31:417-439.
#'
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
  check_partial_names(sys.call(), sys.function(), "nmf_fit()")
  call <- entry_call(match.call(), "nmf_fit")
  reject_assay(list(...), x)
  check_no_dots(list(...), "nmf_fit()", "tuning settings go in control = nmf_control()")
  setup <- fit_setup(x, if (missing(rank)) NULL else rank, beta, mask, weights, l1, l2,
                     fixed_W, fixed_H, offset, init, solver, control)
  check_count(restarts, "restarts")
  seed <- resolve_seed(seed)
  threads <- resolve_threads(threads)
  check_flag(verbose, "verbose")
  warn_unobserved(setup$data)
  fit_restarts(setup, as.integer(restarts), seed, threads, verbose, call,
               progress = show_progress(verbose))
}

# Everything a fit needs, checked once and prepared once: the data
# (prepare_data()), the rank, the model (resolve_model()), the known
# components and the start. nmf_fit() and nmf_consensus() share it.
fit_setup <- function(x, rank, beta, mask, weights, l1, l2, fixed_W, fixed_H, offset,
                      init, solver, control) {
  model <- resolve_model(beta, solver, l1, l2, control)
  check_number(offset, "offset", min = 0)
  data <- prepare_data(if (offset > 0) as.matrix(x) + offset else x, mask, weights,
                       model$beta)
  data$summary$offset <- offset
  m <- nrow(data$x)
  n <- ncol(data$x)
  if (is.null(rank)) {
    # a projection onto known components needs no rank
    rank <- if (!is.null(fixed_W) && is.matrix(fixed_W)) ncol(fixed_W) else
      if (!is.null(fixed_H) && is.matrix(fixed_H)) nrow(fixed_H) else
        stop("`rank` is missing; give the number of components (or `fixed_W`)",
             call. = FALSE)
  }
  # when every component is known (a projection onto a catalog), the rank is
  # the catalog's size, however large; otherwise at most min(m, n)
  known <- (is.matrix(fixed_W) && identical(as.numeric(ncol(fixed_W)), as.numeric(rank))) ||
    (is.matrix(fixed_H) && identical(as.numeric(nrow(fixed_H)), as.numeric(rank)))
  check_count(rank, "rank", min = 1L, max = if (known) .Machine$integer.max else min(m, n))
  rank <- as.integer(rank)
  list(data = data, rank = rank, model = model,
       fixed = resolve_fixed(fixed_W, fixed_H, m, n, rank),
       start = resolve_init(init, m, n, rank),
       names = component_names(rank, fixed_W))
}

# The fit of a setup (fit_setup()) with `restarts` restarts: the first from
# the setup's start, the others from random factors with derived seeds; the
# one of lowest loss becomes the nmf_fit, the others are summarized.
# `progress`: whether to show a progress bar (R/progress.R).
fit_restarts <- function(setup, restarts, seed, threads, verbose, call, progress = FALSE) {
  runs <- vector("list", restarts)
  bar <- progress_fit(progress, restarts, setup$model$control$max_iter)
  for (k in seq_len(restarts)) {
    seed_k <- if (k == 1L) seed else restart_seed(seed, k)
    how <- if (k == 1L) setup$start else "random"
    if (verbose && restarts > 1L) {
      message(sprintf("restart %d of %d (seed %d)", k, restarts, seed_k))
    }
    runs[[k]] <- run_fit(setup$data, setup$rank, setup$model, how, setup$fixed, seed_k,
                         threads, verbose, progress_fit_callback(bar, k))
    progress_fit_step(bar, k)
    runs[[k]]$seed <- seed_k
    runs[[k]]$init <- if (is.list(how)) "given" else how
  }
  progress_done(bar)
  losses <- vapply(runs, function(r) r$loss, numeric(1))
  best <- runs[[which.min(losses)]]
  control <- setup$model$control
  if (!is.finite(best$loss) && (setup$fixed$k_W > 0L || setup$fixed$k_H > 0L)) {
    # the solvers keep the learned part positive, so only known components
    # that are zero where the data are positive leave the objective infinite
    warning(sprintf(paste0(
      "the objective is infinite: the model is zero at positive entries of `x`, and ",
      "with beta = %g <= 1 no fit can cover them while %s stay%s fixed; check for ",
      "rows of `fixed_W` or columns of `fixed_H` that are zero where `x` is not"),
      setup$model$beta,
      paste(c(if (setup$fixed$k_W > 0L) "`fixed_W`", if (setup$fixed$k_H > 0L) "`fixed_H`"),
            collapse = " and "),
      if (setup$fixed$k_W > 0L && setup$fixed$k_H > 0L) "" else "s"), call. = FALSE)
  } else if (!best$converged && control$tol > 0) {
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
  x <- setup$data$x
  W <- best$W
  H <- best$H
  dimnames(W) <- list(rownames(x), setup$names)
  dimnames(H) <- list(setup$names, colnames(x))
  new_nmf_fit(
    W = W, H = H, beta = setup$model$beta, rank = setup$rank, loss = best$loss,
    divergence = best$divergence, history = best$history, iterations = best$iterations,
    order = best$order, solver_state = best$state, converged = best$converged,
    solver = setup$model$solver,
    seed = best$seed, call = call, restarts = restarts_df,
    penalty = list(l1 = setup$model$l1, l2 = setup$model$l2),
    data = setup$data$summary, control = control
  )
}

# Names of the components: C1, C2, ..., or the column names of fixed_W for
# the known ones.
component_names <- function(rank, fixed_W = NULL) {
  nm <- paste0("C", seq_len(rank))
  if (!is.null(fixed_W) && !is.null(colnames(fixed_W))) {
    nm[seq_len(ncol(fixed_W))] <- colnames(fixed_W)
  }
  nm
}
