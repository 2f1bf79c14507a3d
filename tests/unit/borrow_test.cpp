// Borrow stage tests: exact passages and offsets on hand-made texts, edits inside passages,
// attribution between references, self-repetition, invariants on random texts, the pipeline
// (bad input, determinism), HTML escaping, and the seed and graded corpora when present.
#include <copydesk/borrow.hpp>
#include <copydesk/writers.hpp>

#include <gtest/gtest.h>

#include "temp_dir.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using namespace copydesk;

namespace {

std::vector<passage> passages_of(const std::string& copy, const std::vector<std::string>& refs,
                                 const borrow_params& p = {},
                                 std::uint32_t exclude = no_reference) {
  reference_index index(p);
  for (const std::string& r : refs) {
    hashed_text t;
    hash_text(r, p.hash_seed, t);
    index.add(std::move(t));
  }
  index.build();
  hashed_text c;
  hash_text(copy, p.hash_seed, c);
  std::vector<passage> out;
  find_passages(c, index, out, exclude);
  return out;
}

double borrowed_share(const std::string& copy, const std::string& ref,
                      const borrow_params& p = {}) {
  hashed_text c;
  hash_text(copy, p.hash_seed, c);
  if (c.size() == 0)
    return 0.0;
  std::uint32_t tokens = 0;
  for (const passage& ps : passages_of(copy, {ref}, p))
    tokens += ps.copy_tokens();
  return static_cast<double>(tokens) / static_cast<double>(c.size());
}

std::string words(const std::vector<std::string>& w) {
  std::string s;
  for (const std::string& x : w)
    s += (s.empty() ? "" : " ") + x;
  return s;
}

// Distinct made-up words w0, w1, ... that share nothing with each other.
std::vector<std::string> fresh_words(const std::string& prefix, std::size_t n) {
  std::vector<std::string> v;
  for (std::size_t i = 0; i < n; ++i)
    v.push_back(prefix + std::to_string(i));
  return v;
}

std::string slurp(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  std::stringstream s;
  s << f.rdbuf();
  return s.str();
}

using copydesk::test_util::temp_dir;

result<borrow_result> run(const std::vector<std::string>& inputs,
                          const std::vector<std::string>& refs, borrow_config cfg,
                          diagnostics& diag) {
  auto copies = corpus_reader::open(inputs);
  if (!copies)
    return copies.error();
  if (refs.empty())
    return run_borrow(*copies, nullptr, cfg, diag);
  auto r = corpus_reader::open(refs);
  if (!r)
    return r.error();
  return run_borrow(*copies, &*r, cfg, diag);
}

const std::string river_ref =
    "The river rose three metres overnight and forced the evacuation of two villages near the old "
    "stone bridge, officials said on Monday.";
const std::string river_copy =
    "Residents were told to leave. The river rose three metres overnight and forced the "
    "evacuation of two villages, the mayor added.";

} // namespace

TEST(Borrow, HashTextKeepsSpans) {
  hashed_text t;
  hash_text("Ab, cd!  EF", defaults::hash_seed, t);
  ASSERT_EQ(t.size(), 3u);
  EXPECT_EQ(t.spans[0].begin, 0u);
  EXPECT_EQ(t.spans[0].end, 2u);
  EXPECT_EQ(t.spans[2].begin, 9u);
  EXPECT_EQ(t.spans[2].end, 11u);
  EXPECT_EQ(t.hashes[0], hash_token("ab", defaults::hash_seed));
  EXPECT_EQ(t.hashes[2], hash_token("ef", defaults::hash_seed));
}

TEST(Borrow, ParamsValidate) {
  borrow_params p;
  EXPECT_TRUE(p.validate().has_value());
  p.seed_width = 0;
  EXPECT_EQ(p.validate().error().code, errc::invalid_argument);
  p = {};
  p.min_tokens = p.seed_width - 1;
  EXPECT_EQ(p.validate().error().code, errc::invalid_argument);
  p = {};
  p.max_postings = 0;
  EXPECT_EQ(p.validate().error().code, errc::invalid_argument);
}

