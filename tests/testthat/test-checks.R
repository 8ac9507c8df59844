# Argument validation: one test per bad input, each error naming the argument.

# --- the data ---------------------------------------------------------------

test_that("negative entries are an error naming x", {
  x <- small_matrix()
  x[2, 3] <- -1
  expect_error(nmf_fit(x, 2), "`x` has 1 negative entries")
  expect_error(nmf_fit(Matrix::Matrix(x, sparse = TRUE), 2), "`x` has 1 negative")
})

test_that("NA in x is a missing value, NA elsewhere an error naming the argument", {
  x <- small_matrix()
  x[1, 1] <- NA
  expect_no_error(nmf_fit(x, 2, threads = 1, seed = 1))
  expect_no_error(nmf_fit(Matrix::Matrix(x, sparse = TRUE), 2, threads = 1, seed = 1))
  expect_error(hungarian(matrix(c(1, NA), 1)), "`cost`")
  expect_error(nmf_fit(small_matrix(), 2, mask = matrix(NA, 30, 20)), "`mask`")
})

test_that("NaN is an error naming x", {
  x <- small_matrix()
  x[1, 1] <- NaN
  expect_error(nmf_fit(x, 2), "`x` contains NaN")
})

test_that("Inf is an error naming x", {
  x <- small_matrix()
  x[1, 1] <- Inf
  expect_error(nmf_fit(x, 2), "`x` contains Inf")
  x[1, 1] <- -Inf
  expect_error(nmf_fit(x, 2), "`x` contains Inf")
})

test_that("a data.frame is an error naming x", {
  expect_error(nmf_fit(as.data.frame(small_matrix()), 2), "`x`.*data.frame")
})

test_that("a character matrix is an error naming x", {
  x <- matrix(as.character(small_matrix()), 30)
  expect_error(nmf_fit(x, 2), "`x` must be a numeric matrix")
})

test_that("a vector or a list is an error naming x", {
  expect_error(nmf_fit(1:10, 1), "`x` must be a numeric matrix")
  expect_error(nmf_fit(list(1, 2), 1), "`x` must be a numeric matrix")
})

test_that("an empty matrix is an error naming x", {
  expect_error(nmf_fit(matrix(numeric(0), 0, 5), 1), "`x` is empty")
  expect_error(nmf_fit(matrix(numeric(0), 5, 0), 1), "`x` is empty")
})

test_that("an all-zero matrix is an error naming x", {
  expect_error(nmf_fit(matrix(0, 5, 4), 1), "`x` is all zero")
  expect_error(nmf_fit(Matrix::Matrix(0, 5, 4, sparse = TRUE), 1), "`x` is all zero")
})

test_that("zeros with beta <= 0 are an error that mentions offset", {
  x <- small_matrix()
  expect_error(betanmf:::prepare_data(x, beta = 0), "offset")
  expect_error(betanmf:::prepare_data(Matrix::Matrix(x, sparse = TRUE), beta = -1),
               "offset")
  expect_s4_class(betanmf:::prepare_data(Matrix::Matrix(x + 1, sparse = TRUE), beta = 0)$x,
                  "dgCMatrix")
})

test_that("legal data come out as a double matrix or a dgCMatrix", {
  x <- small_matrix(6, 5)
  xi <- x
  storage.mode(xi) <- "integer"
  expect_identical(betanmf:::check_data(xi), x)
  expect_identical(betanmf:::check_data(x > 0), (x > 0) + 0)
  s <- Matrix::Matrix(x, sparse = TRUE)
  expect_identical(betanmf:::check_data(s), s)
  expect_s4_class(betanmf:::check_data(methods::as(s, "TsparseMatrix")), "dgCMatrix")
  expect_s4_class(betanmf:::check_data(s > 0), "dgCMatrix")
})

# --- rank -------------------------------------------------------------------

test_that("rank 0 is an error naming rank", {
  expect_error(nmf_fit(small_matrix(), 0), "`rank` must be a single whole number between 1")
})

test_that("rank above min(m, n) is an error naming rank", {
  x <- small_matrix(30, 20)
  expect_error(nmf_fit(x, 21), "`rank`.*between 1 and 20")
})

test_that("rank 2.5 is an error naming rank", {
  expect_error(nmf_fit(small_matrix(), 2.5), "`rank`")
})

test_that("rank 'a' is an error naming rank", {
  expect_error(nmf_fit(small_matrix(), "a"), "`rank`")
})

test_that("a missing rank is an error naming rank", {
  expect_error(nmf_fit(small_matrix()), "`rank` is missing")
})

test_that("rank NA or of length two is an error naming rank", {
  expect_error(nmf_fit(small_matrix(), NA), "`rank`")
  expect_error(nmf_fit(small_matrix(), c(2, 3)), "`rank`")
})

# --- penalties --------------------------------------------------------------

test_that("a negative l1 is an error naming l1", {
  expect_error(nmf_fit(small_matrix(), 2, l1 = -1), "`l1`")
  expect_error(nmf_fit(small_matrix(), 2, l1 = c(W = 0, H = -1)), "`l1`")
})

