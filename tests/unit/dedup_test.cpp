// Dedup pipeline: fixtures with known duplicates, containment at any size ratio, determinism
// across threads and input order, the seed articles (when ../shared is present).
#include <copydesk/cluster.hpp>
#include <copydesk/containment.hpp>
#include <copydesk/dedup.hpp>

#include <gtest/gtest.h>

#include "dedup/phases.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <random>
#include <span>

using namespace copydesk;

namespace {

const std::string data = COPYDESK_TEST_DATA_DIR;

dedup_result run(const std::vector<std::string>& inputs, dedup_config cfg = {}) {
  auto reader = corpus_reader::open(inputs);
  EXPECT_TRUE(reader);
  diagnostics diag;
  auto r = run_dedup(*reader, cfg, diag);
  EXPECT_TRUE(r) << (r ? "" : r.error().message);
  return std::move(*r);
}

const duplicate_pair* find_pair(const dedup_result& r, const std::string& a, const std::string& b) {
  for (const auto& p : r.pairs) {
    if (r.documents[p.a].id == a && r.documents[p.b].id == b)
      return &p;
  }
  return nullptr;
}

// n words "w<k> " with k uniform in [0, vocabulary).
std::string random_words(std::mt19937_64& rng, std::size_t n, std::uint64_t vocabulary) {
  std::string s;
  for (std::size_t i = 0; i < n; ++i)
    s += "w" + std::to_string(rng() % vocabulary) + " ";
  return s;
}

} // namespace

TEST(Dedup, MiniCorpusFindsNearAndContainedDuplicates) {
  const dedup_result r = run({data + "/mini"});
  ASSERT_EQ(r.documents.size(), 7u);
  ASSERT_EQ(r.clusters.size(), 1u);
  std::vector<std::string> members;
  for (auto m : r.clusters[0].members)
    members.push_back(r.documents[m].id);
  EXPECT_EQ(members,
            (std::vector<std::string>{"harbour-copy.txt", "harbour-page.txt", "harbour.txt"}));
  EXPECT_EQ(r.documents[r.clusters[0].representative].id, "harbour-page.txt");
  EXPECT_EQ(r.clusters[0].kind, pair_kind::contained);

  const duplicate_pair* near = find_pair(r, "harbour-copy.txt", "harbour.txt");
  ASSERT_NE(near, nullptr);
  EXPECT_EQ(near->kind, pair_kind::near);
  EXPECT_GE(near->jaccard, 0.8);
  const duplicate_pair* contained = find_pair(r, "harbour-page.txt", "harbour.txt");
  ASSERT_NE(contained, nullptr);
  EXPECT_EQ(contained->kind, pair_kind::contained);
  EXPECT_DOUBLE_EQ(contained->b_in_a, 1.0); // the whole article is inside the page
  EXPECT_LT(contained->jaccard, 0.8);
  // Scores are exact: shared / |union| with the reported shared count.
  const double uni = r.shingles[contained->a] + r.shingles[contained->b] - contained->shared;
  EXPECT_DOUBLE_EQ(contained->jaccard, contained->shared / uni);
  // Every input appears; unusable ones carry their error and no cluster.
  for (std::size_t d = 0; d < r.documents.size(); ++d) {
    if (r.documents[d].id == "notes.bin") {
      EXPECT_EQ(r.documents[d].error, "binary file skipped");
      EXPECT_EQ(r.cluster_of[d], -1);
    }
    if (r.documents[d].id == "empty.txt") {
      EXPECT_EQ(r.documents[d].tokens, 0u);
    }
  }
}

TEST(Dedup, NoContainmentFlagDropsContainedPairs) {
  dedup_config cfg;
  cfg.find_contained = false;
  const dedup_result r = run({data + "/mini"}, cfg);
  for (const auto& p : r.pairs)
    EXPECT_NE(p.kind, pair_kind::contained);
}

TEST(Dedup, ExactCopiesAreExact) {
  const dedup_result r = run({data + "/jsonl/good.jsonl"});
  // w1/w2 differ only by punctuation: identical shingle sets.
  ASSERT_EQ(r.pairs.size(), 1u);
  EXPECT_EQ(r.pairs[0].kind, pair_kind::exact);
  EXPECT_DOUBLE_EQ(r.pairs[0].jaccard, 1.0);
}

