# Cross-validated rank selection: nmf_cv().

holdouts <- c("speckled", "bicross", "blocks")
fast <- nmf_control(tol = 1e-4, max_iter = 200)

# Small planted data (60 x 50, rank 3, Gaussian noise) for quick calls.
small_cv_data <- function(seed = 1) planted_nmf(60, 50, 3, noise = 0.1, seed = seed)$X

quick_cv <- function(x = small_cv_data(), ranks = 1:4, ...) {
  nmf_cv(x, ranks = ranks, replicates = 2, seed = 11, threads = 1, control = fast, ...)
}

# What the rank-selection tests ask of one result on planted rank r: the
# planted rank is the recommended `rank`, its test error is below
# that of rank 1 and of rank r + 4, the mean training error never increases
# with the rank, and the components are stable at r and less so at r + 4.
planted_checks <- function(cv, r) {
  s <- cv$summary
  at <- function(k, what) s[[what]][s$rank == k]
  list(found = cv$rank == r,
       chosen = sprintf("%d (min %d, 1se %d)", cv$rank, cv$rank_min, cv$rank_1se),
       test_below = at(r, "test_mean") < at(1, "test_mean") &&
         at(r, "test_mean") < at(r + 4, "test_mean"),
       train_monotone = all(diff(s$train_mean) <= 1e-6 * s$train_mean[-nrow(s)]),
       stability = c(at(r, "stability"), at(r + 4, "stability")))
}

# ---------------------------------------------------------------------------
# The result

test_that("the result has the documented structure", {
  x <- small_cv_data()
  cv <- quick_cv(x, ranks = c(3, 1, 2, 5))
  expect_s3_class(cv, "nmf_cv")
  expect_named(cv$results, c("rank", "replicate", "train_error", "test_error",
                             "iterations", "seconds"))
  expect_named(cv$summary, c("rank", "test_mean", "test_se", "train_mean", "stability",
                             "stability_min"))
  # ranks sorted, one row per rank and replicate
  expect_identical(cv$summary$rank, c(1L, 2L, 3L, 5L))
  expect_identical(nrow(cv$results), 8L)
  expect_identical(cv$results$rank, rep(c(1L, 2L, 3L, 5L), each = 2))
  expect_identical(cv$results$replicate, rep(1:2, 4))
  expect_true(all(cv$results$iterations >= 1))
  expect_true(all(cv$results$seconds >= 0))
  expect_true(all(is.finite(cv$results$test_error) & cv$results$test_error >= 0))
  expect_true(all(is.finite(cv$results$train_error) & cv$results$train_error >= 0))
  # the summary is the per-rank mean and standard error of the results
  by_rank <- split(cv$results, cv$results$rank)
  expect_equal(cv$summary$test_mean, unname(vapply(by_rank, function(d) mean(d$test_error), 1)))
  expect_equal(cv$summary$test_se,
               unname(vapply(by_rank, function(d) sd(d$test_error) / sqrt(2), 1)))
  expect_equal(cv$summary$train_mean,
               unname(vapply(by_rank, function(d) mean(d$train_error), 1)))
  expect_true(all(cv$summary$stability >= 0 & cv$summary$stability <= 1 + 1e-12))
  expect_true(all(cv$summary$stability_min <= cv$summary$stability + 1e-12))
  # the chosen ranks
  expect_identical(cv$rank_min, cv$summary$rank[which.min(cv$summary$test_mean)])
  expect_identical(cv$rank_1se, one_se_rank(cv$summary))
  expect_lte(cv$rank_1se, cv$rank_min)
  # the recommended rank: the largest stable rank up to rank_min
  stable <- cv$summary$rank[cv$summary$stability_min >= cv$stable_threshold]
  expect_identical(cv$rank_stable, max(stable))
  expect_identical(cv$rank, max(stable[stable <= cv$rank_min]))
  expect_true(is.character(cv$rank_reason) && length(cv$rank_reason) == 1L)
  expect_identical(cv$beta, 2)
  expect_identical(cv$holdout, "speckled")
  expect_identical(cv$fraction, 0.1)
  expect_identical(cv$replicates, 2L)
  expect_identical(cv$seed, 11L)
  expect_true(is.call(cv$call))
})

