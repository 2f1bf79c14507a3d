// The phases of the pipeline façade (phases.hpp). Results land in per-document slots, so nothing
// depends on the thread count.
#include "pipeline/phases.hpp"

#include <copydesk/cluster.hpp>

#include "common/parallel.hpp"

#include <algorithm>
#include <mutex>
#include <optional>
#include <utility>

namespace copydesk::detail {

result<void> order_by_id(std::vector<document>& docs) {
  std::sort(docs.begin(), docs.end(),
            [](const document& a, const document& b) { return a.id < b.id; });
  for (std::size_t i = 1; i < docs.size(); ++i) {
    if (docs[i].id == docs[i - 1].id)
      return make_error(errc::duplicate_id, "duplicate document id \"" + docs[i].id + "\"");
  }
  return {};
}

void corpus_texts::release() {
  if (reader_ == nullptr)
    return;
  for (document& d : docs_) {
    if (d.error.empty())
      d.text = std::string();
  }
}

result<std::string> corpus_texts::text(std::size_t d) const {
  if (reader_ == nullptr || !docs_[d].error.empty())
    return docs_[d].text;
  return reader_->reread_text(docs_[d].where);
}

document_source corpus_texts::batches() {
  auto next_batch = [this](diagnostics&) -> result<std::vector<document>> {
    constexpr std::size_t batch_bytes = std::size_t{4} << 20; // as memory_corpus batches
    std::vector<document> batch;
    std::size_t bytes = 0;
    while (next_ < docs_.size() && (batch.empty() || bytes < batch_bytes)) {
      document& d = batch.emplace_back(docs_[next_++]);
      if (reader_ != nullptr && d.error.empty()) {
        auto t = reader_->reread_text(d.where);
        if (!t)
          return t.error();
        d.text = std::move(*t);
      }
      bytes += d.text.size() + 64; // 64: the record's own bookkeeping
    }
    return batch;
  };
  auto text_of = [this](const doc_info& info) -> result<std::string> {
    return reader_->reread_text(info.where);
  };
  return document_source{next_batch, text_of};
}

result<std::vector<std::string>> corpus_texts::take_all() {
  std::vector<std::string> texts;
  texts.reserve(docs_.size());
  for (std::size_t d = 0; d < docs_.size(); ++d) {
    auto t = text(d);
    if (!t)
      return t.error();
    texts.push_back(std::move(*t));
    docs_[d].text = std::string();
  }
  return texts;
}

result<stories_result> find_stories(corpus_texts& texts, stories_config config, diagnostics& diag) {
  config.keep_pairs = true;
  if (texts.in_memory())
    return run_stories(std::span<const document>(texts.documents()), config, diag);
  return run_stories(texts.batches(), config, diag);
}

std::vector<std::vector<doc_index>> alignment_sets(std::size_t n, const stories_result& stories,
                                                   const dedup_result& dedup) {
  std::vector<scored_pair> links;
  for (const story_group& g : stories.groups) {
    for (std::size_t i = 1; i < g.members.size(); ++i)
      links.push_back({g.members[i - 1], g.members[i], 1.0});
  }
  for (const duplicate_pair& p : dedup.pairs)
    links.push_back({p.a, p.b, 1.0});
  return connected_components(n, links);
}

namespace {

// Aligns the members of one set. Up to `pairwise_max` members every document is aligned with every
// other one on its own (a passage found in three members counts for each of them); above, each
// document is aligned once against all others together and each region goes to one member
// (longest passage, then fewer words, then smaller id), which keeps the work linear.
// The texts of the members (`held`) locate the edits inside each passage (fill_changes).
void align_set(const std::vector<doc_index>& members, std::vector<hashed_text>& hashed,
               const std::vector<std::string>& held, const borrow_params& params,
               std::size_t pairwise_max, const std::vector<doc_info>& docs,
               std::vector<copy_result>& out) {
  const auto changes = [&](doc_index d) {
    fill_changes(
        held[d], hashed[d],
        [&](std::uint32_t r) {
          return reference_text{held[r], &hashed[r]};
        },
        params, out[d]);
  };
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
      changes(members[c]);
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
    changes(order[i]);
  }
}

} // namespace

