// serve: request parsing (no socket), tokens, then a server on a free loopback port driven with
// httplib's client: every endpoint, every error status, auth, limits, hostile bodies, the access
// log, read snapshots that follow adds, and checks in parallel with adds.
#include <copydesk/archive.hpp>
#include <copydesk/serve.hpp>
#include <copydesk/writers.hpp>

#include "serve/request.hpp"
#include "temp_dir.hpp"

#include <gtest/gtest.h>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>

namespace copydesk {
namespace {

using nlohmann::json;
using serve_detail::json_depth;
using serve_detail::parse_add;
using serve_detail::parse_check;

// A wire story, a rewrite of another event, and an unrelated piece: small, but long enough for
// passages (8 words or more) and for the story search.
const std::string wire =
    "The harbour authority said on Tuesday that the river ferry between the north and south "
    "piers will stop for two weeks from Monday while engineers replace the floating landing "
    "stage, which was damaged by a barge in the spring floods. Passengers will be carried by "
    "a replacement bus that leaves the north pier every twenty minutes and takes about half an "
    "hour to reach the south side by the old road bridge. The authority apologised for the "
    "disruption and said the new landing stage would last forty years.";
const std::string museum =
    "The textile museum in the old mill reopens on Saturday after a year of repairs to its roof "
    "and looms. Visitors can watch weavers at work on the restored machines, and a new gallery "
    "shows the dyes once made from plants gathered along the valley. Entry stays free for "
    "children under twelve, the trust that runs the museum said.";
const std::string market =
    "Traders at the covered market voted to keep the Sunday opening hours for another year, "
    "after a trial that brought more families into the town centre, the council said. Stall "
    "rents will not rise before the spring.";

TEST(ServeRequest, OneDocumentWithOptions) {
  auto r = parse_check(R"({"text": "hello world", "source": "desk", "fail_over": 0.3,
                          "uncredited_only": true, "similar": 2})",
                       check_options{}, 10);
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_EQ(r->in.docs.size(), 1U);
  EXPECT_EQ(r->in.docs[0].id, "request:1");
  EXPECT_EQ(r->in.docs[0].text, "hello world");
  EXPECT_EQ(r->in.meta[0].source, "desk");
  EXPECT_FALSE(r->in.meta[0].time.has_value());
  ASSERT_TRUE(r->fail_over.has_value());
  EXPECT_DOUBLE_EQ(r->fail_over->share, 0.3);
  EXPECT_TRUE(r->fail_over->uncredited_only);
  EXPECT_EQ(r->options.similar, 2U);
}

TEST(ServeRequest, Batch) {
  auto r = parse_add(R"({"documents": [{"id": "a", "text": "x", "time": "2024-05-01"},
                                       {"id": "b", "text": "y", "url": null}], "replace": true,
                        "threshold": 0.5, "no_containment": true})",
                     add_options{}, 10);
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_EQ(r->in.docs.size(), 2U);
  EXPECT_EQ(r->in.docs[1].id, "b");
  EXPECT_EQ(r->in.meta[0].time, "2024-05-01");
  EXPECT_TRUE(r->options.replace);
  EXPECT_DOUBLE_EQ(r->options.match.threshold, 0.5);
  EXPECT_FALSE(r->options.match.find_contained);
}

