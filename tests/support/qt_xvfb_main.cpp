// Tests that need a real X server (xcb platform): screenshots, OpenGL.
#include <gtest/gtest.h>

#include <QApplication>
#include <cstdio>
#include <cstdlib>

#include "support/qt_test_settings.h"
#include "support/xvfb_server.h"

int main(int argc, char** argv) {
  testing::InitGoogleTest(&argc, argv);
  // Listing tests (ctest discovery) must not need a display.
  if (testing::GTEST_FLAG(list_tests)) return RUN_ALL_TESTS();
  semdraw::test::XvfbServer xvfb;
  if (!xvfb.start_if_needed()) {
    std::fprintf(stderr, "cannot start Xvfb: %s\n", xvfb.error().c_str());
    return 1;
  }
  setenv("QT_QPA_PLATFORM", "xcb", 1);
  int code = 0;
  {
    QApplication app(argc, argv);
    semdraw::test::isolate_qt_settings();
    code = RUN_ALL_TESTS();
  }
  return code;
}
