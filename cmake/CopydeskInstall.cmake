# Install rules: headers, copydesk_core, the copydesk tool, a CMake package (copydesk::core) and a
# pkg-config file; and CPack, which turns the tool into a Debian package (cpack -G DEB).
# Components: `runtime` (the tool, and the shared library when BUILD_SHARED_LIBS) and
# `development` (headers, static library or .so link, CMake and pkg-config files).
include(CMakePackageConfigHelpers)

set(COPYDESK_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/copydesk)

install(TARGETS copydesk_core EXPORT copydeskTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT development
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT runtime NAMELINK_COMPONENT development
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT runtime)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/copydesk ${PROJECT_BINARY_DIR}/include/copydesk
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} COMPONENT development FILES_MATCHING PATTERN "*.hpp")
if(TARGET copydesk)
  install(TARGETS copydesk RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT runtime)
  install(FILES ${PROJECT_SOURCE_DIR}/README.md DESTINATION ${CMAKE_INSTALL_DOCDIR}
          COMPONENT runtime)
endif()

install(EXPORT copydeskTargets NAMESPACE copydesk:: DESTINATION ${COPYDESK_CMAKE_DIR}
        COMPONENT development)
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/copydeskConfig.cmake.in
  ${PROJECT_BINARY_DIR}/copydeskConfig.cmake INSTALL_DESTINATION ${COPYDESK_CMAKE_DIR})
# Before 1.0 only the same minor version is compatible.
write_basic_package_version_file(${PROJECT_BINARY_DIR}/copydeskConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/copydeskConfig.cmake
              ${PROJECT_BINARY_DIR}/copydeskConfigVersion.cmake
        DESTINATION ${COPYDESK_CMAKE_DIR} COMPONENT development)

# pkg-config: the prefix is found from the .pc file's own place, so `cmake --install --prefix`
# anywhere works. A static library needs its dependencies on the consumer's link line (Requires);
# a shared one only when linking statically (Requires.private).
file(RELATIVE_PATH COPYDESK_PC_PREFIX_REL ${CMAKE_INSTALL_FULL_LIBDIR}/pkgconfig
     ${CMAKE_INSTALL_PREFIX})
string(REGEX REPLACE "/$" "" COPYDESK_PC_PREFIX_REL "${COPYDESK_PC_PREFIX_REL}")
if(BUILD_SHARED_LIBS)
  set(COPYDESK_PC_REQUIRES "Requires.private")
else()
  set(COPYDESK_PC_REQUIRES "Requires")
endif()
# Debian's OpenMPI ships its own .pc file (mpi-c) for the MPI build, cpp-httplib its own for the
# server.
if(COPYDESK_MPI)
  set(COPYDESK_PC_MPI " mpi-c")
else()
  set(COPYDESK_PC_MPI "")
endif()
if(COPYDESK_SERVE)
  string(APPEND COPYDESK_PC_MPI " cpp-httplib")
endif()
configure_file(${PROJECT_SOURCE_DIR}/cmake/copydesk.pc.in ${PROJECT_BINARY_DIR}/copydesk.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/copydesk.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig
        COMPONENT development)

# Debian package of the tool: dependencies come from dpkg-shlibdeps (the ICU and simdjson
# runtime libraries, libstdc++, libc).
set(CPACK_PACKAGE_NAME copydesk)
set(CPACK_PACKAGE_VENDOR "copydesk")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "find copies, story groups and borrowed passages in news text")
string(CONCAT CPACK_PACKAGE_DESCRIPTION
  "copydesk reports near-duplicates and texts contained in other texts, groups articles into "
  "stories (TF-IDF, cosine, average link) and shows how much each copy borrows from a "
  "reference text, passage by passage, with byte offsets in both texts.")
set(CPACK_PACKAGE_CONTACT "copydesk maintainers <maintainers@copydesk.invalid>")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_ALL runtime)
set(CPACK_COMPONENTS_GROUPING ALL_COMPONENTS_IN_ONE)
set(CPACK_DEBIAN_PACKAGE_NAME copydesk)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION text)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
include(CPack)
