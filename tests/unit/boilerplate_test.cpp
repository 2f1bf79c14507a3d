// Page furniture: the block classifier on HTML pages and plain lines (menus, headline lists,
// comment threads, footers), blanking that keeps offsets, and --strip-boilerplate through the
// reader (spans in records, counts), plus the labelled scraped set when its files are present.
#include "io/boilerplate.hpp"

#include <copydesk/io.hpp>

#include <gtest/gtest.h>

#include "temp_dir.hpp"

using namespace copydesk;
using namespace copydesk::detail;

namespace {

const std::string para1 =
    "The city's water is safe to drink again, officials said on Tuesday, after three days of "
    "tests found no trace of the bacteria that had prompted the alert last week.";
const std::string para2 =
    "Residents of the eastern districts had been told to boil all water for at least a minute "
    "before drinking it, and schools in the area were closed for two days.";

std::string kept_lines(const std::string& text) {
  std::vector<text_block> blocks = line_blocks(text);
  std::string t = text;
  (void)strip_blocks(t, blocks);
  std::string out;
  for (const text_block& b : blocks) {
    const std::string line = t.substr(b.begin, b.end - b.begin);
    if (line.find_first_not_of(' ') != std::string::npos)
      out += line + "|";
  }
  return out;
}

} // namespace

TEST(Boilerplate, PlainTextMenusCommentsAndFooterGo) {
  const std::string text = "Skip to main content\nHome\nNews\nSport\nWeather\n"
                           "Water alert lifted\n" +
                           para1 + "\nHe declined to comment.\n" + para2 +
                           "\nRelated stories\nCouncil approves new budget for road repairs\n"
                           "Reservoir levels fall below seasonal average after a dry spring\n"
                           "1 Comment\nwatcher\nWhy so late?\nReply\nView All 1 Comment\n"
                           "\xC2\xA9 2026 Aldmoor Times. All rights reserved.\n"
                           "14 Quay Street, Castlebrook\n";
  EXPECT_EQ(kept_lines(text), para1 + "|He declined to comment.|" + para2 + "|");
}

TEST(Boilerplate, BlankingKeepsOffsetsAndReportsSpans) {
  std::string text = "Menu\n" + para1 + "\nReply\n";
  const std::string before = text;
  const strip_summary s = strip_blocks(text, line_blocks(text));
  ASSERT_EQ(text.size(), before.size());
  EXPECT_EQ(text.substr(5, para1.size()), para1);
  EXPECT_EQ(text.substr(0, 5), "    \n");
  ASSERT_EQ(s.removed.size(), 2u);
  EXPECT_EQ(s.removed[0].begin, 0u);
  EXPECT_EQ(s.removed[0].end, 4u);
  EXPECT_EQ(s.removed[1].begin, 6u + para1.size());
  EXPECT_EQ(s.removed[1].end, 11u + para1.size());
  EXPECT_EQ(s.removed_bytes, 9u);
  EXPECT_EQ(s.blocks, 3u);
}

TEST(Boilerplate, HtmlBlocksByTagAndHeadlineOverArticle) {
  const html_text h = extract_html(
      "<body><header><a href='/'>Daily</a></header><nav><ul><li><a href='/n'>News</a></li>"
      "<li><a href='/s'>Sport</a></li></ul></nav><h1>Water alert lifted</h1><p>" +
      para1 + "</p><p>" + para2 + "</p><aside class='related'><h2>Related</h2><p>" + para2 +
      "</p></aside><div class='newsletter'>Sign up</div><footer>Contact</footer></body>");
  const std::vector<bool> keep = classify_blocks(h.text, h.blocks);
  std::string kept;
  for (std::size_t i = 0; i < keep.size(); ++i) {
    if (keep[i])
      kept += h.text.substr(h.blocks[i].begin, h.blocks[i].end - h.blocks[i].begin) + "|";
  }
  EXPECT_EQ(kept, "Water alert lifted|" + para1 + "|" + para2 + "|");
}

TEST(Boilerplate, ReaderStripsJsonlAndFilesAndCounts) {
  test_util::temp_dir dir;
  const std::string page = "Home\nNews\n" + para1 + "\nReply\n";
  dir.write("a.txt", page);
  std::string jsonl = "{\"id\":\"j1\",\"text\":\"Home\\nNews\\n" + para1 + "\\nReply\"}\n";
  const std::string jpath = dir.write("b.jsonl", jsonl);
  read_options ro;
  ro.strip_boilerplate = true;
  auto reader = corpus_reader::open({dir.path.string() + "/a.txt", jpath}, ro);
  ASSERT_TRUE(reader);
  diagnostics diag;
  auto docs = read_all(*reader, diag);
  ASSERT_TRUE(docs);
  ASSERT_EQ(docs->size(), 2u);
  const std::string blanked = "    \n    \n" + para1 + "\n     \n";
  EXPECT_EQ((*docs)[0].text, blanked);
  EXPECT_EQ((*docs)[1].text, blanked.substr(0, blanked.size() - 1));
  EXPECT_EQ((*docs)[0].boilerplate_blocks, 3u);
  EXPECT_EQ((*docs)[0].boilerplate_bytes, 13u);
  EXPECT_EQ((*docs)[1].boilerplate_blocks, 3u);
  EXPECT_EQ((*docs)[1].boilerplate_bytes, 13u);
  auto rec = reader->reread_record((*docs)[1].where);
  ASSERT_TRUE(rec);
  const std::string spans = "[[0,4],[5,9],[" + std::to_string(11 + para1.size()) + "," +
                            std::to_string(16 + para1.size()) + "]]";
  EXPECT_EQ(rec->substr(rec->size() - spans.size() - 16), ",\"boilerplate\":" + spans + "}");
  auto text = reader->reread_text((*docs)[0].where);
  ASSERT_TRUE(text);
  EXPECT_EQ(*text, blanked);
  const read_stats st = reader->stats();
  EXPECT_EQ(st.stripped_documents, 2u);
  EXPECT_EQ(st.stripped_blocks, 6u);
  EXPECT_EQ(st.stripped_bytes, 26u);
}
