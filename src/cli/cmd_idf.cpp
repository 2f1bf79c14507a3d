// `copydesk idf fit|info`: fit document frequencies on an archive and save them as an IDF model
// for `copydesk stories --idf-model`; print a model's parameters. Glue only.
#include "common.hpp"

#include <copydesk/tfidf.hpp>

#include <memory>

namespace copydesk::cli {

namespace {
struct idf_cli {
  input_options in;
  output_options out;
  bool no_bigrams = false;
  bool no_stop_words = false;
  std::string model;
};
} // namespace

command make_idf(CLI::App& root) {
  auto o = std::make_shared<idf_cli>();
  CLI::App* app =
      root.add_subcommand("idf", "Fit and inspect IDF models (document frequencies of an archive)");
  app->require_subcommand(1);
  CLI::App* fit =
      app->add_subcommand("fit", "Count document frequencies over the inputs and save them");
  fit->footer("Example:\n  copydesk idf fit archive/ -o archive.idf\n"
              "  copydesk stories --idf-model archive.idf today/");
  add_input_options(*fit, o->in);
  fit->add_option("-o,--output", o->out.output, "Model file to write")->required();
  fit->add_option("-j,--threads", o->out.threads, "Worker threads (0 = all cores)")
      ->check(CLI::Range(0u, max_threads))
      ->capture_default_str();
  fit->add_flag("-q,--quiet", o->out.quiet, "Print no warnings on standard error");
  fit->add_flag("--strict", o->out.strict, "Treat warnings as errors");
  fit->add_flag("--no-bigrams", o->no_bigrams, "Count words only (use with stories --no-bigrams)");
  fit->add_flag("--no-stop-words", o->no_stop_words,
                "Keep stop words (use with stories --no-stop-words)");
  CLI::App* info = app->add_subcommand("info", "Print a model's parameters and size");
  info->add_option("model", o->model, "Model file")->required();

  return {app, [o, fit, info]() -> result<int> {
            if (fit->parsed()) {
              term_params p;
              p.bigrams = !o->no_bigrams;
              p.stop_words = !o->no_stop_words;
              auto reader = open_inputs(o->in);
              if (!reader)
                return reader.error();
              diagnostics diag;
              auto model = fit_idf(*reader, p, thread_count(o->out), diag);
              if (!model)
                return model.error();
              if (auto d = report_diagnostics(diag, o->out); !d)
                return d.error();
              if (model->documents() == 0) {
                return make_error(errc::empty_input, "no usable documents to fit an IDF model on");
              }
              if (auto s = model->save(o->out.output); !s)
                return s.error();
              if (!o->out.quiet) {
                std::fprintf(stderr, "copydesk: wrote %s: %llu documents, %zu terms\n",
                             escape_controls(o->out.output).c_str(),
                             static_cast<unsigned long long>(model->documents()), model->size());
              }
              return 0;
            }
            if (info->parsed()) {
              auto model = idf_model::load(o->model);
              if (!model)
                return model.error();
              // Through the output path every command uses: a failed write is an error, a
              // closed pipe is not.
              const output_options to_stdout;
              return finish_run(to_stdout,
                                "format_version " + std::to_string(idf_model::format_version) +
                                    "\nnormalization " + std::to_string(model->normalization()) +
                                    "\nstop_list " + std::to_string(model->stop_list()) +
                                    "\nbigrams " + (model->params().bigrams ? "on" : "off") +
                                    "\nstop_words " + (model->params().stop_words ? "on" : "off") +
                                    "\ndocuments " + std::to_string(model->documents()) +
                                    "\nterms " + std::to_string(model->size()) + "\n");
            }
            return make_error(errc::invalid_argument, "idf: expected a subcommand (fit or info)");
          }};
}

} // namespace copydesk::cli