TEST(Borrow, ExactPassageOffsets) {
  const auto ps = passages_of(river_copy, {river_ref});
  ASSERT_EQ(ps.size(), 1u);
  const passage& p = ps[0];
  const std::size_t cb = river_copy.find("The river");
  const std::size_t ce = river_copy.find("villages") + 8;
  EXPECT_EQ(p.copy_bytes.begin, cb);
  EXPECT_EQ(p.copy_bytes.end, ce);
  EXPECT_EQ(p.ref_bytes.begin, 0u);
  EXPECT_EQ(p.ref_bytes.end, river_ref.find("villages") + 8);
  EXPECT_EQ(p.copy_begin, 5u);
  EXPECT_EQ(p.copy_end, 18u);
  EXPECT_EQ(p.ref_begin, 0u);
  EXPECT_EQ(p.ref_end, 13u);
  EXPECT_EQ(p.matched, 13u);
  EXPECT_EQ(p.reference, 0u);
  EXPECT_DOUBLE_EQ(borrowed_share(river_copy, river_ref), 13.0 / 21.0);
}

TEST(Borrow, OffsetsAreIntoTheOriginalText) {
  // Case, punctuation and non-ASCII text around and inside the passage; offsets point at the
  // original bytes, not at normalized tokens.
  const std::string ref = "Zürich — THE RIVER rose three metres overnight, and forced the "
                          "evacuation of two villages.";
  const std::string copy = "«Bulletin» the river ROSE three metres overnight and forced the "
                           "evacuation of two villages!";
  const auto ps = passages_of(copy, {ref});
  ASSERT_EQ(ps.size(), 1u);
  EXPECT_EQ(copy.substr(ps[0].copy_bytes.begin, ps[0].copy_bytes.end - ps[0].copy_bytes.begin),
            "the river ROSE three metres overnight and forced the evacuation of two villages");
  EXPECT_EQ(ref.substr(ps[0].ref_bytes.begin, ps[0].ref_bytes.end - ps[0].ref_bytes.begin),
            "THE RIVER rose three metres overnight, and forced the evacuation of two villages");
}

TEST(Borrow, OneChangedWordKeepsOnePassage) {
  const auto base = fresh_words("alpha", 30);
  auto changed = base;
  changed[15] = "different";
  const auto ps = passages_of(words(changed), {words(base)});
  ASSERT_EQ(ps.size(), 1u);
  EXPECT_EQ(ps[0].copy_tokens(), 30u);
  EXPECT_EQ(ps[0].ref_tokens(), 30u);
  EXPECT_EQ(ps[0].matched, 29u);
  EXPECT_EQ(ps[0].copy_bytes.begin, 0u);
  EXPECT_EQ(ps[0].copy_bytes.end, words(changed).size());
}

TEST(Borrow, InsertedAndDroppedWordsKeepOnePassage) {
  const auto base = fresh_words("beta", 30);
  auto inserted = base;
  inserted.insert(inserted.begin() + 10, {"new", "words"});
  auto ps = passages_of(words(inserted), {words(base)});
  ASSERT_EQ(ps.size(), 1u);
  EXPECT_EQ(ps[0].copy_tokens(), 32u);
  EXPECT_EQ(ps[0].ref_tokens(), 30u);
  EXPECT_EQ(ps[0].matched, 30u);

  auto dropped = base;
  dropped.erase(dropped.begin() + 20);
  ps = passages_of(words(dropped), {words(base)});
  ASSERT_EQ(ps.size(), 1u);
  EXPECT_EQ(ps[0].copy_tokens(), 29u);
  EXPECT_EQ(ps[0].ref_tokens(), 30u);
  EXPECT_EQ(ps[0].matched, 29u);
}

TEST(Borrow, GapWiderThanMaxGapSplits) {
  const auto base = fresh_words("gamma", 30);
  auto edited = base;
  for (int i = 12; i < 17; ++i)
    edited[i] = "x" + std::to_string(i);
  auto ps = passages_of(words(edited), {words(base)});
  ASSERT_EQ(ps.size(), 2u);
  EXPECT_EQ(ps[0].copy_begin, 0u);
  EXPECT_EQ(ps[0].copy_end, 12u);
  EXPECT_EQ(ps[1].copy_begin, 17u);
  EXPECT_EQ(ps[1].copy_end, 30u);
  borrow_params wide;
  wide.max_gap = 5;
  ps = passages_of(words(edited), {words(base)}, wide);
  ASSERT_EQ(ps.size(), 1u);
  EXPECT_EQ(ps[0].copy_tokens(), 30u);
  EXPECT_EQ(ps[0].matched, 25u);
}

