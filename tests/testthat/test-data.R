# The shipped data sets: shapes, and the mapping of the breast21 contexts to
# the public file and to the COSMIC catalog.

# "A[C>A]A" (MutationalPatterns) -> "C>A:ACA" (the public file)
to_tsv_name <- function(x) {
  paste0(substr(x, 3, 5), ":", substr(x, 1, 1), substr(x, 3, 3), substr(x, 7, 7))
}

test_that("breast21 is a 96 x 21 integer matrix of contexts by samples", {
  expect_true(is.matrix(breast21) && is.integer(breast21))
  expect_identical(dim(breast21), c(96L, 21L))
  expect_false(anyDuplicated(rownames(breast21)) > 0)
  expect_match(rownames(breast21), "^[ACGT]\\[C>[AGT]\\]|^[ACGT]\\[T>[ACG]\\]")
  expect_identical(colnames(breast21)[c(1, 21)], c("PD3851a", "PD4248a"))
  expect_true(all(breast21 >= 0))
  # 16 contexts per substitution class, in the COSMIC order
  expect_identical(rle(substr(rownames(breast21), 3, 5))$values,
                   c("C>A", "C>G", "C>T", "T>A", "T>C", "T>G"))
  expect_identical(rle(substr(rownames(breast21), 3, 5))$lengths, rep(16L, 6))
  expect_identical(rownames(breast21)[1:5], c("A[C>A]A", "A[C>A]C", "A[C>A]G", "A[C>A]T",
                                               "C[C>A]A"))
  expect_identical(rownames(breast21)[96], "T[T>G]T")
})

test_that("breast21 equals the public counts under the context mapping", {
  file <- test_path("..", "..", "..", "shared", "data", "breast21", "breast21_sbs96.tsv")
  skip_if_not(file.exists(file), "shared data not available")
  tsv <- as.matrix(utils::read.delim(file, row.names = 1, check.names = FALSE))
  expect_identical(sum(breast21), as.integer(sum(tsv)))
  expect_true(all(to_tsv_name(rownames(breast21)) %in% colnames(tsv)))
  expect_equal(unname(breast21), unname(t(tsv[, to_tsv_name(rownames(breast21))])))
  expect_identical(colnames(breast21), rownames(tsv))
})

test_that("breast21 rows follow the rows of the COSMIC v3.2 catalog", {
  skip_if_not_installed("MutationalPatterns")
  file <- system.file("extdata", "signatures", "snv_COSMIC_v3.2_reference_GRCh37.txt",
                      package = "MutationalPatterns")
  skip_if(file == "", "COSMIC file not found in MutationalPatterns")
  ref <- utils::read.delim(file)
  expect_identical(to_tsv_name(rownames(breast21)), paste0(ref$Type, ":", ref$Subtype))
  cosmic <- MutationalPatterns::get_known_signatures()
  expect_identical(nrow(cosmic), 96L)
  expect_equal(unname(cosmic[, "SBS1"]), ref$SBS1)
})
