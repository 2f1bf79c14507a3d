// Progress of long runs, for a display the caller owns (the library never prints). Every stage
// entry point that reads a corpus takes an optional progress_fn and calls it from the thread
// that called the entry point, never from worker threads.
#pragma once

#include <cstdint>
#include <functional>
#include <string_view>

namespace copydesk {

/// Where a long run is.
struct progress_event {
  std::string_view stage;  ///< e.g. "read", "sketch", "verify", "stories", "borrow"
  std::uint64_t done = 0;  ///< units done in this stage
  std::uint64_t total = 0; ///< units in the stage; 0 when unknown
  std::string_view unit;   ///< what done/total count: "bytes", "documents", "pairs", "steps"
  bool finished = false;   ///< the stage is over
};

/// Called from the thread that runs the stage (never concurrently).
using progress_fn = std::function<void(const progress_event&)>;

/// Calls `progress` if it is set.
inline void report_progress(const progress_fn& progress, std::string_view stage, std::uint64_t done,
                            std::uint64_t total, std::string_view unit, bool finished = false) {
  if (progress)
    progress(progress_event{stage, done, total, unit, finished});
}

} // namespace copydesk
