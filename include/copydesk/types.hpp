// Shared vocabulary types used across the pipeline stages.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace copydesk {

using hash64 = std::uint64_t;    ///< a 64-bit hash value (token, shingle)
using doc_index = std::uint32_t; ///< position of a document in a corpus (sorted by id)

/// A pair of documents (a < b by index) with a score in [0,1].
struct scored_pair {
  doc_index a = 0;
  doc_index b = 0;
  double score = 0.0;
};

/// A similarity estimate with ~95% bounds, all in [0,1].
struct similarity {
  double estimate = 0.0;
  double lower = 0.0;
  double upper = 0.0;
};

/// Byte span [begin, end) into a text.
struct byte_span {
  std::uint32_t begin = 0;
  std::uint32_t end = 0;
};

/// Severity of a non-fatal problem.
enum class severity : std::uint8_t { warning, error };

/// A non-fatal problem found while reading or processing (skipped binary file, bad line, ...).
struct diagnostic {
  severity level = severity::warning;
  std::string origin;  ///< file (and line) at fault, e.g. "news.jsonl:17"
  std::string message; ///< what happened
};

/// Sink for non-fatal problems; the caller decides what to print. Not thread-safe.
class diagnostics {
public:
  void warn(std::string origin, std::string message) {
    items_.push_back({severity::warning, std::move(origin), std::move(message)});
  }
  void fail(std::string origin, std::string message) {
    items_.push_back({severity::error, std::move(origin), std::move(message)});
  }
  [[nodiscard]] const std::vector<diagnostic>& items() const noexcept { return items_; }
  [[nodiscard]] bool empty() const noexcept { return items_.empty(); }

private:
  std::vector<diagnostic> items_;
};

} // namespace copydesk
