// Decompression layers of the reader: gzip (zlib, concatenated members as one stream) and zstd
// (libzstd, concatenated and skippable frames). Streamed: only the input buffer and the
// decoder's window are held, never the whole decompressed file.
#include "io/stream.hpp"

#include <zlib.h>
#include <zstd.h>

#include <optional>

namespace copydesk::detail {

namespace {

constexpr std::size_t input_chunk = std::size_t{256} << 10;

// Shared by both decoders: the compressed input, read from `inner` in chunks, and the error
// that is given once the bytes decoded before it have been handed out.
class decoder_base : public byte_stream {
protected:
  explicit decoder_base(std::unique_ptr<byte_stream> inner)
      : inner_(std::move(inner)), in_(input_chunk) {}

  // Reads the next chunk when the input is used up; false when there is none (the end).
  result<bool> refill_input() {
    if (in_at_ < in_len_)
      return true;
    if (in_eof_)
      return false;
    auto r = inner_->read(in_.data(), in_.size());
    if (!r)
      return r.error();
    in_at_ = 0;
    in_len_ = *r;
    in_eof_ = *r == 0;
    return !in_eof_;
  }

  // The error to give now: none when bytes were decoded (they come first, the error next).
  std::optional<error> fail(std::size_t produced, error e) {
    failed_ = std::move(e);
    if (produced != 0)
      return std::nullopt;
    return failed_;
  }

  std::unique_ptr<byte_stream> inner_;
  std::vector<char> in_;
  std::size_t in_at_ = 0;
  std::size_t in_len_ = 0;
  bool in_eof_ = false;
  std::optional<error> failed_;
};

class gzip_reader final : public decoder_base {
public:
  explicit gzip_reader(std::unique_ptr<byte_stream> inner) : decoder_base(std::move(inner)) {
    // 15 + 16: a gzip wrapper (not zlib or raw deflate), the largest window.
    ok_ = inflateInit2(&z_, 15 + 16) == Z_OK;
  }
  gzip_reader(const gzip_reader&) = delete;
  gzip_reader& operator=(const gzip_reader&) = delete;
  ~gzip_reader() override {
    if (ok_)
      inflateEnd(&z_);
  }

  result<std::size_t> read(char* out, std::size_t len) override {
    if (failed_)
      return *failed_;
    if (!ok_)
      return make_error(errc::internal, "cannot start zlib's decoder");
    z_.next_out = reinterpret_cast<Bytef*>(out);
    z_.avail_out = static_cast<uInt>(std::min<std::size_t>(len, 1U << 30));
    const uInt room = z_.avail_out;
    while (z_.avail_out > 0) {
      auto more = refill_input();
      if (!more)
        return more.error();
      if (!*more && !in_member_)
        break; // the end, between members
      z_.next_in = reinterpret_cast<Bytef*>(in_.data() + in_at_);
      z_.avail_in = static_cast<uInt>(in_len_ - in_at_);
      const uInt out_before = z_.avail_out;
      const int rc = inflate(&z_, Z_NO_FLUSH);
      in_at_ = in_len_ - z_.avail_in;
      in_member_ = true;
      if (rc == Z_STREAM_END) {
        in_member_ = false; // another member may follow
        inflateReset(&z_);
      } else if (rc == Z_BUF_ERROR || (rc == Z_OK && !*more && z_.avail_out == out_before)) {
        if (!*more) { // no input left and no progress: the member is cut short
          if (auto e = fail(room - z_.avail_out,
                            make_error(errc::invalid_input,
                                       "truncated gzip stream (the input ends inside a "
                                       "compressed member)")))
            return *e;
          break;
        }
      } else if (rc != Z_OK) {
        const std::string why = z_.msg != nullptr ? z_.msg : "error " + std::to_string(rc);
        if (auto e = fail(room - z_.avail_out,
                          make_error(errc::invalid_input, "corrupt gzip stream (" + why + ")")))
          return *e;
        break;
      }
    }
    return static_cast<std::size_t>(room - z_.avail_out);
  }

private:
  z_stream z_{};
  bool ok_ = false;
  bool in_member_ = false;
};

class zstd_reader final : public decoder_base {
public:
  explicit zstd_reader(std::unique_ptr<byte_stream> inner)
      : decoder_base(std::move(inner)), d_(ZSTD_createDCtx()) {}
  zstd_reader(const zstd_reader&) = delete;
  zstd_reader& operator=(const zstd_reader&) = delete;
  ~zstd_reader() override { ZSTD_freeDCtx(d_); }

  result<std::size_t> read(char* out, std::size_t len) override {
    if (failed_)
      return *failed_;
    if (d_ == nullptr)
      return make_error(errc::internal, "cannot start zstd's decoder");
    ZSTD_outBuffer ob{out, len, 0};
    while (ob.pos < ob.size) {
      auto more = refill_input();
      if (!more)
        return more.error();
      if (!*more && hint_ == 0)
        break; // the end, between frames
      ZSTD_inBuffer ib{in_.data() + in_at_, in_len_ - in_at_, 0};
      const std::size_t out_before = ob.pos;
      const std::size_t rc = ZSTD_decompressStream(d_, &ob, &ib);
      in_at_ += ib.pos;
      if (ZSTD_isError(rc) != 0) {
        if (auto e =
                fail(ob.pos, make_error(errc::invalid_input, std::string("corrupt zstd stream (") +
                                                                 ZSTD_getErrorName(rc) + ")")))
          return *e;
        break;
      }
      hint_ = rc; // 0: a frame is complete and flushed
      if (!*more && hint_ != 0 && ob.pos == out_before) {
        if (auto e = fail(ob.pos, make_error(errc::invalid_input,
                                             "truncated zstd stream (the input ends inside a "
                                             "frame)")))
          return *e;
        break;
      }
    }
    return ob.pos;
  }

private:
  ZSTD_DCtx* d_;
  std::size_t hint_ = 1; // the stream starts inside a frame
};

} // namespace

std::unique_ptr<byte_stream> decompressing(std::unique_ptr<byte_stream> inner, compression c) {
  switch (c) {
  case compression::gzip:
    return std::make_unique<gzip_reader>(std::move(inner));
  case compression::zstd:
    return std::make_unique<zstd_reader>(std::move(inner));
  case compression::none:
    break;
  }
  return inner;
}

} // namespace copydesk::detail
