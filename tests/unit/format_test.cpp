// Binary formats and hashes pinned by golden files (tests/data/golden/): a change of the token or
// shingle hash, of the MinHash rounds, or of a file layout fails here, byte for byte. The files
// were written once by the disabled test Golden.DISABLED_Regenerate (run it only for a deliberate
// format or hash change, together with a format version bump):
//   copydesk_test_format --gtest_also_run_disabled_tests --gtest_filter=Golden.DISABLED_Regenerate
// Also: typed signatures refuse other params, field by field, on compare, merge and load.
#include <copydesk/minhash.hpp>
#include <copydesk/shingle.hpp>
#include <copydesk/tfidf.hpp>

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <random>
#include <sstream>

using namespace copydesk;

namespace {

const std::string golden_dir = std::string(COPYDESK_TEST_DATA_DIR) + "/golden/";

// Texts written for these tests: ASCII words, digits, and words that take the ICU path.
const char* const texts[] = {
    "Flood warnings were issued on Tuesday for the river district, where 12 ferries were halted "
    "and officials urged residents to boil tap water until further notice.",
    "Die Straße am Fluss bleibt gesperrt; İstanbul ferries resumed at 06:30, and 東京 reported "
    "no delays. ＡＢＣ news confirmed it.",
    "short",
};
const char* const tokens[] = {"a",
                              "news",
                              "fifteenbytes015",
                              "sixteenbytes0016",
                              "seventeenbytes017",
                              "straße",
                              "東京",
                              "0123456789012345678901234567890123456789"};

std::string hex(std::uint64_t v) {
  char buf[19];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(v));
  return buf;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << "missing golden file " << path;
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void write_file(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary);
  out << bytes;
  ASSERT_TRUE(out.good()) << path;
}

minhash_params words5() { return minhash_params{}; }
minhash_params chars7() {
  minhash_params p;
  p.num_perm = 64;
  p.shingles.unit = shingle_unit::chars;
  p.shingles.width = 7;
  p.shingles.seed = 42;
  return p;
}

// The hash vectors as text: one line per token hash and per text's shingle list.
std::string hash_vectors() {
  std::string out = "# kind\tparams\tinput\thashes (hex)\n";
  for (const std::uint64_t seed : {defaults::hash_seed, std::uint64_t{42}}) {
    for (const char* t : tokens)
      out += "token\tseed=" + hex(seed) + "\t" + t + "\t" + hex(hash_token(t, seed)) + "\n";
  }
  for (const minhash_params& p : {words5(), chars7()}) {
    for (std::size_t i = 0; i < std::size(texts); ++i) {
      std::vector<hash64> sh;
      shingle_text(texts[i], p.shingles, sh);
      out += "shingles\t" + to_string(p.shingles) + ",seed=" + hex(p.shingles.seed) + "\ttext" +
             std::to_string(i) + "\t";
      for (std::size_t j = 0; j < sh.size(); ++j)
        out += (j ? "," : "") + hex(sh[j]);
      out += "\n";
    }
  }
  return out;
}

std::string signature_file(const char* name) { return golden_dir + name; }

signature golden_signature(const minhash_params& p, std::size_t text) {
  auto s = signature::of_text(texts[text], p);
  EXPECT_TRUE(s) << s.error().message;
  return std::move(s).value();
}

idf_model golden_idf() {
  return idf_model::from_counts(
      term_params{}, 3,
      {{term_hash("flood"), 2}, {term_hash("ferries"), 3}, {term_hash("tap water"), 1}});
}

// Rewrites a u32 field of a serialized file and fixes its FNV-1a checksum, to test what a reader
// says about a well-formed file made with other settings.
std::string with_field(std::string bytes, std::size_t at, std::uint32_t v) {
  for (int i = 0; i < 4; ++i)
    bytes[at + static_cast<std::size_t>(i)] = static_cast<char>((v >> (8 * i)) & 0xff);
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (std::size_t i = 0; i + 8 < bytes.size(); ++i) {
    h ^= static_cast<unsigned char>(bytes[i]);
    h *= 0x100000001b3ULL;
  }
  for (int i = 0; i < 8; ++i)
    bytes[bytes.size() - 8 + static_cast<std::size_t>(i)] =
        static_cast<char>((h >> (8 * i)) & 0xff);
  return bytes;
}

} // namespace

TEST(Golden, DISABLED_Regenerate) {
  write_file(golden_dir + "hash-vectors.tsv", hash_vectors());
  write_file(signature_file("signature-v1-words5-128.bin"),
             golden_signature(words5(), 0).serialize());
  write_file(signature_file("signature-v1-chars7-64.bin"),
             golden_signature(chars7(), 1).serialize());
  write_file(golden_dir + "idf-v1.bin", golden_idf().serialize());
}

