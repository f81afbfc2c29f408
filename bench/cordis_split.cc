#include "bench/cordis_split.h"

#include <algorithm>
#include <filesystem>
#include <map>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "data/csv_reader.h"
#include "services/validation.h"

namespace pollinator {
namespace {

struct Project {
  std::string title;
  std::string objective;
  std::string topic;
  std::string start_date;
};

struct Participation {
  std::string project_id;
  std::string org_id;
  std::string role;
  bool sme = false;
  std::string activity_type;
  std::string country;
  std::string city;
};

struct Organisation {
  std::string name;
  std::string activity_type;
  bool sme = false;
  std::string country;
  std::string city;
  std::optional<std::pair<double, double>> lat_lon;
};

// Reads every row of a CSV file, handing `visit` the named columns.
absl::Status ReadCsv(const std::string& path, const std::vector<std::string>& columns,
                     const std::function<void(const std::vector<std::string>&)>& visit) {
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
    visit(picked);
  }
}

v1::ProfileKind KindOf(const std::string& activity_type, bool sme) {
  if (activity_type == "PRC") return sme ? v1::PROFILE_KIND_SMB : v1::PROFILE_KIND_LARGE_ENTERPRISE;
  if (activity_type == "HES") return v1::PROFILE_KIND_UNIVERSITY;
  if (activity_type == "REC") return v1::PROFILE_KIND_RESEARCH_INSTITUTE;
  if (activity_type == "PUB") return v1::PROFILE_KIND_PUBLIC_AGENCY;
  return v1::PROFILE_KIND_ASSOCIATION_CLUSTER;
}

// CORDIS uses EL for Greece and UK for the United Kingdom.
std::string IsoCountry(const std::string& cordis) {
  if (cordis == "EL") return "GR";
  if (cordis == "UK") return "GB";
  return cordis;
}

void SetLocation(const Organisation* org, const std::string& country, const std::string& city, v1::Location* out) {
  const std::string iso = IsoCountry(country);
  if (iso.size() == 2) out->set_country(iso);
  out->set_city(city);
  if (org != nullptr && org->lat_lon) {
    out->set_lat(org->lat_lon->first);
    out->set_lon(org->lat_lon->second);
  }
}

std::string Clip(std::string text) {
  if (text.size() > kMaxTextBytes) {
    size_t cut = kMaxTextBytes;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
    text.resize(cut);
  }
  return text;
}

// "2023-05-01" into `date`; left unset when malformed.
void SetDate(const std::string& iso, v1::Date* date) {
  int year = 0, month = 0, day = 0;
  if (iso.size() < 10 || !absl::SimpleAtoi(iso.substr(0, 4), &year) || !absl::SimpleAtoi(iso.substr(5, 2), &month) ||
      !absl::SimpleAtoi(iso.substr(8, 2), &day)) {
    return;
  }
  date->set_year(year);
  date->set_month(month);
  date->set_day(day);
}

std::string RoleText(const std::string& role) {
  if (role == "coordinator") return "Coordinator";
  if (role == "associatedPartner") return "Associated partner";
  if (role == "thirdParty") return "Third party";
  return "Partner";
}

}  // namespace

const char* const kIdeaNeedId = "idea";

std::string CordisProfileId(const std::string& org_id) { return absl::StrCat("org-", org_id); }

