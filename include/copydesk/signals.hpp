// Editor signals of one text, found before any alignment: where its quotations are (quoted speech
// in straight, curly, low-9, guillemet and corner-bracket quotes, nested, across lines; an unclosed
// quote ends at its paragraph) and which of its words form the lede (the first paragraph). Text
// -> byte spans of quotations -> token ranges inside quotes; text -> lede token count. The borrow
// stage uses them to split borrowed words into quoted speech and prose. docs/BORROW.md, "Editor
// signals", explains the heuristics and their limits.
#pragma once

#include <copydesk/error.hpp>
#include <copydesk/types.hpp>

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace copydesk {

namespace defaults {
/// Without a paragraph break, the lede is this many first words.
inline constexpr std::uint32_t lede_words = 60;
/// The lede is the first paragraph of at least this many words that ends a sentence; shorter
/// paragraphs and those that end otherwise are headlines, bylines, datelines, menus.
inline constexpr std::uint32_t lede_min_words = 15;
/// ... and whose lines hold this many words on average (a block of short lines is a menu).
inline constexpr std::uint32_t lede_line_words = 8;
} // namespace defaults

/// One quotation: from its opening mark to its closing mark (or to the end of its paragraph).
struct quotation {
  byte_span bytes;         ///< [begin, end): the opening mark up to and including the closing one
  std::uint32_t depth = 0; ///< 0 outermost, 1 inside another quotation, ...
  bool closed = true;      ///< false: never closed, ends at the end of its paragraph
};

/// Every quotation of `text`, sorted by start (an outer quotation before those inside it).
/// Marks: "…" (straight), “…”, ”…” (Swedish), „…“ and „…” (German, Polish), «…», »…« (Danish), ‹…›,
/// ‘…’, '…' (single quotes at word boundaries only, so "don't" and "the districts' water" outside a
/// single quote are apostrophes), ‚…‘, 「…」 and 『…』. A paragraph break (a blank line) ends every
/// quote still open, and so does the end of the text. O(bytes).
/// @pre `text` is valid UTF-8.
[[nodiscard]] std::vector<quotation> find_quotations(std::string_view text);

/// A range of token positions [begin, end).
struct token_range {
  std::uint32_t begin = 0;
  std::uint32_t end = 0;
};

/// Token ranges inside outermost quotations: the tokens (byte spans `tokens`, ascending, as the
/// text stage gives them) whose bytes lie inside a quotation. Sorted, disjoint. O(tokens + quotes).
[[nodiscard]] std::vector<token_range> quoted_tokens(std::span<const quotation> quotes,
                                                     std::span<const byte_span> tokens);

/// Tokens of [begin, end) that lie inside `ranges` (sorted, disjoint). O(log ranges + overlaps).
[[nodiscard]] std::uint32_t count_inside(std::span<const token_range> ranges, std::uint32_t begin,
                                         std::uint32_t end) noexcept;

/// The lede: the tokens of the text's first paragraph of body text. Paragraphs are separated by
/// blank lines; the lede is the first of at least defaults::lede_min_words words, with at least
/// defaults::lede_line_words words per line, whose last character ends a sentence (. ! ? or a
/// closing quote), so a headline, a byline, a dateline or a menu above it is skipped. Without a
/// paragraph break, or when no paragraph qualifies, the first defaults::lede_words words. Empty for
/// a text without words. O(bytes).
/// @param tokens byte spans of the text's tokens, ascending.
[[nodiscard]] token_range find_lede(std::string_view text, std::span<const byte_span> tokens);

/// What kind of fact an edit inside a copied passage changes.
enum class change_kind : std::uint8_t {
  number, ///< a numeral or a number word ("12", "1,200", "twelve", "dozen")
  date,   ///< a month or weekday name, a year, a numeric date, or a number beside a month name
  name,   ///< a capitalised word that does not merely start a sentence, or a capitalised run
  other   ///< any other word
};
[[nodiscard]] const char* to_string(change_kind k) noexcept;

/// The kind of fact that differs between tokens `a` of text `ta` and tokens `b` of text `tb`
/// (byte spans `tokens_a`, `tokens_b`, ascending; either range may be empty, not both). The
/// first kind that either side shows wins, in the order date, number, name, other; a number is a
/// date when a month name stands just before or after either side. Heuristics without a model:
/// English month, weekday and number words; capitals tested on ASCII, Latin-1, Greek and
/// Cyrillic letters. O(bytes of the two ranges).
[[nodiscard]] change_kind classify_change(std::string_view ta, std::span<const byte_span> tokens_a,
                                          token_range a, std::string_view tb,
                                          std::span<const byte_span> tokens_b, token_range b);

/// A credit line: text that says where a copy's words come from ("(AP) —", "Reuters reported",
/// "with wire reports").
struct credit_pattern {
  std::string text; ///< matched case-insensitively (ASCII), at word boundaries
  /// The sources it credits (reference ids, file names without extension, archived source
  /// names; compared case-insensitively); empty: any source.
  std::vector<std::string> sources;
};

/// Built-in credit lines: the major agencies (AP, Reuters, AFP, Bloomberg, dpa, PA Media, UPI,
/// Xinhua, EFE, ANSA, Kyodo; each crediting sources of that name) and common English phrasings
/// that credit any source ("with wire reports", "according to a press release", ...).
[[nodiscard]] std::vector<credit_pattern> default_credits();

/// default_credits() followed by `extra`.
[[nodiscard]] std::vector<credit_pattern>
with_default_credits(const std::vector<credit_pattern>& extra);

/// Credit lines of a --credits file: one per line, `PATTERN` or `PATTERN<TAB>SOURCE[,SOURCE...]`;
/// blank lines and lines starting with # are skipped. errc::invalid_input naming `name` and the
/// line for an empty pattern.
[[nodiscard]] result<std::vector<credit_pattern>> parse_credits(std::string_view file_text,
                                                                std::string_view name);

/// A credit line found in a text.
struct credit_match {
  std::uint32_t pattern = 0; ///< index into the patterns searched
  byte_span bytes;           ///< where it is in the text
};

/// Every occurrence of the patterns in `text`, sorted by position (then pattern). With `tokens`
/// (the text's token spans, ascending) patterns that start with a letter or digit are tried only
/// at token starts, the others only where their first character occurs; without, at every word
/// start and every other byte. O(bytes + tried places · patterns sharing a first character).
[[nodiscard]] std::vector<credit_match> find_credits(std::string_view text,
                                                     std::span<const credit_pattern> patterns,
                                                     std::span<const byte_span> tokens = {});

} // namespace copydesk