TEST(Borrow, MinTokensDropsShortMatches) {
  auto ref = fresh_words("delta", 20);
  auto copy = fresh_words("other", 10);
  copy.insert(copy.begin() + 5, ref.begin() + 4, ref.begin() + 11); // 7 shared words
  EXPECT_TRUE(passages_of(words(copy), {words(ref)}).empty());
  borrow_params p;
  p.min_tokens = 7;
  const auto ps = passages_of(words(copy), {words(ref)}, p);
  ASSERT_EQ(ps.size(), 1u);
  EXPECT_EQ(ps[0].copy_begin, 5u);
  EXPECT_EQ(ps[0].ref_begin, 4u);
  EXPECT_EQ(ps[0].matched, 7u);
}

TEST(Borrow, ReferenceRegionIsUsedOnce) {
  // The copy repeats one reference sentence: passages never overlap within the reference, so
  // only the first occurrence is borrowed.
  const auto s = fresh_words("eps", 12);
  const auto filler = fresh_words("filler", 6);
  std::vector<std::string> copy = s;
  copy.insert(copy.end(), filler.begin(), filler.end());
  copy.insert(copy.end(), s.begin(), s.end());
  const auto ps = passages_of(words(copy), {words(s)});
  ASSERT_EQ(ps.size(), 1u);
  EXPECT_EQ(ps[0].copy_begin, 0u);
  EXPECT_EQ(ps[0].copy_end, 12u);
}

TEST(Borrow, LongestPassageWinsBetweenReferences) {
  const auto s1 = fresh_words("one", 12);
  const auto s2 = fresh_words("two", 10);
  const auto s3 = fresh_words("three", 10);
  auto cat = [](std::vector<std::vector<std::string>> parts) {
    std::vector<std::string> v;
    for (auto& p : parts)
      v.insert(v.end(), p.begin(), p.end());
    return words(v);
  };
  const std::string a = cat({s1, s2});
  const std::string b = cat({s2, s3});
  const std::string copy = cat({s1, s2, s3});
  // Reference b is listed first; a still wins s2 because its passage (s1 s2) is longer.
  const auto ps = passages_of(copy, {b, a});
  ASSERT_EQ(ps.size(), 2u);
  EXPECT_EQ(ps[0].reference, 1u);
  EXPECT_EQ(ps[0].copy_begin, 0u);
  EXPECT_EQ(ps[0].copy_end, 22u);
  EXPECT_EQ(ps[1].reference, 0u);
  EXPECT_EQ(ps[1].copy_begin, 22u);
  EXPECT_EQ(ps[1].copy_end, 32u);
  EXPECT_EQ(ps[1].ref_begin, 10u);
  EXPECT_EQ(ps[1].ref_end, 20u);
}

TEST(Borrow, TiesGoToTheFirstReference) {
  const std::string text = words(fresh_words("zeta", 20));
  const auto ps = passages_of(text, {text, text});
  ASSERT_EQ(ps.size(), 1u);
  EXPECT_EQ(ps[0].reference, 0u);
  const auto excluded = passages_of(text, {text, text}, {}, 0);
  ASSERT_EQ(excluded.size(), 1u);
  EXPECT_EQ(excluded[0].reference, 1u);
}

TEST(Borrow, EmptyAndShortTexts) {
  EXPECT_TRUE(passages_of("", {river_ref}).empty());
  EXPECT_TRUE(passages_of(river_copy, {""}).empty());
  EXPECT_TRUE(passages_of(river_copy, {}).empty());
  EXPECT_TRUE(passages_of("The river", {river_ref}).empty());
  hashed_text empty;
  std::vector<passage> out{passage{}};
  find_repeats(empty, {}, out);
  EXPECT_TRUE(out.empty());
}

