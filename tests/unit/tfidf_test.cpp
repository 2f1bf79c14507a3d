// TF-IDF stage: stop list, terms, hand-computed weights, df pruning, IDF model files (round trip,
// corruption, version and parameter checks) and the indexed pair search against exact all-pairs.
#include <copydesk/tfidf.hpp>

#include "tfidf/builder.hpp"
#include "tfidf/term_texts.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <set>
#include <string>
#include <vector>

namespace copydesk {
namespace {

term_params words_only() {
  term_params p;
  p.bigrams = false;
  return p;
}

tfidf_params params_words_only() {
  tfidf_params p;
  p.terms = words_only();
  return p;
}

TEST(StopWords, SortedAndNews) {
  const auto list = stop_words();
  EXPECT_TRUE(std::is_sorted(list.begin(), list.end()));
  EXPECT_TRUE(std::adjacent_find(list.begin(), list.end()) == list.end());
  EXPECT_TRUE(is_stop_word("the"));
  EXPECT_TRUE(is_stop_word("said"));
  EXPECT_TRUE(is_stop_word("s")); // from "Alibaba's"
  EXPECT_FALSE(is_stop_word("alibaba"));
  EXPECT_FALSE(is_stop_word("2025"));
  EXPECT_FALSE(is_stop_word(""));
}

TEST(Terms, WordsAndBigramsSkipStopWords) {
  const auto t = extract_terms("The Quick fox and the lazy dog's bone", term_params{});
  const std::vector<std::string> want = {"quick", "fox",      "quick fox", "lazy",
                                         "dog",   "lazy dog", "bone"};
  // "dog's" -> "dog", "s"; "s" is a stop word, so "dog bone" is not a bigram.
  EXPECT_EQ(t, want);
  EXPECT_EQ(extract_terms("The Quick fox", words_only()),
            (std::vector<std::string>{"quick", "fox"}));
  term_params keep;
  keep.stop_words = false;
  keep.bigrams = false;
  EXPECT_EQ(extract_terms("The fox", keep), (std::vector<std::string>{"the", "fox"}));
  EXPECT_TRUE(extract_terms("", term_params{}).empty());
  EXPECT_TRUE(extract_terms("it was what it was", term_params{}).empty());
}

TEST(Terms, HashIsFnv1a64) {
  // FNV-1a 64 test vectors: "" and "a".
  EXPECT_EQ(term_hash(""), 0xcbf29ce484222325ULL);
  EXPECT_EQ(term_hash("a"), 0xaf63dc4c8601ec8cULL);
  EXPECT_NE(term_hash("quick fox"), term_hash("quickfox"));
}

// The 3-document corpus of the issue, worked by hand (see the expected values' derivation):
// N = 3; df(apple) = df(date) = 1 -> idf = ln(4/2) + 1; df(banana) = df(cherry) = 2 ->
// idf = ln(4/3) + 1; weight = (1 + ln tf) * idf, rows L2-normalized.
TEST(Tfidf, HandComputedThreeDocuments) {
  const std::vector<std::string> texts = {"apple apple banana", "banana cherry",
                                          "cherry cherry cherry date"};
  auto x = build_tfidf(texts, params_words_only());
  ASSERT_TRUE(x) << x.error().message;
  EXPECT_EQ(x->rows(), 3u);
  EXPECT_EQ(x->cols(), 4u);
  EXPECT_EQ(x->nonzeros(), 6u);
  EXPECT_NEAR(x->weight(0, "apple"), 0.9122016, 1e-6);
  EXPECT_NEAR(x->weight(0, "banana"), 0.4097416, 1e-6);
  EXPECT_NEAR(x->weight(1, "banana"), 0.7071068, 1e-6);
  EXPECT_NEAR(x->weight(1, "cherry"), 0.7071068, 1e-6);
  EXPECT_NEAR(x->weight(2, "cherry"), 0.8474085, 1e-6);
  EXPECT_NEAR(x->weight(2, "date"), 0.5309415, 1e-6);
  EXPECT_EQ(x->weight(0, "date"), 0.0F);
  EXPECT_NEAR(x->idf(*x->find("apple")), std::log(2.0) + 1.0, 1e-6);
  EXPECT_EQ(x->df(*x->find("cherry")), 2u);
  EXPECT_NEAR(x->cosine(0, 1), 0.2897311, 1e-6);
  EXPECT_NEAR(x->cosine(1, 2), 0.5992083, 1e-6);
  EXPECT_EQ(x->cosine(0, 2), 0.0);
  // Term ids: most frequent first (banana, cherry have df 2).
  EXPECT_EQ(x->df(0), 2u);
  EXPECT_EQ(x->df(3), 1u);
  const auto pairs = similar_pairs(*x, 0.25, pair_search::exact, 1);
  ASSERT_EQ(pairs.size(), 2u);
  EXPECT_EQ(pairs[0].a, 0u);
  EXPECT_EQ(pairs[0].b, 1u);
  EXPECT_EQ(pairs[1].a, 1u);
  EXPECT_EQ(pairs[1].b, 2u);
}

TEST(Tfidf, MinAndMaxDfPrune) {
  const std::vector<std::string> texts = {"apple apple banana", "banana cherry",
                                          "cherry cherry cherry date"};
  tfidf_params p = params_words_only();
  p.min_df = 2;
  auto x = build_tfidf(texts, p);
  ASSERT_TRUE(x);
  EXPECT_EQ(x->cols(), 2u);
  EXPECT_FLOAT_EQ(x->weight(0, "banana"), 1.0F); // the only term left in row 0
  p.min_df = 1;
  p.max_df = 0.5; // df 2 of 3 > 0.5 * 3
  auto y = build_tfidf(texts, p);
  ASSERT_TRUE(y);
  EXPECT_EQ(y->cols(), 2u);
  EXPECT_TRUE(y->row_terms(1).empty()); // banana and cherry were pruned
  p.max_df = 0.0;
  EXPECT_EQ(build_tfidf(texts, p).error().code, errc::invalid_argument);
  p.max_df = 1.0;
  p.min_df = 0;
  EXPECT_EQ(build_tfidf(texts, p).error().code, errc::invalid_argument);
}

TEST(Tfidf, EmptyAndStopWordRowsHaveNoTerms) {
  const std::vector<std::string> texts = {"", "the and of it", "apple banana"};
  auto x = build_tfidf(texts, tfidf_params{});
  ASSERT_TRUE(x);
  EXPECT_TRUE(x->row_terms(0).empty());
  EXPECT_TRUE(x->row_terms(1).empty());
  EXPECT_EQ(x->cosine(0, 2), 0.0);
  EXPECT_TRUE(similar_pairs(*x, 0.01, pair_search::exact, 1).empty());
}

TEST(Tfidf, SingleDocumentBigramsFoldIntoNorm) {
  // One document: every term has df 1. Words are stored; the bigram "apple banana" only adds to
  // the norm: weights = idf * (1 + ln tf) over 3 terms, all idf equal -> 1/sqrt(3) each.
  const std::vector<std::string> texts = {"apple banana"};
  auto x = build_tfidf(texts, tfidf_params{});
  ASSERT_TRUE(x);
  EXPECT_EQ(x->cols(), 2u);
  EXPECT_NEAR(x->weight(0, "apple"), 1.0 / std::sqrt(3.0), 1e-6);
  EXPECT_FALSE(x->find("apple banana").has_value());
  // With a second document sharing the bigram, it is stored and has its text.
  const std::vector<std::string> two = {"apple banana", "apple banana cherry"};
  auto y = build_tfidf(two, tfidf_params{});
  ASSERT_TRUE(y);
  const auto id = y->find("apple banana");
  ASSERT_TRUE(id.has_value());
  EXPECT_TRUE(y->is_bigram(*id));
  EXPECT_EQ(y->term(*id), "apple banana");
}

TEST(Tfidf, ResultDoesNotDependOnThreads) {
  std::vector<std::string> texts;
  std::mt19937 rng(7);
  for (int d = 0; d < 300; ++d) {
    std::string t;
    for (int w = 0; w < 60; ++w)
      t += "w" + std::to_string(rng() % 500) + " ";
    texts.push_back(t);
  }
  auto a = build_tfidf(texts, tfidf_params{}, nullptr, 1);
  auto b = build_tfidf(texts, tfidf_params{}, nullptr, 4);
  ASSERT_TRUE(a && b);
  ASSERT_EQ(a->nonzeros(), b->nonzeros());
  for (std::size_t r = 0; r < a->rows(); ++r) {
    const auto ta = a->row_terms(r);
    const auto tb = b->row_terms(r);
    ASSERT_TRUE(std::equal(ta.begin(), ta.end(), tb.begin(), tb.end()));
    const auto wa = a->row_weights(r);
    const auto wb = b->row_weights(r);
    ASSERT_TRUE(std::equal(wa.begin(), wa.end(), wb.begin(), wb.end()));
  }
}

// ---- IDF models ----

idf_model sample_model() {
  return idf_model::from_counts(words_only(), 10,
                                {{term_hash("apple"), 9}, {term_hash("zebra"), 1}});
}

// The streaming builder: batches in any order give the rows of build_tfidf, rows without a
// document count nowhere, and bigram texts come back from a document's text.
TEST(TfidfBuilder, BatchesAndRowOrderGiveTheInMemoryMatrix) {
  const std::vector<std::string> texts = {
      "River flood warning issued for the river district", "Flood warning lifted in the district",
      "Museum reopens after the flood", "", "Council approves the museum budget"};
  tfidf_params params;
  auto whole = build_tfidf(texts, params);
  ASSERT_TRUE(whole);
  tfidf_builder b(params.terms, /*keep_bigram_texts=*/true);
  const std::vector<std::string_view> first = {texts[3], texts[4]};
  const std::vector<std::string_view> second = {texts[0], texts[1], texts[2]};
  std::vector<std::uint32_t> t1(2);
  std::vector<std::uint32_t> t2(3);
  b.add_batch(first, t1, 2);
  b.add_batch(second, t2, 1);
  EXPECT_EQ(b.size(), 5u);
  EXPECT_EQ(t1[0], 0u);
  EXPECT_EQ(t1[1], 5u);
  EXPECT_EQ(t2[0], 8u); // stop words count as tokens
  // Row r of the in-memory matrix is texts[r]: documents 2, 3, 4, 0, 1 of the builder.
  const std::vector<std::size_t> rows = {2, 3, 4, 0, 1};
  auto x = b.build(rows, params);
  ASSERT_TRUE(x) << x.error().message;
  EXPECT_EQ(b.size(), 0u);
  ASSERT_EQ(x->rows(), whole->rows());
  ASSERT_EQ(x->cols(), whole->cols());
  for (std::size_t r = 0; r < x->rows(); ++r) {
    const auto a = x->row_terms(r);
    const auto w = whole->row_terms(r);
    EXPECT_TRUE(std::equal(a.begin(), a.end(), w.begin(), w.end())) << "row " << r;
    const auto aw = x->row_weights(r);
    const auto ww = whole->row_weights(r);
    EXPECT_TRUE(std::equal(aw.begin(), aw.end(), ww.begin(), ww.end())) << "row " << r;
  }
  for (std::int32_t t = 0; t < static_cast<std::int32_t>(x->cols()); ++t)
    EXPECT_EQ(x->term(t), whole->term(t));
}

TEST(TfidfBuilder, RowsWithoutDocumentsAreNotCounted) {
  const std::vector<std::string_view> texts = {"flood warning river", "flood museum"};
  tfidf_params params = params_words_only();
  tfidf_builder b(params.terms);
  std::vector<std::uint32_t> tokens(2);
  b.add_batch(texts, tokens);
  const std::vector<std::size_t> rows = {1, tfidf_builder::no_document, 0};
  auto x = b.build(rows, params);
  ASSERT_TRUE(x) << x.error().message;
  EXPECT_EQ(x->rows(), 3u);
  EXPECT_EQ(x->corpus_documents(), 2u);
  EXPECT_TRUE(x->row_terms(1).empty());
  EXPECT_GT(x->weight(2, "river"), 0.0F);
  EXPECT_EQ(x->weight(0, "river"), 0.0F);
}

TEST(TfidfBuilder, BadRowsAndOtherTermParamsAreErrors) {
  const std::vector<std::string_view> texts = {"flood warning river"};
  std::vector<std::uint32_t> tokens(1);
  tfidf_builder b(term_params{});
  b.add_batch(texts, tokens);
  const std::vector<std::size_t> out_of_range = {1};
  auto r = b.build(out_of_range, tfidf_params{});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, errc::invalid_argument);
  EXPECT_EQ(r.error().message, "TF-IDF build: row 0 names document 1 of 1");
  const std::vector<std::size_t> ok = {0};
  auto other = b.build(ok, params_words_only());
  ASSERT_FALSE(other);
  EXPECT_EQ(other.error().code, errc::incompatible_params);
}

TEST(TfidfBuilder, BigramTextsAreRecoveredFromTheDocument) {
  const std::vector<std::string_view> texts = {"river flood warning today",
                                               "the river flood warning spreads"};
  tfidf_params params;
  tfidf_builder b(params.terms); // streamed: no bigram texts kept
  std::vector<std::uint32_t> tokens(2);
  b.add_batch(texts, tokens);
  const std::vector<std::size_t> rows = {0, 1};
  auto x = b.build(rows, params);
  ASSERT_TRUE(x);
  std::vector<std::int32_t> bigrams;
  for (std::int32_t t = 0; t < static_cast<std::int32_t>(x->cols()); ++t) {
    if (x->is_bigram(t)) {
      EXPECT_EQ(x->term(t), "");
      bigrams.push_back(t);
    }
  }
  ASSERT_EQ(bigrams.size(), 2u); // "river flood", "flood warning": in both documents
  auto found = x->recover_terms(texts[1], bigrams);
  ASSERT_EQ(found.size(), 2u);
  std::set<std::string> names;
  for (auto& [id, text] : found) {
    names.insert(text);
    x->set_term_text(id, text);
  }
  EXPECT_EQ(names, (std::set<std::string>{"river flood", "flood warning"}));
  for (const std::int32_t t : bigrams)
    EXPECT_EQ(x->term_key(t), term_hash(x->term(t)));
  EXPECT_TRUE(x->recover_terms("nothing in common here", bigrams).empty());
}

TEST(IdfModel, WeightsUseModelPlusCorpusCounts) {
  // N = 3 + 10; df(apple) = 1 + 9, df(banana) = 2 + 0.
  const std::vector<std::string> texts = {"apple apple banana", "banana cherry",
                                          "cherry cherry cherry date"};
  const idf_model m = sample_model();
  auto x = build_tfidf(texts, params_words_only(), &m);
  ASSERT_TRUE(x) << x.error().message;
  EXPECT_NEAR(x->weight(0, "apple"), 0.6373936, 1e-6);
  EXPECT_NEAR(x->weight(0, "banana"), 0.7705384, 1e-6);
  EXPECT_EQ(x->model_documents(), 10u);
}

TEST(IdfModel, SerializeRoundTrip) {
  const idf_model m = sample_model();
  const std::string bytes = m.serialize();
  ASSERT_EQ(bytes.size(), 48u + 2 * 12 + 8);
  EXPECT_EQ(bytes.substr(0, 8), "CDSKIDF\n");
  auto back = idf_model::deserialize(bytes);
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(back->documents(), 10u);
  EXPECT_EQ(back->size(), 2u);
  EXPECT_EQ(back->df("apple"), 9u);
  EXPECT_EQ(back->df("zebra"), 1u);
  EXPECT_EQ(back->df("missing"), 0u);
  EXPECT_FALSE(back->params().bigrams);
  EXPECT_EQ(back->serialize(), bytes);
}

TEST(IdfModel, CorruptTruncatedAndForeignFilesAreClearErrors) {
  const std::string bytes = sample_model().serialize();
  // Truncated anywhere.
  for (const std::size_t len :
       {std::size_t{0}, std::size_t{7}, std::size_t{20}, bytes.size() - 1}) {
    auto r = idf_model::deserialize(std::string_view(bytes).substr(0, len));
    ASSERT_FALSE(r) << len;
    EXPECT_EQ(r.error().code, errc::corrupt_file) << len;
  }
  // One flipped bit in the payload: checksum.
  std::string flipped = bytes;
  flipped[50] = static_cast<char>(flipped[50] ^ 1);
  auto r = idf_model::deserialize(flipped);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, errc::corrupt_file);
  EXPECT_NE(r.error().message.find("checksum"), std::string::npos);
  // Not a model at all.
  auto f = idf_model::deserialize("hello world, this is not a model at all; it is text!!");
  ASSERT_FALSE(f);
  EXPECT_EQ(f.error().code, errc::corrupt_file);
  EXPECT_NE(f.error().message.find("magic"), std::string::npos);
  // A future format version.
  std::string future = bytes;
  future[8] = 2;
  auto v = idf_model::deserialize(future);
  ASSERT_FALSE(v);
  EXPECT_EQ(v.error().code, errc::unsupported_version);
}

