#pragma once
// Reading and writing the zip containers of .ora projects, with the limits
// that keep hostile files (zip bombs, path traversal, entry floods) harmless.
#include <QByteArray>
#include <QString>
#include <functional>
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
// callers write to a temporary one and rename). Returns false with *error.
bool write_zip(const QString& path, const std::vector<ZipEntry>& entries, QString* error);

// Who may read a file we write.
//   Umask:   like any other new file of the user's: 0666 less the umask (as the
//            PNG export and other programs' saves); a file being replaced keeps
//            its own mode (the artist may have shared or locked it down).
//   Private: 0600 whatever the umask or the old file: autosave and crash
//            recovery copies in the user's own state folder, which no one
//            else has any reason to read.
enum class FileAccess { Umask, Private };

// Writes `path` atomically: the bytes go to <path>.tmp-XXXXXX beside it, are
// fsync'ed and renamed over `path`. On any failure the previous file is
// intact and the temporary file removed. `write` fills the temporary path.
bool atomic_replace(const QString& path, const std::function<bool(const QString&, QString*)>& write, QString* error,
                    FileAccess access = FileAccess::Umask);

}  // namespace semdraw::doc
