// Corpus reader: directories, plain files, JSONL (ids, fields, blank lines), stdin-free paths,
// bad input (missing path, malformed line, duplicate id, binary file, invalid UTF-8), rereads.
#include <copydesk/io.hpp>

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>

using namespace copydesk;

namespace {

const std::string data = COPYDESK_TEST_DATA_DIR;

result<std::vector<document>> read(const std::vector<std::string>& inputs, diagnostics& diag,
                                   read_options ro = {}) {
  auto r = corpus_reader::open(inputs, ro);
  if (!r)
    return r.error();
  return read_all(*r, diag);
}

std::vector<std::string> ids(const std::vector<document>& docs) {
  std::vector<std::string> out;
  for (const auto& d : docs)
    out.push_back(d.id);
  return out;
}

} // namespace

TEST(Reader, DirectoryIsRecursiveSortedWithRelativeIds) {
  diagnostics diag;
  auto docs = read({data + "/mini"}, diag);
  ASSERT_TRUE(docs) << docs.error().message;
  EXPECT_EQ(ids(*docs),
            (std::vector<std::string>{"empty.txt", "harbour-copy.txt", "harbour-page.txt",
                                      "harbour.txt", "latin1.txt", "library.txt", "notes.bin"}));
}

TEST(Reader, BinaryFileIsKeptWithErrorAndWarning) {
  diagnostics diag;
  auto docs = read({data + "/mini"}, diag);
  ASSERT_TRUE(docs);
  const document& bin = docs->back();
  EXPECT_EQ(bin.id, "notes.bin");
  EXPECT_EQ(bin.error, "binary file skipped");
  EXPECT_TRUE(bin.text.empty());
  bool warned = false;
  for (const auto& d : diag.items())
    warned |= d.message == "binary file skipped";
  EXPECT_TRUE(warned);
}

TEST(Reader, InvalidUtf8IsReplacedAndCounted) {
  diagnostics diag;
  auto docs = read({data + "/mini/latin1.txt"}, diag);
  ASSERT_TRUE(docs);
  ASSERT_EQ(docs->size(), 1u);
  EXPECT_EQ((*docs)[0].id, data + "/mini/latin1.txt"); // a plain file's id is the path as given
  EXPECT_EQ((*docs)[0].invalid_utf8, 1u);
  EXPECT_EQ((*docs)[0].text.substr(0, 7), "Caf\xEF\xBF\xBD ");
  ASSERT_EQ(diag.items().size(), 1u);
}

TEST(Reader, EmptyFileIsADocument) {
  diagnostics diag;
  auto docs = read({data + "/mini/empty.txt"}, diag);
  ASSERT_TRUE(docs);
  ASSERT_EQ(docs->size(), 1u);
  EXPECT_TRUE((*docs)[0].text.empty());
  EXPECT_TRUE((*docs)[0].error.empty());
}

TEST(Reader, JsonlIdsFieldsAndBlankLines) {
  diagnostics diag;
  auto docs = read({data + "/jsonl/good.jsonl"}, diag);
  ASSERT_TRUE(docs) << docs.error().message;
  // Line 3 is blank (not a record); line 4 has no id; line 5 has a numeric id and empty text.
  EXPECT_EQ(ids(*docs), (std::vector<std::string>{"w1", "w2", data + "/jsonl/good.jsonl:4", "7"}));
  EXPECT_EQ((*docs)[2].where.line, 4u);
  EXPECT_TRUE((*docs)[3].text.empty());
  EXPECT_TRUE(diag.empty());
}

TEST(Reader, CustomFieldNames) {
  diagnostics diag;
  read_options ro;
  ro.id_field = "doc";
  ro.text_field = "body";
  auto docs = read({data + "/jsonl/fields.jsonl"}, diag, ro);
  ASSERT_TRUE(docs);
  ASSERT_EQ(docs->size(), 1u);
  EXPECT_EQ((*docs)[0].id, "k1");
  EXPECT_EQ((*docs)[0].text, "custom fields work");
  diagnostics d2;
  auto missing = read({data + "/jsonl/fields.jsonl"}, d2);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().message, data + "/jsonl/fields.jsonl:1: no field \"text\"");
}

TEST(Reader, MalformedLineIsAnErrorNamingFileAndLine) {
  diagnostics diag;
  auto docs = read({data + "/jsonl/bad.jsonl"}, diag);
  ASSERT_FALSE(docs);
  EXPECT_EQ(docs.error().code, errc::invalid_input);
  EXPECT_EQ(docs.error().message.rfind(data + "/jsonl/bad.jsonl:2: malformed JSON", 0), 0u)
      << docs.error().message;
}

