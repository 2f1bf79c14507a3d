// Pieces every JSON writer shares: the envelope keys and per-document fields of the contract.
#pragma once

#include <copydesk/borrow.hpp>
#include <copydesk/dedup.hpp>
#include <copydesk/io.hpp>
#include <copydesk/output.hpp>
#include <copydesk/stories.hpp>
#include <copydesk/version.hpp>

#include <nlohmann/json.hpp>

#include <cmath>
#include <functional>
#include <optional>
#include <ostream>
#include <string>

namespace copydesk::detail {

using ojson = nlohmann::ordered_json;

/// Writes a text made in full (so a writer that fails half way writes nothing) or its error.
inline result<void> write_whole(std::ostream& out, const result<std::string>& text) {
  if (!text)
    return text.error();
  out << *text;
  return {};
}

/// Scores rounded to 6 decimals: stable text, more precision than any reader needs.
inline double round6(double x) { return std::round(x * 1e6) / 1e6; }

/// {"command", "version", "params"} in that order.
inline ojson envelope(const char* command, ojson params) {
  ojson j;
  j["command"] = command;
  j["version"] = std::string(version());
  j["params"] = std::move(params);
  return j;
}

/// The contract's document fields: id, tokens, and invalid_utf8 / error when present.
inline ojson document_json(const doc_info& d) {
  ojson j;
  j["id"] = d.id;
  j["tokens"] = d.tokens;
  if (d.invalid_utf8 != 0)
    j["invalid_utf8"] = d.invalid_utf8;
  if (!d.error.empty())
    j["error"] = d.error;
  if (d.boilerplate_blocks != 0) { // --strip-boilerplate removed something
    j["boilerplate_blocks"] = d.boilerplate_blocks;
    j["boilerplate_bytes"] = d.boilerplate_bytes;
  }
  return j;
}

/// A document's input record for JSONL output: its JSONL record read again through `reader`
/// (an id added when the record had none: the FILE:LINE copydesk gave it, so scripts can join),
/// or {"id", "tokens", "error"} for whole files, unusable documents and without a reader.
inline result<ojson> input_record(const doc_info& info, const corpus_reader* reader) {
  ojson rec;
  if (reader != nullptr && reader->is_jsonl(info.where) && info.error.empty()) {
    auto raw = reader->reread_record(info.where);
    if (!raw)
      return raw.error();
    rec = ojson::parse(*raw, nullptr, false);
    if (rec.is_discarded() || !rec.is_object())
      rec = ojson::object();
    if (!rec.contains(reader->options().id_field))
      rec[reader->options().id_field] = info.id;
  } else {
    rec["id"] = info.id;
    rec["tokens"] = info.tokens;
    if (!info.error.empty())
      rec["error"] = info.error;
  }
  return rec;
}

/// JSON text with a final newline; pretty (2 spaces) unless `compact`.
inline std::string dump(const ojson& j, bool compact = false) {
  std::string s = compact ? j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)
                          : j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
  s.push_back('\n');
  return s;
}

/// Shingle/MinHash settings as JSON params.
inline ojson shingle_params_json(const minhash_params& m) {
  ojson p;
  p["shingle_unit"] = m.shingles.unit == shingle_unit::words ? "words" : "chars";
  p["shingle_width"] = m.shingles.width;
  p["hash"] = "xxh3_64";
  p["hash_seed"] = m.shingles.seed;
  p["normalization"] = "nfkc_casefold_v" + std::to_string(m.shingles.normalization);
  return p;
}

/// Settings of a dedup run, as every writer prints them ("params" of dedup, "params.dedup" of
/// report).
inline ojson dedup_params_json(const dedup_config& c, const lsh_params& lsh) {
  ojson p = shingle_params_json(c.minhash);
  p["num_perm"] = c.minhash.num_perm;
  p["minhash"] = "fast_similarity_sketching";
  p["threshold"] = c.threshold;
  p["containment"] = c.find_contained ? ojson(c.containment.threshold) : ojson(nullptr);
  p["winnow_window"] = c.containment.window;
  p["max_df"] = c.containment.max_df;
  p["lsh_bands"] = lsh.bands;
  p["lsh_rows"] = lsh.rows;
  p["complete_cluster_max"] = c.complete_cluster_max;
  return p;
}

