// A tiny folder in CORDIS's layout (organisations.csv, projects.csv,
// participations.csv as in cordis_he_hopon), so that importer tests run
// without the real data set: five organisations (an SME, a former SME, a
// university known by its short name, an association without projects and
// an agency with half a position), four projects (one without participants,
// two starting on one day) and an organisation holding two roles in one
// project, plus a participation in a project projects.csv lacks.
#ifndef POLLINATOR_TESTS_TESTING_CORDIS_FIXTURE_H_
#define POLLINATOR_TESTS_TESTING_CORDIS_FIXTURE_H_

#include <fstream>
#include <string>

namespace pollinator::testing {

inline void WriteFile(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

inline void WriteCordisFixture(const std::string& dir) {
  WriteFile(dir + "/organisations.csv",
            "org_id,name,short_name,sme,activity_type,city,country,url,sme_ever,lat,lon,n_projects\n"
            "100,Optics SME,OSME,true,PRC,Dresden,DE,,true,51.05,13.74,2\n"
            "200,Big Corp,,false,PRC,Athens,EL,,true,,,1\n"
            "300,,UniX,false,HES,London,UK,,false,,,1\n"
            "400,Cluster e.V.,,false,OTH,Berlin,DE,,false,,,0\n"
            "500,Agency,,false,PUB,Paris,FR,,false,52.5,,1\n");
  WriteFile(dir + "/projects.csv",
            "project_id,acronym,title,objective,start_date,topic_title\n"
            "101,A,Laser optics,\"Coatings, and lenses.\",2024-03-01,Photonics\n"
            "102,B,Battery cells,Pilot line.,2025-01-01,Batteries\n"
            "103,C,Lonely,No participants.,2023-01-01,None\n"
            "104,D,Same day,Second project of that day.,2025-01-01,Batteries\n");
  WriteFile(dir + "/participations.csv",
            "project_id,org_id,role,order,sme,activity_type,country,city,ec_contribution\n"
            "101,100,coordinator,1,true,PRC,DE,Dresden,1\n"
            "101,100,thirdParty,2,true,PRC,DE,Dresden,1\n"
            "101,300,participant,3,false,HES,UK,London,1\n"
            "102,100,participant,1,true,PRC,DE,Dresden,1\n"
            "102,200,coordinator,2,false,PRC,EL,Athens,1\n"
            "104,100,participant,1,true,PRC,DE,Dresden,1\n"
            "104,500,participant,2,false,PUB,FR,Paris,1\n"
            "999,200,participant,1,false,PRC,EL,Athens,1\n");
}

}  // namespace pollinator::testing

#endif  // POLLINATOR_TESTS_TESTING_CORDIS_FIXTURE_H_
