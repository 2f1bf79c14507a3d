// Input formats of the corpus reader (issue 14): gzip and zstd streams (by magic bytes, members
// and frames, truncation and corruption, rereads through the kept copy), CSV / TSV (RFC 4180
// quoting, header, ids, bad rows), UTF-16 and legacy charsets converted to UTF-8.
#include <copydesk/io.hpp>
#include <copydesk/text.hpp>

#include <gtest/gtest.h>

#include "io/csv.hpp"
#include "io/stream.hpp"
#include "temp_dir.hpp"

#include <zlib.h>
#include <zstd.h>

#include <algorithm>
#include <string>
#include <vector>

using namespace copydesk;
using copydesk::test_util::temp_dir;

namespace {

std::string gzip_bytes(const std::string& s) {
  z_stream z{};
  EXPECT_EQ(deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY), Z_OK);
  std::string out(deflateBound(&z, static_cast<uLong>(s.size())) + 64, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(s.data()));
  z.avail_in = static_cast<uInt>(s.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(deflate(&z, Z_FINISH), Z_STREAM_END);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

std::string zstd_bytes(const std::string& s) {
  std::string out(ZSTD_compressBound(s.size()), '\0');
  const std::size_t n = ZSTD_compress(out.data(), out.size(), s.data(), s.size(), 3);
  EXPECT_FALSE(ZSTD_isError(n));
  out.resize(n);
  return out;
}

// `n` JSONL records {"id": "dI", "text": "..."} with distinct texts of a few dozen bytes.
std::string records(int n, int first = 0) {
  std::string s;
  for (int i = first; i < first + n; ++i) {
    s += "{\"id\": \"d" + std::to_string(i) + "\", \"text\": \"record " + std::to_string(i) +
         " says " + std::to_string(i * 7919 % 10007) + " things\"}\n";
  }
  return s;
}

std::string text_of(int i) {
  return "record " + std::to_string(i) + " says " + std::to_string(i * 7919 % 10007) + " things";
}

struct read_result {
  std::vector<document> docs;
  diagnostics diag;
  std::string error;
};

read_result read_inputs(const std::vector<std::string>& inputs, read_options ro = {}) {
  read_result out;
  auto r = corpus_reader::open(inputs, std::move(ro));
  if (!r) {
    out.error = r.error().message;
    return out;
  }
  auto docs = read_all(*r, out.diag);
  if (!docs)
    out.error = docs.error().message;
  else
    out.docs = std::move(*docs);
  return out;
}

std::vector<std::string> ids(const std::vector<document>& docs) {
  std::vector<std::string> v;
  v.reserve(docs.size());
  for (const auto& d : docs)
    v.push_back(d.id);
  return v;
}

std::string utf16le(const std::u16string& s) {
  std::string out;
  for (const char16_t c : s) {
    out.push_back(static_cast<char>(c & 0xFF));
    out.push_back(static_cast<char>(c >> 8));
  }
  return out;
}

std::string utf16be(const std::u16string& s) {
  std::string out;
  for (const char16_t c : s) {
    out.push_back(static_cast<char>(c >> 8));
    out.push_back(static_cast<char>(c & 0xFF));
  }
  return out;
}

} // namespace

TEST(Compressed, GzipAndZstdJsonlGiveTheRecordsOfThePlainFile) {
  temp_dir dir;
  const std::string plain = records(50);
  const auto gz = dir.write("c.jsonl.gz", gzip_bytes(plain));
  const auto zst = dir.write("c.jsonl.zst", zstd_bytes(plain));
  for (const auto& path : {gz, zst}) {
    auto r = read_inputs({path});
    ASSERT_EQ(r.error, "") << path;
    ASSERT_EQ(r.docs.size(), 50u);
    EXPECT_EQ(r.docs[0].id, "d0");
    EXPECT_EQ(r.docs[0].text, text_of(0));
    EXPECT_EQ(r.docs[49].id, "d49");
    EXPECT_EQ(r.docs[49].text, text_of(49));
    EXPECT_EQ(r.docs[49].where.line, 50u);
    // Offsets are in the decompressed stream: record 49 starts where the plain file has it.
    EXPECT_EQ(r.docs[49].where.offset, plain.find("{\"id\": \"d49\""));
    EXPECT_TRUE(r.diag.items().empty());
  }
}

TEST(Compressed, ConcatenatedGzipMembersAndZstdFramesAreOneStream) {
  temp_dir dir;
  const auto gz =
      dir.write("m.jsonl.gz", gzip_bytes(records(3)) + gzip_bytes(records(2, 3)) + gzip_bytes(""));
  const auto zst = dir.write("m.jsonl.zst", zstd_bytes(records(3)) + zstd_bytes(records(2, 3)));
  for (const auto& path : {gz, zst}) {
    auto r = read_inputs({path});
    ASSERT_EQ(r.error, "") << path;
    EXPECT_EQ(ids(r.docs), (std::vector<std::string>{"d0", "d1", "d2", "d3", "d4"}));
    EXPECT_EQ(r.docs[4].text, text_of(4));
    EXPECT_EQ(r.docs[4].where.line, 5u);
  }
}

TEST(Compressed, MagicBytesDecideNotTheExtension) {
  temp_dir dir;
  const auto hidden = dir.write("gz-inside.jsonl", gzip_bytes(records(2)));
  const auto plain = dir.write("not-really.jsonl.zst", records(2, 2));
  const auto zst_as_gz = dir.write("zstd.jsonl.gz", zstd_bytes(records(1, 4)));
  auto r = read_inputs({hidden, plain, zst_as_gz});
  ASSERT_EQ(r.error, "");
  EXPECT_EQ(ids(r.docs), (std::vector<std::string>{"d0", "d1", "d2", "d3", "d4"}));
  EXPECT_EQ(r.docs[2].text, text_of(2));
}

TEST(Compressed, JsonGzIsJsonlAndOtherCompressedFilesAreOneDocument) {
  temp_dir dir;
  const auto json_gz = dir.write("c4.json.gz", gzip_bytes(records(2)));
  const auto txt_gz = dir.write("story.txt.gz", gzip_bytes("A harbour story.\n"));
  dir.write("d/page.txt.zst", zstd_bytes("Inside a directory."));
  auto r = read_inputs({json_gz, txt_gz, (dir.path / "d").string()});
  ASSERT_EQ(r.error, "");
  EXPECT_EQ(ids(r.docs), (std::vector<std::string>{"d0", "d1", txt_gz, "page.txt.zst"}));
  EXPECT_EQ(r.docs[2].text, "A harbour story.\n");
  EXPECT_EQ(r.docs[3].text, "Inside a directory.");
  // A whole compressed file is read again by decompressing it again.
  auto reader = corpus_reader::open({txt_gz});
  ASSERT_TRUE(reader);
  diagnostics diag;
  auto docs = read_all(*reader, diag);
  ASSERT_TRUE(docs);
  auto again = reader->reread_text((*docs)[0].where);
  ASSERT_TRUE(again);
  EXPECT_EQ(*again, "A harbour story.\n");
}

TEST(Compressed, TruncatedGzipNamesTheFileAndTheLastCompleteLine) {
  temp_dir dir;
  const std::string plain = records(400);
  const std::string gz = gzip_bytes(plain);
  const auto path = dir.write("cut.jsonl.gz", gz.substr(0, gz.size() / 2));
  auto r = read_inputs({path});
  // How many lines half the compressed bytes hold, as zlib itself decodes them.
  std::string decoded(plain.size(), '\0');
  z_stream z{};
  inflateInit2(&z, 15 + 16);
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(gz.data()));
  z.avail_in = static_cast<uInt>(gz.size() / 2);
  z.next_out = reinterpret_cast<Bytef*>(decoded.data());
  z.avail_out = static_cast<uInt>(decoded.size());
  inflate(&z, Z_SYNC_FLUSH);
  decoded.resize(z.total_out);
  inflateEnd(&z);
  const auto complete = std::count(decoded.begin(), decoded.end(), '\n');
  ASSERT_GT(complete, 10);
  EXPECT_EQ(r.error, path +
                         ": truncated gzip stream (the input ends inside a compressed member) "
                         "after line " +
                         std::to_string(complete) + ", the last complete one");

