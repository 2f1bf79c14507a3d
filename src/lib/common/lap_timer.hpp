// Wall-clock seconds per stage, for the stats a run reports (never part of its results).
#pragma once

#include <chrono>

namespace copydesk::detail {

class lap_timer {
public:
  /// Seconds since construction or since the previous lap.
  double lap() noexcept {
    const auto now = clock::now();
    const double s = std::chrono::duration<double>(now - mark_).count();
    mark_ = now;
    return s;
  }

private:
  using clock = std::chrono::steady_clock;
  clock::time_point mark_ = clock::now();
};

} // namespace copydesk::detail
