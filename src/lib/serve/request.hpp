// Request bodies of the serve API: JSON (one document or {"documents": [...]}, with the options
// of `check` or `archive add`) into documents, metadata and library options, and the server's
// own JSON answers (errors, a stored document, the access log). No HTTP here, so it is tested
// without a socket.
#pragma once

#include <copydesk/archive.hpp>
#include <copydesk/error.hpp>
#include <copydesk/types.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace copydesk::serve_detail {

/// Deepest nesting of arrays and objects a body may have.
inline constexpr std::size_t max_json_depth = 32;

/// The documents of a request, in body order, with their metadata.
struct request_documents {
  std::vector<document> docs;
  std::vector<doc_meta> meta;
  std::uint32_t invalid_utf8 = 0; ///< sequences replaced by U+FFFD in the body
};

struct check_request {
  request_documents in;
  check_options options;
  std::optional<fail_over_policy> fail_over;
};

struct add_request {
  request_documents in;
  add_options options;
};

/// Parses a check body; options not given keep `defaults`. Documents without an id are named
/// "request:N" (N = 1-based position).
/// @return errc::invalid_input saying what is wrong (malformed JSON, nesting deeper than
///         max_json_depth, a wrong type, an unknown key, a missing text, a duplicate id, more
///         than `max_documents`), errc::invalid_argument for an option out of range.
[[nodiscard]] result<check_request> parse_check(std::string body, const check_options& defaults,
                                                std::size_t max_documents);
/// Parses an add body (every document needs an id); errors as for parse_check.
[[nodiscard]] result<add_request> parse_add(std::string body, const add_options& defaults,
                                            std::size_t max_documents);

/// Deepest nesting of arrays and objects in `json` (strings skipped); stops counting past `cap`.
[[nodiscard]] std::size_t json_depth(std::string_view json, std::size_t cap) noexcept;

/// {"error": {"code", "message"}} and a newline.
[[nodiscard]] std::string error_json(std::string_view code, std::string_view message);
/// A stored document: {"id", "source", "time", "url", "tokens", "bytes", "text"}.
[[nodiscard]] std::string document_json(const archived_doc& d);
/// {"id", "removed", "archive_documents"} after a delete.
[[nodiscard]] std::string removed_json(std::string_view id, std::uint64_t archive_documents);
/// {"status"} of /healthz, with the archive's documents.
[[nodiscard]] std::string health_json(std::string_view status, std::uint64_t documents);

/// One access-log line (JSON, no newline): what, when and how long; never a body.
struct access_entry {
  std::string time; ///< ISO 8601 UTC with milliseconds
  std::string method;
  std::string path;
  int status = 0;
  std::uint64_t bytes = 0; ///< response body bytes
  double ms = 0.0;
  std::string request_id;
  std::string remote;
};
[[nodiscard]] std::string access_json(const access_entry& e);

} // namespace copydesk::serve_detail
