// The editors' page of `copydesk serve` (src/lib/serve/page.html), compiled into the library by
// cmake/embed_page.cmake.
#pragma once

#include <string_view>

namespace copydesk::serve_detail {

/// The page's HTML. Its scripts and styles carry the nonce placeholder `{{NONCE}}`, replaced per
/// response by the nonce its Content-Security-Policy allows.
[[nodiscard]] std::string_view page_html() noexcept;

} // namespace copydesk::serve_detail