TEST(Borrow, SelfRepeatedDocument) {
  const auto p = fresh_words("para", 40);
  const auto x = fresh_words("mid", 10);
  std::vector<std::string> doc = p;
  doc.insert(doc.end(), x.begin(), x.end());
  doc.insert(doc.end(), p.begin(), p.end());
  hashed_text t;
  hash_text(words(doc), defaults::hash_seed, t);
  std::vector<passage> reps;
  find_repeats(t, {}, reps);
  ASSERT_EQ(reps.size(), 1u);
  EXPECT_EQ(reps[0].copy_begin, 50u);
  EXPECT_EQ(reps[0].copy_end, 90u);
  EXPECT_EQ(reps[0].ref_begin, 0u);
  EXPECT_EQ(reps[0].ref_end, 40u);
  EXPECT_EQ(repeated_tokens(reps, 90), 80u);
}

TEST(Borrow, SelfThreeCopiesAreAllCovered) {
  const auto p = fresh_words("para", 30);
  const auto x = fresh_words("mid", 10);
  const auto y = fresh_words("end", 10);
  std::vector<std::string> doc = p;
  for (const auto* part : {&x, &p, &y, &p})
    doc.insert(doc.end(), part->begin(), part->end());
  hashed_text t;
  hash_text(words(doc), defaults::hash_seed, t);
  std::vector<passage> reps;
  find_repeats(t, {}, reps);
  ASSERT_EQ(reps.size(), 2u);
  EXPECT_EQ(reps[0].copy_begin, 40u);
  EXPECT_EQ(reps[0].ref_begin, 0u);
  EXPECT_EQ(reps[1].copy_begin, 80u);
  EXPECT_EQ(reps[1].ref_begin, 40u);
  EXPECT_EQ(repeated_tokens(reps, static_cast<std::uint32_t>(t.size())), 90u);
}

TEST(Borrow, SelfPeriodicTextNeverOverlapsItself) {
  // Twenty words repeated ten times: the best pairing is the second half with the first.
  std::vector<std::string> doc;
  const auto unit = fresh_words("loop", 20);
  for (int i = 0; i < 10; ++i)
    doc.insert(doc.end(), unit.begin(), unit.end());
  hashed_text t;
  hash_text(words(doc), defaults::hash_seed, t);
  std::vector<passage> reps;
  find_repeats(t, {}, reps);
  ASSERT_EQ(reps.size(), 1u);
  EXPECT_EQ(reps[0].copy_begin, 100u);
  EXPECT_EQ(reps[0].copy_end, 200u);
  EXPECT_EQ(reps[0].ref_begin, 0u);
  EXPECT_EQ(reps[0].ref_end, 100u);
  EXPECT_EQ(repeated_tokens(reps, 200), 200u);
  // One word a thousand times: every seed is too frequent, nothing is reported, nothing blows up.
  std::string same;
  for (int i = 0; i < 1000; ++i)
    same += "the ";
  hash_text(same, defaults::hash_seed, t);
  find_repeats(t, {}, reps);
  EXPECT_TRUE(reps.empty());
}

