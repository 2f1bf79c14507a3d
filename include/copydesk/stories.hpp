// Stories stage (façade): documents -> TF-IDF rows (streamed, texts not kept) -> pairs with cosine
// above a floor (exact or indexed all-pairs search) -> average-link story groups -> labels (top
// centroid terms) and cohesion (mean cosine inside the group). Output never depends on the thread
// count or the input order: documents are ordered by id before anything is numbered.
#pragma once

#include <copydesk/error.hpp>
#include <copydesk/io.hpp>
#include <copydesk/progress.hpp>
#include <copydesk/tfidf.hpp>
#include <copydesk/types.hpp>

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace copydesk {

namespace defaults {
/// Average-link merge threshold on cosine; docs/STORIES.md explains the choice.
inline constexpr double story_threshold = 0.18;
/// Pairs below this cosine count as 0 in the means: half the threshold (the CLI keeps that ratio).
inline constexpr double story_min_similarity = 0.09;
inline constexpr std::size_t label_terms = 5; ///< terms in a group label
/// With document times: articles further apart than this are never linked (docs/STORIES.md).
inline constexpr double story_time_window_days = 30.0;
} // namespace defaults

/// Settings of `copydesk stories`; every one of them is printed in the JSON "params".
struct stories_config {
  tfidf_params tfidf;
  double threshold = defaults::story_threshold; ///< merge while mean cosine >= this, (0,1]
  double min_similarity = defaults::story_min_similarity; ///< pair floor, (0, threshold]
  std::string idf_model;  ///< path of an IDF model whose counts are added to the corpus's
  bool background = true; ///< without idf_model: add the built-in background model's counts
  std::size_t label_terms = defaults::label_terms;
  pair_search method = pair_search::automatic;
  std::size_t key_terms = defaults::key_terms; ///< per row, for the indexed pair search
  bool keep_pairs = false; ///< keep the scored pairs in the result (for --pairs)
  /// Index in document::meta of each document's publication time (ISO 8601; the reader keeps
  /// it with read_options::meta_fields), or none: then times play no part.
  std::optional<std::size_t> time_meta;
  std::string time_field; ///< the field's name, for params
  /// Two documents whose times are both known and further apart than this are not a pair.
  double time_window_days = defaults::story_time_window_days;
  unsigned threads = 1;

  /// errc::invalid_argument naming the bad setting.
  [[nodiscard]] result<void> validate() const;
};

/// A story group: documents whose mean pairwise cosine held above the threshold while merging.
struct story_group {
  std::vector<doc_index> members; ///< ascending (id order)
  std::vector<std::string> label; ///< top terms of the group centroid, strongest first
  std::optional<double> cohesion; ///< mean cosine over member pairs; none for one member
};

/// Counts that explain a run.
struct stories_stats {
  pair_search method = pair_search::exact;
  std::size_t vocabulary = 0; ///< stored terms
  std::size_t nonzeros = 0;   ///< stored weights
  std::size_t candidates = 0; ///< pairs whose cosine was computed
  std::size_t pairs = 0;      ///< pairs with cosine >= min_similarity (within the time window)
  std::size_t timed = 0;      ///< documents with a time (with time_meta)
  std::size_t apart = 0;      ///< pairs >= min_similarity dropped: times beyond the window
  std::uint64_t model_documents = 0;
};

/// Result of stories; documents sorted by id, indices refer to that order.
struct stories_result {
  std::vector<doc_info> documents;
  std::vector<std::uint32_t> terms;   ///< stored terms per document (0: cannot be grouped)
  std::vector<std::int32_t> group_of; ///< group index per document, -1 when not grouped
  std::vector<story_group> groups;    ///< largest first, then by smallest member
  std::vector<scored_pair> pairs;     ///< with keep_pairs: cosine >= min_similarity, by (a, b)
  stories_stats stats;
  stories_config config;
};

/// Groups every document of `reader` into stories. Documents the reader could not use (error)
/// and documents with no terms (empty, stop words only, every term pruned by min/max df) get no
/// group; every other document is in exactly one group, possibly alone.
/// @return reader errors (errc::invalid_input, errc::duplicate_id, errc::io_error),
///         errc::invalid_argument for a bad config, the IDF model's load/compatibility errors.
/// @param progress stages "read" (bytes), "vectors" (documents), "pairs" (documents) and
///        "groups".
[[nodiscard]] result<stories_result> run_stories(corpus_reader& reader,
                                                 const stories_config& config, diagnostics& diag,
                                                 const progress_fn& progress = {});

/// Same, for documents already in memory (read once and shared by several stages, as
/// `copydesk report` does): they are copied a batch at a time, and texts are looked up by id
/// where the streaming form reads them again. Duplicate ids are errc::duplicate_id.
[[nodiscard]] result<stories_result> run_stories(std::span<const document> docs,
                                                 const stories_config& config, diagnostics& diag);

/// Same, for documents that a caller fetches a batch at a time (source.next_batch; an empty batch
/// ends the corpus; ids must be unique) and whose text source.text gives again (labels recover
/// their bigrams from a few members' texts): `copydesk report` reads texts again from their
/// origins instead of holding them all through this stage.
[[nodiscard]] result<stories_result> run_stories(const document_source& source,
                                                 const stories_config& config, diagnostics& diag);

} // namespace copydesk
