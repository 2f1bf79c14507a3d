// Pieces of the side-by-side passage view shared by the HTML pages (borrow, report): passage
// colours, highlighted escaped text, share bars, and the CSS and script that make a click on a
// passage jump to its twin. Every piece of document text goes through html_escape.
#pragma once

#include <copydesk/borrow.hpp>
#include <copydesk/types.hpp>

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

namespace copydesk::detail {

/// Distinct, light background colours for passages (readable under dark text).
inline constexpr const char* passage_palette[] = {"#ffd8a8", "#b2f2bb", "#a5d8ff", "#fcc2d7",
                                                  "#ffec99", "#d0bfff", "#99e9f2", "#ffc9c9",
                                                  "#c0eb75", "#e9ecef", "#96f2d7", "#eebefa"};
inline constexpr std::size_t passage_palette_size =
    sizeof passage_palette / sizeof passage_palette[0];

/// CSS of the passage view: the two-column .pair grid, scrolling .text boxes, <mark> passages
/// and the flash that shows a passage's twin.
inline constexpr const char* passage_view_css =
    R"(.pair{display:grid;grid-template-columns:1fr 1fr;gap:1.5em;align-items:start}
.text{white-space:pre-wrap;word-wrap:break-word;border:1px solid #dee2e6;border-radius:4px;padding:.6em .8em;max-height:38em;overflow:auto;background:#fcfcfd}
mark{color:inherit;cursor:pointer;border-radius:2px;padding:0 1px}
mark:hover{outline:1px solid #495057}
span.q{color:#1864ab;font-style:italic}
span.chg{text-decoration:underline wavy #c92a2a;text-decoration-thickness:1.5px;font-weight:600}
span.chg-other{text-decoration:underline dotted #868e96;font-weight:inherit}
.badge{display:inline-block;border-radius:4px;padding:0 .4em;font-size:.8em;font-weight:600}
.badge.credited{background:#d3f9d8;color:#2b8a3e}.badge.uncredited{background:#ffe3e3;color:#c92a2a}
.badge.facts{background:#fff3bf;color:#c92a2a;margin-left:.3em}
mark.flash{animation:flash 1.4s ease-out}
@keyframes flash{0%,40%{outline:3px solid #e8590c;box-shadow:0 0 8px #e8590c}100%{outline:0 solid transparent}}
)";

/// CSS of the verdict pills (<span class="verdict v-KEY">, KEY from verdict_names::key).
inline constexpr const char* verdict_pill_css =
    R"(.verdict{display:inline-block;border-radius:4px;padding:0 .5em;font-size:.85em;font-weight:600;white-space:nowrap}
.v-duplicate{background:#ffe3e3;color:#c92a2a}.v-copy{background:#ffe8cc;color:#d9480f}
.v-borrows{background:#fff3bf;color:#8f5f00}.v-own_words{background:#d3f9d8;color:#2b8a3e}
.v-shares_quotes{background:#e7f5ff;color:#1864ab}
.v-none{background:#f1f3f5;color:#5c636a}
)";

/// Script of the passage view: a click on a passage scrolls to its twin and flashes both.
inline constexpr const char* passage_view_script = R"(<script>
document.addEventListener('click', function (e) {
  var m = e.target.closest ? e.target.closest('mark[data-twin]') : null;
  if (!m) return;
  var t = document.getElementById(m.getAttribute('data-twin'));
  if (!t) return;
  t.scrollIntoView({behavior: 'smooth', block: 'center'});
  [m, t].forEach(function (x) {
    x.classList.remove('flash');
    void x.offsetWidth;
    x.classList.add('flash');
  });
});
</script>
)";

/// A highlighted region of a text; regions of one text never overlap. `id` and `twin` are
/// element ids made by the writer (never document text); `title` is escaped.
struct mark {
  byte_span bytes;
  std::string id;
  std::string twin;
  std::size_t colour;
  std::string title;
};

/// A styled run inside a text, within a mark or not: wrapped in <span class="`cls`" title=...>.
/// `cls` is made by the writer (never document text); `title` is escaped.
struct inner_span {
  byte_span bytes;
  std::string cls;
  std::string title;
};

/// The edits of `s` (fact_change) as inner spans of the copy (`copy_side`) or of the reference:
/// class "chg chg-KIND", a title that names the other text's words. Sorted by start; edits with no
/// words on that side are left out.
[[nodiscard]] std::vector<inner_span> change_spans(const source_share& s, bool copy_side);

/// The start of a self-contained page with the passage view (borrow, check): doctype, head with
/// the page's CSS and the passage view's, up to the opening <body>.
[[nodiscard]] std::string passage_page_head(const std::string& title);
/// The passage view's script and the end of the page.
[[nodiscard]] std::string passage_page_tail();

/// "12.3%".
[[nodiscard]] std::string percent(double x);

/// Escaped text in a <div class="text"> with <mark> elements around the regions (sorted here by
/// start; overlapping or out-of-range regions are clipped). With `quotes` (byte spans of
/// quotations, sorted, disjoint), the words inside them are wrapped in <span class="q">; with
/// `changes` (sorted, disjoint), the changed words in their own spans; both split at mark and at
/// each other's boundaries so the elements nest.
[[nodiscard]] std::string marked_text(const std::string& text, std::vector<mark>& marks,
                                      const std::vector<byte_span>& quotes = {},
                                      const std::vector<inner_span>& changes = {});

/// A badge that says whether the copy credits a source: "credited: (AP)" or "no credit line".
[[nodiscard]] std::string credit_badge(const source_share& s);

/// A badge that counts the facts (numbers, dates, names) changed inside the passages of a source:
/// " <span class="badge facts">2 changed facts</span>"; empty when there are none.
[[nodiscard]] std::string facts_badge(const source_share& s);

/// Byte spans of the outermost quotations of `text` (signals.hpp), for marked_text.
[[nodiscard]] std::vector<byte_span> quote_spans(const std::string& text);

/// The sentence that explains the quote styling and the editor signals of a passage view.
inline constexpr const char* quote_legend =
    "Words inside quotation marks are in blue italics; &ldquo;outside quotes&rdquo; shares count "
    "only the borrowed words outside them, &ldquo;lede&rdquo; the share of the first paragraph "
    "inside passages. Inside a passage, a number, date or name that differs between the two texts "
    "has a red wavy underline; other changed words a dotted one (hover for the other text's "
    "words).";

/// A text's self-repetition side by side: later copies of its repeated passages on the left,
/// their earlier twins on the right (copy regions never overlap each other, nor do twin
/// regions, so each side nests cleanly). Mark ids are id_prefix + passage number + "c" / "t";
/// `heading` is the tag of the two column titles ("h3", "h4"). No newline after the last tag.
[[nodiscard]] std::string self_repeat_pair(const std::string& text,
                                           const std::vector<passage>& passages,
                                           const std::string& id_prefix, const char* heading);

/// One source of a copy in the side-by-side view: its share, id and text, and extra escaped HTML
/// for its heading (a time, a source name).
struct source_view {
  const source_share* share = nullptr;
  std::string id;
  std::string text;
  std::string heading_extra;
};

/// The copy beside the sources it borrows from (`sources`, in display order): each passage marked
/// in both texts in one colour (mark ids sid + "s" + source + "p" + passage + "c" / "r", so a
/// click jumps to the twin), quotations and changed facts styled in both columns, a heading per
/// source with its reuse and credit and changed-facts badges.
[[nodiscard]] std::string copy_beside_sources(const std::string& copy_id,
                                              const std::string& copy_text,
                                              const std::vector<source_view>& sources,
                                              const std::string& sid);

/// A horizontal bar of shares (each in [0,1]) in palette colours, with an escaped tooltip.
[[nodiscard]] std::string bar(const std::vector<std::pair<double, std::size_t>>& parts,
                              const std::string& label);

} // namespace copydesk::detail
