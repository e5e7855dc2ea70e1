#pragma once
// The std::visit helper: overloaded{[](const A&) {...}, [](const B&) {...}}.
namespace nstopo::model {

template <class... Ts>
struct overloaded : Ts... {
  using Ts::operator()...;
};

}  // namespace nstopo::model
