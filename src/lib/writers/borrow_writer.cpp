// Borrow writers: table (one row per copy and source), JSON (the DESIGN contract:
// results[].sources[].passages[] with byte offsets), JSONL (one result per line) and CSV.
#include "writers/json_common.hpp"

#include <copydesk/writers.hpp>

#include <algorithm>
#include <cstdio>

namespace copydesk {

namespace {

using detail::ojson;
using detail::round6;

constexpr const char* self_note = "also given as a reference: not compared with itself";

ojson params_json(const borrow_config& c) {
  ojson p;
  p["seed_unit"] = "words";
  p["seed_width"] = c.params.seed_width;
  p["min_tokens"] = c.params.min_tokens;
  p["max_gap"] = c.params.max_gap;
  p["max_postings"] = c.params.max_postings;
  p["hash"] = "xxh3_64";
  p["hash_seed"] = c.params.hash_seed;
  p["normalization"] = "nfkc_casefold_v" + std::to_string(text::normalization_version);
  p["attribution"] = "longest_passage";
  p["self"] = c.self;
  if (c.time_meta)
    p["time_field"] = c.time_field;
  return p;
}

ojson result_json(const borrow_result& r, const copy_result& c) {
  ojson j;
  j["id"] = c.document.id;
  j["tokens"] = c.document.tokens;
  const bool timed = r.config.time_meta.has_value();
  if (timed)
    j["time"] = detail::time_json(c.time);
  const detail::holder_names holders = [&](std::uint32_t h) {
    return h == copy_holder ? c.document.id : r.references[h].id;
  };
  if (!c.document.error.empty())
    j["error"] = c.document.error;
  if (c.is_reference != no_reference)
    j["note"] = self_note;
  if (!r.references.empty()) {
    j["borrowed"] = round6(c.borrowed);
    j["borrowed_tokens"] = c.borrowed_tokens;
    detail::copy_signals_json(c, j);
    j["sources"] = detail::sources_json(c.sources, r.references, timed ? &holders : nullptr);
  }
  if (r.config.self) {
    j["self_repeated"] = round6(c.self_repeated);
    j["repeated_tokens"] = c.repeated_tokens;
    j["self_passages"] = detail::passages_json(c.self_passages);
  }
  return j;
}

std::size_t count_borrowing(const borrow_result& r) {
  return static_cast<std::size_t>(std::count_if(
      r.results.begin(), r.results.end(), [](const copy_result& c) { return !c.sources.empty(); }));
}

std::string note_of(const copy_result& c) {
  if (!c.document.error.empty())
    return c.document.error;
  if (c.is_reference != no_reference)
    return self_note;
  if (c.document.tokens == 0)
    return "empty document";
  return {};
}

using detail::join_offset_pairs;

std::string render_json(const borrow_result& r) {
  ojson j = detail::envelope("borrow", params_json(r.config));
  ojson summary;
  summary["documents"] = r.results.size();
  summary["references"] = r.references.size();
  summary["borrowing"] = count_borrowing(r);
  std::size_t unusable = 0;
  for (const copy_result& c : r.results)
    unusable += c.document.error.empty() ? 0 : 1;
  summary["unusable"] = unusable;
  j["summary"] = std::move(summary);
  ojson refs = ojson::array();
  for (std::size_t i = 0; i < r.references.size(); ++i) {
    ojson d = detail::document_json(r.references[i]);
    if (r.config.time_meta)
      d["time"] = detail::time_json(r.reference_times[i]);
    refs.push_back(std::move(d));
  }
  j["references"] = std::move(refs);
  ojson docs = ojson::array();
  for (const copy_result& c : r.results)
    docs.push_back(detail::document_json(c.document));
  j["documents"] = std::move(docs);
  ojson results = ojson::array();
  for (const copy_result& c : r.results)
    results.push_back(result_json(r, c));
  j["results"] = std::move(results);
  return join_offset_pairs(detail::dump(j));
}

std::string render_jsonl(const borrow_result& r) {
  std::string out;
  for (const copy_result& c : r.results)
    out += detail::dump(result_json(r, c), true);
  return out;
}

std::string percent(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f%%", x * 100.0);
  return buf;
}

std::string pad(std::string s, std::size_t w) {
  if (s.size() < w)
    s.append(w - s.size(), ' ');
  return s;
}

std::string lpad(const std::string& s, std::size_t w) {
  return s.size() < w ? std::string(w - s.size(), ' ') + s : s;
}

// A source's "found" for a table cell.
const char* found_words(found_when w) {
  return w == found_when::same_time ? "same time" : to_string(w);
}

std::string render_table(const borrow_result& r) {
  const bool refs = !r.references.empty();
  const bool self = r.config.self;
  const bool timed = r.config.time_meta.has_value();
  std::string out;
  char line[512];
  std::snprintf(line, sizeof line,
                "%zu documents, %zu references, %zu borrow (seeds of %u words, passages of >= %u "
                "matched words, gaps <= %u)\n",
                r.results.size(), r.references.size(), count_borrowing(r),
                r.config.params.seed_width, r.config.params.min_tokens, r.config.params.max_gap);
  out += line;
  std::size_t wc = 6;
  std::size_t wr = 11;
  for (const copy_result& c : r.results)
    wc = std::max(wc, escape_controls(c.document.id).size() + 2);
  for (const doc_info& d : r.references)
    wr = std::max(wr, escape_controls(d.id).size() + 2);
  wc = std::min<std::size_t>(wc, 60);
  wr = std::min<std::size_t>(wr, 60);
  out += "\n" + pad("copy", wc);
  if (refs)
    out += pad("reference", wr) + lpad("borrowed", 9) + lpad("prose", 9) + lpad("lede", 9) +
           lpad("reused", 9) + lpad("longest", 9) + lpad("credited", 10) + lpad("facts", 7);
  if (refs && timed)
    out += lpad("found", 11);
  if (self)
    out += lpad("repeated", 10) + lpad("longest", 9);
  out += "\n";
  std::vector<std::string> notes;
  for (const copy_result& c : r.results) {
    const std::string id = escape_controls(c.document.id);
    if (const std::string n = note_of(c); !n.empty())
      notes.emplace_back(id).append(": ").append(n);
    std::string self_cols;
    if (self) {
      std::uint32_t longest = 0;
      for (const passage& p : c.self_passages)
        longest = std::max(longest, p.copy_tokens());
      self_cols = lpad(percent(c.self_repeated), 10) +
                  lpad(longest == 0 ? "-" : std::to_string(longest), 9);
    }
    if (!refs) {
      out += pad(id, wc) + self_cols + "\n";
      continue;
    }
    if (c.sources.empty()) {
      out += pad(id, wc) + pad("-", wr) + lpad(percent(0.0), 9) + lpad(percent(0.0), 9) +
             lpad(percent(0.0), 9) + lpad("-", 9) + lpad("-", 9) + lpad("-", 10) + lpad("-", 7) +
             (timed ? lpad("-", 11) : std::string()) + self_cols + "\n";
      continue;
    }
    for (std::size_t s = 0; s < c.sources.size(); ++s) {
      const source_share& sh = c.sources[s];
      out += pad(s == 0 ? id : std::string(), wc) +
             pad(escape_controls(r.references[sh.reference].id), wr) +
             lpad(percent(sh.borrowed), 9) + lpad(percent(sh.borrowed_prose), 9) +
             lpad(percent(sh.lede_borrowed), 9) + lpad(percent(sh.reused), 9) +
             lpad(std::to_string(sh.longest), 9) + lpad(sh.credited ? "yes" : "no", 10) +
             lpad(std::to_string(sh.changed_facts()), 7) +
             (timed ? lpad(found_words(sh.found), 11) : std::string()) +
             (s == 0 ? self_cols : std::string()) + "\n";
    }
    if (c.sources.size() > 1) {
      out += pad("", wc) + pad("(all)", wr) + lpad(percent(c.borrowed), 9) +
             lpad(percent(c.borrowed_prose), 9) + lpad(percent(c.lede_borrowed), 9) + "\n";
    }
  }
  for (const doc_info& d : r.references) {
    if (!d.error.empty())
      notes.push_back("reference " + d.id + ": " + d.error);
    else if (d.tokens == 0)
      notes.push_back("reference " + d.id + ": empty, nothing can come from it");
  }
  if (!notes.empty()) {
    out += "\n";
    for (const std::string& n : notes)
      out += "note: " + escape_controls(n) + "\n";
  }
  return out;
}

std::string render_csv(const borrow_result& r) {
  // The signal columns come last, so scripts that read the first nine by position still work.
  std::string out = "copy,reference,borrowed,reused,passages,longest,total_borrowed,self_repeated,"
                    "note,borrowed_prose,lede_borrowed,total_borrowed_prose,total_lede_borrowed,"
                    "credited,credit,changed_facts,found\n";
  const bool refs = !r.references.empty();
  for (const copy_result& c : r.results) {
    const std::string self = r.config.self ? format_score(c.self_repeated) : std::string();
    const std::string total = refs ? format_score(c.borrowed) : std::string();
    const std::string prose = refs ? format_score(c.borrowed_prose) : std::string();
    const std::string lede = refs ? format_score(c.lede_borrowed) : std::string();
    const std::string id = csv_field(c.document.id);
    const std::string note = csv_field(note_of(c));
    if (c.sources.empty()) {
      const std::string zero = refs ? format_score(0.0) : std::string();
      append_csv_row(out, {id, "", zero, "", "0", "0", total, self, note, zero, zero, prose, lede,
                           "", "", "", ""});
      continue;
    }
    for (const source_share& s : c.sources) {
      append_csv_row(
          out,
          {id, csv_field(r.references[s.reference].id), format_score(s.borrowed),
           format_score(s.reused), std::to_string(s.passages.size()), std::to_string(s.longest),
           total, self, note, format_score(s.borrowed_prose), format_score(s.lede_borrowed), prose,
           lede, s.credited ? "true" : "false", s.credited ? csv_field(s.credit) : std::string(),
           std::to_string(s.changed_facts()), r.config.time_meta ? to_string(s.found) : ""});
    }
  }
  return out;
}

} // namespace

result<void> render(std::ostream& out, const borrow_result& r, output_format format,
                    const render_context& /*context*/) {
  switch (format) {
  case output_format::table:
    out << render_table(r);
    return {};
  case output_format::json:
    out << render_json(r);
    return {};
  case output_format::jsonl:
    out << render_jsonl(r);
    return {};
  case output_format::csv:
    out << render_csv(r);
    return {};
  }
  return make_error(errc::internal, "unknown output format");
}

} // namespace copydesk
