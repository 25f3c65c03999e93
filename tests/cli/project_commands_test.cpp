// semdraw-cli on .ora projects: info (parsed back and checked against the
// document), render/stream of a project against the equivalent scene JSON
// (bitwise, tiny model), palette export -> import, and bad inputs through
// the built binary (exit codes, messages, files left untouched).
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <QTemporaryDir>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <map>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/project_files.h"
#include "cli/scene_file.h"
#include "doc/ora_reader.h"
#include "doc/ora_writer.h"
#include "doc/palette_json.h"
#include "doc/zip_archive.h"
#include "support/tiny_model.h"

namespace semdraw::cli {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

std::string slurp(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void spit(const fs::path& file, const std::string& bytes) {
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out << bytes;
}

int run_command(const std::string& name, const std::vector<std::string>& args) {
  for (const Command& command : commands())
    if (command.name == name) return command.run(args);
  ADD_FAILURE() << "no command " << name;
  return -1;
}

struct Process {
  int code = -1;
  std::string out, err;
};

// The built semdraw-cli, for what only a process shows: exit codes, stderr.
Process run_binary(const std::string& arguments, const fs::path& scratch) {
  const fs::path out = scratch / "stdout.txt", err = scratch / "stderr.txt";
  const std::string command =
      std::string(SEMDRAW_BINARY_DIR "/bin/semdraw-cli ") + arguments + " >" + out.string() + " 2>" + err.string();
  const int status = std::system(command.c_str());
  Process p;
  p.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  p.out = slurp(out);
  p.err = slurp(err);
  return p;
}

// A 64x64 project: a picture, three regions (one disabled, one half-painted),
// settings that differ from the defaults.
doc::Document sample_document() {
  doc::Document d(QSize(64, 64));
  QImage picture(64, 64, QImage::Format_RGB888);
  for (int y = 0; y < 64; ++y)
    for (int x = 0; x < 64; ++x) picture.setPixelColor(x, y, QColor(x * 4, y * 4, (x + y) % 256));
  d.set_background(picture);
  d.set_background_prompt("a quiet harbour");
  d.set_background_negative_prompt("fog");
  d.set_model_reference("tiny-seed7");
  d.settings().seed = 1234;
  d.settings().mask_mode = MaskMode::SemiContinuous;
  d.settings().step_indices = {0, 20, 40};
  doc::Region& sky = d.add_region("sky", "a blue sky");
  for (int y = 0; y < 24; ++y) std::fill_n(sky.mask.scanLine(y), 64, uchar(255));
  doc::Region& boat = d.add_region("boat", "a red boat");
  boat.negative_prompt = "sails";
  boat.prompt_strength = 0.75;
  boat.blur_sigma = 3.0;
  for (int y = 40; y < 52; ++y) std::fill_n(boat.mask.scanLine(y) + 10, 20, uchar(128));
  doc::Region& sun = d.add_region("sun", "the sun");
  sun.enabled = false;
  sun.mask.scanLine(5)[50] = 255;
  return d;
}

class ProjectCommands : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(dir_.isValid());
    project_ = path("project.ora");
    QString error;
    ASSERT_TRUE(doc::save_ora(sample_document(), QString::fromStdString(project_.string()), &error))
        << error.toStdString();
  }
  fs::path path(const std::string& name) const { return fs::path(dir_.path().toStdString()) / name; }
  static doc::Document open(const fs::path& file) {
    doc::Document d;
    QString error;
    EXPECT_TRUE(doc::open_ora(QString::fromStdString(file.string()), &d, &error)) << error.toStdString();
    return d;
  }
  // Writes the scene JSON a user would write for sample_document(), with
  // netpbm masks and background, independent of the document library.
  fs::path write_equivalent_scene() const {
    const doc::Document d = sample_document();
    json regions = json::array();
    for (size_t i = 0; i < d.regions().size(); ++i) {
      const doc::Region& r = d.regions()[i];
      std::string pgm = "P5\n64 64\n255\n";
      for (int y = 0; y < 64; ++y) pgm.append(reinterpret_cast<const char*>(r.mask.constScanLine(y)), 64);
      const std::string name = "mask" + std::to_string(i) + ".pgm";
      spit(path(name), pgm);
      regions.push_back({{"prompt", r.prompt.toStdString()},
                         {"negative_prompt", r.negative_prompt.toStdString()},
                         {"mask", name},
                         {"prompt_strength", r.prompt_strength},
                         {"mask_strength", r.mask_strength},
                         {"blur_sigma", r.blur_sigma},
                         {"enabled", r.enabled}});
    }
    std::string ppm = "P6\n64 64\n255\n";
    for (int y = 0; y < 64; ++y) ppm.append(reinterpret_cast<const char*>(d.background().constScanLine(y)), 64 * 3);
    spit(path("background.ppm"), ppm);
    const json scene{
        {"version", 1},
        {"width", 64},
        {"height", 64},
        {"background", {{"image", "background.ppm"}, {"prompt", "a quiet harbour"}, {"negative_prompt", "fog"}}},
        {"regions", regions},
        {"settings", settings_to_json(d.settings())}};
    spit(path("scene.json"), scene.dump(2));
    return path("scene.json");
  }

