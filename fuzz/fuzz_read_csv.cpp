// Fuzz entry: the CSV / TSV reader on arbitrary bytes in memory. Byte 0: TSV or CSV (bit 0),
// --skip-bad (bit 1), the refill size (so records and quotes span refills). Reading gives
// documents or one error; every usable row's text is read again unchanged, and its record is a
// JSON object.
#include <copydesk/io.hpp>

#include <cstdlib>
#include <string_view>

// NOLINTNEXTLINE(readability-identifier-naming): the name libFuzzer calls
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0)
    return 0;
  copydesk::read_options ro;
  ro.skip_bad = (data[0] & 2) != 0;
  ro.read_chunk_bytes = 1 + (data[0] >> 2);
  ro.meta_fields = {"title"};
  const std::string_view bytes(reinterpret_cast<const char*>(data) + 1, size - 1);
  auto reader = copydesk::corpus_reader::open_record_bytes(
      (data[0] & 1) != 0 ? "fuzz.tsv" : "fuzz.csv", bytes, ro);
  copydesk::diagnostics diag;
  auto docs = copydesk::read_all(*reader, diag);
  for (std::size_t i = 0; docs && i < docs->size(); ++i) {
    const auto& d = (*docs)[i];
    auto again = reader->reread_text(d.where);
    auto rec = reader->reread_record(d.where);
    if (d.error.empty() && (!again || *again != d.text || !rec || rec->empty() ||
                            rec->front() != '{' || rec->back() != '}'))
      std::abort();
  }
  return 0;
}
