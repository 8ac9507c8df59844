// The R side of the core's Monitor: progress through message() and an R
// callback (the progress bar of R/progress.R), interrupts
// through R_CheckUserInterrupt run inside R_ToplevelExec (so a pending
// Ctrl-C is caught here instead of jumping over C++ frames). Called by the
// solvers between iterations on the main thread only.
#pragma once

#include <RcppArmadillo.h>
#include <betanmf/monitor.hpp>

#include <cstdio>

class RMonitor final : public betanmf::Monitor {
public:
  // `progress`: NULL or an R function(iter, loss, seconds) called at most
  // every 0.2 s of the fit (R/progress.R draws the progress bar with it).
  RMonitor(bool verbose, int every, SEXP progress = R_NilValue)
      : verbose_(verbose), every_(every < 1 ? 1 : every), progress_(progress) {}

  void iteration(int iter, double loss, double seconds) override {
    if (verbose_ && iter % every_ == 0) {
      char buf[160];
      std::snprintf(buf, sizeof buf, "iteration %5d  loss %.8g  (%.2f s)", iter, loss,
                    seconds);
      Rcpp::Function msg("message");
      msg(buf);
    }
    if (progress_ != R_NilValue && !stopped_ && seconds >= next_report_) {
      next_report_ = seconds + 0.2;
      Report r{progress_, iter, loss, seconds};
      // an interrupt (or an error) inside the callback stops the fit
      // like a Ctrl-C between iterations, without a jump over C++ frames
      if (R_ToplevelExec(call_report, &r) == FALSE) stopped_ = true;
    }
  }

  bool interrupted() override {
    if (stopped_) return true;
    stopped_ = R_ToplevelExec(check_interrupt, nullptr) == FALSE;
    return stopped_;
  }

  [[nodiscard]] bool was_interrupted() const { return stopped_; }

private:
  struct Report {
    SEXP fn;
    int iter;
    double loss, seconds;
  };
  static void check_interrupt(void * /*unused*/) { R_CheckUserInterrupt(); }
  static void call_report(void *data) {
    const Report *r = static_cast<const Report *>(data);
    SEXP iter = PROTECT(Rf_ScalarInteger(r->iter));
    SEXP loss = PROTECT(Rf_ScalarReal(r->loss));
    SEXP secs = PROTECT(Rf_ScalarReal(r->seconds));
    SEXP call = PROTECT(Rf_lang4(r->fn, iter, loss, secs));
    Rf_eval(call, R_GlobalEnv);
    UNPROTECT(4);
  }
  bool verbose_;
  int every_;
  SEXP progress_;  // protected by the settings list it comes from
  double next_report_ = 0.0;
  bool stopped_ = false;
};
