// Pipeline façade tests (run_pipeline, as `copydesk report` runs it): one read feeding every
// stage, alignment inside stories, verdicts, self-repetition, bad input, determinism across
// threads and input order, on documents in memory, on the fixture corpus, and on the newsroom
// and seed corpora.
#include <copydesk/pipeline.hpp>
#include <copydesk/writers.hpp>

#include <gtest/gtest.h>

#include "pipeline/phases.hpp"
#include "report_fixture.hpp"
#include "temp_dir.hpp"

#include <algorithm>
#include <filesystem>
#include <map>
#include <random>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using namespace copydesk;
using test_util::json_of;
using test_util::read_docs;
using test_util::run_on;

namespace {

const std::string& fixture = test_util::report_fixture;

std::map<std::string, doc_index> index_of(const pipeline_result& r) {
  std::map<std::string, doc_index> m;
  for (doc_index d = 0; d < r.documents.size(); ++d)
    m[r.documents[d].id] = d;
  return m;
}

const source_share* source(const pipeline_result& r, doc_index copy, doc_index ref) {
  for (const source_share& s : r.borrow[copy].sources) {
    if (s.reference == ref)
      return &s;
  }
  return nullptr;
}

// "PREFIX1 PREFIX2 ... PREFIXn": n distinct words.
std::string words(const std::string& prefix, int from, int to) {
  std::string s;
  for (int i = from; i <= to; ++i)
    s += (s.empty() ? "" : " ") + prefix + std::to_string(i);
  return s;
}

document doc(std::string id, std::string text) {
  document d;
  d.id = std::move(id);
  d.text = std::move(text);
  return d;
}

} // namespace

// Three documents in memory, given out of id order: "wire" (40 distinct words), "longer" (the
// wire's 40 words and 10 more) and "other" (30 words of its own). Word 5-shingles: the wire has
// 36, the longer text 46, all 36 of the wire's among them, so Jaccard 36/46 (below 0.8) and the
// wire is contained in it (36/36 >= 0.8): one contained pair. Borrowing inside their story: the
// longer text's 40 of 50 words come from the wire (0.8), the wire's 40 of 40 from it (1.0).
TEST(Pipeline, InMemoryDocumentsGiveExactResults) {
  std::vector<document> docs;
  docs.push_back(doc("wire", words("river", 1, 40)));
  docs.push_back(doc("other", words("festival", 1, 30)));
  docs.push_back(doc("longer", words("river", 1, 40) + " " + words("bridge", 1, 10)));
  pipeline_config cfg;
  cfg.threads = 2;
  diagnostics diag;
  auto res = run_pipeline(std::move(docs), cfg, diag);
  ASSERT_TRUE(res.has_value()) << res.error().message;
  const pipeline_result& r = *res;
  ASSERT_EQ(r.documents.size(), 3u);
  // Sorted by id: longer, other, wire.
  EXPECT_EQ(r.documents[0].id, "longer");
  EXPECT_EQ(r.documents[1].id, "other");
  EXPECT_EQ(r.documents[2].id, "wire");
  EXPECT_EQ(r.documents[0].tokens, 50u);
  EXPECT_EQ(r.documents[1].tokens, 30u);
  EXPECT_EQ(r.documents[2].tokens, 40u);
  EXPECT_TRUE(r.diagnostics.empty());

  ASSERT_EQ(r.dedup.pairs.size(), 1u);
  const duplicate_pair& p = r.dedup.pairs[0];
  EXPECT_EQ(p.a, 0u);
  EXPECT_EQ(p.b, 2u);
  EXPECT_EQ(p.kind, pair_kind::contained);
  EXPECT_EQ(p.shared, 36u);
  EXPECT_DOUBLE_EQ(p.jaccard, 36.0 / 46.0);
  EXPECT_DOUBLE_EQ(p.a_in_b, 36.0 / 46.0);
  EXPECT_DOUBLE_EQ(p.b_in_a, 1.0);
  ASSERT_EQ(r.dedup.clusters.size(), 1u);
  EXPECT_EQ(r.dedup.clusters[0].members, (std::vector<doc_index>{0, 2}));
  EXPECT_EQ(r.dedup.cluster_of, (std::vector<std::int32_t>{0, -1, 0}));

  // Stories: the two river texts together, the festival alone.
  ASSERT_EQ(r.stories.groups.size(), 2u);
  EXPECT_EQ(r.stories.groups[0].members, (std::vector<doc_index>{0, 2}));
  EXPECT_EQ(r.stories.groups[1].members, (std::vector<doc_index>{1}));
  EXPECT_EQ(r.stories.group_of, (std::vector<std::int32_t>{0, 1, 0}));

  // Borrowing: one passage each way over the wire's 40 words.
  const source_share* from_wire = source(r, 0, 2);
  ASSERT_NE(from_wire, nullptr);
  ASSERT_EQ(from_wire->passages.size(), 1u);
  EXPECT_EQ(from_wire->copy_tokens, 40u);
  EXPECT_EQ(from_wire->longest, 40u);
  EXPECT_DOUBLE_EQ(from_wire->borrowed, 0.8);
  EXPECT_DOUBLE_EQ(from_wire->reused, 1.0);
  EXPECT_DOUBLE_EQ(r.borrow[0].borrowed, 0.8);
  EXPECT_DOUBLE_EQ(r.borrow[2].borrowed, 1.0);
  EXPECT_TRUE(r.borrow[1].sources.empty());
  EXPECT_EQ(r.compared, (std::vector<char>{1, 0, 1}));
  EXPECT_EQ(r.verdicts,
            (std::vector<verdict>{verdict::duplicate, verdict::none, verdict::duplicate}));
  EXPECT_TRUE(r.self_repeating.empty());
  EXPECT_EQ(r.stats.compared, 2u);
  EXPECT_EQ(r.stats.alignment_sets, 1u);
}

