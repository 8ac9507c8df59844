# Runs nmf_cv() and nmf_consensus() on a small data set under
# future.batchtools::batchtools_slurm and checks that the results are
# identical to the sequential ones (parallel = "threads", threads = 1).
# Called by tools/test-slurm.sh, which starts the cluster; the argument is
# the batchtools template. Prints one line per check and exits non-zero
# when any fails.
args <- commandArgs(trailingOnly = TRUE)
template <- if (length(args)) args[[1]] else "inst/templates/slurm.tmpl"
stopifnot(file.exists(template))
suppressPackageStartupMessages({
  library(betanmf)
  library(future)
})

set.seed(1)
X <- matrix(rexp(40 * 3), 40) %*% matrix(rexp(3 * 30), 3) +
  matrix(runif(40 * 30, 0, 0.05), 40)
dimnames(X) <- list(paste0("row", 1:40), paste0("col", 1:30))

run_cv <- function(parallel) {
  nmf_cv(X, ranks = 1:3, replicates = 2L, seed = 7L, threads = 1L, parallel = parallel)
}
run_consensus <- function(parallel) {
  nmf_consensus(X, rank = 3L, restarts = 4L, seed = 7L, threads = 1L, parallel = parallel)
}
# what must agree: everything but the call (which names `parallel`) and
# the run times
comparable <- function(res) {
  res <- unclass(res)
  res$call <- NULL
  if (is.data.frame(res$results)) res$results$seconds <- NULL
  res
}

reference <- list(cv = run_cv("threads"), consensus = run_consensus("threads"))

options(future.wait.interval = 0.2)  # poll the queue often: the jobs are short
plan(future.batchtools::batchtools_slurm, template = template,
     resources = list(ncpus = 1L, memory = 500L, walltime = 600L))
# a future that reports where it ran: proof that the jobs go through Slurm
job <- value(future(Sys.getenv("SLURM_JOB_ID")))
t0 <- proc.time()[["elapsed"]]
on_slurm <- list(cv = run_cv("future"), consensus = run_consensus("future"))
seconds <- proc.time()[["elapsed"]] - t0
plan(sequential)

checks <- c(
  "futures run as Slurm jobs" = nzchar(job),
  "nmf_cv() identical to sequential" =
    identical(comparable(on_slurm$cv), comparable(reference$cv)),
  "nmf_consensus() identical to sequential" =
    identical(comparable(on_slurm$consensus), comparable(reference$consensus))
)
for (i in seq_along(checks)) {
  cat(sprintf("%s: %s\n", if (checks[[i]]) "ok  " else "FAIL", names(checks)[[i]]))
}
if (!checks[[2]]) print(all.equal(comparable(on_slurm$cv), comparable(reference$cv)))
if (!checks[[3]]) {
  print(all.equal(comparable(on_slurm$consensus), comparable(reference$consensus)))
}
cat(sprintf("Slurm job of the probe: %s; nmf_cv() and nmf_consensus() on Slurm: %.1f s\n",
            job, seconds))
quit(status = if (all(checks)) 0L else 1L)
