// Deterministic mutation fuzzing of the .ora reader (zip container,
// stack.xml, semdraw/project.json, layer PNGs): every mutant either opens as
// a consistent document or is refused with an error naming the file, the
// open document untouched. Never a crash, never an exception, never a wild
// allocation (peak RSS is checked).
#include <gtest/gtest.h>

#include <QBuffer>
#include <QFile>
#include <QImage>
#include <QTemporaryDir>
#include <array>
#include <iostream>
#include <map>

#include "doc/document_scene.h"
#include "doc/ora_reader.h"
#include "doc/ora_writer.h"
#include "doc/zip_archive.h"
#include "doc_fuzz/mutator.h"

namespace semdraw::doc {
namespace {

using fuzz::Mutator;

QByteArray read_all(const QString& path) {
  QFile file(path);
  return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

void write_all(const QString& path, const QByteArray& bytes) {
  QFile::remove(path);  // a fresh file: truncating one in place is much slower here
  QFile file(path);
  ASSERT_TRUE(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
  ASSERT_EQ(file.write(bytes), bytes.size());
}

// A small but complete project: picture, generated frame, three regions.
Document seed_document() {
  Document d(QSize(32, 24));
  QImage picture(32, 24, QImage::Format_RGB888);
  picture.fill(QColor(40, 90, 160));
  d.set_background(picture);
  d.set_generated(picture.mirrored());
  d.set_background_prompt("a field");
  d.settings().seed = 99;
  for (const char* prompt : {"a tree", "a house", "a cloud"}) {
    Region& r = d.add_region(prompt, prompt);
    for (int y = 4; y < 12; ++y) std::fill_n(r.mask.scanLine(y) + 3, 9, uchar(200));
  }
  d.region(1).enabled = false;
  return d;
}

struct Tally {
  int opened = 0;
  int refused = 0;
  int unwritable = 0;  // structured mutants write_zip would not write
};

class OraFuzz : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(dir_.isValid());
    QString error;
    ASSERT_TRUE(save_ora(seed_document(), dir_.filePath("seed.ora"), &error)) << error.toStdString();
    original_ = read_all(dir_.filePath("seed.ora"));
    ASSERT_TRUE(read_zip(dir_.filePath("seed.ora"), &entries_, &error)) << error.toStdString();
    mutant_ = dir_.filePath("mutant.ora");
  }

  // Opens the mutant; checks the contract either way.
  void check(int round) {
    Document document(QSize(8, 8));
    document.add_region("keep", "the open document");
    QString error;
    QStringList notes;
    bool ok = false;
    try {
      ok = open_ora(mutant_, &document, &error, &notes);
    } catch (const std::exception& e) {
      FAIL() << "round " << round << ": exception " << typeid(e).name() << ": " << e.what();
    }
    if (!ok) {
      ++tally_.refused;
      ASSERT_TRUE(error.contains("mutant.ora")) << "round " << round << ": " << error.toStdString();
      ASSERT_EQ(document.regions().size(), 1u) << "round " << round;
      ASSERT_EQ(document.regions()[0].prompt, "the open document") << "round " << round;
      ASSERT_EQ(document.canvas_size(), QSize(8, 8)) << "round " << round;
      return;
    }
    ++tally_.opened;
    const QSize canvas = document.canvas_size();
    ASSERT_TRUE(canvas.width() > 0 && canvas.height() > 0 && canvas.width() <= kMaxOraSide &&
                canvas.height() <= kMaxOraSide)
        << "round " << round;
    ASSERT_LE(document.regions().size(), static_cast<size_t>(kMaxRegions)) << "round " << round;
    for (const Region& r : document.regions()) {
      ASSERT_EQ(r.mask.format(), QImage::Format_Grayscale8) << "round " << round;
      ASSERT_EQ(r.mask.size(), canvas) << "round " << round;
    }
    // What the CLI and the app do next: the engine's snapshot and checks.
    Scene scene = to_scene(document);
    try {
      validate_scene(scene);
    } catch (const std::invalid_argument&) {  // documented: e.g. a side that is not a multiple of 8
    }
  }

  void report(const char* what, int rounds, std::chrono::steady_clock::time_point start) const {
    std::cout << "[fuzz] ora " << what << ": " << rounds << " mutations: " << tally_.opened << " opened, "
              << tally_.refused << " refused, " << tally_.unwritable << " not writable; " << fuzz::seconds_since(start)
              << " s, peak RSS " << fuzz::peak_rss_mib() << " MiB\n";
    EXPECT_GT(tally_.refused, 0);
    EXPECT_LT(fuzz::peak_rss_mib(), 1536);
  }

  // Thousands of broken PNGs make libpng (through Qt) print thousands of
  // lines; the verdict is in the return values (gtest reports on stdout).
  fuzz::QuietStderr quiet_;
  QTemporaryDir dir_;
  QByteArray original_;
  std::map<QString, QByteArray> entries_;
  QString mutant_;
  Tally tally_;
};

// Zip record offsets, found by their signatures.
std::vector<qsizetype> find_all(const QByteArray& bytes, const char* signature) {
  const QByteArray magic(signature, 4);
  std::vector<qsizetype> at;
  for (qsizetype i = bytes.indexOf(magic); i >= 0; i = bytes.indexOf(magic, i + 1)) at.push_back(i);
  return at;
}

struct Field {
  int offset;
  int width;  // bytes, little endian
};

quint32 get_le(const QByteArray& b, qsizetype at, int width) {
  quint32 v = 0;
  for (int i = 0; i < width; ++i) v |= static_cast<quint32>(static_cast<uchar>(b[at + i])) << (8 * i);
  return v;
}

void set_le(QByteArray& b, qsizetype at, int width, quint32 v) {
  for (int i = 0; i < width; ++i) b[at + i] = static_cast<char>((v >> (8 * i)) & 0xff);
}

// Sizes, CRCs, offsets, counts, name/extra lengths, method and flags in
// the local headers, the central directory and its end record.
QByteArray corrupt_header_field(Mutator& m, QByteArray bytes) {
  static const std::vector<Field> local{{6, 2}, {8, 2}, {14, 4}, {18, 4}, {22, 4}, {26, 2}, {28, 2}};
  static const std::vector<Field> central{{8, 2},  {10, 2}, {16, 4}, {20, 4}, {24, 4},
                                          {28, 2}, {30, 2}, {32, 2}, {42, 4}};
  static const std::vector<Field> end{{8, 2}, {10, 2}, {12, 4}, {16, 4}, {20, 2}};
  const int which = m.pick(0, 2);
  const auto records = find_all(bytes, which == 0 ? "PK\x03\x04" : which == 1 ? "PK\x01\x02" : "PK\x05\x06");
  if (records.empty()) return bytes;
  const qsizetype record = m.one_of(records);
  const Field field = m.one_of(which == 0 ? local : which == 1 ? central : end);
  if (record + field.offset + field.width > bytes.size()) return bytes;
  const quint32 old = get_le(bytes, record + field.offset, field.width);
  const quint32 all = field.width == 2 ? 0xffffu : 0xffffffffu;
  const quint32 value = m.one_of<quint32>(
      {0u, all, old + 1, old - 1, old * 2, old / 2, all / 2 + 1, static_cast<quint32>(m.pick(0, 1 << 30))});
  set_le(bytes, record + field.offset, field.width, value & all);
  return bytes;
}

// Entry names in the headers: traversal, absolute, odd bytes, another
// entry's name (duplicates), a different case.
QByteArray corrupt_entry_name(Mutator& m, QByteArray bytes) {
  const bool central = m.pick(0, 1);
  const auto records = find_all(bytes, central ? "PK\x01\x02" : "PK\x03\x04");
  if (records.empty()) return bytes;
  const qsizetype record = m.one_of(records);
  const qsizetype name_at = record + (central ? 46 : 30);
  const int length = static_cast<int>(get_le(bytes, record + (central ? 28 : 26), 2));
  if (length == 0 || name_at + length > bytes.size()) return bytes;
  QByteArray name = bytes.mid(name_at, length);
  switch (m.pick(0, 4)) {
    case 0: name.replace(0, std::min<qsizetype>(3, name.size()), QByteArray("../").left(name.size())); break;
    case 1: name[0] = '/'; break;
    case 2: name[m.index(name.size())] = static_cast<char>(m.one_of<int>({0, '\\', ':', 0xff, m.pick(1, 255)})); break;
    case 3: {  // another record's name, cut or padded to this length
      const qsizetype other = m.one_of(records);
      const int other_length = static_cast<int>(get_le(bytes, other + (central ? 28 : 26), 2));
      name = bytes.mid(other + (central ? 46 : 30), other_length).leftJustified(length, '_', true);
      break;
    }
    default: name = name.toUpper(); break;
  }
  bytes.replace(name_at, length, name);
  return bytes;
}

// A PNG's IHDR with another width/height and a correct CRC, so the image
// reader gets past the checksum to the size.
quint32 crc32(const QByteArray& data) {
  quint32 crc = 0xffffffffu;
  for (const char c : data) {
    crc ^= static_cast<uchar>(c);
    for (int k = 0; k < 8; ++k) crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1u)));
  }
  return ~crc;
}

