// WARC reading: a byte stream over a plain or gzip file (zlib, inflateReset at each member, so
// Common Crawl's one-member-per-record files and whole-file gzip both read), records parsed from
// it with their Content-Length checked against the blank line that must follow, and the HTTP
// responses inside decoded into pages.
#include "io/warc.hpp"

#include "io/html.hpp"

#include <copydesk/text.hpp>

#include <zlib.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

namespace copydesk::detail {

namespace {

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

// Parses "Name: value" lines (a line starting with blanks continues the one before) into `out`.
void parse_fields(std::string_view lines, std::vector<std::pair<std::string, std::string>>& out) {
  std::size_t at = 0;
  while (at < lines.size()) {
    std::size_t nl = lines.find('\n', at);
    if (nl == std::string_view::npos)
      nl = lines.size();
    const std::string_view line = lines.substr(at, nl - at);
    at = nl + 1;
    if (trim(line).empty())
      continue;
    if ((line.front() == ' ' || line.front() == '\t') && !out.empty()) {
      out.back().second += ' ';
      out.back().second += trim(line);
      continue;
    }
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos)
      continue;
    out.emplace_back(std::string(trim(line.substr(0, colon))),
                     std::string(trim(line.substr(colon + 1))));
  }
}

std::string_view field(const std::vector<std::pair<std::string, std::string>>& fields,
                       std::string_view name) {
  for (const auto& [k, v] : fields) {
    if (iequals(k, name))
      return v;
  }
  return {};
}

// Bytes read (and, for gzip, inflated) per refill: enough to stream well, small enough that
// reading one record again (a reread starts a stream at its offset) costs little.
constexpr std::size_t read_chunk = std::size_t{64} << 10;
constexpr std::size_t max_header = std::size_t{1} << 20; // WARC named fields of one record

} // namespace

bool has_warc_extension(std::string_view path) noexcept {
  auto ends = [&](std::string_view ext) {
    return path.size() >= ext.size() && iequals(path.substr(path.size() - ext.size()), ext);
  };
  return ends(".warc") || ends(".warc.gz");
}

std::string_view warc_record::header(std::string_view name) const noexcept {
  return field(headers, name);
}

struct warc_stream::impl {
  int fd = -1;
  std::string display;
  std::uint64_t max_record = 0;
  bool gz = false;
  bool file_eof = false;
  bool in_member = false; // gz: inside a member (its end not yet seen)
  bool corrupt = false;   // gz: the compressed stream cannot be read on
  z_stream zs{};
  bool zs_ready = false;
  std::vector<unsigned char> in;
  std::uint64_t in_file_offset = 0; // file offset of in[0]
  // Data (decompressed for gz) in buf[at, buf.size()); stream position of buf[0] is buf_pos.
  std::string buf;
  std::size_t at = 0;
  std::uint64_t buf_pos = 0;
  // gz members seen: stream position where each starts, and its compressed file offset.
  struct member {
    std::uint64_t data_start;
    std::uint64_t file_start;
    std::uint64_t file_end; // 0 until its end is seen
  };
  std::vector<member> members;
  std::uint64_t number = 0; // records returned (or failed) so far
  std::uint64_t first_number = 0;

  ~impl() {
    if (zs_ready)
      inflateEnd(&zs);
    if (fd >= 0)
      ::close(fd);
  }

  [[nodiscard]] std::uint64_t pos() const { return buf_pos + at; }

  std::string where(std::uint64_t rec_number, std::uint64_t offset) const {
    return display + ": WARC record " + std::to_string(rec_number) + " at byte " +
           std::to_string(offset);
  }

  result<std::size_t> read_raw(unsigned char* out, std::size_t len) const {
    for (;;) {
      const ssize_t r = ::read(fd, out, len);
      if (r < 0 && errno == EINTR)
        continue;
      if (r < 0)
        return make_error(errc::io_error, display + ": read failed: " + std::strerror(errno));
      return static_cast<std::size_t>(r);
    }
  }

  // Compressed offset of the next unread byte.
  [[nodiscard]] std::uint64_t compressed_pos() const {
    return in_file_offset + static_cast<std::uint64_t>(zs.next_in - in.data());
  }

