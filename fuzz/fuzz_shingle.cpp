// Fuzz entry: word and character shingling of arbitrary (repaired) text, and MinHash of the
// result, agree with the token count contract; every token hashes as it does on its own; the
// winnowed fingerprints are the window minima of the shingles.
#include <copydesk/containment.hpp>
#include <copydesk/minhash.hpp>
#include <copydesk/shingle.hpp>

#include <algorithm>
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
  std::vector<copydesk::hash64> scanned;
  copydesk::hash_tokens(s, p.seed, scanned);
  copydesk::text::token_list toks;
  copydesk::text::tokenize(s, toks);
  if (scanned.size() != toks.size())
    std::abort();
  for (std::size_t i = 0; i < toks.size(); ++i) {
    if (scanned[i] != copydesk::hash_token(std::string(toks.token(i)), p.seed))
      std::abort();
  }
  const std::uint32_t window = size > 1 ? 1 + data[1] % 20 : 15;
  std::vector<std::uint32_t> fps;
  copydesk::winnow(sh, window, fps);
  std::vector<std::uint32_t> want;
  const std::size_t w = std::min<std::size_t>(window, sh.size());
  for (std::size_t b = 0; !sh.empty() && b + w <= sh.size(); ++b) {
    std::uint32_t m = copydesk::fingerprint(sh[b]);
    for (std::size_t j = b; j < b + w; ++j)
      m = std::min(m, copydesk::fingerprint(sh[j]));
    if (want.empty() || want.back() != m)
      want.push_back(m);
  }
  if (fps != want)
    std::abort();
  p.unit = copydesk::shingle_unit::chars;
  sh.clear();
  copydesk::shingle_text(s, p, sh);
  return 0;
}
