# Argument validation shared by all entry points: every check_*, resolve_*
# and match_choice. Each stops with a message naming the argument, what it
# got and what it expects ("`arg` must be ...; got ..."), before any C++
# runs; an entry point calls each check once.

check_count <- function(x, arg, min = 1L, max = .Machine$integer.max) {
  ok <- is.numeric(x) && length(x) == 1L && is.finite(x) && x == round(x) &&
    x >= min && x <= max
  if (!ok) {
    range <- sprintf("between %d and %d", as.integer(min), as.integer(max))
    stop(sprintf("`%s` must be a single whole number %s; got %s", arg, range,
                 describe(x)), call. = FALSE)
  }
  invisible(x)
}

check_flag <- function(x, arg) {
  if (!is.logical(x) || length(x) != 1L || is.na(x)) {
    stop(sprintf("`%s` must be a single TRUE or FALSE; got %s", arg, describe(x)),
         call. = FALSE)
  }
  invisible(x)
}

check_number <- function(x, arg, min = -Inf, min_open = FALSE) {
  ok <- is.numeric(x) && length(x) == 1L && is.finite(x) &&
    (if (min_open) x > min else x >= min)
  if (!ok) {
    stop(sprintf("`%s` must be a single finite number %s %s; got %s", arg,
                 if (min_open) ">" else ">=", format(min), describe(x)),
         call. = FALSE)
  }
  invisible(x)
}

# One of `choices`; the whole vector of choices (a default left as it is)
# means the first.
match_choice <- function(x, choices, arg) {
  if (identical(x, choices)) return(choices[1L])
  if (!is.character(x) || length(x) != 1L || is.na(x) || !x %in% choices) {
    stop(sprintf("`%s` must be one of %s; got %s", arg,
                 paste0("\"", choices, "\"", collapse = ", "), describe(x)), call. = FALSE)
  }
  x
}

# Arguments given by a name that R completed to one of `fun`'s own
# arguments before `...` (partial matching: `rank = 2` becomes `ranks` in
# nmf_cv(x, 2:3, rank = 2), and 2:3 then goes to `beta`): an error naming
# both. `call` is the call as written (sys.call() of `fun`).
check_partial_names <- function(call, fun, where) {
  given <- names(as.list(call))[-1L]
  given <- given[!is.na(given) & nzchar(given)]
  formal <- names(formals(fun))
  before <- formal[seq_len(match("...", formal, nomatch = length(formal) + 1L) - 1L)]
  for (nm in setdiff(given, formal)) {
    hit <- before[startsWith(before, nm)]
    if (length(hit)) {
      stop(sprintf(paste0("`%s` is not an argument of %s; R would complete it to `%s` ",
                          "(partial matching) and shift the other arguments; write `%s = ` ",
                          "in full"), nm, where, hit[1L], hit[1L]), call. = FALSE)
    }
  }
  invisible(TRUE)
}

# Arguments that reached `...` of a function that takes none: an error naming
# them, with `hint` saying where they belong.
check_no_dots <- function(dots, where, hint) {
  if (!length(dots)) return(invisible(NULL))
  nm <- names(dots) %||% rep("", length(dots))
  nm[nm == ""] <- "(unnamed)"
  stop(sprintf("unknown argument(s) to %s: %s; %s", where, paste(nm, collapse = ", "),
               hint), call. = FALSE)
}

check_control <- function(control) {
  if (!inherits(control, "nmf_control")) {
    stop(sprintf("`control` must be made by nmf_control(); got %s", describe(control)),
         call. = FALSE)
  }
  control
}

# Ranks to compare: sorted, unique whole numbers between 1 and max_rank.
check_ranks <- function(ranks, max_rank) {
  if (missing(ranks) || !is.numeric(ranks) || !length(ranks) || anyNA(ranks) ||
      any(ranks != round(ranks)) || any(ranks < 1) || any(ranks > max_rank)) {
    stop(sprintf("`ranks` must be whole numbers between 1 and %d; got %s", max_rank,
                 if (missing(ranks)) "nothing" else describe(ranks)), call. = FALSE)
  }
  sort(unique(as.integer(ranks)))
}

