// Corpus reader: expands inputs into sources (whole files, record files: JSONL, CSV, TSV,
// compressed or not; stdin; WARC files), streams documents in batches, repairs invalid UTF-8,
// detects duplicate ids and can read any record again. The byte layers under a record stream
// (decompression, charset conversion, the store of transformed bytes) are in stream.hpp.
#include "io/boilerplate.hpp" // issue 14: HTML, WARC, page furniture
#include "io/csv.hpp"
#include "io/html.hpp"
#include "io/record_json.hpp"
#include "io/stream.hpp"
#include "io/warc.hpp"

#include <copydesk/io.hpp>
#include <copydesk/text.hpp>

#include <simdjson.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <map>
#include <optional>
#include <string_view>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>
#include <unordered_map>
#include <utility>

namespace copydesk {

namespace fs = std::filesystem;

namespace {

// Whole files are one document each; the others hold records (one per line, or per CSV row;
// WARC files: one per HTML or plain-text response record).
enum class source_kind : std::uint8_t {
  whole_file,
  record_file,
  record_stdin,
  record_memory,
  warc
};
enum class record_format : std::uint8_t { jsonl, csv, tsv };

// The header of a CSV / TSV source: its column names and the columns the options name.
struct csv_header {
  std::vector<std::string> names;
  std::size_t id_column = npos_column; // npos_column: no such column (ids are FILE:ROW)
  std::size_t text_column = npos_column;
  std::vector<std::size_t> meta_columns; // per read_options::meta_fields; npos_column: missing
  static constexpr std::size_t npos_column = static_cast<std::size_t>(-1);
};

struct source {
  source_kind kind = source_kind::whole_file;
  std::string path;    // path to open
  std::string display; // path for messages
  std::string id;      // document id (whole files)
  std::string bytes;   // the records (record_memory)
  record_format format = record_format::jsonl;
  csv_header header;       // CSV / TSV, once its first record is read
  bool has_record = false; // issue 14: a whole file read as HTML or stripped (reread_record)
  // issue 12, reading in shares: whether this share reads the source at all, and for a JSONL
  // file split by lines, the byte range [split_begin, split_end) its lines start in and the
  // lines before it.
  bool mine = true;
  bool split = false;
  std::uint64_t split_begin = 0;
  std::uint64_t split_end = 0;
  std::uint64_t line_base = 0;
};

// Owns a POSIX file descriptor.
class unique_fd {
public:
  unique_fd() = default;
  explicit unique_fd(int fd) : fd_(fd) {}
  unique_fd(unique_fd&& o) noexcept : fd_(std::exchange(o.fd_, -1)) {}
  unique_fd& operator=(unique_fd&& o) noexcept {
    reset(std::exchange(o.fd_, -1));
    return *this;
  }
  unique_fd(const unique_fd&) = delete;
  unique_fd& operator=(const unique_fd&) = delete;
  ~unique_fd() { reset(); }
  void reset(int fd = -1) {
    if (fd_ >= 0)
      ::close(fd_);
    fd_ = fd;
  }
  [[nodiscard]] int get() const noexcept { return fd_; }

private:
  int fd_ = -1;
};

std::string errno_text(int e) { return std::strerror(e); }

// The record format a file name announces, or none for a whole-file document. A compression
// suffix (.gz, .zst) is looked through; `.json.gz` is JSONL, as C4 and other crawls ship it
// (a plain `.json` stays one document). Compression itself is found by magic bytes.
std::optional<record_format> record_format_of(const std::string& path) {
  std::string name = fs::path(path).filename().string();
  bool compressed = false;
  for (const char* suffix : {".gz", ".zst", ".zstd"}) {
    if (name.size() > std::strlen(suffix) && name.ends_with(suffix)) {
      name.resize(name.size() - std::strlen(suffix));
      compressed = true;
      break;
    }
  }
  const std::string ext = fs::path(name).extension().string();
  if (ext == ".jsonl" || ext == ".ndjson" || (compressed && ext == ".json"))
    return record_format::jsonl;
  if (ext == ".csv")
    return record_format::csv;
  if (ext == ".tsv" || ext == ".tab")
    return record_format::tsv;
  return std::nullopt;
}

char delimiter_of(record_format f) { return f == record_format::tsv ? '\t' : ','; }

// The path without a compression suffix (.gz, .zst, .zstd): `page.html.gz` is an HTML page.
std::string_view without_compression_suffix(std::string_view path) {
  for (const std::string_view suffix : {".gz", ".zst", ".zstd"}) {
    if (path.size() > suffix.size() && path.ends_with(suffix))
      return path.substr(0, path.size() - suffix.size());
  }
  return path;
}

// Reads exactly `len` bytes at `offset`; false on failure.
bool pread_all(int fd, char* out, std::uint64_t len, std::uint64_t offset) {
  std::uint64_t got = 0;
  while (got < len) {
    const ssize_t r = ::pread(fd, out + got, len - got, static_cast<off_t>(offset + got));
    if (r < 0 && errno == EINTR)
      continue;
    if (r <= 0)
      return false;
    got += static_cast<std::uint64_t>(r);
  }
  return true;
}

// read(2) that retries on EINTR.
ssize_t read_some(int fd, char* out, std::size_t len) {
  ssize_t r = 0;
  do {
    r = ::read(fd, out, len);
  } while (r < 0 && errno == EINTR);
  return r;
}

// Why a document over the size limit is not read; `size` when known (0: a stream).
std::string too_large(std::uint64_t size, std::uint64_t limit) {
  return (size != 0 ? std::to_string(size) + " bytes, larger" : std::string("larger")) +
         " than the document size limit of " + std::to_string(limit) + " bytes (--max-doc-bytes)";
}

// Reads a whole file into `text`. A regular file is sized first, so one over `limit` is not read
// at all; anything else (a pipe, a FIFO, a /proc file, which report size 0) is read to its end,
// keeping at most limit + 1 bytes. @return "" or what went wrong; `is_stream` says which way.
std::string read_file(const std::string& path, std::uint64_t limit, std::string& text,
                      bool& is_stream) {
  text.clear();
  is_stream = false;
  unique_fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0)
    return "cannot read: " + errno_text(errno);
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0)
    return "cannot stat: " + errno_text(errno);
  const auto size = static_cast<std::uint64_t>(st.st_size);
  if (S_ISREG(st.st_mode) && size > limit)
    return too_large(size, limit);
  // A regular file with a size is read up to that size (one that shrank meanwhile ends early);
  // a stream grows its buffer until its end or past the limit.
  is_stream = !S_ISREG(st.st_mode) || size == 0;
  if (!is_stream)
    text.resize(static_cast<std::size_t>(size));
  std::size_t got = 0;
  for (;;) {
    if (got == text.size()) {
      if (!is_stream || got > limit)
        break;
      text.resize(static_cast<std::size_t>(
          std::min<std::uint64_t>(std::max<std::size_t>(2 * got, 64 << 10), limit + 1)));
    }
    const ssize_t r = read_some(fd.get(), text.data() + got, text.size() - got);
    if (r < 0)
      return "cannot read: " + errno_text(errno);
    if (r == 0)
      break;
    got += static_cast<std::size_t>(r);
  }
  text.resize(got);
  if (got > limit) {
    text = std::string();
    return too_large(0, limit);
  }
  return {};
}

// Directory expansion: every regular file under a directory, id = its path relative to the
// directory, built from the names walked (never from a resolved path, so a link to a file is a
// document of its own). Links to directories are followed only with `follow`; a directory that
// is one of its own ancestors (a link loop, or a bind mount) is skipped with a warning.
struct dir_walk {
  bool follow = false;
  std::vector<std::pair<std::string, std::string>> files; // relative id, path
  std::vector<diagnostic> warnings;
  struct ancestor {
    dev_t dev;
    ino_t ino;
    std::string path; // as walked, for the loop warning
  };
  std::vector<ancestor> ancestors;

