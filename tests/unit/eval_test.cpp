// Evaluation plumbing: gold TSV parsing (kinds, headers, errors with line numbers), reading
// copydesk JSON results, joining them (missing and unlabelled ids, orientation, scores) and the
// writers (JSON keys, null for undefined metrics, the SVG chart).
#include <copydesk/metrics.hpp>
#include <copydesk/writers.hpp>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <string>
#include <vector>

using namespace copydesk;

namespace {

gold_file gold(std::string_view text, std::optional<eval_kind> kind = std::nullopt) {
  auto g = parse_gold(text, "gold.tsv", kind);
  EXPECT_TRUE(g) << (g ? "" : g.error().message);
  return g ? *g : gold_file{};
}

tool_output tool(std::string_view json) {
  auto t = parse_tool_output(json, "result.json");
  EXPECT_TRUE(t) << (t ? "" : t.error().message);
  return t ? *t : tool_output{};
}

std::string gold_error(std::string_view text, std::optional<eval_kind> kind = std::nullopt) {
  auto g = parse_gold(text, "gold.tsv", kind);
  EXPECT_FALSE(g);
  return g ? std::string() : g.error().message;
}

eval_options named() {
  eval_options o;
  o.truth_name = "gold.tsv";
  o.result_name = "result.json";
  return o;
}

// A dedup-shaped result: documents a..f and x; clusters {a,b,c} {d,e}; f and x alone.
constexpr std::string_view dedup_json = R"({
  "command": "dedup", "version": "0", "params": {},
  "documents": [{"id": "a", "tokens": 9, "cluster": 1}, {"id": "b", "tokens": 9, "cluster": 1},
                {"id": "c", "tokens": 9, "cluster": 1}, {"id": "d", "tokens": 9, "cluster": 2},
                {"id": "e", "tokens": 9, "cluster": 2}, {"id": "f", "tokens": 9, "cluster": null},
                {"id": "x", "tokens": 9, "cluster": null}],
  "clusters": [{"id": 1, "kind": "near", "members": ["a", "b", "c"], "representative": "a"},
               {"id": 2, "kind": "contained", "members": ["d", "e"], "representative": "d"}],
  "pairs": [{"a": "a", "b": "b", "kind": "near", "jaccard": 0.9, "a_in_b": 0.95, "b_in_a": 0.94},
            {"a": "a", "b": "c", "kind": "near", "jaccard": 0.85, "a_in_b": 0.9, "b_in_a": 0.91},
            {"a": "d", "b": "e", "kind": "contained", "jaccard": 0.4, "a_in_b": 0.2, "b_in_a": 0.97}]
})";

} // namespace

TEST(EvalGold, ClustersWithHeaderCommentsAndCrlf) {
  const gold_file g =
      gold("# stories of March\r\nid\tlabel\r\na\tfire\r\n\r\nb\tfire\r\nc\tvote\r\n");
  EXPECT_EQ(g.kind, eval_kind::clusters);
  EXPECT_TRUE(g.has_header);
  ASSERT_EQ(g.labels.size(), 3u);
  EXPECT_EQ(g.labels[0].id, "a");
  EXPECT_EQ(g.labels[2].label, "vote");
  EXPECT_EQ(g.labels[2].line, 6u);
}

TEST(EvalGold, HeaderIsOnlyDetectedWhenItCannotBeData) {
  // "a b" could be a document a in cluster b: not a header.
  EXPECT_FALSE(gold("a\tb\nc\tb\n").has_header);
  // A pair of documents called a and b with label 1: not a header.
  const gold_file p = gold("a\tb\t1\nb\tc\t0\n");
  EXPECT_FALSE(p.has_header);
  EXPECT_EQ(p.kind, eval_kind::pairs);
  const gold_file h = gold("id_a\tid_b\tduplicate\na\tb\t1\n");
  EXPECT_TRUE(h.has_header);
  ASSERT_EQ(h.pairs.size(), 1u);
  EXPECT_TRUE(h.pairs[0].positive);
  EXPECT_TRUE(gold("copy\treference\tgrade\nc1\tsrc\tcut\n").has_header);
}

TEST(EvalGold, KindFromColumns) {
  EXPECT_EQ(gold("a\tb\t0\nc\td\t1\n").kind, eval_kind::pairs);
  const gold_file named_grades = gold("c1\tsrc\tcut\nc2\tsrc\tNone\nc3\tsrc\tverbatim\n");
  EXPECT_EQ(named_grades.kind, eval_kind::grades);
  EXPECT_TRUE(named_grades.named_grades);
  EXPECT_EQ(named_grades.grades[0].grade, 3);
  EXPECT_EQ(named_grades.grades[1].grade, 0);
  EXPECT_EQ(named_grades.grades[2].grade, 3);
  const gold_file ints = gold("c1\tsrc\t0\nc2\tsrc\t2\nc3\tsrc\t7\n");
  EXPECT_EQ(ints.kind, eval_kind::grades);
  EXPECT_FALSE(ints.named_grades);
  EXPECT_EQ(ints.grades[2].grade, 7);
  // 0/1 only looks like pairs; --kind grades says otherwise.
  EXPECT_EQ(gold("c1\tsrc\t0\nc2\tsrc\t1\n", eval_kind::grades).kind, eval_kind::grades);
}

