// safetensors reader/writer: round trips, zero-copy views, conversions,
// atomic writes, and one test per kind of malformed input.
#include "engine/io/safetensors.h"

#include <ATen/ATen.h>
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "support/safetensors_test_util.h"

namespace semdraw::io {
namespace {

using semdraw::testing::expect_format_error;
using semdraw::testing::read_bytes;
using semdraw::testing::safetensors_bytes;
using semdraw::testing::ScratchDir;
using semdraw::testing::write_bytes;

// Address ranges of the mappings of `file` in this process (from
// /proc/self/maps), to prove that a tensor's data lies inside the mapping.
std::vector<std::pair<std::uintptr_t, std::uintptr_t>> mappings_of(const std::filesystem::path& file) {
  std::vector<std::pair<std::uintptr_t, std::uintptr_t>> ranges;
  const std::string wanted = std::filesystem::canonical(file).string();
  std::ifstream maps("/proc/self/maps");
  std::string line;
  while (std::getline(maps, line)) {
    if (line.size() < wanted.size() || line.compare(line.size() - wanted.size(), wanted.size(), wanted) != 0) {
      continue;
    }
    std::istringstream fields(line);
    std::string range;
    fields >> range;
    const auto dash = range.find('-');
    ranges.emplace_back(std::stoull(range.substr(0, dash), nullptr, 16),
                        std::stoull(range.substr(dash + 1), nullptr, 16));
  }
  return ranges;
}

bool inside_mapping(const at::Tensor& tensor, const std::filesystem::path& file) {
  const auto address = reinterpret_cast<std::uintptr_t>(tensor.data_ptr());
  for (const auto& [begin, end] : mappings_of(file)) {
    if (address >= begin && address < end) return true;
  }
  return false;
}

// One tensor of every dtype the writer supports, with awkward sizes so that
// alignment after small elements is exercised.
StateDict every_dtype() {
  at::manual_seed(7);
  StateDict tensors;
  tensors["f64"] = at::randn({3, 5}, at::kDouble);
  tensors["f32"] = at::randn({2, 3, 4});
  tensors["f16"] = at::randn({7}).to(at::kHalf);
  tensors["bf16"] = at::randn({3, 3}).to(at::kBFloat16);
  tensors["i64"] = at::randint(-1000000, 1000000, {5}, at::kLong);
  tensors["i32"] = at::randint(-100000, 100000, {2, 2}, at::kInt);
  tensors["i16"] = at::randint(-30000, 30000, {3}, at::kShort);
  tensors["i8"] = at::randint(-128, 127, {9}, at::kChar);
  tensors["u8"] = at::randint(0, 255, {11}, at::kByte);
  tensors["bool"] = at::randint(0, 2, {5}).to(at::kBool);
  tensors["scalar"] = at::scalar_tensor(3.5);
  tensors["empty"] = at::empty({0, 4});
  return tensors;
}

TEST(Safetensors, RoundTripsEveryDtype) {
  ScratchDir dir;
  const StateDict saved = every_dtype();
  save_safetensors(dir / "all.safetensors", saved);
  const SafetensorsFile file = SafetensorsFile::open(dir / "all.safetensors");
  const std::map<std::string, std::string> spelled{
      {"f64", "F64"}, {"f32", "F32"}, {"f16", "F16"}, {"bf16", "BF16"}, {"i64", "I64"},    {"i32", "I32"},
      {"i16", "I16"}, {"i8", "I8"},   {"u8", "U8"},   {"bool", "BOOL"}, {"scalar", "F32"}, {"empty", "F32"}};
  ASSERT_EQ(file.header().tensors.size(), saved.size());
  for (const auto& [name, original] : saved) {
    const TensorInfo& info = file.header().tensors.at(name);
    EXPECT_EQ(info.dtype, spelled.at(name)) << name;
    EXPECT_EQ(info.shape, original.sizes().vec()) << name;
    LoadOptions keep;
    if (at::isFloatingType(original.scalar_type())) keep.dtype = original.scalar_type();
    const at::Tensor loaded = file.load(name, keep);
    EXPECT_EQ(loaded.scalar_type(), original.scalar_type()) << name;
    EXPECT_TRUE(at::equal(loaded, original)) << name;
  }
  // The default options convert floats to fp32 and keep integers.
  const StateDict as_float = load_safetensors(dir / "all.safetensors");
  EXPECT_EQ(as_float.at("f64").scalar_type(), at::kFloat);
  EXPECT_EQ(as_float.at("bf16").scalar_type(), at::kFloat);
  EXPECT_EQ(as_float.at("i16").scalar_type(), at::kShort);
  EXPECT_EQ(as_float.at("bool").scalar_type(), at::kBool);
}

TEST(Safetensors, WritesThePaddedContiguousLayoutOfTheReference) {
  ScratchDir dir;
  save_safetensors(dir / "a.safetensors", every_dtype());
  const std::string bytes = read_bytes(dir / "a.safetensors");
  std::uint64_t length = 0;
  std::memcpy(&length, bytes.data(), 8);
  EXPECT_EQ(length % 8, 0u);
  const nlohmann::json header = nlohmann::json::parse(bytes.substr(8, length));
  std::vector<std::pair<std::uint64_t, std::uint64_t>> spans;
  for (const auto& [name, entry] : header.items()) {
    const auto begin = entry["data_offsets"][0].get<std::uint64_t>();
    const auto end = entry["data_offsets"][1].get<std::uint64_t>();
    spans.emplace_back(begin, end);
    const std::size_t element = entry["dtype"] == "F64" || entry["dtype"] == "I64"                               ? 8
                                : entry["dtype"] == "F32" || entry["dtype"] == "I32"                             ? 4
                                : entry["dtype"] == "F16" || entry["dtype"] == "BF16" || entry["dtype"] == "I16" ? 2
                                                                                                                 : 1;
    EXPECT_EQ((8 + length + begin) % element, 0u) << name << " is not aligned to its element size";
  }
  std::sort(spans.begin(), spans.end());
  std::uint64_t expected = 0;
  for (const auto& [begin, end] : spans) {
    EXPECT_EQ(begin, expected);
    expected = end;
  }
  EXPECT_EQ(8 + length + expected, bytes.size());
}

TEST(Safetensors, MatchingDtypeOnCpuIsAViewOfTheMapping) {
  ScratchDir dir;
  const at::Tensor weights = at::randn({64, 32});
  save_safetensors(dir / "w.safetensors", {{"w", weights}, {"h", at::randn({3}).to(at::kHalf)}});
  at::Tensor view;
  {
    const SafetensorsFile file = SafetensorsFile::open(dir / "w.safetensors");
    EXPECT_TRUE(file.is_zero_copy("w"));
    EXPECT_FALSE(file.is_zero_copy("h"));  // F16 stored, fp32 requested: a converted copy
    view = file.load("w");
    EXPECT_TRUE(inside_mapping(view, dir / "w.safetensors"));
    EXPECT_FALSE(inside_mapping(file.load("h"), dir / "w.safetensors"));
  }
  // The file object is gone; the view alone keeps the mapping alive.
  ASSERT_FALSE(mappings_of(dir / "w.safetensors").empty());
  EXPECT_TRUE(at::equal(view, weights));
  // Writing to the view changes a private copy, never the file.
  view.fill_(1.0f);
  view = at::Tensor();
  EXPECT_TRUE(mappings_of(dir / "w.safetensors").empty()) << "mapping outlived its last tensor";
  EXPECT_TRUE(at::equal(load_safetensors(dir / "w.safetensors").at("w"), weights));
}

TEST(Safetensors, HalfAndBfloat16ConvertToFloatExactly) {
  ScratchDir dir;
  at::manual_seed(3);
  const at::Tensor half = (at::randn({1000}) * 100).to(at::kHalf);
  const at::Tensor brain = (at::randn({1000}) * 100).to(at::kBFloat16);
  save_safetensors(dir / "h.safetensors", {{"half", half}, {"brain", brain}});
  const StateDict loaded = load_safetensors(dir / "h.safetensors");
  ASSERT_EQ(loaded.at("half").scalar_type(), at::kFloat);
  // Every fp16/bf16 value is representable in fp32: the conversion is exact.
  EXPECT_TRUE(at::equal(loaded.at("half"), half.to(at::kFloat)));
  EXPECT_TRUE(at::equal(loaded.at("brain"), brain.to(at::kFloat)));
  LoadOptions to_half;
  to_half.dtype = at::kHalf;
  EXPECT_TRUE(at::equal(load_safetensors(dir / "h.safetensors", to_half).at("half"), half));
}

TEST(Safetensors, PrefixSelectsNames) {
  ScratchDir dir;
  save_safetensors(dir / "p.safetensors", {{"unet.a", at::ones({1})}, {"vae.b", at::ones({2})}});
  LoadOptions options;
  options.prefix = "unet.";
  const StateDict loaded = load_safetensors(dir / "p.safetensors", options);
  ASSERT_EQ(loaded.size(), 1u);
  EXPECT_EQ(loaded.begin()->first, "unet.a");
}

TEST(Safetensors, MetadataRoundTrips) {
  ScratchDir dir;
  const std::map<std::string, std::string> metadata{{"format", "pt"}, {"note", "ünïcödé \"quoted\"\n"}};
  save_safetensors(dir / "m.safetensors", {{"x", at::zeros({2})}}, metadata);
  const Header header = read_safetensors_header(dir / "m.safetensors");
  EXPECT_EQ(header.metadata, metadata);
  EXPECT_EQ(header.tensors.at("x").dtype, "F32");
}

TEST(Safetensors, AtomicWriteLeavesNoTemporaryFile) {
  ScratchDir dir;
  save_safetensors(dir / "out.safetensors", {{"x", at::ones({4})}});
  save_safetensors(dir / "out.safetensors", {{"x", at::zeros({4})}});  // replaces
  std::vector<std::string> names;
  for (const auto& item : std::filesystem::directory_iterator(dir.path())) names.push_back(item.path().filename());
  EXPECT_EQ(names, std::vector<std::string>{"out.safetensors"});
  EXPECT_TRUE(at::equal(load_safetensors(dir / "out.safetensors").at("x"), at::zeros({4})));

  // A failing rename (the target is a non-empty folder) must remove the temporary.
  std::filesystem::create_directories(dir / "blocked.safetensors" / "inside");
  EXPECT_THROW(save_safetensors(dir / "blocked.safetensors", {{"x", at::ones({4})}}), std::runtime_error);
  for (const auto& item : std::filesystem::directory_iterator(dir.path())) {
    EXPECT_EQ(item.path().filename().string().find(".semdraw-tmp-"), std::string::npos) << item.path();
  }
}

TEST(Safetensors, RefusesTensorsItCannotStore) {
  ScratchDir dir;
  EXPECT_THROW(save_safetensors(dir / "c.safetensors", {{"c", at::ones({2}, at::kComplexFloat)}}),
               std::invalid_argument);
  EXPECT_THROW(save_safetensors(dir / "c.safetensors", {{"bad\xff", at::ones({2})}}), std::invalid_argument);
  EXPECT_FALSE(std::filesystem::exists(dir / "c.safetensors"));
}

// ---- malformed input: one test each; every message names the file ---------

// A valid two-tensor file as raw parts, for the tests to spoil.
const std::string kGoodHeader =
    R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}})";
