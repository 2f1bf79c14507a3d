// TF-IDF construction: per-document term counting, a sharded term table that counts document
// frequencies while many threads add documents, then pruning, term ids, weights and the Eigen
// row-major matrix. Also the in-memory entry point build_tfidf and the streaming fit_idf.
#include "tfidf/builder.hpp"

#include "common/hash_mix.hpp"
#include "common/parallel.hpp"
#include "tfidf/matrix_impl.hpp"
#include "tfidf/term_texts.hpp"
#include "tfidf/terms.hpp"

#include <algorithm>
#include <cmath>
#include <deque>
#include <limits>
#include <mutex>
#include <numeric>

namespace copydesk::detail {

namespace {

constexpr unsigned shard_bits = 6;
constexpr std::uint32_t shard_count = 1u << shard_bits;
constexpr std::uint32_t max_local = (1u << (32 - shard_bits)) - 1;

inline std::uint32_t shard_of(std::uint64_t key) noexcept {
  return static_cast<std::uint32_t>(fmix64(key) >> (64 - shard_bits));
}

// Open-addressing map from a non-zero 64-bit key to a 32-bit value (linear probing).
class key_table {
public:
  key_table() { rehash(1024); }
  // Slot of `key`; `inserted` tells whether it was added (its value is then unset).
  std::uint32_t& find_or_insert(std::uint64_t key, bool& inserted) {
    if ((size_ + 1) * 2 > keys_.size())
      rehash(keys_.size() * 2);
    std::size_t i = fmix64(key) & mask_;
    while (keys_[i] != 0 && keys_[i] != key)
      i = (i + 1) & mask_;
    inserted = keys_[i] == 0;
    if (inserted) {
      keys_[i] = key;
      ++size_;
    }
    return vals_[i];
  }
  // Starts loading the slot where a probe for `key` begins (the shared tables are far larger
  // than the caches, so each probe is otherwise a wait on memory).
  void prefetch(std::uint64_t key) const noexcept {
    const std::size_t i = fmix64(key) & mask_;
    __builtin_prefetch(&keys_[i]);
    __builtin_prefetch(&vals_[i]);
  }
  // Value of `key`, 0 if absent.
  [[nodiscard]] std::uint32_t find(std::uint64_t key) const noexcept {
    for (std::size_t i = fmix64(key) & mask_; keys_[i] != 0; i = (i + 1) & mask_) {
      if (keys_[i] == key)
        return vals_[i];
    }
    return 0;
  }
  void clear() {
    if (size_ == 0)
      return;
    std::fill(keys_.begin(), keys_.end(), 0);
    size_ = 0;
  }
  [[nodiscard]] std::size_t capacity() const noexcept { return keys_.size(); }
  // Calls f(key, value) for every stored key, in slot order.
  template <class F> void for_each(F&& f) const {
    for (std::size_t i = 0; i < keys_.size(); ++i) {
      if (keys_[i] != 0)
        f(keys_[i], vals_[i]);
    }
  }

private:
  void rehash(std::size_t cap) {
    std::vector<std::uint64_t> old_keys(cap, 0);
    std::vector<std::uint32_t> old_vals(cap, 0);
    old_keys.swap(keys_);
    old_vals.swap(vals_);
    mask_ = cap - 1;
    for (std::size_t j = 0; j < old_keys.size(); ++j) {
      if (old_keys[j] == 0)
        continue;
      std::size_t i = fmix64(old_keys[j]) & mask_;
      while (keys_[i] != 0)
        i = (i + 1) & mask_;
      keys_[i] = old_keys[j];
      vals_[i] = old_vals[j];
    }
  }
  std::vector<std::uint64_t> keys_;
  std::vector<std::uint32_t> vals_;
  std::size_t size_ = 0;
  std::size_t mask_ = 0;
};

// Per-thread scratch for one document.
struct scratch {
  key_table local;
  std::vector<std::uint64_t> keys;
  std::vector<std::uint32_t> tf;
  std::vector<std::uint8_t> bigram;
  std::vector<std::uint32_t> text_begin;
  std::vector<std::uint32_t> text_len;
  std::string arena;
  std::string prev_word;
  std::string cur_word;
  std::vector<std::uint32_t> by_shard;
  std::uint32_t counts[shard_count + 1] = {};

