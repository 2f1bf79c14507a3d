// Documents for the writer fuzz entries: one per line of the input, "id<TAB>text". Ids keep
// their bytes (file names need not be UTF-8); texts are repaired as the reader repairs them.
// Both start with "<\x7f", a marker no writer's own markup contains, so raw marker output is
// unescaped document content.
#pragma once

#include <copydesk/io.hpp>
#include <copydesk/pipeline.hpp>
#include <copydesk/text.hpp>

#include <algorithm>
#include <string_view>
#include <vector>

inline constexpr std::string_view fuzz_marker = "<\x7f";

inline std::vector<copydesk::document> fuzz_documents(const std::uint8_t* data, std::size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  std::vector<copydesk::document> docs;
  while (!bytes.empty()) {
    const std::string_view line = bytes.substr(0, bytes.find('\n'));
    bytes.remove_prefix(std::min(bytes.size(), line.size() + 1));
    const std::size_t tab = std::min(line.find('\t'), line.size());
    copydesk::document d;
    d.id = std::string(fuzz_marker).append(line.substr(0, tab));
    d.text = std::string(fuzz_marker).append(line.substr(std::min(line.size(), tab + 1)));
    d.invalid_utf8 = static_cast<std::uint32_t>(copydesk::text::repair_utf8(d.text));
    docs.push_back(std::move(d));
  }
  return docs;
}

// The report's defaults, computed once: the LSH layout chosen for the default threshold (the
// choice integrates candidate probabilities, costly under instrumentation), and no built-in
// background model (its counts do not depend on the input; building them takes most of a run).
inline const copydesk::pipeline_config& fuzz_config() {
  static const copydesk::pipeline_config config = [] {
    copydesk::pipeline_config c;
    c.dedup.lsh = c.dedup.effective_lsh();
    c.stories.background = false;
    return c;
  }();
  return config;
}