TEST(IdfModel, MismatchedParamsAreRejected) {
  const idf_model m = sample_model(); // fitted without bigrams
  auto c = m.check_compatible(term_params{});
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().code, errc::incompatible_params);
  EXPECT_NE(c.error().message.find("expected bigrams on, got off"), std::string::npos);
  EXPECT_TRUE(m.check_compatible(words_only()));
  const std::vector<std::string> texts = {"apple"};
  EXPECT_EQ(build_tfidf(texts, tfidf_params{}, &m).error().code, errc::incompatible_params);
  idf_model other(term_params{});
  EXPECT_EQ(other.merge(m).error().code, errc::incompatible_params);
}

TEST(IdfModel, SaveLoadAndMissingFile) {
  const auto dir = std::filesystem::temp_directory_path() / "copydesk_tfidf_test";
  std::filesystem::create_directories(dir);
  const std::string path = (dir / "m.idf").string();
  idf_model m(words_only());
  const std::vector<std::uint64_t> d1 = {term_hash("a1"), term_hash("b1"), term_hash("a1")};
  const std::vector<std::uint64_t> d2 = {term_hash("a1")};
  m.add_document(d1);
  m.add_document(d2);
  ASSERT_TRUE(m.save(path));
  auto back = idf_model::load(path);
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(back->documents(), 2u);
  EXPECT_EQ(back->df("a1"), 2u);
  EXPECT_EQ(back->df("b1"), 1u);
  auto missing = idf_model::load((dir / "nope.idf").string());
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, errc::not_found);
  {
    std::ofstream f(path, std::ios::binary | std::ios::trunc);
    f << "CDSKIDF\n";
  }
  auto trunc = idf_model::load(path);
  ASSERT_FALSE(trunc);
  EXPECT_EQ(trunc.error().code, errc::corrupt_file);
  EXPECT_NE(trunc.error().message.find(path), std::string::npos);
  std::filesystem::remove_all(dir);
}

