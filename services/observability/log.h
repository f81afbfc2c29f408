// The server's log: one line per event on stderr, as text for people
// ("pollinatord: tenant \"a\": 300 profiles ...") or as JSON Lines for log
// collectors ({"time":"...","level":"info","message":"...",...}).
//
// Need and offer texts, and error messages (which may quote what a client
// sent), are logged only with `debug`: the log never holds what
// businesses wrote about their plans unless an operator asks for it.
//
//   ConfigureLog({.format = LogFormat::kJson, .requests = true});
//   LogInfo("serving on 0.0.0.0:50051");
//   LogEvent("info", "rpc", {{"request_id", id}, {"method", method}});
#ifndef POLLINATOR_SERVICES_OBSERVABILITY_LOG_H_
#define POLLINATOR_SERVICES_OBSERVABILITY_LOG_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace pollinator {

enum class LogFormat { kText, kJson };

struct LogOptions {
  LogFormat format = LogFormat::kText;
  // One line per gRPC call (HTTP requests included, as the calls they
  // become): request id, method, code, milliseconds.
  bool requests = false;
  // Adds error messages to request lines.
  bool debug = false;
};

// "text" or "json".
absl::StatusOr<LogFormat> ParseLogFormat(absl::string_view name);

// Set once at start, before any other thread logs.
void ConfigureLog(const LogOptions& options);
const LogOptions& CurrentLogOptions();

using LogFields = std::vector<std::pair<std::string, std::string>>;

// A line with `message` at `level` ("info", "warning", "error").
void LogMessage(absl::string_view level, absl::string_view message);
inline void LogInfo(absl::string_view message) { LogMessage("info", message); }
inline void LogWarning(absl::string_view message) { LogMessage("warning", message); }
inline void LogError(absl::string_view message) { LogMessage("error", message); }
// A line for a structured `event` with its fields: JSON members, or
// "key=value" pairs in text.
void LogEvent(absl::string_view level, absl::string_view event, const LogFields& fields);

// `text` as a JSON string literal, quotes included.
std::string JsonQuoted(absl::string_view text);

}  // namespace pollinator

#endif  // POLLINATOR_SERVICES_OBSERVABILITY_LOG_H_
