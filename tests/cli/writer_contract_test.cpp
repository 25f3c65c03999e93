// Every file the CLI writes keeps the promises of
// tests/fileio/writer_contract.h: render/stream frames (-o), export-palette,
// info --extract, import-palette's project.
#include "fileio/writer_contract.h"

#include <gtest/gtest.h>

#include <QTemporaryDir>

#include "cli/image_files.h"
#include "cli/project_files.h"
#include "doc/ora_writer.h"

namespace semdraw::cli {
namespace {

namespace fs = std::filesystem;
using fileio::testing::expect_faithful_writer;

RgbImage gradient() {
  RgbImage image{16, 16, {}};
  for (int i = 0; i < 16 * 16 * 3; ++i) image.pixels.push_back(static_cast<uint8_t>(i * 7));
  return image;
}

// A saved project to export from, import into, or extract.
class CliWriters : public ::testing::Test {
 protected:
  void SetUp() override {
    doc::Document d(QSize(16, 16));
    d.set_background_prompt("a quiet harbour");
    d.add_region("a red boat", "").mask.fill(255);
    QImage picture(16, 16, QImage::Format_RGB888);
    picture.fill(Qt::darkBlue);
    d.set_background(picture);
    QString error;
    ASSERT_TRUE(doc::save_ora(d, QString::fromStdString(project_.string()), &error)) << error.toStdString();
    ASSERT_TRUE(export_palette(project_, palette_, PaletteFileFormat::SemanticDraw).is_object());
  }
  QTemporaryDir dir_;
  fs::path project_ = fs::path(dir_.path().toStdString()) / "source.ora";
  fs::path palette_ = fs::path(dir_.path().toStdString()) / "source-palette.json";
};

TEST(CliWriterContract, RenderedPng) {
  expect_faithful_writer([](const fs::path& path, std::string*) { return write_rgb(path, gradient()), true; },
                         "frame.png");
}

TEST(CliWriterContract, RenderedNetpbm) {
  expect_faithful_writer([](const fs::path& path, std::string*) { return write_rgb(path, gradient()), true; },
                         "frame.ppm");
}

TEST_F(CliWriters, ExportedPalette) {
  expect_faithful_writer([&](const fs::path& path,
                             std::string*) { return export_palette(project_, path, PaletteFileFormat::WebDemo), true; },
                         "palette.json");
}

TEST_F(CliWriters, ImportedPaletteProject) {
  expect_faithful_writer([&](const fs::path& path,
                             std::string*) { return import_palette(project_, palette_, path, ImportMode::Add), true; },
                         "imported.ora");
}

// The first file --extract writes is the background; the rest follow it.
TEST_F(CliWriters, ExtractedScene) {
  expect_faithful_writer(
      [&](const fs::path& path, std::string*) { return project_info(project_, path.parent_path()), true; },
      "background.png", {"region-00.png", "scene.json"});
}

}  // namespace
}  // namespace semdraw::cli
