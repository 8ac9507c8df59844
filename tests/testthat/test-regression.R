# The results of a fixed set of calls (helper-regression.R) equal the ones
# kept in fixtures/regression.rds: bit for bit on a processor that runs the
# same kernel copies as the one that wrote the fixture, to 1e-9 otherwise.
# A change meant to alter the numerical behaviour rewrites the fixture
# (tools/make-regression-fixture.R) and says why in its commit.

test_that("the fixed calls reproduce the kept results", {
  skip_on_cran()
  kept <- readRDS(test_path("fixtures", "regression.rds"))
  now <- regression_cases()
  expect_setequal(names(now), names(kept$cases))
  exact <- isTRUE(kept$cpu == regression_cpu())
  for (nm in names(kept$cases)) {
    if (exact) {
      expect_identical(now[[nm]], kept$cases[[nm]], label = nm)
    } else {
      expect_equal(now[[nm]], kept$cases[[nm]], tolerance = 1e-9, label = nm)
    }
  }
})