  // --skip-bad: the complete lines, then one document standing for the lost rest.
  read_options ro;
  ro.skip_bad = true;
  r = read_inputs({path}, ro);
  ASSERT_EQ(r.error, "");
  ASSERT_EQ(r.docs.size(), static_cast<std::size_t>(complete) + 1);
  EXPECT_EQ(r.docs[complete - 1].text, text_of(static_cast<int>(complete) - 1));
  const document& lost = r.docs.back();
  EXPECT_EQ(lost.id, path + ":" + std::to_string(complete + 1));
  EXPECT_TRUE(lost.text.empty());
  EXPECT_EQ(lost.error, "truncated gzip stream (the input ends inside a compressed member) after "
                        "line " +
                            std::to_string(complete) + ", the last complete one");
  ASSERT_EQ(r.diag.items().size(), 1u);
  EXPECT_EQ(r.diag.items()[0].message, lost.error + " (the rest is skipped)");
}

TEST(Compressed, ZstdFrameCutInHalfAndCorruptBytesAreErrors) {
  temp_dir dir;
  // Two frames: the first is whole, the second is cut in half.
  const std::string second = zstd_bytes(records(100, 3));
  const auto cut =
      dir.write("cut.jsonl.zst", zstd_bytes(records(3)) + second.substr(0, second.size() / 2));
  auto r = read_inputs({cut});
  EXPECT_EQ(r.error.substr(0, cut.size() + 2), cut + ": ");
  EXPECT_NE(r.error.find("truncated zstd stream (the input ends inside a frame) after line "),
            std::string::npos)
      << r.error;

  std::string bad = zstd_bytes(records(3));
  bad[4] = static_cast<char>(bad[4] | 0x08); // a reserved bit of the frame header
  const auto corrupt = dir.write("bad.jsonl.zst", bad);
  r = read_inputs({corrupt});
  EXPECT_EQ(r.error, corrupt + ": corrupt zstd stream (Unsupported frame parameter), before the "
                               "first complete line");

  const auto garbage = dir.write("tail.jsonl.gz", gzip_bytes(records(2)) + "garbage");
  r = read_inputs({garbage});
  EXPECT_EQ(r.error, garbage + ": corrupt gzip stream (incorrect header check) after line 2, the "
                               "last complete one");
}