namespace {

// Checks the contract on one result: sorted, inside the texts, non-overlapping in the copy and
// within each reference, byte spans matching token spans, matched <= tokens.
void check_invariants(const hashed_text& copy, const std::vector<const hashed_text*>& refs,
                      const std::vector<passage>& ps, const borrow_params& p, bool self) {
  std::vector<int> copy_cov(copy.size(), 0);
  std::map<std::uint32_t, std::vector<int>> ref_cov;
  for (std::size_t i = 0; i < ps.size(); ++i) {
    const passage& x = ps[i];
    if (i > 0) {
      ASSERT_LE(ps[i - 1].copy_begin, x.copy_begin);
    }
    ASSERT_LT(x.reference, refs.size());
    const hashed_text& r = *refs[x.reference];
    ASSERT_LT(x.copy_begin, x.copy_end);
    ASSERT_LE(x.copy_end, copy.size());
    ASSERT_LT(x.ref_begin, x.ref_end);
    ASSERT_LE(x.ref_end, r.size());
    ASSERT_GE(x.matched, p.min_tokens);
    ASSERT_LE(x.matched, std::min(x.copy_tokens(), x.ref_tokens()));
    ASSERT_EQ(x.copy_bytes.begin, copy.spans[x.copy_begin].begin);
    ASSERT_EQ(x.copy_bytes.end, copy.spans[x.copy_end - 1].end);
    ASSERT_EQ(x.ref_bytes.begin, r.spans[x.ref_begin].begin);
    ASSERT_EQ(x.ref_bytes.end, r.spans[x.ref_end - 1].end);
    ASSERT_EQ(copy.hashes[x.copy_begin], r.hashes[x.ref_begin]);
    ASSERT_EQ(copy.hashes[x.copy_end - 1], r.hashes[x.ref_end - 1]);
    if (self) {
      ASSERT_LE(x.ref_end, x.copy_begin);
    }
    for (std::uint32_t j = x.copy_begin; j < x.copy_end; ++j)
      ASSERT_EQ(copy_cov[j]++, 0);
    auto& rc = ref_cov[x.reference];
    rc.resize(r.size(), 0);
    for (std::uint32_t j = x.ref_begin; j < x.ref_end; ++j)
      ASSERT_EQ(rc[j]++, 0);
  }
}

} // namespace

TEST(Borrow, InvariantsHoldOnRandomEditedTexts) {
  std::mt19937_64 rng(20250924);           // fixed seed
  const auto vocab = fresh_words("v", 40); // small vocabulary: many chance seeds
  auto pick = [&](std::size_t n) {
    std::vector<std::string> v;
    for (std::size_t i = 0; i < n; ++i)
      v.push_back(vocab[rng() % vocab.size()]);
    return v;
  };
  for (int round = 0; round < 60; ++round) {
    std::vector<std::vector<std::string>> refs_w{pick(300), pick(200), pick(150)};
    std::vector<std::string> copy_w = pick(50);
    for (int k = 0; k < 6; ++k) { // planted, edited borrowings
      const auto& src = refs_w[rng() % refs_w.size()];
      const std::size_t at = rng() % (src.size() - 40);
      std::vector<std::string> piece(src.begin() + at, src.begin() + at + 10 + rng() % 30);
      for (auto& w : piece) {
        if (rng() % 12 == 0)
          w = "edit" + std::to_string(rng() % 5);
      }
      copy_w.insert(copy_w.end(), piece.begin(), piece.end());
      const auto noise = pick(rng() % 8);
      copy_w.insert(copy_w.end(), noise.begin(), noise.end());
    }
    borrow_params p;
    p.seed_width = 2 + static_cast<std::uint32_t>(rng() % 4);
    p.min_tokens = p.seed_width + static_cast<std::uint32_t>(rng() % 6);
    p.max_gap = static_cast<std::uint32_t>(rng() % 6);
    reference_index index(p);
    std::vector<hashed_text> hashed(refs_w.size());
    for (std::size_t r = 0; r < refs_w.size(); ++r) {
      hash_text(words(refs_w[r]), p.hash_seed, hashed[r]);
      index.add(hashed[r]);
    }
    index.build();
    hashed_text copy;
    hash_text(words(copy_w), p.hash_seed, copy);
    std::vector<passage> ps;
    find_passages(copy, index, ps);
    check_invariants(copy, {&hashed[0], &hashed[1], &hashed[2]}, ps, p, false);
    if (HasFatalFailure())
      return;
    std::vector<passage> reps;
    find_repeats(copy, p, reps);
    check_invariants(copy, {&copy}, reps, p, true);
    if (HasFatalFailure())
      return;
  }
}

