// Fuzz entry: a request body of the serve API (arbitrary bytes, as a client may send them)
// parsed as a check and as an add: a result or a clear error, never a crash. A parsed request
// holds at most the allowed documents, one metadata entry each, non-empty distinct ids, texts
// that are valid UTF-8, and options that pass their own validation.
#include "serve/request.hpp"

#include <copydesk/text.hpp>

#include <cstdlib>
#include <set>
#include <string>

namespace {

constexpr std::size_t max_documents = 16;

void check_documents(const copydesk::serve_detail::request_documents& in) {
  if (in.docs.size() > max_documents || in.docs.size() != in.meta.size() || in.docs.empty())
    std::abort();
  std::set<std::string> ids;
  for (const copydesk::document& d : in.docs) {
    std::string text = d.text;
    if (d.id.empty() || !ids.insert(d.id).second || copydesk::text::repair_utf8(text) != 0)
      std::abort();
  }
}

} // namespace

// NOLINTNEXTLINE(readability-identifier-naming): the name libFuzzer calls
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string body(reinterpret_cast<const char*>(data), size);
  (void)copydesk::serve_detail::json_depth(body, copydesk::serve_detail::max_json_depth + 1);
  if (auto c =
          copydesk::serve_detail::parse_check(body, copydesk::check_options{}, max_documents)) {
    check_documents(c->in);
    if (!c->options.validate())
      std::abort();
  }
  if (auto a = copydesk::serve_detail::parse_add(body, copydesk::add_options{}, max_documents)) {
    check_documents(a->in);
    if (!a->options.match.validate())
      std::abort();
  }
  return 0;
}
