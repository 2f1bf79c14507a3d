// Writer tests: the report's table, JSON (streamed, byte for byte the whole tree's dump) and
// HTML writers (escaping of hostile text, nothing fetched, limits for large corpora), the other
// commands' writers through render(), and the escaping every human-facing writer uses.
#include <copydesk/pipeline.hpp>
#include <copydesk/version.hpp>
#include <copydesk/writers.hpp>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "report_fixture.hpp"
#include "temp_dir.hpp"
#include "writers/json_common.hpp"

#include <algorithm>
#include <filesystem>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

namespace fs = std::filesystem;
using namespace copydesk;
using test_util::json_of;
using test_util::read_docs;
using test_util::run_on;

namespace {

const std::string& fixture = test_util::report_fixture;

std::size_t count(const std::string& hay, const std::string& needle) {
  std::size_t n = 0;
  for (std::size_t at = hay.find(needle); at != std::string::npos; at = hay.find(needle, at + 1))
    ++n;
  return n;
}

} // namespace

TEST(ReportJson, CarriesTheContractKeys) {
  const pipeline_result r = run_on({fixture});
  const auto j = nlohmann::json::parse(json_of(r));
  EXPECT_EQ(j["command"], "report");
  EXPECT_EQ(j["version"], std::string(version()));
  for (const char* k : {"dedup", "stories", "borrow", "self_repeat_share", "verdicts"})
    EXPECT_TRUE(j["params"].contains(k)) << k;
  for (const char* k : {"summary", "diagnostics", "documents", "clusters", "pairs", "groups",
                        "results", "self_repetition"})
    EXPECT_TRUE(j.contains(k)) << k;
  ASSERT_EQ(j["documents"].size(), 9u);
  for (const auto& d : j["documents"]) {
    for (const char* k : {"id", "tokens", "cluster", "group", "verdict", "borrowed"})
      EXPECT_TRUE(d.contains(k)) << k;
  }
  EXPECT_EQ(j["documents"][0]["id"], "blob.bin");
  EXPECT_EQ(j["documents"][0]["error"], "binary file skipped");
  EXPECT_EQ(j["summary"]["documents"], 9);
  EXPECT_EQ(j["self_repetition"].size(), 1u);
  EXPECT_EQ(j["self_repetition"][0]["id"], "twice.txt");
  // Results hold every compared document, with sources naming other documents by id.
  for (const auto& res : j["results"]) {
    for (const auto& s : res["sources"]) {
      EXPECT_NE(s["reference"], res["id"]);
      for (const auto& p : s["passages"]) {
        EXPECT_EQ(p["copy"].size(), 2u);
        EXPECT_EQ(p["reference"].size(), 2u);
      }
    }
  }
  EXPECT_FALSE(render_string(r, output_format::csv).has_value());
}

// issue 19: the report's JSON was a whole tree in memory before a byte was written. It is written
// as it is made now, and must stay what dumping the whole tree printed.
TEST(ReportJson, StreamedTextIsTheWholeTreesDump) {
  const pipeline_result r = run_on({fixture});
  const std::string streamed = json_of(r);
  const auto tree = nlohmann::ordered_json::parse(streamed);
  EXPECT_EQ(detail::join_offset_pairs(tree.dump(2) + "\n"), streamed);
  EXPECT_NE(streamed.find("\"copy\": ["), std::string::npos);
  EXPECT_EQ(streamed.find("\"copy\": [\n"), std::string::npos); // offsets stay on one line

  diagnostics diag;
  auto none = run_pipeline(std::vector<document>{}, pipeline_config{}, diag);
  ASSERT_TRUE(none.has_value());
  const std::string empty = json_of(*none);
  EXPECT_EQ(nlohmann::ordered_json::parse(empty).dump(2) + "\n", empty);
  EXPECT_NE(empty.find("\n  \"documents\": [],\n"), std::string::npos);
}

TEST(ReportJson, ObjectWriterPrintsWhatDumpPrints) {
  std::ostringstream out;
  {
    detail::object_writer w(out);
    w.member("a", 1);
    w.begin_array("none");
    w.end_array();
    w.begin_array("list");
    w.element(detail::ojson{{"x", detail::ojson::array({1, 2})}, {"s", "line\nbreak"}});
    w.element(detail::ojson::object());
    w.end_array();
    w.member("o", detail::ojson{{"k", detail::ojson::array({"p", "q"})}});
    w.close();
  }
  EXPECT_EQ(out.str(), "{\n"
                       "  \"a\": 1,\n"
                       "  \"none\": [],\n"
                       "  \"list\": [\n"
                       "    {\n"
                       "      \"x\": [1, 2],\n"
                       "      \"s\": \"line\\nbreak\"\n"
                       "    },\n"
                       "    {}\n"
                       "  ],\n"
                       "  \"o\": {\n"
                       "    \"k\": [\n"
                       "      \"p\",\n"
                       "      \"q\"\n"
                       "    ]\n"
                       "  }\n"
                       "}\n");
  std::ostringstream nothing;
  { detail::object_writer(nothing).close(); }
  EXPECT_EQ(nothing.str(), "{}\n");
}

