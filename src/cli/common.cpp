// Shared option wiring and output helpers of the CLI.
#include "common.hpp"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <streambuf>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace copydesk::cli {

void add_input_options(CLI::App& app, input_options& in, bool inputs_required) {
  auto* opt = app.add_option(
      "inputs", in.inputs,
      "Documents to read: a directory (every file under it, id = relative path), a .jsonl file "
      "(one JSON object per line), a .csv or .tsv file (a header row, then one document per "
      "row), a .warc or .warc.gz file (each HTML or text/plain response record, id = "
      "WARC-Record-ID), an HTML page (.html, .htm or sniffed: its text), any other file (one "
      "document, id = the path), or - for JSONL on standard input. gzip and zstd files are "
      "decompressed as they are read (found by their first bytes; data.jsonl.gz, data.csv.zst "
      "and data.json.gz are record files); UTF-16 text with a byte order mark is converted to "
      "UTF-8");
  if (inputs_required)
    opt->required();
  app.add_option("--id-field", in.id_field,
                 "JSONL key or CSV/TSV column holding the document id (missing: FILE:LINE, "
                 "for CSV FILE:ROW with the header as row 1); for WARC files, \"url\" takes "
                 "WARC-Target-URI as the id")
      ->capture_default_str();
  app.add_option("--text-field", in.text_field,
                 "JSONL key or CSV/TSV column holding the document text")
      ->capture_default_str();
  app.add_flag("--skip-bad", in.skip_bad,
               "Turn a malformed JSONL line or CSV row, or the cut end of a truncated or "
               "corrupt .gz/.zst file, into a counted warning instead of an error");
  app.add_option("--encoding", in.encoding,
                 "Character set of inputs without a byte order mark, converted to UTF-8 as they "
                 "are read (windows-1252, iso-8859-1, ...: any ICU converter name); byte offsets "
                 "then refer to the UTF-8 text. Default: UTF-8");
  app.add_option("--max-doc-bytes", in.max_doc_bytes,
                 "Largest document (a file, a JSONL line or a CSV row, after decompression) in "
                 "bytes; a larger one is listed with "
                 "an error and a warning, and not read into memory")
      ->check(CLI::Range(std::uint64_t{1}, defaults::max_doc_bytes_limit))
      ->capture_default_str();
  in.command = app.get_name();
  if (in.memory_per_byte > 0.0) {
    app.add_option("--memory-limit", in.memory_limit,
                   "Peak memory, in bytes, the run may need for its largest document; a larger "
                   "document stops the run with an error before any work on it")
        ->check(CLI::Range(std::uint64_t{1}, std::uint64_t{1} << 50))
        ->capture_default_str();
  }
  // issue 14: page furniture and HTML
  app.add_flag("--strip-boilerplate", in.strip_boilerplate,
               "Remove page furniture before comparing: menus, related-article lists, comment "
               "threads, share buttons, cookie notices and footers (HTML blocks, or lines of "
               "plain text). Removed text becomes spaces, so offsets still point into the "
               "original; --format jsonl lists the removed spans under \"boilerplate\"");
  app.add_flag("--keep-html", in.keep_html,
               "With --format jsonl: records of HTML pages and WARC responses also carry the "
               "page's HTML, under \"html\" (\"text\" is the extracted text the offsets refer "
               "to)");
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
  ro.encoding = in.encoding;
  if (in.memory_per_byte > 0.0) {
    ro.memory_doc_bytes = std::max<std::uint64_t>(
        1, static_cast<std::uint64_t>(static_cast<double>(in.memory_limit) / in.memory_per_byte));
    ro.memory_doc_reason = "copydesk " + in.command + " needs about " +
                           std::to_string(std::lround(in.memory_per_byte)) +
                           " bytes of memory per byte of one document, so documents up to " +
                           std::to_string(ro.memory_doc_bytes) +
                           " bytes fit in the memory limit of " + std::to_string(in.memory_limit) +
                           " bytes (--memory-limit)";
  }
  ro.meta_fields = in.meta_fields;
  ro.strip_boilerplate = in.strip_boilerplate;
  ro.keep_html = in.keep_html;
  ro.share = in.share;
  ro.shares = in.shares;
  return corpus_reader::open(in.inputs, ro);
}

