# The bad-input table: calls of every exported function with inputs a
# careful user might try. Each either stops with an error that names the
# argument (the pattern, a backticked name) or returns a finite, correct
# result (checked by the function in the table).

bad_input_data <- function() {
  withr::local_seed(42)
  x <- matrix(stats::rpois(20 * 12, 3) + 1, 20)
  s <- Matrix::rsparsematrix(20, 12, 0.3, rand.x = function(k) stats::rpois(k, 3) + 1)
  bad_p <- s
  bad_p@p[13] <- bad_p@p[13] + 5L
  list(x = x, s = s, bad_p = bad_p,
       fit = nmf_fit(x, 2, beta = 1, seed = 1, threads = 1),
       cost = matrix(stats::runif(12), 3))
}

finite_fit <- function(f) {
  inherits(f, "nmf_fit") && all(is.finite(f$W)) && all(is.finite(f$H)) &&
    is.finite(f$loss) && all(is.finite(f$history$loss))
}

# list(call, pattern of the error or NULL, check of the value when no error)
bad_input_cases <- function() {
  q <- function(call, pattern = NULL, check = NULL) list(call = call, pattern = pattern,
                                                          check = check)
  list(
    # nmf_fit: data
    q(quote(nmf_fit(as.data.frame(d$x), 2)), "`x` must be a numeric matrix"),
    q(quote(nmf_fit(matrix(character(4), 2), 1)), "`x` must be a numeric"),
    q(quote(nmf_fit(matrix(numeric(0), 0, 3), 1)), "`x` is empty"),
    q(quote(nmf_fit(-d$x, 2)), "`x` has .* negative"),
    q(quote(nmf_fit(d$x * NaN, 2)), "`x` contains NaN"),
    q(quote(nmf_fit(d$x * Inf, 2)), "`x` contains Inf"),
    q(quote(nmf_fit(d$x * 0, 2)), "`x` is all zero"),
    q(quote(nmf_fit(d$x * NA, 2)), "`x` is missing|every entry of `x`"),
    q(quote(nmf_fit(d$x * 1e305, 2)), "`x` has entries up to"),
    q(quote(nmf_fit(d$x * 1e200, 2, beta = 2)), "`x` has entries up to"),
    q(quote(nmf_fit(d$bad_p, 2)), "`x` is a corrupt dgCMatrix"),
    q(quote(nmf_fit(d$x - 1, 2, beta = 0)), "`x` has .* zero entries"),
    q(quote(nmf_fit(d$x * 1e-320, 2, beta = 1, threads = 1, seed = 1)), NULL, finite_fit),
    q(quote(nmf_fit(d$x * 1e299, 2, beta = 1, threads = 1, seed = 1)), NULL, finite_fit),
    q(quote(nmf_fit(rbind(d$x, 0), 2, beta = 1, threads = 1, seed = 1)), NULL, finite_fit),
    # nmf_fit: rank, beta, penalties, solver
    q(quote(nmf_fit(d$x, 0)), "`rank`"),
    q(quote(nmf_fit(d$x, 13)), "`rank`"),
    q(quote(nmf_fit(d$x, 2.5)), "`rank`"),
    q(quote(nmf_fit(d$x)), "`rank` is missing"),
    q(quote(nmf_fit(d$x, 2, beta = "poison")), "`beta`"),
    q(quote(nmf_fit(d$x, 2, beta = NA)), "`beta`"),
    q(quote(nmf_fit(d$x, 2, beta = c(1, 2))), "`beta`"),
    q(quote(nmf_fit(d$x, 2, beta = 1e6)), "`x` has entries up to .* beta = 1e\\+06"),
    q(quote(nmf_fit(d$x, 2, l1 = -1)), "`l1`"),
    q(quote(nmf_fit(d$x, 2, l1 = c(W = 1))), "`l1` must be one unnamed number"),
    q(quote(nmf_fit(d$x, 2, l2 = c(A = 1, B = 2))), "`l2` of length 2 must be named"),
    q(quote(nmf_fit(d$x, 2, l1 = c(W = 1, H = 0), threads = 1, seed = 1)), NULL, finite_fit),
    q(quote(nmf_fit(d$x, 2, solver = "cd")), "`solver`"),
    q(quote(nmf_fit(d$x, 2, solver = "als")), "`solver`"),
    q(quote(nmf_fit(d$x, 2, offset = -1)), "`offset`"),
    q(quote(nmf_fit(d$x, 2, restarts = 0)), "`restarts`"),
    q(quote(nmf_fit(d$x, 2, seed = -1)), "`seed`"),
    q(quote(nmf_fit(d$x, 2, threads = 0)), "`threads`"),
    q(quote(nmf_fit(d$x, 2, verbose = NA)), "`verbose`"),
    q(quote(nmf_fit(d$x, 2, control = list(max_iter = 5))), "`control`"),
    q(quote(nmf_fit(d$x, 2, max_iter = 5)), "unknown argument.*max_iter"),
    q(quote(nmf_fit(d$x, ran = 2)), "`ran` is not an argument of nmf_fit\\(\\).*`rank`"),
    # nmf_fit: masks, weights, known components, starts
    q(quote(nmf_fit(d$x, 2, mask = matrix(TRUE, 3, 3))), "`mask` must be 20 x 12"),
    q(quote(nmf_fit(d$x, 2, mask = d$x)), "`mask` must hold"),
    q(quote(nmf_fit(d$x, 2, mask = matrix(NA, 20, 12))), "`mask` must not contain NA"),
    q(quote(nmf_fit(d$x, 2, weights = -d$x)), "`weights` must be non-negative"),
    q(quote(nmf_fit(d$x, 2, weights = d$x[1:3, ])), "`weights` must be 20 x 12"),
    q(quote(nmf_fit(d$x, 2, weights = d$x * Inf)), "`weights` must be finite"),
    q(quote(nmf_fit(d$x, 2, weights = d$bad_p)), "`weights` is a corrupt"),
    q(quote(nmf_fit(d$x, 2, weights = d$x * 1e-300, threads = 1, seed = 1)), NULL, finite_fit),
    q(quote(nmf_fit(d$x, 2, fixed_W = matrix(-1, 20, 1))), "`fixed_W`"),
    q(quote(nmf_fit(d$x, 2, fixed_W = matrix(1, 19, 1))), "`fixed_W` must have 20 rows"),
    q(quote(nmf_fit(d$x, 2, fixed_W = matrix(1, 20, 3))), "`fixed_W` must have between 1"),
    q(quote(nmf_fit(d$x, 2, fixed_H = matrix(1, 1, 11))), "`fixed_H`"),
    q(quote(nmf_fit(d$x, 2, fixed_W = matrix(1, 20, 2), fixed_H = matrix(1, 2, 12))),
      "`fixed_W` and `fixed_H` fix every component"),
    q(quote(nmf_fit(d$x, 2, fixed_W = d$fit$W, fixed_H = d$fit$H[1, , drop = FALSE],
                    threads = 1, seed = 1)), NULL, finite_fit),
    q(quote(nmf_fit(d$x, 2, init = "svd")), "`init`"),
    q(quote(nmf_fit(d$x, 2, init = list(W = 1))), "`init` as a list needs"),
    # a penalty beside known components that the scaled fit cannot weigh
    q(quote(nmf_fit(d$x * 1e275, fixed_W = matrix(1, 20, 2), beta = 1,
                    l2 = c(W = 0, H = 0.1))), "`l2` = 0.1 on H cannot be fitted"),
    q(quote(nmf_fit(d$x, 2, init = list(W = matrix(1, 20, 3), H = matrix(1, 3, 12)))),
      "`init\\$W` must have"),
    q(quote(nmf_fit(d$x, 2, init = list(W = matrix(1e200, 20, 2), H = matrix(1e200, 2, 12)))),
      "`init` must give a start"),
    q(quote(nmf_fit(d$x, 2, beta = 1, init = list(W = cbind(0, matrix(1, 20, 1)),
                                                  H = matrix(1, 2, 12)),
                    threads = 1, seed = 1)), NULL, finite_fit),
    # nmf_control
    q(quote(nmf_control(max_iter = 0)), "`max_iter`"),
    q(quote(nmf_control(tol = -1)), "`tol`"),
    q(quote(nmf_control(normalize = "l3")), "`normalize`"),
    q(quote(nmf_control(maxit = 3)), "unknown argument.*maxit"),
    # predict
    q(quote(predict(d$fit)), "`newdata` is missing"),
    q(quote(predict(d$fit, d$x[1:5, ])), "`newdata` must have 20 rows"),
    q(quote(predict(d$fit, -d$x)), "`newdata` has .* negative"),
    q(quote(predict(d$fit, d$bad_p)), "`newdata` is a corrupt"),
    q(quote(predict(d$fit, d$x * 1e-320, threads = 1)), NULL,
      function(H) all(is.finite(H)) && all(H >= 0)),
    # beta_divergence
    q(quote(beta_divergence(d$x, d$x)), "`beta` is missing"),
    q(quote(beta_divergence(d$x, d$x[1:3, ], beta = 1)), "`mu` must be 20 x 12"),
    q(quote(beta_divergence(d$x, -d$x, beta = 1)), "`mu` must have finite"),
    q(quote(beta_divergence(d$x, "a", beta = 1)), "`mu` must be a numeric"),
    q(quote(beta_divergence(d$x, d$x * 1e200, beta = 2)), "`mu` has entries up to"),
    q(quote(beta_divergence(matrix(1), matrix(5e-324), beta = 1)), NULL,
      function(v) abs(v - (-log(5e-324) - 1)) < 1e-10),
    q(quote(beta_divergence(d$x, d$x, beta = 1, weights = d$x * 1e-300)), NULL,
      function(v) identical(v, 0)),
    # nmf_cv
    q(quote(nmf_cv(d$x, 2:3, rank = 2)), "`rank` is not an argument of nmf_cv\\(\\).*`ranks`"),
    q(quote(nmf_cv(d$x)), "`ranks`"),
    q(quote(nmf_cv(d$x, 0:2)), "`ranks`"),
    q(quote(nmf_cv(d$x, 2, fraction = 0.9)), "`fraction`"),
    q(quote(nmf_cv(d$x, 2, replicates = 0)), "`replicates`"),
    q(quote(nmf_cv(d$x, 2, holdout = "rows")), "`holdout`"),
    q(quote(nmf_cv(d$x, 2, init = "random")), "sets `init` itself"),
    q(quote(nmf_cv(d$x, 2, foo = 1)), "unknown argument.*foo"),
    q(quote(nmf_cv(matrix(stats::runif(4), 2), 1, holdout = "blocks", seed = 1)),
      "`fraction` = 0.1 holds out no entry"),
    # every held-out entry missing: no test error to compute (fuzz seed 31840)
    q(quote(local({
      x <- matrix(stats::runif(60), 10)
      p <- betanmf:::cpp_holdout_pattern(10L, 6L, "speckled", 0.1, 1, 1L)
      x[cbind(p$i + 1L, rep(seq_len(6), diff(p$p)))] <- NA
      nmf_cv(x, 1, seed = 1)
    })), "`fraction` = 0.1 holds out only missing, masked or zero-weight entries"),
    q(quote(nmf_cv(d$bad_p, 2)), "`x` is a corrupt"),
    # nmf_consensus
    q(quote(nmf_consensus(d$x, 0)), "`rank`"),
    q(quote(nmf_consensus(d$x, 2, restarts = 0)), "`restarts`"),
    q(quote(nmf_consensus(d$x, 2, restart = 3)), "`restart` is not an argument"),
    q(quote(nmf_consensus(d$x, 2, loss_tol = -1)), "`loss_tol`"),
    q(quote(nmf_consensus(d$x, 2, parallel = "mpi")), "`parallel`"),
    # nmf_align and hungarian
    q(quote(nmf_align(d$fit, "a")), "`reference`"),
    q(quote(nmf_align(d$fit, matrix(1, 3, 2))), "`reference` and `x` must have components"),
    q(quote(nmf_align(d$fit, d$fit, by = "Q")), "`by`"),
    q(quote(hungarian("a")), "`cost` must be a numeric matrix"),
    q(quote(hungarian(matrix(numeric(0), 0, 0))), "`cost` must have at least one"),
    q(quote(hungarian(d$cost * NA)), "`cost` must not contain NA"),
    q(quote(hungarian(d$cost * Inf)), "`cost` must contain only finite"),
    q(quote(hungarian(d$cost, maximize = NA)), "`maximize`"),
    q(quote(hungarian(d$cost)), NULL, function(h) is.finite(h$total)),
    # data helpers and simulators
    q(quote(bin_spikes(1:3, c(0.1, NA, 0.3), width = 1)), "`time`"),
    q(quote(bin_spikes(1:3, c(0.1, 0.2, 0.3), width = -1)), "`width`"),
    q(quote(simulate_noise("uniform")), "`noise`"),
    q(quote(simulate_noise(m = 1)), "`m`"),
    q(quote(simulate_parts(n = 0)), "`n`"),
    q(quote(simulate_spectra(freq = 1:3)), "`freq`"),
    q(quote(simulate_assemblies(neurons = 1)), "`neurons`"),
    q(quote(simulate_calcium(side = 2)), "`side`")
  )
}

test_that("every case of the bad-input table names its argument or returns a sound value", {
  d <- bad_input_data()
  cases <- bad_input_cases()
  expect_gte(length(cases), 60L)
  for (cs in cases) {
    label <- paste(deparse(cs$call, width.cutoff = 500L), collapse = " ")
    res <- tryCatch(suppressWarnings(eval(cs$call)), error = function(e) e)
    if (is.null(cs$pattern)) {
      expect_false(inherits(res, "error"), label = paste(label, "runs"))
      if (!inherits(res, "error")) expect_true(cs$check(res), label = paste(label, "is sound"))
    } else {
      expect_true(inherits(res, "error"), label = paste(label, "is an error"))
      if (inherits(res, "error")) {
        expect_match(conditionMessage(res), cs$pattern, label = label)
        expect_false(grepl("internal error", conditionMessage(res)), label = label)
      }
    }
  }
})
