// Word lists of the text stage: the built-in English stop list (function words), which the
// TF-IDF terms drop and the readers' boilerplate detection counts.
#include <copydesk/text.hpp>

#include <algorithm>
#include <iterator>

namespace copydesk::text {

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

} // namespace copydesk::text
