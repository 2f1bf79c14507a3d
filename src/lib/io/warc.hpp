// WARC files (private to the reading stage): records read one after the other from a .warc or a
// .warc.gz (gzip members, one per record as Common Crawl writes them, or any other split), and
// the HTTP response inside a record turned into a page (status, content type, charset, body
// with transfer and content encodings undone).
#pragma once

#include <copydesk/error.hpp>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace copydesk::detail {

/// True if `path` ends in .warc or .warc.gz (any case).
[[nodiscard]] bool has_warc_extension(std::string_view path) noexcept;

/// One WARC record as it is in the file.
struct warc_record {
  std::uint64_t number = 0; ///< 1-based position in the file
  std::uint64_t offset = 0; ///< byte offset in the file: of the record, or of the gzip member
                            ///< holding its first byte
  std::uint64_t skip = 0;   ///< .warc.gz: bytes of that member's data before the record
  std::uint64_t length = 0; ///< bytes of the file the record took (compressed, for .warc.gz)
  std::vector<std::pair<std::string, std::string>> headers; ///< WARC named fields, in order
  std::string block;                                        ///< the record's content block

  /// Value of a named field (names compare case-insensitively), or "".
  [[nodiscard]] std::string_view header(std::string_view name) const noexcept;
};

/// Reads the records of one WARC file in order.
class warc_stream {
public:
  /// Opens `path` (`display` names it in messages); gzip when it starts with the gzip magic
  /// bytes. Reading starts at byte `offset` of the file, `skip` bytes into its data there (a
  /// record found before, to be read again). `max_record` bounds a record's content block.
  [[nodiscard]] static result<std::unique_ptr<warc_stream>>
  open(const std::string& path, const std::string& display, std::uint64_t max_record,
       std::uint64_t offset = 0, std::uint64_t skip = 0);
  warc_stream(const warc_stream&) = delete;
  warc_stream& operator=(const warc_stream&) = delete;
  ~warc_stream();

  /// The next record into `out`; false at the end of the file.
  /// @return errc::invalid_input for a malformed record (naming the file, the record's number
  ///         and byte offset: a header that is not WARC/1.x, a missing or wrong Content-Length,
  ///         a truncated or corrupt gzip stream), errc::io_error when reading fails.
  [[nodiscard]] result<bool> next(warc_record& out);
  /// After an errc::invalid_input from next: skips to the next record (the next gzip member, or
  /// the next line starting with "WARC/1."), so reading can go on; false when none is left.
  [[nodiscard]] result<bool> resync();
  /// Bytes of the file consumed so far.
  [[nodiscard]] std::uint64_t file_offset() const noexcept;

private:
  struct impl;
  explicit warc_stream(std::unique_ptr<impl> p);
  std::unique_ptr<impl> impl_;
};

/// A record's page, when it is one: an HTTP response (Content-Type application/http) with
/// status 2xx and an HTML or text/plain body.
struct warc_page {
  bool is_page = false;
  std::string skip_reason; ///< why not, e.g. "request records", "HTTP status 404" (for counts)
  bool is_html = false;
  std::string body;         ///< in UTF-8 (converted from the declared charset)
  std::string charset;      ///< as declared ("" when none was)
  std::string warning;      ///< a non-fatal problem (unknown charset, bad chunk or gzip coding)
  std::size_t replaced = 0; ///< invalid or unmappable byte sequences replaced by U+FFFD
};

/// Decodes the payload of a response record.
[[nodiscard]] warc_page page_of(const warc_record& rec);

/// Undoes HTTP chunked transfer coding; false (and what could be decoded) when malformed.
bool dechunk(std::string_view body, std::string& out);

/// Inflates a gzip or zlib (deflate) body; false (and what could be decoded) when malformed.
/// Stops after `limit` output bytes.
bool inflate_body(std::string_view body, std::string& out, std::uint64_t limit);

} // namespace copydesk::detail
