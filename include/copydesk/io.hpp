// Reading stage: turns command-line inputs (directories, plain files, JSONL / CSV / TSV files,
// gzip- or zstd-compressed or not, HTML pages, WARC files, "-" for JSONL on stdin) into documents
// {id, text, origin}, streamed in batches so a corpus never has to sit in memory as text. Each
// document remembers where it came from, so later stages can read its text (or its JSONL record)
// again.
#pragma once

#include <copydesk/error.hpp>
#include <copydesk/progress.hpp>
#include <copydesk/types.hpp>

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace copydesk {

namespace defaults {
/// Largest document read, in bytes (a whole file, or one JSONL line): 64 MiB.
inline constexpr std::uint64_t max_doc_bytes = std::uint64_t{64} << 20;
/// Upper bound of read_options::max_doc_bytes: byte offsets into a text are 32-bit.
inline constexpr std::uint64_t max_doc_bytes_limit = (std::uint64_t{1} << 32) - 1;
} // namespace defaults

/// How inputs are read.
struct read_options {
  std::string id_field = "id";     ///< JSONL key (CSV / TSV column) holding the document id
  std::string text_field = "text"; ///< JSONL key (CSV / TSV column) holding the document text
  /// More JSONL keys to keep (metadata such as source, time, url): document::meta[i] holds
  /// field i as text (a string as is, any other value as compact JSON), empty when missing or
  /// null. Whole files have none.
  std::vector<std::string> meta_fields;
  /// Malformed records (JSONL lines, CSV rows) and the cut end of a truncated or corrupt
  /// compressed stream become counted warnings and documents with `error`, not errors.
  bool skip_bad = false;
  /// Charset of inputs that carry no byte order mark (an ICU converter name: windows-1252,
  /// ISO-8859-1, ...); empty: UTF-8. Text is converted to UTF-8 as it is read, and offsets
  /// refer to the UTF-8. A UTF-16 or UTF-8 byte order mark overrides it.
  std::string encoding;
  std::size_t batch_bytes = std::size_t{4} << 20; ///< text bytes per batch (approximate)
  /// A file or JSONL line larger than this (bytes, in [1, max_doc_bytes_limit]) becomes a
  /// document with `error` and a warning; it is never held in memory whole.
  std::uint64_t max_doc_bytes = defaults::max_doc_bytes;
  /// Inside directories, follow symbolic links to directories too (a link back to a directory
  /// being walked is a loop: skipped with a warning). Links to files are always read, as
  /// documents of their own whose id is the link's own relative path.
  bool follow_links = false;
  /// Bytes read per refill of the JSONL stream buffer, >= 1 (small values exercise records that
  /// span refills, in tests and fuzzing).
  std::size_t read_chunk_bytes = std::size_t{8} << 20;
  /// The records of a decompressed or converted stream cannot be read again from the file, so
  /// the reader keeps them in memory for rereads: this many bytes (of all such inputs together)
  /// as they are, the rest zstd-compressed (about the size of the compressed input, but
  /// compressing costs more time than decompressing the input did).
  std::uint64_t keep_raw_bytes = std::uint64_t{1} << 30;
  /// A readable document with more text bytes than this (0: no such limit) stops the run with
  /// errc::invalid_argument before any stage works on it: its origin, its size and
  /// `memory_doc_reason` (why such a document does not fit, and which option raises the limit).
  /// For a caller that knows how much memory a stage needs per byte of one document.
  std::uint64_t memory_doc_bytes = 0;
  std::string memory_doc_reason;
  // --- HTML pages, WARC crawls, page furniture (issue 14) ---
  /// Remove page furniture (menus, related links, comment threads, footers) before comparing:
  /// removed blocks of a text become spaces (newlines stay), so offsets into the text stay
  /// offsets into the original (docs/INPUTS.md).
  bool strip_boilerplate = false;
  /// HTML pages and WARC records: the records JSONL output re-emits (reread_record) carry the
  /// page's HTML too, under "html".
  bool keep_html = false;
  // --- reading in parallel (issue 12: MPI ranks) ---
  /// With shares > 1 this reader yields only its share, number `share` (0-based) of `shares`:
  /// the inputs, in order, are cut into `shares` ranges of about equal bytes; an uncompressed
  /// UTF-8 JSONL file is split by lines (a line belongs to the share its first byte falls in),
  /// every other input (whole files, compressed, CSV, WARC, stdin) goes whole to the share its
  /// first byte falls in. Sources, origins and ids are those of one reader of everything once
  /// line numbers are set (share_line_counts, set_share_line_bases). Warnings found while opening
  /// (directory loops) come from share 0 only.
  std::uint32_t share = 0;
  std::uint32_t shares = 1;
};

/// What a reader met besides documents, for verbose output (issue 14).
struct read_stats {
  std::uint64_t html_pages = 0;   ///< documents whose text was extracted from HTML
  std::uint64_t warc_records = 0; ///< WARC records read
  /// WARC records that are no document, by reason ("request records", "responses with an HTTP
  /// status other than 2xx", ...), sorted by reason.
  std::vector<std::pair<std::string, std::uint64_t>> warc_skipped;
  std::uint64_t stripped_documents = 0; ///< documents in which furniture was removed
  std::uint64_t stripped_blocks = 0;    ///< blocks (HTML blocks, lines) removed
  std::uint64_t stripped_bytes = 0;     ///< bytes of text removed
};

/// Streams documents from the inputs, in input order (directories sorted by relative path).
/// Duplicate ids are detected as documents are read.
class corpus_reader {
public:
  /// Checks that every input exists and expands directories (every regular file under one,
  /// sorted by relative path; links to directories only with follow_links). Record files
  /// (named .jsonl, .ndjson, .csv, .tsv, or those with .gz / .zst after them, and .json.gz) are
  /// opened one at a time as they are read, so any number of them can be given. Any input
  /// whose bytes start with a gzip or zstd magic is decompressed as it is read.
  /// @return errc::not_found for a missing path, errc::io_error for an unreadable one,
  ///         errc::invalid_argument for an empty input list, "-" given twice, max_doc_bytes
  ///         out of range or an unknown encoding.
  [[nodiscard]] static result<corpus_reader> open(const std::vector<std::string>& inputs,
                                                  read_options options = {});
  /// One JSONL source held in memory (copied), read by the same code as a .jsonl file; `name`
  /// stands for its path in messages and in the ids of records without one.
  [[nodiscard]] static result<corpus_reader>
  open_jsonl_bytes(std::string name, std::string_view bytes, read_options options = {});
  /// Records held in memory (copied), read as a file named `name` would be: CSV when it ends in
  /// .csv (or .csv.gz, ...), TSV for .tsv, JSONL otherwise; compressed bytes are decompressed.
  [[nodiscard]] static result<corpus_reader>
  open_record_bytes(std::string name, std::string_view bytes, read_options options = {});
  corpus_reader(corpus_reader&&) noexcept;
  corpus_reader& operator=(corpus_reader&&) noexcept;
  ~corpus_reader();

  /// Next batch of documents (empty at the end of the corpus). Non-fatal problems (binary files,
  /// skipped lines, documents over max_doc_bytes, directory loops) go to `diag`; every skipped
  /// file or line still produces a document carrying `error`. A file that is not regular (a
  /// pipe, a FIFO, /proc) is read to its end; its text is kept for reread_text. A UTF-8 byte
  /// order mark at the start of a JSONL file is skipped.
  /// @return errc::invalid_input for a malformed JSONL line (unless skip_bad),
  ///         errc::duplicate_id naming both origins, errc::io_error on read failure.
  [[nodiscard]] result<std::vector<document>> next_batch(diagnostics& diag);

  /// The documents next_batch read in the batch that ended in its last error, before the error
  /// (they were not returned): for a caller that must know every id read before it (issue 12).
  [[nodiscard]] std::vector<document> take_before_error();

  /// Reads a document's text again from its origin (stdin records come from a spool file; the
  /// records of a compressed or converted stream from the reader's compressed copy of it).
  /// Not to be called while next_batch runs.
  [[nodiscard]] result<std::string> reread_text(const origin& where) const;
  /// The record of a document read from a record file: the raw JSONL line, or a CSV / TSV row
  /// as a JSON object of its columns ({"header name": "value", ...}); empty for plain whole
  /// files. HTML pages, WARC records and (with strip_boilerplate) plain files get a record made
  /// for them: {"id", "text" (the text the stages saw), "url"/"time" (WARC), "html" (keep_html),
  /// "boilerplate": [[begin, end], ...] (removed spans; JSONL and CSV / TSV records get this key
  /// added)}.
  [[nodiscard]] result<std::string> reread_record(const origin& where) const;

  /// "path" or "path:line", for messages and reports.
  [[nodiscard]] std::string describe(const origin& where) const;
  /// True if the document has a record reread_record gives: it came from a record (a JSONL line,
  /// a CSV / TSV row), an HTML page or a WARC record, or furniture was stripped from it.
  [[nodiscard]] bool is_jsonl(const origin& where) const;
  /// Counts of pages, WARC records skipped and furniture removed, so far.
  [[nodiscard]] read_stats stats() const;
  /// Documents produced so far.
  [[nodiscard]] std::size_t documents_read() const noexcept;
  /// Reading in shares (read_options::shares > 1): per source, the lines that start in this
  /// share's byte range of a JSONL file split by lines (0 for every other source). A share's line
  /// numbers start after those of the shares before it: pass their sums to set_share_line_bases
  /// before the first next_batch. Reads only this share's bytes.
  /// @return errc::io_error when a file cannot be read.
  [[nodiscard]] result<std::vector<std::uint64_t>> share_line_counts() const;
  /// Per source, the lines before this share's range (sums of share_line_counts of the shares
  /// before this one).
  void set_share_line_bases(const std::vector<std::uint64_t>& bases);
  [[nodiscard]] const read_options& options() const noexcept;

private:
  struct impl;
  explicit corpus_reader(std::unique_ptr<impl> p);
  // One record source in memory; `format` is the reader's private record format.
  [[nodiscard]] static result<corpus_reader> from_memory(std::string name, std::string_view bytes,
                                                         read_options options, int format);
  // issue 12: which sources (and which byte range of a split one) this share reads.
  static void plan_shares(impl& p);
  [[nodiscard]] result<void> fill_batch(diagnostics& diag, std::vector<document>& out);
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

/// Where a stage takes its documents from: the next batch (empty at the end), and a document's
/// text again. Made from a corpus_reader or a memory_corpus, which must outlive it.
struct document_source {
  std::function<result<std::vector<document>>(diagnostics&)> next_batch;
  std::function<result<std::string>(const doc_info&)> text;

  /// The reader's batches; texts read again from their origin.
  [[nodiscard]] static document_source of(corpus_reader& reader);
  /// Copies of the documents, a batch at a time; texts looked up by id.
  [[nodiscard]] static document_source of(memory_corpus& corpus);
};

/// Documents a program hands over a batch at a time (its own records, a queue, a language
/// binding), served as a document_source: ids are checked for duplicates across all batches,
/// invalid UTF-8 is replaced (and counted) as the readers do, each document's origin becomes its
/// place in the feed (where.line: 1-based position, where.length: text bytes), and the texts are
/// kept, one copy, so that a stage can read them again (dedup's verification, stories' labels).
/// The producer is called by the thread that runs the stage, one call at a time.
class document_feed {
public:
  /// The next batch (empty: the corpus ends), or an error, which the stage returns unchanged.
  using producer = std::function<result<std::vector<document>>()>;
  /// @param name stands for the feed in messages ("name:3" is its third document).
  explicit document_feed(producer next, std::string name = "<memory>");

  /// The producer's batches; errc::duplicate_id naming both positions. The feed must outlive it.
  [[nodiscard]] document_source source();
  /// Documents fed so far.
  [[nodiscard]] std::size_t size() const noexcept { return texts_.size(); }
  /// Text of the document at 0-based position i, as the stage received it.
  /// @pre i < size().
  [[nodiscard]] const std::string& text(std::size_t i) const { return texts_[i]; }

private:
  [[nodiscard]] result<std::vector<document>> next_batch();
  producer next_;
  std::string name_;
  std::vector<std::string> texts_;
  std::unordered_map<std::string, std::size_t> positions_;
};

/// The batch loop every stage reads with: gives each batch of `source` to `each`, in order,
/// until the corpus ends or either of them fails. Progress `stage` in bytes of input consumed:
/// 0 first, then after each batch; the caller reports the end, when its work on the last batch
/// is done.
/// @return the bytes consumed, or the first error of the source or of `each`.
[[nodiscard]] result<std::uint64_t>
for_each_batch(const document_source& source, diagnostics& diag,
               const std::function<result<void>(std::vector<document>&)>& each,
               const progress_fn& progress = {}, const char* stage = "read");

} // namespace copydesk
