// `copydesk eval`: scores a copydesk JSON result against gold labels (clusters, pairs or graded
// borrowing), optionally sweeping a threshold and plotting P/R/F1. Glue only.
#include "common.hpp"

#include <copydesk/metrics.hpp>
#include <copydesk/writers.hpp>

#include <memory>

namespace copydesk::cli {

namespace {
struct eval_cli {
  std::string truth;
  std::string result_path;
  std::string kind;
  std::string level = "auto";
  std::string score = "jaccard";
  double threshold = -1.0; // < 0: not given
  std::string sweep;
  std::string plot;
  std::string buckets;
  std::string scale;
  output_options out;
};
} // namespace

command make_eval(CLI::App& root) {
  auto o = std::make_shared<eval_cli>();
  CLI::App* app = root.add_subcommand(
      "eval", "Score a copydesk JSON result against gold labels: clusters (pairwise and B-cubed "
              "P/R/F1, ARI, NMI), duplicate pairs (P/R/F1, ROC AUC) or graded borrowing "
              "(Spearman, AUC, bucket accuracy)");
  app->footer(
      "Gold files are tab-separated, one row per line (a header line and # comments allowed):\n"
      "  id<TAB>label                  clusters: same label = same cluster (list singletons too)\n"
      "  id_a<TAB>id_b<TAB>0|1         pairs: 1 = duplicate (or same story, against stories\n"
      "                                output: decided by the groups, scored by cosine), 0 = not\n"
      "  copy<TAB>reference<TAB>grade  grades: none, heavy, light, cut, or numbers (0 = none),\n"
      "                                or the names of a --scale\n"
      "Gold ids missing from RESULT count as singletons (clusters) or score 0 (pairs, grades) and\n"
      "are listed under \"missing\"; result entries without a gold label are counted and ignored.\n"
      "See docs/EVALUATION.md.\n\n"
      "Examples:\n"
      "  copydesk dedup --format json -o dups.json corpus/ && copydesk eval --truth clusters.tsv "
      "dups.json\n"
      "  copydesk eval --truth pairs.tsv --sweep 0.5:1:0.05 --plot pr.svg dups.json\n"
      "  copydesk stories --format json corpus/ | copydesk eval --truth stories.tsv -\n"
      "  copydesk stories --format json --pairs --min-similarity 0.02 corpus/ |\n"
      "    copydesk eval --truth stories.tsv --sweep 0.04:0.3:0.02 -   # story threshold sweep");
  app->add_option("result", o->result_path,
                  "copydesk --format json output (dedup, stories, borrow or report); - reads "
                  "standard input")
      ->type_name("RESULT.json")
      ->required();
  app->add_option("--truth", o->truth, "Gold labels (TSV)")->type_name("GOLD.tsv")->required();
  app->add_option("--kind", o->kind, "Kind of gold file (default: recognised from its columns)")
      ->check(CLI::IsMember({"clusters", "pairs", "grades"}));
  app->add_option("--level", o->level,
                  "clusters: compare dedup clusters or story groups (default: whichever RESULT "
                  "has)")
      ->check(CLI::IsMember({"auto", "clusters", "groups"}))
      ->capture_default_str();
  app->add_option("--score", o->score,
                  "pairs: score for AUC and sweeps (a_in_b = share of the gold file's first id "
                  "found in the second)")
      ->check(CLI::IsMember({"jaccard", "a_in_b", "b_in_a", "max_containment"}))
      ->capture_default_str();
  app->add_option("--threshold", o->threshold,
                  "pairs: positive when score >= this (default: positive when RESULT reports "
                  "the pair)")
      ->check(CLI::Range(0.0, 1.0));
  app->add_option("--sweep", o->sweep,
                  "Recompute at thresholds FROM:TO:STEP (e.g. 0:1:0.05): pairs and grades, the "
                  "decisions; story groups (stories --pairs output, FROM at least its "
                  "--min-similarity), the groups, by average link at each")
      ->type_name("FROM:TO:STEP");
  app->add_option("--plot", o->plot, "With --sweep: write a P/R/F1 chart to FILE.svg")
      ->type_name("FILE.svg");
  app->add_option("--scale", o->scale,
                  "grades: the names of the gold file's grade scale, least borrowed first (the "
                  "first = no borrowing), e.g. ND,PD,WD; implies --kind grades")
      ->type_name("NAMES");
  app->add_option("--buckets", o->buckets,
                  "grades: lower bounds of the heavy, light and cut buckets on the borrowed share")
      ->default_str("0.05,0.3,0.7");
  app->add_option("--format", o->out.format, "Output format")
      ->check(CLI::IsMember({"table", "json"}))
      ->capture_default_str();
  app->add_option("-o,--output", o->out.output, "Write results to FILE instead of standard output");

  return {app, [o]() -> result<int> {
            eval_options opt;
            if (!o->kind.empty()) {
              auto k = parse_eval_kind(o->kind);
              if (!k)
                return k.error();
              opt.kind = *k;
            }
            auto level = parse_cluster_level(o->level);
            if (!level)
              return level.error();
            opt.level = *level;
            auto score = parse_pair_score(o->score);
            if (!score)
              return score.error();
            opt.score = *score;
            if (o->threshold >= 0.0)
              opt.threshold = o->threshold;
            if (!o->buckets.empty()) {
              auto b = parse_buckets(o->buckets);
              if (!b)
                return b.error();
              opt.buckets = *b;
            }
            if (!o->scale.empty()) {
              auto names = parse_grade_scale(o->scale);
              if (!names)
                return names.error();
              opt.scale = std::move(*names);
            }
            if (!o->sweep.empty()) {
              auto s = parse_sweep(o->sweep);
              if (!s)
                return s.error();
              opt.sweep = std::move(*s);
              opt.sweep_spec = o->sweep;
            }
            if (!o->plot.empty() && opt.sweep.empty()) {
              return make_error(errc::invalid_argument, "--plot needs --sweep FROM:TO:STEP");
            }
            opt.truth_name = o->truth;
            opt.result_name = o->result_path == "-" ? "standard input" : o->result_path;
            auto format = parse_output_format(o->out.format);
            if (!format)
              return format.error();

            auto gold = read_gold(o->truth, opt.kind, opt.scale);
            if (!gold)
              return gold.error();
            auto tool = read_tool_output(o->result_path);
            if (!tool)
              return tool.error();
            auto res = evaluate(*gold, *tool, opt);
            if (!res)
              return res.error();
            auto text = render_string(*res, *format);
            if (!text)
              return text.error();
            if (!o->plot.empty()) {
              auto svg = render_sweep_svg(*res);
              if (!svg)
                return svg.error();
              if (auto w = write_file(o->plot, *svg); !w)
                return w.error();
            }
            return finish_run(o->out, text);
          }};
}

} // namespace copydesk::cli