TEST(Pipeline, FixtureStoryVerdictsAndShares) {
  const pipeline_result r = run_on({fixture});
  auto at = index_of(r);
  ASSERT_EQ(r.documents.size(), 9u);
  const doc_index wire = at["wire.txt"], page = at["page.txt"], rewrite = at["rewrite.txt"],
                  indep = at["independent.txt"], twice = at["twice.txt"], notice = at["notice.txt"],
                  copy = at["notice-copy.txt"], empty = at["empty.txt"], blob = at["blob.bin"];

  // Dedup: the wire inside the page, the two notices near-duplicates.
  ASSERT_EQ(r.dedup.clusters.size(), 2u);
  EXPECT_EQ(r.dedup.cluster_of[wire], r.dedup.cluster_of[page]);
  EXPECT_EQ(r.dedup.cluster_of[notice], r.dedup.cluster_of[copy]);
  EXPECT_EQ(r.dedup.cluster_of[rewrite], -1);
  EXPECT_EQ(r.dedup.cluster_of[indep], -1);

  // Stories: the bridge story has four documents, the notices two, the festival stands alone.
  const std::int32_t bridge = r.stories.group_of[wire];
  ASSERT_GE(bridge, 0);
  EXPECT_EQ(r.stories.group_of[page], bridge);
  EXPECT_EQ(r.stories.group_of[rewrite], bridge);
  EXPECT_EQ(r.stories.group_of[indep], bridge);
  EXPECT_NE(r.stories.group_of[twice], bridge);
  EXPECT_EQ(r.stories.group_of[empty], -1);
  EXPECT_EQ(r.stories.group_of[blob], -1);

  // Borrowing inside the story: the rewrite quotes the engineer (one 26-word passage), found in
  // both the wire and the page; the independent report shares nothing.
  const source_share* q = source(r, rewrite, wire);
  ASSERT_NE(q, nullptr);
  EXPECT_EQ(q->passages.size(), 1u);
  EXPECT_GE(q->longest, 20u);
  ASSERT_NE(source(r, rewrite, page), nullptr);
  EXPECT_EQ(source(r, rewrite, page)->copy_tokens, q->copy_tokens);
  EXPECT_TRUE(r.borrow[indep].sources.empty());
  const source_share* w = source(r, wire, page);
  ASSERT_NE(w, nullptr);
  EXPECT_DOUBLE_EQ(w->borrowed, 1.0);

  EXPECT_EQ(r.verdicts[wire], verdict::duplicate);
  EXPECT_EQ(r.verdicts[page], verdict::duplicate);
  // The rewrite shares the wire's quotation, not its prose (issue 16).
  EXPECT_EQ(r.verdicts[rewrite], verdict::shares_quotes);
  EXPECT_GT(q->passages[0].quoted, q->passages[0].copy_tokens() / 2);
  EXPECT_EQ(r.verdicts[indep], verdict::own_words);
  EXPECT_EQ(r.verdicts[twice], verdict::none);
  EXPECT_EQ(r.verdicts[empty], verdict::none);

  // Self-repetition: the festival piece printed twice, nothing else.
  ASSERT_EQ(r.self_repeating.size(), 1u);
  EXPECT_EQ(r.self_repeating[0], twice);
  EXPECT_GT(r.borrow[twice].self_repeated, 0.9);

  // Bad input is reported, not dropped.
  EXPECT_EQ(r.documents[blob].error, "binary file skipped");
  EXPECT_EQ(r.documents[empty].tokens, 0u);
  ASSERT_EQ(r.diagnostics.size(), 1u);
  EXPECT_EQ(r.diagnostics[0].message, "binary file skipped");
  EXPECT_EQ(r.texts.size(), r.documents.size());
}

