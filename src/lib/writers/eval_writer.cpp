// Eval writers: an evaluation result -> table or JSON (stable keys: pairwise, bcubed, ari, nmi,
// auc, spearman, counts, missing), and a threshold sweep -> a self-contained SVG line chart.
// Undefined metrics (NaN) are printed as null, with the reason in "notes".
#include "writers/json_common.hpp"

#include <copydesk/writers.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace copydesk {

namespace {

using detail::ojson;
using detail::round6;

ojson number(double x) { return std::isnan(x) ? ojson(nullptr) : ojson(round6(x)); }

ojson prf_json(const prf& s) {
  ojson j;
  j["precision"] = number(s.precision);
  j["recall"] = number(s.recall);
  j["f1"] = number(s.f1);
  return j;
}

std::string fixed(double x, int decimals = 4) {
  if (std::isnan(x))
    return "null";
  char buf[48];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, x);
  return buf;
}

std::string pad(std::string s, std::size_t w) {
  if (s.size() < w)
    s.append(w - s.size(), ' ');
  return s;
}

/// Index of the sweep point with the highest F1 (the lowest threshold among equals).
std::size_t best_point(const std::vector<threshold_point>& sweep) {
  std::size_t best = 0;
  for (std::size_t i = 1; i < sweep.size(); ++i) {
    if (sweep[i].scores.f1 > sweep[best].scores.f1)
      best = i;
  }
  return best;
}

std::string level_name(const eval_result& r) {
  return r.level == cluster_level::groups ? "story groups" : "dedup clusters";
}

std::string buckets_text(const grade_buckets& b) {
  return "none < " + fixed(b.heavy, 2) + " <= heavy < " + fixed(b.light, 2) + " <= light < " +
         fixed(b.cut, 2) + " <= cut";
}

ojson params_json(const eval_result& r) {
  ojson p;
  p["truth"] = r.options.truth_name;
  p["result"] = r.options.result_name;
  p["result_command"] = r.result_command;
  p["kind"] = to_string(r.kind);
  switch (r.kind) {
  case eval_kind::clusters:
    p["level"] = to_string(r.level);
    break;
  case eval_kind::pairs:
    // Same-story pair labels against story groups: scored by cosine, decided by the groups.
    p["score"] = r.level == cluster_level::groups ? "cosine" : to_string(r.options.score);
    if (r.level == cluster_level::groups)
      p["level"] = to_string(r.level);
    p["threshold"] = r.options.threshold ? ojson(*r.options.threshold) : ojson(nullptr);
    break;
  case eval_kind::grades: {
    ojson b;
    b["heavy"] = r.options.buckets.heavy;
    b["light"] = r.options.buckets.light;
    b["cut"] = r.options.buckets.cut;
    p["buckets"] = std::move(b);
    p["grades"] = to_string(r.grade_kind);
    if (r.grade_kind == grade_values::scale)
      p["scale"] = r.options.scale;
    break;
  }
  }
  if (r.kind != eval_kind::clusters) {
    p["sweep"] = r.options.sweep_spec.empty() ? ojson(nullptr) : ojson(r.options.sweep_spec);
  } else if (!r.options.sweep_spec.empty()) {
    p["sweep"] = r.options.sweep_spec;
  }
  return p;
}

ojson sweep_point_json(const threshold_point& pt) {
  ojson j;
  j["threshold"] = round6(pt.threshold);
  if (pt.clustering) {
    // Story groups formed again at this threshold: the keys of a clusters evaluation, with the
    // same-group pair decisions as a confusion table. The best point is the best B-cubed F1.
    j["predicted_clusters"] = pt.clustering->predicted_clusters;
    j["pairwise"] = prf_json(pt.clustering->pairwise);
    j["bcubed"] = prf_json(pt.clustering->bcubed);
    j["ari"] = number(pt.clustering->ari);
    j["nmi"] = number(pt.clustering->nmi);
    j["same_group_pairs"] = {
        {"tp", pt.counts.tp}, {"fp", pt.counts.fp}, {"fn", pt.counts.fn}, {"tn", pt.counts.tn}};
    return j;
  }
  j["precision"] = number(pt.scores.precision);
  j["recall"] = number(pt.scores.recall);
  j["f1"] = number(pt.scores.f1);
  j["tp"] = pt.counts.tp;
  j["fp"] = pt.counts.fp;
  j["fn"] = pt.counts.fn;
  j["tn"] = pt.counts.tn;
  return j;
}