  result<void> walk(const fs::path& dir, const std::string& prefix) {
    std::error_code ec;
    fs::directory_iterator it(dir, ec);
    for (; !ec && it != fs::directory_iterator(); it.increment(ec)) {
      const fs::directory_entry& e = *it;
      const std::string id = prefix.empty() ? e.path().filename().string()
                                            : prefix + "/" + e.path().filename().string();
      std::error_code e1;
      const bool link = e.is_symlink(e1);
      const fs::file_status st = e.status(e1); // through links
      if (fs::is_directory(st)) {
        if (link && !follow)
          continue; // the convention of find and ripgrep; --follow changes it
        struct stat sb {};
        if (::stat(e.path().c_str(), &sb) != 0) {
          warnings.push_back({severity::warning, e.path().string(),
                              "cannot read directory: " + errno_text(errno)});
          continue;
        }
        const auto loop = std::find_if(ancestors.begin(), ancestors.end(), [&](const ancestor& a) {
          return a.dev == sb.st_dev && a.ino == sb.st_ino;
        });
        if (loop != ancestors.end()) {
          warnings.push_back({severity::warning, e.path().string(),
                              "directory loop skipped: it leads back to " + loop->path +
                                  ", which is being walked"});
          continue;
        }
        ancestors.push_back({sb.st_dev, sb.st_ino, e.path().string()});
        auto r = walk(e.path(), id);
        ancestors.pop_back();
        if (!r)
          return r;
      } else if (fs::is_regular_file(st)) {
        files.emplace_back(id, e.path().string());
      } else if (link && !fs::exists(st)) {
        warnings.push_back({severity::warning, e.path().string(), "broken symbolic link skipped"});
      }
    }
    if (ec)
      return make_error(errc::io_error, dir.string() + ": cannot read directory: " + ec.message());
    return {};
  }
};

// A whole file's bytes made UTF-8 text: decompressed when they start with a gzip or zstd magic,
// converted from UTF-16 (byte order mark) or from --encoding's charset, and without a UTF-8
// byte order mark. @return "" or what went wrong.
std::string decode_whole(std::string& text, const read_options& opts) {
  const std::string_view head = std::string_view(text).substr(0, 4);
  if (detail::sniff_compression(head) != detail::compression::none ||
      head.starts_with("\xFF\xFE") || head.starts_with("\xFE\xFF") || !opts.encoding.empty()) {
    const std::string raw = std::move(text);
    text = std::string();
    auto opened = detail::open_stream(detail::memory_stream(raw), opts.encoding);
    if (!opened)
      return opened.error().message;
    if (auto r = detail::read_to_end(*opened->stream, opts.max_doc_bytes, text); !r) {
      text = std::string();
      return r.error().message;
    }
    if (text.size() > opts.max_doc_bytes) {
      text = std::string();
      return std::string(to_string(opened->compressed)) + "-decompressed text " +
             too_large(0, opts.max_doc_bytes);
    }
  }
  if (text.starts_with("\xEF\xBB\xBF"))
    text.erase(0, 3);
  return {};
}

// A file is binary if its first 8 KiB hold a NUL byte (the rule git and grep use).
bool looks_binary(std::string_view bytes) {
  return bytes.substr(0, 8192).find('\0') != std::string_view::npos;
}

// Parses one JSONL record into `d`; returns a description of what is wrong, or "".
std::string parse_record(simdjson::dom::parser& parser, const read_options& opts, const char* p,
                         std::size_t len, document& d) {
  std::string repaired;
  simdjson::dom::element root;
  auto err = parser.parse(reinterpret_cast<const std::uint8_t*>(p), len, false).get(root);
  if (err == simdjson::UTF8_ERROR) {
    repaired.assign(p, len);
    d.invalid_utf8 = static_cast<std::uint32_t>(text::repair_utf8(repaired));
    err = parser.parse(repaired).get(root);
  }
  if (err == simdjson::STRING_ERROR) {
    return "malformed JSON string (a bad escape, such as a lone UTF-16 surrogate \\ud800 that "
           "no \\udc00-\\udfff follows)";
  }
  if (err)
    return std::string("malformed JSON (") + simdjson::error_message(err) + ")";
  simdjson::dom::object obj;
  if (root.get_object().get(obj))
    return "a JSONL record must be a JSON object";
  simdjson::dom::element id_el;
  if (!obj[opts.id_field].get(id_el)) {
    std::string_view sv;
    std::int64_t i64 = 0;
    std::uint64_t u64 = 0;
    if (!id_el.get_string().get(sv)) {
      d.id.assign(sv);
    } else if (!id_el.get_int64().get(i64)) {
      d.id = std::to_string(i64);
    } else if (!id_el.get_uint64().get(u64)) {
      d.id = std::to_string(u64);
    } else if (!id_el.is_null()) {
      return "field \"" + opts.id_field + "\" must be a string or an integer";
    }
  }
  simdjson::dom::element text_el;
  if (obj[opts.text_field].get(text_el))
    return "no field \"" + opts.text_field + "\"";
  std::string_view text;
  if (text_el.get_string().get(text)) {
    return "field \"" + opts.text_field + "\" must be a string";
  }
  d.text.assign(text);
  d.meta.assign(opts.meta_fields.size(), std::nullopt);
  for (std::size_t i = 0; i < opts.meta_fields.size(); ++i) {
    simdjson::dom::element el;
    if (obj[opts.meta_fields[i]].get(el) || el.is_null())
      continue;
    std::string_view sv;
    if (!el.get_string().get(sv))
      d.meta[i] = std::string(sv);
    else
      d.meta[i] = simdjson::minify(el);
  }
  // JSON escapes can still encode lone surrogates; simdjson rejects those, so text is valid.
  return {};
}

// A CSV record's bytes as valid UTF-8 (a repaired copy in `repaired` when needed).
std::string_view valid_utf8(std::string_view rec, std::string& repaired, std::uint32_t& count) {
  count = 0;
  if (simdjson::validate_utf8(rec.data(), rec.size()))
    return rec;
  repaired.assign(rec);
  count = static_cast<std::uint32_t>(text::repair_utf8(repaired));
  return repaired;
}

// Reads a CSV / TSV header into `h`; "" or what is wrong (no column for the text).
std::string parse_csv_header(csv_header& h, record_format f, const read_options& opts,
                             std::string_view rec, std::vector<std::string>& fields) {
  std::string repaired;
  std::uint32_t invalid = 0;
  std::string problem =
      detail::split_csv_record(valid_utf8(rec, repaired, invalid), delimiter_of(f), fields);
  if (!problem.empty())
    return "header: " + problem;
  h = csv_header{};
  h.names = fields;
  auto column = [&](const std::string& name) {
    const auto it = std::find(h.names.begin(), h.names.end(), name);
    return it == h.names.end() ? csv_header::npos_column
                               : static_cast<std::size_t>(it - h.names.begin());
  };
  h.id_column = column(opts.id_field);
  h.text_column = column(opts.text_field);
  for (const std::string& m : opts.meta_fields)
    h.meta_columns.push_back(column(m));
  if (h.text_column == csv_header::npos_column) {
    std::string names;
    for (const std::string& n : h.names)
      names += (names.empty() ? "\"" : ", \"") + n + "\"";
    return "the header has no column \"" + opts.text_field + "\" (its columns: " + names +
           "); --text-field names the column of the text";
  }
  return {};
}

// Fills `d` (id, text, meta, invalid_utf8) from one CSV / TSV row; "" or what is wrong.
std::string parse_csv_row(const csv_header& h, record_format f, const read_options& opts,
                          std::string_view rec, document& d, std::vector<std::string>& fields) {
  std::string repaired;
  std::string problem =
      detail::split_csv_record(valid_utf8(rec, repaired, d.invalid_utf8), delimiter_of(f), fields);
  if (!problem.empty())
    return problem;
  if (fields.size() != h.names.size()) {
    return std::to_string(fields.size()) + " field(s), but the header has " +
           std::to_string(h.names.size()) + " (a field holding the delimiter must be quoted)";
  }
  if (h.id_column != csv_header::npos_column)
    d.id = fields[h.id_column]; // an empty cell: no id (FILE:ROW)
  d.meta.assign(opts.meta_fields.size(), std::nullopt);
  for (std::size_t i = 0; i < h.meta_columns.size(); ++i) {
    const std::size_t c = h.meta_columns[i];
    if (c != csv_header::npos_column && !fields[c].empty())
      d.meta[i] = fields[c];
  }
  d.text = std::move(fields[h.text_column]);
  return {};
}

} // namespace

