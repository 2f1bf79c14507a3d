// `copydesk dedup`: near-duplicate and contained-duplicate detection. Glue only.
#include "common.hpp"
#include "progress.hpp"

#include <copydesk/dedup.hpp>
#include <copydesk/report.hpp>

#include <cstdio>
#include <memory>

namespace copydesk::cli {

namespace {
struct dedup_cli {
  input_options in;
  output_options out;
  double threshold = defaults::jaccard_threshold;
  double containment = defaults::containment;
  bool no_containment = false;
  std::uint32_t shingle = defaults::shingle_width;
  bool chars = false;
  std::uint32_t num_perm = defaults::num_perm;
  std::uint32_t bands = 0;
  std::uint32_t rows = 0;
  std::uint32_t window = defaults::winnow_window;
  std::uint32_t max_df = defaults::fingerprint_max_df;
  bool verbose = false;
};
} // namespace

command make_dedup(CLI::App& root) {
  auto o = std::make_shared<dedup_cli>();
  CLI::App* app = root.add_subcommand(
      "dedup", "Find near-duplicates (Jaccard of word shingles) and contained duplicates (one text "
               "inside another), verified exactly, grouped into clusters");
  app->footer(
      "Scores are exact over shingle sets: MinHash/LSH and sampled fingerprints only pick which\n"
      "pairs to verify. A pair is reported when Jaccard >= --threshold, or when >= --containment\n"
      "of the smaller document's shingles occur in the larger.\n\n"
      "Examples:\n"
      "  copydesk dedup corpora/newsroom\n"
      "  copydesk dedup --format json -o dups.json crawl.jsonl\n"
      "  cat crawl.jsonl | copydesk dedup --format jsonl - > annotated.jsonl");
  add_input_options(*app, o->in);
  add_output_options(*app, o->out, {"table", "json", "jsonl", "csv"});
  app->add_option("-t,--threshold", o->threshold, "Jaccard threshold for near-duplicates")
      ->check(CLI::Range(0.01, 1.0))
      ->capture_default_str();
  app->add_option("-c,--containment", o->containment,
                  "Share of the smaller document's shingles that must occur in the larger")
      ->check(CLI::Range(0.01, 1.0))
      ->capture_default_str();
  app->add_flag("--no-containment", o->no_containment, "Report near-duplicates only");
  app->add_option("-k,--shingle", o->shingle,
                  "Shingle width: words per shingle (characters with --chars)")
      ->check(CLI::Range(1, 64))
      ->capture_default_str();
  app->add_flag("--chars", o->chars, "Shingle character n-grams instead of words (OCR noise, CJK)");
  app->add_option("--num-perm", o->num_perm, "MinHash slots per signature")
      ->check(CLI::Range(8, 4096))
      ->capture_default_str();
  app->add_option("--bands", o->bands, "LSH bands (default: chosen from --threshold)");
  app->add_option("--rows", o->rows, "LSH rows per band (default: chosen from --threshold)");
  app->add_option("--window", o->window,
                  "Containment fingerprints: the smallest of every window of this many shingles "
                  "(winnowing); texts sharing a run this long always share one")
      ->check(CLI::Range(1, 1024))
      ->capture_default_str();
  app->add_flag("-v,--verbose", o->verbose,
                "Print stage timings and candidate counts on standard error");
  app->add_option(
         "--max-df", o->max_df,
         "Containment fingerprints found in more documents than this are ignored (boilerplate)")
      ->capture_default_str();

  return {app, [o]() -> result<int> {
            dedup_config cfg;
            cfg.threshold = o->threshold;
            cfg.containment.threshold = o->containment;
            cfg.find_contained = !o->no_containment;
            cfg.minhash.num_perm = o->num_perm;
            cfg.minhash.shingles.width = o->shingle;
            if (o->chars)
              cfg.minhash.shingles.unit = shingle_unit::chars;
            cfg.lsh = lsh_params{o->bands, o->rows};
            cfg.containment.window = o->window;
            cfg.containment.max_df = o->max_df;
            cfg.threads = thread_count(o->out);
            if (auto v = cfg.validate(); !v)
              return v.error();
            auto run = start_run(o->in, o->out);
            if (!run)
              return run.error();
            corpus_run& r = **run;
            auto res = run_dedup(r.reader, cfg, r.diag, r.progress.callback());
            if (!res)
              return res.error();
            if (auto d = report_diagnostics(r.diag, o->out); !d)
              return d.error();
            if (o->verbose) {
              const dedup_stats& st = res->stats;
              std::fprintf(stderr,
                           "copydesk: dedup: read+sketch %.3fs, candidates %.3fs (lsh %zu, "
                           "containment %zu), reread+verify %.3fs (%zu documents, %zu pairs), "
                           "clusters %.3fs\n",
                           st.seconds[0], st.seconds[1], st.lsh_candidates,
                           st.containment_candidates, st.seconds[2], st.documents_reread,
                           st.verified, st.seconds[3]);
            }
            return finish_run(o->out, render_dedup(*res, r.format, r.reader));
          }};
}

} // namespace copydesk::cli
