// Names of error codes.
#include <copydesk/error.hpp>

namespace copydesk {

const char* to_string(errc code) noexcept {
  switch (code) {
  case errc::ok:
    return "ok";
  case errc::not_found:
    return "not_found";
  case errc::io_error:
    return "io_error";
  case errc::invalid_input:
    return "invalid_input";
  case errc::duplicate_id:
    return "duplicate_id";
  case errc::invalid_argument:
    return "invalid_argument";
  case errc::incompatible_params:
    return "incompatible_params";
  case errc::unsupported_version:
    return "unsupported_version";
  case errc::corrupt_file:
    return "corrupt_file";
  case errc::empty_input:
    return "empty_input";
  case errc::internal:
    return "internal";
  }
  return "unknown";
}

} // namespace copydesk