TEST(EvalGold, ErrorsNameFileAndLine) {
  EXPECT_EQ(gold_error("a\tx\nb\n"), "gold.tsv:2: expected 2 tab-separated fields, got 1");
  EXPECT_EQ(gold_error("a\tx\nb\ty\na\tz\n"), "gold.tsv:3: duplicate id \"a\" (first on line 1)");
  EXPECT_EQ(gold_error("a\tb\t1\nb\ta\t0\n"),
            "gold.tsv:2: duplicate pair \"b\", \"a\" (first on line 1)");
  EXPECT_EQ(gold_error("a\ta\t1\n"), "gold.tsv:1: a pair of \"a\" with itself");
  EXPECT_EQ(gold_error("a\tb\t1\nc\td\t2\n", eval_kind::pairs),
            "gold.tsv:2: expected 0 or 1, got \"2\"");
  EXPECT_EQ(gold_error("a\ts\tcut\nb\ts\t2\n"),
            "gold.tsv:2: grade names and numeric grades are mixed");
  EXPECT_EQ(gold_error("a\ts\tcut\nb\ts\tmedium\n"),
            "gold.tsv:2: expected a grade (none, heavy, light, cut or a number >= 0; --scale names "
            "another scale), got "
            "\"medium\"");
  EXPECT_EQ(gold_error("a\t\n"), "gold.tsv:1: empty field");
  EXPECT_NE(gold_error("a\tb\tc\td\n").find("expected 2 tab-separated fields"), std::string::npos);
  EXPECT_EQ(gold_error("a\tb\n", eval_kind::pairs),
            "gold.tsv: --kind pairs needs 3 tab-separated fields per line, the file has 2");
  auto empty = parse_gold("# nothing\n\n", "gold.tsv");
  ASSERT_FALSE(empty);
  EXPECT_EQ(empty.error().code, errc::empty_input);
  auto header_only = parse_gold("id\tlabel\n", "gold.tsv");
  ASSERT_FALSE(header_only);
  EXPECT_EQ(header_only.error().code, errc::empty_input);
}

TEST(EvalGold, MissingFileIsNotFound) {
  auto g = read_gold(std::string(COPYDESK_TEST_DATA_DIR) + "/eval/no-such-file.tsv");
  ASSERT_FALSE(g);
  EXPECT_EQ(g.error().code, errc::not_found);
}

TEST(EvalResults, ReadsDedupStoriesBorrowAndNestedReport) {
  const tool_output d = tool(dedup_json);
  EXPECT_EQ(d.command, "dedup");
  EXPECT_EQ(d.documents.size(), 7u);
  EXPECT_TRUE(d.has_clusters);
  EXPECT_FALSE(d.has_groups);
  ASSERT_EQ(d.clusters.size(), 2u);
  EXPECT_EQ(d.clusters[1], (std::vector<std::string>{"d", "e"}));
  ASSERT_EQ(d.pairs.size(), 3u);
  EXPECT_EQ(d.pairs[2].b_in_a, 0.97);

  const tool_output s = tool(R"({"command": "stories", "documents": [{"id": "a"}],
      "groups": [{"id": 1, "label": ["fire"], "members": ["a"]}]})");
  EXPECT_TRUE(s.has_groups);
  EXPECT_FALSE(s.has_clusters);

  const tool_output b = tool(R"({"command": "borrow", "documents": [],
      "results": [{"id": "c1", "borrowed": 0.9, "sources": [
                    {"reference": "src", "borrowed": 0.9, "reused": 0.5, "passages": []}]},
                  {"id": "c2", "borrowed": 0, "sources": []}]})");
  EXPECT_TRUE(b.has_results);
  EXPECT_EQ(b.result_ids, (std::vector<std::string>{"c1", "c2"}));
  ASSERT_EQ(b.borrowings.size(), 1u);
  EXPECT_EQ(b.borrowings[0].reference, "src");

  // report: sections one level down.
  const tool_output r = tool(R"({"command": "report", "documents": [{"id": "a"}],
      "dedup": {"clusters": [], "pairs": []}, "stories": {"groups": []}})");
  EXPECT_TRUE(r.has_clusters);
  EXPECT_TRUE(r.has_groups);
  EXPECT_TRUE(r.has_pairs);

  // A count of the same name (stories' "summary": {"pairs": 100}) is not a section.
  const tool_output counted = tool(R"({"command": "stories", "summary": {"pairs": 100},
      "documents": [], "groups": []})");
  EXPECT_FALSE(counted.has_pairs);
  EXPECT_TRUE(counted.has_groups);
}

TEST(EvalResults, BadJsonIsAClearError) {
  auto bad = parse_tool_output("{\"documents\": [", "out.json");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, errc::invalid_input);
  EXPECT_EQ(bad.error().message.rfind("out.json: not valid JSON: parse error at line 1", 0), 0u)
      << bad.error().message;
  auto arr = parse_tool_output("[1, 2]", "out.json");
  ASSERT_FALSE(arr);
  EXPECT_NE(arr.error().message.find("expected a JSON object"), std::string::npos);
  auto shape = parse_tool_output(R"({"clusters": [{"members": [1]}]})", "out.json");
  ASSERT_FALSE(shape);
  EXPECT_EQ(shape.error().message,
            "out.json: clusters[0].members[] is not a string (is this copydesk --format json "
            "output?)");
}

