# Generates the man pages and the shell completions from the built binary alone: the list of
# commands is read from `nstopo --help`, each page from `nstopo COMMAND --help`, the options
# from the same text. A command added to src/cli/app.cpp appears in all of them by itself.
# Inputs: NSTOPO (the built binary), VERSION, OUT_DIR. Writes OUT_DIR/man/*.1 and
# OUT_DIR/completions/{nstopo,_nstopo,nstopo.fish}, then OUT_DIR/docs.stamp.
execute_process(COMMAND ${NSTOPO} --help OUTPUT_VARIABLE top_help RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "${NSTOPO} --help exited ${rc}")
endif()
# The "Subcommands:" block: one "  NAME   description" line each, up to the blank line.
string(REGEX MATCH "\nSubcommands:\n(([^\n]+\n)+)" block "${top_help}")
string(REGEX MATCHALL "\n  [a-z][a-z0-9-]*" found "\n${CMAKE_MATCH_1}")
set(ALL_COMMANDS "")
foreach(c ${found})
  string(STRIP "${c}" c)
  list(APPEND ALL_COMMANDS ${c})
endforeach()
list(LENGTH ALL_COMMANDS n)
if(n LESS 3)
  message(FATAL_ERROR "found only '${ALL_COMMANDS}' as commands in `nstopo --help`")
endif()

file(REMOVE_RECURSE ${OUT_DIR}/man)
set(PAGE_COMMAND "")
set(OUT ${OUT_DIR}/man/nstopo.1)
include(${CMAKE_CURRENT_LIST_DIR}/help2roff.cmake)
foreach(c ${ALL_COMMANDS})
  set(PAGE_COMMAND ${c})
  set(OUT ${OUT_DIR}/man/nstopo-${c}.1)
  include(${CMAKE_CURRENT_LIST_DIR}/help2roff.cmake)
endforeach()

set(OUT ${OUT_DIR}/completions/nstopo)
set(OUT_ZSH ${OUT_DIR}/completions/_nstopo)
set(OUT_FISH ${OUT_DIR}/completions/nstopo.fish)
include(${CMAKE_CURRENT_LIST_DIR}/bash_completion.cmake)
file(WRITE ${OUT_DIR}/docs.stamp "${ALL_COMMANDS}\n")
