// Text stage: UTF-8 repair, normalization (NFKC case fold) and tokenization into words that keep
// byte spans into the original text. Words are runs of letters, marks and digits; runs in
// scripts written without spaces (Han, Kana, Thai, ...) are split with ICU word break.
// Pure-ASCII words take a fast path (lowercase) that yields exactly what the ICU path yields.
#pragma once

#include <copydesk/error.hpp>
#include <copydesk/types.hpp>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace copydesk::text {

/// Version of the normalization rules; stored in every sketch and model that depends on them.
inline constexpr std::uint32_t normalization_version = 1;

/// Replaces each invalid UTF-8 sequence (maximal subpart, as in Unicode §3.9) with U+FFFD.
/// @return the number of replacements; 0 means `s` was valid and is unchanged.
std::size_t repair_utf8(std::string& s);

/// True if every byte is < 0x80.
[[nodiscard]] bool is_ascii(std::string_view s) noexcept;

/// Tokens of one text: normalized token bytes back to back, plus each token's byte span in the
/// original text. Token i is chars[ends[i-1] .. ends[i]) (ends[-1] = 0).
struct token_list {
  std::string chars;
  std::vector<std::uint32_t> ends;
  std::vector<byte_span> spans;

  [[nodiscard]] std::size_t size() const noexcept { return ends.size(); }
  [[nodiscard]] bool empty() const noexcept { return ends.empty(); }
  [[nodiscard]] std::string_view token(std::size_t i) const noexcept {
    const std::uint32_t b = i == 0 ? 0 : ends[i - 1];
    return std::string_view(chars).substr(b, ends[i] - b);
  }
  void clear() noexcept {
    chars.clear();
    ends.clear();
    spans.clear();
  }
};

/// Tokenizes `s` into `out` (cleared first).
/// @pre `s` is valid UTF-8.
void tokenize(std::string_view s, token_list& out);

/// Number of tokens in `s` (same rules as tokenize).
[[nodiscard]] std::size_t count_tokens(std::string_view s);

/// True if `normalized` (a token as tokenize yields it) is on the built-in English stop list
/// (function words, single letters, contraction pieces, reporting verbs; tfidf.hpp's
/// stop_list_version names its version).
[[nodiscard]] bool is_stop_word(std::string_view normalized) noexcept;

/// The built-in English stop list, sorted bytewise.
[[nodiscard]] std::span<const std::string_view> stop_words() noexcept;

/// Converts `bytes` written in `charset` (a name as HTTP headers and HTML <meta charset> give
/// it: "windows-1252", "ISO-8859-1", "Shift_JIS", "utf-8", ...; case and quotes ignored) to
/// UTF-8 with ICU's converters. As browsers do (WHATWG Encoding), ISO-8859-1, Latin-1 and
/// US-ASCII are read as windows-1252. Bytes the charset cannot map become U+FFFD.
/// @return the UTF-8 text and the number of replaced sequences; errc::invalid_argument naming
///         the charset when ICU does not know it.
struct converted_text {
  std::string text;
  std::size_t replaced = 0;
};
[[nodiscard]] result<converted_text> convert_to_utf8(std::string_view bytes,
                                                     std::string_view charset);

/// True if `charset` names UTF-8 ("utf-8", "utf8", "UTF-8"; case and quotes ignored).
[[nodiscard]] bool is_utf8_charset(std::string_view charset) noexcept;
/// Streaming conversion of text in a named character set (an ICU converter name or alias:
/// "UTF-16LE", "UTF-16BE", "windows-1252", "ISO-8859-1", "Shift_JIS", ...) to UTF-8. Bytes that
/// are invalid or unmappable in the source charset become U+FFFD, so the output is valid UTF-8.
class charset_converter {
public:
  /// @return errc::invalid_argument naming the charset when ICU does not know it.
  [[nodiscard]] static result<charset_converter> open(const std::string& charset);
  charset_converter(charset_converter&&) noexcept;
  charset_converter& operator=(charset_converter&&) noexcept;
  ~charset_converter();

  /// Converts `in` and appends the UTF-8 to `out`. A sequence cut at the end of `in` is kept for
  /// the next call; `last` ends the text (a cut sequence then becomes U+FFFD).
  void convert(std::string_view in, std::string& out, bool last);
  /// Number of U+FFFD substitutions made so far (invalid or unmappable input).
  [[nodiscard]] std::size_t substitutions() const noexcept;
  /// The canonical name of the charset ("windows-1252" for "cp1252").
  [[nodiscard]] const std::string& name() const noexcept;

private:
  struct impl;
  explicit charset_converter(std::unique_ptr<impl> p);
  std::unique_ptr<impl> impl_;
};

/// Seconds since 1970-01-01T00:00:00Z of an ISO 8601 date or date-time ("2024-05-01",
/// "2024-05-01T12:30", "2024-05-01T12:30:15.25Z", "2024-05-01 12:30:15+02:00"); a time without a
/// zone is taken as UTC. Empty for anything else.
[[nodiscard]] std::optional<std::int64_t> parse_iso8601(std::string_view s);

} // namespace copydesk::text
