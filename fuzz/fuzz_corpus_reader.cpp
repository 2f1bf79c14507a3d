// Fuzz entry: the JSONL reader on arbitrary bytes in memory (first byte: refill chunk size, so
// records span refills) either reads documents or returns an error, with and without --skip-bad;
// rereads give back the same text.
#include <copydesk/io.hpp>

#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0)
    return 0;
  const std::string_view bytes(reinterpret_cast<const char*>(data) + 1, size - 1);
  for (const bool skip : {false, true}) {
    copydesk::read_options ro;
    ro.skip_bad = skip;
    ro.read_chunk_bytes = data[0] < 128 ? 1 + data[0] : ro.read_chunk_bytes;
    auto reader = copydesk::corpus_reader::open_jsonl_bytes("fuzz.jsonl", bytes, ro);
    copydesk::diagnostics diag;
    auto docs = copydesk::read_all(*reader, diag);
    for (std::size_t i = 0; docs && i < docs->size(); ++i) {
      const auto& d = (*docs)[i];
      auto again = reader->reread_text(d.where);
      if (d.error.empty() && (!again || *again != d.text))
        std::abort();
    }
  }
  return 0;
}