result<void> measure_borrowing(const corpus_texts& texts,
                               const std::vector<std::vector<doc_index>>& sets,
                               const pipeline_config& config,
                               std::span<const credit_pattern> credits, const progress_fn& progress,
                               pipeline_result& res) {
  const unsigned threads = std::max(1u, config.threads);
  const std::vector<document>& docs = texts.documents();
  const std::size_t n = docs.size();
  res.stats.alignment_sets = sets.size();
  res.compared.assign(n, 0);
  for (const auto& s : sets) {
    for (const doc_index d : s)
      res.compared[d] = 1;
  }
  res.borrow.assign(n, copy_result{});
  // Hashed texts are kept only while their set is aligned: documents outside every set are hashed,
  // checked for self-repetition and dropped at once; the members of a slice of sets are hashed
  // together (in parallel), aligned, then dropped. Holding every compared document's hashes from
  // the self-repetition pass to its set cost ~16 bytes per token of the corpus.
  std::vector<hashed_text> hashed(n);
  std::vector<std::string> held(n); // texts of the sets being aligned
  const std::uint64_t total = n + sets.size();
  std::uint64_t done = 0;
  report_progress(progress, "borrow", 0, total, "steps", false);
  // A text that cannot be read again fails the run; the first such document by id is named.
  std::mutex failure_mutex;
  std::optional<std::pair<std::size_t, error>> failure;
  auto self_repetition = [&](std::size_t d, hashed_text& h) {
    copy_result& out = res.borrow[d];
    out.document = res.documents[d];
    if (!docs[d].error.empty())
      return;
    auto text = texts.text(d);
    if (!text) {
      const std::lock_guard<std::mutex> lock(failure_mutex);
      if (!failure || d < failure->first)
        failure.emplace(d, text.error());
      return;
    }
    hash_text(*text, config.borrow.hash_seed, h);
    std::vector<passage> repeats;
    find_repeats(h, config.borrow, repeats);
    // Quotations and credit lines matter only to a document with passages.
    find_signals(*text, h, out.signals, credits, repeats.empty() && res.compared[d] == 0);
    count_quoted(out.signals, repeats);
    const auto tokens = static_cast<std::uint32_t>(h.size());
    out.repeated_tokens = repeated_tokens(repeats, tokens);
    out.self_repeated = tokens == 0 ? 0.0 : static_cast<double>(out.repeated_tokens) / tokens;
    if (out.self_repeated >= config.self_repeat_share)
      out.self_passages = std::move(repeats);
    if (res.compared[d] != 0)
      held[d] = std::move(*text);
  };
  // Slices keep the progress display moving without calling it from worker threads.
  constexpr std::size_t slice = 256;
  for (std::size_t from = 0; from < n; from += slice) {
    const std::size_t count = std::min(slice, n - from);
    parallel_for(
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
    parallel_for(
        slice_members.size(), threads,
        [&](std::size_t k) { self_repetition(slice_members[k], hashed[slice_members[k]]); }, 4);
    parallel_for(
        count, threads,
        [&](std::size_t k) {
          const std::vector<doc_index>& set = sets[from + k];
          align_set(set, hashed, held, config.borrow, config.pairwise_max, res.documents,
                    res.borrow);
          for (const doc_index d : set) {
            hashed[d] = hashed_text{};
            std::string().swap(held[d]);
          }
        },
        1);
    done += count;
    report_progress(progress, "borrow", done, total, "steps", false);
  }
  if (failure)
    return failure->second;
  res.self_repeating.clear();
  for (std::size_t d = 0; d < n; ++d) {
    if (!res.borrow[d].self_passages.empty())
      res.self_repeating.push_back(static_cast<doc_index>(d));
  }
  return {};
}

void date_borrowing(const corpus_texts& texts, const pipeline_config& config,
                    pipeline_result& res) {
  if (!config.stories.time_meta)
    return;
  const std::vector<document>& docs = texts.documents();
  diagnostics quiet; // find_stories has warned already
  for (std::size_t d = 0; d < docs.size(); ++d) {
    res.borrow[d].time =
        publication_time(docs[d], *config.stories.time_meta, config.stories.time_field, quiet);
  }
  for (copy_result& c : res.borrow) {
    date_sources(
        [&](std::uint32_t r) -> const std::optional<published_at>& { return res.borrow[r].time; },
        c);
  }
}

void decide_verdicts(const pipeline_config& config, std::span<const credit_pattern> credits,
                     pipeline_result& res) {
  const std::size_t n = res.borrow.size();
  for (std::size_t d = 0; d < n; ++d) {
    credit_sources(
        credits, [&](std::uint32_t r) { return names_of_id(res.documents[r].id); }, res.borrow[d]);
  }
  res.verdicts.assign(n, verdict::none);
  res.stats.compared = 0;
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
}

} // namespace copydesk::detail