TEST(ServeRequest, RefusesBadBodiesWithMessages) {
  struct bad_case {
    const char* body;
    errc code;
    const char* message;
  };
  const bad_case cases[] = {
      {"{", errc::invalid_input, "malformed JSON: "},
      {"[1]", errc::invalid_input, "the body must be a JSON object, got array"},
      {R"({"id": "a"})", errc::invalid_input, "the document: \"text\" must be a string (missing)"},
      {R"({"text": 5})", errc::invalid_input,
       "the document: \"text\" must be a string, got number"},
      {R"({"text": "x", "id": 7})", errc::invalid_input,
       "the document: \"id\" must be a string or null, got number"},
      {R"({"text": "x", "colour": 1})", errc::invalid_input, "unknown key \"colour\""},
      {R"({"documents": {}})", errc::invalid_input, "\"documents\" must be an array, got object"},
      {R"({"documents": []})", errc::invalid_input, "\"documents\" is empty"},
      {R"({"documents": [{"text": "x", "title": "t"}]})", errc::invalid_input,
       "documents[0]: unknown key \"title\""},
      {R"({"documents": [{"id": "a", "text": "x"}, {"id": "a", "text": "y"}]})", errc::duplicate_id,
       "duplicate document id \"a\" in the body"},
      {R"({"text": "x", "threshold": "high"})", errc::invalid_input,
       "\"threshold\" must be a number, got string"},
      {R"({"text": "x", "threshold": 2})", errc::invalid_argument, "Jaccard threshold"},
      {R"({"text": "x", "similar": -1})", errc::invalid_input,
       "\"similar\" must be a whole number >= 0, got -1"},
      {R"({"text": "x", "max_gap": 5000})", errc::invalid_input,
       "\"max_gap\" must be at most 1000, got 5000"},
      {R"({"text": "x", "fail_over": 1.5})", errc::invalid_argument,
       "fail over share must be in [0,1]"},
      {R"({"text": "x", "fail_over": -0.5})", errc::invalid_argument,
       "fail over share must be in [0,1]"},
      {R"({"text": "x", "uncredited_only": true})", errc::invalid_input,
       "\"uncredited_only\" needs \"fail_over\""},
      {R"({"text": "x", "no_containment": 1})", errc::invalid_input,
       "\"no_containment\" must be true or false, got number"},
  };
  for (const bad_case& c : cases) {
    auto r = parse_check(c.body, check_options{}, 10);
    ASSERT_FALSE(r) << c.body;
    EXPECT_EQ(r.error().code, c.code) << c.body;
    EXPECT_EQ(r.error().message.rfind(c.message, 0), 0U) << c.body << " -> " << r.error().message;
  }
  auto no_id = parse_add(R"({"text": "x"})", add_options{}, 10);
  ASSERT_FALSE(no_id);
  EXPECT_EQ(no_id.error().message, "the document: \"id\" is required to add a document");
  auto many = parse_check(R"({"documents": [{"text": "a"}, {"text": "b"}, {"text": "c"}]})",
                          check_options{}, 2);
  ASSERT_FALSE(many);
  EXPECT_EQ(many.error().message, "\"documents\" holds 3 documents; at most 2 per request");
}

