// Stopping Live and closing do not wait for the stream step in flight: on a
// CPU one step can take a minute, and the window would hang that long. With
// the tiny model a 384x384 step with 12 regions (a UNet batch of 60) takes
// about 11 s on two cores; the step must stop between two UNet layers instead.
#include <gtest/gtest.h>

#include <QElapsedTimer>
#include <QTest>
#include <cstdio>
#include <functional>
#include <memory>

#include "app/engine_bridge/engine_host.h"
#include "doc/document.h"
#include "support/qt_wait.h"
#include "support/tiny_model.h"

namespace semdraw::app {
namespace {

using semdraw::test::run_until;

std::unique_ptr<EngineHost> host_with_tiny_model() {
  auto host = std::make_unique<EngineHost>();
  EngineOptions options;
  options.model = semdraw::test::tiny_model_dir().string();
  options.device = DeviceChoice::Cpu;
  host->load_model(options);
  EXPECT_TRUE(run_until([&] { return host->has_model(); }, 120000)) << "tiny model did not load";
  return host;
}

doc::Document large_painted_document() {
  doc::Document document(QSize(384, 384));
  for (int i = 0; i < 12; ++i) document.add_region(QString("region %1").arg(i), "a red eagle").mask.fill(255);
  return document;
}

// Starts Live on a large canvas and returns once the first step is under way.
void start_a_long_step(EngineHost& host, int& frames) {
  QObject::connect(&host, &EngineHost::frame_ready, &host, [&frames] { ++frames; });
  host.submit(large_painted_document());
  host.set_live(true);
  QTest::qWait(600);  // the worker has taken the scene and is inside the UNet
  ASSERT_EQ(frames, 0) << "the step finished before it could be interrupted; the canvas is too small for this machine";
}

// The same long step run to its end, timed now on this machine under its
// present load: a fixed bound cannot tell waiting from a slow machine
// (ctest -j4 beside a build on two cores made interrupted paths take over 10 s).
qint64 time_a_full_step(EngineHost& host, int& frames) {
  frames = 0;
  QElapsedTimer clock;
  clock.start();
  host.submit(large_painted_document());
  host.set_live(true);
  EXPECT_TRUE(run_until([&] { return frames > 0; }, 300000)) << "no frame from the full step";
  const qint64 step_ms = clock.elapsed();
  host.set_live(false);
  return step_ms;
}

TEST(EngineInterrupt, ClosingDoesNotWaitForTheStreamStepInFlight) {
  auto host = host_with_tiny_model();
  int frames = 0;
  start_a_long_step(*host, frames);
  QElapsedTimer clock;
  clock.start();
  host.reset();  // what closing the window does
  const qint64 ms = clock.elapsed();
  auto timing_host = host_with_tiny_model();
  int timing_frames = 0;
  QObject::connect(timing_host.get(), &EngineHost::frame_ready, timing_host.get(),
                   [&timing_frames] { ++timing_frames; });
  const qint64 step_ms = time_a_full_step(*timing_host, timing_frames);
  std::printf("[ interrupt ] closing during a long CPU step took %lld ms; the whole step: %lld ms\n",
              static_cast<long long>(ms), static_cast<long long>(step_ms));
  // Idle: ~0.1 s against ~11 s; with other tests on both cores 3-6 s against
  // about twice the step. Waiting for the step would take all of it.
  EXPECT_LT(ms, step_ms / 2) << "closing waited for the step to finish";
}

TEST(EngineInterrupt, StoppingLiveInterruptsTheStepAndLiveCanStartAgain) {
  auto host = host_with_tiny_model();
  int frames = 0;
  start_a_long_step(*host, frames);
  bool errors = false;
  QObject::connect(host.get(), &EngineHost::failed, host.get(), [&errors] { errors = true; });
  host->set_live(false);
  // The worker is free again once the step is interrupted: a render request
  // queued behind it gets its turn quickly and can be cancelled in turn.
  QElapsedTimer clock;
  clock.start();
  bool cancelled = false;
  QObject::connect(host.get(), &EngineHost::render_cancelled, host.get(), [&cancelled] { cancelled = true; });
  host->generate(large_painted_document());
  QTest::qWait(300);
  host->cancel_render();
  ASSERT_TRUE(run_until([&] { return cancelled; }, 60000)) << "the render was never cancelled";
  const qint64 cancel_ms = clock.elapsed();
  EXPECT_EQ(frames, 0);
  EXPECT_FALSE(errors) << "an interrupt is not an error";

  const qint64 step_ms = time_a_full_step(*host, frames);
  std::printf(
      "[ interrupt ] stop Live + a render cancelled inside its first UNet call: %lld ms; "
      "the whole step: %lld ms\n",
      static_cast<long long>(cancel_ms), static_cast<long long>(step_ms));
  // Idle: ~2 s against ~11 s (most of it the render's set-up before its first
  // UNet call). Waiting for the interrupted step would take the whole step
  // and then the set-up: more than the step itself, so the step is the bound.
  // (6/10 of it failed once on a loaded ctest -j4 run on 2 cores: 15.3 s
  // against 24.0 s, the set-up slowed by the other tests.)
  EXPECT_LT(cancel_ms, step_ms) << "the worker waited for the interrupted step or the render's UNet call";
  frames = 0;

  // Live again, on a small canvas so a frame comes quickly: the stream goes on.
  doc::Document small(QSize(64, 64));
  small.add_region("eagle", "a red eagle").mask.fill(255);
  host->submit(small);
  host->set_live(true);
  EXPECT_TRUE(run_until([&] { return frames > 0; }, 60000)) << "no frame after Live started again";
  EXPECT_FALSE(errors);
}

}  // namespace
}  // namespace semdraw::app
