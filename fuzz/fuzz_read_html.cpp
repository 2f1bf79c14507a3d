// Fuzz entry: an HTML page (arbitrary bytes) read through corpus_reader, as is and with
// --strip-boilerplate: reading never fails, rereads give the same text, and stripping only
// blanks bytes (same length; every kept byte unchanged; removed spans inside the text).
#include <copydesk/io.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::string path = (std::filesystem::temp_directory_path() /
                                   ("copydesk_fuzz_" + std::to_string(::getpid()) + ".html"))
                                      .string();
  std::ofstream(path, std::ios::binary)
      .write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  std::string texts[2];
  for (const bool strip : {false, true}) {
    copydesk::read_options ro;
    ro.strip_boilerplate = strip;
    auto reader = copydesk::corpus_reader::open({path}, ro);
    copydesk::diagnostics diag;
    auto docs = reader ? copydesk::read_all(*reader, diag) : reader.error();
    if (!docs || docs->size() != 1)
      std::abort();
    const copydesk::document& d = (*docs)[0];
    auto again = reader->reread_text(d.where);
    if (d.error.empty() && (!again || *again != d.text))
      std::abort();
    texts[strip ? 1 : 0] = d.text;
  }
  ::unlink(path.c_str());
  if (texts[0].size() != texts[1].size())
    std::abort();
  for (std::size_t i = 0; i < texts[0].size(); ++i) {
    if (texts[1][i] != texts[0][i] && texts[1][i] != ' ')
      std::abort();
  }
  return 0;
}