struct corpus_reader::impl {
  // JSONL files whose descriptors stay open after they are read, for rereads: at most 256 and an
  // eighth of the process's descriptor limit. Past that, a reread opens its file again, so any
  // number of files can be given.
  std::size_t kept_fds_max = 256;

  read_options opts;
  std::vector<source> sources;
  std::vector<unique_fd> record_fds; // record files: while read and (some) after; stdin: spool
  // Per source: the bytes of a decompressed or converted record stream, for rereads (null for
  // streams whose records are read again from the file or the spool).
  std::vector<std::unique_ptr<detail::record_store>> stores;
  std::uint64_t raw_budget = 0; // bytes the stores may still keep uncompressed
  std::unordered_map<std::uint32_t, std::string> stream_texts; // whole files that were streams
  std::vector<diagnostic> pending; // found while opening (directory loops), given to next_batch
  std::unordered_map<std::string, origin> seen_ids;
  std::vector<document> before_error; // the documents of a batch that ended in an error
  std::size_t produced = 0;
  std::size_t kept_fds = 0;
  // issue 14
  read_stats stats;
  std::map<std::string, std::uint64_t> warc_skipped;
  std::unique_ptr<detail::warc_stream> warc; // the WARC file being read
  // WARC records that start inside a gzip member, not at its start: (source, record) -> bytes
  // of the member's data before the record.
  std::map<std::pair<std::uint32_t, std::uint64_t>, std::uint64_t> warc_skips;

  // Streaming state for the current record source.
  std::size_t current = 0;
  bool in_stream = false;
  std::unique_ptr<detail::byte_stream> stream; // the source's bytes, through its layers
  std::vector<char> buf; // data in [start, end), SIMDJSON_PADDING bytes spare at the back
  std::size_t start = 0;
  std::size_t end = 0;
  std::size_t scanned = 0; // bytes after start known to hold no record end (each looked at once)
  std::size_t spooled = 0; // kept copy: bytes of buf before this are in it (or dropped)
  bool eof = false;
  std::optional<error> broken;   // the stream failed (truncated, corrupt): it ends there
  std::uint64_t file_offset = 0; // offset of buf[start] in the source
  std::uint64_t unspooled = 0;   // kept copy: bytes before buf[start] left out of it
  std::uint64_t line = 0;        // records (lines; CSV rows, the header being row 1) so far
  std::uint64_t phys_line = 1;   // CSV: the line the next record starts on
  bool header_done = false;      // CSV: the header has been read
  bool align = false;            // split source: skip to the first line that starts in range
  detail::csv_scanner scanner;
  std::vector<std::string> fields; // CSV: the fields of the record being read
  simdjson::dom::parser parser;

  result<void> add_id(document& d) {
    auto [it, inserted] = seen_ids.emplace(d.id, d.where);
    if (!inserted) {
      return make_error(errc::duplicate_id, "duplicate id \"" + d.id + "\": " +
                                                describe(it->second) + " and " + describe(d.where));
    }
    return {};
  }

  std::string describe(const origin& o) const {
    std::string s = sources[o.source].display;
    if (o.line != 0)
      s += (sources[o.source].kind == source_kind::warc ? "#" : ":") + std::to_string(o.line);
    return s;
  }

  // The bytes of a record, read again from its file, its memory, stdin's spool or its store.
  result<std::string> raw_record(const origin& where) const;
  // The text of a record read again (its bytes `rec`, from raw_record), before shaping.
  result<std::string> record_text(const origin& where, std::string rec) const;

  // issue 14: what a text becomes before the stages see it; the same on every reread.
  struct shaped {
    detail::strip_summary strip;
    bool html = false;
    bool stripped = false;
  };

  // `is_stream`: the file was not a regular one, so it cannot be read again. `how`: how the
  // text was shaped; `raw`: the file's text before (decompressed and converted to UTF-8).
  document read_whole_file(std::uint32_t index, diagnostics& diag, bool& is_stream,
                           shaped* how = nullptr, std::string* raw = nullptr) const {
    const source& src = sources[index];
    document d;
    d.id = src.id;
    d.where.source = index;
    std::string text;
    d.error = read_file(src.path, opts.max_doc_bytes, text, is_stream);
    if (!d.error.empty()) {
      diag.warn(src.display, d.error);
      return d;
    }
    d.where.length = text.size();
    d.error = decode_whole(text, opts);
    if (!d.error.empty()) {
      diag.warn(src.display, d.error);
      return d;
    }
    if (looks_binary(text)) {
      d.error = "binary file skipped";
      diag.warn(src.display, d.error);
      return d;
    }
    d.invalid_utf8 = static_cast<std::uint32_t>(text::repair_utf8(text));
    if (d.invalid_utf8 != 0) {
      diag.warn(src.display,
                std::to_string(d.invalid_utf8) + " invalid UTF-8 sequence(s) replaced by U+FFFD");
    }
    d.text = std::move(text);
    // issue 14: an HTML page becomes its text; furniture is stripped on request.
    if (raw != nullptr)
      *raw = d.text;
    const shaped s = shape_whole_file(src, d, diag);
    if (how != nullptr)
      *how = s;
    return d;
  }

  // --- issue 14: HTML pages, WARC records, page furniture ---

  // `text` is an HTML page (UTF-8): its extracted text, stripped on request.
  shaped shape_html(std::string& text, const std::string& where, diagnostics& diag) const {
    shaped s;
    s.html = true;
    detail::html_text page = detail::extract_html(text);
    if (page.text.empty()) {
      diag.warn(where, page.has_body ? "HTML page whose <body> has no text"
                                     : "HTML page with no <body> (no text)");
    }
    text = std::move(page.text);
    if (opts.strip_boilerplate) {
      s.strip = detail::strip_blocks(text, page.blocks);
      s.stripped = true;
    }
    return s;
  }

  // A plain text: stripped line by line on request.
  shaped shape_plain(std::string& text) const {
    shaped s;
    if (opts.strip_boilerplate) {
      s.strip = detail::strip_blocks(text, detail::line_blocks(text));
      s.stripped = true;
    }
    return s;
  }

  // Counts `s` in the stats, and on the document it shaped.
  void count(const shaped& s, document& d) {
    d.boilerplate_blocks = static_cast<std::uint32_t>(s.strip.removed.size());
    d.boilerplate_bytes = s.strip.removed_bytes;
    if (s.html)
      ++stats.html_pages;
    if (s.stripped && !s.strip.removed.empty()) {
      ++stats.stripped_documents;
      stats.stripped_blocks += s.strip.removed.size();
      stats.stripped_bytes += s.strip.removed_bytes;
    }
  }

  // A whole file is an HTML page by its name (looked at without a compression suffix) or by
  // its decoded text.
  shaped shape_whole_file(const source& src, document& d, diagnostics& diag) const {
    shaped s;
    if (detail::has_html_extension(without_compression_suffix(src.path)) ||
        detail::looks_like_html(d.text))
      s = shape_html(d.text, src.display, diag);
    else
      s = shape_plain(d.text);
    return s;
  }

  // A WARC record's value for a requested field: "id" the record id, "url" the target URI, "time"
  // or "date" the WARC-Date, anything else the WARC header of that name.
  static std::string warc_field(const detail::warc_record& rec, const std::string& name) {
    std::string_view v;
    if (name == "id")
      v = rec.header("WARC-Record-ID");
    else if (name == "url")
      v = rec.header("WARC-Target-URI");
    else if (name == "time" || name == "date")
      v = rec.header("WARC-Date");
    else
      v = rec.header(name);
    // Record ids are written <urn:uuid:...>: the brackets are no part of the id.
    if (v.size() >= 2 && v.front() == '<' && v.back() == '>')
      v = v.substr(1, v.size() - 2);
    return std::string(v);
  }

