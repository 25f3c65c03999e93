#pragma once
// Helpers for the safetensors tests: a private scratch folder per test and a
// way to write hand-made (possibly malformed) files byte by byte.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <initializer_list>
#include <iostream>
#include <string>
#include <vector>

#include "engine/io/safetensors.h"
#include "support/scratch_dir.h"

namespace semdraw::testing {

inline void write_bytes(const std::filesystem::path& file, const std::string& bytes) {
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  ASSERT_TRUE(out.good()) << file;
}

inline std::string read_bytes(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// 8-byte little-endian length + header text + data bytes. `declared_length`
// overrides the length field (to lie about it).
inline std::string safetensors_bytes(const std::string& header, const std::string& data,
                                     std::int64_t declared_length = -1) {
  const std::uint64_t length = declared_length < 0 ? header.size() : static_cast<std::uint64_t>(declared_length);
  std::string bytes(8, '\0');
  std::memcpy(bytes.data(), &length, 8);
  return bytes + header + data;
}

// Runs `action`, expects a FormatError whose message contains every needle.
inline void expect_format_error(const std::function<void()>& action, std::initializer_list<std::string> needles) {
  try {
    action();
    ADD_FAILURE() << "expected a FormatError";
  } catch (const io::FormatError& error) {
    const std::string message = error.what();
    // SEMDRAW_SHOW_ERRORS=1 prints every message, to review their wording.
    if (std::getenv("SEMDRAW_SHOW_ERRORS")) std::cout << "[message] " << message << "\n";
    for (const std::string& needle : needles) {
      EXPECT_NE(message.find(needle), std::string::npos) << "'" << needle << "' not in: " << message;
    }
  } catch (const std::exception& error) {
    ADD_FAILURE() << "expected a FormatError, got another exception: " << error.what();
  }
}

}  // namespace semdraw::testing
