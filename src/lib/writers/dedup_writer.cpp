// Dedup writers: table, JSON (the DESIGN contract), JSONL (input records annotated with their
// cluster) and CSV (one row per reported pair).
#include "writers/json_common.hpp"

#include <copydesk/writers.hpp>

#include <algorithm>
#include <cstdio>

namespace copydesk {

namespace {

using detail::ojson;
using detail::round6;

ojson params_json(const dedup_result& r) {
  return detail::dedup_params_json(r.config, r.stats.lsh);
}

std::string pad(std::string s, std::size_t w) {
  if (s.size() < w)
    s.append(w - s.size(), ' ');
  return s;
}

std::string render_table(const dedup_result& r) {
  std::size_t errors = 0;
  for (const auto& d : r.documents)
    errors += d.error.empty() ? 0 : 1;
  std::string out;
  char line[512];
  std::snprintf(line, sizeof line,
                "%zu documents (%zu unusable), %zu duplicate clusters, %zu pairs "
                "(Jaccard >= %.2f or containment >= %.2f)\n",
                r.documents.size(), errors, r.clusters.size(), r.pairs.size(), r.config.threshold,
                r.config.containment.threshold);
  out += line;
  if (r.clusters.empty())
    return out;
  std::size_t w = 8;
  for (const auto& d : r.documents)
    w = std::max(w, escape_controls(d.id).size() + 2);
  w = std::min<std::size_t>(w, 60);
  out += "\n" + pad("cluster", 9) + pad("kind", 11) + pad("size", 6) + "representative\n";
  for (std::size_t c = 0; c < r.clusters.size(); ++c) {
    const auto& cl = r.clusters[c];
    out += pad(std::to_string(c + 1), 9) + pad(to_string(cl.kind), 11) +
           pad(std::to_string(cl.members.size()), 6) +
           escape_controls(r.documents[cl.representative].id) + "\n";
  }
  out += "\n" + pad("a", w) + pad("b", w) + pad("kind", 11) + "jaccard  a_in_b  b_in_a\n";
  for (const auto& p : r.pairs) {
    std::snprintf(line, sizeof line, "%-7s  %-6s  %-6s", format_score(p.jaccard).c_str(),
                  format_score(p.a_in_b).c_str(), format_score(p.b_in_a).c_str());
    out += pad(escape_controls(r.documents[p.a].id), w) +
           pad(escape_controls(r.documents[p.b].id), w) + pad(to_string(p.kind), 11) + line + "\n";
  }
  return out;
}

ojson cluster_value(const dedup_result& r, std::size_t d) {
  return r.cluster_of[d] < 0 ? ojson(nullptr) : ojson(r.cluster_of[d] + 1);
}

std::string render_json(const dedup_result& r) {
  ojson j = detail::envelope("dedup", params_json(r));
  std::size_t errors = 0;
  for (const auto& d : r.documents)
    errors += d.error.empty() ? 0 : 1;
  ojson summary;
  summary["documents"] = r.documents.size();
  summary["unusable"] = errors;
  summary["clusters"] = r.clusters.size();
  summary["pairs"] = r.pairs.size();
  summary["lsh_candidates"] = r.stats.lsh_candidates;
  summary["containment_candidates"] = r.stats.containment_candidates;
  summary["completion_candidates"] = r.stats.completion_candidates;
  summary["verified"] = r.stats.verified;
  j["summary"] = std::move(summary);
  ojson docs = ojson::array();
  for (std::size_t d = 0; d < r.documents.size(); ++d) {
    ojson dj = detail::document_json(r.documents[d]);
    dj["cluster"] = cluster_value(r, d);
    docs.push_back(std::move(dj));
  }
  j["documents"] = std::move(docs);
  j["clusters"] = detail::dedup_clusters_json(r, r.documents);
  j["pairs"] = detail::dedup_pairs_json(r, r.documents);
  return detail::dump(j);
}

result<std::string> render_jsonl(const dedup_result& r, const corpus_reader* reader) {
  std::string out;
  for (std::size_t d = 0; d < r.documents.size(); ++d) {
    auto rec_or = detail::input_record(r.documents[d], reader);
    if (!rec_or)
      return rec_or.error();
    ojson& rec = *rec_or;
    rec["cluster"] = cluster_value(r, d);
    rec["representative"] =
        r.cluster_of[d] < 0
            ? ojson(nullptr)
            : ojson(
                  r.documents[r.clusters[static_cast<std::size_t>(r.cluster_of[d])].representative]
                      .id);
    out += detail::dump(rec, true);
  }
  return out;
}

std::string render_csv(const dedup_result& r) {
  std::string out = "a,b,kind,jaccard,a_in_b,b_in_a,shared,cluster\n";
  for (const auto& p : r.pairs) {
    out += csv_field(r.documents[p.a].id) + "," + csv_field(r.documents[p.b].id) + "," +
           to_string(p.kind) + "," + format_score(p.jaccard) + "," + format_score(p.a_in_b) + "," +
           format_score(p.b_in_a) + "," + std::to_string(p.shared) + "," +
           std::to_string(r.cluster_of[p.a] + 1) + "\n";
  }
  return out;
}

} // namespace

result<void> render(std::ostream& out, const dedup_result& r, output_format format,
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
