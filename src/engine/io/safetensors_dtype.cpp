#include "io/safetensors_dtype.h"

#include <array>

namespace semdraw::io {
namespace {

// Reference enum order: BOOL, F4, F6_E2M3, F6_E3M2, U8, I8, F8_E5M2,
// F8_E4M3, F8_E8M0, I16, U16, F16, BF16, I32, U32, F32, C64, F64, I64, U64.
constexpr std::array<DtypeSpec, 15> kDtypes{{
    {"F64", at::kDouble, 8, 17},
    {"F32", at::kFloat, 4, 15},
    {"F16", at::kHalf, 2, 11},
    {"BF16", at::kBFloat16, 2, 12},
    {"F8_E4M3", at::kFloat8_e4m3fn, 1, 7},
    {"F8_E5M2", at::kFloat8_e5m2, 1, 6},
    {"I64", at::kLong, 8, 18},
    {"I32", at::kInt, 4, 13},
    {"I16", at::kShort, 2, 9},
    {"I8", at::kChar, 1, 5},
    {"U64", at::kUInt64, 8, 19},
    {"U32", at::kUInt32, 4, 14},
    {"U16", at::kUInt16, 2, 10},
    {"U8", at::kByte, 1, 4},
    {"BOOL", at::kBool, 1, 0},
}};

}  // namespace

const DtypeSpec* find_dtype(std::string_view name) {
  for (const DtypeSpec& spec : kDtypes) {
    if (spec.name == name) return &spec;
  }
  return nullptr;
}

const DtypeSpec* find_dtype(at::ScalarType type) {
  for (const DtypeSpec& spec : kDtypes) {
    if (spec.type == type) return &spec;
  }
  return nullptr;
}

std::string_view supported_dtype_names() {
  return "F64, F32, F16, BF16, F8_E4M3, F8_E5M2, I64, I32, I16, I8, U64, U32, U16, U8, BOOL";
}

}  // namespace semdraw::io