TEST(Dedup, ShortTextInsideLongTextAtLargeSizeRatio) {
  // A 60-word paragraph inside a 6,000-word document (ratio 1:100) must be found.
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / "copydesk_dedup_ratio";
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::mt19937_64 rng(99);
  auto words = [&](std::size_t n) { return random_words(rng, n, 50000); };
  const std::string para = words(60);
  {
    std::ofstream(dir / "short.txt") << para;
    std::ofstream(dir / "long.txt") << words(3000) << para << words(3000);
    std::ofstream(dir / "other.txt") << words(500);
  }
  const dedup_result r = run({dir.string()});
  const duplicate_pair* p = find_pair(r, "long.txt", "short.txt");
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->kind, pair_kind::contained);
  EXPECT_DOUBLE_EQ(p->b_in_a, 1.0);
  EXPECT_LT(p->jaccard, 0.02);
  fs::remove_all(dir);
}

TEST(Dedup, OutputDoesNotDependOnThreadsOrInputOrder) {
  dedup_config one;
  one.threads = 1;
  dedup_config four;
  four.threads = 4;
  const dedup_result a = run({data + "/mini", data + "/jsonl/good.jsonl"}, one);
  const dedup_result b = run({data + "/jsonl/good.jsonl", data + "/mini"}, four);
  ASSERT_EQ(a.documents.size(), b.documents.size());
  for (std::size_t i = 0; i < a.documents.size(); ++i)
    EXPECT_EQ(a.documents[i].id, b.documents[i].id);
  ASSERT_EQ(a.pairs.size(), b.pairs.size());
  for (std::size_t i = 0; i < a.pairs.size(); ++i) {
    EXPECT_EQ(a.pairs[i].a, b.pairs[i].a);
    EXPECT_EQ(a.pairs[i].b, b.pairs[i].b);
    EXPECT_EQ(a.pairs[i].shared, b.pairs[i].shared);
  }
  EXPECT_EQ(a.cluster_of, b.cluster_of);
}

TEST(Dedup, InvalidConfigIsRejected) {
  dedup_config cfg;
  cfg.lsh = {40, 4}; // 160 > 128 slots
  auto reader = corpus_reader::open({data + "/mini"});
  ASSERT_TRUE(reader);
  diagnostics diag;
  auto r = run_dedup(*reader, cfg, diag);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, errc::invalid_argument);
}

TEST(Dedup, SeedArticles) {
  const std::string seeds = std::string(COPYDESK_SOURCE_DIR) + "/../shared/corpora/seeds";
  if (!std::filesystem::is_directory(seeds))
    GTEST_SKIP() << "shared seed corpus not present";
  const dedup_result r = run({seeds});
  ASSERT_EQ(r.documents.size(), 5u);
  const duplicate_pair* p = find_pair(r, "000_c90e9a87c354ed49.txt", "001_897ea59156dc2a13.txt");
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->kind, pair_kind::contained);
  EXPECT_GE(p->b_in_a, 0.9);           // 001 inside 000
  EXPECT_NEAR(p->jaccard, 0.43, 0.05); // low Jaccard because of page furniture
  for (std::size_t d = 2; d < 5; ++d)
    EXPECT_EQ(r.cluster_of[d], -1) << r.documents[d].id;
}

TEST(Containment, CandidatesNeedSharedFingerprints) {
  fingerprint_table t;
  // doc 0: {1..10}; doc 1: {1..8, 100, 101} (8/10 shared); doc 2: {50..59}; doc 3: {1} (tiny).
  auto add = [&](std::vector<std::uint32_t> f) {
    t.fps.insert(t.fps.end(), f.begin(), f.end());
    t.offsets.push_back(t.fps.size());
  };
  add({1, 2, 3, 4, 5, 6, 7, 8, 9, 10});
  add({1, 2, 3, 4, 5, 6, 7, 8, 100, 101});
  add({50, 51, 52, 53, 54, 55, 56, 57, 58, 59});
  add({1});
  containment_params p;
  const auto c = containment_candidates(t, p, 2);
  EXPECT_EQ(c, (std::vector<candidate_pair>{{0, 1}, {0, 3}, {1, 3}}));
  p.max_df = 2; // fingerprint 1 is in 3 documents: ignored, so doc 3 has no usable sample
  const auto c2 = containment_candidates(t, p, 1);
  EXPECT_EQ(c2, (std::vector<candidate_pair>{{0, 1}}));
}