  QTemporaryDir dir_;
  fs::path project_;
};

TEST_F(ProjectCommands, InfoParsedBackMatchesTheDocument) {
  const doc::Document d = sample_document();
  const json info = json::parse(project_info(project_).dump());  // through text, as a script sees it
  EXPECT_EQ(info.at("width"), 64);
  EXPECT_EQ(info.at("height"), 64);
  EXPECT_EQ(info.at("semdraw_project"), true);
  EXPECT_EQ(info.at("model"), "tiny-seed7");
  EXPECT_EQ(info.at("background").at("prompt"), "a quiet harbour");
  EXPECT_EQ(info.at("background").at("negative_prompt"), "fog");
  EXPECT_EQ(info.at("background").at("image_size").at("width"), 64);
  EXPECT_EQ(info.at("settings").at("seed").get<uint64_t>(), 1234u);
  EXPECT_EQ(info.at("settings").at("mask_mode"), "semi-continuous");
  EXPECT_EQ(info.at("settings").at("step_indices"), json({0, 20, 40}));
  ASSERT_EQ(info.at("regions").size(), 3u);
  const json& boat = info.at("regions")[1];  // bottom to top, as in the document
  EXPECT_EQ(boat.at("index"), 1);
  EXPECT_EQ(boat.at("name"), "boat");
  EXPECT_EQ(boat.at("prompt"), "a red boat");
  EXPECT_EQ(boat.at("negative_prompt"), "sails");
  EXPECT_EQ(boat.at("colour"), d.regions()[1].colour.name(QColor::HexArgb).toStdString());
  EXPECT_DOUBLE_EQ(boat.at("prompt_strength").get<double>(), 0.75);
  EXPECT_DOUBLE_EQ(boat.at("blur_sigma").get<double>(), 3.0);
  EXPECT_EQ(boat.at("mask_stats").at("painted_pixels"), 20 * 12);
  EXPECT_NEAR(boat.at("mask_stats").at("sum").get<double>(), 240 * 128 / 255.0, 1e-9);
  EXPECT_EQ(boat.at("mask_stats").at("bbox"), json({{"x", 10}, {"y", 40}, {"width", 20}, {"height", 12}}));
  EXPECT_EQ(info.at("regions")[0].at("mask_stats").at("painted_pixels"), 64 * 24);
  EXPECT_EQ(info.at("regions")[2].at("enabled"), false);
  EXPECT_EQ(info.at("regions")[2].at("mask_stats").at("bbox"),
            json({{"x", 50}, {"y", 5}, {"width", 1}, {"height", 1}}));
  EXPECT_FALSE(info.at("regions")[0].contains("mask"));  // only with --extract

  // The binary prints the same document.
  const Process p = run_binary("info " + project_.string() + " --compact", path(""));
  ASSERT_EQ(p.code, 0) << p.err;
  EXPECT_EQ(json::parse(p.out), info);
}

TEST_F(ProjectCommands, ExtractedSceneReadsBackAsTheSameScene) {
  const json info = project_info(project_, path("extracted"));
  EXPECT_EQ(info.at("regions")[1].at("mask"), "region-01.png");
  const Scene from_ora = read_project_scene(project_);
  const Scene from_json = read_scene_file(path("extracted") / "scene.json");
  ASSERT_EQ(from_json.regions.size(), from_ora.regions.size());
  for (size_t i = 0; i < from_ora.regions.size(); ++i) {
    EXPECT_EQ(from_json.regions[i].prompt, from_ora.regions[i].prompt);
    EXPECT_EQ(from_json.regions[i].enabled, from_ora.regions[i].enabled);
    EXPECT_EQ(from_json.regions[i].mask.values, from_ora.regions[i].mask.values) << "region " << i;
  }
  EXPECT_EQ(from_json.background.image.pixels, from_ora.background.image.pixels);
  EXPECT_EQ(from_json.settings.seed, from_ora.settings.seed);
  EXPECT_EQ(from_json.settings.step_indices, from_ora.settings.step_indices);
  EXPECT_EQ(from_json.settings.mask_mode, from_ora.settings.mask_mode);
}

