// Shared vocabulary types used across the pipeline stages.
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
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

/// Two documents (a < b by index) proposed for exact verification; ordered by (a, b).
struct candidate_pair {
  doc_index a = 0;
  doc_index b = 0;
  // NOLINTNEXTLINE(modernize-use-nullptr): clang-tidy 14 flags the 0 a defaulted <=> compares to
  friend auto operator<=>(const candidate_pair&, const candidate_pair&) = default;
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

/// Where a document came from (filled by the readers of io.hpp).
struct origin {
  std::uint32_t source = 0; ///< index of the input source (file) in the reader
  std::uint64_t line = 0;   ///< 1-based JSONL line; 0 for a whole file
  std::uint64_t offset = 0; ///< byte offset of the record in its file (stdin: in its spool)
  std::uint64_t length = 0; ///< record length in bytes (without the newline)

  /// Bytes of input the record took: the record (or file) and, for JSONL, its newline.
  [[nodiscard]] std::uint64_t consumed() const noexcept { return length + (line != 0 ? 1 : 0); }
};

/// One input document. Text is valid UTF-8: invalid sequences were replaced by U+FFFD.
struct document {
  std::string id;
  std::string text;
  origin where;
  std::uint32_t invalid_utf8 = 0; ///< number of invalid UTF-8 sequences replaced
  std::string error;              ///< non-empty when the document could not be used (text empty)
  /// Values of read_options::meta_fields, in that order (empty optional: missing or null).
  std::vector<std::optional<std::string>> meta;
  std::uint32_t boilerplate_blocks = 0; ///< furniture blocks removed (--strip-boilerplate)
  std::uint32_t boilerplate_bytes = 0;  ///< bytes of text they held (now spaces)
};

/// What every command reports about each input document.
struct doc_info {
  // Filled by the reader (id, where, invalid_utf8, error) and by the stage that tokenizes.
  std::string id;
  origin where;
  std::uint32_t tokens = 0;
  std::uint32_t invalid_utf8 = 0;
  std::string error; ///< non-empty: document not used (binary, unreadable, malformed record)
  std::uint32_t boilerplate_blocks = 0; ///< furniture blocks removed (--strip-boilerplate)
  std::uint32_t boilerplate_bytes = 0;  ///< bytes of text they held (now spaces)
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
