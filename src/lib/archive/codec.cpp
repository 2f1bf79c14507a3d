// zstd frames of archived texts, with an optional trained dictionary (codec.hpp).
#include "archive/codec.hpp"

#include <zdict.h>
#include <zstd.h>

#include <vector>

namespace copydesk::archive_detail {

namespace {

constexpr int level = 3;
constexpr std::size_t dictionary_bytes = std::size_t{64} << 10;
constexpr std::size_t min_sample_bytes = std::size_t{1} << 20;
constexpr std::size_t min_samples = 200;
constexpr std::size_t max_sample_bytes = std::size_t{8} << 20;

struct cctx_free {
  void operator()(ZSTD_CCtx* c) const noexcept { ZSTD_freeCCtx(c); }
};
struct dctx_free {
  void operator()(ZSTD_DCtx* c) const noexcept { ZSTD_freeDCtx(c); }
};

// One compression and one decompression context per thread, reused across calls.
ZSTD_CCtx* thread_cctx() {
  thread_local std::unique_ptr<ZSTD_CCtx, cctx_free> c(ZSTD_createCCtx());
  return c.get();
}
ZSTD_DCtx* thread_dctx() {
  thread_local std::unique_ptr<ZSTD_DCtx, dctx_free> c(ZSTD_createDCtx());
  return c.get();
}

} // namespace

struct text_codec::dicts {
  ZSTD_CDict* c = nullptr;
  ZSTD_DDict* d = nullptr;
  dicts() = default;
  dicts(const dicts&) = delete;
  dicts& operator=(const dicts&) = delete;
  ~dicts() {
    ZSTD_freeCDict(c);
    ZSTD_freeDDict(d);
  }
};

result<text_codec> text_codec::with_dictionary(std::string_view dictionary, std::string_view what) {
  const unsigned id = ZDICT_getDictID(dictionary.data(), dictionary.size());
  auto d = std::make_shared<dicts>();
  if (id != 0) {
    d->c = ZSTD_createCDict(dictionary.data(), dictionary.size(), level);
    d->d = ZSTD_createDDict(dictionary.data(), dictionary.size());
  }
  if (id == 0 || d->c == nullptr || d->d == nullptr)
    return make_error(errc::corrupt_file, std::string(what) + ": damaged compression dictionary");
  text_codec out;
  out.dicts_ = std::move(d);
  out.dict_id_ = id;
  return out;
}

std::optional<std::string> text_codec::train(std::span<const std::string_view> samples) {
  std::string all;
  std::vector<std::size_t> sizes;
  for (const std::string_view s : samples) {
    if (s.empty())
      continue;
    if (all.size() + s.size() > max_sample_bytes)
      break;
    all.append(s);
    sizes.push_back(s.size());
  }
  if (all.size() < min_sample_bytes || sizes.size() < min_samples)
    return std::nullopt;
  std::string dict(dictionary_bytes, '\0');
  const std::size_t n = ZDICT_trainFromBuffer(dict.data(), dict.size(), all.data(), sizes.data(),
                                              static_cast<unsigned>(sizes.size()));
  if (ZDICT_isError(n) != 0 || ZDICT_getDictID(dict.data(), n) == 0)
    return std::nullopt;
  dict.resize(n);
  return dict;
}

std::string text_codec::compress(std::string_view text) const {
  std::string out(ZSTD_compressBound(text.size()), '\0');
  ZSTD_CCtx* c = thread_cctx();
  const std::size_t n =
      dicts_
          ? ZSTD_compress_usingCDict(c, out.data(), out.size(), text.data(), text.size(), dicts_->c)
          : ZSTD_compressCCtx(c, out.data(), out.size(), text.data(), text.size(), level);
  // Compressing into a buffer of the bound's size cannot fail for lack of room.
  out.resize(ZSTD_isError(n) != 0 ? 0 : n);
  return out;
}

result<std::string> text_codec::decompress(std::string_view frame, std::uint64_t size,
                                           std::string_view what) const {
  auto damaged = [&](std::string_view why) {
    return make_error(errc::corrupt_file,
                      std::string(what) + ": stored text is damaged (" + std::string(why) + ")");
  };
  const unsigned long long declared = ZSTD_getFrameContentSize(frame.data(), frame.size());
  if (declared != size)
    return damaged("size " + std::to_string(size) + " expected");
  const unsigned id = ZSTD_getDictID_fromFrame(frame.data(), frame.size());
  if (id != 0 && id != dict_id_)
    return damaged("compressed with an unknown dictionary");
  std::string out(size, '\0');
  ZSTD_DCtx* d = thread_dctx();
  const std::size_t n =
      id != 0 ? ZSTD_decompress_usingDDict(d, out.data(), out.size(), frame.data(), frame.size(),
                                           dicts_->d)
              : ZSTD_decompressDCtx(d, out.data(), out.size(), frame.data(), frame.size());
  if (ZSTD_isError(n) != 0)
    return damaged(ZSTD_getErrorName(n));
  if (n != size)
    return damaged("wrong size");
  return out;
}

} // namespace copydesk::archive_detail
