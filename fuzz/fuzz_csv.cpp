// Fuzz entry: the dedup, stories and borrow CSV writers on documents with hostile ids and texts
// (fuzz_documents.hpp): read back as RFC 4180, every record has the header's field count, and
// the stories CSV has one record per document.
#include "fuzz_documents.hpp"

#include <copydesk/pipeline.hpp>
#include <copydesk/writers.hpp>

#include <cstdlib>

// Records of `csv` (quotes toggle; a doubled quote toggles twice), or 0 if one is ragged.
static std::size_t records(const std::string& csv) {
  std::size_t fields = 1, header = 0, n = 0;
  bool quoted = false;
  for (const char c : csv) {
    quoted ^= c == '"';
    fields += !quoted && c == ',' ? 1 : 0;
    if (quoted || c != '\n')
      continue;
    header = n++ == 0 ? fields : header;
    if (fields != header)
      return 0;
    fields = 1;
  }
  return quoted || (!csv.empty() && csv.back() != '\n') ? 0 : n;
}

// NOLINTNEXTLINE(readability-identifier-naming): the name libFuzzer calls
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  copydesk::diagnostics diag;
  auto r = copydesk::run_pipeline(fuzz_documents(data, size), fuzz_config(), diag);
  if (!r)
    return 0;
  const auto reader = copydesk::corpus_reader::open_jsonl_bytes("none.jsonl", "");
  auto dedup = copydesk::render_string(r->dedup, copydesk::output_format::csv, {&*reader});
  auto stories = copydesk::render_string(r->stories, copydesk::output_format::csv);
  const copydesk::borrow_result borrow{r->documents, r->borrow, {}, {}};
  if (!dedup || records(*dedup) == 0 || !stories || records(*stories) != r->documents.size() + 1 ||
      records(*copydesk::render_string(borrow, copydesk::output_format::csv)) == 0)
    std::abort();
  return 0;
}
