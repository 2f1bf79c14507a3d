// Distributed runs without mpirun (issue 12): the collectives of dist::exchange on an in-process
// group of ranks, readers split in shares (the same documents, origins and line numbers as one
// reader), and distributed dedup giving one process's result for any number of ranks.
#include <copydesk/dedup.hpp>
#include <copydesk/dist.hpp>
#include <copydesk/io.hpp>
#include <copydesk/writers.hpp>

#include <gtest/gtest.h>

#include "temp_dir.hpp"

#include <mutex>
#include <random>
#include <sstream>

using namespace copydesk;

namespace {

// A JSONL corpus with near and contained duplicates spread over the file, a blank line and a
// record without an id (whose id is FILE:LINE, so line numbers must continue across shares).
std::string make_corpus(std::size_t docs, unsigned seed) {
  std::mt19937 rng(seed);
  std::vector<std::string> vocab;
  vocab.reserve(3000);
  for (int i = 0; i < 3000; ++i)
    vocab.push_back("w" + std::to_string(i));
  std::vector<std::string> texts;
  texts.reserve(docs);
  for (std::size_t d = 0; d < docs; ++d) {
    std::string t;
    for (int w = 0; w < 120; ++w)
      t += vocab[rng() % vocab.size()] + " ";
    texts.push_back(t);
  }
  std::string out;
  for (std::size_t d = 0; d < docs; ++d) {
    std::string t = texts[d];
    if (d % 7 == 3) // a near copy of a document far away in the file
      t = texts[(d * 13 + docs / 2) % docs] + " extra words here";
    if (d % 11 == 5) // a page that embeds another document
      t = texts[(d + docs / 3) % docs] + std::string(400, 'x') + " " + texts[d];
    if (d == docs / 2)
      out += "\n"; // a blank line still counts as a line
    if (d == docs / 3)
      out += R"({"text": ")" + t + "\"}\n";
    else
      out += R"({"id": "d)" + std::to_string(d) + R"(", "text": ")" + t + "\"}\n";
  }
  return out;
}

std::string json_of(const dedup_result& r) {
  std::ostringstream os;
  EXPECT_TRUE(render(os, r, output_format::json));
  return os.str();
}

// dedup of `inputs` on `ranks` in-process ranks: rank 0's JSON, or the error every rank met
// (checked to be the same everywhere).
std::string distributed(const std::vector<std::string>& inputs, int ranks, dist_input how) {
  std::mutex m;
  std::string at_root;
  std::vector<std::string> errors;
  dist::run_local(ranks, [&](dist::exchange& ex) {
    read_options ro;
    if (how == dist_input::shares) {
      ro.share = static_cast<std::uint32_t>(ex.rank());
      ro.shares = static_cast<std::uint32_t>(ex.size());
    }
    auto reader = corpus_reader::open(inputs, ro);
    ASSERT_TRUE(reader);
    diagnostics diag;
    dedup_config cfg;
    cfg.threads = 1;
    auto r = run_dedup(*reader, cfg, diag, ex, how);
    const std::lock_guard<std::mutex> lock(m);
    if (!r)
      errors.push_back(r.error().message);
    else if (ex.rank() == 0)
      at_root = json_of(*r);
  });
  if (!errors.empty()) {
    EXPECT_EQ(errors.size(), static_cast<std::size_t>(ranks));
    for (const std::string& e : errors)
      EXPECT_EQ(e, errors.front());
    return "error: " + errors.front();
  }
  return at_root;
}

std::string single(const std::vector<std::string>& inputs) {
  auto reader = corpus_reader::open(inputs);
  EXPECT_TRUE(reader);
  diagnostics diag;
  dedup_config cfg;
  cfg.threads = 1;
  auto r = run_dedup(*reader, cfg, diag);
  if (!r)
    return "error: " + r.error().message;
  return json_of(*r);
}

} // namespace

TEST(Dist, CollectivesOrderByRank) {
  dist::run_local(3, [](dist::exchange& ex) {
    std::vector<std::string> out(3);
    for (int r = 0; r < 3; ++r)
      out[static_cast<std::size_t>(r)] = std::to_string(ex.rank()) + ">" + std::to_string(r);
    const auto in = ex.all_to_all(out);
    for (int r = 0; r < 3; ++r)
      EXPECT_EQ(in[static_cast<std::size_t>(r)],
                std::to_string(r) + ">" + std::to_string(ex.rank()));
    const auto g = ex.gather("g" + std::to_string(ex.rank()));
    if (ex.rank() == 0)
      EXPECT_EQ(g, (std::vector<std::string>{"g0", "g1", "g2"}));
    else
      EXPECT_TRUE(g.empty());
    EXPECT_EQ(ex.broadcast(ex.rank() == 0 ? "root" : "other"), "root");
    const auto me = static_cast<std::uint64_t>(ex.rank());
    EXPECT_EQ(dist::sum(ex, {me, 1}), (std::vector<std::uint64_t>{3, 3}));
    EXPECT_EQ(dist::sum_before(ex, {me + 1}), (std::vector<std::uint64_t>{me * (me + 1) / 2}));
    if (ex.rank() == 0) {
      ex.send(2, "hello");
      ex.send(2, "again");
    } else if (ex.rank() == 2) {
      EXPECT_EQ(ex.receive(0), "hello");
      EXPECT_EQ(ex.receive(0), "again");
    }
  });
}

