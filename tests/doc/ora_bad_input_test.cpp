#include <gtest/gtest.h>

#include <QBuffer>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>

#include "doc/ora_reader.h"
#include "doc/ora_writer.h"
#include "doc/zip_archive.h"
#include "zip_fixture.h"

namespace semdraw::doc {

namespace {

QByteArray png(QSize size) {
  QImage image(size, QImage::Format_ARGB32);
  image.fill(QColor(10, 20, 30, 128));
  QByteArray bytes;
  QBuffer buffer(&bytes);
  buffer.open(QIODevice::WriteOnly);
  image.save(&buffer, "PNG");
  return bytes;
}

QByteArray stack(int w, int h, const QString& layers) {
  return QStringLiteral("<image w=\"%1\" h=\"%2\"><stack>%3</stack></image>").arg(w).arg(h).arg(layers).toUtf8();
}

class OraBadInput : public ::testing::Test {
 protected:
  void SetUp() override {
    // The open document must survive every failed open untouched.
    document_ = Document(QSize(16, 16));
    document_.add_region("keep", "the open document");
  }
  // Opens `path`, expects failure with an error naming the file and
  // containing `what`, and checks the document was not touched.
  void expect_refused(const QString& path, const QString& what) {
    QString error;
    EXPECT_FALSE(open_ora(path, &document_, &error)) << path.toStdString();
    EXPECT_TRUE(error.contains(QFileInfo(path).fileName())) << error.toStdString();
    EXPECT_TRUE(error.contains(what, Qt::CaseInsensitive))
        << "wanted '" << what.toStdString() << "' in: " << error.toStdString();
    ASSERT_EQ(document_.regions().size(), 1u);
    EXPECT_EQ(document_.regions()[0].prompt, "the open document");
    EXPECT_EQ(document_.canvas_size(), QSize(16, 16));
  }
  QString file(const char* name) { return dir_.filePath(name); }