// Issue 19 item 3 (found by fuzz_eval): a number beyond double range made the JSON parser throw
// out_of_range, which escaped parse_tool_output and terminated the program.
TEST(Regression, HugeNumberInResultJsonIsAClearError) {
  for (const char* text : {"4e444", R"({"pairs": [{"a": "x", "b": "y", "jaccard": -1e999}]})"}) {
    auto r = parse_tool_output(text, "out.json");
    ASSERT_FALSE(r) << text;
    EXPECT_EQ(r.error().code, errc::invalid_input);
    EXPECT_EQ(r.error().message.rfind("out.json: not valid JSON: number overflow parsing '", 0), 0u)
        << r.error().message;
  }
}

TEST(Evaluate, ClustersCountMissingAsSingletonsAndIgnoreUnlabelled) {
  // Gold: {a,b} {c,d,e} {f} {g}. g is not in the result: a singleton, and missing.
  // x is in the result but not in the gold file: unlabelled, ignored.
  const gold_file g = gold("a\t1\nb\t1\nc\t2\nd\t2\ne\t2\nf\t3\ng\t4\n");
  auto r = evaluate(g, tool(dedup_json), named());
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->level, cluster_level::clusters);
  EXPECT_EQ(r->gold_rows, 7u);
  EXPECT_EQ(r->missing, 1u);
  EXPECT_EQ(r->missing_ids, (std::vector<std::string>{"g"}));
  EXPECT_EQ(r->unlabelled, 1u);
  // Same as the direct computation: predicted {a,b,c} {d,e} {f} {g} vs gold.
  const clustering_scores direct =
      score_clustering(std::vector<std::uint32_t>{0, 0, 0, 1, 1, 2, 3},
                       std::vector<std::uint32_t>{0, 0, 1, 1, 1, 2, 3});
  EXPECT_DOUBLE_EQ(r->clustering.ari, direct.ari);
  EXPECT_DOUBLE_EQ(r->clustering.nmi, direct.nmi);
  EXPECT_DOUBLE_EQ(r->clustering.bcubed.f1, direct.bcubed.f1);
  EXPECT_EQ(r->clustering.pairs.same_both, 2u);
  EXPECT_DOUBLE_EQ(r->clustering.pairwise.precision, 0.5);
}

TEST(Evaluate, ClusterLevelMustBeUnambiguous) {
  const gold_file g = gold("a\t1\nb\t1\n");
  const tool_output both = tool(R"({"documents": [{"id": "a"}, {"id": "b"}],
      "clusters": [{"members": ["a", "b"]}], "groups": []})");
  auto amb = evaluate(g, both, named());
  ASSERT_FALSE(amb);
  EXPECT_EQ(amb.error().message, "result.json has both dedup clusters and story groups; choose "
                                 "one with --level clusters|groups");
  eval_options o = named();
  o.level = cluster_level::groups;
  auto groups = evaluate(g, both, o);
  ASSERT_TRUE(groups);
  // Groups are empty: a and b alone, but gold puts them together: pairwise recall 0.
  EXPECT_EQ(groups->clustering.pairwise.recall, 0.0);
  o.level = cluster_level::clusters;
  auto clusters = evaluate(g, both, o);
  ASSERT_TRUE(clusters);
  EXPECT_EQ(clusters->clustering.pairwise.f1, 1.0);

  auto none = evaluate(g, tool(R"({"documents": []})"), named());
  ASSERT_FALSE(none);
  EXPECT_NE(none.error().message.find("has no \"clusters\" or \"groups\""), std::string::npos);
  auto no_docs = evaluate(g, tool(R"({"clusters": []})"), named());
  ASSERT_FALSE(no_docs);
  EXPECT_NE(no_docs.error().message.find("no \"documents\" array"), std::string::npos);
  o = named();
  o.sweep = {0.5};
  EXPECT_FALSE(evaluate(g, both, o));
}