const std::string kGoodData(12, '\0');

TEST(SafetensorsBadInput, ValidBaselineLoads) {
  ScratchDir dir;
  write_bytes(dir / "good.safetensors", safetensors_bytes(kGoodHeader, kGoodData));
  EXPECT_EQ(load_safetensors(dir / "good.safetensors").size(), 2u);
}

TEST(SafetensorsBadInput, FileShorterThanTheLengthField) {
  ScratchDir dir;
  write_bytes(dir / "tiny.safetensors", std::string("\x05\x00\x00", 3));
  expect_format_error([&] { load_safetensors(dir / "tiny.safetensors"); }, {"tiny.safetensors", "too short"});
}

TEST(SafetensorsBadInput, TruncatedData) {
  ScratchDir dir;
  write_bytes(dir / "cut.safetensors", safetensors_bytes(kGoodHeader, kGoodData.substr(0, 10)));
  expect_format_error([&] { load_safetensors(dir / "cut.safetensors"); }, {"cut.safetensors", "tensor 'b'"});
}

TEST(SafetensorsBadInput, HeaderLengthPastEndOfFile) {
  ScratchDir dir;
  write_bytes(dir / "long.safetensors", safetensors_bytes(kGoodHeader, kGoodData, 5000));
  expect_format_error([&] { load_safetensors(dir / "long.safetensors"); },
                      {"long.safetensors", "past the end of the file"});
}

