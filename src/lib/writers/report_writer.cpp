// Report writers for the terminal and for scripts: a table (summary, stories with their findings,
// clusters, borrowing, self-repetition) and JSON (the dedup, stories and borrow keys of the
// contract in one object). Both only format what the pipeline computed.
#include "writers/html_common.hpp"
#include "writers/json_common.hpp"
#include "writers/report_detail.hpp"

#include <copydesk/writers.hpp>

#include <algorithm>
#include <cstdio>

namespace copydesk {

namespace detail {

std::string thousands(std::uint64_t x) {
  std::string digits = std::to_string(x);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i != 0 && (digits.size() - i) % 3 == 0)
      out.push_back(',');
    out.push_back(digits[i]);
  }
  return out;
}

report_counts count_report(const pipeline_result& r) {
  report_counts c;
  c.documents = r.documents.size();
  for (const doc_info& d : r.documents) {
    c.tokens += d.tokens;
    if (!d.error.empty())
      ++c.unusable;
    else if (d.tokens == 0)
      ++c.empty;
    if (d.invalid_utf8 != 0)
      ++c.invalid_utf8;
  }
  for (const diagnostic& d : r.diagnostics)
    (d.level == severity::warning ? c.warnings : c.errors) += 1;
  for (const story_group& g : r.stories.groups)
    c.multi_groups += g.members.size() > 1 ? 1 : 0;
  for (const copy_result& b : r.borrow)
    c.borrowing += b.sources.empty() ? 0 : 1;
  return c;
}

finding_index make_finding_index(const pipeline_result& r) {
  finding_index x;
  x.pairs_of.resize(r.documents.size());
  x.lent_to.resize(r.documents.size());
  for (std::size_t i = 0; i < r.dedup.pairs.size(); ++i) {
    x.pairs_of[r.dedup.pairs[i].a].push_back(i);
    x.pairs_of[r.dedup.pairs[i].b].push_back(i);
  }
  for (std::size_t d = 0; d < r.borrow.size(); ++d) {
    const auto& sources = r.borrow[d].sources;
    for (std::size_t s = 0; s < sources.size(); ++s)
      x.lent_to[sources[s].reference].emplace_back(static_cast<doc_index>(d), s);
  }
  return x;
}

namespace {
// "; found earlier in X" (and later, at the same time, no time) in a run with times.
std::string found_note(const pipeline_result& r, const source_share& s) {
  if (!r.config.stories.time_meta)
    return {};
  const std::string& x = r.documents[s.reference].id;
  switch (s.found) {
  case found_when::earlier:
    return "; found earlier in " + x;
  case found_when::later:
    return "; found later in " + x;
  case found_when::same_time:
    return "; published at the same time as " + x;
  case found_when::unknown:
    break;
  }
  return "; who was first is unknown (a time is missing)";
}

// "; 2 changed facts" when numbers, dates or names differ inside the passages of a source.
std::string facts_note(const source_share& s) {
  const std::size_t n = s.changed_facts();
  if (n == 0)
    return {};
  return "; " + std::to_string(n) + (n == 1 ? " changed fact" : " changed facts");
}

} // namespace

