// The time of the two products of the core with the data, for benchmarks:
// cross_w = W^T X (r x n) from Wt (r x m), cross_h = H X^T (r x m).
#include "r_data.h"

#include <RcppArmadillo.h>
#include <betanmf/products.hpp>

#include <algorithm>
#include <chrono>
#include <vector>

// Seconds for one evaluation of both products W^T X and H X^T, the median
// of `reps` (the views of x are built once, outside the timing).
// [[Rcpp::export(rng = false)]]
double cpp_product_seconds(SEXP x, const arma::mat &W, const arma::mat &H, int threads,
                           int reps) {
  const arma::mat Wt = W.t();
  std::vector<double> secs;
  with_data(x, [&](const auto &X) {
    arma::mat a, b;
    for (int k = 0; k < reps; ++k) {
      const auto t0 = std::chrono::steady_clock::now();
      betanmf::cross_w(X, Wt, a, threads);
      betanmf::cross_h(X, H, b, threads);
      secs.push_back(
          std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    }
    return 0;
  });
  std::sort(secs.begin(), secs.end());
  return secs[secs.size() / 2];
}