TEST(Evaluate, PairsUseReportedPairsAndOrientScores) {
  // Gold: (a,b) 1, (c,a) 1 (reversed against the result's (a,c)), (e,d) 1, (a,f) 0, (b,x) 0,
  // (f,g) 1 where g is missing from the result. The result also reports (b,c)? No: it reports
  // (a,b) (a,c) (d,e) -- all labelled, so nothing is unlabelled.
  const gold_file g = gold("a\tb\t1\nc\ta\t1\ne\td\t1\na\tf\t0\nb\tx\t0\nf\tg\t1\n");
  eval_options o = named();
  auto r = evaluate(g, tool(dedup_json), o);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->gold_rows, 6u);
  EXPECT_EQ(r->positives, 4u);
  EXPECT_EQ(r->negatives, 2u);
  EXPECT_EQ(r->scored, 3u);
  EXPECT_EQ(r->unlabelled, 0u);
  EXPECT_EQ(r->missing_ids, (std::vector<std::string>{"g"}));
  // Decisions = reported: tp 3 (ab, ca, ed), fn 1 (fg), fp 0, tn 2.
  EXPECT_EQ(r->decisions.tp, 3u);
  EXPECT_EQ(r->decisions.fn, 1u);
  EXPECT_EQ(r->decisions.fp, 0u);
  EXPECT_EQ(r->decisions.tn, 2u);
  EXPECT_DOUBLE_EQ(r->decision_prf.precision, 1.0);
  EXPECT_DOUBLE_EQ(r->decision_prf.recall, 0.75);
  // Jaccard scores: positives 0.9, 0.85, 0.4, 0 (fg); negatives 0, 0.
  // Wins: 0.9, 0.85, 0.4 beat both negatives (6); 0 ties both (2 x 1/2 = 1) -> 7/8.
  EXPECT_DOUBLE_EQ(r->auc, 7.0 / 8.0);

  // a_in_b in gold orientation: (c,a) takes the result's b_in_a of (a,c) = 0.91;
  // (e,d) takes b_in_a of (d,e) = 0.97. With --threshold 0.92: ab 0.95 yes, ca 0.91 no, ed 0.97
  // yes.
  o.score = pair_score::a_in_b;
  o.threshold = 0.92;
  auto t = evaluate(g, tool(dedup_json), o);
  ASSERT_TRUE(t);
  EXPECT_EQ(t->decisions.tp, 2u);
  EXPECT_EQ(t->decisions.fn, 2u);
  o.score = pair_score::max_containment;
  o.threshold = 0.9;
  auto m = evaluate(g, tool(dedup_json), o);
  ASSERT_TRUE(m);
  EXPECT_EQ(m->decisions.tp, 3u); // 0.95, 0.91, 0.97
}

TEST(Evaluate, PairsWithOneClassHaveNoAuc) {
  const gold_file g = gold("a\tb\t1\na\tc\t1\n");
  auto r = evaluate(g, tool(dedup_json), named());
  ASSERT_TRUE(r);
  EXPECT_TRUE(std::isnan(r->auc));
  ASSERT_EQ(r->notes.size(), 1u);
  EXPECT_EQ(r->notes[0],
            "auc is null: the gold pairs are all positive (1), AUC needs both classes");
  // The dedup pair (d,e) is not in the gold file: unlabelled.
  EXPECT_EQ(r->unlabelled, 1u);
  auto no_pairs = evaluate(g, tool(R"({"documents": []})"), named());
  ASSERT_FALSE(no_pairs);
}

TEST(Evaluate, PairsSweep) {
  const gold_file g = gold("a\tb\t1\nc\ta\t1\ne\td\t1\na\tf\t0\nb\tx\t0\nf\tg\t1\n");
  eval_options o = named();
  o.sweep = {0.0, 0.5, 0.88};
  auto r = evaluate(g, tool(dedup_json), o);
  ASSERT_TRUE(r);
  ASSERT_EQ(r->sweep.size(), 3u);
  // t = 0: all 6 positive -> tp 4, fp 2. t = 0.5: 0.9, 0.85 -> tp 2. t = 0.88: 0.9 -> tp 1.
  EXPECT_EQ(r->sweep[0].counts.tp, 4u);
  EXPECT_EQ(r->sweep[0].counts.fp, 2u);
  EXPECT_EQ(r->sweep[1].counts.tp, 2u);
  EXPECT_EQ(r->sweep[1].counts.fp, 0u);
  EXPECT_EQ(r->sweep[2].counts.tp, 1u);
}

namespace {
// c1..c5 against src; c6 against other. Borrowed: c1 0.95 (cut), c2 0.5 (light), c3 0.1 (heavy),
// c4 0.02 (none), c5 absent from sources (0, none), c6 0.8 from other.
constexpr std::string_view borrow_json = R"({"command": "borrow", "documents": [],
  "results": [
    {"id": "c1", "borrowed": 0.95, "sources": [{"reference": "src", "borrowed": 0.95}]},
    {"id": "c2", "borrowed": 0.5, "sources": [{"reference": "src", "borrowed": 0.5}]},
    {"id": "c3", "borrowed": 0.1, "sources": [{"reference": "src", "borrowed": 0.1}]},
    {"id": "c4", "borrowed": 0.02, "sources": [{"reference": "src", "borrowed": 0.02}]},
    {"id": "c5", "borrowed": 0, "sources": []},
    {"id": "c6", "borrowed": 0.8, "sources": [{"reference": "other", "borrowed": 0.8}]}]})";
} // namespace

