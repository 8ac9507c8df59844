#!/usr/bin/env bash
# Runs the R tests (testthat, on the installed package) and the C++ tests
# (Catch2, built with CMake), then prints the total on its own last line:
# "N passed, N failed". Exits non-zero when any test fails or cannot run.
set -u
cd "$(dirname "$0")/.."
r_passed=0; r_failed=0; cpp_passed=0; cpp_failed=0

# --- R -----------------------------------------------------------------
r_out=$(mktemp)
Rscript tools/test-r.R 2>&1 | tee "$r_out"
r_line=$(grep -E '^R tests: [0-9]+ passed, [0-9]+ failed' "$r_out" | tail -n 1)
if [ -n "$r_line" ]; then
  r_passed=$(echo "$r_line" | sed -E 's/^R tests: ([0-9]+) passed.*/\1/')
  r_failed=$(echo "$r_line" | sed -E 's/.* ([0-9]+) failed.*/\1/')
else
  echo "R tests did not run to completion"
  r_failed=1
fi

# --- C++ ---------------------------------------------------------------
build=tests/cpp/build
cpp_out=$(mktemp)
if cmake -S tests/cpp -B "$build" -DCMAKE_BUILD_TYPE=Release > "$cpp_out" 2>&1 &&
   cmake --build "$build" -j 2 >> "$cpp_out" 2>&1; then
  "$build"/betanmf_tests 2>&1 | tee -a "$cpp_out"
  # Catch2 v2 prints "All tests passed (A assertions in N test cases)" or
  # "test cases: N | P passed | F failed".
  if grep -qE '^All tests passed' "$cpp_out"; then
    cpp_passed=$(grep -E '^All tests passed' "$cpp_out" | sed -E 's/.* in ([0-9]+) test case.*/\1/')
  else
    line=$(grep -E '^test cases:' "$cpp_out" | tail -n 1)
    cpp_passed=$(echo "$line" | sed -nE 's/.*\| *([0-9]+) passed.*/\1/p')
    cpp_failed=$(echo "$line" | sed -nE 's/.*\| *([0-9]+) failed.*/\1/p')
    cpp_passed=${cpp_passed:-0}
    cpp_failed=${cpp_failed:-1}
  fi
else
  cat "$cpp_out"
  echo "C++ tests failed to build"
  cpp_failed=1
fi
echo "C++ tests: $cpp_passed passed, $cpp_failed failed"

passed=$((r_passed + cpp_passed))
failed=$((r_failed + cpp_failed))
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
