// Integer options are parsed strictly: a value that does not fit, a fraction or
// trailing text is refused with the option's name, never truncated or wrapped
// (before, --width 4294967360 rendered 64 pixels wide and --steps 4294967300
// ran 4 steps).
#include "cli/args.h"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

namespace semdraw::cli {
namespace {

Args with(const std::string& name, const std::string& value) { return Args({"--" + name, value}, {name}); }

// The message of what `parse` throws ("" when it throws nothing).
template <typename Parse>
std::string refusal(Parse parse) {
  try {
    parse();
  } catch (const std::runtime_error& error) {
    return error.what();
  }
  return "";
}

TEST(ArgsIntegers, ValuesThatDoNotFitAnIntAreRefusedNotWrapped) {
  const std::string message = refusal([] { with("width", "4294967360").int_option("width", 64, 1); });
  EXPECT_NE(message.find("--width"), std::string::npos) << message;
  EXPECT_NE(message.find("too large: '4294967360' (at most 2147483647)"), std::string::npos) << message;
  EXPECT_NE(refusal([] { with("steps", "4294967300").int_option("steps", 4, 1); }), "");
  EXPECT_NE(refusal([] { with("steps", "99999999999999999999999").int_option("steps", 4, 1); }), "");
  EXPECT_EQ(with("width", "2147483647").int_option("width", 64, 1), 2147483647);
}

TEST(ArgsIntegers, FractionsExponentsAndTrailingTextAreRefused) {
  for (const char* text : {"64.9", "1e3", "64px", " 64", "+64", "", "-"})
    EXPECT_NE(refusal([&] { with("width", text).int_option("width", 8, 1); }), "") << "'" << text << "'";
}

TEST(ArgsIntegers, TheRangeIsNamedWhenAValueLiesOutsideIt) {
  const std::string message = refusal([] { with("frames", "0").integer("frames", 0, 1); });
  EXPECT_NE(message.find("at least 1"), std::string::npos) << message;
  EXPECT_EQ(with("frames", "3").integer("frames", 0, 1), 3);
  EXPECT_EQ(Args({}, {"frames"}).integer("frames", 7, 1), 7) << "absent: the fallback";
}

TEST(ArgsSeeds, TheWholeUnsignedRangeAndNothingElse) {
  EXPECT_EQ(with("seed", "18446744073709551615").seed("seed", 1), 18446744073709551615ULL);
  EXPECT_EQ(with("seed", "0").seed("seed", 1), 0u);
  for (const char* text : {"18446744073709551616", "-1", "1e30", "3.5", "seven"}) {
    const std::string message = refusal([&] { with("seed", text).seed("seed", 1); });
    EXPECT_NE(message.find("--seed"), std::string::npos) << "'" << text << "': " << message;
  }
}

}  // namespace
}  // namespace semdraw::cli