test_that("one replicate gives a stability of 1 and no standard error", {
  cv <- nmf_cv(small_cv_data(), ranks = 1:3, replicates = 1, seed = 2, threads = 1,
               control = fast)
  expect_identical(nrow(cv$results), 3L)
  expect_true(all(is.na(cv$summary$test_se)))
  expect_identical(cv$summary$stability, rep(1, 3))
  # with no standard error, the 1-SE rank is the minimum
  expect_identical(cv$rank_1se, cv$rank_min)
})

test_that("every holdout and the named betas give a complete result", {
  x <- small_cv_data()
  for (h in holdouts) {
    cv <- quick_cv(x, ranks = 1:3, holdout = h)
    expect_identical(cv$holdout, h)
    expect_true(all(is.finite(cv$results$test_error)), label = h)
    expect_identical(cv$rank_1se, one_se_rank(cv$summary))
  }
  cv <- quick_cv(round(x), ranks = 1:2, beta = "kl")
  expect_identical(cv$beta, 1)
})

# ---------------------------------------------------------------------------
# Choosing the planted rank

# One seed of the planted designs (300 x 400, planted rank 4) for every
# holdout and model; the ten-seed version at ranks 4 and 8 follows below.
for (model in c("gaussian", "poisson")) {
  for (h in holdouts) {
    test_that(sprintf("%s holdout finds planted rank 4 in %s data (one seed)", h, model), {
      d <- cv_planted(model, 4, seed = 1)
      cv <- nmf_cv(d$X, ranks = c(1, 3, 4, 5, 8), beta = d$beta, holdout = h, seed = 1,
                   threads = 1, control = fast)
      chk <- planted_checks(cv, 4)
      expect_true(chk$found, label = sprintf("rank = %s", chk$chosen))
      expect_true(chk$test_below)
      expect_true(chk$train_monotone)
      expect_gt(chk$stability[1], 0.95)
      expect_lt(chk$stability[2], chk$stability[1])
    })
  }
}

test_that("the planted rank is found in at least 9 of 10 seeds", {
  skip_on_cran()
  for (r in c(4, 8)) {
    # the ranks on both sides of r, rank 1 and r + 4 (a finer grid, 1:6 and 8
    # or 1, 4, 6:10 and 12, chose the planted rank as often but takes twice
    # as long)
    ranks <- c(1, r - 1, r, r + 1, r + 4)
    for (model in c("gaussian", "poisson")) {
      runs <- lapply(holdouts, function(h) vector("list", 10))
      names(runs) <- holdouts
      for (seed in 1:10) {
        d <- cv_planted(model, r, seed)
        for (h in holdouts) {
          # an error is kept as its message and counts as a miss
          runs[[h]][[seed]] <- tryCatch(
            planted_checks(nmf_cv(d$X, ranks = ranks, beta = d$beta, holdout = h,
                                  seed = seed, threads = 1, control = fast), r),
            error = function(e) conditionMessage(e))
        }
      }
      for (h in holdouts) {
        what <- sprintf("%s holdout, %s data, planted rank %d", h, model, r)
        ok <- !vapply(runs[[h]], is.character, logical(1))
        expect(all(ok), sprintf("%s: nmf_cv() failed in seeds %s: %s", what,
                                paste(which(!ok), collapse = ", "),
                                paste(unique(unlist(runs[[h]][!ok])), collapse = "; ")))
        found <- vapply(runs[[h]], function(z) !is.character(z) && z$found, logical(1))
        chosen <- vapply(runs[[h]], function(z) if (is.character(z)) "error" else z$chosen,
                         character(1))
        expect(sum(found) >= 9, sprintf(
          "%s: the planted rank was chosen in %d of 10 seeds (rank: %s)",
          what, sum(found), paste(chosen, collapse = ", ")))
        done <- runs[[h]][ok]
        if (!length(done)) next
        below <- vapply(done, `[[`, logical(1), "test_below")
        expect(all(below), sprintf(
          "%s: the test error at rank %d is not below ranks 1 and %d in seeds %s",
          what, r, r + 4, paste(which(ok)[!below], collapse = ", ")))
        mono <- vapply(done, `[[`, logical(1), "train_monotone")
        expect(all(mono), sprintf("%s: the training error increases with the rank in seeds %s",
                                  what, paste(which(ok)[!mono], collapse = ", ")))
        stab <- vapply(done, `[[`, numeric(2), "stability")
        expect(mean(stab[1, ]) > 0.95 && mean(stab[2, ]) < mean(stab[1, ]), sprintf(
          "%s: mean stability %.3f at rank %d and %.3f at rank %d", what,
          mean(stab[1, ]), r, mean(stab[2, ]), r + 4))
      }
    }
  }
})

