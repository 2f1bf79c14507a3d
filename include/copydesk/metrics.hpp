// Evaluation against gold labels: clustering metrics (pairwise, B-cubed, ARI, NMI), pair-decision
// metrics (P/R/F1, ROC AUC), graded-borrowing metrics (Spearman, AUC, bucket accuracy) and
// threshold sweeps; plus reading gold TSV files and copydesk JSON results, and `evaluate`, which
// joins the two. docs/EVALUATION.md explains every metric and convention.
#pragma once

#include <copydesk/error.hpp>

#include <array>
#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace copydesk {

// ---------------------------------------------------------------------------------------------
// Pure metrics. A metric that is undefined for its input returns NaN (quiet_NaN); writers print
// it as null with a note. Everything else is documented with its range.
// ---------------------------------------------------------------------------------------------

/// Precision, recall and F1 (their harmonic mean), each in [0,1].
struct prf {
  double precision = 0.0;
  double recall = 0.0;
  double f1 = 0.0;
};

/// P/R/F1 from counts: precision = hits / predicted, recall = hits / actual.
/// Conventions for empty denominators: precision = 1 when nothing was predicted (no false claim),
/// recall = 1 when there was nothing to find; F1 = 0 when precision + recall = 0.
/// @pre hits <= predicted and hits <= actual.
[[nodiscard]] prf make_prf(std::uint64_t hits, std::uint64_t predicted,
                           std::uint64_t actual) noexcept;

/// Contingency table of two labelings of the same N items (sparse: non-zero cells only).
/// Labels are arbitrary integers; they are renumbered densely in order of value.
struct contingency {
  struct cell {
    std::uint32_t predicted = 0; ///< dense predicted-cluster index
    std::uint32_t gold = 0;      ///< dense gold-class index
    std::uint64_t count = 0;     ///< items in both, >= 1
  };
  std::uint64_t items = 0;                    ///< N
  std::vector<std::uint64_t> predicted_sizes; ///< size of each predicted cluster
  std::vector<std::uint64_t> gold_sizes;      ///< size of each gold class
  std::vector<cell> cells;                    ///< sorted by (predicted, gold)
};

/// Builds the contingency table in O(N log N).
/// @pre predicted.size() == gold.size().
[[nodiscard]] contingency make_contingency(std::span<const std::uint32_t> predicted,
                                           std::span<const std::uint32_t> gold);

/// Unordered item pairs of a clustering comparison, counted from the contingency table in
/// O(cells) (never by enumerating the N(N-1)/2 pairs).
struct pair_counts {
  std::uint64_t total = 0;          ///< N(N-1)/2
  std::uint64_t same_both = 0;      ///< together in the prediction and in the gold labels
  std::uint64_t same_predicted = 0; ///< together in the prediction
  std::uint64_t same_gold = 0;      ///< together in the gold labels
};
[[nodiscard]] pair_counts count_pairs(const contingency& t) noexcept;

/// Pairwise P/R/F1 over same-cluster pairs (make_prf conventions: all singletons predicted and
/// gold gives 1/1/1). NaN for N = 0.
[[nodiscard]] prf pairwise_scores(const contingency& t) noexcept;

/// B-cubed P/R/F1 (Bagga & Baldwin 1998; Amigó et al. 2009): per-item precision
/// |C(i) ∩ G(i)| / |C(i)| and recall |C(i) ∩ G(i)| / |G(i)| averaged over items; F1 is the
/// harmonic mean of the averages. In (0,1]; NaN for N = 0.
[[nodiscard]] prf bcubed_scores(const contingency& t) noexcept;

/// Adjusted Rand index (Hubert & Arabie 1985), in [-1,1] (typically [-0.5,1]); 0 is chance.
/// 1 when the expected and maximum index coincide, which happens only for identical trivial
/// partitions (both all singletons, both one cluster) or N = 1. NaN for N = 0.
[[nodiscard]] double adjusted_rand_index(const contingency& t) noexcept;

/// Normalized mutual information with the arithmetic-mean normalisation
/// I(P;G) / ((H(P) + H(G)) / 2) (scikit-learn's default), in [0,1].
/// 1 when both labelings have zero entropy (both one cluster, or N = 1); NaN for N = 0.
[[nodiscard]] double normalized_mutual_information(const contingency& t) noexcept;

/// Every clustering metric at once.
struct clustering_scores {
  std::uint64_t items = 0;
  std::uint64_t predicted_clusters = 0; ///< including singletons
  std::uint64_t gold_clusters = 0;      ///< including singletons
  pair_counts pairs;
  prf pairwise;
  prf bcubed;
  double ari = 0.0;
  double nmi = 0.0;
};
/// @pre predicted.size() == gold.size().
[[nodiscard]] clustering_scores score_clustering(std::span<const std::uint32_t> predicted,
                                                 std::span<const std::uint32_t> gold);