void print_read_stats(const corpus_reader& reader) {
  const read_stats st = reader.stats();
  std::string line;
  auto add = [&](const std::string& part) { line += (line.empty() ? "" : ", ") + part; };
  if (st.html_pages != 0)
    add(std::to_string(st.html_pages) + " HTML pages");
  if (st.warc_records != 0) {
    std::string part = std::to_string(st.warc_records) + " WARC records";
    std::string skipped;
    for (const auto& [reason, n] : st.warc_skipped)
      skipped += (skipped.empty() ? "" : ", ") + std::to_string(n) + " " + reason;
    if (!skipped.empty())
      part += " (skipped: " + skipped + ")";
    add(part);
  }
  if (st.stripped_documents != 0) {
    add("furniture removed from " + std::to_string(st.stripped_documents) + " documents (" +
        std::to_string(st.stripped_blocks) + " blocks, " + std::to_string(st.stripped_bytes) +
        " bytes)");
  }
  if (!line.empty())
    std::fprintf(stderr, "copydesk: read: %s\n", line.c_str());
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
  // An aggregate: make_unique cannot brace-initialize it before parenthesized aggregate init.
  // NOLINTNEXTLINE(modernize-make-unique)
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

namespace {

// A buffered stream to standard output or to a file opened at the first byte written. Failures
// are kept (the stream goes bad) and given back by close() with the messages write_file uses.
class output_buf final : public std::streambuf {
public:
  explicit output_buf(const std::string& path) : path_(path), name_(path) { init(); }
  // Writes to `path` but names `name` in messages (a temporary file renamed to name).
  output_buf(const std::string& path, const std::string& name) : path_(path), name_(name) {
    init();
  }
  output_buf() : file_(stdout), name_("standard output") { init(); }
  output_buf(const output_buf&) = delete;
  output_buf& operator=(const output_buf&) = delete;
  ~output_buf() override {
    if (file_ != nullptr && file_ != stdout)
      std::fclose(file_);
  }

  // Writes what is buffered, creates a file that got no byte, closes it.
  result<void> close() {
    if (drain() && (file_ != nullptr || open()) && std::fflush(file_) != 0)
      fail("write failed");
    if (file_ != stdout && file_ != nullptr) {
      const int rc = std::fclose(file_);
      file_ = nullptr;
      if (rc != 0 && !failure_)
        fail("write failed");
    }
    if (failure_ && file_ == stdout && errno_ == EPIPE)
      return {}; // a closed pipe (e.g. `| head`) is not our failure
    if (failure_)
      return std::move(*failure_);
    return {};
  }

protected:
  int_type overflow(int_type c) override {
    if (!drain())
      return traits_type::eof();
    if (!traits_type::eq_int_type(c, traits_type::eof())) {
      *pptr() = traits_type::to_char_type(c);
      pbump(1);
    }
    return traits_type::not_eof(c);
  }
  int sync() override { return drain() ? 0 : -1; }

private:
  void init() {
    buffer_.resize(std::size_t{1} << 16);
    setp(buffer_.data(), buffer_.data() + buffer_.size());
  }
  bool open() {
    file_ = std::fopen(path_.c_str(), "wb");
    if (file_ == nullptr) {
      fail("cannot write");
      return false;
    }
    return true;
  }
  bool drain() {
    if (failure_)
      return false;
    const auto n = static_cast<std::size_t>(pptr() - pbase());
    if (n == 0)
      return true;
    if (file_ == nullptr && !open())
      return false;
    if (std::fwrite(pbase(), 1, n, file_) != n) {
      fail("write failed");
      return false;
    }
    setp(buffer_.data(), buffer_.data() + buffer_.size());
    return true;
  }
  void fail(const char* what) {
    errno_ = errno;
    failure_ = error{errc::io_error, name_ + ": " + what + ": " + std::strerror(errno_)};
  }

  std::vector<char> buffer_;
  std::FILE* file_ = nullptr;
  std::string path_;
  std::string name_;
  std::optional<error> failure_;
  int errno_ = 0;
};

} // namespace

result<int> finish_run(const output_options& out,
                       const std::function<result<void>(std::ostream&)>& write) {
  std::optional<output_buf> buf;
  // issue 12: a temporary file next to a regular -o file, renamed over it once complete, so a
  // failed or killed run never leaves a file that looks complete.
  std::string temp;
  if (out.atomic && !out.output.empty()) {
    struct stat sb {};
    if (::stat(out.output.c_str(), &sb) != 0 || S_ISREG(sb.st_mode))
      temp = out.output + ".tmp-" + std::to_string(::getpid());
  }
  if (out.output.empty())
    buf.emplace();
  else if (!temp.empty())
    buf.emplace(temp, out.output);
  else
    buf.emplace(out.output);
  std::ostream os(&*buf);
  const result<void> written = write(os);
  result<void> closed = written ? buf->close() : result<void>{};
  if (!temp.empty() &&
      (!written || !closed || std::rename(temp.c_str(), out.output.c_str()) != 0)) {
    const int e = errno;
    buf.reset();
    std::remove(temp.c_str());
    if (written && closed) {
      return make_error(errc::io_error,
                        out.output + ": cannot write: " + std::string(std::strerror(e)));
    }
  }
  if (!written)
    return written.error();
  if (!closed)
    return closed.error();
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

void add_time_field_option(CLI::App& app, std::string& field, const std::string& what) {
  app.add_option("--time-field", field,
                 "JSONL/CSV field with each document's publication time (ISO 8601: 2024-05-01, "
                 "2024-05-01T12:30Z); in WARC records, time or date is the WARC-Date. " +
                     what)
      ->type_name("NAME");
}

CLI::Option* add_time_window_option(CLI::App& app, double& days) {
  return app
      .add_option("--time-window", days,
                  "With --time-field: documents further apart than this many days are not "
                  "linked (documents without a time are linked as usual)")
      ->check(CLI::Range(0.001, 1000000.0))
      ->capture_default_str();
}

std::optional<std::size_t> use_time_field(input_options& in, const std::string& field) {
  if (field.empty())
    return std::nullopt;
  in.meta_fields.push_back(field);
  return in.meta_fields.size() - 1;
}

result<void> add_credits(const std::string& path, std::vector<credit_pattern>& into) {
  if (path.empty())
    return {};
  std::error_code ec;
  if (!std::filesystem::exists(path, ec))
    return make_error(errc::not_found, path + ": credits file not found");
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  if (!in && !in.eof())
    return make_error(errc::io_error, path + ": cannot read the credits file");
  auto parsed = parse_credits(text.str(), path);
  if (!parsed)
    return parsed.error();
  into.insert(into.end(), parsed->begin(), parsed->end());
  return {};
}

} // namespace copydesk::cli