TEST(Borrow, PipelineReportsBadInputAndSkipsTheReferenceItself) {
  temp_dir dir;
  const std::string ref = dir.write("wire.txt", river_ref);
  const std::string empty_ref = dir.write("blank.txt", "  \n ");
  dir.write("in/copy.txt", river_copy);
  dir.write("in/empty.txt", "");
  borrow_config cfg;
  diagnostics diag;
  // The reference is also an input, spelled differently ("dir/./wire.txt").
  auto res = run({(dir.path / "in").string(), (dir.path / "." / "wire.txt").string()},
                 {ref, empty_ref}, cfg, diag);
  ASSERT_TRUE(res.has_value()) << res.error().message;
  ASSERT_EQ(res->references.size(), 2u);
  EXPECT_EQ(res->references[0].id, empty_ref);
  EXPECT_EQ(res->references[0].tokens, 0u);
  ASSERT_EQ(res->results.size(), 3u);
  const copy_result* copy = nullptr;
  const copy_result* empty = nullptr;
  const copy_result* self = nullptr;
  for (const copy_result& c : res->results) {
    if (c.document.id == "copy.txt")
      copy = &c;
    if (c.document.id == "empty.txt")
      empty = &c;
    if (c.document.id.find("wire.txt") != std::string::npos)
      self = &c;
  }
  ASSERT_TRUE(copy && empty && self);
  ASSERT_EQ(copy->sources.size(), 1u);
  EXPECT_EQ(copy->sources[0].reference, 1u);
  EXPECT_DOUBLE_EQ(copy->borrowed, 13.0 / 21.0);
  EXPECT_DOUBLE_EQ(copy->sources[0].reused, 13.0 / 22.0);
  EXPECT_EQ(empty->document.tokens, 0u);
  EXPECT_DOUBLE_EQ(empty->borrowed, 0.0);
  EXPECT_TRUE(empty->sources.empty());
  EXPECT_EQ(self->is_reference, 1u);
  EXPECT_TRUE(self->sources.empty());
  bool warned = false;
  for (const diagnostic& d : diag.items()) {
    warned = warned || (d.origin == empty_ref && d.message.find("empty") != std::string::npos);
  }
  EXPECT_TRUE(warned);
  // A missing reference is an error of the reader.
  auto missing = corpus_reader::open({(dir.path / "nope.txt").string()});
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().code, errc::not_found);
  // Nothing to do.
  auto none = corpus_reader::open({ref});
  ASSERT_TRUE(none.has_value());
  EXPECT_EQ(run_borrow(*none, nullptr, cfg, diag).error().code, errc::invalid_argument);
}

TEST(Borrow, OutputDoesNotDependOnThreadsOrInputOrder) {
  temp_dir dir;
  std::mt19937_64 rng(7);
  const auto vocab = fresh_words("w", 300);
  auto text = [&](std::size_t n) {
    std::vector<std::string> v;
    for (std::size_t i = 0; i < n; ++i)
      v.push_back(vocab[rng() % vocab.size()]);
    return v;
  };
  const auto ref_w = text(400);
  const std::string ref = dir.write("ref.txt", words(ref_w));
  std::vector<std::string> files;
  for (int i = 0; i < 40; ++i) {
    auto w = text(100);
    const std::size_t at = rng() % 300;
    w.insert(w.begin() + 50, ref_w.begin() + at, ref_w.begin() + at + (rng() % 60));
    files.push_back(dir.write("c" + std::to_string(i) + ".txt", words(w)));
  }
  auto json_of = [&](const std::vector<std::string>& inputs, unsigned threads) {
    borrow_config cfg;
    cfg.threads = threads;
    cfg.self = true;
    diagnostics diag;
    auto res = run(inputs, {ref}, cfg, diag);
    EXPECT_TRUE(res.has_value());
    return *render_string(*res, output_format::json);
  };
  const std::string one = json_of(files, 1);
  std::reverse(files.begin(), files.end());
  EXPECT_EQ(json_of(files, 3), one);
  EXPECT_EQ(json_of(files, 8), one);
}

