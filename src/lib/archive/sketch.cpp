#include "archive/sketch.hpp"

#include <copydesk/containment.hpp>
#include <copydesk/minhash.hpp>
#include <copydesk/shingle.hpp>
#include <copydesk/tfidf.hpp>

#include "common/bytes.hpp"
#include "common/hash_mix.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <numeric>

namespace copydesk::archive_detail {

std::uint64_t content_hash(std::string_view text) noexcept {
  return detail::fnv_update(detail::fnv_offset, text);
}

std::uint64_t band_key(const std::uint32_t* slots, std::uint32_t rows,
                       std::uint32_t band) noexcept {
  std::uint64_t h = detail::fmix64(0x9e3779b97f4a7c15ULL * (std::uint64_t{band} + 1));
  for (std::uint32_t r = 0; r < rows; ++r)
    h = detail::fmix64(h ^ (std::uint64_t{slots[r]} + (std::uint64_t{r} << 32)));
  return h;
}

void sketch_text(std::string_view text, const archive_settings& s, doc_sketch& out) {
  const std::uint64_t seed = s.minhash.shingles.seed;
  out.content_hash = content_hash(text);
  thread_local std::vector<hash64> token_hashes;
  thread_local std::vector<hash64> seeds;
  token_hashes.clear();
  seeds.clear();
  out.shingles.clear();
  out.tokens = static_cast<std::uint32_t>(hash_tokens(text, seed, token_hashes));
  if (s.minhash.shingles.unit == shingle_unit::words)
    word_shingles(token_hashes, s.minhash.shingles.width, out.shingles);
  else
    shingle_text(text, s.minhash.shingles, out.shingles);
  out.slots.resize(s.minhash.num_perm);
  minhash_signature(out.shingles, s.minhash.num_perm, out.slots.data());
  to_set(out.shingles);
  out.band_keys.clear();
  if (!out.shingles.empty()) {
    for (std::uint32_t b = 0; b < s.lsh.bands; ++b)
      out.band_keys.push_back(band_key(&out.slots[std::size_t{b} * s.lsh.rows], s.lsh.rows, b));
  }
  // Borrow seeds: the word k-grams the alignment starts from, winnowed.
  word_shingles(token_hashes, s.seed_width, seeds);
  out.fingerprints.clear();
  if (out.tokens >= s.seed_width)
    winnow(seeds, s.seed_window, out.fingerprints);
  std::sort(out.fingerprints.begin(), out.fingerprints.end());
  out.fingerprints.erase(std::unique(out.fingerprints.begin(), out.fingerprints.end()),
                         out.fingerprints.end());
  count_terms(text, s, out.terms, &out.term_texts);
}

void count_terms(std::string_view text, const archive_settings& s,
                 std::vector<std::pair<std::uint64_t, std::uint32_t>>& terms,
                 std::vector<std::string>* texts) {
  std::vector<std::string> all = extract_terms(text, s.terms);
  std::vector<std::pair<std::uint64_t, std::uint32_t>> keyed;
  keyed.reserve(all.size());
  for (std::uint32_t i = 0; i < all.size(); ++i)
    keyed.emplace_back(term_hash(all[i]), i);
  std::sort(keyed.begin(), keyed.end());
  terms.clear();
  if (texts != nullptr)
    texts->clear();
  for (std::size_t i = 0; i < keyed.size();) {
    std::size_t j = i;
    while (j < keyed.size() && keyed[j].first == keyed[i].first)
      ++j;
    terms.emplace_back(keyed[i].first, static_cast<std::uint32_t>(j - i));
    if (texts != nullptr)
      texts->push_back(std::move(all[keyed[i].second]));
    i = j;
  }
}

void shingle_set(std::string_view text, const archive_settings& s, std::vector<hash64>& out) {
  shingle_text(text, s.minhash.shingles, out);
  to_set(out);
}

std::string pack32(std::span<const std::uint32_t> v) {
  std::string out;
  out.reserve(v.size() * 4);
  for (const std::uint32_t x : v)
    detail::put32(out, x);
  return out;
}

std::string pack64(std::span<const std::uint64_t> v) {
  std::string out;
  out.reserve(v.size() * 8);
  for (const std::uint64_t x : v)
    detail::put64(out, x);
  return out;
}

result<std::vector<std::uint32_t>> unpack32(std::string_view blob, std::string_view what) {
  if (blob.size() % 4 != 0)
    return make_error(errc::corrupt_file, std::string(what) + ": damaged row (bad blob size)");
  std::vector<std::uint32_t> v(blob.size() / 4);
  for (std::size_t i = 0; i < v.size(); ++i)
    v[i] = detail::get32(blob, i * 4);
  return v;
}

result<std::vector<std::uint64_t>> unpack64(std::string_view blob, std::string_view what) {
  if (blob.size() % 8 != 0)
    return make_error(errc::corrupt_file, std::string(what) + ": damaged row (bad blob size)");
  std::vector<std::uint64_t> v(blob.size() / 8);
  for (std::size_t i = 0; i < v.size(); ++i)
    v[i] = detail::get64(blob, i * 8);
  return v;
}

std::vector<double> tfidf_weights(std::span<const std::pair<std::uint64_t, std::uint32_t>> terms,
                                  std::span<const std::uint64_t> df, std::uint64_t n) {
  std::vector<double> w(terms.size());
  double norm = 0.0;
  for (std::size_t i = 0; i < terms.size(); ++i) {
    const double idf =
        std::log((1.0 + static_cast<double>(n)) / (1.0 + static_cast<double>(df[i]))) + 1.0;
    w[i] = (1.0 + std::log(static_cast<double>(terms[i].second))) * idf;
    norm += w[i] * w[i];
  }
  if (norm > 0) {
    const double inv = 1.0 / std::sqrt(norm);
    for (double& x : w)
      x *= inv;
  }
  return w;
}

std::vector<std::uint32_t>
key_term_indices(std::span<const std::pair<std::uint64_t, std::uint32_t>> terms,
                 std::span<const double> weights, std::size_t k) {
  std::vector<std::uint32_t> idx(terms.size());
  std::iota(idx.begin(), idx.end(), 0u);
  auto stronger = [&](std::uint32_t a, std::uint32_t b) {
    if (weights[a] != weights[b])
      return weights[a] > weights[b];
    return terms[a].first < terms[b].first;
  };
  const std::size_t keep = std::min(k, idx.size());
  std::partial_sort(idx.begin(), idx.begin() + static_cast<std::ptrdiff_t>(keep), idx.end(),
                    stronger);
  idx.resize(keep);
  return idx;
}

} // namespace copydesk::archive_detail
