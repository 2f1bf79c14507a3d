// Dedup pipeline: streaming sketch pass, candidate generation (LSH + containment), exact
// verification on re-read candidate documents, clusters and representatives.
#include <copydesk/cluster.hpp>
#include <copydesk/dedup.hpp>
#include <copydesk/shingle.hpp>

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

namespace {

// Where documents come from: the next batch (empty at the end), and a document's text again.
using batch_source = std::function<result<std::vector<document>>(diagnostics&)>;
using text_source = std::function<result<std::string>(const doc_info&)>;

// Sketches of one batch of documents, in read order.
struct batch_sketch {
  std::vector<doc_info> info;
  std::vector<std::uint32_t> slots; // info.size() * k
  fingerprint_table fps;
};

// Pass 1: a reader thread feeds batches to worker threads; results are stored by batch number.
result<std::vector<batch_sketch>> sketch_corpus(const batch_source& next,
                                                const dedup_config& config, diagnostics& diag,
                                                const progress_fn& progress) {
  const std::uint32_t k = config.minhash.num_perm;
  std::mutex m;
  std::condition_variable cv;
  std::deque<std::pair<std::size_t, std::vector<document>>> queue;
  bool done = false;
  std::optional<error> failure;
  std::map<std::size_t, batch_sketch> results;
  const std::size_t max_queue = 2 * std::max(1u, config.threads);
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
  std::uint64_t bytes = 0;
  report_progress(progress, "sketch", 0, 0, "bytes");
  for (std::size_t batch_no = 0;; ++batch_no) {
    auto batch = next(diag);
    if (!batch || batch->empty()) {
      if (!batch)
        failure = batch.error();
      break;
    }
    for (const document& d : *batch)
      bytes += d.where.consumed();
    report_progress(progress, "sketch", bytes, 0, "bytes");
    std::unique_lock<std::mutex> lock(m);
    cv.wait(lock, [&] { return queue.size() < max_queue || worker_failed; });
    if (worker_failed)
      break;
    queue.emplace_back(batch_no, std::move(*batch));
    lock.unlock();
    cv.notify_all();
  }
  pool.join();
  if (failure)
    return *failure;
  report_progress(progress, "sketch", bytes, bytes, "bytes", true);
  std::vector<batch_sketch> ordered;
  ordered.reserve(results.size());
  for (auto& [no, b] : results)
    ordered.push_back(std::move(b));
  return ordered;
}

result<dedup_result> run(const batch_source& next, const text_source& reread,
                         const dedup_config& config, diagnostics& diag,
                         const progress_fn& progress) {
  if (auto r = config.validate(); !r)
    return r.error();
  const std::uint32_t k = config.minhash.num_perm;
  detail::lap_timer timer;
  auto sketched = sketch_corpus(next, config, diag, progress);
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

  dedup_result res;
  res.config = config;
  res.documents.reserve(n);
  std::vector<std::uint32_t> sigs(n * k);
  fingerprint_table table;
  table.offsets.reserve(n + 1);
  std::vector<bool> skip(n);
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint32_t src = order[i];
    std::copy(slot_of[src], slot_of[src] + k, sigs.begin() + static_cast<std::ptrdiff_t>(i * k));
    table.fps.insert(table.fps.end(), fps_of[src].first, fps_of[src].second);
    table.offsets.push_back(table.fps.size());
    skip[i] = read_order[src].tokens == 0;
    res.documents.push_back(std::move(read_order[src]));
  }
  sketched->clear();
  sketched->shrink_to_fit();

  // Candidates.
  res.stats.seconds_sketch = timer.lap();
  report_progress(progress, "candidates", 0, 0, "pairs");
  res.stats.lsh = config.effective_lsh();
  std::vector<candidate_pair> cand =
      lsh_candidates(sigs, n, k, res.stats.lsh, skip, 256, config.threads);
  res.stats.lsh_candidates = cand.size();
  if (config.find_contained) {
    std::vector<candidate_pair> cc =
        containment_candidates(table, config.containment, config.threads);
    res.stats.containment_candidates = cc.size();
    std::vector<candidate_pair> merged;
    merged.reserve(cand.size() + cc.size());
    std::set_union(cand.begin(), cand.end(), cc.begin(), cc.end(), std::back_inserter(merged));
    cand.swap(merged);
  }
  table = fingerprint_table{};
  sigs.clear();
  sigs.shrink_to_fit();