TEST(Writers, AFormatAWriterCannotWriteWritesNothing) {
  const pipeline_result r = run_on({fixture});
  for (const output_format f : {output_format::jsonl, output_format::csv}) {
    std::ostringstream out;
    const auto w = render(out, r, f);
    ASSERT_FALSE(w.has_value());
    EXPECT_EQ(w.error().code, errc::invalid_argument);
    EXPECT_EQ(w.error().message, "the report is written as a table or JSON (--format table|json)");
    EXPECT_TRUE(out.str().empty());
  }
}

// dedup JSONL keeps the input record's keys when it has the reader, and writes {"id", "tokens"}
// records without one.
TEST(Writers, DedupJsonlUsesTheReaderOfTheContext) {
  const test_util::temp_dir dir;
  const std::string text = "the river rose overnight and the bridge was closed to traffic";
  const std::string path =
      dir.write("in.jsonl", "{\"id\": \"a\", \"text\": \"" + text + "\", \"site\": 1}\n" +
                                "{\"id\": \"b\", \"text\": \"" + text + "\"}\n");
  auto reader = corpus_reader::open({path});
  ASSERT_TRUE(reader.has_value());
  diagnostics diag;
  auto res = run_dedup(*reader, dedup_config{}, diag);
  ASSERT_TRUE(res.has_value());
  auto with = render_string(*res, output_format::jsonl, render_context{&*reader});
  ASSERT_TRUE(with.has_value());
  EXPECT_EQ(*with, "{\"id\":\"a\",\"text\":\"" + text +
                       "\",\"site\":1,\"cluster\":1,\"representative\":\"a\"}\n"
                       "{\"id\":\"b\",\"text\":\"" +
                       text + "\",\"cluster\":1,\"representative\":\"a\"}\n");
  auto without = render_string(*res, output_format::jsonl);
  ASSERT_TRUE(without.has_value());
  EXPECT_EQ(*without, "{\"id\":\"a\",\"tokens\":11,\"cluster\":1,\"representative\":\"a\"}\n"
                      "{\"id\":\"b\",\"tokens\":11,\"cluster\":1,\"representative\":\"a\"}\n");
  auto csv = render_string(*res, output_format::csv);
  ASSERT_TRUE(csv.has_value());
  EXPECT_EQ(*csv, "a,b,kind,jaccard,a_in_b,b_in_a,shared,cluster\n"
                  "a,b,exact,1.0000,1.0000,1.0000,7,1\n");
}

