// Text stage: UTF-8 repair, tokenization with spans, ASCII fast path vs ICU path agreement.
#include "common/token_scan.hpp"

#include <copydesk/text.hpp>

#include <gtest/gtest.h>

#include <cctype>
#include <random>
#include <string>
#include <vector>

namespace ct = copydesk::text;

namespace {

std::vector<std::string> tokens_of(std::string_view s) {
  ct::token_list tl;
  ct::tokenize(s, tl);
  std::vector<std::string> out;
  for (std::size_t i = 0; i < tl.size(); ++i)
    out.emplace_back(tl.token(i));
  return out;
}

// Runs the ICU path on an ASCII word by forcing it through emit_unicode_run.
struct collect final : copydesk::detail::token_sink {
  std::vector<std::string> toks;
  void emit(std::string_view t, copydesk::byte_span) override { toks.emplace_back(t); }
};

} // namespace

TEST(Text, SplitsOnNonAlphanumericsAndLowercases) {
  EXPECT_EQ(tokens_of("The U.S. economy grew 3.5% in Q2 -- don't panic!"),
            (std::vector<std::string>{"the", "u", "s", "economy", "grew", "3", "5", "in", "q2",
                                      "don", "t", "panic"}));
}

TEST(Text, SpansPointIntoTheOriginal) {
  const std::string s = "  Hello,  World! 42";
  ct::token_list tl;
  ct::tokenize(s, tl);
  ASSERT_EQ(tl.size(), 3u);
  EXPECT_EQ(s.substr(tl.spans[0].begin, tl.spans[0].end - tl.spans[0].begin), "Hello");
  EXPECT_EQ(s.substr(tl.spans[1].begin, tl.spans[1].end - tl.spans[1].begin), "World");
  EXPECT_EQ(tl.spans[2].begin, 17u);
  EXPECT_EQ(tl.spans[2].end, 19u);
}

TEST(Text, EmptyAndPunctuationOnlyGiveNoTokens) {
  EXPECT_TRUE(tokens_of("").empty());
  EXPECT_TRUE(tokens_of(" \n\t-- ... !!").empty());
  EXPECT_TRUE(tokens_of("\xE2\x80\x9C\xE2\x80\x94\xE2\x80\x9D").empty()); // “—”
}

TEST(Text, FullwidthLettersFoldToAscii) {
  EXPECT_EQ(tokens_of("\xEF\xBC\xA1\xEF\xBC\xA2\xEF\xBC\xA3 abc"),
            (std::vector<std::string>{"abc", "abc"})); // ＡＢＣ
}

TEST(Text, SharpSFoldsToSs) {
  EXPECT_EQ(tokens_of("Stra\xC3\x9F"
                      "e STRASSE"),
            (std::vector<std::string>{"strasse", "strasse"}));
}

TEST(Text, DottedCapitalIFoldsWithCombiningDot) {
  // İstanbul: full case folding gives i + U+0307; the word stays one token with its mark.
  const auto t = tokens_of("\xC4\xB0stanbul");
  ASSERT_EQ(t.size(), 1u);
  EXPECT_EQ(t[0], "i\xCC\x87stanbul");
}

TEST(Text, AccentedWordsStayWhole) {
  EXPECT_EQ(tokens_of("Jos\xC3\xA9 N\xC3\xBA\xC3\xB1"
                      "ez said caf\xC3\xA9"),
            (std::vector<std::string>{"jos\xC3\xA9",
                                      "n\xC3\xBA\xC3\xB1"
                                      "ez",
                                      "said", "caf\xC3\xA9"}));
}

TEST(Text, CjkIsSegmentedIntoWords) {
  // 阿里巴巴宣布与英伟达合作 (Alibaba announces cooperation with Nvidia): ICU's dictionary
  // break gives several words, never one token for the whole sentence, never single bytes.
  const std::string s = "\xE9\x98\xBF\xE9\x87\x8C\xE5\xB7\xB4\xE5\xB7\xB4\xE5\xAE\xA3\xE5\xB8\x83"
                        "\xE4\xB8\x8E\xE8\x8B\xB1\xE4\xBC\x9F\xE8\xBE\xBE\xE5\x90\x88\xE4\xBD\x9C";
  ct::token_list tl;
  ct::tokenize(s, tl);
  ASSERT_GE(tl.size(), 3u);
  ASSERT_LE(tl.size(), 11u);
  // Spans tile the run exactly and each token is a whole number of characters.
  std::uint32_t at = 0;
  for (std::size_t i = 0; i < tl.size(); ++i) {
    EXPECT_EQ(tl.spans[i].begin, at);
    EXPECT_EQ((tl.spans[i].end - tl.spans[i].begin) % 3, 0u);
    EXPECT_EQ(tl.token(i), s.substr(tl.spans[i].begin, tl.spans[i].end - tl.spans[i].begin));
    at = tl.spans[i].end;
  }
  EXPECT_EQ(at, s.size());
}

