// Fuzz entry: a WARC file (arbitrary bytes; first byte odd: the rest is gzip-compressed first, so
// the gzip member reader is reached too) read through corpus_reader with and without --skip-bad:
// it reads documents or returns an error, never crashes, and rereads give the same text.
#include <copydesk/io.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0)
    return 0;
  static const std::string pid = std::to_string(::getpid());
  const std::string path = (std::filesystem::temp_directory_path() /
                            ("copydesk_fuzz_" + pid + ((data[0] & 1) != 0 ? ".warc.gz" : ".warc")))
                               .string();
  std::ofstream(path, std::ios::binary)
      .write(reinterpret_cast<const char*>(data) + 1, static_cast<std::streamsize>(size - 1));
  for (const bool skip : {false, true}) {
    copydesk::read_options ro;
    ro.skip_bad = skip;
    ro.max_doc_bytes = 1 << 16;
    auto reader = copydesk::corpus_reader::open({path}, ro);
    if (!reader)
      std::abort();
    copydesk::diagnostics diag;
    auto docs = copydesk::read_all(*reader, diag);
    for (std::size_t i = 0; docs && i < docs->size(); ++i) {
      const copydesk::document& d = (*docs)[i];
      auto again = reader->reread_text(d.where);
      if (d.error.empty() && (!again || *again != d.text))
        std::abort();
    }
  }
  ::unlink(path.c_str());
  return 0;
}
