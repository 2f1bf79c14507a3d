// Pipeline façade: the corpus is read once into memory; dedup and stories run on those documents,
// then every document is hashed once for the alignment stage (self-repetition for all of them,
// borrow alignment inside each set of related documents). Read from a corpus_reader, texts are
// held only through dedup: stories and the alignment read each text again from its origin when
// they need it. The phases are in phases.hpp.
#include <copydesk/pipeline.hpp>

#include "common/lap_timer.hpp"
#include "pipeline/phases.hpp"

#include <algorithm>
#include <span>
#include <string>
#include <string_view>
#include <utility>

namespace copydesk {

const verdict_names& names_of(verdict v) noexcept {
  // In enum order.
  static constexpr verdict_names names[] = {
      {"none", "", "alone"},
      {"duplicate", "DUPLICATE", "duplicate"},
      {"copy", "COPY", "copy"},
      {"borrows", "BORROWS", "borrows"},
      {"shares_quotes", "SHARES QUOTES", "shares quotes"},
      {"own_words", "OWN WORDS", "own words"},
  };
  const auto i = static_cast<std::size_t>(v);
  return names[i < std::size(names) ? i : 0];
}

const char* to_string(verdict v) noexcept { return names_of(v).key; }

verdict verdict_of_borrowing(const copy_result& c, double copy_share,
                             std::uint32_t borrow_tokens) noexcept {
  std::uint32_t longest = 0;
  std::uint32_t longest_prose = 0;
  for (const source_share& s : c.sources) {
    longest = std::max(longest, s.longest);
    longest_prose = std::max(longest_prose, s.longest_prose);
  }
  // A copy takes most of its words, and they are mostly prose: a text made of the quotes every
  // outlet carries is not a copy of the wire.
  if (c.borrowed >= copy_share && 2 * std::uint64_t{c.prose_tokens} >= c.borrowed_tokens)
    return verdict::copy;
  if (longest_prose >= borrow_tokens)
    return verdict::borrows;
  if (longest >= borrow_tokens)
    return verdict::shares_quotes;
  return verdict::own_words;
}

result<void> pipeline_config::validate() const {
  if (auto v = dedup.validate(); !v)
    return v;
  if (auto v = stories.validate(); !v)
    return v;
  if (auto v = borrow.validate(); !v)
    return v;
  if (!(self_repeat_share > 0.0 && self_repeat_share <= 1.0)) {
    return make_error(errc::invalid_argument, "self-repetition share must be in (0,1], got " +
                                                  std::to_string(self_repeat_share));
  }
  if (!(copy_share > 0.0 && copy_share <= 1.0)) {
    return make_error(errc::invalid_argument,
                      "copy share must be in (0,1], got " + std::to_string(copy_share));
  }
  return {};
}

namespace {

// Diagnostics in a fixed order whatever the input order: by file, then line as a number (so
// "x.jsonl:9" comes before "x.jsonl:10"), then message.
void sort_diagnostics(std::vector<diagnostic>& ds) {
  auto split = [](const std::string& origin) {
    const std::size_t colon = origin.rfind(':');
    if (colon == std::string::npos || colon + 1 == origin.size() || origin.size() - colon > 20 ||
        !std::all_of(origin.begin() + static_cast<std::ptrdiff_t>(colon) + 1, origin.end(),
                     [](char c) { return c >= '0' && c <= '9'; })) {
      return std::pair<std::string_view, std::uint64_t>(origin, 0);
    }
    return std::pair<std::string_view, std::uint64_t>(std::string_view(origin).substr(0, colon),
                                                      std::stoull(origin.substr(colon + 1)));
  };
  std::stable_sort(ds.begin(), ds.end(), [&](const diagnostic& x, const diagnostic& y) {
    const auto kx = split(x.origin);
    const auto ky = split(y.origin);
    if (kx != ky)
      return kx < ky;
    if (x.message != y.message)
      return x.message < y.message;
    return x.level < y.level;
  });
}

// `reader` (null: texts stay in `docs`) is where the documents came from: after dedup their texts
// are dropped and read again from it, a batch at a time for stories and one document at a time
// for the alignment, so the corpus's text is not held next to the TF-IDF build.
result<pipeline_result> run_in_memory(std::vector<document> docs, const pipeline_config& config,
                                      diagnostics& diag, const progress_fn& progress,
                                      double read_seconds, const corpus_reader* reader) {
  if (auto v = config.validate(); !v)
    return v.error();
  const unsigned threads = std::max(1u, config.threads);
  if (auto ordered = detail::order_by_id(docs); !ordered)
    return ordered.error();
  const std::size_t n = docs.size();
  pipeline_result res;
  res.config = config;
  res.stats.seconds_read = read_seconds;
  detail::lap_timer timer;

  // Dedup: texts are looked up in memory for verification.
  report_progress(progress, "dedup", 0, 0, "documents", false);
  dedup_config dc = config.dedup;
  dc.threads = threads;
  auto dedup = run_dedup(std::span<const document>(docs), dc, diag);
  if (!dedup)
    return dedup.error();
  res.dedup = std::move(*dedup);
  res.documents = res.dedup.documents;
  res.stats.seconds_dedup = timer.lap();
  report_progress(progress, "dedup", n, n, "documents", true);

  // Stories; pairs are kept for the heatmap.
  report_progress(progress, "stories", 0, 0, "documents", false);
  detail::corpus_texts texts(docs, reader);
  texts.release();
  stories_config sc = config.stories;
  sc.threads = threads;
  auto stories = detail::find_stories(texts, sc, diag);
  if (!stories)
    return stories.error();
  res.stories = std::move(*stories);
  res.stats.seconds_stories = timer.lap();
  report_progress(progress, "stories", n, n, "documents", true);
  if (res.stories.documents.size() != n || res.documents.size() != n)
    return make_error(errc::internal, "stages disagree on the number of documents");
  for (std::size_t i = 0; i < n; ++i) {
    if (res.documents[i].id != docs[i].id || res.stories.documents[i].id != docs[i].id)
      return make_error(errc::internal, "stages disagree on the order of documents");
  }

  // Alignment inside the sets of related documents, then verdicts.
  const std::vector<std::vector<doc_index>> sets =
      detail::alignment_sets(n, res.stories, res.dedup);
  const std::vector<credit_pattern> credits = with_default_credits(config.credits);
  if (auto m = detail::measure_borrowing(texts, sets, config, credits, progress, res); !m)
    return m.error();
  detail::date_borrowing(texts, config, res);
  detail::decide_verdicts(config, credits, res);
  res.stats.seconds_borrow = timer.lap();
  report_progress(progress, "borrow", n + sets.size(), n + sets.size(), "steps", true);

  if (config.keep_texts) {
    auto kept = texts.take_all();
    if (!kept)
      return kept.error();
    res.texts = std::move(*kept);
  }
  res.diagnostics = diag.items();
  sort_diagnostics(res.diagnostics);
  return res;
}

} // namespace

result<pipeline_result> run_pipeline(corpus_reader& reader, const pipeline_config& config,
                                     diagnostics& diag, const progress_fn& progress) {
  if (auto v = config.validate(); !v)
    return v.error();
  detail::lap_timer timer;
  auto docs = read_all(reader, diag, progress);
  if (!docs)
    return docs.error();
  return run_in_memory(std::move(*docs), config, diag, progress, timer.lap(), &reader);
}

result<pipeline_result> run_pipeline(std::vector<document> docs, const pipeline_config& config,
                                     diagnostics& diag, const progress_fn& progress) {
  return run_in_memory(std::move(docs), config, diag, progress, 0.0, nullptr);
}

} // namespace copydesk