TEST(Evaluate, GradesSpearmanAucAndBuckets) {
  // Gold: c1 cut, c2 light, c3 light (tool says heavy), c4 none, c5 none, c7 heavy (missing).
  const gold_file g =
      gold("c1\tsrc\tcut\nc2\tsrc\tlight\nc3\tsrc\tlight\nc4\tsrc\tnone\nc5\tsrc\tnone\n"
           "c7\tsrc\theavy\n");
  auto r = evaluate(g, tool(borrow_json), named());
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->gold_rows, 6u);
  EXPECT_EQ(r->positives, 4u);
  EXPECT_EQ(r->negatives, 2u);
  EXPECT_EQ(r->scored, 4u);     // c1..c4 have a (c, src) source
  EXPECT_EQ(r->unlabelled, 1u); // (c6, other)
  EXPECT_EQ(r->missing_ids, (std::vector<std::string>{"c7"}));
  // Scores: c1 .95, c2 .5, c3 .1, c4 .02, c5 0, c7 0. Grades 3 2 2 0 0 1.
  // Score ranks: c5,c7 tie 1.5 1.5; c4 3; c3 4; c2 5; c1 6.
  // Grade ranks: c4,c5 (0) 1.5 1.5; c7 (1) 3; c2,c3 (2) 4.5 4.5; c1 (3) 6.
  // Deviations from 3.5 (grade, score): c1 (2.5, 2.5) c2 (1, 1.5) c3 (1, 0.5) c4 (-2, -0.5)
  // c5 (-2, -2) c7 (-0.5, -2). Sxy = 6.25+1.5+0.5+1+4+1 = 14.25;
  // Sxx = 6.25+1+1+4+4+0.25 = 16.5; Syy = 6.25+2.25+0.25+0.25+4+4 = 17. rho = 14.25/sqrt(280.5).
  EXPECT_NEAR(r->spearman, 14.25 / std::sqrt(16.5 * 17.0), 1e-12);
  // AUC none-vs-any: positives c1 .95, c2 .5, c3 .1, c7 0; negatives c4 .02, c5 0.
  // c1, c2, c3 beat both (6); c7 loses to c4 and ties c5 (0.5) -> 6.5 / 8.
  EXPECT_NEAR(r->auc, 6.5 / 8.0, 1e-12);
  // Buckets: c1 cut ok, c2 light ok, c3 heavy (gold light), c4 none ok, c5 none ok,
  // c7 none (gold heavy) -> 4 / 6.
  EXPECT_NEAR(r->bucket_accuracy, 4.0 / 6.0, 1e-12);
  EXPECT_EQ(r->bucket_confusion[2][1], 1u); // gold light, tool heavy
  EXPECT_EQ(r->bucket_confusion[1][0], 1u); // gold heavy, tool none
  EXPECT_EQ(r->bucket_confusion[3][3], 1u);
  EXPECT_TRUE(r->notes.empty());
}

TEST(Evaluate, GradesDegenerateCases) {
  // Integer grades: no bucket accuracy. One class: no AUC. Constant grades: no Spearman.
  const gold_file g = gold("c1\tsrc\t5\nc2\tsrc\t5\nc3\tsrc\t5\n");
  auto r = evaluate(g, tool(borrow_json), named());
  ASSERT_TRUE(r);
  EXPECT_TRUE(std::isnan(r->bucket_accuracy));
  EXPECT_TRUE(std::isnan(r->auc));
  EXPECT_TRUE(std::isnan(r->spearman));
  EXPECT_EQ(r->notes.size(), 3u);
  // A reference the result never mentions gets a note.
  const gold_file h = gold("c1\tsource.txt\tcut\nc4\tsource.txt\tnone\n");
  auto s = evaluate(h, tool(borrow_json), named());
  ASSERT_TRUE(s);
  ASSERT_FALSE(s->notes.empty());
  EXPECT_EQ(s->notes.back(),
            "1 gold reference(s) never appear as a source in result.json: source.txt");
  EXPECT_FALSE(evaluate(h, tool(dedup_json), named())); // no "results"
}

TEST(EvalReport, JsonHasStableKeysAndNullForUndefined) {
  const gold_file g = gold("a\tb\t1\na\tc\t1\n");
  eval_options o = named();
  o.sweep = {0.5, 0.9};
  o.sweep_spec = "0.5:0.9:0.4";
  auto r = evaluate(g, tool(dedup_json), o);
  ASSERT_TRUE(r);
  auto text = render_string(*r, output_format::json);
  ASSERT_TRUE(text);
  const auto j = nlohmann::json::parse(*text);
  EXPECT_EQ(j["command"], "eval");
  EXPECT_EQ(j["params"]["kind"], "pairs");
  EXPECT_EQ(j["params"]["sweep"], "0.5:0.9:0.4");
  EXPECT_EQ(j["pairwise"]["precision"], 1.0);
  EXPECT_TRUE(j["auc"].is_null());
  EXPECT_EQ(j["notes"].size(), 1u);
  EXPECT_EQ(j["sweep"].size(), 2u);
  EXPECT_EQ(j["best"]["threshold"], 0.5);
  EXPECT_TRUE(j["missing"].is_array());
  EXPECT_FALSE(render_string(*r, output_format::csv));

  const gold_file c = gold("a\t1\nb\t1\nc\t2\n");
  auto rc = evaluate(c, tool(dedup_json), named());
  ASSERT_TRUE(rc);
  const auto jc = nlohmann::json::parse(*render_string(*rc, output_format::json));
  for (const char* key : {"counts", "pairwise", "bcubed", "ari", "nmi", "missing", "notes"}) {
    EXPECT_TRUE(jc.contains(key)) << key;
  }
  EXPECT_TRUE(jc["pairwise"].contains("f1"));
  EXPECT_TRUE(jc["bcubed"].contains("recall"));
  EXPECT_FALSE(jc.contains("auc"));
  EXPECT_EQ(jc["counts"]["unlabelled"], 4);
}