TEST(Reader, SkipBadKeepsTheLineAsAnErrorDocument) {
  diagnostics diag;
  read_options ro;
  ro.skip_bad = true;
  auto docs = read({data + "/jsonl/bad.jsonl"}, diag, ro);
  ASSERT_TRUE(docs);
  ASSERT_EQ(docs->size(), 3u);
  EXPECT_EQ((*docs)[1].id, data + "/jsonl/bad.jsonl:2");
  EXPECT_FALSE((*docs)[1].error.empty());
  EXPECT_EQ((*docs)[2].id, "c");
  EXPECT_EQ(diag.items().size(), 1u);
}

TEST(Reader, DuplicateIdNamesBothOrigins) {
  diagnostics diag;
  auto docs = read({data + "/jsonl/dup.jsonl"}, diag);
  ASSERT_FALSE(docs);
  EXPECT_EQ(docs.error().code, errc::duplicate_id);
  EXPECT_EQ(docs.error().message, "duplicate id \"x\": " + data + "/jsonl/dup.jsonl:1 and " + data +
                                      "/jsonl/dup.jsonl:3");
}

TEST(Reader, DuplicateIdAcrossInputs) {
  diagnostics diag;
  auto docs = read({data + "/mini/harbour.txt", data + "/mini/harbour.txt"}, diag);
  ASSERT_FALSE(docs);
  EXPECT_EQ(docs.error().code, errc::duplicate_id);
}

TEST(Reader, MissingPathIsNotFound) {
  auto r = corpus_reader::open({data + "/no/such/file.txt"});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, errc::not_found);
  EXPECT_EQ(r.error().message, data + "/no/such/file.txt: no such file or directory");
}

TEST(Reader, InvalidUtf8InJsonlIsRepaired) {
  diagnostics diag;
  auto docs = read({data + "/jsonl/badutf8.jsonl"}, diag);
  ASSERT_TRUE(docs) << docs.error().message;
  ASSERT_EQ(docs->size(), 1u);
  EXPECT_EQ((*docs)[0].invalid_utf8, 2u);
  EXPECT_EQ((*docs)[0].text, "na\xEF\xBF\xBDve caf\xEF\xBF\xBD");
}

TEST(Reader, RereadGivesTheSameTextAndRecord) {
  diagnostics diag;
  auto reader = corpus_reader::open({data + "/jsonl/good.jsonl", data + "/mini"});
  ASSERT_TRUE(reader);
  auto docs = read_all(*reader, diag);
  ASSERT_TRUE(docs);
  for (const auto& d : *docs) {
    if (!d.error.empty())
      continue;
    auto again = reader->reread_text(d.where);
    ASSERT_TRUE(again) << again.error().message;
    EXPECT_EQ(*again, d.text) << d.id;
  }
  auto rec = reader->reread_record((*docs)[1].where);
  ASSERT_TRUE(rec);
  EXPECT_EQ(
      *rec,
      R"({"id": "w2", "text": "Storm warning issued for the coast as winds reach gale force overnight!"})");
  EXPECT_EQ(reader->describe((*docs)[1].where), data + "/jsonl/good.jsonl:2");
}

TEST(Reader, SmallBatchesStreamEverything) {
  diagnostics diag;
  read_options ro;
  ro.batch_bytes = 1;
  auto reader = corpus_reader::open({data + "/jsonl/good.jsonl"}, ro);
  ASSERT_TRUE(reader);
  std::size_t batches = 0;
  std::size_t total = 0;
  for (;;) {
    auto b = reader->next_batch(diag);
    ASSERT_TRUE(b);
    if (b->empty())
      break;
    ++batches;
    total += b->size();
  }
  EXPECT_EQ(total, 4u);
  EXPECT_EQ(batches, 4u);
}

TEST(Reader, NoInputsIsAnError) {
  auto r = corpus_reader::open({});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, errc::invalid_argument);
}

namespace {
std::string file_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}
} // namespace

// Issue 19 item 2: the reader fuzz entry parses from memory through the file code path.
TEST(Regression, JsonlBytesReadLikeTheFile) {
  for (const char* name : {"good", "bad", "badutf8", "fields"}) {
    const std::string path = data + "/jsonl/" + name + ".jsonl";
    for (const bool skip : {false, true}) {
      read_options ro;
      ro.skip_bad = skip;
      diagnostics file_diag, mem_diag;
      auto from_file = read({path}, file_diag, ro);
      auto reader = corpus_reader::open_jsonl_bytes(path, file_bytes(path), ro);
      ASSERT_TRUE(reader);
      auto from_memory = read_all(*reader, mem_diag);
      ASSERT_EQ(from_file.has_value(), from_memory.has_value()) << path;
      if (!from_file) {
        EXPECT_EQ(from_memory.error().message, from_file.error().message);
        continue;
      }
      ASSERT_EQ(ids(*from_memory), ids(*from_file));
      for (std::size_t i = 0; i < from_file->size(); ++i) {
        const document& m = (*from_memory)[i];
        EXPECT_EQ(m.text, (*from_file)[i].text);
        EXPECT_EQ(m.error, (*from_file)[i].error);
        EXPECT_EQ(m.where.offset, (*from_file)[i].where.offset);
        EXPECT_EQ(m.where.line, (*from_file)[i].where.line);
        EXPECT_EQ(reader->describe(m.where), path + ":" + std::to_string(m.where.line));
        EXPECT_TRUE(reader->is_jsonl(m.where));
      }
      EXPECT_EQ(mem_diag.items().size(), file_diag.items().size());
    }
  }
}