TEST(Pipeline, SharesAreBoundedAndTokensAgreeAcrossStages) {
  const pipeline_result r = run_on({fixture});
  for (doc_index d = 0; d < r.documents.size(); ++d) {
    hashed_text h;
    hash_text(r.texts[d], r.config.borrow.hash_seed, h);
    EXPECT_EQ(h.size(), r.documents[d].tokens) << r.documents[d].id;
    EXPECT_EQ(r.stories.documents[d].tokens, r.documents[d].tokens) << r.documents[d].id;
    const copy_result& b = r.borrow[d];
    EXPECT_GE(b.borrowed, 0.0);
    EXPECT_LE(b.borrowed, 1.0);
    double most = 0.0;
    for (const source_share& s : b.sources) {
      EXPECT_NE(s.reference, d);
      EXPECT_LE(s.borrowed, 1.0);
      EXPECT_LE(s.reused, 1.0);
      most = std::max(most, s.borrowed);
      for (const passage& p : s.passages) {
        EXPECT_EQ(p.reference, s.reference);
        EXPECT_LE(p.copy_bytes.end, r.texts[d].size());
        EXPECT_LE(p.ref_bytes.end, r.texts[s.reference].size());
      }
    }
    // The total counts each word once: at least the largest source, at most their sum.
    EXPECT_GE(b.borrowed + 1e-12, most);
  }
}

TEST(Pipeline, InMemoryDedupMatchesStreamingDedup) {
  auto reader = corpus_reader::open({fixture});
  ASSERT_TRUE(reader.has_value());
  diagnostics diag;
  auto streamed = run_dedup(*reader, dedup_config{}, diag);
  ASSERT_TRUE(streamed.has_value());
  const std::vector<document> docs = read_docs(fixture);
  auto in_memory = run_dedup(std::span<const document>(docs), dedup_config{}, diag);
  ASSERT_TRUE(in_memory.has_value());
  ASSERT_EQ(in_memory->pairs.size(), streamed->pairs.size());
  for (std::size_t i = 0; i < streamed->pairs.size(); ++i) {
    EXPECT_EQ(in_memory->pairs[i].a, streamed->pairs[i].a);
    EXPECT_EQ(in_memory->pairs[i].b, streamed->pairs[i].b);
    EXPECT_EQ(in_memory->pairs[i].shared, streamed->pairs[i].shared);
  }
  EXPECT_EQ(in_memory->cluster_of, streamed->cluster_of);

  std::vector<document> twice = docs;
  twice.push_back(docs.front());
  auto dup = run_dedup(std::span<const document>(twice), dedup_config{}, diag);
  ASSERT_FALSE(dup.has_value());
  EXPECT_EQ(dup.error().code, errc::duplicate_id);
}