std::vector<finding> findings_of(const pipeline_result& r, const finding_index& x, doc_index d) {
  std::vector<finding> out;
  const doc_info& info = r.documents[d];
  const auto& docs = r.documents;
  if (!info.error.empty()) {
    out.push_back({finding_kind::problem, "not used: " + info.error});
    return out;
  }
  if (info.tokens == 0) {
    out.push_back({finding_kind::problem, "empty: no words"});
    return out;
  }
  if (info.invalid_utf8 != 0) {
    out.push_back({finding_kind::problem,
                   std::to_string(info.invalid_utf8) + " invalid UTF-8 sequence(s) replaced"});
  }
  for (const std::size_t i : x.pairs_of[d]) {
    const duplicate_pair& p = r.dedup.pairs[i];
    const doc_index o = p.a == d ? p.b : p.a;
    const double mine = p.a == d ? p.a_in_b : p.b_in_a;
    const double theirs = p.a == d ? p.b_in_a : p.a_in_b;
    std::string t;
    switch (p.kind) {
    case pair_kind::exact:
      t = "exact duplicate of " + docs[o].id;
      break;
    case pair_kind::near:
      t = "near-duplicate of " + docs[o].id + " (Jaccard " + format_score(p.jaccard) + ")";
      break;
    case pair_kind::contained:
      t = mine >= theirs
              ? "contained in " + docs[o].id + ": " + percent(mine) + " of its " +
                    std::to_string(r.dedup.config.minhash.shingles.width) +
                    "-word shingles occur there"
              : "contains " + docs[o].id + " (" + percent(theirs) + " of that text's shingles)";
      break;
    }
    out.push_back({finding_kind::duplicate, t, o, true});
  }
  const copy_result& b = r.borrow[d];
  for (const source_share& s : b.sources) {
    out.push_back({finding_kind::borrows,
                   percent(s.borrowed) + " of its words are found in " + docs[s.reference].id +
                       " (" + std::to_string(s.passages.size()) +
                       (s.passages.size() == 1 ? " passage" : " passages") + ", longest " +
                       std::to_string(s.longest) + " words; " + percent(s.borrowed_prose) +
                       " outside quotes; " + percent(s.lede_borrowed) + " of the lede" +
                       facts_note(s) + found_note(r, s) + ")",
                   s.reference, true});
  }
  for (const auto& [taker, s] : x.lent_to[d]) {
    const doc_index from = taker; // clang before 16 cannot capture a structured binding
    const bool mutual = std::any_of(b.sources.begin(), b.sources.end(),
                                    [&](const source_share& m) { return m.reference == from; });
    if (mutual)
      continue;
    const source_share& sh = r.borrow[taker].sources[s];
    out.push_back({finding_kind::lends,
                   "passages of it reappear in " + docs[taker].id + " (" + percent(sh.reused) +
                       " of its words, longest " + std::to_string(sh.longest) + " words)",
                   taker, true});
  }
  if (!b.self_passages.empty()) {
    std::uint32_t longest = 0;
    for (const passage& p : b.self_passages)
      longest = std::max(longest, p.copy_tokens());
    out.push_back({finding_kind::repeats, "repeats itself: " + percent(b.self_repeated) +
                                              " of its words are in passages that occur twice "
                                              "(longest " +
                                              std::to_string(longest) + " words)"});
  }
  return out;
}

} // namespace detail

