// Inverted index over sampled fingerprints and shared-fingerprint counting per document.
#include <copydesk/containment.hpp>

#include "common/radix.hpp"

#include <algorithm>
#include <cmath>
#include <string>
#include <thread>

namespace copydesk {

result<void> containment_params::validate() const {
  if (sample_mod == 0 || sample_mod > 1024 || (sample_mod & (sample_mod - 1)) != 0) {
    return make_error(errc::invalid_argument,
                      "sample modulus must be a power of two in 1..1024, got " +
                          std::to_string(sample_mod));
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

std::vector<std::uint64_t> containment_candidates(const fingerprint_table& table,
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
  const unsigned t = std::max(1u, threads);
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
          found[w].push_back(static_cast<std::uint64_t>(a) << 32 | b);
        count[b] = 0;
      }
    }
  };
  if (t == 1) {
    work(0);
  } else {
    std::vector<std::thread> pool;
    for (unsigned w = 0; w < t; ++w)
      pool.emplace_back(work, w);
    for (auto& th : pool)
      th.join();
  }
  std::vector<std::uint64_t> pairs;
  for (auto& f : found)
    pairs.insert(pairs.end(), f.begin(), f.end());
  std::sort(pairs.begin(), pairs.end());
  pairs.erase(std::unique(pairs.begin(), pairs.end()), pairs.end());
  return pairs;
}

} // namespace copydesk
