// `copydesk stories`: TF-IDF story groups (average link over cosine) with labels. Glue only.
#include "common.hpp"
#include "progress.hpp"

#include <copydesk/stories.hpp>
#include <copydesk/writers.hpp>

#include <memory>

namespace copydesk::cli {

namespace {
struct stories_cli {
  input_options in;
  output_options out;
  double threshold = defaults::story_threshold;
  double min_similarity = defaults::story_min_similarity;
  std::uint32_t min_df = defaults::min_df;
  double max_df = defaults::max_df;
  bool no_bigrams = false;
  bool no_stop_words = false;
  std::string idf_model;
  std::size_t label_terms = defaults::label_terms;
  std::string method = "auto";
  bool pairs = false;
  bool no_background = false;
  std::size_t key_terms = defaults::key_terms;
  std::string time_field;
  double time_window = defaults::story_time_window_days;
};
} // namespace

command make_stories(CLI::App& root) {
  auto o = std::make_shared<stories_cli>();
  CLI::App* app = root.add_subcommand(
      "stories", "Group documents that cover the same story: TF-IDF vectors, cosine similarity, "
                 "average-link groups labelled with their top terms");
  app->footer(
      "Each usable document lands in exactly one group (possibly alone). Documents that cannot\n"
      "be read or have no terms (empty, stop words only) get no group. Two groups merge while the\n"
      "mean cosine over all their cross pairs is >= --threshold; pairs below --min-similarity\n"
      "count as 0 in that mean. With --time-field, articles published more than --time-window\n"
      "days apart are never linked (events have dates; a follow-up a month later is a story of\n"
      "its own). See docs/STORIES.md.\n\n"
      "Examples:\n"
      "  copydesk stories corpora/stories\n"
      "  copydesk stories --time-field date --format json crawl.jsonl\n"
      "  copydesk idf fit archive.jsonl -o archive.idf\n"
      "  copydesk stories --idf-model archive.idf --format json today/");
  o->in.memory_per_byte = 21; // see input_options::memory_per_byte
  add_input_options(*app, o->in);
  add_output_options(*app, o->out, {"table", "json", "jsonl", "csv"});
  app->add_option("-t,--threshold", o->threshold,
                  "Average-link threshold: groups merge while their mean cosine is at least this")
      ->check(CLI::Range(0.001, 1.0))
      ->capture_default_str();
  CLI::Option* min_sim =
      app->add_option(
             "--min-similarity", o->min_similarity,
             "Pairs below this cosine count as 0 in the means (default: half the threshold)")
          ->check(CLI::Range(0.001, 1.0));
  app->add_option("--min-df", o->min_df, "Drop terms found in fewer documents")
      ->check(CLI::Range(1u, 1000000000u))
      ->capture_default_str();
  app->add_option("--max-df", o->max_df, "Drop terms found in more than this share of documents")
      ->check(CLI::Range(0.000001, 1.0))
      ->capture_default_str();
  app->add_flag("--no-bigrams", o->no_bigrams, "Use words only, not word bigrams");
  app->add_flag("--no-stop-words", o->no_stop_words, "Keep the words of the English stop list");
  app->add_option(
      "--idf-model", o->idf_model,
      "IDF model from `copydesk idf fit`: its document counts are added to the corpus's "
      "(replaces the built-in background model)");
  app->add_flag("--no-background", o->no_background,
                "Weight with the corpus's own document frequencies only (no built-in English "
                "background model)");
  app->add_option("--label-terms", o->label_terms, "Terms in each group label")
      ->check(CLI::Range(0, 100))
      ->capture_default_str();
  app->add_option("--pair-search", o->method,
                  "auto (exact up to 2000 documents), exact, or indexed (key-term index)")
      ->check(CLI::IsMember({"auto", "exact", "indexed"}))
      ->capture_default_str();
  app->add_option(
         "--key-terms", o->key_terms,
         "Indexed search: rows are compared when they share two of their K strongest terms")
      ->check(CLI::Range(1, 10000))
      ->capture_default_str();
  app->add_flag("--pairs", o->pairs,
                "Also output every pair with cosine >= --min-similarity (JSON)");
  add_time_field_option(*app, o->time_field,
                        "Articles further apart than --time-window are not linked");
  CLI::Option* window = add_time_window_option(*app, o->time_window);

  return {app, [o, min_sim, window]() -> result<int> {
            stories_config cfg;
            cfg.threshold = o->threshold;
            cfg.min_similarity = min_sim->count() > 0 ? o->min_similarity : o->threshold / 2;
            cfg.tfidf.min_df = o->min_df;
            cfg.tfidf.max_df = o->max_df;
            cfg.tfidf.terms.bigrams = !o->no_bigrams;
            cfg.tfidf.terms.stop_words = !o->no_stop_words;
            cfg.idf_model = o->idf_model;
            cfg.background = !o->no_background;
            cfg.label_terms = o->label_terms;
            cfg.method = o->method == "exact"     ? pair_search::exact
                         : o->method == "indexed" ? pair_search::indexed
                                                  : pair_search::automatic;
            cfg.keep_pairs = o->pairs;
            cfg.key_terms = o->key_terms;
            cfg.threads = thread_count(o->out);
            input_options in = o->in;
            cfg.time_meta = use_time_field(in, o->time_field);
            if (cfg.time_meta) {
              cfg.time_field = o->time_field;
              cfg.time_window_days = o->time_window;
            } else if (window->count() > 0) {
              return make_error(errc::invalid_argument, "--time-window needs --time-field");
            }
            if (auto v = cfg.validate(); !v)
              return v.error();
            auto run = start_run(in, o->out);
            if (!run)
              return run.error();
            corpus_run& r = **run;
            auto res = run_stories(r.reader, cfg, r.diag, r.progress.callback());
            if (!res)
              return res.error();
            if (auto d = report_diagnostics(r.diag, o->out); !d)
              return d.error();
            return finish_run(o->out, [&](std::ostream& os) {
              return render(os, *res, r.format, render_context{&r.reader});
            });
          }};
}

} // namespace copydesk::cli
