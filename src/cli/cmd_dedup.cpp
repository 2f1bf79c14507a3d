// `copydesk dedup`: near-duplicate and contained-duplicate detection. Glue only.
#include "common.hpp"
#include "dedup_options.hpp"
#include "progress.hpp"

#include <copydesk/dedup.hpp>
#include <copydesk/writers.hpp>

#include <algorithm>
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

namespace {
// issue 12: how the ranks read. Standard input can be read by one process only, and JSONL output
// reads every record again at rank 0: then rank 0 reads everything and scatters the batches.
dist_input input_mode(const dedup_cli& o) {
  const bool stdin_used =
      std::find(o.in.inputs.begin(), o.in.inputs.end(), "-") != o.in.inputs.end();
  return stdin_used || o.out.format == "jsonl" ? dist_input::scatter : dist_input::shares;
}

// Diagnostics, --verbose, the output: at rank 0 of a split run, or in one process.
result<int> finish_dedup(const dedup_cli& o, corpus_run& r, const dedup_result& res, bool split) {
  if (auto d = report_diagnostics(r.diag, o.out); !d)
    return d.error();
  if (o.verbose) {
    const dedup_stats& st = res.stats;
    std::fprintf(stderr,
                 "copydesk: dedup: read+sketch %.3fs, candidates %.3fs (lsh %zu, "
                 "containment %zu), reread+verify %.3fs (%zu documents, %zu pairs), "
                 "clusters %.3fs\n",
                 st.seconds_sketch, st.seconds_candidates, st.lsh_candidates,
                 st.containment_candidates, st.seconds_verify, st.documents_reread, st.verified,
                 st.seconds_clusters);
    if (split) {
      std::fprintf(stderr,
                   "copydesk: dedup: %llu bytes exchanged between ranks (%.1f per document)\n",
                   static_cast<unsigned long long>(st.bytes_exchanged),
                   res.documents.empty() ? 0.0
                                         : static_cast<double>(st.bytes_exchanged) /
                                               static_cast<double>(res.documents.size()));
    } else {
      print_read_stats(r.reader); // issue 14 (a split run's reader saw its own share only)
    }
  }
  return finish_run(o.out, [&](std::ostream& os) {
    return render(os, res, r.format, render_context{&r.reader});
  });
}

} // namespace

command make_dedup(CLI::App& root, dist::exchange& world) {
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

  return {app, [o, &world]() -> result<int> {
            const dedup_config cfg = o->dedup.config(thread_count(o->out));
            if (auto v = cfg.validate(); !v)
              return v.error();
            const bool split = world.size() > 1;
            const dist_input how = input_mode(*o);
            if (split && how == dist_input::shares) {
              o->in.share = static_cast<std::uint32_t>(world.rank());
              o->in.shares = static_cast<std::uint32_t>(world.size());
            }
            o->out.atomic = split;
            auto run = start_run(o->in, o->out);
            if (!run)
              return run.error();
            corpus_run& r = **run;
            auto res = split ? run_dedup(r.reader, cfg, r.diag, world, how, r.progress.callback())
                             : run_dedup(r.reader, cfg, r.diag, r.progress.callback());
            if (!res)
              return res.error();
            if (split && world.rank() != 0) // rank 0 reports and writes; all exit as it does
              return dist::broadcast_outcome(world, 0);
            auto written = finish_dedup(*o, r, *res, split);
            return split ? dist::broadcast_outcome(world, written) : written;
          }};
}

} // namespace copydesk::cli
