# Debian packages (CPack's DEB generator), man pages and install rules. Included at the end of
# CMakeLists.txt; `deploy/dev package` builds the release preset, runs cpack and lintian.
#
#   sunshine-kiosk          kiosk, kioskctl, /etc/kiosk/kiosk.toml (conffile), /etc/kiosk/keys/,
#                           deploy/systemd/* units, the kiosk system user (postinst)
#   sunshine-kiosk-bundle   kiosk-bundle, for county staff's PCs
#   sunshine-kiosk-hub      kiosk-hub, only when the build has a kiosk-hub target
#
# The kiosk has no data files of its own: fonts, the pinyin dictionary and the handwriting model
# are read at fixed paths from Debian packages (kiosk/ui/fonts.hpp, kiosk/core/ime/), so those
# packages are named in Depends; the shared libraries' packages come from dpkg-shlibdeps.
#
# lintian 2.116 (Debian 12) on the packages of the release build: 0 errors, 0 warnings. Kept at
# "info" level (shown with --display-info; not warnings):
#   binary-has-unneeded-section .comment   CPack strips with plain `strip`; the compiler's
#                                           version string in .comment costs ~100 bytes.
#   hardening-no-fortify-functions         kioskctl and kiosk-bundle: the build does not define
#                                           _FORTIFY_SOURCE (the presets carry no distribution
#                                           flags). Not reported for kiosk.
#   package-supports-alternative-init-but-no-init.d-script
#                                           the kiosk session is a systemd unit (watchdog,
#                                           sd_notify); there is no sysvinit script on purpose.
# Full RELRO and BIND_NOW are set below, so hardening-no-relro / -no-bindnow do not appear.

# ---- hardening: full RELRO and immediate binding for the packaged programs (lintian's
# hardening-no-relro and hardening-no-bindnow).
foreach(t kiosk kioskctl kiosk-bundle kiosk-hub)
  if(TARGET ${t})
    target_link_options(${t} PRIVATE -Wl,-z,relro,-z,now)
  endif()
endforeach()

# ---- components: which package each file goes to ----
set(KIOSK_DEB_COMPONENTS kiosk bundle)
if(TARGET kiosk-hub)
  list(APPEND KIOSK_DEB_COMPONENTS hub)
endif()
set(KIOSK_DEB_NAME_kiosk sunshine-kiosk)
set(KIOSK_DEB_NAME_bundle sunshine-kiosk-bundle)
set(KIOSK_DEB_NAME_hub sunshine-kiosk-hub)

# A file's component from its name: kiosk-bundle* and kiosk-hub* have their own packages.
function(kiosk_component_of name out)
  if(name MATCHES "^kiosk-bundle")
    set(${out} bundle PARENT_SCOPE)
  elseif(name MATCHES "^kiosk-hub")
    set(${out} hub PARENT_SCOPE)
  else()
    set(${out} kiosk PARENT_SCOPE)
  endif()
endfunction()

include(GNUInstallDirs)
if(TARGET kiosk)
  install(TARGETS kiosk RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT kiosk)
endif()
install(TARGETS kioskctl RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT kiosk)
install(TARGETS kiosk-bundle RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT bundle)
if(TARGET kiosk-hub)
  # A daemon: section 8, in sbin.
  install(TARGETS kiosk-hub RUNTIME DESTINATION ${CMAKE_INSTALL_SBINDIR} COMPONENT hub)
endif()

# The production configuration (state in /var/lib/kiosk, keys in /etc/kiosk/keys/).
install(FILES ${CMAKE_SOURCE_DIR}/config/kiosk.toml DESTINATION /etc/kiosk COMPONENT kiosk)
install(DIRECTORY DESTINATION /etc/kiosk/keys COMPONENT kiosk)

