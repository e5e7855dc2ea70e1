#pragma once
// The lab's NAT table in the host's nftables (model/nat.h), through libnftables: the library
// `nft` is made of, given the same language `nft -f` reads, never the `nft` program. Reads
// and writes happen in the network namespace of the calling thread: the host's.
#include <optional>
#include <string>

#include "model/error.h"
#include "model/observed.h"

namespace nstopo::kernel {

struct NatTableRead {
  std::optional<model::ObservedNatTable> table;  // none: the host has no table of that name
  std::string unavailable;  // nftables could not be read (the kernel's words); table is none
};

// Lists `inet nstopo-LAB`. Never fails: what stops the read is reported in `unavailable`.
NatTableRead read_nat_table(const std::string& lab);

// Makes the table `ruleset` holds, or replaces the one there, in one transaction: the
// kernel applies all of it or none. Refuses (conflict) when the table there is not the lab's.
Result<void> replace_nat_table(const std::string& lab, const std::string& ruleset);

// Deletes the lab's table; a table already gone is a success. Refuses one not the lab's.
Result<void> delete_nat_table(const std::string& lab);

}  // namespace nstopo::kernel
