#include "doc/zip_archive.h"

#include <zip.h>

#include <QFile>
#include <cstdio>
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

}  // namespace semdraw::doc
