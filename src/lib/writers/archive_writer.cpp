// Writers of the archive commands: `archive add` (incremental dedup) and `check` (duplicates,
// sources with passages, closest story, verdict per input).
#include "writers/json_common.hpp"

#include <copydesk/writers.hpp>

#include <algorithm>
#include <cstdio>

namespace copydesk {

namespace {

using detail::ojson;
using detail::round6;

ojson settings_json(const archive_settings& s) {
  ojson p = detail::shingle_params_json(s.minhash);
  p["num_perm"] = s.minhash.num_perm;
  p["hash_family"] = to_string(s.minhash.family);
  p["lsh_bands"] = s.lsh.bands;
  p["lsh_rows"] = s.lsh.rows;
  p["seed_width"] = s.seed_width;
  p["seed_window"] = s.seed_window;
  p["term_bigrams"] = s.terms.bigrams;
  p["stop_words"] =
      s.terms.stop_words ? ojson("english_v" + std::to_string(stop_list_version)) : ojson(nullptr);
  p["key_terms"] = s.key_terms;
  return p;
}

ojson match_json(const match_settings& m) {
  ojson p;
  p["threshold"] = m.threshold;
  p["containment"] = m.find_contained ? ojson(m.containment) : ojson(nullptr);
  p["max_df"] = m.max_df;
  return p;
}

ojson duplicates_json(const std::vector<archive_match>& ms) {
  ojson a = ojson::array();
  for (const archive_match& m : ms) {
    ojson j;
    j["archived"] = m.archived;
    j["kind"] = to_string(m.kind);
    j["jaccard"] = round6(m.jaccard);
    j["a_in_b"] = round6(m.a_in_b);
    j["b_in_a"] = round6(m.b_in_a);
    j["shared"] = m.shared;
    a.push_back(std::move(j));
  }
  return a;
}

ojson duplicate_ids(const added_document& d) {
  ojson a = ojson::array();
  for (const archive_match& m : d.duplicates)
    a.push_back(m.archived);
  return a;
}

ojson opt_json(const std::optional<std::string>& v) { return v ? ojson(*v) : ojson(nullptr); }

struct add_counts {
  std::size_t added = 0, skipped = 0, replaced = 0, failed = 0, duplicates = 0;
};

add_counts count(const archive_add_report& r) {
  add_counts c;
  for (const added_document& d : r.documents) {
    switch (d.status) {
    case add_status::added:
      ++c.added;
      break;
    case add_status::skipped:
      ++c.skipped;
      break;
    case add_status::replaced:
      ++c.replaced;
      break;
    case add_status::failed:
      ++c.failed;
      break;
    }
    if (!d.duplicates.empty())
      ++c.duplicates;
  }
  return c;
}

ojson add_document_json(const added_document& d) {
  ojson j;
  j["id"] = d.document.id;
  j["status"] = to_string(d.status);
  j["new"] = d.is_new;
  j["duplicate_of"] = duplicate_ids(d);
  j["duplicates"] = duplicates_json(d.duplicates);
  j["cluster"] = opt_json(d.cluster);
  j["tokens"] = d.document.tokens;
  if (!d.note.empty())
    j["note"] = d.note;
  return j;
}

std::string summary_line(const archive_add_report& r, const add_counts& c) {
  return "copydesk archive add: " + std::to_string(r.documents.size()) +
         " documents: " + std::to_string(c.added) + " added, " + std::to_string(c.replaced) +
         " replaced, " + std::to_string(c.skipped) + " skipped (already archived), " +
         std::to_string(c.failed) + " failed; " + std::to_string(c.duplicates) +
         " duplicate archived texts; archive now " + std::to_string(r.archive_documents) +
         " documents\n";
}

} // namespace

namespace {

result<std::string> archive_add_text(const archive_add_report& r, output_format format,
                                     const corpus_reader* reader) {
  const add_counts c = count(r);
  switch (format) {
  case output_format::table: {
    std::string out;
    char line[256];
    std::snprintf(line, sizeof line, "%-10s %-9s %-8s %-8s %-8s %s\n", "status", "kind", "jaccard",
                  "a_in_b", "b_in_a", "document -> archived");
    bool any = false;
    for (const added_document& d : r.documents) {
      if (d.duplicates.empty() && d.status != add_status::failed)
        continue;
      if (!any)
        out += line;
      any = true;
      if (d.status == add_status::failed) {
        out +=
            "failed     " + escape_controls(d.document.id) + ": " + escape_controls(d.note) + "\n";
        continue;
      }
      for (const archive_match& m : d.duplicates) {
        std::snprintf(line, sizeof line, "%-10s %-9s %-8s %-8s %-8s ", to_string(d.status),
                      to_string(m.kind), format_score(m.jaccard).c_str(),
                      format_score(m.a_in_b).c_str(), format_score(m.b_in_a).c_str());
        out += line + escape_controls(d.document.id) + " -> " + escape_controls(m.archived) + "\n";
      }
    }
    return out + summary_line(r, c);
  }
  case output_format::json: {
    ojson params = settings_json(r.settings);
    params["match"] = match_json(r.match);
    ojson j = detail::envelope("archive add", std::move(params));
    j["archive"] = r.archive;
    ojson s;
    s["documents"] = r.documents.size();
    s["added"] = c.added;
    s["replaced"] = c.replaced;
    s["skipped"] = c.skipped;
    s["failed"] = c.failed;
    s["duplicates"] = c.duplicates;
    s["archive_documents"] = r.archive_documents;
    j["summary"] = std::move(s);
    ojson docs = ojson::array();
    for (const added_document& d : r.documents)
      docs.push_back(add_document_json(d));
    j["documents"] = std::move(docs);
    return detail::dump(j);
  }
  case output_format::jsonl: {
    std::string out;
    for (const added_document& d : r.documents) {
      auto rec_or = detail::input_record(d.document, reader);
      if (!rec_or)
        return rec_or.error();
      ojson& rec = *rec_or;
      rec["status"] = to_string(d.status);
      rec["new"] = d.is_new;
      rec["duplicate_of"] = duplicate_ids(d);
      rec["cluster"] = opt_json(d.cluster);
      out += detail::dump(rec, true);
    }
    return out;
  }
  case output_format::csv: {
    std::string out = "id,status,new,duplicate_of,cluster\n";
    for (const added_document& d : r.documents) {
      std::string dups;
      for (const archive_match& m : d.duplicates)
        dups += (dups.empty() ? "" : " ") + m.archived;
      out += csv_field(d.document.id) + "," + to_string(d.status) + "," +
             (d.is_new ? "true" : "false") + "," + csv_field(dups) + "," +
             csv_field(d.cluster.value_or("")) + "\n";
    }
    return out;
  }
  }
  return make_error(errc::internal, "unknown output format");
}

ojson check_params_json(const check_report& r) {
  ojson p = settings_json(r.settings);
  p["match"] = match_json(r.options.match);
  ojson b;
  b["seed_width"] = r.options.borrow.seed_width;
  b["min_tokens"] = r.options.borrow.min_tokens;
  b["max_gap"] = r.options.borrow.max_gap;
  b["max_postings"] = r.options.borrow.max_postings;
  b["max_sources"] = r.options.max_sources;
  b["attribution"] = "longest_passage";
  p["borrow"] = std::move(b);
  ojson s;
  s["similar"] = r.options.similar;
  s["min_similarity"] = r.options.story_min;
  s["threshold"] = r.options.story_threshold;
  s["label_terms"] = r.options.label_terms;
  p["story"] = std::move(s);
  p["copy_share"] = r.options.copy_share;
  p["borrow_verdict_tokens"] = r.options.borrow_verdict_tokens;
  if (r.options.time_meta)
    p["time_field"] = r.options.time_field;
  return p;
}

// `timed`: the run was given the input's time field (check --time-field).
ojson check_result_json(const check_result& c, bool timed) {
  ojson j;
  j["id"] = c.document.id;
  j["tokens"] = c.document.tokens;
  if (timed)
    j["time"] = detail::time_json(c.borrow.time);
  const detail::holder_names holders = [&](std::uint32_t h) {
    return h == copy_holder ? c.document.id : c.archived[h].id;
  };
  if (!c.document.error.empty())
    j["error"] = c.document.error;
  j["verdict"] = to_string(c.verdict_of);
  j["duplicates"] = duplicates_json(c.duplicates);
  j["borrowed"] = round6(c.borrow.borrowed);
  j["borrowed_tokens"] = c.borrow.borrowed_tokens;
  detail::copy_signals_json(c.borrow, j);
  ojson sources = ojson::array();
  for (const source_share& s : c.borrow.sources) {
    const archived_doc& a = c.archived[s.reference];
    ojson sj;
    sj["archived"] = a.id;
    sj["source"] = opt_json(a.meta.source);
    sj["time"] = opt_json(a.meta.time);
    sj["url"] = opt_json(a.meta.url);
    sj["borrowed"] = round6(s.borrowed);
    sj["reused"] = round6(s.reused);
    sj["copy_tokens"] = s.copy_tokens;
    sj["reference_tokens"] = s.ref_tokens;
    sj["longest"] = s.longest;
    detail::source_signals_json(s, sj);
    detail::source_found_json(s, timed ? &holders : nullptr, sj);
    sj["passages"] = detail::passages_json(s, timed ? &holders : nullptr);
    sources.push_back(std::move(sj));
  }
  j["sources"] = std::move(sources);
  ojson story;
  story["label"] = c.label;
  ojson similar = ojson::array();
  for (const auto& [i, cos] : c.similar) {
    ojson sj;
    sj["archived"] = c.archived[i].id;
    sj["cosine"] = round6(cos);
    similar.push_back(std::move(sj));
  }
  story["similar"] = std::move(similar);
  j["story"] = std::move(story);
  if (c.earliest) {
    const archived_doc& a = c.archived[*c.earliest];
    ojson e;
    e["archived"] = a.id;
    e["time"] = opt_json(a.meta.time);
    j["earliest"] = std::move(e);
  } else {
    j["earliest"] = nullptr;
  }
  return j;
}

std::string check_text(const check_report& r, output_format format) {
  switch (format) {
  case output_format::table: {
    std::string out;
    std::size_t flagged = 0;
    for (const check_result& c : r.results) {
      const verdict_names& v = names_of(c.verdict_of);
      out += escape_controls(c.document.id) + "  " + (v.table[0] != '\0' ? v.table : "ALONE");
      if (!c.document.error.empty()) {
        out += "  error: " + escape_controls(c.document.error) + "\n";
        continue;
      }
      out += "  borrowed " + format_score(c.borrow.borrowed) + "  prose " +
             format_score(c.borrow.borrowed_prose) + "  lede " +
             format_score(c.borrow.lede_borrowed) + "\n";
      if (c.verdict_of == verdict::duplicate || c.verdict_of == verdict::copy ||
          c.verdict_of == verdict::borrows)
        ++flagged;
      for (const archive_match& m : c.duplicates) {
        out += "  duplicate  " + std::string(to_string(m.kind)) + "  jaccard " +
               format_score(m.jaccard) + "  " + escape_controls(m.archived) + "\n";
      }
      for (const source_share& s : c.borrow.sources) {
        const archived_doc& a = c.archived[s.reference];
        out += "  source     borrowed " + format_score(s.borrowed) + "  prose " +
               format_score(s.borrowed_prose) + "  reused " + format_score(s.reused) + "  " +
               std::to_string(s.passages.size()) + " passages  " + escape_controls(a.id);
        if (a.meta.source)
          out += "  (" + escape_controls(*a.meta.source) + ")";
        out +=
            s.credited ? "  credited: " + escape_controls(s.credit) : std::string("  uncredited");
        if (r.options.time_meta)
          out += "  found " + std::string(to_string(s.found));
        out += "\n";
        for (const fact_change& f : s.changes) {
          if (f.kind == change_kind::other)
            continue;
          out += "  changed    " + std::string(to_string(f.kind)) + "  \"" +
                 escape_controls(f.copy_text) + "\" where the archived text has \"" +
                 escape_controls(f.ref_text) + "\"\n";
        }
      }
      if (!c.label.empty()) {
        std::string label;
        for (const std::string& t : c.label)
          label += (label.empty() ? "" : ", ") + t;
        out += "  story      " + escape_controls(label);
        if (!c.similar.empty()) {
          out += "  closest " + escape_controls(c.archived[c.similar.front().first].id) + " (" +
                 format_score(c.similar.front().second) + ")";
        }
        out += "\n";
      }
      if (c.earliest) {
        const archived_doc& a = c.archived[*c.earliest];
        out += "  earliest   " + escape_controls(a.id) + "  " +
               escape_controls(a.meta.time.value_or("")) + "\n";
      }
    }
    out += "copydesk check: " + std::to_string(r.results.size()) + " documents, " +
           std::to_string(flagged) + " take from the archive\n";
    return out;
  }
  case output_format::json: {
    ojson j = detail::envelope("check", check_params_json(r));
    j["archive"] = r.archive;
    ojson results = ojson::array();
    for (const check_result& c : r.results)
      results.push_back(check_result_json(c, r.options.time_meta.has_value()));
    j["results"] = std::move(results);
    if (r.fail_over) {
      ojson f;
      f["share"] = r.fail_over->share;
      f["uncredited_only"] = r.fail_over->uncredited_only;
      ojson over = ojson::array();
      for (const check_result& c : r.results) {
        if (r.fail_over->is_exceeded_by(c))
          over.push_back(c.document.id);
      }
      f["exceeded"] = !over.empty();
      f["over"] = std::move(over);
      j["fail_over"] = std::move(f);
    }
    return detail::dump(j);
  }
  case output_format::jsonl: {
    std::string out;
    for (const check_result& c : r.results)
      out += detail::dump(check_result_json(c, r.options.time_meta.has_value()), true);
    return out;
  }
  case output_format::csv: {
    // The signal columns come last, so scripts that read the first nine by position still work.
    std::string out =
        "id,verdict,borrowed,match,archived,kind,score,source,time,borrowed_prose,lede_borrowed,"
        "credited,credit,changed_facts,found\n";
    for (const check_result& c : r.results) {
      const std::string id = csv_field(c.document.id);
      const char* verdict = to_string(c.verdict_of);
      const std::string borrowed = format_score(c.borrow.borrowed);
      const std::string prose = format_score(c.borrow.borrowed_prose);
      const std::string lede = format_score(c.borrow.lede_borrowed);
      bool any = false;
      for (const archive_match& m : c.duplicates) {
        append_csv_row(out, {id, verdict, borrowed, "duplicate", csv_field(m.archived),
                             to_string(m.kind), format_score(m.jaccard), "", "", prose, lede, "",
                             "", "", ""});
        any = true;
      }
      for (const source_share& s : c.borrow.sources) {
        const archived_doc& a = c.archived[s.reference];
        append_csv_row(
            out,
            {id, verdict, borrowed, "source", csv_field(a.id), "borrowed", format_score(s.borrowed),
             csv_field(a.meta.source.value_or("")), csv_field(a.meta.time.value_or("")), prose,
             lede, s.credited ? "true" : "false", s.credited ? csv_field(s.credit) : std::string(),
             std::to_string(s.changed_facts()), r.options.time_meta ? to_string(s.found) : ""});
        any = true;
      }
      if (!any)
        append_csv_row(
            out, {id, verdict, borrowed, "", "", "", "", "", "", prose, lede, "", "", "", ""});
    }
    return out;
  }
  }
  return {};
}

// `archive info`: one row (or JSON key) per count and setting, numbers unquoted.
std::string info_text(const archive_info& i, output_format f) {
  const auto& s = i.settings;
  const std::vector<std::pair<std::string, std::string>> rows = {
      {"archive", i.path},
      {"format_version", std::to_string(i.format_version)},
      {"created_by", i.created_by},
      {"documents", std::to_string(i.documents)},
      {"clusters", std::to_string(i.clusters)},
      {"terms", std::to_string(i.terms)},
      {"text_bytes", std::to_string(i.text_bytes)},
      {"stored_text_bytes", std::to_string(i.stored_bytes)},
      {"file_bytes", std::to_string(i.file_bytes)},
      {"band_rows", std::to_string(i.band_rows)},
      {"fingerprint_rows", std::to_string(i.fingerprint_rows)},
      {"key_term_rows", std::to_string(i.term_rows)},
      {"shingles", to_string(s.minhash.shingles)},
      {"num_perm", std::to_string(s.minhash.num_perm)},
      {"hash_family", to_string(s.minhash.family)},
      {"hash_seed", std::to_string(s.minhash.shingles.seed)},
      {"normalization", std::to_string(s.minhash.shingles.normalization)},
      {"lsh", std::to_string(s.lsh.bands) + "x" + std::to_string(s.lsh.rows)},
      {"seed_width", std::to_string(s.seed_width)},
      {"seed_window", std::to_string(s.seed_window)},
      {"term_bigrams", s.terms.bigrams ? "true" : "false"},
      {"stop_list", std::to_string(stop_list_version)},
      {"key_terms", std::to_string(s.key_terms)},
  };
  std::string out;
  if (f == output_format::json) {
    out = "{\n";
    for (std::size_t r = 0; r < rows.size(); ++r) {
      const bool number = !rows[r].second.empty() &&
                          rows[r].second.find_first_not_of("0123456789") == std::string::npos;
      std::string v = rows[r].second;
      if (!number) {
        std::string q = "\"";
        for (const char c : v) {
          if (c == '"' || c == '\\')
            q += '\\';
          q += c;
        }
        v = q + "\"";
      }
      out += "  \"" + rows[r].first + "\": " + v + (r + 1 < rows.size() ? ",\n" : "\n");
    }
    return out + "}\n";
  }
  for (const auto& [k, v] : rows)
    out += k + std::string(k.size() < 18 ? 18 - k.size() : 1, ' ') + escape_controls(v) + "\n";
  return out;
}

} // namespace

result<void> render(std::ostream& out, const archive_add_report& r, output_format format,
                    const render_context& context) {
  auto text = archive_add_text(r, format, context.reader);
  if (!text)
    return text.error();
  out << *text;
  return {};
}

result<void> render(std::ostream& out, const check_report& r, output_format format,
                    const render_context& /*context*/) {
  out << check_text(r, format);
  return {};
}

result<void> render(std::ostream& out, const archive_info& r, output_format format,
                    const render_context& /*context*/) {
  if (format != output_format::table && format != output_format::json)
    return make_error(errc::invalid_argument, "archive info is written as a table or JSON");
  out << info_text(r, format);
  return {};
}

} // namespace copydesk
