# Which restarts of nmf_consensus() enter the consensus.
#
# A restart that ends in a poor local minimum has components that the good
# restarts do not share (on sparse spike counts at the planted rank, one
# restart in ten ends 5% above the best loss with a component whose best
# match has cosine 0.4), and the median and the stability would report its
# failure to converge as instability of the data's components. Such
# restarts are set aside by their final loss alone, as MuSiCal (Jin et al.
# 2024) filters its NMF replicates by their reconstruction error before
# clustering them; cNMF (Kotliar et al. 2019) instead drops single
# components far from their nearest neighbours. The components themselves
# are not used to choose: choosing restarts by how well their components
# match would select for stability, and the stability of the kept restarts
# would no longer say how reproducible the components are.
#
# Rule: restart k is set aside when its loss is both
#   * more than `loss_tol` (relative) above the best loss, and
#   * an outlier among the losses: above median + 3 * 1.4826 * MAD,
# so that an even spread of losses (a rank too large for the data, where
# every restart fits the noise differently, or data fitted almost exactly,
# where relative differences are large) sets nothing aside. The restart of
# lowest loss is always kept.

# Returns list(kept, set_aside, excess): indices into `losses` and the
# relative excess of each loss over the best.
consensus_keep <- function(losses, loss_tol) {
  best <- min(losses)
  excess <- (losses - best) / max(abs(best), .Machine$double.xmin)
  spread <- 1.4826 * stats::mad(losses, constant = 1)
  outlier <- losses > stats::median(losses) + 3 * spread
  aside <- which(excess > loss_tol & outlier)
  list(kept = setdiff(seq_along(losses), aside), set_aside = aside, excess = excess)
}

# The consensus of the kept restarts (consensus_W() on them), with the
# indices, the order of every restart's components (set-aside ones aligned
# to the best restart too, for keep_fits) and `best` as indices into all
# restarts.
consensus_from_kept <- function(Ws, losses, loss_tol) {
  sel <- consensus_keep(losses, loss_tol)
  cons <- consensus_W(Ws[sel$kept], losses[sel$kept])
  best <- sel$kept[cons$best]
  orders <- vector("list", length(Ws))
  orders[sel$kept] <- cons$orders
  for (k in sel$set_aside) orders[[k]] <- align_components(Ws[[k]], Ws[[best]])$order
  cons$orders <- orders
  cons$best <- best
  cons$losses <- losses
  cons$kept <- sel$kept
  cons$set_aside <- sel$set_aside
  cons$excess <- sel$excess
  cons$loss_tol <- loss_tol
  cons
}
