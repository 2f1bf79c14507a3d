// `copydesk borrow`: how much of each input comes from reference texts, and which passages;
// with --self, passages repeated inside each input. Glue only.
#include "common.hpp"
#include "progress.hpp"

#include <copydesk/borrow.hpp>
#include <copydesk/writers.hpp>

#include <algorithm>
#include <memory>
#include <optional>

namespace copydesk::cli {

namespace {
struct borrow_cli {
  input_options in;
  output_options out;
  std::vector<std::string> references;
  bool self = false;
  std::string html;
  std::uint32_t seed_width = defaults::borrow_seed_width;
  std::uint32_t min_tokens = defaults::borrow_min_tokens;
  std::uint32_t max_gap = defaults::borrow_max_gap;
  std::uint32_t max_postings = defaults::borrow_max_postings;
  std::string credits;
  std::string time_field;
};
} // namespace

command make_borrow(CLI::App& root) {
  auto o = std::make_shared<borrow_cli>();
  CLI::App* app = root.add_subcommand(
      "borrow", "Measure how much of each document comes from reference texts, with the aligned "
                "passages (byte offsets in both texts); --self finds passages repeated inside a "
                "document");
  app->footer(
      "Shared word shingles (--seed-width words) seed exact runs; runs separated by at most\n"
      "--max-gap words in both texts join one passage, so a changed, inserted or dropped word\n"
      "does not break it; passages with fewer than --min-tokens exactly matched words are "
      "dropped.\n"
      "borrowed = copy words inside passages / copy words; reused = reference words inside\n"
      "passages / reference words. With several references each copy passage goes to one of\n"
      "them: the longest passage wins, ties go to the reference first in id order.\n\n"
      "Examples:\n"
      "  copydesk borrow --reference wire.txt outlets/\n"
      "  copydesk borrow -r wire.txt -r release.txt --format json -o borrow.json story.txt\n"
      "  copydesk borrow -r wire.txt --html review.html outlets/\n"
      "  copydesk borrow --self crawl/");
  o->in.memory_per_byte = 23; // see input_options::memory_per_byte
  add_input_options(*app, o->in);
  add_output_options(*app, o->out, {"table", "json", "jsonl", "csv"});
  app->add_option("-r,--reference", o->references,
                  "Reference text(s) to compare with: a file, a directory or a .jsonl file; repeat "
                  "for several")
      ->type_name("REF")
      ->allow_extra_args(false); // -r A B: B is an input, not a second reference
  app->add_flag("--self", o->self, "Also report passages repeated inside each document");
  app->add_option("--html", o->html,
                  "Also write a self-contained HTML page: texts side by side, passages linked");
  app->add_option("--seed-width", o->seed_width, "Words per seed shingle")
      ->check(CLI::Range(1, 64))
      ->capture_default_str();
  app->add_option("--min-tokens", o->min_tokens,
                  "Drop passages with fewer exactly matched words (>= --seed-width)")
      ->capture_default_str();
  app->add_option("--max-gap", o->max_gap,
                  "Merge runs separated by at most this many words in both texts")
      ->check(CLI::Range(0, 1000))
      ->capture_default_str();
  app->add_option("--credits", o->credits,
                  "File of credit lines to look for besides the built-in ones: PATTERN or "
                  "PATTERN<TAB>SOURCE,... per line");
  add_time_field_option(*app, o->time_field,
                        "Each source is then found earlier, later or at the same time as the "
                        "copy, and each passage names its earliest holder");
  app->add_option("--max-postings", o->max_postings,
                  "Seed shingles occurring more often than this in the references start no run")
      ->check(CLI::Range(1, 1 << 30))
      ->capture_default_str();

  return {app, [o]() -> result<int> {
            borrow_config cfg;
            cfg.params.seed_width = o->seed_width;
            cfg.params.min_tokens = o->min_tokens;
            cfg.params.max_gap = o->max_gap;
            cfg.params.max_postings = o->max_postings;
            cfg.self = o->self;
            if (auto c = add_credits(o->credits, cfg.credits); !c)
              return c.error();
            cfg.threads = thread_count(o->out);
            input_options in = o->in;
            cfg.time_meta = use_time_field(in, o->time_field);
            cfg.time_field = o->time_field;
            if (auto v = cfg.validate(); !v)
              return v.error();
            if (o->references.empty() && !o->self) {
              return make_error(errc::invalid_argument,
                                "nothing to compare: give at least one --reference, or --self");
            }
            const auto is_stdin = [](const std::string& s) { return s == "-"; };
            if (std::any_of(o->references.begin(), o->references.end(), is_stdin) &&
                std::any_of(o->in.inputs.begin(), o->in.inputs.end(), is_stdin)) {
              return make_error(errc::invalid_argument,
                                "standard input (-) cannot be both a reference and an input");
            }
            std::optional<corpus_reader> refs;
            if (!o->references.empty()) {
              input_options ri = in;
              ri.inputs = o->references;
              auto opened = open_inputs(ri);
              if (!opened)
                return make_error(opened.error().code, "reference " + opened.error().message);
              refs.emplace(std::move(*opened));
            }
            auto run = start_run(in, o->out);
            if (!run)
              return run.error();
            corpus_run& r = **run;
            corpus_reader* const ref_reader = refs ? &*refs : nullptr;
            auto res = run_borrow(r.reader, ref_reader, cfg, r.diag, r.progress.callback());
            if (!res)
              return res.error();
            if (auto d = report_diagnostics(r.diag, o->out); !d)
              return d.error();
            if (!o->html.empty()) {
              auto page = render_html(*res, r.reader, ref_reader);
              if (!page)
                return page.error();
              if (auto w = write_file(o->html, *page); !w)
                return w.error();
            }
            return finish_run(o->out, [&](std::ostream& os) { return render(os, *res, r.format); });
          }};
}

} // namespace copydesk::cli