  // Appends more data to buf; false at the end of the file.
  result<bool> more() {
    if (at > 0 && at >= buf.size() / 2) {
      buf.erase(0, at);
      buf_pos += at;
      at = 0;
    }
    if (!gz) {
      if (file_eof)
        return false;
      const std::size_t old = buf.size();
      buf.resize(old + read_chunk);
      auto r = read_raw(reinterpret_cast<unsigned char*>(buf.data() + old), read_chunk);
      if (!r)
        return r.error();
      buf.resize(old + *r);
      if (*r == 0)
        file_eof = true;
      return *r != 0;
    }
    if (corrupt)
      return false;
    const std::size_t old = buf.size();
    buf.resize(old + read_chunk);
    zs.next_out = reinterpret_cast<Bytef*>(buf.data() + old);
    zs.avail_out = static_cast<uInt>(read_chunk);
    while (zs.avail_out > 0) {
      if (zs.avail_in == 0) {
        if (file_eof)
          break;
        in_file_offset = compressed_pos();
        auto r = read_raw(in.data(), in.size());
        if (!r)
          return r.error();
        zs.next_in = in.data();
        zs.avail_in = static_cast<uInt>(*r);
        if (*r == 0) {
          file_eof = true;
          break;
        }
      }
      if (!in_member) {
        if (zs.avail_in < 2 && !file_eof) {
          // Too little to see the magic bytes: keep what is left and read on.
          const std::size_t left = zs.avail_in;
          std::memmove(in.data(), zs.next_in, left);
          in_file_offset = compressed_pos();
          auto r = read_raw(in.data() + left, in.size() - left);
          if (!r)
            return r.error();
          zs.next_in = in.data();
          zs.avail_in = static_cast<uInt>(left + *r);
          if (*r == 0)
            file_eof = true;
          continue;
        }
        if (zs.avail_in < 2 || zs.next_in[0] != 0x1f || zs.next_in[1] != 0x8b) {
          buf.resize(old + (read_chunk - zs.avail_out));
          corrupt = true;
          return make_error(errc::invalid_input, display + ": not gzip data at byte " +
                                                     std::to_string(compressed_pos()) +
                                                     " (after the gzip member that ends there)");
        }
        inflateReset(&zs);
        members.push_back({buf_pos + old + (read_chunk - zs.avail_out), compressed_pos(), 0});
        in_member = true;
      }
      const int z = inflate(&zs, Z_NO_FLUSH);
      if (z == Z_STREAM_END) {
        in_member = false;
        members.back().file_end = compressed_pos();
        continue;
      }
      if (z != Z_OK && z != Z_BUF_ERROR) {
        buf.resize(old + (read_chunk - zs.avail_out));
        corrupt = true;
        return make_error(errc::invalid_input,
                          display + ": corrupt gzip data in the member at byte " +
                              std::to_string(members.back().file_start) + " (" +
                              (zs.msg != nullptr ? zs.msg : "inflate failed") + ")");
      }
    }
    const std::size_t got = read_chunk - zs.avail_out;
    buf.resize(old + got);
    if (got == 0 && in_member && file_eof) {
      corrupt = true;
      return make_error(errc::invalid_input, display +
                                                 ": truncated gzip stream: the member at byte " +
                                                 std::to_string(members.back().file_start) +
                                                 " ends before its end (the file was cut short)");
    }
    return got != 0;
  }

  // Ensures `n` bytes after `at` are in buf, if the file has them; false if it has not.
  result<bool> need(std::size_t n) {
    while (buf.size() - at < n) {
      auto m = more();
      if (!m)
        return m.error();
      if (!*m)
        return false;
    }
    return true;
  }

  // Member holding stream position p (gz).
  [[nodiscard]] const member* member_of(std::uint64_t p) const {
    const member* found = nullptr;
    for (const member& m : members) {
      if (m.data_start <= p)
        found = &m;
    }
    return found;
  }

  void forget_members(std::uint64_t before) {
    std::size_t k = 0;
    while (k + 1 < members.size() && members[k + 1].data_start <= before)
      ++k;
    members.erase(members.begin(), members.begin() + static_cast<std::ptrdiff_t>(k));
  }
};

warc_stream::warc_stream(std::unique_ptr<impl> p) : impl_(std::move(p)) {}
warc_stream::~warc_stream() = default;

