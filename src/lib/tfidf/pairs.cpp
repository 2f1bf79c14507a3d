// Pairs of TF-IDF rows with cosine >= t. Exact: the sparse product X * X^T (Eigen). Indexed: an
// inverted index over each row's k highest-weighted terms ("key terms"); two rows are candidates
// when they share two key terms, and every candidate is verified with the exact cosine. Story pairs
// share their rarest, strongest terms (names, places, specific bigrams), so recall stays >= 0.99
// (measured against exact; docs/STORIES.md), while unrelated rows share only low-weight terms.
// Prefix-filtering all-pairs search (Bayardo et al., WWW 2007) is exact but cannot prune at
// story-level thresholds (~0.1): every pair of news texts shares some term.
#include "common/parallel.hpp"
#include "tfidf/matrix_impl.hpp"

#include <algorithm>
#include <cmath>

namespace copydesk {

const char* to_string(pair_search m) noexcept {
  switch (m) {
  case pair_search::automatic:
    return "automatic";
  case pair_search::exact:
    return "exact";
  case pair_search::indexed:
    return "indexed";
  }
  return "automatic";
}

namespace {

// Float sums inside the search may differ from cosine() in the last bits: search a hair below the
// threshold and decide with the canonical score.
constexpr double slack = 1e-5;

std::vector<scored_pair> exact_pairs(const tfidf_matrix& x, double threshold, unsigned threads,
                                     pair_search_stats& st) {
  const auto& m = detail::matrix_access::of(x).m;
  const detail::matrix_access::sparse g = m * m.transpose();
  const std::size_t n = x.rows();
  std::vector<std::vector<scored_pair>> per_row(n);
  std::vector<std::size_t> counted(n, 0);
  detail::parallel_for(
      n, threads,
      [&](std::size_t r) {
        for (detail::matrix_access::sparse::InnerIterator it(g, static_cast<Eigen::Index>(r)); it;
             ++it) {
          const auto c = static_cast<std::size_t>(it.col());
          if (c <= r)
            continue;
          ++counted[r];
          if (it.value() < threshold - slack)
            continue;
          const double s = x.cosine(r, c);
          if (s >= threshold) {
            per_row[r].push_back({static_cast<doc_index>(r), static_cast<doc_index>(c), s});
          }
        }
      },
      16);
  std::vector<scored_pair> out;
  for (std::size_t r = 0; r < n; ++r) {
    st.candidates += counted[r];
    out.insert(out.end(), per_row[r].begin(), per_row[r].end());
  }
  return out;
}

// Candidates: pairs of rows that share two of their `keys` highest-weighted terms (one when a row
// has fewer than two key terms).
std::vector<scored_pair> keyed_pairs(const tfidf_matrix& x, double threshold, std::size_t keys,
                                     unsigned threads, pair_search_stats& st) {
  const std::size_t n = x.rows();
  const std::size_t v = x.cols();
  // Without a model, ids are ordered by corpus df, so a row's terms of df 1 (which cannot add to
  // any dot product) form its tail from `unique_from` on; verification stops there.
  std::int32_t unique_from = static_cast<std::int32_t>(v);
  if (x.model_documents() == 0) {
    while (unique_from > 0 && x.df(unique_from - 1) < 2)
      --unique_from;
  }
  // Key terms of each row: its `keys` largest weights among terms shared with another row
  // (ties: smaller term id).
  std::vector<std::vector<std::int32_t>> key_terms(n);
  detail::parallel_for(
      n, threads,
      [&](std::size_t r) {
        const auto t = x.row_terms(r);
        const auto w = x.row_weights(r);
        // Terms of one document can link it to no other: they never make a key.
        std::vector<std::uint32_t> idx;
        for (std::size_t k = 0; k < t.size(); ++k) {
          if (x.df(t[k]) >= 2)
            idx.push_back(static_cast<std::uint32_t>(k));
        }
        const std::size_t m = std::min(keys, idx.size());
        std::partial_sort(
            idx.begin(), idx.begin() + static_cast<std::ptrdiff_t>(m), idx.end(),
            [&](std::uint32_t a, std::uint32_t b) { return w[a] != w[b] ? w[a] > w[b] : a < b; });
        key_terms[r].reserve(m);
        for (std::size_t k = 0; k < m; ++k)
          key_terms[r].push_back(t[idx[k]]);
        std::sort(key_terms[r].begin(), key_terms[r].end());
      },
      256);
  std::vector<std::size_t> start(v + 1, 0);
  for (std::size_t r = 0; r < n; ++r) {
    for (const std::int32_t t : key_terms[r])
      ++start[static_cast<std::size_t>(t) + 1];
  }
  for (std::size_t t = 0; t < v; ++t)
    start[t + 1] += start[t];
  std::vector<std::uint32_t> post(start[v]);
  {
    std::vector<std::size_t> fill(start.begin(), start.end() - 1);
    for (std::size_t r = 0; r < n; ++r) {
      for (const std::int32_t t : key_terms[r])
        post[fill[static_cast<std::size_t>(t)]++] = static_cast<std::uint32_t>(r);
    }
  }
  constexpr std::size_t chunk = 64;
  const std::size_t chunks = (n + chunk - 1) / chunk;
  std::vector<std::vector<scored_pair>> found(chunks);
  std::vector<std::size_t> verified(chunks, 0);
  detail::parallel_for(
      chunks, threads,
      [&](std::size_t c) {
        thread_local std::vector<std::uint32_t> seen;
        thread_local std::vector<std::uint32_t> touched;
        thread_local std::vector<float> dense;
        if (seen.size() < n)
          seen.assign(n, 0);
        if (dense.size() < v)
          dense.assign(v, 0.0F);
        const std::size_t end = std::min(n, (c + 1) * chunk);
        for (std::size_t q = c * chunk; q < end; ++q) {
          touched.clear();
          for (const std::int32_t t : key_terms[q]) {
            for (std::size_t at = start[static_cast<std::size_t>(t)];
                 at < start[static_cast<std::size_t>(t) + 1]; ++at) {
              const std::uint32_t y = post[at];
              if (y >= q)
                break;
              if (seen[y]++ == 0)
                touched.push_back(y);
            }
          }

          std::sort(touched.begin(), touched.end());
          // Verify against q scattered into a dense array (no merge branches), then score the
          // survivors with the canonical cosine.
          const auto qt = x.row_terms(q);
          const auto qw = x.row_weights(q);
          for (std::size_t k = 0; k < qt.size(); ++k)
            dense[static_cast<std::size_t>(qt[k])] = qw[k];
          for (const std::uint32_t y : touched) {
            const std::uint32_t shared = seen[y];
            seen[y] = 0;
            // Two shared key terms, or every key term of a row that has fewer than two.
            const std::size_t need =
                std::min<std::size_t>({2, key_terms[q].size(), key_terms[y].size()});
            if (shared < need)
              continue;
            ++verified[c];
            const auto yt = x.row_terms(y);
            const auto yw = x.row_weights(y);
            const auto yend = static_cast<std::size_t>(
                std::lower_bound(yt.begin(), yt.end(), unique_from) - yt.begin());
            float dot = 0.0F;
            for (std::size_t k = 0; k < yend; ++k)
              dot += dense[static_cast<std::size_t>(yt[k])] * yw[k];
            if (dot < threshold - slack)
              continue;
            const double s = x.cosine(y, q);
            if (s >= threshold)
              found[c].push_back({y, static_cast<doc_index>(q), s});
          }
          for (const std::int32_t t : qt)
            dense[static_cast<std::size_t>(t)] = 0.0F;
        }
      },
      1);
  std::vector<scored_pair> out;
  for (std::size_t c = 0; c < chunks; ++c) {
    st.candidates += verified[c];
    out.insert(out.end(), found[c].begin(), found[c].end());
  }
  std::sort(out.begin(), out.end(), [](const scored_pair& a, const scored_pair& b) {
    return a.a != b.a ? a.a < b.a : a.b < b.b;
  });
  return out;
}

} // namespace

std::vector<scored_pair> similar_pairs(const tfidf_matrix& x, double threshold, pair_search method,
                                       unsigned threads, pair_search_stats* stats,
                                       std::size_t key_terms) {
  pair_search_stats st;
  if (method == pair_search::automatic) {
    method = x.rows() <= defaults::exact_pairs_max ? pair_search::exact : pair_search::indexed;
  }
  st.method = method;
  std::vector<scored_pair> out = method == pair_search::exact
                                     ? exact_pairs(x, threshold, threads, st)
                                     : keyed_pairs(x, threshold, key_terms, threads, st);
  st.pairs = out.size();
  if (stats != nullptr)
    *stats = st;
  return out;
}

} // namespace copydesk