// ---- Pair search ----

// Seeded synthetic news: stories own a few rare names and topic words; every document also draws
// common words from a Zipf-like background, so unrelated documents share many weak terms.
std::vector<std::string> synthetic_corpus(std::size_t docs, std::uint32_t seed) {
  std::mt19937 rng(seed);
  std::vector<std::string> out;
  const std::size_t stories = docs / 3;
  std::vector<std::vector<std::string>> story_words(stories);
  for (std::size_t s = 0; s < stories; ++s) {
    for (int k = 0; k < 12; ++k)
      story_words[s].push_back("s" + std::to_string(s) + "w" + std::to_string(k));
  }
  std::uniform_real_distribution<double> u(0.0, 1.0);
  for (std::size_t d = 0; d < docs; ++d) {
    const std::size_t s = rng() % stories;
    // How much of the text is the story's own vocabulary varies from document to document.
    const double own = 0.05 + 0.25 * u(rng);
    std::string t;
    for (int w = 0; w < 250; ++w) {
      if (u(rng) < own) {
        t += story_words[s][rng() % story_words[s].size()];
      } else {
        // Zipf over 20000 background words: rank = floor(exp(u * ln 20000)).
        const auto rank = static_cast<unsigned>(std::exp(u(rng) * std::log(20000.0)));
        t += "b" + std::to_string(rank);
      }
      t += ' ';
    }
    out.push_back(std::move(t));
  }
  return out;
}