TEST(ReportHtml, HostileTextIsEscapedAndNothingIsFetched) {
  std::vector<document> docs = read_docs(fixture);
  document evil;
  evil.id = "<img src=x onerror=alert(3)>.txt";
  evil.text = "</textarea><script>document.title='owned'</script> "
              "\"><svg onload=alert(4)> ' & more words to make a document";
  docs.push_back(evil);
  diagnostics diag;
  auto r = run_pipeline(std::move(docs), pipeline_config{}, diag);
  ASSERT_TRUE(r.has_value());
  const std::string page = render_html(*r);
  for (const char* raw : {"<script>alert", "<img", "</textarea>", "<svg onload",
                          "onerror=alert(1)>", "document.title='owned'"}) {
    EXPECT_EQ(page.find(raw), std::string::npos) << raw;
  }
  EXPECT_NE(page.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
  EXPECT_NE(page.find("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"), std::string::npos);
  EXPECT_NE(page.find("&lt;/textarea&gt;"), std::string::npos);
  EXPECT_NE(page.find("&lt;img src=x onerror=alert(3)&gt;.txt"), std::string::npos);
  // The only scripts are the page's own two; no element loads anything.
  EXPECT_EQ(count(page, "<script"), 2u);
  EXPECT_EQ(count(page, "</script>"), 2u);
  for (const char* fetch : {"http:", "https:", "src=\"", "url(", "@import", "<link", "<iframe"})
    EXPECT_EQ(page.find(fetch), std::string::npos) << fetch;
}

TEST(ReportHtml, ShowsStoriesClustersHeatmapAndPassageViews) {
  const pipeline_result r = run_on({fixture});
  const std::string page = render_html(r);
  EXPECT_NE(page.find("<h2 id=\"stories\">"), std::string::npos);
  EXPECT_EQ(count(page, "<article class=\"story\""), 3u); // bridge, notices, festival
  EXPECT_NE(page.find("id=\"cluster-table\""), std::string::npos);
  EXPECT_NE(page.find("<svg"), std::string::npos);
  EXPECT_NE(page.find("class=\"verdict v-own_words\""), std::string::npos);
  // Pair views: wire-page, wire-rewrite, page-rewrite, the notices; one self view.
  EXPECT_EQ(count(page, "<details class=\"view\" id=\"v"), 4u);
  EXPECT_EQ(count(page, "<details class=\"view\" id=\"s"), 1u);
  EXPECT_GT(count(page, "<mark id="), 8u);
  // Every link to a view points at a view that exists.
  for (std::size_t at = page.find("href=\"#v"); at != std::string::npos;
       at = page.find("href=\"#v", at + 1)) {
    const std::size_t end = page.find('"', at + 7);
    const std::string target = page.substr(at + 7, end - at - 7);
    EXPECT_NE(page.find("id=\"" + target + "\""), std::string::npos) << target;
  }
  // Settings are printed.
  EXPECT_NE(page.find("dedup.threshold"), std::string::npos);
  EXPECT_NE(page.find("self_repeat_share"), std::string::npos);
}

TEST(ReportHtml, LimitsKeepLargeReportsSmallAndSaySo) {
  const pipeline_result r = run_on({fixture});
  report_html_options o;
  o.heatmap_max = 3;
  o.views_max = 1;
  o.table_rows_max = 1;
  o.stories_max = 1;
  const std::string page = render_html(r, o);
  EXPECT_EQ(count(page, "<details class=\"view\" id=\"v"), 1u);
  EXPECT_NE(page.find("Passage views are limited to 1"), std::string::npos);
  EXPECT_NE(page.find("The heatmap shows"), std::string::npos);
  EXPECT_NE(page.find("more stories with several documents are not shown"), std::string::npos);
  EXPECT_NE(page.find("Showing 1 of"), std::string::npos);
  EXPECT_EQ(count(page, "<article class=\"story\""), 1u);

  pipeline_config cfg;
  cfg.keep_texts = false;
  const pipeline_result bare = run_on({fixture}, 1, cfg);
  const std::string no_views = render_html(bare);
  EXPECT_EQ(count(no_views, "<details class=\"view\""), 0u);
  EXPECT_NE(no_views.find("Texts were not kept"), std::string::npos);
}

// issue 19 item 10: control characters in ids reached tables and messages raw, so an id with a
// newline split a line and one with ESC drove the terminal. One function escapes them for every
// human-facing writer; JSON keeps its own escaping.
TEST(Regression, ControlCharactersAreEscapedForHumans) {
  EXPECT_EQ(escape_controls("plain id, caf\xc3\xa9 \xe4\xb8\xad"),
            "plain id, caf\xc3\xa9 \xe4\xb8\xad");
  EXPECT_EQ(escape_controls("a\nb\r\tc\x1b[31m\x7f"), "a\\nb\\r\\tc\\x1b[31m\\x7f");
  EXPECT_EQ(escape_controls("x\xc2\x85y\xc2\x9b"), "x\\u0085y\\u009b"); // C1: NEL, CSI
  EXPECT_EQ(escape_controls("line\nnext\t\x01", true), "line\nnext\t\\x01");
  EXPECT_EQ(html_escape("<b>\x1b[2J</b>\n"), "&lt;b&gt;\\x1b[2J&lt;/b&gt;\n");

  const test_util::temp_dir dir;
  const std::string text = "the river rose overnight and the bridge was closed to traffic";
  const std::string jsonl =
      dir.write("c.jsonl", "{\"id\": \"evil\\n\\u001b[31mred\", \"text\": \"" + text + "\"}\n" +
                               "{\"id\": \"plain\", \"text\": \"" + text + "\"}\n");
  const pipeline_result r = run_on({jsonl});
  auto table = render_string(r, output_format::table);
  ASSERT_TRUE(table);
  EXPECT_EQ(table->find('\x1b'), std::string::npos);
  EXPECT_NE(table->find("evil\\n\\x1b[31mred"), std::string::npos);
  for (std::size_t at = table->find("evil"); at != std::string::npos;
       at = table->find("evil", at + 1))
    EXPECT_EQ(table->compare(at, 6, "evil\\n"), 0) << "a raw newline after \"evil\"";
  const std::string html = render_html(r);
  EXPECT_EQ(html.find('\x1b'), std::string::npos);
  // JSON escapes by its own rules: the id round-trips exactly.
  const auto j = nlohmann::json::parse(json_of(r));
  bool found = false;
  for (const auto& d : j["documents"])
    found = found || d["id"] == "evil\n\x1b[31mred";
  EXPECT_TRUE(found);
}

// Verdict names come from one table: JSON keys, table words and HTML labels per verdict.
TEST(Verdict, EveryOutputTakesItsWordsFromOneTable) {
  const std::vector<std::tuple<verdict, std::string, std::string, std::string>> want = {
      {verdict::none, "none", "", "alone"},
      {verdict::duplicate, "duplicate", "DUPLICATE", "duplicate"},
      {verdict::copy, "copy", "COPY", "copy"},
      {verdict::borrows, "borrows", "BORROWS", "borrows"},
      {verdict::own_words, "own_words", "OWN WORDS", "own words"},
  };
  for (const auto& [v, key, table, label] : want) {
    EXPECT_EQ(names_of(v).key, key);
    EXPECT_EQ(names_of(v).table, table);
    EXPECT_EQ(names_of(v).label, label);
    EXPECT_EQ(std::string(to_string(v)), key);
  }
}