absl::StatusOr<CordisSplit> LoadCordisSplit(const std::string& dir, const std::string& split_date,
                                            std::string describe_until) {
  if (describe_until.empty() || describe_until > split_date) describe_until = split_date;
  if (!std::filesystem::is_directory(dir)) return absl::NotFoundError(absl::StrCat(dir, ": no such folder"));
  std::map<std::string, Project> projects;
  absl::Status s = ReadCsv(absl::StrCat(dir, "/projects.csv"),
                           {"project_id", "title", "objective", "topic_title", "start_date"},
                           [&](const std::vector<std::string>& r) {
                             projects[r[0]] = Project{r[1], r[2], r[3], r[4]};
                           });
  if (!s.ok()) return s;
  absl::flat_hash_map<std::string, Organisation> organisations;
  s = ReadCsv(absl::StrCat(dir, "/organisations.csv"),
              {"org_id", "name", "activity_type", "sme_ever", "country", "city", "lat", "lon"},
              [&](const std::vector<std::string>& r) {
                Organisation org{r[1], r[2], r[3] == "true", r[4], r[5], std::nullopt};
                double lat = 0, lon = 0;
                if (absl::SimpleAtod(r[6], &lat) && absl::SimpleAtod(r[7], &lon)) org.lat_lon = {lat, lon};
                organisations[r[0]] = std::move(org);
              });
  if (!s.ok()) return s;
  std::map<std::string, std::vector<Participation>> consortia;
  s = ReadCsv(absl::StrCat(dir, "/participations.csv"),
              {"project_id", "org_id", "role", "sme", "activity_type", "country", "city"},
              [&](const std::vector<std::string>& r) {
                consortia[r[0]].push_back(Participation{r[0], r[1], r[2], r[3] == "true", r[4], r[5], r[6]});
              });
  if (!s.ok()) return s;

  CordisSplit split;
  // Past projects by start date, then id: the order their consortia are
  // recorded in.
  std::vector<std::pair<std::string, std::string>> past_projects;
  // Past projects per organisation, newest first.
  absl::flat_hash_map<std::string, std::vector<std::pair<std::string, const Participation*>>> history;
  for (const auto& [project_id, members] : consortia) {
    auto project = projects.find(project_id);
    if (project == projects.end()) continue;
    if (project->second.start_date >= split_date) {
      ++split.future_project_count;
      continue;
    }
    ++split.past_project_count;
    past_projects.emplace_back(project->second.start_date, project_id);
    absl::flat_hash_set<std::string> seen;  // An organisation may hold two roles in one project.
    for (const Participation& p : members) {
      if (seen.insert(p.org_id).second) history[p.org_id].emplace_back(project->second.start_date, &p);
    }
  }
  absl::flat_hash_map<std::string, size_t> corpus_index;
  std::vector<std::string> org_ids;
  for (const auto& [org_id, past] : history) org_ids.push_back(org_id);
  std::sort(org_ids.begin(), org_ids.end());
  for (const std::string& org_id : org_ids) {
    auto& past = history[org_id];
    std::sort(past.begin(), past.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
    auto org_it = organisations.find(org_id);
    const Organisation* org = org_it == organisations.end() ? nullptr : &org_it->second;
    const Participation& latest = *past.front().second;
    v1::Profile profile;
    profile.set_id(CordisProfileId(org_id));
    profile.set_kind(KindOf(latest.activity_type, org != nullptr ? org->sme : latest.sme));
    profile.set_name(org != nullptr && !org->name.empty() ? org->name : profile.id());
    SetLocation(org, latest.country, latest.city, profile.mutable_location());
    for (const auto& [start, participation] : past) {
      if (start >= describe_until || profile.offers_size() == kMaxItemsPerList) continue;
      const Project& project = projects.at(participation->project_id);
      v1::Offer* offer = profile.add_offers();
      offer->set_id(absl::StrCat("p", participation->project_id));
      offer->set_text(Clip(absl::StrCat(RoleText(participation->role), " in ", project.title, ". ",
                                        project.objective, " Topic: ", project.topic)));
      offer->set_component(v1::COMPONENT_COLLABORATION_NETWORKING);
      offer->add_modes(v1::COLLABORATION_MODE_JOINT_RD);
      offer->set_scope(v1::GEOGRAPHIC_SCOPE_INTERNATIONAL);
    }
    for (const auto& [start, participation] : past) {
      // One need left free for the query's own idea.
      if (start < describe_until || !participation->sme || profile.needs_size() == kMaxItemsPerList - 1) continue;
      const Project& project = projects.at(participation->project_id);
      v1::Need* need = profile.add_needs();
      need->set_id(absl::StrCat("p", participation->project_id));
      need->set_text(Clip(absl::StrCat(project.title, ". ", project.objective)));
      need->set_component(v1::COMPONENT_COLLABORATION_NETWORKING);
      need->add_modes(v1::COLLABORATION_MODE_JOINT_RD);
      need->set_scope(v1::GEOGRAPHIC_SCOPE_INTERNATIONAL);
      SetDate(start, need->mutable_expires());
    }
    // Nothing to match it by: not in the corpus.
    if (profile.offers().empty() && profile.needs().empty()) continue;
    // Experience as of describe_until too: the projects a ranker learns
    // from must not count towards the experience that predicts them.
    profile.set_completed_projects(static_cast<int>(std::count_if(
        past.begin(), past.end(), [&](const auto& entry) { return entry.first < describe_until; })));
    split.past_projects[profile.id()] = static_cast<int>(past.size());
    corpus_index[org_id] = split.corpus.size();
    split.corpus.push_back(std::move(profile));
  }
  std::sort(past_projects.begin(), past_projects.end());
  for (const auto& [start, project_id] : past_projects) {
    std::map<std::string, bool> members;  // Corpus id -> an SME in this project.
    for (const Participation& p : consortia.at(project_id)) {
      if (corpus_index.contains(p.org_id)) members[CordisProfileId(p.org_id)] |= p.sme;
    }
    auto collaborated = [&split](const std::string& from, const std::string& to) {
      v1::Interaction& interaction = split.collaborations.emplace_back();
      interaction.set_from_profile_id(from);
      interaction.set_to_profile_id(to);
      interaction.set_type(v1::INTERACTION_TYPE_COLLABORATED);
    };
    for (auto a = members.begin(); a != members.end(); ++a) {
      for (auto b = members.begin(); b != members.end(); ++b) {
        if (a == b) continue;
        // An SME's outcome towards every partner; other pairs once.
        if (a->second || (!b->second && a->first < b->first)) collaborated(a->first, b->first);
      }
    }
  }

  for (const auto& [project_id, members] : consortia) {
    auto project = projects.find(project_id);
    if (project == projects.end() || project->second.start_date < split_date) continue;
    absl::flat_hash_set<std::string> organisations_in_project;
    for (const Participation& p : members) organisations_in_project.insert(p.org_id);
    // An SME with 2+ partners; one query per SME even if it held two roles.
    if (organisations_in_project.size() < 3) continue;
    absl::flat_hash_set<std::string> asked;
    for (const Participation& sme : members) {
      if (!sme.sme || !asked.insert(sme.org_id).second) continue;
      CordisQuery query;
      query.project_id = project_id;
      query.sme_org_id = sme.org_id;
      query.returning = corpus_index.contains(sme.org_id);
      for (const Participation& other : members) {
        if (other.org_id != sme.org_id && corpus_index.contains(other.org_id)) {
          query.relevant.insert(CordisProfileId(other.org_id));
        }
      }
      if (query.relevant.empty()) {
        ++split.queries_without_known_partners;
        continue;
      }
      v1::Profile& asker = query.asker;
      if (query.returning) {
        asker = split.corpus[corpus_index.at(sme.org_id)];
      } else {
        auto org_it = organisations.find(sme.org_id);
        asker.set_id(absl::StrCat("query-", project_id, "-", sme.org_id));
        asker.set_kind(v1::PROFILE_KIND_SMB);
        asker.set_name(org_it != organisations.end() && !org_it->second.name.empty() ? org_it->second.name
                                                                                      : asker.id());
        SetLocation(org_it == organisations.end() ? nullptr : &org_it->second, sme.country, sme.city,
                    asker.mutable_location());
      }
      v1::Need* need = asker.add_needs();
      need->set_id(kIdeaNeedId);
      need->set_text(Clip(absl::StrCat(project->second.title, ". ", project->second.objective)));
      need->set_component(v1::COMPONENT_COLLABORATION_NETWORKING);
      need->add_modes(v1::COLLABORATION_MODE_JOINT_RD);
      need->set_scope(v1::GEOGRAPHIC_SCOPE_INTERNATIONAL);
      split.queries.push_back(std::move(query));
    }
  }
  return split;
}

}  // namespace pollinator