  // After a document of more than `big` distinct terms the scratch is given back, not kept for
  // the next one: on a very large document it is tens of bytes per distinct term, and it would
  // otherwise stay allocated (per thread) through the matrix build.
  static constexpr std::size_t big = std::size_t{1} << 16;
  void release_if_big() {
    if (keys.capacity() > big || local.capacity() > 4 * big || arena.capacity() > 16 * big)
      *this = scratch();
  }

  void reset() {
    if (local.capacity() > big) {
      local = key_table();
    } else {
      local.clear();
    }
    keys.clear();
    tf.clear();
    bigram.clear();
    text_begin.clear();
    text_len.clear();
    arena.clear();
    prev_word.clear();
    cur_word.clear();
  }
};

} // namespace

// A shard's terms by local id. The keys live only in the index (a key per id would repeat 8 bytes
// of the ~37 a term costs); texts are kept for the few terms that have one (words, and bigrams of
// in-memory corpora), with their ids in increasing order: most terms are bigrams without text.
struct term_collector::shard {
  std::mutex m;
  key_table index;
  std::vector<std::uint32_t> df;
  std::vector<std::uint8_t> bigram;
  std::vector<std::uint32_t> text_ids; // local ids of the terms in `texts`, increasing
  term_texts texts;                    // texts[j] is the text of local id text_ids[j]

