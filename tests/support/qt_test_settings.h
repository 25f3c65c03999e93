#pragma once
// App tests must never read or write the artist's real settings (remembered
// models, recent files): every test process gets its own empty settings and
// data folders.
#include <QCoreApplication>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>

namespace semdraw::test {

inline void isolate_qt_settings() {
  static QTemporaryDir dir;  // removed when the process ends
  QCoreApplication::setOrganizationName("SemanticDraw-tests");
  QCoreApplication::setApplicationName("SemanticDraw-tests");
  QSettings::setDefaultFormat(QSettings::IniFormat);
  QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, dir.path());
  QStandardPaths::setTestModeEnabled(true);
}

}  // namespace semdraw::test