TEST(Pipeline, OutputIdenticalForAnyThreadCountAndInputOrder) {
  const pipeline_result one = run_on({fixture}, 1);
  const pipeline_result four = run_on({fixture}, 4);
  EXPECT_EQ(json_of(one), json_of(four));
  EXPECT_EQ(render_html(one), render_html(four));
  EXPECT_EQ(*render_string(one, output_format::table), *render_string(four, output_format::table));

  std::vector<document> docs = read_docs(fixture);
  std::mt19937 rng(7);
  std::shuffle(docs.begin(), docs.end(), rng);
  pipeline_config cfg;
  cfg.threads = 3;
  diagnostics diag;
  auto shuffled = run_pipeline(std::move(docs), cfg, diag);
  ASSERT_TRUE(shuffled.has_value());
  // The in-memory run has no reader diagnostics; everything else must match.
  pipeline_result expected = run_on({fixture}, 2);
  expected.diagnostics.clear();
  EXPECT_EQ(json_of(*shuffled), json_of(expected));
}

TEST(Pipeline, LargeSetsAreAlignedJointly) {
  // With pairwise_max below the story size, each region goes to one source: the rewrite's quote
  // (in the wire and in the page) goes to the wire, the document with fewer words.
  pipeline_config cfg;
  cfg.pairwise_max = 2;
  const pipeline_result r = run_on({fixture}, 2, cfg);
  auto at = index_of(r);
  const copy_result& b = r.borrow[at["rewrite.txt"]];
  ASSERT_EQ(b.sources.size(), 1u);
  EXPECT_EQ(b.sources[0].reference, at["wire.txt"]);
  EXPECT_EQ(r.verdicts[at["rewrite.txt"]], verdict::shares_quotes); // its passage is a quotation
}

TEST(Pipeline, BadConfigAndDuplicateIds) {
  pipeline_config cfg;
  cfg.self_repeat_share = 0.0;
  EXPECT_FALSE(cfg.validate().has_value());
  cfg = {};
  cfg.copy_share = 1.5;
  EXPECT_FALSE(cfg.validate().has_value());
  cfg = {};
  cfg.borrow.min_tokens = 1; // below the seed width
  EXPECT_FALSE(cfg.validate().has_value());
  cfg = {};
  cfg.dedup.threshold = 0.0;
  diagnostics diag;
  auto bad = run_pipeline(std::vector<document>{}, cfg, diag);
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().code, errc::invalid_argument);

  std::vector<document> docs(2);
  docs[0].id = docs[1].id = "same";
  docs[0].text = docs[1].text = "one two three four five six";
  auto dup = run_pipeline(std::move(docs), pipeline_config{}, diag);
  ASSERT_FALSE(dup.has_value());
  EXPECT_EQ(dup.error().code, errc::duplicate_id);
}

TEST(Pipeline, EmptyCorpusAndEmptyDocuments) {
  diagnostics diag;
  auto none = run_pipeline(std::vector<document>{}, pipeline_config{}, diag);
  ASSERT_TRUE(none.has_value());
  EXPECT_TRUE(none->documents.empty());
  EXPECT_NE(render_html(*none).find("copydesk report"), std::string::npos);
  ASSERT_TRUE(render_string(*none, output_format::json).has_value());

  std::vector<document> docs(2);
  docs[0].id = "a";
  docs[1].id = "b";
  docs[1].text = "   \n\t ";
  auto blank = run_pipeline(std::move(docs), pipeline_config{}, diag);
  ASSERT_TRUE(blank.has_value());
  ASSERT_EQ(blank->documents.size(), 2u);
  for (doc_index d = 0; d < 2; ++d) {
    EXPECT_EQ(blank->documents[d].tokens, 0u);
    EXPECT_EQ(blank->verdicts[d], verdict::none);
    EXPECT_EQ(blank->stories.group_of[d], -1);
  }
}