QByteArray png_with_size(QByteArray png, quint32 width, quint32 height) {
  if (png.size() < 33 || png.mid(12, 4) != "IHDR") return png;
  for (int i = 0; i < 4; ++i) {
    png[16 + i] = static_cast<char>((width >> (24 - 8 * i)) & 0xff);
    png[20 + i] = static_cast<char>((height >> (24 - 8 * i)) & 0xff);
  }
  const quint32 crc = crc32(png.mid(12, 17));
  for (int i = 0; i < 4; ++i) png[29 + i] = static_cast<char>((crc >> (24 - 8 * i)) & 0xff);
  return png;
}

TEST_F(OraFuzz, ByteFlipsAndTruncationsOfTheFile) {
  const auto start = std::chrono::steady_clock::now();
  constexpr int kRounds = 10000;
  Mutator m(20261126);
  for (int round = 0; round < kRounds; ++round) {
    write_all(mutant_, m.bytes(original_));
    check(round);
    if (HasFatalFailure()) return;
  }
  report("bytes", kRounds, start);
}

TEST_F(OraFuzz, ZipHeaderFieldsAndEntryNames) {
  const auto start = std::chrono::steady_clock::now();
  constexpr int kRounds = 10000;
  Mutator m(7001);
  for (int round = 0; round < kRounds; ++round) {
    QByteArray bytes = original_;
    for (int n = m.pick(1, 2); n > 0; --n)
      bytes = m.pick(0, 2) ? corrupt_header_field(m, bytes) : corrupt_entry_name(m, bytes);
    write_all(mutant_, bytes);
    check(round);
    if (HasFatalFailure()) return;
  }
  report("headers+names", kRounds, start);
}