/// Settings of a stories run ("params" of stories, "params.stories" of report).
/// The contract's "clusters" and "pairs" arrays of a dedup result. `docs` is any sequence
/// indexed like r.documents whose elements have an `id` (dedup's own or the report's).
/// One element of "clusters": cluster c of r.
template <class Docs>
ojson dedup_cluster_json(const dedup_result& r, const Docs& docs, std::size_t c) {
  const duplicate_cluster& cl = r.clusters[c];
  ojson cj;
  cj["id"] = c + 1;
  cj["kind"] = to_string(cl.kind);
  ojson members = ojson::array();
  for (const doc_index m : cl.members)
    members.push_back(docs[m].id);
  cj["members"] = std::move(members);
  cj["representative"] = docs[cl.representative].id;
  return cj;
}

template <class Docs> ojson dedup_clusters_json(const dedup_result& r, const Docs& docs) {
  ojson clusters = ojson::array();
  for (std::size_t c = 0; c < r.clusters.size(); ++c)
    clusters.push_back(dedup_cluster_json(r, docs, c));
  return clusters;
}

/// One element of "pairs".
template <class Docs> ojson dedup_pair_json(const duplicate_pair& p, const Docs& docs) {
  ojson pj;
  pj["a"] = docs[p.a].id;
  pj["b"] = docs[p.b].id;
  pj["kind"] = to_string(p.kind);
  pj["jaccard"] = round6(p.jaccard);
  pj["a_in_b"] = round6(p.a_in_b);
  pj["b_in_a"] = round6(p.b_in_a);
  pj["shared"] = p.shared;
  return pj;
}

template <class Docs> ojson dedup_pairs_json(const dedup_result& r, const Docs& docs) {
  ojson pairs = ojson::array();
  for (const duplicate_pair& p : r.pairs)
    pairs.push_back(dedup_pair_json(p, docs));
  return pairs;
}

inline ojson stories_params_json(const stories_config& c, const stories_stats& stats) {
  ojson p;
  p["normalization"] = "nfkc_casefold_v" + std::to_string(text::normalization_version);
  p["stop_words"] = c.tfidf.terms.stop_words
                        ? ojson("english_v" + std::to_string(stop_list_version))
                        : ojson(nullptr);
  p["bigrams"] = c.tfidf.terms.bigrams;
  p["tf"] = "sublinear";
  p["idf"] = "smooth";
  p["norm"] = "l2";
  p["min_df"] = c.tfidf.min_df;
  p["max_df"] = c.tfidf.max_df;
  p["idf_model"] = !c.idf_model.empty() ? ojson(c.idf_model)
                   : c.background
                       ? ojson("builtin:english_background_v" + std::to_string(background_version))
                       : ojson(nullptr);
  p["model_documents"] = stats.model_documents;
  p["linkage"] = "average";
  p["threshold"] = c.threshold;
  p["min_similarity"] = c.min_similarity;
  p["pair_search"] = to_string(stats.method);
  p["key_terms"] = stats.method == pair_search::indexed ? ojson(c.key_terms) : ojson(nullptr);
  p["label_terms"] = c.label_terms;
  if (c.time_meta) {
    p["time_field"] = c.time_field;
    p["time_window_days"] = c.time_window_days;
  }
  return p;
}

/// [begin, end] as a JSON array.
inline ojson span_json(std::uint32_t begin, std::uint32_t end) {
  ojson a = ojson::array();
  a.push_back(begin);
  a.push_back(end);
  return a;
}

/// One edit inside a passage: its kind, offsets and words in both texts.
inline ojson change_json(const fact_change& f) {
  ojson j;
  j["kind"] = to_string(f.kind);
  j["copy"] = span_json(f.copy_bytes.begin, f.copy_bytes.end);
  j["reference"] = span_json(f.ref_bytes.begin, f.ref_bytes.end);
  j["copy_text"] = f.copy_text;
  j["reference_text"] = f.ref_text;
  return j;
}

/// A borrow passage: byte offsets in both texts, tokens on both sides, exactly matched tokens.
inline ojson passage_json(const passage& p) {
  ojson j;
  j["copy"] = span_json(p.copy_bytes.begin, p.copy_bytes.end);
  j["reference"] = span_json(p.ref_bytes.begin, p.ref_bytes.end);
  j["tokens"] = p.copy_tokens();
  j["reference_tokens"] = p.ref_tokens();
  j["matched"] = p.matched;
  j["quoted"] =
      round6(p.copy_tokens() == 0 ? 0.0 : static_cast<double>(p.quoted) / p.copy_tokens());
  return j;
}