TEST(Pipeline, ProgressReportsEveryStageInOrder) {
  auto reader = corpus_reader::open({fixture});
  ASSERT_TRUE(reader.has_value());
  diagnostics diag;
  std::vector<std::string> finished;
  std::uint64_t last_done = 0;
  std::string last_stage;
  auto r = run_pipeline(*reader, pipeline_config{}, diag, [&](const progress_event& e) {
    if (std::string(e.stage) != last_stage) {
      last_stage = std::string(e.stage);
      last_done = 0;
    }
    EXPECT_GE(e.done, last_done) << e.stage;
    last_done = e.done;
    if (e.total != 0) {
      EXPECT_LE(e.done, e.total) << e.stage;
    }
    if (e.finished)
      finished.emplace_back(e.stage);
  });
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(finished, (std::vector<std::string>{"read", "dedup", "stories", "borrow"}));
}

TEST(Corpora, NewsroomMatchesItsExpectations) {
  const std::string dir = std::string(COPYDESK_SOURCE_DIR) + "/corpora/newsroom";
  ASSERT_TRUE(fs::exists(dir)) << "committed corpus missing: " << dir;
  const pipeline_result r = run_on({dir}, 2);
  auto at = index_of(r);
  EXPECT_EQ(r.verdicts[at["wire-water-alert.txt"]], verdict::duplicate);
  EXPECT_EQ(r.verdicts[at["outlet-a-water-alert.txt"]], verdict::duplicate);
  EXPECT_EQ(r.verdicts[at["outlet-b-water-alert.txt"]], verdict::duplicate);
  // outlet-c shares the wire's quotations only (issue 16: "shares quotes", not "borrows").
  EXPECT_EQ(r.verdicts[at["outlet-c-water-alert.txt"]], verdict::shares_quotes);
  EXPECT_LT(r.borrow[at["outlet-c-water-alert.txt"]].borrowed_prose, 0.05);
  EXPECT_GT(r.borrow[at["outlet-c-water-alert.txt"]].borrowed, 0.10);
  EXPECT_EQ(r.verdicts[at["outlet-d-water-alert.txt"]], verdict::own_words);
  EXPECT_EQ(r.verdicts[at["outlet-e-water-alert.txt"]], verdict::own_words);
  EXPECT_EQ(r.verdicts[at["other-museum-reopening.txt"]], verdict::duplicate);
  EXPECT_EQ(r.verdicts[at["other-sewage-beaches.txt"]], verdict::none);
  ASSERT_EQ(r.self_repeating.size(), 1u);
  EXPECT_EQ(r.documents[r.self_repeating[0]].id, "outlet-e-water-alert.txt");
  // outlet-c takes its quotes from the wire text (also carried by outlet-a and outlet-b).
  const source_share* c = source(r, at["outlet-c-water-alert.txt"], at["wire-water-alert.txt"]);
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->passages.size(), 3u);
}

TEST(Corpora, SeedsShowTheStoryAtAGlance) {
  const std::string dir = std::string(COPYDESK_SOURCE_DIR) + "/../shared/corpora/seeds";
  if (!fs::exists(dir))
    GTEST_SKIP() << "../shared/corpora/seeds not found";
  const pipeline_result r = run_on({dir}, 2);
  ASSERT_EQ(r.documents.size(), 5u);
  auto find = [&](const char* prefix) {
    for (doc_index d = 0; d < r.documents.size(); ++d) {
      if (r.documents[d].id.rfind(prefix, 0) == 0)
        return d;
    }
    ADD_FAILURE() << prefix;
    return doc_index{0};
  };
  const doc_index s0 = find("000"), s1 = find("001"), s2 = find("002"), s3 = find("003"),
                  s4 = find("004");
  // One story of four articles, 004 apart.
  const std::int32_t g = r.stories.group_of[s0];
  for (const doc_index d : {s1, s2, s3})
    EXPECT_EQ(r.stories.group_of[d], g);
  EXPECT_NE(r.stories.group_of[s4], g);
  // 001 contained in 000.
  ASSERT_EQ(r.dedup.pairs.size(), 1u);
  EXPECT_EQ(r.dedup.pairs[0].kind, pair_kind::contained);
  EXPECT_GT(r.dedup.pairs[0].b_in_a, 0.9);
  EXPECT_EQ(r.verdicts[s1], verdict::duplicate);
  // 003 quotes 001 (a few percent; the Eddie Wu quote is most of it), and its headline names 001
  // first.
  EXPECT_EQ(r.verdicts[s3], verdict::shares_quotes);
  const source_share* q = source(r, s3, s1);
  ASSERT_NE(q, nullptr);
  EXPECT_GT(q->borrowed, 0.02);
  EXPECT_LT(q->borrowed, 0.08);
  const std::string table = *render_string(r, output_format::table);
  EXPECT_NE(table.find("SHARES QUOTES: shares quotes with " + r.documents[s1].id),
            std::string::npos);
  // 002 in its own words, 004 repeats itself.
  EXPECT_EQ(r.verdicts[s2], verdict::own_words);
  ASSERT_EQ(r.self_repeating.size(), 1u);
  EXPECT_EQ(r.self_repeating[0], s4);
  EXPECT_GT(r.borrow[s4].self_repeated, 0.7);
}

