// record_store: the bytes of a decompressed or converted input stream, kept in blocks so any
// record can be read again by offset without decompressing the input from its start: as they
// are up to the reader's budget (read_options::keep_raw_bytes), then compressed with zstd's fast
// level (about the size of the compressed input; compressing costs about 4x decompressing).
#include "io/stream.hpp"

#include <zstd.h>

#include <algorithm>
#include <atomic>

namespace copydesk::detail {

namespace {

constexpr std::size_t block_bytes = std::size_t{128} << 10;
// zstd's fastest regular level: the store is written while the input is read, on the reading
// thread, so its speed counts more than its ratio.
constexpr int store_level = 1;

// Tells stores apart in the per-thread cache (an address can be reused by a later store).
std::atomic<std::uint64_t> next_store_id{1};

struct cctx_closer {
  void operator()(ZSTD_CCtx* c) const noexcept { ZSTD_freeCCtx(c); }
};
struct dctx_closer {
  void operator()(ZSTD_DCtx* c) const noexcept { ZSTD_freeDCtx(c); }
};

} // namespace

struct record_store::impl {
  struct block {
    std::uint64_t start = 0;
    std::size_t raw_size = 0;
    bool compressed = false;
    std::string packed; // the bytes, compressed or not
  };
  std::uint64_t* raw_budget = nullptr;
  std::uint64_t id = next_store_id.fetch_add(1);
  std::vector<block> blocks;
  std::string open; // the block being filled, not yet compressed
  std::uint64_t open_start = 0;
  std::uint64_t packed = 0;
  std::unique_ptr<ZSTD_CCtx, cctx_closer> cctx; // made when the budget runs out

  void seal() {
    block b;
    b.start = open_start;
    b.raw_size = open.size();
    if (*raw_budget >= open.size()) {
      *raw_budget -= open.size();
      b.packed = std::move(open); // the block itself, not a copy
      open = std::string();
      open.reserve(block_bytes);
    } else {
      if (!cctx)
        cctx.reset(ZSTD_createCCtx());
      b.packed.resize(ZSTD_compressBound(open.size()));
      const std::size_t n = ZSTD_compressCCtx(cctx.get(), b.packed.data(), b.packed.size(),
                                              open.data(), open.size(), store_level);
      b.compressed = cctx && ZSTD_isError(n) == 0;
      if (b.compressed) {
        b.packed.resize(n);
        b.packed.shrink_to_fit();
      } else {
        b.packed = open; // no compressor (out of memory): keep the bytes as they are
      }
    }
    packed += b.packed.size();
    open_start += b.raw_size;
    blocks.push_back(std::move(b));
    open.clear();
  }

  // The raw bytes of block i (the caller's thread keeps the last one decompressed).
  result<const std::string*> raw_block(std::size_t i) const {
    if (!blocks[i].compressed)
      return &blocks[i].packed;
    struct cache {
      std::uint64_t store = 0;
      std::size_t index = 0;
      std::string raw;
      std::unique_ptr<ZSTD_DCtx, dctx_closer> dctx{ZSTD_createDCtx()};
    };
    thread_local cache c;
    if (c.store == id && c.index == i)
      return &c.raw;
    const block& b = blocks[i];
    c.raw.resize(b.raw_size);
    const std::size_t n = ZSTD_decompressDCtx(c.dctx.get(), c.raw.data(), c.raw.size(),
                                              b.packed.data(), b.packed.size());
    if (ZSTD_isError(n) != 0 || n != b.raw_size) {
      c.store = 0;
      return make_error(errc::internal, "kept input block does not decompress");
    }
    c.store = id;
    c.index = i;
    return &c.raw;
  }
};

record_store::record_store(std::uint64_t& raw_budget) : impl_(std::make_unique<impl>()) {
  impl_->raw_budget = &raw_budget;
}
record_store::record_store(record_store&&) noexcept = default;
record_store& record_store::operator=(record_store&&) noexcept = default;
record_store::~record_store() = default;

void record_store::append(std::string_view bytes) {
  impl& s = *impl_;
  while (!bytes.empty()) {
    const std::size_t n = std::min(bytes.size(), block_bytes - s.open.size());
    s.open.append(bytes.substr(0, n));
    bytes.remove_prefix(n);
    if (s.open.size() == block_bytes)
      s.seal();
  }
}

std::uint64_t record_store::size() const noexcept { return impl_->open_start + impl_->open.size(); }

std::uint64_t record_store::packed_bytes() const noexcept {
  return impl_->packed + impl_->open.size();
}

result<std::string> record_store::read(std::uint64_t offset, std::uint64_t length) const {
  const impl& s = *impl_;
  if (offset + length > size())
    return make_error(errc::internal, "record outside the kept input");
  std::string out;
  out.reserve(static_cast<std::size_t>(length));
  // The first block that ends after offset: blocks are in order and all block_bytes long.
  auto i = static_cast<std::size_t>(offset / block_bytes);
  std::uint64_t at = offset;
  while (out.size() < length) {
    const std::uint64_t want = length - out.size();
    if (i >= s.blocks.size()) { // the open block
      out.append(s.open, static_cast<std::size_t>(at - s.open_start),
                 static_cast<std::size_t>(want));
      break;
    }
    auto raw = s.raw_block(i);
    if (!raw)
      return raw.error();
    const auto from = static_cast<std::size_t>(at - s.blocks[i].start);
    const std::size_t n = std::min<std::size_t>((*raw)->size() - from, want);
    out.append(**raw, from, n);
    at += n;
    ++i;
  }
  return out;
}

} // namespace copydesk::detail
