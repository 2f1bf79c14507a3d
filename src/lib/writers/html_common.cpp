// Shared pieces of the passage view (html_common.hpp): escaped, highlighted text and share bars.
#include "writers/html_common.hpp"

#include <copydesk/output.hpp>
#include <copydesk/signals.hpp>

#include <algorithm>
#include <cstdio>

namespace copydesk::detail {

namespace {

constexpr const char* page_head = R"(<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>)";

constexpr const char* page_title_end = R"(</title>
<style>
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0 auto;max-width:1400px;padding:1em 2em;color:#212529;background:#fff}
h1{font-size:1.4em;margin:.2em 0}h2{font-size:1.15em;margin:1.2em 0 .3em}h3{font-size:1em;margin:.6em 0 .2em}
.params{color:#495057;font-size:.9em}
section.copy{border-top:2px solid #dee2e6;padding-top:.4em;margin-top:1.2em}
.bar{display:flex;height:14px;background:#f1f3f5;border:1px solid #ced4da;border-radius:3px;overflow:hidden;margin:.3em 0}
.bar span{display:block;height:100%}
.legend{font-size:.9em;color:#495057}
)";

constexpr const char* page_head_end = R"(.note{color:#c92a2a}
</style>
</head>
<body>
)";

constexpr const char* page_tail = R"(</body>
</html>
)";

} // namespace

std::string passage_page_head(const std::string& title) {
  return std::string(page_head) + html_escape(title) + page_title_end + passage_view_css +
         page_head_end;
}

std::string passage_page_tail() { return std::string(passage_view_script) + page_tail; }

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

std::string facts_badge(const source_share& s) {
  const std::size_t n = s.changed_facts();
  if (n == 0)
    return {};
  return " <span class=\"badge facts\">" + std::to_string(n) +
         (n == 1 ? " changed fact" : " changed facts") + "</span>";
}

std::vector<byte_span> quote_spans(const std::string& text) {
  std::vector<byte_span> out;
  for (const quotation& q : find_quotations(text)) {
    if (q.depth == 0)
      out.push_back(q.bytes);
  }
  return out;
}

std::vector<inner_span> change_spans(const source_share& s, bool copy_side) {
  std::vector<inner_span> out;
  for (const fact_change& f : s.changes) {
    const byte_span b = copy_side ? f.copy_bytes : f.ref_bytes;
    if (b.end <= b.begin)
      continue;
    const std::string& other = copy_side ? f.ref_text : f.copy_text;
    const std::string kind = to_string(f.kind);
    out.push_back({b, "chg chg-" + kind,
                   kind + " changed; the " + (copy_side ? "source" : "copy") +
                       (other.empty() ? std::string(" has nothing here")
                                      : " has \u201c" + other + "\u201d")});
  }
  std::sort(out.begin(), out.end(),
            [](const inner_span& a, const inner_span& b) { return a.bytes.begin < b.bytes.begin; });
  return out;
}

namespace {

// The element of `spans` (sorted, disjoint) that holds byte x, from a cursor that only moves
// forward; nullptr when none does.
template <typename Span, typename Bytes>
const Span* holding(const std::vector<Span>& spans, std::size_t& cursor, std::size_t x,
                    Bytes bytes) {
  while (cursor < spans.size() && bytes(spans[cursor]).end <= x)
    ++cursor;
  if (cursor < spans.size() && bytes(spans[cursor]).begin <= x)
    return &spans[cursor];
  return nullptr;
}

// Escaped text[b, e), with the parts inside `quotes` wrapped in <span class="q"> and the parts
// inside `changes` in their own spans (inside the quote's span where both hold a part).
std::string escape_styled(std::string_view text, std::size_t b, std::size_t e,
                          const std::vector<byte_span>& quotes,
                          const std::vector<inner_span>& changes) {
  std::vector<std::size_t> cuts{b, e};
  const auto add = [&](std::size_t x) {
    if (x > b && x < e)
      cuts.push_back(x);
  };
  // Only the spans that reach into [b, e): the first one not ending before b, on.
  std::size_t qi = static_cast<std::size_t>(
      std::lower_bound(quotes.begin(), quotes.end(), b,
                       [](const byte_span& x, std::size_t at) { return x.end <= at; }) -
      quotes.begin());
  std::size_t ci = static_cast<std::size_t>(
      std::lower_bound(changes.begin(), changes.end(), b,
                       [](const inner_span& x, std::size_t at) { return x.bytes.end <= at; }) -
      changes.begin());
  for (std::size_t i = qi; i < quotes.size() && quotes[i].begin < e; ++i) {
    add(quotes[i].begin);
    add(quotes[i].end);
  }
  for (std::size_t i = ci; i < changes.size() && changes[i].bytes.begin < e; ++i) {
    add(changes[i].bytes.begin);
    add(changes[i].bytes.end);
  }
  std::sort(cuts.begin(), cuts.end());
  cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());
  std::string out;
  for (std::size_t k = 0; k + 1 < cuts.size(); ++k) {
    const std::size_t x = cuts[k];
    const bool quoted = holding(quotes, qi, x, [](const byte_span& s) { return s; }) != nullptr;
    const inner_span* in = holding(changes, ci, x, [](const inner_span& s) { return s.bytes; });
    if (quoted)
      out += "<span class=\"q\">";
    if (in != nullptr)
      out.append("<span class=\"")
          .append(in->cls)
          .append("\" title=\"")
          .append(html_escape(in->title))
          .append("\">");
    out += html_escape(text.substr(x, cuts[k + 1] - x));
    if (in != nullptr)
      out += "</span>";
    if (quoted)
      out += "</span>";
  }
  return out;
}

} // namespace

std::string marked_text(const std::string& text, std::vector<mark>& marks,
                        const std::vector<byte_span>& quotes,
                        const std::vector<inner_span>& changes) {
  std::sort(marks.begin(), marks.end(),
            [](const mark& a, const mark& b) { return a.bytes.begin < b.bytes.begin; });
  const auto escape_part = [&](std::size_t from, std::size_t to) {
    return escape_styled(text, from, to, quotes, changes);
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

std::string copy_beside_sources(const std::string& copy_id, const std::string& copy_text,
                                const std::vector<source_view>& sources, const std::string& sid) {
  std::vector<mark> copy_marks;
  std::vector<inner_span> copy_changes;
  std::string right;
  std::size_t colour = 0;
  for (std::size_t s = 0; s < sources.size(); ++s) {
    const source_share& sh = *sources[s].share;
    std::vector<mark> ref_marks;
    for (std::size_t p = 0; p < sh.passages.size(); ++p, ++colour) {
      const passage& ps = sh.passages[p];
      const std::string base = sid + "s" + std::to_string(s) + "p" + std::to_string(p);
      copy_marks.push_back({ps.copy_bytes, base + "c", base + "r", colour,
                            std::to_string(ps.copy_tokens()) + " words (" +
                                std::to_string(ps.quoted) + " inside quotes), from " +
                                sources[s].id});
      ref_marks.push_back({ps.ref_bytes, base + "r", base + "c", colour,
                           std::to_string(ps.ref_tokens()) + " words, copied in " + copy_id});
    }
    right += "<h3>" + html_escape(sources[s].id) + sources[s].heading_extra + " &middot; reused " +
             percent(sh.reused) + " " + credit_badge(sh) + facts_badge(sh) + "</h3>\n";
    right += marked_text(sources[s].text, ref_marks, quote_spans(sources[s].text),
                         change_spans(sh, false));
    for (inner_span& x : change_spans(sh, true))
      copy_changes.push_back(std::move(x));
  }
  std::sort(copy_changes.begin(), copy_changes.end(),
            [](const inner_span& a, const inner_span& b) { return a.bytes.begin < b.bytes.begin; });
  return "<div class=\"pair\"><div><h3>" + html_escape(copy_id) + " (copy)</h3>\n" +
         marked_text(copy_text, copy_marks, quote_spans(copy_text), copy_changes) +
         "</div><div>\n" + right + "</div></div>\n";
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