  // The document of a WARC record that holds a page (d.where already set); `page` decoded.
  void warc_document(const detail::warc_record& rec, detail::warc_page& page, document& d,
                     shaped& how, diagnostics& diag) const {
    const std::string where = describe(d.where);
    d.id = warc_field(rec, opts.id_field);
    if (d.id.empty())
      d.id = where;
    d.meta.assign(opts.meta_fields.size(), std::nullopt);
    for (std::size_t i = 0; i < opts.meta_fields.size(); ++i) {
      std::string v = warc_field(rec, opts.meta_fields[i]);
      if (!v.empty())
        d.meta[i] = std::move(v);
    }
    if (!rec.header("X-Copydesk-Too-Large").empty()) {
      d.error = too_large(std::stoull(std::string(rec.header("X-Copydesk-Too-Large"))),
                          opts.max_doc_bytes);
      diag.warn(where, d.error);
      return;
    }
    if (!page.warning.empty())
      diag.warn(where, page.warning);
    d.invalid_utf8 = static_cast<std::uint32_t>(page.replaced);
    if (d.invalid_utf8 != 0) {
      diag.warn(where,
                std::to_string(d.invalid_utf8) + " invalid UTF-8 sequence(s) replaced by U+FFFD");
    }
    d.text = std::move(page.body);
    how = page.is_html ? shape_html(d.text, where, diag) : shape_plain(d.text);
  }

  // Reads on in the current WARC source: at most one document per call (records that are no
  // document are counted); ends the source at its end.
  result<void> next_warc(std::vector<document>& out, std::size_t& bytes, diagnostics& diag) {
    const source& src = sources[current];
    if (!warc) {
      auto w = detail::warc_stream::open(src.path, src.display, opts.max_doc_bytes);
      if (!w)
        return w.error();
      warc = std::move(*w);
    }
    detail::warc_record rec;
    auto got = warc->next(rec);
    if (!got) {
      if (got.error().code != errc::invalid_input || !opts.skip_bad)
        return got.error();
      // --skip-bad: a counted warning; reading goes on at the next record.
      diag.warn(src.display, got.error().message + " (skipped)");
      ++warc_skipped["malformed records"];
      auto again = warc->resync();
      if (!again)
        return again.error();
      if (*again)
        return {};
      got = false;
    }
    if (!*got) {
      warc.reset();
      ++current;
      return {};
    }
    ++stats.warc_records;
    detail::warc_page page = detail::page_of(rec);
    if (!page.is_page && rec.header("X-Copydesk-Too-Large").empty()) {
      ++warc_skipped[page.skip_reason];
      return {};
    }
    document d;
    d.where = origin{static_cast<std::uint32_t>(current), rec.number, rec.offset, rec.length};
    if (rec.skip != 0)
      warc_skips[{d.where.source, rec.number}] = rec.skip;
    shaped how;
    warc_document(rec, page, d, how, diag);
    if (d.error.empty())
      count(how, d);
    if (auto r = add_id(d); !r)
      return r;
    bytes += d.text.size() + 64;
    out.push_back(std::move(d));
    ++produced;
    return {};
  }

  // A WARC document again, from its record; `html` gets the page's (converted) body.
  result<document> reread_warc(const origin& where, shaped& how, std::string* html) const {
    const source& src = sources[where.source];
    std::uint64_t skip = 0;
    if (const auto it = warc_skips.find({where.source, where.line}); it != warc_skips.end())
      skip = it->second;
    auto w =
        detail::warc_stream::open(src.path, src.display, opts.max_doc_bytes, where.offset, skip);
    if (!w)
      return w.error();
    detail::warc_record rec;
    auto got = (*w)->next(rec);
    if (!got)
      return got.error();
    if (!*got)
      return make_error(errc::io_error, describe(where) + ": cannot read the record again");
    rec.number = where.line;
    detail::warc_page page = detail::page_of(rec);
    if (html != nullptr)
      *html = page.body;
    document d;
    d.where = where;
    diagnostics ignored;
    warc_document(rec, page, d, how, ignored);
    if (!d.error.empty())
      return make_error(errc::io_error, describe(where) + ": " + d.error);
    return d;
  }

  bool is_stdin() const { return sources[current].kind == source_kind::record_stdin; }
  // The current source keeps a copy of its records for rereads: stdin's spool, or a store.
  bool keeps_copy() const { return is_stdin() || stores[current] != nullptr; }
  bool is_csv() const { return sources[current].format != record_format::jsonl; }

  // Writes the bytes consumed since the last call to the source's kept copy (stdin's spool
  // file, or the store of a decompressed or converted stream), so records can be read again.
  // Lines over the size limit are left out (a stream of them must not fill the disk).
  result<void> flush_spool() {
    if (!keeps_copy() || spooled >= start) {
      spooled = std::max(spooled, start);
      return {};
    }
    if (detail::record_store* store = stores[current].get()) {
      store->append(std::string_view(buf.data() + spooled, start - spooled));
      spooled = start;
      return {};
    }
    const int spool = record_fds[current].get();
    std::size_t done = spooled;
    while (done < start) {
      const ssize_t w = ::write(spool, buf.data() + done, start - done);
      if (w < 0 && errno == EINTR)
        continue;
      if (w <= 0)
        return make_error(errc::io_error, "cannot spool standard input: " + errno_text(errno));
      done += static_cast<std::size_t>(w);
    }
    spooled = start;
    return {};
  }

  // Refills the stream buffer; keeps [start, end) and appends what the stream gives, into room
  // for at least read_chunk_bytes. A stream that fails in its data (truncated or corrupt
  // compressed input) ends there, with `broken` set.
  result<void> refill() {
    const source& src = sources[current];
    if (broken) {
      eof = true;
      return {};
    }
    std::size_t chunk = std::max<std::size_t>(opts.read_chunk_bytes, 1);
    if (src.kind == source_kind::record_memory) // small sources need no large buffer
      chunk = std::min(chunk, std::max<std::size_t>(src.bytes.size(), 4096));
    if (start > 0) {
      if (auto r = flush_spool(); !r)
        return r;
      std::memmove(buf.data(), buf.data() + start, end - start);
      end -= start;
      spooled = 0;
      start = 0;
    }
    const std::size_t need = end + chunk + simdjson::SIMDJSON_PADDING;
    if (buf.size() < need) {
      // Doubling keeps refills amortised O(1) per byte; a line never needs more than the size
      // limit, so growth stops there.
      const auto cap = static_cast<std::size_t>(opts.max_doc_bytes) + 1 + need - end;
      buf.resize(std::max(need, std::min(buf.size() * 2, cap)));
    }
    const std::size_t room = buf.size() - simdjson::SIMDJSON_PADDING - end;
    auto r = stream->read(buf.data() + end, room);
    if (!r) {
      if (r.error().code == errc::invalid_input) {
        broken = r.error();
        eof = true;
        return {};
      }
      return make_error(r.error().code, src.display + ": " + r.error().message);
    }
    if (*r == 0) {
      eof = true;
      return {};
    }
    end += *r;
    return {};
  }

  // Offset of buf[start] where the record can be read again: the file, or the kept copy.
  std::uint64_t record_offset() const { return file_offset - unspooled; }

  // Index of the end (a newline; in CSV one outside quotes) of the current record in
  // [p, p + n), or npos; the CSV scanner keeps its state for the next piece.
  std::size_t find_end(const char* p, std::size_t n) {
    if (!is_csv()) {
      const void* nl = n == 0 ? nullptr : std::memchr(p, '\n', n);
      return nl == nullptr ? std::string_view::npos
                           : static_cast<std::size_t>(static_cast<const char*>(nl) - p);
    }
    return scanner.find_end(p, n);
  }

  // "FILE:ROW" and, when a CSV row does not start on the line of its number, " (line L)".
  std::string where_text(const origin& o, std::uint64_t starts_on) const {
    std::string s = describe(o);
    if (is_csv() && starts_on != o.line)
      s += " (line " + std::to_string(starts_on) + ")";
    return s;
  }

