// Fuzz entry: word and character shingling of arbitrary (repaired) text, and MinHash of the
// result, agree with the token count contract.
#include <copydesk/minhash.hpp>
#include <copydesk/shingle.hpp>

#include <cstdlib>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string s(reinterpret_cast<const char*>(data), size);
  copydesk::text::repair_utf8(s);
  copydesk::shingle_params p;
  p.width = size > 0 ? 1 + data[0] % 8 : 5;
  std::vector<copydesk::hash64> sh;
  const std::size_t tokens = copydesk::shingle_text(s, p, sh);
  const std::size_t expect = tokens >= p.width ? tokens - p.width + 1 : (tokens > 0 ? 1 : 0);
  if (sh.size() != expect)
    std::abort();
  std::vector<std::uint32_t> sig;
  copydesk::minhash_signature(sh, 64, sig);
  p.unit = copydesk::shingle_unit::chars;
  sh.clear();
  copydesk::shingle_text(s, p, sh);
  return 0;
}
