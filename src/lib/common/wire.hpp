// Byte strings for messages between ranks (dist.hpp): trivially copyable values, strings and
// vectors appended in host byte order (all ranks of a job run the same binary on one kind of
// machine), and a reader that takes them back in the same order.
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace copydesk::detail {

/// Appends values to a message.
class wire_writer {
public:
  template <class T> void put(const T& v) {
    static_assert(std::is_trivially_copyable_v<T>);
    out_.append(reinterpret_cast<const char*>(&v), sizeof v);
  }
  void put_string(std::string_view s) {
    put<std::uint64_t>(s.size());
    out_.append(s.data(), s.size());
  }
  template <class T> void put_vector(const std::vector<T>& v) {
    static_assert(std::is_trivially_copyable_v<T>);
    put<std::uint64_t>(v.size());
    out_.append(reinterpret_cast<const char*>(v.data()), v.size() * sizeof(T));
  }
  [[nodiscard]] std::string& bytes() noexcept { return out_; }
  [[nodiscard]] std::string take() noexcept { return std::move(out_); }

private:
  std::string out_;
};

/// Reads values back in the order they were put. Reading past the end gives zeros (a message
/// is always made by wire_writer of the same binary, so that never happens).
class wire_reader {
public:
  explicit wire_reader(std::string_view in) : in_(in) {}
  template <class T> T get() {
    static_assert(std::is_trivially_copyable_v<T>);
    T v{};
    if (at_ + sizeof v <= in_.size())
      std::memcpy(&v, in_.data() + at_, sizeof v);
    at_ += sizeof v;
    return v;
  }
  std::string get_string() {
    const auto n = static_cast<std::size_t>(get<std::uint64_t>());
    std::string s(in_.substr(std::min(at_, in_.size()), n));
    at_ += n;
    return s;
  }
  template <class T> std::vector<T> get_vector() {
    static_assert(std::is_trivially_copyable_v<T>);
    const auto n = static_cast<std::size_t>(get<std::uint64_t>());
    std::vector<T> v(n);
    if (at_ + n * sizeof(T) <= in_.size() && n != 0)
      std::memcpy(v.data(), in_.data() + at_, n * sizeof(T));
    at_ += n * sizeof(T);
    return v;
  }
  [[nodiscard]] bool done() const noexcept { return at_ >= in_.size(); }

private:
  std::string_view in_;
  std::size_t at_ = 0;
};

} // namespace copydesk::detail
