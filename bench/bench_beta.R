# Benchmark of nmf_fit() for beta != 2 against scikit-learn's NMF(solver =
# "mu", beta_loss = ...), NMF::nmf(method = "brunet") (KL) and
# fastTopics::fit_poisson_nmf (KL), all measured in this run at the same
# thread count.
#
#   Rscript bench/bench_beta.R [threads] [peer_iterations]
#
# (c) sparse 20000 x 5000 counts at about 5% density, rank 20, beta = 1;
# (d) dense spike counts, 200 neurons x 20000 bins, rank 10, beta = 1;
# (e) dense 1000 x 1000 positive data, rank 10, beta in {0, 0.5, 1.5, 3}.
# Every peer runs `peer_iterations` iterations (200 by default); the best
# peer's final objective is the target. betanmf runs until its objective
# reaches the target (its history gives the time at which it first did).
# Reported: each method's objective and seconds, and the ratio of the best
# peer's time to betanmf's time to reach the target. For (e) also seconds
# per iteration of betanmf's MU against scikit-learn's MU.
source(file.path(if (file.exists("bench/common.R")) "bench" else ".", "common.R"))
args <- commandArgs(trailingOnly = TRUE)
threads <- if (length(args) >= 1) as.integer(args[1]) else 1L
iters <- if (length(args) >= 2) as.integer(args[2]) else 200L

peer_runs <- function(X, r, beta, case) {
  runs <- list()
  loss <- c("0" = "itakura-saito", "1" = "kullback-leibler")[as.character(beta)]
  loss <- if (is.na(loss)) beta else loss
  sk <- run_sklearn(X, r, iters, threads, solver = "mu", beta_loss = loss)
  if (!is.null(sk)) runs$sklearn_mu <- sk
  if (beta == 1 && !is(X, "sparseMatrix") && has("NMF")) {
    out <- time_it(NMF::nmf(X, r, method = "brunet", seed = "nndsvd",
                            .options = list(maxIter = iters, parallel = FALSE, track = FALSE),
                            .stop = as.integer(iters)))
    runs$NMF_brunet <- list(seconds = out$seconds, W = NMF::basis(out$value),
                            H = NMF::coef(out$value))
  }
  if (beta == 1 && has("fastTopics") && !skip_fasttopics) {
    # fastTopics factors samples x features: X^T = L F^T, so W = F, H = L^T.
    out <- time_it(suppressMessages(fastTopics::fit_poisson_nmf(
      t(X), k = r, numiter = iters, method = "scd", init.method = "random",
      control = list(nc = threads), verbose = "none")))
    runs$fastTopics_scd <- list(seconds = out$seconds, W = out$value$F,
                                H = t(out$value$L))
  }
  lapply(runs, function(z) c(z, objective = objective(X, z$W, z$H, beta, threads)))
}

bench_case <- function(name, X, r, beta) {
  message(sprintf("case %s: %d x %d, rank %d, beta = %g, %d thread(s)", name, nrow(X),
                  ncol(X), r, beta, threads))
  peers <- peer_runs(X, r, beta, name)
  obj <- vapply(peers, `[[`, numeric(1), "objective")
  best <- names(which.min(obj))
  target <- min(obj)
  # betanmf: in pieces of `chunk` iterations, each continuing the last (a
  # warm start retraces one longer fit), until the objective reaches the
  # target or 5 * iters iterations; the history of the last piece says when
  chunk <- max(10L, iters %/% 4L)
  spent <- 0
  total_iter <- 0L
  fit <- NULL
  repeat {
    fit <- time_it(nmf_fit(X, r, beta = beta, seed = 1, threads = threads,
                           init = if (is.null(fit)) "nndsvd" else fit$value,
                           control = nmf_control(max_iter = chunk, tol = 0)))
    h <- fit$value$history
    hit <- which(h$loss <= target)[1]
    before_iter <- total_iter
    total_iter <- total_iter + fit$value$iterations
    if (!is.na(hit) || total_iter >= 5L * iters) break
    spent <- spent + fit$seconds
  }
  start <- fit$seconds - h$seconds[nrow(h)]  # set-up before the first iteration
  reach <- if (is.na(hit)) NA_real_ else spent + start + h$seconds[hit]
  hit_iter <- if (is.na(hit)) NA_integer_ else before_iter + h$iteration[hit]
  res <- data.frame(
    case = name, beta = beta,
    method = c(paste0("betanmf_", fit$value$solver), names(peers)),
    objective = c(fit$value$loss, obj),
    seconds = c(spent + fit$seconds, vapply(peers, `[[`, numeric(1), "seconds")),
    iterations = c(total_iter, rep(iters, length(peers))),
    row.names = NULL)
  res$sec_per_iter <- res$seconds / res$iterations
  cat(sprintf("\ncase %s (beta = %g): target = objective of %s after %d iterations = %.8g\n",
              name, beta, best, iters, target))
  print(format(res, digits = 5), row.names = FALSE)
  cat(sprintf("betanmf reached the target after %s iterations, %.3f s; %s took %.3f s: ratio %.2f\n",
              if (is.na(hit)) "no" else hit_iter, reach, best,
              peers[[best]]$seconds, peers[[best]]$seconds / reach))
  if (beta != 1 && !is.null(peers$sklearn_mu)) {
    mu <- time_it(nmf_fit(X, r, beta = beta, solver = "mu", seed = 1, threads = threads,
                          control = nmf_control(max_iter = iters, tol = 0)))
    sk <- peers$sklearn_mu
    cat(sprintf("MU per iteration: betanmf %.4f s, scikit-learn %.4f s, ratio %.2f; objective after %d: %.8g vs %.8g\n",
                mu$seconds / iters, sk$seconds / iters, (sk$seconds / iters) / (mu$seconds / iters),
                iters, mu$value$loss, sk$objective))
  }
  invisible(res)
}

set.seed(20261129)
cases <- commandArgs(trailingOnly = TRUE)[-(1:2)]
if (!length(cases)) cases <- c("c", "d", "e")
skip_fasttopics <- FALSE
if ("c" %in% cases) {
  Xc <- rsparsematrix(20000, 5000, density = 0.05, rand.x = function(n) rpois(n, 3) + 1)
  # fastTopics needed more than ten minutes for 200 iterations here; it
  # runs on (d) only unless BETANMF_BENCH_FASTTOPICS_C=true
  skip_fasttopics <- !identical(Sys.getenv("BETANMF_BENCH_FASTTOPICS_C"), "true")
  bench_case("c", Xc, 20L, 1)
  skip_fasttopics <- FALSE
  rm(Xc)
}
if ("d" %in% cases) {
  # 10 assemblies of co-active neurons with sparse activation in time
  W <- matrix(rexp(200 * 10) * (runif(200 * 10) < 0.3), 200)
  H <- matrix(rexp(10 * 20000, 4) * (runif(10 * 20000) < 0.2), 10)
  Xd <- matrix(rpois(200 * 20000, W %*% H + 0.02), 200)
  storage.mode(Xd) <- "double"
  bench_case("d", Xd, 10L, 1)
  rm(Xd)
}
if ("e" %in% cases) {
  Xe <- matrix(runif(1000 * 10), 1000) %*% matrix(runif(10 * 1000), 10) *
    matrix(rgamma(1e6, shape = 5, rate = 5), 1000)
  for (b in c(0, 0.5, 1.5, 3)) bench_case("e", Xe, 10L, b)
}
