# Set-up, demo and tests for betanmf on a Debian machine with R.
#   make demo   installs every dependency and the package, then fits a small
#               data set and prints its summary
#   make test   runs every test, R (testthat) and C++ (Catch2), and prints
#               the total as "N passed, N failed"
#   make test-slurm  starts a one-node Slurm cluster and checks that
#               parallel = "future" on it gives the sequential results
#   make test-asan   builds and runs the C++ tests under AddressSanitizer
#               and UndefinedBehaviorSanitizer (tests/cpp/build-asan)
#   make fuzz   10,000 randomized calls of the API (tools/fuzz.R); reports
#               crashes, hangs, unnamed errors, non-finite results and
#               objective increases
#   make valgrind  a set of R fits under valgrind's memcheck (tools/valgrind.R)
# `make deps` and `make test-slurm` need root (apt-get, daemons); the other
# targets do not.

R ?= R
RSCRIPT ?= Rscript
APT_PACKAGES = r-base-dev r-cran-rcpp r-cran-rcpparmadillo r-cran-matrix \
  r-cran-testthat r-cran-withr r-cran-clue r-cran-future r-cran-future.apply \
  r-cran-roxygen2 r-cran-pkgbuild r-bioc-summarizedexperiment r-cran-knitr r-cran-rmarkdown \
  r-bioc-mutationalpatterns r-bioc-singlecellexperiment r-bioc-delayedarray \
  r-bioc-hdf5array r-cran-ggplot2 r-cran-generics r-cran-cli r-cran-progressr \
  r-cran-parallelly pandoc qpdf catch2 libarmadillo-dev cmake make g++
BENCH_PACKAGES = r-cran-rcppml r-cran-nmf python3-sklearn python3-threadpoolctl \
  r-cran-rcppparallel r-cran-uwot r-cran-cowplot r-cran-ggrepel r-cran-plotly \
  r-cran-quadprog r-cran-pbapply r-cran-progress

.PHONY: deps bench-deps install demo test test-slurm test-r test-cpp test-asan fuzz valgrind document check bench clean

deps:
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(APT_PACKAGES)

bench-deps: deps
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(BENCH_PACKAGES)
	$(RSCRIPT) -e 'if (!requireNamespace("fastTopics", quietly = TRUE)) install.packages("fastTopics", repos = "https://cloud.r-project.org")'


install:
	$(R) CMD INSTALL --preclean --no-multiarch .

demo: deps install
	$(RSCRIPT) -e 'library(betanmf); set.seed(1); W <- matrix(runif(300 * 4), 300); H <- matrix(runif(4 * 200), 4); X <- W %*% H + matrix(runif(300 * 200, 0, 0.05), 300); fit <- nmf_fit(X, rank = 4); print(summary(fit))'

test: install
	bash tools/test-all.sh

test-slurm: install
	bash tools/test-slurm.sh

# Sanitizers report to stderr and make the run fail; halt_on_error keeps the
# first report readable. OpenMP's runtime is not instrumented: its threads
# are left out of leak checks.
test-asan:
	cmake -S tests/cpp -B tests/cpp/build-asan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBETANMF_SANITIZE=ON > /dev/null
	cmake --build tests/cpp/build-asan -j 2 > /dev/null
	ASAN_OPTIONS=detect_leaks=0:halt_on_error=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
	  tests/cpp/build-asan/betanmf_tests

fuzz: install
	$(RSCRIPT) tools/fuzz.R 10000 1

valgrind: install
	$(R) -d "valgrind --error-exitcode=1 --leak-check=no --track-origins=no -q" --vanilla -f tools/valgrind.R

document:
	$(RSCRIPT) -e 'Rcpp::compileAttributes(); roxygen2::roxygenise()'

check:
	rm -rf build && mkdir -p build && cd build && $(R) CMD build .. && \
	  _R_CHECK_FORCE_SUGGESTS_=false _R_CHECK_CRAN_INCOMING_REMOTE_=false $(R) CMD check --as-cran --no-manual betanmf_*.tar.gz

bench: install
	$(RSCRIPT) bench/bench_bcd.R 1
	$(RSCRIPT) bench/bench_beta.R 1
	$(RSCRIPT) bench/bench_mask.R 1
	$(RSCRIPT) bench/bench_cv.R 1
	$(RSCRIPT) bench/bench_hungarian.R
	$(RSCRIPT) bench/bench_consensus_memory.R 2

clean:
	rm -rf build tests/cpp/build tests/cpp/build-asan src/*.o src/*.so betanmf.Rcheck