TEST(Borrow, HtmlEscapesEveryDocumentText) {
  temp_dir dir;
  const std::string hostile =
      "<script>alert(1)</script> \"><img src=x onerror=alert(1)> </textarea> & 'quoted'";
  const std::string ref_text = river_ref + " " + hostile;
  const std::string ref = dir.write("ref.txt", ref_text);
  // JSONL input: the id is hostile too.
  const std::string copy_text = hostile + " " + river_copy;
  std::string record = "{\"id\": \"<script>alert(2)</script>\", \"text\": \"";
  for (const char c : copy_text) {
    if (c == '"' || c == '\\')
      record.push_back('\\');
    record.push_back(c);
  }
  record += "\"}\n";
  const std::string jsonl = dir.write("copies.jsonl", record);
  borrow_config cfg;
  cfg.self = true;
  auto copies = corpus_reader::open({jsonl});
  auto refs = corpus_reader::open({ref});
  ASSERT_TRUE(copies && refs);
  diagnostics diag;
  auto res = run_borrow(*copies, &*refs, cfg, diag);
  ASSERT_TRUE(res.has_value());
  ASSERT_EQ(res->results.size(), 1u);
  EXPECT_FALSE(res->results[0].sources.empty()); // the hostile text itself is a passage too
  auto page = render_html(*res, *copies, &*refs);
  ASSERT_TRUE(page.has_value());
  const std::string& html = *page;
  EXPECT_EQ(html.find("<script>alert"), std::string::npos);
  EXPECT_EQ(html.find("<img"), std::string::npos);
  EXPECT_EQ(html.find("</textarea>"), std::string::npos);
  EXPECT_EQ(html.find("onerror=alert(1)>"), std::string::npos);
  // With the highlight tags taken out, the hostile text is all there, escaped.
  std::string plain;
  for (std::size_t i = 0; i < html.size();) {
    if (html.compare(i, 6, "<mark ") == 0) {
      i = html.find('>', i) + 1;
    } else if (html.compare(i, 7, "</mark>") == 0) {
      i += 7;
    } else if (html.compare(i, 16, "<span class=\"q\">") == 0) {
      i += 16; // words inside quotation marks
    } else if (html.compare(i, 7, "</span>") == 0) {
      i += 7;
    } else {
      plain.push_back(html[i++]);
    }
  }
  EXPECT_NE(plain.find("&lt;script&gt;alert(1)&lt;/script&gt; &quot;&gt;&lt;img src=x "
                       "onerror=alert(1)&gt; &lt;/textarea&gt; &amp; &#39;quoted&#39;"),
            std::string::npos);
  EXPECT_NE(plain.find("<h2>&lt;script&gt;alert(2)&lt;/script&gt;</h2>"), std::string::npos);
  // Exactly one script element: ours. Nothing is fetched.
  std::size_t scripts = 0;
  for (std::size_t at = html.find("<script"); at != std::string::npos;
       at = html.find("<script", at + 1)) {
    ++scripts;
  }
  EXPECT_EQ(scripts, 1u);
  EXPECT_EQ(html.find("src="), html.find("src=x onerror")); // only inside escaped text
  EXPECT_EQ(html.find("http://"), std::string::npos);
  EXPECT_EQ(html.find("https://"), std::string::npos);
  EXPECT_EQ(html.find("@import"), std::string::npos);
}

// ---- corpora: the seed articles (third-party, outside the repository) and corpora/graded ----

namespace {

fs::path seeds_dir() {
  return fs::path(COPYDESK_SOURCE_DIR) / ".." / "shared" / "corpora" / "seeds";
}

std::string seed(const std::string& prefix) {
  for (const auto& e : fs::directory_iterator(seeds_dir())) {
    if (e.path().filename().string().rfind(prefix, 0) == 0)
      return slurp(e.path());
  }
  return {};
}

bool covered(const std::vector<passage>& ps, const std::string& text, const std::string& phrase) {
  const std::size_t at = text.find(phrase);
  if (at == std::string::npos)
    return false;
  return std::any_of(ps.begin(), ps.end(), [&](const passage& p) {
    return p.copy_bytes.begin <= at && p.copy_bytes.end >= at + phrase.size();
  });
}

} // namespace

TEST(BorrowSeeds, BorrowedSharesMatchTheExpectations) {
  if (!fs::is_directory(seeds_dir()))
    GTEST_SKIP() << "seed corpus not present: " << seeds_dir();
  const std::string s000 = seed("000_");
  const std::string s001 = seed("001_");
  const std::string s002 = seed("002_");
  const std::string s003 = seed("003_");
  ASSERT_FALSE(s000.empty() || s001.empty() || s002.empty() || s003.empty());
  EXPECT_GE(borrowed_share(s001, s000), 0.9);
  const double b31 = borrowed_share(s003, s001);
  EXPECT_GE(b31, 0.01);
  EXPECT_LE(b31, 0.10);
  const auto ps = passages_of(s003, {s001});
  EXPECT_TRUE(
      covered(ps, s003, "The speed of AI industry development has far exceeded our expectations"));
  EXPECT_TRUE(covered(ps, s003, "Brazil, France, and the Netherlands"));
  EXPECT_LT(borrowed_share(s002, s000), 0.02);
}