# A non-negative double matrix of nr rows and nc columns (NA: any number).
check_factor <- function(f, arg, nr, nc) {
  if (!is.numeric(f) || !is.matrix(f)) {
    stop(sprintf("`%s` must be a numeric matrix; got %s", arg, describe(f)), call. = FALSE)
  }
  if ((!is.na(nr) && nrow(f) != nr) || (!is.na(nc) && ncol(f) != nc)) {
    stop(sprintf("`%s` must have %s rows and %s columns; got %d x %d", arg,
                 if (is.na(nr)) "any number of" else nr,
                 if (is.na(nc)) "any number of" else nc, nrow(f), ncol(f)),
         call. = FALSE)
  }
  if (anyNA(f) || any(!is.finite(f)) || any(f < 0)) {
    stop(sprintf("`%s` must have finite, non-negative entries; got %s", arg,
                 describe(f)), call. = FALSE)
  }
  storage.mode(f) <- "double"
  f
}

# Canonical beta: a number, or one of the names of the divergences.
resolve_beta <- function(beta) {
  names_map <- c(gaussian = 2, frobenius = 2, euclidean = 2, poisson = 1, kl = 1,
                 "kullback-leibler" = 1, gamma = 0, "itakura-saito" = 0, is = 0)
  if (is.character(beta) && length(beta) == 1L && !is.na(beta)) {
    key <- tolower(beta)
    if (key %in% names(names_map)) return(unname(names_map[[key]]))
    stop(sprintf("`beta` must be a number or one of %s; got %s",
                 paste0("\"", names(names_map), "\"", collapse = ", "), describe(beta)),
         call. = FALSE)
  }
  if (!is.numeric(beta) || length(beta) != 1L || !is.finite(beta)) {
    stop(sprintf("`beta` must be a single finite number or a name such as \"kl\"; got %s",
                 describe(beta)), call. = FALSE)
  }
  as.numeric(beta)
}

# The solver for a beta: "auto" picks BCD for beta = 2, coordinate descent
# for beta = 1 and the multiplicative updates otherwise.
resolve_solver <- function(solver, beta) {
  solver <- match_choice(solver, c("auto", "bcd", "cd", "mu"), "solver")
  if (solver == "auto") return(if (beta == 2) "bcd" else if (beta == 1) "cd" else "mu")
  need <- c(bcd = 2, cd = 1)[solver]
  if (!is.na(need) && beta != need) {
    stop(sprintf("`solver` = \"%s\" needs beta = %g; got beta = %g (use \"mu\" or \"auto\")",
                 solver, need, beta), call. = FALSE)
  }
  solver
}

# Penalty argument: one number for both factors or a named pair c(W =, H =).
resolve_penalty <- function(p, arg) {
  if (!is.numeric(p) || !length(p) %in% c(1L, 2L) || any(!is.finite(p)) || any(p < 0)) {
    stop(sprintf("`%s` must be a non-negative number or a named pair c(W = , H = ); got %s",
                 arg, describe(p)), call. = FALSE)
  }
  if (length(p) == 1L) {
    if (!is.null(names(p)) && nzchar(names(p))) {
      stop(sprintf(paste0("`%s` must be one unnamed number for both factors or a named pair ",
                          "c(W = , H = ); got the single named value %s = %s (write ",
                          "c(W = %s, H = 0) for a penalty on one factor)"),
                   arg, names(p), format(unname(p)), format(unname(p))), call. = FALSE)
    }
    return(c(W = p, H = p))
  }
  if (is.null(names(p)) || !setequal(names(p), c("W", "H"))) {
    stop(sprintf("`%s` of length 2 must be named c(W = , H = ); got names %s", arg,
                 paste(deparse(names(p)), collapse = "")), call. = FALSE)
  }
  p[c("W", "H")]
}

