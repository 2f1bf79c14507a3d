// Progress display on standard error (progress.hpp): stage lines with a bar, rate and ETA.
#include "progress.hpp"

#include <cstdio>
#include <filesystem>
#include <system_error>
#include <unistd.h>

namespace copydesk::cli {

namespace fs = std::filesystem;

std::string human_bytes(double bytes) {
  const char* units[] = {"B", "kB", "MB", "GB", "TB"};
  std::size_t u = 0;
  while (bytes >= 1000.0 && u + 1 < sizeof units / sizeof units[0]) {
    bytes /= 1000.0;
    ++u;
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, u == 0 ? "%.0f %s" : "%.1f %s", bytes, units[u]);
  return buf;
}

std::uint64_t input_size(const std::vector<std::string>& inputs) {
  std::uint64_t total = 0;
  for (const std::string& in : inputs) {
    if (in == "-")
      return 0;
    std::error_code ec;
    if (fs::is_directory(in, ec)) {
      for (fs::recursive_directory_iterator it(in, ec), end; !ec && it != end; it.increment(ec)) {
        std::error_code fec;
        if (it->is_regular_file(fec))
          total += it->file_size(fec);
      }
    } else if (fs::is_regular_file(in, ec)) {
      total += fs::file_size(in, ec);
    }
  }
  return total;
}

progress_display::progress_display(bool enabled, std::uint64_t input_bytes)
    : active_(enabled && isatty(STDERR_FILENO) == 1), input_bytes_(input_bytes) {}

progress_fn progress_display::callback() {
  if (!active_)
    return {};
  return [this](const progress_event& e) { update(e); };
}

namespace {

std::string duration(double s) {
  char buf[32];
  if (s < 60.0)
    std::snprintf(buf, sizeof buf, "%.1fs", s);
  else
    std::snprintf(buf, sizeof buf, "%dm%02ds", static_cast<int>(s) / 60, static_cast<int>(s) % 60);
  return buf;
}

std::string amount(double x, std::string_view unit) {
  if (unit == "bytes")
    return human_bytes(x);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.0f", x);
  return buf;
}

} // namespace

void progress_display::update(const progress_event& e) {
  if (!active_)
    return;
  const auto now = clock::now();
  if (e.stage != stage_) {
    stage_ = std::string(e.stage);
    stage_start_ = now;
    last_draw_ = {};
  }
  if (!e.finished && now - last_draw_ < std::chrono::milliseconds(100))
    return;
  last_draw_ = now;
  draw(e, e.finished);
}

void progress_display::draw(const progress_event& e, bool final_line) {
  const double elapsed = std::chrono::duration<double>(clock::now() - stage_start_).count();
  std::uint64_t total = e.total;
  if (total == 0 && e.unit == "bytes")
    total = input_bytes_;
  std::string line = "copydesk: " + std::string(e.stage);
  line.resize(std::max<std::size_t>(line.size(), 22), ' ');
  if (total != 0 && e.done <= total) {
    const double f = static_cast<double>(e.done) / static_cast<double>(total);
    constexpr int width = 24;
    const int filled = static_cast<int>(f * width + 0.5);
    line += "[" + std::string(static_cast<std::size_t>(filled), '#') +
            std::string(static_cast<std::size_t>(width - filled), '.') + "] ";
    char pct[16];
    std::snprintf(pct, sizeof pct, "%3.0f%%  ", f * 100.0);
    line += pct;
    line += amount(static_cast<double>(e.done), e.unit) + "/" +
            amount(static_cast<double>(total), e.unit);
  } else if (e.done != 0) {
    line += amount(static_cast<double>(e.done), e.unit);
  }
  if (final_line) {
    line += "  " + duration(elapsed);
  } else if (elapsed > 0.2 && e.done != 0) {
    const double rate = static_cast<double>(e.done) / elapsed;
    line +=
        "  " + amount(rate, e.unit) + (e.unit == "bytes" ? "/s" : " " + std::string(e.unit) + "/s");
    if (total != 0 && e.done < total && rate > 0)
      line += "  ETA " + duration(static_cast<double>(total - e.done) / rate);
  } else if (e.done == 0) {
    line += "...";
  }
  std::fprintf(stderr, "\r\033[K%s%s", line.c_str(), final_line ? "\n" : "");
  std::fflush(stderr);
}

void progress_display::note(const std::string& label, const std::string& detail) {
  if (!active_)
    return;
  std::string line = "copydesk: " + label;
  line.resize(std::max<std::size_t>(line.size(), 22), ' ');
  std::fprintf(stderr, "\r\033[K%s%s\n", line.c_str(), detail.c_str());
  std::fflush(stderr);
}

} // namespace copydesk::cli
