// Fuzz entry: `report` on documents with hostile ids and texts (fuzz_documents.hpp): every
// document is reported, the JSON and table writers succeed, and the HTML page escapes them all.
#include "fuzz_documents.hpp"

#include <copydesk/pipeline.hpp>
#include <copydesk/writers.hpp>

#include <cstdlib>

// NOLINTNEXTLINE(readability-identifier-naming): the name libFuzzer calls
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto docs = fuzz_documents(data, size);
  const std::size_t n = docs.size();
  copydesk::diagnostics diag;
  auto r = copydesk::run_pipeline(std::move(docs), fuzz_config(), diag);
  if (!r)
    return 0;
  const std::string html = copydesk::render_html(*r);
  auto json = copydesk::render_string(*r, copydesk::output_format::json);
  auto table = copydesk::render_string(*r, copydesk::output_format::table);
  if (r->documents.size() != n || !json || !table || html.find(fuzz_marker) != std::string::npos)
    std::abort();
  return 0;
}
