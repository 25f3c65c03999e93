// Allocation failures reach the app and the CLI as semdraw::OutOfMemory,
// whichever way LibTorch reports them (runtime/out_of_memory.h).
#include "runtime/out_of_memory.h"

#include <ATen/ATen.h>
#include <c10/util/Exception.h>
#include <gtest/gtest.h>

#include <new>
#include <string>

#include "semdraw/engine/engine.h"

namespace semdraw::runtime {
namespace {

TEST(OutOfMemory, TheCpuAllocatorsRealFailureIsReportedByType) {
  try {
    reporting_out_of_memory([] { return at::empty({int64_t{1} << 48}, at::kByte); });  // 256 TiB
    FAIL() << "allocating 256 TiB succeeded";
  } catch (const OutOfMemory& error) {
    EXPECT_NE(std::string(error.what()).find("allocate"), std::string::npos) << error.what();
  }
}

TEST(OutOfMemory, CudasOutOfMemoryErrorAndBadAllocAreReportedByType) {
  EXPECT_THROW(reporting_out_of_memory([] { TORCH_CHECK_WITH(OutOfMemoryError, false, "CUDA out of memory."); }),
               OutOfMemory);
  EXPECT_THROW(reporting_out_of_memory([] { throw std::bad_alloc(); }), OutOfMemory);
}

TEST(OutOfMemory, OtherErrorsPassThroughUnchanged) {
  try {
    reporting_out_of_memory([] { return at::ones({2}) + at::ones({3}); });
    FAIL() << "mismatched shapes were added";
  } catch (const OutOfMemory&) {
    FAIL() << "a shape error was reported as out of memory";
  } catch (const c10::Error& error) {
    EXPECT_NE(std::string(error.what()).find("size"), std::string::npos) << error.what();
  }
  EXPECT_THROW(reporting_out_of_memory([] { throw Cancelled("stopped"); }), Cancelled);
  EXPECT_EQ(reporting_out_of_memory([] { return 7; }), 7);
}

}  // namespace
}  // namespace semdraw::runtime