result<std::unique_ptr<warc_stream>> warc_stream::open(const std::string& path,
                                                       const std::string& display,
                                                       std::uint64_t max_record,
                                                       std::uint64_t offset, std::uint64_t skip) {
  auto p = std::make_unique<impl>();
  p->display = display;
  p->max_record = max_record;
  p->fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (p->fd < 0)
    return make_error(errc::io_error, display + ": cannot open: " + std::strerror(errno));
  unsigned char magic[2] = {0, 0};
  const ssize_t m = ::pread(p->fd, magic, 2, static_cast<off_t>(offset));
  p->gz = m == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
  if (::lseek(p->fd, static_cast<off_t>(offset), SEEK_SET) < 0)
    return make_error(errc::io_error, display + ": cannot seek: " + std::strerror(errno));
  p->buf_pos = offset;
  if (p->gz) {
    p->in.resize(read_chunk);
    p->in_file_offset = offset;
    p->zs.next_in = p->in.data();
    p->zs.avail_in = 0;
    if (inflateInit2(&p->zs, 16 + MAX_WBITS) != Z_OK)
      return make_error(errc::internal, display + ": cannot start zlib");
    p->zs_ready = true;
    p->buf_pos = 0;
  }
  // A record found before: its data starts `skip` bytes into the member at `offset`.
  while (skip > 0) {
    auto n = p->need(1);
    if (!n)
      return n.error();
    if (!*n)
      break;
    const std::size_t take =
        static_cast<std::size_t>(std::min<std::uint64_t>(skip, p->buf.size() - p->at));
    p->at += take;
    skip -= take;
  }
  return std::unique_ptr<warc_stream>(new warc_stream(std::move(p)));
}

std::uint64_t warc_stream::file_offset() const noexcept {
  return impl_->gz ? impl_->compressed_pos() : impl_->pos();
}

result<bool> warc_stream::next(warc_record& out) {
  impl& s = *impl_;
  out = warc_record();
  // Blank lines between records (a writer that adds more than the two the format asks for).
  for (;;) {
    auto n = s.need(1);
    if (!n)
      return n.error();
    if (!*n)
      return false;
    const char c = s.buf[s.at];
    if (c != '\r' && c != '\n')
      break;
    ++s.at;
  }
  const std::uint64_t start = s.pos();
  out.number = ++s.number;
  if (s.gz) {
    const auto* m = s.member_of(start);
    out.offset = m != nullptr ? m->file_start : 0;
    out.skip = m != nullptr ? start - m->data_start : 0;
  } else {
    out.offset = start;
  }
  const std::string here = s.where(out.number, out.offset);
  auto version = s.need(6);
  if (!version)
    return version.error();
  if (std::string_view(s.buf).substr(s.at, 6) != "WARC/1") {
    const std::string_view avail = std::string_view(s.buf).substr(s.at, 40);
    return make_error(errc::invalid_input,
                      here + ": a record must start with \"WARC/1.0\" or \"WARC/1.1\", got \"" +
                          std::string(trim(avail.substr(0, avail.find('\n')))) + "\"" +
                          (out.number > 1 ? " (the Content-Length of the record before it may "
                                            "be wrong)"
                                          : ""));
  }
  // The named fields end at the first blank line.
  std::size_t head_end = std::string::npos;
  std::size_t sep = 4;
  for (std::size_t looked = 0;;) {
    const std::string_view avail = std::string_view(s.buf).substr(s.at);
    const std::size_t from = looked > 3 ? looked - 3 : 0;
    head_end = avail.find("\r\n\r\n", from);
    if (head_end == std::string_view::npos) {
      const std::size_t lf = avail.find("\n\n", from);
      if (lf != std::string_view::npos) {
        head_end = lf;
        sep = 2;
      }
    }
    if (head_end != std::string_view::npos)
      break;
    looked = avail.size();
    if (looked > max_header)
      return make_error(errc::invalid_input, here + ": no end of the WARC header in " +
                                                 std::to_string(max_header) + " bytes");
    auto m = s.more();
    if (!m)
      return m.error();
    if (!*m) {
      return make_error(errc::invalid_input,
                        here + ": the file ends inside the record's WARC header (truncated)");
    }
  }
  const std::string_view head = std::string_view(s.buf).substr(s.at, head_end);
  if (head.substr(0, 6) != "WARC/1") {
    const std::string_view first = head.substr(0, std::min<std::size_t>(head.find('\n'), 40));
    return make_error(errc::invalid_input,
                      here + ": a record must start with \"WARC/1.0\" or \"WARC/1.1\", got \"" +
                          std::string(trim(first)) + "\"" +
                          (out.number > 1 ? " (the Content-Length of the record before it may "
                                            "be wrong)"
                                          : ""));
  }
  parse_fields(head.substr(head.find('\n') + 1), out.headers);
  const std::string_view cl = out.header("Content-Length");
  std::uint64_t length = 0;
  const auto [ptr, ec] = std::from_chars(cl.data(), cl.data() + cl.size(), length);
  if (cl.empty() || ec != std::errc() || ptr != cl.data() + cl.size()) {
    return make_error(errc::invalid_input,
                      here + ": " +
                          (cl.empty() ? std::string("no Content-Length")
                                      : "bad Content-Length \"" + std::string(cl) + "\""));
  }
  // Until the record is complete, s.at stays at its first byte (so that resync can look for
  // the next record from there, losing nothing after a wrong Content-Length).
  const std::size_t body_at = head_end + sep; // from s.at
  std::size_t tail_at = 0;                    // from s.at
  if (length > s.max_record) {
    // Too large to hold: skipped through, its block left empty (the reader reports it).
    s.at += body_at;
    std::uint64_t left = length;
    while (left > 0) {
      auto n = s.need(1);
      if (!n)
        return n.error();
      if (!*n)
        return make_error(errc::invalid_input,
                          here + ": Content-Length " + std::string(cl) +
                              " runs past the end of the file (truncated, or a wrong length)");
      const std::size_t take =
          static_cast<std::size_t>(std::min<std::uint64_t>(left, s.buf.size() - s.at));
      s.at += take;
      left -= take;
    }
    out.block.clear();
    out.headers.emplace_back("X-Copydesk-Too-Large", std::to_string(length));
  } else {
    auto n = s.need(body_at + static_cast<std::size_t>(length));
    if (!n)
      return n.error();
    if (!*n)
      return make_error(errc::invalid_input,
                        here + ": Content-Length " + std::string(cl) +
                            " runs past the end of the file (truncated, or a wrong length)");
    tail_at = body_at + static_cast<std::size_t>(length);
    out.block.assign(s.buf, s.at + body_at, static_cast<std::size_t>(length));
  }
  // The block must be followed by a blank line (CRLF CRLF); anything else means the
  // Content-Length does not fit the record.
  auto t = s.need(tail_at + 4);
  if (!t)
    return t.error();
  const std::string_view tail = std::string_view(s.buf).substr(s.at + tail_at, 4);
  std::size_t trailer = 0;
  if (tail.substr(0, 4) == "\r\n\r\n")
    trailer = 4;
  else if (tail.substr(0, 2) == "\n\n")
    trailer = 2;
  else if (tail == "\r\n" || tail == "\n" || tail.empty())
    trailer = tail.size(); // the last record of a file whose final blank line was cut
  if (trailer == 0 && !(tail.empty() && s.file_eof)) {
    return make_error(errc::invalid_input,
                      here + ": Content-Length " + std::string(cl) +
                          " does not match the record: its block is not followed by the blank "
                          "line (CRLF CRLF) that ends a record");
  }
  s.at += tail_at + trailer;
  const std::uint64_t end = s.pos();
  if (s.gz) {
    const auto* m = s.member_of(end == 0 ? 0 : end - 1);
    out.length = (m != nullptr && m->file_end != 0 ? m->file_end : s.compressed_pos()) - out.offset;
    s.forget_members(end);
  } else {
    out.length = end - out.offset;
  }
  return true;
}

