// Output formats and the escaping every human- and script-facing writer shares: format names,
// CSV fields, HTML text, control characters for terminals, and how scores are printed. Used by
// the writers (writers.hpp) and by the CLI's messages.
#pragma once

#include <copydesk/error.hpp>

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>

namespace copydesk {

/// Output formats of the commands.
enum class output_format : std::uint8_t { table, json, jsonl, csv };

/// Parses "table", "json", "jsonl" or "csv"; errc::invalid_argument otherwise.
[[nodiscard]] result<output_format> parse_output_format(std::string_view name);

/// One CSV field, quoted when it holds a comma, quote, CR or LF (RFC 4180).
[[nodiscard]] std::string csv_field(std::string_view s);

/// Appends one CSV row to `out`: the fields (already made with csv_field where they need it)
/// joined by commas, then a newline.
void append_csv_row(std::string& out, std::initializer_list<std::string_view> fields);

/// Escapes text for HTML element content and attribute values (& < > " '); control characters
/// other than tab, CR and LF are escaped as by escape_controls.
[[nodiscard]] std::string html_escape(std::string_view s);

/// Text made safe for a terminal, a table cell or a one-line message: C0 control characters,
/// DEL and the C1 controls U+0080-U+009F become visible escapes (\n, \r, \t, \x1b, \u009b), so
/// an id holding a newline or an ESC cannot split a line or drive the terminal. Everything else
/// is kept byte for byte. Every human-facing writer and the CLI's error printer use it; CSV and
/// JSON keep their own quoting.
/// @param keep_layout keep tab, CR and LF (text shown in HTML, where they are white space)
[[nodiscard]] std::string escape_controls(std::string_view s, bool keep_layout = false);

/// Formats a share in [0,1] with 4 decimals, as every writer prints scores ("0.9612").
[[nodiscard]] std::string format_score(double x);

} // namespace copydesk
