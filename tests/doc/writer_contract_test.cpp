// Every file the document library writes keeps the promises of
// tests/fileio/writer_contract.h: projects, PNG exports, palettes.
#include "fileio/writer_contract.h"

#include <gtest/gtest.h>

#include "doc/ora_writer.h"
#include "doc/palette_json.h"
#include "doc/png_export.h"

namespace semdraw::doc {
namespace {

using fileio::testing::expect_faithful_writer;

Document painted_document() {
  Document d(QSize(32, 32));
  d.add_region("a red eagle", "blurry").mask.fill(200);
  QImage generated(32, 32, QImage::Format_RGB888);
  generated.fill(Qt::darkCyan);
  d.set_generated(generated);
  return d;
}

QString qpath(const std::filesystem::path& path) { return QString::fromStdString(path.string()); }

bool report(bool ok, const QString& why, std::string* error) {
  *error = why.toStdString();
  return ok;
}

TEST(WriterContract, Projects) {
  expect_faithful_writer(
      [](const std::filesystem::path& path, std::string* error) {
        QString why;
        return report(save_ora(painted_document(), qpath(path), &why), why, error);
      },
      "project.ora");
}

TEST(WriterContract, PngExports) {
  expect_faithful_writer(
      [](const std::filesystem::path& path, std::string* error) {
        QString why;
        return report(export_png(painted_document(), qpath(path), true, &why), why, error);
      },
      "picture.png");
}

TEST(WriterContract, Palettes) {
  expect_faithful_writer(
      [](const std::filesystem::path& path, std::string* error) {
        QString why;
        return report(write_palette(palette_of(painted_document()), qpath(path), &why), why, error);
      },
      "palette.json");
}

}  // namespace
}  // namespace semdraw::doc
