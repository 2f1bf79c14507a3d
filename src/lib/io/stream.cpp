// The reader's byte streams that are not compression or conversion: a file descriptor, bytes in
// memory, a replayed head; the layer stack of an input (open_stream) and reading to the end.
#include "io/stream.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <unistd.h>

namespace copydesk::detail {

namespace {

class fd_reader final : public byte_stream {
public:
  explicit fd_reader(int fd) : fd_(fd) {}
  result<std::size_t> read(char* out, std::size_t len) override {
    for (;;) {
      const ssize_t r = ::read(fd_, out, len);
      if (r >= 0)
        return static_cast<std::size_t>(r);
      if (errno != EINTR)
        return make_error(errc::io_error, std::string("read failed: ") + std::strerror(errno));
    }
  }

private:
  int fd_;
};

class memory_reader final : public byte_stream {
public:
  explicit memory_reader(std::string_view bytes) : bytes_(bytes) {}
  result<std::size_t> read(char* out, std::size_t len) override {
    const std::size_t n = std::min(len, bytes_.size() - at_);
    std::memcpy(out, bytes_.data() + at_, n);
    at_ += n;
    return n;
  }

private:
  std::string_view bytes_;
  std::size_t at_ = 0;
};

class replay_reader final : public byte_stream {
public:
  replay_reader(std::string head, std::unique_ptr<byte_stream> inner)
      : head_(std::move(head)), inner_(std::move(inner)) {}
  result<std::size_t> read(char* out, std::size_t len) override {
    if (at_ < head_.size()) {
      const std::size_t n = std::min(len, head_.size() - at_);
      std::memcpy(out, head_.data() + at_, n);
      at_ += n;
      return n;
    }
    return inner_->read(out, len);
  }

private:
  std::string head_;
  std::size_t at_ = 0;
  std::unique_ptr<byte_stream> inner_;
};

// Reads up to `n` bytes from the front of `s` (fewer only at its end).
result<std::string> read_head(byte_stream& s, std::size_t n) {
  std::string head(n, '\0');
  std::size_t got = 0;
  while (got < n) {
    auto r = s.read(head.data() + got, n - got);
    if (!r)
      return r.error();
    if (*r == 0)
      break;
    got += *r;
  }
  head.resize(got);
  return head;
}

bool is_utf8_name(std::string_view name) {
  std::string lower;
  for (const char c : name) {
    if (c != '-' && c != '_')
      lower.push_back(static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c));
  }
  return lower == "utf8";
}

} // namespace

std::unique_ptr<byte_stream> fd_stream(int fd) { return std::make_unique<fd_reader>(fd); }

std::unique_ptr<byte_stream> memory_stream(std::string_view bytes) {
  return std::make_unique<memory_reader>(bytes);
}

std::unique_ptr<byte_stream> replay_stream(std::string head, std::unique_ptr<byte_stream> inner) {
  return std::make_unique<replay_reader>(std::move(head), std::move(inner));
}

compression sniff_compression(std::string_view head) noexcept {
  if (head.size() >= 2 && head[0] == '\x1F' && head[1] == '\x8B')
    return compression::gzip;
  if (head.size() >= 4 && head.substr(0, 4) == std::string_view("\x28\xB5\x2F\xFD", 4))
    return compression::zstd;
  return compression::none;
}

const char* to_string(compression c) noexcept {
  switch (c) {
  case compression::gzip:
    return "gzip";
  case compression::zstd:
    return "zstd";
  case compression::none:
    break;
  }
  return "none";
}

result<opened_stream> open_stream(std::unique_ptr<byte_stream> raw, const std::string& encoding) {
  opened_stream o;
  auto head = read_head(*raw, 4);
  if (!head)
    return head.error();
  o.compressed = sniff_compression(*head);
  o.stream = replay_stream(*head, std::move(raw));
  if (o.compressed != compression::none) {
    o.stream = decompressing(std::move(o.stream), o.compressed);
    head = read_head(*o.stream, 4);
    if (!head)
      return head.error();
    o.stream = replay_stream(*head, std::move(o.stream));
  }
  // A byte order mark names the encoding, over --encoding (as browsers and ICU's detection do).
  const std::string_view h = *head;
  std::size_t bom = 0;
  if (h.substr(0, 2) == "\xFF\xFE") {
    o.charset = "UTF-16LE";
    bom = 2;
  } else if (h.substr(0, 2) == "\xFE\xFF") {
    o.charset = "UTF-16BE";
    bom = 2;
  } else if (h.substr(0, 3) != "\xEF\xBB\xBF" && !encoding.empty() && !is_utf8_name(encoding)) {
    o.charset = encoding;
  }
  if (o.charset.empty())
    return o;
  if (bom != 0) { // the mark is not text: read past it
    if (auto r = read_head(*o.stream, bom); !r)
      return r.error();
  }
  auto conv = converting(std::move(o.stream), o.charset);
  if (!conv)
    return conv.error();
  o.stream = std::move(*conv);
  return o;
}

result<void> read_to_end(byte_stream& s, std::uint64_t limit, std::string& out) {
  out.clear();
  std::size_t got = 0;
  for (;;) {
    if (got == out.size()) {
      if (got > limit)
        break;
      out.resize(static_cast<std::size_t>(
          std::min<std::uint64_t>(std::max<std::size_t>(2 * got, 64 << 10), limit + 1)));
    }
    auto r = s.read(out.data() + got, out.size() - got);
    if (!r) {
      out.resize(got);
      return r.error();
    }
    if (*r == 0)
      break;
    got += *r;
  }
  out.resize(got);
  return {};
}

} // namespace copydesk::detail
