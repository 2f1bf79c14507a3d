// Borrow HTML view: one self-contained page (inline CSS and script, nothing fetched). Per copy a
// summary bar, then the copy and the references it borrows from side by side; each passage is
// highlighted in both texts with the same colour, and clicking one scrolls to and flashes its
// twin. Every piece of document text goes through html_escape.
#include "writers/html_common.hpp"

#include <copydesk/version.hpp>
#include <copydesk/writers.hpp>

#include <algorithm>
#include <cstdio>

namespace copydesk {

namespace {

constexpr const char* page_head = R"(<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>copydesk borrow</title>
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

using detail::bar;
using detail::mark;
using detail::marked_text;
using detail::percent;

} // namespace

result<std::string> render_html(const borrow_result& r, const corpus_reader& copies,
                                const corpus_reader* references) {
  std::string out = std::string(page_head) + detail::passage_view_css + page_head_end;
  out += "<h1>copydesk borrow</h1>\n<p class=\"params\">";
  char line[256];
  std::snprintf(line, sizeof line,
                "%zu documents, %zu references &middot; seeds of %u words, passages of &ge; %u "
                "matched words, gaps &le; %u words &middot; copydesk ",
                r.results.size(), r.references.size(), r.config.params.seed_width,
                r.config.params.min_tokens, r.config.params.max_gap);
  out += line;
  out += html_escape(version());
  out += "</p>\n<p class=\"params\">Click a highlighted passage to jump to its twin. ";
  out += detail::quote_legend;
  out += "</p>\n";

  for (std::size_t ci = 0; ci < r.results.size(); ++ci) {
    const copy_result& c = r.results[ci];
    const std::string sid = "c" + std::to_string(ci);
    out += "<section class=\"copy\" id=\"" + sid + "\">\n<h2>" + html_escape(c.document.id) +
           "</h2>\n";
    if (!c.document.error.empty()) {
      out += "<p class=\"note\">" + html_escape(c.document.error) + "</p>\n</section>\n";
      continue;
    }
    if (c.is_reference != no_reference) {
      out += "<p class=\"note\">also given as a reference: not compared with itself</p>\n";
    }
    if (!r.references.empty()) {
      std::vector<std::pair<double, std::size_t>> parts;
      std::string legend = percent(c.borrowed) + " borrowed, " + percent(c.borrowed_prose) +
                           " outside quotes, " + percent(c.lede_borrowed) + " of the lede";
      for (const source_share& s : c.sources) {
        parts.emplace_back(s.borrowed, s.reference);
        legend += " · " + r.references[s.reference].id + " " + percent(s.borrowed) + " (reused " +
                  percent(s.reused) + ")";
      }
      out += bar(parts, legend);
      out += "<div class=\"legend\">" + html_escape(legend) + " · " +
             std::to_string(c.document.tokens) + " words</div>\n";
    }
    if (r.config.self) {
      const std::string legend = percent(c.self_repeated) + " repeated inside the document";
      out += bar({{c.self_repeated, 4}}, legend);
      out += "<div class=\"legend\">" + html_escape(legend) + "</div>\n";
    }
    if (c.sources.empty() && c.self_passages.empty()) {
      out += "</section>\n";
      continue;
    }
    auto text = copies.reread_text(c.document.where);
    if (!text)
      return text.error();

    if (!c.sources.empty()) {
      std::vector<mark> copy_marks;
      std::vector<detail::inner_span> copy_changes;
      std::string right;
      std::size_t colour = 0;
      for (std::size_t s = 0; s < c.sources.size(); ++s) {
        const source_share& sh = c.sources[s];
        const doc_info& ref = r.references[sh.reference];
        if (references == nullptr)
          return make_error(errc::internal, "references not available");
        auto rtext = references->reread_text(ref.where);
        if (!rtext)
          return rtext.error();
        std::vector<mark> ref_marks;
        for (std::size_t p = 0; p < sh.passages.size(); ++p, ++colour) {
          const passage& ps = sh.passages[p];
          const std::string base = sid + "s" + std::to_string(s) + "p" + std::to_string(p);
          const std::string title = std::to_string(ps.copy_tokens()) + " words (" +
                                    std::to_string(ps.quoted) + " inside quotes), from " + ref.id;
          copy_marks.push_back({ps.copy_bytes, base + "c", base + "r", colour, title});
          ref_marks.push_back(
              {ps.ref_bytes, base + "r", base + "c", colour,
               std::to_string(ps.ref_tokens()) + " words, copied in " + c.document.id});
        }
        right += "<h3>" + html_escape(ref.id) + " &middot; reused " + percent(sh.reused) + " " +
                 detail::credit_badge(sh) + detail::facts_badge(sh) + "</h3>\n";
        right += marked_text(*rtext, ref_marks, detail::quote_spans(*rtext),
                             detail::change_spans(sh, false));
        for (detail::inner_span& x : detail::change_spans(sh, true))
          copy_changes.push_back(std::move(x));
      }
      std::sort(copy_changes.begin(), copy_changes.end(),
                [](const detail::inner_span& a, const detail::inner_span& b) {
                  return a.bytes.begin < b.bytes.begin;
                });
      out += "<div class=\"pair\"><div><h3>" + html_escape(c.document.id) + " (copy)</h3>\n";
      out += marked_text(*text, copy_marks, detail::quote_spans(*text), copy_changes);
      out += "</div><div>\n" + right + "</div></div>\n";
    }
    if (!c.self_passages.empty())
      out += detail::self_repeat_pair(*text, c.self_passages, sid + "r", "h3") + "\n";
    out += "</section>\n";
  }
  out += detail::passage_view_script;
  out += page_tail;
  return out;
}

} // namespace copydesk
