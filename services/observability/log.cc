#include "services/observability/log.h"

#include <cstdio>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace pollinator {
namespace {

LogOptions& Options() {
  static LogOptions options;
  return options;
}

void WriteLine(const std::string& line) {
  // One write per line, so that lines from several threads do not mix.
  std::fwrite(line.data(), 1, line.size(), stderr);
  std::fflush(stderr);
}

std::string JsonPrefix(absl::string_view level) {
  return absl::StrCat("{\"time\":",
                      JsonQuoted(absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", absl::Now(), absl::UTCTimeZone())),
                      ",\"level\":", JsonQuoted(level));
}

}  // namespace

absl::StatusOr<LogFormat> ParseLogFormat(absl::string_view name) {
  if (name == "text") return LogFormat::kText;
  if (name == "json") return LogFormat::kJson;
  return absl::InvalidArgumentError(absl::StrCat("--log_format: \"", name, "\" is not text or json"));
}

void ConfigureLog(const LogOptions& options) { Options() = options; }
const LogOptions& CurrentLogOptions() { return Options(); }

std::string JsonQuoted(absl::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          absl::StrAppendFormat(&out, "\\u%04x", static_cast<unsigned char>(c));
        } else {
          out += c;
        }
    }
  }
  out += '"';
  return out;
}

void LogMessage(absl::string_view level, absl::string_view message) {
  if (Options().format == LogFormat::kJson) {
    WriteLine(absl::StrCat(JsonPrefix(level), ",\"message\":", JsonQuoted(message), "}\n"));
  } else {
    WriteLine(absl::StrCat("pollinatord: ", level == "info" ? "" : absl::StrCat(absl::AsciiStrToUpper(level), ": "),
                           message, "\n"));
  }
}

void LogEvent(absl::string_view level, absl::string_view event, const LogFields& fields) {
  std::string line;
  if (Options().format == LogFormat::kJson) {
    line = absl::StrCat(JsonPrefix(level), ",\"event\":", JsonQuoted(event));
    for (const auto& [key, value] : fields) absl::StrAppend(&line, ",", JsonQuoted(key), ":", JsonQuoted(value));
    line += "}\n";
  } else {
    line = absl::StrCat("pollinatord: ", event);
    for (const auto& [key, value] : fields) absl::StrAppend(&line, " ", key, "=", value);
    line += "\n";
  }
  WriteLine(line);
}

}  // namespace pollinator