TEST(PairSearch, IndexedFindsAtLeast99PercentOfExactPairs) {
  const auto texts = synthetic_corpus(2000, 42);
  auto x = build_tfidf(texts, tfidf_params{}, nullptr, 2);
  ASSERT_TRUE(x);
  for (const double t : {0.06, 0.09, 0.12, 0.2}) {
    pair_search_stats se;
    pair_search_stats si;
    const auto exact = similar_pairs(*x, t, pair_search::exact, 2, &se);
    const auto indexed = similar_pairs(*x, t, pair_search::indexed, 2, &si);
    ASSERT_GT(exact.size(), 150u) << t;
    std::set<std::pair<doc_index, doc_index>> want;
    for (const auto& p : exact)
      want.insert({p.a, p.b});
    std::size_t hit = 0;
    for (const auto& p : indexed) {
      ASSERT_TRUE(want.count({p.a, p.b}) == 1) << "indexed reported a pair exact did not";
      ASSERT_GE(p.score, t);
      ++hit;
    }
    const double recall = static_cast<double>(hit) / static_cast<double>(exact.size());
    std::printf(
        "threshold %.2f: exact %zu pairs, indexed %zu (recall %.4f), candidates %zu of %zu\n", t,
        exact.size(), indexed.size(), recall, si.candidates, se.candidates);
    EXPECT_GE(recall, 0.99) << t;
    EXPECT_LT(si.candidates, se.candidates / 5) << t; // far fewer cosines than all pairs
    EXPECT_EQ(si.method, pair_search::indexed);
  }
}