/// The editor signals of one source of a copy, next to its "borrowed": prose and lede shares.
inline void source_signals_json(const source_share& s, ojson& sj) {
  sj["borrowed_prose"] = round6(s.borrowed_prose);
  sj["prose_tokens"] = s.prose_tokens;
  sj["lede_borrowed"] = round6(s.lede_borrowed);
  sj["credited"] = s.credited;
  sj["credit"] = s.credited ? ojson(s.credit) : ojson(nullptr);
  sj["changed_facts"] = s.changed_facts();
}

/// The editor signals of a copy's result, next to its "borrowed": the share of its words in
/// passages outside quotations, and the lede (its tokens and the share of them in passages).
inline void copy_signals_json(const copy_result& c, ojson& j) {
  j["borrowed_prose"] = round6(c.borrowed_prose);
  j["prose_tokens"] = c.prose_tokens;
  j["lede"] = span_json(c.signals.lede_bytes.begin, c.signals.lede_bytes.end);
  j["lede_tokens"] = c.signals.lede.end - c.signals.lede.begin;
  j["lede_borrowed"] = round6(c.lede_borrowed);
}

/// An array of passages.
inline ojson passages_json(const std::vector<passage>& ps) {
  ojson a = ojson::array();
  for (const passage& p : ps)
    a.push_back(passage_json(p));
  return a;
}

/// Names the holders of a passage (passage::first_holder): a reference index, or copy_holder.
using holder_names = std::function<std::string(std::uint32_t)>;

/// The passages of a source, each with its "changes" (edits inside it); with `holders` (a run
/// with publication times) also "first_holder", the id of the earliest holder or null.
inline ojson passages_json(const source_share& s, const holder_names* holders = nullptr) {
  ojson a = ojson::array();
  auto f = s.changes.begin();
  for (std::uint32_t i = 0; i < s.passages.size(); ++i) {
    ojson pj = passage_json(s.passages[i]);
    ojson changes = ojson::array();
    for (; f != s.changes.end() && f->passage == i; ++f)
      changes.push_back(change_json(*f));
    pj["changes"] = std::move(changes);
    if (holders != nullptr) {
      const std::uint32_t h = s.passages[i].first_holder;
      pj["first_holder"] = h == no_reference ? ojson(nullptr) : ojson((*holders)(h));
    }
    a.push_back(std::move(pj));
  }
  return a;
}

/// "found" of a source, in a run with publication times: earlier, later, same_time, unknown.
inline void source_found_json(const source_share& s, const holder_names* holders, ojson& sj) {
  if (holders != nullptr)
    sj["found"] = to_string(s.found);
}

/// A publication time as JSON: the text given, or null.
inline ojson time_json(const std::optional<published_at>& t) {
  return t ? ojson(t->text) : ojson(nullptr);
}

/// The "sources" of one copy (borrow, report): shares per source and its passages.
/// refs[s.reference] names each source.
inline ojson sources_json(const std::vector<source_share>& sources,
                          const std::vector<doc_info>& refs,
                          const holder_names* holders = nullptr) {
  ojson a = ojson::array();
  for (const source_share& s : sources) {
    ojson sj;
    sj["reference"] = refs[s.reference].id;
    sj["borrowed"] = round6(s.borrowed);
    sj["reused"] = round6(s.reused);
    sj["copy_tokens"] = s.copy_tokens;
    sj["reference_tokens"] = s.ref_tokens;
    sj["longest"] = s.longest;
    source_signals_json(s, sj);
    source_found_json(s, holders, sj);
    sj["passages"] = passages_json(s, holders);
    a.push_back(std::move(sj));
  }
  return a;
}

/// One element of "groups": group g (numbered g + 1); docs[m] names each member.
inline ojson story_group_json(const std::vector<story_group>& groups, std::size_t g,
                              const std::vector<doc_info>& docs) {
  const story_group& sg = groups[g];
  ojson gj;
  gj["id"] = g + 1;
  gj["size"] = sg.members.size();
  gj["label"] = sg.label;
  ojson members = ojson::array();
  for (const doc_index m : sg.members)
    members.push_back(docs[m].id);
  gj["members"] = std::move(members);
  gj["cohesion"] = sg.cohesion ? ojson(round6(*sg.cohesion)) : ojson(nullptr);
  return gj;
}

