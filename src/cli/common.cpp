// Shared option wiring and output helpers of the CLI.
#include "common.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <thread>

namespace copydesk::cli {

void add_input_options(CLI::App& app, input_options& in, bool inputs_required) {
  auto* opt = app.add_option(
      "inputs", in.inputs,
      "Documents to read: a directory (every file under it, id = relative path), a .jsonl file "
      "(one JSON object per line), any other file (one document, id = the path), or - for JSONL "
      "on standard input");
  if (inputs_required)
    opt->required();
  app.add_option("--id-field", in.id_field,
                 "JSONL key holding the document id (missing: FILE:LINE)")
      ->capture_default_str();
  app.add_option("--text-field", in.text_field, "JSONL key holding the document text")
      ->capture_default_str();
  app.add_flag("--skip-bad", in.skip_bad,
               "Turn a malformed JSONL line into a counted warning instead of an error");
  app.add_option("--max-doc-bytes", in.max_doc_bytes,
                 "Largest document (a file or a JSONL line) in bytes; a larger one is listed with "
                 "an error and a warning, and not read into memory")
      ->check(CLI::Range(std::uint64_t{1}, defaults::max_doc_bytes_limit))
      ->capture_default_str();
  app.add_flag("--follow", in.follow,
               "Follow symbolic links to directories inside input directories (loops are "
               "skipped with a warning); links to files are always read");
}

void add_output_options(CLI::App& app, output_options& out,
                        const std::vector<std::string>& formats) {
  app.add_option("--format", out.format, "Output format")
      ->check(CLI::IsMember(formats))
      ->capture_default_str();
  app.add_option("-o,--output", out.output, "Write results to FILE instead of standard output");
  app.add_option("-j,--threads", out.threads,
                 "Worker threads (0 = all cores); results do not depend on it")
      ->check(CLI::Range(0u, max_threads))
      ->capture_default_str();
  app.add_flag("-q,--quiet", out.quiet, "Print no warnings or progress on standard error");
  app.add_flag("--strict", out.strict,
               "Treat warnings (binary files, bad UTF-8, skipped lines) as errors");
}

result<corpus_reader> open_inputs(const input_options& in) {
  read_options ro;
  ro.id_field = in.id_field;
  ro.text_field = in.text_field;
  ro.skip_bad = in.skip_bad;
  ro.max_doc_bytes = in.max_doc_bytes;
  ro.follow_links = in.follow;
  ro.meta_fields = in.meta_fields;
  return corpus_reader::open(in.inputs, ro);
}

unsigned thread_count(const output_options& out) {
  if (out.threads != 0)
    return out.threads;
  const unsigned hw = std::thread::hardware_concurrency();
  return hw == 0 ? 1 : hw;
}

namespace {
result<void> write_all(std::FILE* f, const std::string& text, const std::string& name) {
  if (!text.empty() && std::fwrite(text.data(), 1, text.size(), f) != text.size()) {
    return make_error(errc::io_error, name + ": write failed: " + std::strerror(errno));
  }
  if (std::fflush(f) != 0) {
    return make_error(errc::io_error, name + ": write failed: " + std::strerror(errno));
  }
  return {};
}
} // namespace

result<void> write_file(const std::string& path, const std::string& text) {
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr) {
    return make_error(errc::io_error, path + ": cannot write: " + std::strerror(errno));
  }
  auto r = write_all(f, text, path);
  if (std::fclose(f) != 0 && r) {
    return make_error(errc::io_error, path + ": write failed: " + std::strerror(errno));
  }
  return r;
}

result<std::unique_ptr<corpus_run>> start_run(const input_options& in, const output_options& out) {
  auto format = parse_output_format(out.format);
  if (!format)
    return format.error();
  auto reader = open_inputs(in);
  if (!reader)
    return reader.error();
  return std::unique_ptr<corpus_run>(new corpus_run{
      *format, std::move(*reader), progress_display(!out.quiet, input_size(in.inputs)), {}});
}

result<int> finish_run(const output_options& out, const result<std::string>& text) {
  if (!text)
    return text.error();
  if (auto w = write_output(out, *text); !w)
    return w.error();
  return 0;
}

result<void> write_output(const output_options& out, const std::string& text) {
  if (!out.output.empty())
    return write_file(out.output, text);
  auto r = write_all(stdout, text, "standard output");
  if (!r && errno == EPIPE)
    return {}; // a closed pipe (e.g. `| head`) is not our failure
  return r;
}

result<void> report_diagnostics(const diagnostics& diag, const output_options& out) {
  if (out.strict && !diag.empty()) {
    const diagnostic& d = diag.items().front();
    return make_error(errc::invalid_input, d.origin + ": " + d.message + " (--strict)");
  }
  if (out.quiet)
    return {};
  std::size_t shown = 0;
  for (const diagnostic& d : diag.items()) {
    if (shown++ == 20) {
      std::fprintf(stderr, "copydesk: warning: ... and %zu more\n", diag.items().size() - 20);
      break;
    }
    std::fprintf(stderr, "copydesk: %s: %s\n", d.level == severity::warning ? "warning" : "error",
                 escape_controls(d.origin + ": " + d.message).c_str());
  }
  return {};
}

} // namespace copydesk::cli
