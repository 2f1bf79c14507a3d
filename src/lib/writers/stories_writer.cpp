// Stories writers: table (groups with labels and members), JSON (the DESIGN contract plus
// cohesion), JSONL (input records annotated with their group) and CSV (one row per document).
#include "writers/json_common.hpp"

#include <copydesk/writers.hpp>

#include <cstdio>

namespace copydesk {

namespace {

using detail::ojson;
using detail::round6;

ojson params_json(const stories_result& r) {
  return detail::stories_params_json(r.config, r.stats);
}

struct counts {
  std::size_t unusable = 0;
  std::size_t no_terms = 0;
  std::size_t multi = 0;
};

counts count(const stories_result& r) {
  counts c;
  for (std::size_t d = 0; d < r.documents.size(); ++d) {
    if (!r.documents[d].error.empty()) {
      ++c.unusable;
    } else if (r.terms[d] == 0) {
      ++c.no_terms;
    }
  }
  for (const auto& g : r.groups)
    c.multi += g.members.size() > 1 ? 1 : 0;
  return c;
}

std::string join(const std::vector<std::string>& v, const char* sep) {
  std::string out;
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (i != 0)
      out += sep;
    out += v[i];
  }
  return out;
}

std::string pad(std::string s, std::size_t w) {
  if (s.size() < w)
    s.append(w - s.size(), ' ');
  return s;
}

std::string render_table(const stories_result& r) {
  const counts c = count(r);
  std::string out;
  char line[512];
  std::snprintf(line, sizeof line,
                "%zu documents (%zu unusable, %zu without terms), %zu story groups (%zu with "
                "several documents); average link at cosine >= %.2f\n",
                r.documents.size(), c.unusable, c.no_terms, r.groups.size(), c.multi,
                r.config.threshold);
  out += line;
  if (r.config.time_meta) {
    std::snprintf(line, sizeof line,
                  "times: %zu of %zu documents have a %s; %zu pairs more than %g days apart not "
                  "linked\n",
                  r.stats.timed, r.documents.size(), escape_controls(r.config.time_field).c_str(),
                  r.stats.apart, r.config.time_window_days);
    out += line;
  }
  if (!r.groups.empty()) {
    out += "\n" + pad("group", 7) + pad("size", 6) + pad("cohesion", 10) + "label\n";
    for (std::size_t g = 0; g < r.groups.size(); ++g) {
      const story_group& sg = r.groups[g];
      out += pad(std::to_string(g + 1), 7) + pad(std::to_string(sg.members.size()), 6) +
             pad(sg.cohesion ? format_score(*sg.cohesion) : "-", 10) +
             escape_controls(join(sg.label, ", ")) + "\n";
      for (const doc_index m : sg.members)
        out += "         " + escape_controls(r.documents[m].id) + "\n";
    }
  }
  bool header = false;
  for (std::size_t d = 0; d < r.documents.size(); ++d) {
    if (r.group_of[d] >= 0)
      continue;
    if (!header) {
      out += "\nnot grouped\n";
      header = true;
    }
    const doc_info& info = r.documents[d];
    out += "         " + escape_controls(info.id) + "  (" +
           (info.error.empty() ? std::string("no terms") : escape_controls(info.error)) + ")\n";
  }
  return out;
}

ojson group_value(const stories_result& r, std::size_t d) {
  return r.group_of[d] < 0 ? ojson(nullptr) : ojson(r.group_of[d] + 1);
}

std::string render_json(const stories_result& r) {
  ojson j = detail::envelope("stories", params_json(r));
  const counts c = count(r);
  ojson summary;
  summary["documents"] = r.documents.size();
  summary["unusable"] = c.unusable;
  summary["without_terms"] = c.no_terms;
  summary["groups"] = r.groups.size();
  summary["multi_document_groups"] = c.multi;
  summary["vocabulary"] = r.stats.vocabulary;
  summary["candidates"] = r.stats.candidates;
  summary["pairs"] = r.stats.pairs;
  if (r.config.time_meta) {
    summary["timed_documents"] = r.stats.timed;
    summary["pairs_apart_in_time"] = r.stats.apart;
  }
  j["summary"] = std::move(summary);
  ojson docs = ojson::array();
  for (std::size_t d = 0; d < r.documents.size(); ++d) {
    ojson dj = detail::document_json(r.documents[d]);
    dj["terms"] = r.terms[d];
    dj["group"] = group_value(r, d);
    docs.push_back(std::move(dj));
  }
  j["documents"] = std::move(docs);
  j["groups"] = detail::story_groups_json(r.groups, r.documents);
  if (r.config.keep_pairs) {
    ojson pairs = ojson::array();
    for (const scored_pair& p : r.pairs) {
      ojson pj;
      pj["a"] = r.documents[p.a].id;
      pj["b"] = r.documents[p.b].id;
      pj["cosine"] = round6(p.score);
      pairs.push_back(std::move(pj));
    }
    j["pairs"] = std::move(pairs);
  }
  return detail::dump(j);
}

result<std::string> render_jsonl(const stories_result& r, const corpus_reader* reader) {
  std::string out;
  for (std::size_t d = 0; d < r.documents.size(); ++d) {
    const doc_info& info = r.documents[d];
    ojson rec;
    if (reader != nullptr && reader->is_jsonl(info.where) && info.error.empty()) {
      auto raw = reader->reread_record(info.where);
      if (!raw)
        return raw.error();
      rec = ojson::parse(*raw, nullptr, false);
      if (rec.is_discarded() || !rec.is_object())
        rec = ojson{{"id", info.id}};
    } else {
      rec["id"] = info.id;
      rec["tokens"] = info.tokens;
      if (!info.error.empty())
        rec["error"] = info.error;
    }
    rec["group"] = group_value(r, d);
    rec["group_label"] = r.group_of[d] < 0
                             ? ojson(nullptr)
                             : ojson(r.groups[static_cast<std::size_t>(r.group_of[d])].label);
    out += detail::dump(rec, true);
  }
  return out;
}

std::string render_csv(const stories_result& r) {
  std::string out = "id,group,group_size,tokens,terms,label\n";
  for (std::size_t d = 0; d < r.documents.size(); ++d) {
    const std::int32_t g = r.group_of[d];
    out += csv_field(r.documents[d].id) + ",";
    if (g >= 0) {
      const story_group& sg = r.groups[static_cast<std::size_t>(g)];
      out += std::to_string(g + 1) + "," + std::to_string(sg.members.size()) + ",";
    } else {
      out += ",,";
    }
    out += std::to_string(r.documents[d].tokens) + "," + std::to_string(r.terms[d]) + ",";
    out += g >= 0 ? csv_field(join(r.groups[static_cast<std::size_t>(g)].label, "; ")) : "";
    out += "\n";
  }
  return out;
}

} // namespace

result<void> render(std::ostream& out, const stories_result& r, output_format format,
                    const render_context& context) {
  switch (format) {
  case output_format::table:
    out << render_table(r);
    return {};
  case output_format::json:
    out << render_json(r);
    return {};
  case output_format::jsonl:
    return detail::write_whole(out, render_jsonl(r, context.reader));
  case output_format::csv:
    out << render_csv(r);
    return {};
  }
  return make_error(errc::internal, "unknown output format");
}

} // namespace copydesk
