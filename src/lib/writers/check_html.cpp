// Check HTML view: one self-contained page for `copydesk check --html`. Per input its verdict
// and shares, the archived duplicates, the closest archived story, the earliest matching text,
// then the input beside the archived texts it borrows from (the borrow page's passage view).
// Every piece of document text goes through html_escape.
#include "writers/html_common.hpp"

#include <copydesk/output.hpp>
#include <copydesk/version.hpp>
#include <copydesk/writers.hpp>

namespace copydesk {

namespace {

using detail::percent;

constexpr const char* check_css = R"(.facts{margin:.2em 0 .4em;padding-left:1.2em}
.facts li{margin:.1em 0}
)";

std::string verdict_pill(verdict v) {
  const verdict_names& n = names_of(v);
  return std::string("<span class=\"verdict v-") + n.key + "\">" + n.label + "</span>";
}

// " · source NAME · 2026-02-03T08:00Z" for an archived document's heading.
std::string meta_note(const archived_doc& a) {
  std::string out;
  if (a.meta.source)
    out += " &middot; " + html_escape(*a.meta.source);
  if (a.meta.time)
    out += " &middot; " + html_escape(*a.meta.time);
  return out;
}

// The list under an input's heading: duplicates, story, earliest, who was first.
std::string findings(const check_result& c) {
  std::string out = "<ul class=\"facts\">";
  for (const archive_match& m : c.duplicates) {
    out += "<li>" + std::string(m.kind == pair_kind::near ? "near duplicate" : "contained") +
           " of <b>" + html_escape(m.archived) + "</b>: Jaccard " + format_score(m.jaccard) + ", " +
           format_score(m.a_in_b) + " of it in the archived text, " + format_score(m.b_in_a) +
           " of the archived text in it</li>";
  }
  for (const source_share& s : c.borrow.sources) {
    out += "<li>" + percent(s.borrowed) + " of its words are found in <b>" +
           html_escape(c.archived[s.reference].id) + "</b> (" + std::to_string(s.passages.size()) +
           (s.passages.size() == 1 ? " passage" : " passages") + ", " + percent(s.borrowed_prose) +
           " outside quotes, " + percent(s.lede_borrowed) + " of the lede";
    if (s.found != found_when::unknown)
      out += std::string(", found ") + (s.found == found_when::earlier ? "earlier"
                                        : s.found == found_when::later ? "later"
                                                                       : "at the same time");
    out += ")</li>";
  }
  if (!c.label.empty()) {
    std::string label;
    for (const std::string& t : c.label)
      label += (label.empty() ? "" : ", ") + t;
    out += "<li>closest archived story: " + html_escape(label);
    if (!c.similar.empty()) {
      out += " &middot; " + html_escape(c.archived[c.similar.front().first].id) + " (cosine " +
             format_score(c.similar.front().second) + ")";
    }
    out += "</li>";
  }
  if (c.earliest) {
    const archived_doc& a = c.archived[*c.earliest];
    out += "<li>earliest matching archived text: <b>" + html_escape(a.id) + "</b>" + meta_note(a) +
           "</li>";
  }
  return out + "</ul>\n";
}

} // namespace

result<std::string> render_html(const check_report& r, const corpus_reader& inputs) {
  std::string out = detail::passage_page_head("copydesk check");
  out.insert(out.find("</style>"), std::string(detail::verdict_pill_css) + check_css);
  out += "<h1>copydesk check</h1>\n<p class=\"params\">" + std::to_string(r.results.size()) +
         (r.results.size() == 1 ? " input" : " inputs") + " against the archive " +
         html_escape(r.archive) + " &middot; passages of &ge; " +
         std::to_string(r.options.borrow.min_tokens) + " matched words, gaps &le; " +
         std::to_string(r.options.borrow.max_gap) + " words &middot; copydesk " +
         html_escape(version()) +
         "</p>\n<p class=\"params\">Click a highlighted passage to jump "
         "to its twin. " +
         detail::quote_legend + "</p>\n";
  for (std::size_t i = 0; i < r.results.size(); ++i) {
    const check_result& c = r.results[i];
    const std::string sid = "c" + std::to_string(i);
    out += "<section class=\"copy\" id=\"" + sid + "\">\n<h2>" + html_escape(c.document.id) + " " +
           verdict_pill(c.verdict_of) + "</h2>\n";
    if (!c.document.error.empty()) {
      out += "<p class=\"note\">" + html_escape(c.document.error) + "</p>\n</section>\n";
      continue;
    }
    std::vector<std::pair<double, std::size_t>> parts;
    for (const source_share& s : c.borrow.sources)
      parts.emplace_back(s.borrowed, s.reference);
    const std::string legend = percent(c.borrow.borrowed) + " borrowed, " +
                               percent(c.borrow.borrowed_prose) + " outside quotes, " +
                               percent(c.borrow.lede_borrowed) + " of the lede · " +
                               std::to_string(c.document.tokens) + " words";
    out += detail::bar(parts, legend);
    out += "<div class=\"legend\">" + html_escape(legend) + "</div>\n" + findings(c);
    if (c.borrow.sources.empty()) {
      out += "</section>\n";
      continue;
    }
    auto text = inputs.reread_text(c.document.where);
    if (!text)
      return text.error();
    std::vector<detail::source_view> views;
    for (const source_share& s : c.borrow.sources) {
      const archived_doc& a = c.archived[s.reference];
      views.push_back({&s, a.id, a.text, meta_note(a)});
    }
    out += detail::copy_beside_sources(c.document.id, *text, views, sid);
    out += "</section>\n";
  }
  out += detail::passage_page_tail();
  return out;
}

} // namespace copydesk
