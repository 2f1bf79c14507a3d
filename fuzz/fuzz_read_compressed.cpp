// Fuzz entry: gzip and zstd streams into the reader. Byte 0 picks the codec (bit 0), whether the
// rest is JSONL to compress (bit 1; else it follows the codec's magic as is, hostile compressed
// bytes) and a refill size; byte 1 where to cut the compressed stream (255: not cut). A whole
// stream must read exactly as its plain JSONL does; a cut one must give a prefix of those
// documents or an error; rereads give back each text (from the kept copy, raw or compressed).
#include <copydesk/io.hpp>

#include <zlib.h>
#include <zstd.h>

#include <cstdlib>
#include <string>

namespace {
std::string compress(const std::string& s, bool gzip) {
  std::string out(ZSTD_compressBound(s.size()) + compressBound(static_cast<uLong>(s.size())) + 64,
                  '\0');
  if (!gzip)
    return out.substr(0, ZSTD_compress(out.data(), out.size(), s.data(), s.size(), 1));
  z_stream z{};
  deflateInit2(&z, 1, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(s.data()));
  z.avail_in = static_cast<uInt>(s.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

std::vector<copydesk::document> read(copydesk::result<copydesk::corpus_reader>& reader, bool& ok) {
  copydesk::diagnostics diag;
  auto docs = copydesk::read_all(*reader, diag);
  ok = docs.has_value();
  if (!docs)
    return {};
  for (const auto& d : *docs) {
    auto again = reader->reread_text(d.where);
    if (d.error.empty() && (!again || *again != d.text))
      std::abort();
  }
  return std::move(*docs);
}
} // namespace

// NOLINTNEXTLINE(readability-identifier-naming): the name libFuzzer calls
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2)
    return 0;
  const bool gzip = (data[0] & 1) != 0;
  const std::string rest(reinterpret_cast<const char*>(data) + 2, size - 2);
  copydesk::read_options ro;
  ro.skip_bad = true;
  ro.read_chunk_bytes = 1 + (data[0] >> 2);
  ro.keep_raw_bytes = (data[0] & 0x80) != 0 ? 0 : ro.keep_raw_bytes;
  std::string bytes = (data[0] & 2) != 0
                          ? compress(rest, gzip)
                          : (gzip ? std::string("\x1F\x8B") : "\x28\xB5\x2F\xFD") + rest;
  const bool cut = data[1] != 255 && (data[0] & 2) != 0;
  if (cut)
    bytes.resize(bytes.size() * data[1] / 255);
  auto packed = copydesk::corpus_reader::open_jsonl_bytes("fuzz.jsonl.gz", bytes, ro);
  bool packed_ok = false;
  const auto got = read(packed, packed_ok);
  // Compared with the plain JSONL only when that is not compressed itself (one layer is
  // decompressed: gzip of a zstd stream reads as the zstd bytes).
  if ((data[0] & 2) == 0 || rest.starts_with("\x1F\x8B") || rest.starts_with("\x28\xB5\x2F\xFD"))
    return 0;
  auto plain = copydesk::corpus_reader::open_jsonl_bytes("fuzz.jsonl.gz", rest, ro);
  bool plain_ok = false;
  const auto want = read(plain, plain_ok);
  // Uncut: the same documents. Cut: the documents before the cut, then the placeholder of the
  // lost rest (when the cut left less than the magic, the bytes are plain JSONL: not compared).
  const std::size_t same = cut ? (got.empty() ? 0 : got.size() - 1) : got.size();
  if ((!cut && (packed_ok != plain_ok || got.size() != want.size())) || same > want.size())
    std::abort();
  for (std::size_t i = 0; i < same; ++i) {
    if (got[i].id != want[i].id || got[i].text != want[i].text || got[i].error != want[i].error)
      std::abort();
  }
  return 0;
}