TEST(Golden, TokenAndShingleHashesArePinned) {
  const std::string expected = read_file(golden_dir + "hash-vectors.tsv");
  const std::string actual = hash_vectors();
  ASSERT_FALSE(expected.empty());
  EXPECT_EQ(actual, expected) << "token or shingle hashes changed: every stored signature and "
                                 "archive would silently stop matching";
}

TEST(Golden, SignatureBytesArePinned) {
  struct golden_case {
    const char* file;
    minhash_params params;
    std::size_t text;
  };
  for (const golden_case& c : {golden_case{"signature-v1-words5-128.bin", words5(), 0},
                               golden_case{"signature-v1-chars7-64.bin", chars7(), 1}}) {
    SCOPED_TRACE(c.file);
    const std::string bytes = read_file(signature_file(c.file));
    const signature now = golden_signature(c.params, c.text);
    EXPECT_EQ(now.serialize(), bytes);
    auto loaded = signature::deserialize(bytes, c.params);
    ASSERT_TRUE(loaded) << loaded.error().message;
    EXPECT_EQ(*loaded, now);
    EXPECT_EQ(loaded->serialize(), bytes);
    EXPECT_EQ(bytes.size(), 48 + 4 * c.params.num_perm);
  }
}

TEST(Golden, IdfModelBytesArePinned) {
  const std::string bytes = read_file(golden_dir + "idf-v1.bin");
  EXPECT_EQ(golden_idf().serialize(), bytes);
  auto m = idf_model::deserialize(bytes);
  ASSERT_TRUE(m) << m.error().message;
  EXPECT_EQ(m->documents(), 3u);
  EXPECT_EQ(m->df("flood"), 2u);
  EXPECT_EQ(m->df("tap water"), 1u);
  EXPECT_EQ(m->df("ferries"), 3u);
  EXPECT_EQ(m->serialize(), bytes);
}

TEST(Signature, OfTextMatchesTheDedupSketchOfTheSameText) {
  const minhash_params p = words5();
  std::vector<hash64> sh;
  shingle_text(texts[0], p.shingles, sh);
  std::vector<std::uint32_t> slots;
  minhash_signature(sh, p.num_perm, slots);
  const signature s = golden_signature(p, 0);
  EXPECT_EQ(std::vector<std::uint32_t>(s.slots().begin(), s.slots().end()), slots);
  EXPECT_FALSE(s.is_empty());
  EXPECT_TRUE(golden_signature(p, 0) == s);
  auto empty = signature::of_text("", p);
  ASSERT_TRUE(empty);
  EXPECT_TRUE(empty->is_empty());
}

TEST(Signature, InvalidUtf8IsRepairedAsTheReaderDoes) {
  auto raw = signature::of_text("boil water \xff\xfe notice now please", words5());
  auto repaired =
      signature::of_text("boil water \xef\xbf\xbd\xef\xbf\xbd notice now please", words5());
  ASSERT_TRUE(raw && repaired);
  EXPECT_EQ(*raw, *repaired);
}

TEST(Signature, MergeIsTheSignatureOfTheUnion) {
  // Seeded: 50 random pairs of sets of 1..400 elements with random overlap; the merged signature
  // must equal the union's signature exactly (every slot is a minimum over the set).
  std::mt19937_64 rng(20261202);
  for (int trial = 0; trial < 50; ++trial) {
    std::vector<hash64> a(1 + rng() % 400);
    std::vector<hash64> b(1 + rng() % 400);
    for (auto& x : a)
      x = rng();
    for (auto& x : b)
      x = rng() % 3 == 0 ? a[rng() % a.size()] : rng();
    std::vector<hash64> u = a;
    u.insert(u.end(), b.begin(), b.end());
    const minhash_params p = trial % 2 ? words5() : chars7();
    auto sa = signature::of_shingles(a, p);
    auto sb = signature::of_shingles(b, p);
    auto su = signature::of_shingles(u, p);
    ASSERT_TRUE(sa && sb && su);
    auto m = merge(*sa, *sb);
    ASSERT_TRUE(m) << m.error().message;
    EXPECT_EQ(*m, *su) << "trial " << trial;
  }
}

TEST(Signature, JaccardOfEqualAndDisjointSets) {
  auto a = signature::of_text(texts[0], words5());
  auto b = signature::of_text(texts[1], words5());
  ASSERT_TRUE(a && b);
  auto same = jaccard(*a, *a);
  ASSERT_TRUE(same);
  EXPECT_EQ(same->estimate, 1.0);
  auto diff = jaccard(*a, *b);
  ASSERT_TRUE(diff);
  EXPECT_EQ(diff->estimate, 0.0);
}

