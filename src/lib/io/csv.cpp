// CSV / TSV records: RFC 4180 quoting, found across stream refills and split into fields.
#include "io/csv.hpp"
#include "io/record_json.hpp"

#include <algorithm>
#include <unordered_set>

namespace copydesk::detail {

std::size_t csv_scanner::find_end(const char* p, std::size_t n) noexcept {
  for (std::size_t i = 0; i < n; ++i) {
    const char c = p[i];
    switch (state_) {
    case state::field_start:
    case state::unquoted:
      if (c == '\n') {
        state_ = state::field_start;
        return i;
      }
      if (c == delimiter_)
        state_ = state::field_start;
      else if (c == '"' && state_ == state::field_start)
        state_ = state::quoted;
      else
        state_ = state::unquoted;
      break;
    case state::quoted:
      if (c == '"')
        state_ = state::quote;
      break;
    case state::quote: // a quote inside a quoted field: doubled, or the field's end
      if (c == '"') {
        state_ = state::quoted;
      } else if (c == '\n') {
        state_ = state::field_start;
        return i;
      } else if (c == delimiter_) {
        state_ = state::field_start;
      } else if (c != '\r') {
        state_ = state::unquoted; // malformed; split_csv_record names it
      }
      break;
    }
  }
  return std::string_view::npos;
}

std::string split_csv_record(std::string_view record, char delimiter,
                             std::vector<std::string>& fields) {
  fields.clear();
  enum class state : std::uint8_t { field_start, unquoted, quoted, quote };
  state st = state::field_start;
  std::string field;
  for (const char c : record) {
    switch (st) {
    case state::field_start:
      if (c == '"') {
        st = state::quoted;
        break;
      }
      st = state::unquoted;
      [[fallthrough]];
    case state::unquoted:
      if (c == delimiter) {
        fields.push_back(std::move(field));
        field.clear();
        st = state::field_start;
      } else {
        field.push_back(c);
      }
      break;
    case state::quoted:
      if (c == '"')
        st = state::quote;
      else
        field.push_back(c);
      break;
    case state::quote:
      if (c == '"') {
        field.push_back('"');
        st = state::quoted;
      } else if (c == delimiter) {
        fields.push_back(std::move(field));
        field.clear();
        st = state::field_start;
      } else {
        return "field " + std::to_string(fields.size() + 1) +
               ": a quote inside a quoted field must be doubled (\"\")";
      }
      break;
    }
  }
  if (st == state::quoted) {
    return "field " + std::to_string(fields.size() + 1) +
           ": unterminated quoted field (its closing quote is missing)";
  }
  fields.push_back(std::move(field));
  return {};
}

std::string csv_row_json(const std::vector<std::string>& names,
                         const std::vector<std::string>& fields, std::size_t empty_id) {
  std::string out = "{";
  std::unordered_set<std::string_view> seen;
  const std::size_t n = std::min(names.size(), fields.size());
  for (std::size_t i = 0; i < n; ++i) {
    if (!seen.insert(names[i]).second || (i == empty_id && fields[i].empty()))
      continue;
    if (out.size() > 1)
      out.push_back(',');
    out += json_quote(names[i]);
    out.push_back(':');
    out += json_quote(fields[i]);
  }
  out.push_back('}');
  return out;
}

} // namespace copydesk::detail
