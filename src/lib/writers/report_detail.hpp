// Pieces the report writers share (report_json.cpp, report_html.cpp): corpus counts, the order in
// which stories are shown, and one plain-language line per finding about a document.
#pragma once

#include "writers/json_common.hpp"

#include <copydesk/pipeline.hpp>

#include <cstddef>
#include <string>
#include <vector>

namespace copydesk::detail {

/// Every setting that affects the report, as printed in its JSON "params" and on its HTML page.
[[nodiscard]] ojson report_params_json(const pipeline_result& r);

/// Counts of the report summary.
struct report_counts {
  std::size_t documents = 0;
  std::uint64_t tokens = 0;
  std::size_t unusable = 0;     ///< documents with an error (binary, malformed record)
  std::size_t empty = 0;        ///< usable documents without a word
  std::size_t invalid_utf8 = 0; ///< documents in which invalid UTF-8 was replaced
  std::size_t warnings = 0;
  std::size_t errors = 0;
  std::size_t multi_groups = 0; ///< story groups with two or more documents
  std::size_t borrowing = 0;    ///< documents with at least one source
};

[[nodiscard]] report_counts count_report(const pipeline_result& r);

/// What a finding is about, for styling.
enum class finding_kind : std::uint8_t { problem, duplicate, borrows, lends, own_words, repeats };

/// One fact about a document, in words ("contained in X: 96.0% of its shingles are in X").
struct finding {
  finding_kind kind;
  std::string text;    ///< plain text; writers escape it
  doc_index other = 0; ///< the other document, when there is one
  bool has_other = false;
};

/// Lookups that findings_of needs, built once per report: O(pairs + sources).
struct finding_index {
  std::vector<std::vector<std::size_t>> pairs_of; ///< dedup pair indices per document
  /// Per document: (document that takes passages from it, index of that source entry).
  std::vector<std::vector<std::pair<doc_index, std::size_t>>> lent_to;
};

[[nodiscard]] finding_index make_finding_index(const pipeline_result& r);

/// Findings about document d, most important first: problems, duplicates, where its words are
/// found, who takes passages from it, "own words" when it was compared and shares nothing,
/// self-repetition.
[[nodiscard]] std::vector<finding> findings_of(const pipeline_result& r, const finding_index& x,
                                               doc_index d);

/// One line that says what document d is in its story, from its verdict: "contained in X (96.0%
/// of its shingles)", "borrows passages from X (5.1% of its words, longest 29 words)", "own
/// words", ... Among sources that cover as many of its words, the one with fewer words is named
/// first (a page that holds a whole article is not the article's source). Plain text.
[[nodiscard]] std::string headline_of(const pipeline_result& r, const finding_index& x,
                                      doc_index d);

/// "1,234".
[[nodiscard]] std::string thousands(std::uint64_t x);

} // namespace copydesk::detail
