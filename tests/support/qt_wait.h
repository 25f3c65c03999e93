#pragma once
// Waiting in Qt tests without blocking the event loop.
#include <QElapsedTimer>
#include <QTest>
#include <functional>

namespace semdraw::test {

// Runs the event loop until done() or the timeout; returns done().
inline bool run_until(const std::function<bool()>& done, int timeout_ms) {
  QElapsedTimer clock;
  clock.start();
  while (!done() && clock.elapsed() < timeout_ms) QTest::qWait(5);
  return done();
}

}  // namespace semdraw::test
