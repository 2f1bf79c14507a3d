// Precision and recall of the quote finder (find_quotations) on a labelled set: text in which
// every quotation is wrapped in ⟦ ⟧ (bench/quotes/labelled.txt). The markers are removed, the
// finder runs on the clean text, and a found quotation counts when its byte span equals a
// labelled one exactly (opening mark to closing mark, nested ones included).
// Usage: copydesk_quote_eval LABELLED.txt [--min SHARE] [-v]; exit 1 below --min.
#include <copydesk/signals.hpp>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

namespace {

constexpr std::string_view open_marker = "\u27E6";  // ⟦
constexpr std::string_view close_marker = "\u27E7"; // ⟧

struct labelled {
  std::string text;
  std::vector<std::pair<std::uint32_t, std::uint32_t>> spans;
  std::size_t nested = 0;
  std::size_t unclosed = 0;
};

bool ends_with_quote_mark(const std::string& s) {
  for (const char* m : {"\"", "'", "\u201D", "\u201C", "\u2019", "\u2018", "\u00BB", "\u00AB",
                        "\u203A", "\u2039", "\u300D", "\u300F"}) {
    const std::string mark(m);
    if (s.size() >= mark.size() && s.compare(s.size() - mark.size(), mark.size(), mark) == 0)
      return true;
  }
  return false;
}

labelled parse(const std::string& raw) {
  labelled out;
  std::vector<std::uint32_t> open;
  for (std::size_t i = 0; i < raw.size();) {
    if (raw.compare(i, open_marker.size(), open_marker) == 0) {
      if (!open.empty())
        ++out.nested;
      open.push_back(static_cast<std::uint32_t>(out.text.size()));
      i += open_marker.size();
    } else if (raw.compare(i, close_marker.size(), close_marker) == 0) {
      if (open.empty()) {
        std::cerr << "unbalanced marker at byte " << i << "\n";
        std::exit(2);
      }
      if (!ends_with_quote_mark(out.text))
        ++out.unclosed;
      out.spans.emplace_back(open.back(), static_cast<std::uint32_t>(out.text.size()));
      open.pop_back();
      i += close_marker.size();
    } else {
      out.text += raw[i++];
    }
  }
  if (!open.empty()) {
    std::cerr << "unclosed marker\n";
    std::exit(2);
  }
  return out;
}

} // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: copydesk_quote_eval LABELLED.txt [--min SHARE] [-v]\n";
    return 2;
  }
  double min_share = 0.0;
  bool verbose = false;
  for (int a = 2; a < argc; ++a) {
    const std::string arg = argv[a];
    if (arg == "--min" && a + 1 < argc)
      min_share = std::atof(argv[++a]);
    else if (arg == "-v")
      verbose = true;
  }
  std::ifstream in(argv[1], std::ios::binary);
  if (!in) {
    std::cerr << "cannot read " << argv[1] << "\n";
    return 2;
  }
  std::string raw;
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line[0] == '#')
      continue;
    raw += line + "\n";
  }
  const labelled gold = parse(raw);
  const std::set<std::pair<std::uint32_t, std::uint32_t>> want(gold.spans.begin(),
                                                               gold.spans.end());
  const std::vector<copydesk::quotation> found = copydesk::find_quotations(gold.text);
  std::set<std::pair<std::uint32_t, std::uint32_t>> got;
  for (const copydesk::quotation& q : found)
    got.emplace(q.bytes.begin, q.bytes.end);
  std::size_t hit = 0;
  for (const auto& s : got) {
    if (want.count(s) != 0)
      ++hit;
    else if (verbose)
      std::cout << "false: " << gold.text.substr(s.first, s.second - s.first) << "\n";
  }
  if (verbose) {
    for (const auto& s : want) {
      if (got.count(s) == 0)
        std::cout << "missed: " << gold.text.substr(s.first, s.second - s.first) << "\n";
    }
  }
  const double precision = got.empty() ? 1.0 : static_cast<double>(hit) / got.size();
  const double recall = want.empty() ? 1.0 : static_cast<double>(hit) / want.size();
  std::printf("labelled %zu quotations (%zu nested, %zu unclosed), found %zu, exact matches %zu\n",
              want.size(), gold.nested, gold.unclosed, got.size(), hit);
  std::printf("precision %.4f recall %.4f\n", precision, recall);
  return precision >= min_share && recall >= min_share ? 0 : 1;
}