// issue 19 item 9: the report's diagnostics followed input order, so the same files given in
// another order gave different JSON. They are sorted by file, line and message now.
TEST(Regression, DiagnosticsDoNotDependOnInputOrder) {
  const test_util::temp_dir dir;
  const std::string nul = dir.write("nul.txt", std::string("a\0b", 3));
  const std::string bad = dir.write("bad.txt", "caf\xe9 ol\xe9 words enough to make a text");
  const pipeline_result ab = run_on({nul, bad});
  const pipeline_result ba = run_on({bad, nul});
  ASSERT_EQ(ab.diagnostics.size(), 2u);
  EXPECT_EQ(ab.diagnostics[0].origin, bad);
  EXPECT_EQ(ab.diagnostics[1].origin, nul);
  EXPECT_EQ(json_of(ab), json_of(ba));
  // Lines compare as numbers: line 9 before line 10.
  std::string jsonl;
  for (int i = 1; i <= 10; ++i)
    jsonl += i == 9 || i == 10 ? "{\"text\": 2}\n"
                               : "{\"id\": \"x" + std::to_string(i) + "\", \"text\": \"t\"}\n";
  const std::string lines = dir.write("lines.jsonl", jsonl);
  pipeline_config cfg;
  cfg.threads = 1;
  read_options ro;
  ro.skip_bad = true;
  auto reader = corpus_reader::open({lines}, ro);
  ASSERT_TRUE(reader);
  diagnostics diag;
  auto r = run_pipeline(*reader, cfg, diag);
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_EQ(r->diagnostics.size(), 2u);
  EXPECT_EQ(r->diagnostics[0].origin, lines + ":9");
  EXPECT_EQ(r->diagnostics[1].origin, lines + ":10");
}

// The phases of the façade, each on its own (src/lib/pipeline/phases.hpp).
TEST(PipelinePhases, OrderByIdSortsAndNamesARepeatedId) {
  std::vector<document> docs;
  docs.push_back(doc("b", "two"));
  docs.push_back(doc("a", "one"));
  docs.push_back(doc("c", "three"));
  ASSERT_TRUE(detail::order_by_id(docs).has_value());
  EXPECT_EQ(docs[0].id + docs[1].id + docs[2].id, "abc");
  EXPECT_EQ(docs[0].text, "one");
  docs.push_back(doc("b", "again"));
  auto twice = detail::order_by_id(docs);
  ASSERT_FALSE(twice.has_value());
  EXPECT_EQ(twice.error().code, errc::duplicate_id);
  EXPECT_EQ(twice.error().message, "duplicate document id \"b\"");
}

