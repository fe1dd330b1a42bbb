# Settings of the ASan+UBSan pass (MYNASIM_SANITIZE=ON), applied by target name after every target is
# defined (included from the top-level CMakeLists.txt), so that a renamed or new target never breaks it.

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

if(MYNASIM_SANITIZE)
    # Executables link as non-PIE: a PIE built with ASan+UBSan at -O0 carries millions of dynamic
    # relocations (mostly sanitizer metadata) that every process start applies, and the tests start
    # `mynasim` thousands of times (each `sim ctl` forks a PC/SC waiter). Measured on
    # pcsc.insert_remove_cycles (30 cycles): 11.5 CPU-s and 42 s wall with PIE, 6.7 CPU-s and 26 s
    # without. The checks are the same.
    mynasim_targets_under(all_targets)
    foreach(target IN LISTS all_targets)
        get_target_property(type ${target} TYPE)
        if(type STREQUAL "EXECUTABLE")
            target_link_options(${target} PRIVATE -no-pie)
        endif()
    endforeach()
    # Its ctest runs no benchmark: build them only on request (`--target bench` still does).
    foreach(target IN ITEMS mynasim_pcsc_bench mynasim_server_bench)
        if(TARGET ${target})
            set_target_properties(${target} PROPERTIES EXCLUDE_FROM_ALL ON)
        endif()
    endforeach()
endif()