# The model of a fit, checked once: beta, solver, penalties and control.
resolve_model <- function(beta, solver, l1, l2, control) {
  beta <- resolve_beta(beta)
  list(beta = beta, solver = resolve_solver(solver, beta), l1 = resolve_penalty(l1, "l1"),
       l2 = resolve_penalty(l2, "l2"), control = check_control(control))
}

# Known components: list(W, H, k_W, k_H) with k the number fixed of each.
resolve_fixed <- function(fixed_W, fixed_H, m, n, rank) {
  out <- list(W = NULL, H = NULL, k_W = 0L, k_H = 0L)
  # a known factor and its number of components (columns of W, rows of H)
  known <- function(f, arg, nr, nc, lines) {
    f <- check_factor(f, arg, nr, nc)
    k <- if (lines == "columns") ncol(f) else nrow(f)
    if (k < 1L || k > rank) {
      stop(sprintf("`%s` must have between 1 and rank = %d %s; got %d", arg, rank, lines,
                   k), call. = FALSE)
    }
    list(f = f, k = k)
  }
  if (!is.null(fixed_W)) {
    w <- known(fixed_W, "fixed_W", m, NA, "columns")
    out$W <- w$f
    out$k_W <- w$k
  }
  if (!is.null(fixed_H)) {
    h <- known(fixed_H, "fixed_H", NA, n, "rows")
    out$H <- h$f
    out$k_H <- h$k
  }
  if (out$k_W == rank && out$k_H == rank) {
    stop("`fixed_W` and `fixed_H` fix every component; there is nothing to fit",
         call. = FALSE)
  }
  out
}

# Starting factors: "nndsvd", "random", or list(W, H) from a list or an
# nmf_fit (then in the solver's order of its components, with the solver's
# state the fit ended with, so continuing a fit follows the path of one
# longer fit).
resolve_init <- function(init, m, n, rank) {
  state <- NULL
  if (inherits(init, "nmf_fit")) {
    o <- init$order %||% seq_len(ncol(init$W))
    W <- init$W
    H <- init$H
    if (length(o) == ncol(W)) {
      W[, o] <- init$W
      H[o, ] <- init$H
      state <- init$solver_state
    }
    init <- list(W = W, H = H)
  }
  if (is.list(init)) {
    if (!all(c("W", "H") %in% names(init))) {
      stop(sprintf("`init` as a list needs elements `W` and `H`; got %s",
                   if (length(names(init))) paste(names(init), collapse = ", ") else
                     "no names"), call. = FALSE)
    }
    W <- check_factor(init$W, "init$W", m, rank)
    H <- check_factor(init$H, "init$H", rank, n)
    # the model W H and the Gram matrices W^T W, H H^T of the start must be
    # finite: each entry at most the square root of the magnitude limit
    root <- sqrt(magnitude_limit())
    top <- c(W = if (length(W)) max(W) else 0, H = if (length(H)) max(H) else 0)
    if (any(top > root) || prod(top) * rank > magnitude_limit()) {
      stop(sprintf(paste0("`init` must give a start whose model W H is finite: entries of ",
                          "`init$W` and `init$H` at most %g; got up to %g and %g"),
                   root, top[["W"]], top[["H"]]), call. = FALSE)
    }
    return(list(W = unname(W), H = unname(H), state = state))
  }
  match_choice(init, c("nndsvd", "random"), "init")
}

resolve_threads <- function(threads) {
  if (is.null(threads)) threads <- default_threads()
  check_count(threads, "threads", max = 1024L)
  as.integer(threads)
}

resolve_seed <- function(seed) {
  if (is.null(seed)) return(draw_seed())
  check_count(seed, "seed", min = 0L)
  as.integer(seed)
}