# ---------------------------------------------------------------------------
# Reproducibility

# Few iterations: on a busy machine two threads can be far slower than one.
threads_agree <- function(beta) {
  x <- small_cv_data()
  short <- nmf_control(tol = 0, max_iter = 10)
  for (h in holdouts) {
    a <- nmf_cv(x, ranks = 2:3, beta = beta, holdout = h, replicates = 2, seed = 5,
                threads = 1, control = short)
    b <- nmf_cv(x, ranks = 2:3, beta = beta, holdout = h, replicates = 2, seed = 5,
                threads = 2, control = short)
    expect_identical(cv_results(b), cv_results(a))
    expect_identical(b$summary, a$summary)
    expect_identical(b$rank, a$rank)
  }
}

test_that("one thread and two threads give identical results", {
  threads_agree(beta = 2)
})

test_that("one thread and two threads give identical results under KL", {
  skip_on_cran()
  threads_agree(beta = 1)
})

test_that("parallel = \"future\" gives the results of the sequential run", {
  skip_on_cran()
  skip_if_not_installed("future.apply")
  x <- small_cv_data()
  future::plan(future::multisession, workers = 2)
  withr::defer(future::plan(future::sequential))
  for (h in holdouts) {
    a <- nmf_cv(x, ranks = 1:4, holdout = h, replicates = 3, seed = 6, threads = 1,
                control = fast)
    b <- nmf_cv(x, ranks = 1:4, holdout = h, replicates = 3, seed = 6, threads = 1,
                control = fast, parallel = "future")
    expect_identical(cv_results(b), cv_results(a))
    expect_identical(b$summary, a$summary)
    expect_identical(b$rank_min, a$rank_min)
    expect_identical(b$rank_1se, a$rank_1se)
    expect_identical(b$rank, a$rank)
    expect_identical(b$rank_stable, a$rank_stable)
  }
})

test_that("the same seed gives identical results, another seed other test errors", {
  x <- small_cv_data()
  for (h in holdouts) {
    a <- nmf_cv(x, ranks = 1:3, holdout = h, seed = 7, threads = 1, control = fast)
    b <- nmf_cv(x, ranks = 1:3, holdout = h, seed = 7, threads = 1, control = fast)
    c <- nmf_cv(x, ranks = 1:3, holdout = h, seed = 8, threads = 1, control = fast)
    expect_identical(cv_results(b), cv_results(a))
    expect_identical(b$summary, a$summary)
    expect_false(any(c$results$test_error == a$results$test_error), label = h)
  }
})

test_that("seed = NULL draws the seed from R's generator and stores it", {
  x <- small_cv_data()
  a <- withr::with_seed(3, nmf_cv(x, ranks = 1:2, threads = 1, control = fast))
  b <- withr::with_seed(3, nmf_cv(x, ranks = 1:2, threads = 1, control = fast))
  expect_identical(cv_results(b), cv_results(a))
  expect_true(is.integer(a$seed) && length(a$seed) == 1L)
  again <- nmf_cv(x, ranks = 1:2, seed = a$seed, threads = 1, control = fast)
  expect_identical(cv_results(again), cv_results(a))
})