  // Key of each local id, from the index. @pre the shard never overflowed (see add).
  [[nodiscard]] std::vector<std::uint64_t> keys() const {
    std::vector<std::uint64_t> out(df.size(), 0);
    index.for_each([&](std::uint64_t key, std::uint32_t id) { out[id] = key; });
    return out;
  }
};

term_collector::term_collector(term_params p, bool keep_bigram_text, std::uint32_t shard_terms)
    : params_(p), keep_bigram_text_(keep_bigram_text),
      shard_terms_(shard_terms == 0 ? max_local : std::min(shard_terms, max_local)),
      shards_(std::make_unique<shard[]>(shard_count)) {}

result<void> term_collector::check_not_full() const {
  if (!full_.load(std::memory_order_relaxed))
    return {};
  return make_error(errc::invalid_argument,
                    "too many distinct terms for one TF-IDF vocabulary (a term table of " +
                        std::to_string(shard_terms_) + " terms, 1/" + std::to_string(shard_count) +
                        " of the vocabulary, is full)");
}

term_collector::~term_collector() = default;

std::uint32_t term_collector::add(std::string_view text, doc_terms& out) {
  thread_local scratch s;
  s.reset();
  const bool keep_bigrams = keep_bigram_text_;
  const std::size_t tokens =
      for_each_term_hash(text, params_, [&](std::uint64_t key, bool big, std::string_view tok) {
        if (keep_bigrams && !big) {
          s.prev_word.swap(s.cur_word);
          s.cur_word.assign(tok);
        }
        bool inserted = false;
        std::uint32_t& slot = s.local.find_or_insert(key, inserted);
        if (!inserted) {
          ++s.tf[slot];
          return;
        }
        slot = static_cast<std::uint32_t>(s.keys.size());
        s.keys.push_back(key);
        s.tf.push_back(1);
        s.bigram.push_back(big ? 1 : 0);
        const auto begin = static_cast<std::uint32_t>(s.arena.size());
        if (!big) {
          s.arena.append(tok);
        } else if (keep_bigrams) {
          s.arena.append(s.prev_word);
          s.arena.push_back(' ');
          s.arena.append(s.cur_word);
        }
        s.text_begin.push_back(begin);
        s.text_len.push_back(static_cast<std::uint32_t>(s.arena.size()) - begin);
      });

  // Intern the distinct terms shard by shard: one lock per shard touched.
  const std::size_t n = s.keys.size();
  std::fill(std::begin(s.counts), std::end(s.counts), 0u);
  for (std::size_t i = 0; i < n; ++i)
    ++s.counts[shard_of(s.keys[i]) + 1];
  for (std::uint32_t k = 0; k < shard_count; ++k)
    s.counts[k + 1] += s.counts[k];
  s.by_shard.resize(n);
  {
    std::uint32_t fill[shard_count];
    std::copy(s.counts, s.counts + shard_count, fill);
    for (std::size_t i = 0; i < n; ++i)
      s.by_shard[fill[shard_of(s.keys[i])]++] = static_cast<std::uint32_t>(i);
  }
  out.ids.resize(n);
  out.tf.resize(n);
  for (std::uint32_t k = 0; k < shard_count; ++k) {
    if (s.counts[k] == s.counts[k + 1])
      continue;
    shard& sh = shards_[k];
    const std::lock_guard<std::mutex> lock(sh.m);
    constexpr std::uint32_t ahead = 8; // probes in flight
    const std::uint32_t end = s.counts[k + 1];
    for (std::uint32_t j = s.counts[k]; j < std::min(s.counts[k] + ahead, end); ++j)
      sh.index.prefetch(s.keys[s.by_shard[j]]);
    for (std::uint32_t j = s.counts[k]; j < end; ++j) {
      if (j + ahead < end)
        sh.index.prefetch(s.keys[s.by_shard[j + ahead]]);
      const std::uint32_t i = s.by_shard[j];
      bool inserted = false;
      std::uint32_t& idx = sh.index.find_or_insert(s.keys[i], inserted);
      if (inserted && sh.df.size() >= shard_terms_) {
        // No id left for the term: count it on the shard's first term and mark the collector
        // full, so that to_model and build return the error instead of using the counts.
        full_.store(true, std::memory_order_relaxed);
        idx = 0;
        inserted = false;
      }
      if (inserted) {
        idx = static_cast<std::uint32_t>(sh.df.size());
        sh.df.push_back(0);
        sh.bigram.push_back(s.bigram[i]);
        if (s.text_len[i] != 0) {
          sh.text_ids.push_back(idx);
          sh.texts.push_back(std::string_view(s.arena).substr(s.text_begin[i], s.text_len[i]));
        }
      }
      ++sh.df[idx];
      out.ids[j] = idx << shard_bits | k;
      out.tf[j] = static_cast<std::uint8_t>(std::min<std::uint32_t>(s.tf[i], 255));
    }
  }
  s.release_if_big();
  return static_cast<std::uint32_t>(
      std::min<std::size_t>(tokens, std::numeric_limits<std::uint32_t>::max()));
}

result<idf_model> term_collector::to_model(std::uint64_t documents) const {
  if (auto f = check_not_full(); !f)
    return f.error();
  std::vector<std::pair<std::uint64_t, std::uint32_t>> counts;
  for (std::uint32_t k = 0; k < shard_count; ++k) {
    const shard& sh = shards_[k];
    const std::vector<std::uint64_t> keys = sh.keys();
    for (std::size_t i = 0; i < keys.size(); ++i)
      counts.emplace_back(keys[i], sh.df[i]);
  }
  return idf_model::from_counts(params_, documents, std::move(counts));
}

result<tfidf_matrix> term_collector::build(std::span<doc_terms* const> rows,
                                           std::uint64_t documents, const tfidf_params& params,
                                           const idf_model* model, unsigned threads) {
  if (auto f = check_not_full(); !f)
    return f.error();
  if (auto v = params.validate(); !v)
    return v.error();
  if (model != nullptr) {
    if (auto c = model->check_compatible(params_); !c)
      return c.error();
  }
  const std::uint64_t model_docs = model != nullptr ? model->documents() : 0;
  const auto n_eff = static_cast<double>(documents + model_docs);
  const double max_df = params.max_df * static_cast<double>(documents);

  // The hash indexes are no longer needed once they gave back the keys: free them before the
  // matrix is allocated.
  std::vector<std::vector<std::uint64_t>> keys_of(shard_count);
  for (std::uint32_t k = 0; k < shard_count; ++k) {
    keys_of[k] = shards_[k].keys();
    shards_[k].index = key_table();
  }
  // The model's counts in a hash table: one probe per corpus term instead of a binary search.
  key_table model_df;
  if (model != nullptr) {
    const auto hashes = model->term_hashes();
    const auto dfs = model->term_dfs();
    for (std::size_t i = 0; i < hashes.size(); ++i) {
      bool inserted = false;
      model_df.find_or_insert(hashes[i], inserted) = dfs[i];
    }
  }
  // Per provisional term: final id (>= 0), folded into the norm only (-2) or dropped (-1).
  constexpr std::int32_t dropped = -1;
  constexpr std::int32_t folded = -2;
  std::vector<std::vector<std::int32_t>> final_of(shard_count);
  std::vector<std::vector<float>> idf_of(shard_count);
  struct stored_term {
    std::uint64_t df_eff;
    std::uint64_t key;
    std::uint32_t shard;
    std::uint32_t idx;
  };
  std::vector<stored_term> stored;
  for (std::uint32_t k = 0; k < shard_count; ++k) {
    const shard& sh = shards_[k];
    const std::vector<std::uint64_t>& keys = keys_of[k];
    final_of[k].assign(keys.size(), dropped);
    idf_of[k].assign(keys.size(), 0.0F);
    for (std::size_t i = 0; i < keys.size(); ++i) {
      const std::uint32_t df = sh.df[i];
      if (df < params.min_df || static_cast<double>(df) > max_df)
        continue;
      const std::uint64_t df_eff = df + (model != nullptr ? model_df.find(keys[i]) : 0);
      idf_of[k][i] =
          static_cast<float>(std::log((1.0 + n_eff) / (1.0 + static_cast<double>(df_eff))) + 1.0);
      if (sh.bigram[i] != 0 && df < 2) {
        final_of[k][i] = folded;
      } else {
        stored.push_back({df_eff, keys[i], k, static_cast<std::uint32_t>(i)});
      }
    }
  }
  // Frequent terms first (the order prefix filtering wants); ties by hash, so ids never depend
  // on thread timing or input order.
  std::sort(stored.begin(), stored.end(), [](const stored_term& a, const stored_term& b) {
    return a.df_eff != b.df_eff ? a.df_eff > b.df_eff : a.key < b.key;
  });
  tfidf_matrix out;
  auto& im = matrix_access::of(out);
  im.params = params_;
  im.corpus_docs = documents;
  im.model_docs = model_docs;
  const std::size_t vocab = stored.size();
  im.keys.resize(vocab);
  im.df.resize(vocab);
  im.idf.resize(vocab);
  im.bigram.resize(vocab);
  im.text = term_texts(vocab);
  for (std::size_t t = 0; t < vocab; ++t) {
    const stored_term& st = stored[t];
    shard& sh = shards_[st.shard];
    final_of[st.shard][st.idx] = static_cast<std::int32_t>(t);
    im.keys[t] = st.key;
    im.df[t] = sh.df[st.idx];
    im.idf[t] = idf_of[st.shard][st.idx];
    im.bigram[t] = sh.bigram[st.idx];
  }
  stored = {};
  keys_of = {};
  for (std::uint32_t k = 0; k < shard_count; ++k) {
    shard& sh = shards_[k];
    for (std::size_t j = 0; j < sh.text_ids.size(); ++j) {
      const std::int32_t f = final_of[k][sh.text_ids[j]];
      if (f >= 0)
        im.text.set(static_cast<std::size_t>(f), sh.texts.get(j));
    }
  }
  // The matrix now holds everything the rows and labels need from the term table (keys, df,
  // flags and texts); the rows only need final_of and idf_of. Free it before the weights are
  // allocated: on a large corpus most of its terms are bigrams of one document.
  for (std::uint32_t k = 0; k < shard_count; ++k) {
    shard& sh = shards_[k];
    sh.df = {};
    sh.bigram = {};
    sh.text_ids = {};
    sh.texts = {};
  }
  im.text.shrink_to_fit();

  // Rows, step 1: each document's counts become its stored terms only (final ids, ascending,
  // with their tf), and the inverse norm over every kept term (stored or folded) is noted. The
  // counts of dropped and folded terms (on a large corpus most entries are bigrams of one
  // document) and the per-provisional-term tables are freed before the weights are allocated.
  const std::size_t n = rows.size();
  std::vector<double> inv_norm(n, 0.0);
  std::vector<std::int64_t> offsets(n + 1, 0);
  parallel_for(
      n, threads,
      [&](std::size_t r) {
        doc_terms* d = rows[r];
        if (d == nullptr)
          return;
        thread_local std::vector<std::pair<std::int32_t, std::uint8_t>> entries;
        entries.clear();
        double norm2 = 0.0;
        for (std::size_t j = 0; j < d->ids.size(); ++j) {
          const std::uint32_t pid = d->ids[j];
          const std::uint32_t k = pid & (shard_count - 1);
          const std::uint32_t idx = pid >> shard_bits;
          const std::int32_t f = final_of[k][idx];
          if (f == dropped)
            continue;
          const double w = (1.0 + std::log(static_cast<double>(d->tf[j]))) * idf_of[k][idx];
          norm2 += w * w;
          if (f >= 0)
            entries.emplace_back(f, d->tf[j]);
        }
        std::sort(entries.begin(), entries.end(),
                  [](const auto& a, const auto& b) { return a.first < b.first; });
        inv_norm[r] = norm2 > 0.0 ? 1.0 / std::sqrt(norm2) : 0.0;
        std::vector<std::uint32_t> ids(entries.size());
        std::vector<std::uint8_t> tf(entries.size());
        for (std::size_t j = 0; j < entries.size(); ++j) {
          ids[j] = static_cast<std::uint32_t>(entries[j].first);
          tf[j] = entries[j].second;
        }
        d->ids = std::move(ids);
        d->tf = std::move(tf);
        offsets[r + 1] = static_cast<std::int64_t>(entries.size());
      },
      64);
  final_of = {};
  idf_of = {};
  model_df = key_table();
  std::partial_sum(offsets.begin(), offsets.end(), offsets.begin());
  const std::int64_t nnz = offsets[n];
  if (nnz > std::numeric_limits<std::int32_t>::max()) {
    return make_error(errc::invalid_argument, "corpus too large for one TF-IDF matrix (" +
                                                  std::to_string(nnz) + " stored weights)");
  }
  // Step 2: the Eigen arrays, filled in parallel; each row's counts are freed once written.
  im.m.resize(static_cast<Eigen::Index>(n), static_cast<Eigen::Index>(vocab));
  im.m.resizeNonZeros(static_cast<Eigen::Index>(nnz));
  std::int32_t* outer = im.m.outerIndexPtr();
  std::int32_t* inner = im.m.innerIndexPtr();
  float* values = im.m.valuePtr();
  for (std::size_t r = 0; r <= n; ++r)
    outer[r] = static_cast<std::int32_t>(offsets[r]);
  parallel_for(
      n, threads,
      [&](std::size_t r) {
        doc_terms* d = rows[r];
        if (d == nullptr)
          return;
        const double inv = inv_norm[r];
        std::int64_t at = offsets[r];
        for (std::size_t j = 0; j < d->ids.size(); ++j) {
          const std::uint32_t t = d->ids[j];
          // The weight is rounded to float before it is normalized, as it always was.
          const auto w =
              static_cast<float>((1.0 + std::log(static_cast<double>(d->tf[j]))) * im.idf[t]);
          inner[at] = static_cast<std::int32_t>(t);
          values[at] = static_cast<float>(w * inv);
          ++at;
        }
        d->clear();
      },
      64);
  return out;
}

} // namespace copydesk::detail

