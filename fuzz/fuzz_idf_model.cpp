// Fuzz entry: the IDF model loader on arbitrary bytes either fails or gives a model whose
// serialization loads back to the same bytes, with term hashes ascending and lookups agreeing.
#include <copydesk/tfidf.hpp>

#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto m = copydesk::idf_model::deserialize({reinterpret_cast<const char*>(data), size});
  if (!m)
    return 0;
  const std::string bytes = m->serialize();
  auto again = copydesk::idf_model::deserialize(bytes);
  if (!again || again->serialize() != bytes || m->term_hashes().size() != m->size())
    std::abort();
  const auto hashes = m->term_hashes();
  for (std::size_t i = 0; i < hashes.size(); ++i) {
    if ((i > 0 && hashes[i - 1] >= hashes[i]) || m->df(hashes[i]) != m->term_dfs()[i])
      std::abort();
  }
  return 0;
}
