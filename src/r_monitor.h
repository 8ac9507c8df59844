// The R side of the core's Monitor: progress through message(), interrupts
// through R_CheckUserInterrupt run inside R_ToplevelExec (so a pending
// Ctrl-C is caught here instead of jumping over C++ frames). Called by the
// solvers between iterations on the main thread only.
#pragma once

#include <RcppArmadillo.h>
#include <betanmf/monitor.hpp>

#include <cstdio>

class RMonitor final : public betanmf::Monitor {
public:
  RMonitor(bool verbose, int every) : verbose_(verbose), every_(every < 1 ? 1 : every) {}

  void iteration(int iter, double loss, double seconds) override {
    if (!verbose_ || iter % every_ != 0) return;
    char buf[160];
    std::snprintf(buf, sizeof buf, "iteration %5d  loss %.8g  (%.2f s)", iter, loss,
                  seconds);
    Rcpp::Function msg("message");
    msg(buf);
  }

  bool interrupted() override {
    if (stopped_) return true;
    stopped_ = R_ToplevelExec(check_interrupt, nullptr) == FALSE;
    return stopped_;
  }

  [[nodiscard]] bool was_interrupted() const { return stopped_; }

private:
  static void check_interrupt(void * /*unused*/) { R_CheckUserInterrupt(); }
  bool verbose_;
  int every_;
  bool stopped_ = false;
};