namespace copydesk {

result<void> tfidf_params::validate() const {
  if (min_df < 1)
    return make_error(errc::invalid_argument, "min_df must be >= 1, got 0");
  if (!(max_df > 0.0 && max_df <= 1.0)) {
    return make_error(errc::invalid_argument, "max_df must be a share of documents in (0,1], got " +
                                                  std::to_string(max_df));
  }
  return {};
}

struct tfidf_builder::impl {
  impl(const term_params& p, bool keep_bigram_texts) : collector(p, keep_bigram_texts), terms(p) {}
  detail::term_collector collector;
  term_params terms;
  std::vector<detail::doc_terms> docs;
};

tfidf_builder::tfidf_builder(const term_params& p, bool keep_bigram_texts)
    : impl_(std::make_unique<impl>(p, keep_bigram_texts)) {}
tfidf_builder::tfidf_builder(tfidf_builder&&) noexcept = default;
tfidf_builder& tfidf_builder::operator=(tfidf_builder&&) noexcept = default;
tfidf_builder::~tfidf_builder() = default;

std::size_t tfidf_builder::size() const noexcept { return impl_->docs.size(); }

void tfidf_builder::add_batch(std::span<const std::string_view> texts,
                              std::span<std::uint32_t> tokens, unsigned threads) {
  COPYDESK_ASSERT(tokens.size() == texts.size());
  const std::size_t base = impl_->docs.size();
  impl_->docs.resize(base + texts.size());
  detail::parallel_for(
      texts.size(), threads,
      [&](std::size_t i) { tokens[i] = impl_->collector.add(texts[i], impl_->docs[base + i]); }, 4);
}

result<tfidf_matrix> tfidf_builder::build(std::span<const std::size_t> rows,
                                          const tfidf_params& params, const idf_model* model,
                                          unsigned threads) {
  if (auto v = params.validate(); !v)
    return v.error();
  if (!(params.terms == impl_->terms)) {
    return make_error(
        errc::incompatible_params,
        "TF-IDF build: term params differ from those the documents were counted with");
  }
  std::vector<detail::doc_terms*> ptrs(rows.size(), nullptr);
  // build rewrites each row's counts in place: a document named by two rows gets a copy.
  std::vector<bool> named(impl_->docs.size(), false);
  std::deque<detail::doc_terms> copies;
  std::uint64_t documents = 0;
  for (std::size_t r = 0; r < rows.size(); ++r) {
    if (rows[r] == no_document)
      continue;
    if (rows[r] >= impl_->docs.size()) {
      return make_error(errc::invalid_argument, "TF-IDF build: row " + std::to_string(r) +
                                                    " names document " + std::to_string(rows[r]) +
                                                    " of " + std::to_string(impl_->docs.size()));
    }
    if (named[rows[r]]) {
      ptrs[r] = &copies.emplace_back(impl_->docs[rows[r]]);
    } else {
      named[rows[r]] = true;
      ptrs[r] = &impl_->docs[rows[r]];
    }
    ++documents;
  }
  auto out = impl_->collector.build(ptrs, documents, params, model, threads);
  impl_->docs = {};
  return out;
}

result<tfidf_matrix> build_tfidf(std::span<const std::string> texts, const tfidf_params& params,
                                 const idf_model* model, unsigned threads) {
  // builder.build validates the params.
  tfidf_builder builder(params.terms, true);
  const std::vector<std::string_view> views(texts.begin(), texts.end());
  std::vector<std::uint32_t> tokens(texts.size());
  builder.add_batch(views, tokens, threads);
  std::vector<std::size_t> rows(texts.size());
  std::iota(rows.begin(), rows.end(), std::size_t{0});
  return builder.build(rows, params, model, threads);
}

result<idf_model> fit_idf(corpus_reader& reader, const term_params& p, unsigned threads,
                          diagnostics& diag) {
  detail::term_collector collector(p, false);
  std::uint64_t documents = 0;
  auto counted = for_each_batch(document_source::of(reader), diag,
                                [&](std::vector<document>& docs) -> result<void> {
                                  detail::parallel_for(
                                      docs.size(), threads,
                                      [&](std::size_t i) {
                                        if (!docs[i].error.empty())
                                          return;
                                        thread_local detail::doc_terms scratch;
                                        collector.add(docs[i].text, scratch);
                                      },
                                      8);
                                  for (const document& d : docs)
                                    documents += d.error.empty() ? 1 : 0;
                                  return {};
                                });
  if (!counted)
    return counted.error();
  return collector.to_model(documents);
}

} // namespace copydesk
