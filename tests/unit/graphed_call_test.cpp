// GraphedCall's policy (when to capture, what to evict, what a failed capture
// does) on the CPU, with a backend that records what it is asked to do. The
// real CUDA backend is checked against eager calls on a GPU in
// tests/parity/unet_graph_parity_test.cpp.
#include "runtime/graphed_call.h"

#include <ATen/ATen.h>
#include <gtest/gtest.h>

#include <stdexcept>

namespace semdraw {
namespace {

struct Log {
  int captures = 0;
  int replays = 0;
  bool fail_next_capture = false;
};

// "Captures" by remembering the function; a replay runs it on the new inputs
// and adds 1000, so a test can tell a replayed result from an eager one.
class RecordingBackend : public GraphBackend {
 public:
  explicit RecordingBackend(Log* log) : log_(log) {}
  bool accepts(const std::vector<at::Tensor>& inputs) const override {
    return inputs[0].scalar_type() != at::kDouble;  // stands for "not on the GPU"
  }
  std::unique_ptr<Captured> capture(const TensorFunction& fn, const std::vector<at::Tensor>&) override {
    if (std::exchange(log_->fail_next_capture, false)) throw std::runtime_error("capture refused");
    ++log_->captures;
    return std::make_unique<Replayer>(fn, log_);
  }

 private:
  class Replayer : public Captured {
   public:
    Replayer(TensorFunction fn, Log* log) : fn_(std::move(fn)), log_(log) {}
    at::Tensor replay(const std::vector<at::Tensor>& inputs) override {
      ++log_->replays;
      return fn_(inputs) + 1000;
    }

   private:
    TensorFunction fn_;
    Log* log_;
  };
  Log* log_;
};

at::Tensor doubled(const std::vector<at::Tensor>& in) { return in[0] * 2; }

GraphedCall make(Log& log, GraphedCallOptions options = {}) {
  return GraphedCall(doubled, std::make_unique<RecordingBackend>(&log), options);
}

double value(const at::Tensor& t) { return t.flatten()[0].item<double>(); }

TEST(GraphedCall, RunsEagerlyUntilASignatureRepeatsThenReplaysItsGraph) {
  Log log;
  GraphedCall call = make(log, {.capacity = 2, .capture_after = 2});
  const at::Tensor x = at::full({2, 3}, 1.0f);
  EXPECT_EQ(value(call({x})), 2.0);
  EXPECT_EQ(value(call({x})), 2.0);
  EXPECT_EQ(log.captures, 0) << "two eager calls come first";
  EXPECT_EQ(value(call({x * 3})), 1006.0) << "the third call is captured and replayed, with its own inputs";
  EXPECT_EQ(value(call({x * 4})), 1008.0);
  EXPECT_EQ(log.captures, 1);
  EXPECT_EQ(log.replays, 2);
  EXPECT_EQ(call.stats().eager, 2);
  EXPECT_EQ(call.stats().captures, 1);
  EXPECT_EQ(call.stats().replays, 2);
  EXPECT_FALSE(call.stats().disabled);
}

TEST(GraphedCall, EachShapeAndDtypeIsItsOwnSignature) {
  Log log;
  GraphedCall call = make(log, {.capacity = 4, .capture_after = 1});
  call({at::ones({2, 3})});
  call({at::ones({3, 3})});
  call({at::ones({2, 3}, at::kHalf)});
  EXPECT_EQ(log.captures, 0);
  call({at::ones({2, 3})});
  call({at::ones({3, 3})});
  call({at::ones({2, 3}, at::kHalf)});
  EXPECT_EQ(log.captures, 3);
  EXPECT_NE(tensor_signature({at::ones({2, 3})}), tensor_signature({at::ones({3, 2})}));
  EXPECT_EQ(tensor_signature({at::ones({2, 3}), at::zeros({2}, at::kLong)}), "[2, 3] Float cpu; [2] Long cpu");
}

TEST(GraphedCall, KeepsAtMostCapacityGraphsDroppingTheLeastRecentlyUsed) {
  Log log;
  GraphedCall call = make(log, {.capacity = 2, .capture_after = 0});
  const at::Tensor a = at::ones({1}), b = at::ones({2}), c = at::ones({3});
  call({a});  // captured
  call({b});  // captured
  call({a});  // a is now the most recent
  call({c});  // evicts b
  EXPECT_EQ(log.captures, 3);
  EXPECT_EQ(call.stats().evictions, 1);
  call({a});
  EXPECT_EQ(log.captures, 3) << "a kept its graph";
  call({b});
  EXPECT_EQ(log.captures, 4) << "b was evicted and is captured again";
}

TEST(GraphedCall, AFailedCaptureTurnsGraphsOffAndStillAnswers) {
  Log log;
  GraphedCall call = make(log, {.capacity = 2, .capture_after = 1});
  const at::Tensor x = at::ones({2});
  call({x});
  log.fail_next_capture = true;
  EXPECT_EQ(value(call({x})), 2.0) << "the eager result, not an error";
  EXPECT_TRUE(call.stats().disabled);
  const auto warnings = call.take_warnings();
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].find("capture refused"), std::string::npos) << warnings[0];
  call({x});
  call({x});
  EXPECT_EQ(log.captures, 0);
  EXPECT_EQ(call.stats().eager, 4);
}

TEST(GraphedCall, InputsTheBackendRefusesRunEagerly) {
  Log log;
  GraphedCall call = make(log, {.capacity = 2, .capture_after = 0});
  for (int i = 0; i < 3; ++i) EXPECT_EQ(value(call({at::ones({2}, at::kDouble)})), 2.0);
  EXPECT_EQ(log.captures, 0);
  EXPECT_EQ(call.stats().eager, 3);
}

TEST(GraphedCall, WithoutABackendEverythingIsEager) {
  GraphedCall call(doubled, nullptr);
  EXPECT_TRUE(call.stats().disabled);
  EXPECT_EQ(value(call({at::ones({2})})), 2.0);
  EXPECT_EQ(call.stats().eager, 1);
}

}  // namespace
}  // namespace semdraw
