# Writes tests/testthat/fixtures/regression.rds: the results of the fixed
# calls of tests/testthat/helper-regression.R with the installed package,
# and whether this processor ran the AVX2 copies of the kernels (results
# may differ in the last bits between processors with and without them).
# Run from the root of the repository after a change that is meant to alter
# the numerical behaviour, and say in the commit which results changed and
# why:  Rscript tools/make-regression-fixture.R
suppressPackageStartupMessages(library(betanmf))
source("tests/testthat/helper-regression.R")
cases <- regression_cases()
saveRDS(list(cpu = regression_cpu(), cases = cases),
        "tests/testthat/fixtures/regression.rds", version = 2)
message(sprintf("wrote %d cases to tests/testthat/fixtures/regression.rds", length(cases)))