TEST(ServeRequest, DeepNestingIsRefusedBeforeParsing) {
  EXPECT_EQ(json_depth(R"({"a": [1, {"b": "[[[["}]})", 100), 3U);
  EXPECT_EQ(json_depth(R"({"a": "\"{{{"})", 100), 1U);
  const std::string deep =
      "{\"text\": \"x\", \"n\": " + std::string(100000, '[') + std::string(100000, ']') + "}";
  auto r = parse_check(deep, check_options{}, 10);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message, "the body nests arrays or objects deeper than 32 levels");
}

TEST(ServeRequest, InvalidUtf8IsReplacedAndCounted) {
  std::string body = "{\"text\": \"caf\xC3 and \xFF\xFE bytes\"}";
  auto r = parse_check(body, check_options{}, 10);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->in.invalid_utf8, 3U);
  EXPECT_EQ(r->in.docs[0].text, "caf\xEF\xBF\xBD and \xEF\xBF\xBD\xEF\xBF\xBD bytes");
}

TEST(ServeToken, ConstantTimeCompareAndFile) {
  EXPECT_TRUE(equal_constant_time("s3cret", "s3cret"));
  EXPECT_FALSE(equal_constant_time("s3cret", "s3cres"));
  EXPECT_FALSE(equal_constant_time("s3cret", "s3cret2"));
  EXPECT_FALSE(equal_constant_time("", "x"));
  test_util::temp_dir dir;
  auto t = read_token_file(dir.write("token", "  abc-123\t\nsecond line\n"));
  ASSERT_TRUE(t) << t.error().message;
  EXPECT_EQ(*t, "abc-123");
  auto empty = read_token_file(dir.write("empty", "\n"));
  ASSERT_FALSE(empty);
  EXPECT_EQ(empty.error().code, errc::invalid_input);
  auto spaced = read_token_file(dir.write("spaced", "a b\n"));
  ASSERT_FALSE(spaced);
  EXPECT_EQ(read_token_file((dir.path / "none").string()).error().code, errc::not_found);
}

TEST(ServeOptions, Validate) {
  serve_options o;
  o.archive = "x.db";
  EXPECT_TRUE(o.validate());
  o.protect_reads = true;
  EXPECT_EQ(o.validate().error().message, "protecting reads needs a token (--token-file)");
  o.token = "t";
  EXPECT_TRUE(o.validate());
  o.connections = 0;
  EXPECT_FALSE(o.validate());
}

// ---- a running server -----------------------------------------------------------------------

document doc(std::string id, std::string text) {
  document d;
  d.id = std::move(id);
  d.text = std::move(text);
  return d;
}

class running_server {
public:
  running_server(const std::string& path, serve_options o) {
    o.archive = path;
    o.host = "127.0.0.1";
    o.port = 0;
    o.log = [this](std::string_view line) {
      const std::lock_guard lock(mu_);
      log_.emplace_back(line);
    };
    auto s = server::open(std::move(o));
    if (!s)
      throw std::runtime_error(s.error().message);
    srv_.emplace(std::move(*s));
    thread_ = std::thread([this] { result_ = srv_->run(); });
  }
  running_server(const running_server&) = delete;
  running_server& operator=(const running_server&) = delete;
  ~running_server() { stop(); }
  void stop() {
    if (thread_.joinable()) {
      srv_->stop();
      thread_.join();
    }
  }
  [[nodiscard]] httplib::Client client() const {
    httplib::Client c("127.0.0.1", srv_->port());
    c.set_read_timeout(60, 0);
    c.set_write_timeout(60, 0);
    return c;
  }
  [[nodiscard]] std::vector<std::string> log() {
    const std::lock_guard lock(mu_);
    return log_;
  }
  [[nodiscard]] bool ran_ok() const { return static_cast<bool>(result_); }
  [[nodiscard]] std::uint16_t port() const { return srv_->port(); }

private:
  std::optional<server> srv_;
  std::thread thread_;
  result<void> result_{};
  std::mutex mu_;
  std::vector<std::string> log_;
};

// NOLINTNEXTLINE(readability-identifier-naming): GoogleTest suites are PascalCase (STYLE §4)
class Serve : public ::testing::Test {
protected:
  void SetUp() override {
    path_ = (dir_.path / "desk.db").string();
    auto ar = archive::open(path_, archive::open_mode::create);
    ASSERT_TRUE(ar) << ar.error().message;
    const std::vector<document> docs = {doc("wire", wire), doc("museum", museum),
                                        doc("market", market)};
    std::vector<doc_meta> meta(3);
    meta[0].source = "Northline Press";
    meta[0].time = "2024-05-01T09:00:00Z";
    ASSERT_TRUE(ar->add_batch(docs, meta, add_options{}));
  }
  serve_options with_token() {
    serve_options o;
    o.token = token_;
    o.threads = 2;
    return o;
  }
  httplib::Headers auth() const { return {{"Authorization", "Bearer " + token_}}; }

  test_util::temp_dir dir_;
  std::string path_;
  std::string token_ = "t0ken-for-tests";
};

json body_of(const httplib::Result& r) { return json::parse(r->body); }

void expect_error(const httplib::Result& r, int status, const std::string& code,
                  const std::string& message_start) {
  ASSERT_TRUE(r) << "no response";
  EXPECT_EQ(r->status, status) << r->body;
  EXPECT_EQ(r->get_header_value("Content-Type"), "application/json");
  const json j = body_of(r);
  EXPECT_EQ(j["error"]["code"], code) << r->body;
  EXPECT_EQ(j["error"]["message"].get<std::string>().rfind(message_start, 0), 0U) << r->body;
}

// The archive passes `archive verify` and holds `documents`.
void expect_sound(const std::string& path, std::uint64_t documents) {
  auto ar = archive::open(path, archive::open_mode::read_only);
  ASSERT_TRUE(ar);
  auto v = ar->verify();
  ASSERT_TRUE(v);
  EXPECT_TRUE(v->problems.empty());
  EXPECT_EQ(v->documents, documents);
}

TEST_F(Serve, HealthPageAndInfo) {
  running_server s(path_, with_token());
  auto c = s.client();
  auto h = c.Get("/healthz");
  ASSERT_TRUE(h);
  EXPECT_EQ(h->status, 200);
  EXPECT_EQ(h->body, "{\n  \"status\": \"ok\",\n  \"documents\": 3\n}\n");
  EXPECT_EQ(h->get_header_value("X-Content-Type-Options"), "nosniff");

  auto page = c.Get("/");
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 200);
  EXPECT_EQ(page->get_header_value("Content-Type"), "text/html; charset=utf-8");
  const std::string csp = page->get_header_value("Content-Security-Policy");
  const auto n = csp.find("'nonce-");
  ASSERT_NE(n, std::string::npos) << csp;
  const std::string nonce = csp.substr(n + 7, 32);
  EXPECT_EQ(csp.rfind("default-src 'none'; script-src 'nonce-", 0), 0U);
  EXPECT_EQ(page->body.find("{{NONCE}}"), std::string::npos);
  EXPECT_NE(page->body.find("<script nonce=\"" + nonce + "\">"), std::string::npos);
  EXPECT_EQ(page->body.find("innerHTML"), std::string::npos);
  EXPECT_EQ(page->body.find("src=\"http"), std::string::npos); // nothing fetched from elsewhere

  auto info = c.Get("/v1/archive");
  ASSERT_TRUE(info);
  EXPECT_EQ(info->status, 200);
  const json i = body_of(info);
  EXPECT_EQ(i["archive"], "desk.db"); // the name, never the server's path
  EXPECT_EQ(i["documents"], 3);
  EXPECT_EQ(i["format_version"], 2);
}

TEST_F(Serve, CheckAnswersTheCliJson) {
  running_server s(path_, with_token());
  auto c = s.client();
  const std::string draft =
      "Ferry news from our desk this evening, with thanks to the readers who wrote in about the "
      "queues at the north pier and the lack of signs for the buses last week. " +
      wire.substr(0, 300) + " More to follow.";
  json body;
  body["id"] = "draft-1";
  body["text"] = draft;
  body["fail_over"] = 0.3;
  auto r = c.Post("/v1/check", body.dump(), "application/json");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  // The same JSON as `copydesk check --format json --fail-over 0.3` on this archive.
  auto ar = archive::open(path_, archive::open_mode::read_only);
  ASSERT_TRUE(ar);
  check_report rep;
  rep.archive = "desk.db";
  rep.settings = ar->settings();
  rep.options.borrow.seed_width = ar->settings().seed_width;
  rep.options.borrow.hash_seed = ar->settings().minhash.shingles.seed;
  rep.fail_over = fail_over_policy{0.3, false};
  auto c1 = ar->check(doc("draft-1", draft), rep.options);
  ASSERT_TRUE(c1);
  rep.results.push_back(std::move(*c1));
  auto expected = render_string(rep, output_format::json);
  ASSERT_TRUE(expected);
  EXPECT_EQ(r->body, *expected);
  const json j = body_of(r);
  EXPECT_EQ(j["command"], "check");
  EXPECT_EQ(j["results"][0]["id"], "draft-1");
  EXPECT_EQ(j["results"][0]["verdict"], "copy");
  EXPECT_EQ(j["results"][0]["sources"][0]["archived"], "wire");
  EXPECT_EQ(j["results"][0]["sources"][0]["source"], "Northline Press");
  EXPECT_EQ(j["results"][0]["earliest"]["archived"], "wire");
  EXPECT_EQ(j["fail_over"]["exceeded"], true);
  EXPECT_EQ(j["fail_over"]["over"], json::array({"draft-1"}));

  // A batch, sorted by id as the CLI sorts; one without id is named by position.
  json batch;
  batch["documents"] = json::array({{{"id", "z"}, {"text", museum}}, {{"text", "tiny"}}});
  auto b = c.Post("/v1/check", batch.dump(), "application/json; charset=utf-8");
  ASSERT_TRUE(b);
  ASSERT_EQ(b->status, 200) << b->body;
  const json bj = body_of(b);
  ASSERT_EQ(bj["results"].size(), 2U);
  EXPECT_EQ(bj["results"][0]["id"], "request:2");
  EXPECT_EQ(bj["results"][1]["id"], "z");
  EXPECT_EQ(bj["results"][1]["verdict"], "duplicate");
  EXPECT_FALSE(bj.contains("fail_over"));
}

TEST_F(Serve, AddGetDeleteAndChecksSeeAdds) {
  running_server s(path_, with_token());
  auto c = s.client();
  const std::string story =
      "Council engineers will close the eastern footbridge over the canal for three nights "
      "next week to repaint its steel arches, and walkers are asked to use the lock gates "
      "instead, a council spokeswoman said on Thursday morning at the depot.";
  json add;
  add["documents"] = json::array(
      {{{"id", "bridge"}, {"text", story}, {"source", "Council"}, {"time", "2024-06-01"}}});
  const std::string add_body = add.dump();
  auto no_auth = c.Post("/v1/documents", add_body, "application/json");
  expect_error(no_auth, 401, "unauthorized", "this request needs \"Authorization: Bearer");
  EXPECT_EQ(no_auth->get_header_value("WWW-Authenticate"), "Bearer realm=\"copydesk\"");
  auto wrong =
      c.Post("/v1/documents", {{"Authorization", "Bearer nope"}}, add_body, "application/json");
  expect_error(wrong, 403, "forbidden", "the token is not valid");
  auto basic =
      c.Post("/v1/documents", {{"Authorization", "Basic dTpw"}}, add_body, "application/json");
  expect_error(basic, 401, "unauthorized", "this request needs");

  // The check before the add sees nothing of the story.
  json draft;
  draft["text"] = "In brief: " + story;
  auto before = c.Post("/v1/check", draft.dump(), "application/json");
  ASSERT_TRUE(before);
  EXPECT_EQ(body_of(before)["results"][0]["sources"].size(), 0U);

  auto added = c.Post("/v1/documents", auth(), add_body, "application/json");
  ASSERT_TRUE(added);
  ASSERT_EQ(added->status, 201) << added->body;
  const json aj = body_of(added);
  EXPECT_EQ(aj["command"], "archive add");
  EXPECT_EQ(aj["summary"]["added"], 1);
  EXPECT_EQ(aj["summary"]["archive_documents"], 4);
  EXPECT_EQ(aj["documents"][0]["id"], "bridge");
  EXPECT_EQ(aj["documents"][0]["status"], "added");

  // Read snapshots follow the commit.
  auto after = c.Post("/v1/check", draft.dump(), "application/json");
  ASSERT_TRUE(after);
  const json after_j = body_of(after);
  ASSERT_EQ(after_j["results"][0]["sources"].size(), 1U) << after->body;
  EXPECT_EQ(after_j["results"][0]["sources"][0]["archived"], "bridge");

  auto got = c.Get("/v1/documents/bridge");
  ASSERT_TRUE(got);
  ASSERT_EQ(got->status, 200);
  const json g = body_of(got);
  EXPECT_EQ(g["text"], story);
  EXPECT_EQ(g["source"], "Council");
  EXPECT_EQ(g["time"], "2024-06-01");
  EXPECT_EQ(g["url"], nullptr);
  EXPECT_EQ(g["bytes"], story.size());

  // Again: skipped (200); other content: 409, nothing written; replace: 201.
  auto again = c.Post("/v1/documents", auth(), add_body, "application/json");
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status, 200);
  EXPECT_EQ(body_of(again)["documents"][0]["status"], "skipped");
  json other;
  other["documents"] = json::array({{{"id", "new-one"}, {"text", market + " Updated."}},
                                    {{"id", "bridge"}, {"text", story + " Updated."}}});
  expect_error(c.Post("/v1/documents", auth(), other.dump(), "application/json"), 409, "conflict",
               "bridge: already archived with other content");
  expect_error(c.Get("/v1/documents/new-one"), 404, "not_found", "new-one: not in the archive");
  other["replace"] = true;
  auto replaced = c.Post("/v1/documents", auth(), other.dump(), "application/json");
  ASSERT_TRUE(replaced);
  EXPECT_EQ(replaced->status, 201);
  EXPECT_EQ(body_of(replaced)["documents"][1]["status"], "replaced");

  // Ids with slashes and spaces travel percent-encoded.
  json odd;
  odd["id"] = "wire/2024 05/a.txt";
  odd["text"] = museum + " Extra line.";
  ASSERT_EQ(c.Post("/v1/documents", auth(), odd.dump(), "application/json")->status, 201);
  auto odd_get = c.Get("/v1/documents/wire%2F2024%2005%2Fa.txt");
  ASSERT_TRUE(odd_get);
  EXPECT_EQ(odd_get->status, 200);
  EXPECT_EQ(body_of(odd_get)["id"], "wire/2024 05/a.txt");

  expect_error(c.Delete("/v1/documents/bridge"), 401, "unauthorized", "this request needs");
  auto del = c.Delete("/v1/documents/bridge", auth());
  ASSERT_TRUE(del);
  EXPECT_EQ(del->status, 200);
  EXPECT_EQ(del->body,
            "{\n  \"id\": \"bridge\",\n  \"removed\": true,\n  \"archive_documents\": 5\n}\n");
  expect_error(c.Delete("/v1/documents/bridge", auth()), 404, "not_found",
               "bridge: not in the archive");
  expect_error(c.Get("/v1/documents/bridge"), 404, "not_found", "bridge: not in the archive");
  s.stop();
  EXPECT_TRUE(s.ran_ok());
  expect_sound(path_, 5);
}