TEST(BorrowSeeds, RepeatedBodyIsFound) {
  if (!fs::is_directory(seeds_dir()))
    GTEST_SKIP() << "seed corpus not present: " << seeds_dir();
  const std::string s004 = seed("004_");
  ASSERT_FALSE(s004.empty());
  hashed_text t;
  hash_text(s004, defaults::hash_seed, t);
  std::vector<passage> reps;
  find_repeats(t, {}, reps);
  EXPECT_GE(static_cast<double>(repeated_tokens(reps, static_cast<std::uint32_t>(t.size()))) /
                static_cast<double>(t.size()),
            0.7);
}

namespace {
fs::path graded_dir() { return fs::path(COPYDESK_SOURCE_DIR) / "corpora" / "graded"; }
} // namespace

TEST(BorrowGraded, CutAboveLightAboveHeavyAboveIndependent) {
  // corpora/graded is committed: a missing file is a failure, not a reason to skip.
  ASSERT_TRUE(fs::exists(graded_dir() / "grades.tsv")) << "missing: " << graded_dir();
  std::ifstream tsv(graded_dir() / "grades.tsv");
  std::string line;
  std::getline(tsv, line); // header
  const std::map<std::string, int> rank{{"none", 0}, {"heavy", 1}, {"light", 2}, {"cut", 3}};
  std::map<std::string, std::map<int, double>> by_reference; // reference -> grade -> borrowed
  while (std::getline(tsv, line)) {
    if (line.empty())
      continue;
    std::istringstream f(line);
    std::string copy, ref, grade;
    std::getline(f, copy, '\t');
    std::getline(f, ref, '\t');
    std::getline(f, grade, '\t');
    ASSERT_TRUE(rank.count(grade)) << line;
    const double b = borrowed_share(slurp(graded_dir() / copy), slurp(graded_dir() / ref));
    by_reference[ref][rank.at(grade)] = b;
    std::printf("  %-22s <- %-16s %-6s borrowed %.4f\n", copy.c_str(), ref.c_str(), grade.c_str(),
                b);
  }
  ASSERT_FALSE(by_reference.empty());
  for (const auto& [ref, grades] : by_reference) {
    ASSERT_EQ(grades.size(), 4u) << ref;
    EXPECT_GT(grades.at(3), grades.at(2)) << ref << ": cut must borrow more than light";
    EXPECT_GT(grades.at(2), grades.at(1)) << ref << ": light must borrow more than heavy";
    EXPECT_GT(grades.at(1), grades.at(0)) << ref << ": heavy must borrow more than independent";
  }
}

TEST(BorrowGraded, NothingIsBorrowedFromAnotherTopic) {
  // corpora/graded is committed: a missing file is a failure, not a reason to skip.
  ASSERT_TRUE(fs::exists(graded_dir() / "grades.tsv")) << "missing: " << graded_dir();
  std::vector<fs::path> sources;
  std::vector<fs::path> copies;
  for (const auto& e : fs::directory_iterator(graded_dir())) {
    const std::string name = e.path().filename().string();
    if (name.size() < 4 || name.substr(name.size() - 4) != ".txt")
      continue;
    (name.find("-source") != std::string::npos ? sources : copies).push_back(e.path());
  }
  ASSERT_FALSE(sources.empty());
  for (const fs::path& c : copies) {
    const std::string topic = c.filename().string().substr(0, c.filename().string().find('-'));
    for (const fs::path& s : sources) {
      if (s.filename().string().rfind(topic + "-", 0) == 0)
        continue;
      EXPECT_EQ(borrowed_share(slurp(c), slurp(s)), 0.0) << c.filename() << " <- " << s.filename();
    }
  }
}
