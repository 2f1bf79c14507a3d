// HTML pages: text extraction (blocks, dropped elements, entities, whitespace), furniture marks,
// charset prescan and sniffing, and HTML files read through corpus_reader (text, records, a page
// without a body).
#include "io/html.hpp"

#include <copydesk/io.hpp>

#include <gtest/gtest.h>

#include "temp_dir.hpp"

using namespace copydesk;
using namespace copydesk::detail;

namespace {

std::string span(const html_text& h, std::size_t i) {
  return h.text.substr(h.blocks[i].begin, h.blocks[i].end - h.blocks[i].begin);
}

} // namespace

TEST(Html, BlocksBecomeParagraphsAndScriptsGo) {
  const html_text h =
      extract_html("<html><head><title>T</title><style>p{color:red}</style></head><body>"
                   "<h1>Head &amp; line</h1><p>First   para\n graph.</p><script>var x;</script>"
                   "<noscript>enable js</noscript><template><p>no</p></template>"
                   "<ul><li>one</li><li>two</li></ul><p>a<br>b</p></body></html>");
  EXPECT_EQ(h.text, "Head & line\n\nFirst para graph.\n\none\ntwo\n\na\nb");
  ASSERT_EQ(h.blocks.size(), 5u);
  EXPECT_EQ(span(h, 0), "Head & line");
  EXPECT_EQ(h.blocks[0].flags & block_heading, block_heading);
  EXPECT_EQ(span(h, 1), "First para graph.");
  EXPECT_EQ(span(h, 2), "one");
  EXPECT_EQ(h.blocks[2].flags & block_list_item, block_list_item);
  EXPECT_EQ(span(h, 4), "a\nb");
  EXPECT_TRUE(h.has_body);
}

TEST(Html, FurnitureArticleAndLinksAreMarked) {
  const html_text h = extract_html(
      "<body><nav><a href='/'>Home</a></nav><div class='post-comments'>1 Comment</div>"
      "<article><p>Story <a href='/x'>link</a> text.</p></article>"
      "<footer>Footer</footer><div hidden>secret</div><p style='display: none'>gone</p></body>");
  EXPECT_EQ(h.text, "Home\n\n1 Comment\n\nStory link text.\n\nFooter");
  ASSERT_EQ(h.blocks.size(), 4u);
  EXPECT_EQ(h.blocks[0].flags, block_furniture);
  EXPECT_EQ(h.blocks[0].link_bytes, 4u);
  EXPECT_EQ(h.blocks[1].flags, block_furniture);
  EXPECT_EQ(h.blocks[2].flags, block_article);
  EXPECT_EQ(h.blocks[2].link_bytes, 4u);
  EXPECT_EQ(h.blocks[3].flags, block_furniture);
}

TEST(Html, NoBodyAndDeepNesting) {
  const html_text none = extract_html("<html><head><title>only a title</title></head></html>");
  EXPECT_EQ(none.text, "");
  EXPECT_TRUE(none.blocks.empty());
  EXPECT_FALSE(none.has_body);
  // 100,000 nested elements: the walk keeps its own stack.
  std::string deep;
  for (int i = 0; i < 100000; ++i)
    deep += "<span>";
  deep += "deep";
  EXPECT_EQ(extract_html(deep).text, "deep");
}

TEST(Html, CharsetPrescanAndSniffing) {
  EXPECT_EQ(meta_charset("<html><head><meta charset=\"Windows-1252\"></head>"), "windows-1252");
  EXPECT_EQ(meta_charset("<meta http-equiv=\"Content-Type\" content=\"text/html; "
                         "charset=iso-8859-2\">"),
            "iso-8859-2");
  EXPECT_EQ(meta_charset("<p>no meta</p>"), "");
  EXPECT_TRUE(looks_like_html("\xEF\xBB\xBF  <!DOCTYPE html><html>"));
  EXPECT_TRUE(looks_like_html("<HTML>"));
  EXPECT_FALSE(looks_like_html("Plain text about <html> tags"));
  EXPECT_TRUE(has_html_extension("a/B.HTM"));
  EXPECT_FALSE(has_html_extension("a.html.txt"));
}

TEST(Html, ReaderExtractsTextAndMakesRecords) {
  test_util::temp_dir dir;
  dir.write("p/a.html", "<p>Tom &amp; Jerry</p><p>said \"hi\".</p>");
  dir.write("p/b.txt", "<!doctype html><body><p>sniffed</p></body>");
  dir.write("p/c.htm", "<html><head><title>x</title></head></html>");
  read_options ro;
  ro.keep_html = true;
  auto reader = corpus_reader::open({(dir.path / "p").string()}, ro);
  ASSERT_TRUE(reader);
  diagnostics diag;
  auto docs = read_all(*reader, diag);
  ASSERT_TRUE(docs);
  ASSERT_EQ(docs->size(), 3u);
  EXPECT_EQ((*docs)[0].id, "a.html");
  EXPECT_EQ((*docs)[0].text, "Tom & Jerry\n\nsaid \"hi\".");
  EXPECT_EQ((*docs)[1].text, "sniffed");
  EXPECT_EQ((*docs)[2].text, "");
  ASSERT_EQ(diag.items().size(), 1u);
  EXPECT_EQ(diag.items()[0].message, "HTML page with no <body> (no text)");
  EXPECT_TRUE(reader->is_jsonl((*docs)[0].where));
  auto rec = reader->reread_record((*docs)[0].where);
  ASSERT_TRUE(rec);
  EXPECT_EQ(*rec, "{\"id\":\"a.html\",\"text\":\"Tom & Jerry\\n\\nsaid \\\"hi\\\".\",\"html\":"
                  "\"<p>Tom &amp; Jerry</p><p>said \\\"hi\\\".</p>\"}");
  auto again = reader->reread_text((*docs)[1].where);
  ASSERT_TRUE(again);
  EXPECT_EQ(*again, "sniffed");
  EXPECT_EQ(reader->stats().html_pages, 3u);
}
