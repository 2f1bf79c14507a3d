// Fuzz entry: a copydesk JSON result (before the first NUL byte) and a gold TSV (after it) are
// parsed, evaluated at every level and score, and rendered; scores stay in range or are NaN.
#include <copydesk/writers.hpp>

#include <cmath>
#include <cstdlib>
#include <string_view>

// NOLINTNEXTLINE(readability-identifier-naming): the name libFuzzer calls
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  const std::size_t nul = std::min(in.find('\0'), in.size());
  auto out = copydesk::parse_tool_output(in.substr(0, nul), "r.json");
  auto gold = copydesk::parse_gold(in.substr(std::min(nul + 1, in.size())), "g.tsv");
  if (!out || !gold)
    return 0;
  const auto bad = [](double x) { return !std::isnan(x) && (x < -1.0 || x > 1.0); };
  for (int level = 0; level < 3; ++level) {
    copydesk::eval_options o;
    o.level = static_cast<copydesk::cluster_level>(level);
    o.score = static_cast<copydesk::pair_score>(size % 4);
    o.sweep = {0.0, 0.5, 1.0};
    if (gold->kind == copydesk::eval_kind::clusters)
      o.sweep.clear();
    auto r = copydesk::evaluate(*gold, *out, o);
    if (r && (bad(r->auc) || bad(r->spearman) || bad(r->clustering.ari) ||
              bad(r->clustering.bcubed.f1) ||
              !copydesk::render_string(*r, copydesk::output_format::json)))
      std::abort();
  }
  return 0;
}
