// Page furniture (boilerplate) detection, private to the reading stage: blocks of a text (HTML
// blocks from html.hpp, or the lines of a plain text) are classified as article or furniture in
// the style of jusText (Pomikalek 2011): a first pass on each block's own features (length, link
// density, stop-word density, furniture tags and classes, phrases such as "Reply" or "(c)"),
// then a context pass that settles short and borderline blocks by their nearest clear neighbours.
#pragma once

#include "io/html.hpp"

#include <copydesk/types.hpp>

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace copydesk::detail {

/// The lines of a plain text as blocks (blank lines are no block; a line's span has no newline
/// or CR).
[[nodiscard]] std::vector<text_block> line_blocks(std::string_view text);

/// Which blocks are article text: keep[i] for blocks[i]. Deterministic; O(text size).
[[nodiscard]] std::vector<bool> classify_blocks(std::string_view text,
                                                std::span<const text_block> blocks);

/// What stripping removed from one text.
struct strip_summary {
  std::vector<byte_span> removed; ///< spans of removed blocks, in text order
  std::uint32_t blocks = 0;       ///< blocks looked at
  std::uint32_t removed_bytes = 0;
};

/// Removes the furniture blocks of `text` by overwriting them with spaces (newlines stay), so
/// every kept byte keeps its offset: passages found in the result are offsets into the text as
/// it was. @return what was removed.
strip_summary strip_blocks(std::string& text, std::span<const text_block> blocks);

} // namespace copydesk::detail
