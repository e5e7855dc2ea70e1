# What `cmake --install` puts where, and the DEB package CPack builds from it.
# Man pages and the completions are generated from the built binary's --help (commands
# included), so they cannot drift from the CLI definition in src/cli/app.cpp.
include(GNUInstallDirs)

set(gen ${CMAKE_BINARY_DIR}/generated)
add_custom_command(OUTPUT ${gen}/docs.stamp
  COMMAND ${CMAKE_COMMAND} -DNSTOPO=$<TARGET_FILE:nstopo> -DVERSION=${PROJECT_VERSION}
          -DOUT_DIR=${gen} -P ${CMAKE_SOURCE_DIR}/cmake/generate_docs.cmake
  DEPENDS nstopo ${CMAKE_SOURCE_DIR}/cmake/generate_docs.cmake
          ${CMAKE_SOURCE_DIR}/cmake/help2roff.cmake ${CMAKE_SOURCE_DIR}/cmake/bash_completion.cmake
  VERBATIM)
# Not part of a sanitizer build's default target: running an instrumented binary at build time
# would make the build depend on its runtime's options (a leak report fails it).
if(NSTOPO_SANITIZE OR NSTOPO_TSAN)
  add_custom_target(nstopo_docs DEPENDS ${gen}/docs.stamp)
else()
  add_custom_target(nstopo_docs ALL DEPENDS ${gen}/docs.stamp)
endif()

install(FILES ${CMAKE_SOURCE_DIR}/schemas/topology.schema.json
              ${CMAKE_SOURCE_DIR}/schemas/output.schema.json DESTINATION ${CMAKE_INSTALL_DATADIR}/nstopo)
install(DIRECTORY ${gen}/man/ DESTINATION ${CMAKE_INSTALL_MANDIR}/man1 FILES_MATCHING PATTERN "*.1")
install(FILES ${gen}/completions/nstopo DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions)
install(FILES ${gen}/completions/_nstopo DESTINATION ${CMAKE_INSTALL_DATADIR}/zsh/vendor-completions)
install(FILES ${gen}/completions/nstopo.fish DESTINATION ${CMAKE_INSTALL_DATADIR}/fish/vendor_completions.d)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME nstopo)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "nstopo maintainers <nstopo@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Declarative network-namespace topologies on Linux")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)  # nstopo_VERSION_amd64.deb
set(CPACK_DEBIAN_PACKAGE_SECTION net)
# dpkg-shlibdeps finds libyaml, libyaml-cpp, libnl-3, libnl-route-3, libfmt, libstdc++ from the binary.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
include(CPack)