// Issue 19 item 2: records longer than the refill chunk are reassembled, from files and memory.
TEST(Regression, RecordsSpanningRefillsReadTheSame) {
  const std::string path = data + "/jsonl/good.jsonl";
  diagnostics diag;
  auto whole = read({path}, diag);
  ASSERT_TRUE(whole);
  for (const std::size_t chunk : {1, 2, 7, 64}) {
    read_options ro;
    ro.read_chunk_bytes = chunk;
    auto from_file = read({path}, diag, ro);
    auto reader = corpus_reader::open_jsonl_bytes("mem.jsonl", file_bytes(path), ro);
    ASSERT_TRUE(from_file && reader);
    auto from_memory = read_all(*reader, diag);
    ASSERT_TRUE(from_memory);
    ASSERT_EQ(from_file->size(), whole->size());
    ASSERT_EQ(from_memory->size(), whole->size());
    for (std::size_t i = 0; i < whole->size(); ++i) {
      EXPECT_EQ((*from_file)[i].text, (*whole)[i].text) << "chunk " << chunk;
      EXPECT_EQ((*from_memory)[i].text, (*whole)[i].text) << "chunk " << chunk;
      auto again = reader->reread_record((*from_memory)[i].where);
      ASSERT_TRUE(again);
      EXPECT_EQ(*again,
                file_bytes(path).substr((*whole)[i].where.offset, (*whole)[i].where.length));
    }
  }
}

TEST(Reader, JsonlBytesWithoutIdsAreNamedAfterTheSource) {
  diagnostics diag;
  auto reader = corpus_reader::open_jsonl_bytes("<fuzz>", "{\"text\": \"a\"}\n\n{\"text\": \"b\"}");
  ASSERT_TRUE(reader);
  auto docs = read_all(*reader, diag);
  ASSERT_TRUE(docs);
  EXPECT_EQ(ids(*docs), (std::vector<std::string>{"<fuzz>:1", "<fuzz>:3"}));
  EXPECT_EQ((*docs)[1].text, "b");
  auto again = reader->reread_text((*docs)[1].where);
  ASSERT_TRUE(again);
  EXPECT_EQ(*again, "b");
}

TEST(MemoryCorpus, BatchesAreBoundedAndServeEveryDocumentOnce) {
  std::vector<document> docs;
  for (int i = 0; i < 50; ++i)
    docs.push_back(document{"d" + std::to_string(i), std::string(100 + i, 'x'), {}, 0, {}});
  // 1000-byte batches of ~160-230-byte records (text + 64): at most 7 records, at least 1.
  auto m = memory_corpus::index(docs, 1000);
  ASSERT_TRUE(m) << m.error().message;
  std::vector<std::string> seen;
  for (;;) {
    const std::vector<document> b = m->next_batch();
    if (b.empty())
      break;
    EXPECT_LE(b.size(), 7u);
    std::size_t bytes = 0;
    for (std::size_t i = 0; i + 1 < b.size(); ++i)
      bytes += b[i].text.size() + 64;
    EXPECT_LT(bytes, 1000u) << "a batch went on past its byte budget";
    for (const document& d : b)
      seen.push_back(d.id);
  }
  ASSERT_EQ(seen.size(), docs.size());
  for (std::size_t i = 0; i < docs.size(); ++i)
    EXPECT_EQ(seen[i], docs[i].id);
  EXPECT_TRUE(m->next_batch().empty());
  EXPECT_EQ(m->text("d7"), std::string(107, 'x'));
}

TEST(MemoryCorpus, DuplicateIdIsAnError) {
  const std::vector<document> docs{document{"a", "one", {}, 0, {}}, document{"b", "two", {}, 0, {}},
                                   document{"a", "three", {}, 0, {}}};
  auto m = memory_corpus::index(docs);
  ASSERT_FALSE(m);
  EXPECT_EQ(m.error().code, errc::duplicate_id);
  EXPECT_NE(m.error().message.find("\"a\""), std::string::npos);
}
