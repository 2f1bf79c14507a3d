// JSON text for the records the reader makes itself (HTML pages, WARC records, stripped texts),
// which `--format jsonl` writers re-emit like JSONL input records. Small on purpose: strings,
// numbers and arrays of byte spans are all these records hold.
#pragma once

#include <copydesk/types.hpp>

#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

namespace copydesk::detail {

/// `s` (valid UTF-8) as a JSON string, quotes included.
inline std::string json_quote(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 2);
  out.push_back('"');
  for (const char c : s) {
    switch (c) {
    case '"':
      out += "\\\"";
      break;
    case '\\':
      out += "\\\\";
      break;
    case '\n':
      out += "\\n";
      break;
    case '\r':
      out += "\\r";
      break;
    case '\t':
      out += "\\t";
      break;
    default:
      if (static_cast<unsigned char>(c) < 0x20) {
        char esc[8];
        std::snprintf(esc, sizeof esc, "\\u%04x", static_cast<unsigned>(c));
        out += esc;
      } else {
        out.push_back(c);
      }
    }
  }
  out.push_back('"');
  return out;
}

/// Byte spans as a JSON array of [begin, end] pairs.
inline std::string json_spans(const std::vector<byte_span>& spans) {
  std::string out = "[";
  for (std::size_t i = 0; i < spans.size(); ++i) {
    if (i != 0)
      out.push_back(',');
    out += "[" + std::to_string(spans[i].begin) + "," + std::to_string(spans[i].end) + "]";
  }
  out.push_back(']');
  return out;
}

} // namespace copydesk::detail