TEST_F(ProjectCommands, RenderOfTheProjectEqualsRenderOfTheSceneJsonBitwise) {
  const fs::path scene = write_equivalent_scene();
  const std::string model = test::tiny_model_dir().string();
  auto render = [&](const fs::path& input, const std::string& out, std::vector<std::string> extra) {
    std::vector<std::string> args{input.string(), "--model", model, "--device", "cpu", "-o", path(out).string()};
    args.insert(args.end(), extra.begin(), extra.end());
    EXPECT_EQ(run_command("render", args), 0);
    return slurp(path(out));
  };
  // --seed overrides the project's seed as it does the scene's.
  const std::string ora = render(project_, "ora.ppm", {"--seed", "99"});
  const std::string scene_json = render(scene, "scene.ppm", {"--seed", "99"});
  ASSERT_GT(ora.size(), 64u * 64u * 3u);
  EXPECT_TRUE(ora == scene_json) << "the .ora and the equivalent scene JSON render differently";
  EXPECT_FALSE(render(project_, "own-seed.ppm", {}) == ora) << "--seed had no effect";

  // The stream too: two frames each, same bytes.
  for (const auto& [input, out] : {std::pair{project_, "frames-ora"}, std::pair{scene, "frames-scene"}})
    ASSERT_EQ(run_command("stream", {input.string(), "--model", model, "--device", "cpu", "--frames", "2", "--out",
                                     path(out).string()}),
              0);
  for (const char* frame : {"frame-0001.png", "frame-0002.png"}) {
    ASSERT_TRUE(fs::exists(path("frames-ora") / frame));
    EXPECT_TRUE(slurp(path("frames-ora") / frame) == slurp(path("frames-scene") / frame)) << frame;
  }
}

TEST_F(ProjectCommands, PaletteExportImportRoundTrip) {
  for (const std::string format : {"semdraw", "webdemo"}) {
    SCOPED_TRACE(format);
    const fs::path palette = path("palette-" + format + ".json");
    ASSERT_EQ(run_command("export-palette", {project_.string(), "-o", palette.string(), "--format", format}), 0);
    // Into an empty project: every entry becomes a region with an empty mask.
    const fs::path empty = path("empty-" + format + ".ora");
    QString error;
    ASSERT_TRUE(doc::save_ora(doc::Document(QSize(32, 32)), QString::fromStdString(empty.string()), &error));
    const json result = import_palette(empty, palette, empty, ImportMode::Merge);
    EXPECT_EQ(result.at("added"), 3);
    EXPECT_EQ(result.at("updated"), 0);
    const doc::Document imported = open(empty);
    const doc::Document original = sample_document();
    EXPECT_EQ(imported.background_prompt(), "a quiet harbour");
    EXPECT_EQ(imported.background_negative_prompt(), "fog");
    EXPECT_EQ(imported.seed(), 1234u);
    ASSERT_EQ(imported.regions().size(), 3u);
    for (size_t i = 0; i < 3; ++i) {
      const doc::Region &a = imported.regions()[i], &b = original.regions()[i];
      EXPECT_EQ(a.name, b.name);
      EXPECT_EQ(a.prompt, b.prompt);
      EXPECT_EQ(a.negative_prompt, b.negative_prompt);
      EXPECT_EQ(a.prompt_strength, b.prompt_strength);
      EXPECT_EQ(a.mask_strength, b.mask_strength);
      EXPECT_EQ(a.blur_sigma, b.blur_sigma);
      if (format == "semdraw") {  // the web demo's format has no colours and no enabled flag
        EXPECT_EQ(a.colour, b.colour);
        EXPECT_EQ(a.enabled, b.enabled);
      }
      EXPECT_EQ(a.mask.size(), QSize(32, 32));
    }
  }
}