TEST(Compressed, RecordsAreReadAgainFromTheKeptCopyInAnyOrder) {
  temp_dir dir;
  // About 1 MB of records: many store blocks; records cross block and refill boundaries.
  const int n = 12000;
  const auto path = dir.write("many.jsonl.zst", zstd_bytes(records(n)));
  read_options ro;
  ro.read_chunk_bytes = 1000;
  ro.keep_raw_bytes = 200000; // one block as it is, the others compressed
  auto reader = corpus_reader::open({path}, ro);
  ASSERT_TRUE(reader);
  diagnostics diag;
  auto docs = read_all(*reader, diag);
  ASSERT_TRUE(docs);
  ASSERT_EQ(docs->size(), static_cast<std::size_t>(n));
  for (int i = n - 1; i >= 0; i -= 97) {
    auto t = reader->reread_text((*docs)[i].where);
    ASSERT_TRUE(t) << t.error().message;
    EXPECT_EQ(*t, text_of(i));
    auto rec = reader->reread_record((*docs)[i].where);
    ASSERT_TRUE(rec);
    EXPECT_EQ(*rec, "{\"id\": \"d" + std::to_string(i) + "\", \"text\": \"" + text_of(i) + "\"}");
  }
}

TEST(Compressed, LineOverTheSizeLimitIsSkippedInsideACompressedStream) {
  temp_dir dir;
  const std::string big = "{\"id\": \"big\", \"text\": \"" + std::string(5000, 'x') + "\"}\n";
  const auto path = dir.write("big.jsonl.gz", gzip_bytes(records(1) + big + records(1, 1)));
  read_options ro;
  ro.max_doc_bytes = 1000;
  ro.read_chunk_bytes = 256;
  auto reader = corpus_reader::open({path}, ro);
  ASSERT_TRUE(reader);
  diagnostics diag;
  auto docs = read_all(*reader, diag);
  ASSERT_TRUE(docs);
  EXPECT_EQ(ids(*docs), (std::vector<std::string>{"d0", path + ":2", "d1"}));
  EXPECT_EQ((*docs)[1].error, "5025 bytes, larger than the document size limit of 1000 bytes "
                              "(--max-doc-bytes)");
  // The skipped line is left out of the kept copy: the record after it is read again right.
  auto t = reader->reread_text((*docs)[2].where);
  ASSERT_TRUE(t);
  EXPECT_EQ(*t, text_of(1));
}

