# Side-by-side benchmark of nmf_fit() against RcppML 1.0 (when installed in
# a side library), RcppML 0.3.7 (Debian/CRAN), scikit-learn and fastTopics
# (when installed), all measured in this run at the same thread count.
#
#   Rscript bench/bench_rcppml1.R [threads] [cases] [peer_iterations]
#
# threads: 2 by default; cases: any of a, b, c, d (default "abcd");
# peer_iterations: 50. RcppML 1.0 is looked for in the library named by
# BETANMF_BENCH_RCPPML1_LIB (default /tmp/rcppml1-lib, see
# ../shared/peers/README.md); each RcppML runs in its own R process, so the
# two versions never meet. BETANMF_BENCH_RCPPML1_ITER_C (default 5) and
# BETANMF_BENCH_RCPPML1_ITER_D (default peer_iterations) bound RcppML 1.0's
# slow KL runs. scikit-learn's MU takes minutes on (c) and runs there only
# with BETANMF_BENCH_SKLEARN_C=true.
#
# (a) dense 3000 x 2000, rank 20, beta = 2: low rank + uniform noise;
# (b) sparse 20000 x 5000 counts at 5%, rank 20, beta = 2;
# (c) the counts of (b), beta = 1 (KL);
# (d) dense 3000 x 2000 Poisson counts of a rank-20 model, rank 20, KL.
# (a) and (b) are the data of bench_bcd.R, (c) that of bench_beta.R.
#
# Every method is timed over its whole call (betanmf: the R-side checks and
# preparation, the start and the final objective included) and scored by
# the same objective (beta_divergence()). The target of a case is the
# objective of RcppML 1.0 after peer_iterations iterations (of RcppML 0.3.7
# when 1.0 is absent). For betanmf: the first iteration whose objective is
# at or below the target (from a long run), then the whole call that runs
# exactly that many iterations (median of three): its time to the target.
# Per iteration: whole calls of peer_iterations iterations divided by the
# iterations. Ratios are betanmf over the peer (below 1: betanmf faster).
source(file.path(if (file.exists("bench/common.R")) "bench" else ".", "common.R"))
args <- commandArgs(trailingOnly = TRUE)
threads <- if (length(args) >= 1) as.integer(args[1]) else 2L
cases <- if (length(args) >= 2) strsplit(args[2], "")[[1]] else c("a", "b", "c", "d")
iters <- if (length(args) >= 3) as.integer(args[3]) else 50L
rcppml1_lib <- Sys.getenv("BETANMF_BENCH_RCPPML1_LIB", "/tmp/rcppml1-lib")
has_rcppml1 <- dir.exists(file.path(rcppml1_lib, "RcppML"))
sklearn_c <- identical(Sys.getenv("BETANMF_BENCH_SKLEARN_C"), "true")
env_int <- function(name, default) {
  v <- Sys.getenv(name)
  if (nzchar(v)) as.integer(v) else default
}

median_time <- function(f, reps = 3L) {
  runs <- lapply(seq_len(reps), function(i) time_it(f()))
  secs <- vapply(runs, `[[`, numeric(1), "seconds")
  list(value = runs[[1]]$value, seconds = stats::median(secs))
}

# RcppML in its own R process: version "1" from the side library, "0.3"
# from the site library. Returns list(seconds, W, H) or NULL.
run_rcppml <- function(version, X, r, n_iter, loss = "mse") {
  lib <- if (version == "1") rcppml1_lib else ""
  if (version == "1" && !has_rcppml1) return(NULL)
  if (version == "0.3" && (loss != "mse" || !has("RcppML"))) return(NULL)
  d <- tempfile("rcppml")
  dir.create(d)
  on.exit(unlink(d, recursive = TRUE))
  saveRDS(X, file.path(d, "x.rds"))
  call <- if (version == "1") {
    sprintf("RcppML::nmf(X, %d, tol = 1e-30, maxit = %d, seed = 1, loss = '%s', threads = %d, verbose = FALSE)",
            r, n_iter, loss, threads)
  } else {
    sprintf("RcppML::nmf(X, %d, tol = 1e-30, maxit = %d, seed = 1, verbose = FALSE)", r, n_iter)
  }
  code <- c(
    "suppressPackageStartupMessages({library(Matrix); library(RcppML)})",
    sprintf("Sys.setenv(RcppMLthreads = %d)", threads),
    sprintf("X <- readRDS('%s')", file.path(d, "x.rds")),
    "gc(FALSE)",
    sprintf("t0 <- proc.time()[['elapsed']]; f <- %s; s <- proc.time()[['elapsed']] - t0", call),
    "w <- if (isS4(f)) f@w else f$w; dd <- if (isS4(f)) f@d else f$d; h <- if (isS4(f)) f@h else f$h",
    sprintf("saveRDS(list(seconds = s, W = w %%*%% diag(dd, length(dd)), H = h), '%s')",
            file.path(d, "out.rds")))
  writeLines(code, file.path(d, "run.R"))
  old <- Sys.getenv("R_LIBS")
  on.exit(Sys.setenv(R_LIBS = old), add = TRUE)
  if (nzchar(lib)) Sys.setenv(R_LIBS = paste(c(lib, old[nzchar(old)]), collapse = ":"))
  status <- system2(file.path(R.home("bin"), "Rscript"), file.path(d, "run.R"),
                    stdout = FALSE, stderr = FALSE)
  if (status != 0 || !file.exists(file.path(d, "out.rds"))) return(NULL)
  readRDS(file.path(d, "out.rds"))
}

