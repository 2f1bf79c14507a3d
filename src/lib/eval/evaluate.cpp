// Joins a gold file with a copydesk result: gold rows + tool output -> labelings or scores and
// decisions -> metrics (and a threshold sweep). Ids are matched exactly; gold ids the result
// lacks are counted as missing, result entries the gold file lacks are counted as unlabelled.
#include <copydesk/cluster.hpp>
#include <copydesk/metrics.hpp>
#include <copydesk/output.hpp>

#include <algorithm>
#include <cmath>
#include <set>
#include <span>
#include <unordered_map>
#include <unordered_set>

namespace copydesk {

namespace {

std::string pair_key(std::string_view a, std::string_view b) {
  // NUL cannot occur inside ids read from TSV lines, and JSON ids with NUL are vanishingly rare;
  // the key only has to be unambiguous for the ids at hand.
  const auto [lo, hi] = std::minmax(a, b);
  std::string key(lo);
  key.push_back('\0');
  key.append(hi);
  return key;
}

void note_nan(eval_result& r, double value, const std::string& why) {
  if (std::isnan(value))
    r.notes.push_back(why);
}

/// Which clustering of `out` a clusters gold file or a stories sweep is compared with.
result<cluster_level> resolve_level(const tool_output& out, const eval_result& r) {
  cluster_level level = r.options.level;
  if (level == cluster_level::automatic) {
    if (out.has_clusters && out.has_groups) {
      return make_error(errc::invalid_argument,
                        r.options.result_name +
                            " has both dedup clusters and story groups; choose one with "
                            "--level clusters|groups");
    }
    if (!out.has_clusters && !out.has_groups) {
      return make_error(errc::invalid_argument,
                        r.options.result_name +
                            " has no \"clusters\" or \"groups\" (expected copydesk dedup or "
                            "stories --format json output)");
    }
    level = out.has_clusters ? cluster_level::clusters : cluster_level::groups;
  }
  const bool use_clusters = level == cluster_level::clusters;
  if (use_clusters ? !out.has_clusters : !out.has_groups) {
    return make_error(errc::invalid_argument, r.options.result_name + " has no \"" +
                                                  (use_clusters ? "clusters" : "groups") +
                                                  "\" for --level " + to_string(level));
  }
  if (!out.has_documents) {
    return make_error(errc::invalid_argument,
                      r.options.result_name + " has no \"documents\" array, so documents in no " +
                          "cluster cannot be told from missing ones");
  }
  return level;
}

/// The scored pairs of a stories result, as a graph over its documents, to group them again at
/// other thresholds.
struct story_graph {
  std::vector<std::string_view> ids; ///< out.documents, in order
  std::vector<scored_pair> pairs;    ///< a < b, by (a, b)
};

result<story_graph> make_story_graph(const tool_output& out, const eval_result& r) {
  if (!out.has_pairs || std::any_of(out.pairs.begin(), out.pairs.end(),
                                    [](const auto& p) { return std::isnan(p.cosine); })) {
    return make_error(errc::invalid_argument,
                      r.options.result_name +
                          " has no story pairs with \"cosine\": a sweep of story groups forms "
                          "the groups again from them (run copydesk stories --format json "
                          "--pairs)");
  }
  const double floor = out.min_similarity.value_or(0.0);
  for (const double t : r.options.sweep) {
    if (t < floor || t <= 0.0) {
      return make_error(errc::invalid_argument,
                        "sweep threshold " + format_score(t) + " is below the pair floor " +
                            format_score(floor) + " of " + r.options.result_name +
                            " (pairs under it were not listed; run stories with "
                            "--min-similarity at most the sweep's lowest threshold, above 0)");
    }
  }
  story_graph g;
  g.ids.assign(out.documents.begin(), out.documents.end());
  std::unordered_map<std::string_view, doc_index> index;
  for (std::size_t i = 0; i < g.ids.size(); ++i)
    index.emplace(g.ids[i], static_cast<doc_index>(i));
  for (std::size_t i = 0; i < out.pairs.size(); ++i) {
    const auto& p = out.pairs[i];
    const auto a = index.find(p.a);
    const auto b = index.find(p.b);
    if (a == index.end() || b == index.end() || a->second == b->second) {
      return make_error(errc::invalid_input, r.options.result_name + ": pairs[" +
                                                 std::to_string(i) +
                                                 "] does not join two documents of \"documents\"");
    }
    const auto [lo, hi] = std::minmax(a->second, b->second);
    g.pairs.push_back({lo, hi, std::clamp(p.cosine, 0.0, 1.0)});
  }
  std::sort(g.pairs.begin(), g.pairs.end(), [](const scored_pair& x, const scored_pair& y) {
    return std::pair(x.a, x.b) < std::pair(y.a, y.b);
  });
  const auto same =
      std::adjacent_find(g.pairs.begin(), g.pairs.end(),
                         [](const auto& x, const auto& y) { return x.a == y.a && x.b == y.b; });
  if (same != g.pairs.end()) {
    return make_error(errc::invalid_input, r.options.result_name + ": the pair " +
                                               std::string(g.ids[same->a]) + ", " +
                                               std::string(g.ids[same->b]) + " is listed twice");
  }
  return g;
}

/// Groups of `g` by average link at `threshold`, as member lists (groups of one left out, as
/// in the stories output: every document is still listed in "documents").
std::vector<std::vector<std::string>> groups_at(const story_graph& g, double threshold) {
  std::vector<std::vector<std::string>> lists;
  for (const auto& members : average_link(g.ids.size(), g.pairs, threshold)) {
    if (members.size() < 2)
      continue;
    auto& list = lists.emplace_back();
    for (const auto m : members)
      list.emplace_back(g.ids[m]);
  }
  return lists;
}

/// Scores the clustering `lists` (members of each cluster) against the gold labels; with
/// `record`, also fills the counts of r (missing and unlabelled documents, gold rows).
clustering_scores score_lists(const gold_file& gold, const tool_output& out,
                              const std::vector<std::vector<std::string>>& lists, eval_result& r,
                              bool record) {
  // Predicted label: the cluster's index for members, a fresh label for everything else
  // (documents alone, and gold documents the result lacks: singletons).
  std::unordered_map<std::string_view, std::uint32_t> cluster_of;
  for (std::size_t c = 0; c < lists.size(); ++c) {
    for (const auto& m : lists[c])
      cluster_of.emplace(m, static_cast<std::uint32_t>(c));
  }
  std::unordered_set<std::string_view> present(out.documents.begin(), out.documents.end());
  std::unordered_map<std::string_view, std::uint32_t> gold_label_of;
  std::unordered_set<std::string_view> gold_ids;
  std::vector<std::uint32_t> predicted;
  std::vector<std::uint32_t> truth;
  auto next_label = static_cast<std::uint32_t>(lists.size());
  for (const auto& row : gold.labels) {
    gold_ids.insert(row.id);
    const auto [g, fresh] =
        gold_label_of.emplace(row.label, static_cast<std::uint32_t>(gold_label_of.size()));
    (void)fresh;
    truth.push_back(g->second);
    if (const auto it = cluster_of.find(row.id); it != cluster_of.end()) {
      predicted.push_back(it->second);
    } else {
      predicted.push_back(next_label++);
      if (record && present.count(row.id) == 0)
        r.missing_ids.push_back(row.id);
    }
  }
  if (record) {
    for (const auto& id : out.documents)
      r.unlabelled += gold_ids.count(id) == 0 ? 1 : 0;
    r.gold_rows = gold.labels.size();
  }
  return score_clustering(predicted, truth);
}

/// A sweep point from a clustering: B-cubed P/R/F1, same-cluster pairs as decisions.
threshold_point clustering_point(double threshold, const clustering_scores& c) {
  threshold_point pt;
  pt.threshold = threshold;
  pt.scores = c.bcubed;
  pt.counts.tp = c.pairs.same_both;
  pt.counts.fp = c.pairs.same_predicted - c.pairs.same_both;
  pt.counts.fn = c.pairs.same_gold - c.pairs.same_both;
  pt.counts.tn = c.pairs.total - c.pairs.same_predicted - pt.counts.fn;
  pt.clustering = c;
  return pt;
}

result<void> evaluate_clusters(const gold_file& gold, const tool_output& out, eval_result& r) {
  auto level = resolve_level(out, r);
  if (!level)
    return level.error();
  r.level = *level;
  const bool use_clusters = r.level == cluster_level::clusters;
  if (use_clusters && !r.options.sweep.empty()) {
    return make_error(errc::invalid_argument,
                      "--sweep on a clusters gold file applies to story groups (stories "
                      "--pairs output), not to dedup clusters");
  }
  r.clustering = score_lists(gold, out, use_clusters ? out.clusters : out.groups, r, true);
  note_nan(r, r.clustering.ari, "metrics are null: there are no labelled documents");
  if (!r.options.sweep.empty()) {
    auto graph = make_story_graph(out, r);
    if (!graph)
      return graph.error();
    for (const double t : r.options.sweep)
      r.sweep.push_back(
          clustering_point(t, score_lists(gold, out, groups_at(*graph, t), r, false)));
  }
  return {};
}

/// Class counts, P/R/F1 of r.decisions and the AUC of the pair scores.
void score_decisions(eval_result& r, std::span<const double> scores,
                     std::span<const std::uint8_t> truth) {
  r.positives = r.decisions.tp + r.decisions.fn;
  r.negatives = r.decisions.fp + r.decisions.tn;
  r.decision_prf = decision_scores(r.decisions);
  r.auc = roc_auc(scores, truth);
  note_nan(r, r.auc,
           std::string("auc is null: the gold pairs are all ") +
               (r.positives == 0 ? "negative (0)" : "positive (1)") + ", AUC needs both classes");
}

/// Same-story pair labels against a stories result: a pair is decided positive when both of its
/// documents are in one story group (with --threshold: when its cosine reaches it); its score
/// (AUC) is its cosine when the result lists it (--pairs), else 0. A sweep forms the groups
/// again at each threshold.
result<void> evaluate_story_pairs(const gold_file& gold, const tool_output& out, eval_result& r) {
  if (!out.has_documents) {
    return make_error(errc::invalid_argument,
                      r.options.result_name + " has no \"documents\" array, so documents in no " +
                          "group cannot be told from missing ones");
  }
  r.level = cluster_level::groups;
  std::unordered_map<std::string, double> cosine_of;
  for (const auto& p : out.pairs)
    cosine_of.emplace(pair_key(p.a, p.b), p.cosine);
  std::unordered_set<std::string_view> present(out.documents.begin(), out.documents.end());
  std::set<std::string> missing;
  std::unordered_set<std::string> gold_keys;
  std::vector<double> scores;
  std::vector<std::uint8_t> truth;
  for (const auto& row : gold.pairs) {
    std::string key = pair_key(row.a, row.b);
    for (const auto& id : {row.a, row.b}) {
      if (present.count(id) == 0)
        missing.insert(id);
    }
    const auto it = cosine_of.find(key);
    r.scored += it != cosine_of.end() ? 1 : 0;
    scores.push_back(it != cosine_of.end() ? it->second : 0.0);
    truth.push_back(row.positive ? 1 : 0);
    gold_keys.insert(std::move(key));
  }
  for (const auto& p : out.pairs)
    r.unlabelled += gold_keys.count(pair_key(p.a, p.b)) == 0 ? 1 : 0;
  r.missing_ids.assign(missing.begin(), missing.end());
  r.gold_rows = gold.pairs.size();

  // Same-group decisions for the gold pairs under the member lists `lists`.
  const auto same_group = [&](const std::vector<std::vector<std::string>>& lists) {
    std::unordered_map<std::string_view, std::size_t> group_of;
    for (std::size_t g = 0; g < lists.size(); ++g) {
      for (const auto& m : lists[g])
        group_of.emplace(m, g);
    }
    std::vector<std::uint8_t> decided;
    for (const auto& row : gold.pairs) {
      const auto a = group_of.find(row.a);
      const auto b = group_of.find(row.b);
      decided.push_back(a != group_of.end() && b != group_of.end() && a->second == b->second);
    }
    return count_decisions(decided, truth);
  };
  if (r.options.threshold) {
    std::vector<std::uint8_t> decided(scores.size());
    std::transform(scores.begin(), scores.end(), decided.begin(),
                   [&](double sc) { return sc >= *r.options.threshold ? 1 : 0; });
    r.decisions = count_decisions(decided, truth);
  } else {
    r.decisions = same_group(out.groups);
  }
  score_decisions(r, scores, truth);
  if (!r.options.sweep.empty()) {
    auto graph = make_story_graph(out, r);
    if (!graph)
      return graph.error();
    for (const double t : r.options.sweep) {
      threshold_point pt;
      pt.threshold = t;
      pt.counts = same_group(groups_at(*graph, t));
      pt.scores = decision_scores(pt.counts);
      r.sweep.push_back(pt);
    }
  }
  return {};
}

result<void> evaluate_pairs(const gold_file& gold, const tool_output& out, eval_result& r) {
  if (out.has_groups && !out.has_clusters &&
      (out.command == "stories" ||
       std::all_of(out.pairs.begin(), out.pairs.end(),
                   [](const auto& p) { return !std::isnan(p.cosine); }))) {
    return evaluate_story_pairs(gold, out, r);
  }
  if (!out.has_pairs) {
    return make_error(errc::invalid_argument,
                      r.options.result_name +
                          " has no \"pairs\" (pairs gold files are scored against copydesk "
                          "dedup --format json output)");
  }
  std::unordered_map<std::string, std::size_t> index;
  for (std::size_t i = 0; i < out.pairs.size(); ++i) {
    index.emplace(pair_key(out.pairs[i].a, out.pairs[i].b), i);
  }
  std::unordered_set<std::string_view> present(out.documents.begin(), out.documents.end());
  std::set<std::string> missing;
  std::unordered_set<std::string> gold_keys;
  std::vector<double> scores;
  std::vector<std::uint8_t> truth;
  std::vector<std::uint8_t> decided;
  for (const auto& row : gold.pairs) {
    const std::string key = pair_key(row.a, row.b);
    gold_keys.insert(key);
    if (out.has_documents) {
      if (present.count(row.a) == 0)
        missing.insert(row.a);
      if (present.count(row.b) == 0)
        missing.insert(row.b);
    }
    double score = 0.0;
    bool reported = false;
    if (const auto it = index.find(key); it != index.end()) {
      const auto& p = out.pairs[it->second];
      const bool same_order = p.a == row.a;
      const double ab = same_order ? p.a_in_b : p.b_in_a;
      const double ba = same_order ? p.b_in_a : p.a_in_b;
      switch (r.options.score) {
      case pair_score::jaccard:
        score = p.jaccard;
        break;
      case pair_score::a_in_b:
        score = ab;
        break;
      case pair_score::b_in_a:
        score = ba;
        break;
      case pair_score::max_containment:
        score = std::max(ab, ba);
        break;
      }
      if (std::isnan(score)) {
        return make_error(errc::invalid_input,
                          r.options.result_name + ": pairs lack the score \"" +
                              (r.options.score == pair_score::jaccard ? "jaccard" : "a_in_b") +
                              "\" needed by --score " + to_string(r.options.score));
      }
      reported = true;
      ++r.scored;
    }
    scores.push_back(score);
    truth.push_back(row.positive ? 1 : 0);
    decided.push_back(r.options.threshold ? (score >= *r.options.threshold ? 1 : 0)
                                          : (reported ? 1 : 0));
  }
  for (const auto& p : out.pairs)
    r.unlabelled += gold_keys.count(pair_key(p.a, p.b)) == 0 ? 1 : 0;
  r.missing_ids.assign(missing.begin(), missing.end());
  if (!out.has_documents) {
    r.notes.push_back(r.options.result_name +
                      " has no \"documents\": missing documents cannot be counted");
  }
  r.gold_rows = gold.pairs.size();
  r.decisions = count_decisions(decided, truth);
  score_decisions(r, scores, truth);
  if (!r.options.sweep.empty())
    r.sweep = sweep_thresholds(scores, truth, r.options.sweep);
  return {};
}

result<void> evaluate_grades(const gold_file& gold, const tool_output& out, eval_result& r) {
  if (!out.has_results) {
    return make_error(errc::invalid_argument,
                      r.options.result_name +
                          " has no \"results\" (grades gold files are scored against copydesk "
                          "borrow --format json output)");
  }
  std::unordered_map<std::string, double> borrowed;
  std::unordered_set<std::string_view> references;
  for (const auto& b : out.borrowings) {
    borrowed.emplace(pair_key(b.copy, b.reference), b.borrowed);
    references.insert(b.reference);
  }
  const std::unordered_set<std::string_view> copies(out.result_ids.begin(), out.result_ids.end());
  std::set<std::string> missing;
  std::set<std::string_view> unseen_references;
  std::unordered_set<std::string> gold_keys;
  std::vector<double> scores;
  std::vector<double> grades;
  std::vector<std::uint8_t> any;
  // The tool's buckets are four named grades; other scales have no defined mapping onto them.
  const bool buckets_apply = gold.named_grades;
  for (const auto& row : gold.grades) {
    const std::string key = pair_key(row.copy, row.reference);
    gold_keys.insert(key);
    if (copies.count(row.copy) == 0)
      missing.insert(row.copy);
    if (references.count(row.reference) == 0)
      unseen_references.insert(row.reference);
    double score = 0.0;
    if (const auto it = borrowed.find(key); it != borrowed.end()) {
      score = it->second;
      ++r.scored;
    }
    scores.push_back(score);
    grades.push_back(row.grade);
    any.push_back(row.grade > 0 ? 1 : 0);
    if (buckets_apply) {
      const auto predicted = bucket_of(score, r.options.buckets);
      ++r.bucket_confusion[static_cast<std::size_t>(row.grade)]
                          [static_cast<std::size_t>(predicted)];
    }
  }
  for (const auto& b : out.borrowings) {
    r.unlabelled += gold_keys.count(pair_key(b.copy, b.reference)) == 0 ? 1 : 0;
  }
  r.missing_ids.assign(missing.begin(), missing.end());
  r.gold_rows = gold.grades.size();
  for (const auto a : any)
    (a != 0 ? r.positives : r.negatives) += 1;
  r.spearman = spearman(grades, scores);
  r.auc = roc_auc(scores, any);
  if (buckets_apply) {
    std::uint64_t hits = 0;
    for (std::size_t g = 0; g < 4; ++g)
      hits += r.bucket_confusion[g][g];
    r.bucket_accuracy = static_cast<double>(hits) / static_cast<double>(r.gold_rows);
  } else {
    r.bucket_accuracy = std::numeric_limits<double>::quiet_NaN();
    r.notes.emplace_back(
        gold.values == grade_values::scale
            ? "bucket accuracy is null: the tool's four buckets (none, heavy, light, cut) need a "
              "--scale of four names"
            : "bucket accuracy is null: the tool's buckets are named, so it needs grades given as "
              "none/heavy/light/cut (or a --scale of four names), not numbers");
  }
  note_nan(r, r.spearman,
           r.gold_rows < 2 ? std::string("spearman is null: it needs at least two rows")
                           : std::string("spearman is null: the gold grades or the borrowed "
                                         "shares are all equal"));
  note_nan(r, r.auc,
           std::string("auc is null: the gold grades are all ") +
               (r.positives == 0 ? "none" : "above none") + ", AUC needs both classes");
  if (!unseen_references.empty()) {
    std::string list;
    for (const auto ref : unseen_references)
      list += (list.empty() ? "" : ", ") + std::string(ref);
    r.notes.push_back(std::to_string(unseen_references.size()) +
                      " gold reference(s) never appear as a source in " + r.options.result_name +
                      ": " + list);
  }
  if (!r.options.sweep.empty())
    r.sweep = sweep_thresholds(scores, any, r.options.sweep);
  return {};
}

} // namespace

const char* to_string(cluster_level l) noexcept {
  switch (l) {
  case cluster_level::automatic:
    return "auto";
  case cluster_level::clusters:
    return "clusters";
  case cluster_level::groups:
    return "groups";
  }
  return "auto";
}

result<cluster_level> parse_cluster_level(std::string_view name) {
  if (name == "auto")
    return cluster_level::automatic;
  if (name == "clusters")
    return cluster_level::clusters;
  if (name == "groups")
    return cluster_level::groups;
  return make_error(errc::invalid_argument,
                    "unknown level \"" + std::string(name) + "\" (expected clusters or groups)");
}

const char* to_string(pair_score s) noexcept {
  switch (s) {
  case pair_score::jaccard:
    return "jaccard";
  case pair_score::a_in_b:
    return "a_in_b";
  case pair_score::b_in_a:
    return "b_in_a";
  case pair_score::max_containment:
    return "max_containment";
  }
  return "jaccard";
}

result<pair_score> parse_pair_score(std::string_view name) {
  if (name == "jaccard")
    return pair_score::jaccard;
  if (name == "a_in_b")
    return pair_score::a_in_b;
  if (name == "b_in_a")
    return pair_score::b_in_a;
  if (name == "max_containment")
    return pair_score::max_containment;
  return make_error(errc::invalid_argument,
                    "unknown score \"" + std::string(name) +
                        "\" (expected jaccard, a_in_b, b_in_a or max_containment)");
}

result<eval_result> evaluate(const gold_file& gold, const tool_output& out,
                             const eval_options& options) {
  eval_result r;
  r.kind = gold.kind;
  r.options = options;
  r.result_command = out.command;
  r.named_grades = gold.named_grades;
  r.grade_kind = gold.values;
  if (auto v = options.buckets.validate(); !v)
    return v.error();
  if (options.threshold && gold.kind != eval_kind::pairs) {
    return make_error(errc::invalid_argument, "--threshold applies to pairs gold files only");
  }
  if (options.threshold && !(*options.threshold >= 0.0 && *options.threshold <= 1.0)) {
    return make_error(errc::invalid_argument, "--threshold must be in [0,1]");
  }
  result<void> done;
  switch (gold.kind) {
  case eval_kind::clusters:
    done = evaluate_clusters(gold, out, r);
    break;
  case eval_kind::pairs:
    done = evaluate_pairs(gold, out, r);
    break;
  case eval_kind::grades:
    done = evaluate_grades(gold, out, r);
    break;
  }
  if (!done)
    return done.error();
  std::sort(r.missing_ids.begin(), r.missing_ids.end());
  r.missing = r.missing_ids.size();
  return r;
}

} // namespace copydesk