TEST(PairSearch, ScoresAreIdenticalAcrossMethodsAndThreads) {
  const auto texts = synthetic_corpus(600, 3);
  auto x = build_tfidf(texts, tfidf_params{});
  ASSERT_TRUE(x);
  const auto a = similar_pairs(*x, 0.1, pair_search::exact, 1);
  const auto b = similar_pairs(*x, 0.1, pair_search::exact, 3);
  const auto c = similar_pairs(*x, 0.1, pair_search::indexed, 1, nullptr, 10000);
  ASSERT_EQ(a.size(), b.size());
  ASSERT_EQ(a.size(), c.size()); // with every term a key term, indexed is exhaustive
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].a, b[i].a);
    EXPECT_EQ(a[i].b, c[i].b);
    EXPECT_EQ(a[i].score, b[i].score);
    EXPECT_EQ(a[i].score, c[i].score);
  }
}

// issue 19 item 12: a model cut short in its payload was reported as "corrupt ... payload size"
// when the header promised more terms than the remaining bytes could hold.
TEST(Regression, IdfModelCutShortIsTruncated) {
  std::string bytes = sample_model().serialize();
  auto put64 = [&](std::size_t at, std::uint64_t v) {
    for (int i = 0; i < 8; ++i)
      bytes[at + static_cast<std::size_t>(i)] = static_cast<char>(v >> (8 * i));
  };
  // A header for 100 terms (1200 payload bytes) followed by only the first 32 bytes of records:
  // what a 1256-byte model file cut after 80 bytes looks like.
  put64(32, 100);
  put64(40, 100 * 12);
  auto r = idf_model::deserialize(bytes);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, errc::corrupt_file);
  EXPECT_EQ(r.error().message, "truncated IDF model: expected 1256 bytes, got 80");
  // Counts that disagree are still a corrupt header.
  put64(40, 100 * 12 + 1);
  EXPECT_EQ(idf_model::deserialize(bytes).error().message,
            "corrupt IDF model: payload size 1201 does not match 100 terms");
}

