// The report fixture corpus (tests/data/report/corpus) and small helpers the pipeline and writer
// tests share: run the pipeline on inputs, its JSON, the documents of a directory.
#pragma once

#include <copydesk/pipeline.hpp>
#include <copydesk/writers.hpp>

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace copydesk::test_util {

inline const std::string report_fixture = std::string(COPYDESK_TEST_DATA_DIR) + "/report/corpus";

/// run_pipeline over `inputs` with `threads`; a failure fails the test.
inline pipeline_result run_on(const std::vector<std::string>& inputs, unsigned threads = 1,
                              pipeline_config cfg = {}) {
  cfg.threads = threads;
  auto reader = corpus_reader::open(inputs);
  EXPECT_TRUE(reader.has_value()) << reader.error().message;
  diagnostics diag;
  auto r = run_pipeline(*reader, cfg, diag);
  EXPECT_TRUE(r.has_value()) << r.error().message;
  return std::move(*r);
}

/// The report's JSON text.
inline std::string json_of(const pipeline_result& r) {
  auto j = render_string(r, output_format::json);
  EXPECT_TRUE(j.has_value());
  return *j;
}

/// Every document under `dir`, in memory.
inline std::vector<document> read_docs(const std::string& dir) {
  auto reader = corpus_reader::open({dir});
  EXPECT_TRUE(reader.has_value());
  diagnostics diag;
  auto docs = read_all(*reader, diag);
  EXPECT_TRUE(docs.has_value());
  return std::move(*docs);
}

} // namespace copydesk::test_util
