// Inverted index over sampled fingerprints and shared-fingerprint counting per document.
#include <copydesk/containment.hpp>

#include "common/pairs.hpp"
#include "common/radix.hpp"
#include "common/thread_group.hpp"

#include <algorithm>
#include <cmath>
#include <string>

namespace copydesk {

void winnow(std::span<const hash64> shingles, std::uint32_t window,
            std::vector<std::uint32_t>& out) {
  const std::size_t n = shingles.size();
  if (n == 0)
    return;
  const std::size_t w = std::min<std::size_t>(window, n);
  // Sliding-window minimum in O(n) without branches (van Herk / Gil-Werman): cut the sequence
  // into blocks of w; a window is a suffix of one block and a prefix of the next, so its minimum
  // is min(suffix minimum at its start, prefix minimum at its end).
  thread_local std::vector<std::uint32_t> pre;
  thread_local std::vector<std::uint32_t> suf;
  pre.resize(n);
  suf.resize(n);
  for (std::size_t i = 0; i < n; ++i)
    suf[i] = fingerprint(shingles[i]);
  for (std::size_t b = 0; b < n; b += w) {
    const std::size_t e = std::min(b + w, n);
    pre[b] = suf[b];
    for (std::size_t i = b + 1; i < e; ++i)
      pre[i] = std::min(pre[i - 1], suf[i]);
    for (std::size_t i = e - 1; i-- > b;)
      suf[i] = std::min(suf[i + 1], suf[i]);
  }
  const std::size_t windows = n - w + 1;
  const std::size_t base = out.size();
  out.resize(base + windows);
  std::uint32_t* const o = out.data() + base;
  std::uint32_t last = std::min(suf[0], pre[w - 1]);
  o[0] = last;
  std::size_t kept = 1;
  for (std::size_t i = 1; i < windows; ++i) {
    const std::uint32_t m = std::min(suf[i], pre[i + w - 1]);
    o[kept] = m;
    kept += m != last ? 1 : 0; // written always, kept when new: no branch, a one-add chain
    last = m;
  }
  out.resize(base + kept);
}

result<void> containment_params::validate() const {
  if (window == 0 || window > 1024) {
    return make_error(errc::invalid_argument, "winnowing window must be in 1..1024 shingles, got " +
                                                  std::to_string(window));
  }
  if (max_df < 2) {
    return make_error(errc::invalid_argument,
                      "max-df must be at least 2, got " + std::to_string(max_df));
  }
  if (!(threshold > 0.0 && threshold <= 1.0)) {
    return make_error(errc::invalid_argument,
                      "containment threshold must be in (0,1], got " + std::to_string(threshold));
  }
  return {};
}

std::vector<candidate_pair> containment_candidates(const fingerprint_table& table,
                                                   const containment_params& p, unsigned threads) {
  const std::size_t n = table.offsets.size() - 1;
  // Postings sorted by fingerprint: (fp << 32 | doc).
  std::vector<std::uint64_t> postings;
  postings.reserve(table.fps.size());
  for (std::size_t d = 0; d < n; ++d) {
    for (std::uint64_t i = table.offsets[d]; i < table.offsets[d + 1]; ++i) {
      postings.push_back(static_cast<std::uint64_t>(table.fps[i]) << 32 | d);
    }
  }
  detail::radix_sort_high32(postings); // postings were pushed in doc order: fully sorted after
  postings.erase(std::unique(postings.begin(), postings.end()), postings.end());
  // Groups of equal fingerprints; each document's list of useful groups (CSR, doc -> groups).
  std::vector<std::uint64_t> group_start;
  for (std::size_t i = 0; i < postings.size(); ++i) {
    if (i == 0 || (postings[i] >> 32) != (postings[i - 1] >> 32))
      group_start.push_back(i);
  }
  group_start.push_back(postings.size());
  const std::size_t groups = group_start.size() - 1;
  std::vector<std::uint32_t> usable(n, 0);
  std::vector<std::uint64_t> doc_off(n + 1, 0);
  for (std::size_t g = 0; g < groups; ++g) {
    const std::uint64_t df = group_start[g + 1] - group_start[g];
    if (df > p.max_df)
      continue;
    for (std::uint64_t i = group_start[g]; i < group_start[g + 1]; ++i) {
      const auto d = static_cast<std::uint32_t>(postings[i]);
      ++usable[d];
      if (df >= 2)
        ++doc_off[d + 1];
    }
  }
  for (std::size_t d = 0; d < n; ++d)
    doc_off[d + 1] += doc_off[d];
  std::vector<std::uint32_t> doc_groups(doc_off[n]);
  {
    std::vector<std::uint64_t> fill(doc_off.begin(), doc_off.end() - 1);
    for (std::size_t g = 0; g < groups; ++g) {
      const std::uint64_t df = group_start[g + 1] - group_start[g];
      if (df > p.max_df || df < 2)
        continue;
      for (std::uint64_t i = group_start[g]; i < group_start[g + 1]; ++i) {
        const auto d = static_cast<std::uint32_t>(postings[i]);
        doc_groups[fill[d]++] = static_cast<std::uint32_t>(g);
      }
    }
  }
  auto need = [&](std::uint32_t u) {
    return std::max<std::uint32_t>(1, static_cast<std::uint32_t>(std::ceil(u * p.threshold / 2.0)));
  };
  // Count shared fingerprints of document a with every later document b.
  // More threads than documents would only add idle workers, each with an n-sized counter.
  const auto t =
      static_cast<unsigned>(std::clamp<std::size_t>(threads, 1, std::max<std::size_t>(n, 1)));
  std::vector<std::vector<std::uint64_t>> found(t);
  auto work = [&](unsigned w) {
    std::vector<std::uint32_t> count(n, 0);
    std::vector<std::uint32_t> touched;
    for (std::size_t a = w; a < n; a += t) {
      touched.clear();
      for (std::uint64_t x = doc_off[a]; x < doc_off[a + 1]; ++x) {
        const std::uint32_t g = doc_groups[x];
        for (std::uint64_t i = group_start[g]; i < group_start[g + 1]; ++i) {
          const auto b = static_cast<std::uint32_t>(postings[i]);
          if (b <= a)
            continue;
          if (count[b]++ == 0)
            touched.push_back(b);
        }
      }
      for (const std::uint32_t b : touched) {
        const std::uint32_t u = std::min(usable[a], usable[b]);
        if (count[b] >= need(u))
          found[w].push_back(detail::pack_pair(static_cast<doc_index>(a), b));
        count[b] = 0;
      }
    }
  };
  {
    detail::thread_group pool;
    std::vector<unsigned> here{0}; // strides this thread runs: its own and any that got no thread
    for (unsigned w = 1; w < t; ++w) {
      if (!pool.spawn([&work, w] { work(w); }))
        here.push_back(w);
    }
    for (const unsigned w : here)
      work(w);
    pool.join();
  }
  std::vector<std::uint64_t> pairs;
  for (auto& f : found)
    pairs.insert(pairs.end(), f.begin(), f.end());
  return detail::sorted_unique_pairs(std::move(pairs));
}

} // namespace copydesk