/// Binary decisions against binary truth.
struct confusion {
  std::uint64_t tp = 0;
  std::uint64_t fp = 0;
  std::uint64_t fn = 0;
  std::uint64_t tn = 0;
};
/// Counts decisions (non-zero = positive). @pre predicted.size() == gold.size().
[[nodiscard]] confusion count_decisions(std::span<const std::uint8_t> predicted,
                                        std::span<const std::uint8_t> gold) noexcept;
/// P/R/F1 of a confusion matrix with make_prf conventions.
[[nodiscard]] prf decision_scores(const confusion& c) noexcept;

/// 1-based ranks of `values` in ascending order; tied values share the average of their ranks.
[[nodiscard]] std::vector<double> average_ranks(std::span<const double> values);

/// ROC AUC of `scores` for the positives in `gold` (non-zero = positive), by the Mann-Whitney U
/// statistic with average ranks for ties: the probability that a random positive scores above a
/// random negative, ties counting one half. In [0,1]; 0.5 when all scores are tied; NaN when
/// `gold` holds only one class or nothing. O(n log n). @pre scores.size() == gold.size().
[[nodiscard]] double roc_auc(std::span<const double> scores, std::span<const std::uint8_t> gold);

/// Spearman rank correlation: Pearson correlation of the average ranks. In [-1,1]; NaN when
/// n < 2 or either side is constant (its ranks have no variance). @pre x.size() == y.size().
[[nodiscard]] double spearman(std::span<const double> x, std::span<const double> y);

/// One threshold of a sweep: decisions are score >= threshold. A sweep of story groups (a
/// clusters gold file against `stories --pairs` output) groups again at each threshold: `scores`
/// is then B-cubed, `counts` counts same-group pairs, and `clustering` has every measure.
struct threshold_point {
  double threshold = 0.0;
  confusion counts;
  prf scores;
  std::optional<clustering_scores> clustering;
};
/// Decisions at every threshold in O((n + t) log n). @pre scores.size() == gold.size().
[[nodiscard]] std::vector<threshold_point> sweep_thresholds(std::span<const double> scores,
                                                            std::span<const std::uint8_t> gold,
                                                            std::span<const double> thresholds);

/// Parses a sweep "FROM:TO:STEP" (0 <= FROM <= TO, STEP > 0, at most 10001 points). Thresholds
/// are FROM + i*STEP for i = 0.. while <= TO (+1e-9 slack), rounded to 9 decimals so that 0.3 is
/// 0.3 and not 0.30000000000000004. errc::invalid_argument otherwise.
[[nodiscard]] result<std::vector<double>> parse_sweep(std::string_view spec);

// ---------------------------------------------------------------------------------------------
// Graded borrowing.
// ---------------------------------------------------------------------------------------------

/// Ordered borrowing grades, least to most borrowed.
enum class borrow_grade : std::uint8_t { none = 0, heavy = 1, light = 2, cut = 3 };
[[nodiscard]] const char* to_string(borrow_grade g) noexcept;

/// Parses a grade name (any case): none (also non, independent), heavy, light, cut (also
/// verbatim). std::nullopt for anything else.
[[nodiscard]] std::optional<borrow_grade> parse_grade_name(std::string_view name) noexcept;

namespace defaults {
inline constexpr double bucket_heavy = 0.05; ///< borrowed >= this is at least heavy
inline constexpr double bucket_light = 0.30; ///< borrowed >= this is at least light
inline constexpr double bucket_cut = 0.70;   ///< borrowed >= this is cut
} // namespace defaults

/// Lower bounds of the tool's own grade buckets on the borrowed share:
/// none < heavy <= heavy-bucket < light <= light-bucket < cut <= cut-bucket.
struct grade_buckets {
  double heavy = defaults::bucket_heavy;
  double light = defaults::bucket_light;
  double cut = defaults::bucket_cut;
  /// errc::invalid_argument unless 0 < heavy < light < cut <= 1.
  [[nodiscard]] result<void> validate() const;
};
/// The bucket of a borrowed share in [0,1].
[[nodiscard]] borrow_grade bucket_of(double borrowed, const grade_buckets& b) noexcept;
/// Parses "HEAVY,LIGHT,CUT" (e.g. "0.05,0.3,0.7"); errc::invalid_argument if malformed.
[[nodiscard]] result<grade_buckets> parse_buckets(std::string_view spec);

// ---------------------------------------------------------------------------------------------
// Inputs: gold TSV files and copydesk JSON results.
// ---------------------------------------------------------------------------------------------