run_fasttopics <- function(X, r, n_iter) {
  if (!has("fastTopics")) return(NULL)
  out <- time_it(suppressMessages(fastTopics::fit_poisson_nmf(
    Matrix::t(X), k = r, numiter = n_iter, method = "scd", init.method = "random",
    control = list(nc = threads), verbose = "none")))
  list(seconds = out$seconds, W = out$value$F, H = t(out$value$L))
}

# settings: further nmf_control() settings of a variant (list()).
fit_betanmf <- function(X, r, beta, n_iter, settings = list()) {
  nmf_fit(X, r, beta = beta, seed = 1, threads = threads,
          control = do.call(nmf_control, c(list(max_iter = n_iter, tol = 0), settings)))
}

bench_case <- function(name, X, r, beta) {
  message(sprintf("case %s: %d x %d%s, rank %d, beta = %g, %d thread(s)", name, nrow(X),
                  ncol(X), if (is(X, "sparseMatrix")) " sparse" else "", r, beta, threads))
  loss <- if (beta == 2) "mse" else "gp"
  peer_iter <- switch(name, c = env_int("BETANMF_BENCH_RCPPML1_ITER_C", 5L),
                      d = env_int("BETANMF_BENCH_RCPPML1_ITER_D", iters), iters)
  peers <- list(
    `RcppML 1.0` = run_rcppml("1", X, r, peer_iter, loss),
    `RcppML 0.3.7` = run_rcppml("0.3", X, r, iters, loss),
    `scikit-learn` = if (name != "c" || sklearn_c) {
      run_sklearn(X, r, iters, threads, solver = if (beta == 2) "cd" else "mu",
                  beta_loss = if (beta == 2) "frobenius" else "kullback-leibler")
    },
    fastTopics = if (beta == 1) run_fasttopics(X, r, iters) else NULL)
  peers <- peers[!vapply(peers, is.null, logical(1))]
  peer_n <- c(`RcppML 1.0` = peer_iter)
  for (nm in names(peers)) {
    peers[[nm]]$iterations <- if (nm %in% names(peer_n)) peer_n[[nm]] else iters
    peers[[nm]]$objective <- objective(X, peers[[nm]]$W, peers[[nm]]$H, beta, threads)
  }
  ref <- intersect(c("RcppML 1.0", "RcppML 0.3.7"), names(peers))[1]
  target <- if (is.na(ref)) NA_real_ else peers[[ref]]$objective
  # betanmf at its defaults, with the data in single precision
  # (nmf_control(precision = "float")) and, for KL, with extrapolated
  # coordinate descent (nmf_control(extrapolate = TRUE)): per iteration over
  # `iters` iterations, and the time to the target
  variants <- list(default = list(), float = list(precision = "float"))
  if (beta == 1) variants$extrapolated <- list(extrapolate = TRUE)
  rows <- NULL
  reach <- hit <- list()
  for (v in names(variants)) {
    run <- function(n) fit_betanmf(X, r, beta, n, variants[[v]])
    per <- median_time(function() run(iters))
    long <- run(4L * iters)
    hit[[v]] <- if (is.na(target)) NA_integer_ else which(long$history$loss <= target)[1]
    reach[v] <- list(if (is.na(hit[[v]])) NULL else median_time(function() run(hit[[v]])))
    rows <- rbind(rows, data.frame(
      case = name, method = sprintf("betanmf (%s%s)", per$value$solver,
                                    if (v == "default") "" else paste0(", ", v)),
      iterations = iters, seconds = per$seconds, s_per_iter = per$seconds / iters,
      objective = per$value$loss, stringsAsFactors = FALSE))
    cat(sprintf("betanmf %s: objective after %d iterations %.8g\n", v, 4L * iters, long$loss))
  }
  for (nm in names(peers)) {
    z <- peers[[nm]]
    rows <- rbind(rows, data.frame(case = name, method = nm, iterations = z$iterations,
                                   seconds = z$seconds, s_per_iter = z$seconds / z$iterations,
                                   objective = z$objective))
  }
  rows$per_iter_ratio <- rows$s_per_iter[1] / rows$s_per_iter
  cat(sprintf("\ncase %s: target = objective of %s after %d iterations = %.8g\n", name,
              ref, if (is.na(ref)) NA else peers[[ref]]$iterations, target))
  print(format(rows, digits = 4), row.names = FALSE)
  for (v in names(variants)) {
    if (!is.null(reach[[v]])) {
      cat(sprintf("betanmf %s reaches the target after %d iterations, whole call %.3f s; %s: %.3f s; time ratio %.2f\n",
                  v, hit[[v]], reach[[v]]$seconds, ref, peers[[ref]]$seconds,
                  reach[[v]]$seconds / peers[[ref]]$seconds))
    } else if (!is.na(target)) {
      cat(sprintf("betanmf %s does not reach the target in %d iterations\n", v, 4L * iters))
    }
  }
  invisible(rows)
}

r <- 20L
Xa <- bench_data_a()
Xb <- rsparsematrix(20000, 5000, density = 0.05, rand.x = function(n) rpois(n, 3) + 1)
set.seed(20261130)
Xd <- matrix(rpois(3000 * 2000, matrix(runif(3000 * r), 3000) %*% matrix(runif(r * 2000), r) / 4),
             3000)
storage.mode(Xd) <- "double"
message(sprintf("RcppML 1.0 %s", if (has_rcppml1) paste("from", rcppml1_lib) else "not found"))
if ("a" %in% cases) bench_case("a", Xa, r, 2)
if ("b" %in% cases) bench_case("b", Xb, r, 2)
if ("c" %in% cases) bench_case("c", Xb, r, 1)
if ("d" %in% cases) bench_case("d", Xd, r, 1)