TEST(Signature, OtherParamsAreRefusedFieldByField) {
  const minhash_params base = words5();
  struct variant {
    const char* field;
    minhash_params p;
    const char* message;
  };
  std::vector<variant> variants;
  minhash_params p = base;
  p.shingles.unit = shingle_unit::chars;
  variants.push_back({"unit", p, "shingle unit: expected words, got chars"});
  p = base;
  p.shingles.width = 4;
  variants.push_back({"width", p, "shingle width: expected 5, got 4"});
  p = base;
  p.num_perm = 64;
  variants.push_back({"num_perm", p, "slots (num_perm): expected 128, got 64"});
  p = base;
  p.shingles.seed = 7;
  variants.push_back({"seed", p, "hash seed: expected 0x636f707964657368, got 0x0000000000000007"});
  for (const variant& v : variants) {
    SCOPED_TRACE(v.field);
    auto a = signature::of_text(texts[0], base);
    auto b = signature::of_text(texts[0], v.p);
    ASSERT_TRUE(a && b);
    const std::string expected = std::string("incompatible MinHash params: ") + v.message;
    auto j = jaccard(*a, *b);
    ASSERT_FALSE(j);
    EXPECT_EQ(j.error().code, errc::incompatible_params);
    EXPECT_EQ(j.error().message, expected);
    auto m = merge(*a, *b);
    ASSERT_FALSE(m);
    EXPECT_EQ(m.error().message, expected);
    auto loaded = signature::deserialize(b->serialize(), base);
    ASSERT_FALSE(loaded);
    EXPECT_EQ(loaded.error().code, errc::incompatible_params);
    EXPECT_EQ(loaded.error().message, expected);
  }
  // Normalization version and hash family cannot be computed by this build under other values,
  // so they are tested on loading: a well-formed file whose field says otherwise.
  const std::string bytes = golden_signature(base, 0).serialize();
  auto norm = signature::deserialize(with_field(bytes, 20, 2), base);
  ASSERT_FALSE(norm);
  EXPECT_EQ(norm.error().message,
            "incompatible MinHash params: normalization version: expected 1, got 2");
  auto fam = signature::deserialize(with_field(bytes, 32, 9), base);
  ASSERT_FALSE(fam);
  EXPECT_EQ(fam.error().message,
            "incompatible MinHash params: hash family: expected xxh3-fss-v1, got unknown(9)");
  minhash_params future = base;
  future.shingles.normalization = 2;
  auto computed = signature::of_text(texts[0], future);
  ASSERT_FALSE(computed);
  EXPECT_EQ(computed.error().code, errc::incompatible_params);
}

TEST(Signature, DamagedFilesAreRefusedWithTheReason) {
  const std::string bytes = golden_signature(words5(), 0).serialize();
  auto check = [](const std::string& b, errc code, const std::string& message) {
    auto r = signature::deserialize(b);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, code);
    EXPECT_EQ(r.error().message, message);
  };
  check("", errc::corrupt_file, "not a copydesk signature (bad magic bytes)");
  check(bytes.substr(0, 30), errc::corrupt_file,
        "truncated signature: 30 bytes, the header alone needs 48");
  check(bytes.substr(0, 100), errc::corrupt_file,
        "truncated signature: expected 560 bytes for 128 slots, got 100");
  check(bytes + "x", errc::corrupt_file,
        "corrupt signature: expected 560 bytes for 128 slots, got 561");
  check(with_field(bytes, 8, 2), errc::unsupported_version,
        "signature format version 2 is not supported (this build reads version 1)");
  check(with_field(bytes, 16, 0), errc::corrupt_file,
        "corrupt signature: shingle width must be in 1..64, got 0");
  check(with_field(bytes, 12, 2), errc::corrupt_file, "corrupt signature: shingle unit byte 2");
  // Every single-bit flip is refused (most by the checksum) and never crashes.
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    for (int bit = 0; bit < 8; ++bit) {
      std::string b = bytes;
      b[i] = static_cast<char>(b[i] ^ (1 << bit));
      EXPECT_FALSE(signature::deserialize(b)) << "byte " << i << " bit " << bit;
    }
  }
}

TEST(IdfModel, OtherParamsAreRefusedFieldByField) {
  const std::string bytes = golden_idf().serialize();
  auto m = idf_model::deserialize(bytes);
  ASSERT_TRUE(m);
  EXPECT_TRUE(m->check_compatible(term_params{}));
  term_params no_bigrams;
  no_bigrams.bigrams = false;
  auto r = m->check_compatible(no_bigrams);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, errc::incompatible_params);
  EXPECT_NE(r.error().message.find("expected bigrams off, got on"), std::string::npos)
      << r.error().message;
  term_params no_stop;
  no_stop.stop_words = false;
  r = m->check_compatible(no_stop);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("expected stop words off, got on"), std::string::npos)
      << r.error().message;
  for (const std::size_t field : {std::size_t{12}, std::size_t{16}}) {
    auto other = idf_model::deserialize(with_field(bytes, field, 99));
    ASSERT_TRUE(other) << other.error().message;
    r = other->check_compatible(term_params{});
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, errc::incompatible_params);
    EXPECT_NE(r.error().message.find("got 99"), std::string::npos) << r.error().message;
  }
}
