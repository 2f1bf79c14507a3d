// Corpus reader: expands inputs into sources (whole files, JSONL files, stdin), streams documents
// in batches, repairs invalid UTF-8, detects duplicate ids and can read any record again.
#include <copydesk/io.hpp>
#include <copydesk/text.hpp>

#include <simdjson.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <string_view>
#include <sys/stat.h>
#include <unistd.h>
#include <unordered_map>

namespace copydesk {

namespace fs = std::filesystem;

namespace {

enum class source_kind : std::uint8_t { whole_file, jsonl, stdin_jsonl, memory_jsonl };

struct source {
  source_kind kind = source_kind::whole_file;
  std::string path;    // path to open
  std::string display; // path for messages
  std::string id;      // document id (whole files)
  std::string bytes;   // the records (memory_jsonl)
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

bool looks_jsonl(const std::string& path) {
  const fs::path p(path);
  const std::string ext = p.extension().string();
  return ext == ".jsonl" || ext == ".ndjson";
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
  // JSON escapes can still encode lone surrogates; simdjson rejects those, so text is valid.
  return {};
}

} // namespace

struct corpus_reader::impl {
  read_options opts;
  std::vector<source> sources;
  std::vector<unique_fd> record_fds; // open fd per JSONL/stdin source (for rereads)
  std::unordered_map<std::string, origin> seen_ids;
  std::size_t produced = 0;

  // Streaming state for the current JSONL source.
  std::size_t current = 0;
  bool in_stream = false;
  int stream_fd = -1;
  std::vector<char> buf; // data in [start, end), SIMDJSON_PADDING bytes spare at the back
  std::size_t start = 0;
  std::size_t end = 0;
  bool eof = false;
  std::uint64_t file_offset = 0; // offset of buf[start] in the source
  std::size_t memory_at = 0;     // bytes of a memory_jsonl source already in buf
  std::uint64_t line = 0;
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
      s += ":" + std::to_string(o.line);
    return s;
  }

  result<document> read_whole_file(std::uint32_t index, diagnostics& diag) const {
    const source& src = sources[index];
    document d;
    d.id = src.id;
    d.where.source = index;
    unique_fd fd(::open(src.path.c_str(), O_RDONLY | O_CLOEXEC));
    if (fd.get() < 0) {
      d.error = "cannot read: " + errno_text(errno);
      diag.warn(src.display, d.error);
      return d;
    }
    struct stat st {};
    if (::fstat(fd.get(), &st) != 0) {
      d.error = "cannot stat: " + errno_text(errno);
      diag.warn(src.display, d.error);
      return d;
    }
    std::string text;
    text.resize(static_cast<std::size_t>(st.st_size));
    if (!pread_all(fd.get(), text.data(), text.size(), 0)) {
      d.error = "cannot read: " + errno_text(errno);
      diag.warn(src.display, d.error);
      return d;
    }
    if (text.size() >= (std::uint64_t{1} << 32)) {
      d.error = "file larger than 4 GiB";
      diag.warn(src.display, d.error);
      return d;
    }
    d.where.length = text.size();
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
    return d;
  }

  // Refills the stream buffer; keeps [start, end) and appends what the fd (or the bytes of a
  // memory source) gives, into room for at least read_chunk_bytes.
  result<void> refill() {
    const source& src = sources[current];
    std::size_t chunk = std::max<std::size_t>(opts.read_chunk_bytes, 1);
    if (src.kind == source_kind::memory_jsonl)
      chunk = std::min(chunk, src.bytes.size() - memory_at);
    if (start > 0) {
      std::memmove(buf.data(), buf.data() + start, end - start);
      end -= start;
      start = 0;
    }
    if (buf.size() < end + chunk + simdjson::SIMDJSON_PADDING) {
      buf.resize(std::max(buf.size() * 2, end + chunk + simdjson::SIMDJSON_PADDING));
    }
    const std::size_t room = buf.size() - simdjson::SIMDJSON_PADDING - end;
    ssize_t r = 0;
    if (src.kind == source_kind::memory_jsonl) {
      r = static_cast<ssize_t>(std::min(room, src.bytes.size() - memory_at));
      std::memcpy(buf.data() + end, src.bytes.data() + memory_at, static_cast<std::size_t>(r));
      memory_at += static_cast<std::size_t>(r);
    } else {
      do {
        r = ::read(stream_fd, buf.data() + end, room);
      } while (r < 0 && errno == EINTR);
    }
    if (r < 0) {
      return make_error(errc::io_error,
                        sources[current].display + ": read failed: " + errno_text(errno));
    }
    if (r == 0) {
      eof = true;
      return {};
    }
    if (src.kind == source_kind::stdin_jsonl) {
      // Spool stdin so records can be read again later.
      const int spool = record_fds[current].get();
      std::size_t done = 0;
      while (done < static_cast<std::size_t>(r)) {
        const ssize_t w =
            ::write(spool, buf.data() + end + done, static_cast<std::size_t>(r) - done);
        if (w < 0 && errno == EINTR)
          continue;
        if (w <= 0)
          return make_error(errc::io_error, "cannot spool standard input: " + errno_text(errno));
        done += static_cast<std::size_t>(w);
      }
    }
    end += static_cast<std::size_t>(r);
    return {};
  }