std::string render_json(const eval_result& r) {
  ojson j = detail::envelope("eval", params_json(r));
  ojson counts;
  switch (r.kind) {
  case eval_kind::clusters:
    counts["documents"] = r.gold_rows;
    counts["missing"] = r.missing;
    counts["unlabelled"] = r.unlabelled;
    counts["gold_clusters"] = r.clustering.gold_clusters;
    counts["predicted_clusters"] = r.clustering.predicted_clusters;
    counts["gold_pairs"] = r.clustering.pairs.same_gold;
    counts["predicted_pairs"] = r.clustering.pairs.same_predicted;
    counts["agreeing_pairs"] = r.clustering.pairs.same_both;
    j["counts"] = std::move(counts);
    j["pairwise"] = prf_json(r.clustering.pairwise);
    j["bcubed"] = prf_json(r.clustering.bcubed);
    j["ari"] = number(r.clustering.ari);
    j["nmi"] = number(r.clustering.nmi);
    break;
  case eval_kind::pairs: {
    counts["pairs"] = r.gold_rows;
    counts["positives"] = r.positives;
    counts["negatives"] = r.negatives;
    counts["scored"] = r.scored;
    counts["missing"] = r.missing;
    counts["unlabelled"] = r.unlabelled;
    j["counts"] = std::move(counts);
    j["pairwise"] = prf_json(r.decision_prf);
    ojson c;
    c["tp"] = r.decisions.tp;
    c["fp"] = r.decisions.fp;
    c["fn"] = r.decisions.fn;
    c["tn"] = r.decisions.tn;
    j["confusion"] = std::move(c);
    j["auc"] = number(r.auc);
    break;
  }
  case eval_kind::grades: {
    counts["rows"] = r.gold_rows;
    counts["positives"] = r.positives;
    counts["negatives"] = r.negatives;
    counts["scored"] = r.scored;
    counts["missing"] = r.missing;
    counts["unlabelled"] = r.unlabelled;
    j["counts"] = std::move(counts);
    j["spearman"] = number(r.spearman);
    j["auc"] = number(r.auc);
    ojson b;
    b["accuracy"] = number(r.bucket_accuracy);
    if (!std::isnan(r.bucket_accuracy)) {
      ojson confusion;
      for (std::size_t g = 0; g < 4; ++g) {
        ojson row;
        for (std::size_t p = 0; p < 4; ++p) {
          row[to_string(static_cast<borrow_grade>(p))] = r.bucket_confusion[g][p];
        }
        confusion[to_string(static_cast<borrow_grade>(g))] = std::move(row);
      }
      b["confusion"] = std::move(confusion);
    }
    j["buckets"] = std::move(b);
    break;
  }
  }
  if (!r.sweep.empty()) {
    ojson s = ojson::array();
    for (const auto& pt : r.sweep)
      s.push_back(sweep_point_json(pt));
    j["sweep"] = std::move(s);
    j["best"] = sweep_point_json(r.sweep[best_point(r.sweep)]);
  }
  j["missing"] = r.missing_ids;
  j["notes"] = r.notes;
  return detail::dump(j);
}

std::string table_prf_row(const std::string& name, const prf& s) {
  return pad(name, 13) + pad(fixed(s.precision), 11) + pad(fixed(s.recall), 8) + fixed(s.f1) + "\n";
}

