// The built-in background word list (generated into background_words.cpp).
#pragma once

#include <cstddef>

namespace copydesk::detail {

/// Words separated by '\n', most frequent first.
extern const char* const background_words;
extern const std::size_t background_word_count;

} // namespace copydesk::detail