result<bool> warc_stream::resync() {
  impl& s = *impl_;
  if (s.corrupt)
    return false;
  // Look for the next line that starts a record, after the first byte of the failed one.
  std::size_t from = s.at + 1;
  for (;;) {
    const std::size_t hit = s.buf.find("\nWARC/1.", from);
    if (hit != std::string::npos) {
      s.at = hit + 1;
      return true;
    }
    from = s.buf.size() > 8 ? s.buf.size() - 8 : s.at;
    // Keep the unsearched tail only; what was searched is dropped as it is compacted.
    s.at = from;
    auto m = s.more();
    if (!m)
      return m.error();
    if (!*m)
      return false;
    from = s.at;
  }
}

bool dechunk(std::string_view body, std::string& out) {
  out.clear();
  std::size_t at = 0;
  for (;;) {
    const std::size_t nl = body.find('\n', at);
    if (nl == std::string_view::npos)
      return false;
    std::string_view size_line = trim(body.substr(at, nl - at));
    size_line = size_line.substr(0, size_line.find(';')); // chunk extensions
    std::uint64_t size = 0;
    const auto [ptr, ec] =
        std::from_chars(size_line.data(), size_line.data() + size_line.size(), size, 16);
    if (size_line.empty() || ec != std::errc())
      return false;
    at = nl + 1;
    if (size == 0)
      return true; // trailers after the last chunk are not payload
    if (size > body.size() - at) {
      out.append(body.substr(at));
      return false;
    }
    out.append(body.substr(at, static_cast<std::size_t>(size)));
    at += static_cast<std::size_t>(size);
    if (body.substr(at, 2) == "\r\n")
      at += 2;
    else if (body.substr(at, 1) == "\n")
      at += 1;
  }
}