TEST(Containment, WinnowingEqualsBruteForceWindowMinima) {
  std::mt19937_64 rng(5);
  for (const std::uint32_t w : {1u, 2u, 7u, 15u, 64u}) {
    for (const std::size_t n : {std::size_t{0}, std::size_t{1}, std::size_t{5}, std::size_t{15},
                                std::size_t{16}, std::size_t{100}, std::size_t{1000}}) {
      std::vector<hash64> h(n);
      for (auto& x : h)
        x = rng() % 64 == 0 ? h[0] : rng(); // a few repeats, so ties occur
      std::vector<std::uint32_t> want;
      const std::size_t win = std::min<std::size_t>(w, n);
      for (std::size_t i = 0; n > 0 && i + win <= n; ++i) {
        std::uint32_t m = fingerprint(h[i]);
        for (std::size_t j = i; j < i + win; ++j)
          m = std::min(m, fingerprint(h[j]));
        if (want.empty() || want.back() != m)
          want.push_back(m);
      }
      std::vector<std::uint32_t> got{7}; // appends after what is there
      winnow(h, w, got);
      got.erase(got.begin());
      EXPECT_EQ(got, want) << "w=" << w << " n=" << n;
    }
  }
}

TEST(Containment, ATextInsideAnotherKeepsEveryFingerprint) {
  // Winnowing picks window minima by value, so a text that occurs inside another has all its
  // fingerprints there too, whatever its length (>= the window) and position. 2,000 trials.
  std::mt19937_64 rng(6);
  std::vector<hash64> big(3000);
  for (auto& x : big)
    x = rng();
  std::vector<std::uint32_t> big_fps;
  winnow(big, defaults::winnow_window, big_fps);
  std::sort(big_fps.begin(), big_fps.end());
  for (int trial = 0; trial < 2000; ++trial) {
    const std::size_t len = defaults::winnow_window + rng() % 60;
    const std::size_t at = rng() % (big.size() - len);
    std::vector<std::uint32_t> fps;
    winnow(std::span<const hash64>(big).subspan(at, len), defaults::winnow_window, fps);
    ASSERT_FALSE(fps.empty());
    for (const std::uint32_t f : fps)
      ASSERT_TRUE(std::binary_search(big_fps.begin(), big_fps.end(), f))
          << "trial " << trial << ": " << len << " shingles at " << at;
  }
}

TEST(Dedup, EveryShortBriefInsideALongArticleIsFound) {
  // 100 briefs of 19-30 words (15-26 shingles), each inside a 1,500-word article: Jaccard about
  // 0.015, so only the containment index can find them. With a random 1-in-8 sample, a 20-word
  // brief had no fingerprint about once in 8; winnowing finds every one.
  std::mt19937_64 rng(7);
  auto words = [&](std::size_t n) { return random_words(rng, n, 100000); };
  std::vector<document> docs;
  for (int i = 0; i < 100; ++i) {
    const std::string brief = words(19 + rng() % 12);
    const std::size_t before = rng() % 1500;
    docs.push_back(document{"brief-" + std::to_string(i), brief, {}, 0, {}});
    docs.push_back(document{
        "article-" + std::to_string(i), words(before) + brief + words(1500 - before), {}, 0, {}});
  }
  diagnostics diag;
  auto r = run_dedup(std::span<const document>(docs), dedup_config{}, diag);
  ASSERT_TRUE(r) << r.error().message;
  std::size_t found = 0;
  for (int i = 0; i < 100; ++i) {
    const duplicate_pair* p =
        find_pair(*r, "article-" + std::to_string(i), "brief-" + std::to_string(i));
    if (p != nullptr && p->kind == pair_kind::contained && p->b_in_a == 1.0)
      ++found;
  }
  EXPECT_EQ(found, 100u);
  EXPECT_EQ(r->pairs.size(), 100u); // and nothing else
}

TEST(Cluster, ConnectedComponentsAreSortedAndSkipSingletons) {
  const std::vector<scored_pair> pairs{{4, 5, 1.0}, {0, 2, 1.0}, {2, 3, 1.0}};
  const auto c = connected_components(7, pairs);
  ASSERT_EQ(c.size(), 2u);
  EXPECT_EQ(c[0], (std::vector<std::uint32_t>{0, 2, 3}));
  EXPECT_EQ(c[1], (std::vector<std::uint32_t>{4, 5}));
}

