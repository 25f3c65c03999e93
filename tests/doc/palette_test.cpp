#include <gtest/gtest.h>

#include <QTemporaryDir>

#include "doc/palette_json.h"
#include "zip_fixture.h"

namespace semdraw::doc {

TEST(Palette, RoundTripKeepsEveryRegionFieldButTheMask) {
  Document d(QSize(32, 32));
  d.set_background_prompt("forest");
  d.set_background_negative_prompt("fog");
  Region& a = d.add_region("deer", "a deer");
  a.negative_prompt = "antlers";
  a.prompt_strength = 0.625;
  a.mask_strength = 0.75;
  a.blur_sigma = 2.5;
  a.enabled = false;
  a.mask.fill(255);
  d.add_region("owl", "an owl").colour = QColor(12, 34, 56, 78);
  QTemporaryDir dir;
  const QString path = dir.filePath("palette.json");
  QString error;
  ASSERT_TRUE(write_palette(palette_of(d), path, &error)) << error.toStdString();
  Palette p;
  ASSERT_TRUE(read_palette(path, &p, &error)) << error.toStdString();
  EXPECT_EQ(p.background_prompt, "forest");
  EXPECT_EQ(p.background_negative_prompt, "fog");
  ASSERT_EQ(p.regions.size(), 2u);
  for (size_t i = 0; i < 2; ++i) {
    const Region &r = p.regions[i], &s = d.regions()[i];
    EXPECT_EQ(r.name, s.name);
    EXPECT_EQ(r.prompt, s.prompt);
    EXPECT_EQ(r.negative_prompt, s.negative_prompt);
    EXPECT_EQ(r.colour, s.colour);
    EXPECT_EQ(r.prompt_strength, s.prompt_strength);
    EXPECT_EQ(r.mask_strength, s.mask_strength);
    EXPECT_EQ(r.blur_sigma, s.blur_sigma);
    EXPECT_EQ(r.enabled, s.enabled);
  }
  Document target(QSize(20, 10));
  apply_palette(p, &target);
  ASSERT_EQ(target.regions().size(), 2u);
  EXPECT_EQ(target.regions()[0].mask.size(), QSize(20, 10));
  EXPECT_EQ(target.regions()[0].mask.pixelColor(3, 3).value(), 0);  // masks are not part of a palette
  EXPECT_EQ(target.regions()[1].colour, QColor(12, 34, 56, 78));
  EXPECT_EQ(target.background_prompt(), "forest");
}

TEST(Palette, ImportsTheWebDemoPalette) {
  QTemporaryDir dir;
  const QString path = dir.filePath("demo.json");
  ASSERT_TRUE(testing::write_all(path, R"({
    "prompts": ["Maximalism, best quality", "a photo of Lisa", "a photo of a cat"],
    "neg_prompts": ["worst quality", "ugly", ""],
    "prompt_names": ["Background", "Lisa", "Cat"],
    "prompt_strengths": [1.0, 0.9, 0.8],
    "mask_strengths": [1.0, 1.0, 0.5],
    "mask_stds": [0.0, 8.0, 4.5],
    "seed": 2024
  })"));
  Palette p;
  QString error;
  ASSERT_TRUE(read_palette(path, &p, &error)) << error.toStdString();
  EXPECT_EQ(p.background_prompt, "Maximalism, best quality");
  EXPECT_EQ(p.background_negative_prompt, "worst quality");
  ASSERT_EQ(p.regions.size(), 2u);
  EXPECT_EQ(p.regions[0].name, "Lisa");
  EXPECT_EQ(p.regions[0].prompt, "a photo of Lisa");
  EXPECT_EQ(p.regions[0].negative_prompt, "ugly");
  EXPECT_EQ(p.regions[0].prompt_strength, 0.9);
  EXPECT_EQ(p.regions[1].mask_strength, 0.5);
  EXPECT_EQ(p.regions[1].blur_sigma, 4.5);
  ASSERT_TRUE(p.seed.has_value());
  EXPECT_EQ(*p.seed, 2024u);
  Document d(QSize(16, 16));
  apply_palette(p, &d);
  EXPECT_EQ(d.seed(), 2024u);
  EXPECT_NE(d.regions()[0].colour, d.regions()[1].colour);  // no colours in the demo: ours are picked
}

TEST(Palette, BadFilesNameTheFileAndLeaveThePaletteAlone) {
  QTemporaryDir dir;
  Palette p;
  p.background_prompt = "unchanged";
  QString error;
  const std::pair<const char*, const char*> cases[] = {
      {"broken.json", "{\"prompts\": [\"a\""},
      {"short.json", R"({"prompts": ["bg", "a"], "mask_stds": [1.0]})"},
      {"typed.json", R"({"prompts": ["bg", 5]})"},
      {"newer.json", R"({"format": "semdraw-palette", "version": 9, "regions": []})"},
      {"other.json", R"({"hello": 1})"},
  };
  for (const auto& [name, text] : cases) {
    const QString path = dir.filePath(name);
    ASSERT_TRUE(testing::write_all(path, text));
    EXPECT_FALSE(read_palette(path, &p, &error)) << name;
    EXPECT_TRUE(error.contains(name)) << error.toStdString();
  }
  EXPECT_FALSE(read_palette(dir.filePath("missing.json"), &p, &error));
  EXPECT_EQ(p.background_prompt, "unchanged");
}

}  // namespace semdraw::doc
