// Pipeline façade: the corpus is read once into memory; dedup and stories run on those documents,
// then every document is hashed once for the alignment stage (self-repetition for all of them,
// borrow alignment inside each set of related documents). Results land in per-document slots,
// so the output never depends on the thread count. Read from a corpus_reader, texts are held only
// through dedup: stories and the alignment read each text again from its origin when they need it.
#include <copydesk/cluster.hpp>
#include <copydesk/pipeline.hpp>

#include "common/lap_timer.hpp"
#include "common/parallel.hpp"

#include <algorithm>
#include <mutex>
#include <numeric>
#include <optional>
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

// Aligns the members of one set. Up to `pairwise_max` members every document is aligned with every
// other one on its own (a passage found in three members counts for each of them); above, each
// document is aligned once against all others together and each region goes to one member
// (longest passage, then fewer words, then smaller id), which keeps the work linear.
void align_set(const std::vector<doc_index>& members, std::vector<hashed_text>& hashed,
               const borrow_params& params, std::size_t pairwise_max,
               const std::vector<doc_info>& docs, std::vector<copy_result>& out) {
  std::vector<passage> found;
  std::vector<passage> all;
  if (members.size() <= pairwise_max) {
    std::vector<reference_index> single;
    single.reserve(members.size());
    for (const doc_index d : members) {
      single.emplace_back(params);
      single.back().add(hashed[d]);
      single.back().build();
    }
    for (std::size_t c = 0; c < members.size(); ++c) {
      all.clear();
      for (std::size_t r = 0; r < members.size(); ++r) {
        if (r == c)
          continue;
        find_passages(hashed[members[c]], single[r], found);
        for (passage& p : found) {
          p.reference = members[r];
          all.push_back(p);
        }
      }
      std::sort(all.begin(), all.end(), [](const passage& a, const passage& b) {
        return a.copy_begin != b.copy_begin ? a.copy_begin < b.copy_begin
                                            : a.reference < b.reference;
      });
      fill_shares(all, docs[members[c]].tokens, docs, out[members[c]]);
    }
    return;
  }
  std::vector<doc_index> order = members;
  std::stable_sort(order.begin(), order.end(),
                   [&](doc_index a, doc_index b) { return hashed[a].size() < hashed[b].size(); });
  reference_index index(params);
  for (const doc_index d : order)
    index.add(hashed[d]);
  index.build();
  for (std::uint32_t i = 0; i < order.size(); ++i) {
    find_passages(index.text(i), index, found, i);
    for (passage& p : found)
      p.reference = order[p.reference];
    fill_shares(found, docs[order[i]].tokens, docs, out[order[i]]);
  }
}

