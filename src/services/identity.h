#pragma once
// Who a service runs as, and the environment it starts with. Both are worked out in nstopo
// before fork(), so the child only has system calls left to make.
#include <sys/types.h>

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "model/error.h"

namespace nstopo::services {

struct UserIdentity {
  std::string name;  // for USER and LOGNAME; the number when it has no passwd entry
  uid_t uid = 0;
  gid_t gid = 0;
  std::vector<gid_t> groups;  // supplementary groups (initgroups' list)
  std::string home;           // "/" when unknown
};

// A user name from the passwd database or a numeric uid. A numeric uid without a passwd
// entry runs with gid = uid and no supplementary groups.
Result<UserIdentity> resolve_user(const std::string& user);

// The environment of a service: not nstopo's (which may hold anything, e.g. sudo's or the
// terminal's variables), but a minimal one:
//   PATH     nstopo's, or the standard one when unset
//   HOME     the user's home directory; nstopo's (or "/") when no user is given
//   USER, LOGNAME  the user's name when a user is given, else nstopo's when set
//   LANG, LC_ALL, TZ  nstopo's, when set
// then the declared env on top (it may override any of them). "NAME=value" strings, sorted.
std::vector<std::string> service_environment(const std::map<std::string, std::string>& declared,
                                             const std::optional<UserIdentity>& user,
                                             const std::map<std::string, std::string>& inherited);

// The variables service_environment() takes from nstopo's own environment.
std::map<std::string, std::string> inherited_environment();

}  // namespace nstopo::services
