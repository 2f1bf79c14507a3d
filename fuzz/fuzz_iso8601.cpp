// Fuzz entry: the ISO 8601 parser of `archive add --time-field` on arbitrary text gives a time or
// nothing, never a crash, and a time it gives lies within years 0000-9999 (plus a zone offset).
#include <copydesk/archive.hpp>

#include <cstdlib>
#include <string_view>

// NOLINTNEXTLINE(readability-identifier-naming): the name libFuzzer calls
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view s(reinterpret_cast<const char*>(data), size);
  const auto t = copydesk::text::parse_iso8601(s);
  // 0000-01-01 is -62167219200 s; 9999-12-31T23:59:60 plus a 24 h offset stays below 2.6e11.
  if (t && (*t < -62167219200 - 86400 || *t > 253402387200))
    std::abort();
  return 0;
}