std::string render_sweep_table(const eval_result& r) {
  const bool groups = r.sweep.front().clustering.has_value();
  std::string out = "\n";
  if (groups)
    out += "story groups formed again at each threshold (B-cubed; clusters include singletons)\n";
  else if (r.kind == eval_kind::pairs && r.level == cluster_level::groups)
    out += "a pair is decided same story when its documents share a group formed again at each "
           "threshold\n";
  out += pad("threshold", 11) + pad("precision", 11) + pad("recall", 8) + pad("f1", 8) +
         (groups ? pad("ari", 8) + "clusters\n" : pad("tp", 8) + pad("fp", 8) + "fn\n");
  const std::size_t best = best_point(r.sweep);
  for (std::size_t i = 0; i < r.sweep.size(); ++i) {
    const auto& pt = r.sweep[i];
    out += pad(fixed(pt.threshold), 11) + pad(fixed(pt.scores.precision), 11) +
           pad(fixed(pt.scores.recall), 8) + pad(fixed(pt.scores.f1), 8);
    out += groups ? pad(fixed(pt.clustering->ari), 8) +
                        pad(std::to_string(pt.clustering->predicted_clusters), 8)
                  : pad(std::to_string(pt.counts.tp), 8) + pad(std::to_string(pt.counts.fp), 8) +
                        pad(std::to_string(pt.counts.fn), 8);
    // Without the marker, no trailing spaces: the last column is not padded.
    while (!out.empty() && out.back() == ' ')
      out.pop_back();
    out += (i == best ? "   <- best F1" : "") + std::string("\n");
  }
  return out;
}

std::string render_table(const eval_result& r) {
  std::string out = "eval " + std::string(to_string(r.kind)) + ": " + r.options.truth_name +
                    " vs " + r.options.result_name;
  switch (r.kind) {
  case eval_kind::clusters: {
    const auto& c = r.clustering;
    out += " (" + level_name(r) + ")\n";
    out += "documents  " + std::to_string(r.gold_rows) + " labelled, " + std::to_string(r.missing) +
           " missing from the result (scored as singletons), " + std::to_string(r.unlabelled) +
           " unlabelled in the result (ignored)\n";
    out += "clusters   " + std::to_string(c.gold_clusters) + " gold, " +
           std::to_string(c.predicted_clusters) + " predicted (singletons included)\n";
    out += "pairs      " + std::to_string(c.pairs.same_gold) + " gold, " +
           std::to_string(c.pairs.same_predicted) + " predicted, " +
           std::to_string(c.pairs.same_both) + " in both\n\n";
    out += pad("metric", 13) + pad("precision", 11) + pad("recall", 8) + "f1\n";
    out += table_prf_row("pairwise", c.pairwise);
    out += table_prf_row("bcubed", c.bcubed);
    out += pad("ari", 13) + fixed(c.ari) + "\n";
    out += pad("nmi", 13) + fixed(c.nmi) + "\n";
    break;
  }
  case eval_kind::pairs: {
    const bool stories = r.level == cluster_level::groups;
    out += " (score " + std::string(stories ? "cosine" : to_string(r.options.score)) +
           ", decision: " +
           (r.options.threshold ? "score >= " + fixed(*r.options.threshold)
                                : std::string(stories ? "same story group" : "pair reported")) +
           ")\n";
    out += "pairs      " + std::to_string(r.gold_rows) + " labelled (" +
           std::to_string(r.positives) + (stories ? " same story, " : " duplicate, ") +
           std::to_string(r.negatives) + " not), " + std::to_string(r.scored) +
           " reported by the result, " + std::to_string(r.unlabelled) +
           " reported but unlabelled (ignored)\n";
    out += "documents  " + std::to_string(r.missing) + " missing from the result\n\n";
    out += pad("metric", 13) + pad("precision", 11) + pad("recall", 8) + "f1\n";
    out += table_prf_row("pairwise", r.decision_prf);
    out += pad("auc", 13) + fixed(r.auc) + "\n";
    out += pad("confusion", 13) + "tp " + std::to_string(r.decisions.tp) + "  fp " +
           std::to_string(r.decisions.fp) + "  fn " + std::to_string(r.decisions.fn) + "  tn " +
           std::to_string(r.decisions.tn) + "\n";
    break;
  }
  case eval_kind::grades: {
    out += " (borrowed share against graded borrowing)\n";
    out += "rows       " + std::to_string(r.gold_rows) + " labelled (" +
           std::to_string(r.positives) + " with borrowing, " + std::to_string(r.negatives) +
           " none), " + std::to_string(r.scored) + " scored by the result, " +
           std::to_string(r.unlabelled) + " unlabelled in the result (ignored)\n";
    out += "documents  " + std::to_string(r.missing) + " missing from the result\n\n";
    out += pad("spearman", 13) + fixed(r.spearman) + "\n";
    out += pad("auc", 13) + fixed(r.auc) + "   (none vs any borrowing)\n";
    out += pad("accuracy", 13) + fixed(r.bucket_accuracy) + "   (buckets " +
           buckets_text(r.options.buckets) + ")\n";
    if (!std::isnan(r.bucket_accuracy)) {
      // Rows: gold grade; columns: the tool's bucket. The last column is not padded.
      out += "\n" + pad("gold\\tool", 11);
      for (std::size_t p = 0; p < 4; ++p) {
        const std::string name = to_string(static_cast<borrow_grade>(p));
        out += p == 3 ? name : pad(name, 7);
      }
      out += "\n";
      for (std::size_t g = 0; g < 4; ++g) {
        out += pad(to_string(static_cast<borrow_grade>(g)), 11);
        for (std::size_t p = 0; p < 4; ++p) {
          const std::string n = std::to_string(r.bucket_confusion[g][p]);
          out += p == 3 ? n : pad(n, 7);
        }
        out += "\n";
      }
    }
    break;
  }
  }
  if (!r.sweep.empty())
    out += render_sweep_table(r);
  if (!r.missing_ids.empty()) {
    out += "\nmissing:";
    const std::size_t shown = std::min<std::size_t>(r.missing_ids.size(), 20);
    for (std::size_t i = 0; i < shown; ++i)
      out += " " + escape_controls(r.missing_ids[i]);
    if (shown < r.missing_ids.size()) {
      out += " ... and " + std::to_string(r.missing_ids.size() - shown) + " more";
    }
    out += "\n";
  }
  if (!r.notes.empty())
    out += "\n";
  for (const auto& n : r.notes)
    out += "note: " + n + "\n";
  return out;
}