TEST(Dist, AgreeTakesTheErrorWithTheSmallestPosition) {
  dist::run_local(4, [](dist::exchange& ex) {
    result<void> mine;
    if (ex.rank() == 1)
      mine = make_error(errc::invalid_input, "late");
    if (ex.rank() == 3)
      mine = make_error(errc::io_error, "early");
    const auto agreed = dist::agree(ex, mine, ex.rank() == 3 ? 5 : 9);
    ASSERT_FALSE(agreed);
    EXPECT_EQ(agreed.error().message, "early");
    EXPECT_EQ(agreed.error().code, errc::io_error);
    EXPECT_TRUE(dist::agree(ex, result<void>{}));
    const auto outcome =
        dist::broadcast_outcome(ex, ex.rank() == 0 ? result<int>{7} : result<int>{0});
    ASSERT_TRUE(outcome);
    EXPECT_EQ(*outcome, 7);
  });
}

TEST(Dist, SharesOfAJsonlFileAreOneReadersDocuments) {
  test_util::temp_dir dir;
  const std::string path = dir.write("c.jsonl", make_corpus(300, 1));
  diagnostics diag;
  auto whole = corpus_reader::open({path});
  ASSERT_TRUE(whole);
  auto all = read_all(*whole, diag);
  ASSERT_TRUE(all);
  for (std::uint32_t shares : {2u, 3u, 5u, 64u}) {
    std::vector<document> joined;
    std::vector<std::uint64_t> before(1, 0);
    for (std::uint32_t s = 0; s < shares; ++s) {
      read_options ro;
      ro.share = s;
      ro.shares = shares;
      auto part = corpus_reader::open({path}, ro);
      ASSERT_TRUE(part);
      auto counts = part->share_line_counts();
      ASSERT_TRUE(counts);
      part->set_share_line_bases(before);
      before[0] += (*counts)[0];
      auto docs = read_all(*part, diag);
      ASSERT_TRUE(docs) << docs.error().message;
      joined.insert(joined.end(), docs->begin(), docs->end());
    }
    ASSERT_EQ(joined.size(), all->size()) << shares << " shares";
    for (std::size_t i = 0; i < joined.size(); ++i) {
      EXPECT_EQ(joined[i].id, (*all)[i].id);
      EXPECT_EQ(joined[i].text, (*all)[i].text);
      EXPECT_EQ(joined[i].where.line, (*all)[i].where.line);
      EXPECT_EQ(joined[i].where.offset, (*all)[i].where.offset);
    }
  }
}

TEST(Dist, DedupOnAnyNumberOfRanksIsOneProcesssResult) {
  test_util::temp_dir dir;
  const std::string path = dir.write("c.jsonl", make_corpus(400, 2));
  for (int i = 0; i < 7; ++i)
    dir.write("files/f" + std::to_string(i) + ".txt",
              i % 2 ? "the same short text here again" : "the same short text here again!");
  const std::vector<std::string> inputs{path, (dir.path / "files").string()};
  const std::string want = single(inputs);
  ASSERT_NE(want.find("\"contained\""), std::string::npos); // the corpus has both kinds
  for (int ranks : {1, 2, 3, 5}) {
    EXPECT_EQ(distributed(inputs, ranks, dist_input::shares), want) << ranks << " ranks";
    EXPECT_EQ(distributed(inputs, ranks, dist_input::scatter), want) << ranks << " ranks";
  }
}

TEST(Dist, ErrorsAreThoseOfOneProcess) {
  test_util::temp_dir dir;
  std::string text = make_corpus(200, 3);
  // A malformed line two thirds in, and a second one later that must not be reported.
  const auto cut = text.find('\n', text.size() * 2 / 3) + 1;
  text.insert(cut, "{\"id\": \"bad\", \"text\": \"unterminated\n");
  text += "{oops}\n";
  const std::string bad = dir.write("bad.jsonl", text);
  // A duplicate id whose second copy is in the last rank's range.
  const std::string dup =
      dir.write("dup.jsonl", make_corpus(200, 4) + R"({"id": "d7", "text": "x"})"
                                                   "\n");
  // The same, with a malformed line right after the second copy, in the same read batch: the
  // duplicate comes first.
  const std::string both =
      dir.write("both.jsonl", make_corpus(200, 5) + R"({"id": "d7", "text": "x"})"
                                                    "\n{broken\n");
  for (const std::string& p : {bad, dup, both}) {
    const std::string want = single({p});
    ASSERT_EQ(want.rfind("error: ", 0), 0u) << want;
    for (int ranks : {2, 3, 5})
      EXPECT_EQ(distributed({p}, ranks, dist_input::shares), want) << ranks << " ranks";
  }
}
