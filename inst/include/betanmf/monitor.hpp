// The small interface through which a host (R, a CLI, a test) hears about
// progress and asks a fit to stop. The core never prints and never polls
// anything itself: solvers call the monitor between iterations, on the main
// thread only, never inside a parallel region.
#pragma once

namespace betanmf {

class Monitor {
public:
  virtual ~Monitor() = default;
  // Called after each outer iteration with the objective and the seconds
  // elapsed since the fit started.
  virtual void iteration(int /*iter*/, double /*loss*/, double /*seconds*/) {}
  // True when the user asked to stop (for R: Ctrl-C). Polled between iterations.
  [[nodiscard]] virtual bool interrupted() { return false; }
};

// A monitor that says nothing and never interrupts.
class SilentMonitor final : public Monitor {};

}  // namespace betanmf
