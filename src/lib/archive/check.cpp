// check: one document against the archive. Candidates come from index lookups only (band keys,
// seed fingerprints, key terms); every reported number is then computed exactly on the archived
// texts: shingle-set scores for duplicates, the borrow alignment for passages, TF-IDF cosine
// under the archive's current document frequencies for the closest story.
#include <copydesk/archive.hpp>

#include "archive/store.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <set>

namespace copydesk {

using archive_detail::doc_sketch;
using archive_detail::stored_doc;

namespace {

std::uint32_t need_shared(std::uint32_t u, double threshold) {
  return std::max<std::uint32_t>(1, static_cast<std::uint32_t>(std::ceil(u * threshold / 2.0)));
}

// The `k` documents sharing the most, most shared first (ties: smaller rowid); `m` holds
// (rowid, count) pairs (a count map or a vector of pairs).
template <class Pairs> std::vector<std::int64_t> top_shared(const Pairs& m, std::size_t k) {
  std::vector<std::pair<std::uint32_t, std::int64_t>> v;
  v.reserve(m.size());
  for (const auto& [d, c] : m)
    v.emplace_back(c, d);
  std::sort(v.begin(), v.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first > b.first : a.second < b.second;
  });
  if (v.size() > k)
    v.resize(k);
  std::vector<std::int64_t> out;
  out.reserve(v.size());
  for (const auto& [c, d] : v)
    out.push_back(d);
  return out;
}

} // namespace

