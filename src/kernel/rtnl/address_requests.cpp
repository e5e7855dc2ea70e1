#include "kernel/rtnl/address_requests.h"

#include <linux/if_addr.h>

#include <cerrno>

#include "kernel/rtnl/nl_objects.h"
#include "kernel/rtnl/request_building.h"

namespace nstopo::kernel {

namespace {

NetlinkResult<nl::InterfaceAddressPtr> address_object(int ifindex, const model::Prefix& prefix) {
  nl::InterfaceAddressPtr address(rtnl_addr_alloc());
  nl::AddressPtr local = nl::make_address(prefix.address, prefix.length);
  if (!address || !local)
    return std::unexpected(out_of_memory());
  rtnl_addr_set_ifindex(address.get(), ifindex);
  rtnl_addr_set_family(address.get(), prefix.address.af());
  if (int err = rtnl_addr_set_local(address.get(), local.get()); err < 0)  // and the prefix length
    return std::unexpected(Refusal{0, nl_geterror(err)});
  return address;
}

}  // namespace

NetlinkResult<void> add_address(NetlinkSocket& socket, int ifindex, const model::Prefix& prefix,
                                bool nodad, uint8_t protocol) {
  auto address = address_object(ifindex, prefix);
  if (!address) return std::unexpected(address.error());
  if (nodad) rtnl_addr_set_flags(address->get(), IFA_F_NODAD);
  nl_msg* raw = nullptr;
  int err = rtnl_addr_build_add_request(address->get(), NLM_F_CREATE | NLM_F_EXCL, &raw);
  auto request = built_request(err, raw);
  if (!request) return std::unexpected(request.error());
  if (nla_put_u8(request->get(), IFA_PROTO, protocol) < 0)
    return std::unexpected(out_of_memory());
  return socket.request(request->get());
}

NetlinkResult<void> delete_address(NetlinkSocket& socket, int ifindex,
                                   const model::Prefix& prefix) {
  auto address = address_object(ifindex, prefix);
  if (!address) return std::unexpected(address.error());
  nl_msg* raw = nullptr;
  int err = rtnl_addr_build_delete_request(address->get(), 0, &raw);
  auto request = built_request(err, raw);
  if (!request) return std::unexpected(request.error());
  return socket.request(request->get());
}

}  // namespace nstopo::kernel
