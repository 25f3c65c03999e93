#include <gtest/gtest.h>
#include <unistd.h>

#include <QDir>
#include <QTemporaryDir>
#include <cstring>
#include <random>

#include "doc/ora_reader.h"
#include "doc/ora_writer.h"
#include "doc/zip_archive.h"

namespace semdraw::doc {

namespace {

// A document where every field differs from its default and the masks hold
// every grey level, so a lossy or forgetful save shows.
Document busy_document() {
  Document d(QSize(96, 64));
  d.set_background_prompt("a misty valley");
  d.set_background_negative_prompt("blurry");
  d.set_model_reference("models/sd15-lcm.sdmodel");
  d.set_seed(18446744073709551557ull);  // above 2^53: JSON numbers would lose it
  d.settings().step_indices = {0, 10, 20};
  d.settings().steps = 3;
  d.settings().mask_mode = MaskMode::SemiContinuous;
  d.settings().bootstrap_steps = 2;
  d.settings().bootstrap_mix_steps = 1.5;
  d.settings().cover_alpha = 0.123456789012345;
  d.settings().cfg_type = CfgType::Self;
  d.settings().guidance = 1.7;
  d.settings().delta = 0.3;
  d.settings().tile_size = 256;
  d.settings().vae = VaeChoice::Full;
  d.settings().sampler = SamplerChoice::EulerTrailing;
  std::mt19937 rng(7);
  for (int i = 0; i < 3; ++i) {
    Region& r = d.add_region(QStringLiteral("r%1").arg(i), QStringLiteral("prompt %1, with <xml> & \"quotes\"").arg(i));
    r.negative_prompt = QStringLiteral("neg %1").arg(i);
    r.prompt_strength = 0.1 + i * 0.3;
    r.mask_strength = 0.9 - i * 0.2;
    r.blur_sigma = 3.25 * (i + 1);
    r.enabled = i != 1;
    for (int y = 0; y < r.mask.height(); ++y)
      for (int x = 0; x < r.mask.width(); ++x) r.mask.scanLine(y)[x] = static_cast<uchar>(rng() & 0xff);
  }
  d.region(2).colour = QColor(1, 2, 3);
  QImage background(d.canvas_size(), QImage::Format_RGB888);
  QImage generated(d.canvas_size(), QImage::Format_RGB888);
  for (int y = 0; y < 64; ++y)
    for (int x = 0; x < 96; ++x) {
      background.setPixelColor(x, y, QColor(x * 2, y * 3, 77));
      generated.setPixelColor(x, y, QColor(static_cast<int>(rng() & 0xff), y, x));
    }
  d.set_background(background);
  d.set_generated(generated);
  return d;
}

void expect_same_image(const QImage& a, const QImage& b, const char* what) {
  ASSERT_EQ(a.size(), b.size()) << what;
  const QImage ca = a.convertToFormat(QImage::Format_RGB888), cb = b.convertToFormat(QImage::Format_RGB888);
  for (int y = 0; y < ca.height(); ++y)
    ASSERT_EQ(0, memcmp(ca.constScanLine(y), cb.constScanLine(y), static_cast<size_t>(ca.width()) * 3))
        << what << " row " << y;
}

}  // namespace

TEST(OraRoundTrip, SaveThenOpenGivesTheSameDocument) {
  QTemporaryDir dir;
  const QString path = dir.filePath("project.ora");
  const Document saved = busy_document();
  QString error;
  ASSERT_TRUE(save_ora(saved, path, &error)) << error.toStdString();

  Document opened;
  QStringList notes;
  ASSERT_TRUE(open_ora(path, &opened, &error, &notes)) << error.toStdString();
  EXPECT_TRUE(notes.isEmpty()) << notes.join("\n").toStdString();
  EXPECT_EQ(opened.canvas_size(), saved.canvas_size());
  EXPECT_EQ(opened.background_prompt(), saved.background_prompt());
  EXPECT_EQ(opened.background_negative_prompt(), saved.background_negative_prompt());
  EXPECT_EQ(opened.model_reference(), saved.model_reference());
  EXPECT_EQ(opened.seed(), saved.seed());
  const GenerationSettings &a = opened.settings(), &b = saved.settings();
  EXPECT_EQ(a.step_indices, b.step_indices);
  EXPECT_EQ(a.steps, b.steps);
  EXPECT_EQ(a.mask_mode, b.mask_mode);
  EXPECT_EQ(a.bootstrap_steps, b.bootstrap_steps);
  EXPECT_EQ(a.bootstrap_mix_steps, b.bootstrap_mix_steps);
  EXPECT_EQ(a.cover_alpha, b.cover_alpha);
  EXPECT_EQ(a.cfg_type, b.cfg_type);
  EXPECT_EQ(a.guidance, b.guidance);
  EXPECT_EQ(a.delta, b.delta);
  EXPECT_EQ(a.tile_size, b.tile_size);
  EXPECT_EQ(a.vae, b.vae);
  EXPECT_EQ(a.sampler, b.sampler);
  EXPECT_EQ(a, b) << "a settings field does not round-trip";
  ASSERT_EQ(opened.regions().size(), saved.regions().size());
  for (size_t i = 0; i < saved.regions().size(); ++i) {
    const Region &o = opened.regions()[i], &s = saved.regions()[i];
    EXPECT_EQ(o.name, s.name);
    EXPECT_EQ(o.prompt, s.prompt);
    EXPECT_EQ(o.negative_prompt, s.negative_prompt);
    EXPECT_EQ(o.colour, s.colour);
    EXPECT_EQ(o.prompt_strength, s.prompt_strength);
    EXPECT_EQ(o.mask_strength, s.mask_strength);
    EXPECT_EQ(o.blur_sigma, s.blur_sigma);
    EXPECT_EQ(o.enabled, s.enabled);
    ASSERT_EQ(o.mask.format(), QImage::Format_Grayscale8);
    ASSERT_EQ(o.mask.size(), s.mask.size());
    for (int y = 0; y < s.mask.height(); ++y)
      ASSERT_EQ(0, memcmp(o.mask.constScanLine(y), s.mask.constScanLine(y), static_cast<size_t>(s.mask.width())))
          << "region " << i << " mask row " << y;
  }
  expect_same_image(opened.background(), saved.background(), "background");
  expect_same_image(opened.generated(), saved.generated(), "generated");
}

TEST(OraRoundTrip, ArchiveFollowsTheOpenRasterLayout) {
  QTemporaryDir dir;
  const QString path = dir.filePath("layout.ora");
  QString error;
  ASSERT_TRUE(save_ora(busy_document(), path, &error)) << error.toStdString();
  // mimetype first and stored: its bytes sit right after the first local header.
  QFile file(path);
  ASSERT_TRUE(file.open(QIODevice::ReadOnly));
  const QByteArray head = file.read(30 + 8 + 16);
  EXPECT_EQ(head.mid(0, 4), QByteArray("PK\x03\x04", 4));
  EXPECT_EQ(static_cast<int>(head[8]) | (static_cast<int>(head[9]) << 8), 0) << "mimetype must be stored";
  EXPECT_EQ(head.mid(30, 8), "mimetype");
  EXPECT_EQ(head.mid(38, 16), "image/openraster");

  std::map<QString, QByteArray> entries;
  ASSERT_TRUE(read_zip(path, &entries, &error)) << error.toStdString();
  for (const char* name : {"stack.xml", "mergedimage.png", "Thumbnails/thumbnail.png", "semdraw/project.json",
                           "data/region-0.png", "data/background.png", "data/generated.png"})
    EXPECT_TRUE(entries.count(name)) << name;
  EXPECT_TRUE(entries["stack.xml"].contains("name=\"prompt 2, with &lt;xml&gt; &amp; &quot;quotes&quot;\""));
  const QImage thumbnail = QImage::fromData(entries["Thumbnails/thumbnail.png"]);
  EXPECT_LE(std::max(thumbnail.width(), thumbnail.height()), 256);
  EXPECT_EQ(QImage::fromData(entries["mergedimage.png"]).size(), QSize(96, 64));
  // No temporary file is left beside the project.
  EXPECT_EQ(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden), QStringList{"layout.ora"});
}