namespace detail {

ojson report_params_json(const pipeline_result& r) {
  ojson p;
  p["dedup"] = detail::dedup_params_json(r.dedup.config, r.dedup.stats.lsh);
  p["stories"] = detail::stories_params_json(r.stories.config, r.stories.stats);
  const borrow_params& b = r.config.borrow;
  ojson bj;
  bj["seed_unit"] = "words";
  bj["seed_width"] = b.seed_width;
  bj["min_tokens"] = b.min_tokens;
  bj["max_gap"] = b.max_gap;
  bj["max_postings"] = b.max_postings;
  bj["hash"] = "xxh3_64";
  bj["hash_seed"] = b.hash_seed;
  bj["normalization"] = "nfkc_casefold_v" + std::to_string(text::normalization_version);
  bj["scope"] = "story_group_and_duplicate_pairs";
  bj["pairwise_max"] = r.config.pairwise_max;
  bj["joint_attribution"] = "longest_passage_then_fewest_words";
  p["borrow"] = std::move(bj);
  p["self_repeat_share"] = r.config.self_repeat_share;
  ojson v;
  v["copy_share"] = r.config.copy_share;
  v["borrow_min_words"] = r.config.borrow_verdict_tokens;
  p["verdicts"] = std::move(v);
  return p;
}

namespace {

std::string and_list(const std::vector<std::string>& names) {
  std::string out;
  const std::size_t shown = std::min<std::size_t>(names.size(), 2);
  for (std::size_t i = 0; i < shown; ++i)
    out += (i == 0 ? "" : " and ") + names[i];
  if (names.size() > shown)
    out += " and " + std::to_string(names.size() - shown) + " more";
  return out;
}

} // namespace

std::string headline_of(const pipeline_result& r, const finding_index& x, doc_index d) {
  const doc_info& info = r.documents[d];
  if (!info.error.empty())
    return "not used: " + info.error;
  if (info.tokens == 0)
    return "empty";
  const copy_result& b = r.borrow[d];
  // Sources by words covered, then fewer words, then id.
  std::vector<const source_share*> sources;
  for (const source_share& s : b.sources)
    sources.push_back(&s);
  std::stable_sort(sources.begin(), sources.end(),
                   [&](const source_share* a, const source_share* c) {
                     if (a->copy_tokens != c->copy_tokens)
                       return a->copy_tokens > c->copy_tokens;
                     return r.documents[a->reference].tokens < r.documents[c->reference].tokens;
                   });
  auto also = [&]() {
    std::vector<std::string> same;
    for (std::size_t i = 1; i < sources.size(); ++i) {
      if (sources[i]->copy_tokens == sources[0]->copy_tokens)
        same.push_back(r.documents[sources[i]->reference].id);
    }
    return same.empty() ? std::string() : "; the same passages are in " + and_list(same);
  };
  switch (r.verdicts[d]) {
  case verdict::none:
    return "the only document of its story";
  case verdict::duplicate: {
    std::vector<std::string> inside;
    std::vector<std::string> contains;
    std::vector<std::string> near;
    double inside_share = 0.0;
    double contains_share = 0.0;
    for (const std::size_t i : x.pairs_of[d]) {
      const duplicate_pair& p = r.dedup.pairs[i];
      const doc_index o = p.a == d ? p.b : p.a;
      const double mine = p.a == d ? p.a_in_b : p.b_in_a;
      const double theirs = p.a == d ? p.b_in_a : p.a_in_b;
      if (p.kind != pair_kind::contained) {
        near.push_back((p.kind == pair_kind::exact ? "exact duplicate of " : "near-duplicate of ") +
                       r.documents[o].id +
                       (p.kind == pair_kind::near ? " (Jaccard " + format_score(p.jaccard) + ")"
                                                  : std::string()));
      } else if (mine >= theirs) {
        inside.push_back(r.documents[o].id);
        inside_share = std::max(inside_share, mine);
      } else {
        contains.push_back(r.documents[o].id);
        contains_share = theirs;
      }
    }
    if (!near.empty())
      return near.front() + (near.size() > 1 ? " (+" + std::to_string(near.size() - 1) + ")" : "");
    if (!inside.empty()) {
      return "contained in " + and_list(inside) + " (" + percent(inside_share) +
             " of its shingles)";
    }
    if (contains.size() == 1) {
      return "contains " + contains.front() + " (" + percent(contains_share) +
             " of that text's shingles)";
    }
    return "contains " + and_list(contains);
  }
  case verdict::copy:
    return "copy of " + r.documents[sources[0]->reference].id + " (" +
           percent(sources[0]->borrowed) + " of its words, " + percent(sources[0]->borrowed_prose) +
           " outside quotes)" + also();
  case verdict::borrows:
    return "borrows passages from " + r.documents[sources[0]->reference].id + " (" +
           percent(sources[0]->borrowed) + " of its words, " + percent(sources[0]->borrowed_prose) +
           " outside quotes, longest " + std::to_string(sources[0]->longest) + " words)" + also();
  case verdict::shares_quotes:
    return "shares quotes with " + r.documents[sources[0]->reference].id + " (" +
           percent(sources[0]->borrowed) + " of its words, " +
           (sources[0]->prose_tokens == 0
                ? std::string("all inside quotes")
                : "only " + percent(sources[0]->borrowed_prose) + " outside quotes") +
           ")" + also();
  case verdict::own_words: {
    if (sources.empty())
      return "no passage shared with the other documents of its story";
    std::uint32_t longest = 0;
    for (const source_share* s : sources)
      longest = std::max(longest, s->longest);
    return "only short phrases in common (longest " + std::to_string(longest) + " words)";
  }
  }
  return {};
}

} // namespace detail

