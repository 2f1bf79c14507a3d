// Byte streams under the reader: a file, bytes in memory, gzip and zstd decompression
// (compressed.cpp), conversion to UTF-8 from UTF-16 or a legacy charset (encoding.cpp), and the
// store that keeps the bytes of a transformed stream so records can be read again (store.cpp).
// Inputs are stacked: raw bytes -> decompressed (by magic bytes) -> UTF-8 (by BOM / --encoding).
#pragma once

#include <copydesk/error.hpp>
#include <copydesk/io.hpp>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace copydesk::detail {

/// Bytes read front to back.
class byte_stream {
public:
  byte_stream() = default;
  byte_stream(const byte_stream&) = delete;
  byte_stream& operator=(const byte_stream&) = delete;
  virtual ~byte_stream() = default;
  /// Reads up to `len` (> 0) bytes into `out`; 0 at the end of the stream. An error message
  /// says what is wrong with the data (the caller adds the file and line).
  [[nodiscard]] virtual result<std::size_t> read(char* out, std::size_t len) = 0;
};

/// A file descriptor (not owned), read with read(2).
[[nodiscard]] std::unique_ptr<byte_stream> fd_stream(int fd);
/// Bytes in memory (not copied: they must outlive the stream).
[[nodiscard]] std::unique_ptr<byte_stream> memory_stream(std::string_view bytes);
/// `head` first, then the rest of `inner` (bytes looked at to choose the next layer).
[[nodiscard]] std::unique_ptr<byte_stream> replay_stream(std::string head,
                                                         std::unique_ptr<byte_stream> inner);

enum class compression : std::uint8_t { none, gzip, zstd };

/// The compression that the first bytes of a stream announce (gzip 1f 8b, zstd 28 b5 2f fd).
[[nodiscard]] compression sniff_compression(std::string_view head) noexcept;
/// "gzip", "zstd" or "none".
[[nodiscard]] const char* to_string(compression c) noexcept;
/// Decompresses `inner` (which starts at the compressed data) as it is read. Concatenated gzip
/// members and zstd frames are one stream. A stream that ends inside a member or frame, or
/// bytes that do not decode, are an error ("truncated gzip stream ...", "corrupt zstd stream
/// ..."), given after every byte decoded before it.
[[nodiscard]] std::unique_ptr<byte_stream> decompressing(std::unique_ptr<byte_stream> inner,
                                                         compression c);

/// Converts `inner` from `charset` to UTF-8 as it is read (text::charset_converter).
[[nodiscard]] result<std::unique_ptr<byte_stream>> converting(std::unique_ptr<byte_stream> inner,
                                                              const std::string& charset);

/// An input stream opened for reading: the layers chosen for it.
struct opened_stream {
  std::unique_ptr<byte_stream> stream;
  compression compressed = compression::none;
  std::string charset; ///< converted from this charset to UTF-8; empty: read as UTF-8
  /// True when the bytes read are not the file's bytes (decompressed or converted): offsets
  /// then refer to the stream, and records are read again from a record_store.
  [[nodiscard]] bool transformed() const noexcept {
    return compressed != compression::none || !charset.empty();
  }
};

/// Stacks the layers over `raw`: decompression when its first bytes are a gzip or zstd magic,
/// then conversion when the (decompressed) text starts with a UTF-16 byte order mark (which is
/// dropped) or when `encoding` names a charset other than UTF-8 and no BOM says otherwise.
/// A UTF-8 BOM is left in the stream (the record readers skip it).
/// @return errc::invalid_argument for an unknown `encoding`; a decompression error of the
///         first bytes.
[[nodiscard]] result<opened_stream> open_stream(std::unique_ptr<byte_stream> raw,
                                                const std::string& encoding);

/// Reads all of `s` into `out`, keeping at most `limit` + 1 bytes (more means too large).
[[nodiscard]] result<void> read_to_end(byte_stream& s, std::uint64_t limit, std::string& out);

/// The bytes of a stream that cannot be read again from its file (decompressed or converted
/// input), kept in memory in blocks of 128 KiB: as they are while `raw_budget` (shared by the
/// stores of one reader, decremented here) lasts, compressed with zstd after that, so a record
/// is read again by copying or decompressing the block(s) holding it. Appends happen while the
/// stream is read; reads afterwards, from any number of threads (each keeps its last
/// decompressed block).
class record_store {
public:
  /// @pre `raw_budget` outlives the store.
  explicit record_store(std::uint64_t& raw_budget);
  record_store(const record_store&) = delete;
  record_store& operator=(const record_store&) = delete;
  record_store(record_store&&) noexcept;
  record_store& operator=(record_store&&) noexcept;
  ~record_store();
  /// Appends bytes at the next offsets.
  void append(std::string_view bytes);
  /// Bytes appended so far.
  [[nodiscard]] std::uint64_t size() const noexcept;
  /// Compressed bytes held (for tests and memory accounting).
  [[nodiscard]] std::uint64_t packed_bytes() const noexcept;
  /// Bytes [offset, offset + length).
  /// @return errc::internal when the range was never appended.
  [[nodiscard]] result<std::string> read(std::uint64_t offset, std::uint64_t length) const;

private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

} // namespace copydesk::detail
