// The library's version, fixed when copydesk_core is built (see cmake/version.hpp.in).
#include <copydesk/version.hpp>

namespace copydesk {

std::string_view version() noexcept { return header_version; }

} // namespace copydesk
