// Conversions at the border between Python and copydesk::core: documents from Python objects
// (str, (id, text) pairs, mappings), library errors to Python exceptions, and byte offsets into
// UTF-8 to str indices (code points).
#pragma once

#include <copydesk/archive.hpp>
#include <copydesk/error.hpp>
#include <copydesk/types.hpp>

#include <pybind11/pybind11.h>

#include <cstdint>
#include <exception>
#include <string>
#include <string_view>
#include <vector>

namespace copydesk::py_binding {

namespace py = pybind11;

/// Creates copydesk.Error and one subclass per errc value in module `m`.
void register_errors(py::module_& m);
/// Raises the Python exception of e.code with e.message.
[[noreturn]] void raise(const copydesk::error& e);

/// Throws the Python exception for a failed result.
template <class T> T unwrap(result<T>&& r) {
  if (!r)
    raise(r.error());
  return std::move(r).value();
}
inline void unwrap(result<void>&& r) {
  if (!r)
    raise(r.error());
}

/// UTF-8 of a Python str (TypeError naming `what` for anything else).
std::string utf8_of(py::handle s, const std::string& what);

/// Where documents come from: an iterator over any iterable of str, (id, text) pairs or mappings
/// with id_field / text_field keys (and source / time / url, kept for the archive). Ids of items
/// that have none are their 0-based position in the stream, as text.
// Hidden like the pybind11 types it holds (the module is built with -fvisibility=hidden too).
class __attribute__((visibility("hidden"))) doc_stream {
public:
  doc_stream(py::handle docs, std::string id_field, std::string text_field);
  /// Up to max_docs documents or about max_bytes of text; empty at the end. The GIL must be held.
  /// Python errors and bad items are thrown (py::error_already_set, py::type_error).
  std::vector<document> next(std::size_t max_docs, std::size_t max_bytes,
                             std::vector<doc_meta>* meta = nullptr);
  /// Documents produced so far.
  [[nodiscard]] std::size_t position() const noexcept { return position_; }

private:
  document convert(py::handle item, doc_meta* meta);
  py::iterator it_;
  std::string id_field_;
  std::string text_field_;
  std::size_t position_ = 0;
  bool done_ = false;
};

/// Byte offsets into a UTF-8 text -> code point offsets (Python str indices), O(1) for ASCII
/// texts and O(64) per query otherwise (a count per 64-byte block is kept).
class char_offsets {
public:
  explicit char_offsets(std::string_view utf8);
  [[nodiscard]] std::size_t operator()(std::uint32_t byte) const noexcept;

private:
  std::string_view text_;
  bool ascii_ = true;
  std::vector<std::uint32_t> blocks_; ///< code points before each 64-byte block
};

} // namespace copydesk::py_binding
