# Build-speed settings, kept apart from the targets they speed up: applied by target name after every
# target is defined (included last from the top-level CMakeLists.txt), each only `if(TARGET name)`, so a
# renamed or new target never breaks the build; it just builds without the setting.

# Every target defined so far under DIR (default: the whole tree), into OUT.
function(mynasim_targets_under out)
    set(dir "${ARGV1}")
    if(NOT dir)
        set(dir "${PROJECT_SOURCE_DIR}")
    endif()
    get_property(targets DIRECTORY "${dir}" PROPERTY BUILDSYSTEM_TARGETS)
    get_property(subdirs DIRECTORY "${dir}" PROPERTY SUBDIRECTORIES)
    foreach(subdir IN LISTS subdirs)
        mynasim_targets_under(more "${subdir}")
        list(APPEND targets ${more})
    endforeach()
    set(${out} ${targets} PARENT_SCOPE)
endfunction()

mynasim_targets_under(mynasim_all_targets)

# Link with lld (Debian's `lld`, which setup.sh installs) when the compiler can: every build links the
# `mynasim` command last, so its link time is wall time outright. Measured on branch ci-time: the
# RelWithDebInfo command (200 MB with debug info) ld.bfd 3.0 CPU-s / 11 s wall, lld 0.8 / 2; the
# ASan one 5.1 / 21 against 1.2 / 3.4.
option(MYNASIM_LLD "Link with lld when it is installed" ON)
if(MYNASIM_LLD)
    include(CheckLinkerFlag)
    check_linker_flag(CXX -fuse-ld=lld MYNASIM_HAVE_LLD)
    if(MYNASIM_HAVE_LLD)
        foreach(target IN LISTS mynasim_all_targets)
            get_target_property(type ${target} TYPE)
            if(type MATCHES "^(EXECUTABLE|SHARED_LIBRARY|MODULE_LIBRARY)$")
                target_link_options(${target} PRIVATE -fuse-ld=lld)
            endif()
        endforeach()
    endif()
endif()

if(MYNASIM_SANITIZE)
    # Executables link as non-PIE: a PIE built with ASan+UBSan at -O0 carries millions of dynamic
    # relocations (mostly sanitizer metadata) that every process start applies, and the tests start
    # `mynasim` thousands of times (each `sim ctl` forks a PC/SC waiter). Measured on
    # pcsc.insert_remove_cycles (30 cycles): 11.5 CPU-s and 42 s wall with PIE, 6.7 CPU-s and 26 s
    # without. The checks are the same.
    foreach(target IN LISTS mynasim_all_targets)
        get_target_property(type ${target} TYPE)
        if(type STREQUAL "EXECUTABLE")
            target_link_options(${target} PRIVATE -no-pie)
        endif()
    endforeach()
    # Unity builds (CMake joins a target's sources into batches of 8) for the libraries and the
    # command, in the sanitizer pass only: it is a test build, so one-file rebuilds and
    # compile_commands.json do not matter there, while the main build keeps checking that every file
    # compiles on its own. At -O0 most of a unit's time goes to the headers and inline functions it
    # shares with its neighbours. Not the unit tests: their fixtures live in anonymous namespaces, which
    # -Wsubobject-linkage rejects in a unity source.
    foreach(target IN LISTS mynasim_all_targets)
        get_target_property(type ${target} TYPE)
        if(target MATCHES "^mynasim" AND NOT target MATCHES "(_tests|_bench|_alone)$"
                AND type MATCHES "^(EXECUTABLE|STATIC_LIBRARY)$")
            set_target_properties(${target} PROPERTIES UNITY_BUILD ON)
        endif()
    endforeach()
    # Its ctest runs no benchmark: build them only on request (`--target bench` still does).
    foreach(target IN ITEMS mynasim_pcsc_bench mynasim_server_bench)
        if(TARGET ${target})
            set_target_properties(${target} PROPERTIES EXCLUDE_FROM_ALL ON)
        endif()
    endforeach()
endif()