// --- SVG chart ---------------------------------------------------------------------------------

std::string num(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", x);
  return buf;
}

/// A tick step of 1, 2 or 5 times a power of ten giving at most 10 intervals over `span`.
double tick_step(double span) {
  double step = 1e-3;
  const double mult[] = {1.0, 2.0, 5.0};
  for (int e = 0; e < 6; ++e) {
    for (const double m : mult) {
      if (span / (m * step) <= 10.0 + 1e-9)
        return m * step;
    }
    step *= 10.0;
  }
  return step;
}

} // namespace

result<void> render(std::ostream& out, const eval_result& r, output_format format,
                    const render_context& /*context*/) {
  switch (format) {
  case output_format::table:
    out << render_table(r);
    return {};
  case output_format::json:
    out << render_json(r);
    return {};
  case output_format::jsonl:
  case output_format::csv:
    break;
  }
  return make_error(errc::invalid_argument, "eval writes --format table or json");
}

result<std::string> render_sweep_svg(const eval_result& r) {
  if (r.sweep.empty()) {
    return make_error(errc::invalid_argument, "a plot needs a threshold sweep (--sweep)");
  }
  constexpr double width = 720;
  constexpr double height = 440;
  constexpr double left = 70;
  constexpr double right = width - 170; // room for the legend
  constexpr double top = 50;
  constexpr double bottom = height - 60;
  double x0 = r.sweep.front().threshold;
  double x1 = r.sweep.back().threshold;
  if (x1 - x0 < 1e-9) { // a single threshold: widen so the point sits in the middle
    x0 = std::max(0.0, x0 - 0.05);
    x1 = x0 + 0.1;
  }
  const auto sx = [&](double x) { return left + (x - x0) / (x1 - x0) * (right - left); };
  const auto sy = [&](double y) { return bottom - y * (bottom - top); };

  std::string s;
  s += "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  s += "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + num(width) + "\" height=\"" +
       num(height) + "\" viewBox=\"0 0 " + num(width) + " " + num(height) +
       "\" font-family=\"sans-serif\" font-size=\"12\">\n";
  std::string what = "grades, none vs any, borrowed share";
  if (r.kind == eval_kind::clusters)
    what = "story groups, B-cubed";
  else if (r.level == cluster_level::groups)
    what = "same-story pairs, shared group";
  else if (r.kind == eval_kind::pairs)
    what = "pairs, score " + std::string(to_string(r.options.score));
  s += "<title>" +
       html_escape("copydesk eval: precision, recall and F1 against the threshold (" + what + ")") +
       "</title>\n";
  s += "<rect x=\"0\" y=\"0\" width=\"" + num(width) + "\" height=\"" + num(height) +
       "\" fill=\"#ffffff\"/>\n";
  s += "<text x=\"" + num(left) + "\" y=\"24\" font-size=\"15\" font-weight=\"bold\">" +
       html_escape("Precision / recall / F1 vs threshold (" + what + ")") + "</text>\n";
  s += "<text x=\"" + num(left) + "\" y=\"40\" fill=\"#555555\">" +
       html_escape(r.options.truth_name + " vs " + r.options.result_name) + "</text>\n";

  // Grid and y ticks every 0.1, labels every 0.2.
  for (int i = 0; i <= 10; ++i) {
    const double y = sy(i / 10.0);
    s += "<line x1=\"" + num(left) + "\" y1=\"" + num(y) + "\" x2=\"" + num(right) + "\" y2=\"" +
         num(y) + "\" stroke=\"#e5e5e5\"/>\n";
    if (i % 2 == 0) {
      s += "<line x1=\"" + num(left - 5) + "\" y1=\"" + num(y) + "\" x2=\"" + num(left) +
           "\" y2=\"" + num(y) + "\" stroke=\"#333333\"/>\n";
      s += "<text x=\"" + num(left - 8) + "\" y=\"" + num(y + 4) + "\" text-anchor=\"end\">" +
           fixed(i / 10.0, 1) + "</text>\n";
    }
  }
  // x ticks at multiples of a 1-2-5 step inside [x0, x1].
  const double step = tick_step(x1 - x0);
  const int decimals = step >= 0.1 - 1e-12 ? 1 : (step >= 0.01 - 1e-12 ? 2 : 3);
  // ceil() of a tiny negative is -0, and -0 * step prints as "-0.0": start from +0 instead.
  for (double k = std::ceil(x0 / step - 1e-9) + 0.0; k * step <= x1 + 1e-9; k += 1.0) {
    const double x = sx(k * step);
    s += "<line x1=\"" + num(x) + "\" y1=\"" + num(top) + "\" x2=\"" + num(x) + "\" y2=\"" +
         num(bottom) + "\" stroke=\"#f0f0f0\"/>\n";
    s += "<line x1=\"" + num(x) + "\" y1=\"" + num(bottom) + "\" x2=\"" + num(x) + "\" y2=\"" +
         num(bottom + 5) + "\" stroke=\"#333333\"/>\n";
    s += "<text x=\"" + num(x) + "\" y=\"" + num(bottom + 19) + "\" text-anchor=\"middle\">" +
         fixed(k * step, decimals) + "</text>\n";
  }
  // Axes and their labels.
  s += "<line x1=\"" + num(left) + "\" y1=\"" + num(bottom) + "\" x2=\"" + num(right) + "\" y2=\"" +
       num(bottom) + "\" stroke=\"#333333\"/>\n";
  s += "<line x1=\"" + num(left) + "\" y1=\"" + num(top) + "\" x2=\"" + num(left) + "\" y2=\"" +
       num(bottom) + "\" stroke=\"#333333\"/>\n";
  s += "<text x=\"" + num((left + right) / 2) + "\" y=\"" + num(height - 18) +
       "\" text-anchor=\"middle\">" +
       (r.level == cluster_level::groups ? "story threshold (groups formed again at each)"
                                         : "threshold (positive when score &gt;= threshold)") +
       "</text>\n";
  s += "<text x=\"18\" y=\"" + num((top + bottom) / 2) +
       "\" text-anchor=\"middle\" transform=\"rotate(-90 18 " + num((top + bottom) / 2) +
       ")\">value</text>\n";

  // The best-F1 threshold as a dashed vertical line.
  const auto& best = r.sweep[best_point(r.sweep)];
  s += "<line x1=\"" + num(sx(best.threshold)) + "\" y1=\"" + num(top) + "\" x2=\"" +
       num(sx(best.threshold)) + "\" y2=\"" + num(bottom) +
       "\" stroke=\"#888888\" stroke-dasharray=\"4 3\"/>\n";

  struct series {
    const char* name;
    const char* colour;
    double (*get)(const threshold_point&);
    const char* dash;
  };
  const series lines[] = {
      {"precision", "#1b6ac9", [](const threshold_point& p) { return p.scores.precision; }, ""},
      {"recall", "#d9480f", [](const threshold_point& p) { return p.scores.recall; }, "6 3"},
      {"F1", "#2b8a3e", [](const threshold_point& p) { return p.scores.f1; }, ""},
  };
  const bool markers = r.sweep.size() <= 60;
  for (const auto& line : lines) {
    std::string points;
    for (const auto& pt : r.sweep) {
      if (!points.empty())
        points += " ";
      points += num(sx(pt.threshold)) + "," + num(sy(line.get(pt)));
    }
    s += "<polyline fill=\"none\" stroke=\"" + std::string(line.colour) + "\" stroke-width=\"2\"" +
         (*line.dash != '\0' ? " stroke-dasharray=\"" + std::string(line.dash) + "\"" : "") +
         " points=\"" + points + "\"/>\n";
    if (markers) {
      for (const auto& pt : r.sweep) {
        s += "<circle cx=\"" + num(sx(pt.threshold)) + "\" cy=\"" + num(sy(line.get(pt))) +
             "\" r=\"2.5\" fill=\"" + line.colour + "\"/>\n";
      }
    }
  }

  // Legend, with the best F1 spelled out.
  const double lx = right + 20;
  double ly = top + 10;
  for (const auto& line : lines) {
    s += "<line x1=\"" + num(lx) + "\" y1=\"" + num(ly) + "\" x2=\"" + num(lx + 24) + "\" y2=\"" +
         num(ly) + "\" stroke=\"" + line.colour + "\" stroke-width=\"2\"" +
         (*line.dash != '\0' ? " stroke-dasharray=\"" + std::string(line.dash) + "\"" : "") +
         "/>\n";
    s += "<text x=\"" + num(lx + 30) + "\" y=\"" + num(ly + 4) + "\">" + line.name + "</text>\n";
    ly += 20;
  }
  s += "<line x1=\"" + num(lx) + "\" y1=\"" + num(ly) + "\" x2=\"" + num(lx + 24) + "\" y2=\"" +
       num(ly) + "\" stroke=\"#888888\" stroke-dasharray=\"4 3\"/>\n";
  s += "<text x=\"" + num(lx + 30) + "\" y=\"" + num(ly + 4) + "\">best F1</text>\n";
  ly += 22;
  s += "<text x=\"" + num(lx) + "\" y=\"" + num(ly) + "\" fill=\"#555555\">F1 " +
       fixed(best.scores.f1, 3) + " at " + fixed(best.threshold, 3) + "</text>\n";
  s += "<text x=\"" + num(lx) + "\" y=\"" + num(ly + 16) + "\" fill=\"#555555\">P " +
       fixed(best.scores.precision, 3) + ", R " + fixed(best.scores.recall, 3) + "</text>\n";
  s += "</svg>\n";
  return s;
}

} // namespace copydesk
