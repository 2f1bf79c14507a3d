// CSV and TSV records (RFC 4180 quoting): finding where a record ends in a stream (a newline
// outside quotes), splitting a record into fields, and a row as a JSON object for JSONL output.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace copydesk::detail {

/// Finds the ends of records in CSV text given piece by piece (quotes may span pieces).
class csv_scanner {
public:
  explicit csv_scanner(char delimiter = ',') : delimiter_(delimiter) {}
  /// Index in [p, p + n) of the newline that ends the current record, or npos when there is
  /// none yet (the state is kept for the next piece). The scanner is then at a record's start.
  [[nodiscard]] std::size_t find_end(const char* p, std::size_t n) noexcept;
  /// True inside a quoted field (at the end of the input: an unterminated quote).
  [[nodiscard]] bool in_quotes() const noexcept { return state_ == state::quoted; }
  void reset() noexcept { state_ = state::field_start; }

private:
  enum class state : std::uint8_t { field_start, unquoted, quoted, quote };
  char delimiter_;
  state state_ = state::field_start;
};

/// Splits one record (without its line ending) into `fields` (cleared first): fields are
/// separated by `delimiter`; a field that starts with a quote is quoted, may hold delimiters
/// and newlines, and writes a quote as two (""). A quote inside an unquoted field is a
/// character like any other.
/// @return "" or what is wrong (an unterminated quote, a lone quote inside a quoted field).
[[nodiscard]] std::string split_csv_record(std::string_view record, char delimiter,
                                           std::vector<std::string>& fields);

/// {"name": "value", ...} of a row: the header's names and the row's fields (valid UTF-8), as
/// strings, in column order (a repeated name is kept once, its first column). Column
/// `empty_id` is left out when its cell is empty (the document's id is then FILE:ROW).
[[nodiscard]] std::string csv_row_json(const std::vector<std::string>& names,
                                       const std::vector<std::string>& fields,
                                       std::size_t empty_id);

} // namespace copydesk::detail