test_that("a replicate does not depend on how many replicates are run", {
  x <- small_cv_data()
  for (h in holdouts) {
    two <- nmf_cv(x, ranks = 1:3, holdout = h, replicates = 2, seed = 9, threads = 1,
                  control = fast)
    three <- nmf_cv(x, ranks = 1:3, holdout = h, replicates = 3, seed = 9, threads = 1,
                    control = fast)
    first <- cv_results(three)[three$results$replicate <= 2, ]
    rownames(first) <- NULL
    expect_identical(first, cv_results(two))
  }
})

# ---------------------------------------------------------------------------
# Hold-out patterns

test_that("a speckled pattern holds out about `fraction` of the entries", {
  m <- 300
  n <- 400
  held <- holdout_matrix(m, n, "speckled", 0.1, 1, 1)
  expect_equal(mean(held), 0.1, tolerance = 0.05)  # about 12000 of 120000 entries
  expect_equal(mean(holdout_matrix(m, n, "speckled", 0.3, 1, 1)), 0.3, tolerance = 0.03)
  # a function of the seed and the replicate only
  expect_identical(holdout_matrix(m, n, "speckled", 0.1, 1, 1), held)
  expect_false(identical(holdout_matrix(m, n, "speckled", 0.1, 1, 2), held))
  expect_false(identical(holdout_matrix(m, n, "speckled", 0.1, 2, 1), held))
  # two replicates overlap about as much as independent draws
  other <- holdout_matrix(m, n, "speckled", 0.1, 1, 2)
  expect_equal(mean(held & other), 0.01, tolerance = 0.2)
})

test_that("a blocks pattern removes one contiguous run from about half of the rows", {
  m <- 300
  n <- 400
  for (fraction in c(0.1, 0.25)) {
    held <- holdout_matrix(m, n, "blocks", fraction, 3, 2)
    len <- round(2 * fraction * n)
    hit <- rowSums(held) > 0
    expect_equal(mean(hit), 0.5, tolerance = 0.15)
    expect_true(all(rowSums(held)[hit] == len))
    # one run per affected row: a single switch on and a single switch off
    runs <- apply(held[hit, , drop = FALSE], 1, function(z) sum(diff(c(FALSE, z)) == 1))
    expect_true(all(runs == 1))
    expect_equal(mean(held), fraction, tolerance = 0.15)
    expect_identical(holdout_matrix(m, n, "blocks", fraction, 3, 2), held)
    expect_false(identical(holdout_matrix(m, n, "blocks", fraction, 3, 3), held))
  }
})

test_that("a bi-cross pattern holds out non-empty row and column sets", {
  m <- 300
  n <- 400
  lines <- betanmf:::cpp_holdout_bicross(m, n, 0.1, 4, 1)
  expect_named(lines, c("rows", "cols"), ignore.order = TRUE)
  I <- lines$rows
  J <- lines$cols
  expect_true(length(I) > 0 && length(I) < m)
  expect_true(length(J) > 0 && length(J) < n)
  expect_true(all(I >= 1 & I <= m) && !anyDuplicated(I))
  expect_true(all(J >= 1 & J <= n) && !anyDuplicated(J))
  # each line with probability sqrt(fraction), so the block is ~ fraction
  expect_equal(length(I) / m, sqrt(0.1), tolerance = 0.2)
  expect_equal(length(J) / n, sqrt(0.1), tolerance = 0.2)
  expect_equal(length(I) * length(J) / (m * n), 0.1, tolerance = 0.35)
  expect_identical(betanmf:::cpp_holdout_bicross(m, n, 0.1, 4, 1), lines)
  expect_false(identical(betanmf:::cpp_holdout_bicross(m, n, 0.1, 4, 2), lines))
  # tiny sizes still leave both sides of the split non-empty
  for (f in c(0.01, 0.5)) {
    small <- betanmf:::cpp_holdout_bicross(3, 2, f, 1, 1)
    expect_true(length(small$rows) %in% 1:2 && length(small$cols) == 1L)
  }
})

