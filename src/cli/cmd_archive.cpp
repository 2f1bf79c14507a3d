// `copydesk archive add|remove|info|verify|compact`: the persistent archive. Glue only.
#include "common.hpp"

#include <copydesk/archive.hpp>
#include <copydesk/writers.hpp>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>

namespace copydesk::cli {

namespace {

/// The settings an archive is created with; given on an existing archive, they must match.
struct settings_options {
  std::uint32_t shingle = defaults::shingle_width;
  bool chars = false;
  std::uint32_t num_perm = defaults::num_perm;
  std::uint32_t bands = 0;
  std::uint32_t rows = 0;
  std::uint32_t seed_window = defaults::archive_seed_window;
  std::vector<CLI::Option*> given;

  void add(CLI::App& app) {
    const std::string group = "Archive settings (fixed when the archive is created)";
    given.push_back(
        app.add_option("-k,--shingle", shingle, "Words (characters with --chars) per shingle")
            ->check(CLI::Range(1, 64))
            ->capture_default_str()
            ->group(group));
    given.push_back(app.add_flag("--chars", chars, "Character n-gram shingles")->group(group));
    given.push_back(app.add_option("--num-perm", num_perm, "MinHash slots per signature")
                        ->check(CLI::Range(8, 4096))
                        ->capture_default_str()
                        ->group(group));
    given.push_back(app.add_option("--bands", bands, "LSH bands (default: chosen for Jaccard 0.8)")
                        ->group(group));
    given.push_back(app.add_option("--rows", rows, "LSH rows per band")->group(group));
    given.push_back(app.add_option("--seed-window", seed_window,
                                   "Borrow fingerprints: the smallest of every window of this "
                                   "many 3-word seeds (6: any shared run of 8 words is found)")
                        ->check(CLI::Range(1, 1024))
                        ->capture_default_str()
                        ->group(group));
  }
  [[nodiscard]] bool any_given() const {
    for (const CLI::Option* o : given) {
      if (o->count() != 0)
        return true;
    }
    return false;
  }
  [[nodiscard]] archive_settings settings() const {
    archive_settings s;
    s.minhash.num_perm = num_perm;
    s.minhash.shingles.width = shingle;
    if (chars)
      s.minhash.shingles.unit = shingle_unit::chars;
    s.lsh = lsh_params{bands, rows};
    s.seed_window = seed_window;
    return s;
  }
};

struct add_cli {
  std::string archive;
  input_options in;
  output_options out;
  settings_options settings;
  std::string source_field;
  std::string time_field;
  std::string url_field;
  bool replace = false;
  double threshold = defaults::jaccard_threshold;
  double containment = defaults::containment;
  bool no_containment = false;
  std::uint32_t max_df = defaults::fingerprint_max_df;
  std::uint64_t batch_mb = defaults::archive_batch_bytes >> 20;
};

struct remove_cli {
  std::string archive;
  std::vector<std::string> ids;
  std::string ids_file;
  output_options out;
};

struct archive_only_cli {
  std::string archive;
  output_options out;
};

result<int> run_add(const add_cli& o) {
  auto format = parse_output_format(o.out.format);
  if (!format)
    return format.error();
  input_options in = o.in;
  for (const std::string* f : {&o.source_field, &o.time_field, &o.url_field}) {
    if (!f->empty())
      in.meta_fields.push_back(*f);
  }
  auto reader = open_inputs(in);
  if (!reader)
    return reader.error();
  const archive_settings want = o.settings.settings();
  auto ar = archive::open(o.archive, archive::open_mode::create,
                          o.settings.any_given() ? &want : nullptr);
  if (!ar)
    return ar.error();
  add_options opts;
  opts.match.threshold = o.threshold;
  opts.match.containment = o.containment;
  opts.match.find_contained = !o.no_containment;
  opts.match.max_df = o.max_df;
  opts.replace = o.replace;
  opts.threads = thread_count(o.out);
  progress_display progress(!o.out.quiet, 0);
  diagnostics diag;
  archive_add_report rep;
  rep.archive = o.archive;
  rep.settings = ar->settings();
  rep.match = opts.match;
  // Batches of about --batch-mb of text, each one transaction.
  const std::uint64_t batch_bytes = o.batch_mb << 20;
  std::vector<document> pending;
  std::uint64_t pending_bytes = 0;
  auto flush = [&]() -> result<void> {
    if (pending.empty())
      return {};
    std::vector<doc_meta> meta(pending.size());
    for (std::size_t i = 0; i < pending.size(); ++i) {
      std::size_t f = 0;
      const auto& m = pending[i].meta;
      auto take = [&](const std::string& field, std::optional<std::string>& into) {
        if (field.empty())
          return;
        if (f < m.size())
          into = m[f];
        ++f;
      };
      take(o.source_field, meta[i].source);
      take(o.time_field, meta[i].time);
      take(o.url_field, meta[i].url);
      if (meta[i].time && !text::parse_iso8601(*meta[i].time)) {
        diag.warn(reader->describe(pending[i].where),
                  "time \"" + *meta[i].time + "\" is not ISO 8601; kept as text, not ordered");
      }
    }
    auto added = ar->add_batch(pending, meta, opts);
    if (!added)
      return added.error();
    for (auto& a : *added)
      rep.documents.push_back(std::move(a));
    pending.clear();
    pending_bytes = 0;
    return {};
  };
  for (;;) {
    auto batch = reader->next_batch(diag);
    if (!batch)
      return batch.error();
    if (batch->empty())
      break;
    for (document& d : *batch) {
      pending_bytes += d.text.size();
      pending.push_back(std::move(d));
    }
    if (pending_bytes >= batch_bytes) {
      if (auto r = flush(); !r)
        return r.error();
    }
  }
  if (auto r = flush(); !r)
    return r.error();
  auto info = ar->info();
  if (!info)
    return info.error();
  rep.archive_documents = info->documents;
  if (auto d = report_diagnostics(diag, o.out); !d)
    return d.error();
  render_context ctx;
  ctx.reader = &*reader;
  return finish_run(o.out, [&](std::ostream& os) { return render(os, rep, *format, ctx); });
}

result<int> run_remove(const remove_cli& o) {
  std::vector<std::string> ids = o.ids;
  if (!o.ids_file.empty()) {
    std::ifstream file;
    std::istream* in = &std::cin;
    if (o.ids_file != "-") {
      file.open(o.ids_file);
      if (!file)
        return make_error(errc::not_found, o.ids_file + ": cannot open the id list");
      in = &file;
    }
    for (std::string line; std::getline(*in, line);) {
      if (!line.empty() && line.back() == '\r')
        line.pop_back();
      if (!line.empty())
        ids.push_back(line);
    }
  }
  if (ids.empty())
    return make_error(errc::invalid_argument, "no ids to remove (give IDs or --ids-file)");
  auto ar = archive::open(o.archive, archive::open_mode::read_write);
  if (!ar)
    return ar.error();
  auto missing = ar->remove(ids);
  if (!missing)
    return missing.error();
  for (const std::string& id : *missing) {
    std::fprintf(stderr, "copydesk: warning: %s: not in the archive\n",
                 escape_controls(id).c_str());
  }
  auto info = ar->info();
  if (!info)
    return info.error();
  const std::string text =
      "copydesk archive remove: " + std::to_string(ids.size() - missing->size()) + " removed, " +
      std::to_string(missing->size()) + " not found; archive now " +
      std::to_string(info->documents) + " documents\n";
  return finish_run(o.out, text);
}

} // namespace

command make_archive(CLI::App& root) {
  CLI::App* app = root.add_subcommand(
      "archive", "A persistent archive (one SQLite file) that grows: add documents (each is "
                 "first compared with everything archived), remove, inspect, verify, compact");
  app->require_subcommand(1);
  app->footer("Then `copydesk check --archive ARCHIVE DRAFT` tells what a text takes from it.\n"
              "docs/ARCHIVE.md explains the workflow; docs/FORMAT.md the file.");

  auto a = std::make_shared<add_cli>();
  CLI::App* add = app->add_subcommand(
      "add", "Add documents (creating the archive if missing); report what each duplicates");
  add->footer("An id already archived with the same content is skipped (so rerunning an add\n"
              "finishes it); with other content it is an error unless --replace. Each batch is\n"
              "one transaction: an interrupted add keeps every batch committed before.\n"
              "--format jsonl gives every input record back with \"new\", \"duplicate_of\",\n"
              "\"cluster\" and \"status\": incremental dedup of a crawl.\n\n"
              "Examples:\n"
              "  copydesk archive add wire.db wire/2024-05-01.jsonl --source-field agency "
              "--time-field published\n"
              "  copydesk archive add crawl.db today.jsonl --format jsonl -o today-marked.jsonl");
  add->add_option("archive", a->archive, "Archive file (created if missing)")->required();
  add_input_options(*add, a->in);
  add_output_options(*add, a->out, {"table", "json", "jsonl", "csv"});
  add->add_option("--source-field", a->source_field,
                  "JSONL key (CSV column) of the source (agency, outlet)");
  add->add_option("--time-field", a->time_field,
                  "JSONL key (CSV column) of the publication time (ISO 8601)");
  add->add_option("--url-field", a->url_field, "JSONL key (CSV column) of the URL");
  add->add_flag("--replace", a->replace,
                "Replace documents whose id is archived with other content");
  add->add_option("-t,--threshold", a->threshold, "Jaccard threshold for near-duplicates")
      ->check(CLI::Range(0.01, 1.0))
      ->capture_default_str();
  add->add_option("-c,--containment", a->containment,
                  "Share of the smaller document's shingles that must occur in the larger")
      ->check(CLI::Range(0.01, 1.0))
      ->capture_default_str();
  add->add_flag("--no-containment", a->no_containment, "Report near-duplicates only");
  add->add_option("--max-df", a->max_df,
                  "Fingerprints found in more archived documents than this are ignored")
      ->check(CLI::Range(2u, 1u << 30))
      ->capture_default_str();
  add->add_option("--batch-mb", a->batch_mb, "Text per transaction, in MiB")
      ->check(CLI::Range(1, 4096))
      ->capture_default_str();
  a->settings.add(*add);

  auto r = std::make_shared<remove_cli>();
  CLI::App* rm = app->add_subcommand("remove", "Remove documents by id (one transaction)");
  rm->add_option("archive", r->archive, "Archive file")->required();
  rm->add_option("ids", r->ids, "Ids to remove");
  rm->add_option("--ids-file", r->ids_file, "Read ids from FILE, one per line (- for stdin)");
  add_output_options(*rm, r->out, {"table"});

  auto i = std::make_shared<archive_only_cli>();
  CLI::App* info = app->add_subcommand("info", "Counts, settings, sizes and format version");
  info->add_option("archive", i->archive, "Archive file")->required();
  add_output_options(*info, i->out, {"table", "json"});

  auto v = std::make_shared<archive_only_cli>();
  CLI::App* verify = app->add_subcommand(
      "verify", "Check the file (SQLite integrity) and copydesk's invariants; exit 1 on problems");
  verify->add_option("archive", v->archive, "Archive file")->required();
  add_output_options(*verify, v->out, {"table"});

  auto c = std::make_shared<archive_only_cli>();
  CLI::App* compact = app->add_subcommand(
      "compact", "Fold the write-ahead log in and rebuild the file without free pages");
  compact->add_option("archive", c->archive, "Archive file")->required();
  add_output_options(*compact, c->out, {"table"});

  return {app, [=]() -> result<int> {
            if (add->parsed())
              return run_add(*a);
            if (rm->parsed())
              return run_remove(*r);
            if (info->parsed()) {
              auto f = parse_output_format(i->out.format);
              if (!f)
                return f.error();
              auto ar = archive::open(i->archive, archive::open_mode::read_only);
              if (!ar)
                return ar.error();
              auto in = ar->info();
              if (!in)
                return in.error();
              return finish_run(i->out, render_string(*in, *f));
            }
            if (verify->parsed()) {
              auto ar = archive::open(v->archive, archive::open_mode::read_only);
              if (!ar)
                return ar.error();
              auto rep = ar->verify();
              if (!rep)
                return rep.error();
              std::string text;
              for (const std::string& p : rep->problems)
                text += "problem: " + escape_controls(p) + "\n";
              text += "copydesk archive verify: " + std::to_string(rep->documents) +
                      " documents, " + std::to_string(rep->problems.size()) + " problems\n";
              auto w = finish_run(v->out, text);
              if (!w)
                return w;
              return rep->problems.empty() ? 0 : 1;
            }
            auto ar = archive::open(c->archive, archive::open_mode::read_write);
            if (!ar)
              return ar.error();
            if (auto res = ar->compact(); !res)
              return res.error();
            auto in = ar->info();
            if (!in)
              return in.error();
            return finish_run(
                c->out, "copydesk archive compact: " + std::to_string(in->file_bytes) + " bytes\n");
          }};
}

} // namespace copydesk::cli
