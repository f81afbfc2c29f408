#include "services/guards/tenant_limits.h"

#include <cmath>
#include <fstream>
#include <sstream>
#include <utility>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "services/validation.h"

namespace pollinator {
namespace {

constexpr double kMaxRequestsPerSecond = 1e6;

absl::Status CheckRate(double per_second) {
  if (!(per_second >= 0.0 && per_second <= kMaxRequestsPerSecond)) {
    return absl::InvalidArgumentError("requests_per_second: must be 0 (no limit) to 1000000");
  }
  return absl::OkStatus();
}

absl::Status CheckCount(absl::string_view name, int64_t value) {
  if (value < 0) return absl::InvalidArgumentError(absl::StrCat(name, ": negative (0: no limit)"));
  return absl::OkStatus();
}

// Splits off the tenant id at the start of `line`: up to the first blank,
// or a double-quoted id.
absl::StatusOr<std::string> TakeTenant(absl::string_view& line) {
  if (absl::ConsumePrefix(&line, "\"")) {
    const size_t end = line.find('"');
    if (end == absl::string_view::npos) return absl::InvalidArgumentError("the tenant's closing \" is missing");
    std::string tenant(line.substr(0, end));
    line.remove_prefix(end + 1);
    if (!line.empty() && line.front() != ' ' && line.front() != '\t') {
      return absl::InvalidArgumentError("expected a blank after the quoted tenant");
    }
    return tenant;
  }
  const size_t end = line.find_first_of(" \t");
  std::string tenant(line.substr(0, end));
  line.remove_prefix(end == absl::string_view::npos ? line.size() : end);
  return tenant;
}

absl::Status ParseSetting(absl::string_view setting, TenantLimitOverride& limits) {
  const size_t equals = setting.find('=');
  if (equals == absl::string_view::npos) {
    return absl::InvalidArgumentError(absl::StrCat("\"", setting, "\" is not KEY=VALUE"));
  }
  const absl::string_view key = setting.substr(0, equals);
  const absl::string_view value = setting.substr(equals + 1);
  auto bad_value = [&](absl::string_view what) {
    return absl::InvalidArgumentError(absl::StrCat(key, ": \"", value, "\" is not ", what));
  };
  auto set_once = [&](auto& field, auto parsed) -> absl::Status {
    if (field.has_value()) return absl::InvalidArgumentError(absl::StrCat(key, ": set twice"));
    field = parsed;
    return absl::OkStatus();
  };
  if (key == "requests_per_second") {
    double per_second = 0;
    if (!absl::SimpleAtod(value, &per_second) || !std::isfinite(per_second)) return bad_value("a number");
    if (absl::Status s = CheckRate(per_second); !s.ok()) return s;
    return set_once(limits.requests_per_second, per_second);
  }
  if (key == "max_profiles" || key == "max_bytes") {
    int64_t count = 0;
    if (!absl::SimpleAtoi(value, &count)) return bad_value("a whole number");
    if (absl::Status s = CheckCount(key, count); !s.ok()) return s;
    return set_once(key == "max_profiles" ? limits.max_profiles : limits.max_stored_bytes, count);
  }
  return absl::InvalidArgumentError(
      absl::StrCat("unknown setting \"", key, "\" (requests_per_second, max_profiles or max_bytes)"));
}

}  // namespace

absl::Status TenantLimits::Validate() const {
  if (absl::Status s = CheckRate(requests_per_second); !s.ok()) return s;
  if (absl::Status s = CheckCount("max_profiles", max_profiles); !s.ok()) return s;
  return CheckCount("max_stored_bytes", max_stored_bytes);
}

absl::StatusOr<TenantLimitOverrides> ParseTenantLimits(absl::string_view text) {
  TenantLimitOverrides overrides;
  int line_number = 0;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    ++line_number;
    auto error = [&](const absl::Status& status) {
      return absl::InvalidArgumentError(absl::StrCat("line ", line_number, ": ", status.message()));
    };
    if (const size_t comment = line.find('#'); comment != absl::string_view::npos) line = line.substr(0, comment);
    line = absl::StripAsciiWhitespace(line);
    if (line.empty()) continue;
    absl::StatusOr<std::string> tenant = TakeTenant(line);
    if (!tenant.ok()) return error(tenant.status());
    if (absl::Status s = ValidateTenant(*tenant); !s.ok()) return error(s);
    TenantLimitOverride limits;
    const std::vector<absl::string_view> settings = absl::StrSplit(line, absl::ByAnyChar(" \t"), absl::SkipEmpty());
    if (settings.empty()) {
      return error(absl::InvalidArgumentError(absl::StrCat("tenant \"", *tenant, "\" has no settings")));
    }
    for (absl::string_view setting : settings) {
      if (absl::Status s = ParseSetting(setting, limits); !s.ok()) return error(s);
    }
    if (!overrides.try_emplace(*tenant, limits).second) {
      return error(absl::InvalidArgumentError(absl::StrCat("tenant \"", *tenant, "\" is already named above")));
    }
  }
  return overrides;
}

TenantLimitTable::TenantLimitTable(TenantLimits defaults) : defaults_(defaults) {}

TenantLimits TenantLimitTable::For(absl::string_view tenant) const {
  TenantLimits limits = defaults_;
  absl::MutexLock lock(&mu_);
  const auto it = overrides_.find(tenant);
  if (it == overrides_.end()) return limits;
  const TenantLimitOverride& override_ = it->second;
  limits.requests_per_second = override_.requests_per_second.value_or(limits.requests_per_second);
  limits.max_profiles = override_.max_profiles.value_or(limits.max_profiles);
  limits.max_stored_bytes = override_.max_stored_bytes.value_or(limits.max_stored_bytes);
  return limits;
}

void TenantLimitTable::SetOverrides(TenantLimitOverrides overrides) {
  absl::MutexLock lock(&mu_);
  overrides_ = std::move(overrides);
}

absl::StatusOr<size_t> TenantLimitTable::LoadFile(const std::string& path) {
  std::ifstream file(path);
  if (!file) return absl::NotFoundError(absl::StrCat("cannot read ", path));
  std::stringstream text;
  text << file.rdbuf();
  if (file.bad()) return absl::DataLossError(absl::StrCat("cannot read ", path));
  absl::StatusOr<TenantLimitOverrides> overrides = ParseTenantLimits(text.str());
  if (!overrides.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(path, ": ", overrides.status().message()));
  }
  const size_t tenants = overrides->size();
  SetOverrides(*std::move(overrides));
  return tenants;
}

}  // namespace pollinator
