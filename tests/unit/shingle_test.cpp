// Shingle stage: word k-grams from token hashes, short documents, char n-grams, set helpers.
#include "common/hash_mix.hpp"

#include <copydesk/shingle.hpp>

#include <gtest/gtest.h>

#define XXH_INLINE_ALL
#include <xxhash.h>

#include <cstring>
#include <set>
#include <string>

using namespace copydesk;

TEST(Shingle, CountsFollowTheContract) {
  std::vector<hash64> out;
  const shingle_params p;
  EXPECT_EQ(shingle_text("", p, out), 0u);
  EXPECT_TRUE(out.empty());
  EXPECT_EQ(shingle_text("one two three", p, out), 3u);
  EXPECT_EQ(out.size(), 1u); // shorter than k: one shingle
  out.clear();
  EXPECT_EQ(shingle_text("a b c d e f g", p, out), 7u);
  EXPECT_EQ(out.size(), 3u); // 7 - 5 + 1
}

TEST(Shingle, NormalizationMakesCaseAndPunctuationIrrelevant) {
  std::vector<hash64> a;
  std::vector<hash64> b;
  const shingle_params p;
  shingle_text("The quick brown fox jumps over the lazy dog", p, a);
  shingle_text("the QUICK, brown -- fox jumps; over the lazy   dog!", p, b);
  EXPECT_EQ(a, b);
}

TEST(Shingle, WordOrderMatters) {
  std::vector<hash64> a;
  std::vector<hash64> b;
  shingle_params p;
  p.width = 2;
  shingle_text("alpha beta", p, a);
  shingle_text("beta alpha", p, b);
  EXPECT_NE(a, b);
}

TEST(Shingle, SharedRunsGiveSharedHashes) {
  std::vector<hash64> a;
  std::vector<hash64> b;
  const shingle_params p;
  shingle_text("x1 x2 a b c d e f y1 y2", p, a);
  shingle_text("z a b c d e f w", p, b);
  to_set(a);
  to_set(b);
  EXPECT_EQ(intersection_size(a, b), 2u); // "a b c d e" and "b c d e f"
}

TEST(Shingle, SeedChangesHashes) {
  shingle_params p1;
  shingle_params p2;
  p2.seed = 42;
  std::vector<hash64> a;
  std::vector<hash64> b;
  shingle_text("one two three four five", p1, a);
  shingle_text("one two three four five", p2, b);
  EXPECT_NE(a, b);
}

TEST(Shingle, HashesOfDistinctShinglesDoNotCollide) {
  // 20,000 distinct 5-grams over a small vocabulary: 64-bit hashes must all differ.
  std::vector<hash64> tok;
  for (int i = 0; i < 20004; ++i)
    tok.push_back(hash_token(std::to_string(i % 97), 1));
  std::vector<hash64> sh;
  word_shingles(tok, 5, sh);
  std::set<std::vector<hash64>> grams;
  for (std::size_t i = 0; i + 5 <= tok.size(); ++i)
    grams.insert({tok.begin() + i, tok.begin() + i + 5});
  to_set(sh);
  EXPECT_EQ(sh.size(), grams.size());
}

TEST(TokenHash, IsXxh3OfTheBlockFormBelowSixteenBytes) {
  const std::uint64_t seed = 7;
  const unsigned char block[16] = {'a', 'b', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2};
  EXPECT_EQ(hash_token("ab", seed), XXH3_64bits_withSeed(block, 16, seed));
  const std::string fifteen = "abcdefghijklmno";
  unsigned char block15[16];
  std::memcpy(block15, fifteen.data(), 15);
  block15[15] = 15;
  EXPECT_EQ(hash_token(fifteen, seed), XXH3_64bits_withSeed(block15, 16, seed));
  const std::string sixteen = "abcdefghijklmnop"; // 16 bytes and up: the bytes themselves
  EXPECT_EQ(hash_token(sixteen, seed), XXH3_64bits_withSeed(sixteen.data(), 16, seed));
  const std::string long_word = "internationalisation";
  EXPECT_EQ(hash_token(long_word, seed),
            XXH3_64bits_withSeed(long_word.data(), long_word.size(), seed));
}

TEST(TokenHash, PrefixesAndLengthsAllDiffer) {
  // "a", "aa", ..., 40 a's: the length byte keeps zero-padded prefixes apart.
  std::set<hash64> seen;
  std::string w;
  for (int i = 0; i < 40; ++i) {
    w.push_back('a');
    seen.insert(hash_token(w, defaults::hash_seed));
  }
  EXPECT_EQ(seen.size(), 40u);
}

TEST(TokenHash, ScannedTokensHashLikeStandaloneTokens) {
  // Words of every length 1..40 at every alignment, non-ASCII words (ICU path) and a word that
  // ends the text: hash_tokens (block loads from the scanner's buffer) must equal hash_token.
  std::string text;
  for (int len = 1; len <= 40; ++len) {
    text += std::string(static_cast<std::size_t>(len), static_cast<char>('a' + len % 26));
    text += len % 3 == 0 ? ", " : " ";
    if (len % 7 == 0)
      text += "Straße İstanbul Ａｂｃ 東京 ";
  }
  text += "end";
  std::vector<hash64> scanned;
  hash_tokens(text, defaults::hash_seed, scanned);
  text::token_list tokens;
  text::tokenize(text, tokens);
  ASSERT_EQ(scanned.size(), tokens.size());
  ASSERT_GT(tokens.size(), 60u);
  for (std::size_t i = 0; i < tokens.size(); ++i)
    EXPECT_EQ(scanned[i], hash_token(tokens.token(i), defaults::hash_seed)) << tokens.token(i);
}

TEST(Shingle, CharNgramsCountCodePoints) {
  shingle_params p;
  p.unit = shingle_unit::chars;
  p.width = 3;
  std::vector<hash64> out;
  EXPECT_EQ(shingle_text("Ab caf\xC3\xA9", p, out), 2u);
  // normalized "ab café" = 7 code points -> 5 trigrams
  EXPECT_EQ(out.size(), 5u);
  std::vector<hash64> same;
  shingle_text("AB  CAF\xC3\x89", p, same);
  EXPECT_EQ(out, same);
}

TEST(Shingle, ValidateRejectsBadWidth) {
  shingle_params p;
  p.width = 0;
  EXPECT_FALSE(p.validate());
  p.width = 65;
  EXPECT_EQ(p.validate().error().code, errc::invalid_argument);
  p.width = 5;
  EXPECT_TRUE(p.validate());
}

TEST(Shingle, IntersectionOfSortedSets) {
  const std::vector<hash64> a{1, 3, 5, 7};
  const std::vector<hash64> b{2, 3, 4, 7, 9};
  EXPECT_EQ(intersection_size(a, b), 2u);
  EXPECT_EQ(intersection_size(a, {}), 0u);
}

TEST(Shingle, RollingShinglesEqualDirectCombination) {
  std::vector<hash64> tok;
  for (int i = 0; i < 50; ++i)
    tok.push_back(hash_token("t" + std::to_string(i % 7), 3));
  for (const std::uint32_t k : {1u, 2u, 5u, 9u, 64u}) {
    std::vector<hash64> rolled;
    word_shingles(tok, k, rolled);
    if (k > tok.size())
      continue;
    ASSERT_EQ(rolled.size(), tok.size() - k + 1);
    for (std::size_t i = 0; i < rolled.size(); ++i) {
      EXPECT_EQ(rolled[i], detail::combine_shingle(tok.data() + i, k)) << "k=" << k << " i=" << i;
    }
  }
}