TEST(OraRoundTrip, SavingIntoAReadOnlyDirectoryKeepsThePreviousFile) {
  if (geteuid() == 0) GTEST_SKIP() << "root ignores directory permissions";
  QTemporaryDir dir;
  const QString path = dir.filePath("keep.ora");
  Document first = busy_document();
  QString error;
  ASSERT_TRUE(save_ora(first, path, &error)) << error.toStdString();
  QFile original(path);
  ASSERT_TRUE(original.open(QIODevice::ReadOnly));
  const QByteArray bytes = original.readAll();
  original.close();
  ASSERT_TRUE(QFile::setPermissions(dir.path(), QFile::ReadOwner | QFile::ExeOwner));
  Document second(QSize(32, 32));
  second.add_region("x", "y");
  EXPECT_FALSE(save_ora(second, path, &error));
  EXPECT_TRUE(error.contains("keep.ora")) << error.toStdString();
  QFile::setPermissions(dir.path(), QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
  QFile after(path);
  ASSERT_TRUE(after.open(QIODevice::ReadOnly));
  EXPECT_EQ(after.readAll(), bytes);
  EXPECT_EQ(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden), QStringList{"keep.ora"});
}

}  // namespace semdraw::doc

namespace semdraw::doc {

TEST(OraRoundTrip, AFailedWriteRemovesTheTemporaryFileAndKeepsThePreviousOne) {
  QTemporaryDir dir;
  const QString path = dir.filePath("keep.ora");
  QString error;
  ASSERT_TRUE(save_ora(busy_document(), path, &error)) << error.toStdString();
  QFile original(path);
  ASSERT_TRUE(original.open(QIODevice::ReadOnly));
  const QByteArray bytes = original.readAll();
  original.close();
  // A writer that gets halfway and fails (disk full, encoder error ...).
  EXPECT_FALSE(atomic_replace(
      path,
      [](const QString& temp, QString* why) {
        QFile partial(temp);
        if (partial.open(QIODevice::WriteOnly)) partial.write("half a zip");
        *why = temp + ": disk full";
        return false;
      },
      &error));
  EXPECT_TRUE(error.contains("disk full"));
  QFile after(path);
  ASSERT_TRUE(after.open(QIODevice::ReadOnly));
  EXPECT_EQ(after.readAll(), bytes);
  EXPECT_EQ(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden), QStringList{"keep.ora"});
  // And a directory that does not exist: an error naming the file, nothing created.
  EXPECT_FALSE(save_ora(busy_document(), dir.filePath("no/such/dir/x.ora"), &error));
  EXPECT_TRUE(error.contains("x.ora")) << error.toStdString();
}

}  // namespace semdraw::doc

