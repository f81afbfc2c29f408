// Flag and positional argument parsing for `pollinator` (see command_line.h).
#include "tools/cli/command_line.h"

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>

#include "absl/flags/commandlineflag.h"
#include "absl/flags/reflection.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/time/time.h"

namespace pollinator {
namespace {

// One "--name[=value]" argument, split.
struct FlagArgument {
  std::string name;
  std::optional<std::string> value;
};

// What a value of `flag`'s type looks like, for error messages (absl's own
// message only repeats the value).
std::string ExpectedValue(const absl::CommandLineFlag& flag) {
  if (flag.IsOfType<bool>()) return "true or false";
  if (flag.IsOfType<absl::Duration>()) return "a duration such as 30s or 1m30s";
  if (flag.IsOfType<double>()) return "a number";
  if (flag.IsOfType<int32_t>() || flag.IsOfType<int64_t>()) return "an integer";
  return "a valid value";
}

bool IsFlag(const std::string& arg) { return arg.size() > 1 && arg[0] == '-'; }

bool IsHelpFlag(absl::string_view name) {
  return name == "help" || name == "h" || name == "helpfull" ||
         name == "helpshort";
}

FlagArgument SplitFlag(absl::string_view arg) {
  if (!absl::ConsumePrefix(&arg, "--")) absl::ConsumePrefix(&arg, "-");
  FlagArgument flag;
  const size_t equals = arg.find('=');
  flag.name = std::string(arg.substr(0, equals));
  if (equals != absl::string_view::npos) {
    flag.value = std::string(arg.substr(equals + 1));
  }
  return flag;
}

// Abseil flag names are C++ identifiers; "-" between words is accepted as
// "_" because many command-line tools spell flags that way (--max-per-kind).
absl::CommandLineFlag* FindFlag(absl::string_view name) {
  std::string identifier(name);
  std::replace(identifier.begin(), identifier.end(), '-', '_');
  absl::CommandLineFlag* flag = absl::FindCommandLineFlag(identifier);
  if (flag == nullptr || flag->IsRetired()) return nullptr;
  return flag;
}

// A flag that takes the next argument as its value when written without "=".
bool TakesSeparateValue(absl::string_view name) {
  const absl::CommandLineFlag* flag = FindFlag(name);
  return flag != nullptr && !flag->IsOfType<bool>();
}

absl::Status SetFlag(FlagArgument argument) {
  absl::CommandLineFlag* flag = FindFlag(argument.name);
  absl::string_view name = argument.name;
  if (flag == nullptr && !argument.value.has_value() &&
      absl::ConsumePrefix(&name, "no")) {
    flag = FindFlag(name);
    if (flag == nullptr || !flag->IsOfType<bool>()) {
      return absl::InvalidArgumentError(
          absl::StrCat("unknown flag --", argument.name));
    }
    argument.value = "false";
  }
  if (flag == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat("unknown flag --", argument.name));
  }
  if (!argument.value.has_value()) {
    if (!flag->IsOfType<bool>()) {
      return absl::InvalidArgumentError(
          absl::StrCat("--", name, " needs a value"));
    }
    argument.value = "true";
  }
  std::string error;
  if (!flag->ParseFrom(*argument.value, &error)) {
    return absl::InvalidArgumentError(
        absl::StrCat("--", name, ": invalid value \"", *argument.value,
                     "\", expected ", ExpectedValue(*flag)));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<CommandLine> ParseCommandLine(
    absl::Span<const std::string> args) {
  CommandLine command_line;
  size_t next = 0;
  while (next < args.size()) {
    const std::string& arg = args[next++];
    if (arg == "--") {
      command_line.positional.insert(command_line.positional.end(),
                                     args.begin() + next, args.end());
      break;
    }
    if (!IsFlag(arg)) {
      command_line.positional.push_back(arg);
      continue;
    }
    FlagArgument flag = SplitFlag(arg);
    if (IsHelpFlag(flag.name)) {
      command_line.help_requested = true;
      continue;
    }
    if (!flag.value.has_value() && TakesSeparateValue(flag.name) &&
        next < args.size()) {
      flag.value = args[next++];
    }
    absl::Status status = SetFlag(std::move(flag));
    if (!status.ok()) return status;
  }
  return command_line;
}

}  // namespace pollinator
