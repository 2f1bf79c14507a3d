// Terms of a text: normalized tokens minus the built-in English stop list, plus word bigrams of
// adjacent kept words. Term identity is FNV-1a 64 of the term's bytes (stable: IDF models store
// it).
#include "tfidf/terms.hpp"

#include <algorithm>
#include <iterator>

namespace copydesk {

namespace {

// Our own list (stop list version 1): function words (articles, pronouns, auxiliaries,
// prepositions, conjunctions, determiners, common adverbs), contraction pieces left by the
// tokenizer ("don't" -> "don", "t"), every single letter, and the reporting verbs that open half
// the sentences of any news story. Sorted bytewise; checked by a unit test.
constexpr std::string_view stop_list[] = {
    "a",          "about",     "above",     "across",   "after",   "afterwards", "again",
    "against",    "ago",       "all",       "almost",   "along",   "already",    "also",
    "although",   "always",    "am",        "among",    "an",      "and",        "another",
    "any",        "anyone",    "anything",  "are",      "around",  "as",         "at",
    "b",          "be",        "became",    "because",  "become",  "been",       "before",
    "behind",     "being",     "below",     "beside",   "besides", "between",    "beyond",
    "both",       "but",       "by",        "c",        "can",     "cannot",     "could",
    "d",          "did",       "didn",      "do",       "does",    "doesn",      "doing",
    "don",        "done",      "down",      "during",   "e",       "each",       "either",
    "else",       "enough",    "etc",       "even",     "ever",    "every",      "f",
    "few",        "for",       "from",      "further",  "g",       "get",        "gets",
    "got",        "h",         "had",       "has",      "hasn",    "have",       "haven",
    "having",     "he",        "her",       "here",     "hers",    "herself",    "him",
    "himself",    "his",       "how",       "however",  "i",       "if",         "in",
    "into",       "is",        "isn",       "it",       "its",     "itself",     "j",
    "just",       "k",         "l",         "ll",       "m",       "many",       "may",
    "me",         "might",     "more",      "most",     "much",    "must",       "my",
    "myself",     "n",         "neither",   "never",    "no",      "nor",        "not",
    "now",        "o",         "of",        "off",      "often",   "on",         "once",
    "only",       "onto",      "or",        "other",    "others",  "otherwise",  "our",
    "ours",       "ourselves", "out",       "over",     "own",     "p",          "per",
    "perhaps",    "q",         "quite",     "r",        "rather",  "re",         "really",
    "s",          "said",      "same",      "say",      "saying",  "says",       "seem",
    "seemed",     "seems",     "several",   "shall",    "she",     "should",     "since",
    "so",         "some",      "something", "still",    "such",    "t",          "than",
    "that",       "the",       "their",     "theirs",   "them",    "themselves", "then",
    "there",      "therefore", "these",     "they",     "this",    "those",      "though",
    "through",    "thus",      "to",        "told",     "too",     "toward",     "towards",
    "u",          "under",     "until",     "up",       "upon",    "us",         "v",
    "ve",         "very",      "via",       "w",        "was",     "wasn",       "we",
    "were",       "weren",     "what",      "whatever", "when",    "whenever",   "where",
    "whether",    "which",     "while",     "who",      "whom",    "whose",      "why",
    "will",       "with",      "within",    "without",  "won",     "would",      "wouldn",
    "x",          "y",         "yet",       "you",      "your",    "yours",      "yourself",
    "yourselves", "z",
};

} // namespace

bool is_stop_word(std::string_view normalized) noexcept {
  return std::binary_search(std::begin(stop_list), std::end(stop_list), normalized);
}

std::span<const std::string_view> stop_words() noexcept { return stop_list; }

namespace detail {

namespace {
// Open-addressing set of the stop words' raw FNV states (power-of-two size, linear probing).
struct stop_table {
  static constexpr std::size_t size = 1024;
  std::uint64_t hash[size] = {};
  std::uint16_t word[size] = {};
  stop_table() {
    for (std::size_t w = 0; w < std::size(stop_list); ++w) {
      const std::uint64_t h = fnv_update(fnv_offset, stop_list[w]);
      std::size_t i = h & (size - 1);
      while (hash[i] != 0)
        i = (i + 1) & (size - 1);
      hash[i] = h;
      word[i] = static_cast<std::uint16_t>(w);
    }
  }
};
const stop_table& stops() {
  static const stop_table t;
  return t;
}
} // namespace

bool is_stop_hash(std::uint64_t h, std::string_view tok) noexcept {
  const stop_table& t = stops();
  for (std::size_t i = h & (stop_table::size - 1); t.hash[i] != 0;
       i = (i + 1) & (stop_table::size - 1)) {
    if (t.hash[i] == h)
      return stop_list[t.word[i]] == tok;
  }
  return false;
}

} // namespace detail

std::uint64_t term_hash(std::string_view term) noexcept {
  return detail::fnv_finish(detail::fnv_update(detail::fnv_offset, term));
}

std::vector<std::string> extract_terms(std::string_view text, const term_params& p) {
  std::vector<std::string> out;
  std::string prev;
  bool have_prev = false;
  detail::for_each_token(text, [&](std::string_view tok, byte_span) {
    if (p.stop_words && is_stop_word(tok)) {
      have_prev = false;
      return;
    }
    out.emplace_back(tok);
    if (p.bigrams && have_prev)
      out.push_back(prev + " " + std::string(tok));
    prev.assign(tok);
    have_prev = true;
  });
  return out;
}

} // namespace copydesk
