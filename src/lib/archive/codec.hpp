// The archive's text compression: zstd frames, with a dictionary trained on the archive's own
// first texts. News texts of a few KB compress poorly alone (about 2:1 at level 3); a dictionary
// of their common words and phrases makes each frame start warm. A frame names its dictionary
// (zstd's dictionary id), so texts written before the dictionary existed still decode.
#pragma once

#include <copydesk/error.hpp>

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace copydesk::archive_detail {

class text_codec {
public:
  /// No dictionary: plain zstd frames.
  text_codec() = default;
  /// A codec with a stored dictionary (errc::corrupt_file naming `what` if it is not one).
  [[nodiscard]] static result<text_codec> with_dictionary(std::string_view dictionary,
                                                          std::string_view what);
  /// Trains a dictionary on `samples`; nothing when there is too little text to be worth one
  /// (under 1 MB or 200 texts) or when training fails.
  [[nodiscard]] static std::optional<std::string> train(std::span<const std::string_view> samples);

  [[nodiscard]] bool has_dictionary() const noexcept { return dict_id_ != 0; }
  [[nodiscard]] std::uint32_t dictionary_id() const noexcept { return dict_id_; }

  /// A zstd frame of `text` (level 3, with the dictionary when there is one). Thread-safe.
  [[nodiscard]] std::string compress(std::string_view text) const;
  /// The text of a frame, which must decode to exactly `size` bytes (errc::corrupt_file naming
  /// `what` otherwise). Thread-safe.
  [[nodiscard]] result<std::string> decompress(std::string_view frame, std::uint64_t size,
                                               std::string_view what) const;

private:
  struct dicts;
  std::shared_ptr<const dicts> dicts_;
  std::uint32_t dict_id_ = 0;
};

} // namespace copydesk::archive_detail
