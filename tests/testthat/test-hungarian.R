# All injective maps of n rows into m >= n columns, one per row of the result
# (memoised: the same shapes come back many times).
injection_cache <- new.env(parent = emptyenv())
all_injections <- function(n, m) {
  key <- paste(n, m)
  if (!is.null(injection_cache[[key]])) return(injection_cache[[key]])
  maps <- matrix(integer(0), nrow = 1, ncol = 0)
  for (step in seq_len(n)) {
    ext <- lapply(seq_len(nrow(maps)), function(i) {
      free <- setdiff(seq_len(m), maps[i, ])
      cbind(maps[rep(i, length(free)), , drop = FALSE], free, deparse.level = 0)
    })
    maps <- do.call(rbind, ext)
  }
  injection_cache[[key]] <- maps
  maps
}

# Optimal total by enumeration (on the transpose when rows > cols).
brute_force_total <- function(cost, maximize = FALSE) {
  if (nrow(cost) > ncol(cost)) cost <- t(cost)
  maps <- all_injections(nrow(cost), ncol(cost))
  rows <- rep(seq_len(nrow(cost)), each = nrow(maps))
  totals <- rowSums(matrix(cost[cbind(rows, as.vector(maps))], nrow = nrow(maps)))
  if (maximize) max(totals) else min(totals)
}

# The assignment is a valid matching of the right size and its total is right.
expect_valid_assignment <- function(h, cost) {
  a <- h$assignment
  expect_type(a, "integer")
  expect_length(a, nrow(cost))
  matched <- which(!is.na(a))
  expect_length(matched, min(dim(cost)))
  expect_false(anyDuplicated(a[matched]) > 0)
  expect_true(all(a[matched] >= 1L & a[matched] <= ncol(cost)))
  expect_equal(h$total, sum(cost[cbind(matched, a[matched])]))
}

test_that("hungarian() equals brute force on every shape up to 7 x 7, with ties", {
  withr::local_seed(20240501)
  for (rows in 1:7) {
    for (cols in 1:7) {
      for (rep in 1:3) {
        # Few distinct integers: many ties; negative costs included.
        cost <- matrix(sample(-3:3, rows * cols, replace = TRUE), rows, cols)
        for (maximize in c(FALSE, TRUE)) {
          h <- hungarian(cost, maximize = maximize)
          expect_valid_assignment(h, cost)
          expect_identical(h$total, as.numeric(brute_force_total(cost, maximize)))
        }
      }
    }
  }
})

test_that("hungarian() equals brute force on real-valued negative costs", {
  withr::local_seed(7)
  for (rep in 1:60) {
    rows <- sample.int(7, 1)
    cols <- sample.int(7, 1)
    cost <- matrix(rnorm(rows * cols, sd = 10), rows, cols)
    maximize <- rep %% 2 == 0
    h <- hungarian(cost, maximize = maximize)
    expect_valid_assignment(h, cost)
    expect_equal(h$total, brute_force_total(cost, maximize), tolerance = 1e-12)
  }
})

test_that("hungarian() agrees with clue::solve_LSAP on 1,000 random matrices", {
  skip_if_not_installed("clue")
  withr::local_seed(1000)
  for (rep in 1:1000) {
    rows <- sample.int(40, 1)
    cols <- if (rep %% 2 == 0) rows else sample.int(40, 1)
    cost <- matrix(rnorm(rows * cols), rows, cols)
    maximize <- rep %% 4 >= 2
    h <- hungarian(cost, maximize = maximize)
    # solve_LSAP wants rows <= cols and non-negative costs: transpose and
    # shift (a shift changes every total by the same amount).
    wide <- if (rows <= cols) cost else t(cost)
    ref <- as.integer(clue::solve_LSAP(wide - min(wide), maximum = maximize))
    ref_assignment <- if (rows <= cols) ref else match(seq_len(rows), ref)
    ok <- !is.na(ref_assignment)
    expect_equal(h$total, sum(cost[cbind(which(ok), ref_assignment[ok])]),
                 tolerance = 1e-10)
    # Continuous random costs: the optimum is unique with probability one.
    expect_identical(unname(h$assignment), ref_assignment)
  }
})

test_that("hungarian() handles rectangular shapes, names and integer input", {
  cost <- matrix(c(5L, 1L, 7L, 9L, 8L, 0L), nrow = 3,
                 dimnames = list(c("a", "b", "c"), c("u", "v")))
  h <- hungarian(cost)
  expect_s3_class(h, "hungarian")
  expect_identical(h$assignment, c(a = NA, b = 1L, c = 2L))
  expect_identical(h$total, 1)
  expect_identical(hungarian(t(cost))$assignment, c(u = 2L, v = 3L))
  expect_identical(hungarian(matrix(3))$assignment, 1L)
  # Maximizing is minimizing the negated scores.
  s <- matrix(c(0.9, 0.2, 0.1, 0.8, 0.3, 0.7), nrow = 2)
  expect_identical(hungarian(s, maximize = TRUE)$assignment,
                   hungarian(-s)$assignment)
})

test_that("hungarian() is fast on 500 x 500", {
  skip_on_cran()
  withr::local_seed(1)
  cost <- matrix(runif(500 * 500), 500)
  elapsed <- system.time(h <- hungarian(cost))[["elapsed"]]
  expect_valid_assignment(h, cost)
  expect_lt(elapsed, 2) # generous bound; bench/ measures the real time
})

test_that("hungarian() rejects bad input with errors that name the argument", {
  expect_error(hungarian(matrix(c(1, NA), 1)), "`cost` must not contain NA")
  expect_error(hungarian(matrix(c(1, NaN), 1)), "`cost` must not contain NA")
  expect_error(hungarian(matrix(c(1, Inf), 1)), "`cost` must contain only finite")
  expect_error(hungarian(matrix(c(1, -Inf), 1)), "`cost` must contain only finite")
  expect_error(hungarian(matrix(numeric(0), 0, 3)), "`cost` must have at least one row")
  expect_error(hungarian(matrix(numeric(0), 2, 0)), "`cost` must have at least one row")
  expect_error(hungarian(matrix("a")), "`cost` must be a numeric matrix")
  expect_error(hungarian(1:3), "`cost` must be a numeric matrix; got a integer vector")
  expect_error(hungarian(data.frame(a = 1)), "as.matrix")
  expect_error(hungarian(matrix(TRUE)), "`cost` must be a numeric matrix")
  expect_error(hungarian(diag(2), maximize = NA), "`maximize` must be a single TRUE")
  expect_error(hungarian(diag(2), maximize = "yes"), "`maximize` must be a single TRUE")
})

test_that("print.hungarian() shows the assignment", {
  h <- hungarian(matrix(c(5, 1, 7, 9, 8, 0), nrow = 3))
  expect_snapshot(print(h))
})
