// Deterministic mutation fuzzing of the safetensors reader: thousands of
// seeded corruptions of a valid file (bit flips, truncations, header edits)
// must each either load consistently or raise FormatError — never crash, and
// never throw anything else.
#include <ATen/ATen.h>
#include <gtest/gtest.h>

#include <random>

#include "engine/io/safetensors.h"
#include "support/safetensors_test_util.h"

namespace semdraw::io {
namespace {

using semdraw::testing::read_bytes;
using semdraw::testing::ScratchDir;
using semdraw::testing::write_bytes;

std::string hex_prefix(const std::string& bytes, std::size_t count = 48) {
  static const char* digits = "0123456789abcdef";
  std::string text;
  for (std::size_t i = 0; i < std::min(count, bytes.size()); ++i) {
    const auto c = static_cast<unsigned char>(bytes[i]);
    text += digits[c >> 4];
    text += digits[c & 15];
  }
  return text;
}

class Mutator {
 public:
  explicit Mutator(std::uint32_t seed) : random_(seed) {}

  // One random corruption of `original`; header_end is 8 + header length.
  std::string mutate(const std::string& original, std::size_t header_end) {
    std::string bytes = original;
    const int kind = pick(0, 7);
    switch (kind) {
      case 0: {  // flip one bit anywhere
        const std::size_t at = pick_index(bytes.size());
        bytes[at] = static_cast<char>(bytes[at] ^ (1 << pick(0, 7)));
        break;
      }
      case 1:  // flip bits in the length field or header
        for (int n = pick(1, 4); n > 0; --n) {
          const std::size_t at = pick_index(header_end);
          bytes[at] = static_cast<char>(bytes[at] ^ (1 << pick(0, 7)));
        }
        break;
      case 2:  // truncate
        bytes.resize(pick_index(bytes.size()));
        break;
      case 3: {  // replace a header digit with another digit (shapes, offsets)
        std::vector<std::size_t> positions;
        for (std::size_t i = 8; i < header_end; ++i) {
          if (std::isdigit(static_cast<unsigned char>(bytes[i]))) positions.push_back(i);
        }
        if (!positions.empty()) bytes[positions[pick_index(positions.size())]] = static_cast<char>('0' + pick(0, 9));
        break;
      }
      case 4: {  // put JSON punctuation or odd bytes into the header
        static const std::string alphabet = "{}[]\",:-.0123456789eE \\\x80\xff\x00tfn";
        const std::size_t at = 8 + pick_index(header_end - 8);
        bytes[at] = alphabet[pick_index(alphabet.size())];
        break;
      }
      case 5: {  // insert or delete a header byte without fixing the length field
        const std::size_t at = 8 + pick_index(header_end - 8);
        if (pick(0, 1)) {
          bytes.insert(bytes.begin() + static_cast<std::ptrdiff_t>(at), static_cast<char>(pick(0, 255)));
        } else {
          bytes.erase(at, 1);
        }
        break;
      }
      case 6: {  // change the length field by a small amount
        std::uint64_t length = 0;
        std::memcpy(&length, bytes.data(), 8);
        length += static_cast<std::uint64_t>(pick(-16, 16));
        std::memcpy(bytes.data(), &length, 8);
        break;
      }
      default: {  // swap a dtype for another spelling
        static const std::vector<std::string> dtypes{"F32", "F16", "I64", "I8", "U8", "BOOL", "F64", "BF16", "I32"};
        const std::size_t at = bytes.find("\"dtype\":\"", 8);
        if (at != std::string::npos && at < header_end) {
          const std::size_t begin = at + 9;
          const std::size_t end = bytes.find('"', begin);
          bytes.replace(begin, end - begin, dtypes[pick_index(dtypes.size())]);
        }
        break;
      }
    }
    return bytes;
  }

 private:
  int pick(int low, int high) { return std::uniform_int_distribution<int>(low, high)(random_); }
  std::size_t pick_index(std::size_t size) {
    return size == 0 ? 0 : std::uniform_int_distribution<std::size_t>(0, size - 1)(random_);
  }
  std::mt19937 random_;
};

TEST(SafetensorsFuzz, MutationsGiveFormatErrorOrAConsistentResult) {
  ScratchDir dir;
  at::manual_seed(11);
  StateDict tensors;
  tensors["conv.weight"] = at::randn({4, 3, 3, 3});
  tensors["conv.bias"] = at::randn({4}).to(at::kHalf);
  tensors["steps"] = at::arange(5, at::kLong);
  tensors["mask"] = at::ones({3}, at::kBool);
  tensors["table"] = at::randint(0, 255, {7}, at::kByte);
  save_safetensors(dir / "seed.safetensors", tensors, {{"format", "pt"}});
  const std::string original = read_bytes(dir / "seed.safetensors");
  std::uint64_t length = 0;
  std::memcpy(&length, original.data(), 8);
  const std::size_t header_end = 8 + length;

  constexpr int kMutations = 3000;
  Mutator mutator(20260601);
  int loaded = 0;
  int rejected = 0;
  const auto file = dir / "mutant.safetensors";
  for (int round = 0; round < kMutations; ++round) {
    const std::string bytes = mutator.mutate(original, header_end);
    write_bytes(file, bytes);
    try {
      const Header header = read_safetensors_header(file);
      const StateDict result = load_safetensors(file);
      ASSERT_EQ(result.size(), header.tensors.size()) << "round " << round;
      for (const auto& [name, tensor] : result) {
        ASSERT_EQ(tensor.sizes().vec(), header.tensors.at(name).shape) << "round " << round << " tensor " << name;
        // Touch every element: a view past the mapping would fault here.
        (void)tensor.to(at::kDouble).sum().item<double>();
      }
      ++loaded;
    } catch (const FormatError&) {
      ++rejected;
    } catch (const std::exception& error) {
      FAIL() << "round " << round << ": " << typeid(error).name() << ": " << error.what() << "\nfile starts "
             << hex_prefix(bytes);
    }
  }
  // Both outcomes must occur, or the mutations are not exercising the parser.
  EXPECT_GT(rejected, kMutations / 4);
  EXPECT_GT(loaded, 0);
  std::cout << "[fuzz] " << kMutations << " mutations: " << loaded << " loaded, " << rejected << " rejected\n";
}

}  // namespace
}  // namespace semdraw::io