  // Pass 2: exact shingle sets of candidate documents only.
  std::vector<std::uint32_t> needed;
  for (const candidate_pair& p : cand) {
    needed.push_back(p.a);
    needed.push_back(p.b);
  }
  std::sort(needed.begin(), needed.end());
  needed.erase(std::unique(needed.begin(), needed.end()), needed.end());
  res.stats.seconds_candidates = timer.lap();
  report_progress(progress, "candidates", cand.size(), cand.size(), "pairs", true);
  res.stats.documents_reread = needed.size();
  report_progress(progress, "verify", 0, needed.size(), "documents");
  std::vector<std::vector<hash64>> sets(n);
  std::vector<std::optional<error>> load_errors(needed.size());
  detail::parallel_for(
      needed.size(), config.threads,
      [&](std::size_t x) {
        const std::uint32_t d = needed[x];
        auto text = reread(res.documents[d]);
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
  res.shingles.assign(n, 0);
  for (const std::uint32_t d : needed)
    res.shingles[d] = static_cast<std::uint32_t>(sets[d].size());

  auto verify = [&](candidate_pair p) {
    const std::uint32_t a = p.a;
    const std::uint32_t b = p.b;
    const auto& sa = sets[a];
    const auto& sb = sets[b];
    duplicate_pair dp;
    dp.a = a;
    dp.b = b;
    dp.shared = static_cast<std::uint32_t>(intersection_size(sa, sb));
    const double uni = static_cast<double>(sa.size() + sb.size() - dp.shared);
    dp.jaccard = uni > 0 ? dp.shared / uni : 1.0;
    dp.a_in_b = sa.empty() ? 0.0 : static_cast<double>(dp.shared) / static_cast<double>(sa.size());
    dp.b_in_a = sb.empty() ? 0.0 : static_cast<double>(dp.shared) / static_cast<double>(sb.size());
    return dp;
  };
  auto qualifies = [&](duplicate_pair& dp) {
    const auto& sa = sets[dp.a];
    const auto& sb = sets[dp.b];
    if (sa.empty() || sb.empty())
      return false;
    if (dp.shared == sa.size() && dp.shared == sb.size()) {
      dp.kind = pair_kind::exact;
      return true;
    }
    if (dp.jaccard >= config.threshold) {
      dp.kind = pair_kind::near;
      return true;
    }
    // Containment of the smaller document (by shingles) in the larger.
    const double smaller_in_larger = sa.size() <= sb.size() ? dp.a_in_b : dp.b_in_a;
    if (config.find_contained && smaller_in_larger >= config.containment.threshold) {
      dp.kind = pair_kind::contained;
      return true;
    }
    return false;
  };
  auto verify_all = [&](const std::vector<candidate_pair>& ps) {
    std::vector<duplicate_pair> out(ps.size());
    std::vector<char> keep(ps.size(), 0);
    detail::parallel_for(
        ps.size(), config.threads,
        [&](std::size_t i) {
          out[i] = verify(ps[i]);
          keep[i] = qualifies(out[i]) ? 1 : 0;
        },
        256);
    std::vector<duplicate_pair> kept;
    for (std::size_t i = 0; i < ps.size(); ++i) {
      if (keep[i] != 0)
        kept.push_back(out[i]);
    }
    return kept;
  };
  res.pairs = verify_all(cand);
  res.stats.verified = cand.size();

  // Cluster completion: in small clusters verify the member pairs LSH did not propose.
  auto components = [&] {
    std::vector<scored_pair> sp;
    sp.reserve(res.pairs.size());
    for (const auto& p : res.pairs)
      sp.push_back({p.a, p.b, p.jaccard});
    return connected_components(n, sp);
  };
  {
    std::vector<candidate_pair> extra;
    for (const auto& c : components()) {
      if (c.size() > config.complete_cluster_max)
        continue;
      for (std::size_t x = 0; x < c.size(); ++x) {
        for (std::size_t y = x + 1; y < c.size(); ++y) {
          const candidate_pair p{c[x], c[y]};
          if (!std::binary_search(cand.begin(), cand.end(), p))
            extra.push_back(p);
        }
      }
    }
    std::sort(extra.begin(), extra.end());
    res.stats.completion_candidates = extra.size();
    res.stats.verified += extra.size();
    std::vector<duplicate_pair> more = verify_all(extra);
    res.pairs.insert(res.pairs.end(), more.begin(), more.end());
    std::sort(res.pairs.begin(), res.pairs.end(),
              [](const auto& x, const auto& y) { return x.a != y.a ? x.a < y.a : x.b < y.b; });
  }

  res.stats.seconds_verify = timer.lap();
  report_progress(progress, "verify", needed.size(), needed.size(), "documents", true);
  // Clusters and representatives.
  std::vector<std::uint32_t> degree(n, 0);
  for (const auto& p : res.pairs) {
    ++degree[p.a];
    ++degree[p.b];
  }
  res.cluster_of.assign(n, -1);
  for (auto& members : components()) {
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
  res.stats.seconds_clusters = timer.lap();
  return res;
}

} // namespace

result<dedup_result> run_dedup(corpus_reader& reader, const dedup_config& config, diagnostics& diag,
                               const progress_fn& progress) {
  return run([&](diagnostics& d) { return reader.next_batch(d); },
             [&](const doc_info& info) { return reader.reread_text(info.where); }, config, diag,
             progress);
}

result<dedup_result> run_dedup(std::span<const document> docs, const dedup_config& config,
                               diagnostics& diag) {
  // Texts are looked up by id instead of being read again; batches of copies let the sketch pass
  // overlap copying with hashing.
  auto corpus = memory_corpus::index(docs);
  if (!corpus)
    return corpus.error();
  auto next = [&](diagnostics&) -> result<std::vector<document>> { return corpus->next_batch(); };
  auto reread = [&](const doc_info& info) -> result<std::string> { return corpus->text(info.id); };
  return run(next, reread, config, diag, {});
}

} // namespace copydesk