  // The stream failed (truncated, corrupt): an error naming the file and the last complete
  // record; with skip_bad a warning, and a document with the error standing for what is lost
  // (id FILE:LINE, the line after the last complete one). The stream ends here either way.
  result<void> stream_broken(std::vector<document>& out, std::size_t& bytes, diagnostics& diag) {
    const char* unit = is_csv() ? "row" : "line";
    const std::string what =
        broken->message + (line == 0 ? std::string(", before the first complete ") + unit
                                     : std::string(" after ") + unit + " " + std::to_string(line) +
                                           ", the last complete one");
    if (!opts.skip_bad)
      return make_error(errc::invalid_input, sources[current].display + ": " + what);
    document d;
    d.where = origin{static_cast<std::uint32_t>(current), line + 1, record_offset(), 0};
    d.id = describe(d.where);
    d.error = what;
    diag.warn(sources[current].display, what + " (the rest is skipped)");
    if (auto r = add_id(d); !r)
      return r;
    bytes += 64;
    out.push_back(std::move(d));
    ++produced;
    start = spooled = end; // the cut record is not kept
    return end_stream();
  }

  // A line over the size limit, of which [start, end) has been read: read on to its end without
  // keeping it, and list it as a document with an error (id FILE:LINE: its own id is unread).
  result<void> skip_long_line(std::vector<document>& out, std::size_t& bytes, diagnostics& diag) {
    ++line;
    const std::uint64_t starts_on = phys_line;
    document d;
    d.where = origin{static_cast<std::uint32_t>(current), line, record_offset(), 0};
    if (auto r = flush_spool(); !r) // the bytes before this line
      return r;
    std::uint64_t len = end - start;
    std::uint64_t newlines = is_csv() ? std::count(buf.data() + start, buf.data() + end, '\n') : 0;
    bool last = false;
    start = end = scanned = spooled = 0;
    for (;;) {
      if (auto r = refill(); !r)
        return r;
      if (eof && end == 0) {
        last = true;
        break;
      }
      const std::size_t at = find_end(buf.data(), end);
      const std::size_t upto = at == std::string_view::npos ? end : at;
      if (is_csv())
        newlines += static_cast<std::uint64_t>(std::count(buf.data(), buf.data() + upto, '\n'));
      if (at != std::string_view::npos) {
        len += at;
        start = spooled = at + 1; // the line and its newline stay out of the spool
        break;
      }
      len += end;
      end = 0;
    }
    if (broken) {
      line -= 1; // the long line was cut: it is what the broken stream lost
      return stream_broken(out, bytes, diag);
    }
    const std::uint64_t consumed = len + (last ? 0 : 1);
    file_offset += consumed;
    phys_line += newlines + 1;
    if (keeps_copy())
      unspooled += consumed;
    d.where.length = len;
    d.id = describe(d.where);
    d.error = too_large(len, opts.max_doc_bytes);
    if (last && is_csv() && scanner.in_quotes()) {
      d.error = "unterminated quoted field: its quote runs to the end of the file";
      if (!opts.skip_bad)
        return make_error(errc::invalid_input, where_text(d.where, starts_on) + ": " + d.error);
    }
    diag.warn(where_text(d.where, starts_on), d.error);
    if (auto r = add_id(d); !r)
      return r;
    bytes += 64;
    out.push_back(std::move(d));
    ++produced;
    if (last)
      return end_stream();
    return {};
  }

  // Parses one record of the current source into `d` ("" or what is wrong); the first
  // non-blank record of a CSV source is its header (`is_header`), not a document.
  std::string parse_current(const char* p, std::size_t len, document& d, bool& is_header) {
    source& src = sources[current];
    is_header = false;
    if (!is_csv())
      return parse_record(parser, opts, p, len, d);
    if (!header_done) {
      is_header = true;
      header_done = true;
      return parse_csv_header(src.header, src.format, opts, std::string_view(p, len), fields);
    }
    return parse_csv_row(src.header, src.format, opts, std::string_view(p, len), d, fields);
  }

  // issue 12: a split source starts at the first line that starts in its range and ends before
  // the first line that starts after it. True when the source's share ended.
  result<bool> split_range_done() {
    const source& src = sources[current];
    while (align) {
      const void* nl = end > start ? std::memchr(buf.data() + start, '\n', end - start) : nullptr;
      if (nl != nullptr) {
        const auto skip =
            static_cast<std::size_t>(static_cast<const char*>(nl) - buf.data()) + 1 - start;
        start += skip;
        file_offset += skip;
        scanned = 0;
        align = false;
        break;
      }
      file_offset += end - start;
      start = end;
      if (eof)
        return true;
      if (auto r = refill(); !r)
        return r.error();
    }
    return file_offset >= src.split_end;
  }

  result<void> next_record(std::vector<document>& out, std::size_t& bytes, diagnostics& diag) {
    if (sources[current].split) {
      auto done = split_range_done();
      if (!done)
        return done.error();
      if (*done)
        return end_stream();
    }
    // Find a complete record. Bytes already searched are not searched again after a refill,
    // so a long line arriving through a pipe in 64 KiB reads costs linear time.
    for (;;) {
      const char* b = buf.data() + start;
      const std::size_t avail = end - start;
      const std::size_t found =
          avail > scanned ? find_end(b + scanned, avail - scanned) : std::string_view::npos;
      std::size_t len = 0;
      bool last = false;
      if (found != std::string_view::npos) {
        len = scanned + found;
      } else if (eof) {
        if (broken)
          return stream_broken(out, bytes, diag);
        len = avail;
        last = true;
        if (len == 0)
          return end_stream();
      } else if (avail > opts.max_doc_bytes + 1) { // + 1: a CR before the newline
        return skip_long_line(out, bytes, diag);
      } else {
        scanned = avail;
        if (auto r = refill(); !r)
          return r;
        continue;
      }
      scanned = 0;
      ++line;
      const std::uint64_t starts_on = phys_line;
      if (is_csv())
        phys_line += 1 + static_cast<std::uint64_t>(std::count(b, b + len, '\n'));
      // A UTF-8 byte order mark at the start of the file is not part of the first record.
      if (file_offset == 0 && len >= 3 && std::memcmp(b, "\xEF\xBB\xBF", 3) == 0) {
        b += 3;
        len -= 3;
        start += 3;
        file_offset += 3;
      }
      const std::uint64_t rec_offset = record_offset();
      const std::size_t consumed = len + (last ? 0 : 1);
      std::size_t rec_len = len;
      if (rec_len > 0 && b[rec_len - 1] == '\r')
        --rec_len;
      // Blank lines are not records.
      const bool blank =
          std::all_of(b, b + rec_len, [](char c) { return c == ' ' || c == '\t' || c == '\r'; });
      if (!blank) {
        document d;
        d.where = origin{static_cast<std::uint32_t>(current), line, rec_offset, rec_len};
        bool is_header = false;
        if (rec_len > opts.max_doc_bytes) {
          d.id = describe(d.where);
          d.error = too_large(rec_len, opts.max_doc_bytes);
          diag.warn(where_text(d.where, starts_on), d.error);
        } else {
          // simdjson reads (never writes) up to SIMDJSON_PADDING bytes past the record: the
          // rest of buf, which always keeps that much spare at its back.
          std::string problem = parse_current(b, rec_len, d, is_header);
          if (is_header && !problem.empty()) // no header, no rows: --skip-bad cannot help
            return make_error(errc::invalid_input, where_text(d.where, starts_on) + ": " + problem);
          if (d.id.empty())
            d.id = describe(d.where);
          if (!problem.empty()) {
            if (!opts.skip_bad) {
              return make_error(errc::invalid_input,
                                where_text(d.where, starts_on) + ": " + problem);
            }
            d.text.clear();
            d.error = problem;
            diag.warn(where_text(d.where, starts_on), problem + " (skipped)");
          } else if (d.invalid_utf8 != 0) {
            diag.warn(where_text(d.where, starts_on),
                      std::to_string(d.invalid_utf8) +
                          " invalid UTF-8 sequence(s) replaced by U+FFFD");
          }
          if (problem.empty() && !is_header)
            count(shape_plain(d.text), d); // issue 14
        }
        if (!is_header) {
          if (auto r = add_id(d); !r)
            return r;
          bytes += d.text.size() + 64;
          out.push_back(std::move(d));
          ++produced;
        }
      }
      start += consumed;
      file_offset += consumed;
      if (last)
        return end_stream();
      return {};
    }
  }