# Data as every entry point takes it: a double matrix or a dgCMatrix with
# finite, non-negative entries, at least one row, one column and one
# positive entry. `na_ok`: NA marks a missing value.
check_data <- function(x, arg = "x", na_ok = TRUE) {
  if (methods::is(x, "Matrix") && !methods::is(x, "sparseMatrix")) x <- as.matrix(x)
  if (methods::is(x, "sparseMatrix")) {
    check_sparse_slots(x, arg)
    x <- methods::as(methods::as(methods::as(x, "dMatrix"), "generalMatrix"),
                     "CsparseMatrix")
    values <- x@x
  } else if (is.matrix(x) && (is.numeric(x) || is.logical(x))) {
    if (!is.double(x)) storage.mode(x) <- "double"
    values <- x
  } else {
    hint <- if (is.data.frame(x)) " (convert a data.frame with as.matrix())" else ""
    stop(sprintf("`%s` must be a numeric matrix or a sparse Matrix; got %s%s", arg,
                 describe(x), hint), call. = FALSE)
  }
  if (nrow(x) < 1L || ncol(x) < 1L) {
    stop(sprintf("`%s` is empty (%d x %d); it needs at least one row and one column",
                 arg, nrow(x), ncol(x)), call. = FALSE)
  }
  # one pass in C++ for NA, NaN, smallest and largest value
  scan <- cpp_scan_values(values)
  rng <- c(scan$min, scan$max)
  if (scan$nan) {
    if (any(is.nan(values))) {
      stop(sprintf("`%s` contains NaN; NMF needs finite, non-negative entries (NA marks a missing value)", arg),
           call. = FALSE)
    }
    if (!na_ok) {
      stop(sprintf("`%s` contains NA; missing values are not allowed here", arg),
           call. = FALSE)
    }
    values <- values[!is.na(values)]
    if (!length(values)) {
      stop(sprintf("every entry of `%s` is missing (NA); there is nothing to factorize", arg),
           call. = FALSE)
    }
    rng <- c(min(values), max(values))
  }
  if (!length(values)) rng <- c(0, 0)
  if (any(is.infinite(rng))) {
    stop(sprintf("`%s` contains Inf; NMF needs finite, non-negative entries", arg),
         call. = FALSE)
  }
  if (rng[1] < 0) {
    stop(sprintf("`%s` has %d negative entries (smallest %g); NMF needs non-negative data",
                 arg, sum(values < 0), rng[1]), call. = FALSE)
  }
  if (!(rng[2] > 0)) {
    stop(sprintf("`%s` is all zero; there is nothing to factorize", arg), call. = FALSE)
  }
  x
}

# A sparse Matrix object whose slots describe a valid matrix (one pass in
# C++, cpp_check_sparse()), before anything else reads them: a corrupt @p
# or @i (slot assignment, a foreign writer) would make a later pass read out
# of bounds.
check_sparse_slots <- function(x, arg) {
  problem <- cpp_check_sparse(x)
  if (nzchar(problem)) {
    stop(sprintf("`%s` is a corrupt %s: %s", arg, class(x)[1L], problem), call. = FALSE)
  }
  invisible(x)
}

# A mask of the shape m x n as the pattern of its TRUE entries (a dgCMatrix
# holding 1 at each), or NULL.
check_mask <- function(mask, m, n) {
  if (is.null(mask)) return(NULL)
  if (!methods::is(mask, "Matrix") && !is.matrix(mask)) {
    stop(sprintf("`mask` must be a logical (or 0/1) matrix, dense or sparse; got %s",
                 describe(mask)), call. = FALSE)
  }
  if (nrow(mask) != m || ncol(mask) != n) {
    stop(sprintf("`mask` must be %d x %d like `x`; got %d x %d", m, n, nrow(mask),
                 ncol(mask)), call. = FALSE)
  }
  sparse <- methods::is(mask, "sparseMatrix")
  if (sparse) {
    check_sparse_slots(mask, "mask")
    mask <- methods::as(methods::as(methods::as(mask, "dMatrix"), "generalMatrix"),
                        "CsparseMatrix")  # sums duplicates, so positions are unique
    vals <- mask@x
  } else {
    mask <- as.matrix(mask)
    if (!(is.logical(mask) || is.numeric(mask))) {
      stop(sprintf("`mask` must be a logical (or 0/1) matrix; got %s", describe(mask)),
           call. = FALSE)
    }
    vals <- mask
  }
  if (anyNA(vals)) stop("`mask` must not contain NA; got NA entries", call. = FALSE)
  if (!all(vals == 0 | vals == 1)) {
    stop("`mask` must hold TRUE/FALSE or 0/1 values; got other values", call. = FALSE)
  }
  if (!sparse) return(pattern_of(which(mask != 0), m, n))
  if (!all(vals == 1)) mask <- Matrix::drop0(mask)
  mask@Dimnames <- list(NULL, NULL)
  mask
}