namespace {

using detail::ojson;
using detail::round6;

ojson index_or_null(std::int32_t i) { return i < 0 ? ojson(nullptr) : ojson(i + 1); }

std::uint32_t longest_of(const std::vector<passage>& ps) {
  std::uint32_t l = 0;
  for (const passage& p : ps)
    l = std::max(l, p.copy_tokens());
  return l;
}

// Written as it is made: the report's JSON of a large corpus is several times its size as a tree.
void render_json(std::ostream& out, const pipeline_result& r) {
  detail::object_writer j(out);
  j.member("command", "report");
  j.member("version", std::string(version()));
  j.member("params", detail::report_params_json(r));
  const detail::report_counts c = detail::count_report(r);
  ojson s;
  s["documents"] = c.documents;
  s["tokens"] = c.tokens;
  s["unusable"] = c.unusable;
  s["empty"] = c.empty;
  s["invalid_utf8"] = c.invalid_utf8;
  s["warnings"] = c.warnings;
  s["errors"] = c.errors;
  s["clusters"] = r.dedup.clusters.size();
  s["pairs"] = r.dedup.pairs.size();
  s["groups"] = r.stories.groups.size();
  s["multi_document_groups"] = c.multi_groups;
  s["compared"] = r.stats.compared;
  s["borrowing"] = c.borrowing;
  s["self_repeating"] = r.self_repeating.size();
  ojson verdicts;
  for (const verdict v : {verdict::duplicate, verdict::copy, verdict::borrows,
                          verdict::shares_quotes, verdict::own_words}) {
    verdicts[to_string(v)] = std::count(r.verdicts.begin(), r.verdicts.end(), v);
  }
  s["verdicts"] = std::move(verdicts);
  j.member("summary", s);

  j.begin_array("diagnostics");
  for (const diagnostic& d : r.diagnostics) {
    ojson dj;
    dj["level"] = d.level == severity::warning ? "warning" : "error";
    dj["origin"] = d.origin;
    dj["message"] = d.message;
    j.element(dj);
  }
  j.end_array();

  j.begin_array("documents");
  for (std::size_t d = 0; d < r.documents.size(); ++d) {
    ojson dj = detail::document_json(r.documents[d]);
    dj["cluster"] = index_or_null(r.dedup.cluster_of[d]);
    dj["group"] = index_or_null(r.stories.group_of[d]);
    dj["verdict"] =
        r.verdicts[d] == verdict::none ? ojson(nullptr) : ojson(to_string(r.verdicts[d]));
    dj["borrowed"] = r.compared[d] != 0 ? ojson(round6(r.borrow[d].borrowed)) : ojson(nullptr);
    dj["borrowed_prose"] =
        r.compared[d] != 0 ? ojson(round6(r.borrow[d].borrowed_prose)) : ojson(nullptr);
    dj["self_repeated"] = round6(r.borrow[d].self_repeated);
    j.element(dj);
  }
  j.end_array();

  j.begin_array("clusters");
  for (std::size_t cl = 0; cl < r.dedup.clusters.size(); ++cl)
    j.element(detail::dedup_cluster_json(r.dedup, r.documents, cl));
  j.end_array();
  j.begin_array("pairs");
  for (const duplicate_pair& p : r.dedup.pairs)
    j.element(detail::dedup_pair_json(p, r.documents));
  j.end_array();

  j.begin_array("groups");
  for (std::size_t g = 0; g < r.stories.groups.size(); ++g)
    j.element(detail::story_group_json(r.stories.groups, g, r.documents));
  j.end_array();

  j.begin_array("results");
  for (std::size_t d = 0; d < r.documents.size(); ++d) {
    if (r.compared[d] == 0)
      continue;
    const copy_result& b = r.borrow[d];
    ojson rj;
    rj["id"] = r.documents[d].id;
    rj["group"] = index_or_null(r.stories.group_of[d]);
    rj["tokens"] = r.documents[d].tokens;
    const bool timed = r.config.stories.time_meta.has_value();
    if (timed)
      rj["time"] = detail::time_json(b.time);
    rj["borrowed"] = round6(b.borrowed);
    rj["borrowed_tokens"] = b.borrowed_tokens;
    detail::copy_signals_json(b, rj);
    const detail::holder_names holders = [&](std::uint32_t h) {
      return r.documents[h == copy_holder ? d : h].id;
    };
    rj["sources"] = detail::sources_json(b.sources, r.documents, timed ? &holders : nullptr);
    j.element(rj);
  }
  j.end_array();

  j.begin_array("self_repetition");
  for (const doc_index d : r.self_repeating) {
    const copy_result& b = r.borrow[d];
    ojson rj;
    rj["id"] = r.documents[d].id;
    rj["tokens"] = r.documents[d].tokens;
    rj["self_repeated"] = round6(b.self_repeated);
    rj["repeated_tokens"] = b.repeated_tokens;
    rj["longest"] = longest_of(b.self_passages);
    rj["self_passages"] = detail::passages_json(b.self_passages);
    j.element(rj);
  }
  j.end_array();
  j.close();
}

std::string pad(std::string s, std::size_t w) {
  if (s.size() < w)
    s.append(w - s.size(), ' ');
  return s;
}

std::string join(const std::vector<std::string>& v, const char* sep) {
  std::string out;
  for (std::size_t i = 0; i < v.size(); ++i)
    out += (i == 0 ? "" : sep) + v[i];
  return out;
}

std::string plural(std::size_t n, const std::string& noun) {
  return detail::thousands(n) + " " + noun + (n == 1 ? "" : "s");
}

// Rows shown per table section before "... and N more".
constexpr std::size_t table_max = 40;

std::string render_table(const pipeline_result& r) {
  const detail::report_counts c = detail::count_report(r);
  std::string out;
  out += "copydesk report: " + plural(c.documents, "document") + ", " + plural(c.tokens, "word");
  out += " (" + std::to_string(c.unusable) + " unusable, " + std::to_string(c.empty) + " empty, " +
         plural(c.warnings, "warning") + ", " + plural(c.errors, "error") + ")\n";
  out += plural(r.dedup.clusters.size(), "duplicate cluster") + " (" +
         plural(r.dedup.pairs.size(), "pair") + "), " +
         plural(r.stories.groups.size(), "story group") + " (" + std::to_string(c.multi_groups) +
         " with several documents), " + plural(r.self_repeating.size(), "document") +
         " repeating " + (r.self_repeating.size() == 1 ? "itself" : "themselves") + "\n";
  auto count_of = [&](verdict v) {
    return std::to_string(std::count(r.verdicts.begin(), r.verdicts.end(), v));
  };
  out += "verdicts inside stories: " + count_of(verdict::duplicate) + " duplicate, " +
         count_of(verdict::copy) + " copy, " + count_of(verdict::borrows) + " borrows, " +
         count_of(verdict::shares_quotes) + " share quotes, " + count_of(verdict::own_words) +
         " own words\n";
  char line[512];
  std::snprintf(line, sizeof line,
                "settings: Jaccard >= %.2f or containment >= %.2f on word %u-shingles; stories at "
                "cosine >= %.2f (average link); passages of >= %u matched words; self-repetition "
                ">= %.0f%%\n",
                r.dedup.config.threshold, r.dedup.config.containment.threshold,
                r.dedup.config.minhash.shingles.width, r.stories.config.threshold,
                r.config.borrow.min_tokens, r.config.self_repeat_share * 100.0);
  out += line;

  // Stories with several documents (and any single document with findings), largest first.
  const detail::finding_index x = detail::make_finding_index(r);
  std::size_t shown = 0;
  std::size_t hidden = 0;
  for (std::size_t g = 0; g < r.stories.groups.size(); ++g) {
    const story_group& sg = r.stories.groups[g];
    bool interesting = sg.members.size() > 1;
    for (const doc_index m : sg.members)
      interesting = interesting || r.dedup.cluster_of[m] >= 0 || !r.borrow[m].self_passages.empty();
    if (!interesting)
      continue;
    if (shown == table_max) {
      ++hidden;
      continue;
    }
    ++shown;
    out += "\nstory " + std::to_string(g + 1) + " (" + std::to_string(sg.members.size()) +
           (sg.members.size() == 1 ? " document" : " documents") +
           "): " + escape_controls(join(sg.label, ", ")) + "\n";
    for (const doc_index m : sg.members) {
      const auto fs = detail::findings_of(r, x, m);
      out += "  " + escape_controls(r.documents[m].id) + "  (" +
             detail::thousands(r.documents[m].tokens) + " words)";
      out += std::string("  ") +
             (r.verdicts[m] != verdict::none ? names_of(r.verdicts[m]).table + std::string(": ")
                                             : std::string()) +
             escape_controls(detail::headline_of(r, x, m)) + "\n";
      for (const detail::finding& f : fs)
        out += "      " + escape_controls(f.text) + "\n";
    }
  }
  if (hidden != 0)
    out += "\n... and " + std::to_string(hidden) + " more stories (see --format json or --html)\n";

  if (!r.dedup.clusters.empty()) {
    std::size_t w = 8;
    for (const auto& p : r.dedup.pairs)
      w = std::max({w, escape_controls(r.documents[p.a].id).size() + 2,
                    escape_controls(r.documents[p.b].id).size() + 2});
    w = std::min<std::size_t>(w, 50);
    out += "\nduplicate pairs\n" + pad("a", w) + pad("b", w) + pad("kind", 11) +
           "jaccard  a_in_b  b_in_a\n";
    for (std::size_t i = 0; i < r.dedup.pairs.size(); ++i) {
      if (i == table_max) {
        out += "... and " + std::to_string(r.dedup.pairs.size() - table_max) + " more pairs\n";
        break;
      }
      const duplicate_pair& p = r.dedup.pairs[i];
      std::snprintf(line, sizeof line, "%-7s  %-6s  %-6s", format_score(p.jaccard).c_str(),
                    format_score(p.a_in_b).c_str(), format_score(p.b_in_a).c_str());
      out += pad(escape_controls(r.documents[p.a].id), w) +
             pad(escape_controls(r.documents[p.b].id), w) + pad(to_string(p.kind), 11) + line +
             "\n";
    }
  }

  const std::vector<diagnostic>& ds = r.diagnostics;
  if (!ds.empty()) {
    out += "\nwarnings and errors while reading\n";
    for (std::size_t i = 0; i < ds.size() && i < table_max; ++i) {
      out += std::string(ds[i].level == severity::warning ? "  warning: " : "  error: ") +
             escape_controls(ds[i].origin + ": " + ds[i].message) + "\n";
    }
    if (ds.size() > table_max)
      out += "  ... and " + std::to_string(ds.size() - table_max) + " more\n";
  }
  return out;
}

} // namespace

result<void> render(std::ostream& out, const pipeline_result& r, output_format format,
                    const render_context& /*context*/) {
  switch (format) {
  case output_format::table:
    out << render_table(r);
    return {};
  case output_format::json:
    render_json(out, r);
    return {};
  case output_format::jsonl:
  case output_format::csv:
    break;
  }
  return make_error(errc::invalid_argument,
                    "the report is written as a table or JSON (--format table|json)");
}

} // namespace copydesk
