#include "doc/zip_archive.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zip.h>

#include <QFile>
#include <QFileInfo>
#include <QRandomGenerator>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <list>
#include <memory>

namespace semdraw::doc {

namespace {

QString zip_error_text(int code) {
  zip_error_t err;
  zip_error_init_with_code(&err, code);
  QString text = QString::fromUtf8(zip_error_strerror(&err));
  zip_error_fini(&err);
  return text;
}

// A name that could escape the folder it is extracted into, or that no
// portable archive uses, is refused outright (we never extract to disk, but
// a name like this only comes from a broken or hostile file).
bool safe_entry_name(const QString& name) {
  if (name.isEmpty() || name.startsWith('/') || name.startsWith('\\') || name.contains('\\')) return false;
  if (name.size() >= 2 && name[1] == ':') return false;  // C:...
  for (const QString& part : name.split('/'))
    if (part == "..") return false;
  return !name.contains(QChar(0));
}

struct ZipCloser {
  void operator()(zip_t* z) const { zip_discard(z); }
};

}  // namespace

bool read_zip(const QString& path, std::map<QString, QByteArray>* entries, QString* error) {
  const QByteArray native = QFile::encodeName(path);
  int code = 0;
  std::unique_ptr<zip_t, ZipCloser> zip(zip_open(native.constData(), ZIP_RDONLY | ZIP_CHECKCONS, &code));
  if (!zip) {
    // libzip's own text for "not a zip" says just that: adding it to ours
    // read "not a readable zip archive (Not a zip archive)".
    *error = code == ZIP_ER_NOZIP
                 ? QStringLiteral("%1: not a zip archive, as an OpenRaster project is").arg(path)
                 : QStringLiteral("%1: cannot read the zip archive: %2").arg(path, zip_error_text(code).toLower());
    return false;
  }
  const zip_int64_t count = zip_get_num_entries(zip.get(), 0);
  if (count < 0 || count > kMaxZipEntries) {
    *error = QStringLiteral("%1: %2 entries, more than the %3 allowed").arg(path).arg(count).arg(kMaxZipEntries);
    return false;
  }
  // First pass: names and declared sizes only, so nothing is inflated from a
  // file we are going to refuse.
  qint64 total = 0;
  std::vector<std::pair<zip_uint64_t, zip_uint64_t>> wanted;  // index, size
  for (zip_int64_t i = 0; i < count; ++i) {
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat_index(zip.get(), static_cast<zip_uint64_t>(i), 0, &st) != 0 || !(st.valid & ZIP_STAT_NAME) ||
        !(st.valid & ZIP_STAT_SIZE)) {
      *error = QStringLiteral("%1: entry %2 cannot be read (%3)")
                   .arg(path)
                   .arg(i)
                   .arg(QString::fromUtf8(zip_strerror(zip.get())));
      return false;
    }
    const QString name = QString::fromUtf8(st.name);
    if (!safe_entry_name(name)) {
      *error = QStringLiteral("%1: entry name '%2' is not allowed (absolute or leaves the archive)").arg(path, name);
      return false;
    }
    if (name.endsWith('/')) continue;  // a directory
    if (st.size > static_cast<zip_uint64_t>(kMaxZipEntryBytes)) {
      *error = QStringLiteral("%1: entry '%2' declares %3 bytes uncompressed, more than the %4 allowed")
                   .arg(path, name)
                   .arg(st.size)
                   .arg(kMaxZipEntryBytes);
      return false;
    }
    total += static_cast<qint64>(st.size);
    if (total > kMaxZipTotalBytes) {
      *error = QStringLiteral("%1: entries declare more than %2 bytes uncompressed in total")
                   .arg(path)
                   .arg(kMaxZipTotalBytes);
      return false;
    }
    wanted.emplace_back(static_cast<zip_uint64_t>(i), st.size);
  }
  std::map<QString, QByteArray> result;
  for (const auto& [index, size] : wanted) {
    const QString name = QString::fromUtf8(zip_get_name(zip.get(), index, 0));
    zip_file_t* file = zip_fopen_index(zip.get(), index, 0);
    if (!file) {
      *error = QStringLiteral("%1: entry '%2' cannot be opened (%3)")
                   .arg(path, name, QString::fromUtf8(zip_strerror(zip.get())));
      return false;
    }
    QByteArray data(static_cast<qsizetype>(size), Qt::Uninitialized);
    zip_int64_t got = size ? zip_fread(file, data.data(), size) : 0;
    char extra = 0;
    // One more read hits the end of the entry, where libzip checks the CRC.
    const zip_int64_t more = (got == static_cast<zip_int64_t>(size)) ? zip_fread(file, &extra, 1) : 0;
    const QString why = QString::fromUtf8(zip_file_strerror(file));
    zip_fclose(file);
    if (got != static_cast<zip_int64_t>(size) || more != 0) {
      *error = QStringLiteral("%1: entry '%2' is damaged or truncated (%3)").arg(path, name, why);
      return false;
    }
    result[name] = std::move(data);
  }
  *entries = std::move(result);
  return true;
}

