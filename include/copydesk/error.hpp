// Error vocabulary of copydesk: one errc enum, an error value, and result<T>, a value-or-error
// whose surface mirrors std::expected. The library never throws its own exceptions.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <variant>

namespace copydesk {

/// Every expected failure the library can report.
enum class errc : std::uint8_t {
  ok = 0,              ///< no error
  not_found,           ///< a path does not exist
  io_error,            ///< a file exists but cannot be read or written
  invalid_input,       ///< input content that cannot be used (malformed JSONL line, ...)
  duplicate_id,        ///< two documents share one id
  invalid_argument,    ///< a setting is out of range or inconsistent
  incompatible_params, ///< two sketches/models built with different parameters
  unsupported_version, ///< a file format version this build cannot read
  corrupt_file,        ///< a model or index file that fails its integrity checks
  empty_input,         ///< nothing to work on where something is required
  internal,            ///< a bug: an invariant did not hold
};

/// Short stable name of an error code ("io_error").
[[nodiscard]] const char* to_string(errc code) noexcept;

/// An expected failure: a code and a message that says what failed, where, expected vs actual.
struct error {
  errc code = errc::internal;
  std::string message;
};

/// A value of type T or an error.
template <class T> class [[nodiscard]] result {
public:
  result(T value) : v_(std::move(value)) {}           // NOLINT(google-explicit-constructor)
  result(copydesk::error err) : v_(std::move(err)) {} // NOLINT(google-explicit-constructor)
  [[nodiscard]] bool has_value() const noexcept { return v_.index() == 0; }
  explicit operator bool() const noexcept { return has_value(); }
  [[nodiscard]] T& value() & { return std::get<0>(v_); }
  [[nodiscard]] const T& value() const& { return std::get<0>(v_); }
  [[nodiscard]] T&& value() && { return std::get<0>(std::move(v_)); }
  [[nodiscard]] const copydesk::error& error() const& { return std::get<1>(v_); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

private:
  std::variant<T, copydesk::error> v_;
};

/// result<void>: success or an error.
template <> class [[nodiscard]] result<void> {
public:
  result() = default;
  result(copydesk::error err)
      : err_(std::move(err)), ok_(false) {} // NOLINT(google-explicit-constructor)
  [[nodiscard]] bool has_value() const noexcept { return ok_; }
  explicit operator bool() const noexcept { return ok_; }
  [[nodiscard]] const copydesk::error& error() const& { return err_; }

private:
  copydesk::error err_;
  bool ok_ = true;
};

/// Builds an error value: `return make_error(errc::not_found, "no such file: " + p);`
[[nodiscard]] inline error make_error(errc code, std::string message) {
  return error{code, std::move(message)};
}

} // namespace copydesk

#if defined(COPYDESK_DEV_CHECKS)
#include <cstdio>
#include <cstdlib>
#define COPYDESK_ASSERT(cond)                                                                      \
  do {                                                                                             \
    if (!(cond)) {                                                                                 \
      std::fprintf(stderr, "copydesk: assertion failed: %s (%s:%d)\n", #cond, __FILE__, __LINE__); \
      std::abort();                                                                                \
    }                                                                                              \
  } while (false)
#else
#define COPYDESK_ASSERT(cond) ((void)0)
#endif