/// What a gold file labels.
enum class eval_kind : std::uint8_t {
  clusters, ///< `id<TAB>label`: documents with the same label belong together
  pairs,    ///< `id_a<TAB>id_b<TAB>0|1`: is the pair a duplicate
  grades,   ///< `copy<TAB>reference<TAB>grade`: how much the copy borrows from the reference
};
[[nodiscard]] const char* to_string(eval_kind k) noexcept;
/// "clusters", "pairs" or "grades"; errc::invalid_argument otherwise.
[[nodiscard]] result<eval_kind> parse_eval_kind(std::string_view name);

/// How the grades of a gold file are written.
enum class grade_values : std::uint8_t {
  names,    ///< none, heavy, light, cut
  integers, ///< 0, 1, 2, ... (0 = none)
  numbers,  ///< numbers >= 0 with decimals (averaged judgements; 0 = none)
  scale,    ///< the names of a --scale, least borrowed first
};
[[nodiscard]] const char* to_string(grade_values v) noexcept;

/// A parsed gold file. Rows keep file order; `line` is 1-based.
struct gold_file {
  struct label_row {
    std::string id, label;
    std::size_t line = 0;
  };
  struct pair_row {
    std::string a, b;
    bool positive = false;
    std::size_t line = 0;
  };
  struct grade_row {
    std::string copy, reference;
    /// 0..3 for named grades (borrow_grade); the name's rank on a --scale (0 = its first, no
    /// borrowing); else the number as given (0 = none)
    double grade = 0.0;
    std::size_t line = 0;
  };
  eval_kind kind = eval_kind::clusters;
  bool has_header = false;
  /// grades given as none/heavy/light/cut, or on a --scale of four names (the tool's buckets
  /// apply); else numbers or a scale of another length
  bool named_grades = false;
  grade_values values = grade_values::integers;
  std::vector<label_row> labels;
  std::vector<pair_row> pairs;
  std::vector<grade_row> grades;
};

/// Parses a gold TSV with `scale`: the names of an ordinal grade scale, least borrowed first (its
/// first name means no borrowing), e.g. {"ND", "PD", "WD"}. Each grade must then be one of them
/// (any case); a scale implies the grades kind. Without it, grades are none/heavy/light/cut or
/// numbers >= 0 (decimals allowed: averaged judgements).
/// Blank lines and lines starting with '#' are skipped. The kind comes from
/// the columns unless `kind` is given: 2 columns = clusters; 3 columns whose third field is
/// always 0 or 1 = pairs; 3 columns with grade names or other numbers = grades. The first line
/// is a header only when its names cannot be data: a value column named grade, label, gold,
/// class, duplicate (dup, is_duplicate), match, same, same_story, positive, borrowing, borrowed,
/// value, derivation, reuse or level (3 columns; not when the name is on the scale), or
/// `id<TAB>label` (or doc/document and cluster/group/story/class/gold) for 2. Any other first row
/// is data, so a mistyped value on it is an error, not a dropped header. Errors
/// (errc::invalid_input) name `origin` and the line: wrong column count, empty field, bad value,
/// duplicate id / pair, a pair of a document with itself. errc::empty_input when no row remains.
[[nodiscard]] result<gold_file> parse_gold(std::string_view text, std::string_view origin,
                                           std::optional<eval_kind> kind = std::nullopt,
                                           std::span<const std::string> scale = {});
/// Reads and parses a gold file (errc::not_found / io_error if it cannot be read).
[[nodiscard]] result<gold_file> read_gold(const std::string& path,
                                          std::optional<eval_kind> kind = std::nullopt,
                                          std::span<const std::string> scale = {});
/// Parses a --scale "ND,PD,WD": 2 to 100 distinct non-empty names, compared in any case.
/// errc::invalid_argument otherwise.
[[nodiscard]] result<std::vector<std::string>> parse_grade_scale(std::string_view spec);

/// What `evaluate` needs from a copydesk JSON result (dedup, stories, borrow or report).
struct tool_output {
  struct pair {
    std::string a, b;
    double jaccard = 0.0;
    double a_in_b = 0.0;
    double b_in_a = 0.0;
    double cosine = std::numeric_limits<double>::quiet_NaN(); ///< stories pairs (NaN: dedup)
  };
  struct borrowing {
    std::string copy, reference;
    double borrowed = 0.0;
  };
  std::string command; ///< "command" key, "" if absent
  bool has_documents = false;
  std::vector<std::string> documents;             ///< ids from "documents"
  bool has_clusters = false;                      ///< a "clusters" array (dedup)
  std::vector<std::vector<std::string>> clusters; ///< members of each dedup cluster
  bool has_groups = false;                        ///< a "groups" array (stories)
  std::vector<std::vector<std::string>> groups;   ///< members of each story group
  bool has_pairs = false;                         ///< a "pairs" array (dedup, or stories --pairs)
  std::vector<pair> pairs;
  /// stories: params.min_similarity, the floor under which pairs were not listed
  std::optional<double> min_similarity;
  bool has_results = false;            ///< a "results" array (borrow)
  std::vector<std::string> result_ids; ///< ids of "results" entries
  std::vector<borrowing> borrowings;   ///< one per results[].sources[]
};

