// Progress display of long runs on standard error: one line per stage, redrawn at most ten times
// a second, with a bar, rate and ETA where the stage's size is known. Only when standard error is
// a terminal and --quiet was not given; standard output never sees it.
#pragma once

#include <copydesk/progress.hpp>

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace copydesk::cli {

class progress_display {
public:
  /// @param enabled false for --quiet; the display is also off when stderr is not a terminal.
  /// @param input_bytes size of the inputs when known (0: unknown, e.g. standard input).
  progress_display(bool enabled, std::uint64_t input_bytes);
  progress_display(const progress_display&) = delete;
  progress_display& operator=(const progress_display&) = delete;

  [[nodiscard]] bool active() const noexcept { return active_; }
  /// Shows one event (call from one thread).
  void update(const progress_event& e);
  /// A stage of the CLI itself (writing files): prints "label  detail" as a finished stage line.
  void note(const std::string& label, const std::string& detail);
  /// The pipeline's callback, bound to this display (empty when inactive).
  [[nodiscard]] progress_fn callback();

private:
  using clock = std::chrono::steady_clock;
  void draw(const progress_event& e, bool final_line);
  bool active_ = false;
  std::uint64_t input_bytes_ = 0;
  std::string stage_;
  clock::time_point stage_start_;
  clock::time_point last_draw_;
};

/// Total size in bytes of the regular files named by the inputs (directories recursively);
/// 0 when it cannot be known (standard input).
[[nodiscard]] std::uint64_t input_size(const std::vector<std::string>& inputs);

/// "35.9 MB", "812 kB", "17 B".
[[nodiscard]] std::string human_bytes(double bytes);

} // namespace copydesk::cli
