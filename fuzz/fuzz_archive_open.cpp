// Fuzz entry: opening a damaged archive (any bytes as the SQLite file) gives an error or an
// archive whose info, verify and check give results or errors; never a crash or a hang.
#include <copydesk/archive.hpp>

#include <cstdio>
#include <fstream>
#include <string>
#include <unistd.h>

// NOLINTNEXTLINE(readability-identifier-naming): the name libFuzzer calls
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::string path = "/tmp/copydesk_fuzz_archive_" + std::to_string(::getpid());
  std::ofstream(path, std::ios::binary | std::ios::trunc)
      .write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  if (auto ar = copydesk::archive::open(path, copydesk::archive::open_mode::read_only)) {
    (void)ar->info();
    (void)ar->verify();
    copydesk::document d{"q", "the mayor said on monday that the water was safe to drink again"};
    (void)ar->check(d, copydesk::check_options{});
  }
  std::remove(path.c_str());
  return 0;
}
