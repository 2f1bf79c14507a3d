// Shared pieces of the report writers: format names, CSV and HTML escaping, score formatting.
#include <copydesk/report.hpp>

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

std::string html_escape(std::string_view s) {
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
