// Pipeline façade (`copydesk report`): one read of the corpus feeds every stage. Documents ->
// dedup (duplicate clusters, exact scores) and stories (labelled story groups) -> borrow
// alignment between the members of each story group (who takes which passages from whom) ->
// self-repetition of every document. Output never depends on the thread count or input order.
// docs/REPORT.md explains the rules (comparison scope, attribution, self-repetition share).
#pragma once

#include <copydesk/borrow.hpp>
#include <copydesk/dedup.hpp>
#include <copydesk/error.hpp>
#include <copydesk/io.hpp>
#include <copydesk/progress.hpp>
#include <copydesk/stories.hpp>
#include <copydesk/types.hpp>

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace copydesk {

namespace defaults {
/// A document is reported as repeating itself when at least this share of its words lies in
/// passages that occur twice inside it (a page body printed twice scores ~0.8-0.9; the menus and
/// comment threads of a web page stay well below).
inline constexpr double self_repeat_share = 0.25;
/// A document whose words lie in another member's text for at least this share is a copy.
inline constexpr double copy_share = 0.5;
/// A document borrows when one of its passages found elsewhere has at least this many words;
/// shorter matches are names, lists of places and stock phrases that independent reports share.
inline constexpr std::uint32_t borrow_verdict_tokens = 15;
/// Sets of related documents up to this size are aligned pair by pair; larger ones at once.
inline constexpr std::size_t pairwise_max = 64;
} // namespace defaults

/// One word for what a document is, inside its story (docs/REPORT.md, "Verdicts").
enum class verdict : std::uint8_t {
  none,          ///< compared with nothing: alone in its story and in no duplicate pair
  duplicate,     ///< in a duplicate cluster (exact, near or contained)
  copy,          ///< >= copy_share of its words are found in others of its story, mostly prose
  borrows,       ///< some passage has >= borrow_verdict_tokens words of prose (outside quotations)
  shares_quotes, ///< long passages are found elsewhere, but their words are mostly quotations
  own_words,     ///< compared, and shares at most short phrases
};
/// How a verdict is written in each output; every writer takes its words from here.
struct verdict_names {
  /// JSON and CSS: "none", "duplicate", "copy", "borrows", "shares_quotes", "own_words"
  const char* key;
  /// terminal table: "", "DUPLICATE", "COPY", "BORROWS", "SHARES QUOTES", "OWN WORDS"
  const char* table;
  /// HTML pill: "alone", "duplicate", "copy", "borrows", "shares quotes", "own words"
  const char* label;
};
/// The names of a verdict (one table, next to the enum's definition).
[[nodiscard]] const verdict_names& names_of(verdict v) noexcept;
/// names_of(v).key.
[[nodiscard]] const char* to_string(verdict v) noexcept;
/// The verdict of a compared document that is in no duplicate cluster, from what it borrows:
/// copy when c.borrowed >= copy_share and at least half of those words lie outside quotations;
/// borrows when one passage holds >= borrow_tokens
/// words outside quotations; shares_quotes when a passage of >= borrow_tokens words is found
/// but none holds that much prose; own_words otherwise.
[[nodiscard]] verdict verdict_of_borrowing(const copy_result& c, double copy_share,
                                           std::uint32_t borrow_tokens) noexcept;

/// Settings of the whole report; every one that affects results is printed in its "params".
struct pipeline_config {
  dedup_config dedup;
  stories_config stories;
  borrow_params borrow;
  /// Documents whose repeated share reaches this are listed under self-repetition, in (0,1].
  double self_repeat_share = defaults::self_repeat_share;
  double copy_share = defaults::copy_share; ///< verdict "copy" from this share, in (0,1]
  std::uint32_t borrow_verdict_tokens = defaults::borrow_verdict_tokens; ///< verdict "borrows"
  std::size_t pairwise_max = defaults::pairwise_max; ///< larger sets are aligned jointly
  unsigned threads = 1;                              ///< overrides the stages' own thread counts
  bool keep_texts = true; ///< keep document texts in the result (for the HTML passage views)
  /// Credit lines searched in every document besides default_credits() (a source is credited
  /// when one names its id or file name, or credits any source).
  std::vector<credit_pattern> credits;

  /// errc::invalid_argument naming the bad setting.
  [[nodiscard]] result<void> validate() const;
};

/// Wall-clock seconds per stage and counts that explain a run (not part of any report).
struct pipeline_stats {
  double seconds_read = 0;
  double seconds_dedup = 0;
  double seconds_stories = 0;
  double seconds_borrow = 0;      ///< alignment inside groups and self-repetition
  std::size_t compared = 0;       ///< documents aligned with at least one other document
  std::size_t alignment_sets = 0; ///< sets of documents aligned together (see run_pipeline)
};

/// Everything `copydesk report` finds. Documents are sorted by id; every doc_index refers to
/// that order, in dedup, stories and borrow alike.
struct pipeline_result {
  std::vector<doc_info> documents;
  std::vector<std::string> texts; ///< with keep_texts: each document's text ("" if unusable)
  dedup_result dedup;             ///< its documents equal `documents`
  stories_result stories;         ///< with pairs (cosine >= min_similarity) kept
  /// One entry per document: what it takes from the other members of its alignment set.
  /// sources[].reference is the doc_index of the source; self_* hold its repeated passages.
  std::vector<copy_result> borrow;
  std::vector<char> compared;    ///< per document: 1 if it was aligned with other documents
  std::vector<verdict> verdicts; ///< per document
  /// Documents whose self_repeated share >= config.self_repeat_share, ascending.
  std::vector<doc_index> self_repeating;
  std::vector<diagnostic> diagnostics; ///< warnings and errors met while reading
  pipeline_stats stats;
  pipeline_config config;
};

/// Runs every stage over the documents of `reader`, reading each input once.
///
/// Borrow scope: the members of a story group are aligned with each other; a duplicate pair whose
/// documents fell into different groups joins those groups into one alignment set. In a set of up
/// to config.pairwise_max documents every ordered pair is aligned on its own, so a passage
/// found in several members is reported for each of them. A larger set is aligned at once: each
/// region of a document goes to one member (the longest passage; a tie goes to the member with
/// fewer words, then to the smaller id), which keeps the work linear in the set's words.
/// @return reader errors (errc::invalid_input, errc::duplicate_id, errc::io_error),
///         errc::invalid_argument for a bad config, the stages' own errors.
[[nodiscard]] result<pipeline_result> run_pipeline(corpus_reader& reader,
                                                   const pipeline_config& config, diagnostics& diag,
                                                   const progress_fn& progress = {});

/// Same, for documents in memory (tests, small inputs). Duplicate ids are errc::duplicate_id.
[[nodiscard]] result<pipeline_result> run_pipeline(std::vector<document> docs,
                                                   const pipeline_config& config, diagnostics& diag,
                                                   const progress_fn& progress = {});

} // namespace copydesk
