#pragma once
// A service's record in state.json: what nstopo needs to find, stop and, when a stop is
// undone, start again the process it started. Fields added after version 1 are optional on
// reading, so an older record still reads (with those fields unknown).
#include <nlohmann/json.hpp>

#include "state/records.h"

namespace nstopo::state {

nlohmann::json service_record_json(const ServiceRecord& record);
// Throws nlohmann::json::exception on a malformed record (StateStore::load reports it).
ServiceRecord service_record_from_json(const nlohmann::json& json);

}  // namespace nstopo::state
