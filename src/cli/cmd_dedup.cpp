// `copydesk dedup`: near-duplicate and contained-duplicate detection. Glue only.
#include "common.hpp"
#include "dedup_options.hpp"
#include "progress.hpp"

#include <copydesk/dedup.hpp>
#include <copydesk/writers.hpp>

#include <cstdio>
#include <memory>

namespace copydesk::cli {

namespace {
struct dedup_cli {
  input_options in;
  output_options out;
  dedup_options dedup;
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
  o->in.memory_per_byte = 8; // see input_options::memory_per_byte
  add_input_options(*app, o->in);
  add_output_options(*app, o->out, {"table", "json", "jsonl", "csv"});
  add_dedup_options(*app, o->dedup);
  app->add_flag("-v,--verbose", o->verbose,
                "Print stage timings and candidate counts on standard error");

  return {app, [o]() -> result<int> {
            const dedup_config cfg = o->dedup.config(thread_count(o->out));
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
                           st.seconds_sketch, st.seconds_candidates, st.lsh_candidates,
                           st.containment_candidates, st.seconds_verify, st.documents_reread,
                           st.verified, st.seconds_clusters);
              print_read_stats(r.reader); // issue 14
            }
            return finish_run(o->out, [&](std::ostream& os) {
              return render(os, *res, r.format, render_context{&r.reader});
            });
          }};
}

} // namespace copydesk::cli