bool inflate_body(std::string_view body, std::string& out, std::uint64_t limit) {
  out.clear();
  z_stream zs{};
  // 32 + MAX_WBITS: gzip or zlib, told apart by the header.
  if (inflateInit2(&zs, 32 + MAX_WBITS) != Z_OK)
    return false;
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(body.data()));
  zs.avail_in = static_cast<uInt>(body.size());
  bool ok = false;
  for (;;) {
    const std::size_t old = out.size();
    const std::size_t chunk = std::max<std::size_t>(body.size() * 4, 64 << 10);
    out.resize(old + chunk);
    zs.next_out = reinterpret_cast<Bytef*>(out.data() + old);
    zs.avail_out = static_cast<uInt>(chunk);
    const int z = inflate(&zs, Z_NO_FLUSH);
    out.resize(old + (chunk - zs.avail_out));
    if (z == Z_STREAM_END) {
      ok = true;
      break;
    }
    if ((z != Z_OK && z != Z_BUF_ERROR) || (z == Z_BUF_ERROR && zs.avail_in == 0) ||
        out.size() > limit)
      break;
  }
  inflateEnd(&zs);
  if (out.size() > limit)
    out.resize(static_cast<std::size_t>(limit));
  return ok;
}

warc_page page_of(const warc_record& rec) {
  warc_page page;
  const std::string type = lower(rec.header("WARC-Type"));
  if (type != "response") {
    page.skip_reason = (type.empty() ? std::string("untyped") : type) + " records";
    return page;
  }
  if (lower(rec.header("Content-Type")).rfind("application/http", 0) != 0) {
    page.skip_reason = "response records that are not HTTP (Content-Type " +
                       std::string(rec.header("Content-Type")) + ")";
    return page;
  }
  const std::string_view block = rec.block;
  std::size_t head_end = block.find("\r\n\r\n");
  std::size_t sep = 4;
  if (head_end == std::string_view::npos) {
    head_end = block.find("\n\n");
    sep = 2;
  }
  if (block.substr(0, 5) != "HTTP/" || head_end == std::string_view::npos) {
    page.skip_reason = "responses without an HTTP header";
    return page;
  }
  const std::string_view status_line = block.substr(0, block.find('\n'));
  const std::size_t sp = status_line.find(' ');
  const std::string_view code =
      sp == std::string_view::npos ? std::string_view() : trim(status_line.substr(sp + 1, 3));
  if (code.size() != 3 || code[0] != '2') {
    page.skip_reason = "responses with an HTTP status other than 2xx";
    return page;
  }
  std::vector<std::pair<std::string, std::string>> http;
  parse_fields(block.substr(status_line.size() + 1, head_end - status_line.size()), http);
  const std::string content_type = lower(field(http, "Content-Type"));
  const std::string mime(trim(content_type.substr(0, content_type.find(';'))));
  if (mime == "text/html" || mime == "application/xhtml+xml") {
    page.is_html = true;
  } else if (mime != "text/plain") {
    page.skip_reason = "responses of other content types";
    return page;
  }
  std::string body(block.substr(head_end + sep));
  std::string decoded;
  if (lower(field(http, "Transfer-Encoding")).find("chunked") != std::string::npos) {
    if (!dechunk(body, decoded))
      page.warning = "malformed chunked transfer coding (kept what could be decoded)";
    body.swap(decoded);
  }
  const std::string coding = lower(field(http, "Content-Encoding"));
  if (coding == "gzip" || coding == "x-gzip" || coding == "deflate") {
    if (!inflate_body(body, decoded, std::uint64_t{1} << 30))
      page.warning = "malformed " + coding + " content coding (kept what could be decoded)";
    body.swap(decoded);
  }
  if (const std::size_t cs = content_type.find("charset="); cs != std::string::npos) {
    std::string_view v = std::string_view(content_type).substr(cs + 8);
    v = trim(v.substr(0, v.find(';')));
    page.charset = std::string(v);
  } else if (page.is_html) {
    page.charset = meta_charset(body);
  }
  if (body.size() >= 3 && body.compare(0, 3, "\xEF\xBB\xBF") == 0)
    body.erase(0, 3);
  if (page.charset.empty() || text::is_utf8_charset(page.charset)) {
    page.replaced = text::repair_utf8(body);
    page.body = std::move(body);
  } else if (auto conv = text::convert_to_utf8(body, page.charset); conv) {
    page.body = std::move(conv->text);
    page.replaced = conv->replaced;
  } else {
    page.warning = conv.error().message + ": read as UTF-8";
    page.replaced = text::repair_utf8(body);
    page.body = std::move(body);
  }
  page.is_page = true;
  return page;
}

} // namespace copydesk::detail
