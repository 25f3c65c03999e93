// Properties of the pipelines that hold for any model (issue: engine, item 8),
// checked on the tiny seeded model with real random draws (no injection).
#include <ATen/ATen.h>
#include <gtest/gtest.h>

#include "family/family_parts.h"
#include "pipeline/model_bundle.h"
#include "pipeline/one_shot.h"
#include "pipeline/stream_batch.h"
#include "support/tiny_model.h"

namespace semdraw::pipeline {
namespace {

ModelBundle& bundle() {
  static ModelBundle b = [] {
    ModelBundleOptions options;
    options.model = test::tiny_model_dir();
    return load_model_bundle(options);
  }();
  return b;
}

MaskImage disc(int size, float cy, float cx, float radius) {
  MaskImage mask{size, size, std::vector<float>(static_cast<size_t>(size) * size, 0.f)};
  for (int y = 0; y < size; ++y)
    for (int x = 0; x < size; ++x)
      if ((y - cy) * (y - cy) + (x - cx) * (x - cx) < radius * radius)
        mask.values[static_cast<size_t>(y * size + x)] = 1.f;
  return mask;
}

Scene two_regions(LiveNoise live_noise = LiveNoise::Explore) {
  Scene scene;
  scene.width = scene.height = 64;
  scene.settings.seed = 11;
  scene.settings.live_noise = live_noise;
  RegionSpec sky;
  sky.prompt = "a blue sky";
  sky.blur_sigma = 4;
  sky.mask = {64, 64, std::vector<float>(64 * 64, 0.f)};
  std::fill(sky.mask.values.begin(), sky.mask.values.begin() + 64 * 28, 1.f);
  RegionSpec eagle;
  eagle.prompt = "a red eagle";
  eagle.blur_sigma = 2;
  eagle.mask = disc(64, 24, 40, 12);
  scene.regions = {sky, eagle};
  return scene;
}

struct Stream {
  family::FamilyParts parts;
  TaesdCodec codec;
  StreamBatch batch;
  Stream()
      : parts(family::make_family_parts(bundle(), bundle().unet)), codec(bundle().taesd), batch(parts.models(&codec)) {}
  // Gives the stream its first scene now; returns its step count T.
  int start(const Scene& scene) {
    batch.update(scene);
    batch.apply_pending();
    return batch.step_count();
  }
};

double max_difference(const at::Tensor& a, const at::Tensor& b) { return (a - b).abs().max().item<double>(); }

TEST(StreamProperties, SameSeedAndSceneGiveIdenticalBytesTwice) {
  Stream first, second;
  first.batch.update(two_regions());
  second.batch.update(two_regions());
  for (int f = 0; f < 6; ++f) {
    const at::Tensor a = first.batch.step(), b = second.batch.step();
    ASSERT_TRUE(at::equal(a, b)) << "frame " << f;
    if (f == 5) EXPECT_TRUE(at::equal(first.batch.decode(a), second.batch.decode(b)));
  }
  Scene other_seed = two_regions();
  other_seed.settings.seed = 12;
  Stream third, fourth;
  third.batch.update(other_seed);
  fourth.batch.update(two_regions());
  // The first T-1 frames come from the zero-initialised buffer; frame T is
  // the first that the fresh noise of call 1 reaches.
  at::Tensor a, b;
  for (int f = 0; f < 5; ++f) {  // T = 5 with the default step indices
    a = third.batch.step();
    b = fourth.batch.step();
  }
  EXPECT_FALSE(at::equal(a, b)) << "the seed must matter";
}

TEST(StreamProperties, AnEditIsFullyVisibleAfterExactlyTFrames) {
  Scene before = two_regions();
  Scene after = two_regions();
  after.regions[1].prompt = "a white owl";
  after.regions[1].mask = disc(64, 40, 20, 10);
  Stream edited, fresh;
  edited.batch.update(before);
  fresh.batch.update(after);
  const int warmup = 3;
  for (int f = 0; f < warmup; ++f) {
    edited.batch.step();
    fresh.batch.step();
  }
  edited.batch.update(after);
  const int steps = edited.batch.step_count();
  ASSERT_EQ(steps, 5);
  at::Tensor a, b;
  for (int f = 1; f <= steps; ++f) {
    a = edited.batch.step();
    b = fresh.batch.step();
    const double difference = max_difference(a, b);
    std::printf("frame %d after the edit: max difference %.3g\n", f, difference);
    if (f < steps) EXPECT_GT(difference, 1e-3) << "frame " << f << " should still show the old scene";
  }
  // Same scene for the last T calls, same noise draws: the same frame (up to
  // batch rounding: other entries of the batch differ).
  EXPECT_LE(max_difference(a, b), 1e-4 * std::max(1.0, b.abs().max().item<double>()));
}

TEST(StreamProperties, SettleGivesOneFrameAfterTCallsAndAnEditWakesIt) {
  Scene scene = two_regions(LiveNoise::Settle);
  Stream stream;
  const int steps = stream.start(scene);
  ASSERT_EQ(steps, 5);
  at::Tensor previous;
  for (int call = 1; call <= steps + 1; ++call) {
    EXPECT_FALSE(stream.batch.settled()) << "call " << call;
    previous = stream.batch.step();
  }
  ASSERT_TRUE(stream.batch.settled()) << "T+1 calls on a new stream's unchanged scene";
  // Every later call: bitwise the frame of call T+1.
  for (int extra = 0; extra < 2; ++extra) EXPECT_TRUE(at::equal(stream.batch.step(), previous));
  // The same scene posted again (the app re-posts on selection changes) stays settled.
  stream.batch.update(scene);
  stream.batch.apply_pending();
  EXPECT_TRUE(stream.batch.settled());
  // An edit wakes it: not settled, and the next frame differs.
  scene.regions[1].prompt = "a white owl";
  stream.batch.update(scene);
  EXPECT_FALSE(stream.batch.settled());
  for (int call = 1; call <= steps; ++call) {
    const at::Tensor frame = stream.batch.step();
    if (call == 1) EXPECT_FALSE(at::equal(frame, previous)) << "the edit did not reach the first frame";
    previous = frame;
  }
  // After an edit on a running stream, T calls settle it.
  ASSERT_TRUE(stream.batch.settled());
  EXPECT_TRUE(at::equal(stream.batch.step(), previous));
}

TEST(StreamProperties, ExploreKeepsMovingAndNeverSettles) {
  Scene scene = two_regions(LiveNoise::Explore);
  Stream stream;
  const int steps = stream.start(scene);
  ASSERT_EQ(steps, 5);
  at::Tensor previous = stream.batch.step();
  for (int call = 2; call <= 2 * steps; ++call) {
    const at::Tensor frame = stream.batch.step();
    EXPECT_GT(max_difference(frame, previous), 1e-3) << "call " << call;
    previous = frame;
  }
  EXPECT_FALSE(stream.batch.settled());
}

TEST(StreamProperties, ARegionWithAnEmptyMaskChangesNothing) {
  Scene with_empty = two_regions();
  RegionSpec empty;
  empty.prompt = "a dragon";
  empty.mask = {64, 64, std::vector<float>(64 * 64, 0.f)};
  with_empty.regions.insert(with_empty.regions.begin() + 1, empty);
  Stream plain, extra;
  plain.batch.update(two_regions());
  extra.batch.update(with_empty);
  for (int f = 0; f < 6; ++f) ASSERT_TRUE(at::equal(plain.batch.step(), extra.batch.step())) << "frame " << f;
}

TEST(StreamProperties, AnEditedPromptChangesNothingOutsideItsRegion) {
  // One region over the white background: outside its processed footprint
  // every step is filled with the background, whatever the prompt says.
  Scene scene = two_regions();
  scene.regions.erase(scene.regions.begin());
  Scene renamed = scene;
  renamed.regions[0].prompt = "a golden dragon breathing fire";
  Stream a, b;
  a.batch.update(scene);
  b.batch.update(renamed);
  at::Tensor la, lb;
  for (int f = 0; f < 6; ++f) {
    la = a.batch.step();
    lb = b.batch.step();
  }
  const at::Tensor footprint = a.batch.masks().sum({0, 1}).gt(0);  // [h,w] over steps
  const at::Tensor outside = footprint.logical_not().expand_as(la);
  ASSERT_GT(outside.sum().item<int64_t>(), 0);
  ASSERT_GT(footprint.sum().item<int64_t>(), 0);
  EXPECT_TRUE(at::equal(la.masked_select(outside), lb.masked_select(outside)));
  EXPECT_GT(max_difference(la.masked_select(outside.logical_not()), lb.masked_select(outside.logical_not())), 1e-3)
      << "the prompt must matter inside the region, or this test proves nothing";
}

TEST(StreamProperties, EditsBetweenTwoStepsMergeAndRecomputeOnlyWhatChanged) {
  Stream stream;
  Scene scene = two_regions();
  stream.batch.update(scene);
  stream.batch.step();
  EXPECT_TRUE(stream.batch.last_update().reset);
  const size_t encoded = stream.parts.text->encoded_count();

  scene.regions[1].prompt = "a green parrot";
  stream.batch.update(scene);
  scene.regions[1].prompt = "a yellow parrot";  // a second edit before the next frame
  stream.batch.update(scene);
  stream.batch.step();
  EXPECT_EQ(stream.parts.text->encoded_count(), encoded + 1) << "only the final prompt is encoded";
  EXPECT_FALSE(stream.batch.last_update().reset);
  EXPECT_FALSE(stream.batch.last_update().masks);
  EXPECT_TRUE(stream.batch.last_update().prompts);

  scene.regions[0].blur_sigma = 6;
  stream.batch.update(scene);
  stream.batch.step();
  EXPECT_TRUE(stream.batch.last_update().masks);
  EXPECT_FALSE(stream.batch.last_update().prompts);
  EXPECT_FALSE(stream.batch.last_update().background);
  EXPECT_EQ(stream.parts.text->encoded_count(), encoded + 1);
}

TEST(OneShotProperties, SameSeedAndSceneGiveIdenticalBytesTwice) {
  const family::FamilyParts parts = family::make_family_parts(bundle(), bundle().unet);
  KlCodec codec(bundle().vae);
  const PipelineModels models = parts.models(&codec);
  NoiseSource first_noise(5), second_noise(5);
  const auto first = render_one_shot(models, two_regions(), first_noise);
  const auto second = render_one_shot(models, two_regions(), second_noise);
  EXPECT_TRUE(at::equal(first.image, second.image));
  EXPECT_EQ(first.image.sizes(), at::IntArrayRef({1, 3, 64, 64}));
  NoiseSource other(6);
  EXPECT_FALSE(at::equal(render_one_shot(models, two_regions(), other).latent, first.latent));
}

}  // namespace
}  // namespace semdraw::pipeline
