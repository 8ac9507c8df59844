# Cost of a 10% random mask (issue: missing values and weights): seconds per
# iteration of a masked fit as a ratio to the unmasked fit on the same data,
# same seed and threads.
#
#   Rscript bench/bench_mask.R [threads] [iterations]
#
# (a) dense 3000 x 2000, rank 20, beta = 2 (BCD);
# (c) sparse 20000 x 5000 counts at about 5% density, rank 20, beta = 1 (CD).
source(file.path(if (file.exists("bench/common.R")) "bench" else ".", "common.R"))
args <- commandArgs(trailingOnly = TRUE)
threads <- if (length(args) >= 1) as.integer(args[1]) else 1L
iters <- if (length(args) >= 2) as.integer(args[2]) else 50L

mask_case <- function(name, X, r, beta) {
  set.seed(7)
  pos <- sample.int(length(X), round(0.1 * length(X)))
  mask <- Matrix::sparseMatrix(i = (pos - 1L) %% nrow(X) + 1L, j = (pos - 1L) %/% nrow(X) + 1L,
                               x = 1, dims = dim(X))
  ctl <- nmf_control(max_iter = iters, tol = 0)
  plain <- time_it(nmf_fit(X, r, beta = beta, seed = 1, threads = threads, control = ctl))
  masked <- time_it(nmf_fit(X, r, beta = beta, mask = mask, seed = 1, threads = threads,
                            control = ctl))
  data.frame(case = name, beta = beta, solver = plain$value$solver,
             plain_sec_per_iter = plain$seconds / iters,
             masked_sec_per_iter = masked$seconds / iters,
             ratio = masked$seconds / plain$seconds)
}

Xa <- bench_data_a()
res_a <- mask_case("a", Xa, 20L, 2)
rm(Xa)
Xc <- rsparsematrix(20000, 5000, density = 0.05, rand.x = function(n) rpois(n, 3) + 1)
res_c <- mask_case("c", Xc, 20L, 1)
cat(sprintf("10%% random mask, %d iterations, %d thread(s)\n", iters, threads))
print(format(rbind(res_a, res_c), digits = 4), row.names = FALSE)