// issue 19 item 1: bands x rows was checked in 32-bit arithmetic, so 65536 x 65536 wrapped to 0,
// passed, and LSH read past the signatures; 2^31 x 2 wrapped too and ran out of memory.
TEST(Regression, LshBandsTimesRowsIsCheckedIn64Bits) {
  for (const lsh_params p : {lsh_params{65536, 65536}, lsh_params{2147483648u, 2},
                             lsh_params{4294967295u, 4294967295u}}) {
    dedup_config cfg;
    cfg.lsh = p;
    const auto v = cfg.validate();
    ASSERT_FALSE(v) << p.bands << " x " << p.rows;
    EXPECT_EQ(v.error().code, errc::invalid_argument);
  }
  dedup_config cfg;
  cfg.lsh = {65536, 65536};
  EXPECT_EQ(cfg.validate().error().message,
            "LSH bands x rows (65536 x 65536 = 4294967296) exceeds the number of MinHash slots "
            "(128)");
  cfg.lsh = {16, 8}; // exactly 128 slots
  EXPECT_TRUE(cfg.validate());
}

// The phases of a dedup run, each on its own (src/lib/dedup/phases.hpp).
namespace {

// A "shingle set": sorted, unique hashes.
std::vector<hash64> set_of(std::initializer_list<hash64> v) { return std::vector<hash64>(v); }

} // namespace

TEST(DedupPhases, VerifyScoresExactlyAndKeepsWhatQualifies) {
  std::vector<std::vector<hash64>> sets = {
      set_of({1, 2, 3, 4, 5}),                 // 0
      set_of({1, 2, 3, 4, 5}),                 // 1: identical to 0
      set_of({1, 2, 3, 4, 5, 6}),              // 2: Jaccard 5/6 with 0
      set_of({1, 2, 3, 4, 5, 6, 7, 8, 9, 10}), // 3: holds all of 0, Jaccard 1/2
      set_of({1, 20, 30, 40, 50}),             // 4: shares one shingle with 0
      {},                                      // 5: empty
  };
  dedup_config cfg;
  cfg.threshold = 0.8;
  cfg.containment.threshold = 0.8;
  const std::vector<candidate_pair> pairs = {{0, 1}, {0, 2}, {0, 3}, {0, 4}, {0, 5}};
  const std::vector<duplicate_pair> kept = detail::verify_pairs(pairs, sets, cfg);
  ASSERT_EQ(kept.size(), 3u);
  EXPECT_EQ(kept[0].b, 1u);
  EXPECT_EQ(kept[0].kind, pair_kind::exact);
  EXPECT_EQ(kept[0].shared, 5u);
  EXPECT_DOUBLE_EQ(kept[0].jaccard, 1.0);
  EXPECT_EQ(kept[1].b, 2u);
  EXPECT_EQ(kept[1].kind, pair_kind::near);
  EXPECT_DOUBLE_EQ(kept[1].jaccard, 5.0 / 6.0);
  EXPECT_DOUBLE_EQ(kept[1].a_in_b, 1.0);
  EXPECT_DOUBLE_EQ(kept[1].b_in_a, 5.0 / 6.0);
  EXPECT_EQ(kept[2].b, 3u);
  EXPECT_EQ(kept[2].kind, pair_kind::contained);
  EXPECT_DOUBLE_EQ(kept[2].jaccard, 0.5);
  EXPECT_DOUBLE_EQ(kept[2].a_in_b, 1.0);
  EXPECT_DOUBLE_EQ(kept[2].b_in_a, 0.5);

  // Without containment the contained pair goes.
  cfg.find_contained = false;
  EXPECT_EQ(detail::verify_pairs(pairs, sets, cfg).size(), 2u);
}

