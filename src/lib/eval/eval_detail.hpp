// Private helpers of the eval module.
#pragma once

#include <copydesk/error.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace copydesk::detail {

/// Reads a whole file ("-" = standard input). errc::not_found for a missing path, errc::io_error
/// for one that cannot be read; messages name the path.
[[nodiscard]] result<std::string> read_text_file(const std::string& path);

/// `s` without leading and trailing spaces, tabs and carriage returns.
[[nodiscard]] std::string_view trim(std::string_view s) noexcept;
/// A finite number written in full (spaces around allowed), else nullopt.
[[nodiscard]] std::optional<double> parse_double(std::string_view s) noexcept;
/// ASCII case-insensitive equality.
[[nodiscard]] bool iequals(std::string_view a, std::string_view b) noexcept;

} // namespace copydesk::detail
