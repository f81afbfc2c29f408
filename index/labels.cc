#include "index/labels.h"

#include "absl/strings/str_cat.h"

namespace pollinator {

std::string ProfileKindLabel(v1::ProfileKind kind) {
  switch (kind) {
    case v1::PROFILE_KIND_SMB: return "SMB";
    case v1::PROFILE_KIND_STARTUP: return "startup";
    case v1::PROFILE_KIND_LARGE_ENTERPRISE: return "large enterprise";
    case v1::PROFILE_KIND_UNIVERSITY: return "university";
    case v1::PROFILE_KIND_RESEARCH_INSTITUTE: return "research institute";
    case v1::PROFILE_KIND_PUBLIC_AGENCY: return "public agency";
    case v1::PROFILE_KIND_INVESTOR: return "investor";
    case v1::PROFILE_KIND_INCUBATOR_ACCELERATOR: return "incubator/accelerator";
    case v1::PROFILE_KIND_ASSOCIATION_CLUSTER: return "association/cluster";
    case v1::PROFILE_KIND_SERVICE_PROVIDER: return "service provider";
    case v1::PROFILE_KIND_UNSPECIFIED: return "unspecified";
    default: return absl::StrCat(static_cast<int>(kind));
  }
}

std::string ComponentLabel(v1::Component component) {
  switch (component) {
    case v1::COMPONENT_TALENT: return "talent & skills";
    case v1::COMPONENT_FUNDING: return "funding & investment";
    case v1::COMPONENT_TECHNOLOGY_INFRASTRUCTURE: return "technology & infrastructure";
    case v1::COMPONENT_COLLABORATION_NETWORKING: return "collaboration & networking";
    case v1::COMPONENT_SUPPORT_SERVICES: return "support services & programmes";
    case v1::COMPONENT_REGULATORY_IP: return "regulatory & IP";
    case v1::COMPONENT_MARKET_ACCESS: return "market access";
    case v1::COMPONENT_EXPERTISE: return "expertise & knowledge";
    case v1::COMPONENT_UNSPECIFIED: return "unspecified";
    default: return absl::StrCat(static_cast<int>(component));
  }
}

}  // namespace pollinator
