// Conversion layer of the reader: text in UTF-16 (announced by a byte order mark) or in the
// charset that --encoding names becomes UTF-8 as it is read, through text::charset_converter
// (ICU stays in src/lib/text/). Offsets of records and passages then refer to the UTF-8.
#include "io/stream.hpp"

#include <copydesk/text.hpp>

#include <algorithm>
#include <cstring>
#include <optional>

namespace copydesk::detail {

namespace {

class converting_reader final : public byte_stream {
public:
  converting_reader(std::unique_ptr<byte_stream> inner, text::charset_converter conv)
      : inner_(std::move(inner)), conv_(std::move(conv)), in_(std::size_t{64} << 10) {}

  result<std::size_t> read(char* out, std::size_t len) override {
    if (failed_ && at_ == ready_.size())
      return *failed_;
    while (ready_.size() - at_ < len && !ended_ && !failed_) {
      if (at_ > 0) { // drop what was handed out before growing the buffer
        ready_.erase(0, at_);
        at_ = 0;
      }
      auto r = inner_->read(in_.data(), in_.size());
      if (!r) { // the text converted before the error comes first
        if (at_ == ready_.size())
          return r.error();
        failed_ = r.error();
        break;
      }
      ended_ = *r == 0;
      conv_.convert(std::string_view(in_.data(), *r), ready_, ended_);
    }
    const std::size_t n = std::min(len, ready_.size() - at_);
    std::memcpy(out, ready_.data() + at_, n);
    at_ += n;
    return n;
  }

private:
  std::unique_ptr<byte_stream> inner_;
  text::charset_converter conv_;
  std::vector<char> in_;
  std::string ready_; // converted, handed out from at_
  std::size_t at_ = 0;
  bool ended_ = false;
  std::optional<error> failed_;
};

} // namespace

result<std::unique_ptr<byte_stream>> converting(std::unique_ptr<byte_stream> inner,
                                                const std::string& charset) {
  auto conv = text::charset_converter::open(charset);
  if (!conv)
    return conv.error();
  return std::unique_ptr<byte_stream>(
      std::make_unique<converting_reader>(std::move(inner), std::move(*conv)));
}

} // namespace copydesk::detail
