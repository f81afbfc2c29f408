#include "data/cordis_import.h"

#include <algorithm>
#include <filesystem>
#include <functional>
#include <memory>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "data/csv_reader.h"

namespace pollinator {
namespace {

// Reads every row of a CSV file, handing `visit` the named columns and the
// row's number.
absl::Status ReadCsv(const std::string& path, const std::vector<std::string>& columns,
                     const std::function<void(const std::vector<std::string>&, int64_t)>& visit) {
  absl::StatusOr<std::unique_ptr<CsvReader>> reader = CsvReader::Open(path);
  if (!reader.ok()) return reader.status();
  std::vector<int> indexes;
  for (const std::string& column : columns) {
    absl::StatusOr<int> index = (*reader)->Column(column);
    if (!index.ok()) return index.status();
    indexes.push_back(*index);
  }
  std::vector<std::string> row, picked(columns.size());
  while (true) {
    absl::StatusOr<bool> more = (*reader)->Next(row);
    if (!more.ok()) return more.status();
    if (!*more) return absl::OkStatus();
    for (size_t i = 0; i < indexes.size(); ++i) picked[i] = row[indexes[i]];
    visit(picked, (*reader)->row_number());
  }
}

// CORDIS uses EL for Greece and UK for the United Kingdom.
std::string IsoCountry(const std::string& cordis) {
  if (cordis == "EL") return "GR";
  if (cordis == "UK") return "GB";
  return cordis;
}

// "Title. Objective", leaving out what is empty.
std::string ProjectText(const CordisProject& project) {
  if (project.title.empty()) return project.objective;
  if (project.objective.empty()) return project.title;
  return absl::StrCat(project.title, ". ", project.objective);
}

}  // namespace

absl::Status CordisImportOptions::Validate() const {
  if (max_offers < 0) return absl::InvalidArgumentError(absl::StrCat("max_offers: ", max_offers, " is negative"));
  if (max_text_bytes == 0) return absl::InvalidArgumentError("max_text_bytes: 0");
  return absl::OkStatus();
}

std::string CordisProfileId(const std::string& org_id) { return absl::StrCat("org-", org_id); }

v1::ProfileKind CordisProfileKind(const std::string& activity_type, bool sme) {
  if (activity_type == "PRC") return sme ? v1::PROFILE_KIND_SMB : v1::PROFILE_KIND_LARGE_ENTERPRISE;
  if (activity_type == "HES") return v1::PROFILE_KIND_UNIVERSITY;
  if (activity_type == "REC") return v1::PROFILE_KIND_RESEARCH_INSTITUTE;
  if (activity_type == "PUB") return v1::PROFILE_KIND_PUBLIC_AGENCY;
  // OTH ("other") is what CORDIS calls associations, federations,
  // foundations, NGOs and clusters: bodies that speak for and connect their
  // members, which is what an association/cluster profile stands for.
  return v1::PROFILE_KIND_ASSOCIATION_CLUSTER;
}

void SetCordisLocation(const CordisOrganisation* org, const std::string& country, const std::string& city,
                       v1::Location* location) {
  const std::string iso = IsoCountry(country);
  if (iso.size() == 2) location->set_country(iso);
  location->set_city(city);
  if (org != nullptr && org->lat_lon) {
    location->set_lat(org->lat_lon->first);
    location->set_lon(org->lat_lon->second);
  }
}

std::string ClipUtf8(std::string text, size_t max_bytes) {
  if (text.size() > max_bytes) {
    size_t cut = max_bytes;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
    text.resize(cut);
  }
  return text;
}

void SetCordisDate(const std::string& iso, v1::Date* date) {
  int year = 0, month = 0, day = 0;
  if (iso.size() < 10 || !absl::SimpleAtoi(iso.substr(0, 4), &year) || !absl::SimpleAtoi(iso.substr(5, 2), &month) ||
      !absl::SimpleAtoi(iso.substr(8, 2), &day)) {
    return;
  }
  date->set_year(year);
  date->set_month(month);
  date->set_day(day);
}

absl::StatusOr<CordisFolder> ReadCordisFolder(const std::string& dir) {
  if (!std::filesystem::is_directory(dir)) return absl::NotFoundError(absl::StrCat(dir, ": no such folder"));
  for (const char* file : kCordisFiles) {
    if (!std::filesystem::is_regular_file(std::filesystem::path(dir) / file)) {
      return absl::NotFoundError(absl::StrCat("CORDIS folder ", dir, ": no ", file,
                                              " (it needs organisations.csv, projects.csv and participations.csv)"));
    }
  }
  CordisFolder folder;
  absl::Status s = ReadCsv(absl::StrCat(dir, "/projects.csv"),
                           {"project_id", "title", "objective", "topic_title", "start_date"},
                           [&](const std::vector<std::string>& r, int64_t) {
                             folder.projects[r[0]] = CordisProject{r[1], r[2], r[3], r[4]};
                           });
  if (!s.ok()) return s;
  s = ReadCsv(absl::StrCat(dir, "/organisations.csv"),
              {"org_id", "name", "short_name", "activity_type", "sme", "sme_ever", "country", "city", "lat", "lon"},
              [&](const std::vector<std::string>& r, int64_t row) {
                CordisOrganisation org{r[1], r[2], r[3], r[4] == "true", r[5] == "true", r[6], r[7], std::nullopt, row};
                double lat = 0, lon = 0;
                if (absl::SimpleAtod(r[8], &lat) && absl::SimpleAtod(r[9], &lon)) org.lat_lon = {lat, lon};
                if (!folder.organisations.contains(r[0])) folder.organisation_order.push_back(r[0]);
                folder.organisations[r[0]] = std::move(org);
              });
  if (!s.ok()) return s;
  s = ReadCsv(absl::StrCat(dir, "/participations.csv"),
              {"project_id", "org_id", "role", "sme", "activity_type", "country", "city"},
              [&](const std::vector<std::string>& r, int64_t) {
                folder.consortia[r[0]].push_back(
                    CordisParticipation{r[0], r[1], r[2], r[3] == "true", r[4], r[5], r[6]});
              });
  if (!s.ok()) return s;
  return folder;
}

std::vector<CordisProfile> CordisOrganisationProfiles(const CordisFolder& folder, const CordisImportOptions& options) {
  using ProjectEntry = std::pair<const std::string, CordisProject>;
  // Each organisation's projects, once however many roles it held in one.
  absl::flat_hash_map<std::string, std::vector<const ProjectEntry*>> projects_of;
  for (const auto& [project_id, members] : folder.consortia) {
    auto project = folder.projects.find(project_id);
    if (project == folder.projects.end()) continue;  // nothing to describe it by
    absl::flat_hash_set<std::string> seen;
    for (const CordisParticipation& p : members) {
      if (seen.insert(p.org_id).second) projects_of[p.org_id].push_back(&*project);
    }
  }
  std::vector<CordisProfile> profiles;
  profiles.reserve(folder.organisation_order.size());
  for (const std::string& org_id : folder.organisation_order) {
    const CordisOrganisation& org = folder.organisations.at(org_id);
    CordisProfile& out = profiles.emplace_back();
    out.row = org.row;
    v1::Profile& profile = out.profile;
    profile.set_id(CordisProfileId(org_id));
    // The most recent participation's SME flag, not "ever": a company that
    // has outgrown SME status is matched as the enterprise it is now.
    profile.set_kind(CordisProfileKind(org.activity_type, org.sme));
    const std::string& name = !org.name.empty() ? org.name : !org.short_name.empty() ? org.short_name : profile.id();
    profile.set_name(name);
    SetCordisLocation(&org, org.country, org.city, profile.mutable_location());
    auto found = projects_of.find(org_id);
    if (found == projects_of.end()) continue;
    std::vector<const ProjectEntry*>& projects = found->second;
    // Newest first; projects that started on one day by id, so that the
    // order never depends on the files' row order.
    std::sort(projects.begin(), projects.end(), [](const ProjectEntry* a, const ProjectEntry* b) {
      if (a->second.start_date != b->second.start_date) return a->second.start_date > b->second.start_date;
      return a->first < b->first;
    });
    profile.set_completed_projects(static_cast<int32_t>(projects.size()));
    for (const ProjectEntry* project : projects) {
      if (profile.offers_size() == options.max_offers) break;
      std::string text = ClipUtf8(ProjectText(project->second), options.max_text_bytes);
      if (absl::StripAsciiWhitespace(text).empty()) continue;
      v1::Offer* offer = profile.add_offers();
      offer->set_id(project->first);
      offer->set_text(std::move(text));
      SetCordisProjectFacets(offer);
    }
  }
  return profiles;
}

}  // namespace pollinator
