# Runs the testthat suite against the installed package and prints
# "R tests: N passed, N failed, N skipped" (counted by test_that() block).
library(testthat)
# the full suite, slow property checks included (they skip only on CRAN)
Sys.setenv(NOT_CRAN = "true")
res <- testthat::test_dir("tests/testthat", package = "betanmf",
                          load_package = "installed", reporter = "summary",
                          stop_on_failure = FALSE)
df <- as.data.frame(res)
failed <- sum(df$failed > 0 | df$error)
skipped <- sum(df$skipped & !(df$failed > 0 | df$error))
passed <- nrow(df) - failed - skipped
cat(sprintf("R tests: %d passed, %d failed, %d skipped\n", passed, failed, skipped))