// With a reader, release() drops the texts and each one is read again from its file, byte for
// byte; a document with an error keeps what it has. Without a reader nothing is dropped.
TEST(PipelinePhases, TextsAreReadAgainFromTheirOriginAfterRelease) {
  const test_util::temp_dir dir;
  dir.write("a.txt", "Alpha words, then more.\n");
  dir.write("b.txt", "Beta words.\r\nSecond line.");
  auto reader = corpus_reader::open({dir.path.string()});
  ASSERT_TRUE(reader.has_value()) << reader.error().message;
  diagnostics diag;
  auto read = read_all(*reader, diag);
  ASSERT_TRUE(read.has_value());
  std::vector<document> docs = std::move(*read);
  ASSERT_TRUE(detail::order_by_id(docs).has_value());
  ASSERT_EQ(docs.size(), 2u);
  const std::vector<std::string> original = {docs[0].text, docs[1].text};
  EXPECT_EQ(original[1], "Beta words.\r\nSecond line.");

  detail::corpus_texts texts(docs, &*reader);
  EXPECT_FALSE(texts.in_memory());
  texts.release();
  EXPECT_TRUE(docs[0].text.empty());
  EXPECT_TRUE(docs[1].text.empty());
  for (std::size_t d = 0; d < 2; ++d) {
    auto t = texts.text(d);
    ASSERT_TRUE(t.has_value());
    EXPECT_EQ(*t, original[d]);
  }
  const document_source source = texts.batches();
  auto batch = source.next_batch(diag);
  ASSERT_TRUE(batch.has_value());
  ASSERT_EQ(batch->size(), 2u);
  EXPECT_EQ((*batch)[0].text, original[0]);
  EXPECT_EQ((*batch)[1].text, original[1]);
  EXPECT_TRUE(docs[1].text.empty()); // the batch holds copies
  auto end = source.next_batch(diag);
  ASSERT_TRUE(end.has_value());
  EXPECT_TRUE(end->empty());
  doc_info b_info;
  b_info.id = (*batch)[1].id;
  b_info.where = (*batch)[1].where;
  auto again = source.text(b_info);
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(*again, original[1]);

  auto all = texts.take_all();
  ASSERT_TRUE(all.has_value());
  EXPECT_EQ(*all, original);

  // A text that cannot be read again is the reader's error.
  fs::remove(dir.path / "b.txt");
  auto gone = texts.text(1);
  ASSERT_FALSE(gone.has_value());
  EXPECT_EQ(gone.error().code, errc::io_error);
}

// In memory, batches hold about 4 MiB of text: two 3 MiB documents reach it, the third is next.
TEST(PipelinePhases, InMemoryTextsComeInBatchesOfAboutFourMebibytes) {
  std::vector<document> docs;
  for (const char* id : {"a", "b", "c"})
    docs.push_back(doc(id, std::string(std::size_t{3} << 20, id[0])));
  detail::corpus_texts texts(docs, nullptr);
  EXPECT_TRUE(texts.in_memory());
  texts.release();
  EXPECT_EQ(docs[2].text.size(), std::size_t{3} << 20);
  const document_source source = texts.batches();
  diagnostics diag;
  std::vector<std::size_t> sizes;
  for (;;) {
    auto batch = source.next_batch(diag);
    ASSERT_TRUE(batch.has_value());
    if (batch->empty())
      break;
    sizes.push_back(batch->size());
  }
  EXPECT_EQ(sizes, (std::vector<std::size_t>{2, 1}));
}

// Story groups {0,3}, {1}, {2}, {4,5}; duplicate pairs 3-4 and 1-2 cross groups and join them.
// A document alone in its group and in no pair is in no set.
TEST(PipelinePhases, AlignmentSetsAreStoriesJoinedByDuplicatePairs) {
  stories_result stories;
  stories.groups.resize(5);
  stories.groups[0].members = {0, 3};
  stories.groups[1].members = {4, 5};
  stories.groups[2].members = {1};
  stories.groups[3].members = {2};
  stories.groups[4].members = {6};
  dedup_result dedup;
  dedup.pairs.push_back({});
  dedup.pairs.back().a = 3;
  dedup.pairs.back().b = 4;
  dedup.pairs.push_back({});
  dedup.pairs.back().a = 1;
  dedup.pairs.back().b = 2;
  const auto sets = detail::alignment_sets(7, stories, dedup);
  EXPECT_EQ(sets, (std::vector<std::vector<doc_index>>{{0, 3, 4, 5}, {1, 2}}));
  EXPECT_TRUE(detail::alignment_sets(7, stories_result{}, dedup_result{}).empty());
}