TEST(SafetensorsBadInput, AbsurdHeaderLength) {
  ScratchDir dir;
  write_bytes(dir / "huge.safetensors", safetensors_bytes(kGoodHeader, kGoodData, std::int64_t{1} << 40));
  expect_format_error([&] { load_safetensors(dir / "huge.safetensors"); }, {"huge.safetensors", "absurd"});
}

TEST(SafetensorsBadInput, OffsetsOutOfRange) {
  ScratchDir dir;
  const std::string header =
      R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[12,16]}})";
  write_bytes(dir / "range.safetensors", safetensors_bytes(header, kGoodData));
  expect_format_error([&] { load_safetensors(dir / "range.safetensors"); },
                      {"range.safetensors", "tensor 'b'", "run past the data region"});
}

TEST(SafetensorsBadInput, OverlappingOffsets) {
  ScratchDir dir;
  const std::string header =
      R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]},)"
      R"("c":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}})";
  write_bytes(dir / "overlap.safetensors", safetensors_bytes(header, kGoodData));
  expect_format_error([&] { load_safetensors(dir / "overlap.safetensors"); },
                      {"overlap.safetensors", "tensor 'b'", "overlap tensor 'a'"});
}

TEST(SafetensorsBadInput, GapBetweenTensors) {
  ScratchDir dir;
  const std::string header =
      R"({"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}})";
  write_bytes(dir / "gap.safetensors", safetensors_bytes(header, kGoodData));
  expect_format_error([&] { load_safetensors(dir / "gap.safetensors"); }, {"gap.safetensors", "tensor 'b'", "gap"});
}

