#include "bench/cordis_split.h"

#include <algorithm>
#include <map>

#include "absl/strings/str_cat.h"
#include "data/cordis_import.h"
#include "services/validation.h"

namespace pollinator {
namespace {

std::string RoleText(const std::string& role) {
  if (role == "coordinator") return "Coordinator";
  if (role == "associatedPartner") return "Associated partner";
  if (role == "thirdParty") return "Third party";
  return "Partner";
}

}  // namespace

const char* const kIdeaNeedId = "idea";

absl::StatusOr<CordisSplit> LoadCordisSplit(const std::string& dir, const std::string& split_date,
                                            std::string describe_until) {
  if (describe_until.empty() || describe_until > split_date) describe_until = split_date;
  absl::StatusOr<CordisFolder> folder = ReadCordisFolder(dir);
  if (!folder.ok()) return folder.status();
  const std::map<std::string, CordisProject>& projects = folder->projects;
  const absl::flat_hash_map<std::string, CordisOrganisation>& organisations = folder->organisations;
  const std::map<std::string, std::vector<CordisParticipation>>& consortia = folder->consortia;

  CordisSplit split;
  // Past projects by start date, then id: the order their consortia are
  // recorded in.
  std::vector<std::pair<std::string, std::string>> past_projects;
  // Past projects per organisation, newest first.
  absl::flat_hash_map<std::string, std::vector<std::pair<std::string, const CordisParticipation*>>> history;
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
    for (const CordisParticipation& p : members) {
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
    const CordisOrganisation* org = org_it == organisations.end() ? nullptr : &org_it->second;
    const CordisParticipation& latest = *past.front().second;
    v1::Profile profile;
    profile.set_id(CordisProfileId(org_id));
    profile.set_kind(CordisProfileKind(latest.activity_type, org != nullptr ? org->sme_ever : latest.sme));
    profile.set_name(org != nullptr && !org->name.empty() ? org->name : profile.id());
    SetCordisLocation(org, latest.country, latest.city, profile.mutable_location());
    for (const auto& [start, participation] : past) {
      if (start >= describe_until || profile.offers_size() == kMaxItemsPerList) continue;
      const CordisProject& project = projects.at(participation->project_id);
      v1::Offer* offer = profile.add_offers();
      offer->set_id(absl::StrCat("p", participation->project_id));
      offer->set_text(ClipUtf8(absl::StrCat(RoleText(participation->role), " in ", project.title, ". ",
                                            project.objective, " Topic: ", project.topic),
                               kMaxTextBytes));
      SetCordisProjectFacets(offer);
    }
    for (const auto& [start, participation] : past) {
      // One need left free for the query's own idea.
      if (start < describe_until || !participation->sme || profile.needs_size() == kMaxItemsPerList - 1) continue;
      const CordisProject& project = projects.at(participation->project_id);
      v1::Need* need = profile.add_needs();
      need->set_id(absl::StrCat("p", participation->project_id));
      need->set_text(ClipUtf8(absl::StrCat(project.title, ". ", project.objective), kMaxTextBytes));
      SetCordisProjectFacets(need);
      SetCordisDate(start, need->mutable_expires());
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
    for (const CordisParticipation& p : consortia.at(project_id)) {
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
    for (const CordisParticipation& p : members) organisations_in_project.insert(p.org_id);
    // An SME with 2+ partners; one query per SME even if it held two roles.
    if (organisations_in_project.size() < 3) continue;
    absl::flat_hash_set<std::string> asked;
    for (const CordisParticipation& sme : members) {
      if (!sme.sme || !asked.insert(sme.org_id).second) continue;
      CordisQuery query;
      query.project_id = project_id;
      query.sme_org_id = sme.org_id;
      query.returning = corpus_index.contains(sme.org_id);
      for (const CordisParticipation& other : members) {
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
        SetCordisLocation(org_it == organisations.end() ? nullptr : &org_it->second, sme.country, sme.city,
                    asker.mutable_location());
      }
      v1::Need* need = asker.add_needs();
      need->set_id(kIdeaNeedId);
      need->set_text(ClipUtf8(absl::StrCat(project->second.title, ". ", project->second.objective), kMaxTextBytes));
      SetCordisProjectFacets(need);
      split.queries.push_back(std::move(query));
    }
  }
  return split;
}

}  // namespace pollinator