// Borrowing is measured inside the one set {longer, wire} only; "other", outside every set, is
// still checked for self-repetition: its 20 words said twice over. Verdicts follow the shares,
// and a dedup cluster makes both members duplicates.
TEST(PipelinePhases, BorrowingInsideSetsAndVerdicts) {
  std::vector<document> docs;
  docs.push_back(doc("longer", words("river", 1, 40) + " " + words("bridge", 1, 10)));
  docs.push_back(doc("other", words("festival", 1, 20) + " " + words("festival", 1, 20)));
  docs.push_back(doc("wire", words("river", 1, 40)));
  pipeline_config cfg;
  pipeline_result res;
  for (const document& d : docs) {
    doc_info& info = res.documents.emplace_back();
    info.id = d.id;
    info.tokens = static_cast<std::uint32_t>(std::count(d.text.begin(), d.text.end(), ' ') + 1);
  }
  detail::corpus_texts texts(docs, nullptr);
  const std::vector<std::vector<doc_index>> sets = {{0, 2}};
  ASSERT_TRUE(detail::measure_borrowing(texts, sets, cfg, {}, {}, res).has_value());
  EXPECT_EQ(res.compared, (std::vector<char>{1, 0, 1}));
  EXPECT_EQ(res.stats.alignment_sets, 1u);
  ASSERT_EQ(res.borrow.size(), 3u);
  EXPECT_EQ(res.borrow[1].document.id, "other");
  EXPECT_DOUBLE_EQ(res.borrow[0].borrowed, 0.8);
  EXPECT_DOUBLE_EQ(res.borrow[2].borrowed, 1.0);
  ASSERT_EQ(res.borrow[0].sources.size(), 1u);
  EXPECT_EQ(res.borrow[0].sources[0].reference, 2u);
  EXPECT_TRUE(res.borrow[1].sources.empty());
  EXPECT_EQ(res.borrow[1].repeated_tokens, 40u); // both sayings are the repeated passage
  EXPECT_DOUBLE_EQ(res.borrow[1].self_repeated, 1.0);
  EXPECT_EQ(res.self_repeating, (std::vector<doc_index>{1}));
  EXPECT_DOUBLE_EQ(res.borrow[0].self_repeated, 0.0);

  res.dedup.cluster_of = {-1, -1, -1};
  detail::decide_verdicts(cfg, {}, res);
  EXPECT_EQ(res.verdicts, (std::vector<verdict>{verdict::copy, verdict::none, verdict::copy}));
  EXPECT_EQ(res.stats.compared, 2u);
  res.dedup.cluster_of = {0, -1, 0};
  detail::decide_verdicts(cfg, {}, res);
  EXPECT_EQ(res.verdicts,
            (std::vector<verdict>{verdict::duplicate, verdict::none, verdict::duplicate}));
  EXPECT_EQ(res.stats.compared, 2u);
}

// A text that cannot be read again fails the phase with the reader's error.
TEST(PipelinePhases, BorrowingFailsWhenATextCannotBeReadAgain) {
  const test_util::temp_dir dir;
  dir.write("a.txt", words("river", 1, 40));
  dir.write("b.txt", words("river", 1, 40) + " " + words("bridge", 1, 10));
  auto reader = corpus_reader::open({dir.path.string()});
  ASSERT_TRUE(reader.has_value());
  diagnostics diag;
  auto read = read_all(*reader, diag);
  ASSERT_TRUE(read.has_value());
  std::vector<document> docs = std::move(*read);
  ASSERT_TRUE(detail::order_by_id(docs).has_value());
  pipeline_result res;
  for (const document& d : docs) {
    doc_info& info = res.documents.emplace_back();
    info.id = d.id;
    info.where = d.where;
  }
  detail::corpus_texts texts(docs, &*reader);
  texts.release();
  fs::remove(dir.path / "b.txt");
  auto m = detail::measure_borrowing(texts, {{0, 1}}, pipeline_config{}, {}, {}, res);
  ASSERT_FALSE(m.has_value());
  EXPECT_EQ(m.error().code, errc::io_error);
  EXPECT_NE(m.error().message.find("b.txt"), std::string::npos) << m.error().message;
}