// Valid zips with damaged contents: what the zip layer lets through reaches
// stack.xml, project.json and the PNG decoder.
TEST_F(OraFuzz, EntryContentsNamesAndLayout) {
  const auto start = std::chrono::steady_clock::now();
  constexpr int kRounds = 6000;
  Mutator m(424242);
  std::vector<QString> names;
  for (const auto& [name, data] : entries_) names.push_back(name);
  const std::vector<QString> other_names{
      "Stack.xml", "stack.xml",         "data/region-9.png", "mimetype",       "semdraw/project.json",
      "data/",     "data/region-0.png", "mergedimage.png",   "semdraw/x.json", "a/b/c/d/e/f.png"};
  for (int round = 0; round < kRounds; ++round) {
    std::map<QString, QByteArray> entries = entries_;
    const QString victim = m.one_of(names);
    switch (m.pick(0, 6)) {
      case 0: entries.erase(victim); break;
      case 1: {  // rename (possibly onto another entry)
        QByteArray data = entries[victim];
        entries.erase(victim);
        entries[m.one_of(other_names)] = data;
        break;
      }
      case 2: entries[victim] = victim.endsWith(".png") ? m.bytes(entries[victim]) : m.text(entries[victim]); break;
      case 3: {  // structure-aware project.json edit
        auto json = nlohmann::json::parse(entries[kProjectJsonEntry].toStdString());
        for (int n = m.pick(1, 3); n > 0; --n) json = m.json_value(json);
        entries[kProjectJsonEntry] = QByteArray::fromStdString(json.dump());
        break;
      }
      case 4: std::swap(entries[victim], entries[m.one_of(names)]); break;
      case 5: {  // a layer PNG claiming another size
        const quint32 side = m.one_of<quint32>({0u, 1u, 31u, 33u, 16385u, 100000u, 0x7fffffffu, 0xffffffffu});
        const QString png = m.one_of<QString>({"data/region-0.png", "data/background.png", "data/generated.png"});
        entries[png] = png_with_size(entries[png], m.pick(0, 1) ? side : 32u, m.pick(0, 1) ? side : 24u);
        break;
      }
      default: {  // stack.xml attributes: sizes, offsets, sources
        QByteArray& xml = entries["stack.xml"];
        const QByteArray attribute = m.one_of<QByteArray>({"w=\"", "h=\"", "x=\"", "y=\"", "src=\""});
        const qsizetype at = xml.indexOf(attribute);
        if (at < 0) break;
        const qsizetype begin = at + attribute.size(), end = xml.indexOf('"', begin);
        xml.replace(begin, end - begin,
                    m.one_of<QByteArray>({"0", "-5", "16", "16384", "16385", "99999999999", "1e3", "",
                                          "data/missing.png", "../stack.xml", "stack.xml", "mimetype"}));
        break;
      }
    }
    std::vector<ZipEntry> zip;
    if (entries.count("mimetype")) zip.push_back({"mimetype", entries["mimetype"], true});
    for (const auto& [name, data] : entries)
      if (name != "mimetype") zip.push_back({name, data, false});
    QString error;
    QFile::remove(mutant_);
    if (!write_zip(mutant_, zip, &error)) {
      ++tally_.unwritable;
      continue;
    }
    check(round);
    if (HasFatalFailure()) return;
  }
  EXPECT_GT(tally_.opened, 0) << "no mutant opened: the mutations never reach past the first check";
  report("contents", kRounds, start);
}

}  // namespace
}  // namespace semdraw::doc
