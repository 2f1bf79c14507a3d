// Options shared by the subcommands (inputs, reading, output) and small helpers to turn them
// into library settings and to write results. Glue only: no scoring happens here.
#pragma once

#include <copydesk/dist.hpp>
#include <copydesk/error.hpp>
#include <copydesk/io.hpp>
#include <copydesk/output.hpp>
#include <copydesk/signals.hpp>
#include <copydesk/types.hpp>

#include "progress.hpp"

#include <CLI/CLI.hpp>

#include <functional>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace copydesk::cli {

/// Upper bound of -j/--threads: more threads than this only cost memory and start-up time.
inline constexpr unsigned max_threads = 1024;

/// Runs a parsed subcommand; returns the exit code or an error for main to print.
using runner = std::function<result<int>()>;

/// A subcommand and how to run it.
struct command {
  CLI::App* app = nullptr;
  runner run;
};

/// Inputs and how to read them.
struct input_options {
  std::vector<std::string> inputs;
  std::string id_field = "id";
  std::string text_field = "text";
  bool skip_bad = false;
  std::uint64_t max_doc_bytes = defaults::max_doc_bytes;
  bool follow = false;
  std::string encoding; ///< --encoding: charset of inputs without a byte order mark
  /// Peak memory the run may need (--memory-limit, bytes); with memory_per_byte, the largest
  /// document the command takes on.
  std::uint64_t memory_limit = default_memory_limit;
  /// Memory the command needs per text byte of its largest document (measured on one 1 GB
  /// document, bench/results/2026-12-02-vm/memory.md); 0 = no --memory-limit option.
  double memory_per_byte = 0.0;
  std::string command; ///< the subcommand's name, for messages
  static constexpr std::uint64_t default_memory_limit = std::uint64_t{6} << 30;
  std::vector<std::string> meta_fields; ///< more JSONL keys to keep (archive metadata)
  bool strip_boilerplate = false;       ///< issue 14: remove page furniture
  bool keep_html = false;               ///< issue 14: JSONL output keeps pages' HTML
  /// issue 12: read only share `share` of `shares` (read_options::share).
  std::uint32_t share = 0;
  std::uint32_t shares = 1;
};

/// Where and how results go.
struct output_options {
  std::string format = "table";
  std::string output;   ///< -o FILE; empty = stdout
  unsigned threads = 0; ///< 0 = all cores
  bool quiet = false;
  bool strict = false;
  /// Write -o through a temporary file renamed into place at the end (distributed runs).
  bool atomic = false;
};

void add_input_options(CLI::App& app, input_options& in, bool inputs_required = true);
void add_output_options(CLI::App& app, output_options& out,
                        const std::vector<std::string>& formats);

/// Opens the reader for the inputs.
[[nodiscard]] result<corpus_reader> open_inputs(const input_options& in);

/// What a corpus command (dedup, stories, borrow, report) sets up before its stage runs: the
/// output format and the inputs, both checked first, a progress display over the inputs' size,
/// and the diagnostics met while reading.
struct corpus_run {
  output_format format;
  corpus_reader reader;
  progress_display progress;
  diagnostics diag;
};

/// @return the format's or the inputs' error.
[[nodiscard]] result<std::unique_ptr<corpus_run>> start_run(const input_options& in,
                                                            const output_options& out);

/// Writes a rendered result to the -o file or stdout: 0, or the rendering's or the write's error.
[[nodiscard]] result<int> finish_run(const output_options& out, const result<std::string>& text);

/// Writes a result to the -o file or stdout as `write` makes it: 0, or the writer's or the
/// write's error. The file is created at the first byte (or at the end when nothing came), so a
/// writer that fails before writing leaves an existing file as it was.
[[nodiscard]] result<int> finish_run(const output_options& out,
                                     const std::function<result<void>(std::ostream&)>& write);

/// Number of worker threads to use (option value, or the machine's cores).
[[nodiscard]] unsigned thread_count(const output_options& out);

/// Writes `text` to the -o file or to stdout. An EPIPE on stdout is not an error.
[[nodiscard]] result<void> write_output(const output_options& out, const std::string& text);

/// Writes a whole file (for --html and the like).
[[nodiscard]] result<void> write_file(const std::string& path, const std::string& text);

/// Adds the credit lines of a --credits file (signals.hpp, parse_credits) to `into`; nothing
/// when `path` is empty. errc::not_found / errc::io_error / errc::invalid_input naming the file.
[[nodiscard]] result<void> add_credits(const std::string& path, std::vector<credit_pattern>& into);

/// Adds --time-field NAME (JSONL/CSV field, or the WARC date) to `app`; `what` ends the help
/// sentence ("who published first", "...").
void add_time_field_option(CLI::App& app, std::string& field, const std::string& what);

/// Adds --time-window DAYS (stories and report: articles further apart are not linked).
CLI::Option* add_time_window_option(CLI::App& app, double& days);

/// With a --time-field: the index in document::meta where the reader keeps it (added to
/// in.meta_fields); none without one.
[[nodiscard]] std::optional<std::size_t> use_time_field(input_options& in,
                                                        const std::string& field);

/// Prints diagnostics to stderr as "copydesk: warning: ORIGIN: MESSAGE" (a summary past 20);
/// with --strict any diagnostic becomes an error.
[[nodiscard]] result<void> report_diagnostics(const diagnostics& diag, const output_options& out);

/// issue 14: with -v, the reader's counts on stderr ("copydesk: read: 3 HTML pages, 12 WARC
/// records (4 request records, ... skipped), furniture removed from 3 documents (41 blocks,
/// 5120 bytes)"); nothing when there is nothing to tell.
void print_read_stats(const corpus_reader& reader);

/// Subcommand factories (one per cmd_<verb>.cpp). dedup splits its work over the ranks of
/// `world` when there is more than one (issue 12).
command make_dedup(CLI::App& root, dist::exchange& world);
command make_borrow(CLI::App& root);
command make_stories(CLI::App& root);
command make_idf(CLI::App& root);
command make_eval(CLI::App& root);
command make_report(CLI::App& root);
command make_archive(CLI::App& root);
command make_check(CLI::App& root);
command make_serve(CLI::App& root);

} // namespace copydesk::cli