TEST(DedupPhases, CompletionProposesMissingPairsOfSmallClustersOnly) {
  // 0-1 and 1-2 verified: the cluster {0, 1, 2} lacks 0-2; {3, 4, 5, 6} is over the limit of 3.
  std::vector<duplicate_pair> pairs(5);
  pairs[0].a = 0, pairs[0].b = 1;
  pairs[1].a = 1, pairs[1].b = 2;
  pairs[2].a = 3, pairs[2].b = 4;
  pairs[3].a = 4, pairs[3].b = 5;
  pairs[4].a = 5, pairs[4].b = 6;
  const std::vector<candidate_pair> proposed = {{0, 1}, {1, 2}, {3, 4}, {4, 5}, {5, 6}};
  EXPECT_EQ(detail::completion_candidates(7, pairs, proposed, 3),
            (std::vector<candidate_pair>{{0, 2}}));
  EXPECT_EQ(detail::completion_candidates(7, pairs, proposed, 4),
            (std::vector<candidate_pair>{{0, 2}, {3, 5}, {3, 6}, {4, 6}}));
  EXPECT_EQ(detail::documents_in(proposed), (std::vector<doc_index>{0, 1, 2, 3, 4, 5, 6}));
}

TEST(DedupPhases, ClustersTakeTheBestConnectedMemberAndTheLoosestKind) {
  dedup_result res;
  res.documents.resize(6);
  const std::uint32_t tokens[] = {10, 50, 20, 30, 30, 5};
  for (std::size_t i = 0; i < 6; ++i)
    res.documents[i].tokens = tokens[i];
  auto pair = [](doc_index a, doc_index b, pair_kind k) {
    duplicate_pair p;
    p.a = a;
    p.b = b;
    p.kind = k;
    return p;
  };
  // {0, 1, 2}: 2 is in both pairs. {3, 4}: a tie in pairs and tokens goes to the smaller id.
  res.pairs = {pair(0, 2, pair_kind::exact), pair(1, 2, pair_kind::contained),
               pair(3, 4, pair_kind::near)};
  detail::build_clusters(res);
  ASSERT_EQ(res.clusters.size(), 2u);
  EXPECT_EQ(res.clusters[0].members, (std::vector<doc_index>{0, 1, 2}));
  EXPECT_EQ(res.clusters[0].representative, 2u);
  EXPECT_EQ(res.clusters[0].kind, pair_kind::contained);
  EXPECT_EQ(res.clusters[1].members, (std::vector<doc_index>{3, 4}));
  EXPECT_EQ(res.clusters[1].representative, 3u);
  EXPECT_EQ(res.clusters[1].kind, pair_kind::near);
  EXPECT_EQ(res.cluster_of, (std::vector<std::int32_t>{0, 0, 0, 1, 1, -1}));
}

TEST(DedupPhases, SketchOrdersDocumentsByIdWhateverTheInputOrder) {
  std::vector<std::vector<document>> batches(2);
  auto doc = [](std::string id, std::string text) {
    document d;
    d.id = std::move(id);
    d.text = std::move(text);
    return d;
  };
  batches[0].push_back(doc("c", "one two three four five six"));
  batches[0].push_back(doc("a", ""));
  batches[1].push_back(doc("b", "one two three four five six seven"));
  std::size_t at = 0;
  document_source source;
  source.next_batch = [&](diagnostics&) -> result<std::vector<document>> {
    return at < batches.size() ? std::move(batches[at++]) : std::vector<document>{};
  };
  dedup_config cfg;
  cfg.threads = 2;
  diagnostics diag;
  auto c = detail::sketch_corpus(source, cfg, diag, {});
  ASSERT_TRUE(c.has_value());
  ASSERT_EQ(c->documents.size(), 3u);
  EXPECT_EQ(c->documents[0].id, "a");
  EXPECT_EQ(c->documents[1].id, "b");
  EXPECT_EQ(c->documents[2].id, "c");
  EXPECT_EQ(c->documents[1].tokens, 7u);
  EXPECT_EQ(c->documents[2].tokens, 6u);
  EXPECT_EQ(c->skip, (std::vector<bool>{true, false, false}));
  EXPECT_EQ(c->slots.size(), 3u * cfg.minhash.num_perm);
  EXPECT_EQ(c->fingerprints.offsets.size(), 4u);
  // The empty document is never a candidate; the LSH layout used is the config's.
  dedup_stats stats;
  for (const candidate_pair& p : detail::find_candidates(*c, cfg, stats))
    EXPECT_NE(p.a, 0u);
  EXPECT_EQ(stats.lsh.bands, cfg.effective_lsh().bands);
  EXPECT_EQ(stats.lsh.rows, cfg.effective_lsh().rows);
}