  result<void> next_record(std::vector<document>& out, std::size_t& bytes, diagnostics& diag) {
    // Find a complete line.
    for (;;) {
      const char* b = buf.data() + start;
      const void* nl = end > start ? std::memchr(b, '\n', end - start) : nullptr;
      std::size_t len = 0;
      bool last = false;
      if (nl != nullptr) {
        len = static_cast<std::size_t>(static_cast<const char*>(nl) - b);
      } else if (eof) {
        len = end - start;
        last = true;
        if (len == 0) {
          in_stream = false;
          return {};
        }
      } else {
        if (auto r = refill(); !r)
          return r;
        continue;
      }
      ++line;
      const std::uint64_t rec_offset = file_offset;
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
        // simdjson reads (never writes) up to SIMDJSON_PADDING bytes past the record: the rest
        // of buf, which always keeps that much spare at its back.
        std::string problem = parse_record(parser, opts, b, rec_len, d);
        if (d.id.empty())
          d.id = describe(d.where);
        if (!problem.empty()) {
          if (!opts.skip_bad) {
            return make_error(errc::invalid_input, describe(d.where) + ": " + problem);
          }
          d.text.clear();
          d.error = problem;
          diag.warn(describe(d.where), problem + " (skipped)");
        } else if (d.invalid_utf8 != 0) {
          diag.warn(describe(d.where), std::to_string(d.invalid_utf8) +
                                           " invalid UTF-8 sequence(s) replaced by U+FFFD");
        }
        if (auto r = add_id(d); !r)
          return r;
        bytes += d.text.size() + 64;
        out.push_back(std::move(d));
        ++produced;
      }
      start += consumed;
      file_offset += consumed;
      if (last)
        in_stream = false;
      return {};
    }
  }

  result<void> begin_stream() {
    const source& src = sources[current];
    stream_fd = src.kind == source_kind::stdin_jsonl ? STDIN_FILENO : record_fds[current].get();
    if (src.kind == source_kind::jsonl)
      ::lseek(stream_fd, 0, SEEK_SET);
    start = end = 0;
    eof = false;
    file_offset = 0;
    memory_at = 0;
    line = 0;
    in_stream = true;
    return {};
  }
};

corpus_reader::corpus_reader(std::unique_ptr<impl> p) : impl_(std::move(p)) {}
corpus_reader::corpus_reader(corpus_reader&&) noexcept = default;
corpus_reader& corpus_reader::operator=(corpus_reader&&) noexcept = default;
corpus_reader::~corpus_reader() = default;

result<corpus_reader> corpus_reader::open(const std::vector<std::string>& inputs,
                                          read_options options) {
  if (inputs.empty())
    return make_error(errc::invalid_argument, "no input given");
  auto p = std::make_unique<impl>();
  p->opts = std::move(options);
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
      p->sources.push_back({source_kind::stdin_jsonl, "-", "<stdin>", {}});
      p->record_fds.emplace_back(fd);
      continue;
    }
    std::error_code ec;
    const fs::file_status st = fs::status(in, ec);
    if (ec || !fs::exists(st)) {
      return make_error(errc::not_found, in + ": no such file or directory");
    }
    if (fs::is_directory(st)) {
      std::vector<std::pair<std::string, std::string>> files; // relative id, path
      fs::recursive_directory_iterator it(in, fs::directory_options::follow_directory_symlink, ec);
      if (ec)
        return make_error(errc::io_error, in + ": cannot read directory: " + ec.message());
      for (; it != fs::recursive_directory_iterator(); it.increment(ec)) {
        if (ec)
          return make_error(errc::io_error, in + ": cannot read directory: " + ec.message());
        std::error_code ec2;
        if (!it->is_regular_file(ec2))
          continue;
        const fs::path rel = fs::relative(it->path(), in, ec2);
        files.emplace_back(rel.generic_string(), it->path().string());
      }
      if (ec)
        return make_error(errc::io_error, in + ": cannot read directory: " + ec.message());
      std::sort(files.begin(), files.end());
      for (auto& [id, path] : files) {
        p->sources.push_back({source_kind::whole_file, path, path, id});
        p->record_fds.emplace_back();
      }
      continue;
    }
    if (::access(in.c_str(), R_OK) != 0) {
      return make_error(errc::io_error, in + ": cannot read: " + errno_text(errno));
    }
    if (looks_jsonl(in)) {
      const int fd = ::open(in.c_str(), O_RDONLY | O_CLOEXEC);
      if (fd < 0)
        return make_error(errc::io_error, in + ": cannot open: " + errno_text(errno));
      p->sources.push_back({source_kind::jsonl, in, in, {}});
      p->record_fds.emplace_back(fd);
    } else {
      p->sources.push_back({source_kind::whole_file, in, in, in});
      p->record_fds.emplace_back();
    }
  }
  return corpus_reader(std::move(p));
}

