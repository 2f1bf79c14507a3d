// Fuzz entry: UTF-8 repair and tokenization never crash, and spans stay inside the text.
#include <copydesk/text.hpp>

#include <cstdlib>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string s(reinterpret_cast<const char*>(data), size);
  copydesk::text::repair_utf8(s);
  copydesk::text::token_list t;
  copydesk::text::tokenize(s, t);
  for (const auto& sp : t.spans) {
    if (sp.begin >= sp.end || sp.end > s.size())
      std::abort();
  }
  return 0;
}
