// Reading stage: turns command-line inputs (directories, plain files, .jsonl files, "-" for JSONL
// on stdin) into documents {id, text, origin}, streamed in batches so a corpus never has to sit
// in memory as text. Each document remembers where it came from, so later stages can read its
// text (or its JSONL record) again.
#pragma once

#include <copydesk/error.hpp>
#include <copydesk/progress.hpp>
#include <copydesk/types.hpp>

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace copydesk {

/// Where a document came from.
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
};

/// What every command reports about each input document.
struct doc_info {
  // Filled by the reader (id, where, invalid_utf8, error) and by the stage that tokenizes.
  std::string id;
  origin where;
  std::uint32_t tokens = 0;
  std::uint32_t invalid_utf8 = 0;
  std::string error; ///< non-empty: document not used (binary, unreadable, malformed record)
};

/// How inputs are read.
struct read_options {
  std::string id_field = "id";     ///< JSONL key holding the document id
  std::string text_field = "text"; ///< JSONL key holding the document text
  bool skip_bad = false;           ///< malformed JSONL lines become counted warnings, not errors
  std::size_t batch_bytes = std::size_t{4} << 20; ///< text bytes per batch (approximate)
  /// Bytes read per refill of the JSONL stream buffer, >= 1 (small values exercise records that
  /// span refills, in tests and fuzzing).
  std::size_t read_chunk_bytes = std::size_t{8} << 20;
};

/// Streams documents from the inputs, in input order (directories sorted by relative path).
/// Duplicate ids are detected as documents are read.
class corpus_reader {
public:
  /// Checks that every input exists and expands directories.
  /// @return errc::not_found for a missing path, errc::io_error for an unreadable one,
  ///         errc::invalid_argument for an empty input list or "-" given twice.
  [[nodiscard]] static result<corpus_reader> open(const std::vector<std::string>& inputs,
                                                  read_options options = {});
  /// One JSONL source held in memory (copied), read by the same code as a .jsonl file; `name`
  /// stands for its path in messages and in the ids of records without one.
  [[nodiscard]] static result<corpus_reader>
  open_jsonl_bytes(std::string name, std::string_view bytes, read_options options = {});
  corpus_reader(corpus_reader&&) noexcept;
  corpus_reader& operator=(corpus_reader&&) noexcept;
  ~corpus_reader();

  /// Next batch of documents (empty at the end of the corpus). Non-fatal problems (binary files,
  /// skipped lines) go to `diag` and still produce a document carrying `error`.
  /// @return errc::invalid_input for a malformed JSONL line (unless skip_bad),
  ///         errc::duplicate_id naming both origins, errc::io_error on read failure.
  [[nodiscard]] result<std::vector<document>> next_batch(diagnostics& diag);

  /// Reads a document's text again from its origin (stdin records come from a spool file).
  [[nodiscard]] result<std::string> reread_text(const origin& where) const;
  /// The raw JSONL record of a document read from JSONL (empty string for whole files).
  [[nodiscard]] result<std::string> reread_record(const origin& where) const;

  /// "path" or "path:line", for messages and reports.
  [[nodiscard]] std::string describe(const origin& where) const;
  /// True if the document came from a JSONL record.
  [[nodiscard]] bool is_jsonl(const origin& where) const;
  /// Documents produced so far.
  [[nodiscard]] std::size_t documents_read() const noexcept;
  [[nodiscard]] const read_options& options() const noexcept;

private:
  struct impl;
  explicit corpus_reader(std::unique_ptr<impl> p);
  std::unique_ptr<impl> impl_;
};

/// Reads every document into memory (small corpora, tests, and `report`, which keeps the texts).
/// @param progress stage "read" (bytes of input consumed).
[[nodiscard]] result<std::vector<document>> read_all(corpus_reader& reader, diagnostics& diag,
                                                     const progress_fn& progress = {});

/// Documents already in memory, served the way corpus_reader serves files: copies in batches of
/// about batch_bytes of text (so a stage holds one batch of copies, not a second corpus), and a
/// document's text again by id. The documents must outlive it.
class memory_corpus {
public:
  /// errc::duplicate_id when two documents share an id.
  [[nodiscard]] static result<memory_corpus> index(std::span<const document> docs,
                                                   std::size_t batch_bytes = std::size_t{4} << 20);
  /// The next batch of copies; empty at the end.
  [[nodiscard]] std::vector<document> next_batch();
  /// Text of the document with this id (which must be one of them).
  [[nodiscard]] const std::string& text(const std::string& id) const;

private:
  std::span<const document> docs_;
  std::size_t batch_bytes_ = 0;
  std::size_t at_ = 0;
  std::unordered_map<std::string_view, std::size_t> by_id_;
};

} // namespace copydesk