TEST(Compressed, MemorySourcesAreDecompressedToo) {
  auto r = corpus_reader::open_jsonl_bytes("mem.jsonl.gz", gzip_bytes(records(2)));
  ASSERT_TRUE(r);
  diagnostics diag;
  auto docs = read_all(*r, diag);
  ASSERT_TRUE(docs);
  EXPECT_EQ(ids(*docs), (std::vector<std::string>{"d0", "d1"}));
  auto t = r->reread_text((*docs)[1].where);
  ASSERT_TRUE(t);
  EXPECT_EQ(*t, text_of(1));
}

TEST(RecordStore, ReadsAnyRangeAcrossBlocks) {
  std::string all;
  for (int i = 0; i < 150000; ++i) // 1 MB: eight blocks and a part
    all += std::to_string(i) + ",";
  // The first two blocks of 128 KiB kept as they are, the others compressed.
  std::uint64_t budget = std::uint64_t{300} << 10;
  detail::record_store store(budget);
  store.append(std::string_view(all).substr(0, 100000));
  store.append(std::string_view(all).substr(100000));
  EXPECT_EQ(budget, (std::uint64_t{300} << 10) - (std::uint64_t{256} << 10));
  EXPECT_EQ(store.size(), all.size());
  EXPECT_LT(store.packed_bytes(), all.size() / 2);
  for (const std::uint64_t at : {std::uint64_t{0}, std::uint64_t{131000}, std::uint64_t{262100},
                                 std::uint64_t{600000}, std::uint64_t{all.size() - 10}}) {
    auto r = store.read(at, 10);
    ASSERT_TRUE(r);
    EXPECT_EQ(*r, all.substr(at, 10));
  }
  auto whole = store.read(0, all.size());
  ASSERT_TRUE(whole);
  EXPECT_EQ(*whole, all);
  EXPECT_FALSE(store.read(all.size() - 5, 10));
}

TEST(Csv, ScannerFindsRecordEndsOutsideQuotesAcrossPieces) {
  detail::csv_scanner sc(',');
  const std::string text = "a,\"x\ny\",\"q\"\"\nz\"\nnext\n";
  EXPECT_EQ(sc.find_end(text.data(), 5), std::string::npos); // a,"x\n: inside the quotes
  EXPECT_TRUE(sc.in_quotes());
  const std::size_t end = sc.find_end(text.data() + 5, text.size() - 5);
  EXPECT_EQ(5 + end, text.find("\nnext"));
  EXPECT_FALSE(sc.in_quotes());
  EXPECT_EQ(sc.find_end(text.data() + 5 + end + 1, 5), 4u);
}

TEST(Csv, SplitFollowsRfc4180) {
  std::vector<std::string> f;
  EXPECT_EQ(detail::split_csv_record("a,\"b, c\",\"say \"\"hi\"\"\",,\"x\ny\"", ',', f), "");
  EXPECT_EQ(f, (std::vector<std::string>{"a", "b, c", "say \"hi\"", "", "x\ny"}));
  EXPECT_EQ(detail::split_csv_record("ab\"c,d", ',', f), ""); // a quote inside a bare field
  EXPECT_EQ(f, (std::vector<std::string>{"ab\"c", "d"}));
  EXPECT_EQ(detail::split_csv_record("x\t\"a\tb\"", '\t', f), "");
  EXPECT_EQ(f, (std::vector<std::string>{"x", "a\tb"}));
  EXPECT_EQ(detail::split_csv_record("a,\"open", ',', f),
            "field 2: unterminated quoted field (its closing quote is missing)");
  EXPECT_EQ(detail::split_csv_record("\"a\"b,c", ',', f),
            "field 1: a quote inside a quoted field must be doubled (\"\")");
  EXPECT_EQ(detail::csv_row_json({"id", "text", "n"}, {"", "a \"q\"\n", "1"}, 0),
            "{\"text\":\"a \\\"q\\\"\\n\",\"n\":\"1\"}");
}

