// Our safetensors reader and writer against the reference implementation:
// tests/data/io/reference_dtypes.safetensors was written by
// safetensors.torch.save_file (tests/reference/safetensors_golden.py) from
// formula-built tensors that we rebuild here.
#include <ATen/ATen.h>
#include <gtest/gtest.h>

#include "engine/io/safetensors.h"
#include "support/safetensors_test_util.h"

namespace semdraw::io {
namespace {

const std::filesystem::path kGolden =
    std::filesystem::path(SEMDRAW_SOURCE_DIR) / "tests" / "data" / "io" / "reference_dtypes.safetensors";

// Same formula as values() in safetensors_golden.py.
at::Tensor values(at::ScalarType dtype, const std::vector<int64_t>& shape) {
  int64_t count = 1;
  for (int64_t size : shape) count *= size;
  const at::Tensor k = at::arange(count, at::kDouble);
  at::Tensor ramp;
  if (dtype == at::kBool) {
    ramp = at::arange(count, at::kLong).remainder(3).eq(0);
  } else if (at::isFloatingType(dtype)) {
    ramp = (k * 0.37 - 1.5).to(dtype);
  } else {
    ramp = (k * 7 - 20).to(at::kLong);
    if (dtype == at::kByte) ramp = ramp.abs();
    ramp = ramp.to(dtype);
  }
  return ramp.reshape(shape);
}

StateDict expected_tensors() {
  const std::vector<std::tuple<std::string, at::ScalarType, std::vector<int64_t>>> table{
      {"a.f16", at::kHalf, {3, 5}}, {"b.bf16", at::kBFloat16, {7}}, {"c.f32", at::kFloat, {2, 3, 2}},
      {"d.f64", at::kDouble, {3}},  {"e.i64", at::kLong, {4}},      {"f.i32", at::kInt, {2, 2}},
      {"g.i16", at::kShort, {5}},   {"h.i8", at::kChar, {6}},       {"i.u8", at::kByte, {9}},
      {"j.bool", at::kBool, {7}},   {"k.scalar", at::kFloat, {}},   {"l.empty", at::kFloat, {0, 3}},
      {"m.odd", at::kHalf, {1}}};
  StateDict tensors;
  for (const auto& [name, dtype, shape] : table) tensors[name] = values(dtype, shape);
  return tensors;
}

TEST(SafetensorsParity, ReadsWhatTheReferenceWrote) {
  const SafetensorsFile file = SafetensorsFile::open(kGolden);
  EXPECT_EQ(file.header().metadata, (std::map<std::string, std::string>{{"format", "pt"}}));
  const StateDict expected = expected_tensors();
  ASSERT_EQ(file.header().tensors.size(), expected.size());
  for (const auto& [name, tensor] : expected) {
    LoadOptions keep;
    if (at::isFloatingType(tensor.scalar_type())) keep.dtype = tensor.scalar_type();
    const at::Tensor loaded = file.load(name, keep);
    EXPECT_EQ(loaded.scalar_type(), tensor.scalar_type()) << name;
    EXPECT_TRUE(at::equal(loaded, tensor)) << name;
    // The reference aligns every tensor, so matching dtypes are views.
    EXPECT_TRUE(file.is_zero_copy(name, keep)) << name;
  }
}

TEST(SafetensorsParity, WritesTheSameBytesAsTheReference) {
  semdraw::testing::ScratchDir dir;
  save_safetensors(dir / "ours.safetensors", expected_tensors(), {{"format", "pt"}});
  const std::string ours = semdraw::testing::read_bytes(dir / "ours.safetensors");
  const std::string reference = semdraw::testing::read_bytes(kGolden);
  ASSERT_FALSE(reference.empty()) << kGolden;
  if (ours != reference) {
    std::uint64_t length = 0;
    std::memcpy(&length, reference.data(), 8);
    ADD_FAILURE() << "bytes differ from the reference writer\nreference header: " << reference.substr(8, length)
                  << "\nour header:       " << ours.substr(8, std::min<std::size_t>(ours.size() - 8, length + 64));
  }
}

}  // namespace
}  // namespace semdraw::io
