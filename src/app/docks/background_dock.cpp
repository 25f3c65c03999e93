#include "app/docks/background_dock.h"

#include <QCheckBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPainter>
#include <QPushButton>
#include <QScrollArea>
#include <QUndoStack>
#include <algorithm>
#include <cstdlib>

#include "app/commands/edit_context.h"
#include "app/commands/settings_commands.h"
#include "app/commands/typed_text.h"
#include "app/docks/generation_presets.h"
#include "app/docks/scrolling_panel.h"
#include "doc/image_io.h"

namespace semdraw::app {

namespace {
constexpr int kThumbnailSide = 120;

// `image` scaled to cover `size` with its aspect kept, centred, overflow cropped.
QImage cover(const QImage& image, QSize size) {
  const QImage scaled = image.scaled(size, Qt::KeepAspectRatioByExpanding, Qt::SmoothTransformation);
  const QPoint offset((scaled.width() - size.width()) / 2, (scaled.height() - size.height()) / 2);
  return scaled.copy(QRect(offset, size)).convertToFormat(QImage::Format_RGB888);
}
}  // namespace

BackgroundDock::BackgroundDock(EditContext* context, QWidget* parent)
    : QDockWidget(tr("Background"), parent), context_(context) {
  setObjectName("BackgroundDock");
  auto* body = new QWidget(this);
  thumbnail_ = new QLabel(body);
  thumbnail_->setObjectName("BackgroundThumbnail");
  thumbnail_->setAlignment(Qt::AlignCenter);
  thumbnail_->setMinimumSize(kThumbnailSide, kThumbnailSide * 2 / 3);
  prompt_ = new QLineEdit(body);
  prompt_->setObjectName("BackgroundPrompt");
  prompt_->setToolTip(tr("What the background is (also where no region is painted)"));
  negative_ = new QLineEdit(body);
  negative_->setObjectName("BackgroundNegativePrompt");
  auto* load = new QPushButton(tr("Load image…"), body);
  load->setObjectName("LoadBackgroundButton");
  load->setToolTip(tr("Paint over a photo or artwork"));
  plain_white_ = new QPushButton(tr("Plain white"), body);
  plain_white_->setObjectName("PlainWhiteButton");
  match_canvas_ = new QCheckBox(tr("Canvas to image size"), body);
  match_canvas_->setObjectName("MatchCanvasToImage");
  match_canvas_->setToolTip(tr("Resize the canvas to the loaded image (multiples of 8) instead of cropping the image"));

  auto* buttons = new QHBoxLayout;
  buttons->addWidget(load);
  buttons->addWidget(plain_white_);
  auto* form = new QFormLayout(body);
  form->setContentsMargins(4, 4, 4, 4);
  form->addRow(thumbnail_);
  form->addRow(buttons);
  form->addRow(match_canvas_);
  form->addRow(tr("Prompt"), prompt_);
  form->addRow(tr("Negative"), negative_);
  setWidget(make_scrolling_panel(body, this));

  connect(load, &QPushButton::clicked, this, &BackgroundDock::choose_file);
  connect(plain_white_, &QPushButton::clicked, this, &BackgroundDock::set_plain_white);
  for (QLineEdit* field : {prompt_, negative_})
    commit_as_typed(
        field, this, [this] { edit_prompts(); }, &burst_);
  connect(context_, &EditContext::background_changed, this, &BackgroundDock::reload);
  reload();
}

void BackgroundDock::choose_file() {
  const QString path = QFileDialog::getOpenFileName(
      this, tr("Background image"), QString(),
      tr("Images (*.png *.jpg *.jpeg *.webp *.bmp *.gif *.tif *.tiff *.exr *.ppm *.pgm);;All files (*)"));
  if (!path.isEmpty()) load_background(path);
}

bool BackgroundDock::load_background(const QString& path) {
  QString message;
  const QImage image = doc::load_image(path, &message);
  if (image.isNull()) {
    emit error(tr("Could not load the background: %1").arg(message));
    return false;
  }
  const QSize canvas =
      match_canvas_->isChecked() ? canvas_size_for_image(image.size()) : context_->document()->canvas_size();
  BackgroundState after = BackgroundState::of(*context_->document());
  after.image = cover(image, canvas);
  // Another aspect ratio (beyond a pixel of rounding) loses a strip: say so.
  if (std::abs(image.width() * canvas.height() - image.height() * canvas.width()) >
      std::max(image.width(), image.height()))
    emit notice(tr("%1 is %2×%3: scaled to cover the %4×%5 canvas and centre-cropped.")
                    .arg(QFileInfo(path).fileName())
                    .arg(image.width())
                    .arg(image.height())
                    .arg(canvas.width())
                    .arg(canvas.height()));
  const QString text = tr("Background %1").arg(QFileInfo(path).fileName());
  if (canvas == context_->document()->canvas_size()) {
    context_->stack()->push(new SetBackgroundCommand(context_, std::move(after), text));
    return true;
  }
  auto* macro = new QUndoCommand(text);  // one undo step: canvas size, then the picture
  new ResizeCanvasCommand(context_, canvas, Qt::AlignCenter, macro);
  new SetBackgroundCommand(context_, std::move(after), text, macro);
  context_->stack()->push(macro);
  return true;
}

void BackgroundDock::set_plain_white() {
  if (context_->document()->background().isNull()) return;
  BackgroundState after = BackgroundState::of(*context_->document());
  after.image = QImage();
  context_->stack()->push(new SetBackgroundCommand(context_, std::move(after), tr("Plain white background")));
}

void BackgroundDock::edit_prompts() {
  BackgroundState after = BackgroundState::of(*context_->document());
  if (after.prompt == prompt_->text() && after.negative_prompt == negative_->text())
    return;  // editingFinished also fires on focus loss without a change
  const QString text =
      after.prompt != prompt_->text() ? tr("Change background prompt") : tr("Change background negative prompt");
  after.prompt = prompt_->text();
  after.negative_prompt = negative_->text();
  context_->stack()->push(new SetBackgroundCommand(context_, std::move(after), text, nullptr, burst_));
}

void BackgroundDock::reload() {
  const doc::Document& document = *context_->document();
  show_text(prompt_, document.background_prompt());
  show_text(negative_, document.background_negative_prompt());
  plain_white_->setEnabled(!document.background().isNull());
  // The canvas's shape, the picture (or white) inside a thin frame.
  const QSize shape = document.canvas_size().scaled(kThumbnailSide, kThumbnailSide, Qt::KeepAspectRatio);
  QPixmap pixmap(shape.expandedTo(QSize(1, 1)));
  pixmap.fill(Qt::white);
  QPainter painter(&pixmap);
  if (!document.background().isNull()) {
    painter.setRenderHint(QPainter::SmoothPixmapTransform);
    painter.drawImage(pixmap.rect(), document.background());
  }
  painter.setPen(QColor(90, 90, 96));
  painter.drawRect(pixmap.rect().adjusted(0, 0, -1, -1));
  painter.end();
  thumbnail_->setPixmap(pixmap);
  thumbnail_->setToolTip(
      document.background().isNull()
          ? tr("Plain white background")
          : tr("Background image, %1×%2").arg(document.background().width()).arg(document.background().height()));
}

}  // namespace semdraw::app
