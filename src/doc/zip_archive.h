#pragma once
// Reading and writing the zip containers of .ora projects, with the limits
// that keep hostile files (zip bombs, path traversal, entry floods) harmless.
#include <QByteArray>
#include <QString>
#include <map>
#include <utility>
#include <vector>

namespace semdraw::doc {

inline constexpr qint64 kMaxZipEntryBytes = 256LL * 1024 * 1024;   // uncompressed, per entry
inline constexpr qint64 kMaxZipTotalBytes = 1024LL * 1024 * 1024;  // uncompressed, all entries
inline constexpr qint64 kMaxZipEntries = 4096;

// All entries of a zip, by name. Sizes and names are checked from the
// central directory BEFORE anything is inflated; reads stop at the declared
// size. Returns false with *error naming the file (and entry) on any problem.
bool read_zip(const QString& path, std::map<QString, QByteArray>* entries, QString* error);

// One entry to write: name, bytes, and whether it must be stored uncompressed.
struct ZipEntry {
  QString name;
  QByteArray data;
  bool stored = false;
};

// Writes the entries in order to `path` (which must not be the final file:
// callers write it through atomic_replace, doc/atomic_file.h). Returns false
// with *error.
bool write_zip(const QString& path, const std::vector<ZipEntry>& entries, QString* error);

}  // namespace semdraw::doc
