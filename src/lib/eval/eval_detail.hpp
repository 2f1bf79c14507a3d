// Private helpers of the eval module.
#pragma once

#include <copydesk/error.hpp>

#include <string>

namespace copydesk::detail {

/// Reads a whole file ("-" = standard input). errc::not_found for a missing path, errc::io_error
/// for one that cannot be read; messages name the path.
[[nodiscard]] result<std::string> read_text_file(const std::string& path);

} // namespace copydesk::detail
