// The phases of a stories run (stories.cpp), each testable alone: the IDF model, term counts of
// every document, the id order, story groups from scored pairs, and labels with cohesion.
#pragma once

#include <copydesk/io.hpp>
#include <copydesk/stories.hpp>
#include <copydesk/tfidf.hpp>
#include <copydesk/types.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace copydesk::detail {

/// Phase 0: the model whose counts are added to the corpus's: config.idf_model loaded and
/// checked against the term settings, else the built-in background model, else none.
[[nodiscard]] result<std::optional<idf_model>> load_model(const stories_config& config);

/// Phase 1: every batch of `source` counted into `builder`; the documents in read order, each with
/// its token count (0 for one that could not be used). With config.time_meta and `times`, each
/// document's time in read order (none when missing; a warning when not ISO 8601).
/// @param progress stage "read" (bytes)
[[nodiscard]] result<std::vector<doc_info>>
count_terms(const document_source& source, tfidf_builder& builder, const stories_config& config,
            diagnostics& diag, const progress_fn& progress,
            std::vector<std::optional<std::int64_t>>* times = nullptr);

/// Phase 2: read positions in id order. errc::duplicate_id when two documents share an id.
[[nodiscard]] result<std::vector<std::uint32_t>> id_order(const std::vector<doc_info>& documents);

/// Phase 3: average-link groups over n documents at `threshold`; a lone document without terms
/// is in no group. Groups largest first, then by smallest member; group_of per document (-1:
/// none). Labels and cohesion are left empty.
[[nodiscard]] std::vector<story_group> form_groups(std::size_t n,
                                                   const std::vector<scored_pair>& pairs,
                                                   const std::vector<std::uint32_t>& terms,
                                                   double threshold,
                                                   std::vector<std::int32_t>& group_of);

/// Phase 4: each group's cohesion and label (config.label_terms top centroid terms; the texts of
/// bigrams among them are recovered from one member, read again through source.text).
/// @return the first error of source.text.
[[nodiscard]] result<void> label_groups(tfidf_matrix& x, std::vector<story_group>& groups,
                                        const std::vector<doc_info>& documents,
                                        const document_source& source,
                                        const stories_config& config);

} // namespace copydesk::detail
