// Fuzz entry: the signature loader on arbitrary bytes (with the checksum made valid, so the field
// checks behind it are reached) either fails or gives a signature that is its input byte for
// byte, compares to itself at 1 and merges with itself to itself.
#include <copydesk/minhash.hpp>

#include <cstdlib>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string bytes(reinterpret_cast<const char*>(data), size);
  if (bytes.size() >= 56) { // FNV-1a 64 of everything before the last 8 bytes, little-endian
    std::uint64_t h = 0xcbf29ce484222325ULL;
    for (std::size_t i = 0; i + 8 < bytes.size(); ++i)
      h = (h ^ static_cast<unsigned char>(bytes[i])) * 0x100000001b3ULL;
    for (std::size_t i = 0; i < 8; ++i)
      bytes[bytes.size() - 8 + i] = static_cast<char>(h >> (8 * i));
  }
  auto s = copydesk::signature::deserialize(bytes);
  if (!s)
    return 0;
  auto j = copydesk::jaccard(*s, *s);
  auto m = copydesk::merge(*s, *s);
  if (s->serialize() != bytes || !j || j->estimate != 1.0 || !m || !(*m == *s))
    std::abort();
  return 0;
}
