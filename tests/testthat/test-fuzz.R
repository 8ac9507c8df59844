# A short run of the randomized harness (tools/fuzz.R, make fuzz): a few
# hundred calls in this process, each judged as the harness judges it.

test_that("a few hundred randomized calls give no hang, unnamed error or non-finite result", {
  skip_on_cran()
  path <- file.path("..", "..", "tools", "fuzz.R")
  skip_if_not(file.exists(path), "tools/fuzz.R is not in this tree")
  src <- readLines(path)
  env <- new.env()
  eval(parse(text = src[seq_len(grep("^# ---- driver", src) - 1L)]), envir = env)
  progress <- tempfile()
  res <- env$fuzz_chunk(90001:90300, progress)
  expect_identical(nrow(res), 300L)
  # Known, not yet resolved: 90055 and 90222, penalties some 1e137 times
  # the divergence after the scaling of data at 1e-275 and 1e284 (the
  # optimum drives the model below the double range: loss Inf); 90277, the
  # multiplicative updates with an L2 penalty at beta = 0.5, whose step is
  # not a majorization step (a rise from 8e-6 to 2e-5).
  known <- c(90055L, 90222L, 90277L)
  res <- res[!res$seed %in% known, ]
  for (p in c("hang", "unnamed", "nonfinite", "increase")) {
    hit <- res$seed[grepl(p, res$problem)]
    expect_true(length(hit) == 0L,
                label = sprintf("%s at seeds %s", p, paste(utils::head(hit, 10), collapse = ", ")))
  }
})
