#pragma once
// The status bar's engine part: frames/s, latency, device, memory, and while
// a model loads or a render runs, its progress with a Cancel button.
#include <QWidget>

#include "app/engine_bridge/frame_rate_meter.h"
#include "app/engine_bridge/frame_stats.h"

class QLabel;
class QProgressBar;
class QToolButton;

namespace semdraw::app {

class EngineStatus : public QWidget {
  Q_OBJECT
 public:
  explicit EngineStatus(QWidget* parent = nullptr);

  void show_device(const QString& name, const QString& tooltip);
  void show_sampler(const QString& name, const QString& tooltip);
  void show_progress(const QString& stage, double fraction);
  void hide_progress();
  void add_frame(const FrameStats& stats);
  // "live 256×256 preview" when Live streams smaller than the canvas;
  // nothing when `live` is the canvas size.
  void show_live_size(QSize live, QSize canvas);
  void reset_rate();

  QLabel* rate_label() const { return rate_; }
  QLabel* latency_label() const { return latency_; }
  QLabel* live_size_label() const { return live_size_; }
  QLabel* device_label() const { return device_; }
  QLabel* sampler_label() const { return sampler_; }
  QLabel* memory_label() const { return memory_; }
  QToolButton* cancel_button() const { return cancel_; }
  double fps() const { return meter_.fps(); }

 signals:
  void cancel_requested();

 private:
  void refresh_memory();

  FrameRateMeter meter_;
  QLabel* rate_;
  QLabel* latency_;
  QLabel* live_size_;
  QLabel* device_;
  QLabel* sampler_;
  QLabel* memory_;
  QProgressBar* progress_;
  QToolButton* cancel_;
};

}  // namespace semdraw::app
