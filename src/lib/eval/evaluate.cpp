// Joins a gold file with a copydesk result: gold rows + tool output -> labelings or scores and
// decisions -> metrics (and a threshold sweep). Ids are matched exactly; gold ids the result
// lacks are counted as missing, result entries the gold file lacks are counted as unlabelled.
#include <copydesk/metrics.hpp>

#include <algorithm>
#include <cmath>
#include <set>
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

result<void> evaluate_clusters(const gold_file& gold, const tool_output& out, eval_result& r) {
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
  r.level = level;
  const auto& lists = use_clusters ? out.clusters : out.groups;

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
      if (present.count(row.id) == 0)
        r.missing_ids.push_back(row.id);
    }
  }
  for (const auto& id : out.documents)
    r.unlabelled += gold_ids.count(id) == 0 ? 1 : 0;
  r.gold_rows = gold.labels.size();
  r.clustering = score_clustering(predicted, truth);
  note_nan(r, r.clustering.ari, "metrics are null: there are no labelled documents");
  return {};
}

result<void> evaluate_pairs(const gold_file& gold, const tool_output& out, eval_result& r) {
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
  r.positives = r.decisions.tp + r.decisions.fn;
  r.negatives = r.decisions.fp + r.decisions.tn;
  r.decision_prf = decision_scores(r.decisions);
  r.auc = roc_auc(scores, truth);
  note_nan(r, r.auc,
           std::string("auc is null: the gold pairs are all ") +
               (r.positives == 0 ? "negative (0)" : "positive (1)") + ", AUC needs both classes");
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
  // The tool's buckets are named grades; an integer scale has no defined mapping onto them.
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
    grades.push_back(static_cast<double>(row.grade));
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
    r.notes.push_back("bucket accuracy is null: the tool's buckets are named, so it needs grades "
                      "given as none/heavy/light/cut, not integers");
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
  if (auto v = options.buckets.validate(); !v)
    return v.error();
  if (!options.sweep.empty() && gold.kind == eval_kind::clusters) {
    return make_error(errc::invalid_argument,
                      "--sweep applies to pairs and grades gold files, not clusters");
  }
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
