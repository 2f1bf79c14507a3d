// document_feed: documents handed over by a program a batch at a time (io.hpp).
#include <copydesk/io.hpp>
#include <copydesk/text.hpp>

#include <string>
#include <utility>
#include <vector>

namespace copydesk {

document_feed::document_feed(producer next, std::string name)
    : next_(std::move(next)), name_(std::move(name)) {}

result<std::vector<document>> document_feed::next_batch() {
  auto batch = next_();
  if (!batch)
    return batch.error();
  for (document& d : *batch) {
    const std::size_t at = texts_.size();
    if (const auto [it, fresh] = positions_.emplace(d.id, at); !fresh) {
      return make_error(errc::duplicate_id, "duplicate id \"" + d.id + "\": " + name_ + ":" +
                                                std::to_string(it->second + 1) + " and " + name_ +
                                                ":" + std::to_string(at + 1));
    }
    d.invalid_utf8 += static_cast<std::uint32_t>(text::repair_utf8(d.text));
    d.where = origin{0, at + 1, 0, d.text.size()};
    texts_.push_back(d.text);
  }
  return batch;
}

document_source document_feed::source() {
  return {[this](diagnostics&) { return next_batch(); },
          [this](const doc_info& info) -> result<std::string> {
            if (info.where.line == 0 || info.where.line > texts_.size())
              return make_error(errc::internal, "no document " + info.id + " in " + name_);
            return texts_[info.where.line - 1];
          }};
}

} // namespace copydesk
