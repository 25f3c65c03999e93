#pragma once
// The history strip: thumbnails of recent frames (every Generate result, and
// a live frame every few seconds), newest first. Any frame can be kept
// (kept frames never roll off), brought back onto the canvas, or saved.
#include <QDockWidget>
#include <QImage>
#include <chrono>

#include "app/frame_stats.h"

class QLabel;
class QListWidget;
class QStackedLayout;
class QListWidgetItem;

namespace semdraw::app {

class HistoryStrip : public QDockWidget {
  Q_OBJECT
 public:
  static constexpr int kMaxUnkept = 24;
  static constexpr std::chrono::milliseconds kLiveSampleInterval{3000};

  explicit HistoryStrip(QWidget* parent = nullptr);

  // Renders are always added; live frames at most once per kLiveSampleInterval.
  void add_frame(const QImage& frame, const FrameStats& stats, bool rendered);
  int count() const;
  QImage frame_at(int row) const;
  bool is_kept(int row) const;
  void set_kept(int row, bool kept);
  QListWidget* list() const { return list_; }

 signals:
  // The artist picked a frame to bring back onto the canvas.
  void frame_chosen(const QImage& frame);
  void save_requested(const QImage& frame);

 private:
  void show_menu(const QPoint& pos);
  void drop_oldest_unkept();

  QListWidget* list_;
  QLabel* empty_hint_;
  QStackedLayout* pages_;
  std::chrono::steady_clock::time_point last_live_sample_{};
};

}  // namespace semdraw::app