# Weights of the shape m x n: a double matrix or a dgCMatrix (unlisted
# entries weigh zero), finite and non-negative.
check_weights <- function(weights, m, n) {
  if (is.null(weights)) return(NULL)
  if (!(is.matrix(weights) && is.numeric(weights)) && !methods::is(weights, "Matrix")) {
    stop(sprintf("`weights` must be a non-negative numeric matrix, dense or sparse; got %s",
                 describe(weights)), call. = FALSE)
  }
  if (nrow(weights) != m || ncol(weights) != n) {
    stop(sprintf("`weights` must be %d x %d like `x`; got %d x %d", m, n, nrow(weights),
                 ncol(weights)), call. = FALSE)
  }
  if (methods::is(weights, "sparseMatrix")) {
    check_sparse_slots(weights, "weights")
    weights <- methods::as(methods::as(methods::as(weights, "dMatrix"), "generalMatrix"),
                           "CsparseMatrix")
    vals <- weights@x
  } else {
    weights <- as.matrix(weights)
    storage.mode(weights) <- "double"
    vals <- weights
  }
  if (anyNA(vals) || any(!is.finite(vals))) {
    stop("`weights` must be finite; got NA, NaN or Inf entries", call. = FALSE)
  }
  if (any(vals < 0)) {
    stop(sprintf("`weights` must be non-negative; got %d negative entries", sum(vals < 0)),
         call. = FALSE)
  }
  weights
}

# The documented limit on the magnitude of data (or of a model): every entry
# at most .Machine$double.xmax / 1e8 (1.8e300), so that sums over up to 1e8
# entries stay finite, and every term of the beta-divergence within that
# range too: the largest entry raised to beta for beta > 1, the smallest
# positive one raised to beta for beta < 0. Inside these limits the core
# fits data of any magnitude, subnormal entries included (it scales data of
# extreme magnitude by a power of four and scales the fit back exactly).
magnitude_limit <- function() .Machine$double.xmax / 1e8

check_magnitude <- function(top, bottom, beta, arg) {
  limit <- magnitude_limit()
  remedy <- sprintf("divide `%s` by a constant c (the fit of x / c is the fit of x, with W H divided by c)",
                    arg)
  if (top > limit) {
    stop(sprintf("`%s` has entries up to %g; entries must be at most %g (.Machine$double.xmax / 1e8) so that the divergence stays finite; %s",
                 arg, top, limit, remedy), call. = FALSE)
  }
  if (beta > 1 && top > 0 && beta * log(top) > log(limit)) {
    stop(sprintf("`%s` has entries up to %g, whose beta-divergence with beta = %g exceeds double precision: the largest entry raised to beta must stay below %g, so entries up to %g; %s",
                 arg, top, beta, limit, exp(log(limit) / beta), remedy), call. = FALSE)
  }
  if (beta < 0 && bottom > 0 && beta * log(bottom) > log(limit)) {
    stop(sprintf("`%s` has positive entries down to %g, whose beta-divergence with beta = %g exceeds double precision: the smallest positive entry raised to beta must stay below %g, so entries of at least %g; multiply `%s` by a constant or use beta >= 0",
                 arg, bottom, beta, limit, exp(log(limit) / beta), arg), call. = FALSE)
  }
  invisible(TRUE)
}

# The tolerance of nmf_consensus() for setting restarts aside.
check_loss_tol <- function(loss_tol) {
  if (!is.numeric(loss_tol) || length(loss_tol) != 1L || is.na(loss_tol) || loss_tol < 0) {
    stop(sprintf("`loss_tol` must be a single non-negative number (Inf keeps every restart); got %s",
                 describe(loss_tol)), call. = FALSE)
  }
  invisible(loss_tol)
}