TEST_F(Serve, ErrorStatuses) {
  running_server s(path_, with_token());
  auto c = s.client();
  expect_error(c.Post("/v1/check", "{\"text\": \"x\"}", "text/plain"), 415,
               "unsupported_media_type", "the body must be JSON");
  expect_error(c.Post("/v1/check", "{\"text\": ", "application/json"), 400, "invalid_input",
               "malformed JSON: ");
  expect_error(c.Post("/v1/check", "{\"text\": [\"a\"]}", "application/json"), 400, "invalid_input",
               "the document: \"text\" must be a string, got array");
  expect_error(c.Post("/v1/check", "{\"text\": \"a\", \"threshold\": 0}", "application/json"), 400,
               "invalid_argument", "Jaccard threshold must be in (0,1]");
  const std::string deep = std::string(5000, '[') + std::string(5000, ']');
  expect_error(c.Post("/v1/check", "{\"text\": \"a\", \"x\": " + deep + "}", "application/json"),
               400, "invalid_input", "the body nests arrays or objects deeper than 32 levels");
  expect_error(c.Get("/v1/check"), 405, "method_not_allowed", "GET is not allowed here");
  EXPECT_EQ(c.Get("/v1/check")->get_header_value("Allow"), "POST");
  expect_error(c.Get("/v2/anything"), 404, "not_found", "no such endpoint");
  expect_error(c.Post("/v1/documents", auth(), "{\"text\": \"x\"}", "application/json"), 400,
               "invalid_input", "the document: \"id\" is required to add a document");

  // 10 MB of one line: over the default 8 MB limit.
  const std::string huge = "{\"text\": \"" + std::string(10U << 20, 'a') + "\"}";
  expect_error(c.Post("/v1/check", huge, "application/json"), 413, "payload_too_large",
               "the body is larger than the server's limit");
  // 3 MB of one line (one word) under the limit: checked, nothing found.
  const std::string big = "{\"text\": \"" + std::string(3U << 20, 'b') + "\"}";
  auto ok = c.Post("/v1/check", big, "application/json");
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->status, 200);
  EXPECT_EQ(body_of(ok)["results"][0]["verdict"], "none");

  // Invalid UTF-8 is replaced and counted, never refused.
  auto bad_utf8 = c.Post("/v1/check", std::string("{\"text\": \"caf\xC3 \xFF ") + wire + "\"}",
                         "application/json");
  ASSERT_TRUE(bad_utf8);
  EXPECT_EQ(bad_utf8->status, 200) << bad_utf8->body;
  EXPECT_EQ(bad_utf8->get_header_value("X-Invalid-UTF8"), "2");

  // Hostile text stays data: the JSON carries it as a string.
  json hostile;
  hostile["id"] = "<img src=x onerror=alert(1)>";
  hostile["text"] = "</script><script>alert(1)</script> " + wire;
  auto h = c.Post("/v1/check", hostile.dump(), "application/json");
  ASSERT_TRUE(h);
  EXPECT_EQ(h->status, 200);
  EXPECT_EQ(body_of(h)["results"][0]["id"], "<img src=x onerror=alert(1)>");
  EXPECT_EQ(h->get_header_value("Content-Security-Policy"),
            "default-src 'none'; frame-ancestors 'none'");
}