TEST(EvalReport, SvgIsSelfContainedWithThreeLinesAndALegend) {
  const gold_file g = gold("a\tb\t1\nc\ta\t1\ne\td\t1\na\tf\t0\nb\tx\t0\nf\tg\t1\n");
  eval_options o = named();
  o.result_name = "dups <&> \"x\".json";
  o.sweep = *parse_sweep("0:1:0.1");
  auto r = evaluate(g, tool(dedup_json), o);
  ASSERT_TRUE(r);
  auto svg = render_sweep_svg(*r);
  ASSERT_TRUE(svg);
  const std::string& s = *svg;
  EXPECT_EQ(s.rfind("<?xml", 0), 0u);
  EXPECT_NE(s.find("<svg xmlns=\"http://www.w3.org/2000/svg\""), std::string::npos);
  std::size_t polylines = 0;
  for (std::size_t at = s.find("<polyline"); at != std::string::npos;
       at = s.find("<polyline", at + 1)) {
    ++polylines;
  }
  EXPECT_EQ(polylines, 3u);
  for (const char* legend : {">precision<", ">recall<", ">F1<", ">best F1<"}) {
    EXPECT_NE(s.find(legend), std::string::npos) << legend;
  }
  EXPECT_NE(s.find("dups &lt;&amp;&gt; &quot;x&quot;.json"), std::string::npos);
  EXPECT_EQ(s.find("<&>"), std::string::npos);
  EXPECT_EQ(s.find("href"), std::string::npos); // nothing external
  EXPECT_EQ(s.find("<script"), std::string::npos);
  EXPECT_NE(s.find(">0.5<"), std::string::npos); // an x tick label
  o.sweep.clear();
  auto plain = evaluate(g, tool(dedup_json), o);
  ASSERT_TRUE(plain);
  EXPECT_FALSE(render_sweep_svg(*plain));
}

// issue 19 item 5: only parse errors were caught, so a number out of double's range
// (out_of_range.406) escaped as an internal error (exit 3) instead of naming the file.
TEST(Regression, ResultJsonWithOutOfRangeNumberIsAnInputError) {
  for (const char* text :
       {R"({"x":1e400})", R"({"pairs": [{"a": "x", "b": "y", "jaccard": -1e999}]})"}) {
    result<tool_output> r = error{};
    EXPECT_NO_THROW(r = parse_tool_output(text, "r.json")) << text;
    ASSERT_FALSE(r) << text;
    EXPECT_EQ(r.error().code, errc::invalid_input);
    EXPECT_EQ(r.error().message.rfind("r.json: not valid JSON: ", 0), 0u) << r.error().message;
  }
  const auto big = parse_tool_output(R"({"x":1e400})", "r.json");
  EXPECT_EQ(big.error().message, "r.json: not valid JSON: number overflow parsing '1e400'");
}

// issue 19 item 11: a 3-column first row whose value was not valid was taken for a header and
// dropped without a word; only column names that cannot be data make a header now.
TEST(Regression, FirstRowWithABadGradeIsAnErrorNotAHeader) {
  EXPECT_EQ(gold_error("c1\tsrc\theavvy\nc2\tsrc\tcut\n"),
            "gold.tsv:1: expected a grade (none, heavy, light, cut or a number >= 0; --scale names "
            "another scale), got "
            "\"heavvy\"");
  EXPECT_EQ(gold_error("a\tb\tyes\nc\td\t1\n"),
            "gold.tsv:1: expected a grade (none, heavy, light, cut or a number >= 0; --scale names "
            "another scale), got "
            "\"yes\"");
  const gold_file named = gold("Copy\tReference\tGrade\nc1\tsrc\tcut\n");
  EXPECT_TRUE(named.has_header);
  ASSERT_EQ(named.grades.size(), 1u);
  EXPECT_FALSE(gold("c1\tsrc\tcut\nc2\tsrc\tlight\n").has_header);
}

namespace {
// A stories --pairs result: a-b 0.6, b-c 0.3, a-c 0.2 (average a|b to c 0.25), c-d 0.12, x alone.
// At its threshold 0.18: groups {a,b,c} and d, x alone; pairs under the floor 0.1 not listed.
constexpr std::string_view stories_json = R"({
  "command": "stories", "params": {"threshold": 0.18, "min_similarity": 0.1},
  "documents": [{"id": "a", "group": 1}, {"id": "b", "group": 1}, {"id": "c", "group": 1},
                {"id": "d", "group": 2}, {"id": "x", "group": 3}],
  "groups": [{"id": 1, "members": ["a", "b", "c"]}, {"id": 2, "members": ["d"]},
             {"id": 3, "members": ["x"]}],
  "pairs": [{"a": "a", "b": "b", "cosine": 0.6}, {"a": "b", "b": "c", "cosine": 0.3},
            {"a": "a", "b": "c", "cosine": 0.2}, {"a": "c", "b": "d", "cosine": 0.12}]
})";
} // namespace