TEST_F(ProjectCommands, ImportMergesByNameAndKeepsMasks) {
  // A palette that renames the boat's prompt and adds a gull.
  const json palette{{"format", "semdraw-palette"},
                     {"version", 1},
                     {"seed", "18446744073709551615"},
                     {"background", {{"prompt", "a stormy harbour"}}},
                     {"regions",
                      {{{"name", "boat"}, {"prompt", "a green boat"}, {"colour", "#ff00ff00"}},
                       {{"name", "gull"}, {"prompt", "a gull"}}}}};
  spit(path("palette.json"), palette.dump());
  const std::string before = slurp(project_);
  ASSERT_EQ(run_command("import-palette",
                        {project_.string(), path("palette.json").string(), "-o", path("merged.ora").string()}),
            0);
  EXPECT_TRUE(slurp(project_) == before) << "-o must leave the input alone";
  const doc::Document d = open(path("merged.ora"));
  ASSERT_EQ(d.regions().size(), 4u);
  EXPECT_EQ(d.background_prompt(), "a stormy harbour");
  EXPECT_EQ(d.seed(), 18446744073709551615u);
  EXPECT_EQ(d.regions()[1].prompt, "a green boat");
  EXPECT_EQ(d.regions()[1].colour, QColor(0, 255, 0));
  EXPECT_EQ(d.regions()[1].mask, sample_document().regions()[1].mask);  // the painting is kept
  EXPECT_EQ(d.regions()[3].prompt, "a gull");

  // --add: no merging, and without -o the project itself is rewritten.
  ASSERT_EQ(run_command("import-palette", {project_.string(), path("palette.json").string(), "--add"}), 0);
  EXPECT_EQ(open(project_).regions().size(), 5u);
}

class BadInputs : public ProjectCommands {
 protected:
  // Runs the binary and expects failure naming `file` and containing `what`.
  void expect_error(const std::string& arguments, const fs::path& file, const std::string& what) {
    const Process p = run_binary(arguments, path(""));
    EXPECT_NE(p.code, 0) << arguments;
    EXPECT_NE(p.err.find(file.filename().string()), std::string::npos) << p.err;
    EXPECT_NE(p.err.find(what), std::string::npos) << "wanted '" << what << "' in: " << p.err;
    EXPECT_TRUE(p.out.empty()) << p.out;
  }
  // Every file in the scratch folder, by name, with its bytes.
  std::map<std::string, std::string> snapshot() const {
    std::map<std::string, std::string> files;
    for (const auto& entry : fs::directory_iterator(path("")))
      if (entry.path().filename().string().rfind("std", 0) != 0) files[entry.path().filename()] = slurp(entry.path());
    return files;
  }
};

TEST_F(BadInputs, ClearErrorsNonZeroExitAndFilesUntouched) {
  spit(path("text.ora"), "this is not a zip");
  spit(path("broken.json"), "{\"format\": \"semdraw-palette\", \"version\": 1, \"regions\": [");
  spit(path("wrongtype.json"), R"({"prompts": ["bg", "a"], "mask_stds": [0, "wide"]})");
  spit(path("newer.json"), R"({"format": "semdraw-palette", "version": 99, "regions": []})");
  const std::string p = project_.string();
  const auto before = snapshot();

  expect_error("info " + path("missing.ora").string(), "missing.ora", "no such file");
  expect_error("info " + path("text.ora").string(), "text.ora", "zip");
  expect_error("render " + path("text.ora").string() + " -o " + path("x.png").string(), "text.ora", "zip");
  expect_error("import-palette " + p + " " + path("missing.json").string(), "missing.json", "no such file");
  expect_error("import-palette " + p + " " + path("broken.json").string(), "broken.json", "not a JSON object");
  expect_error("import-palette " + p + " " + path("wrongtype.json").string(), "wrongtype.json", "'mask_stds'[1]");
  expect_error("import-palette " + p + " " + path("newer.json").string() + " -o " + path("out.ora").string(),
               "newer.json", "version 99");
  expect_error("import-palette " + path("text.ora").string() + " " + path("newer.json").string(), "text.ora", "zip");
  expect_error("export-palette " + path("text.ora").string() + " -o " + path("pal.json").string(), "text.ora", "zip");
  EXPECT_EQ(snapshot(), before) << "a failed command changed or left files";

  // Arguments: non-zero and a message too.
  EXPECT_EQ(run_binary("info", path("")).code, 1);
  EXPECT_EQ(run_binary("export-palette " + p + " -o x.json --format gimp", path("")).code, 1);
  EXPECT_EQ(run_binary("no-such-command", path("")).code, 2);
}