/// The "groups" of stories (stories, report).
inline ojson story_groups_json(const std::vector<story_group>& groups,
                               const std::vector<doc_info>& docs) {
  ojson a = ojson::array();
  for (std::size_t g = 0; g < groups.size(); ++g)
    a.push_back(story_group_json(groups, g, docs));
  return a;
}

/// nlohmann prints every array element on its own line; offsets read better as "[12, 80]". Only
/// arrays of two unsigned numbers are joined, and only across real newlines, which never occur
/// inside JSON strings, so string content is never touched.
inline std::string join_offset_pairs(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  auto number_at = [&](std::size_t i, std::size_t& end) {
    end = i;
    while (end < s.size() && s[end] >= '0' && s[end] <= '9')
      ++end;
    return end > i;
  };
  auto skip_ws = [&](std::size_t i) {
    while (i < s.size() && (s[i] == ' ' || s[i] == '\n'))
      ++i;
    return i;
  };
  // Text between joined arrays is copied in runs; only a '[' can start one.
  std::size_t copied = 0;
  for (std::size_t i = s.find('['); i != std::string::npos; i = s.find('[', i)) {
    std::size_t a = 0;
    std::size_t b = 0;
    std::size_t a_end = 0;
    std::size_t b_end = 0;
    std::size_t close = 0;
    if (i + 1 < s.size() && s[i + 1] == '\n' && number_at(a = skip_ws(i + 1), a_end) &&
        a_end < s.size() && s[a_end] == ',' && number_at(b = skip_ws(a_end + 1), b_end) &&
        (close = skip_ws(b_end)) < s.size() && s[close] == ']') {
      out.append(s, copied, i - copied);
      out += '[';
      out.append(s, a, a_end - a);
      out += ", ";
      out.append(s, b, b_end - b);
      out += ']';
      i = close + 1;
      copied = i;
      continue;
    }
    ++i;
  }
  out.append(s, copied, std::string::npos);
  return out;
}

/// A top-level JSON object written to a stream member by member, and arrays element by element,
/// byte for byte as join_offset_pairs(dump(whole object)) would print it, without ever holding
/// the whole object. Streamed arrays must hold objects or strings (never two bare numbers, which
/// join_offset_pairs would join across elements).
class object_writer {
public:
  explicit object_writer(std::ostream& out) : out_(out) { out_ << '{'; }
  object_writer(const object_writer&) = delete;
  object_writer& operator=(const object_writer&) = delete;
  ~object_writer() = default;

  /// "key": value.
  void member(const char* key, const ojson& value) {
    open_member(key);
    write_indented(value, 2);
  }
  /// "key": [ ... elements ... ].
  void begin_array(const char* key) {
    open_member(key);
    out_ << '[';
    elements_ = 0;
  }
  void element(const ojson& value) {
    out_ << (elements_++ == 0 ? "\n    " : ",\n    ");
    write_indented(value, 4);
  }
  void end_array() { out_ << (elements_ == 0 ? "]" : "\n  ]"); }
  /// The closing brace and the final newline.
  void close() { out_ << (members_ == 0 ? "}\n" : "\n}\n"); }

private:
  void open_member(const char* key) {
    out_ << (members_++ == 0 ? "\n  \"" : ",\n  \"") << key << "\": ";
  }
  // A value's pretty text, every line after its first shifted right by `by` spaces (newlines
  // never occur inside JSON strings, so only layout moves).
  void write_indented(const ojson& value, std::size_t by) {
    const std::string text =
        join_offset_pairs(value.dump(2, ' ', false, nlohmann::json::error_handler_t::replace));
    const std::string pad(by, ' ');
    std::size_t from = 0;
    for (std::size_t nl = text.find('\n'); nl != std::string::npos; nl = text.find('\n', from)) {
      out_.write(text.data() + from, static_cast<std::streamsize>(nl + 1 - from));
      out_ << pad;
      from = nl + 1;
    }
    out_.write(text.data() + from, static_cast<std::streamsize>(text.size() - from));
  }

  std::ostream& out_;
  std::size_t members_ = 0;
  std::size_t elements_ = 0;
};

} // namespace copydesk::detail
