// Corpus reader: directories, plain files, JSONL (ids, fields, blank lines), stdin-free paths,
// bad input (missing path, malformed line, duplicate id, binary file, invalid UTF-8), rereads.
#include <copydesk/io.hpp>

#include <gtest/gtest.h>

#include "temp_dir.hpp"

#include <csignal>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sys/resource.h>
#include <thread>
#include <unistd.h>

using namespace copydesk;

namespace {

const std::string data = COPYDESK_TEST_DATA_DIR;

result<std::vector<document>> read(const std::vector<std::string>& inputs, diagnostics& diag,
                                   read_options ro = {}) {
  auto r = corpus_reader::open(inputs, std::move(ro));
  if (!r)
    return r.error();
  return read_all(*r, diag);
}

std::vector<std::string> ids(const std::vector<document>& docs) {
  std::vector<std::string> out;
  out.reserve(docs.size());
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
  docs.reserve(50);
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

// ---- Regressions (issue 19) ----

namespace {

namespace fs = std::filesystem;
using test_util::temp_dir;

std::vector<std::string> messages(const diagnostics& diag) {
  std::vector<std::string> out;
  for (const auto& d : diag.items())
    out.push_back(d.origin + ": " + d.message);
  return out;
}

// A pipe whose read end is given to the reader as /dev/fd/N while a thread writes `text`.
struct pipe_input {
  int fds[2] = {-1, -1};
  std::thread writer;
  explicit pipe_input(std::string text) {
    std::signal(SIGPIPE, SIG_IGN);
    EXPECT_EQ(::pipe(fds), 0);
    writer = std::thread([w = fds[1], t = std::move(text)] {
      std::size_t done = 0;
      while (done < t.size()) {
        const ssize_t n = ::write(w, t.data() + done, std::min<std::size_t>(t.size() - done, 4096));
        if (n <= 0)
          break;
        done += static_cast<std::size_t>(n);
      }
      ::close(w);
    });
  }
  pipe_input(const pipe_input&) = delete;
  pipe_input& operator=(const pipe_input&) = delete;
  ~pipe_input() {
    ::close(fds[0]); // a writer the reader stopped listening to gets EPIPE and ends
    writer.join();
  }
  [[nodiscard]] std::string path() const { return "/dev/fd/" + std::to_string(fds[0]); }
};

} // namespace

// issue 19 items 2 and 3: directory links were followed through fs::relative, so two links to
// "." never ended (memory growing), one gave a false "duplicate id", a link to a file was a
// duplicate of its target, and files under a linked directory got ids like "../real/o.txt".
TEST(Regression, SymlinkLoopsAreNotFollowedByDefault) {
  const temp_dir dir;
  dir.write("d/a.txt", "hi");
  fs::create_directory_symlink(".", dir.path / "d" / "s1");
  fs::create_directory_symlink(".", dir.path / "d" / "s2");
  diagnostics diag;
  auto docs = read({(dir.path / "d").string()}, diag);
  ASSERT_TRUE(docs) << docs.error().message;
  EXPECT_EQ(ids(*docs), std::vector<std::string>{"a.txt"});
  EXPECT_TRUE(diag.empty());
}

TEST(Regression, FollowDetectsLoopsAndKeepsLinkPaths) {
  const temp_dir dir;
  dir.write("d/a.txt", "hi");
  dir.write("real/o.txt", "other");
  fs::create_directory_symlink(".", dir.path / "d" / "s1");
  fs::create_directory_symlink("../real", dir.path / "d" / "linked");
  read_options ro;
  ro.follow_links = true;
  diagnostics diag;
  auto docs = read({(dir.path / "d").string()}, diag, ro);
  ASSERT_TRUE(docs) << docs.error().message;
  EXPECT_EQ(ids(*docs), (std::vector<std::string>{"a.txt", "linked/o.txt"}));
  EXPECT_EQ((*docs)[1].text, "other");
  EXPECT_EQ(messages(diag),
            std::vector<std::string>{(dir.path / "d" / "s1").string() +
                                     ": directory loop skipped: it leads back to " +
                                     (dir.path / "d").string() + ", which is being walked"});
  // Without --follow the linked directory is not entered.
  diagnostics quiet;
  auto plain = read({(dir.path / "d").string()}, quiet);
  ASSERT_TRUE(plain);
  EXPECT_EQ(ids(*plain), std::vector<std::string>{"a.txt"});
}

TEST(Regression, LinkedFileIsADocumentWithItsOwnId) {
  const temp_dir dir;
  dir.write("dir/2024.txt", "the annual report");
  fs::create_symlink("2024.txt", dir.path / "dir" / "latest.txt");
  fs::create_symlink("gone.txt", dir.path / "dir" / "broken.txt");
  diagnostics diag;
  auto docs = read({(dir.path / "dir").string()}, diag);
  ASSERT_TRUE(docs) << docs.error().message;
  EXPECT_EQ(ids(*docs), (std::vector<std::string>{"2024.txt", "latest.txt"}));
  EXPECT_EQ((*docs)[1].text, "the annual report");
  EXPECT_EQ(messages(diag), std::vector<std::string>{(dir.path / "dir" / "broken.txt").string() +
                                                     ": broken symbolic link skipped"});
}

// issue 19 item 6: a pipe (process substitution, FIFO, /proc file) was sized by st_size (0) and
// became an empty document. It is read to its end, and its text is kept for rereads.
TEST(Regression, NonRegularFilesAreReadToTheirEnd) {
  std::string text;
  for (int i = 0; i < 5000; ++i)
    text += "word" + std::to_string(i) + " ";
  pipe_input in(text);
  auto reader = corpus_reader::open({in.path()});
  ASSERT_TRUE(reader) << reader.error().message;
  diagnostics diag;
  auto docs = read_all(*reader, diag);
  ASSERT_TRUE(docs) << docs.error().message;
  ASSERT_EQ(docs->size(), 1u);
  EXPECT_EQ((*docs)[0].text, text);
  EXPECT_TRUE((*docs)[0].error.empty());
  auto again = reader->reread_text((*docs)[0].where);
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(*again, text);
  if (fs::exists("/proc/self/status")) { // a regular file that reports size 0
    diagnostics d2;
    auto proc = read({"/proc/self/status"}, d2);
    ASSERT_TRUE(proc);
    EXPECT_NE((*proc)[0].text.find("Name:"), std::string::npos);
  }
}

// issue 19 items 8 and 13: a file over the limit was allocated and read whole before it was
// rejected (26 s and 5.1 GB for a sparse 5 GiB file). Its size is checked first now, a stream
// stops at the limit, and either way the document is listed with an error and a warning.
TEST(Regression, DocumentsOverTheSizeLimitAreListedNotRead) {
  const temp_dir dir;
  const std::string big = dir.write("big.txt", "");
  ASSERT_EQ(::truncate(big.c_str(), std::int64_t{5} << 30), 0); // sparse: no disk used
  const std::string small = dir.write("small.txt", "fits");
  diagnostics diag;
  auto docs = read({big, small}, diag);
  ASSERT_TRUE(docs) << docs.error().message;
  ASSERT_EQ(docs->size(), 2u);
  EXPECT_EQ((*docs)[0].error, "5368709120 bytes, larger than the document size limit of "
                              "67108864 bytes (--max-doc-bytes)");
  EXPECT_TRUE((*docs)[0].text.empty());
  EXPECT_EQ((*docs)[1].text, "fits");
  EXPECT_EQ(messages(diag), std::vector<std::string>{big + ": " + (*docs)[0].error});

  read_options ro;
  ro.max_doc_bytes = 10;
  pipe_input in(std::string(100000, 'x'));
  diagnostics d2;
  auto streamed = read({in.path(), small}, d2, ro);
  ASSERT_TRUE(streamed);
  EXPECT_EQ((*streamed)[0].error,
            "larger than the document size limit of 10 bytes (--max-doc-bytes)");
  EXPECT_EQ((*streamed)[1].text, "fits");

  for (const std::uint64_t bad : {std::uint64_t{0}, defaults::max_doc_bytes_limit + 1}) {
    read_options r;
    r.max_doc_bytes = bad;
    auto opened = corpus_reader::open({small}, r);
    ASSERT_FALSE(opened);
    EXPECT_EQ(opened.error().code, errc::invalid_argument);
  }
}

// issue 19 item 13: a JSONL line over the limit is a document with an error (id FILE:LINE),
// skipped without being buffered whole; the lines after it are read and reread as usual.
TEST(Regression, JsonlLineOverTheSizeLimitIsSkippedAndListed) {
  const temp_dir dir;
  std::string jsonl = "{\"id\": \"a\", \"text\": \"first\"}\n";
  jsonl += "{\"id\": \"huge\", \"text\": \"" + std::string(std::size_t{20} << 20, 'y') + "\"}\n";
  jsonl += "{\"id\": \"b\", \"text\": \"after\"}\n";
  jsonl += "{\"id\": \"c\", \"text\": \"" + std::string(300, 'z') + "\"}";
  const std::string path = dir.write("x.jsonl", jsonl);
  read_options ro;
  ro.max_doc_bytes = 1000;
  auto reader = corpus_reader::open({path}, ro);
  ASSERT_TRUE(reader);
  diagnostics diag;
  auto docs = read_all(*reader, diag);
  ASSERT_TRUE(docs) << docs.error().message;
  EXPECT_EQ(ids(*docs), (std::vector<std::string>{"a", path + ":2", "b", "c"}));
  EXPECT_EQ((*docs)[1].error, std::to_string((std::size_t{20} << 20) + 26) +
                                  " bytes, larger than the document size limit of 1000 bytes "
                                  "(--max-doc-bytes)");
  EXPECT_EQ((*docs)[2].text, "after");
  auto again = reader->reread_text((*docs)[2].where);
  ASSERT_TRUE(again);
  EXPECT_EQ(*again, "after");
  EXPECT_EQ((*docs)[3].text, std::string(300, 'z'));
  ASSERT_EQ(diag.items().size(), 1u);
  EXPECT_EQ(diag.items()[0].origin, path + ":2");
}

// issue 19 item 7: a long line arriving through a pipe in small reads was searched for its
// newline again after every read (quadratic). Each byte is searched once now; the line must
// still come out whole.
TEST(Regression, LongJsonlLineThroughAPipeIsReadWhole) {
  const std::string body(std::size_t{3} << 20, 'q');
  pipe_input in("{\"id\": \"long\", \"text\": \"" + body +
                "\"}\n{\"id\": \"next\", \"text\": \"n\"}\n");
  const fs::path link =
      fs::temp_directory_path() / ("copydesk_io_pipe_" + std::to_string(::getpid()) + ".jsonl");
  fs::remove(link);
  fs::create_symlink(in.path(), link); // a .jsonl name for the pipe
  diagnostics diag;
  auto docs = read({link.string()}, diag);
  fs::remove(link);
  ASSERT_TRUE(docs) << docs.error().message;
  ASSERT_EQ(docs->size(), 2u);
  EXPECT_EQ((*docs)[0].text, body);
  EXPECT_EQ((*docs)[1].text, "n");
}

// issue 19 item 12: a BOM at the start of a JSONL file was a malformed first line.
TEST(Regression, JsonlByteOrderMarkAtFileStartIsSkipped) {
  const temp_dir dir;
  const std::string path = dir.write(
      "bom.jsonl",
      "\xEF\xBB\xBF{\"id\": \"a\", \"text\": \"hello\"}\n{\"id\": \"b\", \"text\": \"x\"}\n");
  auto reader = corpus_reader::open({path});
  ASSERT_TRUE(reader);
  diagnostics diag;
  auto docs = read_all(*reader, diag);
  ASSERT_TRUE(docs) << docs.error().message;
  EXPECT_EQ(ids(*docs), (std::vector<std::string>{"a", "b"}));
  auto rec = reader->reread_record((*docs)[0].where);
  ASSERT_TRUE(rec);
  EXPECT_EQ(*rec, "{\"id\": \"a\", \"text\": \"hello\"}");
  // Only at the start of the file: elsewhere it is still malformed.
  const std::string mid =
      dir.write("mid.jsonl", "{\"text\": \"a\"}\n\xEF\xBB\xBF{\"text\": \"b\"}\n");
  diagnostics d2;
  EXPECT_FALSE(read({mid}, d2));
}

// issue 19 item 12: an escaped lone surrogate stopped the run with simdjson's "Problem while
// parsing a string"; the message says what is wrong (file:line), and --skip-bad skips it.
TEST(Regression, LoneSurrogateIsNamedAndSkippable) {
  const temp_dir dir;
  const std::string path = dir.write(
      "s.jsonl", "{\"id\": \"a\", \"text\": \"ok\"}\n{\"id\": \"b\", \"text\": \"x \\ud800 y\"}\n");
  diagnostics diag;
  auto bad = read({path}, diag);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().message,
            path + ":2: malformed JSON string (a bad escape, such as a lone UTF-16 surrogate "
                   "\\ud800 that no \\udc00-\\udfff follows)");
  read_options ro;
  ro.skip_bad = true;
  diagnostics d2;
  auto skipped = read({path}, d2, ro);
  ASSERT_TRUE(skipped);
  EXPECT_EQ(ids(*skipped), (std::vector<std::string>{"a", path + ":2"}));
  EXPECT_FALSE((*skipped)[1].error.empty());
}

// issue 19 item 12: one descriptor was held per JSONL argument from the start, so about a
// thousand of them hit "Too many open files". They are opened one at a time now.
TEST(Regression, ManyJsonlFilesNeedFewDescriptors) {
  const temp_dir dir;
  std::vector<std::string> inputs;
  inputs.reserve(400);
  for (int i = 0; i < 400; ++i) {
    inputs.push_back(dir.write("f" + std::to_string(i) + ".jsonl",
                               "{\"id\": \"d" + std::to_string(i) + "\", \"text\": \"t\"}\n"));
  }
  rlimit old{};
  ASSERT_EQ(::getrlimit(RLIMIT_NOFILE, &old), 0);
  rlimit low = old;
  low.rlim_cur = std::min<rlim_t>(old.rlim_cur, 128); // fewer descriptors than files
  ASSERT_EQ(::setrlimit(RLIMIT_NOFILE, &low), 0);
  auto reader = corpus_reader::open(inputs);
  diagnostics diag;
  result<std::vector<document>> docs = error{};
  if (reader)
    docs = read_all(*reader, diag);
  result<std::string> last = error{};
  if (docs && docs->size() == 400)
    last = reader->reread_text(docs->back().where); // its descriptor was not kept
  ::setrlimit(RLIMIT_NOFILE, &old);
  ASSERT_TRUE(reader) << reader.error().message;
  ASSERT_TRUE(docs) << docs.error().message;
  EXPECT_EQ(docs->size(), 400u);
  ASSERT_TRUE(last) << last.error().message;
  EXPECT_EQ(*last, "t");
}

// The one batch loop every stage reads with (for_each_batch), over documents in memory.
TEST(BatchLoop, GivesEveryBatchInOrderAndReportsBytes) {
  std::vector<document> docs(5);
  for (std::size_t i = 0; i < docs.size(); ++i) {
    docs[i].id = "d" + std::to_string(i);
    docs[i].text = std::string(100, 'x');
  }
  auto corpus = memory_corpus::index(docs, 300); // 164 bytes a document: two a batch
  ASSERT_TRUE(corpus.has_value());
  std::vector<std::string> seen;
  std::vector<std::size_t> sizes;
  std::vector<std::uint64_t> done;
  diagnostics diag;
  auto bytes = for_each_batch(
      document_source::of(*corpus), diag,
      [&](std::vector<document>& batch) -> result<void> {
        sizes.push_back(batch.size());
        for (const document& d : batch)
          seen.push_back(d.id);
        return {};
      },
      [&](const progress_event& e) {
        EXPECT_EQ(e.stage, "stage");
        EXPECT_FALSE(e.finished);
        done.push_back(e.done);
      },
      "stage");
  ASSERT_TRUE(bytes.has_value());
  EXPECT_EQ(*bytes, 0u); // documents in memory consumed no input bytes
  EXPECT_EQ(sizes, (std::vector<std::size_t>{2, 2, 1}));
  EXPECT_EQ(seen, (std::vector<std::string>{"d0", "d1", "d2", "d3", "d4"}));
  EXPECT_EQ(done, (std::vector<std::uint64_t>{0, 0, 0, 0}));
  EXPECT_EQ(*document_source::of(*corpus).text(doc_info{"d3", {}, 0, 0, {}}),
            std::string(100, 'x'));
}

TEST(BatchLoop, StopsAtTheFirstErrorOfTheStage) {
  const test_util::temp_dir dir;
  const std::string a = dir.write("a.txt", "first text");
  const std::string b = dir.write("b.txt", "second text");
  read_options ro;
  ro.batch_bytes = 1; // one document a batch
  auto reader = corpus_reader::open({a, b}, ro);
  ASSERT_TRUE(reader.has_value());
  diagnostics diag;
  int calls = 0;
  auto r = for_each_batch(document_source::of(*reader), diag,
                          [&](std::vector<document>& batch) -> result<void> {
                            ++calls;
                            EXPECT_EQ(batch.size(), 1u);
                            return make_error(errc::invalid_input, "stop at " + batch[0].id);
                          });
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, errc::invalid_input);
  EXPECT_EQ(r.error().message, "stop at " + a);
  EXPECT_EQ(calls, 1);
}