// Sets of documents aligned with each other: story groups, joined by duplicate pairs that cross
// groups. Only sets of two or more documents; members ascending, sets by smallest member.
std::vector<std::vector<doc_index>> alignment_sets(const pipeline_result& r) {
  std::vector<scored_pair> links;
  for (const story_group& g : r.stories.groups) {
    for (std::size_t i = 1; i < g.members.size(); ++i)
      links.push_back({g.members[i - 1], g.members[i], 1.0});
  }
  for (const duplicate_pair& p : r.dedup.pairs)
    links.push_back({p.a, p.b, 1.0});
  return connected_components(r.documents.size(), links);
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
  std::sort(docs.begin(), docs.end(),
            [](const document& a, const document& b) { return a.id < b.id; });
  for (std::size_t i = 1; i < docs.size(); ++i) {
    if (docs[i].id == docs[i - 1].id)
      return make_error(errc::duplicate_id, "duplicate document id \"" + docs[i].id + "\"");
  }
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
  report_progress(progress, "dedup", docs.size(), docs.size(), "documents", true);

  // Stories; pairs are kept for the heatmap.
  report_progress(progress, "stories", 0, 0, "documents", false);
  stories_config sc = config.stories;
  sc.threads = threads;
  sc.keep_pairs = true;
  // Texts to read again: every usable document's, when there is a reader (a document with an
  // error keeps what it has). Reading a text again gives the bytes read the first time.
  if (reader != nullptr) {
    for (document& d : docs) {
      if (d.error.empty())
        d.text = std::string();
    }
  }
  auto text_of = [&](const document& d) -> result<std::string> {
    if (reader == nullptr || !d.error.empty())
      return d.text;
    return reader->reread_text(d.where);
  };
  std::size_t next_doc = 0;
  auto next_batch = [&](diagnostics&) -> result<std::vector<document>> {
    constexpr std::size_t batch_bytes = std::size_t{4} << 20; // as memory_corpus batches
    std::vector<document> batch;
    std::size_t bytes = 0;
    while (next_doc < docs.size() && (batch.empty() || bytes < batch_bytes)) {
      document& d = batch.emplace_back(docs[next_doc++]);
      if (reader != nullptr && d.error.empty()) {
        auto t = reader->reread_text(d.where);
        if (!t)
          return t.error();
        d.text = std::move(*t);
      }
      bytes += d.text.size() + 64; // 64: the record's own bookkeeping
    }
    return batch;
  };
  auto stories = reader == nullptr
                     ? run_stories(std::span<const document>(docs), sc, diag)
                     : run_stories(document_source{next_batch,
                                                   [&](const doc_info& info) {
                                                     return reader->reread_text(info.where);
                                                   }},
                                   sc, diag);
  if (!stories)
    return stories.error();
  res.stories = std::move(*stories);
  res.stats.seconds_stories = timer.lap();
  report_progress(progress, "stories", docs.size(), docs.size(), "documents", true);
  const std::size_t n = docs.size();
  if (res.stories.documents.size() != n || res.documents.size() != n)
    return make_error(errc::internal, "stages disagree on the number of documents");
  for (std::size_t i = 0; i < n; ++i) {
    if (res.documents[i].id != docs[i].id || res.stories.documents[i].id != docs[i].id)
      return make_error(errc::internal, "stages disagree on the order of documents");
  }

  // Alignment: which documents are compared, then every document hashed once.
  const std::vector<std::vector<doc_index>> sets = alignment_sets(res);
  res.stats.alignment_sets = sets.size();
  res.compared.assign(n, 0);
  for (const auto& s : sets) {
    for (const doc_index d : s)
      res.compared[d] = 1;
  }
  res.borrow.resize(n);
  // Hashed texts are kept only while their set is aligned: documents outside every set are hashed,
  // checked for self-repetition and dropped at once; the members of a slice of sets are hashed
  // together (in parallel), aligned, then dropped. Holding every compared document's hashes from
  // the self-repetition pass to its set cost ~16 bytes per token of the corpus.
  std::vector<hashed_text> hashed(n);
  const std::uint64_t total = n + sets.size();
  std::uint64_t done = 0;
  report_progress(progress, "borrow", 0, total, "steps", false);
  // A text that cannot be read again fails the run; the first such document by id is named.
  std::mutex failure_mutex;
  std::optional<std::pair<std::size_t, error>> failure;
  const std::vector<credit_pattern> credits = with_default_credits(config.credits);
  auto self_repetition = [&](std::size_t d, hashed_text& h) {
    copy_result& out = res.borrow[d];
    out.document = res.documents[d];
    if (!docs[d].error.empty())
      return;
    auto text = text_of(docs[d]);
    if (!text) {
      const std::lock_guard<std::mutex> lock(failure_mutex);
      if (!failure || d < failure->first)
        failure.emplace(d, text.error());
      return;
    }
    hash_text(*text, config.borrow.hash_seed, h);
    find_signals(*text, h, out.signals, credits);
    std::vector<passage> repeats;
    find_repeats(h, config.borrow, repeats);
    count_quoted(out.signals, repeats);
    const auto tokens = static_cast<std::uint32_t>(h.size());
    out.repeated_tokens = repeated_tokens(repeats, tokens);
    out.self_repeated = tokens == 0 ? 0.0 : static_cast<double>(out.repeated_tokens) / tokens;
    if (out.self_repeated >= config.self_repeat_share)
      out.self_passages = std::move(repeats);
  };
  // Slices keep the progress display moving without calling it from worker threads.
  constexpr std::size_t slice = 256;
  for (std::size_t from = 0; from < n; from += slice) {
    const std::size_t count = std::min(slice, n - from);
    detail::parallel_for(
        count, threads,
        [&](std::size_t k) {
          const std::size_t d = from + k;
          if (res.compared[d] != 0)
            return; // hashed with its set
          self_repetition(d, hashed[d]);
          hashed[d] = hashed_text{};
        },
        4);
    done += count;
    report_progress(progress, "borrow", done, total, "steps", false);
  }

  std::vector<doc_index> slice_members;
  for (std::size_t from = 0; from < sets.size(); from += slice) {
    const std::size_t count = std::min(slice, sets.size() - from);
    slice_members.clear();
    for (std::size_t k = 0; k < count; ++k)
      slice_members.insert(slice_members.end(), sets[from + k].begin(), sets[from + k].end());
    detail::parallel_for(
        slice_members.size(), threads,
        [&](std::size_t k) { self_repetition(slice_members[k], hashed[slice_members[k]]); }, 4);
    detail::parallel_for(
        count, threads,
        [&](std::size_t k) {
          const std::vector<doc_index>& set = sets[from + k];
          align_set(set, hashed, config.borrow, config.pairwise_max, res.documents, res.borrow);
          for (const doc_index d : set)
            hashed[d] = hashed_text{};
        },
        1);
    done += count;
    report_progress(progress, "borrow", done, total, "steps", false);
  }
  hashed = {};
  if (failure)
    return failure->second;
  for (std::size_t d = 0; d < n; ++d) {
    if (!res.borrow[d].self_passages.empty())
      res.self_repeating.push_back(static_cast<doc_index>(d));
  }
  for (std::size_t d = 0; d < n; ++d) {
    credit_sources(
        credits, [&](std::uint32_t r) { return names_of_id(res.documents[r].id); }, res.borrow[d]);
  }
  res.verdicts.assign(n, verdict::none);
  for (std::size_t d = 0; d < n; ++d) {
    if (res.compared[d] == 0)
      continue;
    ++res.stats.compared;
    const copy_result& b = res.borrow[d];
    res.verdicts[d] =
        res.dedup.cluster_of[d] >= 0
            ? verdict::duplicate
            : verdict_of_borrowing(b, config.copy_share, config.borrow_verdict_tokens);
  }
  res.stats.seconds_borrow = timer.lap();
  report_progress(progress, "borrow", total, total, "steps", true);

  if (config.keep_texts) {
    res.texts.reserve(n);
    for (document& d : docs) {
      auto text = text_of(d);
      if (!text)
        return text.error();
      res.texts.push_back(std::move(*text));
      d.text = std::string();
    }
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
