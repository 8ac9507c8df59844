test_that("bin_spikes counts hand-made spike trains exactly", {
  # neuron 1: 0.05, 0.12 (bin 1 of 0.25 s), 0.95 (bin 4); neuron 2: 0.2 (bin 1), 0.3 (bin 2)
  counts <- bin_spikes(neuron = c(1, 1, 2, 1, 2), time = c(0.05, 0.12, 0.2, 0.95, 0.3),
                       width = 0.25, end = 1, neurons = 1:3)
  expect_identical(dim(counts), c(3L, 4L))
  expect_identical(unname(counts[, , drop = TRUE]),
                   matrix(c(2L, 0L, 0L, 1L,
                            1L, 1L, 0L, 0L,
                            0L, 0L, 0L, 0L), 3, 4, byrow = TRUE))
  expect_identical(rownames(counts), c("1", "2", "3"))
  expect_identical(colnames(counts), c("0", "0.25", "0.5", "0.75"))
  expect_equal(attr(counts, "bin_start"), c(0, 0.25, 0.5, 0.75))
  expect_identical(attr(counts, "width"), 0.25)
  expect_true(is.integer(counts))
})

test_that("a spike on a bin edge counts in the bin that starts there", {
  # 0.3 / 0.1 is 2.9999999999999996 in floating point: still the 4th bin
  counts <- bin_spikes(c("a", "a", "a", "a"), c(0, 0.1, 0.3, 0.7), width = 0.1,
                       end = 0.8)
  expect_identical(unname(counts[1, ]), c(1L, 1L, 0L, 1L, 0L, 0L, 0L, 1L))
  expect_identical(colnames(counts)[4], "0.3")
  # a spike exactly at `end` joins the last bin; spikes past `end` are dropped
  counts <- bin_spikes(c(1, 1, 1), c(0.5, 1, 1.2), width = 0.5, end = 1)
  expect_identical(unname(counts[1, ]), c(0L, 2L))
  # spikes before `start` are dropped
  counts <- bin_spikes(c(1, 1, 1), c(0.1, 1.05, 1.5), width = 0.5, start = 1, end = 2)
  expect_identical(unname(counts[1, ]), c(1L, 1L))
  expect_equal(attr(counts, "bin_start"), c(1, 1.5))
})

test_that("unsorted input gives the counts of sorted input", {
  withr::local_seed(13)
  neuron <- sample(1:5, 400, replace = TRUE)
  time <- runif(400, 0, 10)
  sorted <- order(neuron, time)
  shuffled <- sample(400)
  a <- bin_spikes(neuron[sorted], time[sorted], width = 0.5, end = 10)
  b <- bin_spikes(neuron[shuffled], time[shuffled], width = 0.5, end = 10)
  expect_identical(a, b)
  expect_identical(dim(a), c(5L, 20L))
  expect_identical(sum(a), 400L)
  # each count is the number of spikes in its half-open interval
  expect_identical(a[3, 7], sum(neuron == 3 & time >= 3 & time < 3.5))
  expect_equal(unname(rowSums(a)), tabulate(neuron, 5))
})

test_that("silent neurons keep their rows and unlisted neurons are dropped", {
  counts <- bin_spikes(c(2, 2, 4), c(0.1, 0.2, 0.3), width = 0.1, end = 0.4,
                       neurons = c(4, 1, 2))
  expect_identical(rownames(counts), c("4", "1", "2"))
  expect_equal(unname(rowSums(counts)), c(1, 0, 2))
  expect_identical(unname(counts[3, ]), c(0L, 1L, 1L, 0L))
  # the levels of a factor are the rows by default, even those that never fire
  f <- factor(c("x", "x"), levels = c("x", "y"))
  counts <- bin_spikes(f, c(0.2, 0.4), width = 1)
  expect_identical(rownames(counts), c("x", "y"))
  expect_identical(unname(counts[, 1]), c(2L, 0L))
  # no spikes at all: a matrix of zeros when `end` is given
  empty <- bin_spikes(integer(0), numeric(0), width = 1, end = 3, neurons = 1:2)
  expect_identical(unname(empty[, ]), matrix(0L, 2, 3))
  # neurons all unlisted: zeros
  counts <- bin_spikes(c(7, 7), c(0.5, 1.5), width = 1, neurons = 1)
  expect_identical(sum(counts), 0L)
})

