// betanmf: non-negative matrix factorization under the beta-divergence.
// Header-only C++17 core over Armadillo; no R headers. Umbrella header.
#pragma once

#include "config.hpp"
#include "divergence.hpp"
#include "fit.hpp"
#include "init.hpp"
#include "kernels.hpp"
#include "matrix.hpp"
#include "monitor.hpp"
#include "products.hpp"
#include "rng.hpp"
#include "vmath.hpp"
#include "gather.hpp"
#include "solvers/bcd.hpp"
#include "solvers/cd.hpp"
#include "solvers/mu.hpp"
#include "solvers/mu_blocked.hpp"
#include "solvers/mu_columns.hpp"
#include "solvers/mu_terms.hpp"
#include "solvers/progress.hpp"
#include "weights.hpp"