result<corpus_reader> corpus_reader::open_jsonl_bytes(std::string name, std::string_view bytes,
                                                      read_options options) {
  auto p = std::make_unique<impl>();
  p->opts = std::move(options);
  p->sources.push_back({source_kind::memory_jsonl, {}, std::move(name), {}, std::string(bytes)});
  p->record_fds.emplace_back();
  return corpus_reader(std::move(p));
}

result<std::vector<document>> corpus_reader::next_batch(diagnostics& diag) {
  impl& s = *impl_;
  std::vector<document> out;
  std::size_t bytes = 0;
  while (bytes < s.opts.batch_bytes && s.current < s.sources.size()) {
    const source& src = s.sources[s.current];
    if (src.kind == source_kind::whole_file) {
      auto d = s.read_whole_file(static_cast<std::uint32_t>(s.current), diag);
      if (!d)
        return d.error();
      if (auto r = s.add_id(*d); !r)
        return r.error();
      bytes += d->text.size() + 64;
      out.push_back(std::move(*d));
      ++s.produced;
      ++s.current;
      continue;
    }
    if (!s.in_stream) {
      if (auto r = s.begin_stream(); !r)
        return r.error();
    }
    if (auto r = s.next_record(out, bytes, diag); !r)
      return r.error();
    if (!s.in_stream)
      ++s.current;
  }
  return out;
}

result<std::string> corpus_reader::reread_record(const origin& where) const {
  const impl& s = *impl_;
  if (where.source >= s.sources.size())
    return make_error(errc::internal, "bad origin");
  const source& src = s.sources[where.source];
  if (src.kind == source_kind::whole_file)
    return std::string();
  if (src.kind == source_kind::memory_jsonl)
    return src.bytes.substr(where.offset, where.length);
  std::string rec(where.length, '\0');
  if (!pread_all(s.record_fds[where.source].get(), rec.data(), where.length, where.offset)) {
    return make_error(errc::io_error,
                      describe(where) + ": cannot read again: " + errno_text(errno));
  }
  return rec;
}

result<std::string> corpus_reader::reread_text(const origin& where) const {
  const impl& s = *impl_;
  if (where.source >= s.sources.size())
    return make_error(errc::internal, "bad origin");
  const source& src = s.sources[where.source];
  diagnostics ignored;
  if (src.kind == source_kind::whole_file) {
    auto d = s.read_whole_file(where.source, ignored);
    if (!d)
      return d.error();
    if (!d->error.empty())
      return make_error(errc::io_error, describe(where) + ": " + d->error);
    return std::move(d->text);
  }
  auto rec = reread_record(where);
  if (!rec)
    return rec.error();
  rec->append(simdjson::SIMDJSON_PADDING, '\0');
  // One parser per thread: rereads may run on several threads at once.
  thread_local simdjson::dom::parser parser;
  document d;
  const std::string problem = parse_record(parser, s.opts, rec->data(), where.length, d);
  if (!problem.empty())
    return make_error(errc::io_error, describe(where) + ": " + problem);
  return std::move(d.text);
}

std::string corpus_reader::describe(const origin& where) const { return impl_->describe(where); }

bool corpus_reader::is_jsonl(const origin& where) const {
  return where.source < impl_->sources.size() &&
         impl_->sources[where.source].kind != source_kind::whole_file;
}

std::size_t corpus_reader::documents_read() const noexcept { return impl_->produced; }
const read_options& corpus_reader::options() const noexcept { return impl_->opts; }

result<std::vector<document>> read_all(corpus_reader& reader, diagnostics& diag,
                                       const progress_fn& progress) {
  std::vector<document> all;
  std::uint64_t bytes = 0;
  report_progress(progress, "read", 0, 0, "bytes");
  for (;;) {
    auto batch = reader.next_batch(diag);
    if (!batch)
      return batch.error();
    if (batch->empty())
      break;
    for (auto& d : *batch) {
      bytes += d.where.consumed();
      all.push_back(std::move(d));
    }
    report_progress(progress, "read", bytes, 0, "bytes");
  }
  report_progress(progress, "read", bytes, bytes, "bytes", true);
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