TEST(Csv, RowsBecomeDocumentsWithHeaderNamedColumns) {
  temp_dir dir;
  const auto path = dir.write("cms.csv", "id,title,text,source\r\n"
                                         "a1,\"Hello, world\",\"He said \"\"yes\"\".\",wire\r\n"
                                         ",No id,\"Two\nlines\",\r\n"
                                         "\r\n"
                                         "a3,Last,plain text,site\r\n");
  read_options ro;
  ro.meta_fields = {"source", "missing"};
  auto reader = corpus_reader::open({path}, ro);
  ASSERT_TRUE(reader);
  diagnostics diag;
  auto docs = read_all(*reader, diag);
  ASSERT_TRUE(docs) << docs.error().message;
  EXPECT_EQ(ids(*docs), (std::vector<std::string>{"a1", path + ":3", "a3"}));
  EXPECT_EQ((*docs)[0].text, "He said \"yes\".");
  EXPECT_EQ((*docs)[1].text, "Two\nlines");
  EXPECT_EQ((*docs)[2].text, "plain text");
  EXPECT_EQ((*docs)[0].meta[0], std::optional<std::string>("wire"));
  EXPECT_EQ((*docs)[0].meta[1], std::nullopt);
  EXPECT_EQ((*docs)[1].meta[0], std::nullopt); // an empty cell is missing
  EXPECT_EQ((*docs)[2].where.line, 5u);        // rows count the header and the blank row
  EXPECT_TRUE(reader->is_jsonl((*docs)[0].where));
  auto rec = reader->reread_record((*docs)[0].where);
  ASSERT_TRUE(rec);
  EXPECT_EQ(*rec, "{\"id\":\"a1\",\"title\":\"Hello, world\",\"text\":\"He said \\\"yes\\\".\","
                  "\"source\":\"wire\"}");
  rec = reader->reread_record((*docs)[1].where);
  ASSERT_TRUE(rec);
  EXPECT_EQ(*rec, "{\"title\":\"No id\",\"text\":\"Two\\nlines\",\"source\":\"\"}");
  auto t = reader->reread_text((*docs)[1].where);
  ASSERT_TRUE(t);
  EXPECT_EQ(*t, "Two\nlines");
}

TEST(Csv, TsvAndCompressedCsvAndOtherColumnNames) {
  temp_dir dir;
  const auto tsv = dir.write("t.tsv", "key\tbody\nk1\tfirst\tbody\n");
  read_options ro;
  ro.id_field = "key";
  ro.text_field = "body";
  auto r = read_inputs({tsv}, ro);
  EXPECT_EQ(r.error, tsv + ":2: 3 field(s), but the header has 2 (a field holding the delimiter "
                           "must be quoted)");
  dir.write("t.tsv", "key\tbody\nk1\t\"first\tbody\"\n");
  const auto gz = dir.write("c.csv.gz", gzip_bytes("key,body\nk2,second\n"));
  r = read_inputs({tsv, gz}, ro);
  ASSERT_EQ(r.error, "");
  EXPECT_EQ(ids(r.docs), (std::vector<std::string>{"k1", "k2"}));
  EXPECT_EQ(r.docs[0].text, "first\tbody");
  EXPECT_EQ(r.docs[1].text, "second");
}

TEST(Csv, BadRowsAreErrorsNamingFileAndRowOrSkippedDocuments) {
  temp_dir dir;
  const auto open = dir.write("open.csv", "id,text\nok,fine\nbad,\"never\nclosed\n");
  auto r = read_inputs({open});
  EXPECT_EQ(r.error,
            open + ":3: field 2: unterminated quoted field (its closing quote is missing)");
  const auto after = dir.write("after.csv", "id,text\n\"a\nb\",x\nc,\"y\"z\n");
  r = read_inputs({after});
  EXPECT_EQ(r.error,
            after + ":3 (line 4): field 2: a quote inside a quoted field must be doubled (\"\")");
  const auto header = dir.write("header.csv", "id,body\na,b\n");
  r = read_inputs({header});
  EXPECT_EQ(r.error, header + ":1: the header has no column \"text\" (its columns: \"id\", "
                              "\"body\"); --text-field names the column of the text");

  read_options ro;
  ro.skip_bad = true;
  r = read_inputs({open}, ro);
  ASSERT_EQ(r.error, "");
  EXPECT_EQ(ids(r.docs), (std::vector<std::string>{"ok", open + ":3"}));
  EXPECT_EQ(r.docs[1].error, "field 2: unterminated quoted field (its closing quote is missing)");
  ASSERT_EQ(r.diag.items().size(), 1u);
  EXPECT_EQ(r.diag.items()[0].origin, open + ":3");
}

