// Deterministic mutation fuzzing of the JSON parsers of the document: the
// palette (ours and the web demo's) and semdraw/project.json. Each mutant is
// either read consistently or refused with an error naming the file, the
// output untouched; never a crash or an exception.
#include <gtest/gtest.h>

#include <QFile>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <cmath>
#include <iostream>

#include "doc/palette_json.h"
#include "doc/project_json.h"
#include "doc_fuzz/mutator.h"

namespace semdraw::doc {
namespace {

using fuzz::Mutator;

Document sample() {
  Document d(QSize(32, 32));
  d.set_background_prompt("a desert");
  d.set_background_negative_prompt("people");
  d.settings().seed = 4242;
  d.set_model_reference("models/sd15");
  Region& a = d.add_region("dune", "a dune");
  a.prompt_strength = 0.5;
  a.blur_sigma = 4;
  d.add_region("sun", "a sun").enabled = false;
  d.add_region("camel", "a camel").negative_prompt = "horse";
  return d;
}

// One mutant from a valid JSON text: structure-aware edits most of the
// time (they get past the tokenizer), text damage otherwise.
QByteArray mutate_json(Mutator& m, const QByteArray& valid) {
  if (m.pick(0, 2) == 0) {
    QByteArray text = valid;
    for (int n = m.pick(1, 3); n > 0; --n) text = m.text(text);
    return text;
  }
  auto json = nlohmann::json::parse(valid.toStdString());
  for (int n = m.pick(1, 3); n > 0; --n) json = m.json_value(json);
  return QByteArray::fromStdString(json.dump());
}

void write_all(const QString& path, const QByteArray& bytes) {
  QFile::remove(path);  // a fresh file: truncating one in place is much slower here
  QFile file(path);
  ASSERT_TRUE(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
  ASSERT_EQ(file.write(bytes), bytes.size());
}

void report(const char* what, int rounds, int read, int refused, std::chrono::steady_clock::time_point start) {
  std::cout << "[fuzz] " << what << ": " << rounds << " mutations: " << read << " read, " << refused << " refused; "
            << fuzz::seconds_since(start) << " s, peak RSS " << fuzz::peak_rss_mib() << " MiB\n";
  EXPECT_GT(read, 0);
  EXPECT_GT(refused, 0);
  EXPECT_LT(fuzz::peak_rss_mib(), 1536);
}

TEST(JsonFuzz, PaletteFilesBothFormats) {
  const auto start = std::chrono::steady_clock::now();
  QTemporaryDir dir;
  QString error;
  std::vector<QByteArray> seeds;
  for (const PaletteFormat format : {PaletteFormat::SemanticDraw, PaletteFormat::WebDemo}) {
    const QString path = dir.filePath("seed.json");
    ASSERT_TRUE(write_palette(palette_of(sample()), path, &error, format)) << error.toStdString();
    QFile file(path);
    ASSERT_TRUE(file.open(QIODevice::ReadOnly));
    seeds.push_back(file.readAll());
  }
  constexpr int kRounds = 20000;
  Mutator m(5150);
  const QString path = dir.filePath("mutant-palette.json");
  int read = 0, refused = 0;
  for (int round = 0; round < kRounds; ++round) {
    const QByteArray bytes = mutate_json(m, seeds[static_cast<size_t>(round % 2)]);
    write_all(path, bytes);
    Palette palette;
    palette.background_prompt = "untouched";
    bool ok = false;
    try {
      ok = read_palette(path, &palette, &error);
    } catch (const std::exception& e) {
      FAIL() << "round " << round << ": " << e.what() << "\n" << bytes.toStdString();
    }
    if (!ok) {
      ++refused;
      ASSERT_TRUE(error.contains("mutant-palette.json")) << "round " << round << ": " << error.toStdString();
      ASSERT_EQ(palette.background_prompt, "untouched") << "round " << round;
      continue;
    }
    ++read;
    ASSERT_LE(palette.regions.size(), static_cast<size_t>(kMaxRegions)) << "round " << round;
    // What import does with it.
    Document target(QSize(16, 16));
    apply_palette(palette, &target);
    ASSERT_EQ(target.regions().size(), palette.regions.size()) << "round " << round;
    for (const Region& r : target.regions()) ASSERT_EQ(r.mask.size(), QSize(16, 16)) << "round " << round;
  }
  report("palette json", kRounds, read, refused, start);
}

TEST(JsonFuzz, ProjectJson) {
  const auto start = std::chrono::steady_clock::now();
  LayerFiles layers;
  layers.regions = {"data/region-0.png", "", "data/region-2.png"};
  layers.background = "data/background.png";
  const QByteArray valid = QJsonDocument(project_to_json(sample(), layers)).toJson();
  constexpr int kRounds = 20000;
  Mutator m(8086);
  int read = 0, refused = 0;
  for (int round = 0; round < kRounds; ++round) {
    const QByteArray bytes = mutate_json(m, valid);
    ProjectJson project;
    project.width = -7;  // must survive a refusal
    QString error;
    bool ok = false;
    try {
      ok = project_from_json(bytes, "fuzz.ora (semdraw/project.json)", &project, &error);
    } catch (const std::exception& e) {
      FAIL() << "round " << round << ": " << e.what() << "\n" << bytes.toStdString();
    }
    if (!ok) {
      ++refused;
      ASSERT_TRUE(error.contains("fuzz.ora")) << "round " << round << ": " << error.toStdString();
      ASSERT_EQ(project.width, -7) << "round " << round;
      continue;
    }
    ++read;
    ASSERT_EQ(project.regions.size(), project.layers.regions.size()) << "round " << round;
    for (const Region& r : project.regions) {
      ASSERT_TRUE(std::isfinite(r.prompt_strength) && std::isfinite(r.mask_strength) && std::isfinite(r.blur_sigma))
          << "round " << round;
    }
  }
  report("project json", kRounds, read, refused, start);
}

}  // namespace
}  // namespace semdraw::doc
