// The dedup settings as command-line options, shared by `copydesk dedup` and `copydesk report`
// so both spell and check them the same way.
#pragma once

#include <CLI/CLI.hpp>

#include <copydesk/dedup.hpp>

#include <cstdint>

namespace copydesk::cli {

/// What the dedup options hold; dedup_config() turns them into the library's settings.
struct dedup_options {
  double threshold = defaults::jaccard_threshold;
  double containment = defaults::containment;
  bool no_containment = false;
  std::uint32_t shingle = defaults::shingle_width;
  bool chars = false;
  std::uint32_t num_perm = defaults::num_perm;
  std::uint32_t bands = 0;
  std::uint32_t rows = 0;
  std::uint32_t window = defaults::winnow_window;
  std::uint32_t max_df = defaults::fingerprint_max_df;

  /// The settings for the library (validated there, by dedup_config::validate).
  [[nodiscard]] copydesk::dedup_config config(unsigned threads) const;
};

/// Adds -t/--threshold, -c/--containment, --no-containment, -k/--shingle, --chars, --num-perm,
/// --bands, --rows, --window and --max-df to `app`, in a "Dedup" group. `threshold_alias` is an
/// extra long name for -t (report keeps its old --jaccard), or empty.
void add_dedup_options(CLI::App& app, dedup_options& o, const std::string& threshold_alias = "");

} // namespace copydesk::cli
