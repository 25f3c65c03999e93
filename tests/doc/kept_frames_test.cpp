#include <gtest/gtest.h>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <cstring>
#include <functional>
#include <random>

#include "doc/ora_reader.h"
#include "doc/ora_writer.h"
#include "doc/zip_archive.h"
#include "zip_fixture.h"

namespace semdraw::doc {

namespace {

// Noise in every channel, so any lossy step (JPEG, premultiplying, a
// colour conversion) shows in the comparison.
QImage noise_frame(QSize size, unsigned seed) {
  std::mt19937 rng(seed);
  QImage image(size, QImage::Format_RGB888);
  for (int y = 0; y < size.height(); ++y) {
    uchar* row = image.scanLine(y);
    for (int x = 0; x < size.width() * 3; ++x) row[x] = static_cast<uchar>(rng() & 0xff);
  }
  return image;
}

void expect_bit_exact(const QImage& got, const QImage& want, const std::string& what) {
  ASSERT_EQ(got.size(), want.size()) << what;
  const QImage a = got.convertToFormat(QImage::Format_RGB888);
  for (int y = 0; y < want.height(); ++y)
    ASSERT_EQ(0, memcmp(a.constScanLine(y), want.constScanLine(y), static_cast<size_t>(want.width()) * 3))
        << what << " row " << y;
}

Document with_kept_frames() {
  Document d(QSize(48, 40));
  d.add_region("sky", "a blue sky").mask.fill(90);
  d.set_generated(noise_frame(QSize(48, 40), 1));
  // Newest first, as the History strip lists them; the older one was made
  // before the canvas was resized, so it has another size.
  d.set_kept_frames({{noise_frame(QSize(48, 40), 2), "render", "Frame 17, 412 ms"},
                     {noise_frame(QSize(32, 24), 3), "live", "Frame 3, 95 ms"}});
  return d;
}

// Saves into a fresh folder and reads the zip back.
class KeptFrames : public ::testing::Test {
 protected:
  QString save(const Document& d, const char* name) {
    const QString path = dir_.filePath(name);
    QString error;
    EXPECT_TRUE(save_ora(d, path, &error)) << error.toStdString();
    return path;
  }
  std::map<QString, QByteArray> entries_of(const QString& path) {
    std::map<QString, QByteArray> entries;
    QString error;
    EXPECT_TRUE(read_zip(path, &entries, &error)) << error.toStdString();
    return entries;
  }
  Document open(const QString& path) {
    Document d;
    QString error;
    EXPECT_TRUE(open_ora(path, &d, &error)) << error.toStdString();
    return d;
  }

  QTemporaryDir dir_;
};

}  // namespace

TEST_F(KeptFrames, SurviveSaveAndOpenBitForBit) {
  const Document saved = with_kept_frames();
  const Document opened = open(save(saved, "kept.ora"));
  ASSERT_EQ(opened.kept_frames().size(), 2u);
  for (size_t i = 0; i < 2; ++i) {
    const KeptFrame &o = opened.kept_frames()[i], &s = saved.kept_frames()[i];
    EXPECT_EQ(o.label, s.label);
    EXPECT_EQ(o.stats, s.stats);
    expect_bit_exact(o.image, s.image, "kept frame " + std::to_string(i));
  }
  // And once more: a reopened project saves them again.
  const Document again = open(save(opened, "again.ora"));
  ASSERT_EQ(again.kept_frames().size(), 2u);
  expect_bit_exact(again.kept_frames()[1].image, saved.kept_frames()[1].image, "kept frame 1, saved twice");
}

TEST_F(KeptFrames, AreEntriesBesideTheLayersNotLayers) {
  auto entries = entries_of(save(with_kept_frames(), "kept.ora"));
  EXPECT_TRUE(entries.count("semdraw/kept/frame-0.png"));
  EXPECT_TRUE(entries.count("semdraw/kept/frame-1.png"));
  EXPECT_FALSE(entries["stack.xml"].contains("kept")) << "other programs would show them as layers";
  const QJsonObject json = QJsonDocument::fromJson(entries[kProjectJsonEntry]).object();
  EXPECT_EQ(json.value("kept_frames").toArray().size(), 2);
  EXPECT_EQ(json.value("kept_frames")[0].toObject().value("image").toString(), "semdraw/kept/frame-0.png");
  EXPECT_EQ(json.value("kept_frames")[1].toObject().value("label").toString(), "live");
  EXPECT_EQ(json.value("version").toInt(), 1) << "an added field: older readers ignore it";
}

// Projects saved before kept frames existed have no "kept_frames" field.
TEST_F(KeptFrames, AProjectWithoutThemOpensWithNone) {
  Document d = with_kept_frames();
  d.set_kept_frames({});
  const QString path = save(d, "old.ora");
  EXPECT_FALSE(QJsonDocument::fromJson(entries_of(path)[kProjectJsonEntry]).object().contains("kept_frames"));
  Document opened = with_kept_frames();
  QString error;
  ASSERT_TRUE(open_ora(path, &opened, &error)) << error.toStdString();
  EXPECT_TRUE(opened.kept_frames().empty());
}

TEST_F(KeptFrames, AMissingOrMalformedEntryIsAnErrorNamingIt) {
  const auto entries = entries_of(save(with_kept_frames(), "kept.ora"));
  auto rewrite = [&](const char* name, const std::function<void(std::map<QString, QByteArray>*)>& change) {
    std::map<QString, QByteArray> copy = entries;
    change(&copy);
    EXPECT_TRUE(testing::write_plain_zip(dir_.filePath(name), {copy.begin(), copy.end()}));
    return dir_.filePath(name);
  };
  Document d;
  QString error;
  EXPECT_FALSE(open_ora(rewrite("missing.ora", [](auto* e) { e->erase("semdraw/kept/frame-1.png"); }), &d, &error));
  EXPECT_TRUE(error.contains("missing.ora") && error.contains("semdraw/kept/frame-1.png")) << error.toStdString();
  const QString bad = rewrite("bad.ora", [](auto* e) {
    QJsonObject json = QJsonDocument::fromJson((*e)[kProjectJsonEntry]).object();
    json.insert("kept_frames", QJsonArray{QJsonObject{{"image", 5}}});
    (*e)[kProjectJsonEntry] = QJsonDocument(json).toJson();
  });
  EXPECT_FALSE(open_ora(bad, &d, &error));
  EXPECT_TRUE(error.contains("bad.ora") && error.contains("kept_frames[0]") && error.contains("'image'"))
      << error.toStdString();
}

}  // namespace semdraw::doc