TEST(TermTexts, OffsetsIntoOneBuffer) {
  detail::term_texts t(3);
  EXPECT_EQ(t.size(), 3U);
  EXPECT_EQ(t.bytes(), 0U);
  EXPECT_EQ(t.get(0), "");
  EXPECT_EQ(t.get(2), "");
  t.set(1, "alibaba");
  t.set(2, "nvidia chips");
  EXPECT_EQ(t.get(0), "");
  EXPECT_EQ(t.get(1), "alibaba");
  EXPECT_EQ(t.get(2), "nvidia chips");
  EXPECT_EQ(t.bytes(), 19U);
  // A replaced text keeps its old bytes; the new one is read back.
  t.set(1, "ai");
  EXPECT_EQ(t.get(1), "ai");
  EXPECT_EQ(t.bytes(), 21U);
  EXPECT_EQ(t.push_back("chip"), 3U);
  EXPECT_EQ(t.push_back(""), 4U);
  EXPECT_EQ(t.size(), 5U);
  EXPECT_EQ(t.get(3), "chip");
  EXPECT_EQ(t.get(4), "");
  EXPECT_EQ(t.get(2), "nvidia chips");
  t.shrink_to_fit();
  EXPECT_EQ(t.get(3), "chip");
  EXPECT_EQ(t.bytes(), 25U);
  const std::string nul("a\0b", 3);
  t.set(0, nul);
  EXPECT_EQ(t.get(0), nul);
}

