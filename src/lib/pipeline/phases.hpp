// The phases of the pipeline façade (pipeline.cpp), each testable alone: the documents in id
// order, their texts (held in memory or read again from their origin), stories over those texts,
// the sets of documents aligned with each other, borrowing measured inside the sets, and the
// verdicts.
#pragma once

#include <copydesk/borrow.hpp>
#include <copydesk/io.hpp>
#include <copydesk/pipeline.hpp>
#include <copydesk/progress.hpp>
#include <copydesk/stories.hpp>
#include <copydesk/types.hpp>

#include <cstddef>
#include <span>
#include <string>
#include <vector>

namespace copydesk::detail {

/// Phase 1: `docs` sorted by id. errc::duplicate_id naming the first repeated id.
[[nodiscard]] result<void> order_by_id(std::vector<document>& docs);

/// The texts of the documents (in id order) once dedup has run. With a reader, release() drops the
/// texts that can be read again from their origin, so the corpus is not held next to the TF-IDF
/// build; reading a text again gives the bytes read the first time. Without a reader, and for a
/// document with an error, the text kept in the document is used.
class corpus_texts {
public:
  corpus_texts(std::vector<document>& docs, const corpus_reader* reader) noexcept
      : docs_(docs), reader_(reader) {}

  /// Drops every text that can be read again (none without a reader).
  void release();
  /// The text of document `d`: errors of the reader's reread.
  [[nodiscard]] result<std::string> text(std::size_t d) const;
  /// The documents with their texts, in order, about 4 MiB of text per batch (as memory_corpus
  /// batches); the texts looked up by origin. One pass: the batches are handed out once.
  [[nodiscard]] document_source batches();
  [[nodiscard]] const std::vector<document>& documents() const noexcept { return docs_; }
  /// True when every text is held in the documents.
  [[nodiscard]] bool in_memory() const noexcept { return reader_ == nullptr; }
  /// Every document's text in order (what text() gives), each dropped from its document as it
  /// is taken.
  [[nodiscard]] result<std::vector<std::string>> take_all();

private:
  std::vector<document>& docs_;
  const corpus_reader* reader_;
  std::size_t next_ = 0;
};

/// Phase 2: stories over the texts, with the pairs kept (config.keep_pairs is set).
[[nodiscard]] result<stories_result> find_stories(corpus_texts& texts, stories_config config,
                                                  diagnostics& diag);

/// Phase 3: the sets of documents aligned with each other: story groups, joined by duplicate
/// pairs that cross groups. Only sets of two or more; members ascending, sets by smallest member.
[[nodiscard]] std::vector<std::vector<doc_index>>
alignment_sets(std::size_t n, const stories_result& stories, const dedup_result& dedup);

/// Phase 4: every document's self-repetition and signals (quotations, lede, credit lines), and
/// what each member of a set takes from the others (sets of up to config.pairwise_max aligned
/// pairwise, larger ones jointly). Fills res.borrow (documents from res.documents), res.compared,
/// res.self_repeating and res.stats.alignment_sets. Each hashed text is held only while its set
/// is aligned.
/// @param progress stage "borrow" (steps: documents outside sets, then sets)
/// @return the error of the first document by id whose text could not be read again.
[[nodiscard]] result<void> measure_borrowing(const corpus_texts& texts,
                                             const std::vector<std::vector<doc_index>>& sets,
                                             const pipeline_config& config,
                                             std::span<const credit_pattern> credits,
                                             const progress_fn& progress, pipeline_result& res);

/// Phase 4b, with config.stories.time_meta: each document's publication time (res.borrow[d].time;
/// the stories phase has already warned about times that are not ISO 8601), then who published
/// first for each of its sources and passages (date_sources).
void date_borrowing(const corpus_texts& texts, const pipeline_config& config, pipeline_result& res);

/// Phase 5: credit lines matched to the sources they name, then one verdict per document:
/// duplicate (in a dedup cluster), else by its borrowing (verdict_of_borrowing) when it was
/// compared, else none. Counts res.stats.compared.
void decide_verdicts(const pipeline_config& config, std::span<const credit_pattern> credits,
                     pipeline_result& res);

} // namespace copydesk::detail