TEST_F(Serve, WritesNeedATokenAndReadsCanBeProtected) {
  {
    running_server open_reads(path_, serve_options{});
    auto c = open_reads.client();
    expect_error(c.Post("/v1/documents", "{\"id\": \"a\", \"text\": \"x\"}", "application/json"),
                 403, "forbidden", "writes are disabled: start copydesk serve with --token-file");
    EXPECT_EQ(c.Get("/v1/documents/wire")->status, 200);
  }
  serve_options o = with_token();
  o.protect_reads = true;
  running_server s(path_, o);
  auto c = s.client();
  expect_error(c.Post("/v1/check", "{\"text\": \"x\"}", "application/json"), 401, "unauthorized",
               "this request needs");
  expect_error(c.Get("/v1/documents/wire"), 401, "unauthorized", "this request needs");
  expect_error(c.Get("/v1/archive"), 401, "unauthorized", "this request needs");
  EXPECT_EQ(c.Get("/v1/documents/wire", auth())->status, 200);
  EXPECT_EQ(c.Post("/v1/check", auth(), "{\"text\": \"x\"}", "application/json")->status, 200);
  EXPECT_EQ(c.Get("/healthz")->status, 200); // for load balancers
}

TEST_F(Serve, AccessLogHasOneLinePerRequestAndNoText) {
  running_server s(path_, with_token());
  auto c = s.client();
  json body;
  body["text"] = "zanzibarquokka " + wire;
  ASSERT_EQ(c.Post("/v1/check", body.dump(), "application/json")->status, 200);
  ASSERT_EQ(c.Get("/v1/documents/missing")->status, 404);
  const std::string huge = "{\"text\": \"zanzibarquokka" + std::string(9U << 20, 'a') + "\"}";
  ASSERT_EQ(c.Post("/v1/check", huge, "application/json")->status, 413);
  s.stop();
  const auto log = s.log();
  ASSERT_EQ(log.size(), 3U);
  // Lines come as answers finish (each of httplib's client requests is a new connection, on its
  // own thread); the request ids give the order the requests came in.
  std::vector<json> lines;
  lines.reserve(log.size());
  for (const std::string& line : log)
    lines.push_back(json::parse(line));
  std::sort(lines.begin(), lines.end(), [](const json& a, const json& b) {
    const auto n = [](const json& j) {
      const std::string id = j["request_id"].get<std::string>();
      return std::stoi(id.substr(id.find('-') + 1));
    };
    return n(a) < n(b);
  });
  const json& first = lines[0];
  EXPECT_EQ(first["method"], "POST");
  EXPECT_EQ(first["path"], "/v1/check");
  EXPECT_EQ(first["status"], 200);
  EXPECT_GT(first["bytes"].get<int>(), 100);
  EXPECT_TRUE(first["ms"].is_number());
  EXPECT_EQ(first["time"].get<std::string>().size(), 24U); // 2026-01-02T03:04:05.678Z
  EXPECT_EQ(first["request_id"].get<std::string>().size(), 10U);
  EXPECT_EQ(first["remote"], "127.0.0.1");
  EXPECT_EQ(lines[1]["status"], 404);
  EXPECT_EQ(lines[1]["path"], "/v1/documents/missing");
  EXPECT_EQ(lines[2]["status"], 413);
  for (const std::string& line : log)
    EXPECT_EQ(line.find("zanzibarquokka"), std::string::npos) << line;
}