TEST(Text, FastPathAgreesWithIcuPathOnAscii) {
  std::mt19937_64 rng(7);
  const std::string alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  for (int trial = 0; trial < 2000; ++trial) {
    std::string word;
    const std::size_t len = 1 + rng() % 12;
    for (std::size_t i = 0; i < len; ++i)
      word.push_back(alphabet[rng() % alphabet.size()]);
    collect icu;
    copydesk::detail::emit_unicode_run(word, 0, static_cast<std::uint32_t>(word.size()), icu);
    const auto fast = tokens_of(word);
    ASSERT_EQ(icu.toks, fast) << word;
  }
}

TEST(Text, RepairReplacesEachInvalidSequenceOnce) {
  std::string s = "ok \xFF\xFE bad \xC3 end \xE2\x82 x";
  EXPECT_EQ(ct::repair_utf8(s), 4u);
  EXPECT_EQ(s, "ok \xEF\xBF\xBD\xEF\xBF\xBD bad \xEF\xBF\xBD end \xEF\xBF\xBD x");
  std::string valid = "caf\xC3\xA9 \xE2\x80\x94 \xF0\x9F\x93\xB0";
  const std::string before = valid;
  EXPECT_EQ(ct::repair_utf8(valid), 0u);
  EXPECT_EQ(valid, before);
}

TEST(Text, RepairRejectsOverlongAndSurrogates) {
  std::string overlong = "\xC0\xAF";      // overlong '/'
  std::string surrogate = "\xED\xA0\x80"; // U+D800
  EXPECT_EQ(ct::repair_utf8(overlong), 2u);
  EXPECT_EQ(ct::repair_utf8(surrogate), 3u);
  EXPECT_TRUE(tokens_of(surrogate).empty());
}

TEST(Text, ReplacementCharacterSeparatesWords) {
  std::string s = "abc\xFF"
                  "def";
  ASSERT_EQ(ct::repair_utf8(s), 1u);
  EXPECT_EQ(tokens_of(s), (std::vector<std::string>{"abc", "def"}));
}

TEST(Text, CountTokensMatchesTokenize) {
  const std::string s = "One two, three \xE2\x80\x94 four caf\xC3\xA9!";
  EXPECT_EQ(ct::count_tokens(s), tokens_of(s).size());
  EXPECT_EQ(ct::count_tokens(s), 5u);
}

TEST(Text, WordScannerMatchesAByteByByteReference) {
  // The scanner works 8 bytes at a time; compare it with a plain reference on random text
  // mixing ASCII classes, control bytes and multi-byte characters at every alignment.
  std::mt19937_64 rng(12);
  const std::vector<std::string> pieces{
      "a",        "Z", "0",    "9",    " ",    ".", "@",        "[",
      "`",        "{", "\x10", "\x19", "\x7f", "_", "\xC3\xA9", "\xE2\x80\x94",
      "\xC3\x89", "Q", "\n",   "-"};
  for (int trial = 0; trial < 3000; ++trial) {
    std::string s;
    const std::size_t len = rng() % 40;
    for (std::size_t i = 0; i < len; ++i)
      s += pieces[rng() % pieces.size()];
    // Reference: code point runs of letters/digits, lowercased, é/É fold to é, — separates.
    std::vector<std::string> expect;
    std::string cur;
    for (std::size_t i = 0; i < s.size();) {
      const auto c = static_cast<unsigned char>(s[i]);
      if (c >= 0x80) {
        const std::size_t l = c >= 0xE0 ? 3 : 2;
        const std::string cp = s.substr(i, l);
        if (cp == "\xC3\xA9" || cp == "\xC3\x89") {
          cur += "\xC3\xA9";
        } else if (!cur.empty()) {
          expect.push_back(cur);
          cur.clear();
        }
        i += l;
        continue;
      }
      if (std::isalnum(c) != 0) {
        cur.push_back(static_cast<char>(std::tolower(c)));
      } else if (!cur.empty()) {
        expect.push_back(cur);
        cur.clear();
      }
      ++i;
    }
    if (!cur.empty())
      expect.push_back(cur);
    ASSERT_EQ(tokens_of(s), expect) << "input: " << s;
  }
}
