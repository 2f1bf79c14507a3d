# copydesk_flags: warnings, sanitizers and dev checks, linked PRIVATE so consumers never inherit them.
add_library(copydesk_flags INTERFACE)
target_compile_options(copydesk_flags INTERFACE -Wall -Wextra -Wpedantic -Wshadow
                                                -Wno-missing-field-initializers)
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
  # GCC 12 reports false -Wrestrict positives inside libstdc++ string concatenation (GCC PR105329).
  target_compile_options(copydesk_flags INTERFACE -Wno-restrict)
endif()
if(COPYDESK_WERROR)
  target_compile_options(copydesk_flags INTERFACE -Werror)
endif()
if(COPYDESK_DEV_CHECKS)
  target_compile_definitions(copydesk_flags INTERFACE COPYDESK_DEV_CHECKS=1)
endif()
if(COPYDESK_SANITIZE)
  target_compile_options(copydesk_flags INTERFACE -fsanitize=${COPYDESK_SANITIZE}
                                                  -fno-sanitize-recover=all -fno-omit-frame-pointer)
  target_link_options(copydesk_flags INTERFACE -fsanitize=${COPYDESK_SANITIZE})
endif()
if(COPYDESK_BUILD_FUZZERS)
  # Fuzz builds instrument the library (and everything else built with it), not only the fuzz
  # entry points: libFuzzer needs coverage of the code under test, and the sanitizers must see it.
  # The entry points link the libFuzzer runtime themselves (fuzz/CMakeLists.txt).
  target_compile_options(copydesk_flags INTERFACE -fsanitize=fuzzer-no-link,address,undefined
                                                  -fno-sanitize-recover=all -fno-omit-frame-pointer)
  target_link_options(copydesk_flags INTERFACE -fsanitize=address,undefined)
endif()