result<check_result> archive::check(const document& doc, const check_options& options) const {
  impl& p = *impl_;
  if (auto v = options.validate(); !v)
    return v.error();
  const archive_settings& s = p.settings;
  if (options.borrow.seed_width != s.seed_width) {
    return make_error(errc::incompatible_params,
                      p.path + ": seed width: expected " + std::to_string(s.seed_width) +
                          " (the archive's), got " + std::to_string(options.borrow.seed_width));
  }
  if (options.borrow.hash_seed != s.minhash.shingles.seed) {
    return make_error(errc::incompatible_params,
                      p.path + ": hash seed: expected " + std::to_string(s.minhash.shingles.seed) +
                          " (the archive's), got " + std::to_string(options.borrow.hash_seed));
  }
  check_result out;
  out.document = doc_info{doc.id, doc.where, 0, doc.invalid_utf8, doc.error};
  out.borrow.document = out.document;
  if (!doc.error.empty())
    return out;
  doc_sketch sk;
  archive_detail::sketch_text(doc.text, s, sk);
  out.document.tokens = sk.tokens;
  out.borrow.document.tokens = sk.tokens;
  if (auto r = p.load_fp_counts(); !r)
    return r.error();
  auto cand = p.archive_candidates(sk, options.match.max_df);
  if (!cand)
    return cand.error();
  auto n_docs = p.documents();
  if (!n_docs)
    return n_docs.error();

  // Duplicate candidates (as archive add finds them) and borrow candidates (most shared seeds).
  dedup_config dc;
  dc.threshold = options.match.threshold;
  dc.containment.threshold = options.match.containment;
  dc.find_contained = options.match.find_contained;
  std::set<std::int64_t> dup_cands(cand->band_hits.begin(), cand->band_hits.end());
  const auto mine = static_cast<std::uint32_t>(sk.fingerprints.size());
  if (dc.find_contained) {
    for (const auto& [x, shared] : cand->shared_fps) {
      const auto f = p.fp_count.find(x);
      const std::uint32_t theirs = f != p.fp_count.end() ? f->second : mine;
      if (shared >= need_shared(std::min(mine, theirs), dc.containment.threshold))
        dup_cands.insert(x);
    }
  }
  const std::vector<std::int64_t> borrow_cands = top_shared(cand->shared_fps, options.max_sources);

  // Story candidates: archived documents sharing the most of this one's key terms.
  std::unordered_map<std::uint64_t, std::uint64_t>& df_cache = p.df_cache;
  auto df_of = [&](std::uint64_t t) -> result<std::uint64_t> {
    if (const auto it = p.df.find(t); p.df_loaded && it != p.df.end())
      return it->second;
    if (p.df_loaded)
      return std::uint64_t{0};
    if (const auto it = df_cache.find(t); it != df_cache.end())
      return it->second;
    auto st = p.stmt("SELECT df FROM terms WHERE term = ?");
    if (!st)
      return st.error();
    (*st)->bind_u64(1, t);
    auto row = (*st)->step();
    if (!row)
      return row.error();
    const std::uint64_t v = *row ? (*st)->u64(0) : 0;
    df_cache.emplace(t, v);
    return v;
  };
  // The document is weighted as if it were archived too: N + 1 documents, its terms' df + 1.
  auto weights_of = [&](const std::vector<std::pair<std::uint64_t, std::uint32_t>>& terms,
                        bool archived) -> result<std::vector<double>> {
    std::vector<std::uint64_t> df(terms.size());
    for (std::size_t t = 0; t < df.size(); ++t) {
      auto v = df_of(terms[t].first);
      if (!v)
        return v.error();
      df[t] = *v + (archived ? 0 : 1);
    }
    return archive_detail::tfidf_weights(terms, df, *n_docs + 1);
  };
  auto my_weights = weights_of(sk.terms, false);
  if (!my_weights)
    return my_weights.error();
  std::unordered_map<std::int64_t, std::uint32_t> key_hits;
  {
    auto st = p.stmt("SELECT doc FROM key_terms WHERE term = ? LIMIT 1000");
    if (!st)
      return st.error();
    for (const std::uint32_t t :
         archive_detail::key_term_indices(sk.terms, *my_weights, s.key_terms)) {
      (*st)->reset().bind_u64(1, sk.terms[t].first);
      for (;;) {
        auto row = (*st)->step();
        if (!row)
          return row.error();
        if (!*row)
          break;
        ++key_hits[(*st)->i64(0)];
      }
    }
  }
  const std::vector<std::int64_t> story_cands =
      top_shared(key_hits, std::max<std::size_t>(std::size_t{2} * options.similar, 10));

  // Load every candidate once: row and text; its shingle set and terms when a step needs them.
  struct loaded {
    stored_doc row;
    std::string text;
    std::optional<std::vector<hash64>> shingles;
    std::optional<std::vector<std::pair<std::uint64_t, std::uint32_t>>> terms;
    std::vector<std::string> term_texts; // parallel to terms
  };
  std::map<std::int64_t, loaded> docs;
  auto load = [&](std::int64_t x) -> result<loaded*> {
    auto it = docs.find(x);
    if (it != docs.end())
      return &it->second;
    auto got = p.load_doc_and_text(x);
    if (!got)
      return got.error();
    loaded l{std::move(got->first), std::move(got->second), {}, {}, {}};
    return &docs.emplace(x, std::move(l)).first->second;
  };
  std::set<std::int64_t> named; // rowids that appear in the result
  std::vector<std::pair<std::int64_t, duplicate_pair>> dups;
  for (const std::int64_t x : dup_cands) {
    auto l = load(x);
    if (!l)
      return l.error();
    if (!(*l)->shingles) {
      (*l)->shingles.emplace();
      archive_detail::shingle_set((*l)->text, s, *(*l)->shingles);
    }
    if (auto dp = verify_pair(sk.shingles, *(*l)->shingles, dc)) {
      dups.emplace_back(x, *dp);
      named.insert(x);
    }
  }
  // Borrow: the candidates in id order, as `borrow -r` orders its references.
  std::vector<loaded*> refs;
  for (const std::int64_t x : borrow_cands) {
    auto l = load(x);
    if (!l)
      return l.error();
    refs.push_back(*l);
  }
  std::sort(refs.begin(), refs.end(),
            [](const loaded* a, const loaded* b) { return a->row.id < b->row.id; });
  std::vector<passage> found;
  std::vector<doc_info> ref_info;
  const std::vector<credit_pattern> credits = with_default_credits(options.credits);
  reference_index index(options.borrow);
  hashed_text copy;
  if (!refs.empty()) {
    for (const loaded* r : refs) {
      hashed_text h;
      hash_text(r->text, options.borrow.hash_seed, h);
      doc_info info;
      info.id = r->row.id;
      info.tokens = static_cast<std::uint32_t>(h.size());
      ref_info.push_back(std::move(info));
      index.add(std::move(h));
    }
    index.build();
    hash_text(doc.text, options.borrow.hash_seed, copy);
    find_passages(copy, index, found);
    find_signals(doc.text, copy, out.borrow.signals, credits, found.empty());
  }
  fill_shares(found, sk.tokens, ref_info, out.borrow);
  fill_changes(
      doc.text, copy,
      [&](std::uint32_t r) {
        return reference_text{refs[r]->text, &index.text(r)};
      },
      options.borrow, out.borrow);
  for (const source_share& sh : out.borrow.sources) {
    for (const auto& [x, l] : docs) {
      if (&l == refs[sh.reference])
        named.insert(x);
    }
  }
  // Story: exact cosine with the candidates under the archive's current frequencies.
  std::vector<std::pair<double, std::int64_t>> sims;
  for (const std::int64_t x : story_cands) {
    auto l = load(x);
    if (!l)
      return l.error();
    if (!(*l)->terms) {
      (*l)->terms.emplace();
      archive_detail::count_terms((*l)->text, s, *(*l)->terms, &(*l)->term_texts);
    }
    auto w = weights_of(*(*l)->terms, true);
    if (!w)
      return w.error();
    double dot = 0.0;
    const auto& a = sk.terms;
    const auto& b = *(*l)->terms;
    for (std::size_t i = 0, j = 0; i < a.size() && j < b.size();) {
      if (a[i].first < b[j].first) {
        ++i;
      } else if (b[j].first < a[i].first) {
        ++j;
      } else {
        dot += (*my_weights)[i] * (*w)[j];
        ++i;
        ++j;
      }
    }
    if (dot >= options.story_min)
      sims.emplace_back(dot, x);
  }
  std::sort(sims.begin(), sims.end(), [&](const auto& a, const auto& b) {
    if (a.first != b.first)
      return a.first > b.first;
    return docs[a.second].row.id < docs[b.second].row.id;
  });
  if (sims.size() > options.similar)
    sims.resize(options.similar);
  for (const auto& [c, x] : sims)
    named.insert(x);

  // The archived documents named, by id; indices into them.
  std::vector<std::int64_t> order(named.begin(), named.end());
  std::sort(order.begin(), order.end(),
            [&](std::int64_t a, std::int64_t b) { return docs[a].row.id < docs[b].row.id; });
  std::map<std::int64_t, std::uint32_t> index_of;
  for (const std::int64_t x : order) {
    index_of[x] = static_cast<std::uint32_t>(out.archived.size());
    loaded& l = docs[x];
    out.archived.push_back(
        archived_doc{l.row.id, l.row.meta, l.row.unix_time, l.row.tokens, l.text});
  }
  for (const auto& [x, dp] : dups) {
    archive_match m;
    m.archived = docs[x].row.id;
    m.kind = dp.kind;
    m.jaccard = dp.jaccard;
    m.a_in_b = dp.a_in_b;
    m.b_in_a = dp.b_in_a;
    m.shared = dp.shared;
    out.duplicates.push_back(std::move(m));
  }
  std::sort(out.duplicates.begin(), out.duplicates.end(),
            [](const archive_match& a, const archive_match& b) { return a.archived < b.archived; });
  for (source_share& sh : out.borrow.sources) {
    for (const auto& [x, l] : docs) {
      if (&l == refs[sh.reference]) {
        sh.reference = index_of[x];
        break;
      }
    }
    for (passage& ps : sh.passages)
      ps.reference = sh.reference;
  }
  credit_sources(
      credits,
      [&](std::uint32_t a) {
        std::vector<std::string> names = names_of_id(out.archived[a].id);
        if (out.archived[a].meta.source)
          names.push_back(*out.archived[a].meta.source);
        return names;
      },
      out.borrow);
  if (options.time_meta) {
    diagnostics quiet; // the caller warns about a time that is not ISO 8601
    out.borrow.time = publication_time(doc, *options.time_meta, options.time_field, quiet);
    std::vector<std::optional<published_at>> times;
    for (const archived_doc& a : out.archived) {
      times.push_back(a.unix_time && a.meta.time
                          ? std::optional<published_at>(published_at{*a.meta.time, *a.unix_time})
                          : std::nullopt);
    }
    date_sources([&](std::uint32_t a) -> const std::optional<published_at>& { return times[a]; },
                 out.borrow);
  }
  for (const auto& [c, x] : sims)
    out.similar.emplace_back(index_of[x], c);

  // Label: strongest terms of the centroid of the document and its close archived neighbours.
  std::map<std::string, double> centroid;
  for (std::size_t i = 0; i < sk.terms.size(); ++i)
    centroid[sk.term_texts[i]] += (*my_weights)[i];
  for (const auto& [c, x] : sims) {
    if (c < options.story_threshold)
      continue;
    auto w = weights_of(*docs[x].terms, true); // every similar document had its terms counted
    if (!w)
      return w.error();
    for (std::size_t i = 0; i < docs[x].terms->size(); ++i)
      centroid[docs[x].term_texts[i]] += (*w)[i];
  }
  std::vector<std::pair<double, std::string>> ranked;
  ranked.reserve(centroid.size());
  for (auto& [t, w] : centroid)
    ranked.emplace_back(w, t);
  std::sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first > b.first : a.second < b.second;
  });
  for (std::size_t i = 0; i < ranked.size() && i < options.label_terms; ++i)
    out.label.push_back(ranked[i].second);

  // Verdict, as `report` words it, and the earliest matching archived text.
  const verdict by_borrowing =
      verdict_of_borrowing(out.borrow, options.copy_share, options.borrow_verdict_tokens);
  if (!out.duplicates.empty())
    out.verdict_of = verdict::duplicate;
  else if (by_borrowing != verdict::own_words)
    out.verdict_of = by_borrowing;
  else if (!cand->shared_fps.empty() || !sims.empty() || !cand->band_hits.empty())
    out.verdict_of = verdict::own_words;
  std::set<std::uint32_t> matching;
  for (const archive_match& m : out.duplicates) {
    for (std::uint32_t i = 0; i < out.archived.size(); ++i) {
      if (out.archived[i].id == m.archived)
        matching.insert(i);
    }
  }
  for (const source_share& sh : out.borrow.sources)
    matching.insert(sh.reference);
  for (const std::uint32_t i : matching) {
    const auto& t = out.archived[i].unix_time;
    if (!t)
      continue;
    if (!out.earliest || *t < *out.archived[*out.earliest].unix_time)
      out.earliest = i;
  }
  return out;
}

result<void> fail_over_policy::validate() const {
  if (!(share >= 0.0 && share <= 1.0))
    return make_error(errc::invalid_argument,
                      "fail over share must be in [0,1], got " + std::to_string(share));
  return {};
}

bool fail_over_policy::is_exceeded_by(const check_result& r) const noexcept {
  return std::any_of(r.borrow.sources.begin(), r.borrow.sources.end(), [&](const source_share& s) {
    return s.borrowed > share && !(uncredited_only && s.credited);
  });
}

} // namespace copydesk