  result<void> begin_stream() {
    source& src = sources[current];
    if (stores.size() < sources.size())
      stores.resize(sources.size());
    std::unique_ptr<detail::byte_stream> raw;
    if (src.kind == source_kind::record_file) {
      // Opened only now, one file at a time: a thousand record files need no thousand
      // descriptors.
      record_fds[current].reset(::open(src.path.c_str(), O_RDONLY | O_CLOEXEC));
      if (record_fds[current].get() < 0)
        return make_error(errc::io_error, src.display + ": cannot open: " + errno_text(errno));
      raw = detail::fd_stream(record_fds[current].get());
    } else if (src.kind == source_kind::record_stdin) {
      raw = detail::fd_stream(STDIN_FILENO);
    } else {
      raw = detail::memory_stream(src.bytes);
    }
    start = end = scanned = spooled = 0;
    eof = false;
    broken.reset();
    file_offset = 0;
    unspooled = 0;
    line = 0;
    phys_line = 1;
    header_done = false;
    src.header = csv_header{};
    scanner = detail::csv_scanner(delimiter_of(src.format));
    in_stream = true;
    align = false;
    if (src.split) {
      line = src.line_base;
      if (src.split_begin > 0) {
        // Mid-file: the byte before the range tells whether a line starts at its first byte.
        // The file was checked to be plain UTF-8, so no stream layer is needed.
        const auto from = static_cast<off_t>(src.split_begin - 1);
        if (::lseek(record_fds[current].get(), from, SEEK_SET) != from)
          return make_error(errc::io_error, src.display + ": cannot seek: " + errno_text(errno));
        file_offset = src.split_begin - 1;
        align = true;
        stream = std::move(raw);
        return {};
      }
    }
    auto opened = detail::open_stream(std::move(raw), opts.encoding);
    if (!opened) {
      if (opened.error().code != errc::invalid_input)
        return make_error(opened.error().code, src.display + ": " + opened.error().message);
      broken = opened.error(); // corrupt from its first bytes
      eof = true;
      return {};
    }
    stream = std::move(opened->stream);
    if (opened->transformed())
      stores[current] = std::make_unique<detail::record_store>(raw_budget);
    return {};
  }

  result<void> end_stream() {
    if (auto r = flush_spool(); !r)
      return r;
    in_stream = false;
    stream.reset();
    if (sources[current].kind == source_kind::record_file) {
      // Rereads come from the store, or from the descriptor kept open, or open the file again.
      if (stores[current] == nullptr && kept_fds < kept_fds_max)
        ++kept_fds;
      else
        record_fds[current].reset();
    }
    return {};
  }
};

namespace {

// issue 12: a JSONL file that can be split by lines: a regular file, read as UTF-8 as it is (no
// compression magic, no UTF-16 byte order mark, no --encoding).
bool splittable(const source& src, const read_options& opts, std::uint64_t size) {
  if (src.kind != source_kind::record_file || src.format != record_format::jsonl ||
      !opts.encoding.empty() || size == 0)
    return false;
  unique_fd fd(::open(src.path.c_str(), O_RDONLY | O_CLOEXEC));
  char head[4] = {};
  if (fd.get() < 0 || !pread_all(fd.get(), head, std::min<std::uint64_t>(size, 4), 0))
    return false;
  const std::string_view h(head, std::min<std::uint64_t>(size, 4));
  if (detail::sniff_compression(h) != detail::compression::none)
    return false;
  return !(h.size() >= 2 &&
           ((h[0] == '\xFF' && h[1] == '\xFE') || (h[0] == '\xFE' && h[1] == '\xFF')));
}

} // namespace

void corpus_reader::plan_shares(impl& p) {
  const std::uint64_t parts = p.opts.shares;
  const std::uint64_t me = std::min<std::uint64_t>(p.opts.share, parts - 1);
  std::vector<std::uint64_t> sizes(p.sources.size(), 0);
  std::uint64_t total = 0;
  for (std::size_t i = 0; i < p.sources.size(); ++i) {
    struct stat sb {};
    if (p.sources[i].kind != source_kind::record_stdin &&
        ::stat(p.sources[i].path.c_str(), &sb) == 0 && S_ISREG(sb.st_mode))
      sizes[i] = static_cast<std::uint64_t>(sb.st_size);
    total += sizes[i];
  }
  // Share r starts at byte bound(r) of the inputs laid end to end (bound(parts) = total).
  auto bound = [&](std::uint64_t r) { return total / parts * r + total % parts * r / parts; };
  auto share_of = [&](std::uint64_t at) {
    std::uint64_t r = 0;
    while (r + 1 < parts && bound(r + 1) <= at)
      ++r;
    return r;
  };
  std::uint64_t at = 0;
  for (std::size_t i = 0; i < p.sources.size(); ++i) {
    source& src = p.sources[i];
    if (splittable(src, p.opts, sizes[i])) {
      const std::uint64_t lo = std::max(bound(me), at);
      const std::uint64_t hi = std::min(bound(me + 1), at + sizes[i]);
      src.split = true;
      src.mine = lo < hi;
      src.split_begin = lo < hi ? lo - at : 0;
      src.split_end = lo < hi ? hi - at : 0;
    } else {
      src.mine = share_of(at) == me;
    }
    at += sizes[i];
  }
  if (me != 0)
    p.pending.clear();
}

result<std::vector<std::uint64_t>> corpus_reader::share_line_counts() const {
  std::vector<std::uint64_t> counts(impl_->sources.size(), 0);
  std::vector<char> buf(std::size_t{1} << 20);
  for (std::size_t i = 0; i < impl_->sources.size(); ++i) {
    const source& src = impl_->sources[i];
    if (!src.split || !src.mine)
      continue;
    // A line starts at byte 0 and after every newline: count the newlines in
    // [begin - 1, end - 1).
    std::uint64_t n = src.split_begin == 0 ? 1 : 0;
    unique_fd fd(::open(src.path.c_str(), O_RDONLY | O_CLOEXEC));
    if (fd.get() < 0)
      return make_error(errc::io_error, src.display + ": cannot open: " + errno_text(errno));
    std::uint64_t from = src.split_begin == 0 ? 0 : src.split_begin - 1;
    const std::uint64_t to = src.split_end - 1;
    while (from < to) {
      const std::uint64_t len = std::min<std::uint64_t>(buf.size(), to - from);
      if (!pread_all(fd.get(), buf.data(), len, from))
        return make_error(errc::io_error, src.display + ": cannot read: " + errno_text(errno));
      n += static_cast<std::uint64_t>(std::count(buf.data(), buf.data() + len, '\n'));
      from += len;
    }
    counts[i] = n;
  }
  return counts;
}

void corpus_reader::set_share_line_bases(const std::vector<std::uint64_t>& bases) {
  for (std::size_t i = 0; i < impl_->sources.size() && i < bases.size(); ++i)
    impl_->sources[i].line_base = bases[i];
}

corpus_reader::corpus_reader(std::unique_ptr<impl> p) : impl_(std::move(p)) {}
corpus_reader::corpus_reader(corpus_reader&&) noexcept = default;
corpus_reader& corpus_reader::operator=(corpus_reader&&) noexcept = default;
corpus_reader::~corpus_reader() = default;

