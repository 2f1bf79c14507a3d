// Pairs of TF-IDF rows with cosine >= t. Exact: the sparse product X * X^T (Eigen). Indexed: an
// all-pairs similarity search (Bayardo, Ma, Srikant, WWW 2007, with the L2 prefix bound of
// Anastiasiu and Karypis, ICDE 2014): each row indexes only its suffix past a prefix whose
// weights cannot reach t against any unit vector, and a query admits new candidates only while
// its remaining weight can still reach t. Both bounds are exact, so no pair >= t is lost.
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
  const auto& m = x.internals().m;
  const tfidf_matrix::impl::sparse g = m * m.transpose();
  const std::size_t n = x.rows();
  std::vector<std::vector<scored_pair>> per_row(n);
  std::vector<std::size_t> counted(n, 0);
  detail::parallel_for(
      n, threads,
      [&](std::size_t r) {
        for (tfidf_matrix::impl::sparse::InnerIterator it(g, static_cast<Eigen::Index>(r)); it;
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

std::vector<scored_pair> indexed_pairs(const tfidf_matrix& x, double threshold, unsigned threads,
                                       pair_search_stats& st) {
  const std::size_t n = x.rows();
  const std::size_t v = x.cols();
  const double lo = threshold - slack;
  // Largest weight of each term over all rows: bounds any row's weight for that term.
  std::vector<float> maxw(v, 0.0F);
  for (std::size_t r = 0; r < n; ++r) {
    const auto t = x.row_terms(r);
    const auto w = x.row_weights(r);
    for (std::size_t k = 0; k < t.size(); ++k) {
      maxw[static_cast<std::size_t>(t[k])] = std::max(maxw[static_cast<std::size_t>(t[k])], w[k]);
    }
  }
  // Prefix of each row: the longest run of its first (most frequent) terms whose dot product with
  // any unit vector stays below t, bounded by min(sum maxw*w, ||prefix||).
  std::vector<std::uint32_t> prefix(n, 0);
  std::vector<float> prefix_norm(n, 0.0F);
  detail::parallel_for(
      n, threads,
      [&](std::size_t r) {
        const auto t = x.row_terms(r);
        const auto w = x.row_weights(r);
        double b1 = 0.0;
        double b2 = 0.0;
        std::size_t p = 0;
        for (; p < t.size(); ++p) {
          const double nb1 = b1 + static_cast<double>(maxw[static_cast<std::size_t>(t[p])]) * w[p];
          const double nb2 = b2 + static_cast<double>(w[p]) * w[p];
          if (std::min(nb1, std::sqrt(nb2)) >= lo)
            break;
          b1 = nb1;
          b2 = nb2;
        }
        prefix[r] = static_cast<std::uint32_t>(p);
        prefix_norm[r] = static_cast<float>(std::sqrt(b2));
      },
      256);
  // Inverted index over suffixes; each posting list holds rows in ascending order.
  std::vector<std::size_t> start(v + 1, 0);
  for (std::size_t r = 0; r < n; ++r) {
    const auto t = x.row_terms(r);
    for (std::size_t k = prefix[r]; k < t.size(); ++k)
      ++start[static_cast<std::size_t>(t[k]) + 1];
  }
  for (std::size_t t = 0; t < v; ++t)
    start[t + 1] += start[t];
  std::vector<std::uint32_t> post_row(start[v]);
  std::vector<float> post_w(start[v]);
  {
    std::vector<std::size_t> fill(start.begin(), start.end() - 1);
    for (std::size_t r = 0; r < n; ++r) {
      const auto t = x.row_terms(r);
      const auto w = x.row_weights(r);
      for (std::size_t k = prefix[r]; k < t.size(); ++k) {
        const std::size_t at = fill[static_cast<std::size_t>(t[k])]++;
        post_row[at] = static_cast<std::uint32_t>(r);
        post_w[at] = w[k];
      }
    }
  }

  // Queries: row q against the indexed suffixes of rows < q.
  constexpr std::size_t chunk = 64;
  const std::size_t chunks = (n + chunk - 1) / chunk;
  std::vector<std::vector<scored_pair>> found(chunks);
  std::vector<std::size_t> candidates(chunks, 0);
  detail::parallel_for(
      chunks, threads,
      [&](std::size_t c) {
        thread_local std::vector<float> acc;
        thread_local std::vector<float> dense;
        thread_local std::vector<std::uint32_t> touched;
        thread_local std::vector<double> b1;
        thread_local std::vector<double> b2;
        if (acc.size() < n)
          acc.assign(n, 0.0F);
        if (dense.size() < v)
          dense.assign(v, 0.0F);
        const std::size_t end = std::min(n, (c + 1) * chunk);
        for (std::size_t q = c * chunk; q < end; ++q) {
          const auto qt = x.row_terms(q);
          const auto qw = x.row_weights(q);
          if (qt.empty())
            continue;
          b1.resize(qt.size());
          b2.resize(qt.size());
          double s1 = 0.0;
          double s2 = 0.0;
          for (std::size_t k = 0; k < qt.size(); ++k) {
            s1 += static_cast<double>(maxw[static_cast<std::size_t>(qt[k])]) * qw[k];
            s2 += static_cast<double>(qw[k]) * qw[k];
            b1[k] = s1;
            b2[k] = s2;
            dense[static_cast<std::size_t>(qt[k])] = qw[k];
          }
          // Rarest terms first. A row y can only reach t with q if q's terms up to and including
          // the current one can: all of y's terms shared with q lie at or before y's suffix terms.
          std::ptrdiff_t cut = -1; // terms 0..cut of q were not scanned
          touched.clear();
          for (auto k = static_cast<std::ptrdiff_t>(qt.size()) - 1; k >= 0; --k) {
            const auto ku = static_cast<std::size_t>(k);
            const bool admit = std::min(b1[ku], std::sqrt(b2[ku])) >= lo;
            if (!admit) {
              cut = k;
              break;
            }
            const auto t = static_cast<std::size_t>(qt[ku]);
            const float w = qw[ku];
            for (std::size_t at = start[t]; at < start[t + 1]; ++at) {
              const std::uint32_t y = post_row[at];
              if (y >= q)
                break;
              if (acc[y] == 0.0F)
                touched.push_back(y);
              acc[y] += w * post_w[at];
            }
          }
          const std::int32_t cutoff = cut >= 0 ? qt[static_cast<std::size_t>(cut)] : -1;
          const double rest_q = cut >= 0 ? std::sqrt(b2[static_cast<std::size_t>(cut)]) : 0.0;
          candidates[c] += touched.size();
          for (const std::uint32_t y : touched) {
            double s = acc[y];
            acc[y] = 0.0F;
            // Unscanned part: q's terms <= cutoff against all of y, and q's later terms against
            // y's prefix; each is bounded by the norm of its side.
            if (s + rest_q + prefix_norm[y] < lo)
              continue;
            const auto yt = x.row_terms(y);
            const auto yw = x.row_weights(y);
            const std::size_t py = prefix[y];
            for (std::size_t j = 0; j < yt.size() && (j < py || yt[j] <= cutoff); ++j) {
              s += static_cast<double>(dense[static_cast<std::size_t>(yt[j])]) * yw[j];
            }
            if (s < lo)
              continue;
            const double exact = x.cosine(y, q);
            if (exact >= threshold)
              found[c].push_back({y, static_cast<doc_index>(q), exact});
          }
          for (const std::int32_t t : qt)
            dense[static_cast<std::size_t>(t)] = 0.0F;
        }
      },
      1);
  std::vector<scored_pair> out;
  for (std::size_t c = 0; c < chunks; ++c) {
    st.candidates += candidates[c];
    out.insert(out.end(), found[c].begin(), found[c].end());
  }
  std::sort(out.begin(), out.end(), [](const scored_pair& a, const scored_pair& b) {
    return a.a != b.a ? a.a < b.a : a.b < b.b;
  });
  return out;
}

} // namespace

std::vector<scored_pair> similar_pairs(const tfidf_matrix& x, double threshold, pair_search method,
                                       unsigned threads, pair_search_stats* stats) {
  pair_search_stats st;
  if (method == pair_search::automatic) {
    method = x.rows() <= defaults::exact_pairs_max ? pair_search::exact : pair_search::indexed;
  }
  st.method = method;
  std::vector<scored_pair> out = method == pair_search::exact
                                     ? exact_pairs(x, threshold, threads, st)
                                     : indexed_pairs(x, threshold, threads, st);
  st.pairs = out.size();
  if (stats != nullptr)
    *stats = st;
  return out;
}

} // namespace copydesk
