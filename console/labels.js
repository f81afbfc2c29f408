// Readable names of the API's enums, the same words as the CLI's
// (index/labels.cc). The JSON mapping omits zero values, so a missing enum
// field reads as "unspecified".

export const KINDS = [
  ['PROFILE_KIND_SMB', 'SMB'],
  ['PROFILE_KIND_STARTUP', 'startup'],
  ['PROFILE_KIND_LARGE_ENTERPRISE', 'large enterprise'],
  ['PROFILE_KIND_UNIVERSITY', 'university'],
  ['PROFILE_KIND_RESEARCH_INSTITUTE', 'research institute'],
  ['PROFILE_KIND_PUBLIC_AGENCY', 'public agency'],
  ['PROFILE_KIND_INVESTOR', 'investor'],
  ['PROFILE_KIND_INCUBATOR_ACCELERATOR', 'incubator/accelerator'],
  ['PROFILE_KIND_ASSOCIATION_CLUSTER', 'association/cluster'],
  ['PROFILE_KIND_SERVICE_PROVIDER', 'service provider'],
];

export const COMPONENTS = [
  ['COMPONENT_TALENT', 'talent & skills'],
  ['COMPONENT_FUNDING', 'funding & investment'],
  ['COMPONENT_TECHNOLOGY_INFRASTRUCTURE', 'technology & infrastructure'],
  ['COMPONENT_COLLABORATION_NETWORKING', 'collaboration & networking'],
  ['COMPONENT_SUPPORT_SERVICES', 'support services & programmes'],
  ['COMPONENT_REGULATORY_IP', 'regulatory & IP'],
  ['COMPONENT_MARKET_ACCESS', 'market access'],
  ['COMPONENT_EXPERTISE', 'expertise & knowledge'],
];

export const DECLINE_REASONS = [
  ['DECLINE_REASON_NOT_RELEVANT', 'not relevant'],
  ['DECLINE_REASON_TOO_FAR', 'too far'],
  ['DECLINE_REASON_NO_CAPACITY', 'no capacity'],
  ['DECLINE_REASON_ALREADY_KNOWN', 'already known'],
  ['DECLINE_REASON_OTHER', 'other'],
];

const INTERACTION_TYPES = {
  INTERACTION_TYPE_SHOWN: 'shown',
  INTERACTION_TYPE_CONTACTED: 'contacted',
  INTERACTION_TYPE_ACCEPTED: 'accepted',
  INTERACTION_TYPE_DECLINED: 'declined',
  INTERACTION_TYPE_COLLABORATED: 'collaborated',
};

const kindNames = new Map(KINDS);
const componentNames = new Map(COMPONENTS);
const declineNames = new Map(DECLINE_REASONS);

function label(names, value) {
  if (value === undefined || value === null || /_UNSPECIFIED$/.test(value)) return 'unspecified';
  return names.get(value) ?? String(value);
}

export const kindLabel = (kind) => label(kindNames, kind);
export const componentLabel = (component) => label(componentNames, component);
export const declineLabel = (reason) => label(declineNames, reason);
export const interactionLabel = (type) => label(new Map(Object.entries(INTERACTION_TYPES)), type);

// The position of a component in the API's enum, for ordering rows.
export function componentOrder(component) {
  const index = COMPONENTS.findIndex(([name]) => name === component);
  return index < 0 ? COMPONENTS.length : index;
}

// "Leipzig, Sachsen, DE" from a Location (any part may be missing).
export function placeLabel(location) {
  if (!location) return '';
  return [location.city, location.region, location.country].filter(Boolean).join(', ');
}

// "GEOGRAPHIC_SCOPE_LOCAL" -> "local", "STAGE_EARLY_REVENUE" -> "early revenue".
export function enumWords(value, prefix) {
  if (!value) return '';
  return value.replace(prefix, '').toLowerCase().replaceAll('_', ' ');
}