test_that("every rank of a replicate is tested on that replicate's pattern", {
  # Change one entry that the patterns of cpp_holdout_*() hold out in
  # replicate 1 and keep for training in replicate 2. Nothing the fits see
  # depends on a held-out value, so in replicate 1 every rank has the same
  # training error as before and another test error; in replicate 2 the
  # training error of every rank changes.
  x <- small_cv_data()
  m <- nrow(x)
  n <- ncol(x)
  for (h in holdouts) {
    if (h == "bicross") {
      lines <- lapply(1:2, function(rep) betanmf:::cpp_holdout_bicross(m, n, 0.1, 21, rep))
      spot <- c(setdiff(lines[[1]]$rows, lines[[2]]$rows)[1],
                setdiff(lines[[1]]$cols, lines[[2]]$cols)[1])
    } else {
      in1 <- holdout_matrix(m, n, h, 0.1, 21, 1)
      in2 <- holdout_matrix(m, n, h, 0.1, 21, 2)
      spot <- which(in1 & !in2, arr.ind = TRUE)[1, ]
    }
    expect_false(anyNA(spot))
    y <- x
    y[spot[1], spot[2]] <- x[spot[1], spot[2]] + 3 * mean(x)
    a <- nmf_cv(x, ranks = 1:4, holdout = h, replicates = 2, seed = 21, threads = 1,
                control = fast)$results
    b <- nmf_cv(y, ranks = 1:4, holdout = h, replicates = 2, seed = 21, threads = 1,
                control = fast)$results
    one <- a$replicate == 1
    expect_identical(b$train_error[one], a$train_error[one], label = h)
    expect_identical(b$iterations[one], a$iterations[one], label = h)
    expect_true(all(b$test_error[one] != a$test_error[one]), label = h)
    expect_true(all(b$train_error[!one] != a$train_error[!one]), label = h)
  }
})

# ---------------------------------------------------------------------------
# Masks, missing values and other divergences

test_that("entries masked by the user are never scored nor fitted", {
  # The value under a masked entry must not matter at all: an extreme value
  # there gives the same results as an ordinary one.
  x <- small_cv_data()
  m <- nrow(x)
  n <- ncol(x)
  for (h in holdouts) {
    if (h == "bicross") {
      lines <- betanmf:::cpp_holdout_bicross(m, n, 0.1, 31, 1)
      spot <- c(lines$rows[1], lines$cols[1])
    } else {
      spot <- which(holdout_matrix(m, n, h, 0.1, 31, 1), arr.ind = TRUE)[1, ]
    }
    mask <- matrix(FALSE, m, n)
    mask[spot[1], spot[2]] <- TRUE
    mask[, 7] <- TRUE  # and a whole column
    y <- x
    y[spot[1], spot[2]] <- 100 * max(x)
    y[, 7] <- 50 * max(x)
    a <- nmf_cv(x, ranks = 1:3, holdout = h, replicates = 2, seed = 31, threads = 1,
                control = fast, mask = mask)
    b <- nmf_cv(y, ranks = 1:3, holdout = h, replicates = 2, seed = 31, threads = 1,
                control = fast, mask = mask)
    expect_true(all(is.finite(b$results$test_error)), label = h)
    expect_identical(cv_results(b), cv_results(a))
    # without the mask, the extreme values do count
    c <- nmf_cv(y, ranks = 1:3, holdout = h, replicates = 2, seed = 31, threads = 1,
                control = fast)
    expect_gt(c$results$test_error[1], 10 * a$results$test_error[1], label = h)
  }
})