TEST_F(Serve, ParallelChecksWhileAdding) {
  serve_options o = with_token();
  o.threads = 4;
  running_server s(path_, o);
  std::atomic<int> errors{0};
  std::atomic<int> checks{0};
  std::vector<std::thread> readers;
  readers.reserve(6);
  for (int t = 0; t < 6; ++t) {
    readers.emplace_back([&] {
      auto c = s.client();
      json body;
      body["text"] = "Report: " + wire;
      for (int i = 0; i < 15; ++i) {
        auto r = c.Post("/v1/check", body.dump(), "application/json");
        if (!r || r->status != 200 || body_of(r)["results"][0]["sources"][0]["archived"] != "wire")
          ++errors;
        ++checks;
      }
    });
  }
  {
    auto c = s.client();
    for (int i = 0; i < 20; ++i) {
      json add;
      add["id"] = "added-" + std::to_string(i);
      add["text"] = "Item " + std::to_string(i) + " of the night desk log: " + market;
      auto r = c.Post("/v1/documents", auth(), add.dump(), "application/json");
      if (!r || r->status != 201)
        ++errors;
    }
  }
  for (auto& t : readers)
    t.join();
  EXPECT_EQ(errors.load(), 0);
  EXPECT_EQ(checks.load(), 90);
  auto c = s.client();
  for (int i = 0; i < 20; ++i)
    EXPECT_EQ(c.Get("/v1/documents/added-" + std::to_string(i))->status, 200) << i;
  s.stop();
  expect_sound(path_, 23);
}

