// archive add: sketch a batch in parallel, compare each document with the archive and with the
// batch's earlier documents (band keys and fingerprints -> exact verification on shingle sets),
// join duplicate clusters, then write every row of the batch in one transaction (index rows in
// key order, which SQLite inserts fastest).
#include <copydesk/archive.hpp>

#include "archive/store.hpp"
#include "common/parallel.hpp"

#include <algorithm>
#include <cmath>
#include <set>
#include <unordered_set>

namespace copydesk {

using archive_detail::doc_sketch;
using archive_detail::statement;
using archive_detail::stored_doc;

namespace {

// Union-find over cluster keys: an archived document's key is its stored cluster (or its own
// rowid when it is in none); a cluster's root is its smallest key, the earliest document.
class cluster_keys {
public:
  std::int64_t root(std::int64_t x) {
    auto it = parent_.find(x);
    while (it != parent_.end() && it->second != x) {
      x = it->second;
      it = parent_.find(x);
    }
    return x;
  }
  /// Joins the clusters of keys a and b, whose documents doc_a and doc_b are a verified pair.
  void join(std::int64_t a, std::int64_t doc_a, std::int64_t b, std::int64_t doc_b) {
    parent_.try_emplace(a, a);
    parent_.try_emplace(b, b);
    a = root(a);
    b = root(b);
    if (a != b) {
      if (b < a)
        std::swap(a, b);
      parent_[b] = a;
      auto& into = members_[a];
      if (const auto it = members_.find(b); it != members_.end()) {
        into.insert(into.end(), it->second.begin(), it->second.end());
        members_.erase(it);
      }
    }
    auto& m = members_[a];
    for (const std::int64_t d : {doc_a, doc_b}) {
      if (std::find(m.begin(), m.end(), d) == m.end())
        m.push_back(d);
    }
  }
  /// Documents joined in this batch to the cluster rooted at `r` (archived or new).
  [[nodiscard]] const std::vector<std::int64_t>& members(std::int64_t r) { return members_[r]; }
  [[nodiscard]] bool touched(std::int64_t x) const { return parent_.count(x) != 0; }
  /// Keys whose root is not themselves.
  [[nodiscard]] std::vector<std::pair<std::int64_t, std::int64_t>> moved() {
    std::vector<std::pair<std::int64_t, std::int64_t>> out;
    std::vector<std::int64_t> keys;
    keys.reserve(parent_.size());
    for (const auto& [k, v] : parent_)
      keys.push_back(k);
    std::sort(keys.begin(), keys.end());
    for (const std::int64_t k : keys) {
      const std::int64_t r = root(k);
      if (r != k)
        out.emplace_back(k, r);
    }
    return out;
  }

private:
  std::unordered_map<std::int64_t, std::int64_t> parent_;
  std::unordered_map<std::int64_t, std::vector<std::int64_t>> members_;
};

std::uint32_t need_shared(std::uint32_t u, double threshold) {
  return std::max<std::uint32_t>(1, static_cast<std::uint32_t>(std::ceil(u * threshold / 2.0)));
}

} // namespace

result<std::vector<added_document>> archive::add_batch(std::span<const document> docs,
                                                       std::span<const doc_meta> meta,
                                                       const add_options& options) {
  impl& p = *impl_;
  if (!p.writable)
    return make_error(errc::invalid_argument, p.path + ": opened read-only");
  if (auto v = options.match.validate(); !v)
    return v.error();
  if (!meta.empty() && meta.size() != docs.size())
    return make_error(errc::invalid_argument, "metadata must be given for every document or none");
  const archive_settings& s = p.settings;
  p.df_cache.clear(); // frequencies change with the batch
  dedup_config dc;
  dc.threshold = options.match.threshold;
  dc.containment.threshold = options.match.containment;
  dc.find_contained = options.match.find_contained;
  const std::size_t n = docs.size();

  // 0. The archive's first batch with enough text trains its compression dictionary.
  archive_detail::text_codec codec = p.codec;
  std::optional<std::string> new_dictionary;
  if (!codec.has_dictionary()) {
    std::vector<std::string_view> samples;
    for (const document& d : docs) {
      if (d.error.empty())
        samples.push_back(d.text);
    }
    new_dictionary = archive_detail::text_codec::train(samples);
    if (new_dictionary) {
      auto c = archive_detail::text_codec::with_dictionary(*new_dictionary, p.path);
      if (c)
        codec = std::move(*c);
      else
        new_dictionary.reset();
    }
  }

  // 1. Sketches and compressed texts, in parallel.
  std::vector<doc_sketch> sk(n);
  std::vector<std::string> frames(n);
  detail::parallel_for(
      n, options.threads,
      [&](std::size_t i) {
        if (!docs[i].error.empty())
          return;
        archive_detail::sketch_text(docs[i].text, s, sk[i]);
        frames[i] = codec.compress(docs[i].text);
      },
      2);

  archive_detail::write_txn txn(p.db);
  if (auto r = txn.begin(); !r)
    return r.error();
  // Another writer may have stored a dictionary since this archive was opened: use it instead.
  if (auto r = p.load_codec(); !r)
    return r.error();
  if (p.codec.has_dictionary() && p.codec.dictionary_id() != codec.dictionary_id()) {
    codec = p.codec;
    new_dictionary.reset();
    detail::parallel_for(
        n, options.threads,
        [&](std::size_t i) {
          if (docs[i].error.empty())
            frames[i] = codec.compress(docs[i].text);
        },
        2);
  }
  if (new_dictionary) {
    auto st = p.stmt("INSERT INTO dictionaries(id, zstd_dict) VALUES (?, ?)");
    if (!st)
      return st.error();
    if (auto r = (*st)
                     ->bind(1, std::int64_t{codec.dictionary_id()})
                     .bind_blob(2, *new_dictionary)
                     .run("cannot store the compression dictionary");
        !r)
      return r.error();
  }
  if (auto r = p.load_fp_counts(); !r)
    return r.error();
  if (auto r = p.load_df(); !r)
    return r.error();
  auto documents = p.documents();
  if (!documents)
    return documents.error();
  std::int64_t next_doc = 0;
  {
    auto st = p.stmt("SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'next_doc'");
    if (!st)
      return st.error();
    auto row = (*st)->step();
    if (!row)
      return row.error();
    if (!*row || (*st)->i64(0) < 1)
      return make_error(errc::corrupt_file, p.path + ": damaged archive (next document number)");
    next_doc = (*st)->i64(0);
  }
  std::uint64_t doc_count = *documents;

  std::vector<added_document> out(n);
  std::vector<std::int64_t> rowid(n, 0);                               // 0: not written
  std::unordered_map<std::int64_t, std::size_t> batch_of;              // rowid -> index in docs
  std::unordered_map<std::int64_t, std::vector<hash64>> shingle_cache; // archived documents
  std::unordered_map<std::int64_t, std::int64_t> key_of; // rowid -> cluster key when first seen
  std::unordered_map<std::int64_t, std::string> id_of;   // rowid -> id (for output)
  cluster_keys clusters;
  std::size_t batch_fp_count = 0;
  for (const doc_sketch& d : sk)
    batch_fp_count += d.fingerprints.size();

  auto shingles_of = [&](std::int64_t d) -> result<const std::vector<hash64>*> {
    if (const auto b = batch_of.find(d); b != batch_of.end())
      return &sk[b->second].shingles;
    auto it = shingle_cache.find(d);
    if (it == shingle_cache.end()) {
      auto got = p.load_doc_and_text(d);
      if (!got)
        return got.error();
      std::vector<hash64> set;
      archive_detail::shingle_set(got->second, s, set);
      id_of[d] = got->first.id;
      key_of.try_emplace(d, got->first.cluster.value_or(d));
      it = shingle_cache.emplace(d, std::move(set)).first;
    }
    return &it->second;
  };

  const std::int64_t batch_start = next_doc;
  // Pass 1: which documents are new (rowids in input order), skipped or replacing an archived one
  // (whose rows go first, so the whole batch compares with the archive as it will be).
  for (std::size_t i = 0; i < n; ++i) {
    const document& d = docs[i];
    added_document& a = out[i];
    a.document = doc_info{d.id,
                          d.where,
                          sk[i].tokens,
                          d.invalid_utf8,
                          d.error,
                          d.boilerplate_blocks,
                          d.boilerplate_bytes};
    if (!d.error.empty()) {
      a.status = add_status::failed;
      a.is_new = false;
      a.note = d.error;
      continue;
    }
    auto existing = p.find_doc(d.id);
    if (!existing)
      return existing.error();
    if (*existing) {
      const stored_doc& e = **existing;
      if (e.content_hash == sk[i].content_hash && e.bytes == d.text.size()) {
        a.status = add_status::skipped;
        a.is_new = false;
        a.note = "already archived with the same content";
        if (e.cluster)
          key_of.try_emplace(e.doc, *e.cluster);
        id_of[e.doc] = e.id;
        rowid[i] = -e.doc; // negative: an archived document, reported with its cluster
        continue;
      }
      if (!options.replace) {
        return make_error(errc::invalid_input,
                          d.id + ": already archived with other content (nothing of this batch "
                                 "was written; --replace replaces it)");
      }
      if (auto r = p.erase_doc(e); !r)
        return r.error();
      a.status = add_status::replaced;
      --doc_count;
    }
    rowid[i] = next_doc++;
  }

  // Pass 2: the archive's postings of every key of the batch, read and extended in one sweep
  // over each posting table (a bucket is read once and written once per batch).
  std::vector<archive_detail::posting> new_fps;
  std::vector<archive_detail::posting> new_bands;
  new_fps.reserve(batch_fp_count);
  new_bands.reserve(n * s.lsh.bands);
  for (std::size_t i = 0; i < n; ++i) {
    if (rowid[i] <= 0)
      continue;
    for (const std::uint32_t fp : sk[i].fingerprints)
      new_fps.emplace_back(fp, rowid[i]);
    for (const std::uint64_t k : sk[i].band_keys)
      new_bands.emplace_back(k, rowid[i]);
  }
  auto archived_fps = p.fingerprints.update(p.db, {}, new_fps);
  if (!archived_fps)
    return archived_fps.error();
  auto archived_bands = p.bands.update(p.db, {}, new_bands);
  if (!archived_bands)
    return archived_bands.error();
  // Each key's documents: the archive's, then the batch's (rowids only grow).
  const archive_detail::key_hits fp_hits = archive_detail::with_postings(*archived_fps, new_fps);
  const archive_detail::key_hits band_hits =
      archive_detail::with_postings(*archived_bands, new_bands);
  new_fps = {};
  new_bands = {};

  // Pass 3: each new document against the archive and the batch's earlier documents. What does
  // not depend on the clusters runs in parallel: (a) candidates to verify, (b) the shingle sets
  // of the archived ones (texts read in order, shingled in parallel), (c) exact verification.
  for (std::size_t i = 0; i < n; ++i) {
    if (rowid[i] > 0)
      batch_of[rowid[i]] = i;
  }
  std::vector<std::vector<std::int64_t>> to_verify(n);
  detail::parallel_for(
      n, options.threads,
      [&](std::size_t i) {
        if (rowid[i] <= 0)
          return;
        const auto cand = archive::impl::find_candidates(sk[i], options.match.max_df, fp_hits,
                                                         band_hits, rowid[i], batch_start);
        std::vector<std::int64_t>& v = to_verify[i];
        v = cand.band_hits;
        if (dc.find_contained) {
          const auto mine = static_cast<std::uint32_t>(sk[i].fingerprints.size());
          for (const auto& [x, shared] : cand.shared_fps) {
            std::uint32_t theirs = mine;
            if (const auto b = batch_of.find(x); b != batch_of.end())
              theirs = static_cast<std::uint32_t>(sk[b->second].fingerprints.size());
            else if (const auto f = p.fp_count.find(x); f != p.fp_count.end())
              theirs = f->second;
            if (shared >= need_shared(std::min(mine, theirs), dc.containment.threshold))
              v.push_back(x);
          }
        }
        std::sort(v.begin(), v.end());
        v.erase(std::unique(v.begin(), v.end()), v.end());
      },
      16);
  {
    std::vector<std::int64_t> archived;
    for (const auto& v : to_verify) {
      for (const std::int64_t x : v) {
        if (x < batch_start)
          archived.push_back(x);
      }
    }
    std::sort(archived.begin(), archived.end());
    archived.erase(std::unique(archived.begin(), archived.end()), archived.end());
    std::vector<std::string> texts(archived.size());
    std::vector<std::vector<hash64>*> sets(archived.size());
    for (std::size_t j = 0; j < archived.size(); ++j) {
      auto got = p.load_doc_and_text(archived[j]);
      if (!got)
        return got.error();
      texts[j] = std::move(got->second);
      id_of[archived[j]] = got->first.id;
      key_of.try_emplace(archived[j], got->first.cluster.value_or(archived[j]));
      sets[j] = &shingle_cache[archived[j]];
    }
    detail::parallel_for(
        archived.size(), options.threads,
        [&](std::size_t j) { archive_detail::shingle_set(texts[j], s, *sets[j]); }, 4);
  }
  std::vector<std::vector<std::pair<std::int64_t, duplicate_pair>>> verified(n);
  detail::parallel_for(
      n, options.threads,
      [&](std::size_t i) {
        for (const std::int64_t x : to_verify[i]) {
          const auto b = batch_of.find(x);
          const std::vector<hash64>& theirs =
              b != batch_of.end() ? sk[b->second].shingles : shingle_cache.find(x)->second;
          if (auto dp = verify_pair(sk[i].shingles, theirs, dc))
            verified[i].emplace_back(x, *dp);
        }
      },
      8);

  for (std::size_t i = 0; i < n; ++i) {
    if (rowid[i] <= 0)
      continue;
    const document& d = docs[i];
    added_document& a = out[i];
    const std::int64_t me = rowid[i];
    std::set<std::int64_t> checked(to_verify[i].begin(), to_verify[i].end());
    std::vector<std::pair<std::int64_t, duplicate_pair>> found = std::move(verified[i]);
    auto check_one = [&](std::int64_t x) -> result<void> {
      if (!checked.insert(x).second)
        return {};
      auto theirs = shingles_of(x);
      if (!theirs)
        return theirs.error();
      if (auto dp = verify_pair(sk[i].shingles, **theirs, dc))
        found.emplace_back(x, *dp);
      return {};
    };
    // Cluster completion, as dedup does: a document joining a small cluster is verified against
    // every member, not only those its candidates found.
    std::set<std::int64_t> roots;
    for (const auto& [x, dp] : found)
      roots.insert(clusters.root(key_of.count(x) != 0 ? key_of[x] : x));
    for (const std::int64_t r : roots) {
      std::vector<std::int64_t> members;
      auto st = p.stmt("SELECT doc FROM docs WHERE cluster = ? LIMIT 65");
      if (!st)
        return st.error();
      (*st)->bind(1, r);
      for (;;) {
        auto row = (*st)->step();
        if (!row)
          return row.error();
        if (!*row)
          break;
        members.push_back((*st)->i64(0));
      }
      const auto& joined = clusters.members(r);
      members.insert(members.end(), joined.begin(), joined.end());
      std::sort(members.begin(), members.end());
      members.erase(std::unique(members.begin(), members.end()), members.end());
      if (members.size() > dc.complete_cluster_max)
        continue;
      for (const std::int64_t x : members) {
        if (auto res = check_one(x); !res)
          return res.error();
      }
    }
    id_of[me] = d.id;
    key_of[me] = me;
    for (const auto& [x, dp] : found) {
      archive_match m;
      m.archived = id_of[x];
      m.kind = dp.kind;
      m.jaccard = dp.jaccard;
      m.a_in_b = dp.a_in_b;
      m.b_in_a = dp.b_in_a;
      m.shared = dp.shared;
      a.duplicates.push_back(std::move(m));
      clusters.join(key_of.count(x) != 0 ? key_of[x] : x, x, me, me);
    }
    std::sort(
        a.duplicates.begin(), a.duplicates.end(),
        [](const archive_match& x, const archive_match& y) { return x.archived < y.archived; });
    a.is_new = a.duplicates.empty();
    ++doc_count;
  }

  // 2. Term frequencies after the batch, then each new document's key terms under them.
  // Every (term, text) of the new documents, grouped by term: one frequency update per term.
  std::vector<std::pair<std::uint64_t, const std::string*>> changed_terms;
  for (std::size_t i = 0; i < n; ++i) {
    if (rowid[i] <= 0)
      continue;
    for (std::size_t t = 0; t < sk[i].terms.size(); ++t)
      changed_terms.emplace_back(sk[i].terms[t].first, &sk[i].term_texts[t]);
  }
  std::stable_sort(changed_terms.begin(), changed_terms.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  {
    std::size_t kept = 0;
    for (std::size_t j = 0; j < changed_terms.size();) {
      std::size_t run = j;
      while (run < changed_terms.size() && changed_terms[run].first == changed_terms[j].first)
        ++run;
      p.df[changed_terms[j].first] += run - j;
      changed_terms[kept++] = changed_terms[j]; // the first document's text of the term
      j = run;
    }
    changed_terms.resize(kept);
  }
  // Key terms under the new frequencies (the frequency table is only read here: in parallel).
  std::vector<std::vector<std::uint64_t>> key_terms(n);
  detail::parallel_for(
      n, options.threads,
      [&](std::size_t i) {
        if (rowid[i] <= 0)
          return;
        std::vector<std::uint64_t> df(sk[i].terms.size());
        for (std::size_t t = 0; t < df.size(); ++t)
          df[t] = p.df.find(sk[i].terms[t].first)->second;
        const std::vector<double> w = archive_detail::tfidf_weights(sk[i].terms, df, doc_count);
        for (const std::uint32_t t : archive_detail::key_term_indices(sk[i].terms, w, s.key_terms))
          key_terms[i].push_back(sk[i].terms[t].first);
      },
      16);
  std::vector<std::pair<std::uint64_t, std::int64_t>> term_rows;
  for (std::size_t i = 0; i < n; ++i) {
    for (const std::uint64_t t : key_terms[i])
      term_rows.emplace_back(t, rowid[i]);
  }
  std::sort(term_rows.begin(), term_rows.end());

  // 3. Rows. Clusters: every key that moved to another root takes its members along.
  for (const auto& [key, root] : clusters.moved()) {
    if (batch_of.count(key) != 0)
      continue; // a new document: written with its root below
    auto st = p.stmt("UPDATE docs SET cluster = ? WHERE cluster = ? OR doc = ?");
    if (!st)
      return st.error();
    if (auto r = (*st)->bind(1, root).bind(2, key).bind(3, key).run(); !r)
      return r.error();
  }
  // A root that is an archived document in no cluster yet becomes a cluster of its own.
  for (const auto& [key, root] : clusters.moved()) {
    if (batch_of.count(root) != 0)
      continue;
    auto st = p.stmt("UPDATE docs SET cluster = ? WHERE doc = ? AND cluster IS NULL");
    if (!st)
      return st.error();
    if (auto r = (*st)->bind(1, root).bind(2, root).run(); !r)
      return r.error();
  }
  {
    auto ins = p.stmt("INSERT INTO docs(doc, id, source, time, unix_time, url, content_hash, "
                      "bytes, tokens, cluster, fingerprints, key_terms) "
                      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    if (!ins)
      return ins.error();
    auto txt = p.stmt("INSERT INTO texts(doc, zstd) VALUES (?, ?)");
    if (!txt)
      return txt.error();
    for (std::size_t i = 0; i < n; ++i) {
      if (rowid[i] <= 0)
        continue;
      statement& st = **ins;
      st.reset().bind(1, rowid[i]).bind(2, docs[i].id);
      const doc_meta* m = meta.empty() ? nullptr : &meta[i];
      if (m != nullptr) {
        st.bind_opt(3, m->source).bind_opt(4, m->time).bind_opt(6, m->url);
        if (m->time) {
          if (const auto t = text::parse_iso8601(*m->time))
            st.bind(5, *t);
        }
      }
      st.bind_u64(7, sk[i].content_hash).bind_u64(8, docs[i].text.size()).bind(9, sk[i].tokens);
      if (clusters.touched(rowid[i]))
        st.bind(10, clusters.root(rowid[i]));
      st.bind(11, static_cast<std::int64_t>(sk[i].fingerprints.size()))
          .bind_blob(12, archive_detail::pack64(key_terms[i]));
      if (auto r = st.run("cannot add " + docs[i].id); !r)
        return r.error();
      if (auto r = (*txt)->reset().bind(1, rowid[i]).bind_blob(2, frames[i]).run(); !r)
        return r.error();
    }
  }
  auto write_rows = [&](const char* sql, auto& rows) -> result<void> {
    auto st = p.stmt(sql);
    if (!st)
      return st.error();
    for (const auto& [k, d] : rows) {
      (*st)->reset().bind(1, static_cast<std::int64_t>(k)).bind(2, d);
      if (auto r = (*st)->run(); !r)
        return r;
    }
    return {};
  };
  if (auto r = write_rows("INSERT INTO key_terms(term, doc) VALUES (?, ?)", term_rows); !r)
    return r.error();
  {
    auto st = p.stmt("INSERT INTO terms(term, df, text) VALUES (?, ?, ?) "
                     "ON CONFLICT(term) DO UPDATE SET df = excluded.df");
    if (!st)
      return st.error();
    for (const auto& [t, text] : changed_terms) {
      if (auto r = (*st)->reset().bind_u64(1, t).bind_u64(2, p.df[t]).bind(3, *text).run(); !r)
        return r.error();
    }
  }
  {
    auto st = p.stmt("UPDATE meta SET value = ? WHERE key = ?");
    if (!st)
      return st.error();
    if (auto r = (*st)->bind(1, std::to_string(doc_count)).bind(2, "documents").run(); !r)
      return r.error();
    if (auto r = (*st)->reset().bind(1, std::to_string(next_doc)).bind(2, "next_doc").run(); !r)
      return r.error();
  }
  // Cluster names: the earliest document of each cluster, after this batch's merges.
  std::unordered_map<std::int64_t, std::string> name_of;
  for (std::size_t i = 0; i < n; ++i) {
    if (rowid[i] == 0)
      continue;
    const std::int64_t me = rowid[i] > 0 ? rowid[i] : -rowid[i];
    std::optional<std::int64_t> key;
    if (rowid[i] > 0 && clusters.touched(me))
      key = clusters.root(me);
    else if (rowid[i] < 0 && key_of.count(me) != 0)
      key = clusters.root(key_of[me]);
    if (!key)
      continue;
    auto it = name_of.find(*key);
    if (it == name_of.end()) {
      auto st = p.stmt("SELECT id FROM docs WHERE cluster = ? ORDER BY doc LIMIT 1");
      if (!st)
        return st.error();
      (*st)->bind(1, *key);
      auto row = (*st)->step();
      if (!row)
        return row.error();
      it = name_of.emplace(*key, *row ? std::string((*st)->text(0)) : std::string()).first;
    }
    if (!it->second.empty())
      out[i].cluster = it->second;
  }
  if (auto r = txn.commit(); !r)
    return r.error();
  p.codec = std::move(codec);
  for (std::size_t i = 0; i < n; ++i) {
    if (rowid[i] > 0)
      p.fp_count[rowid[i]] = static_cast<std::uint32_t>(sk[i].fingerprints.size());
  }
  return out;
}

} // namespace copydesk
