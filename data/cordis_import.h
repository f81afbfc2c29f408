// CORDIS's own project, organisation and participation CSVs (the layout of
// the cordis_he_hopon data set: projects.csv, organisations.csv,
// participations.csv) read into memory, and turned into one Pollinator
// profile per organisation whose offers are its projects. Used by
// `pollinator import --format=cordis DIR` and by the quality benchmark
// (bench/cordis_split.h), which builds its own corpus from the same records.
//
//   absl::StatusOr<CordisFolder> folder = ReadCordisFolder("../shared/datasets/cordis_he_hopon");
//   std::vector<CordisProfile> profiles = CordisOrganisationProfiles(*folder, CordisImportOptions());
//
// Pure functions over their arguments; thread-safe.
#ifndef POLLINATOR_DATA_CORDIS_IMPORT_H_
#define POLLINATOR_DATA_CORDIS_IMPORT_H_

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "pollinator/v1/profile.pb.h"

namespace pollinator {

struct CordisProject {
  std::string title;
  std::string objective;
  std::string topic;
  std::string start_date;  // "2023-05-01"
};

// One organisation in one role of one project.
struct CordisParticipation {
  std::string project_id;
  std::string org_id;
  std::string role;  // coordinator, participant, associatedPartner, thirdParty
  bool sme = false;  // as declared for this participation
  std::string activity_type;
  std::string country;  // CORDIS's code: EL for Greece, UK
  std::string city;
};

struct CordisOrganisation {
  std::string name;
  std::string short_name;
  std::string activity_type;  // PRC, HES, REC, PUB or OTH
  bool sme = false;           // its most recent participation's flag
  bool sme_ever = false;      // any participation's
  std::string country;
  std::string city;
  std::optional<std::pair<double, double>> lat_lon;
  // Its row in organisations.csv (the header is row 1).
  int64_t row = 0;
};

struct CordisFolder {
  // By project id; a later row replaces an earlier one.
  std::map<std::string, CordisProject> projects;
  // By PIC; a later row replaces an earlier one.
  absl::flat_hash_map<std::string, CordisOrganisation> organisations;
  // PICs in the order of their first rows.
  std::vector<std::string> organisation_order;
  // Project id -> its participations in file order.
  std::map<std::string, std::vector<CordisParticipation>> consortia;
};

// The files a CORDIS folder must hold.
inline constexpr const char* kCordisFiles[] = {"organisations.csv", "projects.csv", "participations.csv"};

// NotFound naming the folder or the first missing file; the CSV reader's
// errors (a missing column, malformed CSV) name the file.
absl::StatusOr<CordisFolder> ReadCordisFolder(const std::string& dir);

// The profile id of an organisation (its PIC): "org-<PIC>".
std::string CordisProfileId(const std::string& org_id);

// The profile kind of a CORDIS activity type.
v1::ProfileKind CordisProfileKind(const std::string& activity_type, bool sme);

// Country (ISO 3166-1 alpha-2 from CORDIS's code), city and, when known,
// coordinates; `org` may be null.
void SetCordisLocation(const CordisOrganisation* org, const std::string& country, const std::string& city,
                       v1::Location* location);

// `text` cut to at most `max_bytes`, at a UTF-8 character boundary.
std::string ClipUtf8(std::string text, size_t max_bytes);

// "2023-05-01" into `date`; left unset when malformed.
void SetCordisDate(const std::string& iso, v1::Date* date);

// What a past project is as a need or offer: joint R&D in an international
// consortium, to collaborate on.
template <typename Item>
void SetCordisProjectFacets(Item* item) {
  item->set_component(v1::COMPONENT_COLLABORATION_NETWORKING);
  item->add_modes(v1::COLLABORATION_MODE_JOINT_RD);
  item->set_scope(v1::GEOGRAPHIC_SCOPE_INTERNATIONAL);
}

struct CordisImportOptions {
  // Offers per profile: its newest projects. The API's limit (100) by default.
  int max_offers = 100;
  // An offer's text is cut to this (at a character boundary). The API's
  // limit (16 KiB) by default.
  size_t max_text_bytes = 16 * 1024;

  absl::Status Validate() const;
};

struct CordisProfile {
  // The organisation's row in organisations.csv.
  int64_t row = 0;
  v1::Profile profile;
};

// One profile per organisation, in organisations.csv order: its kind, name,
// country, city and coordinates (when known), completed_projects = the
// number of its projects, and one offer per project (title and objective as
// text, the project id as item id), newest first, at most max_offers.
std::vector<CordisProfile> CordisOrganisationProfiles(const CordisFolder& folder, const CordisImportOptions& options);

}  // namespace pollinator

#endif  // POLLINATOR_DATA_CORDIS_IMPORT_H_
