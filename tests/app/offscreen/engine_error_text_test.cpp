// What the artist reads when the engine fails: out of memory is recognised by
// its type (semdraw::OutOfMemory), never by words in a message.
#include <gtest/gtest.h>

#include <new>
#include <stdexcept>

#include "app/engine_bridge/engine_worker.h"

namespace semdraw::app {
namespace {

TEST(EngineErrorText, OutOfMemoryGetsAdviceAndKeepsTheDetail) {
  const QString text = describe_engine_error(OutOfMemory("CUDA out of memory. Tried to allocate 2.00 GiB"));
  EXPECT_TRUE(text.startsWith("Out of memory: try a smaller canvas")) << text.toStdString();
  EXPECT_TRUE(text.contains("Tried to allocate 2.00 GiB")) << text.toStdString();
  EXPECT_TRUE(describe_engine_error(std::bad_alloc()).startsWith("Out of memory")) << "host allocation failure";
}

TEST(EngineErrorText, OtherErrorsAreShownAsTheyAre) {
  // A message that merely mentions memory is not an allocation failure.
  const std::runtime_error other("model.safetensors: tensor 'x' is out of memory-mapped range");
  EXPECT_EQ(describe_engine_error(other), QString::fromStdString(other.what()));
}

}  // namespace
}  // namespace semdraw::app