bool write_zip(const QString& path, const std::vector<ZipEntry>& entries, QString* error) {
  const QByteArray native = QFile::encodeName(path);
  int code = 0;
  zip_t* zip = zip_open(native.constData(), ZIP_CREATE | ZIP_TRUNCATE, &code);
  if (!zip) {
    *error = QStringLiteral("%1: cannot create the archive (%2)").arg(path, zip_error_text(code));
    return false;
  }
  for (const ZipEntry& entry : entries) {
    // The buffer is only read at zip_close; `entries` outlives that.
    zip_source_t* source =
        zip_source_buffer(zip, entry.data.constData(), static_cast<zip_uint64_t>(entry.data.size()), 0);
    const QByteArray name = entry.name.toUtf8();
    const zip_int64_t index =
        source ? zip_file_add(zip, name.constData(), source, ZIP_FL_ENC_UTF_8 | ZIP_FL_OVERWRITE) : -1;
    if (index < 0 || zip_set_file_compression(zip, static_cast<zip_uint64_t>(index),
                                              entry.stored ? ZIP_CM_STORE : ZIP_CM_DEFLATE, 0) != 0) {
      if (source && index < 0) zip_source_free(source);
      *error = QStringLiteral("%1: cannot add '%2' (%3)").arg(path, entry.name, QString::fromUtf8(zip_strerror(zip)));
      zip_discard(zip);
      return false;
    }
  }
  if (zip_close(zip) != 0) {
    *error = QStringLiteral("%1: cannot write the archive (%2)").arg(path, QString::fromUtf8(zip_strerror(zip)));
    zip_discard(zip);
    return false;
  }
  return true;
}

namespace {

// Creates <path>.tmp-XXXXXX exclusively. Not mkstemp: that makes every file
// 0600; created with 0666 the kernel applies the umask, so the temporary
// file's mode is the one a new file of the user's gets.
int create_temporary(const QByteArray& path, QByteArray* temp) {
  static const char kChars[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  for (int attempt = 0; attempt < 100; ++attempt) {
    QByteArray name = path + ".tmp-";
    for (int i = 0; i < 6; ++i) name += kChars[QRandomGenerator::global()->bounded(int(sizeof kChars) - 1)];
    const int fd = ::open(name.constData(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd >= 0 || errno != EEXIST) {
      *temp = name;
      return fd;
    }
  }
  errno = EEXIST;
  return -1;
}

// The mode the written file gets (FileAccess); `fd` is the fresh temporary file.
mode_t wanted_mode(const QByteArray& path, int fd, FileAccess access) {
  if (access == FileAccess::Private) return 0600;
  struct stat st {};
  if (::stat(path.constData(), &st) == 0) return st.st_mode & 07777;  // replacing: keep its mode
  if (::fstat(fd, &st) == 0) return st.st_mode & 07777;               // new: 0666 less the umask
  return 0600;
}

}  // namespace

bool atomic_replace(const QString& path, const std::function<bool(const QString&, QString*)>& write, QString* error,
                    FileAccess access) {
  const QByteArray native = QFile::encodeName(path);
  QByteArray templ;
  const int fd = create_temporary(native, &templ);
  if (fd < 0) {
    *error = QStringLiteral("%1: cannot create a temporary file beside it (%2)")
                 .arg(path, QString::fromLocal8Bit(std::strerror(errno)));
    return false;
  }
  const mode_t mode = wanted_mode(native, fd, access);
  // Owner-only while half written, whatever the file ends up as.
  ::fchmod(fd, 0600);
  ::close(fd);
  const QString temp = QFile::decodeName(templ);
  auto fail = [&](const QString& why) {
    ::unlink(templ.constData());
    *error = why;
    return false;
  };
  QString why;
  if (!write(temp, &why)) return fail(why);
  // After writing: a writer may replace the file (libzip commits through a
  // file of its own), so the mode is set on what will be renamed.
  if (::chmod(templ.constData(), mode) != 0)
    return fail(QStringLiteral("%1: cannot set the permissions of the temporary file (%2)")
                    .arg(path, QString::fromLocal8Bit(std::strerror(errno))));
  // Data must be on disk before the rename makes it the project, or a crash
  // could leave an empty file where the old project was.
  const int sync_fd = ::open(templ.constData(), O_RDONLY);
  if (sync_fd < 0 || ::fsync(sync_fd) != 0) {
    const QString text = QString::fromLocal8Bit(std::strerror(errno));
    if (sync_fd >= 0) ::close(sync_fd);
    return fail(QStringLiteral("%1: cannot flush the temporary file (%2)").arg(path, text));
  }
  ::close(sync_fd);
  if (::rename(templ.constData(), native.constData()) != 0)
    return fail(
        QStringLiteral("%1: cannot replace the file (%2)").arg(path, QString::fromLocal8Bit(std::strerror(errno))));
  // The directory entry too, so the rename itself survives a crash.
  const int dir_fd = ::open(QFile::encodeName(QFileInfo(path).absolutePath()).constData(), O_RDONLY);
  if (dir_fd >= 0) {
    ::fsync(dir_fd);
    ::close(dir_fd);
  }
  return true;
}

}  // namespace semdraw::doc
