// The one JSON form of the generation settings (semdraw/engine/scene_json.h),
// which projects, scene files and the CLI's reports all use.
#include "semdraw/engine/scene_json.h"

#include <gtest/gtest.h>

#include <limits>
#include <nlohmann/json.hpp>

namespace semdraw {
namespace {

using nlohmann::json;

// Every field away from its default, so a field the writer or the reader
// forgets cannot round-trip by luck.
GenerationSettings unusual_settings() {
  GenerationSettings s;
  s.sampler = SamplerChoice::EulerTrailing;
  s.step_indices = {0, 9, 18};
  s.steps = 6;
  s.mask_mode = MaskMode::SemiContinuous;
  s.bootstrap_steps = 3;
  s.bootstrap_mix_steps = 2.5;
  s.cover_alpha = 0.125;
  s.cfg_type = CfgType::Initialize;
  s.guidance = 3.75;
  s.delta = 0.5;
  s.seed = std::numeric_limits<uint64_t>::max();
  s.tile_size = 768;
  s.vae = VaeChoice::Full;
  s.live_noise = LiveNoise::Settle;
  return s;
}

std::string error_of(const json& settings) {
  try {
    settings_from_json(settings, GenerationSettings{});
  } catch (const SettingsFieldError& error) {
    return error.what();
  }
  return "(no error)";
}

TEST(SceneJson, EveryFieldRoundTripsThroughText) {
  const GenerationSettings s = unusual_settings();
  ASSERT_NE(s, GenerationSettings{});
  const json parsed = json::parse(settings_to_json(s).dump());
  EXPECT_EQ(settings_from_json(parsed, GenerationSettings{}), s);
  EXPECT_EQ(parsed.size(), 14u) << parsed.dump();  // one key per field
}

TEST(SceneJson, EnumsAreWrittenByTheirSpellings) {
  const json j = settings_to_json(unusual_settings());
  EXPECT_EQ(j.at("sampler"), "euler-trailing");
  EXPECT_EQ(j.at("mask_mode"), "semi-continuous");
  EXPECT_EQ(j.at("cfg_type"), "initialize");
  EXPECT_EQ(j.at("vae"), "full");
  EXPECT_EQ(j.at("live_noise"), "settle");
  EXPECT_EQ(j.at("seed").get<uint64_t>(), std::numeric_limits<uint64_t>::max());
}

TEST(SceneJson, AbsentAndNullFieldsKeepTheCallersBase) {
  GenerationSettings base;
  base.live_noise = LiveNoise::Settle;
  base.guidance = 2.0;
  const GenerationSettings read = settings_from_json(json{{"delta", 0.25}, {"guidance", nullptr}}, base);
  EXPECT_EQ(read.live_noise, LiveNoise::Settle);
  EXPECT_EQ(read.guidance, 2.0);
  EXPECT_EQ(read.delta, 0.25);
}

TEST(SceneJson, SeedsAreReadFromIntegersWholeNumbersAndDecimalStrings) {
  const auto seed = [](const json& value) { return settings_from_json(json{{"seed", value}}, {}).seed; };
  EXPECT_EQ(seed(42), 42u);
  EXPECT_EQ(seed("18446744073709551615"), std::numeric_limits<uint64_t>::max());
  EXPECT_EQ(seed(1e3), 1000u);
  EXPECT_EQ(error_of(json{{"seed", -1}}).rfind("settings.seed must be a non-negative integer", 0), 0u);
  EXPECT_NE(error_of(json{{"seed", "18446744073709551616"}}), "(no error)");  // 2^64 overflows
  EXPECT_NE(error_of(json{{"seed", "12a"}}), "(no error)");
  EXPECT_NE(error_of(json{{"seed", 1.5}}), "(no error)");
}

TEST(SceneJson, ErrorsNameTheFieldAndTheProblem) {
  EXPECT_EQ(error_of(json{{"mask_mode", "soft"}}),
            "settings.mask_mode is 'soft'; expected one of discrete, semi-continuous, continuous");
  EXPECT_EQ(error_of(json{{"guidance", "high"}}), "settings.guidance must be a finite number");
  EXPECT_EQ(error_of(json{{"steps", 2.5}}), "settings.steps must be an integer");
  EXPECT_EQ(error_of(json{{"step_indices", json{0, -4}}}),
            "settings.step_indices must be an array of non-negative integers");
  EXPECT_EQ(error_of(json{{"vae", 1}}), "settings.vae must be a string");
  EXPECT_EQ(error_of(json::array()), "settings must be an object");
}

TEST(SceneJson, SamplerNamesAreTheSceneFileSpellings) {
  for (SamplerChoice sampler : {SamplerChoice::ModelDefault, SamplerChoice::Lcm, SamplerChoice::EulerTrailing})
    EXPECT_EQ(sampler_from_name(sampler_name(sampler)), sampler);
  EXPECT_THROW(sampler_from_name("euler"), std::invalid_argument);
}

}  // namespace
}  // namespace semdraw
