#include "core/subprocess.h"

#include <gtest/gtest.h>

#include <string>

namespace cairn::subprocess {
namespace {

TEST(Subprocess, FeedsStdinAndCapturesStdout) {
  Options options;
  options.stdin_bytes = "hello\nworld";
  auto ran = run("cat", {}, options);
  ASSERT_TRUE(ran) << ran.error().message;
  EXPECT_EQ(ran->exit_code, 0);
  EXPECT_EQ(ran->stdout_bytes, "hello\nworld");
  EXPECT_FALSE(ran->timed_out);
}

TEST(Subprocess, MovesMoreThanAPipeBufferBothWays) {
  Options options;
  options.stdin_bytes.assign(3 << 20, 'x');
  options.max_stdout_bytes = 4 << 20;
  auto ran = run("cat", {}, options);
  ASSERT_TRUE(ran) << ran.error().message;
  EXPECT_EQ(ran->stdout_bytes.size(), options.stdin_bytes.size());
  EXPECT_FALSE(ran->stdout_truncated);
}

TEST(Subprocess, ReportsExitStatusAndStderrWithArgumentsPassedVerbatim) {
  // No shell between cairn and the program: "$1" reaches sh as one argument.
  auto ran = run("sh", {"-c", "printf '%s' \"$1\" >&2; exit 3", "sh", "a b; $(echo no)"});
  ASSERT_TRUE(ran) << ran.error().message;
  EXPECT_EQ(ran->exit_code, 3);
  EXPECT_EQ(ran->stderr_bytes, "a b; $(echo no)");
  EXPECT_FALSE(ran->succeeded());
}

TEST(Subprocess, MissingProgramIsAnErrorNamingIt) {
  auto ran = run("cairn-no-such-program-xyz", {"get"});
  ASSERT_FALSE(ran);
  EXPECT_NE(ran.error().message.find("cairn-no-such-program-xyz"), std::string::npos) << ran.error().message;
}

TEST(Subprocess, KillsAProgramThatOutlivesTheTimeout) {
  Options options;
  options.timeout = std::chrono::milliseconds(200);
  auto ran = run("sleep", {"30"}, options);
  ASSERT_TRUE(ran) << ran.error().message;
  EXPECT_TRUE(ran->timed_out);
  EXPECT_EQ(ran->signal, SIGKILL);
  EXPECT_EQ(ran->exit_code, -1);
}

TEST(Subprocess, CapsOutputAndKeepsReading) {
  Options options;
  options.max_stdout_bytes = 1000;
  options.max_stderr_bytes = 10;
  auto ran = run("sh", {"-c", "head -c 500000 /dev/zero; head -c 100 /dev/zero >&2"}, options);
  ASSERT_TRUE(ran) << ran.error().message;
  EXPECT_EQ(ran->exit_code, 0);
  EXPECT_EQ(ran->stdout_bytes.size(), 1000u);
  EXPECT_TRUE(ran->stdout_truncated);
  EXPECT_EQ(ran->stderr_bytes.size(), 10u);
  EXPECT_TRUE(ran->stderr_truncated);
}

TEST(Subprocess, ProgramThatIgnoresItsStdinDoesNotKillTheCaller) {
  // Writing the rest of stdin to a closed pipe must be EPIPE, not SIGPIPE.
  Options options;
  options.stdin_bytes.assign(8 << 20, 'y');
  auto ran = run("true", {}, options);
  ASSERT_TRUE(ran) << ran.error().message;
  EXPECT_EQ(ran->exit_code, 0);
}

TEST(Subprocess, ReturnsWhenTheProgramExitsThoughItsChildHoldsTheOutputPipe) {
  Options options;
  options.timeout = std::chrono::seconds(20);
  auto ran = run("sh", {"-c", "sleep 5 & echo started"}, options);
  ASSERT_TRUE(ran) << ran.error().message;
  EXPECT_FALSE(ran->timed_out);
  EXPECT_EQ(ran->exit_code, 0);
  EXPECT_EQ(ran->stdout_bytes, "started\n");
}

}  // namespace
}  // namespace cairn::subprocess
