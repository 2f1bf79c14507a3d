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

using detail::bar;
using detail::percent;

} // namespace

result<std::string> render_html(const borrow_result& r, const corpus_reader& copies,
                                const corpus_reader* references) {
  std::string out = detail::passage_page_head("copydesk borrow");
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
      std::vector<detail::source_view> views;
      for (const source_share& sh : c.sources) {
        const doc_info& ref = r.references[sh.reference];
        if (references == nullptr)
          return make_error(errc::internal, "references not available");
        auto rtext = references->reread_text(ref.where);
        if (!rtext)
          return rtext.error();
        views.push_back({&sh, ref.id, std::move(*rtext), {}});
      }
      out += detail::copy_beside_sources(c.document.id, *text, views, sid);
    }
    if (!c.self_passages.empty())
      out += detail::self_repeat_pair(*text, c.self_passages, sid + "r", "h3") + "\n";
    out += "</section>\n";
  }
  out += detail::passage_page_tail();
  return out;
}

} // namespace copydesk