/// Parses copydesk JSON output. Sections are looked up at the top level, then one level down
/// (for `report`, whose object may nest the others). errc::invalid_input naming `origin` if the
/// text is not a JSON object or a section has the wrong shape.
[[nodiscard]] result<tool_output> parse_tool_output(std::string_view json, std::string_view origin);
/// Reads and parses a JSON result; path "-" reads standard input.
[[nodiscard]] result<tool_output> read_tool_output(const std::string& path);

// ---------------------------------------------------------------------------------------------
// Evaluation: a gold file against a tool output.
// ---------------------------------------------------------------------------------------------

/// Which clustering of the result is compared with `id label` gold files.
enum class cluster_level : std::uint8_t {
  automatic, ///< whichever of clusters / groups the result has; error if both or neither
  clusters,  ///< dedup duplicate clusters
  groups,    ///< stories groups
};
[[nodiscard]] const char* to_string(cluster_level l) noexcept;
[[nodiscard]] result<cluster_level> parse_cluster_level(std::string_view name);

/// Which score of a dedup pair is used for AUC and sweeps (oriented as in the gold file: a_in_b
/// is the share of the gold file's first id found in its second).
enum class pair_score : std::uint8_t { jaccard, a_in_b, b_in_a, max_containment };
[[nodiscard]] const char* to_string(pair_score s) noexcept;
[[nodiscard]] result<pair_score> parse_pair_score(std::string_view name);

/// Settings of `copydesk eval`.
struct eval_options {
  std::optional<eval_kind> kind; ///< forced kind (else recognised from the gold file)
  cluster_level level = cluster_level::automatic;
  pair_score score = pair_score::jaccard;
  /// pairs: decide positive when score >= threshold; unset = positive when the result reports
  /// the pair. Not used by the other kinds.
  std::optional<double> threshold;
  grade_buckets buckets;
  std::vector<std::string> scale; ///< grades: the --scale names, least borrowed first
  /// thresholds; empty = no sweep. pairs and grades: decisions at each; story groups (a stories
  /// result with "pairs"): groups formed again by average link at each
  std::vector<double> sweep;
  std::string sweep_spec;  ///< the sweep as given ("0:1:0.05"), printed in params
  std::string truth_name;  ///< as printed in params
  std::string result_name; ///< as printed in params
};

/// Result of `evaluate`. NaN marks an undefined metric; `notes` explains each one.
struct eval_result {
  eval_kind kind = eval_kind::clusters;
  cluster_level level = cluster_level::automatic; ///< resolved level (clusters kind)
  eval_options options;
  std::string result_command;
  bool named_grades = false;
  grade_values grade_kind = grade_values::integers;

  std::uint64_t gold_rows = 0;          ///< labelled documents / pairs / (copy, reference) rows
  std::uint64_t missing = 0;            ///< gold ids absent from the result
  std::vector<std::string> missing_ids; ///< sorted
  std::uint64_t unlabelled = 0;         ///< result documents / pairs / borrowings absent from gold

  // clusters
  clustering_scores clustering;

  // pairs and grades (none-vs-any)
  std::uint64_t positives = 0; ///< gold positives (pairs: 1; grades: any borrowing)
  std::uint64_t negatives = 0;
  std::uint64_t scored = 0; ///< gold rows with a score in the result
  confusion decisions;      ///< pairs only
  prf decision_prf;         ///< pairs only
  double auc = 0.0;

  // grades
  double spearman = 0.0;
  double bucket_accuracy = 0.0; ///< NaN unless the grades are named (none/heavy/light/cut)
  std::array<std::array<std::uint64_t, 4>, 4> bucket_confusion{}; ///< [gold][predicted]

  std::vector<threshold_point> sweep;
  std::vector<std::string> notes;
};

/// Scores `out` against `gold`. Gold ids absent from the result count as singletons (clusters)
/// or score 0 (pairs, grades) and are listed in missing_ids. errc::invalid_argument if the
/// result lacks what the kind needs (no clusters/groups, no pairs, no results) or the level is
/// ambiguous; errc::invalid_argument for a sweep on dedup clusters, or on story groups without
/// their pairs or below their pair floor.
[[nodiscard]] result<eval_result> evaluate(const gold_file& gold, const tool_output& out,
                                           const eval_options& options);

} // namespace copydesk