TEST_F(BadInputs, TooManyRegionsAfterImportIsRefusedBeforeWriting) {
  json regions = json::array();
  for (int i = 0; i < kMaxRegions - 2; ++i) regions.push_back({{"name", "r" + std::to_string(i)}});
  spit(path("many.json"), json{{"format", "semdraw-palette"}, {"version", 1}, {"regions", regions}}.dump());
  const auto before = snapshot();
  expect_error("import-palette " + project_.string() + " " + path("many.json").string() + " --add", "many.json",
               "more than the 64");
  // A palette with more regions than the engine takes is refused on reading.
  for (int i = 0; i < 8; ++i) regions.push_back({{"name", "more" + std::to_string(i)}});
  spit(path("too-many.json"), json{{"format", "semdraw-palette"}, {"version", 1}, {"regions", regions}}.dump());
  const auto with_it = snapshot();
  expect_error("import-palette " + project_.string() + " " + path("too-many.json").string(), "too-many.json",
               "70 regions, more than the 64");
  EXPECT_EQ(snapshot(), with_it);
  EXPECT_EQ(with_it.size(), before.size() + 1);
}

// Rewrites one entry of a project's zip (test fixture for damaged projects).
void rewrite_entry(const fs::path& ora, const QString& name, const std::function<QByteArray(QByteArray)>& edit) {
  std::map<QString, QByteArray> entries;
  QString error;
  ASSERT_TRUE(doc::read_zip(QString::fromStdString(ora.string()), &entries, &error)) << error.toStdString();
  std::vector<doc::ZipEntry> zip{{"mimetype", entries["mimetype"], true}};
  for (const auto& [entry, data] : entries)
    if (entry != "mimetype" && !(entry == name && !edit)) zip.push_back({entry, entry == name ? edit(data) : data});
  fs::remove(ora);
  ASSERT_TRUE(doc::write_zip(QString::fromStdString(ora.string()), zip, &error)) << error.toStdString();
}

TEST_F(BadInputs, AFieldOfTheProjectJsonIsNamed) {
  rewrite_entry(project_, doc::kProjectJsonEntry, [](QByteArray json) {
    return json.replace("\"prompt_strength\": 0.75", "\"prompt_strength\": \"strong\"");
  });
  expect_error("info " + project_.string(), "project.ora", "region 1: field 'prompt_strength' must be a finite number");
  expect_error("render " + project_.string() + " -o " + path("x.png").string(), "project.ora", "prompt_strength");
}

TEST_F(ProjectCommands, InfoOfAnOraFromAnotherProgram) {
  rewrite_entry(project_, doc::kProjectJsonEntry, nullptr);  // drop our JSON: layers become regions
  const json info = project_info(project_);
  EXPECT_EQ(info.at("semdraw_project"), false);
  EXPECT_EQ(info.at("width"), 64);
  ASSERT_FALSE(info.at("regions").empty());
  // Region layers carry the mask as alpha, so the painting survives.
  bool found_boat = false;
  for (const json& region : info.at("regions"))
    if (region.at("prompt") == "a red boat") {
      found_boat = true;
      EXPECT_EQ(region.at("mask_stats").at("painted_pixels"), 240);
    }
  EXPECT_TRUE(found_boat) << info.dump(2);
}

TEST(CliHelp, ListsTheProjectCommands) {
  QTemporaryDir dir;
  const Process p = run_binary("--help", dir.path().toStdString());
  EXPECT_EQ(p.code, 0);
  for (const char* name : {"info", "export-palette", "import-palette", "render", "stream"})
    EXPECT_NE(p.out.find(std::string("  ") + name + " "), std::string::npos) << name << " missing from:\n" << p.out;
  for (const char* name : {"info", "export-palette", "import-palette"})
    EXPECT_EQ(run_binary(std::string(name) + " --help", dir.path().toStdString()).code, 0) << name;
}

TEST(ProjectFileDetection, ByExtensionOrZipMagic) {
  QTemporaryDir dir;
  const fs::path base = dir.path().toStdString();
  EXPECT_TRUE(is_project_file(base / "missing.ORA"));
  EXPECT_FALSE(is_project_file(base / "missing.json"));
  spit(base / "renamed.json", std::string("PK\x03\x04rest", 8));
  EXPECT_TRUE(is_project_file(base / "renamed.json"));
  spit(base / "scene.json", "{}");
  EXPECT_FALSE(is_project_file(base / "scene.json"));
}

}  // namespace
}  // namespace semdraw::cli
