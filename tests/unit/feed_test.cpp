// document_feed (io.hpp): documents handed over a batch at a time, and the stages run over it.
#include <copydesk/dedup.hpp>
#include <copydesk/io.hpp>
#include <copydesk/stories.hpp>

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

namespace copydesk {
namespace {

document doc(std::string id, std::string text) {
  document d;
  d.id = std::move(id);
  d.text = std::move(text);
  return d;
}

// A producer that hands over `batches` one after the other, then an empty batch.
document_feed::producer batches_of(std::vector<std::vector<document>> batches) {
  auto at = std::make_shared<std::size_t>(0);
  auto all = std::make_shared<std::vector<std::vector<document>>>(std::move(batches));
  return [at, all]() -> result<std::vector<document>> {
    if (*at == all->size())
      return std::vector<document>{};
    return (*all)[(*at)++];
  };
}

const std::string wire = "The central bank raised its main interest rate by a quarter point on "
                         "Tuesday, citing persistent inflation in services and housing costs.";
const std::string other = "Heavy rain flooded the old town overnight and the river reached its "
                          "highest level in forty years, the mayor said on Wednesday morning.";

TEST(DocumentFeed, PositionsTextsAndRepairedUtf8) {
  document_feed feed(batches_of({{doc("a", "one"), doc("b", "t\xffwo")}, {doc("c", "three")}}));
  const document_source src = feed.source();
  diagnostics diag;
  auto first = src.next_batch(diag);
  ASSERT_TRUE(first);
  ASSERT_EQ(first->size(), 2u);
  EXPECT_EQ((*first)[0].where.line, 1u);
  EXPECT_EQ((*first)[1].where.line, 2u);
  EXPECT_EQ((*first)[1].text, "t\xEF\xBF\xBDwo");
  EXPECT_EQ((*first)[1].invalid_utf8, 1u);
  EXPECT_EQ((*first)[1].where.length, 6u);
  auto second = src.next_batch(diag);
  ASSERT_TRUE(second);
  ASSERT_EQ(second->size(), 1u);
  EXPECT_EQ((*second)[0].where.line, 3u);
  auto end = src.next_batch(diag);
  ASSERT_TRUE(end);
  EXPECT_TRUE(end->empty());
  EXPECT_EQ(feed.size(), 3u);
  EXPECT_EQ(feed.text(2), "three");
  doc_info b;
  b.id = "b";
  b.where = (*first)[1].where;
  auto text = src.text(b);
  ASSERT_TRUE(text);
  EXPECT_EQ(*text, "t\xEF\xBF\xBDwo");
}

TEST(DocumentFeed, DuplicateIdAcrossBatchesNamesBothPositions) {
  document_feed feed(batches_of({{doc("a", "x"), doc("b", "y")}, {doc("b", "z")}}), "docs");
  const document_source src = feed.source();
  diagnostics diag;
  ASSERT_TRUE(src.next_batch(diag));
  auto r = src.next_batch(diag);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, errc::duplicate_id);
  EXPECT_EQ(r.error().message, "duplicate id \"b\": docs:2 and docs:3");
}

TEST(DocumentFeed, ProducerErrorStopsTheStage) {
  document_feed feed([]() -> result<std::vector<document>> {
    return make_error(errc::invalid_input, "item 4: not a string");
  });
  diagnostics diag;
  auto r = run_dedup(feed.source(), dedup_config{}, diag);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, errc::invalid_input);
  EXPECT_EQ(r.error().message, "item 4: not a string");
}

TEST(DocumentFeed, DedupOverAFeedEqualsDedupInMemory) {
  const std::vector<document> docs = {doc("w", wire), doc("c", wire + " Markets fell."),
                                      doc("o", other), doc("e", "")};
  diagnostics diag;
  auto mem = run_dedup(std::span<const document>(docs), dedup_config{}, diag);
  ASSERT_TRUE(mem);
  // One document per batch: verification must read texts of earlier batches again.
  document_feed feed(batches_of({{docs[0]}, {docs[1]}, {docs[2]}, {docs[3]}}));
  auto fed = run_dedup(feed.source(), dedup_config{}, diag);
  ASSERT_TRUE(fed);
  ASSERT_EQ(fed->documents.size(), 4u);
  EXPECT_EQ(fed->documents[0].id, "c");
  ASSERT_EQ(fed->pairs.size(), 1u);
  EXPECT_EQ(fed->documents[fed->pairs[0].a].id, "c");
  EXPECT_EQ(fed->documents[fed->pairs[0].b].id, "w");
  EXPECT_EQ(fed->pairs[0].jaccard, mem->pairs[0].jaccard);
  EXPECT_EQ(fed->pairs[0].b_in_a, 1.0);
  ASSERT_EQ(fed->clusters.size(), 1u);
  EXPECT_EQ(fed->clusters[0].members, mem->clusters[0].members);
  EXPECT_EQ(fed->cluster_of, mem->cluster_of);
}

TEST(DocumentFeed, StoriesOverAFeedEqualsStoriesInMemory) {
  const std::vector<document> docs = {doc("w", wire), doc("c", wire + " Markets fell."),
                                      doc("o", other)};
  diagnostics diag;
  auto mem = run_stories(std::span<const document>(docs), stories_config{}, diag);
  ASSERT_TRUE(mem);
  document_feed feed(batches_of({{docs[0], docs[1]}, {docs[2]}}));
  auto fed = run_stories(feed.source(), stories_config{}, diag);
  ASSERT_TRUE(fed);
  EXPECT_EQ(fed->group_of, mem->group_of);
  ASSERT_EQ(fed->groups.size(), mem->groups.size());
  for (std::size_t g = 0; g < fed->groups.size(); ++g) {
    EXPECT_EQ(fed->groups[g].members, mem->groups[g].members);
    EXPECT_EQ(fed->groups[g].label, mem->groups[g].label);
  }
}

} // namespace
} // namespace copydesk
