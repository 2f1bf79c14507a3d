// Fuzz entry: the gold TSV parser (first byte: recognised or forced kind) either fails or gives
// rows of its kind, in file order, with no empty field.
#include <copydesk/metrics.hpp>

#include <cstdlib>
#include <optional>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0)
    return 0;
  std::optional<copydesk::eval_kind> kind;
  if (data[0] % 4 != 3)
    kind = static_cast<copydesk::eval_kind>(data[0] % 4);
  auto g = copydesk::parse_gold({reinterpret_cast<const char*>(data) + 1, size - 1}, "g.tsv", kind);
  if (!g)
    return 0;
  std::size_t line = 0, rows = 0;
  const auto check = [&](std::size_t at, bool empty) {
    if (at <= line || empty)
      std::abort();
    line = at;
    ++rows;
  };
  for (const auto& r : g->labels)
    check(r.line, r.id.empty() || r.label.empty());
  for (const auto& r : g->pairs)
    check(r.line, r.a.empty() || r.b.empty() || r.a == r.b);
  for (const auto& r : g->grades)
    check(r.line, r.copy.empty() || r.reference.empty());
  if (rows == 0 || (kind && *kind != g->kind))
    std::abort();
  return 0;
}
