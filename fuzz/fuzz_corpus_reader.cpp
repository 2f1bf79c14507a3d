// Fuzz entry: the JSONL reader on arbitrary bytes either reads documents or returns an error
// (never crashes), with and without --skip-bad; rereads give back the same text.
#include <copydesk/io.hpp>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <unistd.h>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto path = std::filesystem::temp_directory_path() /
                    ("copydesk_fuzz_" + std::to_string(::getpid()) + ".jsonl");
  {
    std::ofstream out(path, std::ios::binary);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  }
  for (const bool skip : {false, true}) {
    copydesk::read_options ro;
    ro.skip_bad = skip;
    auto reader = copydesk::corpus_reader::open({path.string()}, ro);
    if (!reader)
      std::abort();
    copydesk::diagnostics diag;
    auto docs = copydesk::read_all(*reader, diag);
    if (!docs)
      continue;
    for (const auto& d : *docs) {
      if (!d.error.empty())
        continue;
      auto again = reader->reread_text(d.where);
      if (!again || *again != d.text)
        std::abort();
    }
  }
  std::filesystem::remove(path);
  return 0;
}
