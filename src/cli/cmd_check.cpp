// `copydesk check --archive ARCHIVE INPUT...`: what each input takes from the archive. Glue only.
#include "common.hpp"

#include <copydesk/archive.hpp>
#include <copydesk/writers.hpp>

#include <algorithm>
#include <memory>

namespace copydesk::cli {

namespace {
struct check_cli {
  std::string archive;
  input_options in;
  output_options out;
  check_options opts;
  bool no_containment = false;
  double fail_over = -1.0;
  bool uncredited_only = false;
  std::string credits;
  std::string time_field;
  std::string html;
};
} // namespace

command make_check(CLI::App& root) {
  auto o = std::make_shared<check_cli>();
  CLI::App* app = root.add_subcommand(
      "check", "Compare each input with an archive: duplicates, the archived sources it borrows "
               "from (with passages), the closest archived story, and a verdict");
  app->footer(
      "Scores are exact: candidates come from the archive's indexes, then shingle sets,\n"
      "the borrow alignment and TF-IDF cosine are computed on the archived texts.\n"
      "Exit codes: 0 ok, 1 some input borrows more than --fail-over from one archived\n"
      "source (a policy hit, for a pre-publication hook), 2 input error, 3 internal error.\n\n"
      "Examples:\n"
      "  copydesk check --archive wire.db draft.txt\n"
      "  copydesk check --archive wire.db --format json --fail-over 0.3 drafts/");
  app->add_option("-a,--archive", o->archive, "Archive file (made with `copydesk archive add`)")
      ->required();
  add_input_options(*app, o->in);
  add_output_options(*app, o->out, {"table", "json", "jsonl", "csv"});
  app->add_option("--fail-over", o->fail_over,
                  "Exit 1 when an input borrows more than this share from one archived source")
      ->check(CLI::Range(0.0, 1.0));
  app->add_flag("--uncredited-only", o->uncredited_only,
                "With --fail-over: only sources the input gives no credit line for count");
  app->add_option("--credits", o->credits,
                  "File of credit lines to look for besides the built-in ones: PATTERN or "
                  "PATTERN<TAB>SOURCE,... per line (SOURCE: archived id, file name or source)");
  app->add_option("--html", o->html,
                  "Also write a self-contained review page: each input beside the archived texts "
                  "it borrows from, passages marked in both")
      ->type_name("FILE");
  add_time_field_option(*app, o->time_field,
                        "Each archived source is then found earlier or later than the input "
                        "(archived times come from `archive add --time-field`)");
  app->add_option("-t,--threshold", o->opts.match.threshold,
                  "Jaccard threshold for near-duplicates")
      ->check(CLI::Range(0.01, 1.0))
      ->capture_default_str();
  app->add_option("-c,--containment", o->opts.match.containment,
                  "Share of the smaller document's shingles that must occur in the larger")
      ->check(CLI::Range(0.01, 1.0))
      ->capture_default_str();
  app->add_flag("--no-containment", o->no_containment, "Report near-duplicates only");
  app->add_option("--min-tokens", o->opts.borrow.min_tokens,
                  "Drop passages with fewer exactly matched words")
      ->capture_default_str();
  app->add_option("--max-gap", o->opts.borrow.max_gap,
                  "Merge runs separated by at most this many words in both texts")
      ->check(CLI::Range(0, 1000))
      ->capture_default_str();
  app->add_option("--max-sources", o->opts.max_sources,
                  "Archived texts aligned per input at most (those sharing the most seeds)")
      ->check(CLI::Range(1, 10000))
      ->capture_default_str();
  app->add_option("--similar", o->opts.similar, "Closest archived documents listed per input")
      ->check(CLI::Range(0, 1000))
      ->capture_default_str();

  return {app, [o]() -> result<int> {
            check_options opts = o->opts;
            opts.match.find_contained = !o->no_containment;
            if (auto c = add_credits(o->credits, opts.credits); !c)
              return c.error();
            auto format = parse_output_format(o->out.format);
            if (!format)
              return format.error();
            input_options in = o->in;
            opts.time_meta = use_time_field(in, o->time_field);
            opts.time_field = o->time_field;
            auto reader = open_inputs(in);
            if (!reader)
              return reader.error();
            auto ar = archive::open(o->archive, archive::open_mode::read_only);
            if (!ar)
              return ar.error();
            opts.borrow.seed_width = ar->settings().seed_width;
            opts.borrow.hash_seed = ar->settings().minhash.shingles.seed;
            check_report rep;
            rep.archive = o->archive;
            rep.settings = ar->settings();
            rep.options = opts;
            if (o->fail_over >= 0)
              rep.fail_over = fail_over_policy{o->fail_over, o->uncredited_only};
            diagnostics diag;
            for (;;) {
              auto batch = reader->next_batch(diag);
              if (!batch)
                return batch.error();
              if (batch->empty())
                break;
              for (const document& d : *batch) {
                if (opts.time_meta) // only for its warning: check reads the time itself
                  (void)publication_time(d, *opts.time_meta, opts.time_field, diag);
                auto c = ar->check(d, opts);
                if (!c)
                  return c.error();
                rep.results.push_back(std::move(*c));
              }
            }
            std::sort(rep.results.begin(), rep.results.end(),
                      [](const check_result& a, const check_result& b) {
                        return a.document.id < b.document.id;
                      });
            if (auto d = report_diagnostics(diag, o->out); !d)
              return d.error();
            auto w = finish_run(o->out, [&](std::ostream& os) { return render(os, rep, *format); });
            if (!w)
              return w;
            if (!o->html.empty()) {
              auto page = render_html(rep, *reader);
              if (!page)
                return page.error();
              if (auto f = write_file(o->html, *page); !f)
                return f.error();
            }
            if (!rep.fail_over)
              return w;
            for (const check_result& c : rep.results) {
              if (rep.fail_over->is_exceeded_by(c))
                return 1;
            }
            return 0;
          }};
}

} // namespace copydesk::cli