TEST(SafetensorsBadInput, TrailingBytesAfterTheLastTensor) {
  ScratchDir dir;
  write_bytes(dir / "tail.safetensors", safetensors_bytes(kGoodHeader, kGoodData + "xx"));
  expect_format_error([&] { load_safetensors(dir / "tail.safetensors"); }, {"tail.safetensors", "trailing"});
}

TEST(SafetensorsBadInput, ShapeNotMatchingTheBytes) {
  ScratchDir dir;
  const std::string header =
      R"({"a":{"dtype":"F32","shape":[3,4],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}})";
  write_bytes(dir / "shape.safetensors", safetensors_bytes(header, kGoodData));
  expect_format_error([&] { load_safetensors(dir / "shape.safetensors"); },
                      {"shape.safetensors", "tensor 'a'", "shape [3,4] of F32 needs 48 bytes but its offsets span 8"});
}

TEST(SafetensorsBadInput, BeginAfterEnd) {
  ScratchDir dir;
  const std::string header = R"({"a":{"dtype":"F32","shape":[0],"data_offsets":[8,4]}})";
  write_bytes(dir / "order.safetensors", safetensors_bytes(header, kGoodData));
  expect_format_error([&] { load_safetensors(dir / "order.safetensors"); },
                      {"order.safetensors", "tensor 'a'", "begin after they end"});
}

TEST(SafetensorsBadInput, NonUtf8Header) {
  ScratchDir dir;
  std::string header = kGoodHeader;
  header.replace(header.find("\"b\""), 3, "\"\xC3\x28\"");  // invalid 2-byte sequence as a name
  write_bytes(dir / "utf8.safetensors", safetensors_bytes(header, kGoodData));
  expect_format_error([&] { load_safetensors(dir / "utf8.safetensors"); }, {"utf8.safetensors", "UTF-8"});
}

TEST(SafetensorsBadInput, NonJsonHeader) {
  ScratchDir dir;
  std::string header = kGoodHeader;
  header.pop_back();  // drop the closing brace
  write_bytes(dir / "json.safetensors", safetensors_bytes(header + " ", kGoodData));
  expect_format_error([&] { load_safetensors(dir / "json.safetensors"); }, {"json.safetensors", "not valid JSON"});
}

TEST(SafetensorsBadInput, HeaderNotAnObject) {
  ScratchDir dir;
  write_bytes(dir / "array.safetensors", safetensors_bytes("[1,2]", ""));
  expect_format_error([&] { load_safetensors(dir / "array.safetensors"); }, {"array.safetensors", "JSON object"});
}

TEST(SafetensorsBadInput, DeeplyNestedHeader) {
  ScratchDir dir;
  const std::string header = std::string(200000, '[') + std::string(200000, ']');
  write_bytes(dir / "deep.safetensors", safetensors_bytes(header, ""));
  expect_format_error([&] { load_safetensors(dir / "deep.safetensors"); }, {"deep.safetensors", "nests"});
}

TEST(SafetensorsBadInput, EntryMissingAField) {
  ScratchDir dir;
  const std::string header = R"({"a":{"dtype":"F32","data_offsets":[0,12]}})";
  write_bytes(dir / "field.safetensors", safetensors_bytes(header, kGoodData));
  expect_format_error([&] { load_safetensors(dir / "field.safetensors"); },
                      {"field.safetensors", "tensor 'a'", "no 'shape'"});
}

TEST(SafetensorsBadInput, UnknownDtype) {
  ScratchDir dir;
  const std::string header = R"({"a":{"dtype":"F24","shape":[4],"data_offsets":[0,12]}})";
  write_bytes(dir / "dtype.safetensors", safetensors_bytes(header, kGoodData));
  expect_format_error([&] { load_safetensors(dir / "dtype.safetensors"); },
                      {"dtype.safetensors", "tensor 'a'", "unsupported dtype 'F24'"});
}