# systemd units from deploy/systemd/, whichever exist: units to /lib/systemd/system; a
# deploy/systemd/UNIT.d/*.conf drop-in to /lib/systemd/system/UNIT.d/; *tmpfiles*.conf and
# *sysusers*.conf to /usr/lib/tmpfiles.d and /usr/lib/sysusers.d (as sunshine-kiosk.conf); any
# other top-level *.conf is a drop-in for sunshine-kiosk.service. Units with an [Install]
# section are enabled by the postinst.
file(GLOB KIOSK_UNIT_FILES CONFIGURE_DEPENDS
     ${CMAKE_SOURCE_DIR}/deploy/systemd/*.service ${CMAKE_SOURCE_DIR}/deploy/systemd/*.target
     ${CMAKE_SOURCE_DIR}/deploy/systemd/*.socket ${CMAKE_SOURCE_DIR}/deploy/systemd/*.timer
     ${CMAKE_SOURCE_DIR}/deploy/systemd/*.path)
file(GLOB KIOSK_UNIT_CONFS CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/deploy/systemd/*.conf)
file(GLOB KIOSK_UNIT_DROPINS CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/deploy/systemd/*.d/*.conf)
set(KIOSK_UNITS "")
set(KIOSK_ENABLE_UNITS "")
foreach(f ${KIOSK_UNIT_FILES})
  get_filename_component(name ${f} NAME)
  kiosk_component_of(${name} comp)
  if(NOT comp IN_LIST KIOSK_DEB_COMPONENTS)
    continue()
  endif()
  install(FILES ${f} DESTINATION /lib/systemd/system COMPONENT ${comp})
  if(comp STREQUAL "kiosk" AND NOT name MATCHES "@\\.")
    string(APPEND KIOSK_UNITS " ${name}")
    file(STRINGS ${f} install_section REGEX "^\\[Install\\]")
    if(install_section)
      string(APPEND KIOSK_ENABLE_UNITS " ${name}")
    endif()
  endif()
endforeach()
foreach(f ${KIOSK_UNIT_DROPINS})
  get_filename_component(dir ${f} DIRECTORY)
  get_filename_component(dir ${dir} NAME)
  kiosk_component_of(${dir} comp)
  if(comp IN_LIST KIOSK_DEB_COMPONENTS)
    install(FILES ${f} DESTINATION /lib/systemd/system/${dir} COMPONENT ${comp})
  endif()
endforeach()
foreach(f ${KIOSK_UNIT_CONFS})
  get_filename_component(name ${f} NAME)
  if(name MATCHES "tmpfiles")
    install(FILES ${f} DESTINATION /usr/lib/tmpfiles.d RENAME sunshine-kiosk.conf COMPONENT kiosk)
  elseif(name MATCHES "sysusers")
    install(FILES ${f} DESTINATION /usr/lib/sysusers.d RENAME sunshine-kiosk.conf COMPONENT kiosk)
  else()
    install(FILES ${f} DESTINATION /lib/systemd/system/sunshine-kiosk.service.d COMPONENT kiosk)
  endif()
endforeach()
string(STRIP "${KIOSK_UNITS}" KIOSK_UNITS)
string(STRIP "${KIOSK_ENABLE_UNITS}" KIOSK_ENABLE_UNITS)

# ---- man pages: docs/man/NAME.SECTION.scd -> troff by scdoc, gzip -9n, in NAME's package ----
# Dated by the release (SOURCE_DATE_EPOCH), not the build day, so rebuilds are identical.
set(KIOSK_RELEASE_EPOCH 1796299200)  # 2026-12-03 12:00 UTC: the date of the changelog entry
set(KIOSK_RELEASE_DATE_RFC2822 "Thu, 03 Dec 2026 12:00:00 +0000")
find_program(SCDOC scdoc)
find_program(GZIP gzip REQUIRED)
file(GLOB KIOSK_MAN_SOURCES CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/docs/man/*.scd)
set(KIOSK_GENERATED_DOCS "")
if(NOT SCDOC)
  message(WARNING "scdoc not found (Debian package scdoc): no man pages, and the packages lack them")
  set(KIOSK_MAN_SOURCES "")
endif()
foreach(src ${KIOSK_MAN_SOURCES})
  get_filename_component(page ${src} NAME_WLE)  # kiosk.1
  string(REGEX MATCH "[0-9]$" section ${page})
  kiosk_component_of(${page} comp)
  if(NOT section OR NOT comp IN_LIST KIOSK_DEB_COMPONENTS)
    continue()
  endif()
  set(out ${CMAKE_BINARY_DIR}/man/${page}.gz)
  add_custom_command(OUTPUT ${out}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_BINARY_DIR}/man
    COMMAND sh -c "SOURCE_DATE_EPOCH=${KIOSK_RELEASE_EPOCH} '${SCDOC}' < '${src}' | '${GZIP}' -9n > '${out}.tmp' && mv '${out}.tmp' '${out}'"
    DEPENDS ${src} VERBATIM COMMENT "man page ${page}")
  list(APPEND KIOSK_GENERATED_DOCS ${out})
  install(FILES ${out} DESTINATION ${CMAKE_INSTALL_MANDIR}/man${section} COMPONENT ${comp})
endforeach()

# ---- per package: copyright and changelog (a native package: changelog.gz, gzip -9n) ----
foreach(comp ${KIOSK_DEB_COMPONENTS})
  set(KIOSK_DEB_PACKAGE ${KIOSK_DEB_NAME_${comp}})
  set(dir ${CMAKE_BINARY_DIR}/debian/${KIOSK_DEB_PACKAGE})
  configure_file(${CMAKE_SOURCE_DIR}/cmake/debian/changelog.in ${dir}/changelog @ONLY)
  add_custom_command(OUTPUT ${dir}/changelog.gz
    COMMAND sh -c "'${GZIP}' -9n < '${dir}/changelog' > '${dir}/changelog.gz'"
    DEPENDS ${dir}/changelog ${CMAKE_SOURCE_DIR}/cmake/debian/changelog.in VERBATIM)
  list(APPEND KIOSK_GENERATED_DOCS ${dir}/changelog.gz)
  install(FILES ${CMAKE_SOURCE_DIR}/cmake/debian/copyright ${dir}/changelog.gz
          DESTINATION ${CMAKE_INSTALL_DATAROOTDIR}/doc/${KIOSK_DEB_PACKAGE} COMPONENT ${comp})
endforeach()
add_custom_target(kiosk_docs ALL DEPENDS ${KIOSK_GENERATED_DOCS})

# Everything the packages hold (`deploy/dev package` builds this target only).
add_custom_target(kiosk_packaged)
foreach(t kiosk kioskctl kiosk-bundle kiosk-hub kiosk_docs)
  if(TARGET ${t})
    add_dependencies(kiosk_packaged ${t})
  endif()
endforeach()

# Maintainer scripts of sunshine-kiosk, with the unit names found above.
foreach(script postinst prerm postrm)
  configure_file(${CMAKE_SOURCE_DIR}/cmake/debian/${script}.in
                 ${CMAKE_BINARY_DIR}/debian/sunshine-kiosk-control/${script} @ONLY)
endforeach()
configure_file(${CMAKE_SOURCE_DIR}/cmake/debian/conffiles
               ${CMAKE_BINARY_DIR}/debian/sunshine-kiosk-control/conffiles COPYONLY)

# ---- CPack ----
# (Descriptions: the first line is the synopsis; CPack indents the rest and turns an empty line
# into " .".)
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME sunshine-kiosk)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_VENDOR "Sunshine Kiosk")
set(CPACK_PACKAGE_CONTACT "Sunshine Kiosk maintainers <maintainers@users.noreply.r-seed-3120adee.example>")
set(CPACK_PACKAGE_DIRECTORY ${CMAKE_BINARY_DIR}/packages)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_ALL ${KIOSK_DEB_COMPONENTS})
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_SECTION misc)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(CPACK_THREADS 2)

set(CPACK_DEBIAN_KIOSK_PACKAGE_NAME sunshine-kiosk)
set(CPACK_DEBIAN_KIOSK_PACKAGE_SECTION misc)
# The files the kiosk opens at run time (fonts, pinyin dictionary, handwriting model), and adduser
# for the postinst. cage, Xwayland and Mesa's drivers run the kiosk session (deploy/systemd) but
# the programs also run without them (under X, or kioskctl alone): Recommends.
set(CPACK_DEBIAN_KIOSK_PACKAGE_DEPENDS
    "adduser, fonts-noto-cjk, libgooglepinyin0, tegaki-zinnia-simplified-chinese")
set(CPACK_DEBIAN_KIOSK_PACKAGE_RECOMMENDS "cage, xwayland, libgl1-mesa-dri")
set(CPACK_DEBIAN_KIOSK_PACKAGE_CONTROL_EXTRA
    "${CMAKE_BINARY_DIR}/debian/sunshine-kiosk-control/conffiles;${CMAKE_BINARY_DIR}/debian/sunshine-kiosk-control/postinst;${CMAKE_BINARY_DIR}/debian/sunshine-kiosk-control/prerm;${CMAKE_BINARY_DIR}/debian/sunshine-kiosk-control/postrm")
set(CPACK_COMPONENT_KIOSK_DESCRIPTION
    "self-service touch terminal for township service halls (阳光终端)
Sunshine Kiosk shows a county's disclosed policies, approval guides, fee
standards and offices from signed content bundles, and takes reports,
service ratings and questions, sealed at once with the county's key.

This package has the touch program (kiosk), the technician's tool
(kioskctl), the configuration in /etc/kiosk and the systemd units of the
kiosk session, and makes the kiosk system user.")

set(CPACK_DEBIAN_BUNDLE_PACKAGE_NAME sunshine-kiosk-bundle)
set(CPACK_DEBIAN_BUNDLE_PACKAGE_SECTION utils)
set(CPACK_COMPONENT_BUNDLE_DESCRIPTION
    "content bundle tool for Sunshine Kiosk terminals
County staff use kiosk-bundle to make the county's signing and sealing keys,
build a signed content bundle from a folder of Markdown documents, and
verify, inspect and search bundles before they go to the terminals.")

set(CPACK_DEBIAN_HUB_PACKAGE_NAME sunshine-kiosk-hub)
set(CPACK_DEBIAN_HUB_PACKAGE_SECTION net)
set(CPACK_COMPONENT_HUB_DESCRIPTION
    "county hub for Sunshine Kiosk terminals
The county's server for Sunshine Kiosk terminals: it takes their sealed
submissions and serves content bundles and status look-ups.")

include(CPack)