// Rows are rewritten in place by the build: a document named by two rows must still give two
// equal rows (the builder copies it), with the weights of a build that names it once.
TEST(TfidfBuilder, DocumentInTwoRowsGivesTwoEqualRows) {
  const std::vector<std::string_view> texts = {"alpha beta gamma alpha", "beta delta"};
  std::vector<std::uint32_t> tokens(texts.size());
  tfidf_builder twice(params_words_only().terms);
  twice.add_batch(texts, tokens, 1);
  const std::vector<std::size_t> rows = {0, 1, 0};
  auto x = twice.build(rows, params_words_only());
  ASSERT_TRUE(x);
  ASSERT_EQ(x->rows(), 3U);
  const auto t0 = x->row_terms(0);
  const auto t2 = x->row_terms(2);
  ASSERT_EQ(t0.size(), 3U);
  EXPECT_TRUE(std::equal(t0.begin(), t0.end(), t2.begin(), t2.end()));
  const auto w0 = x->row_weights(0);
  const auto w2 = x->row_weights(2);
  EXPECT_TRUE(std::equal(w0.begin(), w0.end(), w2.begin(), w2.end()));
  EXPECT_NEAR(x->cosine(0, 2), 1.0, 1e-6);
}

// issue 10 (error contract): a full term table threw std::length_error out of the builder; now
// the collector is marked full and building the matrix or the model returns an error.
TEST(Regression, FullTermTableIsAnErrorNotAnException) {
  detail::term_collector collector(params_words_only().terms, true, /*shard_terms=*/2);
  std::string text;
  for (int i = 0; i < 2000; ++i)
    text += "word" + std::to_string(i) + " ";
  detail::doc_terms terms;
  EXPECT_NO_THROW(collector.add(text, terms));
  detail::doc_terms* rows[] = {&terms};
  auto m = collector.build(rows, 1, params_words_only(), nullptr, 1);
  ASSERT_FALSE(m);
  EXPECT_EQ(m.error().code, errc::invalid_argument);
  EXPECT_EQ(m.error().message, "too many distinct terms for one TF-IDF vocabulary (a term table "
                               "of 2 terms, 1/64 of the vocabulary, is full)");
  auto model = collector.to_model(1);
  ASSERT_FALSE(model);
  EXPECT_EQ(model.error().message, m.error().message);
  // Below the limit nothing changes.
  detail::term_collector roomy(params_words_only().terms, true, 1000);
  detail::doc_terms few;
  roomy.add("alpha beta gamma", few);
  detail::doc_terms* one[] = {&few};
  EXPECT_TRUE(roomy.build(one, 1, params_words_only(), nullptr, 1));
}

} // namespace
} // namespace copydesk