TEST(Evaluate, StorySweepFormsGroupsAgainByAverageLink) {
  const gold_file g = gold("a\ts1\nb\ts1\nc\ts1\nd\ts1\nx\ts2\n");
  eval_options o = named();
  o.sweep = {0.1, 0.18, 0.26, 0.7};
  auto r = evaluate(g, tool(stories_json), o);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->level, cluster_level::groups);
  ASSERT_EQ(r->sweep.size(), 4u);
  for (const auto& pt : r->sweep)
    ASSERT_TRUE(pt.clustering.has_value());
  // 0.1: {a,b,c} (a|b to c averages 0.25); d stays out (c-d averages (0.12 + 0 + 0) / 3).
  EXPECT_EQ(r->sweep[0].clustering->predicted_clusters, 3u);
  // 0.18: the result's own groups, scored as without a sweep.
  EXPECT_EQ(r->sweep[1].clustering->predicted_clusters, r->clustering.predicted_clusters);
  EXPECT_DOUBLE_EQ(r->sweep[1].scores.f1, r->clustering.bcubed.f1);
  EXPECT_DOUBLE_EQ(r->sweep[1].clustering->ari, r->clustering.ari);
  // 0.26: a-b (0.6) joins; {a,b} to c averages 0.25 < 0.26, so c stays alone.
  EXPECT_EQ(r->sweep[2].clustering->predicted_clusters, 4u);
  EXPECT_EQ(r->sweep[2].counts.tp, 1u); // a-b the only same-group pair
  EXPECT_EQ(r->sweep[2].counts.fn, 5u); // of the six gold s1 pairs
  // 0.7: every document alone: B-cubed precision 1, recall (4 * 1/4 + 1) / 5 = 0.4.
  EXPECT_EQ(r->sweep[3].clustering->predicted_clusters, 5u);
  EXPECT_DOUBLE_EQ(r->sweep[3].scores.precision, 1.0);
  EXPECT_NEAR(r->sweep[3].scores.recall, 0.4, 1e-12);
}

TEST(Evaluate, StorySweepNeedsPairsAtOrAboveTheFloor) {
  const gold_file g = gold("a\ts1\nb\ts1\n");
  eval_options o = named();
  o.sweep = {0.05, 0.2};
  auto below = evaluate(g, tool(stories_json), o);
  ASSERT_FALSE(below);
  EXPECT_NE(below.error().message.find("sweep threshold 0.0500 is below the pair floor 0.1000"),
            std::string::npos)
      << below.error().message;
  o.sweep = {0.0};
  auto zero = evaluate(g, tool(R"({"command": "stories", "documents": [{"id": "a"}],
    "groups": [], "pairs": []})"),
                       o);
  ASSERT_FALSE(zero); // 0 would join every pair never listed
  o.sweep = {0.2};
  auto no_pairs = evaluate(g, tool(R"({"command": "stories", "documents": [{"id": "a"}],
    "groups": []})"),
                           o);
  ASSERT_FALSE(no_pairs);
  EXPECT_NE(no_pairs.error().message.find("no story pairs"), std::string::npos);
  auto twice = evaluate(g, tool(R"({"command": "stories", "documents": [{"id": "a"}, {"id": "b"}],
    "groups": [], "pairs": [{"a": "a", "b": "b", "cosine": 0.5}, {"a": "b", "b": "a",
    "cosine": 0.5}]})"),
                        o);
  ASSERT_FALSE(twice);
  EXPECT_NE(twice.error().message.find("the pair a, b is listed twice"), std::string::npos);
  auto stranger = evaluate(g, tool(R"({"command": "stories", "documents": [{"id": "a"}],
    "groups": [], "pairs": [{"a": "a", "b": "q", "cosine": 0.5}]})"),
                           o);
  ASSERT_FALSE(stranger);
  EXPECT_NE(stranger.error().message.find("pairs[0] does not join two documents"),
            std::string::npos);
}

TEST(Evaluate, StoryPairsAreDecidedBySharedGroupOrCosine) {
  // a-c same group (0.2), a-d not (unlisted: score 0), c-d listed 0.12 but apart, x-a apart.
  const gold_file g = gold("a\tc\t1\na\td\t1\nc\td\t0\nx\ta\t0\n");
  auto r = evaluate(g, tool(stories_json), named());
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->kind, eval_kind::pairs);
  EXPECT_EQ(r->decisions.tp, 1u); // a-c
  EXPECT_EQ(r->decisions.fn, 1u); // a-d
  EXPECT_EQ(r->decisions.tn, 2u);
  EXPECT_EQ(r->scored, 2u); // a-c and c-d have a cosine
  // Scores: positives 0.2, 0; negatives 0.12, 0. Pairs (pos, neg): (0.2, 0.12) and (0.2, 0)
  // win, (0, 0.12) loses, (0, 0) ties -> 2.5 / 4.
  EXPECT_DOUBLE_EQ(r->auc, 0.625);
  eval_options o = named();
  o.threshold = 0.1;
  auto t = evaluate(g, tool(stories_json), o);
  ASSERT_TRUE(t);
  EXPECT_EQ(t->decisions.tp, 1u);
  EXPECT_EQ(t->decisions.fp, 1u); // c-d at 0.12
  o.threshold.reset();
  o.sweep = {0.1, 0.26};
  auto s = evaluate(g, tool(stories_json), o);
  ASSERT_TRUE(s);
  ASSERT_EQ(s->sweep.size(), 2u);
  EXPECT_FALSE(s->sweep[0].clustering.has_value());
  EXPECT_EQ(s->sweep[0].counts.tp, 1u); // a-c share {a,b,c}
  EXPECT_EQ(s->sweep[1].counts.tp, 0u); // c alone at 0.26
}