// A client that stops sending in the middle of a body is cut off after the timeout: no thread
// waits for it forever.
TEST_F(Serve, SlowClientIsCutOff) {
  serve_options o = with_token();
  o.timeout_seconds = 1;
  o.idle_seconds = 1; // after its 400 the connection is idle, then closed
  running_server s(path_, o);
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(s.port());
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  const std::string part =
      "POST /v1/check HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
      "Content-Length: 100\r\n\r\n{\"text\": ";
  ASSERT_EQ(::send(fd, part.data(), part.size(), 0), static_cast<ssize_t>(part.size()));
  const auto start = std::chrono::steady_clock::now();
  char buf[4096];
  std::string got;
  for (ssize_t n; (n = ::recv(fd, buf, sizeof buf, 0)) > 0;)
    got.append(buf, static_cast<std::size_t>(n));
  const double waited =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  ::close(fd);
  EXPECT_LT(waited, 5.0);
  EXPECT_GE(waited, 0.5);
  // The server answers what it could not read with a JSON 400, or just closes.
  if (!got.empty()) {
    EXPECT_EQ(got.rfind("HTTP/1.1 400", 0), 0U) << got;
  }
  EXPECT_EQ(s.client().Get("/healthz")->status, 200); // and goes on serving
}

TEST_F(Serve, RefusesMissingArchiveAndBusyPort) {
  serve_options o;
  o.archive = (dir_.path / "none.db").string();
  o.port = 0;
  auto missing = server::open(o);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, errc::not_found);
  running_server s(path_, with_token());
  serve_options again;
  again.archive = path_;
  again.host = "127.0.0.1";
  auto first = server::open([&] {
    serve_options x = again;
    x.port = 0;
    return x;
  }());
  ASSERT_TRUE(first);
  again.port = first->port();
  auto busy = server::open(again);
  ASSERT_FALSE(busy);
  EXPECT_EQ(busy.error().code, errc::invalid_argument);
}

} // namespace
} // namespace copydesk