test_that("the sparse result equals the dense one", {
  withr::local_seed(2)
  neuron <- sample(1:8, 300, replace = TRUE)
  time <- runif(300, 0, 30)
  dense <- bin_spikes(neuron, time, width = 0.2, end = 30, neurons = 1:10)
  sp <- bin_spikes(neuron, time, width = 0.2, end = 30, neurons = 1:10, sparse = TRUE)
  expect_s4_class(sp, "dgCMatrix")
  expect_identical(dimnames(sp), dimnames(dense))
  expect_equal(as.matrix(sp), unclass(dense)[, ], ignore_attr = TRUE)
  expect_equal(sum(sp), 300)
  expect_equal(attr(sp, "bin_start"), attr(dense, "bin_start"))
})

test_that("default start and end come from the spikes", {
  counts <- bin_spikes(c(1, 1), c(0.2, 2.9), width = 1)
  expect_identical(dim(counts), c(1L, 3L))
  expect_equal(attr(counts, "bin_start"), 0:2)
  # negative times: the first bin starts at the earliest spike
  counts <- bin_spikes(c(1, 1, 1), c(-1, -0.5, 0.6), width = 0.5)
  expect_equal(attr(counts, "bin_start"), c(-1, -0.5, 0, 0.5))
  expect_identical(unname(counts[1, ]), c(1L, 1L, 0L, 1L))
})

test_that("bin_spikes errors name the argument", {
  expect_error(bin_spikes(1:2, c(0.1, NA), width = 1), "`time`")
  expect_error(bin_spikes(1:2, c("a", "b"), width = 1), "`time`")
  expect_error(bin_spikes(1:3, c(0.1, 0.2), width = 1), "`time` must have one entry per spike")
  expect_error(bin_spikes(list(1, 2), c(0.1, 0.2), width = 1), "`neuron`")
  expect_error(bin_spikes(c(1, NA), c(0.1, 0.2), width = 1), "`neuron` must not contain NA")
  expect_error(bin_spikes(1:2, c(0.1, 0.2), width = 0), "`width` must be a single finite number > 0")
  expect_error(bin_spikes(1:2, c(0.1, 0.2), width = c(1, 2)), "`width`")
  expect_error(bin_spikes(1:2, c(0.1, 0.2), width = 1, start = NA), "`start`")
  expect_error(bin_spikes(1:2, c(0.1, 0.2), width = 1, end = Inf), "`end`")
  expect_error(bin_spikes(1:2, c(0.1, 0.2), width = 1, start = 2, end = 1),
               "`end` must be greater than `start`")
  expect_error(bin_spikes(integer(0), numeric(0), width = 1), "`end` must be given")
  expect_error(bin_spikes(1:2, c(0.1, 0.2), width = 1, neurons = c(1, 1)),
               "`neurons` must list each neuron once")
  expect_error(bin_spikes(1:2, c(0.1, 0.2), width = 1, neurons = integer(0)),
               "`neurons` must list at least one")
  expect_error(bin_spikes(1:2, c(0.1, 0.2), width = 1, sparse = NA), "`sparse`")
  expect_error(bin_spikes(1:2, c(0.1, 1e9), width = 1e-9), "too many")
})

test_that("the aplysia data set bins into the counts of its recordings", {
  expect_identical(levels(aplysia$recording), c("Jun0214da01", "Nov0514da01", "Sep2914da01"))
  expect_identical(as.vector(table(aplysia$recording)), c(23681L, 13075L, 10892L))
  jun <- aplysia[aplysia$recording == "Jun0214da01", ]
  X <- bin_spikes(jun$neuron, jun$time_s, width = 0.1, end = 122.8, neurons = 1:136)
  expect_identical(dim(X), c(136L, 1228L))
  expect_identical(sum(X), 23681L)
  expect_equal(unname(rowSums(X)), tabulate(jun$neuron, 136L))
})

test_that("the shipped aplysia data equal the public files", {
  dir <- test_path("..", "..", "..", "shared", "data", "aplysia")
  skip_if_not(dir.exists(dir), "shared data not available")
  for (rec in levels(aplysia$recording)) {
    raw <- utils::read.csv(file.path(dir, paste0(rec, "_spikes.csv")))
    got <- aplysia[aplysia$recording == rec, c("neuron", "time_s")]
    raw <- raw[order(raw$neuron, raw$time_s), ]
    expect_equal(got$neuron, raw$neuron)
    expect_equal(got$time_s, raw$time_s)
  }
})
