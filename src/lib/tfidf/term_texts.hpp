// Term texts of a TF-IDF vocabulary in one byte buffer: per term an offset and a length (12 bytes)
// instead of a std::string (32 bytes, plus a heap block for a text longer than 15 bytes). Most
// terms of a large corpus are bigrams whose text is never needed, so most slots stay empty.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace copydesk::detail {

class term_texts {
public:
  term_texts() = default;
  /// `n` terms, every text empty.
  explicit term_texts(std::size_t n) : begin_(n, 0), size_(n, 0) {}

  /// Number of terms.
  [[nodiscard]] std::size_t size() const noexcept { return size_.size(); }
  /// Bytes held for all texts (a replaced text keeps its old bytes).
  [[nodiscard]] std::size_t bytes() const noexcept { return bytes_.size(); }

  /// Text of term `id` ("" if never set). Valid until the next set.
  /// @pre id < size()
  [[nodiscard]] std::string_view get(std::size_t id) const noexcept {
    return {bytes_.data() + begin_[id], size_[id]};
  }

  /// Sets the text of term `id`; a later set replaces it. @pre id < size(), text.size() < 2^32,
  /// text does not point into this table.
  void set(std::size_t id, std::string_view text) {
    begin_[id] = bytes_.size();
    size_[id] = static_cast<std::uint32_t>(text.size());
    bytes_.append(text);
  }

  /// Appends a term with text `text` and returns its id. @pre as set.
  std::size_t push_back(std::string_view text) {
    begin_.push_back(bytes_.size());
    size_.push_back(static_cast<std::uint32_t>(text.size()));
    bytes_.append(text);
    return size_.size() - 1;
  }

  /// Gives back unused capacity.
  void shrink_to_fit() {
    bytes_.shrink_to_fit();
    begin_.shrink_to_fit();
    size_.shrink_to_fit();
  }

private:
  std::string bytes_;
  std::vector<std::uint64_t> begin_;
  std::vector<std::uint32_t> size_;
};

} // namespace copydesk::detail
