// WARC files: records (types counted and skipped), HTTP responses (chunked, gzip, charsets),
// ids from WARC-Record-ID or the target URI, WARC-Date as a field, .warc.gz with one member per
// record, rereads, and bad input (a wrong Content-Length, a truncated gzip stream).
#include "io/warc.hpp"

#include <copydesk/io.hpp>

#include <gtest/gtest.h>

#include "temp_dir.hpp"

#include <zlib.h>

using namespace copydesk;

namespace {

std::string record(const std::string& type, const std::string& id, const std::string& extra,
                   const std::string& block, long length = -1) {
  return "WARC/1.1\r\nWARC-Type: " + type + "\r\nWARC-Record-ID: <urn:uuid:" + id + ">\r\n" +
         extra + "Content-Length: " +
         std::to_string(length < 0 ? static_cast<long>(block.size()) : length) + "\r\n\r\n" +
         block + "\r\n\r\n";
}

std::string response(const std::string& id, const std::string& url, const std::string& headers,
                     const std::string& body) {
  return record("response", id,
                "WARC-Target-URI: " + url +
                    "\r\nWARC-Date: 2026-11-02T10:00:00Z\r\nContent-Type: application/http; "
                    "msgtype=response\r\n",
                "HTTP/1.1 200 OK\r\n" + headers + "\r\n" + body);
}

std::string gzip(const std::string& data) {
  z_stream zs{};
  deflateInit2(&zs, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&zs, data.size()) + 32, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  deflate(&zs, Z_FINISH);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

const std::string page_html = "<html><body><p>Caf\xC3\xA9 opens.</p></body></html>";

std::vector<std::string> warc_records() {
  return {
      record("warcinfo", "0000", "Content-Type: application/warc-fields\r\n", "software: t\r\n"),
      record("request", "0001", "WARC-Target-URI: http://a.example/\r\n", "GET / HTTP/1.1\r\n\r\n"),
      response("0002", "http://a.example/", "Content-Type: text/html; charset=utf-8\r\n",
               page_html),
      // chunked, then a latin-1 text/plain page
      response("0003", "http://b.example/t",
               "Content-Type: text/plain; charset=ISO-8859-1\r\nTransfer-Encoding: chunked\r\n",
               "4\r\nna\xEFv\r\n3\r\ne.\n\r\n0\r\n\r\n"),
      response("0004", "http://c.example/", "Content-Type: text/html\r\nContent-Encoding: gzip\r\n",
               gzip("<meta charset=windows-1252><p>\x93quoted\x94</p>")),
      response("0005", "http://d.example/logo.png", "Content-Type: image/png\r\n", "PNG"),
      record("metadata", "0006", "", "fetchTimeMs: 5\r\n"),
  };
}

result<std::vector<document>> read(const std::string& path, diagnostics& diag,
                                   read_options ro = {}) {
  auto r = corpus_reader::open({path}, std::move(ro));
  if (!r)
    return r.error();
  return read_all(*r, diag);
}

} // namespace

TEST(Warc, ResponsesBecomeDocumentsOtherRecordsAreCounted) {
  test_util::temp_dir dir;
  std::string all;
  for (const std::string& r : warc_records())
    all += r;
  const std::string path = dir.write("crawl.warc", all);
  read_options ro;
  ro.meta_fields = {"time", "url"};
  auto reader = corpus_reader::open({path}, ro);
  ASSERT_TRUE(reader);
  diagnostics diag;
  auto docs = read_all(*reader, diag);
  ASSERT_TRUE(docs) << docs.error().message;
  ASSERT_EQ(docs->size(), 3u);
  EXPECT_EQ((*docs)[0].id, "urn:uuid:0002");
  EXPECT_EQ((*docs)[0].text, "Caf\xC3\xA9 opens.");
  EXPECT_EQ((*docs)[0].meta[0], "2026-11-02T10:00:00Z");
  EXPECT_EQ((*docs)[0].meta[1], "http://a.example/");
  EXPECT_EQ((*docs)[1].id, "urn:uuid:0003");
  EXPECT_EQ((*docs)[1].text, "na\xC3\xAFve.\n");
  EXPECT_EQ((*docs)[2].id, "urn:uuid:0004");
  EXPECT_EQ((*docs)[2].text, "\xE2\x80\x9Cquoted\xE2\x80\x9D");
  EXPECT_EQ(reader->describe((*docs)[2].where), path + "#5");
  EXPECT_TRUE(diag.empty());
  const read_stats st = reader->stats();
  EXPECT_EQ(st.warc_records, 7u);
  EXPECT_EQ(st.html_pages, 2u);
  ASSERT_EQ(st.warc_skipped.size(), 4u);
  EXPECT_EQ(st.warc_skipped[0].first, "metadata records");
  EXPECT_EQ(st.warc_skipped[1].first, "request records");
  EXPECT_EQ(st.warc_skipped[2].first, "responses of other content types");
  EXPECT_EQ(st.warc_skipped[3].first, "warcinfo records");
  auto again = reader->reread_text((*docs)[2].where);
  ASSERT_TRUE(again);
  EXPECT_EQ(*again, (*docs)[2].text);
  auto rec = reader->reread_record((*docs)[0].where);
  ASSERT_TRUE(rec);
  EXPECT_EQ(*rec, "{\"id\":\"urn:uuid:0002\",\"time\":\"2026-11-02T10:00:00Z\",\"url\":"
                  "\"http://a.example/\",\"text\":\"Caf\xC3\xA9 opens.\"}");
}

TEST(Warc, GzipMembersIdsFromUrlsAndRereads) {
  test_util::temp_dir dir;
  std::string all;
  for (const std::string& r : warc_records())
    all += gzip(r);
  // Two records in one member too: rereads start inside it.
  all += gzip(response("0007", "http://e.example/", "Content-Type: text/plain\r\n", "one\n") +
              response("0008", "http://f.example/", "Content-Type: text/plain\r\n", "two\n"));
  const std::string path = dir.write("crawl.warc.gz", all);
  read_options ro;
  ro.id_field = "url";
  auto reader = corpus_reader::open({path}, ro);
  ASSERT_TRUE(reader);
  diagnostics diag;
  auto docs = read_all(*reader, diag);
  ASSERT_TRUE(docs) << docs.error().message;
  ASSERT_EQ(docs->size(), 5u);
  EXPECT_EQ((*docs)[0].id, "http://a.example/");
  EXPECT_EQ((*docs)[3].id, "http://e.example/");
  EXPECT_EQ((*docs)[4].id, "http://f.example/");
  for (const document& d : *docs) {
    auto again = reader->reread_text(d.where);
    ASSERT_TRUE(again) << again.error().message;
    EXPECT_EQ(*again, d.text);
  }
}

TEST(Warc, WrongContentLengthIsAnErrorNamingTheRecord) {
  test_util::temp_dir dir;
  const std::vector<std::string> recs = warc_records();
  std::string bad = record("request", "0001", "", "GET / HTTP/1.1\r\n\r\n", 10);
  const std::string path = dir.write("bad.warc", recs[0] + bad + recs[2]);
  diagnostics diag;
  auto docs = read(path, diag);
  ASSERT_FALSE(docs);
  EXPECT_EQ(docs.error().code, errc::invalid_input);
  EXPECT_EQ(docs.error().message,
            path + ": WARC record 2 at byte " + std::to_string(recs[0].size()) +
                ": Content-Length 10 does not match the record: its block is not followed by "
                "the blank line (CRLF CRLF) that ends a record");
  // --skip-bad: a warning, and the next record is still read.
  read_options ro;
  ro.skip_bad = true;
  diagnostics diag2;
  auto kept = read(path, diag2, ro);
  ASSERT_TRUE(kept) << kept.error().message;
  ASSERT_EQ(kept->size(), 1u);
  EXPECT_EQ((*kept)[0].id, "urn:uuid:0002");
  ASSERT_EQ(diag2.items().size(), 1u);
}

TEST(Warc, TruncatedGzipIsAnError) {
  test_util::temp_dir dir;
  const std::vector<std::string> recs = warc_records();
  const std::string first = gzip(recs[0]);
  std::string second = gzip(recs[2]);
  second.resize(second.size() / 2);
  const std::string path = dir.write("cut.warc.gz", first + second);
  diagnostics diag;
  auto docs = read(path, diag);
  ASSERT_FALSE(docs);
  EXPECT_EQ(docs.error().message, path + ": truncated gzip stream: the member at byte " +
                                      std::to_string(first.size()) +
                                      " ends before its end (the file was cut short)");
}

TEST(Warc, DechunkAndInflate) {
  std::string out;
  EXPECT_TRUE(detail::dechunk("3;ext=1\r\nabc\r\n2\r\nde\r\n0\r\n\r\n", out));
  EXPECT_EQ(out, "abcde");
  EXPECT_FALSE(detail::dechunk("zz\r\nabc", out));
  EXPECT_TRUE(detail::inflate_body(gzip("hello"), out, 100));
  EXPECT_EQ(out, "hello");
  EXPECT_FALSE(detail::inflate_body("not gzip", out, 100));
}
