# What `cmake --install` puts where, and the DEB package CPack builds from it.
# Man pages and the bash completion are generated from the built binary's --help,
# so they cannot drift from the CLI definition in src/cli/app.cpp.
include(GNUInstallDirs)

set(NSTOPO_COMMANDS validate plan apply destroy status exec logs show)
set(gen ${CMAKE_BINARY_DIR}/generated)
set(man_pages ${gen}/man/nstopo.1)
add_custom_command(OUTPUT ${gen}/man/nstopo.1
  COMMAND ${CMAKE_COMMAND} -DNSTOPO=$<TARGET_FILE:nstopo> -DCOMMAND= -DVERSION=${PROJECT_VERSION}
          "-DALL_COMMANDS=${NSTOPO_COMMANDS}" -DOUT=${gen}/man/nstopo.1
          -P ${CMAKE_SOURCE_DIR}/cmake/help2roff.cmake
  DEPENDS nstopo ${CMAKE_SOURCE_DIR}/cmake/help2roff.cmake VERBATIM)
foreach(c ${NSTOPO_COMMANDS})
  add_custom_command(OUTPUT ${gen}/man/nstopo-${c}.1
    COMMAND ${CMAKE_COMMAND} -DNSTOPO=$<TARGET_FILE:nstopo> -DCOMMAND=${c} -DVERSION=${PROJECT_VERSION}
            -DOUT=${gen}/man/nstopo-${c}.1 -P ${CMAKE_SOURCE_DIR}/cmake/help2roff.cmake
    DEPENDS nstopo ${CMAKE_SOURCE_DIR}/cmake/help2roff.cmake VERBATIM)
  list(APPEND man_pages ${gen}/man/nstopo-${c}.1)
endforeach()
add_custom_command(OUTPUT ${gen}/completions/nstopo ${gen}/completions/_nstopo ${gen}/completions/nstopo.fish
  COMMAND ${CMAKE_COMMAND} -DNSTOPO=$<TARGET_FILE:nstopo> "-DALL_COMMANDS=${NSTOPO_COMMANDS}"
          -DOUT=${gen}/completions/nstopo -DOUT_ZSH=${gen}/completions/_nstopo
          -DOUT_FISH=${gen}/completions/nstopo.fish -P ${CMAKE_SOURCE_DIR}/cmake/bash_completion.cmake
  DEPENDS nstopo ${CMAKE_SOURCE_DIR}/cmake/bash_completion.cmake VERBATIM)
# Not part of a sanitizer build's default target: running an instrumented binary at build time
# would make the build depend on its runtime's options (a leak report fails it).
if(NSTOPO_SANITIZE OR NSTOPO_TSAN)
  add_custom_target(nstopo_docs DEPENDS ${man_pages} ${gen}/completions/nstopo)
else()
  add_custom_target(nstopo_docs ALL DEPENDS ${man_pages} ${gen}/completions/nstopo)
endif()

install(FILES ${CMAKE_SOURCE_DIR}/schemas/topology.schema.json DESTINATION ${CMAKE_INSTALL_DATADIR}/nstopo)
install(FILES ${man_pages} DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
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
# dpkg-shlibdeps finds libyaml-cpp, libnl-3, libnl-route-3, libfmt, libstdc++ from the binary.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
include(CPack)