stop_zeros <- function(arg, n_zero, beta, remedy) {
  stop(sprintf(paste0(
    "`%s` has %.0f zero entries, where the beta-divergence with beta = %g <= 0 ",
    "is infinite; %s or use beta > 0"), arg, n_zero, beta, remedy), call. = FALSE)
}

# ---- components, fits and costs for alignment and assignment ----------------

# The components of an nmf_fit or matrix as the columns of a double matrix,
# after checking them (`arg` names the argument in errors).
check_components <- function(obj, by, arg) {
  if (inherits(obj, "nmf_fit")) {
    check_fit_shape(obj, arg)
    comp <- if (by == "W") obj$W else t(obj$H)
    what <- if (by == "W") sprintf("`%s$W`", arg) else sprintf("`%s$H`", arg)
  } else if (is.matrix(obj) && (is.double(obj) || is.integer(obj))) {
    comp <- obj
    what <- sprintf("`%s`", arg)
  } else {
    stop(sprintf("`%s` must be an nmf_fit or a numeric matrix with components in columns; got %s",
                 arg, describe(obj)), call. = FALSE)
  }
  if (length(comp) == 0L) {
    stop(sprintf("%s must have at least one row and one component; got %s",
                 what, describe(comp)), call. = FALSE)
  }
  if (anyNA(comp) || any(is.infinite(comp))) {
    stop(sprintf("%s must contain only finite values; got %d NA, NaN or Inf",
                 what, sum(!is.finite(comp))), call. = FALSE)
  }
  if (any(comp < 0)) {
    stop(sprintf("%s must be non-negative; got %d negative entries",
                 what, sum(comp < 0)), call. = FALSE)
  }
  storage.mode(comp) <- "double"
  comp
}

# Structure of an nmf_fit as far as alignment needs it.
check_fit_shape <- function(fit, arg) {
  W <- fit$W
  H <- fit$H
  if (!is.matrix(W) || !is.numeric(W) || !is.matrix(H) || !is.numeric(H)) {
    stop(sprintf("`%s` must be an nmf_fit with numeric matrices W and H; got W as %s and H as %s",
                 arg, describe(W), describe(H)), call. = FALSE)
  }
  if (ncol(W) != nrow(H)) {
    stop(sprintf("`%s` must have as many columns of W as rows of H; got %d and %d",
                 arg, ncol(W), nrow(H)), call. = FALSE)
  }
  invisible(fit)
}

# Components of x and of the reference compared over the same m (or n).
check_same_length <- function(comp_x, comp_ref, by, arg) {
  if (nrow(comp_x) != nrow(comp_ref)) {
    dim_name <- if (by == "W") "m (rows of W)" else "n (columns of H)"
    stop(sprintf(paste0("`reference` and `%s` must have components of the same length ",
                        "for by = \"%s\": %s is %d for `%s` but %d for `reference`"),
                 arg, by, dim_name, nrow(comp_x), arg, nrow(comp_ref)), call. = FALSE)
  }
  invisible(TRUE)
}


# A cost matrix: numeric, at least one entry, only finite values.
check_cost <- function(x, arg = "cost") {
  if (!is.matrix(x) || !(is.double(x) || is.integer(x))) {
    hint <- if (is.data.frame(x)) " (convert it with as.matrix())" else ""
    stop(sprintf("`%s` must be a numeric matrix; got %s%s", arg, describe(x), hint),
         call. = FALSE)
  }
  if (length(x) == 0L) {
    stop(sprintf("`%s` must have at least one row and one column; got %s",
                 arg, describe(x)), call. = FALSE)
  }
  if (anyNA(x)) {
    stop(sprintf("`%s` must not contain NA or NaN; got %d", arg, sum(is.na(x))),
         call. = FALSE)
  }
  if (is.double(x) && any(is.infinite(x))) {
    stop(sprintf("`%s` must contain only finite values; got %d infinite",
                 arg, sum(is.infinite(x))), call. = FALSE)
  }
  invisible(x)
}
