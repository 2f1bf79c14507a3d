// HTML report: one self-contained page (inline CSS, inline SVG, a little inline script; nothing is
// fetched). Summary cards, one card per story with a verdict per document, a similarity heatmap
// ordered by story, sortable tables, and side-by-side passage views (the borrow view's pieces).
// Large corpora get summaries and top rows; the page says where it cut. Every piece of document
// text (texts, ids, labels, messages) goes through html_escape.
#include "writers/html_common.hpp"
#include "writers/report_detail.hpp"

#include <copydesk/version.hpp>
#include <copydesk/writers.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>

namespace copydesk {

namespace {

using detail::finding;
using detail::finding_kind;
using detail::mark;
using detail::marked_text;
using detail::percent;
using detail::thousands;

constexpr const char* page_css = R"(
:root{--ink:#212529;--muted:#5c636a;--line:#dee2e6;--soft:#f8f9fa}
*{box-sizing:border-box}
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0 auto;max-width:1240px;padding:1.2em 2em 3em;color:var(--ink);background:#fff}
h1{font-size:1.6em;margin:.1em 0 .1em}h2{font-size:1.25em;margin:1.6em 0 .5em;padding-bottom:.2em;border-bottom:2px solid var(--line)}
h3{font-size:1.05em;margin:0}h4{font-size:.95em;margin:.2em 0}
.sub{color:var(--muted);margin:0 0 1em}
nav{font-size:.9em;margin:.3em 0 1em}nav a{margin-right:1em}
a{color:#1864ab;text-decoration:none}a:hover{text-decoration:underline}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(9em,1fr));gap:.7em}
.card{border:1px solid var(--line);border-radius:6px;padding:.4em .8em;background:var(--soft)}
.card b{display:block;font-size:1.5em;line-height:1.2}.card span{color:var(--muted);font-size:.85em}
.card.warn{background:#fff9db;border-color:#ffe066}
.story{border:1px solid var(--line);border-radius:8px;margin:.9em 0;padding:.7em 1em;background:#fff}
.story header{display:flex;flex-wrap:wrap;align-items:baseline;gap:.4em 1em;margin-bottom:.4em}
.terms span{display:inline-block;background:#e7f5ff;color:#1864ab;border-radius:10px;padding:0 .55em;margin:0 .2em .1em 0;font-size:.88em}
.meta{color:var(--muted);font-size:.88em}
table{border-collapse:collapse;width:100%;font-size:.9em}
th,td{text-align:left;padding:.3em .5em;border-bottom:1px solid var(--line);vertical-align:top}
th{background:var(--soft);white-space:nowrap}
table.sortable th{cursor:pointer}table.sortable th:hover{background:#e9ecef}
th[aria-sort=ascending]::after{content:" \25B2";font-size:.7em}th[aria-sort=descending]::after{content:" \25BC";font-size:.7em}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
.doc{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.92em;overflow-wrap:anywhere}
table.members td:first-child{min-width:15em}
ul.facts{margin:0;padding-left:1.1em;color:var(--muted);font-size:.92em}ul.facts li{margin:.05em 0}
.f-problem{color:#c92a2a}
.v-repeats{background:#f3d9fa;color:#862e9c}
td.vcell{width:36%}.headline{font-weight:500}
table.members td{padding:.45em .5em}
.note{background:#fff9db;border-left:4px solid #fab005;padding:.3em .7em;font-size:.9em}
.heat{overflow:auto;border:1px solid var(--line);border-radius:6px;padding:.5em;background:#fff}
.legend{display:flex;flex-wrap:wrap;gap:1.5em;font-size:.85em;color:var(--muted);margin:.5em 0}
.legend i{display:inline-block;width:1.4em;height:1em;vertical-align:middle;border:1px solid #ced4da}
details.view{border:1px solid var(--line);border-radius:6px;margin:.5em 0;padding:.3em .8em}
details.view[open]{background:#fff}
details.view summary{cursor:pointer;padding:.2em 0}
.bar{display:flex;height:12px;background:#f1f3f5;border:1px solid #ced4da;border-radius:3px;overflow:hidden;margin:.3em 0}
.bar span{display:block;height:100%}
ol.plist{margin:.3em 0 .6em;padding-left:1.6em;font-size:.9em}ol.plist li{margin:.1em 0}
ol.plist i{display:inline-block;width:.9em;height:.9em;border-radius:2px;margin-right:.4em;vertical-align:-1px}
dl.params{display:grid;grid-template-columns:max-content 1fr;gap:.1em 1.2em;font-size:.88em}
dl.params dt{color:var(--muted)}dl.params dd{margin:0;font-family:ui-monospace,monospace}
)";

constexpr const char* page_script = R"(<script>
(function () {
  function key(row, i) {
    var c = row.cells[i];
    if (!c) return '';
    var v = c.getAttribute('data-v');
    return v !== null ? parseFloat(v) : c.textContent.toLowerCase();
  }
  document.querySelectorAll('table.sortable th').forEach(function (th) {
    th.addEventListener('click', function () {
      var table = th.closest('table');
      var i = Array.prototype.indexOf.call(th.parentNode.children, th);
      var asc = th.getAttribute('aria-sort') !== 'ascending';
      table.querySelectorAll('th').forEach(function (h) { h.removeAttribute('aria-sort'); });
      th.setAttribute('aria-sort', asc ? 'ascending' : 'descending');
      var body = table.tBodies[0];
      var rows = Array.prototype.slice.call(body.rows);
      rows.sort(function (a, b) {
        var x = key(a, i), y = key(b, i);
        var c = (typeof x === 'number' && typeof y === 'number') ? x - y : (x < y ? -1 : x > y ? 1 : 0);
        return asc ? c : -c;
      });
      rows.forEach(function (r) { body.appendChild(r); });
    });
  });
  function openTarget() {
    var id = decodeURIComponent(location.hash.slice(1));
    var e = id ? document.getElementById(id) : null;
    if (e && e.tagName === 'DETAILS') { e.open = true; e.scrollIntoView(); }
  }
  window.addEventListener('hashchange', openTarget);
  openTarget();
})();
</script>
)";

// At most `max` bytes of `s`, cut at a UTF-8 character boundary and a space, with "..." when cut;
// whitespace runs become one space.
std::string excerpt(std::string_view s, std::size_t max) {
  std::string out;
  bool space = false;
  for (const char c : s) {
    if (c == ' ' || c == '\n' || c == '\t' || c == '\r') {
      space = !out.empty();
      continue;
    }
    if (space)
      out.push_back(' ');
    space = false;
    out.push_back(c);
  }
  if (out.size() <= max)
    return out;
  std::size_t cut = max;
  while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80)
    --cut; // never split a UTF-8 sequence
  const std::size_t sp = out.rfind(' ', cut);
  if (sp != std::string::npos && sp > max / 2)
    cut = sp;
  out.resize(cut);
  return out + "...";
}

// Sources listed per document in a story card.
constexpr std::size_t facts_sources_max = 5;

std::string esc(std::string_view s) { return html_escape(s); }

std::string num_cell(double v, const std::string& shown) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return "<td class=\"num\" data-v=\"" + std::string(buf) + "\">" + shown + "</td>";
}

std::string fixed(double x, int digits) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.*f", digits, x);
  return buf;
}

std::string verdict_pill(verdict v) {
  return std::string("<span class=\"verdict v-") + to_string(v) + "\">" + names_of(v).label +
         "</span>";
}

// Colour between two RGB colours, t in [0,1].
std::string blend(unsigned from, unsigned to, double t) {
  t = std::clamp(t, 0.0, 1.0);
  auto ch = [&](int shift) {
    const auto a = static_cast<double>((from >> shift) & 0xff);
    const auto b = static_cast<double>((to >> shift) & 0xff);
    return static_cast<unsigned>(std::lround(a + (b - a) * t));
  };
  char buf[16];
  std::snprintf(buf, sizeof buf, "#%02x%02x%02x", ch(16), ch(8), ch(0));
  return buf;
}

constexpr unsigned shared_light = 0xffe8cc;
constexpr unsigned shared_dark = 0xc92a2a;
constexpr unsigned topic_light = 0xeef6fc;
constexpr unsigned topic_dark = 0x74b0e4;

// Shares are often small (a quote is 3% of an article): a square-root scale keeps them visible.
std::string shared_colour(double share) {
  return blend(shared_light, shared_dark, std::sqrt(share));
}
std::string topic_colour(double cosine) { return blend(topic_light, topic_dark, cosine / 0.6); }

// A pair of documents with passages, shown side by side: `copy` is the side with the larger
// share of its words found in the other.
struct pair_view {
  doc_index copy = 0;
  doc_index source = 0;
  const source_share* share = nullptr;   // copy's entry for source
  const source_share* reverse = nullptr; // source's entry for copy, if any
};

class page_writer {
public:
  page_writer(const pipeline_result& r, const report_html_options& o)
      : r_(r), o_(o), index_(detail::make_finding_index(r)) {}

  std::string render() {
    plan_views();
    std::string body;
    summary(body);
    stories(body);
    heatmap(body);
    clusters_table(body);
    borrow_table(body);
    repeats_table(body);
    documents_table(body);
    views(body);
    settings(body);
    std::string out = R"(<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>copydesk report</title>
<style>)";
    out += page_css;
    out += detail::passage_view_css;
    out += detail::verdict_pill_css;
    out += "</style>\n</head>\n<body>\n";
    out += body;
    out += detail::passage_view_script;
    out += page_script;
    out += "</body>\n</html>\n";
    return out;
  }

private:
  const pipeline_result& r_;
  const report_html_options& o_;
  detail::finding_index index_;
  std::vector<pair_view> pairs_;                 // every pair with passages, strongest first
  std::map<std::uint64_t, std::size_t> pair_of_; // (low, high) doc -> index in pairs_
  std::size_t views_shown_ = 0;                  // pairs_[0, views_shown_) have a view
  std::vector<std::size_t> self_view_of_;        // per document: self view number + 1, or 0
  std::size_t self_views_ = 0;
  bool views_cut_ = false;

  const std::string& id(doc_index d) const { return r_.documents[d].id; }
  std::string doc(doc_index d) const { return "<span class=\"doc\">" + esc(id(d)) + "</span>"; }
  bool has_text(doc_index d) const { return d < r_.texts.size(); }

  static std::uint64_t key(doc_index a, doc_index b) {
    return static_cast<std::uint64_t>(std::min(a, b)) << 32 | std::max(a, b);
  }

  // Pairs and which of them get a passage view, within the view budget.
  void plan_views() {
    const std::size_t n = r_.documents.size();
    for (doc_index d = 0; d < n; ++d) {
      for (const source_share& s : r_.borrow[d].sources) {
        const std::uint64_t k = key(d, s.reference);
        auto it = pair_of_.find(k);
        if (it == pair_of_.end()) {
          pair_of_.emplace(k, pairs_.size());
          pairs_.push_back({d, s.reference, &s, nullptr});
          continue;
        }
        pair_view& v = pairs_[it->second];
        // The side with the larger share of its words in the other is the copy; ties keep the
        // smaller id on the left.
        if (s.borrowed > v.share->borrowed) {
          v.reverse = v.share;
          v.copy = d;
          v.source = s.reference;
          v.share = &s;
        } else {
          v.reverse = &s;
        }
      }
    }
    std::vector<std::size_t> order(pairs_.size());
    for (std::size_t i = 0; i < order.size(); ++i)
      order[i] = i;
    auto strength = [&](const pair_view& v) {
      return std::max(v.share->copy_tokens, v.reverse ? v.reverse->copy_tokens : 0u);
    };
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
      return strength(pairs_[a]) > strength(pairs_[b]);
    });
    std::vector<pair_view> sorted;
    sorted.reserve(order.size());
    for (const std::size_t i : order)
      sorted.push_back(pairs_[i]);
    pairs_ = std::move(sorted);
    for (std::size_t i = 0; i < pairs_.size(); ++i)
      pair_of_[key(pairs_[i].copy, pairs_[i].source)] = i;

    std::size_t bytes = 0;
    const bool texts = r_.texts.size() == n;
    for (const pair_view& v : pairs_) {
      if (!texts)
        break;
      const std::size_t b = r_.texts[v.copy].size() + r_.texts[v.source].size();
      if (views_shown_ >= o_.views_max || bytes + b > o_.view_bytes_max) {
        views_cut_ = true;
        break;
      }
      bytes += b;
      ++views_shown_;
    }
    self_view_of_.assign(n, 0);
    for (const doc_index d : r_.self_repeating) {
      if (!texts)
        break;
      const std::size_t b = 2 * r_.texts[d].size();
      if (self_views_ >= o_.views_max || bytes + b > o_.view_bytes_max) {
        views_cut_ = true;
        break;
      }
      bytes += b;
      self_view_of_[d] = ++self_views_;
    }
  }

  // Link to the passage view of a pair, or "" when it has none.
  std::string view_link(doc_index a, doc_index b, const std::string& text) const {
    const auto it = pair_of_.find(key(a, b));
    if (it == pair_of_.end() || it->second >= views_shown_)
      return text;
    return "<a href=\"#v" + std::to_string(it->second + 1) + "\">" + text + "</a>";
  }

  void summary(std::string& out) const {
    const detail::report_counts c = detail::count_report(r_);
    out += "<h1>copydesk report</h1>\n<p class=\"sub\">" + thousands(c.documents) +
           " documents &middot; " + thousands(c.tokens) + " words &middot; copydesk " +
           esc(version()) + " &middot; <a href=\"#settings\">settings</a></p>\n";
    out += "<nav><a href=\"#stories\">Stories</a><a href=\"#heatmap\">Heatmap</a>"
           "<a href=\"#clusters\">Duplicates</a><a href=\"#borrowing\">Shared passages</a>"
           "<a href=\"#repeats\">Self-repetition</a><a href=\"#documents\">Documents</a>"
           "<a href=\"#views\">Passage views</a></nav>\n";
    auto card = [&](const std::string& value, const std::string& label, bool warn = false) {
      out += std::string("<div class=\"card") + (warn ? " warn" : "") + "\"><b>" + value +
             "</b><span>" + label + "</span></div>";
    };
    auto count_of = [&](verdict v) {
      return static_cast<std::size_t>(std::count(r_.verdicts.begin(), r_.verdicts.end(), v));
    };
    out += "<div class=\"cards\" id=\"summary\">";
    card(thousands(c.documents), "documents &middot; " + thousands(c.tokens) + " words");
    card(thousands(r_.dedup.clusters.size()), "duplicate clusters");
    card(thousands(c.multi_groups), "multi-document stories");
    card(thousands(count_of(verdict::copy) + count_of(verdict::borrows)), "copy or borrow");
    card(thousands(count_of(verdict::shares_quotes)), "share only quotes");
    card(thousands(count_of(verdict::own_words)), "own words");
    card(thousands(r_.self_repeating.size()), "repeat themselves");
    const std::size_t problems = c.unusable + c.empty + c.warnings + c.errors;
    card(thousands(problems),
         problems == 0
             ? std::string("problems")
             : "<a href=\"#diagnostics\">problems</a>: " + thousands(c.unusable) + " unusable, " +
                   thousands(c.empty) + " empty, " + thousands(c.warnings + c.errors) + " warnings",
         problems != 0);
    out += "</div>\n";
    if (!r_.diagnostics.empty()) {
      out += "<p class=\"note\" id=\"diagnostics\">Warnings and errors while reading:</p><ul>";
      const std::size_t shown = std::min<std::size_t>(r_.diagnostics.size(), 50);
      for (std::size_t i = 0; i < shown; ++i) {
        const diagnostic& d = r_.diagnostics[i];
        out += std::string("<li>") + (d.level == severity::warning ? "warning" : "error") +
               ": <span class=\"doc\">" + esc(d.origin) + "</span>: " + esc(d.message) + "</li>";
      }
      if (shown < r_.diagnostics.size())
        out += "<li>&hellip; and " + thousands(r_.diagnostics.size() - shown) + " more</li>";
      out += "</ul>\n";
    }
  }

  static const char* kind_name(finding_kind k) {
    switch (k) {
    case finding_kind::problem:
      return "problem";
    case finding_kind::duplicate:
      return "duplicate";
    case finding_kind::borrows:
      return "borrows";
    case finding_kind::lends:
      return "lends";
    case finding_kind::own_words:
      return "own";
    case finding_kind::repeats:
      return "repeats";
    }
    return "";
  }

  // Facts about a document as list items, each with a link to its passage view.
  std::string facts(doc_index d, bool skip_duplicates) const {
    std::string out = "<ul class=\"facts\">";
    std::size_t sources = 0;
    std::size_t hidden = 0;
    for (const finding& f : detail::findings_of(r_, index_, d)) {
      if (f.kind == finding_kind::duplicate && skip_duplicates)
        continue; // the headline says it; the pair table has the scores
      // Large stories: the sources that cover most of its words; the table has the rest.
      if (f.kind == finding_kind::borrows && ++sources > facts_sources_max) {
        ++hidden;
        continue;
      }
      std::string link;
      if (f.has_other && f.kind != finding_kind::problem)
        link = view_link(d, f.other, "view");
      if (f.kind == finding_kind::repeats && self_view_of_[d] != 0)
        link = "<a href=\"#s" + std::to_string(self_view_of_[d]) + "\">view</a>";
      out += "<li class=\"f-" + std::string(kind_name(f.kind)) + "\">" + esc(f.text) +
             (link.empty() || link == "view" ? std::string() : " &middot; " + link) + "</li>";
    }
    if (hidden != 0) {
      out += "<li>and " + std::to_string(hidden) + " more documents with shared passages (<a " +
             "href=\"#borrowing\">table</a>)</li>";
    }
    out += "</ul>";
    return out;
  }

  // The verdict cell of a story card: pill, one-line headline, and self-repetition if any.
  std::string verdict_cell(doc_index d) const {
    std::string out = verdict_pill(r_.verdicts[d]) + " <span class=\"headline\">" +
                      esc(detail::headline_of(r_, index_, d)) + "</span>";
    const copy_result& b = r_.borrow[d];
    if (!b.self_passages.empty()) {
      out += "<br><span class=\"verdict v-repeats\">repeats itself</span> <span "
             "class=\"headline\">" +
             percent(b.self_repeated) + " of its words occur twice</span>";
    }
    return out;
  }

  std::string label(const story_group& g) const {
    std::string out = "<span class=\"terms\">";
    for (const std::string& t : g.label)
      out += "<span>" + esc(t) + "</span>";
    return out + "</span>";
  }

  bool worth_a_card(const story_group& g) const {
    if (g.members.size() > 1)
      return true;
    const doc_index d = g.members.front();
    return r_.dedup.cluster_of[d] >= 0 || !r_.borrow[d].self_passages.empty();
  }

  // With publication times: the members of a story that share passages, earliest first, joined
  // by arrows, each later one naming the earlier members it takes from; members without a time
  // after them. Empty without times or shared passages.
  std::string copy_chain(const story_group& sg) const {
    if (!r_.config.stories.time_meta)
      return {};
    std::vector<doc_index> dated;
    std::vector<doc_index> undated;
    for (const doc_index m : sg.members) {
      if (r_.borrow[m].sources.empty())
        continue;
      (r_.borrow[m].time ? dated : undated).push_back(m);
    }
    if (dated.size() + undated.size() < 2)
      return {};
    std::stable_sort(dated.begin(), dated.end(), [&](doc_index a, doc_index b) {
      return r_.borrow[a].time->seconds < r_.borrow[b].time->seconds;
    });
    std::string out = "<p class=\"chain\"><b>Copy chain</b> (by publication time): ";
    for (std::size_t i = 0; i < dated.size(); ++i) {
      const copy_result& c = r_.borrow[dated[i]];
      out +=
          (i == 0 ? "" : " &rarr; ") + doc(dated[i]) + " <small>" + esc(c.time->text) + "</small>";
      std::string from;
      for (const source_share& s : c.sources) {
        if (s.found == found_when::earlier)
          from += (from.empty() ? "" : ", ") + esc(id(s.reference));
      }
      if (!from.empty())
        out += " <small>(takes from " + from + ")</small>";
    }
    if (!undated.empty()) {
      out += dated.empty() ? "no member has a time: " : "; without a time: ";
      for (std::size_t i = 0; i < undated.size(); ++i)
        out += (i == 0 ? "" : ", ") + doc(undated[i]);
    }
    return out + "</p>";
  }

  void stories(std::string& out) const {
    out += "<h2 id=\"stories\">Stories</h2>\n<p class=\"sub\">Documents grouped by topic (TF-IDF "
           "cosine, average link). Inside each story every document is compared with the others: "
           "a verdict per document, then what was found. &ldquo;Found in&rdquo; shares count "
           "the document&rsquo;s words inside passages that also occur in the other text.</p>\n";
    std::size_t shown = 0;
    std::size_t hidden = 0;
    std::size_t singles = 0;
    for (std::size_t g = 0; g < r_.stories.groups.size(); ++g) {
      const story_group& sg = r_.stories.groups[g];
      if (!worth_a_card(sg)) {
        ++singles;
        continue;
      }
      if (shown == o_.stories_max) {
        ++hidden;
        continue;
      }
      ++shown;
      out += "<article class=\"story\" id=\"g" + std::to_string(g + 1) + "\"><header><h3>Story " +
             std::to_string(g + 1) + "</h3>" + label(sg) + "<span class=\"meta\">" +
             std::to_string(sg.members.size()) +
             (sg.members.size() == 1 ? " document" : " documents");
      if (sg.cohesion)
        out += " &middot; cohesion " + fixed(*sg.cohesion, 2);
      out += "</span></header>\n<table class=\"members\"><thead><tr><th>Document</th><th "
             "class=\"num\">Words</th><th>Verdict</th><th>Details</th></tr></thead><tbody>\n";
      for (const doc_index m : sg.members) {
        out += "<tr><td>" + doc(m) + "</td><td class=\"num\">" + thousands(r_.documents[m].tokens) +
               "</td><td class=\"vcell\">" + verdict_cell(m) + "</td><td>" + facts(m, true) +
               "</td></tr>\n";
      }
      out += "</tbody></table>" + copy_chain(sg) + "</article>\n";
    }
    if (hidden != 0) {
      out += "<p class=\"note\">" + thousands(hidden) +
             " more stories with several documents are not shown as cards (limit " +
             thousands(o_.stories_max) + "); the tables below and the JSON report hold them.</p>\n";
    }
    if (singles != 0) {
      out += "<p class=\"sub\">" + thousands(singles) +
             " documents are alone in their story and share nothing; see the document "
             "table.</p>\n";
    }
    std::size_t ungrouped = 0;
    for (const std::int32_t g : r_.stories.group_of)
      ungrouped += g < 0 ? 1 : 0;
    if (ungrouped != 0) {
      out += "<p class=\"sub\">" + thousands(ungrouped) +
             " documents have no story (unusable, empty, or without terms).</p>\n";
    }
  }

  // Documents of the heatmap: whole stories, largest first, up to heatmap_max documents.
  std::vector<doc_index> heatmap_documents(std::vector<std::size_t>& group_sizes) const {
    std::vector<doc_index> docs;
    for (const story_group& g : r_.stories.groups) {
      if (docs.size() + g.members.size() > o_.heatmap_max) {
        if (docs.empty()) { // one story larger than the map: its first members
          for (std::size_t i = 0; i < o_.heatmap_max; ++i)
            docs.push_back(g.members[i]);
          group_sizes.push_back(o_.heatmap_max);
        }
        break;
      }
      docs.insert(docs.end(), g.members.begin(), g.members.end());
      group_sizes.push_back(g.members.size());
    }
    return docs;
  }

  void heatmap(std::string& out) const {
    out += "<h2 id=\"heatmap\">Similarity heatmap</h2>\n";
    std::vector<std::size_t> sizes;
    const std::vector<doc_index> docs = heatmap_documents(sizes);
    const std::size_t n = docs.size();
    std::size_t grouped = 0;
    for (const std::int32_t g : r_.stories.group_of)
      grouped += g >= 0 ? 1 : 0;
    if (n < 2) {
      out += "<p class=\"sub\">Fewer than two documents have a story: nothing to map.</p>\n";
      return;
    }
    out += "<p class=\"sub\">Documents ordered by story (outlined); row and column are the same "
           "documents. Red: share of the <em>row</em> document&rsquo;s words found in the "
           "<em>column</em> document. Blue: same topic (TF-IDF cosine) without shared "
           "passages. Hover a cell for the numbers.</p>\n";
    if (n < grouped) {
      out += "<p class=\"note\">The heatmap shows " + thousands(n) + " of " + thousands(grouped) +
             " documents: the largest stories first, up to " + thousands(o_.heatmap_max) +
             " documents. Tables below cover every document.</p>\n";
    }
    std::vector<std::int64_t> pos(r_.documents.size(), -1);
    for (std::size_t i = 0; i < n; ++i)
      pos[docs[i]] = static_cast<std::int64_t>(i);
    const bool labels = n <= 60;
    const double cell = std::clamp(600.0 / static_cast<double>(n), 3.0, 34.0);
    std::size_t longest = 0;
    for (const doc_index d : docs)
      longest = std::max(longest, id(d).size());
    const double left =
        labels ? 12.0 + 7.0 * static_cast<double>(std::min<std::size_t>(longest, 40)) + 24.0 : 8.0;
    const double top = labels ? 24.0 : 8.0;
    const double size = cell * static_cast<double>(n);
    const double w = left + size + 8;
    const double h = top + size + 8;
    auto f1 = [](double x) { return fixed(x, 1); };
    out += "<div class=\"heat\"><svg width=\"" + f1(w) + "\" height=\"" + f1(h) +
           "\" viewBox=\"0 0 " + f1(w) + " " + f1(h) +
           "\" role=\"img\" aria-label=\"similarity heatmap\" font-family=\"system-ui,sans-serif\" "
           "font-size=\"12\">\n";
    out += "<rect x=\"" + f1(left) + "\" y=\"" + f1(top) + "\" width=\"" + f1(size) +
           "\" height=\"" + f1(size) + "\" fill=\"#fcfcfd\" stroke=\"#dee2e6\"/>\n";
    // Topic cells first, shared-text cells over them.
    std::map<std::uint64_t, double> cosine;
    for (const scored_pair& p : r_.stories.pairs) {
      if (pos[p.a] >= 0 && pos[p.b] >= 0)
        cosine[key(p.a, p.b)] = p.score;
    }
    auto rect = [&](std::size_t row, std::size_t col, const std::string& fill,
                    const std::string& title) {
      out += "<rect x=\"" + f1(left + cell * static_cast<double>(col)) + "\" y=\"" +
             f1(top + cell * static_cast<double>(row)) + "\" width=\"" + f1(cell) + "\" height=\"" +
             f1(cell) + "\" fill=\"" + fill + "\"><title>" + title + "</title></rect>\n";
    };
    for (std::size_t i = 0; i < n; ++i)
      rect(i, i, "#adb5bd", esc(id(docs[i])));
    std::map<std::uint64_t, bool> shared_pair;
    for (std::size_t i = 0; i < n; ++i) {
      const doc_index d = docs[i];
      for (const source_share& s : r_.borrow[d].sources) {
        if (pos[s.reference] < 0)
          continue;
        shared_pair[key(d, s.reference)] = true;
        const auto j = static_cast<std::size_t>(pos[s.reference]);
        rect(i, j, shared_colour(s.borrowed),
             esc(id(d)) + ": " + percent(s.borrowed) + " of its words found in " +
                 esc(id(s.reference)) + " (longest passage " + std::to_string(s.longest) +
                 " words)");
      }
    }
    for (const auto& [k, c] : cosine) {
      if (shared_pair.count(k) != 0)
        continue;
      const auto a = static_cast<doc_index>(k >> 32);
      const auto b = static_cast<doc_index>(k & 0xffffffffu);
      const std::string title =
          esc(id(a)) + " and " + esc(id(b)) + ": cosine " + fixed(c, 2) + ", no shared passage";
      rect(static_cast<std::size_t>(pos[a]), static_cast<std::size_t>(pos[b]), topic_colour(c),
           title);
      rect(static_cast<std::size_t>(pos[b]), static_cast<std::size_t>(pos[a]), topic_colour(c),
           title);
    }
    // Story outlines.
    std::size_t at = 0;
    for (const std::size_t s : sizes) {
      if (s > 1) {
        out += "<rect x=\"" + f1(left + cell * static_cast<double>(at)) + "\" y=\"" +
               f1(top + cell * static_cast<double>(at)) + "\" width=\"" +
               f1(cell * static_cast<double>(s)) + "\" height=\"" +
               f1(cell * static_cast<double>(s)) +
               "\" fill=\"none\" stroke=\"#343a40\" stroke-width=\"1.5\"/>\n";
      }
      at += s;
    }
    if (labels) {
      for (std::size_t i = 0; i < n; ++i) {
        std::string name = id(docs[i]);
        if (name.size() > 40)
          name = name.substr(0, 37) + "...";
        out += "<text x=\"" + f1(left - 6) + "\" y=\"" +
               f1(top + cell * (static_cast<double>(i) + 0.5) + 4) +
               "\" text-anchor=\"end\" fill=\"#343a40\">" + esc(name) + " " +
               std::to_string(i + 1) + "</text>\n";
        out += "<text x=\"" + f1(left + cell * (static_cast<double>(i) + 0.5)) + "\" y=\"" +
               f1(top - 8) + "\" text-anchor=\"middle\" fill=\"#343a40\">" + std::to_string(i + 1) +
               "</text>\n";
      }
    }
    out += "</svg></div>\n<div class=\"legend\"><span>shared text (share of the row&rsquo;s "
           "words):";
    for (const double s : {0.02, 0.1, 0.3, 0.6, 1.0})
      out += " <i style=\"background:" + shared_colour(s) + "\"></i> " + percent(s);
    out += "</span><span>same topic, nothing shared (cosine):";
    for (const double c : {0.1, 0.2, 0.4, 0.6})
      out += " <i style=\"background:" + topic_colour(c) + "\"></i> " + fixed(c, 1);
    out += "</span><span><i style=\"background:#adb5bd\"></i> the document itself</span></div>\n";
  }

  void clusters_table(std::string& out) const {
    out += "<h2 id=\"clusters\">Duplicate clusters and pairs</h2>\n";
    const dedup_result& dr = r_.dedup;
    if (dr.clusters.empty()) {
      out += "<p class=\"sub\">No duplicates: no pair reaches Jaccard " +
             fixed(dr.config.threshold, 2) + " or containment " +
             fixed(dr.config.containment.threshold, 2) + ".</p>\n";
      return;
    }
    out += "<p class=\"sub\">Near-duplicates have Jaccard &ge; " + fixed(dr.config.threshold, 2) +
           " over word " + std::to_string(dr.config.minhash.shingles.width) +
           "-shingles; a contained duplicate has &ge; " +
           fixed(dr.config.containment.threshold, 2) +
           " of the smaller text&rsquo;s shingles inside the larger. Every score is exact.</p>\n";
    out +=
        "<table class=\"sortable\" id=\"cluster-table\"><thead><tr><th class=\"num\">Cluster</th>"
        "<th>Kind</th><th class=\"num\">Size</th><th>Representative</th><th>Members</th>"
        "</tr></thead><tbody>\n";
    const std::size_t shown = std::min(dr.clusters.size(), o_.table_rows_max);
    for (std::size_t k = 0; k < shown; ++k) {
      const duplicate_cluster& c = dr.clusters[k];
      out += "<tr id=\"c" + std::to_string(k + 1) + "\">" +
             num_cell(static_cast<double>(k + 1), std::to_string(k + 1)) + "<td>" +
             to_string(c.kind) + "</td>" +
             num_cell(static_cast<double>(c.members.size()), std::to_string(c.members.size())) +
             "<td>" + doc(c.representative) + "</td><td>";
      for (std::size_t i = 0; i < c.members.size(); ++i)
        out += (i == 0 ? "" : ", ") + doc(c.members[i]);
      out += "</td></tr>\n";
    }
    out += "</tbody></table>\n";
    cut_note(out, shown, dr.clusters.size(), "clusters");

    // Pairs: the strongest first (containment of the smaller side, then Jaccard).
    std::vector<std::size_t> order(dr.pairs.size());
    for (std::size_t i = 0; i < order.size(); ++i)
      order[i] = i;
    auto strength = [&](const duplicate_pair& p) { return std::max(p.a_in_b, p.b_in_a); };
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
      return strength(dr.pairs[a]) > strength(dr.pairs[b]);
    });
    out += "<h3 style=\"margin-top:1em\">Pairs</h3>\n<table class=\"sortable\" id=\"pair-table\">"
           "<thead><tr><th>a</th><th>b</th><th>Kind</th><th class=\"num\">Jaccard</th>"
           "<th class=\"num\">a in b</th><th class=\"num\">b in a</th><th class=\"num\">Shared "
           "shingles</th><th>Passages</th></tr></thead><tbody>\n";
    const std::size_t pshown = std::min(order.size(), o_.table_rows_max);
    for (std::size_t i = 0; i < pshown; ++i) {
      const duplicate_pair& p = dr.pairs[order[i]];
      out += "<tr><td>" + doc(p.a) + "</td><td>" + doc(p.b) + "</td><td>" + to_string(p.kind) +
             "</td>" + num_cell(p.jaccard, format_score(p.jaccard)) +
             num_cell(p.a_in_b, format_score(p.a_in_b)) +
             num_cell(p.b_in_a, format_score(p.b_in_a)) + num_cell(p.shared, thousands(p.shared)) +
             "<td>" + view_link(p.a, p.b, "view") + "</td></tr>\n";
    }
    out += "</tbody></table>\n";
    cut_note(out, pshown, order.size(), "pairs (the strongest are shown)");
  }

  static void cut_note(std::string& out, std::size_t shown, std::size_t total, const char* what) {
    if (shown < total) {
      out += "<p class=\"note\">Showing " + thousands(shown) + " of " + thousands(total) + " " +
             what + "; the JSON report (--format json) holds all of them.</p>\n";
    }
  }

  void borrow_table(std::string& out) const {
    out += "<h2 id=\"borrowing\">Shared passages inside stories</h2>\n";
    struct row {
      doc_index copy;
      const source_share* s;
    };
    std::vector<row> rows;
    for (doc_index d = 0; d < r_.borrow.size(); ++d) {
      for (const source_share& s : r_.borrow[d].sources)
        rows.push_back({d, &s});
    }
    if (rows.empty()) {
      out += "<p class=\"sub\">No passage of &ge; " + std::to_string(r_.config.borrow.min_tokens) +
             " matched words is shared between documents of one story.</p>\n";
      return;
    }
    std::stable_sort(rows.begin(), rows.end(), [](const row& a, const row& b) {
      return a.s->copy_tokens > b.s->copy_tokens;
    });
    out += "<p class=\"sub\">Each document was aligned with every other document of its story "
           "(and of its duplicate pairs): passages of &ge; " +
           std::to_string(r_.config.borrow.min_tokens) +
           " matched words, light edits bridged. Share of its words: how much of the document "
           "lies in passages found in the other; outside quotes: the same, counting only words "
           "outside quotation marks; lede: the share of its first paragraph in those passages; "
           "share of the other&rsquo;s words: the same seen from the other text.</p>\n";
    out += "<table class=\"sortable\" id=\"borrow-table\"><thead><tr><th>Document</th>"
           "<th>Found in</th><th class=\"num\">Story</th><th class=\"num\">Share of its "
           "words</th><th class=\"num\">Outside quotes</th><th class=\"num\">Lede</th>"
           "<th class=\"num\">Share of the other&rsquo;s words</th><th class=\"num\">"
           "Passages</th><th class=\"num\">Longest (words)</th><th>Passages</th></tr></thead>"
           "<tbody>\n";
    const std::size_t shown = std::min(rows.size(), o_.table_rows_max);
    for (std::size_t i = 0; i < shown; ++i) {
      const row& w = rows[i];
      const std::int32_t g = r_.stories.group_of[w.copy];
      out += "<tr><td>" + doc(w.copy) + "</td><td>" + doc(w.s->reference) + "</td>" +
             (g < 0 ? std::string("<td class=\"num\" data-v=\"0\">-</td>")
                    : num_cell(g + 1, "<a href=\"#g" + std::to_string(g + 1) + "\">" +
                                          std::to_string(g + 1) + "</a>")) +
             num_cell(w.s->borrowed, percent(w.s->borrowed)) +
             num_cell(w.s->borrowed_prose, percent(w.s->borrowed_prose)) +
             num_cell(w.s->lede_borrowed, percent(w.s->lede_borrowed)) +
             num_cell(w.s->reused, percent(w.s->reused)) +
             num_cell(static_cast<double>(w.s->passages.size()),
                      std::to_string(w.s->passages.size())) +
             num_cell(w.s->longest, std::to_string(w.s->longest)) + "<td>" +
             view_link(w.copy, w.s->reference, "view") + "</td></tr>\n";
    }
    out += "</tbody></table>\n";
    cut_note(out, shown, rows.size(), "rows (the most shared words first)");
  }

  void repeats_table(std::string& out) const {
    out += "<h2 id=\"repeats\">Self-repetition</h2>\n";
    out += "<p class=\"sub\">Documents with &ge; " + percent(r_.config.self_repeat_share) +
           " of their words in passages that occur twice inside them (a page body printed "
           "twice, a pasted block).</p>\n";
    if (r_.self_repeating.empty()) {
      out += "<p class=\"sub\">None.</p>\n";
      return;
    }
    out += "<table class=\"sortable\"><thead><tr><th>Document</th><th class=\"num\">Words</th>"
           "<th class=\"num\">Repeated</th><th class=\"num\">Passages</th><th class=\"num\">"
           "Longest (words)</th><th>Passages</th></tr></thead><tbody>\n";
    const std::size_t shown = std::min(r_.self_repeating.size(), o_.table_rows_max);
    for (std::size_t i = 0; i < shown; ++i) {
      const doc_index d = r_.self_repeating[i];
      const copy_result& b = r_.borrow[d];
      std::uint32_t longest = 0;
      for (const passage& p : b.self_passages)
        longest = std::max(longest, p.copy_tokens());
      out +=
          "<tr><td>" + doc(d) + "</td>" +
          num_cell(r_.documents[d].tokens, thousands(r_.documents[d].tokens)) +
          num_cell(b.self_repeated, percent(b.self_repeated)) +
          num_cell(static_cast<double>(b.self_passages.size()),
                   std::to_string(b.self_passages.size())) +
          num_cell(longest, std::to_string(longest)) + "<td>" +
          (self_view_of_[d] != 0 ? "<a href=\"#s" + std::to_string(self_view_of_[d]) + "\">view</a>"
                                 : std::string()) +
          "</td></tr>\n";
    }
    out += "</tbody></table>\n";
    cut_note(out, shown, r_.self_repeating.size(), "documents");
  }

  void documents_table(std::string& out) const {
    out += "<h2 id=\"documents\">Documents</h2>\n";
    out += "<table class=\"sortable\" id=\"document-table\"><thead><tr><th>Document</th>"
           "<th class=\"num\">Words</th><th>Verdict</th><th class=\"num\">Cluster</th>"
           "<th class=\"num\">Story</th><th class=\"num\">Found in others</th><th class=\"num\">"
           "Repeated</th><th>Note</th></tr></thead><tbody>\n";
    const std::size_t n = r_.documents.size();
    std::size_t shown = 0;
    for (doc_index d = 0; d < n && shown < o_.document_rows_max; ++d, ++shown) {
      const doc_info& info = r_.documents[d];
      const std::int32_t c = r_.dedup.cluster_of[d];
      const std::int32_t g = r_.stories.group_of[d];
      std::string note;
      if (!info.error.empty())
        note = esc(info.error);
      else if (info.tokens == 0)
        note = "empty";
      else if (info.invalid_utf8 != 0)
        note = std::to_string(info.invalid_utf8) + " invalid UTF-8 sequence(s) replaced";
      out += "<tr><td>" + doc(d) + "</td>" + num_cell(info.tokens, thousands(info.tokens)) +
             "<td data-v=\"" + std::to_string(static_cast<int>(r_.verdicts[d])) + "\">" +
             verdict_pill(r_.verdicts[d]) + "</td>" +
             (c < 0 ? std::string("<td class=\"num\" data-v=\"0\"></td>")
                    : num_cell(c + 1, "<a href=\"#c" + std::to_string(c + 1) + "\">" +
                                          std::to_string(c + 1) + "</a>")) +
             (g < 0 ? std::string("<td class=\"num\" data-v=\"0\"></td>")
                    : num_cell(g + 1, std::to_string(g + 1))) +
             (r_.compared[d] != 0 ? num_cell(r_.borrow[d].borrowed, percent(r_.borrow[d].borrowed))
                                  : std::string("<td class=\"num\" data-v=\"-1\"></td>")) +
             num_cell(r_.borrow[d].self_repeated, percent(r_.borrow[d].self_repeated)) + "<td>" +
             note + "</td></tr>\n";
    }
    out += "</tbody></table>\n";
    cut_note(out, shown, n, "documents");
  }

  std::string pair_view_html(std::size_t k) const {
    const pair_view& v = pairs_[k];
    const std::string base = "v" + std::to_string(k + 1);
    const source_share& s = *v.share;
    std::string out =
        "<details class=\"view\" id=\"" + base + "\"><summary>" + doc(v.copy) + " &harr; " +
        doc(v.source) + ": " + percent(s.borrowed) + " of " + esc(id(v.copy)) +
        "&rsquo;s words are found in " + esc(id(v.source)) + ", " + percent(s.reused) + " of " +
        esc(id(v.source)) + "&rsquo;s words in " + esc(id(v.copy)) + " &middot; " +
        std::to_string(s.passages.size()) + (s.passages.size() == 1 ? " passage" : " passages") +
        ", longest " + std::to_string(s.longest) + " words &middot; " + percent(s.borrowed_prose) +
        " outside quotes, " + percent(s.lede_borrowed) + " of the lede " + detail::credit_badge(s) +
        detail::facts_badge(s) + "</summary>\n<p class=\"sub\">" + detail::quote_legend + "</p>\n";
    std::vector<mark> left;
    std::vector<mark> right;
    for (std::size_t p = 0; p < s.passages.size(); ++p) {
      const passage& ps = s.passages[p];
      const std::string pid = base + "p" + std::to_string(p);
      left.push_back({ps.copy_bytes, pid + "c", pid + "r", p,
                      std::to_string(ps.copy_tokens()) + " words (" + std::to_string(ps.quoted) +
                          " inside quotes), also in " + id(v.source)});
      right.push_back({ps.ref_bytes, pid + "r", pid + "c", p,
                       std::to_string(ps.ref_tokens()) + " words, also in " + id(v.copy)});
    }
    // The passages in words first, so a reader sees what is shared without scrolling.
    out += "<ol class=\"plist\">";
    const std::size_t listed = std::min<std::size_t>(s.passages.size(), 12);
    for (std::size_t p = 0; p < listed; ++p) {
      const passage& ps = s.passages[p];
      const std::string& text = r_.texts[v.copy];
      const std::size_t b = std::min<std::size_t>(ps.copy_bytes.begin, text.size());
      const std::size_t e = std::min<std::size_t>(ps.copy_bytes.end, text.size());
      out += "<li><i style=\"background:" +
             std::string(detail::passage_palette[p % detail::passage_palette_size]) +
             "\"></i><a href=\"#" + base + "p" + std::to_string(p) + "c\">" +
             std::to_string(ps.copy_tokens()) + " words</a> &ldquo;" +
             esc(excerpt(std::string_view(text).substr(b, e - b), 160)) + "&rdquo;</li>";
    }
    if (listed < s.passages.size())
      out += "<li>&hellip; and " + std::to_string(s.passages.size() - listed) + " more</li>";
    out += "</ol>\n";
    out += "<div class=\"pair\"><div><h4>" + doc(v.copy) + " &middot; " +
           thousands(r_.documents[v.copy].tokens) + " words</h4>\n" +
           marked_text(r_.texts[v.copy], left, detail::quote_spans(r_.texts[v.copy]),
                       detail::change_spans(s, true)) +
           "</div><div><h4>" + doc(v.source) + " &middot; " +
           thousands(r_.documents[v.source].tokens) + " words</h4>\n" +
           marked_text(r_.texts[v.source], right, detail::quote_spans(r_.texts[v.source]),
                       detail::change_spans(s, false)) +
           "</div></div></details>\n";
    return out;
  }

  std::string self_view_html(doc_index d) const {
    const copy_result& b = r_.borrow[d];
    const std::string base = "s" + std::to_string(self_view_of_[d]);
    std::string out = "<details class=\"view\" id=\"" + base + "\"><summary>" + doc(d) +
                      " repeats itself: " + percent(b.self_repeated) + " of its words in " +
                      std::to_string(b.self_passages.size()) +
                      (b.self_passages.size() == 1 ? " passage" : " passages") +
                      " that occur twice</summary>\n";
    out +=
        detail::self_repeat_pair(r_.texts[d], b.self_passages, base + "p", "h4") + "</details>\n";
    return out;
  }

  void views(std::string& out) const {
    out += "<h2 id=\"views\">Passage views</h2>\n";
    if (views_shown_ == 0 && self_views_ == 0) {
      out += "<p class=\"sub\">" +
             std::string(pairs_.empty() && r_.self_repeating.empty()
                             ? "No shared or repeated passages."
                             : "Texts were not kept for this page: no passage views.") +
             "</p>\n";
      return;
    }
    out += "<p class=\"sub\">Two texts side by side; each shared passage has one colour in both. "
           "Click a passage to jump to its twin.</p>\n";
    if (views_cut_) {
      out += "<p class=\"note\">Passage views are limited to " + thousands(o_.views_max) +
             " per kind and " + human_size(o_.view_bytes_max) +
             " of text: the pairs that share the most words come first; " +
             thousands(pairs_.size() - views_shown_) + " pairs and " +
             thousands(r_.self_repeating.size() - self_views_) +
             " self-repeating documents have no view here.</p>\n";
    }
    for (std::size_t k = 0; k < views_shown_; ++k)
      out += pair_view_html(k);
    for (const doc_index d : r_.self_repeating) {
      if (self_view_of_[d] != 0)
        out += self_view_html(d);
    }
  }

  static std::string human_size(std::size_t bytes) {
    return fixed(static_cast<double>(bytes) / 1e6, 1) + " MB";
  }

  void settings(std::string& out) const {
    out +=
        "<h2 id=\"settings\">Settings</h2>\n<p class=\"sub\">Every setting that affects the "
        "results, as in the JSON report&rsquo;s &ldquo;params&rdquo;.</p>\n<dl class=\"params\">";
    const detail::ojson p = detail::report_params_json(r_);
    std::vector<std::pair<std::string, const detail::ojson*>> flat;
    for (auto it = p.begin(); it != p.end(); ++it) {
      if (it->is_object()) {
        for (auto jt = it->begin(); jt != it->end(); ++jt)
          flat.emplace_back(it.key() + "." + jt.key(), &*jt);
      } else {
        flat.emplace_back(it.key(), &*it);
      }
    }
    for (const auto& [k, v] : flat)
      out += "<dt>" + esc(k) + "</dt><dd>" + esc(v->dump()) + "</dd>";
    out += "</dl>\n";
  }
};

} // namespace

std::string render_html(const pipeline_result& r, const report_html_options& options) {
  return page_writer(r, options).render();
}

} // namespace copydesk