TEST(Encoding, Utf16WithAByteOrderMarkBecomesUtf8) {
  temp_dir dir;
  const std::u16string text = u"Caf\u00e9 \u201cquoted\u201d \U0001F600 end";
  const std::string utf8 = "Caf\xC3\xA9 \xE2\x80\x9Cquoted\xE2\x80\x9D \xF0\x9F\x98\x80 end";
  const auto le = dir.write("le.txt", "\xFF\xFE" + utf16le(text));
  const auto be = dir.write("be.txt", "\xFE\xFF" + utf16be(text));
  const auto bom8 = dir.write("bom8.txt", "\xEF\xBB\xBF" + utf8);
  const auto no_bom = dir.write("nobom.txt", utf16le(text));
  auto r = read_inputs({le, be, bom8, no_bom});
  ASSERT_EQ(r.error, "");
  ASSERT_EQ(r.docs.size(), 4u);
  EXPECT_EQ(r.docs[0].text, utf8);
  EXPECT_EQ(r.docs[1].text, utf8);
  EXPECT_EQ(r.docs[2].text, utf8);                   // the UTF-8 mark is not text either
  EXPECT_EQ(r.docs[3].error, "binary file skipped"); // UTF-16 without a mark is not guessed

  // A UTF-16 JSONL file, gzip-compressed: offsets are in the UTF-8 text.
  const std::string line1 = "{\"id\": \"\u00e9\", \"text\": \"" + utf8 + "\"}\n";
  const std::u16string jsonl =
      u"{\"id\": \"\u00e9\", \"text\": \"" + text + u"\"}\n{\"id\": \"b\", \"text\": \"two\"}\n";
  const auto j = dir.write("u16.jsonl.gz", gzip_bytes("\xFF\xFE" + utf16le(jsonl)));
  auto reader = corpus_reader::open({j});
  ASSERT_TRUE(reader);
  diagnostics diag;
  auto docs = read_all(*reader, diag);
  ASSERT_TRUE(docs) << docs.error().message;
  EXPECT_EQ(ids(*docs), (std::vector<std::string>{"\xC3\xA9", "b"}));
  EXPECT_EQ((*docs)[0].text, utf8);
  EXPECT_EQ((*docs)[1].where.offset, line1.size());
  auto t = reader->reread_text((*docs)[1].where);
  ASSERT_TRUE(t);
  EXPECT_EQ(*t, "two");
}

TEST(Encoding, LegacyCharsetsAreConvertedWithEncoding) {
  temp_dir dir;
  const auto path = dir.write("cp1252.txt", "Caf\xE9 \x93quoted\x94 \x80 5");
  const auto csv = dir.write("latin1.csv", "id,text\nx,na\xEFve\n");
  read_options ro;
  ro.encoding = "windows-1252";
  auto r = read_inputs({path, csv}, ro);
  ASSERT_EQ(r.error, "");
  EXPECT_EQ(r.docs[0].text, "Caf\xC3\xA9 \xE2\x80\x9Cquoted\xE2\x80\x9D \xE2\x82\xAC 5");
  EXPECT_EQ(r.docs[1].text, "na\xC3\xAFve");
  EXPECT_EQ(r.docs[0].invalid_utf8, 0u);

  ro.encoding = "no-such-charset";
  r = read_inputs({path}, ro);
  EXPECT_EQ(r.error, "--encoding: unknown character set \"no-such-charset\" (ICU converter names "
                     "such as windows-1252, ISO-8859-1, UTF-16LE)");
}

TEST(Encoding, ConverterCountsSubstitutionsAndCompletesCutSequences) {
  auto c = text::charset_converter::open("UTF-16LE");
  ASSERT_TRUE(c);
  std::string out;
  const std::string bytes = utf16le(u"a\u00e9") + std::string("\x00\xD8", 2) + utf16le(u"b");
  c->convert(std::string_view(bytes).substr(0, 3), out, false); // cut inside the é
  c->convert(std::string_view(bytes).substr(3), out, true);
  EXPECT_EQ(out, "a\xC3\xA9\xEF\xBF\xBD"
                 "b"); // the lone surrogate D800 became U+FFFD
  EXPECT_EQ(c->substitutions(), 1u);
}
