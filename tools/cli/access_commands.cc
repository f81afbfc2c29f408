#include "tools/cli/access_commands.h"

#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/time/time.h"
#include "tools/cli/json_text.h"
#include "tools/cli/table.h"

namespace pollinator {
namespace {

// "reader" for KEY_ROLE_READER.
std::string RoleName(v1::KeyRole role) {
  return absl::AsciiStrToLower(absl::StripPrefix(v1::KeyRole_Name(role), "KEY_ROLE_"));
}

// UTC minutes: "2026-12-02 14:05"; "-" for 0.
std::string Time(int64_t unix_ms) {
  if (unix_ms == 0) return "-";
  return absl::FormatTime("%Y-%m-%d %H:%M", absl::FromUnixMillis(unix_ms), absl::UTCTimeZone());
}

absl::Status PrintNewKey(const v1::CreateKeyResponse& created, const Invocation& invocation, const CommandIo& io) {
  if (invocation.json) {
    if (absl::Status s = PrintJson(created, io.out); !s.ok()) return s;
  } else {
    io.out << created.secret() << "\n";
  }
  io.err << "key " << created.key().key_id() << " (" << RoleName(created.key().role()) << ") of tenant \""
         << created.key().tenant() << "\": store it now, it is not shown again\n";
  return absl::OkStatus();
}

absl::Status PrintTenants(const std::vector<v1::Tenant>& tenants, const Invocation& invocation,
                          const CommandIo& io) {
  if (invocation.json) {
    for (const v1::Tenant& tenant : tenants) {
      if (absl::Status s = PrintJson(tenant, io.out); !s.ok()) return s;
    }
    return absl::OkStatus();
  }
  std::vector<std::vector<std::string>> rows;
  for (const v1::Tenant& tenant : tenants) {
    const std::string state = !tenant.registered() ? "unregistered" : tenant.suspended() ? "suspended" : "active";
    rows.push_back({OneLine(tenant.name()), state, absl::StrCat(tenant.profiles()),
                    absl::StrCat(tenant.interactions()), absl::StrCat(tenant.active_keys()),
                    Time(tenant.created_at_unix_ms())});
  }
  io.out << FormatTable({"TENANT", "STATE", "PROFILES", "INTERACTIONS", "KEYS", "CREATED (UTC)"}, rows);
  return absl::OkStatus();
}

absl::Status RunKeysList(const Invocation& invocation, PollinatorClient& client, const CommandIo& io) {
  v1::ListKeysRequest request;
  request.set_tenant(invocation.tenant);
  absl::StatusOr<v1::ListKeysResponse> listed = client.ListKeys(request);
  if (!listed.ok()) return listed.status();
  if (invocation.json) {
    for (const v1::ApiKey& key : listed->keys()) {
      if (absl::Status s = PrintJson(key, io.out); !s.ok()) return s;
    }
    return absl::OkStatus();
  }
  std::vector<std::vector<std::string>> rows;
  for (const v1::ApiKey& key : listed->keys()) {
    rows.push_back({key.key_id(), RoleName(key.role()), Time(key.created_at_unix_ms()),
                    Time(key.revoked_at_unix_ms()), OneLine(key.label())});
  }
  io.out << FormatTable({"KEY ID", "ROLE", "CREATED (UTC)", "REVOKED", "LABEL"}, rows);
  return absl::OkStatus();
}

absl::Status RunSetSuspended(const Invocation& invocation, PollinatorClient& client, const CommandIo& io,
                             bool suspended) {
  v1::SetTenantSuspendedRequest request;
  request.set_name(invocation.argument);
  request.set_suspended(suspended);
  absl::StatusOr<v1::Tenant> tenant = client.SetTenantSuspended(request);
  if (!tenant.ok()) return tenant.status();
  return PrintTenants({*tenant}, invocation, io);
}

}  // namespace

absl::Status RunAccessCommand(const Invocation& invocation, PollinatorClient& client, const CommandIo& io) {
  switch (invocation.command) {
    case Command::kKeysCreate: {
      v1::CreateKeyRequest request;
      request.set_tenant(invocation.tenant);
      request.set_role(invocation.key_role);
      request.set_label(invocation.label);
      absl::StatusOr<v1::CreateKeyResponse> created = client.CreateKey(request);
      if (!created.ok()) return created.status();
      return PrintNewKey(*created, invocation, io);
    }
    case Command::kKeysList:
      return RunKeysList(invocation, client, io);
    case Command::kKeysRevoke: {
      v1::RevokeKeyRequest request;
      request.set_tenant(invocation.tenant);
      request.set_key_id(invocation.argument);
      absl::StatusOr<v1::RevokeKeyResponse> revoked = client.RevokeKey(request);
      if (!revoked.ok()) return revoked.status();
      if (invocation.json) return PrintJson(revoked->key(), io.out);
      io.out << "revoked key " << revoked->key().key_id() << " at " << Time(revoked->key().revoked_at_unix_ms())
             << " UTC\n";
      return absl::OkStatus();
    }
    case Command::kTenantsCreate: {
      v1::CreateTenantRequest request;
      request.set_name(invocation.argument);
      request.set_key_label(invocation.label);
      absl::StatusOr<v1::CreateTenantResponse> created = client.CreateTenant(request);
      if (!created.ok()) return created.status();
      if (invocation.json) return PrintJson(*created, io.out);
      io.err << "tenant \"" << created->tenant().name() << "\" created";
      if (created->tenant().profiles() > 0) io.err << " with its " << created->tenant().profiles() << " profiles";
      io.err << "; its first admin key follows\n";
      return PrintNewKey(created->admin_key(), invocation, io);
    }
    case Command::kTenantsList: {
      absl::StatusOr<v1::ListTenantsResponse> listed = client.ListTenants(v1::ListTenantsRequest());
      if (!listed.ok()) return listed.status();
      return PrintTenants({listed->tenants().begin(), listed->tenants().end()}, invocation, io);
    }
    case Command::kTenantsDelete: {
      v1::DeleteTenantRequest request;
      request.set_name(invocation.argument);
      absl::StatusOr<v1::DeleteTenantResponse> deleted = client.DeleteTenant(request);
      if (!deleted.ok()) return deleted.status();
      if (invocation.json) return PrintJson(*deleted, io.out);
      io.out << "deleted tenant \"" << invocation.argument << "\": " << deleted->profiles() << " profiles, "
             << deleted->interactions() << " interactions, " << deleted->keys() << " keys\n";
      return absl::OkStatus();
    }
    case Command::kTenantsSuspend:
      return RunSetSuspended(invocation, client, io, true);
    case Command::kTenantsResume:
      return RunSetSuspended(invocation, client, io, false);
    default:
      return absl::InternalError("not an access command");
  }
}

}  // namespace pollinator