TEST(SafetensorsBadInput, NegativeOrFractionalShape) {
  ScratchDir dir;
  for (const std::string shape : {"[-3]", "[3.0]", "[\"3\"]"}) {
    const std::string header = R"({"a":{"dtype":"F32","shape":)" + shape + R"(,"data_offsets":[0,12]}})";
    write_bytes(dir / "neg.safetensors", safetensors_bytes(header, kGoodData));
    expect_format_error([&] { load_safetensors(dir / "neg.safetensors"); },
                        {"neg.safetensors", "tensor 'a'", "non-negative integers"});
  }
}

TEST(SafetensorsBadInput, DuplicateNames) {
  ScratchDir dir;
  const std::string header =
      R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"a":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}})";
  write_bytes(dir / "dup.safetensors", safetensors_bytes(header, kGoodData));
  expect_format_error([&] { load_safetensors(dir / "dup.safetensors"); }, {"dup.safetensors", "'a' more than once"});
}

TEST(SafetensorsBadInput, MetadataMustMapStringsToStrings) {
  ScratchDir dir;
  const std::string header = R"({"__metadata__":{"epochs":3},"a":{"dtype":"F32","shape":[3],"data_offsets":[0,12]}})";
  write_bytes(dir / "meta.safetensors", safetensors_bytes(header, kGoodData));
  expect_format_error([&] { load_safetensors(dir / "meta.safetensors"); },
                      {"meta.safetensors", "'__metadata__' entry 'epochs'"});
}

TEST(SafetensorsBadInput, BoolBytesOtherThanZeroOrOne) {
  ScratchDir dir;
  const std::string header = R"({"a":{"dtype":"BOOL","shape":[2],"data_offsets":[0,2]}})";
  write_bytes(dir / "bool.safetensors", safetensors_bytes(header, std::string("\x01\x07", 2)));
  expect_format_error([&] { load_safetensors(dir / "bool.safetensors"); }, {"bool.safetensors", "tensor 'a'"});
}

TEST(SafetensorsBadInput, PickleFilesByExtension) {
  ScratchDir dir;
  // Even a perfectly valid safetensors payload is refused under these names:
  // the name says pickle, and we never guess.
  for (const std::string name : {"model.ckpt", "model.pt", "model.pth", "pytorch_model.bin", "MODEL.CKPT"}) {
    write_bytes(dir / name, safetensors_bytes(kGoodHeader, kGoodData));
    expect_format_error([&] { load_safetensors(dir / name); }, {name, "pickle", "safetensors", "save_file"});
    expect_format_error([&] { read_safetensors_header(dir / name); }, {name, "pickle"});
  }
}

TEST(SafetensorsBadInput, PickleFilesByMagic) {
  ScratchDir dir;
  const std::string pickle_v2("\x80\x02\x8a\x0a\x6c\xfc\x9c\x46\xf9\x20\x6a\xa8\x50\x19", 14);
  const std::string pickle_v4("\x80\x04\x95\x10\x00\x00\x00\x00\x00\x00\x00}q\x00.", 14);
  const std::string zip("PK\x03\x04\x00\x00\x08\x00\x00\x00\x00\x00\x00\x00archive/data.pkl", 30);
  for (const auto& [name, bytes] : std::map<std::string, std::string>{
           {"legacy.safetensors", pickle_v2}, {"protocol4.safetensors", pickle_v4}, {"zip.safetensors", zip}}) {
    write_bytes(dir / name, bytes);
    expect_format_error([&] { load_safetensors(dir / name); }, {name, "pickle"});
  }
}

TEST(SafetensorsBadInput, SafetensorsWhoseLengthLooksLikePickleMagicStillLoads) {
  // A header of 0x0280 = 640 bytes starts the file with 0x80 0x02, like a
  // pickle stream; the '{' at byte 8 tells them apart.
  ScratchDir dir;
  std::string header = kGoodHeader;
  header.append(640 - header.size(), ' ');
  write_bytes(dir / "lookalike.safetensors", safetensors_bytes(header, kGoodData));
  EXPECT_EQ(load_safetensors(dir / "lookalike.safetensors").size(), 2u);
}

TEST(SafetensorsBadInput, MissingFileNamesIt) {
  ScratchDir dir;
  expect_format_error([&] { load_safetensors(dir / "absent.safetensors"); }, {"absent.safetensors", "cannot open"});
}

}  // namespace
}  // namespace semdraw::io
