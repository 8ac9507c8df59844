# DelayedArray and HDF5Array inputs: read block by block into the two forms
# the core takes, a dgCMatrix or a double matrix, without ever holding a
# dense m x n copy of a sparse matrix.
#
# The blocks are column blocks of DelayedArray's automatic size
# (DelayedArray::getAutoBlockSize(), 100 MB by default), so that an
# HDF5-backed matrix is read in as few passes over its chunks as the block
# size allows. Each block is kept in the smaller of its two forms: sparse
# when at most a third of its entries are non-zero (a dgCMatrix stores 12
# bytes per non-zero against 8 per entry, so it then takes at most half the
# memory), dense otherwise. A matrix that declares itself sparse
# (DelayedArray::is_sparse(): a DelayedArray over a sparse matrix, an HDF5
# data set written with as.sparse = TRUE) is read as sparse blocks and
# returned as a dgCMatrix whatever its density. Any other matrix becomes a
# dgCMatrix when at most a third of all its entries are non-zero, a double
# matrix otherwise. Peak memory: the blocks and the result, about twice the
# result (12 bytes per non-zero twice for sparse data), plus one block.

# Density up to which blocks and results are kept sparse.
sparse_max_density <- function() 1 / 3

# x (a two-dimensional DelayedArray) as a dgCMatrix or a double matrix with
# its dimnames; `arg` names it in errors.
read_delayed <- function(x, arg = "x") {
  need_package("DelayedArray", sprintf("`%s` as a DelayedArray", arg))
  if (length(dim(x)) != 2L) {
    stop(sprintf("`%s` must be a matrix (two dimensions); got a DelayedArray with %d",
                 arg, length(dim(x))), call. = FALSE)
  }
  held <- pristine_seed(x)
  if (!is.null(held)) return(held)
  declared <- isTRUE(DelayedArray::is_sparse(x))
  grid <- DelayedArray::colAutoGrid(x)
  blocks <- vector("list", length(grid))
  nnz <- 0
  for (b in seq_along(grid)) {
    block <- DelayedArray::read_block(x, grid[[as.integer(b)]], as.sparse = declared)
    blocks[[b]] <- compact_block(block, declared)
    nnz <- nnz + block_nonzeros(blocks[[b]])
  }
  m <- nrow(x)
  n <- ncol(x)
  sparse <- declared || nnz <= sparse_max_density() * as.numeric(m) * n
  out <- if (sparse) bind_sparse_blocks(blocks, m, n) else bind_dense_blocks(blocks, m, n)
  dimnames(out) <- dimnames(x) %||% list(NULL, NULL)
  out
}

# The matrix a DelayedArray wraps without any delayed operation, when it is
# already one of the core's forms (or an integer or logical matrix): no
# block is read and a dgCMatrix is used as it is.
pristine_seed <- function(x) {
  if (!DelayedArray::isPristine(x)) return(NULL)
  s <- DelayedArray::seed(x)
  if (!(methods::is(s, "dgCMatrix") || (is.matrix(s) && (is.numeric(s) || is.logical(s))))) {
    return(NULL)
  }
  if (!identical(dim(s), dim(x))) return(NULL)
  if (!identical(dimnames(s), dimnames(x))) dimnames(s) <- dimnames(x)
  s
}

# One block in its smaller form: a dgCMatrix (declared sparse, or at most a
# third non-zero) or a double matrix.
compact_block <- function(block, declared) {
  if (declared || methods::is(block, "SparseArraySeed")) {
    return(methods::as(block, "dgCMatrix"))
  }
  block <- as.matrix(block)
  if (!is.double(block)) storage.mode(block) <- "double"
  if (block_nonzeros(block) <= sparse_max_density() * length(block)) {
    return(methods::as(methods::as(block, "CsparseMatrix"), "generalMatrix"))
  }
  dimnames(block) <- NULL
  block
}

block_nonzeros <- function(block) {
  if (methods::is(block, "sparseMatrix")) return(length(block@x))
  length(block) - sum(block == 0, na.rm = TRUE)  # NA counts: it is stored
}

# Column blocks (each a dgCMatrix or a double matrix) as one dgCMatrix,
# built from the slots so that no dense block of the result is formed.
bind_sparse_blocks <- function(blocks, m, n) {
  blocks <- lapply(blocks, function(b) {
    if (methods::is(b, "sparseMatrix")) methods::as(b, "dgCMatrix") else
      methods::as(methods::as(b, "CsparseMatrix"), "generalMatrix")
  })
  counts <- unlist(lapply(blocks, function(b) diff(b@p)), use.names = FALSE)
  i <- unlist(lapply(blocks, function(b) b@i), use.names = FALSE)
  x <- unlist(lapply(blocks, function(b) as.double(b@x)), use.names = FALSE)
  rm(blocks)
  methods::new("dgCMatrix", i = as.integer(i), p = c(0L, cumsum(as.integer(counts))),
               x = x, Dim = c(as.integer(m), as.integer(n)))
}

# Column blocks as one double matrix, freeing each block once copied.
bind_dense_blocks <- function(blocks, m, n) {
  out <- matrix(0, m, n)
  col <- 0L
  for (b in seq_along(blocks)) {
    k <- ncol(blocks[[b]])
    if (k) out[, col + seq_len(k)] <- as.matrix(blocks[[b]])
    col <- col + k
    blocks[b] <- list(NULL)
  }
  out
}
