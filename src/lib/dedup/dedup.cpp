// Dedup pipeline: streaming sketch pass, candidate generation (LSH + containment), exact
// verification on re-read candidate documents, clusters and representatives.
#include <copydesk/cluster.hpp>
#include <copydesk/dedup.hpp>
#include <copydesk/shingle.hpp>

#include "dedup/phases.hpp"

#include "common/lap_timer.hpp"
#include "common/parallel.hpp"
#include "common/thread_group.hpp"

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <numeric>
#include <optional>

namespace copydesk {

const char* to_string(pair_kind k) noexcept {
  switch (k) {
  case pair_kind::exact:
    return "exact";
  case pair_kind::near:
    return "near";
  case pair_kind::contained:
    return "contained";
  }
  return "near";
}

result<void> dedup_config::validate() const {
  if (auto r = minhash.validate(); !r)
    return r;
  if (!(threshold > 0.0 && threshold <= 1.0)) {
    return make_error(errc::invalid_argument,
                      "Jaccard threshold must be in (0,1], got " + std::to_string(threshold));
  }
  if (auto r = containment.validate(); !r)
    return r;
  if ((lsh.bands == 0) != (lsh.rows == 0)) {
    return make_error(errc::invalid_argument, "LSH bands and rows must be given together");
  }
  // In 64 bits: two 32-bit counts can wrap to a small product (65536 x 65536 = 0 in 32 bits).
  const std::uint64_t used = std::uint64_t{lsh.bands} * lsh.rows;
  if (used > minhash.num_perm) {
    return make_error(errc::invalid_argument, "LSH bands x rows (" + std::to_string(lsh.bands) +
                                                  " x " + std::to_string(lsh.rows) + " = " +
                                                  std::to_string(used) +
                                                  ") exceeds the number of MinHash slots (" +
                                                  std::to_string(minhash.num_perm) + ")");
  }
  return {};
}

lsh_params dedup_config::effective_lsh() const {
  return lsh.bands != 0 ? lsh : choose_lsh_params(threshold, minhash.num_perm);
}

std::size_t sketch_text(std::string_view text, const dedup_config& config, std::uint32_t* slots,
                        std::vector<std::uint32_t>& fps) {
  const std::uint32_t k = config.minhash.num_perm;
  fps.clear();
  thread_local std::vector<hash64> shingles;
  shingles.clear();
  const std::size_t tokens = shingle_text(text, config.minhash.shingles, shingles);
  minhash_signature(shingles, k, slots);
  winnow(shingles, config.containment.window, fps);
  // Repeated shingles repeat fingerprints; containment_candidates removes them when it sorts
  // its postings, which is cheaper than sorting per document here.
  return tokens;
}

namespace detail {

namespace {

// Sketches of one batch of documents, in read order.
struct batch_sketch {
  std::vector<doc_info> info;
  std::vector<std::uint32_t> slots; // info.size() * k
  fingerprint_table fps;
};

// Pass 1: a reader thread feeds batches to worker threads; results are stored by batch number.
result<std::vector<batch_sketch>> sketch_batches(const document_source& source,
                                                 const dedup_config& config, diagnostics& diag,
                                                 const progress_fn& progress) {
  const std::uint32_t k = config.minhash.num_perm;
  std::mutex m;
  std::condition_variable cv;
  std::deque<std::pair<std::size_t, std::vector<document>>> queue;
  bool done = false;
  std::map<std::size_t, batch_sketch> results;
  const std::size_t max_queue = std::size_t{2} * std::max(1u, config.threads);
  bool worker_failed = false; // a worker threw (out of memory): the reader stops feeding

  auto sketch_jobs = [&] {
    std::vector<std::uint32_t> fps;
    for (;;) {
      std::pair<std::size_t, std::vector<document>> job;
      {
        std::unique_lock<std::mutex> lock(m);
        cv.wait(lock, [&] { return !queue.empty() || done; });
        if (queue.empty())
          return;
        job = std::move(queue.front());
        queue.pop_front();
      }
      cv.notify_all();
      batch_sketch out;
      const std::size_t n = job.second.size();
      out.info.resize(n);
      out.slots.assign(n * k, empty_slot);
      out.fps.offsets.reserve(n + 1);
      for (std::size_t i = 0; i < n; ++i) {
        document& d = job.second[i];
        doc_info& info = out.info[i];
        info.id = std::move(d.id);
        info.where = d.where;
        info.invalid_utf8 = d.invalid_utf8;
        info.error = std::move(d.error);
        info.boilerplate_blocks = d.boilerplate_blocks;
        info.boilerplate_bytes = d.boilerplate_bytes;
        fps.clear();
        if (info.error.empty()) {
          info.tokens =
              static_cast<std::uint32_t>(sketch_text(d.text, config, &out.slots[i * k], fps));
        }
        out.fps.fps.insert(out.fps.fps.end(), fps.begin(), fps.end());
        out.fps.offsets.push_back(out.fps.fps.size());
      }
      const std::lock_guard<std::mutex> lock(m);
      results.emplace(job.first, std::move(out));
    }
  };
  auto worker = [&] {
    try {
      sketch_jobs();
    } catch (...) {
      {
        const std::lock_guard<std::mutex> lock(m);
        worker_failed = true;
      }
      cv.notify_all();
      throw; // kept by the thread group, rethrown by join()
    }
  };
  // On every way out (the reader throwing std::bad_alloc included) the workers are told that no
  // more work comes, then joined.
  detail::thread_group pool([&] {
    {
      const std::lock_guard<std::mutex> lock(m);
      done = true;
    }
    cv.notify_all();
  });
  for (unsigned w = 0; w < std::max(1u, config.threads); ++w) {
    if (!pool.spawn(worker))
      break;
  }
  if (pool.size() == 0)
    return make_error(errc::internal, "cannot start a worker thread");
  std::size_t batch_no = 0;
  auto bytes = for_each_batch(
      source, diag,
      [&](std::vector<document>& batch) -> result<void> {
        std::unique_lock<std::mutex> lock(m);
        cv.wait(lock, [&] { return queue.size() < max_queue || worker_failed; });
        if (worker_failed) // join() below rethrows what the worker threw
          return make_error(errc::internal, "a sketch worker failed");
        queue.emplace_back(batch_no++, std::move(batch));
        lock.unlock();
        cv.notify_all();
        return {};
      },
      progress, "sketch");
  pool.join();
  if (!bytes)
    return bytes.error();
  report_progress(progress, "sketch", *bytes, *bytes, "bytes", true);
  std::vector<batch_sketch> ordered;
  ordered.reserve(results.size());
  for (auto& [no, b] : results)
    ordered.push_back(std::move(b));
  return ordered;
}

} // namespace

result<sketched_corpus> sketch_corpus(const document_source& source, const dedup_config& config,
                                      diagnostics& diag, const progress_fn& progress) {
  const std::uint32_t k = config.minhash.num_perm;
  auto sketched = sketch_batches(source, config, diag, progress);
  if (!sketched)
    return sketched.error();

  // Flatten in read order, then order documents by id (output must not depend on input order).
  std::vector<doc_info> read_order;
  std::vector<const std::uint32_t*> slot_of;
  std::vector<std::pair<const std::uint32_t*, const std::uint32_t*>> fps_of;
  for (batch_sketch& b : *sketched) {
    for (std::size_t i = 0; i < b.info.size(); ++i) {
      read_order.push_back(std::move(b.info[i]));
      slot_of.push_back(&b.slots[i * k]);
      fps_of.emplace_back(b.fps.fps.data() + b.fps.offsets[i],
                          b.fps.fps.data() + b.fps.offsets[i + 1]);
    }
  }
  const std::size_t n = read_order.size();
  std::vector<std::uint32_t> order(n);
  std::iota(order.begin(), order.end(), 0u);
  std::sort(order.begin(), order.end(),
            [&](std::uint32_t x, std::uint32_t y) { return read_order[x].id < read_order[y].id; });

  sketched_corpus out;
  out.documents.reserve(n);
  out.slots.resize(n * k);
  out.fingerprints.offsets.reserve(n + 1);
  out.skip.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint32_t src = order[i];
    std::copy(slot_of[src], slot_of[src] + k,
              out.slots.begin() + static_cast<std::ptrdiff_t>(i * k));
    out.fingerprints.fps.insert(out.fingerprints.fps.end(), fps_of[src].first, fps_of[src].second);
    out.fingerprints.offsets.push_back(out.fingerprints.fps.size());
    out.skip[i] = read_order[src].tokens == 0;
    out.documents.push_back(std::move(read_order[src]));
  }
  return out;
}

std::vector<candidate_pair> find_candidates(const sketched_corpus& corpus,
                                            const dedup_config& config, dedup_stats& stats) {
  const std::size_t n = corpus.documents.size();
  stats.lsh = config.effective_lsh();
  std::vector<candidate_pair> cand = lsh_candidates(corpus.slots, n, config.minhash.num_perm,
                                                    stats.lsh, corpus.skip, 256, config.threads);
  stats.lsh_candidates = cand.size();
  if (config.find_contained) {
    std::vector<candidate_pair> cc =
        containment_candidates(corpus.fingerprints, config.containment, config.threads);
    stats.containment_candidates = cc.size();
    std::vector<candidate_pair> merged;
    merged.reserve(cand.size() + cc.size());
    std::set_union(cand.begin(), cand.end(), cc.begin(), cc.end(), std::back_inserter(merged));
    cand.swap(merged);
  }
  return cand;
}

std::vector<doc_index> documents_in(const std::vector<candidate_pair>& pairs) {
  std::vector<doc_index> needed;
  needed.reserve(2 * pairs.size());
  for (const candidate_pair& p : pairs) {
    needed.push_back(p.a);
    needed.push_back(p.b);
  }
  std::sort(needed.begin(), needed.end());
  needed.erase(std::unique(needed.begin(), needed.end()), needed.end());
  return needed;
}

result<std::vector<std::vector<hash64>>> shingle_sets(std::size_t n,
                                                      const std::vector<doc_index>& needed,
                                                      const std::vector<doc_info>& documents,
                                                      const document_source& source,
                                                      const dedup_config& config) {
  std::vector<std::vector<hash64>> sets(n);
  std::vector<std::optional<error>> load_errors(needed.size());
  detail::parallel_for(
      needed.size(), config.threads,
      [&](std::size_t x) {
        const doc_index d = needed[x];
        auto text = source.text(documents[d]);
        if (!text) {
          load_errors[x] = text.error();
          return;
        }
        shingle_text(*text, config.minhash.shingles, sets[d]);
        to_set(sets[d]);
      },
      4);
  for (auto& e : load_errors) {
    if (e)
      return *e;
  }
  return sets;
}

namespace {

std::vector<std::vector<doc_index>> components_of(std::size_t n,
                                                  const std::vector<duplicate_pair>& pairs) {
  std::vector<scored_pair> sp;
  sp.reserve(pairs.size());
  for (const auto& p : pairs)
    sp.push_back({p.a, p.b, p.jaccard});
  return connected_components(n, sp);
}

} // namespace

std::vector<duplicate_pair> verify_pairs(const std::vector<candidate_pair>& pairs,
                                         const std::vector<std::vector<hash64>>& sets,
                                         const dedup_config& config) {
  std::vector<std::optional<duplicate_pair>> out(pairs.size());
  detail::parallel_for(
      pairs.size(), config.threads,
      [&](std::size_t i) {
        out[i] = verify_pair(sets[pairs[i].a], sets[pairs[i].b], config);
        if (out[i]) {
          out[i]->a = pairs[i].a;
          out[i]->b = pairs[i].b;
        }
      },
      256);
  std::vector<duplicate_pair> kept;
  for (const auto& p : out) {
    if (p)
      kept.push_back(*p);
  }
  return kept;
}

std::vector<candidate_pair> completion_candidates(std::size_t n,
                                                  const std::vector<duplicate_pair>& pairs,
                                                  const std::vector<candidate_pair>& proposed,
                                                  std::size_t max_members) {
  std::vector<candidate_pair> extra;
  for (const auto& c : components_of(n, pairs)) {
    if (c.size() > max_members)
      continue;
    for (std::size_t x = 0; x < c.size(); ++x) {
      for (std::size_t y = x + 1; y < c.size(); ++y) {
        const candidate_pair p{c[x], c[y]};
        if (!std::binary_search(proposed.begin(), proposed.end(), p))
          extra.push_back(p);
      }
    }
  }
  std::sort(extra.begin(), extra.end());
  return extra;
}

void build_clusters(dedup_result& res) {
  const std::size_t n = res.documents.size();
  std::vector<std::uint32_t> degree(n, 0);
  for (const auto& p : res.pairs) {
    ++degree[p.a];
    ++degree[p.b];
  }
  res.clusters.clear();
  res.cluster_of.assign(n, -1);
  for (auto& members : components_of(n, res.pairs)) {
    duplicate_cluster c;
    c.members = std::move(members);
    c.representative = c.members.front();
    for (const std::uint32_t m : c.members) {
      const std::uint32_t r = c.representative;
      if (degree[m] > degree[r] ||
          (degree[m] == degree[r] && res.documents[m].tokens > res.documents[r].tokens)) {
        c.representative = m; // members are ascending, so ties keep the smaller id
      }
    }
    const auto idx = static_cast<std::int32_t>(res.clusters.size());
    for (const std::uint32_t m : c.members)
      res.cluster_of[m] = idx;
    res.clusters.push_back(std::move(c));
  }
  // A cluster's kind is the weakest link that holds it together: exact < near < contained.
  for (auto& c : res.clusters)
    c.kind = pair_kind::exact;
  for (const auto& p : res.pairs) {
    auto& c = res.clusters[static_cast<std::size_t>(res.cluster_of[p.a])];
    c.kind = std::max(c.kind, p.kind);
  }
}

} // namespace detail