#include <sys/resource.h>

#include <csignal>

namespace semdraw::doc {

namespace {
QByteArray file_bytes(const QString& path) {
  QFile file(path);
  return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}
}  // namespace

// A real write failure from the kernel, not a simulated one: a file-size
// limit makes every write past it fail (EFBIG), as a full disk fails them
// with ENOSPC. It binds root too, unlike directory permissions.
TEST(OraRoundTrip, AFileSystemThatRefusesTheWriteKeepsThePreviousFile) {
  QTemporaryDir dir;
  const QString path = dir.filePath("keep.ora");
  QString error;
  ASSERT_TRUE(save_ora(busy_document(), path, &error)) << error.toStdString();
  const QByteArray bytes = file_bytes(path);
  ASSERT_GT(bytes.size(), 4096);

  rlimit saved{};
  ASSERT_EQ(getrlimit(RLIMIT_FSIZE, &saved), 0);
  const auto previous_handler = std::signal(SIGXFSZ, SIG_IGN);  // else the kernel kills us at the limit
  rlimit small = saved;
  small.rlim_cur = 2048;
  ASSERT_EQ(setrlimit(RLIMIT_FSIZE, &small), 0);
  const bool saved_ok = save_ora(busy_document(), path, &error);
  setrlimit(RLIMIT_FSIZE, &saved);
  std::signal(SIGXFSZ, previous_handler);

  EXPECT_FALSE(saved_ok);
  EXPECT_TRUE(error.contains("keep.ora")) << error.toStdString();
  std::printf("error shown: %s\n", qPrintable(error));
  EXPECT_EQ(file_bytes(path), bytes);
  EXPECT_EQ(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden), QStringList{"keep.ora"})
      << "no temporary file left";
}

}  // namespace semdraw::doc
