// Widget tests on Qt's offscreen platform: no display needed.
#include <gtest/gtest.h>

#include <QApplication>
#include <cstdlib>

#include "support/qt_test_settings.h"

int main(int argc, char** argv) {
  testing::InitGoogleTest(&argc, argv);
  setenv("QT_QPA_PLATFORM", "offscreen", 1);
  QApplication app(argc, argv);
  semdraw::test::isolate_qt_settings();
  return RUN_ALL_TESTS();
}