  QTemporaryDir dir_;
  Document document_;
};

}  // namespace

TEST_F(OraBadInput, CorruptAndTruncatedZips) {
  ASSERT_TRUE(testing::write_all(file("garbage.ora"), QByteArray(5000, 'x')));
  expect_refused(file("garbage.ora"), "zip");
  {
    QString error;
    ASSERT_FALSE(open_ora(file("garbage.ora"), &document_, &error));
    EXPECT_EQ(error.count("zip archive", Qt::CaseInsensitive), 1) << "said twice: " << error.toStdString();
  }
  Document d(QSize(64, 64));
  d.add_region("a", "b");
  QString error;
  ASSERT_TRUE(save_ora(d, file("good.ora"), &error)) << error.toStdString();
  const QByteArray good = testing::read_all(file("good.ora"));
  ASSERT_TRUE(testing::write_all(file("truncated.ora"), good.left(good.size() / 2)));
  expect_refused(file("truncated.ora"), "zip");
  // Flip bytes inside the deflated stack.xml: the CRC or inflate catches it.
  QByteArray flipped = good;
  const qsizetype at = flipped.indexOf("stack.xml") + 9 + 5;
  for (qsizetype i = at; i < at + 20 && i < flipped.size(); ++i) flipped[i] = static_cast<char>(flipped[i] ^ 0x5a);
  ASSERT_TRUE(testing::write_all(file("flipped.ora"), flipped));
  expect_refused(file("flipped.ora"), "flipped.ora");
}

TEST_F(OraBadInput, HugeDeclaredSizeIsRefusedBeforeInflating) {
  ASSERT_TRUE(testing::write_plain_zip(file("bomb.ora"), {{"stack.xml", stack(8, 8, "")}}));
  QByteArray bytes = testing::read_all(file("bomb.ora"));
  // Declare 300 MB uncompressed in both the local and the central header.
  const quint32 huge = 300u * 1024 * 1024;
  auto patch = [&](const QByteArray& signature, int offset) {
    const qsizetype at = bytes.indexOf(signature);
    ASSERT_GE(at, 0);
    for (int i = 0; i < 4; ++i) bytes[at + offset + i] = static_cast<char>((huge >> (8 * i)) & 0xff);
  };
  patch(QByteArray("PK\x03\x04", 4), 22);
  patch(QByteArray("PK\x01\x02", 4), 24);
  ASSERT_TRUE(testing::write_all(file("bomb.ora"), bytes));
  expect_refused(file("bomb.ora"), "more than the");
}

TEST_F(OraBadInput, TooManyEntries) {
  std::vector<std::pair<QString, QByteArray>> entries{{"stack.xml", stack(8, 8, "")}};
  for (int i = 0; i < 4097; ++i) entries.emplace_back(QStringLiteral("data/%1.txt").arg(i), "x");
  ASSERT_TRUE(testing::write_plain_zip(file("flood.ora"), entries));
  expect_refused(file("flood.ora"), "entries");
}

TEST_F(OraBadInput, PathTraversalNames) {
  for (const char* name : {"../x", "/abs", "data/../../x", "C:/x"}) {
    ASSERT_TRUE(testing::write_plain_zip(file("evil.ora"), {{"stack.xml", stack(8, 8, "")}, {name, "x"}}));
    expect_refused(file("evil.ora"), "not allowed");
  }
}

TEST_F(OraBadInput, MissingStackAndMissingLayer) {
  ASSERT_TRUE(testing::write_plain_zip(file("nostack.ora"), {{"mimetype", "image/openraster"}}));
  expect_refused(file("nostack.ora"), "stack.xml");
  ASSERT_TRUE(testing::write_plain_zip(file("nolayer.ora"),
                                       {{"stack.xml", stack(8, 8, "<layer name=\"a\" src=\"data/gone.png\"/>")}}));
  expect_refused(file("nolayer.ora"), "data/gone.png");
  ASSERT_TRUE(testing::write_plain_zip(file("badxml.ora"), {{"stack.xml", "<image w=\"8\" h=\"8\"><stack>"}}));
  expect_refused(file("badxml.ora"), "XML");
  ASSERT_TRUE(testing::write_plain_zip(file("nosize.ora"), {{"stack.xml", "<image><stack/></image>"}}));
  expect_refused(file("nosize.ora"), "size");
}

TEST_F(OraBadInput, MoreLayersThanTheEngineTakes) {
  QString layers;
  for (int i = 0; i < kMaxRegions + 1; ++i) layers += "<layer name=\"a\" src=\"data/a.png\"/>";
  ASSERT_TRUE(testing::write_plain_zip(file("many.ora"),
                                       {{"stack.xml", stack(8, 8, layers)}, {"data/a.png", png(QSize(8, 8))}}));
  expect_refused(file("many.ora"), "more than the 64");
}

TEST_F(OraBadInput, BadLayerPng) {
  ASSERT_TRUE(testing::write_plain_zip(file("badpng.ora"),
                                       {{"stack.xml", stack(8, 8, "<layer name=\"a\" src=\"data/a.png\"/>")},
                                        {"data/a.png", QByteArray("\x89PNG\r\n\x1a\n", 8) + QByteArray(100, '\0')}}));
  expect_refused(file("badpng.ora"), "data/a.png");
}

// Our own files: region layers of another size are placed at their x/y on the
// canvas (with a note); background/generated of another size are resized
// (with a note). Nothing is refused for size alone.
TEST_F(OraBadInput, LayersOfAnotherSizeArePlacedWithANote) {
  Document d(QSize(32, 32));
  d.add_region("a", "b");
  QString error;
  ASSERT_TRUE(save_ora(d, file("ours.ora"), &error)) << error.toStdString();
  std::map<QString, QByteArray> entries;
  ASSERT_TRUE(read_zip(file("ours.ora"), &entries, &error));
  entries["data/region-0.png"] = png(QSize(20, 40));
  entries["data/background.png"] = png(QSize(64, 64));
  QJsonObject json = QJsonDocument::fromJson(entries["semdraw/project.json"]).object();
  QJsonObject background = json["background"].toObject();
  background["layer"] = "data/background.png";
  json["background"] = background;
  entries["semdraw/project.json"] = QJsonDocument(json).toJson();
  std::vector<std::pair<QString, QByteArray>> list(entries.begin(), entries.end());
  ASSERT_TRUE(testing::write_plain_zip(file("resized.ora"), list));
  Document opened;
  QStringList notes;
  ASSERT_TRUE(open_ora(file("resized.ora"), &opened, &error, &notes)) << error.toStdString();
  EXPECT_EQ(opened.regions()[0].mask.size(), QSize(32, 32));
  EXPECT_EQ(opened.regions()[0].mask.pixelColor(5, 31).value(), 128);
  EXPECT_EQ(opened.regions()[0].mask.pixelColor(25, 5).value(), 0);
  EXPECT_EQ(opened.background().size(), QSize(32, 32));
  EXPECT_EQ(notes.size(), 2) << notes.join("\n").toStdString();
}

TEST_F(OraBadInput, BadJsonAndNewerVersion) {
  Document d(QSize(8, 8));
  QString error;
  ASSERT_TRUE(save_ora(d, file("base.ora"), &error)) << error.toStdString();
  std::map<QString, QByteArray> entries;
  ASSERT_TRUE(read_zip(file("base.ora"), &entries, &error));
  auto with_json = [&](const char* name, const QByteArray& json) {
    auto copy = entries;
    copy["semdraw/project.json"] = json;
    ASSERT_TRUE(
        testing::write_plain_zip(file(name), std::vector<std::pair<QString, QByteArray>>(copy.begin(), copy.end())));
  };
  with_json("badjson.ora", "{\"format\": \"semdraw-project\", ");
  expect_refused(file("badjson.ora"), "JSON");
  QByteArray newer = entries["semdraw/project.json"];
  newer.replace("\"version\": 1", "\"version\": 7");
  with_json("newer.ora", newer);
  expect_refused(file("newer.ora"), "version 7");
  expect_refused(file("newer.ora"), "version 1");
  QByteArray bad_field = entries["semdraw/project.json"];
  bad_field.replace("\"continuous\"", "\"sideways\"");
  with_json("badfield.ora", bad_field);
  expect_refused(file("badfield.ora"), "mask_mode");
}

}  // namespace semdraw::doc
