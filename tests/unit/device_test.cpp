#include "semdraw/engine/device.h"

#include <ATen/Context.h>
#include <gtest/gtest.h>

namespace semdraw {

TEST(ComputeDevice, AgreesWithLibTorchAboutCuda) {
  const ComputeDevice device = probe_compute_device();
  EXPECT_EQ(device.cuda, at::hasCUDA());
  EXPECT_FALSE(device.name.empty());
  EXPECT_FALSE(device.note.empty());
  if (!device.cuda) {
    EXPECT_EQ(device.name, "CPU");
  }
}

TEST(ComputeDevice, ReportsTheLinkedTorchVersion) {
  const ComputeDevice device = probe_compute_device();
  EXPECT_NE(device.torch_version.find('.'), std::string::npos) << device.torch_version;
  EXPECT_EQ(engine_version(), std::string("0.1.0"));
}

}  // namespace semdraw