TEST(EvalGold, GradesOnANamedScaleOrAsNumbers) {
  const std::vector<std::string> scale = {"ND", "PD", "WD"};
  auto g = parse_gold("copy\tref\tderivation\nc1\tr\twd\nc2\tr\tPD\nc3\tr\tnd\n", "g.tsv",
                      std::nullopt, scale);
  ASSERT_TRUE(g) << g.error().message;
  EXPECT_EQ(g->kind, eval_kind::grades); // a scale implies grades
  EXPECT_TRUE(g->has_header);
  EXPECT_EQ(g->values, grade_values::scale);
  EXPECT_FALSE(g->named_grades); // three levels do not map onto the four buckets
  ASSERT_EQ(g->grades.size(), 3u);
  EXPECT_EQ(g->grades[0].grade, 2.0);
  EXPECT_EQ(g->grades[1].grade, 1.0);
  EXPECT_EQ(g->grades[2].grade, 0.0);
  // A scale of four names is the tool's four buckets, in order.
  const std::vector<std::string> four = {"no", "low", "mid", "high"};
  auto f = parse_gold("c1\tr\thigh\nc2\tr\tno\n", "g.tsv", std::nullopt, four);
  ASSERT_TRUE(f);
  EXPECT_TRUE(f->named_grades);
  // 0/1 values read as a pairs file without a scale; with one, as grades on it.
  const std::vector<std::string> binary = {"0", "1"};
  auto b = parse_gold("c1\tr\t1\nc2\tr\t0\n", "g.tsv", std::nullopt, binary);
  ASSERT_TRUE(b);
  EXPECT_EQ(b->kind, eval_kind::grades);

  auto off = parse_gold("c1\tr\tWD\nc2\tr\tXD\n", "g.tsv", std::nullopt, scale);
  ASSERT_FALSE(off);
  EXPECT_EQ(off.error().message, "g.tsv:2: grade \"XD\" is not on the --scale (ND, PD, WD)");

  auto mean = gold("c1\tr\t4.5\nc2\tr\t0\nc3\tr\t2\n");
  EXPECT_EQ(mean.values, grade_values::numbers);
  EXPECT_EQ(mean.grades[0].grade, 4.5);
  EXPECT_EQ(gold("c1\tr\t3\nc2\tr\t0\n").values, grade_values::integers);
  EXPECT_EQ(gold_error("c1\tr\tcut\nc2\tr\t2.5\n"),
            "gold.tsv:2: grade names and numeric grades are mixed");
  for (const char* bad : {"-1", "nan", "inf", "1e400", "+2", "2,5"}) {
    EXPECT_NE(gold_error(std::string("c1\tr\t2\nc2\tr\t") + bad + "\n").find("expected a grade"),
              std::string::npos)
        << bad;
  }
}

TEST(EvalGold, ScaleSpecs) {
  auto s = parse_grade_scale(" ND , PD,WD");
  ASSERT_TRUE(s);
  EXPECT_EQ(*s, (std::vector<std::string>{"ND", "PD", "WD"}));
  for (const char* bad : {"", "ND", "ND,,WD", "ND,nd", "ND,PD,"})
    EXPECT_FALSE(parse_grade_scale(bad)) << bad;
  std::string many;
  for (int i = 0; i < 101; ++i)
    many += (i ? "," : "") + std::to_string(i);
  EXPECT_FALSE(parse_grade_scale(many));
}

TEST(Evaluate, GradesOnAScaleRankByIt) {
  const std::vector<std::string> scale = {"ND", "PD", "WD"};
  auto g = parse_gold("c1\tsrc\tWD\nc2\tsrc\tPD\nc3\tsrc\tPD\nc4\tsrc\tND\nc5\tsrc\tND\n", "g.tsv",
                      std::nullopt, scale);
  ASSERT_TRUE(g);
  eval_options o = named();
  o.scale = scale;
  auto r = evaluate(*g, tool(borrow_json), o);
  ASSERT_TRUE(r) << r.error().message;
  // Borrowed 0.95, 0.5, 0.1, 0.02, 0: the order of the scale exactly (ties aside) -> Spearman
  // of grades (2, 1, 1, 0, 0) against strictly falling scores = 0.9486832980505138.
  EXPECT_NEAR(r->spearman, 0.9486832980505138, 1e-12);
  EXPECT_DOUBLE_EQ(r->auc, 1.0);
  EXPECT_TRUE(std::isnan(r->bucket_accuracy));
  EXPECT_EQ(r->grade_kind, grade_values::scale);
}
