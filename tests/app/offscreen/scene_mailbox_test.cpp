#include "app/engine_bridge/scene_mailbox.h"

#include <gtest/gtest.h>

namespace semdraw::app {
namespace {

std::shared_ptr<const SceneSnapshot> snapshot(uint64_t serial) {
  auto s = std::make_shared<SceneSnapshot>();
  s->serial = serial;
  return s;
}

TEST(SceneMailbox, KeepsOnlyTheNewestSnapshot) {
  SceneMailbox box;
  EXPECT_EQ(box.take(), nullptr);
  EXPECT_TRUE(box.post(snapshot(1))) << "an empty slot needs a wake-up";
  EXPECT_FALSE(box.post(snapshot(2))) << "a pending one is replaced, no second wake-up";
  EXPECT_FALSE(box.post(snapshot(3)));
  const auto taken = box.take();
  ASSERT_NE(taken, nullptr);
  EXPECT_EQ(taken->serial, 3u) << "the stale edits 1 and 2 never reach the engine";
  EXPECT_EQ(box.take(), nullptr) << "nothing new since";
  EXPECT_TRUE(box.post(snapshot(4)));
}

}  // namespace
}  // namespace semdraw::app