result<corpus_reader> corpus_reader::open(const std::vector<std::string>& inputs,
                                          read_options options) {
  if (inputs.empty())
    return make_error(errc::invalid_argument, "no input given");
  if (options.max_doc_bytes == 0 || options.max_doc_bytes > defaults::max_doc_bytes_limit) {
    return make_error(errc::invalid_argument, "the document size limit must be in 1.." +
                                                  std::to_string(defaults::max_doc_bytes_limit) +
                                                  " bytes, got " +
                                                  std::to_string(options.max_doc_bytes));
  }
  if (!options.encoding.empty()) { // an unknown name fails here, not at the first file
    if (auto conv = text::charset_converter::open(options.encoding); !conv)
      return make_error(conv.error().code, "--encoding: " + conv.error().message);
  }
  auto p = std::make_unique<impl>();
  p->opts = std::move(options);
  p->raw_budget = p->opts.keep_raw_bytes;
  if (rlimit lim{}; ::getrlimit(RLIMIT_NOFILE, &lim) == 0 && lim.rlim_cur != RLIM_INFINITY)
    p->kept_fds_max = std::min<std::size_t>(p->kept_fds_max, lim.rlim_cur / 8);
  bool stdin_used = false;
  for (const std::string& in : inputs) {
    if (in == "-") {
      if (stdin_used)
        return make_error(errc::invalid_argument, "\"-\" (standard input) given twice");
      stdin_used = true;
      FILE* spool = std::tmpfile();
      if (spool == nullptr) {
        return make_error(errc::io_error,
                          "cannot create a spool file for standard input: " + errno_text(errno));
      }
      // Keep our own descriptor to the (already unlinked) spool and drop the FILE*.
      const int fd = ::dup(::fileno(spool));
      std::fclose(spool);
      p->sources.push_back({source_kind::record_stdin, "-", "<stdin>", {}});
      p->record_fds.emplace_back(fd);
      continue;
    }
    std::error_code ec;
    const fs::file_status st = fs::status(in, ec);
    if (ec || !fs::exists(st)) {
      return make_error(errc::not_found, in + ": no such file or directory");
    }
    if (fs::is_directory(st)) {
      // A directory named on the command line is walked even when it is a link (as find -H).
      dir_walk w;
      w.follow = p->opts.follow_links;
      struct stat sb {};
      if (::stat(in.c_str(), &sb) == 0)
        w.ancestors.push_back({sb.st_dev, sb.st_ino, in});
      if (auto r = w.walk(in, ""); !r)
        return r.error();
      std::sort(w.files.begin(), w.files.end());
      for (auto& [id, path] : w.files) {
        p->sources.push_back({detail::has_warc_extension(path) ? source_kind::warc // issue 14
                                                               : source_kind::whole_file,
                              path, path, id});
        p->record_fds.emplace_back();
      }
      // Directory order is the file system's: warnings too are sorted, like the files.
      std::sort(w.warnings.begin(), w.warnings.end(),
                [](const diagnostic& x, const diagnostic& y) { return x.origin < y.origin; });
      for (diagnostic& d : w.warnings)
        p->pending.push_back(std::move(d));
      continue;
    }
    if (::access(in.c_str(), R_OK) != 0) {
      return make_error(errc::io_error, in + ": cannot read: " + errno_text(errno));
    }
    if (detail::has_warc_extension(in)) { // issue 14; a .warc.gz is read by the WARC reader
      p->sources.push_back({source_kind::warc, in, in, {}});
      p->record_fds.emplace_back();
    } else if (const auto format = record_format_of(in)) {
      p->sources.push_back({source_kind::record_file, in, in, {}, {}, *format});
      p->record_fds.emplace_back(); // opened when its turn comes
    } else {
      p->sources.push_back({source_kind::whole_file, in, in, in});
      p->record_fds.emplace_back();
    }
  }
  if (p->opts.shares > 1)
    plan_shares(*p);
  return corpus_reader(std::move(p));
}

result<corpus_reader> corpus_reader::from_memory(std::string name, std::string_view bytes,
                                                 read_options options, int format) {
  if (!options.encoding.empty()) {
    if (auto conv = text::charset_converter::open(options.encoding); !conv)
      return make_error(conv.error().code, "--encoding: " + conv.error().message);
  }
  auto p = std::make_unique<impl>();
  p->opts = std::move(options);
  p->raw_budget = p->opts.keep_raw_bytes;
  p->sources.push_back({source_kind::record_memory,
                        {},
                        std::move(name),
                        {},
                        std::string(bytes),
                        static_cast<record_format>(format)});
  p->record_fds.emplace_back();
  return corpus_reader(std::move(p));
}

result<corpus_reader> corpus_reader::open_jsonl_bytes(std::string name, std::string_view bytes,
                                                      read_options options) {
  return from_memory(std::move(name), bytes, std::move(options),
                     static_cast<int>(record_format::jsonl));
}

result<corpus_reader> corpus_reader::open_record_bytes(std::string name, std::string_view bytes,
                                                       read_options options) {
  const record_format format = record_format_of(name).value_or(record_format::jsonl);
  return from_memory(std::move(name), bytes, std::move(options), static_cast<int>(format));
}

result<std::vector<document>> corpus_reader::next_batch(diagnostics& diag) {
  std::vector<document> out;
  if (auto r = fill_batch(diag, out); !r) {
    impl_->before_error = std::move(out); // issue 12: what came before the error, in order
    return r.error();
  }
  return out;
}

std::vector<document> corpus_reader::take_before_error() {
  return std::exchange(impl_->before_error, {});
}

result<void> corpus_reader::fill_batch(diagnostics& diag, std::vector<document>& out) {
  impl& s = *impl_;
  std::size_t bytes = 0;
  for (diagnostic& d : s.pending)
    diag.warn(std::move(d.origin), std::move(d.message));
  s.pending.clear();
  while (bytes < s.opts.batch_bytes && s.current < s.sources.size()) {
    const source& src = s.sources[s.current];
    if (!src.mine) { // issue 12: another share reads it
      ++s.current;
      continue;
    }
    if (src.kind == source_kind::whole_file) {
      const auto index = static_cast<std::uint32_t>(s.current);
      bool is_stream = false;
      impl::shaped how;
      document d = s.read_whole_file(index, diag, is_stream, &how);
      if (d.error.empty()) { // issue 14
        s.count(how, d);
        s.sources[s.current].has_record = how.html || how.stripped;
      }
      if (auto r = s.add_id(d); !r)
        return r;
      if (is_stream && d.error.empty())
        s.stream_texts.emplace(index, d.text); // a pipe cannot be read twice
      bytes += d.text.size() + 64;
      out.push_back(std::move(d));
      ++s.produced;
      ++s.current;
      continue;
    }
    if (src.kind == source_kind::warc) { // issue 14
      if (auto r = s.next_warc(out, bytes, diag); !r)
        return r;
      continue;
    }
    if (!s.in_stream) {
      if (auto r = s.begin_stream(); !r)
        return r;
    }
    if (auto r = s.next_record(out, bytes, diag); !r)
      return r;
    if (!s.in_stream)
      ++s.current;
  }
  // Rereads of this batch's records may come before the next one: their bytes go to the kept
  // copy now.
  if (s.in_stream) {
    if (auto r = s.flush_spool(); !r)
      return r;
  }
  if (s.opts.memory_doc_bytes != 0) {
    for (std::size_t i = 0; i < out.size(); ++i) {
      const document& d = out[i];
      if (d.error.empty() && d.text.size() > s.opts.memory_doc_bytes) {
        auto e = make_error(errc::invalid_argument, s.describe(d.where) + ": " +
                                                        std::to_string(d.text.size()) +
                                                        " bytes: " + s.opts.memory_doc_reason);
        out.resize(i); // what came before it
        return e;
      }
    }
  }
  return {};
}

namespace {
// A CSV / TSV row of `src` parsed again into its fields.
result<void> split_again(const source& src, std::string_view rec, std::vector<std::string>& fields,
                         const std::string& where) {
  std::string repaired;
  std::uint32_t invalid = 0;
  const std::string problem = detail::split_csv_record(valid_utf8(rec, repaired, invalid),
                                                       delimiter_of(src.format), fields);
  if (!problem.empty())
    return make_error(errc::io_error, where + ": " + problem);
  return {};
}

// issue 14: the record made for an HTML page, a WARC record or a stripped plain file.
std::string made_record(const document& d, const std::vector<byte_span>* removed,
                        const std::string* html, const read_options& opts) {
  std::string rec = "{\"id\":" + detail::json_quote(d.id);
  for (std::size_t i = 0; i < opts.meta_fields.size() && i < d.meta.size(); ++i) {
    if (d.meta[i] && opts.meta_fields[i] != "id" && opts.meta_fields[i] != "text")
      rec += "," + detail::json_quote(opts.meta_fields[i]) + ":" + detail::json_quote(*d.meta[i]);
  }
  rec += ",\"text\":" + detail::json_quote(d.text);
  if (html != nullptr && opts.keep_html)
    rec += ",\"html\":" + detail::json_quote(*html);
  if (removed != nullptr)
    rec += ",\"boilerplate\":" + detail::json_spans(*removed);
  rec += "}";
  return rec;
}
} // namespace

