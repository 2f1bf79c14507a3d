// `copydesk report`: the main job. One read of the corpus feeds dedup, stories, borrow alignment
// inside stories and self-repetition; the result goes out as a table or JSON and, with --html, as
// one self-contained page. Glue only.
#include "common.hpp"
#include "dedup_options.hpp"
#include "progress.hpp"

#include <copydesk/pipeline.hpp>
#include <copydesk/writers.hpp>

#include <cstdio>
#include <memory>

namespace copydesk::cli {

namespace {
struct report_cli {
  input_options in;
  output_options out;
  std::string html;
  dedup_options dedup;
  double story_threshold = defaults::story_threshold;
  double min_similarity = defaults::story_min_similarity;
  std::string idf_model;
  bool no_background = false;
  std::uint32_t min_tokens = defaults::borrow_min_tokens;
  std::uint32_t max_gap = defaults::borrow_max_gap;
  double self_share = defaults::self_repeat_share;
  std::string credits;
  std::size_t heatmap_max = report_html_options{}.heatmap_max;
  bool verbose = false;
  std::string time_field;
  double time_window = defaults::story_time_window_days;
};
} // namespace

command make_report(CLI::App& root) {
  auto o = std::make_shared<report_cli>();
  CLI::App* app = root.add_subcommand(
      "report", "The main job: duplicate clusters, story groups, who borrows from whom inside "
                "each story, and self-repetition, in one read of the corpus; --html writes one "
                "self-contained page");
  app->footer(
      "Dedup finds near-duplicates (Jaccard of word shingles >= --threshold) and contained texts\n"
      "(>= --containment of the smaller text's shingles in the larger). Stories groups documents\n"
      "by TF-IDF cosine (average link at --story-threshold). Inside each story (and across each\n"
      "duplicate pair) every document is aligned with the others: borrowed = its words inside\n"
      "passages found in another member. A document whose words lie in passages repeated inside\n"
      "it for at least --self-share is listed under self-repetition. See docs/REPORT.md.\n\n"
      "Examples:\n"
      "  copydesk report corpora/newsroom --html report.html\n"
      "  copydesk report --format json -o report.json crawl.jsonl\n"
      "  copydesk report --quiet --html today.html today/");
  o->in.memory_per_byte = 28; // see input_options::memory_per_byte
  add_input_options(*app, o->in);
  add_output_options(*app, o->out, {"table", "json"});
  app->add_option("--html", o->html,
                  "Also write one self-contained HTML page (heatmap, sortable tables, passages "
                  "side by side)");
  add_dedup_options(*app, o->dedup, "--jaccard");
  app->add_option("--story-threshold", o->story_threshold,
                  "Average-link threshold: story groups merge while their mean cosine is at "
                  "least this")
      ->check(CLI::Range(0.001, 1.0))
      ->capture_default_str();
  CLI::Option* min_sim =
      app->add_option("--min-similarity", o->min_similarity,
                      "Pairs below this cosine count as 0 in the means (default: half the story "
                      "threshold)")
          ->check(CLI::Range(0.001, 1.0));
  app->add_option("--idf-model", o->idf_model,
                  "IDF model from `copydesk idf fit` for the story vectors (replaces the "
                  "built-in background model)");
  app->add_flag("--no-background", o->no_background,
                "Story vectors weighted with the corpus's own document frequencies only");
  app->add_option("--min-tokens", o->min_tokens,
                  "Borrowed passages need at least this many exactly matched words")
      ->capture_default_str();
  app->add_option("--max-gap", o->max_gap,
                  "Merge matching runs separated by at most this many words in both texts")
      ->check(CLI::Range(0, 1000))
      ->capture_default_str();
  app->add_option("--credits", o->credits,
                  "File of credit lines to look for besides the built-in ones: PATTERN or "
                  "PATTERN<TAB>SOURCE,... per line");
  app->add_option("--self-share", o->self_share,
                  "List a document under self-repetition when this share of its words lies in "
                  "passages repeated inside it")
      ->check(CLI::Range(0.001, 1.0))
      ->capture_default_str();
  app->add_option("--heatmap-max", o->heatmap_max,
                  "Documents in the HTML heatmap (the largest stories first)")
      ->check(CLI::Range(2, 2000))
      ->capture_default_str();
  add_time_field_option(*app, o->time_field,
                        "Stories then never link articles further apart than --time-window, "
                        "each shared text says who published it first, and each story its copy "
                        "chain");
  CLI::Option* window = add_time_window_option(*app, o->time_window);
  app->add_flag("-v,--verbose", o->verbose, "Print stage timings on standard error");

  return {app, [o, min_sim, window]() -> result<int> {
            pipeline_config cfg;
            cfg.threads = thread_count(o->out);
            if (auto c = add_credits(o->credits, cfg.credits); !c)
              return c.error();
            cfg.dedup = o->dedup.config(cfg.threads);
            cfg.stories.threshold = o->story_threshold;
            cfg.stories.min_similarity =
                min_sim->count() > 0 ? o->min_similarity : o->story_threshold / 2;
            cfg.stories.idf_model = o->idf_model;
            cfg.stories.background = !o->no_background;
            cfg.borrow.min_tokens = o->min_tokens;
            cfg.borrow.max_gap = o->max_gap;
            cfg.self_repeat_share = o->self_share;
            cfg.keep_texts = !o->html.empty();
            input_options in = o->in;
            cfg.stories.time_meta = use_time_field(in, o->time_field);
            if (cfg.stories.time_meta) {
              cfg.stories.time_field = o->time_field;
              cfg.stories.time_window_days = o->time_window;
            } else if (window->count() > 0) {
              return make_error(errc::invalid_argument, "--time-window needs --time-field");
            }
            if (auto v = cfg.validate(); !v)
              return v.error();
            auto run = start_run(in, o->out);
            if (!run)
              return run.error();
            corpus_run& r = **run;
            auto res = run_pipeline(r.reader, cfg, r.diag, r.progress.callback());
            if (!res)
              return res.error();
            if (auto d = report_diagnostics(r.diag, o->out); !d)
              return d.error();
            if (o->verbose) {
              const pipeline_stats& st = res->stats;
              std::fprintf(stderr,
                           "copydesk: report: read %.3fs, dedup %.3fs, stories %.3fs, borrow and "
                           "repeats %.3fs (%zu documents compared in %zu sets)\n",
                           st.seconds_read, st.seconds_dedup, st.seconds_stories, st.seconds_borrow,
                           st.compared, st.alignment_sets);
              print_read_stats(r.reader); // issue 14
            }
            if (!o->html.empty()) {
              report_html_options ho;
              ho.heatmap_max = o->heatmap_max;
              const std::string page = render_html(*res, ho);
              if (auto w = write_file(o->html, page); !w)
                return w.error();
              r.progress.note("html",
                              o->html + " (" + human_bytes(static_cast<double>(page.size())) + ")");
            }
            return finish_run(o->out, [&](std::ostream& os) { return render(os, *res, r.format); });
          }};
}

} // namespace copydesk::cli
