#include "app/docks/history_strip.h"

#include <QLabel>
#include <QListWidget>
#include <QMenu>
#include <QPainter>
#include <QStackedLayout>
#include <cstdlib>

namespace semdraw::app {

namespace {

constexpr int kFrameRole = Qt::UserRole;
constexpr int kKeptRole = Qt::UserRole + 1;
constexpr int kThumb = 64;

QIcon thumbnail(const QImage& frame, bool kept) {
  QImage thumb =
      frame.scaled(kThumb, kThumb, Qt::KeepAspectRatio, Qt::SmoothTransformation).convertToFormat(QImage::Format_RGB32);
  if (kept) {  // a gold frame marks what will not roll off
    QPainter painter(&thumb);
    painter.setPen(QPen(QColor(230, 180, 40), 4));
    painter.drawRect(thumb.rect().adjusted(2, 2, -2, -2));
  }
  return QIcon(QPixmap::fromImage(thumb));
}

QImage comparison_image(const QImage& frame) {
  return frame
      .scaled(HistoryStrip::kCompareSide, HistoryStrip::kCompareSide, Qt::IgnoreAspectRatio, Qt::SmoothTransformation)
      .convertToFormat(QImage::Format_RGB888);
}

// Mean absolute difference per channel (0..255) of two equal-size RGB888 images.
double mean_absolute_difference(const QImage& a, const QImage& b) {
  const int row_bytes = a.width() * 3;
  long long sum = 0;
  for (int y = 0; y < a.height(); ++y) {
    const uchar* row_a = a.constScanLine(y);
    const uchar* row_b = b.constScanLine(y);
    for (int x = 0; x < row_bytes; ++x) sum += std::abs(int(row_a[x]) - int(row_b[x]));
  }
  return static_cast<double>(sum) / (static_cast<double>(row_bytes) * a.height());
}

}  // namespace

HistoryStrip::HistoryStrip(QWidget* parent) : QDockWidget(tr("History"), parent) {
  setObjectName("HistoryDock");
  list_ = new QListWidget(this);
  list_->setObjectName("HistoryList");
  list_->setViewMode(QListView::IconMode);
  list_->setFlow(QListView::LeftToRight);
  list_->setWrapping(false);
  list_->setIconSize(QSize(kThumb, kThumb));
  list_->setMovement(QListView::Static);
  list_->setFixedHeight(kThumb + 34);  // one row of thumbnails and their captions
  list_->setContextMenuPolicy(Qt::CustomContextMenu);
  list_->setToolTip(tr("Recent frames: click to bring one back, right-click to keep or save it"));
  // Until the first frame the strip says what it is for instead of being a
  // blank box; the same height, so nothing moves when frames arrive.
  empty_hint_ = new QLabel(
      tr("Frames from Live (one every few seconds, when the picture changed) and every Generate result appear here."),
      this);
  empty_hint_->setObjectName("HistoryEmptyHint");
  empty_hint_->setAlignment(Qt::AlignCenter);
  empty_hint_->setWordWrap(true);
  empty_hint_->setEnabled(false);  // greyed: a hint, not content
  empty_hint_->setFixedHeight(list_->height());
  auto* body = new QWidget(this);
  // As tall as one row of thumbnails, never more: the window's spare height
  // belongs to the canvas.
  body->setFixedHeight(list_->height());
  pages_ = new QStackedLayout(body);
  pages_->addWidget(empty_hint_);
  pages_->addWidget(list_);
  setWidget(body);
  connect(list_, &QListWidget::itemClicked, this,
          [this](QListWidgetItem* item) { emit frame_chosen(item->data(kFrameRole).value<QImage>()); });
  connect(list_, &QListWidget::customContextMenuRequested, this, &HistoryStrip::show_menu);
}

void HistoryStrip::add_frame(const QImage& frame, const FrameStats& stats, bool rendered) {
  const auto now = std::chrono::steady_clock::now();
  if (!rendered) {
    // A CPU stream or a settled one repeats the same picture; a strip full
    // of copies would push the renders off.
    if (!stats.settled && now - last_live_sample_ < kLiveSampleInterval) return;
    QImage small = comparison_image(frame);
    if (!last_live_small_.isNull() && mean_absolute_difference(small, last_live_small_) < kMinLiveChange) return;
    last_live_sample_ = now;
    last_live_small_ = std::move(small);
  }
  const QSize preview = stats.preview_size;
  const QString label = rendered            ? tr("render")
                        : preview.isEmpty() ? tr("live")
                                            : tr("preview %1×%2").arg(preview.width()).arg(preview.height());
  auto* item = new QListWidgetItem(thumbnail(frame, false), label);
  item->setData(kFrameRole, frame);
  item->setData(kKeptRole, false);
  QString tip = tr("Frame %1, %2 ms").arg(stats.frame_id).arg(qRound(stats.total_ms));
  if (!preview.isEmpty())
    tip += tr("; a live preview made at %1×%2 and scaled up: Generate renders the full size")
               .arg(preview.width())
               .arg(preview.height());
  item->setToolTip(tip);
  list_->insertItem(0, item);
  pages_->setCurrentWidget(list_);
  drop_oldest_unkept();
}

void HistoryStrip::drop_oldest_unkept() {
  int unkept = 0;
  for (int row = 0; row < list_->count(); ++row) unkept += is_kept(row) ? 0 : 1;
  for (int row = list_->count() - 1; row >= 0 && unkept > kMaxUnkept; --row) {
    if (is_kept(row)) continue;
    delete list_->takeItem(row);
    --unkept;
  }
}

int HistoryStrip::count() const { return list_->count(); }

QImage HistoryStrip::frame_at(int row) const { return list_->item(row)->data(kFrameRole).value<QImage>(); }

bool HistoryStrip::is_kept(int row) const { return list_->item(row)->data(kKeptRole).toBool(); }

void HistoryStrip::set_kept(int row, bool kept) {
  QListWidgetItem* item = list_->item(row);
  item->setData(kKeptRole, kept);
  item->setIcon(thumbnail(frame_at(row), kept));
  if (!kept) drop_oldest_unkept();
  emit kept_changed();
}

std::vector<doc::KeptFrame> HistoryStrip::kept_frames() const {
  std::vector<doc::KeptFrame> frames;
  for (int row = 0; row < count(); ++row)
    if (is_kept(row)) frames.push_back({frame_at(row), list_->item(row)->text(), list_->item(row)->toolTip()});
  return frames;
}

void HistoryStrip::set_kept_frames(const std::vector<doc::KeptFrame>& frames) {
  for (int row = count() - 1; row >= 0; --row)
    if (is_kept(row)) delete list_->takeItem(row);
  for (const doc::KeptFrame& frame : frames) {
    auto* item = new QListWidgetItem(thumbnail(frame.image, true), frame.label);
    item->setData(kFrameRole, frame.image);
    item->setData(kKeptRole, true);
    item->setToolTip(frame.stats);
    list_->addItem(item);
  }
  pages_->setCurrentWidget(count() > 0 ? static_cast<QWidget*>(list_) : empty_hint_);
}

void HistoryStrip::show_menu(const QPoint& pos) {
  QListWidgetItem* item = list_->itemAt(pos);
  if (!item) return;
  const int row = list_->row(item);
  QMenu menu(this);
  menu.addAction(is_kept(row) ? tr("Don't keep") : tr("Keep"), this, [this, row] { set_kept(row, !is_kept(row)); });
  menu.addAction(tr("Show on canvas"), this, [this, row] { emit frame_chosen(frame_at(row)); });
  menu.addAction(tr("Save as PNG…"), this, [this, row] { emit save_requested(frame_at(row)); });
  menu.exec(list_->viewport()->mapToGlobal(pos));
}

}  // namespace semdraw::app