result<std::string> corpus_reader::impl::raw_record(const origin& where) const {
  const source& src = sources[where.source];
  if (where.source < stores.size() && stores[where.source] != nullptr) {
    auto rec = stores[where.source]->read(where.offset, where.length);
    if (!rec)
      return make_error(errc::io_error,
                        describe(where) + ": cannot read again: " + rec.error().message);
    return rec;
  }
  if (src.kind == source_kind::record_memory)
    return src.bytes.substr(where.offset, where.length);
  std::string rec(where.length, '\0');
  unique_fd reopened;
  int fd = record_fds[where.source].get();
  if (fd < 0) { // one of many record files: its descriptor was not kept
    reopened.reset(::open(src.path.c_str(), O_RDONLY | O_CLOEXEC));
    fd = reopened.get();
  }
  if (fd < 0 || !pread_all(fd, rec.data(), where.length, where.offset)) {
    return make_error(errc::io_error,
                      describe(where) + ": cannot read again: " + errno_text(errno));
  }
  return rec;
}

result<std::string> corpus_reader::reread_record(const origin& where) const {
  const impl& s = *impl_;
  if (where.source >= s.sources.size())
    return make_error(errc::internal, "bad origin");
  const source& src = s.sources[where.source];
  if (src.kind == source_kind::whole_file && !src.has_record)
    return std::string();
  if (src.kind == source_kind::whole_file || src.kind == source_kind::warc) { // issue 14
    impl::shaped how;
    std::string raw;
    document d;
    if (src.kind == source_kind::warc) {
      auto got = s.reread_warc(where, how, &raw);
      if (!got)
        return got.error();
      d = std::move(*got);
    } else {
      diagnostics ignored;
      bool is_stream = false;
      d = s.read_whole_file(where.source, ignored, is_stream, &how, &raw);
      if (!d.error.empty())
        return make_error(errc::io_error, describe(where) + ": " + d.error);
    }
    return made_record(d, how.stripped ? &how.strip.removed : nullptr, how.html ? &raw : nullptr,
                       s.opts);
  }
  auto original = s.raw_record(where);
  if (!original)
    return original;
  std::string text; // the record's text, when furniture is stripped from it
  if (s.opts.strip_boilerplate) {
    auto t = s.record_text(where, *original);
    if (!t)
      return t.error();
    text = std::move(*t);
  }
  if (src.format != record_format::jsonl) {
    std::vector<std::string> fields;
    if (auto r = split_again(src, *original, fields, describe(where)); !r)
      return r.error();
    *original = detail::csv_row_json(src.header.names, fields, src.header.id_column);
  }
  if (!s.opts.strip_boilerplate)
    return original;
  // issue 14: the record as it was, with the spans stripped from its text added.
  const impl::shaped how = s.shape_plain(text);
  const std::size_t close = original->rfind('}');
  if (close != std::string::npos)
    original->insert(close, ",\"boilerplate\":" + detail::json_spans(how.strip.removed));
  return original;
}

result<std::string> corpus_reader::reread_text(const origin& where) const {
  const impl& s = *impl_;
  if (where.source >= s.sources.size())
    return make_error(errc::internal, "bad origin");
  const source& src = s.sources[where.source];
  diagnostics ignored;
  if (src.kind == source_kind::whole_file) {
    if (const auto it = s.stream_texts.find(where.source); it != s.stream_texts.end())
      return it->second;
    bool is_stream = false;
    document d = s.read_whole_file(where.source, ignored, is_stream);
    if (!d.error.empty())
      return make_error(errc::io_error, describe(where) + ": " + d.error);
    return std::move(d.text);
  }
  if (src.kind == source_kind::warc) { // issue 14
    impl::shaped how;
    auto d = s.reread_warc(where, how, nullptr);
    if (!d)
      return d.error();
    return std::move(d->text);
  }
  auto rec = s.raw_record(where);
  if (!rec)
    return rec.error();
  auto text = s.record_text(where, std::move(*rec));
  if (text)
    (void)s.shape_plain(*text); // issue 14: as next_record shaped it
  return text;
}

result<std::string> corpus_reader::impl::record_text(const origin& where, std::string rec) const {
  const source& src = sources[where.source];
  document d;
  std::string problem;
  if (src.format == record_format::jsonl) {
    rec.append(simdjson::SIMDJSON_PADDING, '\0');
    // One parser per thread: rereads may run on several threads at once.
    thread_local simdjson::dom::parser reparser;
    problem = parse_record(reparser, opts, rec.data(), where.length, d);
  } else {
    std::vector<std::string> row;
    problem = parse_csv_row(src.header, src.format, opts, rec, d, row);
  }
  if (!problem.empty())
    return make_error(errc::io_error, describe(where) + ": " + problem);
  return std::move(d.text);
}

std::string corpus_reader::describe(const origin& where) const { return impl_->describe(where); }

bool corpus_reader::is_jsonl(const origin& where) const {
  return where.source < impl_->sources.size() &&
         (impl_->sources[where.source].kind != source_kind::whole_file ||
          impl_->sources[where.source].has_record);
}

read_stats corpus_reader::stats() const { // issue 14
  read_stats st = impl_->stats;
  st.warc_skipped.assign(impl_->warc_skipped.begin(), impl_->warc_skipped.end());
  return st;
}

std::size_t corpus_reader::documents_read() const noexcept { return impl_->produced; }
const read_options& corpus_reader::options() const noexcept { return impl_->opts; }

document_source document_source::of(corpus_reader& reader) {
  return {[&reader](diagnostics& d) { return reader.next_batch(d); },
          [&reader](const doc_info& info) { return reader.reread_text(info.where); }};
}

document_source document_source::of(memory_corpus& corpus) {
  return {[&corpus](diagnostics&) -> result<std::vector<document>> { return corpus.next_batch(); },
          [&corpus](const doc_info& info) -> result<std::string> { return corpus.text(info.id); }};
}

result<std::uint64_t>
for_each_batch(const document_source& source, diagnostics& diag,
               const std::function<result<void>(std::vector<document>&)>& each,
               const progress_fn& progress, const char* stage) {
  std::uint64_t bytes = 0;
  report_progress(progress, stage, 0, 0, "bytes");
  for (;;) {
    auto batch = source.next_batch(diag);
    if (!batch)
      return batch.error();
    if (batch->empty())
      return bytes;
    for (const document& d : *batch)
      bytes += d.where.consumed();
    if (auto r = each(*batch); !r)
      return r.error();
    report_progress(progress, stage, bytes, 0, "bytes");
  }
}

result<std::vector<document>> read_all(corpus_reader& reader, diagnostics& diag,
                                       const progress_fn& progress) {
  std::vector<document> all;
  auto bytes = for_each_batch(
      document_source::of(reader), diag,
      [&](std::vector<document>& batch) -> result<void> {
        for (auto& d : batch)
          all.push_back(std::move(d));
        return {};
      },
      progress, "read");
  if (!bytes)
    return bytes.error();
  report_progress(progress, "read", *bytes, *bytes, "bytes", true);
  return all;
}

result<memory_corpus> memory_corpus::index(std::span<const document> docs,
                                           std::size_t batch_bytes) {
  memory_corpus m;
  m.docs_ = docs;
  m.batch_bytes_ = batch_bytes;
  m.by_id_.reserve(docs.size());
  for (std::size_t i = 0; i < docs.size(); ++i) {
    if (!m.by_id_.emplace(docs[i].id, i).second)
      return make_error(errc::duplicate_id, "duplicate document id \"" + docs[i].id + "\"");
  }
  return m;
}

std::vector<document> memory_corpus::next_batch() {
  std::vector<document> batch;
  std::size_t bytes = 0;
  while (at_ < docs_.size() && (batch.empty() || bytes < batch_bytes_)) {
    bytes += docs_[at_].text.size() + 64; // 64: the record's own bookkeeping
    batch.push_back(docs_[at_++]);
  }
  return batch;
}

const std::string& memory_corpus::text(const std::string& id) const {
  return docs_[by_id_.at(id)].text;
}

} // namespace copydesk
