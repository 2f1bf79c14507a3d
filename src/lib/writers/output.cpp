// Output formats and escaping (output.hpp): format names, CSV fields, control characters,
// HTML text, score formatting.
#include <copydesk/output.hpp>

#include <cstdio>

namespace copydesk {

result<output_format> parse_output_format(std::string_view name) {
  if (name == "table")
    return output_format::table;
  if (name == "json")
    return output_format::json;
  if (name == "jsonl")
    return output_format::jsonl;
  if (name == "csv")
    return output_format::csv;
  return make_error(errc::invalid_argument, "unknown format \"" + std::string(name) +
                                                "\" (expected table, json, jsonl or csv)");
}

std::string csv_field(std::string_view s) {
  if (s.find_first_of(",\"\r\n") == std::string_view::npos)
    return std::string(s);
  std::string out = "\"";
  for (const char c : s) {
    if (c == '"')
      out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

void append_csv_row(std::string& out, std::initializer_list<std::string_view> fields) {
  bool first = true;
  for (const std::string_view f : fields) {
    if (!first)
      out.push_back(',');
    out.append(f);
    first = false;
  }
  out.push_back('\n');
}

namespace {
bool is_c1_at(std::string_view s, std::size_t i) noexcept {
  // U+0080-U+009F are C2 80 .. C2 9F in UTF-8.
  return static_cast<unsigned char>(s[i]) == 0xC2 && i + 1 < s.size() &&
         static_cast<unsigned char>(s[i + 1]) >= 0x80 &&
         static_cast<unsigned char>(s[i + 1]) <= 0x9F;
}
bool is_control(unsigned char c, bool keep_layout) noexcept {
  if (keep_layout && (c == '\t' || c == '\n' || c == '\r'))
    return false;
  return c < 0x20 || c == 0x7F;
}
} // namespace

std::string escape_controls(std::string_view s, bool keep_layout) {
  std::size_t i = 0;
  while (i < s.size() && !is_control(static_cast<unsigned char>(s[i]), keep_layout) &&
         !is_c1_at(s, i))
    ++i;
  if (i == s.size())
    return std::string(s); // the common case: nothing to escape
  std::string out(s.substr(0, i));
  char hex[8];
  for (; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (is_c1_at(s, i)) {
      std::snprintf(hex, sizeof hex, "\\u%04x", static_cast<unsigned char>(s[i + 1]));
      out += hex;
      ++i;
    } else if (!is_control(c, keep_layout)) {
      out.push_back(static_cast<char>(c));
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\t') {
      out += "\\t";
    } else {
      std::snprintf(hex, sizeof hex, "\\x%02x", c);
      out += hex;
    }
  }
  return out;
}

std::string html_escape(std::string_view raw) {
  const std::string s = escape_controls(raw, true);
  std::string out;
  out.reserve(s.size() + s.size() / 8);
  for (const char c : s) {
    switch (c) {
    case '&':
      out += "&amp;";
      break;
    case '<':
      out += "&lt;";
      break;
    case '>':
      out += "&gt;";
      break;
    case '"':
      out += "&quot;";
      break;
    case '\'':
      out += "&#39;";
      break;
    default:
      out.push_back(c);
    }
  }
  return out;
}

std::string format_score(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.4f", x);
  return buf;
}

} // namespace copydesk
