// Optimal assignment (linear sum assignment) for a rectangular cost matrix.
//
// Problem. Given a cost matrix C (n_rows x n_cols), choose k = min(n_rows, n_cols)
// pairs (i, j) with every row and every column used at most once, so that the
// summed cost of the chosen pairs is minimal. When n_rows <= n_cols every row
// is matched; otherwise every column is matched and the surplus rows are not.
//
// Algorithm. The shortest augmenting path method with dual potentials of
// Jonker & Volgenant (1987, "A shortest augmenting path algorithm for dense
// and sparse linear assignment problems", Computing 38:325-340), in the
// rectangular form described by Crouse (2016, "On implementing 2D rectangular
// assignment algorithms", IEEE Trans. Aerospace and Electronic Systems
// 52:1679-1696, Algorithm 1). It refines the Hungarian method of Kuhn (1955,
// "The Hungarian method for the assignment problem", Naval Research Logistics
// Quarterly 2:83-97): rows are added one at a time; for each new row a
// Dijkstra search over reduced costs c(i, j) - u(i) - v(j) >= 0 finds the
// cheapest alternating path to a free column, the potentials u (rows) and v
// (columns) are updated so that the reduced costs stay non-negative and are
// zero on every matched pair, and the path is flipped. Each row costs
// O(n_rows * n_cols), hence O(n_rows^2 * n_cols) = O(r^3) in total.
//
// Exactness. Only comparisons, additions and subtractions of the costs are
// used, so ties and negative costs are handled exactly (with integer-valued
// costs every intermediate quantity is an integer). The reported total is
// recomputed from the original costs of the matched pairs.
#pragma once

#include <armadillo>

#include <cstddef>
#include <limits>
#include <stdexcept>
#include <vector>

namespace betanmf {

// Result of an assignment: `col_of_row[i]` is the column matched to row i
// (0-based), or -1 when row i is unmatched (only possible when n_rows >
// n_cols); `total` is the summed cost of the matched pairs.
struct Assignment {
  std::vector<long> col_of_row;
  double total = 0.0;
};

namespace detail {

// Solves the problem for an n x m cost with n <= m, given as a function of
// (row, column) through `row_costs(i)`, which returns a pointer to the m
// contiguous costs of row i. Returns the 0-based column of each row.
//
// Notation follows Crouse (2016): `dist[j]` is the length of the shortest
// alternating path (in reduced costs) from the new row to column j found so
// far, `pred[j]` the row from which column j was reached, `row_of_col[j]`
// the row currently matched to column j (-1 when free).
template <typename RowCosts>
[[nodiscard]] std::vector<long> shortest_augmenting_path(std::size_t n, std::size_t m,
                                                         RowCosts row_costs) {
  const double inf = std::numeric_limits<double>::infinity();
  std::vector<double> u(n, 0.0), v(m, 0.0), dist(m);
  std::vector<long> col_of_row(n, -1), row_of_col(m, -1), pred(m, -1);
  // Columns not yet reached by the current search are kept in the first
  // `n_open` slots of `open`; scanned columns are moved past them.
  std::vector<std::size_t> open(m);
  std::vector<std::size_t> scanned_rows;
  scanned_rows.reserve(n);

  for (std::size_t start = 0; start < n; ++start) {
    for (std::size_t j = 0; j < m; ++j) {
      dist[j] = inf;
      open[j] = j;
    }
    std::size_t n_open = m;
    scanned_rows.clear();

    double reach = 0.0; // length of the shortest path to the last scanned column
    std::size_t row = start;
    long sink = -1;
    while (sink < 0) {
      scanned_rows.push_back(row);
      const double *c = row_costs(row);
      const double base = reach - u[row];
      double best = inf;
      std::size_t best_slot = 0;
      for (std::size_t s = 0; s < n_open; ++s) {
        const std::size_t j = open[s];
        const double d = base + c[j] - v[j];
        if (d < dist[j]) {
          dist[j] = d;
          pred[j] = static_cast<long>(row);
        }
        // Among equally short paths, prefer a free column: the search ends.
        if (dist[j] < best || (dist[j] == best && row_of_col[j] < 0)) {
          best = dist[j];
          best_slot = s;
        }
      }
      if (best == inf) {
        // Cannot happen with finite costs; guards against an infinite loop.
        throw std::runtime_error("hungarian: no augmenting path (non-finite cost?)");
      }
      reach = best;
      const std::size_t col = open[best_slot];
      open[best_slot] = open[--n_open];
      open[n_open] = col; // scanned columns live in open[n_open, m)
      if (row_of_col[col] < 0) {
        sink = static_cast<long>(col);
      } else {
        row = static_cast<std::size_t>(row_of_col[col]);
      }
    }

    // Update the potentials so that reduced costs stay >= 0 and matched pairs
    // (including the new ones on the path) have reduced cost 0.
    u[start] += reach;
    for (std::size_t k = 1; k < scanned_rows.size(); ++k) {
      const std::size_t i = scanned_rows[k];
      u[i] += reach - dist[static_cast<std::size_t>(col_of_row[i])];
    }
    for (std::size_t s = n_open; s < m; ++s) {
      const std::size_t j = open[s];
      v[j] -= reach - dist[j];
    }

    // Flip the alternating path from the sink back to the new row.
    long col = sink;
    while (true) {
      const long i = pred[static_cast<std::size_t>(col)];
      row_of_col[static_cast<std::size_t>(col)] = i;
      const long previous = col_of_row[static_cast<std::size_t>(i)];
      col_of_row[static_cast<std::size_t>(i)] = col;
      if (static_cast<std::size_t>(i) == start) break;
      col = previous;
    }
  }
  return col_of_row;
}

}  // namespace detail

// Minimum-cost assignment for `cost` (n_rows x n_cols, any finite values).
// When n_rows > n_cols the problem is solved on the transpose, so every
// column is matched and n_rows - n_cols rows are left unmatched (-1).
// Throws std::invalid_argument on a non-finite cost. An empty matrix gives
// an empty (or all -1) assignment with total 0.
[[nodiscard]] inline Assignment hungarian(const arma::mat &cost) {
  if (!cost.is_finite())
    throw std::invalid_argument("hungarian: every cost must be finite");
  const std::size_t n_rows = cost.n_rows, n_cols = cost.n_cols;
  Assignment out;
  out.col_of_row.assign(n_rows, -1);
  if (n_rows == 0 || n_cols == 0) return out;

  if (n_rows <= n_cols) {
    // The search reads one row at a time; Armadillo is column-major, so a
    // transposed copy makes each row contiguous in memory.
    const arma::mat by_row = cost.t();
    out.col_of_row = detail::shortest_augmenting_path(
        n_rows, n_cols, [&by_row](std::size_t i) { return by_row.colptr(i); });
  } else {
    // Transposed problem: columns of `cost` play the rows, and are already
    // contiguous.
    const std::vector<long> row_of_col = detail::shortest_augmenting_path(
        n_cols, n_rows, [&cost](std::size_t j) { return cost.colptr(j); });
    for (std::size_t j = 0; j < n_cols; ++j) {
      out.col_of_row[static_cast<std::size_t>(row_of_col[j])] = static_cast<long>(j);
    }
  }
  for (std::size_t i = 0; i < n_rows; ++i) {
    if (out.col_of_row[i] >= 0) {
      out.total += cost(i, static_cast<std::size_t>(out.col_of_row[i]));
    }
  }
  return out;
}

}  // namespace betanmf