test_that("missing entries and an all-missing column are left out like masked ones", {
  # NA entries are missing values: neither fitted nor scored, exactly as if
  # the user had masked them.
  withr::local_seed(42)
  x <- small_cv_data()
  y <- x
  y[, 4] <- NA
  y[runif(length(y)) < 0.2] <- NA
  mask <- is.na(y)
  for (h in holdouts) {
    a <- nmf_cv(y, ranks = 1:3, holdout = h, replicates = 2, seed = 41, threads = 1,
                control = fast)
    expect_true(all(is.finite(a$results$test_error)), label = h)
    expect_true(all(is.finite(a$results$train_error)), label = h)
    expect_false(anyNA(a$summary))
    b <- nmf_cv(x, ranks = 1:3, holdout = h, replicates = 2, seed = 41, threads = 1,
                control = fast, mask = mask)
    expect_equal(cv_results(a), cv_results(b), tolerance = 1e-10)
  }
})

test_that("a sparse mask is accepted", {
  x <- small_cv_data()
  mask <- Matrix::sparseMatrix(i = c(1, 5, 9), j = c(2, 2, 30), x = TRUE, dims = dim(x))
  a <- quick_cv(x, ranks = 1:2, mask = mask)
  b <- quick_cv(x, ranks = 1:2, mask = as.matrix(mask))
  expect_identical(cv_results(a), cv_results(b))
})

test_that("Itakura-Saito works on positive data; zeros need an offset", {
  withr::local_seed(51)
  x <- small_cv_data() + 0.5
  for (h in holdouts) {
    cv <- nmf_cv(x, ranks = 1:3, beta = 0, holdout = h, replicates = 2, seed = 51,
                 threads = 1, control = fast)
    expect_identical(cv$beta, 0)
    expect_true(all(is.finite(cv$results$test_error)), label = h)
    expect_true(all(cv$results$test_error >= 0))
  }
  z <- x
  z[3, 4] <- 0
  expect_error(nmf_cv(z, ranks = 1:2, beta = "is", seed = 1, threads = 1), "offset")
  cv <- nmf_cv(z, ranks = 1:2, beta = "is", replicates = 2, offset = 1, seed = 1,
               threads = 1, control = fast)
  expect_true(all(is.finite(cv$results$test_error)))
})

test_that("a count the model predicts as zero is a large but finite KL error", {
  # One row is zero everywhere except at its held-out entries: every fit
  # gives it zero loadings. Bi-cross-validation predicts zero there and the
  # documented floor keeps the error finite; the posterior mode of the
  # speckled and blocks predictions gives the row a small positive rate.
  # Either way the counts the training data give no hint of cost more than
  # zeros in their place would (the fits are the same).
  x <- round(small_cv_data() * 5)
  m <- nrow(x)
  n <- ncol(x)
  for (h in c("speckled", "blocks", "bicross")) {
    if (h == "bicross") {
      lines <- betanmf:::cpp_holdout_bicross(m, n, 0.1, 61, 1)
      i <- lines$rows[1]
      held <- seq_len(n) %in% lines$cols
    } else {
      pat <- holdout_matrix(m, n, h, 0.1, 61, 1)
      i <- which(rowSums(pat) > 0)[1]
      held <- pat[i, ]
    }
    y <- x
    y[i, !held] <- 0
    y[i, held] <- 7
    cv <- nmf_cv(y, ranks = 1:3, beta = 1, holdout = h, replicates = 1, seed = 61,
                 threads = 1, control = fast)
    expect_true(all(is.finite(cv$results$test_error)), label = h)
    y0 <- y
    y0[i, held] <- 0
    zero <- nmf_cv(y0, ranks = 1:3, beta = 1, holdout = h, replicates = 1, seed = 61,
                   threads = 1, control = fast)
    expect_identical(cv$results$train_error, zero$results$train_error)
    expect_true(all(cv$results$test_error > zero$results$test_error), label = h)
    if (h == "bicross") {
      expect_gt(min(cv$results$test_error),
                max(nmf_cv(x, ranks = 1:3, beta = 1, holdout = h, replicates = 1,
                           seed = 61, threads = 1, control = fast)$results$test_error))
    }
  }
})

test_that("sparse input gives the results of dense input", {
  x <- small_matrix(60, 50, seed = 3, zeros = 0.6)
  for (h in holdouts) {
    a <- quick_cv(x, ranks = 1:3, holdout = h)
    b <- quick_cv(Matrix::Matrix(x, sparse = TRUE), ranks = 1:3, holdout = h)
    expect_equal(cv_results(b), cv_results(a), tolerance = 1e-8)
  }
})