namespace {

result<dedup_result> run(const document_source& source, const dedup_config& config,
                         diagnostics& diag, const progress_fn& progress) {
  if (auto r = config.validate(); !r)
    return r.error();
  detail::lap_timer timer;
  auto corpus = detail::sketch_corpus(source, config, diag, progress);
  if (!corpus)
    return corpus.error();
  dedup_result res;
  res.config = config;
  res.stats.seconds_sketch = timer.lap();

  report_progress(progress, "candidates", 0, 0, "pairs");
  const std::vector<candidate_pair> cand = detail::find_candidates(*corpus, config, res.stats);
  res.documents = std::move(corpus->documents);
  *corpus = {}; // the sketches are not needed again: free them before reading texts
  const std::size_t n = res.documents.size();
  const std::vector<doc_index> needed = detail::documents_in(cand);
  res.stats.seconds_candidates = timer.lap();
  report_progress(progress, "candidates", cand.size(), cand.size(), "pairs", true);

  // Exact shingle sets of candidate documents only.
  res.stats.documents_reread = needed.size();
  report_progress(progress, "verify", 0, needed.size(), "documents");
  auto sets = detail::shingle_sets(n, needed, res.documents, source, config);
  if (!sets)
    return sets.error();
  res.shingles.assign(n, 0);
  for (const doc_index d : needed)
    res.shingles[d] = static_cast<std::uint32_t>((*sets)[d].size());
  res.pairs = detail::verify_pairs(cand, *sets, config);
  res.stats.verified = cand.size();

  // Cluster completion: in small clusters verify the member pairs LSH did not propose.
  const std::vector<candidate_pair> extra =
      detail::completion_candidates(n, res.pairs, cand, config.complete_cluster_max);
  res.stats.completion_candidates = extra.size();
  res.stats.verified += extra.size();
  std::vector<duplicate_pair> more = detail::verify_pairs(extra, *sets, config);
  res.pairs.insert(res.pairs.end(), more.begin(), more.end());
  std::sort(res.pairs.begin(), res.pairs.end(),
            [](const auto& x, const auto& y) { return x.a != y.a ? x.a < y.a : x.b < y.b; });
  res.stats.seconds_verify = timer.lap();
  report_progress(progress, "verify", needed.size(), needed.size(), "documents", true);

  detail::build_clusters(res);
  res.stats.seconds_clusters = timer.lap();
  return res;
}

} // namespace

result<dedup_result> run_dedup(corpus_reader& reader, const dedup_config& config, diagnostics& diag,
                               const progress_fn& progress) {
  return run(document_source::of(reader), config, diag, progress);
}

result<dedup_result> run_dedup(const document_source& source, const dedup_config& config,
                               diagnostics& diag, const progress_fn& progress) {
  return run(source, config, diag, progress);
}

result<dedup_result> run_dedup(std::span<const document> docs, const dedup_config& config,
                               diagnostics& diag) {
  // Texts are looked up by id instead of being read again; batches of copies let the sketch pass
  // overlap copying with hashing.
  auto corpus = memory_corpus::index(docs);
  if (!corpus)
    return corpus.error();
  return run(document_source::of(*corpus), config, diag, {});
}

} // namespace copydesk