test_that("l2 with wrong names is an error naming l2", {
  expect_error(nmf_fit(small_matrix(), 2, l2 = c(a = 1, b = 2)), "`l2`.*named")
  expect_error(nmf_fit(small_matrix(), 2, l2 = c(1, 2)), "`l2`.*named")
})

test_that("l1 of the wrong type or length is an error naming l1", {
  expect_error(nmf_fit(small_matrix(), 2, l1 = "a"), "`l1`")
  expect_error(nmf_fit(small_matrix(), 2, l1 = c(1, 2, 3)), "`l1`")
  expect_error(nmf_fit(small_matrix(), 2, l1 = NA), "`l1`")
})

# --- counts, flags, seed ----------------------------------------------------

test_that("restarts 0 is an error naming restarts", {
  expect_error(nmf_fit(small_matrix(), 2, restarts = 0), "`restarts`")
})

test_that("seed -1 is an error naming seed", {
  expect_error(nmf_fit(small_matrix(), 2, seed = -1), "`seed`")
  expect_error(nmf_fit(small_matrix(), 2, seed = 1.5), "`seed`")
  expect_error(nmf_fit(small_matrix(), 2, seed = "a"), "`seed`")
})

test_that("a seed beyond the integer range is an error naming seed", {
  expect_error(nmf_fit(small_matrix(), 2, seed = 3e9, threads = 1), "`seed`")
})

test_that("threads 0 is an error naming threads", {
  expect_error(nmf_fit(small_matrix(), 2, threads = 0), "`threads`")
  expect_error(nmf_fit(small_matrix(), 2, threads = 1.5), "`threads`")
})

test_that("a huge thread count is an error naming threads", {
  expect_error(nmf_fit(small_matrix(), 2, threads = 1e10), "`threads`")
})

test_that("verbose NA is an error naming verbose", {
  expect_error(nmf_fit(small_matrix(), 2, verbose = NA), "`verbose`")
  expect_error(nmf_fit(small_matrix(), 2, verbose = "yes"), "`verbose`")
})

# --- fixed factors ----------------------------------------------------------

test_that("fixed_W with the wrong number of rows is an error naming fixed_W", {
  expect_error(nmf_fit(small_matrix(30, 20), 2, fixed_W = matrix(1, 29, 1)),
               "`fixed_W` must have 30 rows")
})

test_that("fixed_W with too many columns is an error naming fixed_W", {
  expect_error(nmf_fit(small_matrix(30, 20), 2, fixed_W = matrix(1, 30, 3)),
               "`fixed_W` must have between 1 and rank = 2 columns")
})

test_that("negative fixed_W is an error naming fixed_W", {
  expect_error(nmf_fit(small_matrix(30, 20), 2, fixed_W = matrix(-1, 30, 1)),
               "`fixed_W`.*non-negative")
})

test_that("fixed_W that is not a numeric matrix is an error naming fixed_W", {
  expect_error(nmf_fit(small_matrix(30, 20), 2, fixed_W = 1:30), "`fixed_W`")
  expect_error(nmf_fit(small_matrix(30, 20), 2, fixed_W = matrix("a", 30, 1)), "`fixed_W`")
  expect_error(nmf_fit(small_matrix(30, 20), 2, fixed_W = matrix(NA_real_, 30, 1)),
               "`fixed_W`")
})

test_that("fixed_H with the wrong shape is an error naming fixed_H", {
  expect_error(nmf_fit(small_matrix(30, 20), 2, fixed_H = matrix(1, 1, 19)),
               "`fixed_H` must have any number of rows and 20 columns")
  expect_error(nmf_fit(small_matrix(30, 20), 2, fixed_H = matrix(1, 3, 20)), "`fixed_H`")
})

# --- the shared helpers directly --------------------------------------------

test_that("check_count() accepts whole numbers in range", {
  expect_silent(betanmf:::check_count(3, "k"))
  expect_silent(betanmf:::check_count(3L, "k", min = 3L, max = 3L))
  expect_error(betanmf:::check_count(Inf, "k"), "`k`")
  expect_error(betanmf:::check_count(TRUE, "k"), "`k`")
})

test_that("check_number() honours its bound", {
  expect_silent(betanmf:::check_number(0, "v", min = 0))
  expect_error(betanmf:::check_number(0, "v", min = 0, min_open = TRUE), "`v`.*> 0")
  expect_error(betanmf:::check_number(NaN, "v"), "`v`")
})

test_that("describe() says what was received", {
  expect_match(betanmf:::describe(NULL), "NULL")
  expect_match(betanmf:::describe(matrix(1, 2, 3)), "2 x 3 double matrix")
  expect_match(betanmf:::describe(Matrix::Matrix(0, 4, 5, sparse = TRUE)), "4 x 5 dgCMatrix")
  expect_match(betanmf:::describe("a"), "character value \"a\"")
  expect_match(betanmf:::describe(list(1, 2)), "list of length 2")
  expect_match(betanmf:::describe(data.frame(a = 1:3)), "data frame \\(3 x 1\\)")
})
