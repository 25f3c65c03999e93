#pragma once
// The document's side of semdraw::fileio::write_atomically, the one way the
// program writes files (see semdraw/fileio/atomic_write.h for what it keeps:
// symlinks, mode, owner; read-only files refused; nothing left on failure):
// QString paths, and false with *error naming the file instead of throwing.
#include <QByteArray>
#include <QString>
#include <functional>

#include "semdraw/fileio/atomic_write.h"

namespace semdraw::doc {

// Who may read a file we write (fileio::Access).
//   Umask:   like any other new file of the user's: 0666 less the umask; a
//            file being replaced keeps its own mode (the artist may have
//            shared or locked it down).
//   Private: 0600 whatever the umask or the old file: autosave and crash
//            recovery copies in the user's own state folder.
using FileAccess = fileio::Access;
using WriteOptions = fileio::WriteOptions;

// Writes `path` atomically; `write` fills the temporary file named by its
// first argument (and may replace it) and returns false with its reason.
bool atomic_replace(const QString& path, const std::function<bool(const QString&, QString*)>& write, QString* error,
                    const WriteOptions& options = {});

// Writes `bytes` to `path` atomically.
bool write_file_atomically(const QString& path, const QByteArray& bytes, QString* error,
                           const WriteOptions& options = {});

}  // namespace semdraw::doc