test_that("verbose reports each fit, quiet runs say nothing", {
  x <- small_cv_data()
  msgs <- capture_messages(quick_cv(x, ranks = 1:2, verbose = TRUE))
  expect_length(msgs, 4)  # one per rank and replicate
  expect_match(msgs[1], "replicate 1, rank 1")
  expect_silent(quick_cv(x, ranks = 1:2))
})

# ---------------------------------------------------------------------------
# Bad input

test_that("bad ranks are refused naming the argument", {
  x <- small_cv_data()  # 60 x 50
  for (bad in list(0, 51, 2.5, "a", numeric(0), NA, NA_real_, c(1, NA), -1, Inf)) {
    expect_error(nmf_cv(x, ranks = bad, seed = 1, threads = 1), "`ranks`",
                 label = deparse(bad))
  }
  expect_error(nmf_cv(x, seed = 1, threads = 1), "`ranks`")
  # bi-cross-validation fits only the training block
  expect_error(nmf_cv(x, ranks = 30, holdout = "bicross", seed = 1, threads = 1), "`ranks`")
})

test_that("a bad fraction is refused naming the argument", {
  x <- small_cv_data()
  for (bad in list(0, -0.1, 0.6, NA, NA_real_, c(0.1, 0.2), "0.1", Inf)) {
    expect_error(nmf_cv(x, ranks = 1:2, fraction = bad, seed = 1, threads = 1),
                 "`fraction`", label = deparse(bad))
  }
  cv <- nmf_cv(x, ranks = 1:2, fraction = 0.5, replicates = 2, seed = 1, threads = 1,
               control = fast)
  expect_identical(cv$fraction, 0.5)
})

test_that("bad replicates, holdout and parallel are refused naming the argument", {
  x <- small_cv_data()
  for (bad in list(0, -1, 2.5, NA, "3", c(2, 3))) {
    expect_error(nmf_cv(x, ranks = 1:2, replicates = bad, seed = 1, threads = 1),
                 "`replicates`", label = deparse(bad))
  }
  for (bad in list("foo", NA, 1, c("speckled", "blocks"))) {
    expect_error(nmf_cv(x, ranks = 1:2, holdout = bad, seed = 1, threads = 1),
                 "`holdout`", label = deparse(bad))
  }
  for (bad in list("fork", TRUE, c("threads", "future", "x"))) {
    expect_error(nmf_cv(x, ranks = 1:2, parallel = bad, seed = 1, threads = 1),
                 "`parallel`", label = deparse(bad))
  }
})

test_that("arguments the procedure sets itself are refused", {
  x <- small_cv_data()
  expect_error(nmf_cv(x, ranks = 1:2, init = "random", seed = 1), "`init`")
  expect_error(nmf_cv(x, ranks = 1:2, restarts = 3, seed = 1), "`restarts`")
  expect_error(nmf_cv(x, ranks = 1:2, fixed_W = matrix(1, 60, 1), seed = 1), "`fixed_W`")
  expect_error(nmf_cv(x, ranks = 1:2, fixed_H = matrix(1, 1, 50), seed = 1), "`fixed_H`")
  expect_error(nmf_cv(x, ranks = 1:2, rank = 2, seed = 1), "`rank`")
})

test_that("bad data are refused before any fit", {
  x <- small_cv_data()
  neg <- x
  neg[1, 1] <- -1
  expect_error(nmf_cv(neg, ranks = 1:2, seed = 1, threads = 1), "negative")
  expect_error(nmf_cv(x, ranks = 1:2, mask = matrix(FALSE, 3, 3), seed = 1, threads = 1),
               "mask")
  expect_error(nmf_cv(x, ranks = 1:2, offset = -1, seed = 1, threads = 1), "`offset`")
  expect_error(nmf_cv(x, ranks = 1:2, seed = -3, threads = 1), "`seed`")
})
