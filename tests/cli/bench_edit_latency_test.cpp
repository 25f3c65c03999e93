// `semdraw-cli bench --mode edit-latency` on the tiny model: the lines it
// prints are complete and consistent with what the settle-mode stream
// promises (an edit shows before or when the stream settles; settling takes
// at most T+1 frames; the settled frame repeats bitwise). No timings are
// asserted: the numbers only have to be there.
#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "cli/commands.h"
#include "support/tiny_model.h"

namespace semdraw::cli {
namespace {

using nlohmann::json;

int bench(const std::vector<std::string>& args) {
  const auto& table = commands();
  const auto found = std::find_if(table.begin(), table.end(), [](const Command& c) { return c.name == "bench"; });
  if (found == table.end()) throw std::logic_error("semdraw-cli has no bench command");
  return found->run(args);
}

// bench's exit code and what it printed; stdout is given back even when it
// throws, so the failure shows (the error names what went wrong).
std::pair<int, std::string> bench_output(const std::vector<std::string>& args) {
  testing::internal::CaptureStdout();
  try {
    const int code = bench(args);
    return {code, testing::internal::GetCapturedStdout()};
  } catch (const std::exception& error) {
    const std::string out = testing::internal::GetCapturedStdout();
    throw std::runtime_error(std::string(error.what()) + "\nafter printing:\n" + out);
  }
}

std::vector<json> json_lines(const std::string& text) {
  std::vector<json> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) lines.push_back(json::parse(line));
  return lines;
}

TEST(BenchEditLatency, PrintsFirstChangedAndSettledFramesPerEditKind) {
  const auto [code, out] =
      bench_output({"--model", test::tiny_model_dir().string(), "--device", "cpu", "--precision", "fp32", "--size",
                    "64", "--regions", "1,2", "--repeats", "3", "--mode", "edit-latency"});
  ASSERT_EQ(code, 0) << out;
  const std::vector<json> lines = json_lines(out);
  ASSERT_EQ(lines.size(), 5u) << "a load line, then 2 region counts x 2 edit kinds:\n" << out;
  EXPECT_EQ(lines[0]["bench"], "load");

  std::vector<std::string> seen;
  for (size_t i = 1; i < lines.size(); ++i) {
    const json& line = lines[i];
    SCOPED_TRACE(line.dump());
    ASSERT_EQ(line["bench"], "edit-latency");
    seen.push_back(std::to_string(line["regions"].get<int>()) + " " + line["edit"].get<std::string>());
    EXPECT_EQ(line["live_noise"], "settle");
    EXPECT_EQ(line["repeats"], 3);
    EXPECT_EQ(line["device"], "cpu");
    for (const char* field : {"first_changed_frames", "first_changed_ms", "settled_frames", "settled_ms", "frame_ms"})
      for (const char* statistic : {"_median", "_max"}) {
        const std::string name = std::string(field) + statistic;
        ASSERT_TRUE(line.contains(name) && line[name].is_number()) << name << " missing";
        EXPECT_GT(line[name].get<double>(), 0.0) << name;
      }
    const int steps = line["steps"].get<int>();
    ASSERT_GE(steps, 1);
    EXPECT_EQ(line["unchanged_edits"], 0) << "every edit must change the picture";
    EXPECT_LE(line["first_changed_frames_median"].get<double>(), line["settled_frames_median"].get<double>());
    EXPECT_LE(line["first_changed_frames_max"].get<double>(), line["settled_frames_max"].get<double>());
    EXPECT_LE(line["first_changed_ms_median"].get<double>(), line["settled_ms_median"].get<double>());
    EXPECT_LE(line["first_changed_ms_max"].get<double>(), line["settled_ms_max"].get<double>());
    EXPECT_LE(line["settled_frames_max"].get<double>(), steps + 1) << "settle mode promises T+1 frames at most";
    EXPECT_LE(line["frame_ms_median"].get<double>(), line["frame_ms_max"].get<double>());
    EXPECT_EQ(line["settled_frame_repeats"], true) << "the settled frame must come back bitwise";
  }
  EXPECT_EQ(seen, (std::vector<std::string>{"1 mask stroke", "1 prompt change", "2 mask stroke", "2 prompt change"}));
}

TEST(BenchEditLatency, AnUnknownModeIsAnErrorNamingTheOption) {
  try {
    bench({"--model", test::tiny_model_dir().string(), "--mode", "latency"});
    FAIL() << "no error for --mode latency";
  } catch (const std::runtime_error& error) {
    EXPECT_NE(std::string(error.what()).find("--mode"), std::string::npos) << error.what();
    EXPECT_NE(std::string(error.what()).find("edit-latency"), std::string::npos) << error.what();
  }
}

}  // namespace
}  // namespace semdraw::cli
