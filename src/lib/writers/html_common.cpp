// Shared pieces of the passage view (html_common.hpp): escaped, highlighted text and share bars.
#include "writers/html_common.hpp"

#include <copydesk/output.hpp>
#include <copydesk/signals.hpp>

#include <algorithm>
#include <cstdio>

namespace copydesk::detail {

std::string percent(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f%%", x * 100.0);
  return buf;
}

std::string self_repeat_pair(const std::string& text, const std::vector<passage>& passages,
                             const std::string& id_prefix, const char* heading) {
  std::vector<mark> later;
  std::vector<mark> earlier;
  for (std::size_t p = 0; p < passages.size(); ++p) {
    const passage& ps = passages[p];
    const std::string pid = id_prefix + std::to_string(p);
    later.push_back({ps.copy_bytes, pid + "c", pid + "t", p,
                     std::to_string(ps.copy_tokens()) + " words repeated from earlier"});
    earlier.push_back({ps.ref_bytes, pid + "t", pid + "c", p,
                       std::to_string(ps.ref_tokens()) + " words repeated later"});
  }
  const std::string h = heading;
  return "<div class=\"pair\"><div><" + h + ">repeated passages (later)</" + h + ">\n" +
         marked_text(text, later) + "</div><div><" + h + ">their earlier twins</" + h + ">\n" +
         marked_text(text, earlier) + "</div></div>";
}

std::string credit_badge(const source_share& s) {
  if (s.credited)
    return "<span class=\"badge credited\">credited: " + html_escape(s.credit) + "</span>";
  return "<span class=\"badge uncredited\">no credit line</span>";
}

std::vector<byte_span> quote_spans(const std::string& text) {
  std::vector<byte_span> out;
  for (const quotation& q : find_quotations(text)) {
    if (q.depth == 0)
      out.push_back(q.bytes);
  }
  return out;
}

namespace {

// Escaped text[b, e), with the parts inside `quotes` wrapped in <span class="q">.
std::string escape_quoted(std::string_view text, std::size_t b, std::size_t e,
                          const std::vector<byte_span>& quotes) {
  std::string out;
  auto it = std::lower_bound(quotes.begin(), quotes.end(), b,
                             [](const byte_span& q, std::size_t x) { return q.end <= x; });
  std::size_t at = b;
  for (; it != quotes.end() && it->begin < e; ++it) {
    const std::size_t qb = std::max<std::size_t>(it->begin, at);
    const std::size_t qe = std::min<std::size_t>(it->end, e);
    out += html_escape(text.substr(at, qb - at));
    out += "<span class=\"q\">" + html_escape(text.substr(qb, qe - qb)) + "</span>";
    at = qe;
  }
  out += html_escape(text.substr(at, e - at));
  return out;
}

} // namespace

std::string marked_text(const std::string& text, std::vector<mark>& marks,
                        const std::vector<byte_span>& quotes) {
  std::sort(marks.begin(), marks.end(),
            [](const mark& a, const mark& b) { return a.bytes.begin < b.bytes.begin; });
  const auto escape_part = [&](std::size_t from, std::size_t to) {
    return escape_quoted(text, from, to, quotes);
  };
  std::string out = "<div class=\"text\">";
  std::size_t at = 0;
  for (const mark& m : marks) {
    const std::size_t b =
        std::min<std::size_t>(std::max<std::size_t>(m.bytes.begin, at), text.size());
    const std::size_t e = std::min<std::size_t>(std::max<std::size_t>(m.bytes.end, b), text.size());
    out += escape_part(at, b);
    out += "<mark id=\"" + m.id + "\" data-twin=\"" + m.twin +
           "\" style=\"background:" + passage_palette[m.colour % passage_palette_size] +
           "\" title=\"" + html_escape(m.title) + "\">";
    out += escape_part(b, e);
    out += "</mark>";
    at = e;
  }
  if (at < text.size())
    out += escape_part(at, text.size());
  out += "</div>\n";
  return out;
}

std::string bar(const std::vector<std::pair<double, std::size_t>>& parts,
                const std::string& label) {
  std::string out = "<div class=\"bar\" title=\"" + html_escape(label) + "\">";
  for (const auto& [share, colour] : parts) {
    char w[32];
    std::snprintf(w, sizeof w, "%.3f", share * 100.0);
    out += std::string("<span style=\"width:") + w +
           "%;background:" + passage_palette[colour % passage_palette_size] + "\"></span>";
  }
  out += "</div>\n";
  return out;
}

} // namespace copydesk::detail
